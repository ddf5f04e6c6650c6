#!/bin/sh
# PostgreSQL as the store (issue 12): what only a server has.  The same
# scenario on both engines gives the same lists, figures, export and
# history chain; case-copy moves a database there and back; a server
# that cannot be reached, a wrong password, a database of someone
# else's, a newer casekit's schema and a connection lost mid-batch each
# give one clear line and exit 2 with nothing written; history cannot be
# rewritten even by the tables' owner; a reporting role given SELECT
# reads and cannot write.  Needs the scratch server of make check-pg
# (CASEKIT_TEST_PG, its base URI, from scripts/pg-scratch).
. "$(dirname "$0")/lib.sh"
if ! on_pg; then
	echo '1..0 # SKIP needs a PostgreSQL server: make check-pg runs it'
	exit 0
fi
plan 62

base=$pg_base
psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
# newdb NAME: an empty database of this file's (lib.sh drops them).
newdb() { new_db "$tmp/$1.db"; }
# The roles are the server's, not a database's: dropped here.
trap 'pg_admin "DROP ROLE IF EXISTS reader_$$" >/dev/null 2>&1
    pg_admin "DROP ROLE IF EXISTS clerk_$$" >/dev/null 2>&1; lib_cleanup' \
    EXIT INT TERM

# --- One scenario on both engines: the demo's working day, on a wall
# clock stopped at 20:00 that evening, so that each event's recorded
# time is the same on both.
[ -n "$faketime_lib" ] || { echo 'Bail out! no libfaketime'; exit 1; }
demo() {
	(cd "$tmp" && CASE_DB=$1 LD_PRELOAD=$faketime_lib FAKETIME_FMT=%s \
	    FAKETIME=$(date -d 2024-05-09T20:00:00+08:00 +%s) \
	    "$top/scripts/demo")
}
pg=$(newdb demo)
demo "$tmp/demo.db" >"$tmp/sq.out" 2>&1
check_same 'the demo runs on SQLite' "$?" 0
demo "$pg" >"$tmp/pg.out" 2>&1
check_same 'and on PostgreSQL' "$?" 0
check_same 'printing the same, but for the database name' \
    "$(grep -v '^/\|^127\.0\.0\.1:' "$tmp/pg.out")" \
    "$(grep -v '^/\|^127\.0\.0\.1:' "$tmp/sq.out")"
for cmd in 'case-list --status all' 'case-stats --by unit:street,category' \
    'case-stats --by month --format json' 'case-export' \
    'case-export --events' 'case-show 1 2 3 4 5'; do
	check_same "$cmd: the same bytes" "$(CASE_DB=$pg $cmd 2>&1)" \
	    "$(CASE_DB=$tmp/demo.db $cmd 2>&1)"
done
check_same 'the same history chain, to the last link' \
    "$(CASE_DB=$pg case-stats --verify)" \
    "$(CASE_DB=$tmp/demo.db case-stats --verify)"

# --- case-copy: SQLite to a server, and back into a new file.
to=$(newdb copy)
check 'case-copy moves a file to a server' \
    case-copy -d "$tmp/demo.db" "$to"
check_same 'quietly' "$(cat "$tmp/out" "$tmp/err")" ''
check 'and back into a new file' case-copy -d "$to" "$tmp/back.db"
check_same 'the copy exports the same' \
    "$(CASE_DB=$tmp/back.db case-export --events)" \
    "$(CASE_DB=$tmp/demo.db case-export --events)"
check_same 'and ends its chain in the same link' \
    "$(CASE_DB=$to case-stats --verify)" \
    "$(CASE_DB=$tmp/demo.db case-stats --verify)"
CASE_DB=$to case-add -q --category hazard --title 新案 --unit xzz
check_same 'a case added there gets the next ID' \
    "$(CASE_DB=$to case-list --status all | tail -1 | cut -f1)" \
    "$(($(CASE_DB=$tmp/demo.db case-list --status all | tail -1 |
    cut -f1) + 1))"
check_exit 'a copy into a database with cases is refused' 2 \
    case-copy -d "$tmp/demo.db" "$to"
check_grep 'saying so' 'holds cases' "$tmp/err"
check_exit 'a copy over an existing file is refused' 2 \
    case-copy -d "$to" "$tmp/back.db"
check_exit 'a copy within one engine is refused' 2 \
    case-copy -d "$tmp/demo.db" "$tmp/other.db"
check_same 'and makes no file' "$(ls "$tmp/other.db" 2>/dev/null)" ''

