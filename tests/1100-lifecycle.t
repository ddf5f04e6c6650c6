#!/bin/sh
# The lifecycle: reported -> assigned -> handled -> closed, rework, return,
# pause and resume, extension, closing with skipped steps, duplicates,
# rejection at intake, follow-up visits, notes, corrections, --dry-run,
# -q, -h and --version of the programs that write.
. "$(dirname "$0")/lib.sh"
plan 194

user=$(id -un)
case-init --units "$top/data/demo-units.csv" \
    --categories "$data/lc-categories.csv" >/dev/null
# lc-categories.csv: hazard 24h (dispatch 2h), enterprise 3wd (2h),
# dispute 7d, legal-aid 1wd, petition 13wd (1wd), suggestion 5wd.

# Writers run by lib.sh's at: the clock at TIME (China Standard Time),
# the wall clock too, so the history shows no entry written after it.
# show TIME ID: case-show at TIME into $tmp/show.
show() {
	at "$1" case-show "$2" >"$tmp/show"
}
# fld LABEL: a field of the last case-show, as in "label    value".
fld() {
	awk -v l="$1" 'index($0, l " ") == 1 && !done {
		sub("^" l " +", ""); print; done = 1 }' "$tmp/show"
}
# col ID N: column N of the case's case-list TSV line (2 status, 3 unit,
# 4 due).
col() {
	case-list --status all --format tsv |
	    awk -F'\t' -v id="$1" -v n="$2" '$1 == id { print $n }'
}
# row ID: the case's whole row in the database, to show nothing changed.
row() {
	sql "SELECT * FROM cases WHERE id = $1"
}

# --- A full loop: reported, assigned twice, handled, reworked, returned,
# assigned again, handled, closed.  Enterprise: 3wd, dispatch 2h; from
# Wed 2024-09-25 10:00 the deadline is Sun 29 Sep (Thu 26 (1), Fri 27
# (2), Sun 29 a make-up working day (3)) and the dispatch limit 12:00.
a=$(at 2024-09-25T10:00:00 case-add --category enterprise --source wechat \
    --reporter 某某新材料有限公司 --title 投资奖励未兑现)
show 2024-09-25T10:00:00 "$a"
check_same 'a new case is reported' "$(fld status)" reported
check_same 'its dispatch clock runs against the dispatch limit' \
    "$(fld dispatch)" '0.0h running (limit 2024-09-25T12:00:00+08:00)'
check_same 'its resolution clock has not started' "$(fld resolution)" \
    'not started'
check_exit 'case-handle refuses a reported case' 1 \
    at 2024-09-25T10:10:00 case-handle "$a"
check_same 'naming it' "$(cat "$tmp/err")" \
    "case-handle: $a: case is not assigned"
at 2024-09-25T10:30:00 case-assign -q --to xzz-dk "$a"
at 2024-09-25T11:00:00 case-assign -q --to xzz-dk-1 "$a"
show 2024-09-25T11:00:00 "$a"
check_same 'assigned' "$(fld status)" assigned
check_same 'the dispatch clock stopped at the first assignment, in time' \
    "$(fld dispatch)" '0.5h met (limit 2024-09-25T12:00:00+08:00)'
check_same 'the resolution clock runs from it' "$(fld resolution)" \
    '0.5h running (limit 2024-09-29T23:59:59+08:00)'
check_exit 'case-rework refuses an assigned case' 1 \
    at 2024-09-25T11:30:00 case-rework "$a"
check_same 'naming it' "$(cat "$tmp/err")" \
    "case-rework: $a: case is not handled"
check_exit 'case-handle an assigned case' 0 \
    at 2024-09-25T12:00:00 case-handle --note 已约谈 "$a"
check_same 'passes its ID through' "$(cat "$tmp/out")" "$a"
check_same 'handled' "$(col "$a" 2)" handled
check_exit 'case-handle refuses a handled case' 1 \
    at 2024-09-25T12:10:00 case-handle "$a"
check_exit 'case-rework a handled case' 0 \
    at 2024-09-25T13:00:00 case-rework --actor 核查员 --note 未兑现 "$a"
check_same 'passes its ID through' "$(cat "$tmp/out")" "$a"
check_same 'back to assigned, at the same unit' \
    "$(col "$a" 2) $(col "$a" 3)" 'assigned xzz-dk-1'
