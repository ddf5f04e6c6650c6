#!/bin/sh
# Joint conferences (issue 14, item 4, 研判会商): case-meet records on a
# case the units present, the decision and the follow-up actions, each
# with an owner unit and a deadline; --done marks an action done.  The
# history holds it all (and so the chain); case-show shows it, case-list
# lists conferenced cases and overdue actions, and the figures count
# them, as of any moment.  Every refusal says why and writes nothing.
# A dispute conferenced by four units (police station, judicial office,
# court, petition office) with two actions, one done on time and one
# left overdue, counted by hand below.
. "$(dirname "$0")/lib.sh"
plan 72

cd "$tmp" || exit 2
# The demo's units, with a judicial office and a petition office.
init_demo

# Writers run at their moments (at(): with libfaketime, the history
# records them as written then), so that --as-of sees each when it was.
at 2024-05-09T09:00 case-add -q --category dispute --title 邻里纠纷 # 1, event 1
at 2024-05-09T09:00 case-add -q --category hazard --title 井盖缺失 # 2, event 2
at 2024-05-09T09:00 case-assign -q --to xzz-pcs 1		# event 3
units=xzz-pcs,xzz-sfs,fy,xfb
export CASE_NOW=2024-05-09T10:00:00+08:00

# Refusals: each says why and writes nothing.
before=$(db_dump | cksum)
check_exit 'a conference without --units is refused' 2 \
    case-meet --decision 联合调解 1
check_same 'saying the units are needed' "$(cat err)" \
    'case-meet: --units: no units: a conference needs the units present'
check_exit 'so is an empty list' 2 case-meet --units , --decision 联合调解 1
check_exit 'an unknown unit is refused' 2 \
    case-meet --units xzz-pcs,nope --decision 联合调解 1
check_same 'naming it' "$(cat err)" 'case-meet: --units: no such unit -- nope'
check_exit 'a unit named twice is refused' 2 \
    case-meet --units fy,xzz-pcs,fy --decision 联合调解 1
check_exit 'an empty decision is refused' 2 case-meet --units $units \
    --decision '' 1
check_same 'saying so' "$(cat err)" \
    'case-meet: --decision: the decision is missing'
check_exit 'an action for a unit not present is refused' 2 \
    case-meet --units xzz-pcs,fy --decision 联合调解 \
    --action 'xzz-sfs:组织调解:2024-05-11' 1
check_same 'naming the unit' "$(cat err)" \
    'case-meet: --action: unit xzz-sfs was not at the conference (--units)'
check_exit 'an action for an unknown unit is refused' 2 \
    case-meet --units $units --decision 联合调解 --action 'nope:调解:3d' 1
check_exit 'a bad deadline is refused' 2 case-meet --units $units \
    --decision 联合调解 --action 'fy:确认:2024-13-45' 1
check_same 'as no deadline' "$(cat err)" \
    'case-meet: --action: no deadline (a time or a span after the last colon) -- fy:确认:2024-13-45'
check_exit 'a deadline before the conference is refused' 2 \
    case-meet --units $units --decision 联合调解 --action 'fy:确认:2024-05-01' 1
check_exit 'an action without its text is refused' 2 \
    case-meet --units $units --decision 联合调解 --action 'fy::3d' 1
check_exit 'an unknown case refuses the whole conference' 1 \
    case-meet --units $units --decision 联合调解 1 999
check_same 'naming it' "$(cat err)" 'case-meet: 999: no such case
case-meet: problems found: 1; conference not recorded'
check_same 'and prints no ID' "$(cat out)" ''
check_exit '--done with a conference option is refused' 2 \
    case-meet --done --units $units 5
check_exit 'a dry run' 0 case-meet -n --units $units --decision 联合调解 1
check_same 'says what it would do' "$(cat out)" \
    '1	would record conference 4 with 0 action(s)'
check_same 'nothing was written by any of these' "$(db_dump | cksum)" \
    "$before"

