#!/bin/sh
# Interchange: export and import back byte for byte (en, zh, raw, BOM,
# GB18030, Open311), the formula guard, --mask, JSON, the .xlsx workbook
# read back with the standard library, strict atomic import, foreign files.
. "$(dirname "$0")/lib.sh"
: ${CASE_ADD:=case-add}
: ${CASE_EXPORT:=case-export}
plan 51

py=python3

# The demo district plus a grid whose code is all digits, 003, which a
# spreadsheet would turn into the number 3.
{ cat "$top/data/demo-units.csv"; echo '003,东矿社区第三网格,xzz-dk,grid'; } \
    >"$tmp/units.csv"
# init_ix: an empty database like init_demo's, with the grid 003.
init_ix() {
	init_demo && case-init --units "$tmp/units.csv" >/dev/null
}

# Cases with every kind of field: Chinese text, commas, quotes, LF and
# CR LF inside fields, empty fields, values a spreadsheet would run as
# formulas, plain numbers, a leading ', blanks around a value, text
# beyond GB2312 (4-byte GB18030) and longer than any I/O buffer, every
# status an import takes, outcomes, reporters with phone numbers.
init_ix
at() { t=$1; shift; CASE_NOW=$t+08:00 "$@"; }
long=$($py -c 'print("长文本𠀋😀ʤ€，" * 500, end="")')
at 2024-05-08T10:00:00 case-add -q --category hazard --source grid \
    --grid xzz-dk-1 --location '东矿社区3栋, 楼下' --reporter 张三 \
    --title '液化气罐 "十余个"' --due 2024-05-09T10:00 \
    --desc "$(printf '火锅店楼下堆放液化气罐\n联系电话13812341234, 店主说"马上整改"')"
at 2024-05-08T10:30:00 case-assign -q --to xzz-dk-jws 1
at 2024-05-08T15:00:00 case-close -q --outcome resolved \
    --note "$(printf '已整改\r\n已复查')" 1
at 2024-05-08T11:00:00 case-add -q --category dispute \
    --title '=HYPERLINK("http://x","点我")' --location -73.99 \
    --reporter '王五 13812341234' --unit 003 \
    --desc "$(printf '+1 电瓶车\r\n飞线充电')"
at 2024-05-08T12:00:00 case-add -q --category other --title "'单引号开头" \
    --location '@某小区' --desc '-2+3'
at 2024-05-08T12:00:00 case-add -q --category suggestion --grid 003 \
    --reporter 李四 --title "$(printf '\t制表符开头')" \
    --desc "$(printf '\r\n回车开头')" --location '+86 0554'
at 2024-05-08T13:00:00 case-add -q --category enterprise --source wechat \
    --reporter 某某新材料有限公司 --title '"引号开头" 与, 逗号' \
    --location ' 前后空格 ' --desc "$long" --unit tbz-cy
at 2024-05-08T14:00:00 case-handle -q --note 已上门 5
at 2024-05-08T13:30:00 case-add -q --category petition --source hotline \
    --title +5 --location -1e5 --desc "$(printf '\n换行开头')" --unit xzz
at 2024-05-08T13:40:00 case-assign -q --to xzz-hp 6
at 2024-05-08T13:50:00 case-return -q --note 不属本社区 6
at 2024-05-08T16:00:00 case-add -q --category dispute --source mediation \
    --reporter 赵六 --title 邻里纠纷 --unit tbz-cy
at 2024-05-09T08:00:00 case-close -q --outcome mediated \
    --note '=调解成功, 双方签字' 7
reporters='张三|王五 13812341234|李四|某某新材料有限公司|赵六'

$CASE_EXPORT >"$tmp/export.csv"
$CASE_EXPORT --raw >"$tmp/raw.csv"
$CASE_EXPORT --headers zh >"$tmp/zh.csv"
$CASE_EXPORT --format json >"$tmp/export.json"
db_dump >"$tmp/dump.before"

