#!/bin/sh
# PostgreSQL as the store (issue 12): what only a server has.  The same
# scenario on both engines gives the same lists, figures, export and
# history chain; case-copy moves a database there and back; a server
# that cannot be reached, a wrong password, a database of someone
# else's, a newer casekit's schema and a connection lost mid-batch each
# give one clear line and exit 2 with nothing written; history cannot be
# rewritten even by the tables' owner; a reporting role given SELECT
# reads and cannot write, with one connection if that is all it has.  Needs the scratch server of make check-pg
# (CASEKIT_TEST_PG, its base URI, from scripts/pg-scratch).
. "$(dirname "$0")/lib.sh"
if ! on_pg; then
	echo '1..0 # SKIP needs a PostgreSQL server: make check-pg runs it'
	exit 0
fi
plan 103

base=$pg_base
psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
# newdb NAME: an empty database of this file's (lib.sh drops them).
newdb() { new_db "$tmp/$1.db"; }
# The roles are the server's, not a database's: dropped here, after the
# databases where they were granted something (till then they could not be).
trap 'lib_cleanup; for r in reader single clerk; do
    pg_admin "DROP ROLE IF EXISTS ${r}_$$" >/dev/null 2>&1; done' EXIT INT TERM

# --- One scenario on both engines: the demo's working day, on a wall
# clock stopped at 20:00 that evening, so that each event's recorded
# time is the same on both.
[ -n "$faketime_lib" ] || { echo 'Bail out! no libfaketime'; exit 1; }
demo() {
	(cd "$tmp" && CASE_DB=$1 LD_PRELOAD=$faketime_lib FAKETIME_FMT=%s \
	    FAKETIME=$(date -d 2024-05-09T20:00:00+08:00 +%s) \
	    "$top/scripts/demo")
}
pg=$(newdb demo)
demo "$tmp/demo.db" >"$tmp/sq.out" 2>&1
check_same 'the demo runs on SQLite' "$?" 0
demo "$pg" >"$tmp/pg.out" 2>&1
check_same 'and on PostgreSQL' "$?" 0
check_same 'printing the same, but for the database name' \
    "$(grep -v '^/\|^127\.0\.0\.1:' "$tmp/pg.out")" \
    "$(grep -v '^/\|^127\.0\.0\.1:' "$tmp/sq.out")"
for cmd in 'case-list --status all' 'case-stats --by unit:street,category' \
    'case-stats --by month --format json' 'case-export' \
    'case-export --events' 'case-show 1 2 3 4 5'; do
	check_same "$cmd: the same bytes" "$(CASE_DB=$pg $cmd 2>&1)" \
	    "$(CASE_DB=$tmp/demo.db $cmd 2>&1)"
done
check_same 'the same history chain, to the last link' \
    "$(CASE_DB=$pg case-stats --verify)" \
    "$(CASE_DB=$tmp/demo.db case-stats --verify)"

# --- case-copy: SQLite to a server, and back into a new file.
to=$(newdb copy)
check 'case-copy moves a file to a server' \
    case-copy -d "$tmp/demo.db" "$to"
check_same 'quietly' "$(cat "$tmp/out" "$tmp/err")" ''
check 'and back into a new file' case-copy -d "$to" "$tmp/back.db"
check_same 'the copy exports the same' \
    "$(CASE_DB=$tmp/back.db case-export --events)" \
    "$(CASE_DB=$tmp/demo.db case-export --events)"
check_same 'and ends its chain in the same link' \
    "$(CASE_DB=$to case-stats --verify)" \
    "$(CASE_DB=$tmp/demo.db case-stats --verify)"
CASE_DB=$to case-add -q --category hazard --title 新案 --unit xzz
check_same 'a case added there gets the next ID' \
    "$(CASE_DB=$to case-list --status all | tail -1 | cut -f1)" \
    "$(($(CASE_DB=$tmp/demo.db case-list --status all | tail -1 |
    cut -f1) + 1))"
check_exit 'a copy into a database with cases is refused' 2 \
    case-copy -d "$tmp/demo.db" "$to"
check_grep 'saying so' 'holds cases' "$tmp/err"
check_exit 'a copy over an existing file is refused' 2 \
    case-copy -d "$to" "$tmp/back.db"
check_exit 'a copy within one engine is refused' 2 \
    case-copy -d "$tmp/demo.db" "$tmp/other.db"
