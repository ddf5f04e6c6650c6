#!/bin/sh
# case-stats: the standard KPIs of issue 4 on a generated district, every
# figure worked out by hand from the definitions (lib/stats.c, figures[]),
# by group (--by category, unit:street, month), in TSV and CSV; --explain,
# --ids into case-show, --check (a clean group and each flag), and a few
# places where case-stats must agree with itself and with case-list.
. "$(dirname "$0")/lib.sh"
need_faketime
plan 52

figs='received|registered|due|closed|closure_rate|on_time_rate|success_rate|mediation_rate|rework_rate|extension_rate|satisfaction_rate|open|overdue|closed_late|lapses|dispatch_h_median|dispatch_h_p90|close_h_median|close_h_p90'
# The CSV header: each rate as NAME_num, NAME_den, NAME.
csvfigs=$(echo "$figs" | tr '|' '\n' | awk '/_rate$/ {
	printf "%s%s_num,%s_den,%s", sep, $0, $0, $0; sep = ","; next }
	{ printf "%s%s", sep, $0; sep = "," }')

# table LINES: the expected TSV, written with | between the fields.
table() {
	printf '%s\n' "$@" | tr '|' '\t'
}
stats() {
	case-stats --format tsv "$@"
}
# csv ARGS...: case-stats as CSV, without the CRs.
csv() {
	case-stats --format csv "$@" | tr -d '\r'
}
# ids ARGS...: the IDs of case-stats --ids, sorted, on one line.
ids() {
	case-stats "$@" | sort -n | paste -sd' ' -
}

