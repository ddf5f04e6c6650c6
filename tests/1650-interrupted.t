#!/bin/sh
# Interrupted runs and held locks (issue 13): a workbook, a backup or a
# report killed with SIGKILL just before its rename leaves the old file
# whole and a temporary file that the next run removes (killed while
# written, nothing: the file has no name yet); the sweep removes
# only what is certainly a dead run's own leftover (a regular file of ours
# named after a process that no longer lives), never a live run's file, a
# symlink, another user's file or another output's.  A reader holding a
# read transaction does not stop the nightly escalation; a writer holding
# the write lock past the busy timeout makes it fail loudly, exit 2,
# with nothing done (that part waits 60 s, so only under CASE_TORTURE=1).
# On PostgreSQL the backup (a copy of the SQLite file) and the held write
# lock (SQLite's busy timeout) are skipped; the reader holds its
# transaction in psql.
. "$(dirname "$0")/lib.sh"

if ! command -v strace >/dev/null 2>&1; then
	echo "1..0 # skip needs strace(1) to kill at an exact system call"
	exit 0
fi
plan 38
export CASE_LOGGER=true
d=$tmp/o
mkdir "$d"

init_demo
awk 'BEGIN { print "category,unit,title,reported"
	for (i = 1; i <= 300; i++)
		printf "hazard,xzz-dk-1,隐患%d,2024-05-01T09:00\n", i }' \
    >"$tmp/cases.csv"
case-add -q --csv "$tmp/cases.csv"

# leftovers NAME: the temporary files of output NAME in $d, one a line.
leftovers() {
	(cd "$d" && ls -A | grep "^\.$1\.[0-9]*\.......$") || :
}
# killed_at_rename CMD...: CMD killed by SIGKILL as it enters renameat(2),
# the call refused so that the kill certainly comes before the rename.
# (LeakSanitizer cannot run under ptrace: off for these runs under make asan.)
killed_at_rename() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -qq -f -o /dev/null -e trace=renameat,rename,renameat2 \
	    -e inject=renameat,rename,renameat2:error=EIO:signal=KILL:when=1 \
	    "$@" >/dev/null 2>&1
}

# --- A workbook.
echo old >"$d/q.xlsx"
killed_at_rename case-export --xlsx "$d/q.xlsx"
check_same 'a workbook killed before its rename: the old file is whole' \
    "$(cat "$d/q.xlsx")" old
check_same 'and its temporary file is left, with the workbook written' \
    "$(leftovers q.xlsx | wc -l)" 1
left=$(leftovers q.xlsx)
check 'which is a whole workbook' python3 -m zipfile -t "$d/$left"
check 'the next run writes the workbook' case-export --xlsx "$d/q.xlsx"
check 'a whole one' python3 -m zipfile -t "$d/q.xlsx"
check_same 'and removes the dead run'"'"'s leftover' "$(leftovers q.xlsx)" ''

# Killed earlier, while it is written (at its fsync): the file has no
# name yet (O_TMPFILE), so nothing at all is left, even for an output
# with a new name each day, which no later run of its own would sweep.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    strace -qq -f -o /dev/null -e trace=fsync,fdatasync \
    -e inject=fsync,fdatasync:signal=KILL:when=1 \
    case-export --xlsx "$d/q.xlsx" >/dev/null 2>&1
check_same 'a workbook killed while written: the last one whole' \
    "$(python3 -m zipfile -t "$d/q.xlsx" >/dev/null && echo whole)" whole
check_same 'and nothing else left in the directory' "$(ls -A "$d")" q.xlsx

# --- A backup.
skip_on_pg 5 'case-backup copies the SQLite file' || {
	echo old >"$d/b.db"
	killed_at_rename case-backup "$d/b.db"
	check_same 'a backup killed before its rename: the old file is whole' \
	    "$(cat "$d/b.db")" old
	check_same 'and one temporary file is left' \
	    "$(leftovers b.db | wc -l)" 1
	check 'the next backup runs' case-backup "$d/b.db"
	check_same 'a whole copy' \
	    "$(sqlite3 "$d/b.db" 'PRAGMA integrity_check; SELECT count(*) FROM cases')" \
	    "ok
300"
	check_same 'and the leftover is gone' "$(leftovers b.db)" ''
}

