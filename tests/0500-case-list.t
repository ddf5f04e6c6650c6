#!/bin/sh
# case-list: which cases, in which columns, in every format, and pipes.
. "$(dirname "$0")/lib.sh"
: ${CASE_LIST:=case-list}
plan 63

py=python3

# The demo district, plus a grid whose code is Chinese, for alignment.
{ cat "$top/data/demo-units.csv"; echo '网格甲,东矿社区网格甲,xzz-dk,grid'; } \
    >"$tmp/units.csv"
case-init --units "$tmp/units.csv" >/dev/null

# The clock is 2024-05-09T09:00+08:00.  Deadlines are given, so that
# these tests do not depend on the categories' deadline rules.
add() { case-add "$@" >/dev/null; }
add --category hazard --source grid --grid xzz-dk-1 --unit xzz-dk-1 \
    --reported 2024-05-08T10:00 --due 2024-05-09T10:00 \
    --title 液化气罐堆放	# 1
add --category dispute --source mediation --unit xzz-hp \
    --reported 2024-05-01T09:00 --due 2024-05-08T09:00 \
    --title 邻里纠纷	# 2 overdue
add --category enterprise --source wechat \
    --reported 2024-05-09T08:00 --due 2024-05-12T08:00 \
    --title 投资奖励未兑现	# 3 no unit
add --category suggestion --source council --unit tbz-cy-1 \
    --reported 2024-04-30T23:59:59 --due 2024-05-15 \
    --title 电瓶车飞线充电	# 4
add --category hazard --source police --unit xzz \
    --reported 2024-05-02T00:00 --due 2024-05-03 \
    --title 占用消防通道	# 5 closed
add --category petition --source walk-in --unit bgsz-ms-1 \
    --reported 2024-05-07T12:00 --due 2024-06-06T12:00 \
    --title 信访件	# 6
add --category other --unit xzz-dk-2 \
    --reported 2024-05-03T08:00 --due 2024-05-10 \
    --title 其他事项	# 7 closed
CASE_NOW=2024-05-02T12:00:00+08:00 case-close -q --outcome resolved 5
CASE_NOW=2024-05-05T10:00:00+08:00 case-close -q --outcome withdrawn 7

# ids ARGS...: the IDs case-list prints, on one line, in ID order (the
# list's own order is checked apart).
ids() {
	$CASE_LIST "$@" | cut -f1 | sort -n | paste -sd' ' -
}

check_exit 'lists open cases' 0 $CASE_LIST
check_same 'only the open ones, by tier (all normal) then deadline, no header' \
    "$(cut -f1 "$tmp/out" | paste -sd' ' -)" '2 1 3 4 6'
check_same 'columns: id status unit due category priority title, TAB-separated' \
    "$(sed -n 2p "$tmp/out")" \
    "$(printf '1\tassigned\txzz-dk-1\t2024-05-09T10:00:00+08:00\thazard\tnormal\t液化气罐堆放')"
check_same 'an unassigned case has an empty unit' \
    "$(sed -n 3p "$tmp/out")" \
    "$(printf '3\treported\t\t2024-05-12T08:00:00+08:00\tenterprise\tnormal\t投资奖励未兑现')"
check_same 'seven fields on every line' \
    "$(awk -F '\t' '{ print NF }' "$tmp/out" | sort -u)" 7
check_same 'nothing on stderr' "$(cat "$tmp/err")" ''

check_same '--status closed' "$(ids --status closed)" '5 7'
check_same '--status all' "$(ids --status all)" '1 2 3 4 5 6 7'
check_same '--status open' "$(ids --status open)" '1 2 3 4 6'
check_exit '--status bogus is a usage error' 2 $CASE_LIST --status bogus
check_same 'a closed case shows its status' \
    "$($CASE_LIST --status closed | sed -n 1p | cut -f2)" closed