check_same 'and makes no file' "$(ls "$tmp/other.db" 2>/dev/null)" ''

# --- A bulk load (case-add --csv) goes to the server by COPY: the same
# rows as SQLite's, and as the INSERTs of case-copy write them, its
# text's escapes (backslash, tab, newline, CR, a literal \N) and NULLs
# and empty strings kept apart; the history and its chain the same.  A
# row the server refuses, the last, leaves nothing, with its INSERT's
# message and exit status.  More than COPY_CHUNK (4 MB) of rows, so
# that the load is sent in parts, cases before their events.
load() {
	LD_PRELOAD=$faketime_lib FAKETIME_FMT=%s \
	    FAKETIME=$(date -d 2024-05-09T20:00:00+08:00 +%s) case-add -q "$@"
}
# gen [ID]: the file, its cases numbered from ID on if given.
gen() {
	awk -v id="${1:-}" 'BEGIN {
	split("hazard dispute petition law legal-aid enterprise suggestion other",
	    cat, " ")
	split("reported assigned handled closed returned", st, " ")
	for (i = 0; i < 200; i++)
		fill = fill "占"
	print (id != "" ? "id," : "") "category,title,unit,grid,source," \
	    "location,description,status,reported,closed,outcome,outcome_note"
	for (i = 1; i <= 12000; i++) {
		s = st[i % 5 + 1]
		t = i % 7 == 0 ? "反\\斜\t杠" : i % 7 == 1 ? "\\N" : "隐患" i
		d = i % 3 == 0 ? "\"一\r\n二\r三\n\"" : i % 3 == 1 ? "" : fill i
		if (id != "")
			printf "%d,", id + i
		printf "%s,%s,%s,%s,%s,%s,%s,%s,2024-04-%02dT%02d:%02d:00+08:00",
		    cat[i % 8 + 1], t, s == "reported" ? "" : "xzz",
		    i % 2 ? "bgsz-dq-1" : "", i % 4 ? "hotline" : "",
		    i % 6 ? "" : "\\.", d, s, 1 + i % 28, 8 + i % 10, i % 60
		if (s == "closed")
			print ",2024-05-05T12:00:00+08:00,resolved,\\"
		else
			print ",,,"
	}
	}'
}
gen >"$tmp/load.csv"
CASE_DB=$tmp/load.db case-init --units "$top/data/demo-units.csv" >/dev/null
load -d "$tmp/load.db" --csv "$tmp/load.csv"
bulk=$(newdb bulk)
case-init -d "$bulk" --units "$top/data/demo-units.csv" >/dev/null
# A statement-level trigger counts the statements that wrote cases.
psql_q "$bulk" -c 'CREATE TABLE writes (n int)' \
    -c 'CREATE FUNCTION count_write() RETURNS trigger LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO writes VALUES (1); RETURN NULL; END$$' \
    -c 'CREATE TRIGGER cases_writes AFTER INSERT ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION count_write()'
check 'a load of 12,000 cases on PostgreSQL' \
    load -d "$bulk" --csv "$tmp/load.csv"
check_same 'in a few statements, not one a row, and more than one' \
    "$(psql_q "$bulk" -c 'SELECT count(*) BETWEEN 2 AND 9 FROM writes')" t
inserted=$(newdb inserted)
case-copy -d "$tmp/load.db" "$inserted"
dump() {
	psql -X -q -A -t -P null='(null)' -v ON_ERROR_STOP=1 "$1" \
	    -c 'SELECT * FROM cases ORDER BY id' \
	    -c 'SELECT * FROM events ORDER BY id' \
	    -c 'SELECT * FROM event_chain ORDER BY event_id'
}
dump "$bulk" >"$tmp/bulk.dump"
dump "$inserted" >"$tmp/inserted.dump"
check 'its tables hold what the INSERTs of case-copy write' \
    cmp "$tmp/bulk.dump" "$tmp/inserted.dump"
for cmd in 'case-export' 'case-export --events' 'case-stats --verify'; do
	CASE_DB=$bulk $cmd >"$tmp/bulk.out" 2>&1
	CASE_DB=$tmp/load.db $cmd >"$tmp/load.out" 2>&1
	check "$cmd: the same bytes as SQLite's" \
	    cmp "$tmp/bulk.out" "$tmp/load.out"
