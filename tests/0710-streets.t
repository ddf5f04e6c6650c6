#!/bin/sh
# Streets, communities and grids first-class (issue 16, part 2): --by
# street, community and grid, with names beside codes and one label for
# the cases with no such unit; --grid on every reading program;
# --figures; a table wider than 100 columns written a block a row; and
# the cases escalated, supervised, returned and sent back for rework as
# figures, each at the action's own time.
. "$(dirname "$0")/lib.sh"
plan 32

# zh CMD...: CMD in Chinese.
zh() {
	env -u LC_ALL LANG=zh_CN.UTF-8 "$@"
}
# stats ARGS...: case-stats as TSV.
stats() {
	case-stats --format tsv "$@"
}
# table LINES: the expected TSV, written with | between the fields.
table() {
	printf '%s\n' "$@" | tr '|' '\t'
}
add() {
	t=$1
	shift
	at "$t" case-add -q --reported "$t" "$@"
}

# Six cases of 6 May, 09:00 (China time), worked on until 8 May:
#   id category   grid      unit at the end     what happened
#   1  hazard     xzz-dk-1  xzz-dk (community)  handled, reworked 6 May,
#                                               handled, reworked 7 May,
#                                               escalated 8 May
#   2  dispute    xzz-dk-2  bgs (district)      escalated 8 May from xzz
#   3  petition   -         fgw (department)
#   4  suggestion tbz-cy-1  - (returned 7 May)
#   5  suggestion xzz-hp-1  - (never assigned)
#   6  hazard     -         - (overdue 7 May 09:00: supervised 8 May)
init_demo
add 2024-05-06T09:00 --category hazard --title 液化气罐 --grid xzz-dk-1 \
    --unit xzz-dk-1
add 2024-05-06T09:00 --category dispute --title 邻里纠纷 --grid xzz-dk-2 \
    --unit xzz
add 2024-05-06T09:00 --category petition --title 工资 --unit fgw
add 2024-05-06T09:00 --category suggestion --title 充电棚 --grid tbz-cy-1 \
    --unit tbz-cy-1
add 2024-05-06T09:00 --category suggestion --title 路灯 --grid xzz-hp-1
add 2024-05-06T09:00 --category hazard --title 飞线充电
at 2024-05-06T10:00 case-handle -q 1
at 2024-05-06T11:00 case-rework -q 1
at 2024-05-06T12:00 case-handle -q 1
at 2024-05-07T09:00 case-rework -q 1
at 2024-05-07T10:00 case-return -q --note 不属本单位 4
at 2024-05-08T10:00 case-assign -q --escalate 1 2
at 2024-05-08T10:00 case-assign -q --escalate --if-overdue 6
export CASE_NOW=2024-05-09T10:00:00+08:00

# --- The keys.  Street and community are the case's unit's (as
# unit:street), so a case escalated to the district, or held by a
# department, or by none, has no street: it is "unspecified", in the
# name column, the code empty.  Grid is the case's grid column, wherever
# its unit is.
check_same 'by street: the unit'"'"'s street, its name beside, one label for none' \
    "$(stats --by street --figures received,open)" \
    "$(table 'street|street_name|received|open' \
	'|unspecified|5|5' 'xzz|新庄孜街道|1|1' 'total||6|6')"
check_same 'by community and grid: a case whose unit is above the community is under no community, but under its grid' \
    "$(stats --by community,grid --figures received)" \
    "$(table 'community|community_name|grid|grid_name|received' \
	'|unspecified||unspecified|2' \
	'|unspecified|tbz-cy-1|朝阳社区第一网格|1' \
	'|unspecified|xzz-dk-2|东矿社区第二网格|1' \
	'|unspecified|xzz-hp-1|和平社区第一网格|1' \
	'xzz-dk|东矿社区|xzz-dk-1|东矿社区第一网格|1' 'total||||6')"
check_same 'unit:street as before: no name column, a blank for none' \
    "$(stats --by unit:street --figures received)" \
    "$(table 'unit:street|received' '|5' 'xzz|1' 'total|6')"
check_same 'csv: the name column, the label a value' \
    "$(case-stats --by grid --format csv --figures received | tr -d '\r' |
	sed -n '1,2p')" 'grid,grid_name,received
,unspecified,2'
check_same 'json: the name beside the code' \
    "$(case-stats --by street --format json --figures received | sed -n 2p)" \
    '{"street":"xzz","street_name":"新庄孜街道","received":1}'
zh case-stats --by street --format table --figures received,escalated \
    >"$tmp/zh"
check_same 'in Chinese: headings, and 未指定 for the cases with no street' \
    "$(cat "$tmp/zh")" '街道  街道名称    受理  升级数
      未指定         5       1
xzz   新庄孜街道     1       1
合计                 6       2'
check_exit 'an unknown key is refused' 2 case-stats --by streets
check_grep 'naming it' '^case-stats: --by: unknown key -- streets$' "$tmp/err"

# --- --grid G: the cases that arose in G or a unit under it, on every
# reading program.
check_same 'case-list --grid: a community takes in its grids' \
    "$(case-list --grid xzz-dk --status all | cut -f1 | paste -sd' ' -)" '1 2'