check_same '--overdue: open and past the deadline' "$(ids --overdue)" 2
check_same '--overdue a day later' \
    "$(CASE_NOW=2024-05-10T00:00:00+08:00 ids --overdue)" '1 2'
check_same '--overdue much later: every open case, never a closed one' \
    "$(CASE_NOW=2024-07-01T00:00:00+08:00 ids --overdue)" '1 2 3 4 6'
check_same '--overdue --status all still leaves closed cases out' \
    "$(CASE_NOW=2024-07-01T00:00:00+08:00 ids --overdue --status all)" \
    '1 2 3 4 6'

check_same '--unit street: its communities and grids too' \
    "$(ids --unit xzz)" '1 2'
check_same '--unit street --status all' \
    "$(ids --unit xzz --status all)" '1 2 5 7'
check_same '--unit community: its grids' \
    "$(ids --unit xzz-dk --status all)" '1 7'
check_same '--unit grid: itself' "$(ids --unit xzz-dk-1)" 1
check_same '--unit district: every assigned case' \
    "$(ids --unit bgs)" '1 2 4 6'
check_same '--unit other street' "$(ids --unit tbz)" 4
check_exit '--unit with nothing under it matches nothing' 1 \
    $CASE_LIST --unit fgw

check_same '--category' "$(ids --category hazard)" 1
check_same '--category --status all' \
    "$(ids --category hazard --status all)" '1 5'
check_same '--source' "$(ids --source wechat)" 3
check_same '--category and --source together' \
    "$(ids --status all --category hazard --source police)" 5

check_same '--since a day' "$(ids --since 2024-05-08)" '1 3'
check_same '--until a bare day takes in that whole day' \
    "$(ids --until 2024-04-30)" 4
check_same '--since and --until the same day' \
    "$(ids --since 2024-05-01 --until 2024-05-01)" 2
check_same '--until a time' "$(ids --until 2024-05-08T10:00:01)" '1 2 4 6'
check_same '--since today' "$(ids --since today)" 3
check_same '--since yesterday' "$(ids --since yesterday)" '1 3'
check_same '--since -24h' "$(ids --since -24h)" '1 3'
check_same '--since with an offset' \
    "$(ids --since 2024-05-08T02:00:00Z)" '1 3'
check_exit '--since garbage is a usage error' 2 $CASE_LIST --since garbage
check_same '--closed-since' \
    "$(ids --status closed --closed-since 2024-05-04)" 7
check_same '--closed-until a bare day' \
    "$(ids --status closed --closed-until 2024-05-02)" 5

check_exit 'unknown --unit exits 2' 2 $CASE_LIST --unit nosuch
check_grep 'and names it' 'nosuch' "$tmp/err"
check_exit 'unknown --category exits 2' 2 $CASE_LIST --category nosuch
check_exit 'unknown --source exits 2' 2 $CASE_LIST --source nosuch
check_exit 'nothing matched exits 1' 1 $CASE_LIST --category law
check_same 'with no output' "$(cat "$tmp/out" "$tmp/err")" ''

# CSV: a header row and CRLF line ends, RFC 4180.
$CASE_LIST --format csv >"$tmp/csv"
check_same '--format csv starts with the header row' \
    "$(sed -n 1p "$tmp/csv")" \
    "$(printf 'id,status,unit,due,category,priority,title\r')"
check_same 'every csv line ends in CRLF' \
    "$(grep -c "$(printf '\r')\$" "$tmp/csv")" 6
check_same 'csv rows' "$(sed -n 3p "$tmp/csv")" \
    "$(printf '1,assigned,xzz-dk-1,2024-05-09T10:00:00+08:00,hazard,normal,液化气罐堆放\r')"

# JSON: one object per line.
$CASE_LIST --format json >"$tmp/json"
check 'json is valid, one object per line' \
    $py -c 'import json,sys;[json.loads(l) for l in sys.stdin]' <"$tmp/json"
