#!/bin/sh
# case-add --csv --update (issue 16, part 3): overlapping extracts from
# another system.  Rows match cases by ID; new ones are added, changed
# ones move on by events appended at the rows' times, unchanged ones are
# left; a row that would move a case back is a conflict that refuses the
# file, unless --skip-conflicts; the same extract twice changes nothing;
# and figures as of a past instant do not move.  Then a pair of extracts
# cut from the real NYC 311 sample.
. "$(dirname "$0")/lib.sh"
plan 55

# Messages name files as given: work in $tmp so that they are short.
cd "$tmp" || exit 2
init_demo

# history ID: each event of case-show's history as TIME ACTION.
history() {
	case-show "$1" | awk '/^history/ { h = 1; next }
	    h && $1 ~ /^[0-9]/ { print $1, $2 }'
}
nevents() {
	sql 'SELECT count(*) FROM events'
}
asof() {
	case-stats --as-of 2024-05-06T18:00 --by status,unit --format tsv
}

# Week 1, taken at T1; week 2, at T2, repeats it with 101 assigned, 102
# closed, 103 sent to another unit and handled (and its title
# corrected), 104 as it was, and a new case 105.
T1=2024-05-06T18:00
T2=2024-05-09T09:00
cat >week1.csv <<'EOF'
id,reported,category,title,unit,status,assigned,closed,outcome,outcome_note
101,2024-05-01T09:00,hazard,液化气罐,,reported,,,,
102,2024-05-01T10:00,dispute,楼上噪音,xzz-dk-jws,assigned,2024-05-01T11:00,,,
103,2024-05-02T09:00,hazard,占道,xzz-dk-jws,assigned,,,,
104,2024-05-02T10:00,suggestion,路灯不亮,xzz-dk-jws,closed,,2024-05-03T10:00,resolved,已修复
EOF
cat >week2.csv <<'EOF'
id,reported,category,title,unit,status,assigned,closed,outcome,outcome_note
101,2024-05-01T09:00,hazard,液化气罐,xzz-pcs,assigned,2024-05-06T20:00,,,
102,2024-05-01T10:00,dispute,楼上噪音,xzz-dk-jws,closed,2024-05-01T11:00,2024-05-07T10:00,mediated,双方和解
103,2024-05-02T09:00,hazard,占道经营堵塞消防通道,xzz-hp,handled,,,,
104,2024-05-02T10:00,suggestion,路灯不亮,xzz-dk-jws,closed,,2024-05-03T10:00,resolved,已修复
105,2024-05-08T10:00,dispute,广场舞噪音,,,,,,
EOF

check_exit '--update into an empty database adds the extract' 0 \
    at "$T1" case-add --update --csv week1.csv
check_same 'printing the new IDs' "$(cat out | tr '\n' ' ')" '101 102 103 104 '
check_same 'and the counts on stderr' "$(cat err)" \
    'case-add: week1.csv: added 4, updated 0, unchanged 0, conflicts 0'
asof >asof.before

# A dry run says what it would do, and writes nothing.
before=$(db_dump)
check_exit '-n --update succeeds' 0 case-add -n --update --csv week2.csv
check_same 'naming the cases it would add or change' \
    "$(cut -f1 out | tr '\n' ' ')" '101 102 103 105 '
check_same 'each line a would' "$(grep -vc '	would ' out)" 0
check_same 'with the counts' "$(cat err)" \
    'case-add: week2.csv: added 1, updated 3, unchanged 1, conflicts 0'
check_same 'and the database unchanged' "$(db_dump)" "$before"

check_exit 'week 2 --update' 0 at "$T2" case-add --update --csv week2.csv
check_same 'prints the IDs added or updated, in file order' \
    "$(cat out | tr '\n' ' ')" '101 102 103 105 '
check_same 'added 1, updated 3, unchanged 1, conflicts 0' "$(cat err)" \
    'case-add: week2.csv: added 1, updated 3, unchanged 1, conflicts 0'
check_same 'the union: every case of both weeks, as week 2 has it' \
    "$(case-list --status all | cut -f1-3,7)" \
    '101	assigned	xzz-pcs	液化气罐
102	closed	xzz-dk-jws	楼上噪音
103	handled	xzz-hp	占道经营堵塞消防通道
104	closed	xzz-dk-jws	路灯不亮
105	reported		广场舞噪音'
check_same '101: assigned at the row'"'"'s assigned time' "$(history 101)" \
    '2024-05-01T09:00:00+08:00 reported
2024-05-06T20:00:00+08:00 assigned'
check_same '102: closed at the row'"'"'s closed time' "$(history 102)" \
    '2024-05-01T10:00:00+08:00 reported
2024-05-01T11:00:00+08:00 assigned
2024-05-07T10:00:00+08:00 closed'
check_same 'with its outcome and note' \
    "$(ev 102 3 outcome) $(ev 102 3 note)" 'mediated 双方和解'
