#!/bin/sh
# The failover drill: a three-node PostgreSQL cluster on loopback
# (scripts/pg-cluster: pg_auto_failover, a monitor and three data nodes),
# three writers adding cases through the formation's multi-host URI
# (target_session_attrs=read-write), the primary killed with SIGKILL, a
# standby promoted, the writers carrying on.  Afterwards, read back with
# casekit's own programs: every case a writer was told was added (exit 0,
# an ID printed) is there once, under that ID; nothing is there twice;
# an attempt that failed is not there, unless its message said the outcome
# was unknown; the writers added cases on the new primary; case-stats
# counts what the writers' records account for; the history chain holds.
# While they write, the old primary, restarted, rejoins as a standby, and
# a planned switchover moves the primary again, which no writer may fail
# on but for a transaction cut short; in the end every node serves the
# same export.  Every wait is bounded.  Needs pg_auto_failover (Debian:
# postgresql-15-auto-failover, pg-auto-failover-cli): make check-cluster.
# The measured times go to standard error, "# drill: ..." lines.

# Whatever mode tests/lib.sh may have for the suite, this file makes its
# own server: no base URI from outside.
unset CASEKIT_TEST_PG
. "$(dirname "$0")/../lib.sh"
# lib.sh finds the tree from tests/; this file is a level below.
top=$(cd "$(dirname "$0")/../.." && pwd)
data=$top/tests/data
export CASEKIT_LOCALEDIR="$top/build/locale"
cluster=$top/scripts/pg-cluster

if ! command -v pg_autoctl >/dev/null 2>&1 ||
    ! ls /usr/lib/postgresql/*/lib/pgautofailover.so >/dev/null 2>&1; then
	echo '1..0 # SKIP needs pg_auto_failover (Debian:' \
	    'postgresql-15-auto-failover, pg-auto-failover-cli)'
	exit 0
fi
for p in psql timeout; do
	command -v $p >/dev/null 2>&1 || {
		echo "1..0 # SKIP needs $p"
		exit 0
	}
done
plan 26

# How many attempts a writer makes at most, and the acknowledged cases
# each must see before the kill and after the new primary is reported.
max=3000
before=8
after=8
# Each case-add is bounded: its own retries (CASE_DB_RETRY) and timeout(1).
export CASE_DB_RETRY=30
unset PGSERVICE PGOPTIONS PGTARGETSESSIONATTRS PGCONNECT_TIMEOUT PGHOST \
    PGPORT PGUSER PGDATABASE PGPASSWORD

now() { date +%s.%N; }
# since T0 [T1]: seconds from T0 to T1 (now), to a tenth.
since() { awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "# drill: $*" >&2; }

# The cluster in a directory of its own, which its user (postgres, as
# root) must reach: not under $tmp (mode 700).  Stopped whatever happens.
cdir=$(mktemp -d "${TMPDIR:-/tmp}/casekit-cluster.XXXXXX") || exit 2
wpids=
# failures: each failed attempt, with its message, on standard error.
failures() {
	awk -F'\t' '$2 != 0 { print "# drill: failed: " $1 " exit " $2 ": " $6 }' \
	    "$tmp/attempts" >&2
}
finish() {
	touch "$tmp/stop" 2>/dev/null
	for p in $wpids; do
		kill "$p" 2>/dev/null
	done
	if [ -f "$cdir/pg-cluster" ]; then
		# A failed drill shows what the nodes said last (on standard
		# error, which prove shows).
		if [ "$nfail" -gt 0 ]; then
			for f in "$cdir"/*/log; do
				echo "# --- $f"
				tail -n 25 "$f" | sed 's/^/# /'
			done >&2
			# Last, where the tail of a long log still shows them.
			[ ! -f "$tmp/attempts" ] || failures
		fi
		"$cluster" stop "$cdir" >&2 || say "pg-cluster stop failed"
	else
		rm -rf "$cdir"
	fi
	# lib.sh's own clean-up, where it has one by that name.
	if command -v lib_cleanup >/dev/null 2>&1; then
		lib_cleanup
	else
		rm -rf "$tmp"
	fi
}
trap finish EXIT
trap 'exit 2' HUP INT TERM

