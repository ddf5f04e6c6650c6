#!/bin/sh
# Acceptance of issue 5: real NYC 311 service requests (with their
# real-world dirt) import with the documented command line, and
# case-stats then agrees with counts computed here by Python's csv module.
. "$(dirname "$0")/lib.sh"
: ${CASE_ADD:=case-add}
: ${CASE_EXPORT:=case-export}
: ${CASE_STATS:=case-stats}
plan 26

py=python3
nyc=$data/311
main=$nyc/311_subset.micro.csv
second=$nyc/311-service-requests.sample.csv
ny='EST5EDT,M3.2.0,M11.1.0'
datefmt='%m/%d/%Y %I:%M:%S %p'
map='Unique Key=id,Created Date=reported,Closed Date=closed,Agency=unit,Complaint Type=category,Complaint Type=title,Descriptor=description,Incident Address=location,Status=status,Status=outcome,Due Date=due,Resolution Description=outcome_note'
# The second file has no Resolution Description.
map2='Unique Key=id,Created Date=reported,Closed Date=closed,Agency=unit,Complaint Type=category,Complaint Type=title,Descriptor=description,Incident Address=location,Status=status,Status=outcome,Due Date=due'

printf '%s\n' column,from,to status,Closed,closed status,Pending,assigned \
    status,Assigned,assigned status,Open,reported outcome,Closed,resolved \
    >"$tmp/lookup.csv"

# refs FILE DIR: units.csv (nyc, each Agency a department under it) and
# categories.csv (each Complaint Type, deadline 7d) in DIR.
refs() {
	mkdir -p "$2"
	$py -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
w = csv.writer(open(sys.argv[2] + "/units.csv", "w", newline="",
    encoding="utf-8"), lineterminator="\n")
w.writerow(["code", "name", "parent", "level"])
w.writerow(["nyc", "New York City", "", "district"])
for a in sorted({r["Agency"] for r in rows}):
    w.writerow([a, a, "nyc", "department"])
w = csv.writer(open(sys.argv[2] + "/categories.csv", "w", newline="",
    encoding="utf-8"), lineterminator="\n")
w.writerow(["code", "name", "deadline"])
for c in sorted({r["Complaint Type"] for r in rows}):
    w.writerow([c, c, "7d"])' "$1" "$2"
}

# warned FILE: for each record whose Status is not Closed but that has a
# Closed Date, FILE:LINE (the physical line the record starts on) and
# the date, as the warnings of --prefer-status should name them.
warned() {
	$py -c '
import csv, sys
rd = csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))
h = next(rd)
prev = rd.line_num
for r in rd:
    start, prev = prev + 1, rd.line_num
    d = dict(zip(h, r))
    if d["Status"] != "Closed" and d["Closed Date"]:
        print("%s:%d: %s %s" % (sys.argv[1], start, d["Unique Key"],
            d["Closed Date"]))' "$1"
}

# dropped FILE: what --prefer-status says it ignored: the records whose
# Status (mapped to outcome as well) is there but not Closed, and the
# physical line the first of them starts on.
dropped() {
	$py -c '
import csv, sys
rd = csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))
h = next(rd)
prev, n, first = rd.line_num, 0, 0
for r in rd:
    start, prev = prev + 1, rd.line_num
    d = dict(zip(h, r))
    if d["Status"] not in ("", "Closed"):
        n += 1
        first = first or start
print("case-add: %s: --prefer-status: ignored the outcome of %d records "
    "whose status is open, the first on line %d" % (sys.argv[1], n, first))' "$1"
}

# counts FILE unit|status: per Agency, or per status as our lookup maps
# them: KEY received closed open, sorted, and the total.
counts() {
	$py -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
status = {"Closed": "closed", "Pending": "assigned", "Assigned": "assigned",
    "Open": "reported"}
by = {"unit": lambda r: r["Agency"], "status": lambda r: status[r["Status"]]}
for key in (by[sys.argv[2]],):
    n = {}
    for r in rows:
        c = n.setdefault(key(r), [0, 0])
        c[0] += 1
        c[1] += r["Status"] == "Closed"
    n["total"] = [len(rows), sum(r["Status"] == "Closed" for r in rows)]
    for k in sorted(n, key=lambda k: (k == "total", k)):
        print(k, n[k][0], n[k][1], n[k][0] - n[k][1])' "$1" "$2" | sort
}

# stats BY: case-stats --by BY --format tsv, as KEY received closed open,
# sorted.
stats() {
	$CASE_STATS --by "$1" --format tsv | $py -c '
import sys
lines = [l.rstrip("\n").split("\t") for l in sys.stdin]
h = lines[0]
i = [h.index(c) for c in ("received", "closed", "open")]
for l in lines[1:]:
    print(l[0], *(l[j] for j in i))' | sort
}

# import311 FILE MAP: the documented command line, in New York time.
import311() {
	TZ=$ny $CASE_ADD --csv "$1" --map "$2" --lookup "$tmp/lookup.csv" \
	    --date-format "$datefmt" --prefer-status -q
}

