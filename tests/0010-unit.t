#!/bin/sh
# The C unit tests of the library (tests/unit.c), which print their own TAP.
# They make a SQLite file of their own whatever CASE_DB is, so make check-pg
# has nothing to add to make check's run of them (no lib.sh here: exec).
if [ -n "${CASEKIT_TEST_PG:-}" ]; then
	echo '1..0 # SKIP SQLite only: the unit tests use a SQLite file of their own'
	exit 0
fi
exec "$(dirname "$0")/unit"