check_same '103: the new unit, handling and the correction, at the import' \
    "$(history 103)" '2024-05-02T09:00:00+08:00 reported
2024-05-02T09:00:00+08:00 assigned
2024-05-09T09:00:00+08:00 assigned
2024-05-09T09:00:00+08:00 handled
2024-05-09T09:00:00+08:00 edited'
check_same 'the reassignment says from where' \
    "$(ev 103 3 from_unit) -> $(ev 103 3 to_unit)" 'xzz-dk-jws -> xzz-hp'
check_same 'the correction keeps the old title' \
    "$(ev 103 5 field): $(ev 103 5 old)" 'title: 占道'
check_same '104: unchanged, no event' "$(actions 104)" \
    'reported assigned closed'
if [ -n "$faketime_lib" ]; then
	check_same 'the figures as of T1 are those taken at T1' \
	    "$(asof)" "$(cat asof.before)"
	check_grep 'which counted week 1' '^assigned	xzz-dk-jws	2' asof.before
else
	skip 'libfaketime not installed (Debian: faketime)'
	skip 'libfaketime not installed (Debian: faketime)'
fi

# The same extract again changes nothing.
export1=$(case-export)
n1=$(nevents)
check_exit 'week 2 again' 0 case-add --update --csv week2.csv
check_same 'prints no ID' "$(cat out)" ''
check_same 'all unchanged' "$(cat err)" \
    'case-add: week2.csv: added 0, updated 0, unchanged 5, conflicts 0'
check_same 'the export is the same' "$(case-export)" "$export1"
check_same 'no event was appended' "$(nevents)" "$n1"
check_exit 'and with -q' 0 case-add -q --update --csv week2.csv
check_same 'says nothing at all' "$(cat out err)" ''
check_exit 'week 1 again, older than the database: refused' 1 \
    case-add --update --csv week1.csv
check_same 'each case it has earlier a conflict' \
    "$(grep -o 'csv:[0-9]: case 10[0-9]: status' err | tr '\n' ' ')" \
    'csv:2: case 101: status csv:3: case 102: status csv:4: case 103: status '
check_same 'and nothing written' "$(tail -n 1 err)" \
    'case-add: week1.csv: 3 conflicts; nothing written'

# Week 3 would move cases back, or against their history: the whole
# file is refused, each conflict named.
cat >week3.csv <<'EOF'
id,reported,category,title,unit,status,assigned,closed,outcome,outcome_note
101,2024-05-01T09:00,hazard,液化气罐,xzz-pcs,closed,2024-05-06T20:00,2024-05-05T09:00,resolved,
102,2024-05-01T10:00,dispute,楼上噪音,xzz-dk-jws,assigned,2024-05-01T11:00,,,
103,2024-05-02T09:00,hazard,占道经营堵塞消防通道,xzz-hp,closed,,2024-05-09T17:00,resolved,已清理
104,2024-05-02T10:00,suggestion,路灯不亮,xzz-dk-jws,closed,,2024-05-03T10:00,withdrawn,
104,2024-05-02T11:00,suggestion,路灯不亮,xzz-dk-jws,closed,,2024-05-03T10:00,resolved,
106,2024-05-09T08:00,hazard,井盖缺失,,,,,,
EOF
before=$(db_dump)
check_exit 'a file with conflicts is refused (exit 1)' 1 \
    case-add --update --csv week3.csv
check_same 'each conflict named by file, line, case and why' "$(cat err)" \
    "case-add: week3.csv:2: case 101: closed: effective time 2024-05-05T09:00:00+08:00 is before the case's last event (2024-05-06T20:00:00+08:00)
case-add: week3.csv:3: case 102: status: the case is closed, the record would move it back to assigned
case-add: week3.csv:5: case 104: outcome: the case has resolved, the record withdrawn (history is not rewritten)
case-add: week3.csv:6: case 104: reported: the case has 2024-05-02T10:00:00+08:00, the record 2024-05-02T11:00:00+08:00 (history is not rewritten)
case-add: week3.csv: 4 conflicts; nothing written"
check_same 'nothing printed' "$(cat out)" ''
check_same 'nothing written' "$(db_dump)" "$before"
check_exit 'so is a dry run of it' 1 case-add -n --update --csv week3.csv
check_same 'which prints nothing either' "$(cat out)" ''

check_exit '--skip-conflicts names them and goes on (exit 1)' 1 \
    at 2024-05-09T18:00 case-add --update --skip-conflicts --csv week3.csv
check_same 'the good rows written' "$(cat out | tr '\n' ' ')" '103 106 '
check_same 'the counts' "$(tail -n 1 err)" \
    'case-add: week3.csv: added 1, updated 1, unchanged 0, conflicts 4'
check_same 'the conflicts named' "$(grep -c ': case 10[124]: ' err)" 4
check_same '103 closed at its time, with its note' \
    "$(history 103 | tail -n 1) $(ev 103 "$(actions 103 | wc -w)" note)" \
    '2024-05-09T17:00:00+08:00 closed 已清理'
