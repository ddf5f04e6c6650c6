#!/bin/sh
# A simulated month of nightly cron runs over a generated district, from
# Fri 2024-09-20 to Sun 2024-10-20 (Mid-Autumn is over, National Day and
# its make-up days 29 Sep and 12 Oct fall inside).  The final state is
# checked case by case against an independent model, in Python, of the
# escalation rule and of working-day deadlines counted from the shipped
# calendar CSV, not from casekit.
. "$(dirname "$0")/lib.sh"
plan 9

py=python3
escalate=case-escalate
cat >"$tmp/logger" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$tmp/log"
EOF
chmod +x "$tmp/logger"
export CASE_LOGGER="$tmp/logger"

# The generator and the model.  "gen DIR" writes units.csv,
# categories.csv and cases-K.csv (the cases reported on day K);
# "model DIR CALENDAR" replays the month and prints, for each case,
# "id status unit escalations supervisions" and, in due.txt, the final
# deadline of each open case.
cat >"$tmp/sim.py" <<'EOF'
import csv, os, random, sys
from datetime import datetime, date, timedelta, timezone

CST = timezone(timedelta(hours=8))
START = date(2024, 9, 20)
DAYS = 30		# days 0..29: 20 Sep .. 19 Oct; nights 21 Sep .. 20 Oct
REPORT_DAYS = 7		# cases are reported on days 0..6
CLOSE_MOD = 40		# on day k, 15:00, open cases with id % 40 == k close

CATEGORIES = [		# code, name, deadline, dispatch
    ("h24", "安全隐患", "24h", ""),
    ("wd3", "企业诉求", "3wd", "4h"),
    ("d7", "矛盾纠纷", "7d", ""),
]

def units():
    u = [("qu", "模拟区", "", "district", "")]
    for s in range(1, 4):
        sc = "s%d" % s
        u.append((sc, "街道%d" % s, "qu", "street", "36h" if s == 3 else ""))
        for c in range(1, 3):
            cc = "%s-c%d" % (sc, c)
            u.append((cc, "社区%d-%d" % (s, c), sc, "community",
                "2wd" if cc == "s1-c1" else ""))
            for g in range(1, 3):
                u.append(("%s-g%d" % (cc, g), "网格%d-%d-%d" % (s, c, g), cc,
                    "grid", ""))
    return u