# --- Big reads: bench/gen's district, with more cases than a cursor's
# batch (FETCH_ROWS, 10000) and three times as many events, which a
# reader streams (COPY on a connection of its own, in its snapshot): the
# same figures, lists, export and chain, byte for byte, whatever the
# batches' and the network's boundaries cut.
gen=$top/bench/gen
[ -x "$gen" ] || { echo 'Bail out! no bench/gen: make check-pg builds it'
    exit 1; }
big=$(newdb big)
"$gen" -u >"$tmp/gen-units.csv"
"$gen" -c >"$tmp/gen-categories.csv"
"$gen" -n 12000 >"$tmp/gen-cases.csv"
(export CASE_NOW="$("$gen" -T)" CASE_ACTOR=bench
    case-init -d "$tmp/big.db" --units "$tmp/gen-units.csv" \
    --categories "$tmp/gen-categories.csv" >/dev/null &&
    case-add -q -d "$tmp/big.db" --csv "$tmp/gen-cases.csv" &&
    case-copy -d "$tmp/big.db" "$big")
check_same 'a district of 12000 cases, copied to a server' "$?|$(psql_q \
    "$big" -c 'SELECT count(*), count(*) > 30000 FROM cases, events
    WHERE events.case_id = cases.id')" "0|$(sqlite3 "$tmp/big.db" \
    'SELECT count(*) FROM events')|t"
for cmd in 'case-stats --by category,unit' 'case-stats --by month --format json' \
    'case-stats --by unit:street,source --since 2024-01-01 --until 2025-01-01
    --compare previous' 'case-stats --as-of 2024-06-30 --by category' \
    'case-list --status all --format tsv' 'case-list --overdue' \
    'case-export' 'case-export --events' 'case-stats --verify'; do
	check_same "$cmd, 12000 cases: the same bytes" \
	    "$(CASE_NOW=$("$gen" -T) $cmd -d "$big" 2>&1)" \
	    "$(CASE_NOW=$("$gen" -T) $cmd -d "$tmp/big.db" 2>&1)"
done

# --- Faults: one line, naming the server and the reason; exit 2.
check_exit 'a server that refuses: exit 2' 2 \
    env CASE_DB_RETRY=0 case-list -d postgresql://casekit@127.0.0.1:1/x
check_grep 'naming it and the reason' \
    '^case-list: 127.0.0.1:1/x: .*Connection refused' "$tmp/err"
psql_q "$CASEKIT_TEST_PG" -c "CREATE ROLE clerk_$$ LOGIN PASSWORD 'right'"
check_exit 'a wrong password: exit 2' 2 env CASE_DB_RETRY=0 \
    case-list -d "postgresql://clerk_$$:wrong@127.0.0.1:${base##*:}/postgres"
check_grep 'said, without the password' \
    "password authentication failed" "$tmp/err"
check_same 'which is never printed' "$(grep -c wrong "$tmp/err")" 0
other=$(newdb other)
psql_q "$other" -c 'CREATE TABLE payroll (id int)'
check_exit "case-init refuses a database of someone else's" 2 \
    case-init -d "$other"
check_grep 'as not casekit'"'"'s' 'not a casekit database' "$tmp/err"
newer=$(newdb newer)
case-init -d "$newer" >/dev/null
psql_q "$newer" -c 'UPDATE casekit_schema SET version = 99'
check_exit "and every program a newer casekit's" 2 case-list -d "$newer"
check_grep 'telling to upgrade' 'schema version 99 is newer' "$tmp/err"

# A batch whose connection is cut half-way writes nothing.
batch=$(newdb batch)
case-init -d "$batch" --units "$top/data/demo-units.csv" >/dev/null
awk 'BEGIN { print "category,title,unit"
	for (i = 0; i < 20000; i++) printf "hazard,隐患%d,xzz\n", i }' \
    >"$tmp/batch.csv"
CASE_DB=$batch case-add -q --csv "$tmp/batch.csv" >"$tmp/b.out" \
    2>"$tmp/b.err" &
