#!/bin/sh
# The review pack's page in headless Chromium: it renders, with its
# charts; it prints to PDF on A4 pages; and its numbers (data-value) are
# case-stats' numbers, run separately.  Run by "make browser".
. "$(dirname "$0")/browser.sh"
plan 11

demo_db
check 'case-pack writes the pack of the quarter' \
    case-pack --quarter 2024Q2 -o "$tmp"
page="$tmp/casekit-2024Q2.html"
check 'the page is there' test -s "$page"

browse --dump-dom "file://$page" >"$tmp/dom.html"
check_grep 'Chromium renders it (the DOM has the summary)' \
    'id="summary"' "$tmp/dom.html"
check_grep 'and the SVG charts' '<svg' "$tmp/dom.html"

# The summary's values, figure by figure, against case-stats.
dom=$(awk '/id="summary"/ { on = 1 } on { print } /<\/table>/ { on = 0 }' \
    "$tmp/dom.html" | grep -o 'data-key="value" data-value="[^"]*"' |
    sed 's/.*data-value="\([^"]*\)"/\1/' | paste -sd' ' -)
want=$(case-stats --since 2024-04-01 --until 2024-06-30 --format json \
    --figures received,registered,due,closed,closure_rate,on_time_rate,success_rate,mediation_rate,rework_rate,extension_rate,satisfaction_rate,open,overdue,closed_late,lapses,dispatch_h_median,dispatch_h_p90,close_h_median,close_h_p90,escalated,supervised,returned,reworks,ack_on_time_rate,same_day_rate |
    python3 -c 'import sys, json
o = json.loads(sys.stdin.read())
print(" ".join(("%.1f" % v if isinstance(v, float) else str(v))
    for k, v in o.items() if not k.endswith(("_num", "_den")) and v is not None))')
check 'the page has values (an empty page would equal nothing)' test -n "$dom"
check_same 'summary values are case-stats values' "$dom" "$want"

# The street chart's bars carry case-stats --by street's received.
bars=$(awk '/id="street"/ { on = 1 } on { print } /<\/svg>/ { on = 0 }' \
    "$tmp/dom.html" | grep -o 'data-label="[^"]*" data-value="[0-9]*"' |
    sed 's/data-label="\([^"]*\)" data-value="\([0-9]*\)"/\1 \2/' |
    paste -sd';' -)
streets=$(case-stats --since 2024-04-01 --until 2024-06-30 --by street \
    --figures received --format tsv | awk -F'\t' 'NR > 1 && $1 != "total" {
	print $1, $3 }' | paste -sd';' -)
check 'the street chart has bars' test -n "$bars"
check_same 'street bars are case-stats --by street' "$bars" "$streets"

# Printed: a PDF whose pages are A4 (595 x 842 points).
browse --no-pdf-header-footer --print-to-pdf="$tmp/pack.pdf" \
    "file://$page" >/dev/null
check 'it prints to PDF' test -s "$tmp/pack.pdf"
# Chromium writes A4 as 594.96 x 841.92; to the point, 595 x 842.
sizes=$(grep -a -o '/MediaBox *\[[^]]*\]' "$tmp/pack.pdf" | tr -d '/[]' |
    awk '{ printf "%s %d %d %.0f %.0f\n", $1, $2, $3, $4, $5 }' | sort -u)
check_same 'on A4 pages only' "$sizes" 'MediaBox 0 0 595 842'
check 'more than one page (a section a page)' \
    test "$(grep -a -o '/Type */Page\b' "$tmp/pack.pdf" | wc -l)" -gt 1
done_testing
