#!/bin/sh
# The duty roster (issue 14, item 5): case-roster keeps which department
# is on duty at the centre on which day; case-assign --to on-duty hands a
# case to the unit on duty on the local day of the assignment's moment,
# and the history records that unit, whatever the roster says later.
# Every bad input is refused with its reason, and writes nothing.
. "$(dirname "$0")/lib.sh"
plan 48

cd "$tmp" || exit 2
init_demo

check 'case-roster --set' case-roster --set 2024-05-09 fgw
check_same 'is silent' "$(cat out)" ''
check 'a second day' case-roster --set 2024-05-10 rsj
check 'a day set again takes the new unit' \
    case-roster --set 2024-05-10 zjj
check 'case-roster --list' case-roster --list
check_same 'lists the days, their units and names' "$(cat out)" \
"2024-05-09	fgw	区发改委
2024-05-10	zjj	区住建局"

# Refusals: each says why and writes nothing.
before=$(db_dump | cksum)
check_exit 'an unknown unit is refused' 2 case-roster --set 2024-05-11 nope
check_same 'naming it' "$(cat err)" 'case-roster: --set: no such unit -- nope'
check_exit 'a date that does not exist is refused' 2 \
    case-roster --set 2024-02-30 fgw
check_same 'as not a date' "$(cat err)" \
    'case-roster: --set: not a date (YYYY-MM-DD) -- 2024-02-30'
check_exit 'so is a time' 2 case-roster --unset 2024-05-09T08:00
check_exit 'two changes at once are refused' 2 \
    case-roster --set 2024-05-11 fgw --unset 2024-05-09
check_grep 'saying one at a time' 'one at a time' err
check_exit '--since without --list is refused' 2 \
    case-roster --set 2024-05-11 fgw --since 2024-05-01
check_exit '-n with --list is refused' 2 case-roster -n --list
check_exit '--set without its unit is refused' 2 case-roster --set 2024-05-11
check_exit 'an unknown option is refused' 2 case-roster --list --frobnicate
printf 'date,unit\n2024-05-11,fgw\n2024-05-12,nope\n2024-05-32,rsj\n' \
    >bad.csv
check_exit 'a file with problems is refused whole' 1 case-roster --from bad.csv
check_same 'each problem by its line, then the count' "$(cat err)" \
"case-roster: bad.csv:3: unit: unknown unit -- nope
case-roster: bad.csv:4: date: not a date (YYYY-MM-DD) -- 2024-05-32
case-roster: problems found: 2; roster unchanged"
check_same 'nothing of it was set, nor by the refusals before it' \
    "$(db_dump | cksum)" "$before"

# A month's file, checked with -n first.
printf 'date,unit,note\n2024-05-11,fy,周六\n2024-05-12,fy,周日\n2024-05-10,rsj,\n' \
    >may.csv
check 'case-roster -n --from' case-roster -n --from may.csv
check_same 'shows the roster as it would be' "$(cat out)" \
"2024-05-09	fgw	区发改委
2024-05-10	rsj	区人社局
2024-05-11	fy	区法院
2024-05-12	fy	区法院"
check_same 'and changes nothing' "$(db_dump | cksum)" "$before"
check 'case-roster --from' case-roster --from - <may.csv
check_same 'sets its days, keeps the others' \
    "$(case-roster --list --since 2024-05-10 --until 2024-05-11)" \
"2024-05-10	rsj	区人社局
2024-05-11	fy	区法院"
check 'case-roster --unset' case-roster --unset 2024-05-12
check_same 'leaves nobody on that day' \
    "$(case-roster --list --since 2024-05-12)" ''

# case-assign --to on-duty, at 09:00 of 9 May (China time).
case-add --category enterprise --title 用工备案 >/dev/null
case-add --category enterprise --title 税务咨询 >/dev/null
case-add --category hazard --title 井盖缺失 >/dev/null
case-add --category enterprise --title 融资对接 >/dev/null
check 'case-assign --to on-duty' case-assign --to on-duty 1
check_same 'hands the case to the unit on duty today' \
    "$(sql 'SELECT unit FROM cases WHERE id = 1')" fgw
check_same 'and its event names that unit' \
    "$(sql "SELECT to_unit FROM events WHERE case_id = 1
    AND action = 'assigned'")" fgw
check 'at 00:30 on 10 May, China time (16:30 UTC on the 9th)' \
    env CASE_NOW=2024-05-09T16:30:00Z case-assign --to on-duty 2
check_same 'the local day is the 10th' \
    "$(sql 'SELECT unit FROM cases WHERE id = 2')" rsj
check 'a paper record with --at' \
    env CASE_NOW=2024-05-13T09:00:00+08:00 case-assign --at 2024-05-11T10:00 --to on-duty 3
check_same 'goes to the unit on duty that day' \
    "$(sql 'SELECT unit FROM cases WHERE id = 3')" fy
check 'dry run' case-assign -n --to on-duty 4
check_grep 'names the real unit' 'fgw' out
check_same 'and assigns nothing' "$(sql 'SELECT status FROM cases WHERE id = 4')" \
    reported

before=$(db_dump | cksum)
check_exit 'a day nobody is on duty is refused' 2 \
    env CASE_NOW=2024-05-13T09:00:00+08:00 case-assign --at 2024-05-12T10:00 --to on-duty 1
check_same 'saying which day' "$(cat err)" \
    'case-assign: --to on-duty: the roster names no unit on duty on 2024-05-12'
check_same 'and nothing is written' "$(db_dump | cksum)" "$before"

# The roster changed afterwards changes no case.
show=$(case-show 1)
case-roster --set 2024-05-09 yjj
check_same 'the case and its history are as they were' "$(case-show 1)" "$show"

# A unit on duty cannot be dropped; the code on-duty is reserved.
grep -v '^fy,' "$top/data/demo-units.csv" >units.csv
before=$(db_dump | cksum)
check_exit 'dropping a unit on duty is refused' 1 case-init --units units.csv
check_grep 'saying why' 'unit fy is on duty on 1 days of the roster' err
cp "$top/data/demo-units.csv" units.csv
printf 'on-duty,值班单位,bgs,department\n' >>units.csv
check_exit 'a unit coded on-duty is refused' 1 case-init --units units.csv
check_grep 'as reserved' 'code: reserved' err
check_same 'neither changed anything' "$(db_dump | cksum)" "$before"

# case-copy carries the roster (from a server to a file).
if on_pg; then
	check 'case-copy' case-copy "$tmp/copy.db"
	check_same 'and the copy has the same roster' \
	    "$(case-roster -d "$tmp/copy.db" --list)" "$(case-roster --list)"
else
	skip 'case-copy goes to the other engine: make check-pg runs it'
	skip 'case-copy goes to the other engine: make check-pg runs it'
fi
done_testing