# --- The district.  Categories as the defaults, with dispatch limits
# (the time to first assignment) of 2 h for hazards and 4 h for
# enterprise requests.  Deadlines: hazard 24 h from the report;
# dispute and legal aid 7 days, enterprise 3, suggestion 15, petition
# 30, each to the end (23:59:59) of the last day.  The clock at the end
# is lib.sh's: Thursday 2024-05-09 09:00.
#
#  id category   source    unit       street reported   assigned  due (final)  closed      outcome
#   1 hazard     grid      xzz-dk-1   xzz    04-02 08:00 +0h      04-03 08:00  04-02 18:00 resolved   handled; visited, satisfied
#   2 hazard     police    xzz-hp-2   xzz    04-10 09:00 +1h      04-11 09:00  04-11 17:00 resolved   handled, reworked, handled; late; satisfied
#   3 hazard     grid      tbz-cy-1   tbz    05-07 09:00 +1h      05-08 15:00  open                   paused 12:00-18:00 (due +6h); overdue
#   4 hazard     grid      -          -      05-08 20:00 -        05-09 20:00  open                   dispatch limit 05-08 22:00 passed: overdue
#   5 hazard     grid      xzz-dk-2   xzz    05-06 10:00 +0.5h    05-07 10:00  open                   paused since 05-06 12:00: not overdue
#   6 hazard     hotline   tbz-hy-2   tbz    04-20 10:00 +0h      04-24 09:00  04-25 10:00 resolved   extended 24h to 04-22 10:00; closed 04-22 08:00,
#                                                                                                     visit unsatisfied 04-23 09:00 reopens (fresh
#                                                                                                     24h deadline); closed again, late; unsatisfied
#   7 dispute    mediation tbz-cy     tbz    04-03 09:00 +4h      04-10 eod    04-08 09:00 mediated   satisfied
#   8 dispute    mediation tbz-hy-1   tbz    04-15 10:00 +0h      04-22 eod    04-24 10:00 mediation-failed, late; no visit
#   9 dispute    mediation xzz-hp-1   xzz    04-28 14:00 +2h      05-08 eod    05-08 20:00 mediated   extended 3d from 05-05 eod; satisfied
#  10 dispute    walk-in   bgsz-dq-1  bgsz   05-02 09:00 +0h      05-09 eod    open
#  11 dispute    mediation bgsz-ms    bgsz   04-05 10:00 +1h      04-12 eod    04-12 10:00 mediated   satisfied
#  12 dispute    police    tbz-pcs    tbz    05-03 21:00 +0h      05-10 eod    05-04 09:00 withdrawn  no visit
#  13 dispute    mediation -          -      04-15 11:00 -        04-22 eod    04-15 12:00 duplicate of 8; no visit
#  14 petition   walk-in   bgsz-ms    bgsz   03-20 09:00 +6h      04-19 eod    open                   handled, reworked; overdue
#  15 petition   walk-in   xzz        xzz    04-08 10:00 +0h      05-08 eod    05-06 10:00 resolved   satisfied
#  16 petition   hotline   -          -      05-09 08:00 -        06-08 eod    open                   (no dispatch limit)
#  17 petition   walk-in   zhzx       -      04-22 09:00 +2h      05-22 eod    open                   handled, then paused
#  18 enterprise wechat    fgw        -      05-08 09:30 +2h      05-11 eod    open                   handled
#  19 enterprise wechat    rsj        -      04-16 10:00 +2h      04-21 eod    04-21 18:00 resolved   extended 2d from 04-19 eod; satisfied
#  20 enterprise wechat    -          -      05-06 09:00 -        05-09 eod    05-06 10:00 rejected   no visit
#  21 enterprise hotline   fgw        -      04-25 10:00 +8h      05-04 eod    open                   closed referred 04-30 10:00, visit unsatisfied
#                                                                                                     05-01 09:00 reopens (fresh 3d); overdue
#  22 suggestion council   bgsz-dq-2  bgsz   04-01 10:00 +24h     04-16 eod    04-12 10:00 resolved   satisfied
#  23 suggestion council   xzz-dk-1   xzz    04-18 15:00 +18h     05-03 eod    05-02 15:00 resolved   handled; satisfied
#  24 suggestion council   tbz-hy-2   tbz    05-05 10:00 +24h     05-21 eod    open                   paused a day, resumed (due +24h)
#  25 legal-aid  walk-in   bgsz-dq    bgsz   04-26 09:00 +0h      05-11 eod    05-06 10:00 resolved   handled; closed 05-03 17:00, visit unsatisfied
#                                                                                                     05-04 09:00 reopens (fresh 7d); unsatisfied
#  26 hazard     grid      tbz-hy     tbz    04-29 09:00 +0h      05-01 10:00  05-01 09:00 resolved   at tbz-hy-1, escalated 04-30 10:00 (fresh 24h)
#  27 hazard     grid      xzz-dk-1   xzz    04-05 08:00 +0h      04-06 08:00  04-05 12:00 resolved   satisfied
#  28 hazard     grid      xzz-hp-1   xzz    04-12 14:00 +0h      04-13 14:00  04-13 10:00 resolved   satisfied
#  29 hazard     police    bgsz-pcs   bgsz   04-18 22:00 +1h      04-19 22:00  04-19 06:00 resolved   satisfied
#  30 hazard     grid      tbz-cy-2   tbz    05-02 08:00 +0h      05-03 08:00  05-02 18:00 resolved   handled; no visit
#  31 suggestion council   xzz-hp-2   xzz    04-08 19:00 +14h     04-23 eod    04-20 10:00 resolved   satisfied
#  32 dispute    mediation xzz-dk     xzz    05-06 14:00 +1h      05-13 eod    05-08 14:00 mediated   satisfied
#  33 legal-aid  walk-in   tbz-cy-1   tbz    04-09 10:00 +0h      04-16 eod    04-16 16:00 resolved   satisfied
#  34 enterprise wechat    zjj        -      04-02 10:00 +2h      04-05 eod    04-03 10:00 resolved   satisfied
#  35 hazard     grid      bgsz-dq-2  bgsz   03-28 20:00 +0h      03-29 20:00  03-29 09:00 resolved   satisfied
#  36 petition   walk-in   tbz        tbz    03-25 09:00 +2h      04-24 eod    04-26 10:00 resolved   late; satisfied
#  37 hazard     hotline   xzz-hp-2   xzz    05-08 08:00 +0h      05-09 08:00  open                   overdue by an hour
#  38 hazard     grid      -          -      05-07 09:20 -        05-08 09:20  05-07 09:30 duplicate of 3; no visit
#  39 dispute    mediation bgsz-dq-1  bgsz   04-20 09:00 +1h      04-27 eod    04-30 10:00 mediated   handled, reworked, handled; late; satisfied
#  40 enterprise wechat    fgw        -      04-30 15:00 +2h      05-05 eod    05-06 10:00 resolved   extended 2d from 05-03 eod; handled; late; no visit
#
# "eod" is 23:59:59.  Hours from report to closure: 1 10, 2 32, 6 120,
# 7 120, 8 216, 9 246, 11 168, 12 12, 13 1, 15 672, 19 128, 20 1, 22 264,
# 23 336, 25 241, 26 48, 27 4, 28 20, 29 8, 30 10, 31 279, 32 48, 33 174,
# 34 24, 35 13, 36 769, 38 0.17 (10 min), 39 241, 40 139.
cat >"$tmp/categories.csv" <<'EOF'
code,name,deadline,dispatch
hazard,安全隐患,24h,2h
dispute,矛盾纠纷,7d,
petition,信访,30d,
enterprise,企业诉求,3d,4h
suggestion,群众建议,15d,
legal-aid,法律援助,7d,
EOF
# add CATEGORY SOURCE UNIT REPORTED TITLE: a case, assigned to UNIT at
# once unless UNIT is -.
add() {
	if [ "$3" = - ]; then
		at "$4" case-add -q --category "$1" --source "$2" \
		    --reported "$4" --title "$5"
	else
		at "$4" case-add -q --category "$1" --source "$2" \
		    --unit "$3" --reported "$4" --title "$5"
	fi
}
asg() { at "$1" case-assign -q --to "$2" "$3"; }
hnd() { at "$1" case-handle -q "$2"; }
rwk() { at "$1" case-rework -q "$2"; }
ext() { at "$1" case-assign -q --extend "$2" --note 延期 "$3"; }
cls() { at "$1" case-close -q --outcome "$2" "$3"; }
vis() { at "$1" case-visit -q --"$2" "$3"; }
district() {
	case-init --units "$top/data/demo-units.csv" \
	    --categories "$tmp/categories.csv" >/dev/null
	add hazard grid xzz-dk-1 2024-04-02T08:00 液化气罐堆放	# 1
	hnd 2024-04-02T15:00 1
	cls 2024-04-02T18:00 resolved 1
	vis 2024-04-03T10:00 satisfied 1
	add hazard police - 2024-04-10T09:00 消防通道堵塞	# 2
	asg 2024-04-10T10:00 xzz-hp-2 2
	hnd 2024-04-11T08:00 2
	rwk 2024-04-11T09:30 2
	hnd 2024-04-11T15:00 2
	cls 2024-04-11T17:00 resolved 2
	vis 2024-04-12T10:00 satisfied 2
	add hazard grid - 2024-05-07T09:00 电瓶车飞线充电	# 3
	asg 2024-05-07T10:00 tbz-cy-1 3
	at 2024-05-07T12:00 case-pause -q 3
	at 2024-05-07T18:00 case-pause -q --resume 3
	add hazard grid - 2024-05-08T20:00 楼道堆放杂物	# 4
	add hazard grid - 2024-05-06T10:00 燃气管道老化	# 5
	asg 2024-05-06T10:30 xzz-dk-2 5
	at 2024-05-06T12:00 case-pause -q 5
	add hazard hotline tbz-hy-2 2024-04-20T10:00 广告牌松动	# 6
	ext 2024-04-21T09:00 24h 6
	cls 2024-04-22T08:00 resolved 6
	vis 2024-04-23T09:00 unsatisfied 6
	cls 2024-04-25T10:00 resolved 6
	add dispute mediation - 2024-04-03T09:00 邻里漏水纠纷	# 7
	asg 2024-04-03T13:00 tbz-cy 7
	cls 2024-04-08T09:00 mediated 7
	vis 2024-04-09T10:00 satisfied 7
	add dispute mediation tbz-hy-1 2024-04-15T10:00 物业费纠纷	# 8
	cls 2024-04-24T10:00 mediation-failed 8
	add dispute mediation - 2024-04-28T14:00 停车位纠纷	# 9
	asg 2024-04-28T16:00 xzz-hp-1 9
	ext 2024-05-05T12:00 3d 9
	cls 2024-05-08T20:00 mediated 9
	vis 2024-05-09T08:00 satisfied 9
	add dispute walk-in bgsz-dq-1 2024-05-02T09:00 宅基地纠纷	# 10
	add dispute mediation - 2024-04-05T10:00 婚姻家庭纠纷	# 11
	asg 2024-04-05T11:00 bgsz-ms 11
	cls 2024-04-12T10:00 mediated 11
	vis 2024-04-13T10:00 satisfied 11
	add dispute police tbz-pcs 2024-05-03T21:00 酒后争执	# 12
	cls 2024-05-04T09:00 withdrawn 12
	add dispute mediation - 2024-04-15T11:00 物业费纠纷（重复）	# 13
	at 2024-04-15T12:00 case-close -q --outcome duplicate --of 8 13
	add petition walk-in - 2024-03-20T09:00 拆迁补偿	# 14
	asg 2024-03-20T15:00 bgsz-ms 14
	hnd 2024-04-10T10:00 14
	rwk 2024-04-12T10:00 14
	add petition walk-in xzz 2024-04-08T10:00 低保申请	# 15
	cls 2024-05-06T10:00 resolved 15
	vis 2024-05-07T10:00 satisfied 15
	add petition hotline - 2024-05-09T08:00 供暖费争议	# 16
	add petition walk-in - 2024-04-22T09:00 养老保险转移	# 17
	asg 2024-04-22T11:00 zhzx 17
	hnd 2024-05-01T10:00 17
	at 2024-05-02T10:00 case-pause -q 17
	add enterprise wechat - 2024-05-08T09:30 投资奖励未兑现	# 18
	asg 2024-05-08T11:30 fgw 18
	hnd 2024-05-08T17:00 18
	add enterprise wechat - 2024-04-16T10:00 用工招聘	# 19
	asg 2024-04-16T12:00 rsj 19
	ext 2024-04-19T12:00 2d 19
	cls 2024-04-21T18:00 resolved 19
	vis 2024-04-22T10:00 satisfied 19
	add enterprise wechat - 2024-05-06T09:00 广告推销	# 20
	cls 2024-05-06T10:00 rejected 20
	add enterprise hotline - 2024-04-25T10:00 项目审批慢	# 21
	asg 2024-04-25T18:00 fgw 21
	cls 2024-04-30T10:00 referred 21
	vis 2024-05-01T09:00 unsatisfied 21
	add suggestion council - 2024-04-01T10:00 新建充电棚	# 22
	asg 2024-04-02T10:00 bgsz-dq-2 22
	cls 2024-04-12T10:00 resolved 22
	vis 2024-04-13T10:00 satisfied 22
	add suggestion council - 2024-04-18T15:00 增设路灯	# 23
	asg 2024-04-19T09:00 xzz-dk-1 23
	hnd 2024-04-30T10:00 23
	cls 2024-05-02T15:00 resolved 23
	vis 2024-05-03T10:00 satisfied 23
	add suggestion council - 2024-05-05T10:00 健身器材维修	# 24
	asg 2024-05-06T10:00 tbz-hy-2 24
	at 2024-05-07T10:00 case-pause -q 24
	at 2024-05-08T10:00 case-pause -q --resume 24
	add legal-aid walk-in bgsz-dq 2024-04-26T09:00 工伤赔偿援助	# 25
	hnd 2024-05-03T10:00 25
	cls 2024-05-03T17:00 resolved 25
	vis 2024-05-04T09:00 unsatisfied 25
	cls 2024-05-06T10:00 resolved 25
	add hazard grid tbz-hy-1 2024-04-29T09:00 危房漏雨	# 26
	at 2024-04-30T10:00 case-assign -q --escalate 26
	cls 2024-05-01T09:00 resolved 26
	vis 2024-05-02T10:00 satisfied 26
	add hazard grid xzz-dk-1 2024-04-05T08:00 井盖缺失	# 27
	cls 2024-04-05T12:00 resolved 27
	vis 2024-04-06T10:00 satisfied 27
	add hazard grid xzz-hp-1 2024-04-12T14:00 电线私拉	# 28
	cls 2024-04-13T10:00 resolved 28
	vis 2024-04-14T10:00 satisfied 28
	add hazard police - 2024-04-18T22:00 烟花爆竹存放	# 29
	asg 2024-04-18T23:00 bgsz-pcs 29
	cls 2024-04-19T06:00 resolved 29
	vis 2024-04-19T10:00 satisfied 29
	add hazard grid tbz-cy-2 2024-05-02T08:00 灭火器过期	# 30
	hnd 2024-05-02T16:00 30
	cls 2024-05-02T18:00 resolved 30
	add suggestion council - 2024-04-08T19:00 小区绿化	# 31
	asg 2024-04-09T09:00 xzz-hp-2 31
	cls 2024-04-20T10:00 resolved 31
	vis 2024-04-21T10:00 satisfied 31
	add dispute mediation - 2024-05-06T14:00 装修噪音纠纷	# 32
	asg 2024-05-06T15:00 xzz-dk 32
	cls 2024-05-08T14:00 mediated 32
	vis 2024-05-09T08:30 satisfied 32
	add legal-aid walk-in tbz-cy-1 2024-04-09T10:00 欠薪维权	# 33
	cls 2024-04-16T16:00 resolved 33
	vis 2024-04-17T10:00 satisfied 33
	add enterprise wechat - 2024-04-02T10:00 水电接入	# 34
	asg 2024-04-02T12:00 zjj 34
	cls 2024-04-03T10:00 resolved 34
	vis 2024-04-04T10:00 satisfied 34
	add hazard grid bgsz-dq-2 2024-03-28T20:00 煤气罐泄漏	# 35
	cls 2024-03-29T09:00 resolved 35
	vis 2024-03-30T10:00 satisfied 35
	add petition walk-in - 2024-03-25T09:00 房屋产权	# 36
	asg 2024-03-25T11:00 tbz 36
	cls 2024-04-26T10:00 resolved 36
	vis 2024-04-27T10:00 satisfied 36
	add hazard hotline xzz-hp-2 2024-05-08T08:00 高空坠物隐患	# 37
	add hazard grid - 2024-05-07T09:20 电瓶车飞线充电（重复）	# 38
	at 2024-05-07T09:30 case-close -q --outcome duplicate --of 3 38
	add dispute mediation - 2024-04-20T09:00 土地承包纠纷	# 39
	asg 2024-04-20T10:00 bgsz-dq-1 39
	hnd 2024-04-26T10:00 39
	rwk 2024-04-27T10:00 39
	hnd 2024-04-29T10:00 39
	cls 2024-04-30T10:00 mediated 39
	vis 2024-05-01T10:00 satisfied 39
	add enterprise wechat - 2024-04-30T15:00 厂房租金补贴	# 40
	asg 2024-04-30T17:00 fgw 40
	ext 2024-05-03T15:00 2d 40
	hnd 2024-05-05T10:00 40
	cls 2024-05-06T10:00 resolved 40
}
(set -e; district) >"$tmp/out" 2>"$tmp/err"
check_same 'the district is generated without an error' \
    "$(echo $?; cat "$tmp/err")" 0
