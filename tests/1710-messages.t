#!/bin/sh
# Messages in the user's language (issue 17): every message, usage text
# and heading marked for translation has a Chinese translation in
# po/zh_CN.po, none fuzzy and none with conversions of its own; no
# diagnostic is left unmarked; LANG=zh_CN.UTF-8 gives Chinese, the C
# locale English, and numbers and data stay the same in both.
. "$(dirname "$0")/lib.sh"
plan 13

cd "$top" || exit 2
xgettext -k_ -kN_ --from-code=UTF-8 -o "$tmp/casekit.pot" bin/*.c lib/*.c
n=$(grep -c '^msgid "' "$tmp/casekit.pot")
echo "# $((n - 1)) messages marked"
check 'hundreds of messages are marked' test "$n" -gt 250
msgmerge -q --no-fuzzy-matching -o "$tmp/merged.po" po/zh_CN.po \
    "$tmp/casekit.pot"
check_same 'every one has a translation in po/zh_CN.po' \
    "$([ -s "$tmp/merged.po" ] || echo 'no merged catalogue'; msgattrib --untranslated --no-obsolete "$tmp/merged.po" |
    grep '^msgid' | sed 1d)" ''
check_same 'none of them fuzzy' \
    "$(msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" |
    grep '^msgid' | sed 1d)" ''
check_same 'and po/zh_CN.po holds no message the sources lost' \
    "$(msgattrib --only-obsolete "$tmp/merged.po" | grep '^#~ msgid')" ''
check 'each translation has its message'"'"'s conversions (msgfmt -c)' \
    msgfmt -c -o /dev/null po/zh_CN.po

# A diagnostic written as a bare literal is one nobody translated: the
# format of err(), errx(), warn() and warnx() when it has words (not a
# lone "malloc" or "spool: %s"), and usage texts.
perl -0777 -ne '
	while (/\b(v?errx?|v?warnx?)\s*\(\s*((?:[^,()]|\([^()]*\))*,\s*)?"((?:[^"\\]|\\.)*)"/g) {
		my ($fn, $code, $s) = ($1, $2 // "", $3);
		next if $fn =~ /err/ && $code eq "";
		# Words, not an option, a conversion or a lone function name.
		(my $w = $s) =~ s/--?[a-z][a-z-]*|%[-+ #0-9.*hlzjt]*[a-zA-Z]//g;
		print "$ARGV: $fn: \"$s\"\n" if $w =~ /[A-Za-z]{2,}\W+[A-Za-z]{2,}/;
	}
	print "$ARGV: usage not marked\n" if /[^(]\s*"usage: /;
' bin/*.c lib/*.c >"$tmp/bare"
check_same 'no diagnostic or usage text is left unmarked' \
    "$(cat "$tmp/bare")" ''
cd "$tmp" || exit 2

if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8'; then
	for i in 1 2 3 4 5 6 7; do
		ok '# skip no zh_CN.UTF-8 locale (scripts/setup-debian makes it)'
	done
	done_testing
	exit
fi
zh() {
	env -u LC_ALL LANG=zh_CN.UTF-8 "$@"
}
check_grep 'LANG=zh_CN.UTF-8 case-add --help: Chinese' '^用法：case-add ' \
    "$(zh case-add --help >"$tmp/zh"; echo "$tmp/zh")"
check_grep 'the C locale: English' '^usage: case-add ' \
    "$(LC_ALL=C case-add --help >"$tmp/c"; echo "$tmp/c")"
init_demo
zh case-show 42 >/dev/null 2>"$tmp/zh.err"
check_grep 'an error as prog: what: why' '^case-show: 42: ' "$tmp/zh.err"
check 'in Chinese' perl -CSD -ne '$han = 1 if /\p{Han}/; END { exit !$han }' \
    "$tmp/zh.err"
zh case-add --category nosuch --title x >/dev/null 2>"$tmp/zh.err"
check_grep 'an unknown code, echoed as given' '^case-add: .*nosuch' "$tmp/zh.err"
case-add -q --category hazard --title 液化气罐
check_same 'data is the same in both: case-stats' \
    "$(zh case-stats --format tsv)" "$(case-stats --format tsv)"
check_same 'and case-export' \
    "$(zh case-export --format csv)" "$(case-export --format csv)"
done_testing