def gen(d):
    rnd = random.Random(1300)
    with open(os.path.join(d, "units.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "parent", "level", "deadline"])
        w.writerows(units())
    with open(os.path.join(d, "categories.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "deadline", "dispatch"])
        w.writerows(CATEGORIES)
    grids = [u[0] for u in units() if u[3] == "grid"]
    cases = []
    for k in range(REPORT_DAYS):
        for i in range(rnd.randint(24, 32)):
            t = datetime.combine(START + timedelta(days=k),
                datetime.min.time(), CST) + timedelta(
                minutes=rnd.randrange(8 * 60, 21 * 60))
            cat = rnd.choices(["h24", "wd3", "d7"], [3, 5, 2])[0]
            unit = "" if rnd.random() < 0.06 else rnd.choice(grids)
            cases.append((t, cat, unit, k))
    cases.sort(key=lambda c: c[0])
    files = {}
    for i, (t, cat, unit, k) in enumerate(cases, 1):
        if k not in files:
            files[k] = open(os.path.join(d, "cases-%d.csv" % k), "w",
                newline="")
            w = csv.writer(files[k], lineterminator="\n")
            w.writerow(["id", "reported", "source", "category", "unit",
                "title"])
        csv.writer(files[k], lineterminator="\n").writerow([i,
            t.isoformat(), "grid", cat, unit, "模拟案件%d" % i])
    for f in files.values():
        f.close()

# --- The model: nothing below uses casekit.
def load_calendar(path):
    cal = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            cal[date.fromisoformat(r["date"])] = r["type"] == "work"
    return cal

def working(cal, day):
    return cal.get(day, day.weekday() < 5)

def end_of(day):
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=CST)

def deadline(cal, spec, t):
    """Nh exact; Nd the end of the Nth day after; Nwd the end of the Nth
    working day after the day t falls on."""
    if not spec:
        return None
    t = t.astimezone(CST)
    if spec.endswith("wd"):
        n, day = int(spec[:-2]), t.date()
        while n > 0:
            day += timedelta(days=1)
            if working(cal, day):
                n -= 1
        return end_of(day)
    n, u = int(spec[:-1]), spec[-1]
    if u == "h":
        return t + timedelta(hours=n)
    if u == "d":
        return end_of(t.date() + timedelta(days=n))
    raise ValueError(spec)

def model(d, calpath):
    cal = load_calendar(calpath)
    parent = {u[0]: u[2] for u in units()}
    udl = {u[0]: u[4] for u in units()}
    cat = {c[0]: c for c in CATEGORIES}
    cases, bykday = {}, {}
    for k in range(REPORT_DAYS):
        with open(os.path.join(d, "cases-%d.csv" % k)) as f:
            for r in csv.DictReader(f):
                t = datetime.fromisoformat(r["reported"])
                c = {"id": int(r["id"]), "cat": r["category"],
                     "unit": r["unit"], "day": k,
                     "status": "assigned" if r["unit"] else "reported",
                     "due": deadline(cal, cat[r["category"]][2], t),
                     "dispatch": deadline(cal, cat[r["category"]][3], t),
                     "esc": 0, "sup": 0, "supervised": None}
                cases[c["id"]] = c
    for k in range(DAYS):
        day = START + timedelta(days=k)
        # 15:00: the day's closures, among the cases imported by then
        # (each day's cases are imported at 23:59).
        for c in cases.values():
            if c["day"] < k and c["status"] != "closed" and \
                    c["id"] % CLOSE_MOD == k:
                c["status"] = "closed"
        # 02:00 the next night: the cron run.
        now = datetime.combine(day + timedelta(days=1),
            datetime.min.time(), CST) + timedelta(hours=2)
        for c in sorted(cases.values(), key=lambda c: c["id"]):
            if c["day"] > k or c["status"] == "closed":
                continue
            lapse = None
            if c["due"] is not None and c["due"] < now:
                lapse = c["due"]
            elif c["status"] in ("reported", "returned") and \
                    c["dispatch"] is not None and c["dispatch"] < now:
                lapse = c["dispatch"]
            if lapse is None:
                continue
            up = parent.get(c["unit"], "") if c["unit"] else ""
            if up:
                c["unit"], c["status"] = up, "assigned"
                c["due"] = deadline(cal, udl[up] or cat[c["cat"]][2], now)
                c["esc"] += 1
            elif c["supervised"] != lapse:
                c["supervised"] = lapse
                c["sup"] += 1
    with open(os.path.join(d, "due.txt"), "w") as f:
        for i in sorted(cases):
            c = cases[i]
            if c["status"] != "closed":
                f.write("%d %s\n" % (i, c["due"].isoformat()))
    for i in sorted(cases):
        c = cases[i]
        print(i, c["status"], c["unit"] or "-", c["esc"], c["sup"])

if sys.argv[1] == "gen":
    gen(sys.argv[2])
else:
    model(sys.argv[2], sys.argv[3])
EOF

mkdir "$tmp/sim"
$py "$tmp/sim.py" gen "$tmp/sim"
check 'case-init with the generated district and categories' \
    case-init --units "$tmp/sim/units.csv" \
    --categories "$tmp/sim/categories.csv"

# day K: the date of day K of the month (0: Fri 2024-09-20), in CST.
day() {
	date -u -d "2024-09-20 $1 days" +%Y-%m-%d
}

start=$(date +%s)
: >"$tmp/noisy"
k=0
while [ "$k" -lt 30 ]; do
	d=$(day "$k")
	# 15:00: close the open cases whose ID is K modulo 40.
	case-list --status open --format tsv |
	    awk -F'\t' -v k="$k" '$1 % 40 == k { print $1 }' |
	    CASE_NOW=${d}T15:00:00+08:00 case-close -q --outcome resolved \
	    --note 模拟办结
	# 23:59: the day's new cases.
	if [ -f "$tmp/sim/cases-$k.csv" ]; then
		CASE_NOW=${d}T23:59:00+08:00 case-add -q \
		    --csv "$tmp/sim/cases-$k.csv"
	fi
	# 02:00 the next night: the cron job; on every fifth night it is
	# started twice, as a doubled crontab line would.
	n=$(day $((k + 1)))
	runs=1
	[ $((k % 5)) -eq 4 ] && runs=2
	while [ "$runs" -gt 0 ]; do
		CASE_NOW=${n}T02:00:00+08:00 "$escalate" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" -ne 0 ] || [ -s "$tmp/out" ] || [ -s "$tmp/err" ]; then
			echo "$n: exit $rc: $(cat "$tmp/out" "$tmp/err")" >>"$tmp/noisy"
		fi
		runs=$((runs - 1))
	done
	k=$((k + 1))
done
secs=$(($(date +%s) - start))

check_same 'every nightly run exited 0 and was quiet' "$(cat "$tmp/noisy")" ''
check_same 'every run logged, none skipped or failed' \
    "$(grep -c 'escalated or supervised: ' "$tmp/log") $(grep -c -e skipped -e user.err "$tmp/log")" \
    '36 0'

$py "$tmp/sim.py" model "$tmp/sim" "$top/data/cn-calendar.csv" \
    >"$tmp/want"
# The state casekit ended with: status, unit, and its escalated and
# supervised events, case by case.
case-export --events --format tsv | awk -F'\t' -v OFS='\t' 'NR > 1 {
	if ($4 == "escalated") esc[$2]++
	if ($4 == "supervised") sup[$2]++ }
	END { for (i in esc) print "e", i, esc[i]; for (i in sup) print "s", i, sup[i] }' \
    >"$tmp/counts"
case-list --status all --format tsv | awk -F'\t' '
	FILENAME == ARGV[1] { if ($1 == "e") esc[$2] = $3; else sup[$2] = $3; next }
	{ print $1, $2, ($3 == "" ? "-" : $3), esc[$1] + 0, sup[$1] + 0 }' \
    "$tmp/counts" - >"$tmp/got"
check_same 'the same cases' "$(wc -l <"$tmp/got")" "$(wc -l <"$tmp/want")"
check_same 'case by case: status, unit, escalations, supervisions' \
    "$(cat "$tmp/got")" "$(cat "$tmp/want")"
case-list --status open --format tsv | awk -F'\t' '{ print $1, $4 }' | sort -n \
    >"$tmp/due-got"
check_same 'case by case: the deadline of every open case' \
    "$(cat "$tmp/due-got")" "$(cat "$tmp/sim/due.txt")"

ncases=$(wc -l <"$tmp/want")
nesc=$(awk '{ s += $4 } END { print s }' "$tmp/want")
nsup=$(awk '{ s += $5 } END { print s }' "$tmp/want")
ntop=$(awk '$3 == "qu"' "$tmp/want" | wc -l)
nopen=$(awk '$2 != "closed"' "$tmp/want" | wc -l)
echo "# cases: $ncases, escalations: $nesc, supervisions: $nsup," \
    "open at the end: $nopen, at the district: $ntop; ${secs}s of cron"
# The month must exercise the rule, not pass vacuously.
check 'the month saw escalations, supervisions and cases reach the top' \
    test "$nesc" -gt 100 -a "$nsup" -gt 10 -a "$ntop" -gt 5
check 'some unassigned cases were supervised on the dispatch clock' \
    test "$(awk '$3 == "-" && $5 > 0' "$tmp/want" | wc -l)" -gt 0
check_same 'a last run changes nothing' \
    "$(db_dump | cksum)" \
    "$(CASE_NOW=2024-10-20T02:00:00+08:00 "$escalate"; db_dump | cksum)"
done_testing