check_same 'one line per case, with its fields' \
    "$($py -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    print(o["id"], o["status"], o["unit"], o["category"], o["title"])' \
	<"$tmp/json" | sort -n)" \
    "1 assigned xzz-dk-1 hazard 液化气罐堆放
2 assigned xzz-hp dispute 邻里纠纷
3 reported None enterprise 投资奖励未兑现
4 assigned tbz-cy-1 suggestion 电瓶车飞线充电
6 assigned bgsz-ms-1 petition 信访件"

# Escaping: TAB and newline in a title keep a case on one line.
id8=$(case-add --category other --unit 网格甲 \
    --title "$(printf '标题\t有\n换行\\')")
id9=$(case-add --category other --unit xzz-dk-2 \
    --title "$(printf '\033[31m红色\033[0m')")
check_same 'TAB, newline and backslash escaped in tsv' \
    "$($CASE_LIST --unit 网格甲 | cut -f7)" '标题\t有\n换行\\'
check_same 'each case stays one line' "$($CASE_LIST | wc -l)" 7

# The table: aligned by display width, control characters escaped.
$CASE_LIST --format table >"$tmp/table"
check_same 'table: one line per case' "$(wc -l <"$tmp/table")" 7
check_same 'table: the due column after a Chinese unit starts at one display column' \
    "$($py -c '
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(len({w(l[:l.index("2024-")]) for l in sys.stdin}))' <"$tmp/table")" 1
check_same 'table: the category column starts at one display column' \
    "$($py -c '
import sys, unicodedata, re
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(len({w(l[:re.search(r"\+08:00 +", l).end()]) for l in sys.stdin}))' \
	<"$tmp/table")" 1
check_same 'table: a Chinese unit code is padded by its width' \
    "$(grep "^ *$id8 " "$tmp/table" | sed 's/^ *[0-9]* //; s/2024-.*//')" \
    "$(grep '^ *1 ' "$tmp/table" | sed 's/^ *[0-9]* //; s/xzz-dk-1/网格甲  /; s/2024-.*//')"
check_same 'table: an ESC sequence is shown escaped' \
    "$(grep "^ *$id9 " "$tmp/table" | sed 's/.*other  *normal  *//')" \
    '\x1b[31m红色\x1b[0m'
check_same 'table: no raw ESC byte at all' \
    "$(grep -c "$(printf '\033')" "$tmp/table")" 0
check_same 'table: TAB and newline escaped' \
    "$(grep "^ *$id8 " "$tmp/table" | sed 's/.*other  *normal  *//')" '标题\t有\n换行\'

# A terminal gets the table, with no option; a pipe gets TSV (above).
if command -v script >/dev/null 2>&1; then
	check_same 'on a terminal the default is the table' \
	    "$(script -qec "$CASE_LIST" /dev/null </dev/null | tr -d '\r')" \
	    "$(cat "$tmp/table")"
else
	ntest=$((ntest + 1))
	echo "ok $ntest # skip script(1) not available"
fi

# The pipe the whole suite is built for.
check_same 'case-list | cut -f1 | case-close --outcome resolved' \
    "$($CASE_LIST | cut -f1 | case-close --outcome resolved | paste -sd' ' -)" \
    "2 1 3 4 $id8 $id9 6"
check_exit 'and then no case is open' 1 $CASE_LIST

# A reader that stops early (head) ends case-list quietly by SIGPIPE.
awk 'BEGIN { print "category,title"
	for (i = 0; i < 2000; i++) print "other,电瓶车飞线充电" i }' \
    >"$tmp/many.csv"
case-add -q --csv "$tmp/many.csv"
check_same 'case-list | head -1: the first line' \
    "$({ $CASE_LIST 2>"$tmp/pipe.err"; echo $? >"$tmp/pipe.rc"; } | head -1 |
	cut -f1)" 10
check_same 'and no error message' "$(cat "$tmp/pipe.err")" ''
check_same 'killed by SIGPIPE, not a write error (exit 2)' \
    "$(cat "$tmp/pipe.rc")" 141
done_testing