before=$(db_dump)
check_exit 'case-return without --note is a usage error' 2 \
    at 2024-09-25T14:00:00 case-return "$a"
check_same 'and changes nothing' "$(db_dump)" "$before"
check_exit 'case-return --note' 0 \
    at 2024-09-25T14:00:00 case-return --note 非本网格职责 "$a"
check_same 'passes its ID through' "$(cat "$tmp/out")" "$a"
check_same 'goes back to the unit that assigned it, status returned' \
    "$(col "$a" 2) $(col "$a" 3)" 'returned xzz-dk'
check_exit 'a returned case cannot be returned again' 1 \
    at 2024-09-25T14:10:00 case-return --note 再退 "$a"
check_exit 'nor handled' 1 at 2024-09-25T14:10:00 case-handle "$a"
# The dispatch limit (12:00) was met at 10:30 and the deadline is 29 Sep:
# at 15:00, an hour after the return, case-show reports neither clock
# overdue, and --overdue, which selects by the same two clocks, must agree
# (the cron job would otherwise escalate a case nobody is late with).
show 2024-09-25T15:00:00 "$a"
check_same 'case-show: dispatch met, resolution running' \
    "$(fld dispatch | cut -d' ' -f2) $(fld resolution | cut -d' ' -f2)" \
    'met running'
check_exit 'so --overdue does not list the returned case' 1 \
    at 2024-09-25T15:00:00 case-list --overdue --format tsv
at 2024-09-25T16:00:00 case-assign -q --to xzz-dk-2 "$a"
at 2024-09-26T09:00:00 case-handle -q "$a"
check_exit 'case-close a handled case' 0 \
    at 2024-09-26T10:00:00 case-close --outcome resolved --note 已兑付 "$a"
check_same 'actions in order' "$(actions "$a")" \
    'reported assigned assigned handled reworked returned assigned handled closed'
check_same 'the first assignment: from nobody to xzz-dk' \
    "$(ev "$a" 2 from_unit)>$(ev "$a" 2 to_unit)" '>xzz-dk'
check_same 'the second: from xzz-dk to xzz-dk-1' \
    "$(ev "$a" 3 from_unit)>$(ev "$a" 3 to_unit)" 'xzz-dk>xzz-dk-1'
check_same 'the handled event keeps its note' "$(ev "$a" 4 note)" 已约谈
check_same 'the rework: actor and note' \
    "$(ev "$a" 5 actor) $(ev "$a" 5 note)" '核查员 未兑现'
check_same 'the return: from the grid back to the community, with why' \
    "$(ev "$a" 6 from_unit)>$(ev "$a" 6 to_unit) $(ev "$a" 6 note)" \
    'xzz-dk-1>xzz-dk 非本网格职责'
check_same 'the events record time and OS user' \
    "$(ev "$a" 6 at) $(ev "$a" 6 user)" "2024-09-25T14:00:00+08:00 $user"
check_same 'the closure: outcome and note' \
    "$(ev "$a" 9 outcome) $(ev "$a" 9 note)" 'resolved 已兑付'
show 2024-09-27T10:00:00 "$a"
check_same 'closed' "$(fld status)" closed
check_same 'the resolution clock stopped at the closure, in time' \
    "$(fld resolution)" '23.5h met (limit 2024-09-29T23:59:59+08:00)'
sed -n '/^history/,$p' "$tmp/show" | sed 1d >"$tmp/hist"
check_same 'the timeline shows every step' \
    "$(awk '{ print $2 }' "$tmp/hist" | paste -sd' ' -)" \
    'reported assigned assigned handled reworked returned assigned handled closed'
check_same 'with the time spent in each step' \
    "$(awk '{ print $3 }' "$tmp/hist" | paste -sd' ' -)" \
    '0.5h 0.5h 1.0h 1.0h 1.0h 2.0h 17.0h 1.0h tester'
check_grep 'the timeline: the return, its units and reason' \
    "^    2024-09-25T14:00:00+08:00  returned .* xzz-dk-1 -> xzz-dk  非本网格职责\$" \
    "$tmp/hist"
check_grep 'a closure after handling skips nothing' \
    ' closed .* resolved  已兑付$' "$tmp/hist"

# --- Returned when assigned at intake: nobody handed it over, so it goes
# back to intake, without a unit.
b=$(case-add --category dispute --unit xzz-hp-1 --title 邻里纠纷)
check_exit 'case-return of a case assigned at intake' 0 \
    case-return --note 不属网格事项 "$b"
