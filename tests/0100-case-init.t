#!/bin/sh
# case-init: creating, refreshing, refusing.
. "$(dirname "$0")/lib.sh"
plan 14

check_exit 'a missing database is not created by other programs' 2 case-list
check_grep 'the error names the file' "$db_name" "$tmp/err"
check 'case-init creates the database' case-init --units "$top/data/demo-units.csv"
check_same 'and prints its path' "$(cat "$tmp/out")" "$(shown_db)"
skip_on_pg 1 'the file mode' ||
    check_same 'mode 0660 less the umask' "$(umask 0; rm -f "$CASE_DB"*; case-init >/dev/null; stat -c %a "$CASE_DB")" 660
check 'running it again is harmless' case-init

# A run that made the database and is stopped before it is filled (held
# here at its units file, a FIFO) removes it, -wal and -shm too; a run
# that did not make it leaves it, though it was missing when it looked.
skip_on_pg 8 'the files of a SQLite database' || {
	mkfifo "$tmp/units.fifo"
	case-init -d "$tmp/held.db" --units "$tmp/units.fifo" >/dev/null \
	    2>&1 &
	pid=$!
	wait_until [ -e "$tmp/held.db-wal" ]
	kill -TERM $pid
	{ wait $pid; } 2>/dev/null
	check_same 'case-init stopped by SIGTERM while held: nothing stays' \
	    "$(ls "$tmp" | grep -c '^held\.db')" 0
	if command -v strace >/dev/null; then
		printf 'code,name,parent\nx,甲,nosuch\n' >"$tmp/bad.csv"
		# (LeakSanitizer cannot run under ptrace: make asan.)
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    strace -f -qq -o /dev/null -P "$tmp/shared.db" \
		    -e trace=openat,link,linkat \
		    -e inject=openat,link,linkat:delay_enter=4000000:when=1 \
		    case-init -d "$tmp/shared.db" --units "$tmp/bad.csv" \
		    >/dev/null 2>"$tmp/b.err" &
		pid=$!
		sleep 1
		case-init -d "$tmp/shared.db" >/dev/null
		wait $pid
		check_same 'a run that finds one made meanwhile: exit 1' "$?" 1
		check 'and that database stays' [ -s "$tmp/shared.db" ]
		# The other way round: a run finds the file that a run still
		# making it (held at its units file) then removes; it waits
		# for that run, and makes the database anew.
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    strace -f -qq -o /dev/null -P "$tmp/bad.csv" \
		    -e trace=openat \
		    -e inject=openat:delay_enter=2000000:when=1 \
		    case-init -d "$tmp/race.db" --units "$tmp/bad.csv" \
		    >/dev/null 2>"$tmp/b.err" &
		pid=$!
		wait_until [ -e "$tmp/race.db" ]
		check_same 'a run that finds a database being made waits' \
		    "$(case-init -d "$tmp/race.db")" "$tmp/race.db"
		wait $pid
		check_same 'its maker fails: exit 1' "$?" 1
		check_same 'and the waiting run'"'"'s database is there' \
		    "$(sqlite3 "$tmp/race.db" 'SELECT count(*) > 0 FROM
		    categories')" 1
		# A run held before its new file has its lock (at flock): the
		# file has no name yet, so another run makes its own, which the
		# first, failing, leaves.
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    strace -f -qq -o /dev/null -e trace=flock \
		    -e inject=flock:delay_enter=3000000:when=1 \
		    case-init -d "$tmp/f.db" --units "$tmp/bad.csv" \
		    >/dev/null 2>&1 &
		pid=$!
		sleep 1
		case-init -d "$tmp/f.db" >/dev/null
		wait $pid
		check_same 'held before its lock: exit 1, the other'"'"'s kept' \
		    "$? $(sqlite3 "$tmp/f.db" 'SELECT count(*) > 0 FROM
		    categories')" '1 1'
		# A FIFO put at the name between the look and the open is
		# refused, not waited on for ever.
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    timeout 30 strace -f -qq -o /dev/null -P "$tmp/race.db" \
		    -e trace=newfstatat,lstat \
		    -e inject=newfstatat,lstat:delay_exit=2000000:when=1 \
		    case-init -d "$tmp/race.db" >/dev/null 2>"$tmp/s.err" &
		pid=$!
		sleep 0.5
		rm "$tmp/race.db"
		mkfifo "$tmp/race.db"
		wait $pid
		check_same 'a FIFO put there meanwhile: exit 2, refused' \
		    "$? $(cat "$tmp/s.err")" \
		    "2 case-init: $tmp/race.db: not a regular file"
	else
		for i in 1 2 3 4 5 6 7; do
			skip 'needs strace(1) to hold a run'
		done
	fi
}
done_testing
