#!/bin/sh
# Notices (issue 14, item 3): case-notify tells each unit with an e-mail
# address or a telephone number what is new for it since the notices
# recorded: cases dispatched or escalated to it, those past their
# sign-for limit, and with --due-within those falling due.  Through stand-ins for sendmail and the SMS command
# that keep each message in a file: the right cases to the right units,
# a Chinese subject as RFC 2047 encoded words, nothing sent twice, a
# failed send tried again, -n recording nothing, no header from a title
# or a unit's name, the figures as they were.
. "$(dirname "$0")/lib.sh"
plan 62

cd "$tmp" || exit 2
mkdir mail sms
cat >sendmail <<'EOF'
#!/bin/sh
# A sendmail -t stand-in: each message to mail/N.eml, its arguments to
# mail.args; exit 75 (EX_TEMPFAIL) while the file "fail" is there.
d=$(dirname "$0")
[ -e "$d/fail" ] && { echo 'queue full' >&2; exit 75; }
n=$(ls "$d/mail" | wc -l)
cat >"$d/mail/$((n + 1)).eml"
printf '%s\n' "$*" >>"$d/mail.args"
EOF
cat >sms-cmd <<'EOF'
#!/bin/sh
# A text-message command: the number its argument, the text on stdin.
d=$(dirname "$0")
n=$(ls "$d/sms" | wc -l)
{ printf 'to %s\n' "$1"; cat; } >"$d/sms/$((n + 1)).txt"
EOF
chmod +x sendmail sms-cmd
CASE_SENDMAIL="$tmp/sendmail -t -oi"
CASE_SMS_CMD=$tmp/sms-cmd
export CASE_SENDMAIL CASE_SMS_CMD

# The demo units, three with addresses, one a name with a line break.
{
	echo 'code,name,parent,level,email,phone'
	sed 1d "$top/data/demo-units.csv" | sed \
	    -e 's/^fgw,\(.*\)$/fgw,\1,fgw@example.org,+86-138-0000-0001/' \
	    -e 's/^rsj,[^,]*,\(.*\)$/rsj,"Labour\r\nBcc: evil@example.net",\1,rsj@example.org,/' \
	    -e 's/^bgs,\(.*\)$/bgs,\1,,13800000002/' \
	    -e 's/^zjj,[^,]*,\(.*\)$/zjj,"区住建局\nBcc: evil@example.net",\1,zjj@example.org,/'
} >units.csv
check 'case-init loads units with email and phone columns' \
    case-init --units units.csv
check_same 'kept in the units' "$(sql "SELECT code, email, phone FROM units
    WHERE email IS NOT NULL OR phone IS NOT NULL ORDER BY code")" \
'bgs||13800000002
fgw|fgw@example.org|+86-138-0000-0001
rsj|rsj@example.org|
zjj|zjj@example.org|'
printf 'code,name,parent,level,email\nfgw,x,,district,"a@b.org\nBcc: c@d"\n' \
    >bad.csv
check_exit 'an e-mail address with a line break is refused' 1 \
    case-init --units bad.csv
check_grep 'as not an address' 'email: not an e-mail address' err
printf 'code,name,parent,level,phone\nfgw,x,,district,$(reboot)\n' >bad.csv
check_exit 'a telephone number of other than digits is refused' 1 \
    case-init --units bad.csv

check_exit 'a From with a line break is refused' 2 \
    case-notify --from "$(printf 'a@b.org\nBcc: evil@example.net')"
check_exit 'so is a span that is not one' 2 case-notify --due-within soon

case-add --category hazard --title 楼道堆物 >/dev/null
case-add --category dispute --title 邻里纠纷 >/dev/null
case-add --category hazard --title "$(printf 'evil\r\nBcc: evil@example.net\r\n\r\nbody')" >/dev/null
case-add --category hazard --title 无人可告 >/dev/null
case-add --category hazard --title 井盖缺失 >/dev/null
case-assign --to fgw 1 >/dev/null
case-assign --to rsj 2 >/dev/null
case-assign --to zjj 3 >/dev/null
case-assign --to fy 4 >/dev/null
figures=$(case-stats)

check 'case-notify -n' case-notify -n --due-within 2d
check_grep 'prints the messages' '^To: fgw@example.org$' out
check_grep 'and the text messages' '^-- sms: .*/sms-cmd +86-138-0000-0001$' out
check_grep 'says a unit with neither address has items not sent' \
    'fy: no e-mail address or telephone number; 2 items not sent' err
check_same 'and records nothing' \
    "$(ls mail sms; sql 'SELECT count(*) FROM notices')" 'mail:

sms:
0'

# In Chinese where the system has the locale (scripts/setup-debian).
if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8'; then
	new=案件通知 sep=： lang=zh_CN.UTF-8 head=派给或升级到本单位的案件：
else
	new='new in casekit' sep=': ' lang=C.UTF-8 \
	    head='Cases dispatched or escalated to you:'
