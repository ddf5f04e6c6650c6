#!/bin/sh
# Working-day deadlines: the shipped mainland calendar (National Day 2024
# and 2026, 调休 make-up days), calendar and hour deadlines, the dispatch
# limit, the fallback past the last loaded year, and case-init --calendar.
#
# The rule under test (lib/deadline.c, casekit(7)): Nwd ends at 23:59:59
# local time on the Nth working day AFTER the day the clock starts (the
# day of receipt never counts, whether or not it is a working day); Nd
# ends at 23:59:59 of the day N calendar days later; Nh is exact.
. "$(dirname "$0")/lib.sh"
plan 45

# The categories (tests/data/lc-categories.csv):
#   hazard 24h (dispatch 2h), enterprise 3wd (2h), petition 13wd (1wd),
#   dispute 7d, legal-aid 1wd, suggestion 5wd.
check 'case-init with a categories file' \
    case-init --units "$top/data/demo-units.csv" \
    --categories "$data/lc-categories.csv"

# due_at WHEN CATEGORY: adds a case reported at WHEN (the clock is set to
# WHEN as well) and prints its stored deadline from case-list's TSV.  The
# new ID is left in $tmp/id, case-add's stderr in $tmp/warn.
due_at() {
	CASE_NOW=$1 case-add --category "$2" --title 期限测试 \
	    >"$tmp/id" 2>"$tmp/warn"
	case-list --status all --format tsv |
	    awk -F'\t' -v id="$(cat "$tmp/id")" '$1 == id { print $4 }'
}

# 3wd from Fri 2024-09-27 10:00: Sat 28 off; Sun 29 is a make-up working
# day (1); Mon 30 (2); 1-7 Oct National Day off (5, 6 Oct are the weekend
# anyway); Tue 8 Oct (3).
check_same '3wd across National Day 2024 and the 29 Sep make-up day' \
    "$(due_at 2024-09-27T10:00:00+08:00 enterprise)" \
    2024-10-08T23:59:59+08:00
id1=$(cat "$tmp/id")
check_same 'no warning inside the shipped calendar' "$(cat "$tmp/warn")" ''
check_same 'case-export stores the same deadline' \
    "$(case-export | awk -F, -v id="$id1" '$1 == id { print $14 }')" \
    2024-10-08T23:59:59+08:00
check_same 'the reported event carries the deadline' \
    "$(case-export --events | awk -F, -v id="$id1" \
    '$2 == id && $4 == "reported" { print $9 }')" 2024-10-08T23:59:59+08:00

# Dispatch 2h from 10:00 is exact: 12:00 the same day.
CASE_NOW=2024-09-27T10:00:00+08:00 case-show "$id1" >"$tmp/show"
check_grep 'case-show: the dispatch clock runs against 2h' \
    '^dispatch  *0\.0h running (limit 2024-09-27T12:00:00+08:00)$' \
    "$tmp/show"
check_grep 'case-show: the resolution clock has not started' \
    '^resolution  *not started$' "$tmp/show"

# 1wd from Sat 2024-10-12, itself a make-up working day: the day of
# receipt does not count even so; Sun 13 off; Mon 14 (1).
check_same '1wd from the 12 Oct make-up Saturday is Monday 14 Oct' \
    "$(due_at 2024-10-12T10:00:00+08:00 legal-aid)" \
    2024-10-14T23:59:59+08:00
# 1wd from Sun 2024-09-29 (make-up day) at 23:30: Mon 30 (1).
check_same '1wd from the 29 Sep make-up Sunday late at night' \
    "$(due_at 2024-09-29T23:30:00+08:00 legal-aid)" \
    2024-09-30T23:59:59+08:00
# 1wd from Mon 2024-09-30: 1-7 Oct off; Tue 8 (1).
check_same '1wd from 30 Sep skips the whole National Day week' \
    "$(due_at 2024-09-30T16:00:00+08:00 legal-aid)" \
    2024-10-08T23:59:59+08:00
# 1wd from Thu 2024-10-03, a holiday: 4 Oct off, 5-6 weekend, 7 off,
# Tue 8 (1).
check_same '1wd received during the holiday' \
    "$(due_at 2024-10-03T09:00:00+08:00 legal-aid)" \
    2024-10-08T23:59:59+08:00
