#!/bin/sh
# Crashes: a large case-add --csv import and a batch case-assign are
# killed with SIGKILL, at random moments and at exact system calls of
# the transaction (each WAL write and sync, the commit, the checkpoint),
# many times.  After each kill the database must be either exactly as
# before the command or exactly as after it, never between, and must
# pass integrity_check; a read-only reader must open it straight away.
#
# Only make torture runs it (CASE_TORTURE=1): it takes about a minute.
# The exact kills need strace(1); without it only the timed kills run.
. "$(dirname "$0")/lib.sh"
sqlite_only_file 'kills at the WAL writes and syncs of the SQLite file'
if [ -z "${CASE_TORTURE:-}" ]; then
	echo "1..0 # SKIP run by make torture (CASE_TORTURE=1)"
	exit 0
fi
: ${CASE_CRASH_ROWS:=20000} ${CASE_CRASH_CASES:=3000}
: ${CASE_CRASH_TIMED:=25} ${CASE_CRASH_SEED:=1420}
plan 9

have_strace=0
command -v strace >/dev/null 2>&1 && have_strace=1
seed=$CASE_CRASH_SEED
kills=0

# state: cases, events, cases at fgw, integrity, one line.
state() {
	sqlite3 "$CASE_DB" "SELECT count(*) FROM cases; SELECT count(*) FROM
	    events; SELECT count(*) FROM cases WHERE unit = 'fgw';
	    PRAGMA integrity_check" | tr '\n' ' '
}

# rand K N: the Kth pseudo-random integer in 1..N of this run's seed.
rand() {
	awk -v s="$((seed + $1))" -v n="$2" \
	    'BEGIN { srand(s); print int(rand() * n) + 1 }'
}

# ms CMD...: how long CMD takes, in milliseconds (only to spread the
# timed kills over the command's run; nothing is asserted on it).
ms() {
	t0=$(date +%s%N)
	"$@"
	echo $((($(date +%s%N) - t0) / 1000000))
}

# points CMD...: the exact kill points of CMD, as "syscall N" lines: every
# fdatasync, fsync and ftruncate, and the pwrite64 calls on each side of
# every sync (the last frame before a commit, the first page of a
# checkpoint), plus a few more pwrite64 calls at random.
points() {
	strace -qq -o "$tmp/trace" -e trace=pwrite64,fdatasync,fsync,ftruncate \
	    "$@" >/dev/null
	awk -v s="$seed" '{ sub(/\(.*/, "") }
	    $1 == "pwrite64" { w++; next }
	    { n[$1]++; print $1, n[$1]; if (w) print "pwrite64", w
	      print "pwrite64", w + 1 }
	    END { srand(s); print "pwrite64", 1
	      for (i = 0; i < 10; i++) print "pwrite64", int(rand() * w) + 1 }' \
	    "$tmp/trace" | awk '$1 != "pwrite64" || $2 <= '"$(grep -c '^pwrite64' \
	    "$tmp/trace")" | sort -u
}

# calls: the kill points by system call, for the record.
calls() {
	awk '{ n[$1]++ } END { for (s in n) { printf "%s%s x%d", sep, s, n[s]
	    sep = ", " } }' "$tmp/points"
}

# verdict WHERE: compares the state with $before and $after, counts the
# kill in nb (before), na (after) or nt (torn, noted in $tmp/bad).
verdict() {
	kills=$((kills + 1))
	now=$(state)
	if [ "$now" = "$before" ]; then
		v=before nb=$((nb + 1))
	elif [ "$now" = "$after" ]; then
		v=after na=$((na + 1))
	else
		v=torn nt=$((nt + 1))
		echo "killed at $1: $now" >>"$tmp/bad"
	fi
}

# secs MS: milliseconds as seconds for timeout(1).
secs() {
	awk -v d="$1" 'BEGIN { printf "%.3f", d / 1000 }'
}

# snapshot FILE: a copy of the quiescent database, its log folded in.
snapshot() {
	sqlite3 "$CASE_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	cp "$CASE_DB" "$1"
}

# reader: a casekit reader opens the crashed database at once.
reader() {
	case-stats --format tsv >/dev/null 2>>"$tmp/reader.err" ||
	    echo "reader failed after kill $kills" >>"$tmp/bad"
}

init_demo
: >"$tmp/bad"

## The import: CASE_CRASH_ROWS rows into a database with a few cases.
awk -v n="$CASE_CRASH_ROWS" 'BEGIN {
    print "category,source,grid,unit,title,description"
    for (i = 1; i <= n; i++)
	printf "hazard,grid,xzz-dk-1,%s,\"液化气罐 %d\",\"东矿社区 楼下堆放" \
	    "十余个液化气罐, 无安全措施 %d\"\n", i % 4 ? "" : "xzz-dk-jws", i, i
    }' >"$tmp/big.csv"