# rows FILE: the records of a CSV file as Python's csv module reads
# them, one JSON array a line.
rows() {
	$py -c '
import csv, json, sys
for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")):
    print(json.dumps(r, ensure_ascii=False))' "$1"
}
# col FILE ID COLUMN: one value of the CSV file, as a Python repr().
col() {
	$py -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    if r["id"] == sys.argv[2]:
        print(repr(r[sys.argv[3]]))' "$@"
}
# roundtrip NAME FILE IMPORT-OPTS -- EXPORT-OPTS: import FILE into a new
# empty database, then export it with EXPORT-OPTS to $tmp/rt-NAME.csv.
roundtrip() {
	name=$1 file=$2
	shift 2
	iopts=
	while [ "$1" != -- ]; do iopts="$iopts $1"; shift; done
	shift
	(CASE_DB=$(new_db "$tmp/rt-$name.db"); export CASE_DB
	init_ix && $CASE_ADD -q --csv "$file" $iopts &&
	    $CASE_EXPORT "$@" >"$tmp/rt-$name.csv") 2>"$tmp/rt-$name.err"
}
# same DESC GOT WANT: two files are byte-identical; a diff if not.
same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		sed 's/^/# /' "${2%.csv}.err" 2>/dev/null
		diff "$3" "$2" | head -20 | sed 's/^/# /'
	fi
}

# (a) Round trips.
check_same 'the test data: 7 cases, every status an import takes' \
    "$($py -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
print(len(r), " ".join(sorted({x["status"] for x in r})))' "$tmp/export.csv")" \
    '7 assigned closed handled reported returned'
roundtrip en "$tmp/export.csv" --
same 'export, import into an empty database, export: byte-identical' \
    "$tmp/rt-en.csv" "$tmp/export.csv"
check_same '--headers zh: the Chinese header row' \
    "$(sed -n 1p "$tmp/zh.csv")" \
    "案件编号,受理时间,来源,类别代码,类别,网格,地点,反映人,标题,描述,责任单位代码,责任单位,状态,办理期限,派遣时间,结案时间,办理结果,结果说明,外部编号,纬度,经度,优先级,附件$(printf '\r')"
roundtrip zh "$tmp/zh.csv" -- --headers zh
same '--headers zh: export, import, export: byte-identical' \
    "$tmp/rt-zh.csv" "$tmp/zh.csv"
roundtrip zhen "$tmp/zh.csv" --
same '--headers zh imports to the same cases (en export equal)' \
    "$tmp/rt-zhen.csv" "$tmp/export.csv"
roundtrip raw "$tmp/raw.csv" --raw -- --raw
same '--raw on both sides: byte-identical' "$tmp/rt-raw.csv" \
    "$tmp/raw.csv"

# (b) The formula guard.  Which cells were guarded: those that differ
# between the default export and --raw, each by one leading '.
check_same 'guard: =HYPERLINK(...) is exported as '"'"'=HYPERLINK(...)' \
    "$(col "$tmp/export.csv" 2 title)" \
    "'\\'=HYPERLINK(\"http://x\",\"点我\")'"
check_same 'guard: plain numbers -73.99, +5, -1e5 are left alone' \
    "$(col "$tmp/export.csv" 2 location) $(col "$tmp/export.csv" 6 title) $(col "$tmp/export.csv" 6 location)" \
    "'-73.99' '+5' '-1e5'"
check_same 'guard: a value starting with '"'"' gets one more' \
    "$(col "$tmp/export.csv" 3 title)" "\"''单引号开头\""
check_same 'guard: exactly the cells starting with = + - @ TAB CR LF or '"'"', one '"'"' each' \
    "$($py -c '
import csv, sys
def rd(p):
    return list(csv.DictReader(open(p, newline="", encoding="utf-8")))
for g, r in zip(rd(sys.argv[1]), rd(sys.argv[2])):
    for k in g:
        if g[k] != r[k]:
            print(r["id"], k, "ok" if g[k] == "\x27" + r[k] else "BAD")' \
	"$tmp/export.csv" "$tmp/raw.csv")" \
    '2 title ok
2 description ok
3 location ok
3 title ok
3 description ok
4 location ok
4 title ok
4 description ok
6 description ok
7 outcome_note ok'
check_same '--raw: every cell exactly as stored (as in the JSON export)' \
    "$($py -c '
import csv, json, sys
raw = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
js = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
bad = 0
for r, j in zip(raw[1:], js):
    want = ["" if v is None else str(v) for v in j.values()]
    bad += r != want
