#!/bin/sh
# case-pack (issue 16, part 1): the review pack of a period, a workbook
# and a page, whose every figure is case-stats' for the same period;
# the unit ranking follows the weights; 环比 and 同比 as computed by
# hand; the same files again for the same moment; nothing left behind
# when it fails.
. "$(dirname "$0")/lib.sh"
plan 57

add() {
	t=$1
	shift
	at "$t" case-add -q --reported "$t" "$@"
}
# sheet FILE NAME: a sheet of a workbook as TSV, as a spreadsheet reads
# it (tests/xlsx.py), numbers as %g, empty cells empty.  Each workbook
# is read once, its sheets kept in a directory of their own (.names:
# their names); sheet reads again a file written anew.
sheet() {
	d=$tmp/sheets$(echo "$1" | tr / _)
	[ -d "$d" ] && [ ! "$1" -nt "$d/.names" ] ||
	    PYTHONPATH="$top/tests" python3 - "$1" "$d" <<'EOF'
import os, sys, xlsx
wb = xlsx.Workbook(sys.argv[1])
d = sys.argv[2]
os.makedirs(d, exist_ok=True)
def cell(v):
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return "%g" % v
    return str(v)
for n in wb.sheetnames:
    with open(os.path.join(d, n), "w") as f:
        for r in wb[n].rows():
            print("\t".join(cell(v) for v in r), file=f)
with open(os.path.join(d, ".names"), "w") as f:
    print(" ".join(wb.sheetnames), file=f)
EOF
	cat "$d/$2"
}
sheets() {
	sheet "$1" .names
}
# json_tsv: case-stats' JSON lines as TSV, the values in their order,
# null empty, numbers as %g: what a sheet of them holds.
json_tsv() {
	python3 -c 'import sys, json
for l in sys.stdin:
    o = json.loads(l)
    print("\t".join("" if v is None else "%g" % v
        if isinstance(v, (int, float)) else v for v in o.values()))'
}
# A figure of the summary sheet: column N (1 figure ... 9 同比) of its row.
summary() {
	sheet "$1" summary | awk -F'\t' -v f="$2" -v c="$3" '$1 == f { print $c }'
}

# The quarter 2024Q2 and the periods it is compared with:
#   id unit at the end  reported     what happened
#   1  fgw              2024-04-08   signed for in time, handled, closed,
#                                    visited unsatisfied (reopened)
#   2  rsj              2024-04-08   handled, reworked, handled, closed,
#                                    visited satisfied
#   3  bgs              2024-04-08   yjj's, escalated to the district,
#                                    signed for late there
#   4  fgw              2024-01-08   (the previous quarter)
#   5  fgw, 6 rsj       2023-05-08   (the quarter a year before)
init_demo
add 2024-04-08T09:00 --category hazard --title A --unit fgw --grid xzz-dk-1
add 2024-04-08T09:00 --category hazard --title B --unit rsj --grid tbz-cy-1
add 2024-04-08T09:00 --category hazard --title C --unit yjj
at 2024-04-08T10:00 case-ack -q 1
at 2024-04-08T10:00 case-handle -q 1 2
at 2024-04-08T11:00 case-rework -q 2
at 2024-04-08T12:00 case-handle -q 2
at 2024-04-09T09:00 case-close -q --outcome resolved 1 2
at 2024-04-10T09:00 case-visit -q --unsatisfied 1
at 2024-04-10T09:00 case-visit -q --satisfied 2
at 2024-05-06T09:00 case-assign -q --escalate 3
at 2024-05-08T09:00 case-ack -q 3
add 2024-01-08T09:00 --category hazard --title D --unit fgw
add 2023-05-08T09:00 --category hazard --title E --unit fgw
add 2023-05-08T09:00 --category hazard --title F --unit rsj
export CASE_NOW=2024-07-09T10:00:00+08:00
q="--since 2024-04-01 --until 2024-06-30"
all=received,registered,due,closed,closure_rate,on_time_rate,success_rate,mediation_rate,rework_rate,extension_rate,satisfaction_rate,open,overdue,closed_late,lapses,dispatch_h_median,dispatch_h_p90,close_h_median,close_h_p90,escalated,supervised,returned,reworks,ack_on_time_rate,same_day_rate
by=received,closed,closure_rate,on_time_rate,rework_rate,satisfaction_rate,overdue,escalated,supervised,returned