check_same 'forty cases' "$(case-list --status all | wc -l)" 40
check_same 'the deadlines worked out above' \
    "$(case-list --status all --format tsv | cut -f4 | cut -c6-16 |
	paste -sd' ' -)" \
    '04-03T08:00 04-11T09:00 05-08T15:00 05-09T20:00 05-07T10:00 04-24T09:00 04-10T23:59 04-22T23:59 05-08T23:59 05-09T23:59 04-12T23:59 05-10T23:59 04-22T23:59 04-19T23:59 05-08T23:59 06-08T23:59 05-22T23:59 05-11T23:59 04-21T23:59 05-09T23:59 05-04T23:59 04-16T23:59 05-03T23:59 05-21T23:59 05-11T23:59 05-01T10:00 04-06T08:00 04-13T14:00 04-19T22:00 05-03T08:00 04-23T23:59 05-13T23:59 04-16T23:59 04-05T23:59 03-29T20:00 04-24T23:59 05-09T08:00 05-08T09:20 04-27T23:59 05-05T23:59'

# --- The whole district, all time, at 05-09 09:00.  An obligation runs
# from a report or a reopening to the closure ending it: 6, 21 and 25,
# reopened after a visit, have two each (6a 6b, 21a 21b, 25a 25b).  One
# falls due at the first deadline it missed, else at the deadline in
# force when it closed (or, still open, that deadline).
#   received 40; registered 37: less 20 (rejected) and 13, 38 (duplicates).
#   due 33: fallen due by the report's instant, i.e. all but 4 (05-09
#     20:00), 10 20 (05-09 eod), 12 (05-10), 16 (06-08), 17 (05-22), 18
#     (05-11), 24 (05-21), 25b (05-11), 32 (05-13); 6 and 21 twice, 25a
#     (05-03 eod, closed that day) once; 26 at 04-30 09:00, the deadline it
#     missed before it was escalated.
#   closed 30: all but the 11 open (3 4 5 10 14 16 17 18 21 24 37), and
#     21, closed on 04-30 and reopened since: a closure that happened.
#   closure_rate 28/33: the due less the open 3 5 14 21b 37.
#   on_time_rate 20/33: those 28 less the 8 that missed a deadline (2 6b 8
#     21a 26 36 39 40); 6a closed before its extended deadline.
#   success_rate 24/40: 40 less the 11 open, 8 (failed), 12 (withdrawn),
#     13 38 (duplicates), 20 (rejected).
#   mediation_rate 5/9: disputes 7 8 9 10 11 12 13 32 39; mediated 7 9 11
#     32 39.
#   rework_rate 3/10: handled 1 2 14 17 18 23 25 30 39 40; sent back 2 14 39.
#   extension_rate 4/40: 6 9 19 40.
#   satisfaction_rate 20/23: the last closure of each case, visited: all
#     30 but 8 12 13 20 30 38 40; not satisfied 6 21 25 (a reopened case
#     keeps its visit's verdict until a later visit).
#   open 11; overdue 5: 3 4 14 21 37 (5 and 17 are paused; 10 16 18 24 not
#     yet due); closed_late 8 (2 6 8 21 26 36 39 40).
#   lapses 14: deadlines passed on a running clock: 2 3 6b 8 14 21a 21b 26
#     36 37 39 40, and the dispatch limits of 4 (05-08 22:00) and 21 (4 h,
#     assigned after 8).
#   dispatch hours, the 35 assigned (all but 4 13 16 20 38): 0 x14, 0.5,
#     1 x6, 2 x7, 4, 6, 8, 14, 18, 24 x2: median the 18th = 1.0; p90 the
#     ceil(0.9 * 35) = 32nd = 14.0.
#   close hours, the 30 closed: 0.17 1 1 4 8 10 10 12 13 20 24 32 48 48
#     120 120 120 128 139 168 174 216 241 241 246 264 279 336 672 769:
#     median (120 + 120) / 2 = 120.0; p90 the ceil(27) = 27th = 279.0.
total='40|37|33|30|28/33 84.8%|20/33 60.6%|24/40 60.0%|5/9 55.6%|3/10 30.0%|4/40 10.0%|20/23 87.0%|11|5|8|14|1.0|14.0|120.0|279.0'
check_same 'all figures, no --by' "$(stats)" "$(table "$figs" "$total")"