check_same 'the conflicting cases untouched' \
    "$(actions 101); $(actions 102); $(actions 104)" \
    'reported assigned; reported assigned closed; reported assigned closed'
check_exit '--skip-conflicts needs --update' 2 \
    case-add --skip-conflicts --csv week3.csv
check_same 'and says so' "$(cat err)" \
    'case-add: --skip-conflicts: only with --update, which finds the conflicts'

# A unit's returning a case (退回) moves it on, to a lower rank.
printf 'id,status\n101,returned\n' >back.csv
check_exit 'a row has an assigned case returned' 0 \
    case-add -q --update --csv back.csv
check_same 'the event case-return writes, back to intake' \
    "$(actions 101) $(ev 101 3 from_unit) -> $(ev 101 3 to_unit)" \
    'reported assigned returned xzz-pcs -> '

# Two extracts cut from the real 311 sample (tests/data/311): the first
# has rows 1-150 as they stood earlier (every third Closed request still
# Assigned, every second Assigned one still Open), the second rows
# 51-199 as published.  Their union as the second has them, imported
# whole into another database, is what --update makes of the two.
ny='EST5EDT,M3.2.0,M11.1.0'
map='Unique Key=id,Created Date=reported,Closed Date=closed,Agency=unit,Complaint Type=category,Complaint Type=title,Descriptor=description,Incident Address=location,Status=status,Status=outcome,Due Date=due'
printf '%s\n' column,from,to status,Closed,closed status,Pending,assigned \
    status,Assigned,assigned status,Open,reported outcome,Closed,resolved \
    >lookup.csv
python3 - "$data/311/311-service-requests.sample.csv" <<'EOF' >counts
import csv, sys
f = open(sys.argv[1], newline="", encoding="utf-8")
rd = csv.reader(f)
head = next(rd)
rows = list(rd)
col = {k: i for i, k in enumerate(head)}
def out(name, rs):
    w = csv.writer(open(name, "w", newline="", encoding="utf-8"))
    w.writerow(head)
    w.writerows(rs)
def earlier(i, r):
    r = list(r)
    st = r[col["Status"]]
    if st == "Closed" and i % 3 == 0:
        r[col["Status"]], r[col["Closed Date"]] = "Assigned", ""
    elif st == "Assigned" and i % 2 == 0:
        r[col["Status"]] = "Open"
    return r
a = [earlier(i, r) for i, r in enumerate(rows[:150])]
b = rows[50:]
out("a.csv", a)
out("b.csv", b)
out("union.csv", a[:50] + b)
units = sorted({r[col["Agency"]] for r in rows})
cats = sorted({r[col["Complaint Type"]] for r in rows})
with open("units.csv", "w") as u:
    u.write("code,name,parent,level\nnyc,New York City,,district\n")
    u.writelines("%s,%s,nyc,department\n" % (x, x) for x in units)
with open("cats.csv", "w") as c:
    c.write("code,name,deadline\n")
    c.writelines("%s,%s,7d\n" % (x, x) for x in cats)
changed = sum(a[i] != rows[i] for i in range(50, 150))
print("added %d, updated %d, unchanged %d, conflicts 0" % (len(rows) - 150,
    changed, 100 - changed))
EOF
import() {
	TZ=$ny case-add --csv "$@" --map "$map" --lookup lookup.csv \
	    --date-format '%m/%d/%Y %I:%M:%S %p' --prefer-status
}
# export: the cases as TSV, but for the assigned column: a request that
# was Open in the first extract is assigned at the second import.
export_but_assigned() {
	case-export --format tsv | cut -f1-14,16-
}
CASE_DB=$(new_db "$tmp/nyc.db")
export CASE_DB
case-init --units units.csv --categories cats.csv >/dev/null
check 'the first 311 extract imports' import a.csv --update
check_exit 'the second, overlapping one, with --update' 0 \
    import b.csv --update
check_same 'with the counts Python makes of the two' \
    "$(grep ': added ' err)" "case-add: b.csv: $(cat counts)"
check_same 'the union: 199 cases' "$(case-list --status all | wc -l)" 199
later=$(export_but_assigned)
n2=$(nevents)
union=$(new_db "$tmp/union.db")
case-init -d "$union" --units units.csv --categories cats.csv >/dev/null
CASE_DB=$union import union.csv -q 2>/dev/null
check_same 'each case as the later extract has it' \
    "$later" "$(CASE_DB=$union export_but_assigned)"
check_exit 'the second extract again' 0 import b.csv --update
check_same 'changes nothing' "$(grep ': added ' err)" \
    'case-add: b.csv: added 0, updated 0, unchanged 149, conflicts 0'
check_same 'not an event more' "$(export_but_assigned) $(nevents)" \
    "$later $n2"
