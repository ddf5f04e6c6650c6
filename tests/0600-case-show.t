#!/bin/sh
# case-show: every field, the history in order, several cases, errors.
. "$(dirname "$0")/lib.sh"
: ${CASE_SHOW:=case-show}
plan 53

# The demo district, plus a unit whose code holds an escape sequence.
{ cat "$top/data/demo-units.csv"; printf 'x\033[2Jy,坏编码,xzz,grid\n'; } \
    >"$tmp/units.csv"
case-init --units "$tmp/units.csv" >/dev/null
user=$(id -un)

# Case 1 goes through a whole life: reported by a grid worker, handed to
# the community police office, escalated to the community, closed.  Each
# step is written at its own instant (lib.sh's at).
at 2024-05-08T10:00:00 case-add -q --category hazard \
    --source grid --grid xzz-dk-1 --location '东矿社区3栋楼下' \
    --reporter 张三 --title 液化气罐 --due 2024-05-09T10:00 \
    --desc "$(printf '火锅店楼下堆放十余个液化气罐\n无安全措施')"
at 2024-05-08T10:30:00 case-assign -q --actor 网格员李四 \
    --to xzz-dk-jws --note 民警到场 1
at 2024-05-08T11:00:00 case-assign -q --escalate 1
at 2024-05-08T15:00:00 case-close -q --actor 社区民警王五 \
    --outcome resolved --note 已整改 1
# Case 2: just reported, nothing else set.
case-add -q --category enterprise --source wechat --title 投资奖励未兑现 \
    --due 2024-05-12T09:00
# Case 3: hostile text everywhere a person might look.
case-add -q --category other --unit xzz \
    --title "$(printf '\033[2J\033[31m清屏\033[0m')" \
    --location "$(printf '地址\t有TAB')" \
    --reporter "$(printf '报告人\302\205C1')" \
    --desc "$(printf '第一行\n第二\033]0;标题\007行\r')"
case-close -q --outcome resolved --note "$(printf '备注\n第二行\033[0m')" 3

check_exit 'case-show ID' 0 $CASE_SHOW 1
cp "$tmp/out" "$tmp/one"
check_same 'nothing on stderr' "$(cat "$tmp/err")" ''

# fld LABEL: the value shown after a label, as in "label    value".
fld() {
	awk -v l="$1" 'index($0, l " ") == 1 && !done {
		sub("^" l " +", ""); print; done = 1 }' "$tmp/one"
}
check_same 'the first line names the case' "$(sed -n 1p "$tmp/one")" \
    "$(printf '%-13s%s' case 1)"
check_same 'title' "$(fld title)" 液化气罐
check_same 'status' "$(fld status)" closed
check_same 'category, with its name' "$(fld category)" 'hazard  安全隐患'
check_same 'source, with its name' "$(fld source)" 'grid  网格巡查'
check_same 'reported, in local time with the offset' "$(fld reported)" \
    2024-05-08T10:00:00+08:00
check_same 'grid, with its name' "$(fld grid)" 'xzz-dk-1  东矿社区第一网格'
check_same 'location' "$(fld location)" 东矿社区3栋楼下
check_same 'reporter' "$(fld reporter)" 张三
check_same 'unit, after the escalation, with its name' "$(fld unit)" \
    'xzz-dk  东矿社区'
check_grep 'due' '^due  *2024-05-[0-9][0-9]T[0-9:]*+08:00$' "$tmp/one"
check_same 'assigned: the first assignment' "$(fld assigned)" \
    2024-05-08T10:30:00+08:00
check_same 'closed' "$(fld closed)" 2024-05-08T15:00:00+08:00
check_same 'outcome, with its name' "$(fld outcome)" 'resolved  已解决'
check_same 'outcome note' "$(fld 'outcome note')" 已整改
check_same 'description, line by line' \
    "$(sed -n '/^description/,/^deadlines/p' "$tmp/one")" \
    "description
    火锅店楼下堆放十余个液化气罐
    无安全措施
deadlines"
# The deadlines the case had: the one set at the report, replaced by the
# escalation's fresh one (the category's 24 h from 11:00), met at 15:00.
check_same 'deadlines: each one, when it was set, and what became of it' \
    "$(sed -n '/^deadlines/,/^history/p' "$tmp/one")" \
    "deadlines
    resolution  2024-05-09T10:00:00+08:00  set 2024-05-08T10:00:00+08:00  replaced
    resolution  2024-05-09T11:00:00+08:00  set 2024-05-08T11:00:00+08:00  met
history"

# The history: every event, in order, with time, actor and OS user.
sed -n '/^history/,$p' "$tmp/one" | sed 1d >"$tmp/hist"
check_same 'history: the four events in order' \
    "$(awk '{ print $2 }' "$tmp/hist" | paste -sd' ' -)" \
    'reported assigned escalated closed'
check_same 'history: times' \
    "$(awk '{ print $1 }' "$tmp/hist" | paste -sd' ' -)" \
    '2024-05-08T10:00:00+08:00 2024-05-08T10:30:00+08:00 2024-05-08T11:00:00+08:00 2024-05-08T15:00:00+08:00'
check_same 'history: actor and user' \
    "$(sed -E 's/^.* ([^ ]+ \([^ )]+\)).*$/\1/' "$tmp/hist" | paste -sd'|' -)" \
    "tester ($user)|网格员李四 ($user)|tester ($user)|社区民警王五 ($user)"
check_grep 'history: the assignment, its units and note' \
    ' assigned .* -> xzz-dk-jws .*民警到场' "$tmp/hist"