# --- The nightly report, whose files are all written before any rename.
mkdir "$d/rep"
CASE_NOW=2024-05-10T06:00:00+08:00 case-report -o "$d/rep"
cp "$d/rep/report-2024-05-09.txt" "$tmp/old.txt"
case-add -q --category dispute --title 纠纷
CASE_NOW=2024-05-10T06:00:00+08:00 killed_at_rename case-report -o "$d/rep"
check 'a report killed before its first rename: the old text is whole' \
    cmp "$d/rep/report-2024-05-09.txt" "$tmp/old.txt"
n=$(cd "$d/rep" && ls -A | grep -c '^\.report-.*\.[0-9]*\.......$')
check 'and its temporary files are left' test "$n" -ge 1
check 'the next run writes the report' \
    env CASE_NOW=2024-05-10T06:00:00+08:00 case-report -o "$d/rep"
check 'a new one' sh -c '! cmp -s "$1" "$2"' sh \
    "$d/rep/report-2024-05-09.txt" "$tmp/old.txt"
check_same 'and no temporary file is left' \
    "$(cd "$d/rep" && ls -A | grep '^\.')" ''
# The disk full at the page, the text written: both are on disk before
# either is renamed, so neither changes.
cp "$d/rep/report-2024-05-09.txt" "$tmp/old.txt"
cp "$d/rep/report-2024-05-09.html" "$tmp/old.html"
case-add -q --category dispute --title 纠纷二
CASE_NOW=2024-05-10T06:00:00+08:00 \
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    strace -qq -o /dev/null -e trace=fsync,fdatasync \
    -e inject=fsync,fdatasync:error=ENOSPC:when=2+ \
    case-report -o "$d/rep" >/dev/null 2>"$tmp/err"
check_same 'a full disk at the second file: exit 2, saying so' \
    "$? $(cat "$tmp/err")" \
    "2 case-report: $d/rep/report-2024-05-09.html: No space left on device"
check 'the text is as it was' \
    cmp "$d/rep/report-2024-05-09.txt" "$tmp/old.txt"
check 'and so is the page' \
    cmp "$d/rep/report-2024-05-09.html" "$tmp/old.html"
check_same 'and no temporary file is left' \
    "$(cd "$d/rep" && ls -A | grep '^\.')" ''
# So with the quarterly pack's workbook and page.
mkdir "$d/pk"
case-pack --month 2024-05 -o "$d/pk"
cp "$d/pk/casekit-2024-05.xlsx" "$tmp/old.xlsx"
case-add -q --category dispute --title 纠纷三
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    strace -qq -o /dev/null -e trace=fsync,fdatasync \
    -e inject=fsync,fdatasync:error=ENOSPC:when=2+ \
    case-pack --month 2024-05 -o "$d/pk" >/dev/null 2>"$tmp/err"
check_same 'a pack, the disk full at its page: exit 2, saying so' \
    "$? $(cat "$tmp/err")" \
    "2 case-pack: $d/pk/casekit-2024-05.html: No space left on device"
check 'its workbook is as it was' \
    cmp "$d/pk/casekit-2024-05.xlsx" "$tmp/old.xlsx"

# --- What the sweep leaves alone.  A dead process's ID: a shell that
# has exited.  A live one's: this test's own shell.
dead=$(sh -c 'echo $$')
echo secret >"$tmp/outside"
touch "$d/.q.xlsx.$dead.aaaaaa" "$d/.q.xlsx.$$.bbbbbb" \
    "$d/.other.xlsx.$dead.cccccc" "$d/.q.xlsx.$dead.toolong" \
    "$d/.q.xlsx.x$dead.dddddd"