# --- By category.
# dispute 7 8 9 10 11 12 13 32 39: registered 8 (not 13); due 7 8 9 11 13
#   39 (10 12 32 not yet); closed all but 10; closure 6/6; on time 4/6 (8
#   and 39 late); success 5/9 = mediation 5/9; rework 1/1 (39); extension
#   1/9 (9); satisfied 5/5; open 10, not overdue; dispatch 0 0 0 1 1 1 2 4:
#   median 1.0, p90 the 8th 4.0; close 1 12 48 120 168 216 241 246: median
#   (120 + 168) / 2 = 144.0, p90 the 8th 246.0.
# enterprise 18 19 20 21 34 40: registered 5 (not 20); due 19 21 34 40;
#   closed 19 20 34 40; closure 3/4 (21 reopened); on time 2/4 (40 late);
#   success 3/6; rework 0/2 (18 40); extension 2/6 (19 40); satisfied 2/2
#   (19 34); open 18 21, overdue 21; dispatch 2 2 2 2 8; close 1 24 128
#   139: median 76.0, p90 139.0.
# hazard 1-6 26-30 35 37 38: registered 13 (not 38); due all but 4;
#   closed 1 2 6 26-30 35 38; closure 10/13; on time 8/13 (2 and 6 late);
#   success 9/14; rework 1/3 (handled 1 2 30); extension 1/14 (6);
#   satisfied 7/8 (6 not); open 3 4 5 37, overdue 3 4 37 (5 paused);
#   dispatch 0 x8, 0.5, 1 x3: median 0.0, p90 the 11th 1.0; close 0.17 4 8
#   10 10 13 20 32 48 120: median (10 + 13) / 2 = 11.5, p90 the 9th 48.0.
# legal-aid 25 33: due 33 only (25's fresh deadline is 05-11); closed
#   both; success 2/2; rework 0/1; satisfied 1/2 (25 not); close 174 241:
#   median 207.5.
# Since obligations, not cases, fall due: enterprise due 19 21a 21b 34 40,
#   closed 19 20 21 34 40, closure 4/5, on time 2/5 (21a 40 late),
#   satisfied 2/3 (21 not), late 21 40, lapses 4 (21's dispatch, 21a 21b
#   40), close median 120.0 (1 24 120 128 139); hazard due 14 (6 twice),
#   closure 11/14, on time 8/14 (2 6b 26 late), late 2 6 26, lapses 6 (2
#   3 6b 26 37 and 4's dispatch); legal-aid due 33 25a, 2/2 on time;
#   lapses: dispute 2 (8 39), petition 2 (14 36), suggestion none.
# petition 14 15 16 17 36: due 14 15 36; closed 15 36; closure 2/3; on
#   time 1/3 (36 late); success 2/5; rework 1/2 (14 of 14 17); open 14 16
#   17, overdue 14 (17 paused); dispatch 0 2 2 6; close 672 769: 720.5.
# suggestion 22 23 24 31: due 22 23 31, all closed on time; success 3/4;
#   rework 0/1 (23); open 24; dispatch 14 18 24 24: median 21.0; close 264
#   279 336.
check_same '--by category' "$(stats --by category)" "$(table "category|$figs" \
    'dispute|9|8|6|8|6/6 100.0%|4/6 66.7%|5/9 55.6%|5/9 55.6%|1/1 100.0%|1/9 11.1%|5/5 100.0%|1|0|2|2|1.0|4.0|144.0|246.0' \
    'enterprise|6|5|5|5|4/5 80.0%|2/5 40.0%|3/6 50.0%|0/0 -|0/2 0.0%|2/6 33.3%|2/3 66.7%|2|1|2|4|2.0|8.0|120.0|139.0' \
    'hazard|14|13|14|10|11/14 78.6%|8/14 57.1%|9/14 64.3%|0/0 -|1/3 33.3%|1/14 7.1%|7/8 87.5%|4|3|3|6|0.0|1.0|11.5|48.0' \
    'legal-aid|2|2|2|2|2/2 100.0%|2/2 100.0%|2/2 100.0%|0/0 -|0/1 0.0%|0/2 0.0%|1/2 50.0%|0|0|0|0|0.0|0.0|207.5|241.0' \
    'petition|5|5|3|2|2/3 66.7%|1/3 33.3%|2/5 40.0%|0/0 -|1/2 50.0%|0/5 0.0%|2/2 100.0%|3|1|1|2|2.0|6.0|720.5|769.0' \
    'suggestion|4|4|3|3|3/3 100.0%|3/3 100.0%|3/4 75.0%|0/0 -|0/1 0.0%|0/4 0.0%|3/3 100.0%|1|0|0|0|21.0|24.0|279.0|336.0' \
    "total|$total")"