# The main sample: 2000 records, 41 columns.
refs "$main" "$tmp/main"
check 'case-init with the units and categories built from the file' \
    case-init --units "$tmp/main/units.csv" \
    --categories "$tmp/main/categories.csv"
check_exit 'the documented command line imports the main sample (exit 0)' 0 \
    import311 "$main" "$map"
cp "$tmp/err" "$tmp/main.err"
check_same 'exactly two warnings: 21803150 (Pending, closed) and 19944912 (1900 sentinel), at their lines' \
    "$(sed -n 's/^case-add: \([^ ]*\) closed: ignored, status assigned is open -- /\1 /p' "$tmp/main.err")" \
    "$(warned "$main" | sed 's/ [0-9]* / /')"
check_same 'and the outcomes --prefer-status ignored, counted, and the lookup row no record used' \
    "$(grep -v ' closed: ignored, ' "$tmp/main.err")" \
    "case-add: $tmp/lookup.csv:5: lookup status Open matched no record
$(dropped "$main")"
check_same 'the two warned requests are 21803150 and 19944912' \
    "$(warned "$main" | cut -d' ' -f2 | tr '\n' ' ')" '21803150 19944912 '
check_same 'nothing on stdout with -q' "$(wc -c <"$tmp/out" | tr -d ' ')" 0
check_same 'case-stats --by unit: cases, closed, open per Agency as Python counts them' \
    "$(stats unit)" "$(counts "$main" unit)"
check_same 'case-stats --by status: Closed -> closed, Pending/Assigned -> assigned' \
    "$(stats status)" "$(counts "$main" status)"

$CASE_EXPORT >"$tmp/main.csv"
# The file's values as the export should hold them: times read in New
# York local time (the POSIX rules above, through the C library, not
# through casekit), written in China Standard Time.
cat >"$tmp/fields.py" <<'EOF'
import csv, datetime, os, sys, time
os.environ["TZ"] = sys.argv[3]
time.tzset()
cst = datetime.timezone(datetime.timedelta(hours=8))
def t(v):
    s = time.mktime(time.strptime(v, "%m/%d/%Y %I:%M:%S %p"))
    return datetime.datetime.fromtimestamp(s, cst).isoformat()
src = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
out = {r["id"]: r for r in csv.DictReader(open(sys.argv[2], newline="",
    encoding="utf-8"))}
what = sys.argv[4]
bad = []
for s in src:
    e = out.get(s["Unique Key"])
    if e is None:
        bad.append(s["Unique Key"] + " missing")
        continue
    closed = s["Status"] == "Closed"
    if what == "ids":
        continue
    if what == "times":
        want = {"reported": t(s["Created Date"]),
            "closed": t(s["Closed Date"]) if closed else "",
            "due": t(s["Due Date"]) if s["Due Date"] else e["due"]}
    else:
        want = {"unit": s["Agency"], "category": s["Complaint Type"],
            "title": s["Complaint Type"], "description": s["Descriptor"],
            "location": s["Incident Address"],
            "outcome": "resolved" if closed else "",
            "outcome_note": s.get("Resolution Description", "")}
    for k in want:
        if e[k] != want[k]:
            bad.append("%s %s: %r != %r" % (s["Unique Key"], k, e[k], want[k]))
print(len(src), len(out), bad[:5])
EOF
check_same 'Unique Key kept as the case ID, for all 2000' \
    "$($py "$tmp/fields.py" "$main" "$tmp/main.csv" "$ny" ids)" '2000 2000 []'
check_same 'reported, closed and due: New York local time, as the file says' \
    "$($py "$tmp/fields.py" "$main" "$tmp/main.csv" "$ny" times)" \
    '2000 2000 []'
check_same 'unit, category, title, description, location, outcome, note as mapped' \
    "$($py "$tmp/fields.py" "$main" "$tmp/main.csv" "$ny" text)" \
    '2000 2000 []'
check_same 'the warned cases are open: no closed time (not 1900), no outcome' \
    "$($py -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    if r["id"] in ("21803150", "19944912"):
        print(r["id"], r["status"], repr(r["closed"]), repr(r["outcome"]))' \
	"$tmp/main.csv")" \
    "19944912 assigned '' ''
21803150 assigned '' ''"
check_same 'the Â+NBSP mojibake survives byte for byte (96 rows)' \
    "$($py -c '
import csv, sys
src = [r["Resolution Description"] for r in csv.DictReader(open(sys.argv[1],
    newline="", encoding="utf-8"))]
moj = "\u00c2\u00a0".encode()
n = sum(s.encode().count(moj) for s in src)
print(sum(1 for s in src if moj in s.encode()), n,
    open(sys.argv[2], "rb").read().count(moj) == n)' "$main" "$tmp/main.csv")" \
    '96 96 True'
check_same 'export, import into an empty database, export: byte-identical' \
    "$(CASE_DB=$(new_db "$tmp/copy.db"); export CASE_DB
	case-init --units "$tmp/main/units.csv" \
	    --categories "$tmp/main/categories.csv" >/dev/null &&
	$CASE_ADD -q --csv "$tmp/main.csv" && $CASE_EXPORT | cmp - "$tmp/main.csv" &&
	echo same)" same

