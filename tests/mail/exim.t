#!/bin/sh
# case-notify through a real MTA: Debian's exim4 (exim4-daemon-light)
# as the sendmail(8) it runs, on a private configuration, spool and log
# in a temporary directory (exim -C), delivering at once (-odi, no
# daemon, no queue runner) to an mbox file there, which a mail reader
# (python3's mailbox) reads back.  The host's own mail configuration is
# neither read nor changed; every exim run is bounded by timeout(1).
# make check-mail, as root on a fresh Debian 12 (scripts/setup-debian).
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
export CASEKIT_LOCALEDIR="$top/build/locale"

exim=$(command -v exim4 || echo /usr/sbin/exim4)
if [ ! -x "$exim" ]; then
	echo "1..0 # SKIP needs exim4 (Debian: exim4-daemon-light)"
	exit 0
fi
plan 9

# exim leaves root for its own user with a configuration of -C; that
# user delivers, so the directories are open to it (under $tmp only).
if [ "$(id -u)" -eq 0 ]; then
	user=$("$exim" -bP exim_user | sed 's/^exim_user = //')
else
	user=$(id -un)
fi
mkdir "$tmp/spool" "$tmp/log" "$tmp/box"
chmod 777 "$tmp/spool" "$tmp/log" "$tmp/box"
chmod 755 "$tmp"
cat >"$tmp/exim.conf" <<CONF
primary_hostname = casekit.test
qualify_domain = casekit.test
spool_directory = $tmp/spool
log_file_path = $tmp/log/%slog
never_users =
domainlist local_domains = example.org : casekit.test
begin routers
local:
  driver = accept
  domains = +local_domains
  transport = mbox
begin transports
mbox:
  driver = appendfile
  file = $tmp/box/mbox
  user = $user
  mode = 0666
  envelope_to_add
  return_path_add
begin retry
* * F,1m,1m
CONF
CASE_SENDMAIL="timeout 60 $exim -C $tmp/exim.conf -odi -t -oi"
export CASE_SENDMAIL
unset CASE_SMS_CMD

{
	echo 'code,name,parent,level,email,phone'
	sed 1d "$top/data/demo-units.csv" | sed \
	    -e 's/^fgw,\(.*\)$/fgw,\1,fgw@example.org,/' \
	    -e 's/^rsj,\(.*\)$/rsj,\1,rsj@example.org,/'
} >"$tmp/units.csv"
case-init --units "$tmp/units.csv" >/dev/null
case-add --category hazard --title 楼道堆物 >/dev/null
case-add --category dispute --title "$(printf '邻里纠纷\r\nBcc: evil@example.org')" >/dev/null
case-assign --to fgw 1 >/dev/null
case-assign --to rsj 2 >/dev/null

if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8'; then
	lang=zh_CN.UTF-8 want='区发改委：案件通知 1 条|区人社局：案件通知 1 条'
else
	lang=C.UTF-8 want='区发改委: 1 new in casekit|区人社局: 1 new in casekit'
fi
check 'case-notify through exim' timeout 120 env -u LC_ALL LANG=$lang \
    case-notify --from 'casekit <cases@casekit.test>'
check_grep 'exim took both and delivered them' 'Completed' "$tmp/log/mainlog"
check_same 'and nothing is left in its queue' \
    "$(ls "$tmp/spool/input" 2>/dev/null | wc -l)" 0

cat >"$tmp/read.py" <<'EOF'
import mailbox, sys
for m in mailbox.mbox(sys.argv[1], create=False):
    print('to', m['Envelope-to'], m['To'])
    print('subject', str(m['Subject']) if not m['Subject'].startswith('=?')
        else str(__import__('email.header').header.make_header(
            __import__('email.header').header.decode_header(m['Subject']))))
    print('bcc', m['Bcc'])
    body = m.get_payload(decode=True).decode(m.get_content_charset())
    print('cases', ' '.join(l for l in body.splitlines() if l.startswith('#')))
EOF
python3 "$tmp/read.py" "$tmp/box/mbox" >"$tmp/read" 2>&1
check_same 'two mails in the mailbox, one to each unit' \
    "$(grep '^to' "$tmp/read" | sort)" 'to fgw@example.org fgw@example.org
to rsj@example.org rsj@example.org'
check_same 'their subjects Chinese once decoded' \
    "$(grep '^subject' "$tmp/read" | sed 's/^subject //' | sort | paste -sd'|' -)" \
    "$(echo "$want" | tr '|' '\n' | sort | paste -sd'|' -)"
check_same 'each with its case' "$(grep '^cases' "$tmp/read" | sort)" \
    'cases #1 楼道堆物
cases #2 邻里纠纷  Bcc: evil@example.org'
check_same 'the title made no Bcc header, and nobody else got it' \
    "$(grep '^bcc' "$tmp/read" | sort -u) $(grep -c 'evil@example.org' "$tmp/log/mainlog")" \
    'bcc None 0'
check_same 'recorded as sent' "$(sql "SELECT unit, result FROM notices
    ORDER BY unit")" 'fgw|sent
rsj|sent'
check 'a second run sends nothing' timeout 120 case-notify
done_testing