done
# A file of IDs looks each up before adding it: its rows go one by one.
gen 100 >"$tmp/ids.csv"
ids=$(newdb ids)
case-init -d "$ids" --units "$top/data/demo-units.csv" >/dev/null
CASE_DB=$tmp/ids.db case-init --units "$top/data/demo-units.csv" >/dev/null
load -d "$tmp/ids.db" --csv "$tmp/ids.csv"
check 'a file of IDs loads too' load -d "$ids" --csv "$tmp/ids.csv"
CASE_DB=$ids case-export --events >"$tmp/bulk.out" 2>&1
CASE_DB=$tmp/ids.db case-export --events >"$tmp/load.out" 2>&1
check 'the same as on SQLite' cmp "$tmp/bulk.out" "$tmp/load.out"
# The server refuses the last row: a constraint on cases, a trigger
# on events.
refused=$(newdb refused)
case-init -d "$refused" --units "$top/data/demo-units.csv" >/dev/null
psql_q "$refused" -c "ALTER TABLE cases ADD CONSTRAINT no_x
    CHECK (title <> '坏案')" \
    -c "CREATE FUNCTION no_y() RETURNS trigger LANGUAGE plpgsql AS
    \$\$BEGIN IF NEW.note = '坏事' THEN RAISE EXCEPTION '不收坏事';
    END IF; RETURN NEW; END\$\$" \
    -c 'CREATE TRIGGER events_no_y BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION no_y()'
check_exit 'one case the server refuses, by INSERT: exit 2' 2 \
    case-add -d "$refused" --category hazard --title 坏案
cp "$tmp/err" "$tmp/insert.err"
check_grep 'which names the constraint' 'violates check constraint "no_x"' \
    "$tmp/insert.err"
{ cat "$tmp/load.csv"; echo 'other,坏案,,,,,,,,,,'; } >"$tmp/bad.csv"
check_exit 'a load whose last row it refuses: exit 2' 2 \
    load -d "$refused" --csv "$tmp/bad.csv"
check_same 'with the same message' "$(cat "$tmp/err")" \
    "$(cat "$tmp/insert.err")"
check_exit 'and a dry run of it' 2 load -n -d "$refused" --csv "$tmp/bad.csv"
check_same 'the same' "$(cat "$tmp/err")" "$(cat "$tmp/insert.err")"
{ cat "$tmp/load.csv"
  echo 'hazard,t,xzz,,,,,closed,2024-05-01,2024-05-02,resolved,坏事'; } \
    >"$tmp/bad.csv"
check_exit 'an event a trigger refuses, the last: exit 2' 2 \
    load -d "$refused" --csv "$tmp/bad.csv"
check_grep 'with the trigger'"'"'s message' \
    "^case-add: 127.0.0.1:.*: 不收坏事\$" "$tmp/err"
# The same rows refused early: in the first part, sent while the next is
# made (a COPY in flight, pg.c), and seen refused after more were read.
# early ROW: the load with ROW before its case 隐患2001 (a record's
# first line: others hold line breaks).
early() {
	awk -v row="$1" '/^[a-z-]+,隐患2001,/ { print row } { print }' \
	    "$tmp/load.csv" >"$tmp/bad.csv"
	[ "$(grep -c "^$1\$" "$tmp/bad.csv")" = 1 ] ||
	    echo 'Bail out! early: no record 隐患2001'
}
early 'other,坏案,,,,,,,,,,'
check_exit 'a load whose 2001st row it refuses: exit 2' 2 \
    load -d "$refused" --csv "$tmp/bad.csv"
check_same 'with the message of that row' "$(cat "$tmp/err")" \
    "$(cat "$tmp/insert.err")"
early 'hazard,t,xzz,,,,,closed,2024-05-01,2024-05-02,resolved,坏事'
check_exit 'an event a trigger refuses, the 2001st: exit 2' 2 \
    load -d "$refused" --csv "$tmp/bad.csv"
check_grep 'with the trigger'"'"'s message' \
    "^case-add: 127.0.0.1:.*: 不收坏事\$" "$tmp/err"
check_same 'and nothing was written' "$(psql_q "$refused" \
    -c 'SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM events)
    + (SELECT count(*) FROM event_chain)')" 0