print(len(raw) - 1, len(js), bad)' "$tmp/raw.csv" "$tmp/export.json")" \
    '7 7 0'
$CASE_EXPORT --events >"$tmp/events.csv"
check_grep 'guard: also in --events (a note starting with =)' \
    ",mediated,\"'=调解成功, 双方签字\"" "$tmp/events.csv"

# (c) --bom: Excel's UTF-8 signature, then the same bytes; imports back.
$CASE_EXPORT --bom >"$tmp/bom.csv"
check_same '--bom: EF BB BF, then exactly the export' \
    "$(head -c 3 "$tmp/bom.csv" | od -An -tx1 | tr -d ' ')/$(tail -c +4 "$tmp/bom.csv" | cmp - "$tmp/export.csv" && echo same)" \
    'efbbbf/same'
roundtrip bomin "$tmp/bom.csv" --
same '--bom: imports back to the same cases' "$tmp/rt-bomin.csv" \
    "$tmp/export.csv"
# JSON text carries no byte-order mark (RFC 8259): the pair is refused.
check_exit '--bom with --format json is refused' 2 \
    $CASE_EXPORT --bom --format json
check_same 'saying why, and nothing on standard output' \
    "$(head -n 1 "$tmp/err")|$(wc -c <"$tmp/out")" \
    'case-export: --bom and --format json: JSON text has no byte-order mark (RFC 8259)|0'

# (d) GB18030 for Excel and WPS on Chinese Windows.
$CASE_EXPORT --encoding gb18030 >"$tmp/gb.csv"
check_same '--encoding gb18030: not UTF-8, and iconv gives the UTF-8 export back' \
    "$(cmp -s "$tmp/gb.csv" "$tmp/export.csv" || echo differs)/$(iconv -f gb18030 -t utf-8 "$tmp/gb.csv" | cmp - "$tmp/export.csv" && echo same)" \
    'differs/same'
roundtrip gbin "$tmp/gb.csv" --encoding gb18030 --
same 'case-add --csv --encoding gb18030 imports it identically' \
    "$tmp/rt-gbin.csv" "$tmp/export.csv"

# (e) Open311: for publishing, so never the reporter.
$CASE_EXPORT --headers open311 >"$tmp/311.csv"
$CASE_EXPORT --headers open311 --format json >"$tmp/311.json"
check_same '--headers open311: the GeoReport columns' \
    "$($py -c '