case-add -q --category dispute --title 邻里纠纷
case-add -q --category hazard --title 液化气罐 --unit xzz-dk-jws
snapshot "$tmp/pristine"
before=$(state)
t=$(ms case-add -q --csv "$tmp/big.csv")
after=$(state)
check_same "the import adds $CASE_CRASH_ROWS cases" \
    "$(echo "$after" | cut -d' ' -f1)" $((CASE_CRASH_ROWS + 2))
restore() {
	cp "$tmp/pristine" "$CASE_DB"
	rm -f "$CASE_DB-wal" "$CASE_DB-shm"
}

nb=0 na=0 nt=0
i=0
while [ "$i" -lt "$CASE_CRASH_TIMED" ]; do
	i=$((i + 1))
	restore
	d=$(rand "$i" $((t * 13 / 10 + 1)))
	# (In a subshell, so that no "Killed" notice reaches the output.)
	(timeout -s KILL "$(secs "$d")" case-add -q --csv "$tmp/big.csv" || :) \
	    2>/dev/null
	reader
	verdict "import ${d}ms"
done
echo "# import of $CASE_CRASH_ROWS rows (${t}ms unkilled): $i timed kills," \
    "$nb before, $na after, $nt torn"
check_same 'timed kills of the import: never torn, readable at once' \
    "$(cat "$tmp/bad")" ''

nb=0 na=0 nt=0 np=0
if [ "$have_strace" -eq 1 ]; then
	restore
	points case-add -q --csv "$tmp/big.csv" >"$tmp/points"
	while read -r sc n; do
		np=$((np + 1))
		restore
		(strace -qq -o /dev/null -e trace="$sc" \
		    -e inject="$sc":signal=KILL:when="$n" \
		    case-add -q --csv "$tmp/big.csv" || :) 2>/dev/null
		reader
		verdict "import $sc $n"
	done <"$tmp/points"
	echo "# import killed at $np exact system calls ($(calls)):" \
	    "$nb before, $na after, $nt torn"
	check_same 'exact kills of the import: never torn' "$(cat "$tmp/bad")" ''
	check 'some exact kills land before the commit, some after' \
	    [ "$nb" -gt 0 -a "$na" -gt 0 ]
else
	echo "# strace not found: exact kills skipped"
	ok '# SKIP strace not installed'
	ok '# SKIP strace not installed'
fi

## The batch assignment: every case from one unit to another (xzz-pcs
## and fgw in turn), its IDs on standard input.
restore
awk -v n="$CASE_CRASH_CASES" 'BEGIN { print "category,unit,title"
    for (i = 1; i <= n; i++) printf "dispute,xzz-pcs,纠纷 %d\n", i }' |
    case-add -q --csv -
case-list --status all | cut -f1 >"$tmp/ids"
n=$(wc -l <"$tmp/ids")
before=$(state)
snapshot "$tmp/pristine"
t=$(ms case-assign -q --to fgw <"$tmp/ids")
after=$(state)
check_same "the batch moves all $n cases" \
    "$(echo "$after" | cut -d' ' -f3)" "$n"
restore

# One kill of the batch; unless it was before, start again from before.
assign_kill() {
	verdict "$1"
	[ "$v" = before ] || restore
}
nb=0 na=0 nt=0
i=0
while [ "$i" -lt "$CASE_CRASH_TIMED" ]; do
	i=$((i + 1))
	d=$(rand $((i + 1000)) $((t * 13 / 10 + 1)))
	(timeout -s KILL "$(secs "$d")" case-assign -q --to fgw \
	    <"$tmp/ids" || :) 2>/dev/null
	reader
	assign_kill "assign ${d}ms"
done
echo "# batch case-assign of $n cases (${t}ms unkilled): $i timed kills," \
    "$nb before, $na after, $nt torn"
check_same 'timed kills of the batch: never torn, readable at once' \
    "$(cat "$tmp/bad")" ''

nb=0 na=0 nt=0 np=0
if [ "$have_strace" -eq 1 ]; then
	points case-assign -q --to fgw <"$tmp/ids" >"$tmp/points"
	restore
	while read -r sc k; do
		np=$((np + 1))
		(strace -qq -o /dev/null -e trace="$sc" \
		    -e inject="$sc":signal=KILL:when="$k" \
		    case-assign -q --to fgw <"$tmp/ids" || :) 2>/dev/null
		reader
		assign_kill "assign $sc $k"
	done <"$tmp/points"
	echo "# batch killed at $np exact system calls ($(calls)):" \
	    "$nb before, $na after, $nt torn"
	check_same 'exact kills of the batch: never torn' "$(cat "$tmp/bad")" ''
	check 'some exact kills land before the commit, some after' \
	    [ "$nb" -gt 0 -a "$na" -gt 0 ]
else
	ok '# SKIP strace not installed'
	ok '# SKIP strace not installed'
fi
check_same 'the reader never failed' "$(cat "$tmp/reader.err" 2>/dev/null)" ''
echo "# kills in all: $kills"
done_testing
