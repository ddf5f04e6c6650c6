# tests/lib.sh - a tiny TAP library for the shell tests (after mblaze's t/lib.sh)
#
# Each test file sources this, calls plan N, then check/check_same/... .
# Every file gets a fresh database in a temporary directory, a fixed
# clock, zone, actor and locale, so that results never depend on the host.
#
# With CASEKIT_TEST_PG set (make check-pg: the base URI scripts/pg-scratch
# prints, postgresql://casekit@127.0.0.1:PORT/postgres), the fresh
# database is instead a PostgreSQL database of the file's own, and
# CASE_DB its URI; see "PostgreSQL" below for the helpers that let one
# file run on either engine.

set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/casekit-test.XXXXXX")
# lib_cleanup: what the EXIT trap does.  A file that sets a trap of its own
# calls it from there.
lib_cleanup() {
	[ -z "${pg_prefix:-}" ] || pg_drop_all
	rm -rf "$tmp"
}
trap lib_cleanup EXIT INT TERM
export CASE_DB="$tmp/cases.db"
export CASE_NOW=2024-05-09T09:00:00+08:00
export CASE_ACTOR=tester
# China Standard Time as a POSIX TZ string: no tzdata needed, no DST.
export TZ=CST-8
export LC_ALL=C.UTF-8
unset CASE_NOW_SAVED
top=$(cd "$(dirname "$0")/.." && pwd)
data="$top/tests/data"
# The tree's own message catalogues (English unless a test sets LANG).
export CASEKIT_LOCALEDIR="$top/build/locale"
unset LANGUAGE LC_MESSAGES LANG
ntest=0
nfail=0

## PostgreSQL.  Each file makes its own database, t_PID_RANDOM, with
## psql on the base URI (so that files running at once never meet), and
## every other database it asks for (new_db) is named after it, so that
## the EXIT trap drops them all, whatever subshell made them.  C
## collation and UTF-8, as in the SQLite file, so that ORDER BY sorts
## the same on both.
pg_base= pg_query= pg_prefix=
# The host's libpq settings must not reach the tests' connections (the
# URI names host, port, user and database; these would change the rest).
if [ -n "${CASEKIT_TEST_PG:-}" ]; then
	unset PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGCLIENTENCODING \
	    PGTZ PGDATESTYLE PGAPPNAME PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS
	case $CASEKIT_TEST_PG in
	*\?*) pg_query=?${CASEKIT_TEST_PG#*\?} ;;
	esac
	pg_base=${CASEKIT_TEST_PG%%\?*}
	pg_base=${pg_base%/*}
	pg_prefix=t_$$_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
fi

# shown_db: CASE_DB as casekit prints it: a server's database as
# host:port/database, without user or password.
shown_db() {
	case $CASE_DB in
	postgresql://*|postgres://*)
		s=${CASE_DB#*://}
		s=${s#*@}
		printf '%s\n' "${s%%\?*}" ;;
	*)	printf '%s\n' "$CASE_DB" ;;
	esac
}

# on_pg: true when this run is on PostgreSQL (make check-pg).
on_pg() {
	[ -n "$pg_prefix" ]
}

# is_pg DB: DB is a PostgreSQL database by the rule casekit has for
# CASE_DB and -d (a postgresql:// or postgres:// URI, or a key=value
# conninfo string: lower-case letters, _ and blanks before its first =);
# anything else is a SQLite file.  A file on PostgreSQL may still name a
# SQLite file for a check of its own.
is_pg() {
	case $1 in
	postgresql://* | postgres://*) return 0 ;;
	?*=*) ;;
	*) return 1 ;;
	esac
	case ${1%%=*} in
	*[!a-z_\ ]*) return 1 ;;
	esac
}

# pg_admin SQL: SQL on the server's maintenance database (the base URI),
# for making and dropping the tests' databases; NOTICEs kept quiet.
pg_admin() {
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -A -t \
	    -v ON_ERROR_STOP=1 -d "$CASEKIT_TEST_PG" -c "$1"
}

# pg_name NAME: the database a SQLite path NAME stands for in this file:
# t_PID_RANDOM_BASENAME, in the characters an unquoted identifier may
# have, and short enough for one (63 bytes: a long name is cut and a
# checksum of it kept).
pg_name() {
	pg_n=${1##*/}
	pg_n=$(printf '%s' "${pg_n%.db}" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9' _)
	pg_n=${pg_prefix}_$pg_n
	if [ "${#pg_n}" -gt 63 ]; then
		pg_n=$(printf '%s' "$pg_n" | cut -c1-50)_$(printf '%s' "$pg_n" |
		    cksum | cut -d' ' -f1)
	fi
	printf '%s\n' "$pg_n"
}

# pg_create NAME: a new, empty database.
pg_create() {
	pg_admin "CREATE DATABASE $1 TEMPLATE template0 ENCODING 'UTF8'
	    LC_COLLATE 'C' LC_CTYPE 'C'"
}

# pg_drop_all: drop the file's databases, connections and all; a failure
# is only reported (the test's verdict stands), on standard error.
pg_drop_all() {
	pg_admin "SELECT datname FROM pg_database
	    WHERE starts_with(datname, '$pg_prefix')" 2>&1 |
	while read -r pg_d; do
		case $pg_d in
		"$pg_prefix"*) pg_admin "DROP DATABASE IF EXISTS $pg_d WITH (FORCE)" ;;
		*) echo "# lib.sh: cannot list the databases to drop: $pg_d" ;;
		esac
	done >&2 || :
}

