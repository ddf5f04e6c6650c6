#!/bin/sh
# Escalation up the unit tree and the cron scripts: fresh deadlines from
# the category or the unit, once per lapse, supervision (督办) at the top
# and of unassigned cases, --overdue and --due-within, case-escalate
# (quiet, syslog through $CASE_LOGGER, a lock) and case-report.
. "$(dirname "$0")/lib.sh"
plan 85

escalate=case-escalate
report=case-report
# A logger(1) stand-in: one line per call, its arguments.  While
# $tmp/hold exists, the first call it gets (and only that one) stops
# there, its script still holding its lock, until the test lets it go:
# it says "ready" on one FIFO and waits for "go" on another.
cat >"$tmp/logger" <<EOF
#!/bin/sh
if [ -e "$tmp/hold" ] && mkdir "$tmp/held" 2>/dev/null; then
	echo ready >"$tmp/ready"
	read go <"$tmp/go"
fi
printf '%s\n' "\$*" >>"$tmp/log"
EOF
mkfifo "$tmp/ready" "$tmp/go"
chmod +x "$tmp/logger"
export CASE_LOGGER="$tmp/logger"
: >"$tmp/log"

at() {
	t=$1
	shift
	CASE_NOW=$t+08:00 "$@"
}
# cron TIME: case-escalate at TIME; $rc, $tmp/out, $tmp/err.
cron() {
	at "$1" "$escalate" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
# quiet: the last cron run exited 0 and wrote nothing.
quiet() {
	echo "$rc|$(cat "$tmp/out" "$tmp/err")"
}
# lastlog: the last line the script logged.
lastlog() {
	tail -n 1 "$tmp/log"
}
nevents() {
	sql 'SELECT count(*) FROM events'
}
# state ID: status, unit and due from case-list.
state() {
	case-list --status all --format tsv |
	    awk -F'\t' -v id="$1" '$1 == id { print $2, $3, $4 }'
}

# --- One database, two cases climbing the tree, night after night.
# lc-units.csv: bgs > xzz > xzz-dk (deadline 2wd) > xzz-dk-1, and
# bgs > xzz > xzz-hp (no deadline) > xzz-hp-1.  lc-categories.csv:
# enterprise 3wd, hazard 24h (dispatch 2h).
case-init --units "$data/lc-units.csv" \
    --categories "$data/lc-categories.csv" >/dev/null
# A: enterprise at xzz-hp-1 from Tue 2024-09-24 10:00: Wed 25 (1),
# Thu 26 (2), Fri 27 (3): due Fri 27 Sep 23:59:59.
A=$(at 2024-09-24T10:00:00 case-add --category enterprise --unit xzz-hp-1 \
    --title 企业厂房审批)
# B: hazard at xzz-dk-1 from Thu 2024-09-26 09:00: due Fri 27 Sep 09:00.
B=$(at 2024-09-26T09:00:00 case-add --category hazard --unit xzz-dk-1 \
    --title 液化气罐堆放)

cron 2024-09-27T08:00:00
check_same 'nothing overdue: quiet, exit 0' "$(quiet)" '0|'
check_same 'and says so in the log' "$(lastlog)" \
    '-t case-escalate -p user.info -- escalated or supervised: 0'

# 23:00 on Fri 27 Sep: B is overdue, A (due 23:59:59) not yet.  B goes to
# xzz-dk, whose own deadline 2wd counts from now: Sun 29 Sep make-up (1),
# Mon 30 (2).
cron 2024-09-27T23:00:00
check_same 'escalating: quiet, exit 0' "$(quiet)" '0|'
check_same 'B moves from the grid to the community' "$(state "$B")" \
    'assigned xzz-dk 2024-09-30T23:59:59+08:00'
check_same 'with the community deadline (2wd), not the category 24h' \
    "$(ev "$B" 3 action) $(ev "$B" 3 from_unit)>$(ev "$B" 3 to_unit) $(ev "$B" 3 due)" \
    'escalated xzz-dk-1>xzz-dk 2024-09-30T23:59:59+08:00'
check_same 'the event has the time of the run and the default note' \
    "$(ev "$B" 3 at) $(ev "$B" 3 note)" \
    '2024-09-27T23:00:00+08:00 逾期未办结，自动上提一级'
check_same 'A is not overdue yet and stays' "$(state "$A")" \
    'assigned xzz-hp-1 2024-09-27T23:59:59+08:00'
check_same 'the run is logged with its counts' "$(lastlog)" \
    '-t case-escalate -p user.info -- escalated or supervised: 1'
before=$(db_dump)
n=$(nevents)
cron 2024-09-27T23:00:00
check_same 'a second run at the same time: quiet, exit 0' "$(quiet)" '0|'
check_same 'changes nothing at all' "$(db_dump)" "$before"
check_same 'not even an event' "$(nevents)" "$n"

# 02:00 on Sat 28 Sep: A is overdue.  xzz-hp has no deadline of its own:
# the category's 3wd from Sat 28: Sun 29 (1), Mon 30 (2), Tue 8 Oct (3).
cron 2024-09-28T02:00:00
check_same 'A escalated: quiet, exit 0' "$(quiet)" '0|'
check_same 'A moves to its community, due 3wd later across National Day' \
    "$(state "$A")" 'assigned xzz-hp 2024-10-08T23:59:59+08:00'
check_same 'B, not overdue, stays' "$(state "$B" | cut -d' ' -f2)" xzz-dk
# 02:00 on Tue 1 Oct: B (due 30 Sep 23:59:59) goes to the street, which
# has no deadline: 24h, exactly.
cron 2024-10-01T02:00:00
check_same 'B from community to street, due 24h later' "$(state "$B")" \
    'assigned xzz 2024-10-02T02:00:00+08:00'
n=$(nevents)
cron 2024-10-02T02:00:00
check_same 'a deadline equal to the time of the run is not yet past' \
    "$rc $(nevents)" "0 $n"
cron 2024-10-03T02:00:00
check_same 'B from street to district' "$(state "$B")" \
    'assigned bgs 2024-10-04T02:00:00+08:00'
check_same "B's escalations so far" "$(actions "$B")" \
    'reported assigned escalated escalated escalated'
# At the top: supervised, once for this lapse (due 4 Oct 02:00).
cron 2024-10-05T02:00:00
check_same 'at the top: quiet, exit 0' "$(quiet)" '0|'
check_same 'B stays at the district' "$(state "$B")" \
    'assigned bgs 2024-10-04T02:00:00+08:00'
check_same 'and is supervised' "$(actions "$B" | awk '{ print $NF }')" \
    supervised
check_same 'the supervised event names the unit and the lapse' \
    "$(ev "$B" 6 from_unit) $(ev "$B" 6 due)" 'bgs 2024-10-04T02:00:00+08:00'
check_same 'logged' "$(lastlog)" \
    '-t case-escalate -p user.info -- escalated or supervised: 1'
at 2024-10-05T02:00:00 case-show "$B" >"$tmp/show"
check_grep 'case-show shows the supervision' \
    '^supervised  *2024-10-04T02:00:00+08:00$' "$tmp/show"
before=$(db_dump)
cron 2024-10-05T02:00:00
check_same 'again at once: exit 0, quiet' "$(quiet)" '0|'
check_same 'no second supervision for the same lapse' "$(db_dump)" "$before"
cron 2024-10-06T02:00:00
check_same 'nor the next night' "$(quiet) $(db_dump | cksum)" \
    "0| $(printf '%s\n' "$before" | cksum)"
check_same 'the overdue case is still counted in the log' "$(lastlog)" \
    '-t case-escalate -p user.info -- escalated or supervised: 0'
check_same 'case-assign --escalate itself exits 0 at the top' \
    "$(at 2024-10-06T03:00:00 case-assign --escalate "$B"; echo $?)" 0
# 9 Oct: A (due 8 Oct 23:59:59) to the street: 3wd from Wed 9 Oct: Thu 10
# (1), Fri 11 (2), Sat 12 Oct make-up (3).
cron 2024-10-09T02:00:00
check_same 'A to the street, due on the 12 Oct make-up Saturday' \
    "$(state "$A")" 'assigned xzz 2024-10-12T23:59:59+08:00'
check_same 'B, same lapse, untouched' "$(actions "$B" | wc -w)" 6
# An extension gives B a new deadline: 3wd from Fri 4 Oct 02:00 (5-6 Oct
# weekend, 7 Oct off): Tue 8 (1), Wed 9 (2), Thu 10 (3).
at 2024-10-09T10:00:00 case-assign -q --extend 3wd --note 节后协调 "$B"
check_same 'B extended' "$(state "$B")" \
    'assigned bgs 2024-10-10T23:59:59+08:00'
cron 2024-10-11T02:00:00
check_same 'a new lapse: B is supervised again' \
    "$(actions "$B" | awk '{ print $(NF - 1), $NF }')" 'extended supervised'
check_same 'for the new lapse' "$(ev "$B" 8 due)" 2024-10-10T23:59:59+08:00
# 13 Oct: A (due 12 Oct) to the district: 3wd from Sun 13 Oct: Mon 14 (1),
# Tue 15 (2), Wed 16 (3).
cron 2024-10-13T02:00:00
check_same 'A to the district' "$(state "$A")" \
    'assigned bgs 2024-10-16T23:59:59+08:00'
cron 2024-10-17T02:00:00
check_same 'A at the top: quiet, exit 0' "$(quiet)" '0|'
check_same "A's whole way up" "$(actions "$A")" \
    'reported assigned escalated escalated escalated supervised'
check_same 'its escalations, unit to unit' \
    "$(for i in 3 4 5; do printf '%s>%s ' "$(ev "$A" $i from_unit)" \
    "$(ev "$A" $i to_unit)"; done)" 'xzz-hp-1>xzz-hp xzz-hp>xzz xzz>bgs '
check_same 'and their fresh deadlines' \
    "$(for i in 3 4 5; do printf '%s ' "$(ev "$A" $i due)"; done)" \
    '2024-10-08T23:59:59+08:00 2024-10-12T23:59:59+08:00 2024-10-16T23:59:59+08:00 '
check_same "B's whole history" "$(actions "$B")" \
    'reported assigned escalated escalated escalated supervised extended supervised'
check_same 'supervised once per lapse: two lapses, two supervisions' \
    "$(sql "SELECT count(*) FROM events WHERE case_id = $B AND action = 'supervised'")" 2

# --- An unassigned case past its dispatch limit.
CASE_DB=$(new_db "$tmp/dispatch.db")
case-init --units "$data/lc-units.csv" \
    --categories "$data/lc-categories.csv" >/dev/null
# Hazard, no unit, at 00:30 on Sat 28 Sep: dispatch limit 02:30, due
# Sun 29 Sep 00:30.
C=$(at 2024-09-28T00:30:00 case-add --category hazard --title 无人派遣)
check_exit 'before its dispatch limit it is not overdue' 1 \
    at 2024-09-28T02:00:00 case-list --overdue
check_same 'but due within the hour, on the dispatch clock' \
    "$(at 2024-09-28T02:00:00 case-list --due-within 1h --format tsv | cut -f1)" \
    "$C"
check_same 'past it, --overdue lists it' \
    "$(at 2024-09-28T03:00:00 case-list --overdue --format tsv | cut -f1)" \
    "$C"
cron 2024-09-28T03:00:00
check_same 'the cron run: quiet, exit 0' "$(quiet)" '0|'
check_same 'the unassigned case is supervised' "$(actions "$C")" \
    'reported supervised'
check_same 'for the dispatch lapse, with no unit' \
    "$(ev "$C" 2 from_unit)|$(ev "$C" 2 due)" '|2024-09-28T02:30:00+08:00'
check_same 'it stays unassigned' "$(state "$C")" \
    'reported  2024-09-29T00:30:00+08:00'
before=$(db_dump)
cron 2024-09-28T03:00:00
check_same 'once: a second run changes nothing' "$(quiet) $(db_dump | cksum)" \
    "0| $(printf '%s\n' "$before" | cksum)"
cron 2024-09-28T23:00:00
check_same 'nor a run later the same lapse' "$(quiet) $(db_dump | cksum)" \
    "0| $(printf '%s\n' "$before" | cksum)"
cron 2024-09-29T02:00:00
check_same 'its deadline passing is a new lapse, supervised once more' \
    "$(actions "$C")|$(ev "$C" 3 due)" \
    'reported supervised supervised|2024-09-29T00:30:00+08:00'
# Assigned late, still overdue: the next run escalates it to xzz-dk,
# whose 2wd from Sun 29 Sep: Mon 30 (1), Tue 8 Oct (2).
at 2024-09-29T03:00:00 case-assign -q --to xzz-dk-1 "$C"
cron 2024-09-29T04:00:00
check_same 'assigned late and still overdue, it is escalated' \
    "$(state "$C")" 'assigned xzz-dk 2024-10-08T23:59:59+08:00'

# --- --due-within: what falls due in the next 24 hours, on either clock.
CASE_DB=$(new_db "$tmp/soon.db")
case-init --units "$data/lc-units.csv" \
    --categories "$data/lc-categories.csv" >/dev/null
# Now is Thu 2024-05-09 09:00.  Hazard: 24h; enterprise: 3wd, dispatch 2h.
h1=$(at 2024-05-08T20:00:00 case-add --category hazard --unit xzz-dk-1 --title 今晚到期)
h2=$(at 2024-05-08T08:00:00 case-add --category hazard --unit xzz-dk-1 --title 已逾期)
h5=$(at 2024-05-08T09:00:00 case-add --category hazard --unit xzz-dk-1 --title 此刻到期)
h6=$(at 2024-05-09T08:00:00 case-add --category hazard --unit xzz-dk-1 --title 明早到期)
d1=$(at 2024-05-09T08:00:00 case-add --category dispute --unit xzz-dk-1 --title 下周到期)
e1=$(at 2024-05-09T08:00:00 case-add --category enterprise --title 待派遣)
e2=$(at 2024-05-09T08:00:00 case-add --category enterprise --unit fgw --title 已派遣)
h3=$(at 2024-05-08T20:00:00 case-add --category hazard --unit xzz-dk-2 --title 挂账)
h4=$(at 2024-05-08T20:00:00 case-add --category hazard --unit xzz-dk-2 --title 已办结)
case-pause -q "$h3"
case-close -q --outcome resolved "$h4"
# Due within [now, now + 24h): h1 (20:00 today), h5 (09:00, now), h6
# (08:00 tomorrow), e1 (dispatch limit 10:00).  Not: h2 (overdue), d1
# (16 May), e2 (assigned; due Mon 13 May), h3 paused, h4 closed.
# A list of open work is by tier (all normal here), then deadline.
check_same '--due-within 24h' \
    "$(case-list --due-within 24h --format tsv | cut -f1 | paste -sd' ' -)" \
    "$h5 $h1 $h6 $e1"
check_same '--due-within 12h leaves out tomorrow morning' \
    "$(case-list --due-within 12h --format tsv | cut -f1 | paste -sd' ' -)" \
    "$h5 $h1 $e1"
check_same '--overdue: only the case past its deadline' \
    "$(case-list --overdue --format tsv | cut -f1 | paste -sd' ' -)" "$h2"
check_exit 'a bad --due-within is a usage error' 2 case-list --due-within 24
check_same '--due-within with case-export too' \
    "$(case-export --due-within 24h --format tsv | sed 1d | cut -f1 | paste -sd' ' -)" \
    "$h1 $h5 $h6 $e1"

# --- Two copies at once, as from a slow night or a doubled crontab
# line: the second finds the first holding the lock and, once its wait
# (-w) is over, fails, naming the holder.
# hold CMD...: starts CMD in the background and returns once it is inside
# its first log call, lock held (timeout(1) only guards against a hang).
hold() {
	rm -rf "$tmp/held"
	touch "$tmp/hold"
	"$@" >"$tmp/out1" 2>"$tmp/err1" &
	bg=$!
	timeout 30 sh -c 'read ready <"$1"' sh "$tmp/ready"
}
# release: lets it go on; $bgrc is its exit status.
release() {
	rm -f "$tmp/hold"
	timeout 30 sh -c 'echo go >"$1"' sh "$tmp/go"
	wait "$bg"
	bgrc=$?
}
# The holder by the name the kernel has for it: under make valgrind, the
# tool's (memcheck-amd64-, cut to 15 bytes) rather than the program's.
holder=case-escalate
[ -n "${CASE_QUICK:-}" ] && holder='\(case-escalate\|memcheck-[a-z0-9-]*\)'
# At 10:00 on Thu 9 May h2 (due 08:00) and h5 (due 09:00) are overdue.
hold at 2024-05-09T10:00:00 "$escalate"
before=$(db_dump)
# At 11:00 e1, unassigned, is past its 10:00 dispatch limit too.
at 2024-05-09T11:00:00 "$escalate" -w 0 >"$tmp/out" 2>"$tmp/err"
rc=$?
check_same 'a second copy while the first runs: exit 2, not a quiet success' \
    "$rc" 2
skip_on_pg 1 'the lock file is named after the database file' ||
    check_grep 'naming the lock and its holder' \
    "^case-escalate: $CASE_DB.escalate.lock: locked by process [0-9]* ($holder); gave up after 0 s$" \
    "$tmp/err"
check_same 'it does nothing' "$(db_dump)" "$before"
check_grep 'and logs the failure' \
    '^-t case-escalate -p user.err -- .*escalate.lock: locked' \
    "$tmp/log"
release
check_same 'the first copy finishes: exit 0, quiet' \
    "$bgrc|$(cat "$tmp/out1" "$tmp/err1")" '0|'
check_same 'and logs its work after the skip' "$(lastlog)" \
    '-t case-escalate -p user.info -- escalated or supervised: 2'
# h2 and h5 went to xzz-dk, due 2wd later: Fri 10 (1), Sat 11 May a
# make-up working day (2).  e1 was left for the next run.
check_same 'the first copy escalated h2 and h5; e1 was not touched' \
    "$(state "$h2")|$(state "$h5")|$(actions "$e1")" \
    'assigned xzz-dk 2024-05-11T23:59:59+08:00|assigned xzz-dk 2024-05-11T23:59:59+08:00|reported'
cron 2024-05-09T11:00:00
check_same 'the next run does what the failed one did not' \
    "$(quiet) $(actions "$e1")" '0| reported supervised'

mkdir "$tmp/rep1" "$tmp/rep2"
hold at 2024-05-10T06:00:00 env CASE_REPORT_DIR="$tmp/rep1" "$report"
at 2024-05-10T06:00:00 env CASE_REPORT_DIR="$tmp/rep2" "$report" -w 0 \
    >"$tmp/out" 2>"$tmp/err"
check_same 'case-report: a second copy fails' "$?" 2
skip_on_pg 1 'the lock file is named after the database file' ||
    check_grep 'naming its lock' "^case-report: $CASE_DB.report.lock: locked by process" \
    "$tmp/err"
check_same 'writes no report' "$(ls "$tmp/rep2")" ''
check_grep 'and logs the failure' \
    '^-t case-report -p user.err -- .*report.lock: locked' \
    "$tmp/log"
release
check_same 'the first copy finishes: exit 0, quiet, its report written' \
    "$bgrc|$(cat "$tmp/out1" "$tmp/err1")|$(ls "$tmp/rep1" | grep -c '^report-2024-05-09.txt$')" \
    '0||1'

# --- Failure is not quiet: a missing database.
saved=$CASE_DB
CASE_DB=$tmp/missing.db
cron 2024-05-09T10:00:00
CASE_DB=$saved
check_same 'a failing run exits 2' "$rc" 2
check_grep 'and says why on stderr' 'missing.db' "$tmp/err"
check_grep 'and logs an error' '^-t case-escalate -p user.err -- case-\(list\|assign\) failed: .*missing.db' \
    "$tmp/log"

# --- case-report: yesterday's figures, quiet, logged.
# Reported on 9 May: h6, d1, e1, e2 (4 cases); on 8 May: h1, h2, h5, h3,
# h4.  At 06:00 on 10 May the overdue are h1 (due 9 May 20:00), e1
# (dispatch limit 9 May 10:00), and none of the escalated ones.
at 2024-05-10T06:00:00 env CASE_REPORT_DIR="$tmp" "$report" \
    >"$tmp/out" 2>"$tmp/err"
check_same 'case-report: exit 0, quiet' "$?|$(cat "$tmp/out" "$tmp/err")" '0|'
check 'writes report-2024-05-09.txt, for yesterday' \
    test -s "$tmp/report-2024-05-09.txt"
rep=$tmp/report-2024-05-09.txt
check_same 'its title names the day' "$(sed -n 1p "$rep")" '案件日报 2024-05-09'
# section TITLE: a section of the report, without its title line and
# the blank line that ends it.
section() {
	awk -v t="== $1" 'index($0, t) == 1 { on = 1; next }
	    on && /^$/ { exit } on' "$rep"
}
stats() {
	at 2024-05-10T06:00:00 case-stats "$@" --format table
}
check_same "yesterday's cases by street are case-stats' figures" \
    "$(section 昨日受理与办结)" \
    "$(stats --since yesterday --until yesterday --by unit:street)"
check_same "yesterday's cases by category likewise" \
    "$(section 昨日（按类别）)" \
    "$(stats --since yesterday --until yesterday --by category)"
check_same 'and so are all the open cases by street' \
    "$(section 全部在办案件)" "$(stats --status open --by unit:street)"
# They are the figures of 9 May: 4 cases received, by category.
check_same 'yesterday is 9 May: 4 cases received, by category' \
    "$(at 2024-05-10T06:00:00 case-stats --since yesterday --until yesterday \
    --by category --format tsv | awk -F'\t' 'NR == 1 {
	for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ print $1, $c["received"] }' | paste -sd' ' -)" \
    'dispute 1 enterprise 2 hazard 1 total 4'
check_same 'the overdue cases at the end' \
    "$(sed -n '/^== 逾期案件/,$p' "$rep" | sed 1d | awk '{ print $1 }' | paste -sd' ' -)" \
    "$h1 $e1"
check_same 'logged' "$(lastlog | cut -d' ' -f1-7)" \
    "-t case-report -p user.info -- wrote $rep"
check_same 'no temporary file is left behind' \
    "$(ls "$tmp" | grep -c 'report-.*tmp')" 0
# A replay for a day on which nothing happened (Sun 19 May: nothing
# reported, due or closed) is still named after the day before CASE_NOW,
# not after the host's yesterday.
at 2024-05-20T06:00:00 env CASE_REPORT_DIR="$tmp" "$report" \
    >"$tmp/out" 2>"$tmp/err"
check_same 'a quiet day: exit 0' "$?|$(cat "$tmp/out" "$tmp/err")" '0|'
check_same 'its report is report-2024-05-19.txt' \
    "$(ls "$tmp" | grep '^report-.*\.txt$' | grep -v 2024-05-09)" \
    report-2024-05-19.txt
done_testing
