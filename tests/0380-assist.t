#!/bin/sh
# Lead and assisting units (主办/协办, issue 14, item 2): case-assign --to
# LEAD --assist U1,U2 gives a case one lead and assisting units, each an
# assisted event; an assisting unit finds the case in case-list --unit
# (role assist), writes notes and reports its part handled with
# case-handle --unit, which leaves the case where it is; the lead handles
# and closes.  The figures count a case once under its lead, and by
# assist under each unit that assisted (none: unspecified), as the
# assisting set stood then (--as-of).  Every refusal writes nothing.
. "$(dirname "$0")/lib.sh"
need_faketime
plan 64

cd "$tmp" || exit 2
init_demo

# at9 HH:MM CMD...: CMD at that time of 9 May 2024, China time.
at9() {
	at9_t=$1
	shift
	at "2024-05-09T$at9_t" "$@"
}

# The day (9 May, China time).  09:00: three cases come in.
at9 09:00 case-add --category enterprise --title 企业欠薪 >/dev/null
at9 09:00 case-add --category hazard --title 厂区危化品 >/dev/null
at9 09:00 case-add --category enterprise --title 用工备案 >/dev/null

# 10:00: a joint enterprise case, the department of human resources
# leading and the police assisting; a hazard led by construction with
# the police and emergency management assisting; one case alone.
check 'case-assign --to LEAD --assist UNIT' \
    at9 10:00 case-assign --to rsj --assist xzz-pcs 1
check_same 'prints the ID' "$(cat out)" 1
check 'two assisting units' \
    at9 10:00 case-assign --to zjj --assist xzz-pcs,yjj 2
check 'a case with no assisting unit' at9 10:00 case-assign --to fgw 3
check_same 'the lead is the case unit, as before' \
    "$(sql 'SELECT id, unit, status FROM cases ORDER BY id')" \
"1|rsj|assigned
2|zjj|assigned
3|fgw|assigned"
check_same 'each assisting unit is an event naming it' \
    "$(actions 1)|$(ev 1 3 to_unit)|$(ev 1 3 actor)" \
    'reported assigned assisted|xzz-pcs|tester'
check_same 'and the assists table caches them' \
    "$(sql "SELECT case_id, unit, CASE WHEN done IS NULL THEN 'open'
    ELSE 'done' END FROM assists ORDER BY case_id, unit")" \
"1|xzz-pcs|open
2|xzz-pcs|open
2|yjj|open"
check 'the same --assist again' at9 10:05 case-assign --assist xzz-pcs 1
check_same 'changes nothing, and names no case' "$(actions 1)|$(cat out)" \
    'reported assigned assisted|'

# The assisting unit's list.
check 'case-list --unit of an assisting unit' case-list --unit xzz-pcs \
    --format tsv
check_same 'has the cases it assists on, marked in a last column, by tier and deadline' \
    "$(cut -f1,3,8 out)" \
"2	zjj	assist
1	rsj	assist"
check_same 'the lead sees its case as lead' \
    "$(case-list --unit rsj --format tsv | cut -f1,8)" '1	lead'
check_same 'a street sees what its units assist on' \
    "$(case-list --unit xzz --format tsv | cut -f1,8 | paste -sd' ' -)" \
    '2	assist 1	assist'
check_same 'the list without --unit keeps its columns' \
    "$(case-list --format tsv | awk -F '\t' '{ print NF }' | sort -u)" 7
check_same 'the headings say role' \
    "$(case-list --unit xzz-pcs --format csv | head -1 | tr -d '\r')" \
    'id,status,unit,due,category,priority,title,role'

# 11:00: the police write a note; 12:00 their part is done.
check 'an assisting unit adds a note' at9 11:00 case-note \
    --actor 新庄孜派出所 --note '已约谈企业负责人' 1
check_same 'its actor is recorded' "$(ev 1 4 actor)|$(ev 1 4 note)" \
    '新庄孜派出所|已约谈企业负责人'
check 'case-handle --unit ASSISTING' at9 12:00 case-handle --unit xzz-pcs 1
check_same 'records that part done' "$(ev 1 5 action)|$(ev 1 5 to_unit)" \
    'part-done|xzz-pcs'
check_same 'and the case stays assigned, not handled' \
    "$(sql 'SELECT status, handlings FROM cases WHERE id = 1')" 'assigned|0'
check_same 'case-show shows the lead and each part' \
    "$(case-show 1 | grep -E '^(unit|assisting) ')" \
"unit         rsj  区人社局
assisting    xzz-pcs  新庄孜派出所  part handled 2024-05-09T12:00:00+08:00"
check_same 'an outstanding part is shown as such' \
    "$(case-show 2 | grep '^assisting ' | paste -sd'|' -)" \
    'assisting    xzz-pcs  新庄孜派出所  part outstanding|assisting    yjj  区应急管理局  part outstanding'
check 'the lead, by --unit, handles the case' \
    at9 13:00 case-handle --unit rsj 1
check_same 'as case-handle does' \
    "$(sql 'SELECT status FROM cases WHERE id = 1')" handled
check 'the lead closes' at9 14:00 case-close --outcome resolved 1
check 'the police report their part of the hazard' \
    at9 14:05 case-handle --unit xzz-pcs 2

# Refusals: each says why and writes nothing.
before=$(db_dump | cksum)
check_exit 'an assisting unit equal to the lead' 1 \
    at9 14:10 case-assign --assist zjj 2
check_same 'is refused' "$(cat err)" \
    'case-assign: 2: --assist: zjj leads the case and cannot also assist'