pid=$!
i=0
until [ "$(psql_q "$batch" -c "SELECT count(*) FROM pg_stat_activity
    WHERE application_name = 'case-add' AND xact_start IS NOT NULL")" = 1 ] ||
    [ $i -ge 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
psql_q "$batch" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE application_name = 'case-add'" >/dev/null
wait $pid
check_same 'a batch cut off by the server: exit 2' "$?" 2
check_grep 'saying nothing was written' \
    'connection lost; nothing of this run was written' "$tmp/b.err"
check_same 'and nothing was' \
    "$(psql_q "$batch" -c 'SELECT count(*) FROM cases')" 0

# A server lost while a writer waits for its input, before its one
# transaction began: it connects again and does the work.
for i in 1 2; do
	CASE_DB=$batch case-add -q --category hazard --title 隐患 --unit xzz
done
(i=0; while [ ! -e "$tmp/go" ] && [ $i -lt 600 ]; do sleep 0.05;
    i=$((i + 1)); done; echo 2) |
    case-assign -d "$batch" --to tbz >"$tmp/r.out" 2>"$tmp/r.err" &
pid=$!
i=0
until [ "$(psql_q "$batch" -c "SELECT count(*) FROM pg_stat_activity
    WHERE application_name = 'case-assign'")" = 1 ] || [ $i -ge 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_same 'a writer waiting for its input has its connection cut' \
    "$(psql_q "$batch" -c "SELECT count(*) FROM (SELECT
    pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE application_name = 'case-assign') t")" 1
touch "$tmp/go"
wait $pid
check_same 'connects again and does its work (exit 0)' "$?|$(cat "$tmp/r.out")" \
    '0|2'
check_same 'which is there' "$(psql_q "$batch" -c \
    'SELECT unit FROM cases WHERE id = 2')" tbz

# The nightly jobs exclude each other by a lock the server holds, not
# by a file in /tmp that anyone could hold.
psql_q "$batch" -c "SELECT pg_advisory_lock(hashtext('casekit escalate.lock'))" \
    -c 'SELECT pg_sleep(30)' >/dev/null 2>&1 &
holder=$!
i=0
until [ "$(psql_q "$batch" -c "SELECT count(*) FROM pg_locks
    WHERE locktype = 'advisory' AND granted")" = 1 ] || [ $i -ge 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_exit 'case-escalate while another run holds the lock: exit 2' 2 \
    case-escalate -d "$batch" -w 0
check_grep 'saying so' 'escalate.lock: locked' "$tmp/err"
psql_q "$batch" -c "SELECT pg_terminate_backend(pid) FROM pg_locks
    WHERE locktype = 'advisory' AND granted" >/dev/null
wait $holder
check 'and runs once it is free' case-escalate -d "$batch" -w 5

# --- History is evidence, on the server too.
check_exit 'the owner cannot change an event' 1 psql_q "$pg" \
    -c "UPDATE events SET note = 'x' WHERE id = 1"
check_grep 'events are append-only' 'events are append-only' "$tmp/err"

# --- A reporting role: SELECT granted, nothing else.
psql_q "$pg" -c "CREATE ROLE reader_$$ LOGIN PASSWORD 'report'" \
    -c "GRANT USAGE ON SCHEMA public TO reader_$$" \
    -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader_$$"
rdb="postgresql://reader_$$:report@127.0.0.1:${base##*:}/${pg##*/}"
check_same 'a reporting role reads the same figures' \
    "$(case-stats -d "$rdb" --by unit:street)" \
    "$(case-stats -d "$pg" --by unit:street)"
check_exit 'and cannot add a case' 2 case-add -d "$rdb" --category hazard \
    --title 试图写入 --unit xzz
check_grep 'permission denied, said' 'permission denied' "$tmp/err"
check_exit 'nor passes a dry run' 2 case-note -n -d "$rdb" --note 试图 1
check_grep 'for the same reason' 'permission denied' "$tmp/err"

# --- A password in a URI is never printed.
pw="postgresql://clerk_$$:right@127.0.0.1:${base##*:}/${pg##*/}"
psql_q "$pg" -c "GRANT USAGE ON SCHEMA public TO clerk_$$" \
    -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO clerk_$$"
check 'case-init on a database that has the tables' case-init -d "$to"
check_same 'prints host, port and database' "$(cat "$tmp/out")" \
    "127.0.0.1:${base##*:}/${to##*/}"
check_exit 'a dry-run copy names both sides' 0 case-copy -n -d "$pw" \
    "$tmp/never.db"
check_same 'without the password' "$(grep -c right "$tmp/out")" 0
check_exit 'a connection string libpq cannot read: exit 2' 2 \
    case-list -d 'postgresql://bob:S3CRET@[::1/db'
check_same 'is not echoed' "$(grep -c S3CRET "$tmp/err")" 0
done_testing
