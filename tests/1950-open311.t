#!/bin/sh
# case-open311, driven as a web server would drive it (CGI/1.1: the
# request in REQUEST_METHOD, PATH_INFO, QUERY_STRING, CONTENT_TYPE,
# CONTENT_LENGTH and stdin), and case-key: every GeoReport v2 method in
# XML and JSON, the spec's errors, keys, reporters never shown, nothing
# written on bad input, and a case handled by the usual programs read back.
. "$(dirname "$0")/lib.sh"
plan 79

# call METHOD PATH [QUERY [BODY]]: the answer in $tmp/resp, its status in
# $st and its body in $tmp/body.
call() {
	if [ $# -ge 4 ]; then
		printf '%s' "$4" | REQUEST_METHOD=$1 PATH_INFO=$2 \
		    QUERY_STRING=${3:-} CONTENT_LENGTH=$(printf '%s' "$4" |
		    wc -c) CONTENT_TYPE=${ctype:-application/x-www-form-urlencoded} \
		    case-open311 >"$tmp/resp" 2>"$tmp/err"
	else
		REQUEST_METHOD=$1 PATH_INFO=$2 QUERY_STRING=${3:-} \
		    case-open311 </dev/null >"$tmp/resp" 2>"$tmp/err"
	fi
	st=$(sed -n '1s/^Status: \([0-9]*\) .*\r$/\1/p' "$tmp/resp")
	sed '1,/^\r$/d' "$tmp/resp" >"$tmp/body"
}

# Well-formed?  XML by Python's parser, JSON by its json module.
xml_ok() { python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$tmp/body"; }
json_ok() { python3 -c 'import sys, json; json.load(open(sys.argv[1]))' "$tmp/body"; }
# jq-like: a Python expression over the JSON body (j).
jget() { python3 -c 'import sys, json; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/body" "$1"; }
ncases() { case-list --status all | wc -l | tr -d ' '; }

check_exit 'not run by a web server: exit 2' 2 case-open311
check_grep 'saying why' 'REQUEST_METHOD is not set' "$tmp/err"

init_demo
key=$(case-key add fms)
check_same 'case-key add prints a 64-hex-digit key' \
    "$(printf '%s\n' "$key" | grep -c '^[0-9a-f]\{64\}$')" 1
ukey=$(case-key add --unit xzz-dk grid-app)
check_same 'case-key list: name, source, unit, created, revoked' \
    "$(case-key list)" "fms	open311		2024-05-09T09:00:00+08:00	
grid-app	open311	xzz-dk	2024-05-09T09:00:00+08:00	"
check_exit 'a second key of one name is refused' 1 case-key add fms
check_exit 'an unknown unit is refused' 2 case-key add x --unit nowhere
# The key is printed once: nothing the tools print holds it or its hash.
hash=$(printf '%s' "$key" | sha256sum | cut -c1-64)
check_same 'the key is kept only as its SHA-256' \
    "$(sql "SELECT hash FROM api_keys WHERE name = 'fms'")" "$hash"
case-key list >"$tmp/l"; case-export >>"$tmp/l"; case-show 1 >>"$tmp/l" 2>&1
check_same 'and neither is ever printed' \
    "$(grep -c -e "$key" -e "$hash" "$tmp/l")" 0

# --- services
call GET /services.xml
check_same 'GET services.xml: 200' "$st" 200
check 'well-formed XML' xml_ok
check_grep 'a category is a service, its name the service_name' \
    '<service><service_code>hazard</service_code><service_name>安全隐患</service_name>' \
    "$tmp/body"
call GET /services.json
check_same 'GET services.json: every category' \
    "$(jget '" ".join(s["service_code"] for s in j)')" \
    'dispute enterprise hazard law legal-aid other petition suggestion'
call GET /services/hazard.json
check_same 'GET services/hazard.json: its definition' "$(cat "$tmp/body")" \
    '{"service_code":"hazard","attributes":[]}'
call GET /services/hazard.xml
check 'services/hazard.xml is well-formed' xml_ok
call GET /services/nope.xml
check_same 'an unknown service: 404' "$st" 404
check_same 'in the spec'"'"'s shape' "$(sed 1d "$tmp/body")" \
    '<errors><error><code>404</code><description>no such service_code</description></error></errors>'
call GET /services/nope.json
check_same 'and in JSON' "$(jget 'j[0]["code"], j[0]["description"]')" \
    "(404, 'no such service_code')"
call GET /services
check_same 'no format suffix: 404' "$st" 404

# --- POST requests
form="service_code=hazard&lat=32.6301&long=116.83&description=%E6%A5%BC%E4%B8%8B%E5%A0%86%E6%94%BE%E6%B6%B2%E5%8C%96%E6%B0%94%E7%BD%90+%3Cb%3E%26%22%27&media_url=https%3A%2F%2Fimg.example%2Fa.jpg&first_name=%E5%BC%A0&last_name=%E4%B8%89&email=zhang%40example.cn&phone=13800000000&device_id=dev42&attribute%5Bfloor%5D=3"
before=$(db_dump | cksum)
call POST /requests.xml '' "$form"
check_same 'POST without api_key: 403' "$st" 403
call POST /requests.json '' "api_key=0000&$form"
check_same 'with a wrong key: 403' "$st" 403
check_same 'in the spec'"'"'s JSON shape' "$(jget 'j[0]["code"]')" 403
call GET /requests.json "api_key=$key&$form"
check_same 'a GET with a key creates nothing' "$(jget 'len(j)')" 0
check_same 'nothing written by any of them' "$(db_dump | cksum)" "$before"

call POST /requests.xml '' "api_key=$key&$form"
check_same 'POST requests with a key: 200' "$st" 200
check 'well-formed XML' xml_ok
check_same 'answers the service_request_id' "$(sed 1d "$tmp/body")" \
    '<service_requests><request><service_request_id>1</service_request_id><service_notice></service_notice><account_id></account_id></request></service_requests>'
check_same 'a case: source open311, category, reported now' \
    "$(case-export --format tsv | cut -f1-4 | sed 1d)" \
    "1	2024-05-09T09:00:00+08:00	open311	hazard"
check_same 'the actor is the key'"'"'s name' \
    "$(case-export --events --format tsv | cut -f4,5 | sed 1d)" \
    "reported	fms"
check_same 'the reporter is stored' \
    "$(sql 'SELECT reporter FROM cases WHERE id = 1')" \
    '张 三, zhang@example.cn, 13800000000, dev42'
check_same 'position and photo link stored' \
    "$(sql 'SELECT lat, lon, media_url FROM cases WHERE id = 1' | tr '\t' '|')" \
    '32.6301|116.83|https://img.example/a.jpg'
check_same 'the title is the description'"'"'s start, the attributes after it' \
    "$(sql 'SELECT title FROM cases WHERE id = 1')|$(sql 'SELECT description FROM cases WHERE id = 1' | sed -n 2p)" \
    '楼下堆放液化气罐 <b>&"'"'"'|attribute[floor]: 3'

ctype=application/x-www-form-urlencoded\;charset=UTF-8 \
    call POST /requests.json '' "api_key=$ukey&service_code=dispute&address_string=%E4%B8%9C%E7%9F%BF%E7%A4%BE%E5%8C%BA3%E6%A0%8B&description=%E5%99%AA%E9%9F%B3&email=w%40x.cn"
check_same 'a key with a unit: its cases assigned there (JSON answer)' \
    "$(jget 'j[0]["service_request_id"]') $(case-list | sed -n 2p | cut -f1-3)" \
    "2 2	assigned	xzz-dk"

# --- GET requests
call GET /requests/1.xml
check_same 'GET requests/1.xml: 200' "$st" 200
check 'well-formed XML' xml_ok
check_grep 'markup in the description escaped' \
    '<description>楼下堆放液化气罐 &lt;b&gt;&amp;&quot;&apos;&#xA;attribute\[floor\]: 3</description>' \
    "$tmp/body"
check_grep 'the deadline is expected_datetime' \
    '<expected_datetime>2024-05-10T09:00:00+08:00</expected_datetime>' \
    "$tmp/body"
check_grep 'position and photo' \
    '<lat>32.6301</lat><long>116.83</long><media_url>https://img.example/a.jpg</media_url>' \
    "$tmp/body"
call GET /requests/2.json
check_same 'GET requests/2.json: status, agency, address, service' \
    "$(jget 'j[0]["status"], j[0]["agency_responsible"], j[0]["address"], j[0]["service_code"], j[0]["lat"]')" \
    "('open', '东矿社区', '东矿社区3栋', 'dispute', None)"
call GET /requests/9.json
check_same 'an unknown request: 404' "$st" 404
call GET /requests/x.xml
check_same 'a malformed ID: 404' "$st" 404
call GET /requests.json
check_same 'GET requests: the last 90 days by default' \
    "$(jget '[r["service_request_id"] for r in j]')" '[1, 2]'
call GET /requests.json 'service_request_id=2,1,7'
check_same 'service_request_id as a list (unknown IDs left out)' \
    "$(jget '[r["service_request_id"] for r in j]')" '[2, 1]'
call GET /requests.json 'service_code=dispute'
check_same 'service_code filters' "$(jget '[r["service_request_id"] for r in j]')" '[2]'
call GET /requests.json 'start_date=2024-05-10T00:00:00%2B08:00'
check_same 'start_date filters' "$(jget 'len(j)')" 0
call GET /requests.json 'start_date=2024-01-01&end_date=2024-05-09T23:00'
check_same 'a range over 90 days: 400' "$st" 400
cat /dev/null >"$tmp/all"
for p in /requests.xml /requests.json /requests/1.xml /requests/2.json \
    /servicerequestupdates.xml /servicerequestupdates.json; do
	call GET "$p"
	cat "$tmp/body" >>"$tmp/all"
done
check_same 'no GET returns the reporter'"'"'s details' \
    "$(grep -c -e zhang -e 13800000000 -e dev42 -e 'w@x' -e 张 "$tmp/all")" 0

# --- bad input: a spec-shaped error and nothing written
before=$(db_dump | cksum)
n0=$(ncases)
bad() {
	call POST /requests.xml '' "$2"
	check_same "$1: $3" "$st" "$3"
	grep -q '^<errors><error><code>' "$tmp/body" || echo "# no <errors>: $(cat "$tmp/body")"
}
bad 'malformed percent-encoding' "api_key=$key&service_code=hazard&lat=1&long=1&description=a%zz" 400
bad 'a %00' "api_key=$key&service_code=hazard&lat=1&long=1&description=a%00b" 400
bad 'invalid UTF-8' "api_key=$key&service_code=hazard&lat=1&long=1&description=%ff%fe" 400
bad 'an unknown service code' "api_key=$key&service_code=nope&lat=1&long=1&description=a" 400
bad 'lat out of range' "api_key=$key&service_code=hazard&lat=90.5&long=1&description=a" 400
bad 'long not a number' "api_key=$key&service_code=hazard&lat=1&long=east&description=a" 400
bad 'lat without long' "api_key=$key&service_code=hazard&lat=1&description=a" 400
bad 'no position nor address' "api_key=$key&service_code=hazard&description=a" 400
bad 'a missing description' "api_key=$key&service_code=hazard&lat=1&long=1" 400
bad 'a media_url not http(s)' "api_key=$key&service_code=hazard&lat=1&long=1&description=a&media_url=javascript:x" 400
ctype=multipart/form-data bad 'a body not a form' "api_key=$key" 400
printf 'api_key=%s&service_code=hazard&lat=1&long=1&description=' "$key" >"$tmp/big"
head -c 70000 /dev/zero | tr '\0' a >>"$tmp/big"
REQUEST_METHOD=POST PATH_INFO=/requests.xml CONTENT_LENGTH=$(wc -c <"$tmp/big") \
    CONTENT_TYPE=application/x-www-form-urlencoded case-open311 <"$tmp/big" >"$tmp/resp"
check_same 'a body over 64 KiB: 413' "$(sed -n '1s/\r$//p' "$tmp/resp")" \
    'Status: 413 Payload Too Large'
case-key revoke fms >/dev/null
before=$(db_dump | cksum)
call POST /requests.xml '' "api_key=$key&service_code=hazard&lat=1&long=1&description=a"
check_same 'a revoked key: 403' "$st" 403
check_same 'nothing written by any bad request' "$(ncases) $(db_dump | cksum)" \
    "$n0 $before"
check_exit 'revoking it twice: exit 1' 1 case-key revoke fms
check_exit 'revoking an unknown key: exit 1' 1 case-key revoke nobody
check_same 'list shows it revoked' "$(case-key list | grep '^fms' | cut -f5)" \
    2024-05-09T09:00:00+08:00

# --- updates: a resident's comment, then a clerk assigns and closes
form="api_key=$ukey&service_request_id=1&description=%E8%BF%98%E6%B2%A1%E4%BF%AE&updated_datetime=2024-05-09T10:00:00%2B08:00"
CASE_NOW=2024-05-09T10:00:00+08:00 call POST /servicerequestupdates.xml '' "$form"
check_same 'POST servicerequestupdates: 200' "$st" 200
check 'well-formed XML' xml_ok
eid=$(sql "SELECT max(id) FROM events WHERE case_id = 1")
check_same 'answers the update_id' "$(sed 1d "$tmp/body")" \
    "<service_request_updates><request_update><update_id>$eid</update_id></request_update></service_request_updates>"
check_same 'the comment is a note on the case, by the key' \
    "$(case-export --events --format tsv | awk -F '\t' '$2 == 1' | tail -1 | cut -f4,5,11)" \
    "noted	grid-app	还没修"
call POST /servicerequestupdates.json '' "api_key=$ukey&service_request_id=99&description=x"
check_same 'an update to no such request: 404' "$st" 404
call POST /servicerequestupdates.json '' "service_request_id=1&description=x"
check_same 'an update without a key: 403' "$st" 403

CASE_NOW=2024-05-09T11:00:00+08:00 case-assign -q --to xzz-pcs 1
CASE_NOW=2024-05-09T15:00:00+08:00 case-close -q --outcome resolved \
    --note '已清理, 店主整改' 1
CASE_NOW=2024-05-09T16:00:00+08:00 call GET /requests/1.json
check_same 'closed by case-close: status and status_notes' \
    "$(jget 'j[0]["status"], j[0]["status_notes"], j[0]["agency_responsible"], j[0]["updated_datetime"]')" \
    "('closed', '已清理, 店主整改', '新庄孜派出所', '2024-05-09T15:00:00+08:00')"
CASE_NOW=2024-05-09T16:00:00+08:00 call GET /requests.xml status=closed
check_same 'status=closed lists it' "$(grep -o '<service_request_id>[0-9]*' "$tmp/body" | tr '\n' ' ')" \
    '<service_request_id>1 '
check 'well-formed XML' xml_ok
CASE_NOW=2024-05-09T16:00:00+08:00 call GET /servicerequestupdates.json \
    'start_date=2024-05-09T09:30:00%2B08:00'
check_same 'servicerequestupdates: the note, the assignment, the closing' \
    "$(jget '[(u["service_request_id"], u["status"], u["description"]) for u in j]')" \
    "[(1, 'open', '还没修'), (1, 'open', ''), (1, 'closed', '已清理, 店主整改')]"
CASE_NOW=2024-05-09T16:00:00+08:00 call GET /servicerequestupdates.xml
check 'servicerequestupdates.xml is well-formed' xml_ok

# Only the cases of the keys' sources are published: not one taken at
# the counter.
id=$(CASE_NOW=2024-05-09T16:00:00+08:00 case-add --source walk-in \
    --category petition --title 信访 --desc '不公开的内容')
CASE_NOW=2024-05-09T16:00:00+08:00 call GET /requests/$id.xml
check_same 'a walk-in case is not published: 404' "$st" 404
CASE_NOW=2024-05-09T16:00:00+08:00 call GET /requests.json
check_same 'nor listed' "$(jget '[r["service_request_id"] for r in j]')" '[1, 2]'
CASE_NOW=2024-05-09T16:00:00+08:00 call GET /servicerequestupdates.json
check_same 'nor its history' "$(grep -c 不公开 "$tmp/body")" 0
CASE_NOW=2024-05-09T16:00:00+08:00 call POST /servicerequestupdates.json '' \
    "api_key=$ukey&service_request_id=$id&description=x"
check_same 'nor open to comments: 404' "$st" 404

call DELETE /requests.xml
check_same 'another method: 405' "$st" 405
done_testing
