#!/bin/sh
# Open work reads open cases: the lists of open cases, the overdue and
# due-soon lists and the escalation's scan are the same with thousands of
# closed cases beside them, and on SQLite each is planned on the
# open-case indexes alone (no closed case read, no sort): cases_open in
# ID order, cases_open_order in the lists' order, by priority.
. "$(dirname "$0")/lib.sh"
plan 24

init_demo
add() { case-add -q "$@"; }
# The clock is 2024-05-09T09:00+08:00.  Open work of every kind.
add --category hazard --unit xzz-dk-1 --reported 2024-05-01T10:00 \
    --due 2024-05-02T10:00 --title 过期隐患		# 1 overdue
add --category dispute --unit xzz-hp --reported 2024-05-08T09:00 \
    --due 2024-05-10T09:00 --title 邻里纠纷		# 2 due tomorrow
add --category enterprise --reported 2024-05-09T08:00 \
    --title 待派遣					# 3 reported, in time
add --category hazard --reported 2024-05-08T08:00 \
    --title 派遣超时					# 4 reported, dispatch lapsed
add --category suggestion --unit tbz-cy-1 --reported 2024-04-30T23:59 \
    --due 2024-05-15 --title 飞线充电			# 5 in time
add --category hazard --unit xzz --reported 2024-05-02T00:00 \
    --due 2024-05-03 --title 暂停件			# 6 paused
CASE_NOW=2024-05-04T00:00:00+08:00 case-pause -q --note 等待鉴定 6
add --category petition --unit bgsz-ms-1 --reported 2024-05-03T12:00 \
    --due 2024-05-06T12:00 --title 信访逾期		# 7 overdue
add --category hazard --unit xzz-dk-2 --reported 2024-05-03T08:00 \
    --due 2024-05-04 --title 已办结			# 8 closed
CASE_NOW=2024-05-03T10:00:00+08:00 case-close -q --outcome resolved 8

# lists: every list of open work, and the escalation's dry run, in one
# output.
lists() {
	for a in '' '--overdue' '--due-within 3d' '--overdue --unit xzz' \
	    '--overdue --category hazard' '--status reported' \
	    '--status paused' '--overdue --since 2024-05-02' \
	    '--due-within 1w --unit tbz' '--overdue --format json'; do
		echo "== $a"
		# shellcheck disable=SC2086
		case-list $a
	done
	case-assign --escalate --all-overdue --dry-run --note 逾期 2>&1
}
lists >"$tmp/before"
case-list --unsigned >"$tmp/unsigned"
check_grep 'the overdue list has its cases' '^1	assigned	xzz-dk-1' \
    "$tmp/before"
check_same 'the unsigned list has the cases held past their sign-for limits' \
    "$(case-list --unsigned | cut -f1 | paste -sd' ' -)" '1 5 6 7'
check_same 'the escalation would take the overdue cases, in ID order' \
    "$(case-assign --escalate --all-overdue --dry-run --note 逾期 2>&1 |
    cut -f1 | paste -sd' ' -)" '1 4 7'

# 3000 closed cases around them, overdue ones among them by their dates.
awk 'BEGIN {
	print "reported,category,unit,title,status,due,assigned,closed,outcome"
	for (i = 0; i < 3000; i++) {
		d = 1 + i % 28
		printf "2024-04-%02dT08:00,%s,xzz-dk-%d,旧案%d,closed,2024-04-%02dT20:00,2024-04-%02dT09:00,2024-05-%02dT09:00,resolved\n",
		    d, i % 2 ? "hazard" : "dispute", 1 + i % 2, i, d, d, 1 + i % 8
	}
}' >"$tmp/closed.csv"
check 'adds 3000 closed cases' case-add -q --csv "$tmp/closed.csv"
check_same 'closed now: all but the 7 open' \
    "$(sql "SELECT count(*) FROM cases WHERE status = 'closed'")" 3001
lists >"$tmp/after"
check_same 'every open-work list is the same beside the closed cases' \
    "$(diff "$tmp/before" "$tmp/after")" ''
# The cached columns' rule, over every case: what the lists must match.
check_same 'the overdue list is every running case past a deadline' \
    "$(case-list --overdue | cut -f1 | sort -n | paste -sd' ' -)" \
    "$(sql "SELECT id FROM cases WHERE status NOT IN ('closed', 'paused')
    AND (due < 1715216400 OR (status IN ('reported', 'returned')
    AND dispatch_due < 1715216400)) ORDER BY id" | paste -sd' ' -)"
check_same 'and the unsigned list' "$(case-list --unsigned)" \
    "$(cat "$tmp/unsigned")"

# --- SQLite's plans: each open-work statement (tests/opensql prints the
# SQL the programs run) reads cases through cases_open and nothing else:
# no SCAN of the table, no other index of cases (a unit's, a category's,
# a period's cases, closed ones included), no sort: case-list's through
# cases_open_order, by tier and deadline, the escalation's scan and the
# exports through cases_open, in ID order.
# plan_of ARGS: the statement's plan, the lines about cases (alias c).
plan_of() {
	sqlite3 "$CASE_DB" "EXPLAIN QUERY PLAN $("$top/tests/opensql" "$@")" |
	    grep -E '(SCAN|SEARCH) c( |$)|TEMP B-TREE' | sed 's/^[|`-]*//'
}
if on_pg; then
	n=0
	while [ $n -lt 16 ]; do
		skip 'SQLite query plans'
		n=$((n + 1))
	done
else
	check_same "covered by cases_open: -k escalate" \
	    "$(plan_of -k escalate)" 'SCAN c USING COVERING INDEX cases_open'
	check_same "the unsigned list on cases_unsigned alone: -k unsigned" \
	    "$(plan_of -k unsigned)" \
	    'SEARCH c USING COVERING INDEX cases_unsigned (ack_due>? AND ack_due<?)
USE TEMP B-TREE FOR ORDER BY'
	for a in '--overdue' '--due-within 3d' ''; do
		check_same "covered by cases_open_order: ${a:-open cases}" \
		    "$(plan_of $a)" \
		    'SCAN c USING COVERING INDEX cases_open_order'
	done
	for a in '--overdue --unit xzz' '--overdue --category hazard' \
	    '--status reported' '--overdue --since 2024-05-01 --until 2024-05-09' \
	    '--due-within 1d --grid xzz --source grid' '-k export --overdue' \
	    '-k open311 --overdue' '--status open --category hazard' \
	    '--status open --closed-since 2024-05-01'; do
		case $a in
		-k*) index=cases_open ;;
		*) index=cases_open_order ;;
		esac
		check_same "on $index alone: $a" \
		    "$(plan_of $a | sed 's/COVERING //')" \
		    "SCAN c USING INDEX $index"
	done
	# A database of schema 8 (cases_open on due) upgrades in place.
	sqlite3 "$CASE_DB" "$(undo_after 9) DROP INDEX cases_open;
	    CREATE INDEX cases_open ON cases(due) WHERE status <> 'closed';
	    PRAGMA user_version = 8"
	lists >"$tmp/upgraded"
	check_same 'a version-8 database upgrades to the current version, its index led by id' \
	    "$(sqlite3 "$CASE_DB" "PRAGMA user_version;
	    SELECT sql FROM sqlite_master WHERE name = 'cases_open'")" \
	    "$schema_now
CREATE INDEX cases_open ON cases(id, due, dispatch_due, status, unit, category, priority, closed, title) WHERE status <> 'closed'"
	check_same 'and lists as before' \
	    "$(diff "$tmp/before" "$tmp/upgraded")" ''
fi
done_testing
