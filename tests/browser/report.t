#!/bin/sh
# The nightly HTML report in headless Chromium: it renders, the numbers on
# the page are case-stats' numbers, and a screenshot is made.  Run by
# "make browser" (Chromium is a large package, so not by make check).
. "$(dirname "$0")/browser.sh"
plan 9

demo_db
check 'case-report writes the text and the HTML report' \
    case-report
page="$tmp/report-2024-05-09.html"
check 'the page is there' test -s "$page"

# What the browser built from the page, not the page's own text.
browse --dump-dom "file://$page" >"$tmp/dom.html"
check_grep 'Chromium renders it (the DOM has the summary table)' \
    'id="summary"' "$tmp/dom.html"
check_grep 'and the SVG charts' '<svg' "$tmp/dom.html"

# The summary's numbers against case-stats, figure by figure.
dom_values=$(awk '/id="summary"/ { on = 1 } on { print } /<\/table>/ { on = 0 }' \
    "$tmp/dom.html" | grep -o 'data-value="[0-9]*"' | tr -dc '0-9\n' |
    tr '\n' ' ')
fig() {
	case-stats "$@" --format csv | awk -F, -v want="$FIG" '
	    { sub(/\r$/, "") }
	    NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i }
	    NR == 2 { printf "%s ", $c }'
}
want=$(FIG=received fig --since yesterday --until yesterday
    FIG=closed fig --since yesterday --until yesterday
    FIG=received fig; FIG=closed fig; FIG=open fig; FIG=overdue fig)
check_same 'summary numbers are case-stats numbers' "$dom_values" "$want"

# Each street's bar carries case-stats' overdue count for that street.
bars=$(grep -o 'data-label="[^"]*" data-value="[0-9]*"' "$tmp/dom.html" |
    sed 's/data-label="\([^"]*\)" data-value="\([0-9]*\)"/\1 \2/' |
    grep -E '^(bgsz|tbz|xzz) ' | sort | tr '\n' ';')
streets=$(case-stats --by unit:street --format tsv |
    awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "overdue") c = i }
	NR > 1 && $1 != "total" && $1 != "" { print $1, $c }' | sort |
    tr '\n' ';')
check_same 'overdue bars per street match case-stats' "$bars" "$streets"

# The received bars of the 30-day chart add up to the 30-day total.
sum=$(grep -o 'data-received="[0-9]*"' "$tmp/dom.html" | tr -dc '0-9\n' |
    awk '{ s += $1 } END { print s + 0 }')
check_same 'daily received bars add up to case-stats --since -30d' "$sum" \
    "$(FIG=received fig --since -30d | tr -d ' ')"

browse --screenshot="$tmp/report.png" "file://$page" >/dev/null
check 'a screenshot is produced' test -s "$tmp/report.png"
check_same 'and it is a PNG' "$(head -c 8 "$tmp/report.png" | od -An -c |
    tr -d ' ')" '211PNG\r\n032\n'
[ -n "${CASE_SCREENSHOT:-}" ] && cp "$tmp/report.png" "$CASE_SCREENSHOT"
done_testing