check_exit 'so with --to' 2 at9 14:10 case-assign --to fgw --assist fgw 3
check_same 'as a usage error' "$(cat err)" \
    'case-assign: --assist: fgw leads the case and cannot also assist'
check_exit 'an unknown unit' 2 at9 14:10 case-assign --assist nope 2
check_same 'is named' "$(cat err)" 'case-assign: --assist: no such unit -- nope'
check_exit 'a unit given twice' 2 \
    at9 14:10 case-assign --assist yjj,fy,yjj 2
check_same 'is refused' "$(cat err)" 'case-assign: --assist: yjj is given twice'
check_exit '--assist on a closed case' 1 at9 14:10 case-assign --assist fy 1
check_same 'is refused' "$(cat err)" 'case-assign: 1: case is closed'
check_exit 'case-handle --unit of a unit neither leading nor assisting' 1 \
    at9 14:10 case-handle --unit fy 2
check_same 'is refused' "$(cat err)" \
    'case-handle: 2: --unit: fy neither leads nor assists on the case'
check_exit 'a part reported twice' 1 at9 14:10 case-handle --unit xzz-pcs 2
check_same 'is refused' "$(cat err)" \
    'case-handle: 2: --unit: xzz-pcs has reported its part handled already'
check_exit '--unassist of a unit not assisting' 1 \
    at9 14:10 case-assign --unassist fy 2
check_exit '--assist with --escalate' 2 \
    at9 14:10 case-assign --escalate --assist fy 2
check_exit 'an unknown --unit' 2 at9 14:10 case-handle --unit nope 2
check_exit '--assist with --all-overdue, which would choose the cases' 2 \
    at9 14:10 case-assign --assist fy --all-overdue
check_same 'nothing was written by any of them' "$(db_dump | cksum)" \
    "$before"


# 15:00: the hazard's lead passes to emergency management, which
# assisted: it leads now and assists no more; the police still assist.
check 'reassigning to an assisting unit' at9 15:00 case-assign --to yjj 2
check_same 'ends its assisting, by an event' \
    "$(actions 2)|$(ev 2 7 to_unit)" \
    'reported assigned assisted assisted part-done assigned unassisted|yjj'
check_same 'and keeps the other' \
    "$(case-list --unit xzz-pcs --format tsv | cut -f1,3,8)" '2	yjj	assist'
check 'the third case closes' at9 16:00 case-close --outcome resolved 3

# The figures at 17:00, each case once under its lead.
export CASE_NOW=2024-05-09T17:00:00+08:00
check_same 'by unit: once each under its lead' \
    "$(case-stats --by unit --figures received,closed --format tsv)" \
"unit	received	closed
fgw	1	1
rsj	1	1
yjj	1	0
total	3	2"
check_same 'the total as without --by' \
    "$(case-stats --figures received,closed --format tsv)" \
"received	closed
3	2"
# By hand: case 1 assisted by xzz-pcs (closed), case 2 by xzz-pcs (yjj
# leads it now), case 3 by nobody (closed).
check_same 'by assist: under each assisting unit, none as unspecified' \
    "$(case-stats --by assist --figures received,closed --format tsv)" \
"assist	assist_name	received	closed
	unspecified	1	1
xzz-pcs	新庄孜派出所	2	1
total		3	2"
check_same 'and --ids by assist names each case once' \
    "$(case-stats --by assist --ids received | paste -sd' ' -)" '1 2 3'
# At 12:30 yjj still assisted on case 2, and nothing was closed.
check_same '--as-of 12:30: the assisting set as it was' \
    "$(case-stats --as-of 2024-05-09T12:30 --by assist \
    --figures received,open --format tsv)" \
"assist	assist_name	received	open
	unspecified	1	1
xzz-pcs	新庄孜派出所	2	2
yjj	区应急管理局	1	1
total		3	3"
check_same '--as-of 09:30, before any assisting unit was given' \
    "$(case-stats --as-of 2024-05-09T09:30 --by assist \
    --figures received --format tsv)" \
"assist	assist_name	received
	unspecified	3
total		3"
check_same 'the table format labels none 未指定 in Chinese' \
    "$(env -u LC_ALL LANG=zh_CN.UTF-8 case-stats --format table --by assist \
    --figures received | grep -c 未指定)" 1
check_same 'by assist and month together' \
    "$(case-stats --by assist,month --figures received --format tsv)" \
"assist	assist_name	month	received
	unspecified	2024-05	1
xzz-pcs	新庄孜派出所	2024-05	2
total			3"

# --unassist takes a unit off; the history keeps that it was there.
check 'case-assign --unassist' at9 17:00 case-assign --unassist xzz-pcs 2
check_same 'the case is no longer in its list' \
    "$(case-list --unit xzz-pcs --format tsv)" ''
check_same 'nor is it in case-show' "$(case-show 2 | grep -c '^assisting')" 0
check_same 'but --as-of 16:00 still counts it there' \
    "$(case-stats --as-of 2024-05-09T16:00 --by assist --figures received \
    --format tsv | grep '^xzz-pcs' | cut -f3)" 2
check_same 'the cache is the history folded again' \
    "$(sql 'SELECT case_id, unit FROM assists ORDER BY case_id, unit')" \
    '1|xzz-pcs'

# case-copy carries the assists (from a server to a file).
if on_pg; then
	check 'case-copy' case-copy "$tmp/copy.db"
	check_same 'and the copy has them' \
	    "$(sqlite3 "$tmp/copy.db" 'SELECT case_id, unit, done FROM assists')" \
	    "$(sql 'SELECT case_id, unit, done FROM assists')"
else
	skip 'case-copy goes to the other engine: make check-pg runs it'
	skip 'case-copy goes to the other engine: make check-pg runs it'
fi
done_testing
