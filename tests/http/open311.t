#!/bin/sh
# case-open311 behind a real web server: Debian's lighttpd with mod_cgi
# on a loopback port, in a temporary directory, configured as
# case-open311(1) says, driven over HTTP with curl and a client written
# from the specification alone (georeport-client.py), which know nothing
# of casekit.  Then a bounded load: 200 reports POSTed by 8 curl processes
# at once; every acknowledged service_request_id is a case, once, and no
# case was made that was not acknowledged.  make check-http (lighttpd,
# curl, python3).
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
export CASEKIT_LOCALEDIR="$top/build/locale"

lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
if [ ! -x "$lighttpd" ] || ! command -v curl >/dev/null 2>&1; then
	echo "1..0 # SKIP needs lighttpd and curl (Debian: lighttpd curl)"
	exit 0
fi
plan 19

init_demo
key=$(case-key add fixmystreet)

# A free loopback port: the kernel's choice, let go just before lighttpd
# takes it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir "$tmp/www"
# Root may run lighttpd only as another user; that user must write the
# database and its directory, as the web server's user does through the
# casekit group (case-open311(1)).
user=
if [ "$(id -u)" -eq 0 ]; then
	user='server.username = "nobody"
server.groupname = "nogroup"'
	chown -R nobody:nogroup "$tmp"
fi
cat >"$tmp/lighttpd.conf" <<CONF
server.document-root = "$tmp/www"
server.bind = "127.0.0.1"
server.port = $port
server.pid-file = "$tmp/lighttpd.pid"
server.errorlog = "$tmp/error.log"
$user
server.modules += ( "mod_alias", "mod_cgi", "mod_setenv" )
alias.url += ( "/open311/v2" => "$top/bin/case-open311" )
\$HTTP["url"] =~ "^/open311/v2/" {
	cgi.assign = ( "" => "" )
	setenv.add-environment = ( "CASE_DB" => "$CASE_DB", "TZ" => "CST-8",
	    "CASE_NOW" => "$CASE_NOW" )
}
CONF
# lighttpd returns once it has bound the port and gone to the background.
"$lighttpd" -f "$tmp/lighttpd.conf" || { echo "Bail out! lighttpd did not start"; cat "$tmp/error.log"; exit 1; }
stop() {
	[ ! -f "$tmp/lighttpd.pid" ] || kill "$(cat "$tmp/lighttpd.pid")"
	lib_cleanup
}
trap stop EXIT INT TERM
url=http://127.0.0.1:$port/open311/v2

# get PATH: body to $tmp/body, "STATUS TYPE" printed.
get() {
	curl -s -o "$tmp/body" -w '%{http_code} %{content_type}' "$url$1"
}
post() {
	p=$1; shift
	curl -s -o "$tmp/body" -w '%{http_code}' "$@" "$url$p"
}
jget() { python3 -c 'import sys, json; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/body" "$1"; }
xml_ok() { python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$tmp/body"; }
ncases() { case-list --status all | wc -l | tr -d ' '; }

check_same 'GET services.json over HTTP: 200, application/json' \
    "$(get /services.json)" '200 application/json; charset=utf-8'
check_same 'the services are the categories' \
    "$(jget '",".join(s["service_code"] for s in j)')" \
    'dispute,enterprise,hazard,law,legal-aid,other,petition,suggestion'
check_same 'GET services.xml: 200, text/xml' "$(get /services.xml)" \
    '200 text/xml; charset=utf-8'
check 'well-formed XML' xml_ok

check_same 'POST without a key: 403' "$(post /requests.json -d service_code=hazard \
    -d lat=32.63 -d long=116.83 -d description=x)" 403
check_same 'a spec-shaped JSON error' "$(jget 'j[0]["code"]')" 403
check_same 'POST with a key: 200' "$(post /requests.json -d "api_key=$key" \
    -d service_code=hazard -d lat=32.6301 -d long=116.83 \
    --data-urlencode 'description=楼道飞线充电 <电瓶车>' \
    --data-urlencode media_url=https://img.example/1.jpg \
    --data-urlencode 'first_name=王' -d email=wang@example.cn)" 200
id=$(jget 'j[0]["service_request_id"]')
check_same 'its service_request_id is the new case' "$id" 1
check_same 'read back: Chinese text, position, photo, deadline' \
    "$(get "/requests/$id.json" >/dev/null; jget 'j[0]["description"], j[0]["lat"], j[0]["long"], j[0]["media_url"], j[0]["status"], j[0]["expected_datetime"] is not None')" \
    "('楼道飞线充电 <电瓶车>', 32.6301, 116.83, 'https://img.example/1.jpg', 'open', True)"
check_same 'never the reporter' "$(grep -c -e wang -e 王 "$tmp/body")" 0
case-assign -q --to xzz-pcs "$id"
case-close -q --outcome resolved --note '已整改' "$id"
get "/requests/$id.xml" >/dev/null
check_grep 'closed by the clerk, read by the app' \
    '<status>closed</status><status_notes>已整改</status_notes>' "$tmp/body"
check_grep 'with the unit as agency_responsible' \
    '<agency_responsible>新庄孜派出所</agency_responsible>' "$tmp/body"
get /servicerequestupdates.json >/dev/null
check_same 'and in the updates' "$(jget '[u["status"] for u in j][-1]')" closed

# A client written from the specification alone.
check 'a GeoReport v2 client written to the specification' \
    python3 "$top/tests/http/georeport-client.py" "$url" "$key"
check_same 'its two reports are cases, from its key' \
    "$(case-list --status all --source open311 | cut -f1 | tr '\n' ' ')" \
    "1 2 3 "

n0=$(ncases)
head -c 70000 /dev/zero | tr '\0' a >"$tmp/big"
check_same 'a body over 64 KiB: 413' "$(post /requests.xml -d "api_key=$key" \
    -d service_code=hazard -d lat=1 -d long=1 --data-binary "@$tmp/big")" 413
check_same 'nothing written' "$(ncases)" "$n0"

# The load: 200 reports, 8 at a time, each answer kept; an answer is an
# acknowledgement if it is 200 with an ID.  xargs -I replaces its string
# in every argument, the temporary directory's name too: {} is not in
# mktemp's letters, as a capital N was.
seq 1 200 | xargs -P 8 -I {} sh -c 'curl -s -o "$1/ack.{}" -w "%{http_code}\n" \
    -d "api_key=$2" -d service_code=suggestion -d "address_string={}" \
    -d "description=load {}" "$3/requests.json"' sh "$tmp" "$key" "$url" \
    >"$tmp/codes"
python3 -c 'import sys, json, glob
for f in glob.glob(sys.argv[1] + "/ack.*"):
    for r in json.load(open(f)):
        if "service_request_id" in r: print(r["service_request_id"])' "$tmp" |
    sort -n >"$tmp/acked"
check_same '200 POSTs, 8 at once: each acknowledged (200)' \
    "$(sort "$tmp/codes" | uniq -c | tr -s ' ')" ' 200 200'
check_same 'every acknowledged ID a case of its own, each once, no other' \
    "$(case-list --status all --source open311 --category suggestion | cut -f1 | sort -n | cksum)|$(uniq -d "$tmp/acked" | wc -l)|$(wc -l <"$tmp/acked")" \
    "$(cksum <"$tmp/acked")|0|200"
done_testing
