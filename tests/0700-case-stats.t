#!/bin/sh
# case-stats: the figures people quote, per group and in total.  Every
# rate comes with its numerator and denominator; with a period key, each
# figure falls in the period of its own time (received by report, due
# and lapses by deadline, closed by closure; open and overdue as they
# stood at the period's end), so that a row equals the run for that
# period alone.  The definitions are in
# lib/stats.c (figures[]); tests/1500-kpi.t works them on a larger
# district.
. "$(dirname "$0")/lib.sh"
: ${CASE_STATS:=case-stats}
plan 55

py=python3
figs='received|registered|due|closed|closure_rate|on_time_rate|success_rate|mediation_rate|rework_rate|extension_rate|satisfaction_rate|open|overdue|closed_late|lapses|dispatch_h_median|dispatch_h_p90|close_h_median|close_h_p90'

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
check_same '346 received, 346 registered, 346 closed' \
    "$(for f in received registered closed; do fig $f <"$tmp/346"; done |
	paste -sd' ' -)" '346 346 346'
check_same 'mediation success rate 调处成功率: 346/346 100.0%' \
    "$(fig mediation_rate <"$tmp/346")" '346/346 100.0%'
check_same 'success rate: 346/346 100.0%' "$(fig success_rate <"$tmp/346")" \
    '346/346 100.0%'
# Deadline 7 days (05-15): none due yet, so no closure rate to speak of.
check_same 'none due, open, overdue or late; no closure rate without a base' \
    "$(for f in due open overdue closed_late closure_rate on_time_rate; do
	fig $f <"$tmp/346"; done | paste -sd'|' -)" '0|0|0|0|0/0 -|0/0 -'
# Close hours 33 h less 0 .. 345 min: the median the mean of the 173rd and
# 174th, 33 h less 172.5 min = 30.125 h; p90 the ceil(311.4) = 312th
# smallest, 33 h less 34 min = 32.43 h.
check_same 'hours: assigned on receipt; closed after 30.1 h (median), 32.4 h (p90)' \
    "$(for f in dispatch_h_median dispatch_h_p90 close_h_median \
	close_h_p90; do fig $f <"$tmp/346"; done | paste -sd' ' -)" \
    '0.0 0.0 30.1 32.4'
check_same 'the tsv has a header row and one total row' \
    "$(sed -n 1p "$tmp/346"; wc -l <"$tmp/346")" "$(table "$figs")
2"
check_same 'csv: the mediation rate as numerator, denominator and rate' \
    "$($CASE_STATS --category dispute --format csv | tr -d '\r' |
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
	NR == 2 { print $c["mediation_rate_num"], $c["mediation_rate_den"],
	    $c["mediation_rate"] }')" '346 346 100.0'

# A mix, in a database of its own, every figure worked out by hand.
CASE_DB=$(new_db "$tmp/mix.db")
export CASE_DB
init_demo
add() { case-add -q "$@"; }
at() { t=$1; shift; CASE_NOW=$t+08:00 "$@"; }
#   id category   source    reported     due          unit      assigned  closed
#   1  hazard     grid      03-31 23:30  04-01 23:30  xzz-dk-1  +2 h      +12 h resolved
#   2  hazard     police    04-01 07:00  04-02 07:00  xzz-hp-2  +0 h      +48 h resolved, late
#   3  dispute    mediation 04-15 10:00  04-22 10:00  tbz-cy    +4 h      +120 h mediated
#   4  dispute    mediation 05-06 09:00  05-13 09:00  tbz-hy-1  +1 h      +48 h mediation-failed
#   5  enterprise wechat    05-09 08:00  05-12 08:00  -         -         open
#   6  petition   walk-in   03-01 09:00  03-31 09:00  bgsz-ms   +6 h      open, overdue
#   7  hazard     grid      05-07 09:00  05-08 09:00  xzz-pcs   +1 h      open, overdue
#   8  suggestion council   05-01 10:00  05-16 10:00  fgw       +24 h     +96 h resolved
# Closed: 1 04-01 11:30, 2 04-03 07:00, 3 04-20 10:00, 4 05-08 09:00,
# 8 05-05 10:00.  None handled, extended or visited: rework 0/0, extension
# 0/n, satisfaction 0/0 throughout.
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
# In total: received 8, all registered; due 1 2 3 6 7 (deadline passed; 4
# 5 8 not yet); closed 1 2 3 4 8; closure 3/5 (1 2 3); on time 2/5 (1 3;
# 2 late); success 4/8 (1 2 3 8); mediation 1/2 (3 of 3 4); open 5 6 7,
# overdue 6 7; late 2.  Dispatch 0 1 1 2 4 6 24: median 2.0, p90 the 7th
# 24.0; close 12 48 48 96 120: median 48.0, p90 the 5th 120.0.
total='8|8|5|5|3/5 60.0%|2/5 40.0%|4/8 50.0%|1/2 50.0%|0/0 -|0/8 0.0%|0/0 -|3|2|1|3|2.0|24.0|48.0|120.0'

