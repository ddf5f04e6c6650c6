#!/bin/sh
# case-stats --as-of: a report taken at an instant is reproduced byte for
# byte later, from the event history, however the cases were worked on
# since (reopened, recategorised, closed, escalated, visited, paused,
# returned, extended); likewise a quarter; and on the final database the
# fast path (the cases table) and the replay agree.
. "$(dirname "$0")/lib.sh"
need_faketime
plan 35

# add ARGS...: case-add at the instant of its --reported (lib.sh's at).
add() {
	add_at=
	add_prev=
	for a in "$@"; do
		[ "$add_prev" = --reported ] && add_at=$a
		add_prev=$a
	done
	at "$add_at" case-add -q "$@"
}
asg() { at "$1" case-assign -q --to "$2" "$3"; }
hnd() { at "$1" case-handle -q "$2"; }
cls() { at "$1" case-close -q --outcome "$2" "$3"; }
vis() { at "$1" case-visit -q --"$2" "$3"; }
# reports DIR: the reports compared, each a file in DIR.
reports() {
	d=$1
	shift
	mkdir -p "$d"
	case-stats --by category,unit:street --format tsv "$@" >"$d/main"
	case-stats --by month --format tsv "$@" >"$d/month"
	case-stats --by status,outcome --format tsv "$@" >"$d/status"
	case-stats --by source --format csv "$@" >"$d/source.csv"
	case-stats --by unit --format json "$@" >"$d/unit.json"
	case-stats --by category --format table "$@" >"$d/table"
	case-stats --since 2024-05-01 --until 2024-05-09 --by week,category \
	    --format tsv "$@" >"$d/week"
	case-stats --unit xzz --overdue --by unit --format tsv "$@" \
	    >"$d/overdue"
	case-stats --ids overdue "$@" | sort -n >"$d/ids"
}
# same DIR1 DIR2: the names of the reports that differ, none if all agree.
same() {
	for f in main month status source.csv unit.json table week overdue ids
	do
		cmp -s "$1/$f" "$2/$f" || echo "$f"
	done
}

# Hazard: 24 h, dispatch limit 2 h; enterprise 3 working days (2 h);
# petition 13 wd (1 wd); dispute 7 days; legal aid 1 wd; suggestion 5 wd.
case-init --units "$top/data/demo-units.csv" \
    --categories "$data/lc-categories.csv" >/dev/null

