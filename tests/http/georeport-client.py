#!/usr/bin/env python3
# georeport-client.py BASE_URL API_KEY - a GeoReport v2 client written from
# the specification alone (wiki.open311.org/GeoReport_v2), knowing nothing
# of casekit: the standard library's urllib, xml.etree and json.  It lists
# the services, posts a report in each format (Chinese text, a position,
# a photo by URL), reads it back, and checks every answer has the
# elements, in the order, of the specification's examples.  Exits 1
# saying what differs.
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

SERVICE = ["service_code", "service_name", "description", "metadata",
           "type", "keywords", "group"]
REQUEST = ["service_request_id", "status", "status_notes", "service_name",
           "service_code", "description", "agency_responsible",
           "service_notice", "requested_datetime", "updated_datetime",
           "expected_datetime", "address", "address_id", "zipcode", "lat",
           "long", "media_url"]
POSTED = ["service_request_id", "service_notice", "account_id"]
ERROR = ["code", "description"]


def fail(why):
    print("georeport-client: " + why, file=sys.stderr)
    sys.exit(1)


def call(url, data=None):
    body = urllib.parse.urlencode(data).encode() if data else None
    try:
        with urllib.request.urlopen(url, body) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def xml_items(text, root, item, fields):
    doc = ET.fromstring(text)
    if doc.tag != root:
        fail("root %s, not %s" % (doc.tag, root))
    out = []
    for el in doc:
        if el.tag != item:
            fail("%s in %s, not %s" % (el.tag, root, item))
        tags = [c.tag for c in el]
        if tags != fields:
            fail("%s has %s, not %s" % (item, tags, fields))
        out.append({c.tag: (c.text or "") for c in el})
    return out


def json_items(text, fields):
    doc = json.loads(text)
    if not isinstance(doc, list):
        fail("a JSON answer is not a list")
    for o in doc:
        if list(o) != fields:
            fail("a JSON item has %s, not %s" % (list(o), fields))
    return doc


base, key = sys.argv[1], sys.argv[2]
st, text = call(base + "/services.xml")
services = xml_items(text, "services", "service", SERVICE)
if st != 200 or not services:
    fail("GET services.xml: %d, %d services" % (st, len(services)))
code = services[0]["service_code"]
st, text = call(base + "/services.json")
if [s["service_code"] for s in json_items(text, SERVICE)] != \
        [s["service_code"] for s in services]:
    fail("services differ between XML and JSON")

report = {"api_key": key, "service_code": code, "lat": "32.6305",
          "long": "116.8312", "description": "路灯不亮，晚上很黑",
          "media_url": "https://img.example/lamp.jpg",
          "first_name": "李", "email": "li@example.cn"}
st, text = call(base + "/requests.xml", report)
if st != 200:
    fail("POST requests.xml: %d %s" % (st, text))
sid = xml_items(text, "service_requests", "request", POSTED)[0][
    "service_request_id"]
st, text = call(base + "/requests.json", report)
if st != 200:
    fail("POST requests.json: %d" % st)
sid2 = str(json_items(text, POSTED)[0]["service_request_id"])
if sid == sid2:
    fail("two reports, one service_request_id")

st, text = call(base + "/requests/%s.xml" % sid)
got = xml_items(text, "service_requests", "request", REQUEST)
if st != 200 or len(got) != 1:
    fail("GET requests/%s.xml: %d" % (sid, st))
r = got[0]
want = {"service_request_id": sid, "status": "open", "service_code": code,
        "description": report["description"], "lat": "32.6305",
        "long": "116.8312", "media_url": report["media_url"]}
for k, v in want.items():
    if r[k] != v:
        fail("request %s: %s is %r, not %r" % (sid, k, r[k], v))
if not r["expected_datetime"]:
    fail("request %s has no expected_datetime" % sid)
st, text = call(base + "/requests.json?service_request_id=%s,%s" %
                (sid, sid2))
if [str(o["service_request_id"]) for o in json_items(text, REQUEST)] != \
        [sid, sid2]:
    fail("GET requests.json by two IDs")
if b"li@example.cn" in text or "李".encode() in text:
    fail("the reporter is returned")
st, text = call(base + "/requests/999999.xml")
if st != 404:
    fail("an unknown request: %d" % st)
xml_items(text, "errors", "error", ERROR)
del report["api_key"]
st, text = call(base + "/requests.json", report)
if st != 403 or json_items(text, ERROR)[0]["code"] != 403:
    fail("a POST without api_key: %d" % st)
print(sid, sid2)
