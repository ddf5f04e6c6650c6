#!/bin/sh
# Access and audit, tried as ordinary users (root bypasses permissions,
# so every check here runs under setpriv as another uid):
# - a new database is readable and writable by its owner and group only;
# - an office shares one database in a setgid group directory (2770),
#   -wal and -shm included, among users of the group;
# - events are append-only in the database itself;
# - every event names the actor (--actor, $CASE_ACTOR) and the operating
#   system user, which a script cannot choose;
# - a reporting account with read permission only can read, not write.
#
# How an office shares one database: keep it in a directory owned by the
# office's group with mode 2770 (setgid, so new files take that group),
# and have administrators work with umask 007 or 002, so that case-init
# makes the database 0660 (with umask 022 it is 0640 and the others may
# only read).  SQLite makes -wal and -shm with the database's own mode
# whatever the umask, and casekit keeps them when it closes (persistent
# WAL).  WAL needs write access to the directory only to make those two
# files when they are missing, e.g. after the sqlite3 shell, which
# removes them when it closes last; without it a writer fails saying so.
# A reporting account needs read permission on the directory and the
# three files, nothing more.
#
# Users: 60001 and 60002, both in group 60100 (the office), and 60003
# (reports) in none.  They need no passwd entry: casekit then records
# the uid as the user.
#
# On PostgreSQL the database is the file's own on the server, not one in
# the office: what is about the file (its mode, -wal and -shm, the
# directory, read permission) is skipped; the users sharing it, the
# append-only history and who wrote each event are checked there too.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root and setpriv to become other users"
	exit 0
fi
plan 33

a="setpriv --reuid=60001 --regid=60001 --groups=60100"
b="setpriv --reuid=60002 --regid=60002 --groups=60100"
r="setpriv --reuid=60003 --regid=60003 --clear-groups"
chmod 0711 "$tmp"
office=$tmp/office
mkdir "$office"
chgrp 60100 "$office"
chmod 2770 "$office"
db=$office/cases.db
on_pg && db=$CASE_DB
mode() { stat -c '%a %g' "$@" | tr '\n' ' ' | sed 's/ $//'; }

## A new database: 0660 less the umask, never more.
check 'user A creates the database (umask 007)' \
    $a sh -c "umask 007; exec case-init -d '$db' --units '$top/data/demo-units.csv'"
skip_on_pg 2 'the mode of the database file' || {
	check_same 'it is mode 0660, group office (setgid directory)' \
	    "$(mode "$db")" '660 60100'
	$a sh -c "umask 0; exec case-init -d '$office/u0.db'" >/dev/null
	$a sh -c "umask 077; exec case-init -d '$office/u77.db'" >/dev/null
	check_same 'with umask 000 still 0660, with 077 0600: never other' \
	    "$(mode "$office/u0.db" "$office/u77.db")" '660 60100 600 60100'
	rm -f "$office"/u0.db* "$office"/u77.db*
}

## Two users of the group share it.
export CASE_DB="$db"
check 'user A adds a case' $a case-add --actor 网格员李四 --category hazard \
    --unit xzz-dk-jws --title 液化气罐
skip_on_pg 1 'the -wal and -shm files' ||
    check_same 'the -wal and -shm files stay, 0660, group office' \
    "$(mode "$db-wal" "$db-shm")" '660 60100 660 60100'
check 'user B (same group) adds a case' $b case-add --category dispute \
    --title 邻里纠纷
check 'user B assigns both' $b case-assign -q --to xzz 1 2
check_exit 'user B lists them' 0 $b case-list --status all
check_same 'both cases there' "$(cut -f1,3 "$tmp/out" | tr '\t\n' ' ')" \
    '1 xzz 2 xzz '