# wait_until SECONDS CMD...: until CMD succeeds, at most SECONDS.
wait_until() {
	wu_end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$wu_end" ] || return 1
		sleep 0.2
	done
}

t_start=$(now)
if uri0=$("$cluster" -t 120 start "$cdir" 2>"$tmp/err"); then
	ok 'a monitor and three nodes start, one primary, two secondaries'
else
	not_ok 'a monitor and three nodes start, one primary, two secondaries'
	sed 's/^/# /' "$tmp/err"
	echo 'Bail out! no cluster'
	exit 1
fi
say "cluster start: $(since "$t_start") s"
uri=$(printf '%s\n' "$uri0" | sed 's|/postgres?|/drill?|')
# Every program is given -d; nothing may fall back to lib.sh's file.
export CASE_DB="$uri"
psql -X -q -v ON_ERROR_STOP=1 "$uri0" -c "CREATE DATABASE drill
    TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" \
    >"$tmp/out" 2>"$tmp/err"
check_same 'a database for the drill' "$?" 0
check 'case-init makes the schema there, with the demo units' \
    case-init -d "$uri" --units "$top/data/demo-units.csv"

# writer W: case-add, title wW-NNNN, until told to stop or max attempts;
# each attempt logged as: title, exit, ID printed, start, end, stderr
# (its lines joined), the number of its lines.
writer() {
	w=$1
	i=0
	while [ ! -f "$tmp/stop" ] && [ "$i" -lt "$max" ]; do
		i=$((i + 1))
		title=$(printf 'w%d-%04d' "$w" "$i")
		t0=$(now)
		id=$(timeout -k 5 60 case-add -d "$uri" --category hazard \
		    --source hotline --title "$title" 2>"$tmp/w$w.err")
		rc=$?
		t1=$(now)
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$title" "$rc" \
		    "$(printf '%s' "$id" | tr '\n\t' '  ')" "$t0" "$t1" \
		    "$(tr '\n\t' '  ' <"$tmp/w$w.err")" \
		    "$(wc -l <"$tmp/w$w.err")" >>"$tmp/w$w.log"
	done
}
for w in 1 2 3; do
	: >"$tmp/w$w.log"
	writer "$w" &
	wpids="$wpids $!"
done

# acks_since T N: each writer has N acknowledged cases whose case-add
# started at T or later.
acks_since() {
	for w in 1 2 3; do
		[ "$(awk -F'\t' -v t="$1" '$2 == 0 && $4 >= t' "$tmp/w$w.log" |
		    wc -l)" -ge "$2" ] || return 1
	done
}
if wait_until 60 acks_since 0 "$before"; then
	ok "each writer has $before cases acknowledged before the kill"
else
	not_ok "each writer has $before cases acknowledged before the kill"
	tail -n 3 "$tmp"/w?.log | sed 's/^/# /'
fi

old=$("$cluster" primary "$cdir" 2>"$tmp/err")
old_name=$(printf '%s\n' "$old" | cut -f1)
old_addr=$(printf '%s\n' "$old" | cut -f2)
t_kill=$(now)
check 'the primary killed with SIGKILL, all its processes' \
    "$cluster" kill-primary "$cdir"
t_dead=$(now)
new=$("$cluster" -t 60 wait-primary "$cdir" 2>"$tmp/err")
t_new=$(now)
new_name=$(printf '%s\n' "$new" | cut -f1)
if [ -n "$new_name" ] && [ "$new_name" != "$old_name" ]; then
	ok "a standby promoted: $old_name was primary, $new_name is"
else
	not_ok "a standby promoted: $old_name was primary, ${new_name:-none} is"
	sed 's/^/# /' "$tmp/err"
fi
say "$old_name killed; $new_name reported primary after" \
    "$(since "$t_kill" "$t_new") s"

if wait_until 60 acks_since "$t_new" "$after"; then
	ok "each writer has $after cases acknowledged on the new primary"
else
	not_ok "each writer has $after cases acknowledged on the new primary"
	tail -n 3 "$tmp"/w?.log | sed 's/^/# /'
fi