# db_uri NAME: the database to name for a SQLite path NAME: NAME itself,
# or on PostgreSQL the URI of its stand-in (made by new_db, not here).
db_uri() {
	if on_pg; then
		printf '%s/%s%s\n' "$pg_base" "$(pg_name "$1")" "$pg_query"
	else
		printf '%s\n' "$1"
	fi
}

# new_db NAME: a second database for the file, where a test would name
# the SQLite file NAME: NAME as it is (case-init makes it), or on
# PostgreSQL a new empty database, its URI printed.  Once per NAME:
# keep what it prints.  Never nothing, which would be ./cases.db to
# casekit: if the database cannot be made, a URI of one that is not
# there, so that the checks on it fail.
new_db() {
	if on_pg; then
		if pg_create "$(pg_name "$1")"; then
			db_uri "$1"
		else
			echo "lib.sh: new_db $1: no database made" >&2
			printf '%s/new_db_failed%s\n' "$pg_base" "$pg_query"
		fi
	else
		printf '%s\n' "$1"
	fi
}

# copy_db FROM TO: TO becomes a copy of database FROM, whatever it held:
# the file copied (its stale -wal and -shm, if any, removed), or on
# PostgreSQL TO made anew from FROM as its template (which waits a
# moment for FROM's last connections to go).  TO as db_uri names it.
copy_db() {
	if is_pg "$1"; then
		pg_f=${1%%\?*} pg_t=${2%%\?*}
		pg_admin "DROP DATABASE IF EXISTS ${pg_t##*/} WITH (FORCE)" &&
		    pg_admin "CREATE DATABASE ${pg_t##*/} TEMPLATE ${pg_f##*/}"
	else
		cp "$1" "$2" && rm -f "$2-wal" "$2-shm"
	fi
}

# The file's own database, made now; main_db remembers it for a file
# that moves CASE_DB elsewhere and back.
if on_pg; then
	pg_create "$pg_prefix" || {
		echo "lib.sh: cannot make a database on $CASEKIT_TEST_PG" >&2
		exit 2
	}
	CASE_DB=$pg_base/$pg_prefix$pg_query
fi
main_db=$CASE_DB
# db_name: how a message about the main database names it.
if on_pg; then
	db_name=$pg_prefix
else
	db_name=cases.db
fi