check_grep 'history: the escalation, from unit to unit' \
    ' escalated .* xzz-dk-jws -> xzz-dk' "$tmp/hist"
check_grep 'history: the closure, its outcome and note' \
    ' closed .* resolved .*已整改' "$tmp/hist"

# Several cases, one after another, a blank line between them.
check_exit 'several IDs' 0 $CASE_SHOW 1 2
check_same 'are shown in turn, separated by one blank line' \
    "$(cat "$tmp/out")" "$($CASE_SHOW 1; echo; $CASE_SHOW 2)"
check_same 'in the order given' "$($CASE_SHOW 2 1 | grep '^case ')" \
    "$(printf '%-13s2\n%-13s1' case case)"
check_same 'an unset field is empty' \
    "$($CASE_SHOW 2 | grep -cE '^(unit|assigned|closed|outcome) *$')" 4

# IDs on standard input: the first field of each line.
check_same 'IDs from stdin' "$(printf '1\n2\n' | $CASE_SHOW)" \
    "$($CASE_SHOW 1 2)"
check_same 'first field of each line, blanks and blank lines skipped' \
    "$(printf '  2\tinvestment\n\n1 rest of line\n' | $CASE_SHOW)" \
    "$($CASE_SHOW 2 1)"
check_same 'case-list output pipes straight in' \
    "$(case-list --status all | $CASE_SHOW)" "$($CASE_SHOW 1 2 3)"

# A missing case is reported; the others are still shown.
check_exit 'a missing ID exits 1' 1 $CASE_SHOW 1 99 2
check_same 'and says so on stderr' "$(cat "$tmp/err")" \
    'case-show: 99: no such case'
check_same 'the others are shown as if it were not there' \
    "$(cat "$tmp/out")" "$($CASE_SHOW 1 2)"
check_exit 'only a missing ID' 1 $CASE_SHOW 99
check_same 'shows nothing' "$(cat "$tmp/out")" ''
check_exit 'a missing ID last' 1 $CASE_SHOW 1 99
check_same 'leaves no trailing blank line' "$(tail -n 1 "$tmp/out" | grep -c '^$')" 0

# Control characters are escaped, never sent to the terminal.
$CASE_SHOW 3 >"$tmp/three"
check_same 'no raw control characters but newlines' \
    "$(tr -d '\n' <"$tmp/three" | LC_ALL=C grep -c '[[:cntrl:]]')" 0
check_same 'title: ESC shown as backslash x1b' "$(grep '^title ' "$tmp/three")" \
    "$(printf '%-13s%s' title '\x1b[2J\x1b[31m清屏\x1b[0m')"
check_same 'location: TAB shown as backslash t' "$(grep '^location ' "$tmp/three")" \
    "$(printf '%-13s%s' location '地址\t有TAB')"
check_same 'reporter: a C1 control shown as backslash u0085' \
    "$(grep '^reporter ' "$tmp/three")" \
    "$(printf '%-13s%s' reporter '报告人\u0085C1')"
check_grep 'description: BEL, ESC and CR escaped' \
    '^    第二\\x1b\]0;标题\\x07行\\r$' "$tmp/three"
check_grep 'history: a note with a newline stays on one line' \
    ' closed .*备注\\n第二行\\x1b\[0m$' "$tmp/three"
case-add -q --category other --title 编码 --unit "$(printf 'x\033[2Jy')"
case-assign -q --to xzz 4
$CASE_SHOW 4 >"$tmp/four"
check_same 'history: unit codes escaped as well' \
    "$(tr -d '\n' <"$tmp/four" | LC_ALL=C grep -c '[[:cntrl:]]')" 0
check_grep 'history: the unit assigned to, shown escaped' \
    ' - -> x\\x1b\[2Jy$' "$tmp/four"
check_grep 'history: the unit assigned from, shown escaped' \
    ' x\\x1b\[2Jy -> xzz$' "$tmp/four"
# A paper record entered after the fact: case 5, reported on 05-01, its
# closure on 05-02 08:00 typed in on 05-08 (--at).  The history shows both
# times; the deadline the closure met is the report's; case-stats --check
# names the entry made a week after it took effect.
at 2024-05-01T09:00 case-add -q --category hazard --unit xzz-dk-1 \
    --title 补录 --due 2024-05-02T09:00
at 2024-05-08T09:00 case-close -q --at 2024-05-02T08:00 \
    --outcome resolved --note 纸质记录补录 5
$CASE_SHOW 5 >"$tmp/five"
check_same 'a record entered later: its effective time, then when it was written' \
    "$(sed -n '/ closed /,$p' "$tmp/five" | sed 's/  */ /g')" \
    ' 2024-05-02T08:00:00+08:00 closed tester ('"$user"') resolved skipped: handled 纸质记录补录
 recorded 2024-05-08T09:00:00+08:00'
check_same 'the deadline it met' "$(grep -A1 '^deadlines' "$tmp/five" | sed 1d)" \
    '    resolution  2024-05-02T09:00:00+08:00  set 2024-05-01T09:00:00+08:00  met'
check_exit 'case-stats --check: an entry made long after it took effect' 1 \
    case-stats --check --category hazard
check_same 'is named (backdated), and its case' \
    "$(grep backdated "$tmp/out" | cut -f2,3)|$(case-stats --ids backdated --category hazard)" \
    'backdated	1 with an event recorded over a day after its effective time|5'
check_same 'case 1, each step written as it happened, is not' \
    "$(case-stats --ids backdated | grep -c '^1$')" 0
done_testing