# The old primary, restarted, rejoins as a standby, the writers writing.
t_rejoin=$(now)
if "$cluster" -t 60 rejoin "$cdir" 2>"$tmp/err" &&
    [ "$(psql -X -A -t "postgresql://postgres@$old_addr/postgres" \
    -c 'SELECT pg_is_in_recovery()' 2>&1)" = t ]; then
	ok "the old primary ($old_name) rejoins as a standby"
else
	not_ok "the old primary ($old_name) rejoins as a standby"
	sed 's/^/# /' "$tmp/err"
fi
say "rejoin: $(since "$t_rejoin") s"

# A planned switchover: for a moment every node is read-only, and the
# writers, still writing, wait for the next primary (no one fails to
# connect: see the check on the failures' messages below).
t_sw=$(now)
sw=$("$cluster" -t 60 switchover "$cdir" 2>"$tmp/err")
t_sw_done=$(now)
sw_name=$(printf '%s\n' "$sw" | cut -f1)
if [ -n "$sw_name" ] && [ "$sw_name" != "$new_name" ]; then
	ok "a switchover: $new_name was primary, $sw_name is"
else
	not_ok "a switchover: $new_name was primary, ${sw_name:-none} is"
	sed 's/^/# /' "$tmp/err"
fi
say "switchover: $(since "$t_sw" "$t_sw_done") s"
if wait_until 60 acks_since "$t_sw_done" "$after"; then
	ok "each writer has $after cases acknowledged after the switchover"
else
	not_ok "each writer has $after cases acknowledged after the switchover"
	tail -n 3 "$tmp"/w?.log | sed 's/^/# /'
fi

# Stop the writers: each finishes its attempt (at most timeout's 65 s).
touch "$tmp/stop"
writers_done() {
	for p in $wpids; do
		! kill -0 "$p" 2>/dev/null || return 1
	done
}
if wait_until 90 writers_done; then
	ok 'the writers stop when told'
else
	not_ok 'the writers stop when told'
	for p in $wpids; do
		kill "$p" 2>/dev/null
	done
fi
wpids=
cat "$tmp"/w?.log >"$tmp/attempts"

# Time from the kill to the first case-add acknowledged after the old
# primary's processes were gone (which could only have reached the new
# primary).
first=$(awk -F'\t' -v t="$t_dead" '$2 == 0 && $5 > t && (m == "" || $5 < m) {
    m = $5 } END { print m }' "$tmp/attempts")
say "kill to first write on the new primary:" \
    "$(since "$t_kill" "${first:-$t_kill}") s"
say "attempts: $(wc -l <"$tmp/attempts"), acknowledged:" \
    "$(awk -F'\t' '$2 == 0' "$tmp/attempts" | wc -l), failed:" \
    "$(awk -F'\t' '$2 != 0' "$tmp/attempts" | wc -l)"
failures

check_same 'no case-add ran into timeout(1)' \
    "$(awk -F'\t' '$2 == 124 || $2 == 137' "$tmp/attempts")" ''
check_same 'every failed case-add exited 2 with one line' \
    "$(awk -F'\t' '$2 != 0 && ($2 != 2 || $7 != 1)' \
    "$tmp/attempts")" ''
# A failover or switchover may cost a case-add its connection: while
# connecting, or inside its transaction, it is tried again, the whole
# run made again (CASE_DB_RETRY), until a primary answers; only a
# connection lost while committing leaves it in doubt, and it says so.
check_same 'every failure is a connection lost at commit, in doubt' \
    "$(awk -F'\t' '$2 != 0 && $6 !~ /: connection lost at commit/' \
    "$tmp/attempts")" ''

# The same without timing's help: given only the standbys, a writer
# waits CASE_DB_RETRY seconds for one of them to become primary before
# it gives up, as it does when a node refuses.
sw_addr=$(printf '%s\n' "$sw" | cut -f2)
standbys=$(printf '%s\n' "$uri0" | sed 's|^postgresql://[^@]*@||; s|/.*||' |
    tr , '\n' | grep -v -x -F "${sw_addr:-none}" | paste -sd, -)
