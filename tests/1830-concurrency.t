#!/bin/sh
# Escalation once per lapse, under any concurrency (issue 11, item 4):
# two nightly runs and a manual pipeline started together escalate each
# overdue case once; a list taken before a run, fed to case-assign
# --escalate --if-overdue after it, skips every case (exit 0, each named
# on stderr) where plain --escalate would move them a second level; an
# extension racing an escalation is never lost.  Timing decides only the
# order in which the writers take their turn, never the outcome.
. "$(dirname "$0")/lib.sh"
plan 12

n=120
# cases DB: $n hazards at the grids, reported 05-01 09:00, due 05-02
# 09:00: all overdue at lib.sh's clock (05-09 09:00).
cases() {
	CASE_DB=$1 case-init --units "$top/data/demo-units.csv" >/dev/null
	awk -v n="$n" 'BEGIN {
		print "category,title,unit,reported"
		split("xzz-dk-1 xzz-dk-2 xzz-hp-1 xzz-hp-2 tbz-cy-1 tbz-cy-2", g)
		for (i = 0; i < n; i++)
			printf "hazard,隐患%d,%s,2024-05-01T09:00\n", i + 1,
			    g[i % 6 + 1]
	}' >"$tmp/cases.csv"
	CASE_DB=$1 case-add -q --csv "$tmp/cases.csv"
}
# per_case DB ACTION: how many cases had each count of ACTION events, as
# "COUNTxCASES" pairs.
per_case() {
	CASE_DB=$1 sql "SELECT k || 'x' || count(*) FROM (SELECT c.id,
	    (SELECT count(*) FROM events e WHERE e.case_id = c.id
	    AND e.action = '$2') AS k FROM cases c) t GROUP BY k ORDER BY k" |
	    paste -sd' ' -
}

# --- Two nightly runs and a manual pipeline, all at once.
db=$(new_db "$tmp/race.db")
cases "$db"
check_same 'all overdue before' \
    "$(CASE_DB=$db case-list --overdue | wc -l | tr -d ' ')" "$n"
CASE_DB=$db case-list --overdue --format tsv >"$tmp/list"
(CASE_DB=$db case-assign --escalate --all-overdue >"$tmp/a.out" \
    2>"$tmp/a.err"; echo $? >"$tmp/a.rc") &
(CASE_DB=$db case-assign --escalate --all-overdue >"$tmp/b.out" \
    2>"$tmp/b.err"; echo $? >"$tmp/b.rc") &
(CASE_DB=$db case-assign --escalate --if-overdue <"$tmp/list" \
    >"$tmp/c.out" 2>"$tmp/c.err"; echo $? >"$tmp/c.rc") &
wait
check_same 'each run exits 0' "$(cat "$tmp/a.rc" "$tmp/b.rc" "$tmp/c.rc" |
    paste -sd' ' -)" '0 0 0'
check_same 'no run met a lock' \
    "$(cat "$tmp/a.err" "$tmp/b.err" "$tmp/c.err" | grep -ci lock)" 0
check_same 'every case escalated exactly once' \
    "$(per_case "$db" escalated)" "1x$n"
check_same 'and printed by exactly one of the runs' \
    "$(cat "$tmp/a.out" "$tmp/b.out" "$tmp/c.out" | sort -n | uniq |
	wc -l | tr -d ' ')/$(cat "$tmp/a.out" "$tmp/b.out" "$tmp/c.out" |
	wc -l | tr -d ' ')" "$n/$n"

# --- A list taken before the nightly run, fed in after it.
db=$(new_db "$tmp/late.db")
cases "$db"
CASE_DB=$db case-list --overdue --format tsv >"$tmp/list"
CASE_DB=$db case-assign -q --escalate --all-overdue
check_exit '--if-overdue after the run: exit 0' 0 \
    env CASE_DB="$db" case-assign --escalate --if-overdue <"$tmp/list"
check_same 'nothing printed, each case named on stderr as skipped' \
    "$(wc -l <"$tmp/out" | tr -d ' ')/$(grep -c ': not overdue' "$tmp/err")" \
    "0/$n"
check_same 'still one escalation each' "$(per_case "$db" escalated)" "1x$n"
# What --if-overdue prevents: plain --escalate moves them again.
plain=$(db_uri "$tmp/plain.db")
copy_db "$db" "$plain"
CASE_DB=$plain case-assign -q --escalate <"$tmp/list"
check_same 'without it, the same list escalates each case a second time' \
    "$(per_case "$plain" escalated)" "2x$n"

# --- Extensions racing the nightly run: each extension is kept, and the
# case's deadline is the one its history ends with.
db=$(new_db "$tmp/ext.db")
cases "$db"
for id in 1 2 3 4 5 6 7 8; do
	CASE_DB=$db case-assign -q --extend 20d --note 协调中 "$id" &
done
CASE_DB=$db case-assign -q --escalate --all-overdue &
wait
check_same 'every extension recorded' \
    "$(CASE_DB=$db sql "SELECT count(*) FROM events
	WHERE action = 'extended' AND case_id <= 8")" 8
check_same 'no case escalated twice' \
    "$(CASE_DB=$db sql "SELECT count(*) FROM (SELECT case_id FROM events
	WHERE action = 'escalated' GROUP BY case_id HAVING count(*) > 1) t")" 0
check_same 'each deadline is the last one its history set' \
    "$(CASE_DB=$db sql "SELECT count(*) FROM cases c WHERE c.due IS DISTINCT
	FROM (SELECT e.due FROM events e WHERE e.case_id = c.id AND e.due
	IS NOT NULL ORDER BY e.id DESC LIMIT 1)")" 0
done_testing
