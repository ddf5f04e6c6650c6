#!/bin/sh
# Load: clerks adding, a cron job assigning and closing, reports reading,
# all at once.  Nothing is locked out, nothing lost, nothing invented.
#
# 8 writers add 500 cases each (CSV batches and single adds), 4 mutators
# assign and close random cases, 2 readers export and count until the
# writers are done.  Every command logs its exit status and the IDs it
# printed under an actor name of its own, so that each event can be
# traced to the one command that wrote it.  No sleeps: processes wait
# only for each other (SQLite's busy timeout, PostgreSQL's row locks)
# and for wait(1).
# make check runs it at 60 cases a writer, make torture (CASE_TORTURE=1)
# at the full 500; CASE_LOAD_CASES, _WRITERS, _MUTATORS and _READS (the
# most exports a reader makes) scale it (make valgrind makes it small).
. "$(dirname "$0")/lib.sh"
[ -n "${CASE_TORTURE:-}" ] && : ${CASE_LOAD_CASES:=500}
: ${CASE_LOAD_WRITERS:=8} ${CASE_LOAD_CASES:=60} ${CASE_LOAD_MUTATORS:=4}
: ${CASE_LOAD_ROUNDS:=$((CASE_LOAD_CASES / 8 + 1))} ${CASE_LOAD_READS:=100000}
plan 12

W=$CASE_LOAD_WRITERS N=$CASE_LOAD_CASES M=$CASE_LOAD_MUTATORS
R=$CASE_LOAD_ROUNDS
total=$((W * N))
batch=$((N / 5))
[ "$batch" -ge 1 ] || batch=1
init_demo
start=$(date +%s)

# writer K: N cases as 4 CSV batches of N/5 rows, the rest one by one.
writer() {
	k=$1 n=0 j=0
	while [ "$n" -lt "$N" ]; do
		j=$((j + 1))
		a=w$k-$j
		if [ "$j" -le 4 ] && [ $((N - n)) -ge "$batch" ]; then
			awk -v k="$k" -v j="$j" -v b="$batch" 'BEGIN {
			    print "category,source,grid,unit,title,description"
			    for (i = 1; i <= b; i++)
				printf "hazard,grid,xzz-dk-1,%s,\"液化气罐 %d/%d/%d\"," \
				    "\"东矿社区, %d 栋\"\n", i % 3 ? "" : "xzz-dk-jws",
				    k, j, i, i }' >"$tmp/w$k.csv"
			case-add --actor "$a" --csv "$tmp/w$k.csv" \
			    >"$tmp/w$k.out" 2>>"$tmp/w$k.err"
			rc=$? m=$batch
		else
			case-add --actor "$a" --category dispute \
			    --source mediation --title "邻里纠纷 $k/$j" \
			    >"$tmp/w$k.out" 2>>"$tmp/w$k.err"
			rc=$? m=1
		fi
		echo "$a $rc" >>"$tmp/w$k.rc"
		sed "s/^/$a /" "$tmp/w$k.out" >>"$tmp/w$k.ids"
		n=$((n + m))
	done
}

# mutator K: R rounds, each assigning 4 random cases (some not there yet)
# to a random unit, then closing 2, or every fifth round reopening the
# last one it closed.  The plan is drawn
# up front from a fixed seed, so a failing run can be replayed.
mutator() {
	k=$1
	awk -v k="$k" -v r="$R" -v max="$total" 'BEGIN {
	    srand(k); split("xzz-dk-jws xzz-pcs tbz-cy tbz-hy-jws fgw", u)
	    for (i = 1; i <= r; i++) {
		printf "assign %s", u[int(rand() * 5) + 1]
		for (j = 0; j < 4; j++) printf " %d", int(rand() * max) + 1
		printf "\n"
		if (i % 5 == 0)
		    printf "reopen - %d\n", last
		else {
		    last = int(rand() * max) + 1
		    printf "close resolved %d %d\n", last, int(rand() * max) + 1
		}
	    } }' >"$tmp/m$k.plan"
	j=0
	while read -r op arg ids; do
		j=$((j + 1))
		a=m$k-$j
		case $op in
		assign) case-assign --actor "$a" --to "$arg" $ids ;;
		close) case-close --actor "$a" --outcome "$arg" $ids ;;
		reopen) case-close --actor "$a" --reopen $ids ;;
		esac >"$tmp/m$k.out" 2>>"$tmp/m$k.err"
		echo "$a $? $op" >>"$tmp/m$k.rc"
		sed "s/^/$a /" "$tmp/m$k.out" >>"$tmp/m$k.ids"
	done <"$tmp/m$k.plan"
}