check_same 'case-export --grid: one grid' \
    "$(case-export --grid xzz-dk-2 | tr -d '\r' | cut -d, -f1,6)" \
    'id,grid
2,xzz-dk-2'
check_same 'case-stats --grid, whatever the unit' \
    "$(stats --grid xzz --by street --figures received)" \
    "$(table 'street|street_name|received' '|unspecified|2' \
	'xzz|新庄孜街道|1' 'total||3')"
check_exit 'a grid that is no unit is refused' 2 case-list --grid nowhere
check_grep 'with the reason' '^case-list: --grid: no such unit -- nowhere' \
    "$tmp/err"

# --- --figures: which columns, in the order given.
check_same '--figures picks the columns, in order' \
    "$(stats --figures overdue,received,closure_rate | sed -n 1p)" \
    "$(table 'overdue|received|closure_rate')"
check_exit 'an unknown figure is refused' 2 case-stats --figures received,bogus
check_grep 'listing the valid ones' \
    '^case-stats: --figures: unknown figure -- bogus (one of received, .*, close_h_p90, escalated, supervised, returned, reworks, ack_on_time_rate, same_day_rate, conferenced, conference_success_rate, actions_due, action_on_time_rate, actions_overdue)$' \
    "$tmp/err"
check_same 'by default the figures as before, none of the new' \
    "$(stats | sed -n 1p | tr '\t' '\n' | sed -n '1p;$p' | paste -sd' ' -)" \
    'received close_h_p90'

# --- The actions, each counted at its own time, a case once a row.
check_same 'escalated, supervised, returned and reworks by day' \
    "$(stats --by day --figures escalated,supervised,returned,reworks)" \
    "$(table 'day|escalated|supervised|returned|reworks' \
	'2024-05-06|0|0|0|1' '2024-05-07|0|0|1|1' '2024-05-08|2|1|0|0' \
	'total|2|1|1|1')"
check_same '--ids escalated: the cases behind the figure' \
    "$(case-stats --ids escalated | paste -sd' ' -)" '1 2'
check_same '--ids supervised' "$(case-stats --ids supervised)" 6
check_same 'a period: the escalations of 8 May only' \
    "$(stats --since 2024-05-08 --until 2024-05-08 \
	--figures escalated,reworks)" "$(table 'escalated|reworks' '2|0')"
if [ -n "$faketime_lib" ]; then
	check_same '--as-of the end of 7 May: no escalation yet' \
	    "$(stats --as-of 2024-05-07 --figures escalated,supervised,returned,reworks)" \
	    "$(table 'escalated|supervised|returned|reworks' '0|0|1|1')"
	check_same '--as-of and --ids: the rework of 6 May' \
	    "$(case-stats --as-of 2024-05-06T23:00 --ids reworks)" 1
else
	skip 'libfaketime not installed (Debian: faketime)'
	skip 'libfaketime not installed (Debian: faketime)'
fi

# --- The table: within 100 columns, else a block a row.
case-stats --by street --format table >"$tmp/wide"
check_same 'every figure, by street: no line over 100 cells' \
    "$(awk 'length > 100' "$tmp/wide")" ''
check_same 'a block a row: the keys, then figure and value lines' \
    "$(sed -n '1,3p;/^xzz/,/^  registered/p' "$tmp/wide")" 'unspecified
  received                    5
  registered                  5
xzz  新庄孜街道
  received                    1
  registered                  1'
check_same 'as many blocks as rows' \
    "$(grep -c '^[^ ]' "$tmp/wide")" 3

# --- A grid corrected later moves no past count: the grid as it stood
# at the end of the period, as the unit and the category.
at 2024-05-09T09:30 case-edit -q --grid xzz-hp-2 5
check_same 'by grid now: the corrected grid' \
    "$(stats --by grid --figures received | grep xzz-hp)" \
    "$(table 'xzz-hp-2|锦绣花园小区网格|1')"
check_same 'by grid up to 8 May: the grid it had then' \
    "$(stats --until 2024-05-08 --by grid --figures received |
	grep xzz-hp)" "$(table 'xzz-hp-1|和平社区第一网格|1')"

# --- Each new figure is defined once, in stats.c, and casekit(7) and
# case-stats(1) say it in the very words of --explain (as 1820 checks
# the others).
for page in man7/casekit.7 man1/case-stats.1; do
	mandoc -Tutf8 -Owidth=500 "$top/man/$page" | sed 's/.\x08//g' |
	    tr '\n\t' '  ' | tr -s ' ' >"$tmp/page"
	case-stats --explain --figures escalated,supervised,returned,reworks |
	    awk 'seen && NF { print } /^$/ { seen = 1 }' | sed -n '1,4p' |
	    while read -r name def; do
		grep -qF -e "$name $def" "$tmp/page" || echo "$name: $def"
	    done >"$tmp/missing"
	check_same "$page defines the action counts in the words of --explain" \
	    "$(cat "$tmp/missing")" ''
done
check_exit 'a figure named twice is refused' 2 \
    case-stats --figures received,open,received
check_grep 'saying which' '^case-stats: --figures: named twice -- received$' \
    "$tmp/err"