# Longitudes are plain numbers: the formula guard leaves them alone.
check_same 'the 1402 negative Longitudes export unguarded (no leading '"'"')' \
    "$(CASE_DB=$(new_db "$tmp/lon.db"); export CASE_DB
	case-init --units "$tmp/main/units.csv" \
	    --categories "$tmp/main/categories.csv" >/dev/null &&
	TZ=$ny $CASE_ADD -q --csv "$main" --date-format "$datefmt" \
	    --map 'Unique Key=id,Created Date=reported,Agency=unit,Complaint Type=category,Complaint Type=title,Longitude=location,Location=description' &&
	$CASE_EXPORT | $py -c '
import csv, sys
src = {r["Unique Key"]: r for r in csv.DictReader(open(sys.argv[1],
    newline="", encoding="utf-8"))}
n = same = quoted = 0
for r in csv.DictReader(sys.stdin):
    s = src[r["id"]]
    n += s["Longitude"].startswith("-")
    same += s["Longitude"].startswith("-") and r["location"] == s["Longitude"]
    quoted += r["location"].startswith("\x27") or r["description"].startswith("\x27")
print(n, same, quoted)' "$main")" '1402 1402 0'

# Atomic on real data: the same file again collides on every ID.
db_dump >"$tmp/dump.before"
import311 "$main" "$map" >/dev/null 2>"$tmp/again.err"
check_same 'importing it again: refused whole (2000 bad), nothing written' \
    "$?/$(tail -n 1 "$tmp/again.err")/$(db_dump | cmp - "$tmp/dump.before" && echo same)" \
    "1/case-add: $main: 2000 bad records; nothing added/same"

# A nightly escalation changes no past figure: on 1 June 2011 at 03:00,
# the months before and the categories up to then read the same after
# the run as before it, though it moved cases that were overdue.
past() {
	CASE_NOW=2011-06-01T03:00:00+08:00 $CASE_STATS --format tsv \
	    --until 2011-05-31 "$@"
}
{ past --by month; past --by category,unit; } >"$tmp/past.before"
n=$(CASE_NOW=2011-06-01T03:00:00+08:00 case-assign --escalate \
    --all-overdue | wc -l)
{ past --by month; past --by category,unit; } >"$tmp/past.after"
check_same 'a nightly escalation leaves every past period as it was' \
    "$([ "$n" -gt 0 ] && echo moved; diff "$tmp/past.before" \
	"$tmp/past.after" && echo same)" 'moved
same'

# The second file: 199 records, 52 columns, Open/Closed/Assigned/Pending.
CASE_DB=$(new_db "$tmp/second.db")
refs "$second" "$tmp/second"
check 'second file: case-init with its units and categories' \
    case-init --units "$tmp/second/units.csv" \
    --categories "$tmp/second/categories.csv"
check_exit 'second file: the same command line imports it (exit 0)' 0 \
    import311 "$second" "$map2"
cp "$tmp/err" "$tmp/second.err"
check_same 'second file: a warning for each Pending record with a Closed Date' \
    "$(sed -n 's/^case-add: \([^ ]*\) closed: ignored, status assigned is open -- /\1 /p' "$tmp/second.err")" \
    "$(warned "$second" | sed 's/ [0-9]* / /')"
check_same 'second file: the outcomes --prefer-status ignored, counted; every lookup row used' \
    "$(grep -v ' closed: ignored, ' "$tmp/second.err")" "$(dropped "$second")"
check_same 'second file: those are 26588468 and 26582356' \
    "$(warned "$second" | cut -d' ' -f2 | sort | tr '\n' ' ')" \
    '26582356 26588468 '
check_same 'second file: case-stats --by unit as Python counts it' \
    "$(stats unit)" "$(counts "$second" unit)"
check_same 'second file: case-stats --by status (Open -> reported)' \
    "$(stats status)" "$(counts "$second" status)"
$CASE_EXPORT >"$tmp/second.csv"
check_same 'second file: IDs kept, times in New York local time' \
    "$($py "$tmp/fields.py" "$second" "$tmp/second.csv" "$ny" times)" \
    '199 199 []'

# The issue asks for this command line in case-add(1)'s EXAMPLES.
# As a reader sees it (mandoc renders \- and friends); its source if no
# mandoc.
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tutf8 "$top/man/man1/case-add.1" | col -bx |
	    sed -n '/^EXAMPLES$/,/^[A-Z][A-Z]/p'
else
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$top/man/man1/case-add.1"
fi >"$tmp/examples"
check_same 'case-add(1) EXAMPLES show the 311 command line' \
    "$(for s in 'Unique Key=id' 'Status=outcome' '--prefer-status' \
	"$datefmt"; do grep -q -F -e "$s" "$tmp/examples" && echo "$s"; done)" \
    "Unique Key=id
Status=outcome
--prefer-status
$datefmt"
done_testing