check_same 'returned, with no unit' "$(col "$b" 2)|$(col "$b" 3)" 'returned|'
check_same 'the event goes from the grid to nobody' \
    "$(ev "$b" 3 action) $(ev "$b" 3 from_unit)>$(ev "$b" 3 to_unit)" \
    'returned xzz-hp-1>'

# --- Pause and resume.  Hazard: 24h, dispatch 2h.
c=$(at 2024-05-09T09:00:00 case-add --category hazard --unit xzz-dk-1 \
    --title 液化气罐堆放)
d=$(at 2024-05-09T09:00:00 case-add --category hazard --unit xzz-dk-2 \
    --title 对照)
check_exit 'case-pause' 0 at 2024-05-09T15:00:00 case-pause \
    --note 等待燃气公司 "$c"
check_same 'passes its ID through' "$(cat "$tmp/out")" "$c"
show 2024-05-10T12:00:00 "$c"
check_same 'paused' "$(fld status)" paused
check_same 'since when' "$(fld 'paused since')" 2024-05-09T15:00:00+08:00
check_same 'its resolution clock stopped when it was paused' \
    "$(fld resolution)" '6.0h running (limit 2024-05-10T09:00:00+08:00)'
at 2024-05-10T12:00:00 case-list --overdue --format tsv | cut -f1 >"$tmp/od"
check_same 'past its deadline, a paused case is not overdue (the other is)' \
    "$(cat "$tmp/od")" "$d"
check_exit 'a paused case cannot be handled' 1 \
    at 2024-05-10T12:00:00 case-handle "$c"
check_exit 'nor escalated' 1 at 2024-05-10T12:00:00 \
    case-assign --escalate "$c"
check_exit 'nor paused again' 1 at 2024-05-10T12:00:00 case-pause "$c"
check_exit 'case-pause --resume of a running case is refused' 1 \
    at 2024-05-10T12:00:00 case-pause --resume "$d"
# Paused 15:00 on 9 May to 15:00 on 11 May: 48h; 9 May 09:00 due
# 10 May 09:00 becomes 12 May 09:00.
check_exit 'case-pause --resume' 0 at 2024-05-11T15:00:00 case-pause \
    --resume "$c"
check_same 'back to the status it was paused in' "$(col "$c" 2)" assigned
check_same 'the deadline moved by exactly the time paused' \
    "$(col "$c" 4)" 2024-05-12T09:00:00+08:00
check_same 'events: paused, resumed' "$(actions "$c")" \
    'reported assigned paused resumed'
check_same 'the resumed event carries the new deadline' \
    "$(ev "$c" 4 due)" 2024-05-12T09:00:00+08:00
check_same 'the paused event keeps the reason' "$(ev "$c" 3 note)" 等待燃气公司
check_exit 'not overdue an hour before the moved deadline' 1 \
    at 2024-05-12T08:00:00 case-list --overdue --unit xzz-dk-1
check_same 'but due within 2h' \
    "$(at 2024-05-12T08:00:00 case-list --due-within 2h --format tsv | cut -f1)" \
    "$c"
check_exit '--due-within 0s is refused, not taken as no limit' 2 \
    case-list --due-within 0s
check_same 'as a span that must be more than 0' "$(cat "$tmp/err")" \
    'case-list: --due-within: must be more than 0 -- 0s'
check_same 'and overdue an hour after it' \
    "$(at 2024-05-12T10:00:00 case-list --overdue --unit xzz-dk-1 --format tsv | cut -f1)" \
    "$c"
# Unassigned, both clocks move: reported 09:00 (dispatch 11:00, due
# 10 May 09:00), paused 10:00-13:00: dispatch 14:00, due 10 May 12:00.
e=$(at 2024-05-09T09:00:00 case-add --category hazard --title 无人认领)
at 2024-05-09T10:00:00 case-pause -q "$e"
check_exit 'while paused, not overdue on the dispatch clock either' 1 \
    at 2024-05-09T12:00:00 case-list --overdue --category hazard \
    --status reported
at 2024-05-09T13:00:00 case-pause -q --resume "$e"
show 2024-05-09T13:00:00 "$e"
check_same 'the dispatch limit moved by the 3h paused' "$(fld dispatch)" \
    '4.0h running (limit 2024-05-09T14:00:00+08:00)'