# --- Up to T1, Thursday 2024-05-09 09:00 (lib.sh's clock).
T1=2024-05-09T09:00:00+08:00
work_to_t1() {
	# 1 closed, visited: reopened later.
	add --category hazard --source grid --unit xzz-dk-1 --title 液化气罐 \
	    --reported 2024-04-01T09:00
	hnd 2024-04-01T12:00 1
	cls 2024-04-01T18:00 resolved 1
	vis 2024-04-02T10:00 satisfied 1
	# 2 a mediated dispute: recategorised later, deadline recomputed.
	add --category dispute --source mediation --unit tbz-cy \
	    --title 邻里纠纷 --reported 2024-04-03T09:00
	cls 2024-04-08T09:00 mediated 2
	vis 2024-04-09T10:00 satisfied 2
	# 3 a petition, extended: closed later.
	add --category petition --source walk-in --unit bgsz-ms --title 拆迁 \
	    --reported 2024-04-05T09:00
	at 2024-04-20T10:00 case-assign -q --extend 5wd --note 补充材料 3
	# 4 an enterprise request, handled: sent back later.
	add --category enterprise --source wechat --title 奖励未兑现 \
	    --reported 2024-05-08T10:00
	asg 2024-05-08T11:00 fgw 4
	hnd 2024-05-08T16:00 4
	# 5 a hazard, open at T1.
	add --category hazard --source police --unit xzz-hp-2 --title 消防通道 \
	    --reported 2024-05-08T20:00
	# 6 overdue at T1 at a grid: escalated three times later.
	add --category hazard --source grid --unit tbz-hy-1 --title 危房 \
	    --reported 2024-05-07T09:00
	# 7 recategorised before T1 (suggestion to petition), and after.
	add --category suggestion --source council --unit xzz-dk-2 \
	    --title 路灯 --reported 2024-04-20T10:00
	at 2024-04-21T10:00 case-edit -q --category petition 7
	# 8 mediation failed, the visit reopened it before T1.
	add --category dispute --source mediation --unit bgsz-dq-1 \
	    --title 宅基地 --reported 2024-04-25T10:00
	cls 2024-05-02T10:00 mediation-failed 8
	vis 2024-05-03T10:00 unsatisfied 8
	# 9 closed, visited only after T1.
	add --category legal-aid --source walk-in --unit tbz-cy-1 --title 欠薪 \
	    --reported 2024-04-28T10:00
	cls 2024-05-06T10:00 resolved 9
	# 10 unassigned past its dispatch limit at T1.
	add --category enterprise --source hotline --title 审批慢 \
	    --reported 2024-05-09T06:00
	# 11 a duplicate of 1; 12 rejected.
	add --category hazard --source grid --title 液化气罐（重复） \
	    --reported 2024-05-02T09:00
	at 2024-05-02T10:00 case-close -q --outcome duplicate --of 1 11
	add --category suggestion --source council --title 广告 \
	    --reported 2024-04-15T10:00
	cls 2024-04-15T10:30 rejected 12
	# 13 returned to intake before T1.
	add --category petition --source walk-in --title 低保 \
	    --reported 2024-04-10T10:00
	asg 2024-04-10T12:00 xzz-hp 13
	at 2024-04-11T10:00 case-return -q --note 非本社区 13
	# 14 paused at T1.
	add --category hazard --source grid --unit tbz-cy-2 --title 燃气管道 \
	    --reported 2024-05-06T10:00
	at 2024-05-06T12:00 case-pause -q 14
	# 15 handled, reworked, mediated, visited: reopened later.
	add --category dispute --source mediation --unit bgsz-ms --title 婚姻 \
	    --reported 2024-04-12T10:00
	hnd 2024-04-15T10:00 15
	at 2024-04-16T10:00 case-rework -q 15
	hnd 2024-04-18T10:00 15
	cls 2024-04-20T10:00 mediated 15
	vis 2024-04-21T10:00 satisfied 15
	# 16 extended, closed.
	add --category enterprise --source wechat --unit rsj --title 招聘 \
	    --reported 2024-04-18T10:00
	at 2024-04-22T10:00 case-assign -q --extend 1wd --note 协调 16
	cls 2024-04-26T10:00 resolved 16
	# 17 unassigned petition, past its 1 wd dispatch limit.
	add --category petition --source hotline --title 供暖费 \
	    --reported 2024-05-05T10:00
	# 18 assigned just before T1.
	add --category hazard --source grid --title 煤气泄漏 \
	    --reported 2024-05-09T07:00
	asg 2024-05-09T07:30 bgsz-dq-2 18
	# 19 reported at T1 itself.
	at 2024-05-09T09:00 case-add -q --category hazard --source grid \
	    --unit xzz-hp-1 --title 井盖
}
(set -e; work_to_t1) >"$tmp/out" 2>"$tmp/err"
check_same 'the cases up to T1 are made without an error' \
    "$(echo $?; cat "$tmp/err")" 0
reports "$tmp/t1"
check_same 'at T1: the report has every category and street' \
    "$(cut -f1,2 "$tmp/t1/main" | sed 1d | tr '\t' '/' | paste -sd' ' -)" \
    'dispute/bgsz dispute/tbz enterprise/ hazard/ hazard/bgsz hazard/tbz hazard/xzz legal-aid/tbz petition/ petition/bgsz petition/xzz suggestion/ total/'
# Overdue at T1: 3 (13 wd from 04-05, extended 5 wd: 04-29), 6 (24 h: 05-08
# 09:00), 7 (5 wd from 04-20 as a suggestion: 04-26), 13 (13 wd from 04-10:
# 04-28), and 10 and 17 unassigned past their dispatch limits (05-09 08:00;
# 1 wd from Sunday 05-05: 05-06).  Not 14 (paused).
check_same 'at T1: overdue 3 6 7 13, and 10 17 past the dispatch limit' \
    "$(paste -sd' ' - <"$tmp/t1/ids")" '3 6 7 10 13 17'
reports "$tmp/t1-replay" --as-of "$T1"
check_same 'at T1, --as-of T1 replays to the same reports' \
    "$(same "$tmp/t1" "$tmp/t1-replay")" ''

