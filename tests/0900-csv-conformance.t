#!/bin/sh
# lib/csv.c against csv-spectrum, and the edges a strict reader must get
# right: BOM, CRLF, no final newline, bad quoting, NUL, line numbers,
# GB18030.  tests/csvdump prints each record the reader reads as a JSON
# array; the expected results are computed here with Python's json.
. "$(dirname "$0")/lib.sh"
: ${CSVDUMP:=$top/tests/csvdump}
plan 33

py=python3
spectrum=$data/csv-spectrum

# dump FILE [ENCODING]: csvdump's records in $tmp/out, its errors in
# $tmp/err; returns its exit status.
dump() {
	"$CSVDUMP" "$@" >"$tmp/out" 2>"$tmp/err"
}

# same_as_json EXPECTED: the records in $tmp/out, turned into objects
# keyed by the first record (the header), equal the JSON file EXPECTED.
same_as_json() {
	$py -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
want = json.load(open(sys.argv[2], encoding="utf-8"))
head, rows = recs[0], recs[1:]
bad = [r for r in rows if len(r) != len(head)]
got = [dict(zip(head, r)) for r in rows]
if bad or got != want:
    print("got ", json.dumps(got, ensure_ascii=False))
    print("want", json.dumps(want, ensure_ascii=False))
    sys.exit(1)' "$tmp/out" "$1"
}

# records: the records in $tmp/out as one Python repr() a line.
records() {
	$py -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    print(repr(json.loads(l)))' "$tmp/out"
}