import csv, sys
h = next(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
want = ("service_request_id requested_datetime updated_datetime closed_date"
    " status status_description status_notes source service_code"
    " service_name description agency_responsible address"
    " expected_datetime").split()
print([w for w in want if w not in h], h[0])' "$tmp/311.csv")" \
    '[] service_request_id'
check_same '--headers open311: no reporter column, no reporter anywhere (CSV, JSON)' \
    "$(sed -n 1p "$tmp/311.csv" | grep -c -i -e reporter -e 反映人)/$(grep -c -E "$reporters" "$tmp/311.csv" "$tmp/311.json" | tr '\n' ' ')/$(grep -c -E "$reporters" "$tmp/export.csv")" \
    "0/$tmp/311.csv:0 $tmp/311.json:0 /5"
check_same '--headers open311: status open or closed, status_description ours' \
    "$($py -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    print(r["service_request_id"], r["status"], r["status_description"])' \
	"$tmp/311.csv")" \
    '1 closed closed
2 open assigned
3 open reported
4 open reported
5 open handled
6 open returned
7 closed closed'
roundtrip 311in "$tmp/311.csv" --
check_same 'open311 imports back: ids, titles, times equal; reporter empty' \
    "$($py -c '
import csv, sys
def rd(p):
    return list(csv.DictReader(open(p, newline="", encoding="utf-8")))
a, b = rd(sys.argv[1]), rd(sys.argv[2])
keys = "id title reported due assigned closed".split()
print(len(b), all([x[k] for k in keys] == [y[k] for k in keys]
    for x, y in zip(a, b)), [y["reporter"] for y in b if y["reporter"]])' \
	"$tmp/export.csv" "$tmp/rt-311in.csv" 2>&1; sed 's/^/# /' "$tmp/rt-311in.err")" \
    '7 True []'
check_same 'open311 imports back: every other column equal too' \
    "$($py -c '
import csv, sys
def rd(p):
    return list(csv.DictReader(open(p, newline="", encoding="utf-8")))
a, b = rd(sys.argv[1]), rd(sys.argv[2])
for x, y in zip(a, b):
    for k in x:
        if k != "reporter" and x[k] != y[k]:
            print(x["id"], k, repr(x[k]), repr(y[k]))' \
	"$tmp/export.csv" "$tmp/rt-311in.csv" 2>&1)" ''
# Of Open311's own columns only the two it computes are passed over; one
# the export does not write (media_url) is unknown, as case-add(1) says.
printf '%s\n' service_request_id,service_code,title,status,media_url \
    9,hazard,飞线充电,open,http://example.org/1.jpg >"$tmp/311media.csv"
check_exit 'an Open311 file with a media_url column is refused' 1 \
    $CASE_ADD -n --csv "$tmp/311media.csv"
check_same 'naming the column' "$(cat "$tmp/err")" \
    "case-add: $tmp/311media.csv:1: header: unknown column -- media_url"

# (f) --mask (PIPL): names keep their first character, mobile numbers
# their first 3 and last 4 digits; nothing else changes.
$CASE_EXPORT --mask >"$tmp/mask.csv"
check_same '--mask: reporters 张*, 王* 138****1234, 某********' \
    "$($py -c '
import csv, sys
print(" | ".join(r["reporter"] for r in csv.DictReader(open(sys.argv[1],
    newline="", encoding="utf-8"))))' "$tmp/mask.csv")" \
    '张* | 王* 138****1234 |  | 李* | 某******** |  | 赵*'
check_same '--mask: the phone in a description, and nothing else changed' \
    "$($py -c '
import csv, sys
def rd(p):
    return list(csv.DictReader(open(p, newline="", encoding="utf-8")))
for x, y in zip(rd(sys.argv[1]), rd(sys.argv[2])):
    for k in x:
        if k != "reporter" and x[k] != y[k]:
            print(x["id"], k, y[k].replace("\n", "|"))' \
	"$tmp/export.csv" "$tmp/mask.csv")" \
    '1 description 火锅店楼下堆放液化气罐|联系电话138****1234, 店主说"马上整改"'
check_same '--mask --format json: masked too' \
    "$($CASE_EXPORT --mask --format json | $py -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["id"] in (1, 2):
        print(r["reporter"], "13812341234" in l)')" \
    '张* False
王* 138****1234 False'
# Mobile numbers are also written with the country code or in groups
# (139 1234 5678, 139-1234-5678): their middle four digits go too.
printf 'category,title,description\nother,电话,"请回电+8613912341234、139 1234 5678或139-1234-5678"\n' \
    >"$tmp/phones.csv"
check_same '--mask: +86 and grouped mobile numbers are masked too' \
    "$(CASE_DB=$(new_db "$tmp/phones.db"); export CASE_DB; init_ix
	$CASE_ADD -q --csv "$tmp/phones.csv"
	$CASE_EXPORT --mask | $py -c '
import csv, sys
d = next(csv.DictReader(sys.stdin))["description"]
print(d)')" \
    '请回电+86139****1234、139 **** 5678或139-****-5678'

# (g) JSON lines: one object per case, the export's columns in order.
check_same '--format json: one valid object a line, the columns, the values' \
    "$($py -c '
import csv, json, sys
raw = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
js = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
print(len(js), all(list(j) == raw[0] for j in js),
    all(type(j["id"]) is int for j in js),
    all([("" if v is None else str(v)) for v in j.values()] == r
        for j, r in zip(js, raw[1:])))' "$tmp/raw.csv" "$tmp/export.json")" \
    '7 True True True'

# (h) The workbook, read back with Python's standard library only
# (tests/xlsx.py: zipfile and xml.etree; cells as a spreadsheet reads them).
xl() { PYTHONPATH="$top/tests" PYTHONDONTWRITEBYTECODE=1 $py "$@"; }
check '--xlsx FILE --events exits 0' $CASE_EXPORT --xlsx "$tmp/w.xlsx" --events
$CASE_EXPORT --events --raw >"$tmp/events-raw.csv"
# Cells against the --raw CSV (a workbook cell is never a formula, so it
# needs no guard): ids are numbers, times date cells in local time, the
# rest text.  Text is decoded as Excel does: libxlsxwriter writes a CR
# as _x000D_ (ECMA-376 ST_Xstring).
cat >"$tmp/xl.py" <<'EOF'
import csv, datetime, sys
import xlsx
wb = xlsx.Workbook(sys.argv[1])
ws = wb[sys.argv[2]]
rows = list(csv.reader(open(sys.argv[3], newline="", encoding="utf-8")))
ints = {"id", "event", "case"}
times = {"reported", "due", "assigned", "closed", "at", "recorded"}
bad = []
got = ws.rows()
if len(got) != len(rows):
    bad.append("rows %d != %d" % (len(got), len(rows)))
head = rows[0]
if list(got[0]) != head:
    bad.append("header %r" % (got[0],))
for r, g in zip(rows[1:], got[1:]):
    if len(g) != len(head):
        bad.append("%s: %d cells" % (r[0], len(g)))
    for k, v, c in zip(head, r, g):
        if v == "":
            want = None
        elif k in ints:
            want = int(v)
        elif k in times:
            want = datetime.datetime.fromisoformat(v).astimezone().replace(tzinfo=None)
        else:
            want = v
        if c != want or type(c) != type(want):
            bad.append("%s %s: %r != %r" % (r[0], k, c, want))
print(len(got) - 1, bad)
EOF
check_same '--xlsx: every cell equals the CSV export (numbers, local date cells, text)' \
    "$(xl "$tmp/xl.py" "$tmp/w.xlsx" cases "$tmp/raw.csv" 2>&1)" \
    '7 []'
check_same '--xlsx: codes are text cells, 003 keeps its zeros' \
    "$(xl -c '
import xlsx, sys
ws = xlsx.Workbook(sys.argv[1])["cases"]
print(ws["K3"].value, ws["K3"].data_type, ws["F5"].value, ws["F5"].data_type,
    ws["A2"].data_type, ws["B2"].is_date)' "$tmp/w.xlsx" 2>&1)" \
    '003 s 003 s n True'
check_same '--xlsx: header row frozen, autofilter over the table' \
    "$(xl -c '
import xlsx, sys
ws = xlsx.Workbook(sys.argv[1])["cases"]
print(ws.freeze_panes, ws.auto_filter)' "$tmp/w.xlsx" 2>&1)" 'A2 A1:W8'
check_same '--xlsx --events: a second sheet "events" equal to --events' \
    "$(xl -c '
import xlsx, sys
print(xlsx.Workbook(sys.argv[1]).sheetnames)' "$tmp/w.xlsx" 2>&1) $(xl "$tmp/xl.py" "$tmp/w.xlsx" events "$tmp/events-raw.csv" 2>&1)" \
    "['cases', 'events'] 17 []"
TZ=EST5EDT,M3.2.0,M11.1.0 $CASE_EXPORT --xlsx "$tmp/ny.xlsx"
check_same '--xlsx: date cells in the local time of TZ (New York, EDT)' \
    "$(xl -c '
import xlsx, sys
ws = xlsx.Workbook(sys.argv[1])["cases"]
print(ws["B2"].value, ws["P2"].value)' "$tmp/ny.xlsx" 2>&1)" \
    '2024-05-07 22:00:00 2024-05-08 03:00:00'
$CASE_EXPORT --xlsx "$tmp/mask.xlsx" --mask
check_same '--xlsx --mask: masked too' \
    "$(xl -c '
import xlsx, sys
ws = xlsx.Workbook(sys.argv[1])["cases"]
print(ws["H2"].value, ws["H3"].value)' "$tmp/mask.xlsx" 2>&1)" \
    '张* 王* 138****1234'
# Excel's cell holds at most 32767 characters; libxlsxwriter refuses a
# longer string and writes nothing.  The export must not lose it without
# a word: an error, or the text cut at the limit and a warning.
(CASE_DB=$(new_db "$tmp/big.db"); export CASE_DB; init_ix
$CASE_ADD -q --category other --title 很长的描述 \
    --desc "$($py -c 'print("长" * 40000, end="")')"
$CASE_EXPORT --xlsx "$tmp/big.xlsx"; echo "exit $?" >"$tmp/big.rc") \
    2>"$tmp/big.err"
check_same '--xlsx: text beyond the 32767-character cell limit is not dropped silently' \
    "$(xl -c '
import xlsx, sys
rc = open(sys.argv[2]).read().split()[1]
warned = open(sys.argv[3]).read() != ""
if rc != "0":
    print("refused" if warned else "refused without a message")
else:
    v = xlsx.Workbook(sys.argv[1])["cases"]["J2"].value
    print("kept" if v and warned else "cut without a warning" if v
        else "dropped, exit 0, %s" % ("warned" if warned else "silently"))' \
    "$tmp/big.xlsx" "$tmp/big.rc" "$tmp/big.err" 2>&1)" \
    "$(if [ "$(cat "$tmp/big.rc")" = 'exit 0' ]; then echo kept; else echo refused; fi)"

# (i) Strict and atomic: every bad row is reported, nothing is written.
printf '%s\n' 'category,title,unit,reported,description' \
    'hazard,好的一行,xzz-dk,2024-05-01T08:00,正常' \
    'nosuch,未知类别,,,' \
    'hazard,未知单位,nounit,,' \
    'hazard,坏日期,,2024-13-45,' \
    'hazard,字段数不对' \
    'hazard,"多行' \
    '标题",,,' \
    "hazard,$(printf '\377\376')坏编码,,," \
    'dispute,也是好的,,,' >"$tmp/bad.csv"
check_exit 'a file with bad rows: exit 1' 1 $CASE_ADD --csv "$tmp/bad.csv"
check_same 'every bad row as FILE:LINE: column: reason, then the verdict' \
    "$(cat "$tmp/err")" \
    "case-add: $tmp/bad.csv:3: category: no such category -- nosuch
case-add: $tmp/bad.csv:4: unit: no such unit -- nounit
case-add: $tmp/bad.csv:5: reported: invalid time -- 2024-13-45
case-add: $tmp/bad.csv:6: record: 2 fields, but the header has 5
case-add: $tmp/bad.csv:9: title: invalid UTF-8
case-add: $tmp/bad.csv: 5 bad records; nothing added"
check_same 'nothing written: the database is unchanged, no ID printed' \
    "$(db_dump | cmp - "$tmp/dump.before" && echo same)/$(wc -c <"$tmp/out")" \
    'same/0'
printf 'category,title\nhazard,好\nhazard,坏\000x\nhazard,好\n' >"$tmp/nul.csv"
check_same 'a NUL byte: FILE:LINE, exit 1, nothing written' \
    "$($CASE_ADD --csv "$tmp/nul.csv" 2>&1; echo "exit $?"; db_dump | cmp - "$tmp/dump.before" && echo same)" \
    "case-add: $tmp/nul.csv:3: NUL byte
case-add: $tmp/nul.csv: 1 bad records; nothing added
exit 1
same"
printf 'category,title\nhazard,好\nhazard,"坏\nhazard,好\n' >"$tmp/quote.csv"
check_same 'an unterminated quote: FILE:LINE, exit 1, nothing written' \
    "$($CASE_ADD --csv "$tmp/quote.csv" 2>&1; echo "exit $?"; db_dump | cmp - "$tmp/dump.before" && echo same)" \
    "case-add: $tmp/quote.csv:3: unterminated quoted field
case-add: $tmp/quote.csv: 1 bad records; nothing added
exit 1
same"
{ echo category,title; i=0; while [ $i -lt 25 ]; do
	echo "bad$i,t"; i=$((i + 1)); done; } >"$tmp/many.csv"
$CASE_ADD --csv "$tmp/many.csv" 2>"$tmp/err"
check_same 'many bad rows: the first 20 reported, all 25 counted' \
    "$(grep -c ': category: no such category' "$tmp/err") $(sed -n '20p' "$tmp/err") $(tail -n 1 "$tmp/err")" \
    "20 case-add: $tmp/many.csv:21: category: no such category -- bad19 case-add: $tmp/many.csv: 25 bad records; nothing added"
printf 'category,title,unit\nhazard,一,xzz-dk\ndispute,二,\nsuggestion,三,\n' \
    >"$tmp/good.csv"
check_same '--dry-run: validates, prints would-lines, writes nothing' \
    "$($CASE_ADD -n --csv "$tmp/good.csv"; echo "exit $?"; db_dump | cmp - "$tmp/dump.before" && echo same)" \
    "$(printf '8\twould add hazard -> xzz-dk\n9\twould add dispute\n10\twould add suggestion')
exit 0
same"
check_same '--dry-run on the bad file: the same report, exit 1' \
    "$($CASE_ADD -n --csv "$tmp/bad.csv" 2>"$tmp/err" >/dev/null; echo "exit $?"; grep -c "^case-add: $tmp/bad.csv:[0-9]*: " "$tmp/err")" \
    'exit 1
5'

# (j) A foreign file (a hotline system's export, saved by Excel: BOM and
# CR LF): its header mapped to ours, one source feeding two columns, its
# values translated, its own date format.
map='工单编号=id,来电时间=reported,诉求类型=category,诉求内容=title,诉求内容=description,承办单位=unit,办理状态=status,办结时间=closed,办理结果=outcome,回复内容=outcome_note,联系人=reporter'
CASE_DB=$(new_db "$tmp/foreign.db")
init_ix
check_same 'foreign file: --map, --lookup, --date-format; the IDs it keeps' \
    "$($CASE_ADD --csv "$data/ix-foreign.csv" --map "$map" \
	--lookup "$data/ix-lookup.csv" --date-format '%Y/%m/%d %H:%M' 2>&1 |
	tr '\n' ' ')" '12001 12002 12003 '