# sql [SQL]: SQL (or standard input) on CASE_DB, output as the sqlite3
# shell prints it: a row a line, columns separated by |, NULL empty.
# psql -A -t prints the same, except that booleans come as t and f
# (SQLite has 1 and 0) and numbers as their types print them: keep to
# SQL both engines read alike (no PRAGMA, no sqlite_master, IS DISTINCT
# FROM rather than IS NOT).  Statements run one by one, each in its own
# transaction unless it says BEGIN; the first error stops psql (exit 3)
# and fails sqlite3 (exit 1).
sql() {
	if is_pg "$CASE_DB"; then
		if [ $# -gt 0 ]; then
			printf '%s\n' "$1" | sql
		else
			psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$CASE_DB"
		fi
	else
		sqlite3 "$CASE_DB" "$@"
	fi
}

# skip REASON: one check not run here, counted as TAP's "ok N # skip".
skip() {
	ntest=$((ntest + 1))
	echo "ok $ntest # skip $1"
}

# skip_on_pg N REASON: on PostgreSQL, skip the N checks that follow and
# be true; on SQLite be false, so that
#     skip_on_pg 2 'the file mode' || { check ...; check ...; }
# runs them there.  For checks of the SQLite file itself (its mode, its
# -wal, the sqlite3 shell on it) that mean nothing on a server.
skip_on_pg() {
	on_pg || return 1
	skip_n=0
	while [ "$skip_n" -lt "$1" ]; do
		skip "SQLite only: $2"
		skip_n=$((skip_n + 1))
	done
}

# sqlite_only_file REASON: on PostgreSQL, skip the whole file (before
# plan: TAP's "1..0 # SKIP").  For files about the SQLite file alone.
sqlite_only_file() {
	on_pg || return 0
	echo "1..0 # SKIP SQLite only: $1"
	exit 0
}

# check_no_db DESC DB: database DB was not made, or nothing of it is
# left: no file DB* on SQLite; on PostgreSQL (where the database itself
# is the harness's) no table, sequence, view or schema in it.
check_no_db() {
	if is_pg "$2"; then
		check_same "$1" "$(CASE_DB=$2; sql "SELECT n.nspname || '.' ||
		    c.relname FROM pg_class c JOIN pg_namespace n
		    ON n.oid = c.relnamespace WHERE n.nspname NOT IN
		    ('pg_catalog', 'information_schema')
		    AND n.nspname NOT LIKE 'pg\_toast%'
		    UNION ALL SELECT nspname FROM pg_namespace WHERE nspname
		    NOT IN ('public', 'pg_catalog', 'information_schema')
		    AND nspname NOT LIKE 'pg\_%'" 2>&1)" ''
	else
		check_same "$1" "$(ls "$2"* 2>/dev/null)" ''
	fi
}

plan() {
	echo "1..$1"
}

ok() {
	ntest=$((ntest + 1))
	echo "ok $ntest - $1"
}

# A failure's diagnostics (the lines after it) go to standard error, as
# Test::More's diag does, so that prove shows them without -v.
not_ok() {
	ntest=$((ntest + 1))
	nfail=$((nfail + 1))
	echo "not ok $ntest - $1"
}

# check DESC CMD...: the command succeeds (exit 0).
check() {
	desc=$1
	shift
	if "$@" >"$tmp/out" 2>"$tmp/err"; then
		ok "$desc"
	else
		not_ok "$desc"
		sed 's/^/# /' "$tmp/err" >&2
	fi
}

# check_exit DESC CODE CMD...: the command exits with CODE; its stdout and
# stderr are left in $tmp/out and $tmp/err for further checks.
check_exit() {
	desc=$1
	want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc (exit $got, wanted $want)"
		sed 's/^/# /' "$tmp/err" >&2
	fi
}

# check_same DESC GOT WANT: two strings are equal; a diff if not.
check_same() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf '%s\n' "$3" >"$tmp/want"
		printf '%s\n' "$2" >"$tmp/got"
		diff -u "$tmp/want" "$tmp/got" | sed 's/^/# /' >&2
	fi
}

# wait_until CMD...: CMD again every 0.05 s until it succeeds, at most
# 200 times (10 s); false if it never did.
wait_until() {
	wait_n=0
	while [ "$wait_n" -lt 200 ]; do
		"$@" && return 0
		sleep 0.05
		wait_n=$((wait_n + 1))
	done
	return 1
}

# check_grep DESC PATTERN FILE: FILE has a line matching PATTERN.
check_grep() {
	if grep -q -e "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		echo "# no line matching: $2" >&2
		sed 's/^/# /' "$3" >&2
	fi
}

# libfaketime, where installed (Debian: faketime): writers run by at()
# see the wall clock at their effective time, so that each event records
# as written the instant it happened, as it would have in real use, and
# --as-of that instant sees it.
faketime_lib=
for f in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1
do
	if [ -r "$f" ]; then
		faketime_lib=$f
		break
	fi
done

# need_faketime N: skip the whole file (N tests planned) without it.
need_faketime() {
	if [ -z "$faketime_lib" ]; then
		echo "1..0 # SKIP libfaketime not installed (Debian: faketime)"
		exit 0
	fi
}

# at TIME CMD...: CMD at TIME (China Standard Time unless TIME carries an
# offset): its effective time, and under libfaketime its wall clock too.
at() {
	at_t=$1
	shift
	case $at_t in
	*[+-][0-9][0-9]:[0-9][0-9] | *Z) ;;
	*) at_t=$at_t+08:00 ;;
	esac
	if [ -n "$faketime_lib" ]; then
		CASE_NOW=$at_t LD_PRELOAD=$faketime_lib FAKETIME_FMT=%s \
		    FAKETIME=$(date -d "$at_t" +%s) "$@"
	else
		CASE_NOW=$at_t "$@"
	fi
}