check_same 'and so did the deadline' "$(fld due)" 2024-05-10T12:00:00+08:00
check_exit 'not overdue before the moved dispatch limit' 1 \
    at 2024-05-09T13:30:00 case-list --overdue --status reported
check_same 'overdue on the dispatch clock after it' \
    "$(at 2024-05-09T14:30:00 case-list --overdue --status reported --format tsv | cut -f1)" \
    "$e"
# Closed while paused before dispatch: the dispatch deadline was met, as
# when a running case is closed, and is no longer in force; reopened,
# it stays met, not replaced.
g=$(at 2024-09-25T10:00:00 case-add --category hazard --title 暂停后办结)
at 2024-09-25T10:30:00 case-pause -q "$g"
at 2024-09-25T11:00:00 case-close -q --outcome rejected "$g"
show 2024-09-26T11:00:00 "$g"
check_same 'closed while paused: the dispatch deadline met' \
    "$(fld dispatch)|$(grep '^    dispatch' "$tmp/show")" \
    '1.0h met (limit 2024-09-25T12:00:00+08:00)|    dispatch    2024-09-25T12:00:00+08:00  set 2024-09-25T10:00:00+08:00  met'
at 2024-09-26T11:00:00 case-close -q --reopen --note 群众不满意 "$g"
show 2024-09-26T11:00:00 "$g"
check_same 'and still met once the case is reopened' \
    "$(grep -m 1 '^    dispatch' "$tmp/show")" \
    '    dispatch    2024-09-25T12:00:00+08:00  set 2024-09-25T10:00:00+08:00  met'

# --- Extension: enterprise 3wd from Wed 2024-09-25 is Sun 29 Sep.
f=$(at 2024-09-25T10:00:00 case-add --category enterprise --unit fgw \
    --title 企业用地手续)
before=$(db_dump)
check_exit 'case-assign --extend without --note is a usage error' 2 \
    at 2024-09-26T10:00:00 case-assign --extend 3wd "$f"
check_same 'and changes nothing' "$(db_dump)" "$before"
check_exit 'a bad extension is a usage error' 2 \
    at 2024-09-26T10:00:00 case-assign --extend 3x --note 理由 "$f"
# 3wd from Sun 29 Sep: Mon 30 (1), 1-7 Oct off, Tue 8 (2), Wed 9 (3).
check_exit 'case-assign --extend 3wd --note' 0 \
    at 2024-09-26T10:00:00 case-assign --extend 3wd --note 需市级部门会签 "$f"
check_same 'passes its ID through' "$(cat "$tmp/out")" "$f"
check_same 'the deadline moves 3 working days, across National Day' \
    "$(col "$f" 4)" 2024-10-09T23:59:59+08:00
check_same 'an extended event, with the reason' \
    "$(ev "$f" 3 action) $(ev "$f" 3 note)" 'extended 需市级部门会签'
at 2024-09-26T11:00:00 case-assign -q --extend 24h --note 再延一天 "$f"
check_same 'an extension in hours is exact' "$(col "$f" 4)" \
    2024-10-10T23:59:59+08:00
show 2024-09-26T12:00:00 "$f"
check_same 'case-show counts the extensions' "$(fld extensions)" 2
check_grep 'the timeline shows the old and the new deadline' \
    ' extended .* due: 2024-09-29T23:59:59+08:00 -> 2024-10-09T23:59:59+08:00 .*需市级部门会签$' \
    "$tmp/show"

# --- Closing from any open status records the steps skipped.
check_exit 'case-close an assigned case' 0 \
    at 2024-09-27T10:00:00 case-close --outcome resolved "$f"
check_same 'closed' "$(col "$f" 2)" closed
check_same 'events' "$(actions "$f")" \
    'reported assigned extended extended closed'
show 2024-09-27T10:00:00 "$f"
check_grep 'the closure records that handling was skipped' \
    ' closed .* resolved  skipped: handled$' "$tmp/show"
g=$(case-add --category dispute --title 直接办结)
case-close -q --outcome resolved "$g"
show "${CASE_NOW%+08:00}" "$g"
check_grep 'from reported: assignment and handling skipped' \
    ' closed .* resolved  skipped: assigned,handled$' "$tmp/show"