# reader K: exports and stats until the writers are done (and at least
# once, at most CASE_LOAD_READS times), noting each exit status and how
# many cases each export saw.
reader() {
	k=$1 i=0
	while [ "$i" -lt "$CASE_LOAD_READS" ]; do
		i=$((i + 1))
		case-export >"$tmp/r$k.csv" 2>>"$tmp/r$k.err"
		echo "export $? $(($(wc -l <"$tmp/r$k.csv") - 1))" >>"$tmp/r$k.rc"
		case-stats --format tsv >/dev/null 2>>"$tmp/r$k.err"
		echo "stats $?" >>"$tmp/r$k.rc"
		[ -e "$tmp/writers-done" ] && break
	done
}

wpids= opids=
k=1
while [ "$k" -le "$W" ]; do
	writer "$k" &
	wpids="$wpids $!"
	k=$((k + 1))
done
k=1
while [ "$k" -le "$M" ]; do
	mutator "$k" &
	opids="$opids $!"
	k=$((k + 1))
done
reader 1 &
opids="$opids $!"
reader 2 &
opids="$opids $!"
wait $wpids
: >"$tmp/writers-done"
wait $opids
elapsed=$(($(date +%s) - start))

cat "$tmp"/*.err >"$tmp/allerr" 2>/dev/null
check_same 'no process saw "database is locked"' \
    "$(grep -c -i locked "$tmp/allerr")" 0
check_same 'every writer command exited 0' \
    "$(cat "$tmp"/w*.rc | awk '$2 != 0' | head -5)" ''
check_same 'mutators exited 0 or 1 (some IDs refused), never 2' \
    "$(cat "$tmp"/m*.rc | awk '$2 != 0 && $2 != 1' | head -5)" ''
check_same 'refusals are only missing, closed or open cases' \
    "$(grep -v -E ': [0-9]+: (no such case|case is closed|case is not closed)$' \
    "$tmp/allerr" | head -5)" ''
check_same 'readers always exited 0' \
    "$(cat "$tmp"/r*.rc | awk '$2 != 0' | head -5)" ''
check_same 'each reader saw the case count only grow' \
    "$(for k in 1 2; do awk '$1 == "export" && $3 < last { print FILENAME,
    NR, $3, last } $1 == "export" { last = $3 }' "$tmp/r$k.rc"; done)" ''

# The IDs the writers printed, against the cases table.
cat "$tmp"/w*.ids >"$tmp/wids"
check_same "writers printed $total IDs" "$(wc -l <"$tmp/wids")" "$total"
check_same 'each ID once, and the cases table holds exactly those' \
    "$(cut -d' ' -f2 "$tmp/wids" | sort -n | uniq)" \
    "$(sql 'SELECT id FROM cases ORDER BY id')"

# Every event against the command (actor) that wrote it: each case it
# names was printed by that command, and each ID a writer or closer
# printed has its event.
sql 'SELECT DISTINCT actor, case_id FROM events' | tr '|' ' ' | sort >"$tmp/ev"
cat "$tmp"/w*.ids "$tmp"/m*.ids 2>/dev/null | sort -u >"$tmp/printed"
check_same 'every event was written by a command that printed its ID' \
    "$(comm -23 "$tmp/ev" "$tmp/printed" | head -5)" ''
cat "$tmp"/m*.rc | awk '$3 != "assign" { print $1 }' >"$tmp/closers"
check_same 'every ID an add, close or reopen printed has its event' \
    "$(awk 'NR == FNR { c[$1] = 1; next } $1 ~ /^w/ || $1 in c' \
    "$tmp/closers" "$tmp/printed" | comm -23 - "$tmp/ev" | head -5)" ''
check_same "one reported event per case" \
    "$(sql "SELECT count(*), count(DISTINCT case_id) FROM
    events WHERE action = 'reported'")" "$total|$total"
skip_on_pg 1 "SQLite's integrity_check" ||
    check_same 'integrity_check ok' \
    "$(sqlite3 "$CASE_DB" 'PRAGMA integrity_check; PRAGMA foreign_key_check')" \
    ok

# The figures, for the record.
ncmd=$(cat "$tmp"/w*.rc | wc -l)
nbatch=$(cut -d' ' -f1 "$tmp/wids" | uniq -c | awk '$1 > 1' | wc -l)
echo "# writers: $W x $N cases = $total, in $ncmd commands ($nbatch CSV" \
    "batches of $batch, the rest single adds)"
echo "# mutators: $M x $R rounds = $(cat "$tmp"/m*.rc | wc -l) commands" \
    "($(cat "$tmp"/m*.rc | awk '$2 == 0' | wc -l) exit 0," \
    "$(cat "$tmp"/m*.rc | awk '$2 == 1' | wc -l) exit 1)," \
    "$(wc -l <"$tmp/allerr") IDs refused"
echo "# readers: $(cat "$tmp"/r*.rc | grep -c '^export') exports," \
    "$(cat "$tmp"/r*.rc | grep -c '^stats') stats runs"
echo "# events: $(sql "SELECT action || ' ' || count(*) FROM events
    GROUP BY action ORDER BY action" | paste -sd, - | sed 's/,/, /g')"
echo "# elapsed: ${elapsed}s (informational)"
done_testing