check_same 'no --by: the total row only' "$(stats)" "$(table "$figs" "$total")"
# dispute 3 4: due 3 only; enterprise 5: nothing due, no hours; hazard 1 2
# 7: due all three, 7 open; petition 6; suggestion 8: not yet due.
check_same '--by category (an even count: medians of two)' \
    "$(stats --by category)" "$(table "category|$figs" \
	'dispute|2|2|1|2|1/1 100.0%|1/1 100.0%|1/2 50.0%|1/2 50.0%|0/0 -|0/2 0.0%|0/0 -|0|0|0|0|2.5|4.0|84.0|120.0' \
	'enterprise|1|1|0|0|0/0 -|0/0 -|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|0|0|0||||' \
	'hazard|3|3|3|2|2/3 66.7%|1/3 33.3%|2/3 66.7%|0/0 -|0/0 -|0/3 0.0%|0/0 -|1|1|1|2|1.0|2.0|30.0|48.0' \
	'petition|1|1|1|0|0/1 0.0%|0/1 0.0%|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|1|0|1|6.0|6.0||' \
	'suggestion|1|1|0|1|0/0 -|0/0 -|1/1 100.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|0|0|0|0|24.0|24.0|96.0|96.0' \
	"total|$total")"
# No street: 5 (no unit), 8 (fgw, a department); bgsz 6; tbz 3 4; xzz 1 2
# 7 (xzz-pcs, the police station, is under the street).
check_same '--by unit:street rolls grids, communities and police up' \
    "$(stats --by unit:street)" "$(table "unit:street|$figs" \
	'|2|2|0|1|0/0 -|0/0 -|1/2 50.0%|0/0 -|0/0 -|0/2 0.0%|0/0 -|1|0|0|0|24.0|24.0|96.0|96.0' \
	'bgsz|1|1|1|0|0/1 0.0%|0/1 0.0%|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|1|0|1|6.0|6.0||' \
	'tbz|2|2|1|2|1/1 100.0%|1/1 100.0%|1/2 50.0%|1/2 50.0%|0/0 -|0/2 0.0%|0/0 -|0|0|0|0|2.5|4.0|84.0|120.0' \
	'xzz|3|3|3|2|2/3 66.7%|1/3 33.3%|2/3 66.7%|0/0 -|0/0 -|0/3 0.0%|0/0 -|1|1|1|2|1.0|2.0|30.0|48.0' \
	"total|$total")"
check_same '--by source' \
    "$(stats --by source)" "$(table "source|$figs" \
	'council|1|1|0|1|0/0 -|0/0 -|1/1 100.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|0|0|0|0|24.0|24.0|96.0|96.0' \
	'grid|2|2|2|1|1/2 50.0%|1/2 50.0%|1/2 50.0%|0/0 -|0/0 -|0/2 0.0%|0/0 -|1|1|0|1|1.5|2.0|12.0|12.0' \
	'mediation|2|2|1|2|1/1 100.0%|1/1 100.0%|1/2 50.0%|1/2 50.0%|0/0 -|0/2 0.0%|0/0 -|0|0|0|0|2.5|4.0|84.0|120.0' \
	'police|1|1|1|1|1/1 100.0%|0/1 0.0%|1/1 100.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|0|0|1|1|0.0|0.0|48.0|48.0' \
	'walk-in|1|1|1|0|0/1 0.0%|0/1 0.0%|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|1|0|1|6.0|6.0||' \
	'wechat|1|1|0|0|0/0 -|0/0 -|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|0|0|0||||' \
	"total|$total")"
