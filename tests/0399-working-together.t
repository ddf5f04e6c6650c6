#!/bin/sh
# Issue 14's day, end to end through the programs as a district uses
# them: a joint enterprise case led by the department on duty (the
# roster) with the police station assisting, a dispute conferenced by
# four units with two follow-up actions, a hazard signed for late,
# another in time, and a notice run that mails two units through a
# sendmail stand-in.  The figures are checked against counts made here,
# by Python, from the exported history, not by casekit.
. "$(dirname "$0")/lib.sh"
plan 20

cd "$tmp" || exit 2
# The demo's units; the department and the judicial office get mail.
awk -F, -v OFS=, 'NR == 1 { print $0, "email"; next }
    $1 == "fgw" || $1 == "xzz-sfs" { print $0, $1 "@example.org"; next }
    { print $0, "" }' "$top/data/demo-units.csv" >units.csv
case-init --units units.csv >/dev/null
mkdir mail
cat >sendmail <<'EOF'
#!/bin/sh
# sendmail -t: each message to mail/N.eml.
d=$(dirname "$0")
cat >"$d/mail/$(($(ls "$d/mail" | wc -l) + 1)).eml"
EOF
chmod +x sendmail
export CASE_SENDMAIL="$tmp/sendmail -t -oi"

check 'the roster: the development commission on duty on 9 May' \
    case-roster --set 2024-05-09 fgw

# 08:30 an enterprise request, handed on receipt to whoever is on duty,
# with the police station assisting; signed for at once, the police's
# part done by 11:00, handled by the lead the same afternoon.
at 2024-05-09T08:30 case-add -q --category enterprise --source wechat \
    --title 企业反映被辞退承包商威胁
check 'case-assign --to on-duty --assist' \
    at 2024-05-09T08:40 case-assign -q --to on-duty --assist xzz-pcs 1
check_same 'led by the unit on duty, the police assisting' \
    "$(sql "SELECT unit FROM cases WHERE id = 1") $(sql 'SELECT unit FROM assists
    WHERE case_id = 1')" 'fgw xzz-pcs'
at 2024-05-09T08:50 case-ack -q 1
at 2024-05-09T11:00 case-handle -q --unit xzz-pcs 1
at 2024-05-09T15:00 case-handle -q 1
check_same 'the police see it in their list as assisting' \
    "$(CASE_NOW=2024-05-09T16:00:00+08:00 case-list --unit xzz-pcs \
    --status all --format tsv | cut -f1,8)" '1	assist'

# Two hazards: one signed for a day and an hour after it was given,
# the other within the hour.
at 2024-05-09T09:00 case-add -q --category hazard --title 楼道堆放液化气罐 \
    --unit xzz-dk-jws
at 2024-05-09T09:30 case-add -q --category hazard --title 围墙开裂 \
    --unit tbz-cy
at 2024-05-09T10:00 case-ack -q 3
check_same 'as of 09:30 on the 10th the first is unsigned, the second not' \
    "$(case-list --unsigned --as-of 2024-05-10T09:30 --format tsv |
    cut -f1,2)" '2	xzz-dk-jws'
at 2024-05-10T10:00 case-ack -q 2

# 10:00 a dispute, given to the judicial office, which signs for it;
# at 11:00 four units confer on it and set two follow-up actions.
at 2024-05-09T10:00 case-add -q --category dispute --source mediation \
    --title 邻里漏水纠纷 --unit xzz-sfs
at 2024-05-09T10:30 case-ack -q 4
check 'case-meet: four units, two actions' at 2024-05-09T11:00 \
    case-meet --units xzz-pcs,xzz-sfs,fy,xfb --decision 司法所牵头调解 \
    --action 'xzz-sfs:组织双方调解:2024-05-11T18:00' \
    --action 'fy:诉前调解确认:2024-05-12T18:00' 4
first=$(sql "SELECT min(id) FROM events WHERE action = 'tasked'")
at 2024-05-11T12:00 case-meet -q --done "$first"

# The notice run at noon: the two units with an address, each its case.
check 'case-notify' at 2024-05-09T12:00 case-notify
check_same 'two mails' "$(ls mail | wc -l)" 2
check_same 'to the development commission and the judicial office' \
    "$(grep -h '^To: ' mail/*.eml | sort | paste -sd' ' -)" \
    'To: fgw@example.org To: xzz-sfs@example.org'