# The conference: two actions, the first with a colon in its text; its
# deadline a time with colons of its own, the second's a bare day.
check 'case-meet' at 2024-05-09T10:00 case-meet --units $units \
    --decision '司法所牵头调解; 法院诉前指导' \
    --action 'xzz-sfs:组织双方调解:签协议:2024-05-11T18:00' \
    --action 'fy:诉前调解确认:2024-05-13' 1
check_same 'prints the case' "$(cat out)" 1
check_same 'one event for the conference, one per action' "$(actions 1)" \
    'reported assigned conferred tasked tasked'
check_same 'the conference names the units present' "$(ev 1 3 old)" $units
check_same 'the text keeps its colon' "$(ev 1 4 note)" '组织双方调解:签协议'
check_same 'the time its colons' "$(ev 1 4 due)" '2024-05-11T18:00:00+08:00'
check_same 'a bare day is due at its end' "$(ev 1 5 due)" \
    '2024-05-13T23:59:59+08:00'
check 'case-show' case-show 1
check_same 'shows the conference and its actions' \
    "$(sed -n '/^conferences/,/^history/p' out)" 'conferences
    2024-05-09T10:00:00+08:00  #4  xzz-pcs,xzz-sfs,fy,xfb  司法所牵头调解; 法院诉前指导
        action 5  xzz-sfs  due 2024-05-11T18:00:00+08:00  open  组织双方调解:签协议
        action 6  fy  due 2024-05-13T23:59:59+08:00  open  诉前调解确认
history'
check_grep 'a case without one shows none' '^history' \
    "$(case-show 2 >show2; echo show2)"
check_same 'not even the heading' "$(grep -c '^conferences' show2)" 0
check 'the chain covers it' case-stats --verify

# Marking done.
export CASE_NOW=2024-05-11T16:00:00+08:00
before=$(db_dump | cksum)
check_exit 'an unknown action is refused' 1 case-meet --done 99
check_same 'saying so' "$(cat err)" 'case-meet: action 99: no such action
case-meet: problems found: 1; no action marked done'
check_exit 'a conference is not an action' 1 case-meet --done 4
check_exit 'one bad ID refuses the others too' 1 case-meet --done 5 99
check_same 'nothing written' "$(db_dump | cksum)" "$before"
check 'case-meet --done' at 2024-05-11T16:00 case-meet --done 5
check_same 'prints the action' "$(cat out)" 5
before=$(db_dump | cksum)
check_exit 'done twice is refused' 1 case-meet --done 5
check_same 'as done already' "$(head -1 err)" \
    'case-meet: action 5: action already done'
check_same 'and writes nothing' "$(db_dump | cksum)" "$before"

# Overdue: the court's action, once its day has ended.
check_exit 'none overdue on 12 May' 1 env CASE_NOW=2024-05-12T12:00:00+08:00 \
    case-list --actions-overdue
check_same 'lists none' "$(cat out)" ''
check 'on 14 May' env CASE_NOW=2024-05-14T09:00:00+08:00 \
    case-list --actions-overdue
check_same 'the court'\''s action is overdue' "$(cat out)" \
    '6	1	fy	2024-05-13T23:59:59+08:00	4	诉前调解确认'
check_exit '--actions-overdue takes no filters' 2 \
    case-list --actions-overdue --unit fy
export CASE_NOW=2024-05-14T10:00:00+08:00
check_grep 'case-show says which is which' \
    'action 5  xzz-sfs  due 2024-05-11T18:00:00+08:00  done on time 2024-05-11T16:00:00+08:00' \
    "$(case-show 1 >show; echo show)"
check_grep 'and the overdue one' \
    'action 6  fy  due 2024-05-13T23:59:59+08:00  overdue' show

# The case ends in mediation; the hazard, never conferenced, resolved.
at 2024-05-14T10:00 case-close -q --outcome mediated 1
at 2024-05-14T10:00 case-assign -q --to xzz 2
at 2024-05-14T10:00 case-close -q --outcome resolved 2
check 'case-list --conferenced' case-list --conferenced
check_same 'lists the conferenced case, closed as it is' "$(cut -f1,2 out)" \
    '1	closed'