check 'user A closes one' $a case-close -q --outcome resolved 1
skip_on_pg 3 'the -wal and -shm files and the directory' || {
	check_same 'integrity_check ok' \
	    "$(sqlite3 "$db" 'PRAGMA integrity_check')" ok
	check_exit 'with -wal and -shm gone and the directory 2750, a writer' 2 \
	    sh -c "rm -f '$db-wal' '$db-shm'; chmod 2750 '$office'; $b case-note \
	    --note x 1"
	check_grep 'cannot make them: it says so' \
	    'case-note: .*cases.db: .*(the directory is not writable, so the -wal' \
	    "$tmp/err"
	chmod 2770 "$office"
}
check 'a group member with directory write access makes them again' \
    $b case-note -q --note 再次核实 1
skip_on_pg 3 'the modes of the database files' || {
	check_same 'and they are 0660 again' "$(mode "$db-wal" "$db-shm")" \
	    '660 60100 660 60100'
	# A creator whose umask takes the group's write bit locks the others
	# out.
	$a sh -c "umask 022; exec case-init -d '$office/u22.db'" >/dev/null
	check_exit 'a database made with umask 022 is read-only for the group' 2 \
	    $b case-add -d "$office/u22.db" --category hazard --title x
	check_grep 'and the writer is told why' \
	    'case-add: .*u22.db: read-only database' "$tmp/err"
	rm -f "$office"/u22.db*
}

## History is append-only at the database level (on PostgreSQL in the
## server, whoever connects: here its superuser).
# by_hand SQL: SQL typed by hand, in the sqlite3 shell as user A (psql on
# PostgreSQL); its errors in sqlerr.
by_hand() {
	if on_pg; then
		sql "$1"
	else
		$a sqlite3 "$db" "$1"
	fi 2>"$tmp/sqlerr"
}
before=$(db_dump)
by_hand "UPDATE events SET actor = 'someone else'"
check 'SQL by hand cannot UPDATE events' [ $? -ne 0 ]
check_grep 'the trigger says why' 'events are append-only' "$tmp/sqlerr"
by_hand 'DELETE FROM events WHERE case_id = 1'
check 'SQL by hand cannot DELETE events' [ $? -ne 0 ]
check_grep 'the trigger says why' 'events are append-only' "$tmp/sqlerr"
check_same 'the database is unchanged' "$(db_dump)" "$before"

## Actor and operating-system user on every event.
CASE_ACTOR=root USER=root LOGNAME=root $b case-note -q --note 复查 2
case-export --events --format tsv >"$tmp/ev"
check_same 'every event has an actor and a user' \
    "$(awk -F'\t' 'NR > 1 && ($5 == "" || $6 == "")' "$tmp/ev")" ''
check_same 'actor as given, user the uid that ran it' \
    "$(awk -F'\t' 'NR > 1 { print $2, $4, $5, $6 }' "$tmp/ev")" \
    '1 reported 网格员李四 60001
1 assigned 网格员李四 60001
2 reported tester 60002
1 assigned tester 60002
2 assigned tester 60002
1 closed tester 60001
1 noted tester 60002
2 noted root 60002'
check_grep 'case-show shows "actor (user)"' '网格员李四 (60001)' \
    "$(case-show 1 >"$tmp/show"; echo "$tmp/show")"
check_grep '... and the user, which CASE_ACTOR=root cannot change' \
    'root (60002)' \
    "$(case-show 2 >"$tmp/show"; echo "$tmp/show")"

## A reporting account: read permission only, on the files and the
## directory (here through "other"; a group or an ACL does the same).
skip_on_pg 7 'read permission on the database files' || {
	chmod 0755 "$office"
	chmod 0664 "$db" "$db-wal" "$db-shm"
	before=$(db_dump)
	for p in 'case-stats' 'case-export' 'case-list --status all' \
	    'case-show 1 2'; do
		check_exit "reports may run $p" 0 $r $p
	done
	check_exit 'but not case-add' 2 $r case-add --category hazard --title x
	check_grep 'and are told why' \
	    'case-add: .*cases.db: read-only database: no permission to write it' \
	    "$tmp/err"
	check_same 'nothing changed' "$(db_dump)" "$before"
}
echo "# users: 60001 and 60002 (group 60100) write, 60003 only reads"
done_testing