check_same 'foreign file: the fields, translated, in local time' \
    "$($CASE_EXPORT | $py -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    print("|".join(r[k] for k in ("id reported category title description"
        " unit status assigned closed outcome outcome_note reporter").split()))')" \
    '12001|2024-05-01T08:30:00+08:00|hazard|楼道堆放杂物|楼道堆放杂物|xzz-dk|closed|2024-05-01T08:30:00+08:00|2024-05-02T17:45:00+08:00|resolved|已清理|张三
12002|2024-05-03T14:05:00+08:00|dispute|邻里噪音|邻里噪音|xzz-hp|assigned|2024-05-03T14:05:00+08:00||||李四
12003|2024-05-04T09:00:00+08:00|suggestion|建议增设路灯, 共3盏|建议增设路灯, 共3盏||reported|||||'
check_same 'foreign file: history events at the times the file gives' \
    "$($CASE_EXPORT --events | $py -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    print(r["case"], r["at"], r["action"], r["to_unit"], r["outcome"], r["note"])')" \
    '12001 2024-05-01T08:30:00+08:00 reported   
12001 2024-05-01T08:30:00+08:00 assigned xzz-dk  
12001 2024-05-02T17:45:00+08:00 closed  resolved 已清理
12002 2024-05-03T14:05:00+08:00 reported   
12002 2024-05-03T14:05:00+08:00 assigned xzz-hp  
12003 2024-05-04T09:00:00+08:00 reported   '
db_dump >"$tmp/dump.foreign"
printf '工单编号,来电时间,诉求类型,诉求内容\n12004,2024/05/05 10:00,安全隐患,好\n12005,2024-05-05 10:00,安全隐患,日期不合格式\n' \
    >"$tmp/foreign-bad.csv"
check_same 'foreign file: a date not in --date-format is refused with its line' \
    "$($CASE_ADD --csv "$tmp/foreign-bad.csv" --map '工单编号=id,来电时间=reported,诉求类型=category,诉求内容=title' \
	--lookup "$data/ix-lookup.csv" --date-format '%Y/%m/%d %H:%M' 2>&1; echo "exit $?"; db_dump | cmp - "$tmp/dump.foreign" && echo same)" \
    "case-add: $tmp/foreign-bad.csv:3: reported: invalid time -- 2024-05-05 10:00
case-add: $tmp/foreign-bad.csv: 1 bad records; nothing added
exit 1
same"
check_same 'foreign file: --map naming a column the file lacks' \
    "$($CASE_ADD --csv "$data/ix-foreign.csv" --map '受理时间=reported' 2>&1; echo "exit $?")" \
    "case-add: $data/ix-foreign.csv:1: header: no column 受理时间 (named in --map)
exit 1"
done_testing
