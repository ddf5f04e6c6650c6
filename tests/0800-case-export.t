#!/bin/sh
# case-export: every field as RFC 4180 CSV, the history, JSON; read-only.
. "$(dirname "$0")/lib.sh"
: ${CASE_EXPORT:=case-export}
plan 34

py=python3
user=$(id -un)
header='id,reported,source,category,category_name,grid,location,reporter,title,description,unit,unit_name,status,due,assigned,closed,outcome,outcome_note,ref,lat,lon,priority,attachments'
evheader='event,case,at,action,actor,user,from_unit,to_unit,due,outcome,note,field,old,new,recorded'

# A scripted day, with text that needs quoting: commas, quotes, line
# breaks, a CR LF, leading spaces.  Deadlines are given explicitly.
# The day's writers run at their instants (lib.sh's at); cases 3 and 4
# are written now, under the test's CASE_NOW only, so that their events
# record the real time at which they were written.
init_demo
at 2024-05-08T10:00:00 case-add -q --category hazard --source grid \
    --grid xzz-dk-1 --location '东矿社区3栋, 楼下' --reporter 张三 \
    --title 液化气罐 --due 2024-05-09T10:00 \
    --desc "$(printf '火锅店楼下堆放十余个液化气罐\n店主说"马上整改"')"
at 2024-05-08T10:30:00 case-assign -q --to xzz-dk-jws 1
at 2024-05-08T15:00:00 case-close -q --outcome resolved \
    --note '已整改，已复查' 1
at 2024-05-09T09:30:00 case-add -q --category enterprise --source wechat \
    --reporter 某某新材料有限公司 --title 投资奖励未兑现 \
    --reported 2024-05-09T09:00 --due 2024-05-12T09:00
at 2024-05-09T09:40:00 case-assign -q --to fgw --note 即收即办 2
at 2024-05-12T16:00:00 case-close -q --outcome resolved \
    --note '区领导约见企业, 商定兑付日期' 2
before=$(date +%s)
case-add -q --category dispute --source mediation --unit tbz-cy \
    --title ' 邻里纠纷' --reported 2024-05-07T08:00:00Z \
    --due 2024-05-14T16:00
after=$(date +%s)
case-add -q --category suggestion --source council --grid tbz-hy-1 \
    --title 'a,b "c"' --reported 2024-05-01 --due 2024-05-16 \
    --desc "$(printf '电瓶车飞线充电\r\n建议建充电棚')"

check_exit 'case-export exits 0' 0 $CASE_EXPORT
cp "$tmp/out" "$tmp/export.csv"
check_same 'the header row, exactly' "$(sed -n 1p "$tmp/export.csv")" \
    "$header$(printf '\r')"
check 'the whole export equals tests/data/export.csv' \
    cmp "$tmp/export.csv" "$data/export.csv"
[ -f "$data/export.csv" ] || echo '# no golden file' "$data/export.csv"
cmp -s "$tmp/export.csv" "$data/export.csv" ||
    diff "$data/export.csv" "$tmp/export.csv" | sed 's/^/# /'

# records FILE: the records of a CSV file, as Python's csv module reads
# them, one repr() per line.
records() {
	$py -c '
import csv, sys
for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")):
    print(repr(r))' "$1"
}
check_same 'RFC 4180: a reader finds a header and four records of 23 fields' \
    "$(records "$tmp/export.csv" | $py -c '
import ast, sys
print(sorted({len(ast.literal_eval(l)) for l in sys.stdin}))')/$(records "$tmp/export.csv" | wc -l)" \
    '[23]/5'
check_same 'quoting: commas, quotes, newlines, CR LF, leading spaces survive' \
    "$($py -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
print(repr((r[0]["location"], r[0]["description"], r[2]["title"],
    r[3]["title"], r[3]["description"], r[1]["outcome_note"])))' \
	"$tmp/export.csv")" \
    "('东矿社区3栋, 楼下', '火锅店楼下堆放十余个液化气罐\\n店主说\"马上整改\"', ' 邻里纠纷', 'a,b \"c\"', '电瓶车飞线充电\\r\\n建议建充电棚', '区领导约见企业, 商定兑付日期')"
check_same 'records end in CR LF' \
    "$($py -c '
import sys
d = open(sys.argv[1], "rb").read()
print(d.count(b"\r\n"), d.endswith(b"\r\n"))' "$tmp/export.csv")" \
    '6 True'
check_same 'times in local time with the offset' \
    "$(records "$tmp/export.csv" | sed -n 4p | $py -c '
import ast, sys
r = ast.literal_eval(sys.stdin.read())
print(r[1], r[13])')" \
    '2024-05-07T16:00:00+08:00 2024-05-14T16:00:00+08:00'

# ids ARGS...: the IDs of the cases case-export selects.
ids() {
	$CASE_EXPORT "$@" >"$tmp/sel.csv"
	$py -c '
import csv, sys
print(" ".join(r["id"] for r in csv.DictReader(open(sys.argv[1],
    newline="", encoding="utf-8"))))' "$tmp/sel.csv"
}
check_same 'all cases by default' "$(ids)" '1 2 3 4'
check_same '--status open' "$(ids --status open)" '3 4'
check_same '--status closed' "$(ids --status closed)" '1 2'
check_same '--unit street (its subtree)' "$(ids --unit xzz)" 1
check_same '--unit district' "$(ids --unit bgs)" '1 2 3'
check_same '--category' "$(ids --category enterprise)" 2
check_same '--source' "$(ids --source mediation)" 3
check_same '--since/--until a bare day' \
    "$(ids --since 2024-05-08 --until 2024-05-08)" 1