# --- By street: grids, communities, police units roll up; departments
# (fgw rsj zhzx zjj) and unassigned cases have no street.
# (none) 4 13 16 17 18 19 20 21 34 38 40: registered 8 (not 13 20 38); due
#   13 19 21 34 38 40; closed 13 19 20 34 38 40; closure 5/6; on time 4/6
#   (40 late); success 3/11 (19 34 40); mediation 0/1 (13); rework 0/3 (17
#   18 40); extension 2/11; satisfied 2/2; open 4 16 17 18 21, overdue 4
#   21; dispatch 2 2 2 2 2 8: median 2.0, p90 the 6th 8.0; close 0.17 1 1
#   24 128 139: median (1 + 24) / 2 = 12.5.
# bgsz 10 11 14 22 25 29 35 39: due 11 14 22 29 35 39; closed 11 22 25 29
#   35 39; closure 5/6 (14 open); on time 4/6 (39 late); success 6/8;
#   mediation 2/3 (11 39 of 10 11 39); rework 2/3 (14 39 of 14 25 39);
#   satisfied 5/6 (25 not); open 10 14, overdue 14; dispatch 0 0 0 1 1 1 6
#   24: median 1.0, p90 the 8th 24.0; close 8 13 168 241 241 264: 204.5.
# tbz 3 6 7 8 12 24 26 30 33 36: due 3 6 7 8 26 30 33 36; closed 6 7 8 12
#   26 30 33 36; closure 7/8; on time 4/8 (6 8 36 late, 3 open); success
#   6/10; mediation 1/3 (7 of 7 8 12); rework 0/1 (30); extension 1/10 (6);
#   satisfied 4/5 (6 not); open 3 24, overdue 3; late 6 8 36; dispatch 0 x6
#   1 2 4 24: median 0.0, p90 the 9th 4.0; close 10 12 48 120 120 174 216
#   769: median 120.0, p90 the 8th 769.0.
# xzz 1 2 5 9 15 23 27 28 31 32 37: due all but 32; closed 1 2 9 15 23 27
#   28 31 32; closure 8/10 (5 37 open); on time 7/10 (2 late); success
#   9/11; mediation 2/2 (9 32); rework 1/3 (2 of 1 2 23); extension 1/11
#   (9); satisfied 9/9; open 5 37, overdue 37 (5 paused); dispatch 0 x5,
#   0.5, 1, 1, 2, 14, 18: median the 6th 0.5, p90 the 10th 14.0; close 4
#   10 20 32 48 246 279 336 672: median 48.0, p90 the 9th 672.0.
# With obligations: (none) due 13 19 21a 21b 34 38 40, closed 13 19 20 21
#   34 38 40, closure 6/7, on time 4/7, satisfied 2/3, late 21 40, lapses
#   5 (4's and 21's dispatch, 21a 21b 40), close median 24.0; bgsz due +25a,
#   6/7, on time 5/7, lapses 14 39; tbz due 3 6a 6b 7 8 26 30 33 36,
#   closure 8/9, on time 4/9 (6b 8 26 36 late), late 6 8 26 36, lapses 3
#   6b 8 26 36; xzz lapses 2 37.
check_same '--by unit:street' "$(stats --by unit:street)" \
    "$(table "unit:street|$figs" \
    '|11|8|7|7|6/7 85.7%|4/7 57.1%|3/11 27.3%|0/1 0.0%|0/3 0.0%|2/11 18.2%|2/3 66.7%|5|2|2|5|2.0|8.0|24.0|139.0' \
    'bgsz|8|8|7|6|6/7 85.7%|5/7 71.4%|6/8 75.0%|2/3 66.7%|2/3 66.7%|0/8 0.0%|5/6 83.3%|2|1|1|2|1.0|24.0|204.5|264.0' \
    'tbz|10|10|9|8|8/9 88.9%|4/9 44.4%|6/10 60.0%|1/3 33.3%|0/1 0.0%|1/10 10.0%|4/5 80.0%|2|1|4|5|0.0|4.0|120.0|769.0' \
    'xzz|11|11|10|9|8/10 80.0%|7/10 70.0%|9/11 81.8%|2/2 100.0%|1/3 33.3%|1/11 9.1%|9/9 100.0%|2|1|1|2|0.5|14.0|48.0|672.0' \
    "total|$total")"

# --- By month: each figure in the month of its own time (received by
# report, with open, overdue and the dispatch hours of those received as
# they stood at the month's end; due and lapses by deadline; closed and
# visits by closure).  Each row is the run for that month alone.
# 2024-03: reported 14 35 36; due 35 (03-29 20:00; 14 and 36 fall due in
#   April); closed 35; success 2/3 (35 36); rework 1/1 (14); satisfied 1/1;
#   open at the end of March 14 36, overdue none (14 falls due on 04-19);
#   no lapse; dispatch 0 2 6; close 13.
# 2024-04: reported 1 2 6 7 8 9 11 13 15 17 19 21 22 23 25 26 27 28 29 31
#   33 34 39 40 (24), registered 23 (not 13); due 1 2 6 7 8 11 13 14 19 22
#   27 28 29 31 33 34 36 39 (18); closed the same less 14 (17); closure
#   17/18; on time 12/18 (2 6 8 36 39 late); success 20/24 (not 8 13 17
#   21); mediation 4/6 (7 9 11 39 of 7 8 9 11 13 39); rework 2/7 (2 39 of
#   1 2 17 23 25 39 40); extension 4/24 (6 9 19 40); satisfied 14/15 (6
#   not); open 17 21, overdue 21; late 5; dispatch 0 x9, 1 x4, 2 x5, 4 8 14
#   18 24: median the 12th 1.0, p90 the 21st 14.0; close 1 4 8 10 20 24 32
#   120 120 128 168 174 216 241 264 279 769: median 120.0, p90 the 16th
#   279.0.
#   With obligations: due also 6b (04-24 09:00), 21a (04-28 eod) and 26
#   (04-30 09:00): 21; closed also 21 (04-30): 18; closure 19/21 (14 open,
#   26 closed in May); on time 13/21 (2 6b 8 21a 36 39 late); satisfied
#   14/16 (6 21 not); open at 04-30 end 9 15 17 23 25 26 40, none overdue
#   (26 had its fresh deadline); late 2 6 8 21 36 39; lapses 9 (2 6b 8 14
#   21a 26 36 39 and 21's dispatch).
# 2024-05: reported 3 4 5 10 12 16 18 20 24 30 32 37 38 (13), registered
#   11 (not 20 38); due 3 5 9 15 21 23 26 30 37 38 40 (11); closed 9 12 15
#   20 23 25 26 30 32 38 40 (11); closure 7/11 (3 5 21 37 open); on time
#   6/11 (40 late); success 2/13 (30 32); mediation 1/3 (32 of 10 12 32);
#   rework 0/2 (18 30); satisfied 5/6 (25 not); open 3 4 5 10 16 18 24 37,
#   overdue 3 4 37; dispatch 0 0 0 0 0.5 1 1 2 24: median 0.5, p90 24.0;
#   close 0.17 1 10 12 48 48 139 241 246 336 672: median 48.0, p90 the
#   10th 336.0.  With obligations: due 3 5 9 15 21b 23 25a 30 37 38 40
#   (26 fell due in April), closure 7/11 (3 5 21b 37 open), late 26 40,
#   lapses 5 (3 21b 37 40 and 4's dispatch).
check_same '--by month: each figure by its own time' "$(stats --by month)" \
    "$(table "month|$figs" \
    '2024-03|3|3|1|1|1/1 100.0%|1/1 100.0%|2/3 66.7%|0/0 -|1/1 100.0%|0/3 0.0%|1/1 100.0%|2|0|0|0|2.0|6.0|13.0|13.0' \
    '2024-04|24|23|21|18|19/21 90.5%|13/21 61.9%|20/24 83.3%|4/6 66.7%|2/7 28.6%|4/24 16.7%|14/16 87.5%|7|0|6|9|1.0|14.0|120.0|279.0' \
    '2024-05|13|11|11|11|7/11 63.6%|6/11 54.5%|2/13 15.4%|1/3 33.3%|0/2 0.0%|0/13 0.0%|5/6 83.3%|8|3|2|5|0.5|24.0|48.0|336.0' \
    "total|$total")"