# The schema's version now (db.c's SCHEMA_VERSION, pg.c's
# PG_SCHEMA_VERSION), which an upgraded database must reach.
schema_now=18

# undo_after V: the SQL that takes the schema steps after version V back
# out, newest first, for a test that makes an old database by hand (the
# steps before 10 it undoes itself), to come before the test's own SQL:
# a view names the columns that SQL drops.  Each new step adds its
# lines here.
undo_after() {
	[ "$1" -ge 18 ] || echo 'DROP INDEX cases_unsigned;
	    ALTER TABLE cases DROP COLUMN ack_due;'
	[ "$1" -ge 17 ] || echo 'DROP TABLE assists;'
	[ "$1" -ge 16 ] || echo 'DROP TABLE notices;
	    ALTER TABLE units DROP COLUMN email;
	    ALTER TABLE units DROP COLUMN phone;'
	[ "$1" -ge 15 ] || echo 'DROP TABLE links; DROP INDEX cases_duplicates;'
	if [ "$1" -lt 14 ]; then
		# PostgreSQL's open-case index has no title (pg.c).
		t=', title'
		! on_pg || t=
		echo "DROP INDEX cases_open_order; DROP INDEX cases_open;
		    ALTER TABLE cases DROP COLUMN priority;
		    ALTER TABLE categories DROP COLUMN priority;
		    ALTER TABLE categories DROP COLUMN urgent;
		    ALTER TABLE categories DROP COLUMN high;
		    CREATE INDEX cases_open ON cases(id, due, dispatch_due, status,
		    unit, category$t) WHERE status <> 'closed';"
	fi
	if [ "$1" -lt 13 ] && on_pg; then
		echo 'DROP INDEX cases_words; DROP INDEX events_words;'
	elif [ "$1" -lt 13 ]; then
		echo 'DROP TRIGGER cases_text_add; DROP TRIGGER cases_text_old;
		    DROP TRIGGER cases_text_new; DROP TRIGGER cases_text_gone;
		    DROP TRIGGER cases_text_note_old;
		    DROP TRIGGER cases_text_note_new;
		    DROP TABLE cases_text; DROP VIEW cases_words;'
	fi
	[ "$1" -ge 12 ] || echo 'DROP TABLE attachments; DROP TABLE blobs;'
	[ "$1" -ge 12 ] || ! on_pg || echo 'DROP AGGREGATE group_concat(text, text);
	    DROP FUNCTION casekit_concat(text, text, text);'
	[ "$1" -ge 11 ] || echo 'ALTER TABLE categories DROP COLUMN ack;
	    ALTER TABLE categories DROP COLUMN same_day;
	    ALTER TABLE events DROP COLUMN ack_due;'
	[ "$1" -ge 10 ] || echo 'DROP TABLE roster;'
}

# A database with the demo district's units and the default categories.
init_demo() {
	case-init --units "$top/data/demo-units.csv" >/dev/null
}

# Fingerprint of the whole database, to show a command changed nothing.
# On PostgreSQL pg_dump's, with each table's rows sorted (a row updated
# to the same values moves in the heap, which is no change), without
# the random \restrict key of newer pg_dumps, and ending in one newline
# as SQLite's does (tests compare "$(db_dump)" with db_dump | cksum);
# sequence positions are in it, so a refused write that used up an ID
# shows.
db_dump() {
	if is_pg "$CASE_DB"; then
		pg_dump -d "$CASE_DB" | awk '
		    /^\\(un)?restrict / { next }
		    rows && $0 == "\\." { fflush(); close("LC_ALL=C sort")
			rows = 0 }
		    rows { print | "LC_ALL=C sort"; next }
		    $0 == "" { blank++; next }
		    { while (blank) { print ""; blank-- } print }
		    /^COPY .* FROM stdin;$/ { rows = 1 }'
	else
		sqlite3 "$CASE_DB" .dump
	fi
}

# actions ID: the actions of the case's events, in order, from the export.
actions() {
	case-export --events --format tsv | awk -F'\t' -v id="$1" '
	    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    $c["case"] == id { print $c["action"] }' | paste -sd' ' -
}

# ev ID N COLUMN: a column of the case's Nth event (1-based), by name.
ev() {
	case-export --events --format tsv | awk -F'\t' -v id="$1" -v n="$2" \
	    -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    $2 == id && ++k == n { print $c[col] }'
}

done_testing() {
	[ "$nfail" -eq 0 ]
}