h=$(case-add --category dispute --unit xzz-dk-1 --title 挂账后办结)
case-pause -q "$h"
case-close -q --outcome resolved "$h"
show "${CASE_NOW%+08:00}" "$h"
check_grep 'closed while paused from assigned: handling was skipped' \
    ' closed .* resolved  skipped: handled$' "$tmp/show"

# --- Rejected at intake (不予立案): no steps skipped, it never started.
r=$(case-add --category petition --title 不属受理范围)
check_exit 'case-close --outcome rejected at intake' 0 \
    case-close --outcome rejected --note 属诉讼事项 "$r"
show "${CASE_NOW%+08:00}" "$r"
check_same 'closed as rejected' "$(fld status) $(fld outcome)" \
    'closed rejected  不予受理'
check_same 'events: reported, closed' "$(actions "$r")" 'reported closed'
check_grep 'nothing recorded as skipped' \
    ' closed .* rejected  属诉讼事项$' "$tmp/show"

# --- Duplicates.
p=$(case-add --category hazard --unit xzz-hp-1 --title 消防通道被占)
q=$(case-add --category hazard --title 消防通道被占（重复）)
before=$(db_dump)
check_exit 'a case cannot duplicate itself' 1 \
    case-close --outcome duplicate --of "$q" "$q"
check_same 'says so' "$(cat "$tmp/err")" \
    "case-close: $q: a case cannot duplicate itself"
check_exit '--of a missing case' 1 case-close --outcome duplicate --of 999 "$q"
check_grep 'names it' '999' "$tmp/err"
check_exit '--of without --outcome duplicate is a usage error' 2 \
    case-close --outcome resolved --of "$p" "$q"
check_exit '--of alone is a usage error' 2 case-close --of "$p" "$q"
check_same 'none of these changed anything' "$(db_dump)" "$before"
check_exit 'case-close --outcome duplicate --of' 0 \
    case-close --outcome duplicate --of "$p" "$q"
show "${CASE_NOW%+08:00}" "$q"
check_same 'it follows its parent, shown with the parent status' \
    "$(fld 'duplicate of')" "$p (assigned)"
check_same 'a duplicate at intake skips nothing' \
    "$(grep -c 'skipped' "$tmp/show")" 0
check_same 'the closed event has outcome duplicate' "$(ev "$q" 2 outcome)" \
    duplicate
s=$(case-add --category hazard --title 又一重复)
before=$(db_dump)
check_exit '--of a duplicate is refused' 1 \
    case-close --outcome duplicate --of "$q" "$s"
check_grep 'naming the first case' "is itself a duplicate of $p" "$tmp/err"
check_same 'and changes nothing' "$(db_dump)" "$before"
case-close -q --outcome resolved "$p"
show "${CASE_NOW%+08:00}" "$q"
check_same 'the duplicate follows its parent into closure' \
    "$(fld 'duplicate of')" "$p (closed resolved)"
# A duplicate must never point at a duplicate, so a case others
# duplicate cannot itself become a duplicate without them following it.
p2=$(case-add --category hazard --title 占道经营)
q2=$(case-add --category hazard --title 占道经营（重复）)
case-close -q --outcome duplicate --of "$p2" "$q2"
o=$(case-add --category hazard --title 占道经营（原件）)
case-close -q --outcome duplicate --of "$o" "$p2" 2>/dev/null
check_same 'no duplicate ever points at a duplicate' \
    "$(sql 'SELECT c.id FROM cases c JOIN cases p
    ON p.id = c.duplicate_of WHERE p.duplicate_of IS NOT NULL')" ''

# --- Follow-up visits (回访).  From here on the clock is later than every
# event above: an effective time before a case's last event is refused.
CASE_NOW=2024-12-02T09:00:00+08:00
check_exit 'case-visit --satisfied on a closed case' 0 \
    case-visit --satisfied --note 电话回访 "$a"
check_same 'passes its ID through' "$(cat "$tmp/out")" "$a"
show "${CASE_NOW%+08:00}" "$a"
check_same 'recorded, the case stays closed' \
    "$(fld follow-up) $(fld status)" 'satisfied closed'
check_same 'a visited event' "$(actions "$a" | awk '{ print $NF }')" visited
check_exit 'case-visit --unsatisfied' 0 case-visit --unsatisfied "$f"
check_same 'reopens the case at its unit' "$(col "$f" 2) $(col "$f" 3)" \
    'assigned fgw'