check_same '--by status' \
    "$(stats --by status)" "$(table "status|$figs" \
	'assigned|2|2|2|0|0/2 0.0%|0/2 0.0%|0/2 0.0%|0/0 -|0/0 -|0/2 0.0%|0/0 -|2|2|0|2|3.5|6.0||' \
	'closed|5|5|3|5|3/3 100.0%|2/3 66.7%|4/5 80.0%|1/2 50.0%|0/0 -|0/5 0.0%|0/0 -|0|0|1|1|2.0|24.0|48.0|120.0' \
	'reported|1|1|0|0|0/0 -|0/0 -|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|0|0|0||||' \
	"total|$total")"
check_same '--by outcome' \
    "$(stats --by outcome)" "$(table "outcome|$figs" \
	'|3|3|2|0|0/2 0.0%|0/2 0.0%|0/3 0.0%|0/0 -|0/0 -|0/3 0.0%|0/0 -|3|2|0|2|3.5|6.0||' \
	'mediated|1|1|1|1|1/1 100.0%|1/1 100.0%|1/1 100.0%|1/1 100.0%|0/0 -|0/1 0.0%|0/0 -|0|0|0|0|4.0|4.0|120.0|120.0' \
	'mediation-failed|1|1|0|1|0/0 -|0/0 -|0/1 0.0%|0/1 0.0%|0/0 -|0/1 0.0%|0/0 -|0|0|0|0|1.0|1.0|48.0|48.0' \
	'resolved|3|3|2|3|2/2 100.0%|1/2 50.0%|3/3 100.0%|0/0 -|0/0 -|0/3 0.0%|0/0 -|0|0|1|1|2.0|24.0|48.0|96.0' \
	"total|$total")"
# By month, local time: received in March 1 (03-31 23:30) and 6, in April
# 2 3, in May 4 5 7 8; due in March 6 (03-31 09:00), in April 1 2 3, in
# May 7; closed in April 1 2 3, in May 4 8.
check_same '--by month, in local time: 03-31 23:30 is March' \
    "$(stats --by month)" "$(table "month|$figs" \
	'2024-03|2|2|1|0|0/1 0.0%|0/1 0.0%|1/2 50.0%|0/0 -|0/0 -|0/2 0.0%|0/0 -|2|1|0|1|6.0|6.0||' \
	'2024-04|2|2|3|3|3/3 100.0%|2/3 66.7%|2/2 100.0%|1/1 100.0%|0/0 -|0/2 0.0%|0/0 -|0|0|1|1|2.0|4.0|48.0|120.0' \
	'2024-05|4|4|1|2|0/1 0.0%|0/1 0.0%|1/4 25.0%|0/1 0.0%|0/0 -|0/4 0.0%|0/0 -|2|1|0|1|1.0|24.0|72.0|96.0' \
	"total|$total")"
check_same '--by quarter: 04-01 07:00+08:00 is Q2 although March in UTC' \
    "$(stats --by quarter)" "$(table "quarter|$figs" \
	'2024-Q1|2|2|1|0|0/1 0.0%|0/1 0.0%|1/2 50.0%|0/0 -|0/0 -|0/2 0.0%|0/0 -|2|1|0|1|6.0|6.0||' \
	'2024-Q2|6|6|4|5|3/4 75.0%|2/4 50.0%|3/6 50.0%|1/2 50.0%|0/0 -|0/6 0.0%|0/0 -|2|1|1|2|1.0|24.0|48.0|120.0' \
	"total|$total")"