# --- The same three in CSV: every rate as numerator, denominator, rate.
ctotal='40,37,33,30,28,33,84.8,20,33,60.6,24,40,60.0,5,9,55.6,3,10,30.0,4,40,10.0,20,23,87.0,11,5,8,14,1.0,14.0,120.0,279.0'
check_same 'csv --by category' "$(csv --by category)" "category,$csvfigs
dispute,9,8,6,8,6,6,100.0,4,6,66.7,5,9,55.6,5,9,55.6,1,1,100.0,1,9,11.1,5,5,100.0,1,0,2,2,1.0,4.0,144.0,246.0
enterprise,6,5,5,5,4,5,80.0,2,5,40.0,3,6,50.0,0,0,,0,2,0.0,2,6,33.3,2,3,66.7,2,1,2,4,2.0,8.0,120.0,139.0
hazard,14,13,14,10,11,14,78.6,8,14,57.1,9,14,64.3,0,0,,1,3,33.3,1,14,7.1,7,8,87.5,4,3,3,6,0.0,1.0,11.5,48.0
legal-aid,2,2,2,2,2,2,100.0,2,2,100.0,2,2,100.0,0,0,,0,1,0.0,0,2,0.0,1,2,50.0,0,0,0,0,0.0,0.0,207.5,241.0
petition,5,5,3,2,2,3,66.7,1,3,33.3,2,5,40.0,0,0,,1,2,50.0,0,5,0.0,2,2,100.0,3,1,1,2,2.0,6.0,720.5,769.0
suggestion,4,4,3,3,3,3,100.0,3,3,100.0,3,4,75.0,0,0,,0,1,0.0,0,4,0.0,3,3,100.0,1,0,0,0,21.0,24.0,279.0,336.0
total,$ctotal"
check_same 'csv --by unit:street' "$(csv --by unit:street)" "unit:street,$csvfigs
,11,8,7,7,6,7,85.7,4,7,57.1,3,11,27.3,0,1,0.0,0,3,0.0,2,11,18.2,2,3,66.7,5,2,2,5,2.0,8.0,24.0,139.0
bgsz,8,8,7,6,6,7,85.7,5,7,71.4,6,8,75.0,2,3,66.7,2,3,66.7,0,8,0.0,5,6,83.3,2,1,1,2,1.0,24.0,204.5,264.0
tbz,10,10,9,8,8,9,88.9,4,9,44.4,6,10,60.0,1,3,33.3,0,1,0.0,1,10,10.0,4,5,80.0,2,1,4,5,0.0,4.0,120.0,769.0
xzz,11,11,10,9,8,10,80.0,7,10,70.0,9,11,81.8,2,2,100.0,1,3,33.3,1,11,9.1,9,9,100.0,2,1,1,2,0.5,14.0,48.0,672.0
total,$ctotal"
check_same 'csv --by month' "$(csv --by month)" "month,$csvfigs
2024-03,3,3,1,1,1,1,100.0,1,1,100.0,2,3,66.7,0,0,,1,1,100.0,0,3,0.0,1,1,100.0,2,0,0,0,2.0,6.0,13.0,13.0
2024-04,24,23,21,18,19,21,90.5,13,21,61.9,20,24,83.3,4,6,66.7,2,7,28.6,4,24,16.7,14,16,87.5,7,0,6,9,1.0,14.0,120.0,279.0
2024-05,13,11,11,11,7,11,63.6,6,11,54.5,2,13,15.4,1,3,33.3,0,2,0.0,0,13,0.0,5,6,83.3,8,3,2,5,0.5,24.0,48.0,336.0
total,$ctotal"
check_same 'json: a rate is three numbers, an empty one null' \
    "$(case-stats --by category --format json | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["category"] in ("hazard", "total"):
        print(o["category"], o["on_time_rate_num"], o["on_time_rate_den"],
            o["on_time_rate"], o["mediation_rate"], o["close_h_median"])')" \
    'hazard 8 14 57.1 None 11.5
total 20 33 60.6 55.6 120.0'

# --- A period: 1 to 8 May (a bare --until day is included whole), at
# 05-09 09:00.  received 3 4 5 10 12 18 20 24 30 32 37 38 (12; 16 came on
# the 9th), registered 10 (not 20 38); due: deadline before 05-09 00:00
# falling due in those days: 3 5 9 15 21b 23 25a 30 38 40 (10; 37 falls
# due at 08:00 on the 9th, 26 fell due on 04-30); closed 9 12 15 20 23 25
# 26 30 32 38 40 (11); closure 7/10 (9 15 23 25a 30 38 40); on time 6/10
# (40 late); late 26 40; lapses 3 21b 40 and 4's dispatch; success
# 2/12 (30 32); mediation 1/3; rework 0/2 (18 30); satisfied 5/6; open at
# the end of the 8th 3 4 5 10 18 24 37 (7), overdue then 3 4 (37 not yet,
# 5 paused); dispatch 0 0 0 0 0.5 1 1 2 24; close as May's.
may='12|10|10|11|7/10 70.0%|6/10 60.0%|2/12 16.7%|1/3 33.3%|0/2 0.0%|0/12 0.0%|5/6 83.3%|7|2|2|4|0.5|24.0|48.0|336.0'
check_same '--since 2024-05-01 --until 2024-05-08' \
    "$(stats --since 2024-05-01 --until 2024-05-08)" "$(table "$figs" "$may")"
# The eight days before, as the cases stand now: received 9 21 25 26 40;
# due 6b 21a 26 31 36 39 (falling due in those days); closed 6 8 21 36
# 39, all late (21 was reopened since, but its closure happened); closure
# 5/6 (26 closed on 05-01); on time 1/6 (31); success 4/5 (9 25 26 40 as
# they ended); mediation 1/1 (9); rework 0/2 (25 40); extension 2/5 (9
# 40); satisfied 2/4 (6 21 not, 36 39); open at 04-30 end 9 25 26 40,
# overdue none; late 6 8 21 36 39; lapses 6b 21a 26 36 39 and 21's
# dispatch; dispatch 0 0 2 2 8; close 120 120 216 241 769: median 216.0.
check_same '--compare previous: the same length just before' \
    "$(stats --since 2024-05-01 --until 2024-05-08 --compare previous |
	cut -f1-20)" \
    "$(table "period|$figs" "2024-05-01..2024-05-08|$may" \
    '2024-04-23..2024-04-30|5|5|6|5|5/6 83.3%|1/6 16.7%|4/5 80.0%|1/1 100.0%|0/2 0.0%|2/5 40.0%|2/4 50.0%|4|0|5|6|2.0|8.0|216.0|769.0')"
check_same '--compare year: the same dates a year before, none' \
    "$(stats --since 2024-05-01 --until 2024-05-08 --compare year |
	sed -n 3p | cut -f1-20)" \
    "$(table '2023-05-01..2023-05-08|0|0|0|0|0/0 -|0/0 -|0/0 -|0/0 -|0/0 -|0/0 -|0/0 -|0|0|0|0||||')"
# The change columns (环比): received 12 against 5, +140.0%; closure
# rate 70.0% against 83.3%, -13.3 points; on time 60.0% against 16.7%,
# +43.3 points; mediation 33.3% against 100.0%, -66.7 points; the rows
# of the period compared with have none.
stats --since 2024-05-01 --until 2024-05-08 --compare previous \
    >"$tmp/change"
col() {
	awk -F'\t' -v want="$1" -v row="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i }
	    NR == row { print $c }' "$tmp/change"
}
check_same '--compare: change columns, counts in percent, rates in points' \
    "$(col received_change 2) $(col closure_rate_change 2) $(col on_time_rate_change 2) $(col mediation_rate_change 2) [$(col received_change 3)]" \
    '+140.0% -13.3pp +43.3pp -66.7pp []'
# The period column names what each row counts: month to date (the end
# clipped to the clock) against the same length before, labelled
# 2024-04-22..2024-04-30; that row must be what those days give.
stats --since 2024-05-01 --until 2024-05-31 --compare previous \
    >"$tmp/compare"