check_same 'events: visited, reopened' \
    "$(actions "$f" | awk '{ print $(NF - 1), $NF }')" 'visited reopened'
check_same 'the outcome is cleared' \
    "$(sql "SELECT coalesce(outcome, '-'), coalesce(CAST(closed AS TEXT), '-')
    FROM cases WHERE id = $f")" \
    '-|-'
before=$(db_dump)
check_exit 'a visit to an open case is an error for that ID' 1 \
    case-visit --satisfied "$f"
check_same 'naming it' "$(cat "$tmp/err")" \
    "case-visit: $f: case is not closed"
check_same 'and changes nothing' "$(db_dump)" "$before"
check_exit 'case-visit needs --satisfied or --unsatisfied' 2 case-visit "$a"
check_exit 'one open case among closed ones: exit 1' 1 \
    case-visit --satisfied "$f" "$g"
check_same 'the closed one is recorded and passed on' "$(cat "$tmp/out")" "$g"

# --- Notes: history only.
before=$(row "$c")
check_exit 'case-note' 0 case-note --note 已电话联系燃气公司 "$c"
check_same 'passes its ID through' "$(cat "$tmp/out")" "$c"
check_same 'a noted event with the note' \
    "$(actions "$c" | awk '{ print $NF }') $(ev "$c" 5 note)" \
    'noted 已电话联系燃气公司'
check_same 'no change of state' "$(row "$c")" "$before"
check_exit 'case-note without --note is a usage error' 2 case-note "$c"

# --- Corrections, on new cases.  Dispute 7d from Thu 2024-05-09 09:00: 16
# May 23:59:59.
CASE_NOW=2024-05-09T09:00:00+08:00
k=$(case-add --category dispute --unit tbz-cy-1 --title 噪音 \
    --location 朝阳小区)
check_exit 'case-edit --title --location' 0 \
    case-edit --title 夜间施工噪音 --location 朝阳小区5栋 "$k"
check_same 'passes its ID through' "$(cat "$tmp/out")" "$k"
check_same 'one edited event per field' "$(actions "$k")" \
    'reported assigned edited edited'
show "${CASE_NOW%+08:00}" "$k"
check_grep 'the timeline has the old and the new title' \
    ' edited .* title: 噪音 -> 夜间施工噪音$' "$tmp/show"
check_grep 'and the old and the new location' \
    ' edited .* location: 朝阳小区 -> 朝阳小区5栋$' "$tmp/show"
check_same 'the fields changed' "$(fld title)|$(fld location)" \
    '夜间施工噪音|朝阳小区5栋'
check_same 'the events keep field, old and new value' \
    "$(sql "SELECT field, old, new FROM events
    WHERE case_id = $k AND action = 'edited' ORDER BY id" | paste -sd' ' -)" \
    'location|朝阳小区|朝阳小区5栋 title|噪音|夜间施工噪音'
check_exit 'case-edit to the same value' 0 case-edit --title 夜间施工噪音 "$k"
check_same 'changes nothing and passes nothing on' \
    "$(cat "$tmp/out")|$(actions "$k")" '|reported assigned edited edited'
check_exit 'case-edit --category' 0 case-edit --category hazard "$k"
check_same 'does not move the deadline' "$(col "$k" 5) $(col "$k" 4)" \
    'hazard 2024-05-16T23:59:59+08:00'
show "${CASE_NOW%+08:00}" "$k"
check_grep 'the category change is in the timeline' \
    ' edited .* category: dispute -> hazard$' "$tmp/show"
# Enterprise, 3wd counted from the report, Thu 9 May: Fri 10 (1), Sat 11
# May 2024 a make-up working day (2), Mon 13 (3).
check_exit 'case-edit --category --recompute-due' 0 \
    case-edit --category enterprise --recompute-due "$k"
check_same 'recomputes the deadline from the report' "$(col "$k" 4)" \
    2024-05-13T23:59:59+08:00
check_same 'and the event carries it' "$(ev "$k" 6 due)" \
    2024-05-13T23:59:59+08:00
before=$(db_dump)
check_exit 'an unknown category is a usage error' 2 \
    case-edit --category nosuch "$k"
check_same 'and changes nothing' "$(db_dump)" "$before"
check_exit '--recompute-due without --category is a usage error' 2 \
    case-edit --recompute-due "$k"

