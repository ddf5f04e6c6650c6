#!/bin/sh
# case-stats: the figures people quote, per group and in total.
. "$(dirname "$0")/lib.sh"
: ${CASE_STATS:=case-stats}
plan 47

py=/usr/bin/python3
figs='received|closed|resolved|success_rate|open|overdue|closed_late|median_assign_h|median_close_h'

# stats ARGS...: case-stats as TSV.
stats() {
	$CASE_STATS --format tsv "$@"
}

# table LINES: the expected TSV, written with | between the fields.
table() {
	printf '%s\n' "$@" | tr '|' '\t'
}

# fig NAME: the value of a figure in the TSV on stdin (header, one row).
fig() {
	awk -F '\t' -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
	    NR == 2 { print $c[n] }'
}

# The DOMAIN.md figure: 346 disputes screened, 346 mediated, 100%.
# Reported a minute apart from midnight on 8 May, all closed at the
# clock (9 May, 09:00), so each took 33 h less its minutes.
init_demo
awk 'BEGIN {
	print "category,title,unit,reported"
	split("xzz-dk-1 xzz-hp-2 tbz-cy-1 tbz-hy-2 bgsz-ms-2 bgsz-dq-1", u)
	for (i = 0; i < 346; i++)
		printf "dispute,矛盾纠纷%d,%s,2024-05-08T%02d:%02d\n", i + 1,
		    u[i % 6 + 1], int(i / 60), i % 60
}' >"$tmp/disputes.csv"
check 'case-add --csv takes 346 disputes' case-add -q --csv "$tmp/disputes.csv"
check 'all closed with outcome mediated' \
    sh -c 'case-list --category dispute | cut -f1 |
	case-close -q --outcome mediated'
stats --category dispute >"$tmp/346"
check_same '346 received' "$(fig received <"$tmp/346")" 346
check_same '346 closed' "$(fig closed <"$tmp/346")" 346
check_same '346 resolved' "$(fig resolved <"$tmp/346")" 346
check_same 'success rate 100.0' "$(fig success_rate <"$tmp/346")" 100.0
check_same 'none open, overdue or late' \
    "$(for f in open overdue closed_late; do fig $f <"$tmp/346"; done |
	paste -sd' ' -)" '0 0 0'
check_same 'medians: assigned on receipt; closed after 33 h less 172.5 min' \
    "$(fig median_assign_h <"$tmp/346") $(fig median_close_h <"$tmp/346")" \
    '0.0 30.1'
check_same 'the tsv has a header row and one total row' \
    "$(sed -n 1p "$tmp/346"; wc -l <"$tmp/346")" "$(table "$figs")
2"

# A mix, in a database of its own, every figure worked out by hand.
CASE_DB=$tmp/mix.db
export CASE_DB
init_demo
add() { case-add -q "$@"; }
at() { t=$1; shift; CASE_NOW=$t+08:00 "$@"; }
#   id category   source    reported          unit       assigned  closed
#   1  hazard     grid      03-31 23:30       xzz-dk-1   +2 h      +12 h resolved
#   2  hazard     police    04-01 07:00       xzz-hp-2   +0 h      +48 h resolved, late
#   3  dispute    mediation 04-15 10:00       tbz-cy     +4 h      +120 h mediated
#   4  dispute    mediation 05-06 09:00       tbz-hy-1   +1 h      +48 h mediation-failed
#   5  enterprise wechat    05-09 08:00       -          -         open
#   6  petition   walk-in   03-01 09:00       bgsz-ms    +6 h      open, overdue
#   7  hazard     grid      05-07 09:00       xzz-pcs    +1 h      open, overdue
#   8  suggestion council   05-01 10:00       fgw        +24 h     +96 h resolved
add --category hazard --source grid --grid xzz-dk-1 --title 液化气罐 \
    --reported 2024-03-31T23:30 --due 2024-04-01T23:30
add --category hazard --source police --unit xzz-hp-2 --title 消防通道 \
    --reported 2024-04-01T07:00 --due 2024-04-02T07:00
add --category dispute --source mediation --title 邻里纠纷 \
    --reported 2024-04-15T10:00 --due 2024-04-22T10:00
add --category dispute --source mediation --title 劳资纠纷 \
    --reported 2024-05-06T09:00 --due 2024-05-13T09:00
add --category enterprise --source wechat --title 奖励未兑现 \
    --reported 2024-05-09T08:00 --due 2024-05-12T08:00
add --category petition --source walk-in --title 信访 \
    --reported 2024-03-01T09:00 --due 2024-03-31T09:00
add --category hazard --source grid --title 飞线充电 \
    --reported 2024-05-07T09:00 --due 2024-05-08T09:00
add --category suggestion --source council --title 充电棚 \
    --reported 2024-05-01T10:00 --due 2024-05-16T10:00