# --- Big reads: bench/gen's district, with more cases than a cursor's
# batch (FETCH_ROWS, 10000) and three times as many events, which a
# reader streams (COPY on a connection of its own, in its snapshot): the
# same figures, lists, export and chain, byte for byte, whatever the
# batches' and the network's boundaries cut.
gen=$top/bench/gen
[ -x "$gen" ] || { echo 'Bail out! no bench/gen: make check-pg builds it'
    exit 1; }
big=$(newdb big)
"$gen" -u >"$tmp/gen-units.csv"
"$gen" -c >"$tmp/gen-categories.csv"
"$gen" -n 12000 >"$tmp/gen-cases.csv"
(export CASE_NOW="$("$gen" -T)" CASE_ACTOR=bench
    case-init -d "$tmp/big.db" --units "$tmp/gen-units.csv" \
    --categories "$tmp/gen-categories.csv" >/dev/null &&
    case-add -q -d "$tmp/big.db" --csv "$tmp/gen-cases.csv" &&
    case-copy -d "$tmp/big.db" "$big")
check_same 'a district of 12000 cases, copied to a server' "$?|$(psql_q \
    "$big" -c 'SELECT count(*), count(*) > 30000 FROM cases, events
    WHERE events.case_id = cases.id')" "0|$(sqlite3 "$tmp/big.db" \
    'SELECT count(*) FROM events')|t"
for cmd in 'case-stats --by category,unit' 'case-stats --by month --format json' \
    'case-stats --by unit:street,source --since 2024-01-01 --until 2025-01-01
    --compare previous' 'case-stats --as-of 2024-06-30 --by category' \
    'case-list --status all --format tsv' 'case-list --overdue' \
    'case-export' 'case-export --events' 'case-stats --verify'; do
	check_same "$cmd, 12000 cases: the same bytes" \
	    "$(CASE_NOW=$("$gen" -T) $cmd -d "$big" 2>&1)" \
	    "$(CASE_NOW=$("$gen" -T) $cmd -d "$tmp/big.db" 2>&1)"
done
# A reporting role the server lets have one connection: no side to
# stream on, so the main one reads by cursor, the same bytes.  A side
# is tried once and not waited for (it had failed at once with "too
# many connections for role", exit 2).
psql_q "$big" -c "CREATE ROLE single_$$ LOGIN PASSWORD 'one' CONNECTION
    LIMIT 1" -c "GRANT USAGE ON SCHEMA public TO single_$$" \
    -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO single_$$"
single="postgresql://single_$$:one@127.0.0.1:${base##*:}/${big##*/}"
for cmd in 'case-stats --by category,unit' 'case-export'; do
	check_same "$cmd by a role of one connection: the same bytes" \
	    "$(CASE_NOW=$("$gen" -T) CASE_DB_RETRY=0 $cmd -d "$single" 2>&1)" \
	    "$(CASE_NOW=$("$gen" -T) $cmd -d "$tmp/big.db" 2>&1)"
done

# --- Faults: one line, naming the server and the reason; exit 2.
check_exit 'a server that refuses: exit 2' 2 \
    env CASE_DB_RETRY=0 case-list -d postgresql://casekit@127.0.0.1:1/x
check_grep 'naming it and the reason' \
    '^case-list: 127.0.0.1:1/x: .*Connection refused' "$tmp/err"
psql_q "$CASEKIT_TEST_PG" -c "CREATE ROLE clerk_$$ LOGIN PASSWORD 'right'"
check_exit 'a wrong password: exit 2' 2 env CASE_DB_RETRY=0 \
    case-list -d "postgresql://clerk_$$:wrong@127.0.0.1:${base##*:}/postgres"
check_grep 'said, without the password' \
    "password authentication failed" "$tmp/err"
check_same 'which is never printed' "$(grep -c wrong "$tmp/err")" 0
other=$(newdb other)
psql_q "$other" -c 'CREATE TABLE payroll (id int)'
check_exit "case-init refuses a database of someone else's" 2 \
    case-init -d "$other"
check_grep 'as not casekit'"'"'s' 'not a casekit database' "$tmp/err"
newer=$(newdb newer)
case-init -d "$newer" >/dev/null
psql_q "$newer" -c 'UPDATE casekit_schema SET version = 99'
check_exit "and every program a newer casekit's" 2 case-list -d "$newer"
check_grep 'telling to upgrade' 'schema version 99 is newer' "$tmp/err"