# --- --dry-run changes nothing and says what it would do.  State now:
# $c assigned (xzz-dk-1), $e reported, $f assigned (fgw), $k assigned
# (tbz-cy-1), $a closed.  The clock is after all their events.
CASE_NOW=2024-12-02T10:00:00+08:00
case-handle -q "$k"
x=$(case-add --category dispute --unit xzz-dk-1 --title 待挂账)
case-pause -q "$x"
# dry NAME WANT CMD...: CMD -n prints WANT and changes nothing.
dry() {
	name=$1
	want=$2
	shift 2
	before=$(db_dump)
	"$@" -n >"$tmp/out" 2>"$tmp/err"
	rc=$?
	check_same "$name -n: $want" "$rc $(cat "$tmp/out")$(cat "$tmp/err")" \
	    "0 $want"
	check_same "$name -n changes nothing" "$(db_dump)" "$before"
}
tab=$(printf '\t')
dry case-handle "$c${tab}would mark handled" case-handle "$c"
dry case-rework "$k${tab}would send back to tbz-cy-1" case-rework "$k"
dry case-return "$c${tab}would return xzz-dk-1 -> -" \
    case-return --note 退 "$c"
dry case-pause "$c${tab}would pause" case-pause "$c"
dry 'case-pause --resume' "$x${tab}would resume after 0.0h" \
    case-pause --resume "$x"
dry case-visit "$a${tab}would record unsatisfied and reopen" \
    case-visit --unsatisfied "$a"
dry case-note "$c${tab}would add a note" case-note --note 备注 "$c"
dry case-edit "$c${tab}would set title" case-edit --title 新标题 "$c"
dry 'case-assign --extend' "$c${tab}would extend by 2wd" \
    case-assign --extend 2wd --note 延期 "$c"
dry 'case-assign --escalate' "$c${tab}would escalate xzz-dk-1 -> xzz-dk" \
    case-assign --escalate "$c"
dry 'case-close --of' "$e${tab}would close duplicate" \
    case-close --outcome duplicate --of "$c" "$e"

# --- -q silences the IDs; IDs come on stdin as well.
check_same 'case-note -q prints nothing' \
    "$(case-note -q --note 静默 "$c")|$(actions "$c" | awk '{ print $NF }')" \
    '|noted'
check_same 'case-handle -q prints nothing' \
    "$(case-handle -q "$c")|$(col "$c" 2)" '|handled'
check_same 'case-rework -q prints nothing' \
    "$(case-rework -q "$c")|$(col "$c" 2)" '|assigned'
check_same 'case-edit -q prints nothing' \
    "$(case-edit -q --reporter 王五 "$c")|$(sql \
    "SELECT reporter FROM cases WHERE id = $c")" '|王五'
check_same 'case-visit -q prints nothing' \
    "$(case-visit -q --satisfied "$r")|$(sql \
    "SELECT satisfaction FROM cases WHERE id = $r")" '|satisfied'
check_same 'case-return -q prints nothing' \
    "$(case-return -q --note 退回 "$k")|$(col "$k" 2)" '|returned'
check_same 'IDs from case-list on stdin' \
    "$(case-list --status assigned --unit xzz-dk-1 --format tsv |
    case-handle | paste -sd' ' -)" "$c"
check_same 'case-pause -q, case-pause -q --resume print nothing' \
    "$(case-pause -q "$c"; case-pause -q --resume "$c")|$(col "$c" 2)" \
    '|handled'

# --- -h and --version, which need no database.
for prog in case-handle case-rework case-return case-pause case-visit \
    case-note case-edit case-assign case-close; do
	CASE_DB=$tmp/none.db $prog -h >"$tmp/out" 2>"$tmp/err"
	check_same "$prog -h: exit 0, usage on stdout" \
	    "$?|$(head -n 1 "$tmp/out" | cut -d' ' -f1,2)|$(cat "$tmp/err")" \
	    "0|usage: $prog|"
	check_same "$prog --version" \
	    "$(CASE_DB=$tmp/none.db $prog --version 2>&1)" \
	    "$prog (casekit) $(sed -n 's/.*CASE_VERSION "\(.*\)"/\1/p' "$top/lib/case.h")"
done
check_same 'no database was created by -h or --version' \
    "$(ls "$tmp" | grep -c none)" 0
done_testing