fi
subj() {	# subj NAME COUNT: the subject in that language
	case $new in
	案件通知) echo "$1$sep$new $2 条" ;;
	*) echo "$1$sep$2 $new" ;;
	esac
}
check 'case-notify sends' env -u LC_ALL LANG=$lang case-notify
check_same 'a mail each to the three units with an address' \
    "$(grep -h '^To:' mail/*.eml | sort)" 'To: fgw@example.org
To: rsj@example.org
To: zjj@example.org'
check_same 'through the command as given' "$(sort -u mail.args)" '-t -oi'
mailto() {
	grep -l "^To: $1" mail/*.eml | tail -n 1
}
check_same 'fgw is told of case 1 alone' \
    "$(grep '^#' "$(mailto fgw)")" '#1 楼道堆物'
check_same 'rsj of case 2 alone' "$(grep '^#' "$(mailto rsj)")" '#2 邻里纠纷'
check_same 'a text message to fgw'"'"'s number, of case 1' \
    "$(cat sms/1.txt)" "to +86-138-0000-0001
$(subj 区发改委 1)
$head
#1 楼道堆物"
check_same 'and no other' "$(ls sms)" '1.txt'
check_same 'the figures are those before the notices' "$(case-stats)" \
    "$figures"

# The mail as a mail reader sees it.
cat >parse.py <<'EOF'
import email, email.header, email.policy, re, sys
raw = open(sys.argv[1], 'rb').read()
head = raw.split(b'\n\n', 1)[0].decode('ascii')
m = email.message_from_bytes(raw, policy=email.policy.default)
words = re.findall(r'=\?[^?]*\?[BQbq]\?[^?]*\?=', head)
print('subject', str(m['Subject']))
print('headers', ' '.join(sorted(set(k.lower() for k in m.keys()))))
print('words', len(words), 'longest', max([len(w) for w in words] or [0]))
print('each word whole characters',
    all(email.header.decode_header(w)[0][0].decode('utf-8') for w in words))
print('type', m.get_content_type(), m.get_content_charset())
print('body', m.get_content().splitlines()[0])
EOF
python3 parse.py "$(mailto fgw)" >parsed 2>&1
check_grep 'the subject decodes to the Chinese one' \
    "^subject $(subj 区发改委 1)\$" parsed
check_grep 'UTF-8 plain text' '^type text/plain utf-8$' parsed
check_grep 'with Date and Message-ID' \
    '^headers auto-submitted content-transfer-encoding content-type date from message-id mime-version subject to$' \
    parsed
check_grep 'the body in UTF-8' "^body $(subj 区发改委 1)\$" parsed

# Neither a title nor a unit's name with CR LF makes a header.
python3 parse.py "$(mailto zjj)" >parsed 2>&1
check_grep 'a title and a name with CR LF: no header of their own' \
    '^headers auto-submitted content-transfer-encoding content-type date from message-id mime-version subject to$' \
    parsed
check_grep 'the name in the subject on one line' \
    "^subject $(subj '区住建局 Bcc: evil@example.net' 1)\$" parsed
check_same 'the title a line of the body' "$(grep '^#' "$(mailto zjj)")" \
    '#3 evil  Bcc: evil@example.net    body'
check_grep 'in encoded words of at most 75 characters' \
    '^words [2-9] longest \([0-6][0-9]\|7[0-5]\)$' parsed
check_grep 'each of whole characters' '^each word whole characters True$' \
    parsed

check_same 'one notice recorded a case a channel, each sent' \
    "$(sql "SELECT unit, channel, address, case_id, reason, result
    FROM notices ORDER BY id")" \
'fgw|email|fgw@example.org|1|assigned|sent
fgw|sms|+86-138-0000-0001|1|assigned|sent
rsj|email|rsj@example.org|2|assigned|sent
zjj|email|zjj@example.org|3|assigned|sent'

check 'a second run' case-notify
check_same 'sends nothing' "$(ls mail | wc -l) $(ls sms | wc -l)" '3 1'
check_same 'and records nothing' "$(sql 'SELECT count(*) FROM notices')" 4

# What is new since: a case assigned to fgw, and with --due-within the
# cases falling due.
case-assign --to fgw 5 >/dev/null
check 'a third run, with --due-within 2d' case-notify --due-within 2d
check_same 'fgw is told of case 5, and of case 1 falling due' \
    "$(grep -v '^ \|^$' "$(mailto fgw)" | sed -n '/^Cases/,/^-- $/p')" \
'Cases dispatched or escalated to you:
#5 井盖缺失
Cases due within 2d:
#1 楼道堆物
#5 井盖缺失
-- '
check_same 'rsj of nothing' \
    "$(grep -l '^To: rsj' mail/*.eml | wc -l)" 1

# A failed send is recorded as failed and tried again next run.
case-assign --to rsj 4 >/dev/null
: >fail
check_exit 'a failed send: exit 1' 1 case-notify
check_grep 'saying so' 'rsj: email to rsj@example.org: exit 75, to be tried again: queue full' err
check_same 'recorded as failed' "$(sql "SELECT unit, case_id, result FROM
    notices WHERE result <> 'sent'")" 'rsj|4|failed: exit 75'
n=$(ls mail | wc -l)
rm fail
check 'the next run' case-notify
check_same 'sends it again' "$(grep -h '^#' "$(mailto rsj)")" '#4 无人可告'
check_same 'once' "$(($(ls mail | wc -l) - n))" 1
python3 parse.py "$(mailto rsj)" >parsed 2>&1
check_grep 'a name with CR LF in an ASCII subject makes no header either' \
    '^headers auto-submitted content-transfer-encoding content-type date from message-id mime-version subject to$' \
    parsed
check_grep 'and stays on its line' \
    '^subject Labour  Bcc: evil@example.net: 1 new in casekit$' parsed
check 'and the run after' case-notify
check_same 'sends nothing' "$(($(ls mail | wc -l) - n))" 1

# A dry run once there is history: nothing recorded, nothing sent.
case-assign --to fgw 2 >/dev/null
before=$(db_dump | cksum)
check 'case-notify -n after sends' case-notify -n
check_same 'prints what is new alone' "$(grep '^#' out)" '#2 邻里纠纷
#2 邻里纠纷'
check_same 'and changes nothing' "$(db_dump | cksum) $(($(ls mail | wc -l) - n))" \
    "$before 1"

# The escalation of overdue cases: to bgs, by text message.
export CASE_NOW=2024-05-20T09:00:00+08:00
case-escalate >/dev/null
check 'after an escalation' case-notify
check_same 'bgs is told by text of the cases escalated to it' \
    "$(cat "$(grep -l '^to 13800000002' sms/*.txt)")" 'to 13800000002
八公山区: 5 new in casekit
Cases dispatched or escalated to you:
#1 楼道堆物
#2 邻里纠纷
#3 evil  Bcc: evil@example.net   …
#4 无人可告
#5 井盖缺失'
check_same 'recorded as escalations' "$(sql "SELECT count(*) FROM notices
    WHERE unit = 'bgs' AND reason = 'escalated' AND result = 'sent'")" 5

# Signing for: bgs signs for case 1 by its limit (24 hours from the
# escalation) and not for the others; the next morning it is told of
# those four, once.
CASE_NOW=2024-05-21T08:00:00+08:00 case-ack 1 >/dev/null
export CASE_NOW=2024-05-21T10:00:00+08:00
n=$(ls sms | wc -l)
check 'past the sign-for limit' case-notify
check_same 'bgs is told of the cases it has not signed for' \
    "$(sed -n '3,$p' "$(ls -t sms/*.txt | sed 1q)" | cut -c1-2 | tr -d '\n')" \
    "Ca#2#3#4#5"
check_same 'under its heading' \
    "$(sed -n 3p "$(ls -t sms/*.txt | sed 1q)")" \
    'Cases past their sign-for limit:'
check_same 'recorded as unsigned, each with the limit missed' \
    "$(sql "SELECT case_id || ' ' || about FROM notices
    WHERE reason = 'unsigned' ORDER BY case_id" | paste -sd' ' -)" \
    "2 $(date -d 2024-05-21T09:00:00+08:00 +%s) 3 $(date -d 2024-05-21T09:00:00+08:00 +%s) 4 $(date -d 2024-05-21T09:00:00+08:00 +%s) 5 $(date -d 2024-05-21T09:00:00+08:00 +%s)"
check 'and the run after' case-notify
check_same 'tells nothing again' "$(($(ls sms | wc -l) - n))" 1

# Notices are history: nobody rewrites one.
check_same 'notices are append-only' \
    "$(sql "UPDATE notices SET result = 'sent'" 2>&1 >/dev/null |
    grep -c 'notices are append-only')
$(sql 'DELETE FROM notices' 2>&1 >/dev/null | grep -c 'append-only')" '1
1'
# case-copy carries the addresses and the notices (from a server to a
# file), and what is new is then the same there.
if on_pg; then
	check 'case-copy' case-copy "$tmp/copy.db"
	q="SELECT code, email, phone FROM units WHERE email IS NOT NULL
	    OR phone IS NOT NULL ORDER BY code; SELECT id, at, actor, osuser,
	    unit, channel, address, case_id, reason, about, result
	    FROM notices ORDER BY id"
	check_same 'with the same addresses and notices' \
	    "$(sqlite3 "$tmp/copy.db" "$q" | md5sum)" "$(sql "$q" | md5sum)"
	check_same 'and the same news' \
	    "$(case-notify -d "$tmp/copy.db" -n | grep -v '^Date\|^Message-ID')" \
	    "$(case-notify -n | grep -v '^Date\|^Message-ID')"
else
	skip 'case-copy goes to the other engine: make check-pg runs it'
	skip 'case-copy goes to the other engine: make check-pg runs it'
	skip 'case-copy goes to the other engine: make check-pg runs it'
fi
done_testing
