#!/bin/sh
# Each definition is written once for people too (issue 11, item 8):
# casekit(7) states every figure in the very words that case-stats
# --explain prints, and every figure case-stats writes has its
# definition there.  The page is rendered with mandoc (UTF-8, so the
# Chinese terms survive), overstrike removed and all of it joined into
# one line with runs of blanks made one space, so that neither line
# wrapping nor the tag layout matters; each definition is looked for
# after its figure's name, as the page's tagged list puts it.
. "$(dirname "$0")/lib.sh"
plan 7

page=$top/man/man7/casekit.7

# squeeze: the text on stdin as one line, blanks squeezed.
squeeze() {
	tr '\n\t' '  ' | tr -s ' '
}

mandoc -Tutf8 -Owidth=500 "$page" 2>"$tmp/err" |
    sed 's/.\x08//g' | squeeze >"$tmp/page"
check_same 'casekit(7) renders without a word from mandoc' \
    "$(cat "$tmp/err")" ''
check_grep 'the rendered page keeps its Chinese' '应结案数' "$tmp/page"

case-init >/dev/null
case-stats --format tsv >"$tmp/stats"
head -n 1 "$tmp/stats" | tr '\t' '\n' >"$tmp/figures"
# The definitions: the lines after the table's blank line, "name  text".
case-stats --format tsv --explain --by month |
    awk 'seen { print } /^$/ { seen = 1 }' >"$tmp/explain"

# Every figure of the header has a definition line in --explain, and
# the explain lines name no figure that the header lacks.
check_same 'each figure of the header is defined by --explain' \
    "$(awk '{ print $1 }' "$tmp/explain" |
	grep -vxE 'period|as|filters|periods|cases' | paste -sd' ' -)" \
    "$(paste -sd' ' - <"$tmp/figures")"

# missing NAMES...: the names whose --explain line is not, word for
# word after the name, in the rendered page.
missing() {
	for name in "$@"; do
		line=$(awk -v n="$name" '$1 == n' "$tmp/explain" |
		    sed 's/^[^ ]* *//')
		if [ -z "$line" ] ||
		    ! grep -qF -e "$name $line" "$tmp/page"; then
			printf '%s: %s\n' "$name" "$line"
		fi
	done
}
check_same 'casekit(7) defines every figure in the words of --explain' \
    "$(missing $(cat "$tmp/figures"))" ''
check_same 'casekit(7) says how a grouped run falls into rows, as --explain' \
    "$(missing periods)" ''
check_same 'casekit(7) says whose state the filters and groups read, as --explain' \
    "$(missing cases)" ''
case-stats --format tsv --explain --as-of 2024-05-09 >"$tmp/asof"
asof=$(sed -n 's/^as of  *[^ ]* //p' "$tmp/asof")
check_same 'casekit(7) says what --as-of knows, as --explain' \
    "$(grep -qF -e "$asof" "$tmp/page" && echo found || echo "not found: $asof")" \
    found

done_testing
