#!/bin/sh
# Limits without silent damage: every Unicode scalar value written to a
# workbook as valid XML, the formula guard on case-list and case-stats
# CSV and TSV (--raw turns it off), a 10,000-level unit chain loaded and
# queried in work linear in the chain (walking the whole closure took
# 83 s), and the case after the largest importable ID still valid.
. "$(dirname "$0")/lib.sh"
plan 10

init_demo
odd=$(printf 'a\357\277\276b\357\277\277c\001d\357\267\220e\364\217\277\276f')
case-add -q --category hazard --title "$odd"
case-add -q --category hazard --title '=1+2'
case-export --xlsx "$tmp/q.xlsx"
check 'U+FFFE, U+FFFF, U+0001, U+FDD0 and U+10FFFE: the sheet is valid XML' \
    python3 -c 'import sys, zipfile, xml.dom.minidom as m
m.parseString(zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml"))' \
    "$tmp/q.xlsx"
check_same 'each replaced by U+FFFD' "$(python3 -c 'import sys, zipfile
s = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode()
print(sum(1 for c in s if c == "\ufffd"))' "$tmp/q.xlsx")" 5
check_same 'case-list --format csv guards a formula' \
    "$(case-list --format csv | grep -c "'=1+2")" 1
check_same 'case-list --format tsv too' \
    "$(case-list --format tsv | cut -f7 | grep -c "^'=1+2")" 1
check_same 'and --raw writes it as it is' \
    "$(case-list --format tsv --raw | cut -f7 | grep -c '^=1+2')" 1
check_same 'case-stats --format csv leaves plain labels alone' \
    "$(case-stats --by category --format csv | sed 1d | cut -d, -f1 | sort | paste -sd' ' -)" \
    'hazard total'

awk 'BEGIN { print "code,name,parent"; print "u0,根,"
    for (i = 1; i < 10000; i++) printf "u%d,单位%d,u%d\n", i, i, i - 1 }' \
    >"$tmp/chain.csv"
chain=$(new_db "$tmp/chain.db")
check 'a chain of 10,000 units loads' case-init -d "$chain" \
    --units "$tmp/chain.csv"
CASE_DB=$chain case-add -q --category hazard --unit u9999 --title 深
check_same 'and a case at its bottom is under its top' \
    "$(CASE_DB=$chain case-list --unit u0 --format tsv | cut -f3)" u9999
check_same 'and counted under it by case-stats' \
    "$(CASE_DB=$chain case-stats --unit u0 --format tsv | cut -f1 | sed 1d)" 1

printf 'id,category,title\n999999999999,hazard,a\n' >"$tmp/ids.csv"
case-add -q --csv "$tmp/ids.csv"
check_same 'after the largest importable ID the next is still valid' \
    "$(id=$(case-add --category hazard --title b) && case-show "$id" \
    >/dev/null && echo "$id")" 1000000000000
done_testing
