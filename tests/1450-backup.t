#!/bin/sh
# case-backup: online backups while a writer adds cases, then a
# restore into a new path; the copy is whole, consistent and private.
# All of it on the SQLite file and its copies: skipped on PostgreSQL.
. "$(dirname "$0")/lib.sh"
sqlite_only_file 'case-backup copies the SQLite file'
: ${CASE_BACKUP:=case-backup}
plan 21

init_demo
awk 'BEGIN { print "category,source,title,description"
    for (i = 1; i <= 3000; i++)
	printf "hazard,grid,液化气罐 %d,东矿社区 楼下堆放十余个液化气罐 %d\n", i, i }' |
    case-add -q --csv -
# (sqlite3 waits for a closing writer's checkpoint only if told to.)
count() { sqlite3 -cmd '.timeout 10000' "$1" 'SELECT count(*) FROM cases'; }

# A writer adds cases until told to stop; after its first 20 it says so
# through a FIFO, so the backups surely start while it is writing.
mkfifo "$tmp/go"
(
	n=0
	while [ ! -e "$tmp/stop" ]; do
		case-add -q --actor writer --category dispute --title "纠纷 $n" ||
		    echo "writer failed at $n" >>"$tmp/writer.err"
		n=$((n + 1))
		[ "$n" -eq 20 ] && echo go >"$tmp/go"
	done
	echo "$n" >"$tmp/nwriter"
) &
read -r go <"$tmp/go"
before=$(count "$CASE_DB")
check_exit 'case-backup while the writer runs' 0 $CASE_BACKUP "$tmp/b1.db"
check_same 'quietly, so that cron mails nothing' "$(cat "$tmp/out" "$tmp/err")" ""
mkdir "$tmp/backups"
(cd "$tmp" && $CASE_BACKUP -d cases.db backups/b2.db >/dev/null) 2>"$tmp/b2.err"
check 'again, with relative paths' [ -s "$tmp/backups/b2.db" ]
i=3
while [ "$i" -le 10 ]; do
	$CASE_BACKUP "$tmp/b$i.db" >/dev/null 2>>"$tmp/bn.err"
	i=$((i + 1))
done
check_same 'and eight more, all quiet' "$(cat "$tmp/b2.err" "$tmp/bn.err")" ''
: >"$tmp/stop"
wait
# (The sqlite3 shell, unlike casekit and case-backup, removes them when
# it is the last to close the database, so this is asked first.)
check 'the live database keeps its -wal and -shm' \
    [ -e "$CASE_DB-wal" -a -e "$CASE_DB-shm" ]
after=$(count "$CASE_DB")
check_same 'the writer never failed' "$(cat "$tmp/writer.err" 2>/dev/null)" ''

n1=$(count "$tmp/b1.db")
check 'the first backup holds between the counts before and after it' \
    [ "$before" -le "$n1" -a "$n1" -le "$after" ]
bad=
for i in 2 3 4 5 6 7 8 9 10; do
	f=$tmp/b$i.db
	[ "$i" -eq 2 ] && f=$tmp/backups/b2.db
	[ "$(sqlite3 "$f" 'PRAGMA integrity_check')" = ok ] || bad="$bad $i"
done
check_same 'every backup passes integrity_check' "$bad" ''
check_same 'a backup is one file: no -wal, -shm or temporary left' \
    "$(ls -a "$tmp" "$tmp/backups" | grep -E -e '^b.*-(wal|shm|journal)$' \
    -e '^\.b')" ''
check_same 'in rollback-journal mode' \
    "$(sqlite3 "$tmp/b1.db" 'PRAGMA journal_mode')" delete
check_same 'with the schema version' \
    "$(sqlite3 "$tmp/b1.db" 'PRAGMA user_version')" \
    "$(sqlite3 "$CASE_DB" 'PRAGMA user_version')"
check_same 'and the mode of the database' \
    "$(stat -c %a "$tmp/b1.db")" "$(stat -c %a "$CASE_DB")"

## Restore the first backup into a new path, and use it.
check 'restore into a new path' $CASE_BACKUP -d "$tmp/b1.db" \
    "$tmp/restored.db"
check_same 'the restored database has the backup'"'"'s cases' \
    "$(count "$tmp/restored.db")" "$n1"
CASE_DB=$tmp/restored.db case-export >"$tmp/restored.csv"
case-export | head -n $((n1 + 1)) >"$tmp/live.csv"
check 'exported, they are the first cases of the live database' \
    cmp "$tmp/restored.csv" "$tmp/live.csv"
check 'casekit writes to the restored database' \
    env CASE_DB="$tmp/restored.db" case-close -q --outcome resolved 1
check_same 'which is now in WAL mode again' \
    "$(sqlite3 "$tmp/restored.db" 'PRAGMA journal_mode')" wal

## Refusals.
check_exit 'not over a database in use (it has -wal and -shm)' 2 \
    $CASE_BACKUP -d "$tmp/b1.db" "$CASE_DB"
check_grep 'saying so' '^case-backup: .*cases.db: in use' "$tmp/err"
check_exit 'a missing database' 2 $CASE_BACKUP -d "$tmp/nowhere.db" \
    "$tmp/x.db"
check_exit 'a missing directory' 2 $CASE_BACKUP "$tmp/no/such/dir/x.db"
echo "# writer added $(cat "$tmp/nwriter") cases during 10 backups;" \
    "$before cases before, $n1 in the first backup, $after after"
done_testing
