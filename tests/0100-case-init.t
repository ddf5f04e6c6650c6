#!/bin/sh
# case-init: creating, refreshing, refusing.
. "$(dirname "$0")/lib.sh"
plan 6

check_exit 'a missing database is not created by other programs' 2 case-list
check_grep 'the error names the file' "$db_name" "$tmp/err"
check 'case-init creates the database' case-init --units "$top/data/demo-units.csv"
check_same 'and prints its path' "$(cat "$tmp/out")" "$(shown_db)"
skip_on_pg 1 'the file mode' ||
    check_same 'mode 0660 less the umask' "$(umask 0; rm -f "$CASE_DB"*; case-init >/dev/null; stat -c %a "$CASE_DB")" 660
check 'running it again is harmless' case-init
done_testing