check_grep 'the commission'"'"'s lists its case' '^#1 ' \
    "$(grep -l '^To: fgw@' mail/*.eml)"
check_grep 'the judicial office'"'"'s its own' '^#4 ' \
    "$(grep -l '^To: xzz-sfs@' mail/*.eml)"

# The figures of 9-13 May, as of the 13th, against Python's count of
# the exported history: each assignment due to be signed for within 24
# hours (the default limit) and signed in time or not; the enterprise
# requests handled the day they came; the actions and how they went.
export CASE_NOW=2024-05-13T09:00:00+08:00
case-export --events --format tsv >events.tsv
case-export --status all --format tsv >cases.tsv
python3 - events.tsv cases.tsv >counts <<'EOF'
import csv, sys
from datetime import datetime, timedelta
ev = list(csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))
t = lambda s: datetime.fromisoformat(s)
now = t("2024-05-13T09:00:00+08:00")
due = ontime = 0
for e in ev:
    if e["action"] not in ("assigned", "escalated"):
        continue
    limit = t(e["at"]) + timedelta(hours=24)
    if limit > now:
        continue
    due += 1
    signed = [s for s in ev if s["case"] == e["case"] and
        s["action"] == "signed" and t(e["at"]) <= t(s["at"]) <= limit]
    ontime += bool(signed)
print("ack %d/%d" % (ontime, due))
reported = {e["case"]: t(e["at"]) for e in ev if e["action"] == "reported"}
cases = csv.DictReader(open(sys.argv[2], encoding="utf-8"), delimiter="\t")
ent = [c["id"] for c in cases if c["category"] == "enterprise"]
handled = [c for c in ent if any(e["case"] == c and e["action"] == "handled"
    and t(e["at"]).date() == reported[c].date() for e in ev)]
print("same_day %d/%d" % (len(handled), len(ent)))
tasks = [e for e in ev if e["action"] == "tasked"]
done = {e["new"]: t(e["at"]) for e in ev if e["action"] == "task-done"}
print("actions %d" % len(tasks))
print("on_time %d" % sum(1 for k in tasks if k["event"] in done and
    done[k["event"]] <= t(k["due"])))
print("overdue %d" % sum(1 for k in tasks if t(k["due"]) < now and
    k["event"] not in done))
print("conferenced %d" % len({e["case"] for e in ev if e["action"] ==
    "conferred"}))
EOF
stat() {
	case-stats --since 2024-05-09 --until 2024-05-13 --format tsv \
	    --figures "$1" | sed -n 2p
}
check_same 'the count of the history: 3 of 4 signed in time' \
    "$(sed -n 1p counts)" 'ack 3/4'
check_same 'ack_on_time_rate equals it' "$(stat ack_on_time_rate)" \
    "$(sed -n 1p counts | cut -d' ' -f2) 75.0%"
check_same 'same_day_rate: the enterprise request handled the day it came' \
    "$(stat same_day_rate)" "$(sed -n 2p counts | cut -d' ' -f2) 100.0%"
check_same 'conferenced' "$(stat conferenced)" \
    "$(sed -n 6p counts | cut -d' ' -f2)"
check_same 'actions due' "$(stat actions_due)" \
    "$(sed -n 3p counts | cut -d' ' -f2)"
check_same 'actions done on time, of those due' \
    "$(stat action_on_time_rate)" \
    "$(sed -n 4p counts | cut -d' ' -f2)/$(sed -n 3p counts | cut -d' ' -f2) 50.0%"
check_same 'actions overdue' "$(stat actions_overdue)" \
    "$(sed -n 5p counts | cut -d' ' -f2)"
check_same 'the joint case counted once, under its lead, and by assist' \
    "$(case-stats --since 2024-05-09 --until 2024-05-13 --format tsv \
    --by assist --figures received | grep '^xzz-pcs' | cut -f1,3)" \
    'xzz-pcs	1'
check_same 'and the overdue action listed' \
    "$(case-list --actions-overdue | cut -f2,3)" '4	fy'
done_testing