# 1wd from Fri 2024-09-13 (before Mid-Autumn): Sat 14 Sep is a make-up
# working day (1).
check_same '1wd from Fri 13 Sep lands on the 14 Sep make-up Saturday' \
    "$(due_at 2024-09-13T17:00:00+08:00 legal-aid)" \
    2024-09-14T23:59:59+08:00

# 13wd from Fri 2024-09-20: Mon 23 - Fri 27 (1-5), Sun 29 (6), Mon 30
# (7), 1-7 Oct off, Tue 8 - Fri 11 (8-11), Sat 12 make-up (12), Mon 14
# (13).
check_same '13wd across both make-up days and National Day' \
    "$(due_at 2024-09-20T10:00:00+08:00 petition)" \
    2024-10-14T23:59:59+08:00
id13=$(cat "$tmp/id")
# Its dispatch limit, 1wd from Fri 20 Sep: Mon 23 Sep (1).
CASE_NOW=2024-09-20T10:00:00+08:00 case-show "$id13" >"$tmp/show"
check_grep 'a dispatch limit in working days' \
    '^dispatch  *0\.0h running (limit 2024-09-23T23:59:59+08:00)$' \
    "$tmp/show"

# 5wd from Mon 2024-09-09: Tue 10 - Fri 13 (1-4), Sat 14 make-up (5).
check_same '5wd before Mid-Autumn ends on the make-up Saturday' \
    "$(due_at 2024-09-09T10:00:00+08:00 suggestion)" \
    2024-09-14T23:59:59+08:00

# Calendar days ignore the calendar: 7d from Thu 2024-05-09 09:00 ends
# at the close of Thu 16 May.
check_same '7d is the end of the seventh day' \
    "$(due_at 2024-05-09T09:00:00+08:00 dispute)" \
    2024-05-16T23:59:59+08:00
# 7d from Mon 2024-09-30 10:00 is Mon 7 Oct, a holiday: no matter.
check_same '7d runs through holidays' \
    "$(due_at 2024-09-30T10:00:00+08:00 dispute)" \
    2024-10-07T23:59:59+08:00
# Hours are exact, holidays or not.
check_same '24h is exact' "$(due_at 2024-05-09T09:00:00+08:00 hazard)" \
    2024-05-10T09:00:00+08:00
check_same '24h from 30 Sep 16:30 is 1 Oct 16:30, a holiday' \
    "$(due_at 2024-09-30T16:30:00+08:00 hazard)" \
    2024-10-01T16:30:00+08:00
check_same 'a time given in another zone is the same instant' \
    "$(due_at 2024-05-09T01:00:00Z hazard)" 2024-05-10T09:00:00+08:00

# 2026: Wed 30 Sep, 3wd: 1-2 Oct off, 3-4 weekend, 5-7 off, Thu 8 (1),
# Fri 9 (2), Sat 10 Oct make-up (3).
check_same '3wd across National Day 2026 ends on the 10 Oct make-up day' \
    "$(due_at 2026-09-30T10:00:00+08:00 enterprise)" \
    2026-10-10T23:59:59+08:00
# Fri 2026-09-18, 3wd: Sat 19 off, Sun 20 Sep make-up (1), Mon 21 (2),
# Tue 22 (3).
check_same '3wd over the 20 Sep 2026 make-up Sunday' \
    "$(due_at 2026-09-18T10:00:00+08:00 enterprise)" \
    2026-09-22T23:59:59+08:00
# Thu 2026-09-24, 3wd: Fri 25 Mid-Autumn off, 26-27 weekend, Mon 28 (1),
# Tue 29 (2), Wed 30 (3).
check_same '3wd over Mid-Autumn 2026' \
    "$(due_at 2026-09-24T10:00:00+08:00 enterprise)" \
    2026-09-30T23:59:59+08:00
# Wed 2025-12-31, 1wd: 1-2 Jan 2026 off, Sat 3 off, Sun 4 Jan make-up (1).
check_same '1wd over New Year 2026 ends on the 4 Jan make-up Sunday' \
    "$(due_at 2025-12-31T10:00:00+08:00 legal-aid)" \
    2026-01-04T23:59:59+08:00
check_same 'still no warning at the end of the shipped years' \
    "$(cat "$tmp/warn")" ''

# Past the last loaded year (2026): Wed 2026-12-30, 5wd counting weekends
# only: Thu 31 Dec (1), Fri 1 Jan 2027 (2), Mon 4 (3), Tue 5 (4), Wed 6 (5).
check_same 'past 2026, 5wd counts weekends only' \
    "$(due_at 2026-12-30T10:00:00+08:00 suggestion)" \
    2027-01-06T23:59:59+08:00