at 2024-04-01T01:30 case-assign -q --to xzz-dk-1 1
at 2024-04-15T14:00 case-assign -q --to tbz-cy 3
at 2024-05-06T10:00 case-assign -q --to tbz-hy-1 4
at 2024-03-01T15:00 case-assign -q --to bgsz-ms 6
at 2024-05-07T10:00 case-assign -q --to xzz-pcs 7
at 2024-05-02T10:00 case-assign -q --to fgw 8
at 2024-04-01T11:30 case-close -q --outcome resolved 1
at 2024-04-03T07:00 case-close -q --outcome resolved 2
at 2024-04-20T10:00 case-close -q --outcome mediated 3
at 2024-05-08T09:00 case-close -q --outcome mediation-failed 4
at 2024-05-05T10:00 case-close -q --outcome resolved 8
total='8|5|4|50.0|3|2|1|2.0|48.0'

check_same 'no --by: the total row only' "$(stats)" "$(table "$figs" "$total")"
check_same '--by category (an even count: medians of two)' \
    "$(stats --by category)" "$(table "category|$figs" \
	'dispute|2|2|1|50.0|0|0|0|2.5|84.0' \
	'enterprise|1|0|0|0.0|1|0|0||' \
	'hazard|3|2|2|66.7|1|1|1|1.0|30.0' \
	'petition|1|0|0|0.0|1|1|0|6.0|' \
	'suggestion|1|1|1|100.0|0|0|0|24.0|96.0' \
	"total|$total")"
check_same '--by unit:street rolls grids, communities and police up' \
    "$(stats --by unit:street)" "$(table "unit:street|$figs" \
	'|2|1|1|50.0|1|0|0|24.0|96.0' \
	'bgsz|1|0|0|0.0|1|1|0|6.0|' \
	'tbz|2|2|1|50.0|0|0|0|2.5|84.0' \
	'xzz|3|2|2|66.7|1|1|1|1.0|30.0' \
	"total|$total")"
check_same '--by source' \
    "$(stats --by source)" "$(table "source|$figs" \
	'council|1|1|1|100.0|0|0|0|24.0|96.0' \
	'grid|2|1|1|50.0|1|1|0|1.5|12.0' \
	'mediation|2|2|1|50.0|0|0|0|2.5|84.0' \
	'police|1|1|1|100.0|0|0|1|0.0|48.0' \
	'walk-in|1|0|0|0.0|1|1|0|6.0|' \
	'wechat|1|0|0|0.0|1|0|0||' \
	"total|$total")"
check_same '--by status' \
    "$(stats --by status)" "$(table "status|$figs" \
	'assigned|2|0|0|0.0|2|2|0|3.5|' \
	'closed|5|5|4|80.0|0|0|1|2.0|48.0' \
	'reported|1|0|0|0.0|1|0|0||' \
	"total|$total")"
check_same '--by outcome' \
    "$(stats --by outcome)" "$(table "outcome|$figs" \
	'|3|0|0|0.0|3|2|0|3.5|' \
	'mediated|1|1|1|100.0|0|0|0|4.0|120.0' \
	'mediation-failed|1|1|0|0.0|0|0|0|1.0|48.0' \
	'resolved|3|3|3|100.0|0|0|1|2.0|48.0' \
	"total|$total")"
check_same '--by month, in local time: 03-31 23:30 is March' \
    "$(stats --by month)" "$(table "month|$figs" \
	'2024-03|2|1|1|50.0|1|1|0|4.0|12.0' \
	'2024-04|2|2|2|100.0|0|0|1|2.0|84.0' \
	'2024-05|4|2|1|25.0|2|1|0|1.0|72.0' \
	"total|$total")"
check_same '--by quarter: 04-01 07:00+08:00 is Q2 although March in UTC' \
    "$(stats --by quarter)" "$(table "quarter|$figs" \
	'2024-Q1|2|1|1|50.0|1|1|0|4.0|12.0' \
	'2024-Q2|6|4|3|50.0|2|1|1|1.0|72.0' \
	"total|$total")"
check_same '--by week: ISO weeks, Sunday 03-31 in W13, Monday in W14' \
    "$(stats --by week)" "$(table "week|$figs" \
	'2024-W09|1|0|0|0.0|1|1|0|6.0|' \
	'2024-W13|1|1|1|100.0|0|0|0|2.0|12.0' \
	'2024-W14|1|1|1|100.0|0|0|1|0.0|48.0' \
	'2024-W16|1|1|1|100.0|0|0|0|4.0|120.0' \
	'2024-W18|1|1|1|100.0|0|0|0|24.0|96.0' \
	'2024-W19|3|1|0|0.0|2|1|0|1.0|48.0' \
	"total|$total")"
check_same '--by year' "$(stats --by year)" \
    "$(table "year|$figs" "2024|$total" "total|$total")"
check_same '--by day' "$(stats --by day --source grid)" \
    "$(table "day|$figs" \
	'2024-03-31|1|1|1|100.0|0|0|0|2.0|12.0' \
	'2024-05-07|1|0|0|0.0|1|1|0|1.0|' \
	'total|2|1|1|50.0|1|1|0|1.5|12.0')"
check_same 'periods follow TZ: in UTC case 2 falls in March' \
    "$(TZ=UTC stats --by month)" "$(table "month|$figs" \
	'2024-03|3|2|2|66.7|1|1|1|2.0|30.0' \
	'2024-04|1|1|1|100.0|0|0|0|4.0|120.0' \
	'2024-05|4|2|1|25.0|2|1|0|1.0|72.0' \
	"total|$total")"