label=$(sed -n 3p "$tmp/compare" | cut -f1)
check_same "--compare previous: the row labelled $label is those days" \
    "$(sed -n 3p "$tmp/compare" | cut -f2-20)" \
    "$(stats --since "${label%..*}" --until "${label#*..}" | sed -n 2p)"
# Open and overdue of a past period are counted at its end (2 overdue on
# 05-08 at midnight: 3 and 4; at the report's instant, 05-09 09:00, 37
# would be a third).  --explain must not say otherwise.
stats --since 2024-05-01 --until 2024-05-08 --explain >"$tmp/explain"
check_same '--explain: open and overdue counted at the end of the period' \
    "$(grep -E "^(open|overdue) " "$tmp/explain" | grep -c "at the end of the period")" 2
# The same eight days as they stood at the end of 04-30: 21 closed
# (referred, 04-30 10:00, due 04-28 eod) and not yet visited; 9 25 40 not
# yet extended or handled; 26 just escalated (due 05-01 10:00).
#   received 5; due 6b 21a 26 31 36 39; closed 6 8 21 36 39, all late;
#   closure 5/6; on time 1/6 (31); success 0/5 (none had ended well yet);
#   mediation 0/1; rework 0/0; extension 0/5; visited 6 (not satisfied)
#   and 36: 1/2; open 9 25 26 40; lapses 6; close 120 120 216 241 769:
#   median 216.0.  The writers ran with the wall clock at their effective
#   time (lib.sh's at, under libfaketime), so what --as-of leaves out as
#   not yet recorded is exactly what had not yet happened.
check_same '--as-of: that week as it stood at its end' \
    "$(stats --since 2024-04-23 --until 2024-04-30 --as-of 2024-04-30)" \
    "$(table "$figs" \
    '5|5|6|5|5/6 83.3%|1/6 16.7%|0/5 0.0%|0/1 0.0%|0/0 -|0/5 0.0%|1/2 50.0%|4|0|5|6|2.0|8.0|216.0|769.0')"

# --- --explain: the same table, then each figure's definition, the
# period, the instant and the filters.
stats --unit xzz --category hazard --source grid --status closed \
    --since 2024-04-01 --until 2024-04-30 >"$tmp/plain"
stats --unit xzz --category hazard --source grid --status closed \
    --since 2024-04-01 --until 2024-04-30 --explain >"$tmp/explain"
check_same '--explain: the table is unchanged (1 27 28: hazards from the grid in xzz, closed, April)' \
    "$(head -n 2 "$tmp/explain")" "$(cat "$tmp/plain")"
check_same '--explain: every figure of the header, with a definition' \
    "$(head -n 1 "$tmp/plain" | tr '\t' '\n' | while read -r f; do
	grep -Eq "^$f +[^ ]" "$tmp/explain" || echo "$f"; done)" ''
check_same '--explain: the terms the offices use, on their figures' \
    "$(for p in received:受理 registered:立案数 due:应结案数 closed:结案数 \
	closure_rate:结案率 on_time_rate:按期结案率 mediation_rate:调处成功率 \
	rework_rate:返工率 extension_rate:延期率 satisfaction_rate:满意率; do
	grep -q "^${p%%:*} .*${p#*:}" "$tmp/explain" || echo "$p"; done)" ''
check_same '--explain: on-time is over the due, open overdue cases against it' \
    "$(grep -c '^on_time_rate .*/ due; one still open counts against it' \
	"$tmp/explain")" 1
check_grep '--explain: the period, the end exclusive' \
    '^period  *from 2024-04-01T00:00:00+08:00 to (not including) 2024-05-01T00:00:00+08:00$' \
    "$tmp/explain"
check_grep '--explain: the instant, the clock' \
    '^as of  *2024-05-09T09:00:00+08:00$' "$tmp/explain"
check_grep '--explain: the filters' \
    '^filters .*--unit xzz (and the units under it) --category hazard --source grid --status closed' \
    "$tmp/explain"
stats --as-of 2024-05-01 --by month --overdue --explain >"$tmp/explain"
check_grep '--explain --as-of: replayed from the history' \
    '^as of  *2024-05-01T23:59:59+08:00 (only what had been recorded by then)$' \
    "$tmp/explain"
check_grep '--explain --by a period: each figure by its own time' \
    '^periods .*due by the instant it fell due, closed by closure' \
    "$tmp/explain"

# --- --ids COUNT: the cases behind one cell, into case-show.
check_same '--ids overdue: 3 4 14 21 37' "$(ids --ids overdue)" '3 4 14 21 37'
check_same '--ids overdue --unit bgs: the district leaves out the unassigned 4' \
    "$(ids --ids overdue --unit bgs)" '3 14 21 37'
check_same '--ids overdue --unit xzz' "$(ids --ids overdue --unit xzz)" 37
case-stats --ids overdue --unit bgs | case-show >"$tmp/show" 2>"$tmp/err"
check_same '--ids overdue --unit bgs | case-show: the same four, exit 0' \
    "$? $(awk '$1 == "case" { print $2 }' "$tmp/show" | sort -n |
	paste -sd' ' -)" '0 3 14 21 37'
check_same '--ids closed_late --unit tbz' "$(ids --ids closed_late --unit tbz)" \
    '6 8 26 36'
check_same '--ids due --category enterprise' \
    "$(ids --ids due --category enterprise)" '19 21 34 40'
check_same '--ids duplicates' "$(ids --ids duplicates)" '13 38'
check_exit '--ids with nothing behind it exits 1' 1 \
    case-stats --ids overdue --category suggestion
check_same 'and prints nothing' "$(cat "$tmp/out")" ''
check_exit '--ids of no such count exits 2' 2 case-stats --ids colour