mkdir "$tmp/en" "$tmp/zh"
check 'the pack of a quarter, in English' \
    case-pack --quarter 2024Q2 --lang en -o "$tmp/en"
check_same 'a workbook and a page, named after the quarter, nothing else' \
    "$(ls -A "$tmp/en" | paste -sd' ' -)" \
    'casekit-2024Q2.html casekit-2024Q2.xlsx'
wb=$tmp/en/casekit-2024Q2.xlsx
check_same 'its sheets' "$(sheets "$wb")" \
    'summary ranking street community grid category source unit overdue escalated check definitions about'

# --- Every figure is case-stats' own, for the quarter.
case-stats $q --compare previous --figures "$all" --format json |
    sed -n 1p | python3 -c 'import sys, json
o = json.loads(sys.stdin.read())
for f in sys.argv[1].split(","):
    g = lambda k: "" if o.get(k) is None else "%g" % o[k]
    print("\t".join([f, g(f + "_num"), g(f + "_den"), g(f)]))' "$all" \
    >"$tmp/want"
check_same 'the summary: each figure, numerator, denominator and value as case-stats has them' \
    "$(sheet "$wb" summary | sed 1d | cut -f1,3-5)" "$(cat "$tmp/want")"
for key in street community grid category source; do
	check_same "by $key: case-stats --by $key, row for row" \
	    "$(sheet "$wb" "$key" | sed 1d)" \
	    "$(case-stats $q --by "$key" --figures "$by" --format json |
		json_tsv)"
done
check_same 'by unit: the same, each unit'"'"'s name beside its code' \
    "$(sheet "$wb" unit | sed 1d | cut -f1,3-)" \
    "$(case-stats $q --by unit --figures "$by" --format json | json_tsv)"
check_same 'the names are the database'"'"'s' \
    "$(sheet "$wb" unit | sed 1d | cut -f1,2 | paste -sd' ' -)" \
    "$(printf 'bgs\t八公山区 fgw\t区发改委 rsj\t区人社局 total\t')"
check_same 'overdue: the cases case-stats --ids overdue names, now' \
    "$(sheet "$wb" overdue | sed 1d | cut -f2 | paste -sd' ' -)" \
    "$(case-stats --ids overdue | paste -sd' ' -)"
check_same 'escalated: the cases of the quarter' \
    "$(sheet "$wb" escalated | sed 1d | cut -f1,2)" \
    "$(case-stats $q --ids escalated | sed 's/^/escalated\t/')"
# Each listed case with what it is: as case-list has it now, nothing
# having happened since; its unit's name; when it was reported.
check_same 'the lists: what each case is, headed' \
    "$(sheet "$wb" escalated | sed -n 1p)" \
    "$(printf 'figure\tid\ttitle\tcategory\tunit\tunit_name\treported at\tdue at')"
check_same 'overdue: each case'"'"'s title, category, unit and due as case-list has them' \
    "$(sheet "$wb" overdue | sed 1d | awk -F'\t' -v OFS='\t' '{ print $2, $5, $8, $4, $3 }')" \
    "$(case-list --status all --format tsv | awk -F'\t' -v OFS='\t' \
	-v ids=" $(case-stats --ids overdue | paste -sd' ' -) " \
	'index(ids, " " $1 " ") { print $1, $3, $4, $5, $7 }')"
check_same 'escalated: case 3 as it stood, its unit named, its times' \
    "$(sheet "$wb" escalated | sed 1d | cut -f2-)" \
    "$(printf '3\tC\thazard\tbgs\t八公山区\t2024-04-08T09:00:00+08:00\t%s' \
	"$(case-list --format tsv --status all | awk -F'\t' '$1 == 3 { print $4 }')")"
check_same 'the findings of --check for the quarter' \
    "$(sheet "$wb" check | sed 1d)" "$(case-stats $q --check)"