ln -s "$tmp/outside" "$d/.q.xlsx.$dead.eeeeee"
mkdir "$d/.q.xlsx.$dead.ffffff"
check 'a run among planted names succeeds' case-export --xlsx "$d/q.xlsx"
check_same 'only the dead run'"'"'s regular file is removed' \
    "$(cd "$d" && ls -A | grep -v '^\.q\.xlsx\..*' | grep '^\.' ;
       cd "$d" && ls -A | grep '^\.q\.xlsx\.' | sed "s/$dead/DEAD/; s/$$/LIVE/" | LC_ALL=C sort)" \
    ".other.xlsx.$dead.cccccc
.q.xlsx.DEAD.eeeeee
.q.xlsx.DEAD.ffffff
.q.xlsx.DEAD.toolong
.q.xlsx.LIVE.bbbbbb
.q.xlsx.xDEAD.dddddd"
check_same 'the symlink'"'"'s target untouched' "$(cat "$tmp/outside")" secret
if [ "$(id -u)" -eq 0 ]; then
	touch "$d/.q.xlsx.$dead.gggggg"
	chown 65534 "$d/.q.xlsx.$dead.gggggg"
	case-export --xlsx "$d/q.xlsx"
	check 'another user'"'"'s file is not ours to remove' \
	    test -f "$d/.q.xlsx.$dead.gggggg"
else
	ok '# skip another user'"'"'s file (needs root)'
fi

# --- Locks held by others.  A reader inside a read transaction, held
# open until $tmp/go is written to.
mkfifo "$tmp/go" "$tmp/ready"
# (Only the client holds $tmp/ready open, so that its failure is an
# end of file there, not a hang.)
hold() {
	if on_pg; then
		{ printf '%s\n' "$1"
		  printf "SELECT '%s';\n" "$(cat "$tmp/go")"
		  echo 'COMMIT;'; } | sql >"$tmp/ready" 2>"$tmp/hold.err" &
	else
		{ printf '%s\n' .bail\ on '.timeout 30000' "$1"
		  printf '.print %s\n' "$(cat "$tmp/go")"
		  echo 'COMMIT;'; } | sqlite3 "$CASE_DB" >"$tmp/ready" 2>"$tmp/hold.err" &
	fi
	held=$!
	read r <"$tmp/ready"
	check_same "held: $1" "$r|$(cat "$tmp/hold.err")" "ready|"
}
release() {
	echo go >"$tmp/go" &
	wait "$held"
}
overdue=$(case-list --overdue --format tsv | wc -l)
check 'some cases are overdue' test "$overdue" -gt 1
hold "BEGIN; SELECT 'ready' FROM events LIMIT 1;"
check_exit 'a reader in a transaction: the escalation runs, exit 0' 0 \
    case-escalate -w 0
check_same 'quietly' "$(cat "$tmp/out" "$tmp/err")" ''
check_same 'and escalates every overdue case' \
    "$(sql "SELECT count(*) FROM events
	WHERE action IN ('escalated', 'supervised')")" "$overdue"
release

if skip_on_pg 5 "SQLite's write lock and busy timeout"; then
	:
elif [ "${CASE_TORTURE:-0}" = 1 ]; then
	CASE_NOW=2024-05-20T09:00:00+08:00; export CASE_NOW
	before=$(db_dump)
	hold "BEGIN IMMEDIATE; SELECT 'ready' FROM events LIMIT 1;"
	check_exit 'a writer holds the lock past the busy timeout: exit 2' 2 \
	    case-escalate -w 0
	check_grep 'saying so' '^case-assign: .*: database is locked' "$tmp/err"
	release
	check_same 'having done nothing' "$(db_dump)" "$before"
	check_exit 'once it is gone, the escalation runs' 0 case-escalate -w 0
else
	for i in 1 2 3 4 5; do
		ok '# skip a held write lock takes 60 s (CASE_TORTURE=1)'
	done
fi
done_testing