# --- --check, on a database of its own: a clean group, and one group for
# each flag, made to raise that flag and no other.  The grid worker 网格员甲
# reports; the centre 中心乙 closes, except where said.  Deadlines at the
# end of June (so nothing is due) unless given.
CASE_DB=$(new_db "$tmp/check.db")
export CASE_DB
case-init --units "$top/data/demo-units.csv" >/dev/null
# new SOURCE UNIT REPORTED [DUE [CATEGORY]]: a petition the grid worker
# reports, assigned to UNIT unless it is -; prints its ID.
new() {
	u=$2
	[ "$u" = - ] && u=
	at "$3" case-add --actor "${by:-网格员甲}" --category "${5:-petition}" \
	    --source "$1" ${u:+--unit "$u"} --reported "$3" \
	    --due "${4:-2024-06-30T18:00}" --title 核查
}
shut() { at "$1" case-close -q --actor 中心乙 --outcome "$2" "$3"; }
seen() { at "$1" case-visit -q --"$2" "$3"; }
checkdb() {
	# 1-3 council, clean: due 1 3 (3 extended, overdue); closure 1/2,
	# on time 1/2; success 2/3; rework 1/2 (2 of 1 2); extension 1/3;
	# satisfied 1/2 (2 not, reopened and closed again).
	c1=$(new council xzz-dk-1 2024-04-01T10:00 2024-04-20T18:00)
	at 2024-04-10T10:00 case-handle -q $c1
	shut 2024-04-12T10:00 resolved $c1
	seen 2024-04-13T10:00 satisfied $c1
	c2=$(new council xzz-dk-1 2024-04-05T10:00)
	at 2024-04-20T10:00 case-handle -q $c2
	at 2024-04-21T10:00 case-rework -q $c2
	at 2024-04-25T10:00 case-handle -q $c2
	shut 2024-04-26T10:00 resolved $c2
	seen 2024-04-27T10:00 unsatisfied $c2
	shut 2024-05-02T10:00 resolved $c2
	c3=$(new council xzz-dk-1 2024-04-10T10:00 2024-04-25T18:00)
	at 2024-04-25T10:00 case-assign -q --extend 2d --note 待协调 $c3
	# 4-13 mediation, clean: ten disputes, ten mediated, ten satisfied:
	# 100%, but not on a base under 10.
	for i in 0 1 2 3 4 5 6 7 8 9; do
		m=$(new mediation tbz-cy 2024-04-1${i}T09:00 '' dispute)
		shut 2024-04-2${i}T09:00 mediated $m
		seen 2024-04-2${i}T18:00 satisfied $m
	done
	# 14-15 hotline: both resolved, 2/2 (15 visited unsatisfied,
	# reopened, closed again: satisfaction 1/2).
	h=$(new hotline tbz-cy-1 2024-05-01T10:00)
	shut 2024-05-02T10:00 resolved $h
	seen 2024-05-02T18:00 satisfied $h
	h=$(new hotline tbz-cy-1 2024-05-02T10:00)
	shut 2024-05-03T10:00 resolved $h
	seen 2024-05-04T10:00 unsatisfied $h
	shut 2024-05-05T10:00 resolved $h
	# 16-17 walk-in: 16 closed (referred) with no visit; 17 open.
	k=$(new walk-in bgsz-ms 2024-05-01T09:00)
	shut 2024-05-03T09:00 referred $k
	new walk-in bgsz-ms 2024-05-02T09:00 >/dev/null
	# 18-19 wechat: 18 rejected the instant it came in.
	w=$(new wechat - 2024-05-06T10:00)
	shut 2024-05-06T10:00 rejected $w
	seen 2024-05-06T11:00 satisfied $w
	w=$(new wechat fgw 2024-05-06T11:00)
	shut 2024-05-07T10:00 referred $w
	seen 2024-05-07T12:00 unsatisfied $w
	shut 2024-05-08T10:00 referred $w
	# 20-21 police: 20 reported and closed by the same officer.
	p=$(by=民警王 new police bgsz-pcs 2024-05-01T22:00)
	at 2024-05-02T09:00 case-close -q --actor 民警王 --outcome resolved $p
	seen 2024-05-02T18:00 satisfied $p
	p=$(new police bgsz-pcs 2024-05-02T22:00)
	shut 2024-05-03T09:00 referred $p
	seen 2024-05-03T18:00 unsatisfied $p
	shut 2024-05-04T09:00 referred $p
	# 22 media: assigned an hour before it was reported.  The writers
	# refuse that now; a history written before they did can hold it,
	# so the test writes it straight into the database, as its owner,
	# past the append-only triggers (on PostgreSQL: session_replication_role
	# replica, the superuser's way past triggers and foreign keys).
	r=$(new media - 2024-05-05T10:00)
	at 2024-05-05T11:00 case-assign -q --to tbz-hy-1 $r
	if on_pg; then
		sql "SET session_replication_role = replica;
		    UPDATE events SET at = at - 7200
		    WHERE case_id = $r AND action = 'assigned'"
	else
		sqlite3 "$CASE_DB" "DROP TRIGGER events_no_update;
		    UPDATE events SET at = at - 7200
		    WHERE case_id = $r AND action = 'assigned'"
	fi
	# 23-25 other: 24 is 23 again, closed as its duplicate.
	d=$(new other tbz-hy-2 2024-05-03T10:00)
	d=$(new other - 2024-05-03T11:00)
	at 2024-05-03T12:00 case-close -q --actor 中心乙 --outcome duplicate \
	    --of 23 $d
	d=$(new other tbz-hy-2 2024-05-03T13:00)
	shut 2024-05-05T10:00 resolved $d
	seen 2024-05-06T10:00 unsatisfied $d
	shut 2024-05-07T10:00 resolved $d
}
(set -e; checkdb) >"$tmp/out" 2>"$tmp/err"
check_same 'the --check cases are made without an error' \
    "$(echo $?; cat "$tmp/err")" 0
check_same 'the clean groups look clean' \
    "$(stats --by source | awk -F '\t' '$1 == "council" || $1 == "mediation"' |
	cut -f1,6-12)" "$(table \
    'council|1/2 50.0%|1/2 50.0%|2/3 66.7%|0/0 -|1/2 50.0%|1/3 33.3%|1/2 50.0%' \
    'mediation|0/0 -|0/0 -|10/10 100.0%|10/10 100.0%|0/0 -|0/10 0.0%|10/10 100.0%')"
check_exit '--check: a clean group exits 0' 0 case-stats --check --source council
check_same 'and says nothing' "$(cat "$tmp/out" "$tmp/err")" ''
check_exit '--check: 10/10 is not a small base, exit 0' 0 \
    case-stats --check --source mediation
check_same 'and says nothing' "$(cat "$tmp/out" "$tmp/err")" ''
check_exit '--check --by source: something is flagged, exit 1' 1 \
    case-stats --check --by source
check_same '--check --by source: one line a flag, naming group and figure' \
    "$(cat "$tmp/out")" "$(table \
    'hotline|success_rate|2/2 100.0% on a base under 10' \
    'media|out_of_order|1 history with events out of time order' \
    'other|duplicates|1 duplicates counted in received' \
    'police|same_actor|1 reported and closed by the same actor' \
    'walk-in|no_visit|1 closed without a follow-up visit' \
    'wechat|zero_duration|1 closed the instant it was reported (zero duration)')"
# In total, 16/25 and 10/10 are not flagged; the five others are.
check_exit '--check without --by: the total, exit 1' 1 case-stats --check
check_same 'each flag once, on the total' "$(cat "$tmp/out")" "$(table \
    'total|no_visit|1 closed without a follow-up visit' \
    'total|zero_duration|1 closed the instant it was reported (zero duration)' \
    'total|same_actor|1 reported and closed by the same actor' \
    'total|out_of_order|1 history with events out of time order' \
    'total|duplicates|1 duplicates counted in received')"
check_same '--ids no_visit, zero_duration, duplicates: 16, 18, 24' \
    "$(ids --ids no_visit) $(ids --ids zero_duration) $(ids --ids duplicates)" \
    '16 18 24'
# The two flags that come from the history must be listable as well: the
# cases behind a flagged figure.  Without --as-of, case-stats reads the
# cases table, which does not know who closed a case or in what order
# things happened.
check_same '--ids same_actor: the case --check flagged (20)' \
    "$(ids --ids same_actor)" 20
check_same '--ids out_of_order: the case --check flagged (22)' \
    "$(ids --ids out_of_order)" 22

# --- Overdue, as case-list --overdue has it: a case sent back to intake
# (no unit) past its fresh dispatch limit is overdue; both agree.  Hazard:
# 24 h deadline, 2 h dispatch limit.
CASE_DB=$(new_db "$tmp/return.db")
export CASE_DB
case-init --units "$top/data/demo-units.csv" \
    --categories "$data/lc-categories.csv" >/dev/null
# 1 reported 06:00, assigned to fgw 06:30, returned 06:45 to intake: the
#   dispatch limit starts again, 08:45, past at 09:00.
# 2 reported 06:00, never assigned: dispatch limit 08:00, past.
# 3 reported the day before at 06:00 to xzz-dk-1: due 06:00 today, past.
# 4 as 3, but paused: not overdue.
case-add -q --category hazard --title 退回件 --reported 2024-05-09T06:00
at 2024-05-09T06:30 case-assign -q --to fgw 1
at 2024-05-09T06:45 case-return -q --note 非本单位职责 1
case-add -q --category hazard --title 未派件 --reported 2024-05-09T06:00
case-add -q --category hazard --unit xzz-dk-1 --title 超期件 \
    --reported 2024-05-08T06:00
case-add -q --category hazard --unit xzz-dk-1 --title 挂账件 \
    --reported 2024-05-08T06:00
at 2024-05-08T07:00 case-pause -q 4
check_same 'case-list --overdue: 1 2 3' \
    "$(case-list --overdue | cut -f1 | sort -n | paste -sd' ' -)" '1 2 3'
check_same 'case-stats --ids overdue: the same 1 2 3' "$(ids --ids overdue)" \
    '1 2 3'

done_testing