t0=$(now)
CASE_DB_RETRY=2 case-add -d \
    "postgresql://postgres@$standbys/drill?target_session_attrs=read-write" \
    --category hazard --source hotline --title probe >"$tmp/out" 2>"$tmp/err"
rc=$?
check_same 'every node read-only: tried again for CASE_DB_RETRY, then exit 2' \
    "$rc $(awk -v a="$t0" -v b="$(now)" 'BEGIN { print (b - a >= 1.9) }')" \
    '2 1'
# What the database holds, read back by casekit: ID and title, by the
# export's column names.
case-export -d "$uri" --format tsv >"$tmp/export" 2>"$tmp/err"
check_same 'case-export reads the database back' "$?" 0
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print $c["id"] "\t" $c["title"] }' "$tmp/export" >"$tmp/db"
check_same 'it lists the same cases as case-list --status all' \
    "$(case-list -d "$uri" --status all | cut -f1 | sort -n)" \
    "$(cut -f1 "$tmp/db" | sort -n)"

# Each acknowledged title: in the database once, under the ID it printed.
check_same 'every acknowledged case is there once, with the ID printed' \
    "$(awk -F'\t' 'NR == FNR { n[$2]++; id[$2] = $1; next }
    $2 == 0 && (n[$1] != 1 || id[$1] != $3) {
	print $1 ": printed ID " $3 ", found " n[$1] + 0 " time(s), ID " id[$1]
    }' "$tmp/db" "$tmp/attempts")" ''
check_same 'no title twice' "$(cut -f2 "$tmp/db" | sort | uniq -d)" ''
check_same 'no ID twice among the acknowledged' \
    "$(awk -F'\t' '$2 == 0 { print $3 }' "$tmp/attempts" | sort | uniq -d)" ''
check_same 'nothing there that no writer tried' \
    "$(awk -F'\t' 'NR == FNR { t[$1] = 1; next } !($2 in t)' \
    "$tmp/attempts" "$tmp/db")" ''
# A failed attempt: absent, unless its message said the outcome is unknown.
check_same 'a failed case-add left nothing, unless it said it could not know' \
    "$(awk -F'\t' 'NR == FNR { n[$2]++; next }
    $2 != 0 && n[$1] > 0 && $6 !~ /is unknown/ {
	print $1 ": exit " $2 ", yet there: " $6 }' "$tmp/db" "$tmp/attempts")" ''

# The figures: received over all time (and registered, open) equal the
# cases the writers' records account for: acknowledged, and in doubt but
# there.
want=$(awk -F'\t' 'NR == FNR { n[$2]++; next }
    $2 == 0 || ($6 ~ /is unknown/ && n[$1] > 0) { k++ } END { print k + 0 }' \
    "$tmp/db" "$tmp/attempts")
say "in doubt: $(awk -F'\t' '$2 != 0 && $6 ~ /is unknown/' "$tmp/attempts" |
    wc -l), of them there: $((want - $(awk -F'\t' '$2 == 0' "$tmp/attempts" |
    wc -l)))"
check_same 'case-stats: received, registered, open as the writers account' \
    "$(case-stats -d "$uri" --format tsv | awk -F'\t' '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print $c["received"], $c["registered"], $c["open"] }')" \
    "$want $want $want"
check_same 'psql agrees: rows and distinct titles' \
    "$(psql -X -A -t "$uri" -c 'SELECT count(*), count(DISTINCT title)
    FROM cases' 2>&1)" "$want|$want"
check 'the history chain verifies' case-stats -d "$uri" --verify

# Every node, the old primary among them, serves the same export once
# it has replayed the last commit.
same_exports() {
	for a in $(printf '%s\n' "$uri0" | sed 's|^postgresql://[^@]*@||;
	    s|/.*||; s|,| |g'); do
		case-export -d "postgresql://postgres@$a/drill" --format tsv \
		    >"$tmp/export2" 2>&1 && cmp -s "$tmp/export" "$tmp/export2" ||
		    return 1
	done
}
if wait_until 20 same_exports; then
	ok 'every node serves the same export'
else
	not_ok 'every node serves the same export'
	diff "$tmp/export" "$tmp/export2" | head -n 5 | sed 's/^/# /'
fi
say "total: $(since "$t_start") s"
done_testing