check_same 'the definitions in the words of --explain' \
    "$(sheet "$wb" definitions | awk -F'\t' '$1 == "on_time_rate" { print $2 }')" \
    "$(case-stats --explain | sed -n 's/^on_time_rate  *//p')"
check_same 'the as-of moment and the database' \
    "$(sheet "$wb" about | sed -n '3,4p' | cut -f2)" \
    "$(printf '2024-07-09T10:00:00+08:00\n%s' "$(shown_db)")"

# --- 环比 and 同比 by hand.  Received: 3 in the quarter, 1 in the one
# before (+200%), 2 in the same quarter of 2023 (+50%).  On time: 2 of 4
# due (case 4 fell due in April), 0 of 1 before, 0 of 2 a year before:
# +50 points on both.
check_same '环比 and 同比 of a count, in per cent' \
    "$(summary "$wb" received 5),$(summary "$wb" received 6),$(summary "$wb" received 7),$(summary "$wb" received 8),$(summary "$wb" received 9)" \
    '3,1,200,2,50'
check_same 'and of a rate, in points' \
    "$(summary "$wb" on_time_rate 5),$(summary "$wb" on_time_rate 7),$(summary "$wb" on_time_rate 9)" \
    '50,50,50'
check_same 'none where the earlier count is 0' \
    "$(summary "$wb" escalated 5),$(summary "$wb" escalated 6),$(summary "$wb" escalated 7)" \
    '1,0,'

# --- The ranking.  By the default weights (on time 30, sign-for 20,
# rework 20, satisfaction 30).  Each unit is given its case at 09:00 and
# has 24 hours (the default) to sign for it:
#   rsj: on time 100; its case closed at its sign-for limit, unsigned:
#        never due, so sign-for is skipped; rework 100% so 0; satisfied
#        100: (3000 + 0 + 3000)/80 = 75
#   fgw: on time 50 (1 of 2); signed for within the hour: 1 of 1, 100;
#        rework 0% so 100; satisfied 0: (1500 + 2000 + 2000)/100 = 55
#   bgs: on time 0 of 1; sign-for 0 of 2 (yjj's limit of 04-09 passed
#        unsigned, bgs's of 05-07 signed a day late); nothing handled or
#        visited: 0/50 = 0
ranks() {
	sheet "$1" ranking | sed 1d | cut -f2,8 | tr '\t' ' ' | paste -sd, -
}
check_same 'ranked by the default weights' "$(ranks "$wb")" \
    'rsj 75,fgw 55,bgs 0'
# Rework alone: fgw 100, rsj 0, and bgs, with nothing handled, unscored.
printf 'component,weight\non_time,0\nsign_for,0\nrework,5\nsatisfaction,0\n' \
    >"$tmp/w.csv"
mkdir "$tmp/w"
case-pack --quarter 2024Q2 --lang en --weights "$tmp/w.csv" -o "$tmp/w"
check_same 'other weights, another order' \
    "$(ranks "$tmp/w/casekit-2024Q2.xlsx")" 'fgw 100,rsj 0,bgs '
mkdir "$tmp/d"
case-pack --quarter 2024Q2 --lang en -o "$tmp/d" \
    --weights "$top/data/pack-weights.csv"
check_same 'the shipped weights file is the default' \
    "$(ranks "$tmp/d/casekit-2024Q2.xlsx")" 'rsj 75,fgw 55,bgs 0'
check_same 'sign-for: each unit'"'"'s ack_on_time_rate, weight 20' \
    "$(sheet "$wb" ranking | sed 1d | cut -f2,5 | tr '\t' ' ' |
	paste -sd, -),$(sheet "$wb" about |
	awk -F'\t' '$1 == "sign_for" { print $2 }')" \
    'rsj ,fgw 100,bgs 0,20'

# --- Chinese by default.
check 'in Chinese by default' case-pack --quarter 2024Q2 -o "$tmp/zh"
check_same 'sheets and headings in Chinese, data as it is' \
    "$(sheets "$tmp/zh/casekit-2024Q2.xlsx" | cut -d' ' -f1-3),$(sheet \
	"$tmp/zh/casekit-2024Q2.xlsx" 汇总 | sed -n '1p' | cut -f1,7,9)" \
    "汇总 单位排名 街道,$(printf '指标\t环比\t同比')"
