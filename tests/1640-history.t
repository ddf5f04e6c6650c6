#!/bin/sh
# History that cannot be rewritten unseen (issue 13, item 5).  Events
# refuse REPLACE and UPSERT as well as UPDATE and DELETE; every event has
# a link in event_chain, a SHA-256 over its columns and the link before
# it, recomputed here independently (Python's hashlib) by the encoding
# casekit-db(5) documents; and case-stats --verify names the first event
# whose link does not hold when the file's owner, with the triggers
# dropped, changes, removes or slips in an event.
#
# On PostgreSQL the owner is the server's superuser, past the triggers
# by session_replication_role; the independent recomputation (Python's
# sqlite3 module), SQLite's own REPLACE syntax and the schema 4 upgrade
# (a SQLite user_version) are skipped there.
. "$(dirname "$0")/lib.sh"
plan 25

init_demo
case-add -q --category hazard --unit xzz-dk-1 --title 液化气罐
echo 1 | case-assign -q --to xzz-dk-jws
case-note -q --note "$(printf '长备注%.0s' $(seq 1 40))" 1
case-add -q --category dispute --title 纠纷
case-note -q --note 'a note of fifty-five bytes, to end a block exactly..' 2
nev=$(sql 'SELECT count(*) FROM events')

check 'case-stats --verify: the history as written holds' case-stats --verify
check_grep 'saying how many events and the last link' \
    "^$nev events, chain intact, last link [0-9a-f]\{64\}\$" "$tmp/out"
last=$(sed 's/.* //' "$tmp/out")

cat >"$tmp/chain.py" <<'EOF'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cur = db.execute('SELECT * FROM events ORDER BY id')
names = [d[0] for d in cur.description]
links = dict(db.execute('SELECT event_id, hash FROM event_chain'))
prev, bad = '', 0
for row in cur:
    h = hashlib.sha256(b'casekit event chain 1\n' + prev.encode())
    for name, v in zip(names, row):
        if v is None:
            continue
        if isinstance(v, int):
            t, b = 'i', str(v).encode()
        elif isinstance(v, float):
            t, b = 'r', ('%.17g' % v).encode()
        elif isinstance(v, bytes):
            t, b = 'b', v
        else:
            t, b = 't', v.encode()
        h.update(name.encode() + b'\0' + ('%s%d:' % (t, len(b))).encode() + b)
    prev = h.hexdigest()
    if links.get(row[0]) != prev:
        print('event %d: stored %s, computed %s' % (row[0], links.get(row[0]), prev))
        bad = 1
print(prev)
sys.exit(bad)
EOF
skip_on_pg 2 "the recomputation reads the SQLite file (Python's sqlite3)" || {
	check 'each link is SHA-256 over the event and the link before, as documented' \
	    python3 "$tmp/chain.py" "$CASE_DB"
	check_same 'the last link is the one --verify prints' \
	    "$(cat "$tmp/out")" "$last"
}

before=$(db_dump)
# refused DESC SQL: the owner's own SQL shell (sqlite3, psql) is refused.
fails() { ! "$@"; }
refused() {
	check "$1: refused" fails sql "$2"
	check_grep "$1: saying why" 'append-only' "$tmp/err"
}
skip_on_pg 2 'INSERT OR REPLACE is SQLite syntax' ||
    refused 'INSERT OR REPLACE of an event' "INSERT OR REPLACE INTO events
    (id, case_id, at, actor, osuser, action) VALUES (1, 1, 0, 'x', 'x', 'noted')"
skip_on_pg 2 'REPLACE INTO is SQLite syntax' ||
    refused 'REPLACE INTO events' "REPLACE INTO events
    (id, case_id, at, actor, osuser, action) VALUES (2, 1, 0, 'x', 'x', 'noted')"
refused 'an UPSERT of an event' "INSERT INTO events
    (id, case_id, at, actor, osuser, action) VALUES (1, 1, 0, 'x', 'x', 'noted')
    ON CONFLICT (id) DO UPDATE SET note = 'forged'"
skip_on_pg 2 'INSERT OR REPLACE is SQLite syntax' ||
    refused 'a link replaced' "INSERT OR REPLACE INTO event_chain VALUES (1, 'x')"
refused 'a link deleted' "DELETE FROM event_chain WHERE event_id = 1"
check_same 'nothing changed' "$(db_dump)" "$before"

good=$(db_uri "$tmp/good.db")
copy_db "$CASE_DB" "$good"
# owner SQL: the file's owner, triggers dropped, rewrites history.
owner() {
	copy_db "$good" "$CASE_DB"
	if on_pg; then
		sql "SET session_replication_role = replica; $1"
	else
		sqlite3 "$CASE_DB" "DROP TRIGGER events_no_update;
		    DROP TRIGGER events_no_delete; DROP TRIGGER events_no_replace;
		    DROP TRIGGER event_chain_no_delete; $1"
	fi
}
owner "UPDATE events SET note = 'forged' WHERE id = 3"
check_exit 'an event changed: --verify fails' 1 case-stats --verify
check_grep 'naming it' '^case-stats: history: event 3 (case 1): does not match its link' \
    "$tmp/err"
owner "DELETE FROM events WHERE id = 2"
check_exit 'an event removed: --verify fails' 1 case-stats --verify
check_grep 'naming it' '^case-stats: history: event 2 is gone' "$tmp/err"
owner "DELETE FROM events WHERE id = 2; DELETE FROM event_chain WHERE event_id = 2"
check_exit 'an event removed with its link: --verify fails' 1 case-stats --verify
check_grep 'naming the event after it' \
    '^case-stats: history: event 3 (case 1): does not match its link' "$tmp/err"

# An event written by hand is not in the chain until casekit next writes.
copy_db "$good" "$CASE_DB"
sql "INSERT INTO events (case_id, at, actor, osuser, action, note)
    VALUES (1, 1715216400, 'x', 'x', 'noted', 'by hand')"
check_exit 'an event written by hand: --verify fails' 1 case-stats --verify
check_grep 'saying it is not in the chain' \
    "^case-stats: history: event $((nev + 1)) (case 1): not in the chain" "$tmp/err"
case-note -q --note 'next write' 1
check 'sealed by the next casekit write' case-stats --verify

# A database of schema 4 (no chain) gets its links when upgraded.
skip_on_pg 1 'schema 4 is a SQLite user_version' || {
	copy_db "$good" "$CASE_DB"
	sqlite3 "$CASE_DB" "DROP TRIGGER event_chain_no_delete;
	    DROP TRIGGER event_chain_no_update; DROP TRIGGER event_chain_no_replace;
	    DROP TRIGGER events_no_replace; DROP TABLE event_chain;
	    DROP TABLE api_keys; DROP INDEX cases_place;
	    ALTER TABLE cases DROP COLUMN lat;
	    ALTER TABLE cases DROP COLUMN lon;
	    ALTER TABLE cases DROP COLUMN media_url; DROP INDEX cases_ref;
	    ALTER TABLE cases DROP COLUMN ref; DROP TABLE roster; DROP TABLE assists;
	    PRAGMA user_version = 4"
	case-list >/dev/null
	check_same 'schema 4 upgraded: the same links' \
	    "$(case-stats --verify | sed 's/.* //')|$(python3 "$tmp/chain.py" \
	    "$CASE_DB")" "$last|$last"
}
done_testing
