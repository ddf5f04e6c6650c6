#!/bin/sh
# Search (issue 15 item 6): case-list --text finds cases by the words of
# their title, description, location, external reference and notes,
# Chinese included, kept in step by every write; the words of three
# characters or more through the trigram index (SQLite's FTS5,
# PostgreSQL's pg_trgm), shorter ones among the rest; ranked, the same
# cases in the same order on both engines (make check-pg runs this file
# there with the same expectations).
. "$(dirname "$0")/lib.sh"
plan 40

cd "$tmp" || exit 2
init_demo
# ids ARGS...: case-list's IDs in its order, on one line.
ids() {
	case-list --format tsv "$@" | cut -f1 | tr '\n' ' ' | sed 's/ $//'
}

case-add -q --category hazard --title 火锅店在居民楼下堆放液化气罐 \
    --location 淮舜路12号 --desc 'Gas cylinders by the door' \
    --source hotline --ref 12345-20240509-0031
case-add -q --category other --title 淮舜路路灯不亮 --location 东矿社区 \
    --desc 晚上很黑
case-add -q --category dispute --title 噪音扰民 --location 淮舜路88号 \
    --desc '夜间施工, LIQUEFIED gas smell; 10 percent'
case-add -q --category hazard --title 液化气罐 --location 东矿社区
case-close -q --outcome resolved 4

check_same 'a Chinese word: in two titles, closed cases too, newest first' \
    "$(ids --text 液化气罐)" '4 1'
check_same 'a place: a title first, then locations, newest first' \
    "$(ids --text 淮舜路)" '2 3 1'
check_same 'two words: the cases with both' "$(ids --text '淮舜路 液化气罐')" 1
check_same 'split at an ideographic space too' \
    "$(ids --text '淮舜路　液化气罐')" 1
check_same 'English, in any case' "$(ids --text GAS)" '3 1'
check_same 'a run of words inside one' "$(ids --text quefi)" 3
check_same 'the external reference' "$(ids --text 12345-20240509)" 1
check_same 'a word of two characters' "$(ids --text 噪音)" 3
check_same 'a word of one character' "$(ids --text 黑)" 2
check_same 'a short word beside a long one' "$(ids --text '淮舜路 黑')" 2
check_same 'with the other filters: --status open' \
    "$(ids --text 液化气罐 --status open)" 1
check_same 'and --category' "$(ids --text 淮舜路 --category dispute)" 3
check_same 'the list'"'"'s columns' \
    "$(case-list --format tsv --text 噪音 | cut -f1,2,5,7)" \
    "$(printf '3\treported\tdispute\t噪音扰民')"
check_exit 'no case has the word: exit 1' 1 case-list --text 不存在的词
check_same 'and nothing written' "$(cat out)" ''
check_exit 'nor both words' 1 case-list --text '液化气罐 噪音'
check_exit '% is a character, not a wildcard' 1 case-list --text %
check_exit '_ likewise' 1 case-list --text a_b
check_exit 'a double quote is searched as itself' 1 case-list --text 'a"b'
check_exit 'no words: a usage error' 2 case-list --text ' '
check_same 'saying so' "$(cat err)" 'case-list: --text: no words to search for'
check_exit 'nine words: too many' 2 case-list --text 'a b c d e f g h i'

# Every write that changes a searched field keeps the index in step.
case-note -q --note '现场发现煤气泄漏' 2
check_same 'a word of a note added later' "$(ids --text 煤气泄漏)" 2
case-note -q --note '第二次回访' 2
check_same 'and of the next' "$(ids --text '煤气泄漏 第二次')" 2
case-edit -q --title 路灯损坏 2
check_same 'an edited title: found by its new words' \
    "$(ids --text 路灯损坏)" 2
check_exit 'and not by its old' 1 case-list --text 路灯不亮
check_same 'its notes still found' "$(ids --text 煤气泄漏)" 2
case-edit -q --location 文昌路5号 3
check_same 'an edited location: the new' "$(ids --text 文昌路)" 3
check_same 'not the old' "$(ids --text 淮舜路)" 1
case-edit -q --desc 'no more gas' 1
check_same 'an edited description' "$(ids --text 'more gas')" 1
check_exit 'a failed write leaves the index as it was' 1 \
    case-note -q --note 不会留下 99
check_exit 'so a word of it finds nothing' 1 case-list --text 不会留下

# An import into an empty database ends with a complete index.
CASE_DB=$(new_db "$tmp/import.db")
export CASE_DB
init_demo
printf '%s\n' 'category,title,location,description,ref' \
    'hazard,液化气罐泄漏,淮舜路1号,第一条,R-1' \
    'other,路面塌陷,淮舜路2号,"第二条, with ""quotes""",R-2' \
    'hazard,配电箱冒烟,东矿社区,第三条,R-3' >import.csv
check 'case-add --csv into the empty database' case-add -q --csv import.csv
check_same 'every imported case found' "$(ids --text 淮舜路)" '2 1'
check_same 'by its reference too' "$(ids --text r-3)" 3
if on_pg; then
	ok 'the FTS5 index agrees with the text # SKIP SQLite'
else
	check 'the FTS5 index agrees with the text' sqlite3 "$CASE_DB" \
	    "INSERT INTO cases_text (cases_text) VALUES ('integrity-check')"
fi
# Built merging eight segments at a time; later writes merge by default.
if on_pg; then
	ok 'the index merges as by default after the load # SKIP SQLite'
else
	check_same 'the index merges as by default after the load' \
	    "$(sqlite3 "$CASE_DB" "SELECT group_concat(k || '=' || v, ' ')
	    FROM (SELECT k, v FROM cases_text_config WHERE k LIKE '%merge'
	    ORDER BY k)")" 'automerge=4 crisismerge=16'
fi

# case-copy makes the index on the other side (it copies only the rows).
if on_pg; then
	check 'case-copy to a file' case-copy "$tmp/copy.db"
	check_same 'which finds the same' \
	    "$(ids -d "$tmp/copy.db" --text 淮舜路)" '2 1'
	check 'its FTS5 index whole' sqlite3 "$tmp/copy.db" \
	    "INSERT INTO cases_text (cases_text) VALUES ('integrity-check')"
else
	skip 'case-copy goes to a server: make check-pg runs it'
	skip 'case-copy goes to a server: make check-pg runs it'
	skip 'case-copy goes to a server: make check-pg runs it'
fi
done_testing