# A batch whose connection is cut half-way.  A trigger holds the
# import at its 10000th case while the gate table has a row, so that the
# cut falls inside the transaction, with half the batch sent.
awk 'BEGIN { print "category,title,unit"
	for (i = 1; i <= 20000; i++) printf "hazard,隐患%d,xzz\n", i }' \
    >"$tmp/batch.csv"
# gated NAME: a database whose trigger holds the import at 隐患10000.
gated() {
	batch=$(newdb "$1")
	case-init -d "$batch" --units "$top/data/demo-units.csv" >/dev/null
	psql_q "$batch" -c 'CREATE TABLE gate (x int)' -c "CREATE FUNCTION
	    hold() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN
		IF NEW.title = '隐患10000' THEN
			WHILE EXISTS (SELECT 1 FROM gate) LOOP
				PERFORM pg_sleep(0.05);
			END LOOP;
		END IF;
		RETURN NEW; END \$\$" -c 'CREATE TRIGGER hold BEFORE INSERT
	    ON cases FOR EACH ROW EXECUTE FUNCTION hold()'
}
gated batch
# await_one SQL: until the count SQL reads on $batch is 1 (a minute at most).
await_one() {
	_i=0
	until [ "$(psql_q "$batch" -c "$1")" = 1 ] || [ $_i -ge 600 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}
# hold DB OUT SQL: a session of DB's ("holder", its output in OUT) that
# runs SQL in a transaction it keeps open, fed on fd 9, its PID in $hpid;
# back once it waits there.  "COMMIT;" >&9 and exec 9>&- end it.
hold() {
	rm -f "$tmp/hold"
	mkfifo "$tmp/hold"
	psql_q "$1" <"$tmp/hold" >"$2" 2>&1 &
	hpid=$!
	exec 9>"$tmp/hold"
	echo "SET application_name = 'holder'; BEGIN; $3" >&9
	batch=$1 await_one "SELECT count(*) FROM pg_stat_activity
	    WHERE application_name = 'holder' AND datname = current_database()
	    AND state = 'idle in transaction'"
}
# cut APP: the connections of program APP to $batch's database cut; how many.
cut() {
	psql_q "$batch" -c "SELECT count(*) FROM (SELECT
	    pg_terminate_backend(pid) FROM pg_stat_activity
	    WHERE application_name = '$1'
	    AND datname = current_database()) t"
}
# cut_batch WHAT CMD...: runs CMD with the gate shut, cuts its connection
# once it waits there, opens the gate; its status in $rc.
cut_batch() {
	_what=$1
	shift
	psql_q "$batch" -c 'INSERT INTO gate VALUES (1)'
	"$@" >"$tmp/b.out" 2>"$tmp/b.err" &
	_pid=$!
	await_one "SELECT count(*) FROM pg_stat_activity
	    WHERE application_name = 'case-add' AND wait_event = 'PgSleep'
	    AND datname = current_database()"
	check_same "$_what: the connection is cut half-way" \
	    "$(cut case-add)" 1
	psql_q "$batch" -c 'DELETE FROM gate'
	wait $_pid
	rc=$?
}
cut_batch 'from a file' case-add -d "$batch" --csv "$tmp/batch.csv"
check_same 'is made again from its start, and succeeds' "$rc|$(cat "$tmp/b.err")" \
    '0|'
check_same 'printing each new ID once' \
    "$(sort -n "$tmp/b.out" | uniq | wc -l) $(wc -l <"$tmp/b.out") $(head -1 \
    "$tmp/b.out") $(tail -1 "$tmp/b.out")" '20000 20000 1 20000'
check_same 'and adding each case once' "$(psql_q "$batch" -c \
    'SELECT count(*), count(DISTINCT title), max(id) FROM cases')" \
    '20000|20000|20000'
gated batch2
cut_batch 'from a pipe' sh -c "cat '$tmp/batch.csv' |
    case-add -d '$batch' --csv -"
check_same 'which cannot be read again: exit 2' "$rc" 2
check_same 'saying why, in one line' "$(cat "$tmp/b.err")" \
    "case-add: ${batch#*@}: connection lost; nothing of this run was written, and it cannot be made again: its standard input was read and cannot be read again"
check_same 'and nothing was written' \
    "$(psql_q "$batch" -c 'SELECT count(*) FROM cases')" 0
gated batch3
cut_batch 'out of time' env CASE_DB_RETRY=0 case-add -d "$batch" \
    --csv "$tmp/batch.csv"