# The suite: every case but location_coordinates parses to its JSON.
n=0
for f in "$spectrum"/csvs/*.csv; do
	n=$((n + 1))
done
check_same 'csv-spectrum: all 12 cases are there' "$n" 12
for f in "$spectrum"/csvs/*.csv; do
	c=$(basename "$f" .csv)
	[ "$c" = location_coordinates ] && continue
	if dump "$f" && same_as_json "$spectrum/json/$c.json" >"$tmp/diff"; then
		ok "csv-spectrum: $c"
	else
		not_ok "csv-spectrum: $c"
		sed 's/^/# /' "$tmp/err" "$tmp/diff"
	fi
done

# Its bare quotes in unquoted fields are not RFC 4180: a strict reader
# refuses the file, naming the line and the problem.
f=$spectrum/csvs/location_coordinates.csv
check_exit 'csv-spectrum: location_coordinates is rejected (exit 1)' 1 \
    "$CSVDUMP" "$f"
check_grep 'the rejection names file:2 and the bare quote' \
    "$f:2: malformed quoting" "$tmp/err"

# A UTF-8 byte-order mark (Excel's "CSV UTF-8") is not part of the data.
printf '\357\273\277name,x\r\n1,2\r\n' >"$tmp/bom.csv"
dump "$tmp/bom.csv"
check_same 'BOM: skipped, not in the first header name' "$(records)" \
    "['name', 'x']
['1', '2']"
printf '\357\273\277"a, b",c\n"1",2\n' >"$tmp/bomq.csv"
dump "$tmp/bomq.csv"
check_same 'BOM: skipped before a quoted first field' "$(records)" \
    "['a, b', 'c']
['1', '2']"

printf 'a,b,c\r\n1,,3\r\n"x\r\ny",5,"6"\r\n' >"$tmp/crlf.csv"
dump "$tmp/crlf.csv"
check_same 'CRLF line ends: no CR in the fields, CRLF kept inside quotes' \
    "$(records)" "['a', 'b', 'c']
['1', '', '3']
['x\\r\\ny', '5', '6']"

printf 'a,b\n1,2' >"$tmp/nonl.csv"
dump "$tmp/nonl.csv"
check_same 'a final line without newline is a record' "$(records)" \
    "['a', 'b']
['1', '2']"
printf 'a,b\n1,"2,3"' >"$tmp/nonlq.csv"
dump "$tmp/nonlq.csv"
check_same 'a final quoted field without newline' "$(records)" \
    "['a', 'b']
['1', '2,3']"

printf 'a,b\n  lead, trail  \n" q ",\n' >"$tmp/space.csv"
dump "$tmp/space.csv"
check_same 'blanks around fields are data' "$(records)" \
    "['a', 'b']
['  lead', ' trail  ']
[' q ', '']"

# Errors: exit 1, FILE:LINE of the record at fault.
printf 'a,b\n1,2\n3,"abc\n4,5\n6,7\n' >"$tmp/unterm.csv"
check_exit 'unterminated quote: exit 1' 1 "$CSVDUMP" "$tmp/unterm.csv"
check_grep 'unterminated quote: the line where the field began' \
    "$tmp/unterm.csv:3: unterminated quoted field" "$tmp/err"

printf 'a,b\n1,2\n3,4\0005\n6,7\n' >"$tmp/nul.csv"
check_exit 'NUL byte: exit 1' 1 "$CSVDUMP" "$tmp/nul.csv"
check_grep 'NUL byte: its line' "$tmp/nul.csv:3: NUL byte" "$tmp/err"

# Line numbers count physical lines, also after a field that spans lines.
printf 'a,b\n1,"one\n\ntwo\nthree"\n2,x"y\n' >"$tmp/ml.csv"
dump "$tmp/ml.csv"
check_grep 'after a 4-line field: a bare quote reported on line 6' \
    "$tmp/ml.csv:6: malformed quoting" "$tmp/err"
printf 'a,b\r\n1,"x\r\ny"\r\n2,\000\r\n' >"$tmp/mlcr.csv"
dump "$tmp/mlcr.csv"
check_grep 'after a CRLF multi-line field: NUL reported on line 4' \
    "$tmp/mlcr.csv:4: NUL byte" "$tmp/err"
printf 'a,b\n1,"x\ny"\n2,3\n4,"open\n5,6\n' >"$tmp/mlun.csv"
dump "$tmp/mlun.csv"
check_grep 'after a multi-line field: an unterminated quote on line 5' \
    "$tmp/mlun.csv:5: unterminated quoted field" "$tmp/err"

# GB18030 (Excel and WPS on Chinese Windows): more than one read buffer
# of text, with two- and four-byte sequences, quotes, commas, newlines.
$py -c '
import sys
out = ["编号,标题,说明"]
for i in range(1, 600):
    out.append("%d,\"第%d号, 液化气罐\",\"店主说\"\"马上整改\"\"\n𠀋😀€ʤ\"" % (i, i))
open(sys.argv[1], "w", encoding="utf-8", newline="").write("\r\n".join(out) + "\r\n")
' "$tmp/utf8.csv"
iconv -f utf-8 -t gb18030 "$tmp/utf8.csv" >"$tmp/gb.csv"
dump "$tmp/utf8.csv"
cp "$tmp/out" "$tmp/utf8.out"
dump "$tmp/gb.csv" gb18030
check_same 'GB18030: the file is not UTF-8 and spans several buffers' \
    "$(cmp -s "$tmp/utf8.csv" "$tmp/gb.csv" || echo differs) $(($(wc -c <"$tmp/gb.csv") > 16384))" \
    'differs 1'
if cmp -s "$tmp/out" "$tmp/utf8.out" && [ "$(wc -l <"$tmp/out")" -eq 600 ]; then
	ok 'GB18030: the same 600 records as the UTF-8 original'
else
	not_ok 'GB18030: the same 600 records as the UTF-8 original'
	sed 's/^/# /' "$tmp/err"
	diff "$tmp/utf8.out" "$tmp/out" | head -5 | sed 's/^/# /'
fi

# A byte that GB18030 does not allow (0x81 then 0x20) on line 3.
printf 'a,b\n1,2\n3,\201 x\n4,5\n' >"$tmp/badgb.csv"
check_exit 'invalid GB18030: exit 1' 1 "$CSVDUMP" "$tmp/badgb.csv" gb18030
check_grep 'invalid GB18030: an encoding error' \
    "not valid in the file's encoding" "$tmp/err"
check_grep 'invalid GB18030: the line of the bad bytes (3)' \
    "$tmp/badgb.csv:3: " "$tmp/err"
# The same, beyond the first read buffer: line 1200, after 1199 lines.
{ cat "$tmp/gb.csv"; printf '9,\377\r\n'; } >"$tmp/badgb2.csv"
dump "$tmp/badgb2.csv" gb18030
check_grep 'invalid GB18030 far into the file: its line (1200)' \
    "$tmp/badgb2.csv:1200: " "$tmp/err"
done_testing