idpast=$(cat "$tmp/id")
check_grep 'and warns on stderr about the calendar' 'calendar' "$tmp/warn"
check_grep 'naming the year loaded last' '2026' "$tmp/warn"
check_same 'the warning does not go to stdout: one line, the ID' \
    "$(wc -l <"$tmp/id" | tr -d ' '):$(grep -c '^[0-9][0-9]*$' "$tmp/id")" 1:1
check_same 'the warning is given once per run' \
    "$(grep -c calendar "$tmp/warn")" 1
# Wed 2027-02-03, 3wd on weekends only: Thu 4 (1), Fri 5 (2), Mon 8 (3).
check_same '3wd in February 2027 on weekends only' \
    "$(due_at 2027-02-03T10:00:00+08:00 enterprise)" \
    2027-02-08T23:59:59+08:00

# Bad calendar files are refused whole, with exit 1, and leave the
# database as it was.
before=$(db_dump)
printf 'date,type\n2027-01-01,off\n2027-02-30,off\n' >"$tmp/bad-date.csv"
check_exit 'a calendar with 2027-02-30 is refused' 1 \
    case-init --calendar "$tmp/bad-date.csv"
check_grep 'the error names the file, line 3 and the date' \
    'bad-date.csv:3: date.*2027-02-30' "$tmp/err"
printf 'date,type\n2027-01-01,off\n2027-01-02,holiday\n' >"$tmp/bad-type.csv"
check_exit 'a calendar with a type other than off or work is refused' 1 \
    case-init --calendar "$tmp/bad-type.csv"
check_grep 'the error names line 3 and the type' \
    'bad-type.csv:3: type.*holiday' "$tmp/err"
printf 'date,type\n2027-1-4,work\n' >"$tmp/bad-form.csv"
check_exit 'a date not written YYYY-MM-DD is refused' 1 \
    case-init --calendar "$tmp/bad-form.csv"
printf 'day,kind\n2027-01-01,off\n' >"$tmp/bad-header.csv"
check_exit 'a calendar without the date,type header is refused' 1 \
    case-init --calendar "$tmp/bad-header.csv"
check_same 'the database is unchanged by all of them' "$(db_dump)" "$before"

# The 2027 calendar, fictitious test data (tests/data/lc-calendar-2027.csv):
# 1 Jan off, Sat 6 Feb work, Mon 8 Feb off.
check 'case-init --calendar loads the next year' \
    case-init --calendar "$data/lc-calendar-2027.csv"
# Wed 2026-12-30, 5wd: Thu 31 Dec (1), Fri 1 Jan off, Mon 4 (2), Tue 5
# (3), Wed 6 (4), Thu 7 (5).
check_same 'the same 5wd deadline now skips 1 Jan 2027' \
    "$(due_at 2026-12-30T10:00:00+08:00 suggestion)" \
    2027-01-07T23:59:59+08:00
check_same 'and there is no warning any more' "$(cat "$tmp/warn")" ''
# Wed 2027-02-03, 3wd: Thu 4 (1), Fri 5 (2), Sat 6 work (3).
check_same 'a loaded make-up Saturday counts' \
    "$(due_at 2027-02-03T10:00:00+08:00 enterprise)" \
    2027-02-06T23:59:59+08:00
check_same 'a deadline stored before the load is left alone' \
    "$(case-list --status all --format tsv |
    awk -F'\t' -v id="$idpast" '$1 == id { print $4 }')" \
    2027-01-06T23:59:59+08:00
check_same 'the shipped years are still there' \
    "$(due_at 2024-09-27T10:00:00+08:00 enterprise)" \
    2024-10-08T23:59:59+08:00

# A calendar file also overrides shipped days, here in a second database:
# with Mon 30 Sep 2024 made a day off, 3wd from Fri 27 Sep is Sun 29 (1),
# Tue 8 Oct (2), Wed 9 Oct (3).
printf 'date,type\n2024-09-30,off\n' >"$tmp/override.csv"
other=$(new_db "$tmp/other.db")
CASE_DB=$other case-init --categories "$data/lc-categories.csv" \
    --calendar "$tmp/override.csv" >/dev/null
check_same 'a loaded day overrides the shipped one' \
    "$(CASE_DB=$other; due_at 2024-09-27T10:00:00+08:00 enterprise)" \
    2024-10-09T23:59:59+08:00
done_testing