# Weeks: 6's deadline, Sunday 03-31, in W13; 1 and 2 due Monday and
# Tuesday of W14; 3 due Monday 04-22, W17, where nothing was reported.
check_same '--by week: ISO weeks, Sunday 03-31 in W13, Monday in W14' \
    "$(stats --by week)" "$(table "week|$figs" \
	'2024-W09|1|1|0|0|0/0 -|0/0 -|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|0|0|0|6.0|6.0||' \
	'2024-W13|1|1|1|0|0/1 0.0%|0/1 0.0%|1/1 100.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|0|0|1||||' \
	'2024-W14|1|1|2|2|2/2 100.0%|1/2 50.0%|1/1 100.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|0|0|1|1|0.0|0.0|30.0|48.0' \
	'2024-W16|1|1|0|1|0/0 -|0/0 -|1/1 100.0%|1/1 100.0%|0/0 -|0/1 0.0%|0/0 -|0|0|0|0|4.0|4.0|120.0|120.0' \
	'2024-W17|0|0|1|0|1/1 100.0%|1/1 100.0%|0/0 -|0/0 -|0/0 -|0/0 -|0/0 -|0|0|0|0||||' \
	'2024-W18|1|1|0|1|0/0 -|0/0 -|1/1 100.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|0|0|0|0|24.0|24.0|96.0|96.0' \
	'2024-W19|3|3|1|1|0/1 0.0%|0/1 0.0%|0/3 0.0%|0/1 0.0%|0/0 -|0/3 0.0%|0/0 -|2|1|0|1|1.0|1.0|48.0|48.0' \
	"total|$total")"
check_same '--by year' "$(stats --by year)" \
    "$(table "year|$figs" "2024|$total" "total|$total")"
# From the grid: 1 reported 03-31, due and closed 04-01; 7 reported 05-07,
# due 05-08.
check_same '--by day' "$(stats --by day --source grid)" \
    "$(table "day|$figs" \
	'2024-03-31|1|1|0|0|0/0 -|0/0 -|1/1 100.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|0|0|0||||' \
	'2024-04-01|0|0|1|1|1/1 100.0%|1/1 100.0%|0/0 -|0/0 -|0/0 -|0/0 -|0/0 -|0|0|0|0|||12.0|12.0' \
	'2024-05-07|1|1|0|0|0/0 -|0/0 -|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|0|0|0|1.0|1.0||' \
	'2024-05-08|0|0|1|0|0/1 0.0%|0/1 0.0%|0/0 -|0/0 -|0/0 -|0/0 -|0/0 -|0|0|0|1||||' \
	'total|2|2|2|1|1/2 50.0%|1/2 50.0%|1/2 50.0%|0/0 -|0/0 -|0/2 0.0%|0/0 -|1|1|0|1|1.5|2.0|12.0|12.0')"
check_same 'periods follow TZ: in UTC case 2 falls in March' \
    "$(TZ=UTC stats --by month)" "$(table "month|$figs" \
	'2024-03|3|3|1|0|0/1 0.0%|0/1 0.0%|2/3 66.7%|0/0 -|0/0 -|0/3 0.0%|0/0 -|3|1|0|1|2.0|6.0||' \
	'2024-04|1|1|3|3|3/3 100.0%|2/3 66.7%|1/1 100.0%|1/1 100.0%|0/0 -|0/1 0.0%|0/0 -|0|0|1|1|4.0|4.0|48.0|120.0' \
	'2024-05|4|4|1|2|0/1 0.0%|0/1 0.0%|1/4 25.0%|0/1 0.0%|0/0 -|0/4 0.0%|0/0 -|2|1|0|1|1.0|24.0|72.0|96.0' \
	"total|$total")"
# Unset, TZ is the zone /etc/localtime names, as glibc reads it (the
# programs name it once so that the file is not read on every call).
check_same 'TZ unset: the periods of /etc/localtime' \
    "$(unset TZ; stats --by month)" "$(TZ=:/etc/localtime stats --by month)"