check_same 'and the unspecified street is 未指定' \
    "$(sheet "$tmp/zh/casekit-2024Q2.xlsx" 街道 | sed -n 2p | cut -f2)" \
    '未指定'

# --- The same files again for the same moment: nothing in them is the
# clock's.  Under libfaketime the second run's wall clock is a day on.
# Between the two, case 3 is retitled and sent to another unit: the
# lists name it as it was at the as-of moment, not as it is now.
mkdir "$tmp/again"
if [ -n "$faketime_lib" ]; then
	at 2024-07-10T10:00 case-pack --quarter 2024Q2 --lang en \
	    --as-of 2024-07-09T10:00 -o "$tmp/en"
fi
at 2024-07-10T12:00 case-edit -q --title 'C, retitled' 3
at 2024-07-10T12:30 case-assign -q --to rsj 3
check_same 'case 3 is retitled and with rsj now' \
    "$(case-list --format tsv --status all | awk -F'\t' '$1 == 3 { print $7, $3 }')" \
    'C, retitled rsj'
if [ -n "$faketime_lib" ]; then
	at 2024-07-11T11:00 case-pack --quarter 2024Q2 --lang en \
	    --as-of 2024-07-09T10:00 -o "$tmp/again"
else
	case-pack --quarter 2024Q2 --lang en -o "$tmp/again"
fi
check 'the same workbook, byte for byte' \
    cmp "$tmp/en/casekit-2024Q2.xlsx" "$tmp/again/casekit-2024Q2.xlsx"
check 'the same page' \
    cmp "$tmp/en/casekit-2024Q2.html" "$tmp/again/casekit-2024Q2.html"
check_same 'case 3 made again: its title and unit at the as-of moment' \
    "$(sheet "$tmp/again/casekit-2024Q2.xlsx" escalated | sed 1d | cut -f2-6),$(sheet "$tmp/again/casekit-2024Q2.xlsx" overdue | awk -F'\t' '$2 == 3 { print $3, $5 }')" \
    "$(printf '3\tC\thazard\tbgs\t八公山区'),C bgs"
check_grep 'the page too' '<td>C</td><td>hazard</td><td>bgs</td>' \
    "$tmp/again/casekit-2024Q2.html"

# --- The page: A4, no outside resource, the numbers as data-value.
page=$tmp/en/casekit-2024Q2.html
check_grep 'the page prints on A4' '@page { size: A4' "$page"
check_same 'and loads nothing from elsewhere' \
    "$(grep -Eo '(src|href)=' "$page")" ''

# --- Failures: nothing left behind, a reason given.
check_exit 'a directory that is not there' 2 \
    case-pack --quarter 2024Q2 -o "$tmp/nowhere"
check_grep 'is named, with the system'"'"'s reason' \
    "^case-pack: $tmp/nowhere/casekit-2024Q2.xlsx: No such file or directory" \
    "$tmp/err"
mkdir -p "$tmp/busy/casekit-2024Q2.xlsx"
check_exit 'a file that cannot take its name' 2 \
    case-pack --quarter 2024Q2 -o "$tmp/busy"
check_same 'leaves neither file, nor a temporary' "$(ls -A "$tmp/busy")" \
    'casekit-2024Q2.xlsx'
check_same '-n writes nothing and says what it would' \
    "$(case-pack -n --month 2024-05 -o "$tmp/busy"; ls -A "$tmp/busy")" \
    "would write $tmp/busy/casekit-2024-05.xlsx
would write $tmp/busy/casekit-2024-05.html
casekit-2024Q2.xlsx"
: >"$tmp/errs"
for bad in '--quarter 2024Q5' '--month 2024-13' '--year 24' \
    '--quarter 2024Q1 --month 2024-05' '--quarter 2024Q1 --since 2024-01-01' \
    '--since 2024-01-01' '--quarter 2024Q1 --lang fr' \
    "--quarter 2024Q1 --weights $tmp/w.csv --weights /nonexistent"; do
	# shellcheck disable=SC2086
	case-pack $bad -o "$tmp/busy" 2>>"$tmp/errs" >/dev/null
	echo "$?" >>"$tmp/errs"