check_same 'two keys: --by category,unit' \
    "$(stats --by category,unit)" "$(table "category|unit|$figs" \
	'dispute|tbz-cy|1|1|1|100.0|0|0|0|4.0|120.0' \
	'dispute|tbz-hy-1|1|1|0|0.0|0|0|0|1.0|48.0' \
	'enterprise||1|0|0|0.0|1|0|0||' \
	'hazard|xzz-dk-1|1|1|1|100.0|0|0|0|2.0|12.0' \
	'hazard|xzz-hp-2|1|1|1|100.0|0|0|1|0.0|48.0' \
	'hazard|xzz-pcs|1|0|0|0.0|1|1|0|1.0|' \
	'petition|bgsz-ms|1|0|0|0.0|1|1|0|6.0|' \
	'suggestion|fgw|1|1|1|100.0|0|0|0|24.0|96.0' \
	"total||$total")"

# Filters narrow what is counted.
check_same '--overdue --by unit:street' \
    "$(stats --overdue --by unit:street)" "$(table "unit:street|$figs" \
	'bgsz|1|0|0|0.0|1|1|0|6.0|' \
	'xzz|1|0|0|0.0|1|1|0|1.0|' \
	'total|2|0|0|0.0|2|2|0|3.5|')"
check_same 'overdue counts move with the clock' \
    "$(CASE_NOW=2024-05-13T00:00:00+08:00 stats | fig overdue)" 3
check_same '--unit street: its subtree only' \
    "$(stats --unit xzz)" "$(table "$figs" '3|2|2|66.7|1|1|1|1.0|30.0')"
check_same '--since/--until a quarter' \
    "$(stats --since 2024-04-01 --until 2024-06-30)" \
    "$(table "$figs" '6|4|3|50.0|2|1|1|1.0|72.0')"
check_same '--status closed' "$(stats --status closed)" \
    "$(table "$figs" '5|5|4|80.0|0|0|1|2.0|48.0')"
check_same '--closed-since' "$(stats --closed-since 2024-05-01)" \
    "$(table "$figs" '2|2|1|50.0|0|0|0|12.5|72.0')"

# Other formats.
stats() {
	$CASE_STATS "$@"
}
stats --by category --format csv >"$tmp/csv"
check_same 'csv: a header row' "$(sed -n 1p "$tmp/csv")" \
    "$(printf 'category,%s\r' "$(echo "$figs" | tr '|' ',')")"
check_same 'csv: CRLF on every line' \
    "$(grep -c "$(printf '\r')\$" "$tmp/csv") $(wc -l <"$tmp/csv")" '7 7'
check_same 'csv: the rows' "$(sed -n '2p;$p' "$tmp/csv" | tr -d '\r')" \
    'dispute,2,2,1,50.0,0,0,0,2.5,84.0
total,8,5,4,50.0,3,2,1,2.0,48.0'
stats --by category --format json >"$tmp/json"
check 'json: valid, one object per line' \
    $py -c 'import json,sys;[json.loads(l) for l in sys.stdin]' <"$tmp/json"
check_same 'json: one line per group and the total, no header' \
    "$(wc -l <"$tmp/json")" 6
check_same 'json: keys and figures, numbers as numbers, none as null' \
    "$($py -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    print(o["category"], o["received"], o["success_rate"],
	o["median_assign_h"], o["median_close_h"])' <"$tmp/json")" \
    'dispute 2 50.0 2.5 84.0
enterprise 1 0.0 None None
hazard 3 66.7 1.0 30.0
petition 1 0.0 6.0 None
suggestion 1 100.0 24.0 96.0
total 8 50.0 2.0 48.0'
stats --by category --format table >"$tmp/table"
check_same 'table: a header and a line per group' "$(wc -l <"$tmp/table")" 7
check_grep 'table: the rate with a percent sign' '^total .* 50\.0% ' \
    "$tmp/table"

# Nothing selected is not an error here, unlike case-list.
check_exit 'an empty result exits 0' 0 $CASE_STATS --format tsv \
    --category law
check_same 'with the total row of zeros' "$(cat "$tmp/out")" \
    "$(table "$figs" '0|0|0||0|0|0||')"
check_exit 'empty, with --by' 0 $CASE_STATS --format tsv --category law \
    --by category
check_same 'only the total row' "$(cat "$tmp/out")" \
    "$(table "category|$figs" 'total|0|0|0||0|0|0||')"

check_exit 'unknown --by key exits 2' 2 $CASE_STATS --by colour
check_grep 'and names it' colour "$tmp/err"
check_exit 'unknown key among several exits 2' 2 $CASE_STATS \
    --by category,colour
check_exit '--by unit:nosuchlevel exits 2' 2 $CASE_STATS \
    --by unit:nosuchlevel
check_grep 'and names the level' nosuchlevel "$tmp/err"
check_exit 'unknown --format exits 2' 2 $CASE_STATS --format xml
check_exit 'unknown --unit exits 2' 2 $CASE_STATS --unit nosuch
done_testing