check_same 'a writer out of its time (CASE_DB_RETRY): exit 2' "$rc" 2
check_grep 'saying nothing was written' \
    'connection lost; nothing of this run was written' "$tmp/b.err"
check_same 'and nothing was' \
    "$(psql_q "$batch" -c 'SELECT count(*) FROM cases')" 0

# A server lost while a writer waits for its input, before its one
# transaction began: it connects again and does the work.
for i in 1 2; do
	CASE_DB=$batch case-add -q --category hazard --title 隐患 --unit xzz
done
(i=0; while [ ! -e "$tmp/go" ] && [ $i -lt 600 ]; do sleep 0.05;
    i=$((i + 1)); done; echo 2) |
    case-assign -d "$batch" --to tbz >"$tmp/r.out" 2>"$tmp/r.err" &
pid=$!
await_one "SELECT count(*) FROM pg_stat_activity
    WHERE application_name = 'case-assign' AND datname = current_database()"
check_same 'a writer waiting for its input has its connection cut' \
    "$(cut case-assign)" 1
touch "$tmp/go"
wait $pid
check_same 'connects again and does its work (exit 0)' "$?|$(cat "$tmp/r.out")" \
    '0|2'
check_same 'which is there' "$(psql_q "$batch" -c \
    'SELECT unit FROM cases WHERE id = 2')" tbz

# A server lost while a writer reads the schema, before its transaction
# began (the schema's table held by another, so that the cut falls
# there): it connects again and does the work.
ro=$(newdb schema_read)
case-init -d "$ro" --units "$top/data/demo-units.csv" >/dev/null
hold "$ro" /dev/null 'LOCK TABLE casekit_schema IN ACCESS EXCLUSIVE MODE;'
case-add -d "$ro" --category hazard --title 读表时断开 --unit xzz \
    >"$tmp/r.out" 2>"$tmp/r.err" &
pid=$!
batch=$ro await_one "SELECT count(*) FROM pg_stat_activity
    WHERE application_name = 'case-add' AND wait_event_type = 'Lock'
    AND datname = current_database()"
check_same 'a writer reading the schema has its connection cut' \
    "$(batch=$ro cut case-add)" 1
echo 'COMMIT;' >&9
exec 9>&-
wait $hpid
wait $pid
check_same 'connects again and adds the case, its ID printed once' \
    "$?|$(cat "$tmp/r.out")|$(cat "$tmp/r.err")" '0|1|'

# A server that turns read-only between a writer's connection and its
# first write, as a switchover's old primary does while it drains
# (default_transaction_read_only): the writer is made again, as when
# the connection is lost, until a server takes the write or its time
# (CASE_DB_RETRY) is up.
ro_name=$(psql_q "$ro" -c 'SELECT current_database()')
# The server counts each transaction rolled back, a refused write's too.
rolled="SELECT xact_rollback FROM pg_stat_database WHERE datname = '$ro_name'"
pg_admin "ALTER DATABASE \"$ro_name\" SET default_transaction_read_only = on"
t0=$(date +%s.%N)
CASE_DB_RETRY=1 case-add -d "$ro" --category hazard --title 只读 --unit xzz \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
check_same 'a server read-only for all of CASE_DB_RETRY: tried for it, exit 2' \
    "$rc $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print (b - a >= 0.9) }')" \
    '2 1'
check_same "with the server's reason, in one line" "$(cat "$tmp/err")" \
    "case-add: ${ro#*@}: cannot execute INSERT in a read-only transaction"
n=$(pg_admin "$rolled")
case-add -d "$ro" --category hazard --title 只读 --unit xzz \
    >"$tmp/r.out" 2>"$tmp/r.err" &
pid=$!
batch=$ro await_one "SELECT (xact_rollback > $n)::int FROM ($rolled) t"
pg_admin "ALTER DATABASE \"$ro_name\" RESET default_transaction_read_only"
wait $pid
check_same 'a writer refused so, the server writable again: adds the case once' \
    "$?|$(cat "$tmp/r.out")|$(cat "$tmp/r.err")|$(psql_q "$ro" -c \
    "SELECT count(*) FROM cases WHERE title = '只读'")" '0|2||1'

