# tests/lib.sh - a tiny TAP library for the shell tests (after mblaze's t/lib.sh)
#
# Each test file sources this, calls plan N, then check/check_same/... .
# Every file gets a fresh database in a temporary directory, a fixed
# clock, zone, actor and locale, so that results never depend on the host.

set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/casekit-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
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

plan() {
	echo "1..$1"
}

ok() {
	ntest=$((ntest + 1))
	echo "ok $ntest - $1"
}

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
		sed 's/^/# /' "$tmp/err"
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
		sed 's/^/# /' "$tmp/err"
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
		diff -u "$tmp/want" "$tmp/got" | sed 's/^/# /'
	fi
}

# check_grep DESC PATTERN FILE: FILE has a line matching PATTERN.
check_grep() {
	if grep -q -e "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		echo "# no line matching: $2"
		sed 's/^/# /' "$3"
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

# A database with the demo district's units and the default categories.
init_demo() {
	case-init --units "$top/data/demo-units.csv" >/dev/null
}

# Fingerprint of the whole database, to show a command changed nothing.
db_dump() {
	sqlite3 "$CASE_DB" .dump
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