# --- After T1: every kind of change to cases reported before it.
after_t1() {
	at 2024-05-09T10:00 case-assign -q --to fgw 10
	cls 2024-05-09T12:00 resolved 5
	cls 2024-05-09T12:00 resolved 18
	at 2024-05-10T09:00 case-close -q --reopen 1
	at 2024-05-10T09:00 case-add -q --category hazard --source grid \
	    --unit tbz-cy-1 --title 新报隐患
	at 2024-05-10T09:30 case-rework -q 4
	at 2024-05-10T10:00 case-edit -q --category legal-aid --recompute-due 2
	at 2024-05-10T10:00 case-assign -q --escalate 6
	at 2024-05-10T10:00 case-pause -q --resume 14
	at 2024-05-10T10:00 case-pause -q 17
	hnd 2024-05-10T10:00 19
	vis 2024-05-10T10:00 satisfied 9
	asg 2024-05-10T10:00 xzz-hp-1 13
	at 2024-05-10T11:00 case-edit -q --category dispute --recompute-due 7
	cls 2024-05-10T15:00 resolved 10
	cls 2024-05-10T15:00 resolved 19
	cls 2024-05-10T15:00 resolved 20
	cls 2024-05-11T10:00 resolved 3
	hnd 2024-05-11T10:00 4
	at 2024-05-11T10:00 case-assign -q --escalate 6
	cls 2024-05-11T12:00 resolved 14
	at 2024-05-12T09:00 case-add -q --category dispute --source mediation \
	    --unit bgsz-ms --title 新纠纷
	at 2024-05-12T10:00 case-assign -q --escalate 6
	at 2024-05-12T10:00 case-pause -q --resume 17
	cls 2024-05-12T10:00 resolved 1
	cls 2024-05-12T10:00 resolved 4
	cls 2024-05-12T10:00 mediated 8
	hnd 2024-05-12T10:00 13
	vis 2024-05-12T11:00 satisfied 3
	asg 2024-05-13T10:00 zhzx 17
	cls 2024-05-13T10:00 resolved 13
	vis 2024-05-13T10:00 satisfied 8
	at 2024-05-15T10:00 case-close -q --reopen 15
	# 6 at the district, overdue again: nowhere higher, supervised.
	at 2024-05-20T10:00 case-assign -q --escalate 6
}
(set -e; after_t1) >"$tmp/out" 2>"$tmp/err"
check_same 'the work after T1 is done without an error' \
    "$(echo $?; cat "$tmp/err")" 0
check_same '6 climbed to the district and is under supervision' \
    "$(case-export --events --format tsv |
	awk -F '\t' '$2 == 6 { print $4 }' | paste -sd' ' -)" \
    'reported assigned escalated escalated escalated supervised'
check_same '2 and 7 are recategorised' \
    "$(case-list --status all --format tsv | awk -F '\t' '$1 == 2 || $1 == 7 {
	print $1 "=" $5 }' | paste -sd' ' -)" '2=legal-aid 7=dispute'

# --- The quarter: work on to the end of June, take the report.
in_june() {
	cls 2024-06-02T10:00 resolved 6
	cls 2024-06-05T10:00 mediated 21
	at 2024-06-03T10:00 case-add -q --category petition --source walk-in \
	    --unit xzz --title 养老金
	at 2024-06-10T10:00 case-add -q --category hazard --source grid \
	    --unit tbz-cy-1 --title 电线私拉
	cls 2024-06-10T10:00 resolved 15
	vis 2024-06-11T10:00 unsatisfied 15
	cls 2024-06-20T10:00 resolved 22
	vis 2024-06-21T10:00 satisfied 22
}
(set -e; in_june) >"$tmp/out" 2>"$tmp/err"
check_same 'the work in June is done without an error' \
    "$(echo $?; cat "$tmp/err")" 0
q2='--since 2024-04-01 --until 2024-06-30'
quarter() {
	d=$1
	shift
	mkdir -p "$d"
	case-stats $q2 --by category,unit:street --format tsv "$@" >"$d/main"
	case-stats $q2 --by month,source --format csv "$@" >"$d/month.csv"
	case-stats $q2 --by unit:community --format tsv "$@" >"$d/community"
	case-stats $q2 --format json "$@" >"$d/total.json"
	case-stats $q2 --ids closed "$@" | sort -n >"$d/ids"
}
CASE_NOW=2024-06-30T23:59:59+08:00 quarter "$tmp/q2"