check_same 'two keys: --by category,unit' \
    "$(stats --by category,unit)" "$(table "category|unit|$figs" \
	'dispute|tbz-cy|1|1|1|1|1/1 100.0%|1/1 100.0%|1/1 100.0%|1/1 100.0%|0/0 -|0/1 0.0%|0/0 -|0|0|0|0|4.0|4.0|120.0|120.0' \
	'dispute|tbz-hy-1|1|1|0|1|0/0 -|0/0 -|0/1 0.0%|0/1 0.0%|0/0 -|0/1 0.0%|0/0 -|0|0|0|0|1.0|1.0|48.0|48.0' \
	'enterprise||1|1|0|0|0/0 -|0/0 -|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|0|0|0||||' \
	'hazard|xzz-dk-1|1|1|1|1|1/1 100.0%|1/1 100.0%|1/1 100.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|0|0|0|0|2.0|2.0|12.0|12.0' \
	'hazard|xzz-hp-2|1|1|1|1|1/1 100.0%|0/1 0.0%|1/1 100.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|0|0|1|1|0.0|0.0|48.0|48.0' \
	'hazard|xzz-pcs|1|1|1|0|0/1 0.0%|0/1 0.0%|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|1|0|1|1.0|1.0||' \
	'petition|bgsz-ms|1|1|1|0|0/1 0.0%|0/1 0.0%|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|1|0|1|6.0|6.0||' \
	'suggestion|fgw|1|1|0|1|0/0 -|0/0 -|1/1 100.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|0|0|0|0|24.0|24.0|96.0|96.0' \
	"total||$total")"

# Filters narrow what is counted.
check_same '--overdue --by unit:street' \
    "$(stats --overdue --by unit:street)" "$(table "unit:street|$figs" \
	'bgsz|1|1|1|0|0/1 0.0%|0/1 0.0%|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|1|0|1|6.0|6.0||' \
	'xzz|1|1|1|0|0/1 0.0%|0/1 0.0%|0/1 0.0%|0/0 -|0/0 -|0/1 0.0%|0/0 -|1|1|0|1|1.0|1.0||' \
	'total|2|2|2|0|0/2 0.0%|0/2 0.0%|0/2 0.0%|0/0 -|0/0 -|0/2 0.0%|0/0 -|2|2|0|2|3.5|6.0||')"
check_same 'overdue counts move with the clock (5 falls due 05-12 08:00)' \
    "$(CASE_NOW=2024-05-13T00:00:00+08:00 stats | fig overdue)" 3
check_same '--unit street: its subtree only (1 2 7)' \
    "$(stats --unit xzz)" \
    "$(table "$figs" '3|3|3|2|2/3 66.7%|1/3 33.3%|2/3 66.7%|0/0 -|0/0 -|0/3 0.0%|0/0 -|1|1|1|2|1.0|2.0|30.0|48.0')"
# The second quarter: received 2 3 4 5 7 8 (1 came in March); due 1 2 3
# 7, whose deadlines fall in it (6 fell due in March and counts there
# only); closed 1 2 3 4 8, 1 on 04-01 although reported in March; two
# lapses, 2 (closed a day late) and 7 (still open).
check_same '--since/--until a quarter' \
    "$(stats --since 2024-04-01 --until 2024-06-30)" \
    "$(table "$figs" '6|6|4|5|3/4 75.0%|2/4 50.0%|3/6 50.0%|1/2 50.0%|0/0 -|0/6 0.0%|0/0 -|2|1|1|2|1.0|24.0|48.0|120.0')"
check_same '--status closed' "$(stats --status closed)" \
    "$(table "$figs" '5|5|3|5|3/3 100.0%|2/3 66.7%|4/5 80.0%|1/2 50.0%|0/0 -|0/5 0.0%|0/0 -|0|0|1|1|2.0|24.0|48.0|120.0')"
check_same '--closed-since (4 and 8)' "$(stats --closed-since 2024-05-01)" \
    "$(table "$figs" '2|2|0|2|0/0 -|0/0 -|1/2 50.0%|0/1 0.0%|0/0 -|0/2 0.0%|0/0 -|0|0|0|0|12.5|24.0|72.0|96.0')"

# Other formats.
stats() {
	$CASE_STATS "$@"
}
csvfigs=$(echo "$figs" | tr '|' '\n' | awk '/_rate$/ {
	printf "%s%s_num,%s_den,%s", sep, $0, $0, $0; sep = ","; next }
	{ printf "%s%s", sep, $0; sep = "," }')
stats --by category --format csv >"$tmp/csv"
check_same 'csv: a header row, each rate as _num, _den and the rate' \
    "$(sed -n 1p "$tmp/csv")" "$(printf 'category,%s\r' "$csvfigs")"
