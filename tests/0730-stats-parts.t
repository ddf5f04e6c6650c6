#!/bin/sh
# case-stats on SQLite reads the cases in two parts by ID, each on a
# connection of its own in a thread of its own, and adds the second
# part's counts and durations to the first's: the figures are those of
# one pass (on PostgreSQL they are one pass).  Here the two halves of the
# IDs differ, so that a part left out, counted twice or merged in a group
# of its own shows.
. "$(dirname "$0")/lib.sh"
plan 7

# fig NAME ROW: the value of a figure in row ROW (a key) of the TSV on
# stdin; the total's row is "total".
fig() {
	awk -F '\t' -v n="$1" -v r="$2" 'NR == 1 { for (i = 1; i <= NF; i++)
	    c[$i] = i; next } $1 == r { print $c[n] }'
}

init_demo
# IDs 1-5 (other) closed an hour after their report, 6-10 (dispute) ten
# hours after; a hazard in each half (3 and 8).
{
	echo 'title,category,unit,reported,status,outcome,closed'
	for i in 1 2 3 4 5 6 7 8 9 10; do
		c=other h=09
		[ "$i" -gt 5 ] && c=dispute h=18
		[ "$i" = 3 ] || [ "$i" = 8 ] && c=hazard
		printf '案件%d,%s,fgw,2024-05-01T08:00,closed,resolved,2024-05-01T%s:00\n' \
		    "$i" "$c" "$h"
	done
} >"$tmp/ten.csv"
check 'ten cases, all closed' case-add -q --csv "$tmp/ten.csv"
case-stats --format tsv --by category >"$tmp/cat"
check_same 'each counted once, in its own group' \
    "$(for r in dispute hazard other total; do fig received $r <"$tmp/cat"
	done | paste -sd' ' -)" '4 2 4 10'
check_same 'a group in both halves has the durations of both' \
    "$(fig close_h_median hazard <"$tmp/cat")" '5.5'
check_same 'the total: the median of the ten, the p90 the ninth' \
    "$(fig close_h_median total <"$tmp/cat") $(fig close_h_p90 total \
	<"$tmp/cat")" '5.5 10.0'
case-stats --format tsv --by month >"$tmp/month"
check_same 'by month, one row of ten' \
    "$(fig received 2024-05 <"$tmp/month") $(fig closed 2024-05 \
	<"$tmp/month") $(fig close_h_median 2024-05 <"$tmp/month")" \
    '10 10 5.5'
case-stats --format tsv >"$tmp/all"
check_same 'without keys, the same total' \
    "$(sed -n 2p "$tmp/all" | cut -f1,4)" "$(printf '10\t10')"
check_same '--ids in the order of the cases' \
    "$(case-stats --ids closed | paste -sd' ' -)" '1 2 3 4 5 6 7 8 9 10'
done_testing