# The nightly jobs exclude each other by a lock the server holds, not
# by a file in /tmp that anyone could hold.  (pg_locks and
# pg_stat_activity are the whole server's: other files' runs, at once,
# have theirs, so each question here names this file's database.)
psql_q "$batch" -c "SELECT pg_advisory_lock(hashtext('casekit escalate.lock'))" \
    -c 'SELECT pg_sleep(30)' >/dev/null 2>&1 &
holder=$!
await_one "SELECT count(*) FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND database =
    (SELECT oid FROM pg_database WHERE datname = current_database())"
check_exit 'case-escalate while another run holds the lock: exit 2' 2 \
    case-escalate -d "$batch" -w 0
check_grep 'saying so' 'escalate.lock: locked' "$tmp/err"
psql_q "$batch" -c "SELECT pg_terminate_backend(pid) FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND database =
    (SELECT oid FROM pg_database WHERE datname = current_database())" \
    >/dev/null
wait $holder
check 'and runs once it is free' case-escalate -d "$batch" -w 5

# --- History is evidence, on the server too.
check_exit 'the owner cannot change an event' 1 psql_q "$pg" \
    -c "UPDATE events SET note = 'x' WHERE id = 1"
check_grep 'events are append-only' 'events are append-only' "$tmp/err"

# --- A first import into an empty database drops the indexes only if
# no reader is at work: a drop waiting for a reader, whose own streams
# wait behind the drop, would wait for lock_timeout, a minute, and fail.
# A reader that has read only the units is at work too: dropping the
# cases' foreign keys takes the units whole, so the import would wait
# for the reader while the reader, on to the cases, waited for it.
# held TABLE: an import while a reader's transaction has read TABLE
# and goes on to read the cases after it.
held() {
	held=$(newdb "held_$1")
	case-init -d "$held" --units "$top/data/demo-units.csv" >/dev/null
	hold "$held" "$tmp/held.out" "SELECT count(*) FROM $1;"
	head -101 "$tmp/batch.csv" >"$tmp/held.csv"
	check "an import while a reader holds the $1" case-add -q -d "$held" \
	    --csv "$tmp/held.csv"
	echo 'SELECT count(*) FROM cases; COMMIT;' >&9
	exec 9>&-
	wait $hpid
	check_same 'adds its cases, indexes in place; the reader goes on' \
	    "$?|$(tail -n 1 "$tmp/held.out")|$(psql_q "$held" -c \
	    "SELECT count(*) FROM cases" -c "SELECT count(*) FROM pg_indexes
	    WHERE indexname IN ('cases_open', 'events_case')")" "0|100|100
2"
}
held cases
held units

# --- A reporting role: SELECT granted, nothing else.
psql_q "$pg" -c "CREATE ROLE reader_$$ LOGIN PASSWORD 'report'" \
    -c "GRANT USAGE ON SCHEMA public TO reader_$$" \
    -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader_$$"
rdb="postgresql://reader_$$:report@127.0.0.1:${base##*:}/${pg##*/}"
check_same 'a reporting role reads the same figures' \
    "$(case-stats -d "$rdb" --by unit:street)" \
    "$(case-stats -d "$pg" --by unit:street)"
check_exit 'and cannot add a case' 2 case-add -d "$rdb" --category hazard \
    --title 试图写入 --unit xzz
check_grep 'permission denied, said' 'permission denied' "$tmp/err"
check_exit 'nor passes a dry run' 2 case-note -n -d "$rdb" --note 试图 1
check_grep 'for the same reason' 'permission denied' "$tmp/err"

# --- A password in a URI is never printed.
pw="postgresql://clerk_$$:right@127.0.0.1:${base##*:}/${pg##*/}"
psql_q "$pg" -c "GRANT USAGE ON SCHEMA public TO clerk_$$" \
    -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO clerk_$$"
check 'case-init on a database that has the tables' case-init -d "$to"
check_same 'prints host, port and database' "$(cat "$tmp/out")" \
    "127.0.0.1:${base##*:}/${to##*/}"
check_exit 'a dry-run copy names both sides' 0 case-copy -n -d "$pw" \
    "$tmp/never.db"
check_same 'without the password' "$(grep -c right "$tmp/out")" 0
check_exit 'a connection string libpq cannot read: exit 2' 2 \
    case-list -d 'postgresql://bob:S3CRET@[::1/db'
check_same 'is not echoed' "$(grep -c S3CRET "$tmp/err")" 0
done_testing