check_same 'csv: CRLF on every line' \
    "$(grep -c "$(printf '\r')\$" "$tmp/csv") $(wc -l <"$tmp/csv")" '7 7'
check_same 'csv: the rows, an empty rate empty' \
    "$(sed -n '2p;3p;$p' "$tmp/csv" | tr -d '\r')" \
    'dispute,2,2,1,2,1,1,100.0,1,1,100.0,1,2,50.0,1,2,50.0,0,0,,0,2,0.0,0,0,,0,0,0,0,2.5,4.0,84.0,120.0
enterprise,1,1,0,0,0,0,,0,0,,0,1,0.0,0,0,,0,0,,0,1,0.0,0,0,,1,0,0,0,,,,
total,8,8,5,5,3,5,60.0,2,5,40.0,4,8,50.0,1,2,50.0,0,0,,0,8,0.0,0,0,,3,2,1,3,2.0,24.0,48.0,120.0'
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
    print(o["category"], o["received"], o["success_rate_num"],
	o["success_rate_den"], o["success_rate"], o["closure_rate"],
	o["dispatch_h_median"], o["close_h_median"])' <"$tmp/json")" \
    'dispute 2 1 2 50.0 100.0 2.5 84.0
enterprise 1 0 1 0.0 None None None
hazard 3 2 3 66.7 66.7 1.0 30.0
petition 1 0 1 0.0 0.0 6.0 None
suggestion 1 1 1 100.0 None 24.0 96.0
total 8 4 8 50.0 60.0 2.0 48.0'
# Within 100 columns the table is a header and a line a group.
stats --by category --format table \
    --figures success_rate,closure_rate,received >"$tmp/table"
check_same 'table: a header and a line per group' "$(wc -l <"$tmp/table")" 7
check_grep 'table: a rate with its base and a percent sign' \
    '^total .* 4/8 50\.0%  ' "$tmp/table"
check_grep 'table: a rate with no base is a dash' '^enterprise .* 0/0 -  ' \
    "$tmp/table"

# Nothing selected is not an error here, unlike case-list.
zeros='0|0|0|0|0/0 -|0/0 -|0/0 -|0/0 -|0/0 -|0/0 -|0/0 -|0|0|0|0||||'
check_exit 'an empty result exits 0' 0 $CASE_STATS --format tsv \
    --category law
check_same 'with the total row of zeros' "$(cat "$tmp/out")" \
    "$(table "$figs" "$zeros")"
check_exit 'empty, with --by' 0 $CASE_STATS --format tsv --category law \
    --by category
check_same 'only the total row' "$(cat "$tmp/out")" \
    "$(table "category|$figs" "total|$zeros")"
check_exit 'empty, in csv' 0 $CASE_STATS --format csv --category law
check_same 'the rates empty, their bases zero' \
    "$(sed -n 2p "$tmp/out" | tr -d '\r')" \
    '0,0,0,0,0,0,,0,0,,0,0,,0,0,,0,0,,0,0,,0,0,,0,0,0,0,,,,'

check_exit 'unknown --by key exits 2' 2 $CASE_STATS --by colour
check_grep 'and names it' colour "$tmp/err"
check_exit 'unknown key among several exits 2' 2 $CASE_STATS \
    --by category,colour
check_exit '--by unit:nosuchlevel exits 2' 2 $CASE_STATS \
    --by unit:nosuchlevel
check_grep 'and names the level' nosuchlevel "$tmp/err"
check_exit 'unknown --format exits 2' 2 $CASE_STATS --format xml
check_exit 'unknown --unit exits 2' 2 $CASE_STATS --unit nosuch
check_exit '--compare without --since and --until exits 2' 2 \
    $CASE_STATS --compare previous
check_exit '--compare neither previous nor year exits 2' 2 $CASE_STATS \
    --compare tomorrow --since 2024-05-01 --until 2024-05-07
check_exit 'an unreadable --as-of exits 2' 2 $CASE_STATS --as-of someday
check_exit '--check and --ids together exit 2' 2 $CASE_STATS --check \
    --ids open
done_testing