check_same '--closed-since' "$(ids --closed-since 2024-05-10)" 2
check_same 'nothing selected: the header only, exit 0' \
    "$($CASE_EXPORT --category law; echo "exit $?")" \
    "$header$(printf '\r')
exit 0"
check_exit 'unknown --unit exits 2' 2 $CASE_EXPORT --unit nosuch

# The history.
check_exit '--events exits 0' 0 $CASE_EXPORT --events
cp "$tmp/out" "$tmp/events.csv"
check_same '--events header' "$(sed -n 1p "$tmp/events.csv")" \
    "$evheader$(printf '\r')"
check_same '--events: the first row, every column' \
    "$(sed -n 2p "$tmp/events.csv")" \
    "1,1,2024-05-08T10:00:00+08:00,reported,tester,$user,,,2024-05-09T10:00:00+08:00,,,,,,2024-05-08T10:00:00+08:00$(printf '\r')"
check_same '--events: CASE_NOW sets the time an event takes effect, not the time it was recorded' \
    "$($py -c '
import csv, datetime, sys
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    if r["case"] == "3" and r["action"] == "reported":
        t = datetime.datetime.fromisoformat(r["recorded"]).timestamp()
        print(r["at"], int(sys.argv[2]) <= t <= int(sys.argv[3]))' \
    "$tmp/events.csv" "$before" "$after")" '2024-05-07T16:00:00+08:00 True'
check_same '--events: each case'"'"'s actions in order' \
    "$($py -c '
import csv, sys
acts = {}
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    acts.setdefault(r["case"], []).append(r["action"])
for c in sorted(acts):
    print(c, " ".join(a for a in acts[c]
        if a in ("reported", "assigned", "closed")))' "$tmp/events.csv")" \
    '1 reported assigned closed
2 reported assigned closed
3 reported assigned
4 reported'
check_same '--events: an assignment with its units, time and note' \
    "$(grep ',2,[^,]*,assigned,' "$tmp/events.csv" | cut -d, -f3-8,11,15)" \
    "2024-05-09T09:40:00+08:00,assigned,tester,$user,,fgw,即收即办,2024-05-09T09:40:00+08:00$(printf '\r')"
check_same '--events: a closure with its outcome and quoted note' \
    "$(grep ',2,[^,]*,closed,' "$tmp/events.csv" | cut -d, -f3,4,10)" \
    '2024-05-12T16:00:00+08:00,closed,resolved'
check_grep '--events: the note is quoted' \
    ',"区领导约见企业, 商定兑付日期"' "$tmp/events.csv"
check_same '--events takes the filters' \
    "$($CASE_EXPORT --events --unit tbz | sed 1d | cut -d, -f2 | sort -u)" 3

# JSON: one object per line, the same columns.
check_exit '--format json exits 0' 0 $CASE_EXPORT --format json
check_same 'json: valid, one object per case, the columns in order' \
    "$($py -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
print(len(rows), ",".join(rows[0]), rows[0]["id"], rows[0]["unit_name"])' \
	<"$tmp/out")" \
    "4 $header 1 东矿社区警务室"

# Export, then import into an empty database, then export: the same.
check_same 'an export imports back with case-add --csv, unchanged' \
    "$(CASE_DB=$(new_db "$tmp/copy.db"); export CASE_DB; init_demo
	case-add -q --csv "$tmp/export.csv" && $CASE_EXPORT | cmp - "$tmp/export.csv" &&
	echo same)" same

# Read-only: export opens the database read-only and changes nothing.
skip_on_pg 2 'a database file of mode 0444' || {
	chmod 0444 "$CASE_DB"
	check_exit 'export works on a database file of mode 0444' 0 $CASE_EXPORT
	cp "$tmp/out" "$tmp/ro.csv"
	check 'with the same output' cmp "$tmp/ro.csv" "$tmp/export.csv"
}
# Root reads anything, so try as nobody, on a copy in a directory that
# nobody may read but not write (no -wal or -shm file can be made).
if skip_on_pg 2 'a read-only copy of the database file'; then
	:
elif command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] &&
    id nobody >/dev/null 2>&1; then
	mkdir "$tmp/ro"
	cp "$CASE_DB" "$tmp/ro/cases.db"
	chmod 0444 "$tmp/ro/cases.db"
	chmod 0555 "$tmp/ro"
	chmod 0711 "$tmp"
	check_exit 'as nobody, in a directory it cannot write' 0 \
	    setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
	    env CASE_DB="$tmp/ro/cases.db" "$(command -v $CASE_EXPORT)"
	cp "$tmp/out" "$tmp/ro.csv"
	check 'with the same output' cmp "$tmp/ro.csv" "$tmp/export.csv"
	chmod 0700 "$tmp/ro" "$tmp"
else
	for i in 1 2; do
		ntest=$((ntest + 1))
		echo "ok $ntest # skip setpriv, root or user nobody missing"
	done
fi
done_testing