# The figures by hand: one case conferenced; closed after it, as
# mediated (a success outcome): 1/1; two actions due, one done by its
# deadline: 1/2; one overdue.  The hazard counts in none of them.
figs=conferenced,conference_success_rate,actions_due,action_on_time_rate,actions_overdue
check 'case-stats --figures' case-stats --figures $figs --format tsv
check_same 'count as by hand' "$(cat out)" \
"conferenced	conference_success_rate	actions_due	action_on_time_rate	actions_overdue
1	1/1 100.0%	2	1/2 50.0%	1"
check_same 'the default figures do not include them' \
    "$(case-stats --format tsv | head -1 | grep -c conferenced)" 0
check_same '--ids conferenced' "$(case-stats --ids conferenced)" 1
check_same '--ids actions_overdue' "$(case-stats --ids actions_overdue)" 1
check_same '--ids conferenced_success' \
    "$(case-stats --ids conferenced_success)" 1
# As of a past moment: what had been recorded by then (libfaketime makes
# the history's wall-clock times those moments).
asof() {
	case-stats --figures $figs --format tsv --as-of "$1" | tail -1
}
if [ -n "$faketime_lib" ]; then
	check_same '--as-of before the conference: none of it' \
	    "$(asof 2024-05-09T09:30:00+08:00)" '0	0/0 -	0	0/0 -	0'
	check_same '--as-of 12 May: the first action done on time, the other not due' \
	    "$(asof 2024-05-12T12:00:00+08:00)" '1	0/0 -	1	1/1 100.0%	0'
	check_same '--as-of 14 May, 09:00: the second overdue, the case open' \
	    "$(asof 2024-05-14T09:00:00+08:00)" '1	0/0 -	2	1/2 50.0%	1'
else
	skip '--as-of needs libfaketime (Debian: faketime)'
	skip '--as-of needs libfaketime (Debian: faketime)'
	skip '--as-of needs libfaketime (Debian: faketime)'
fi

# A conference on two cases at once: one number, on both.
export CASE_NOW=2024-05-15T09:00:00+08:00
case-add --category dispute --title 噪音纠纷 >/dev/null		# 3
case-add --category dispute --title 噪音纠纷（另一户） >/dev/null	# 4
check 'a conference on two cases' case-meet --units xzz-pcs,xzz-sfs \
    --decision 合并调解 --action 'xzz-sfs:上门调解:2d' 3 4
check_same 'prints both' "$(cat out)" '3
4'
check_same 'one conference number on both' "$(ev 3 2 new) $(ev 4 2 new)" \
    '13 13'
check_same 'each case its own action' "$(ev 3 3 new) $(ev 4 3 new)" '14 16'
check_exit 'a closed case takes no conference' 1 case-meet --units fy \
    --decision 复核 1
check_same 'saying so' "$(head -1 err)" 'case-meet: 1: case is closed'

# The court's part, done late, after the case closed: an action outlives
# its case.  No longer overdue, still not on time.
check 'an action done after its case closed' \
    at 2024-05-16T10:00 case-meet --done --note 已出具指引 6
check_grep 'is shown done late' \
    'action 6  fy  due 2024-05-13T23:59:59+08:00  done late 2024-05-16T10:00:00+08:00' \
    "$(CASE_NOW=2024-05-16T11:00:00+08:00 case-show 1 >show; echo show)"
check_same 'three cases conferenced; the later actions not yet due' \
    "$(CASE_NOW=2024-05-16T11:00:00+08:00 case-stats --figures $figs \
    --format tsv | tail -1)" '3	1/1 100.0%	2	1/2 50.0%	0'
check_exit 'and none overdue' 1 env CASE_NOW=2024-05-16T11:00:00+08:00 \
    case-list --actions-overdue

exit $((nfail > 0))