done
check_same 'bad options: refused, each saying what and why' \
    "$(cat "$tmp/errs")" "case-pack: --quarter: invalid period -- 2024Q5
2
case-pack: --month: invalid period -- 2024-13
2
case-pack: --year: invalid period -- 24
2
case-pack: --quarter, --month, --year: one period at a time
2
case-pack: --since and --until: not with --quarter, --month or --year, which name the period
2
case-pack: no period: give --quarter, --month, --year, or --since and --until
2
case-pack: --lang: must be zh or en -- fr
2
case-pack: /nonexistent: No such file or directory
2"
check_same '--since and --until: the files named by the days covered' \
    "$(CASE_NOW=2024-05-09T09:00:00+08:00 case-pack -n --since yesterday --until today -o "$tmp/busy")" \
    "would write $tmp/busy/casekit-2024-05-08_2024-05-09.xlsx
would write $tmp/busy/casekit-2024-05-08_2024-05-09.html"
check_exit 'an empty period is refused' 2 \
    case-pack --since today --until yesterday -o "$tmp/busy"
check_grep 'saying so' \
    '^case-pack: --since and --until: the period is empty -- today to yesterday$' \
    "$tmp/err"
printf 'component,weight\nspeed,3\n' >"$tmp/bad.csv"
check_exit 'a weights file with an unknown component' 2 \
    case-pack --quarter 2024Q1 --weights "$tmp/bad.csv" -o "$tmp/busy"
check_grep 'names it' \
    "^case-pack: $tmp/bad.csv: line 2: unknown component -- speed (one of on_time, sign_for, rework, satisfaction)$" \
    "$tmp/err"
# NaN passes every comparison: taken, it left the scores empty and the
# ranking scrambled, with exit 0.
for w in nan -nan inf 1e999; do
	printf 'component,weight\non_time,%s\n' "$w" >"$tmp/bad.csv"
	check_exit "a weight of $w is refused" 2 \
	    case-pack --quarter 2024Q1 --weights "$tmp/bad.csv" -o "$tmp/busy"
done
printf 'component,weight\n"on_time\ncase-pack: forged",3\n' >"$tmp/bad.csv"
check_exit 'a component with a line break in it' 2 \
    case-pack --quarter 2024Q1 --weights "$tmp/bad.csv" -o "$tmp/busy"
check_same 'is echoed on one line, escaped' "$(cat "$tmp/err")" \
    "case-pack: $tmp/bad.csv: line 2: unknown component -- on_time\\ncase-pack: forged (one of on_time, sign_for, rework, satisfaction)"
printf 'component,weight\n"on_time,3\n' >"$tmp/bad.csv"
check_exit 'a weights file that is not CSV' 2 \
    case-pack --quarter 2024Q1 --weights "$tmp/bad.csv" -o "$tmp/busy"
check_grep 'names the file once' \
    "^case-pack: $tmp/bad.csv:2: " "$tmp/err"

# A district whose tree has streets but no communities: the pack is
# made, its community table empty, as -n said it would be.
printf 'code,name,parent,level\nbgs,八公山区,,district\nxzz,新庄孜街道,bgs,street\n' \
    >"$tmp/streets.csv"
mkdir "$tmp/flat"
case-init -d "$tmp/flat.db" --units "$tmp/streets.csv" >/dev/null
case-add -d "$tmp/flat.db" -q --category hazard --title x --unit xzz
check 'a tree without communities: case-pack makes the pack' \
    case-pack -d "$tmp/flat.db" --quarter 2024Q2 -o "$tmp/flat"
check_same 'its community table has no rows, its street table one' \
    "$(sed -n '/<section id="community">/,/<\/section>/p' \
    "$tmp"/flat/*.html | grep -c '<td') $(sed -n \
    '/<section id="street">/,/<\/section>/p' "$tmp"/flat/*.html |
    grep -c '<tr><td')" '0 1'
done_testing
