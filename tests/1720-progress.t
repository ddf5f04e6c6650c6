#!/bin/sh
# Progress on long work (issue 17): an import, an export, a workbook and
# a backup draw a progress line on standard error once they have run for
# CASE_PROGRESS_DELAY seconds (2 unless set), only when standard error is
# a terminal (here script(1)'s), never into a pipe, a file or cron's mail;
# a message after it starts on a line of its own.  On PostgreSQL the
# backup (pages of the SQLite file) and the migration from schema 4 (a
# SQLite user_version) are skipped.
. "$(dirname "$0")/lib.sh"

if ! command -v script >/dev/null 2>&1; then
	echo "1..0 # skip needs script(1) (Debian: bsdutils)"
	exit 0
fi
plan 13

init_demo
awk 'BEGIN { print "category,title"
	for (i = 1; i <= 3000; i++) printf "hazard,隐患%d\n", i }' >"$tmp/a.csv"
# tty CMD: CMD with a terminal for its standard error (and input), its
# standard output to $tmp/tty.out; what the terminal showed, with each
# redraw's carriage return as a line break.
tty() {
	script -qec "$* >'$tmp/tty.out'" /dev/null </dev/null | tr '\r' '\n' |
	    sed '/^$/d'
}

out=$(CASE_PROGRESS_DELAY=0 tty case-add -q --csv "$tmp/a.csv")
check_grep 'an import on a terminal counts its rows' \
    '^import: 3000 [0-9]* s$' "$(echo "$out" >"$tmp/o"; echo "$tmp/o")"
check_same 'and the rows are in' "$(case-list --format tsv | wc -l)" 3000
CASE_PROGRESS_DELAY=0 case-add -q --csv "$tmp/a.csv" 2>"$tmp/err"
check_same 'into a file (cron, a log): nothing' "$(cat "$tmp/err")" ''
check_same 'nor into a pipe' \
    "$(CASE_PROGRESS_DELAY=0 case-export --format csv 2>&1 >/dev/null | cat)" ''
check_same 'before its delay: nothing on the terminal either' \
    "$(CASE_PROGRESS_DELAY=3600 tty case-export --format csv)" ''

out=$(CASE_PROGRESS_DELAY=0 tty case-export --format csv)
check_grep 'an export counts its cases' '^export: 6000 [0-9]* s$' \
    "$(echo "$out" >"$tmp/o"; echo "$tmp/o")"
case-export --format csv >"$tmp/plain.csv"
check 'the export itself untouched' cmp "$tmp/tty.out" "$tmp/plain.csv"
out=$(CASE_PROGRESS_DELAY=0 tty case-export --xlsx "$tmp/q.xlsx")
check_grep 'so does a workbook' '^export: 6000 [0-9]* s$' \
    "$(echo "$out" >"$tmp/o"; echo "$tmp/o")"
skip_on_pg 1 'case-backup copies the SQLite file' || {
	out=$(CASE_PROGRESS_DELAY=0 tty case-backup "$tmp/b.db")
	check_grep 'a backup counts its pages' '^backup: [0-9]*/[0-9]* (100%) ' \
	    "$(echo "$out" >"$tmp/o"; echo "$tmp/o")"
}

# A migration: schema 4 (no event chain) upgraded to 9 by a reader.
skip_on_pg 2 'schema 4 is a SQLite user_version' || {
	sqlite3 "$CASE_DB" "DROP TRIGGER event_chain_no_delete;
	    DROP TRIGGER event_chain_no_update; DROP TRIGGER event_chain_no_replace;
	    DROP TRIGGER events_no_replace; DROP TABLE event_chain;
	    DROP TABLE api_keys; DROP INDEX cases_place;
	    ALTER TABLE cases DROP COLUMN lat;
	    ALTER TABLE cases DROP COLUMN lon;
	    ALTER TABLE cases DROP COLUMN media_url; DROP INDEX cases_ref;
	    ALTER TABLE cases DROP COLUMN ref; DROP TABLE roster; DROP TABLE assists;
	    PRAGMA user_version = 4"
	out=$(CASE_PROGRESS_DELAY=0 tty case-list)
	check_grep 'a migration counts its steps' '^migration: 7/7 (100%) ' \
	    "$(echo "$out" >"$tmp/o"; echo "$tmp/o")"
	check_same 'and the database is at schema 11' \
	    "$(sqlite3 "$CASE_DB" 'PRAGMA user_version')" 11
}

# A bad row after the line has been drawn: the message on its own line.
{ cat "$tmp/a.csv"; echo 'nosuch,坏行'; } >"$tmp/bad.csv"
out=$(CASE_PROGRESS_DELAY=0 tty case-add -q --csv "$tmp/bad.csv")
check_grep 'a message after the line starts a line of its own' \
    '^case-add: .*bad.csv:3002: ' "$(echo "$out" >"$tmp/o"; echo "$tmp/o")"
check_same 'and nothing was added' "$(case-list --format tsv | wc -l)" 6000
done_testing