# --- July: more work on cases of the quarter.
in_july() {
	at 2024-07-02T10:00 case-close -q --reopen 22
	at 2024-07-03T10:00 case-edit -q --category dispute --recompute-due 9
	at 2024-07-04T10:00 case-assign -q --escalate 23
	cls 2024-07-05T10:00 resolved 23
	vis 2024-07-06T10:00 satisfied 6
	cls 2024-07-08T10:00 resolved 15
	vis 2024-07-09T10:00 satisfied 15
	at 2024-07-10T10:00 case-edit -q --category hazard 12
	at 2024-07-10T11:00 case-add -q --category dispute --source mediation \
	    --unit tbz-cy --reported 2024-07-10T11:00 --title 七月纠纷
}
(set -e; in_july) >"$tmp/out" 2>"$tmp/err"
check_same 'the work in July is done without an error' \
    "$(echo $?; cat "$tmp/err")" 0

CASE_NOW=2024-07-15T09:00:00+08:00
export CASE_NOW

# The later work changed the figures: the same reports taken now differ.
reports "$tmp/now"
check_same 'the reports taken now differ from those at T1' \
    "$(same "$tmp/t1" "$tmp/now" | paste -sd' ' -)" \
    'main month status source.csv unit.json table week overdue ids'
quarter "$tmp/q2-now"
# But not the cases closed in the quarter: 22, reopened in July, was
# closed in June all the same, and closures since fall in July.
check_same 'the quarter taken now differs from the one taken on 06-30' \
    "$(for f in main month.csv community total.json ids; do
	cmp -s "$tmp/q2/$f" "$tmp/q2-now/$f" || echo "$f"; done |
	paste -sd' ' -)" \
    'main month.csv community total.json'

# --- --as-of reproduces them, byte for byte.
reports "$tmp/t1-later" --as-of "$T1"
for f in main month status source.csv unit.json table week overdue ids; do
	if cmp -s "$tmp/t1/$f" "$tmp/t1-later/$f"; then
		ok "--as-of T1 two months later: $f is the same"
	else
		not_ok "--as-of T1 two months later: $f is the same"
		diff "$tmp/t1/$f" "$tmp/t1-later/$f" | sed 's/^/# /'
	fi
done
quarter "$tmp/q2-later" --as-of 2024-06-30
for f in main month.csv community total.json ids; do
	if cmp -s "$tmp/q2/$f" "$tmp/q2-later/$f"; then
		ok "the quarter --as-of 2024-06-30: $f is the same"
	else
		not_ok "the quarter --as-of 2024-06-30: $f is the same"
		diff "$tmp/q2/$f" "$tmp/q2-later/$f" | sed 's/^/# /'
	fi
done

# --- On the final database, the cases table and the replay agree.
for by in category unit unit:street,source status,outcome month,category \
    week day
do
	check_same "no --as-of = --as-of now, --by $by" \
	    "$(case-stats --by $by --format csv)" \
	    "$(case-stats --by $by --format csv --as-of $CASE_NOW)"
done
check_same 'no --as-of = --as-of now, the quarter with filters' \
    "$(case-stats $q2 --unit tbz --status closed --by category)" \
    "$(case-stats $q2 --unit tbz --status closed --by category \
	--as-of $CASE_NOW)"

# A case closed as a duplicate without naming the case it repeats is
# still closed as a duplicate: registered leaves it out, whether read
# from the cases table or replayed.  On a copy, so the above stands.
dup=$(db_uri "$tmp/dup.db")
copy_db "$CASE_DB" "$dup"
CASE_DB=$dup
at 2024-07-15T08:00 case-close -q --outcome duplicate 24
check_same 'a duplicate without --of: no --as-of = --as-of now' \
    "$(case-stats --by category)" \
    "$(case-stats --by category --as-of $CASE_NOW)"
# Disputes now: 7 and 9 (recategorised), 8 15 21 24: six received, 24 a
# duplicate: five registered.
check_same 'a duplicate without --of is not registered' \
    "$(case-stats --category dispute | awk -F '\t' 'NR == 2 {
	print $1, $2 }')" '6 5'

done_testing
