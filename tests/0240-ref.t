#!/bin/sh
# The external reference (issue 15 item 5, issue 16 part 3): the number
# another system gave a case (a 12345 hotline's 工单编号), unique within
# its source, given by case-add --ref or an import's ref column, shown,
# exported, found by case-show --ref, and what case-add --update matches
# a row without an ID by.  Schema 7 holds it; a version-6 database
# upgrades and keeps its cases.
. "$(dirname "$0")/lib.sh"
plan 46

cd "$tmp" || exit 2
init_demo
nevents() {
	sql 'SELECT count(*) FROM events'
}

R=12345-20240509-0031
check_exit 'case-add --ref' 0 case-add --category hazard --title 液化气罐 \
    --source hotline --ref "$R" --reported 2024-05-09T08:00
check_same 'the new ID' "$(cat out)" 1
check_exit 'the same ref and source again is refused' 1 \
    case-add --category hazard --title 再报 --source hotline --ref "$R"
check_same 'naming the case that has it, the source and the ref' "$(cat err)" \
    "case-add: ref: case 1 of source hotline has $R already (unique per source)"
check_same 'and nothing added' "$(sql 'SELECT count(*) FROM cases')" 1
check_exit 'the same ref in another source is another case' 0 \
    case-add --category hazard --title 企呼 --source wechat --ref "$R" \
    --reported 2024-05-09T09:00
check_exit 'without --source, the ref is the source other'"'"'s' 0 \
    case-add --category dispute --title 噪音 --ref OTHER-1 \
    --reported 2024-05-09T08:30
check_exit 'and unique there too' 1 \
    case-add --category dispute --title 噪音 --ref OTHER-1
check_exit '--reported later than now is refused' 2 \
    case-add --category dispute --title 噪音 --reported +10d
check_same 'as --at is' "$(cat "$tmp/err")" \
    'case-add: --reported: +10d is later than now: it enters what already happened'
tab=$(printf 'a\tb')
check_exit 'a ref with a control character is refused' 1 \
    case-add --category hazard --title x --ref "$tab"
check_same 'saying why' "$(cat err)" \
    'case-add: ref: control characters are not allowed -- a\tb'
long=$(printf '%0129d' 0)
check_exit 'a ref of 129 bytes is refused' 1 \
    case-add --category hazard --title x --ref "$long"
check_same 'with the limit' "$(cat err)" \
    'case-add: ref: longer than 128 bytes'
check_exit 'an empty ref is refused' 1 \
    case-add --category hazard --title x --ref ''
check_same 'as empty' "$(cat err)" 'case-add: ref: empty'
check_exit 'a ref of invalid UTF-8 is refused' 1 \
    case-add --category hazard --title x --ref "$(printf 'a\377')"
check_same 'as such' "$(cat err)" 'case-add: ref: invalid UTF-8'
check_exit 'one of 128 bytes of Chinese and ASCII is taken' 0 \
    case-add --category hazard --title x --ref "工单$(printf '%0122d' 7)"
check_same 'the cases: the refused ones added nothing' \
    "$(sql 'SELECT count(*) FROM cases')" 4

# case-show shows it and finds a case by it.
check_grep 'case-show shows the ref' "^ref  *$R\$" \
    "$(case-show 1 >show; echo show)"
check_exit 'case-show --ref of two sources is refused' 1 case-show --ref "$R"
check_same 'naming both cases and their sources' "$(cat err)" \
    "case-show: ref $R: cases of several sources have it: 1 (hotline), 2 (wechat); say which with --source"
check_exit 'case-show --ref --source' 0 case-show --ref "$R" --source wechat
check_same 'shows that source'"'"'s case' "$(sed -n 1p out)" 'case         2'
check_exit 'case-show --ref of one source needs no --source' 0 \
    case-show --ref OTHER-1
check_same 'and shows it' "$(sed -n 1p out)" 'case         3'
check_exit 'a ref nobody has' 1 case-show --ref NONE
check_same 'is said' "$(cat err)" 'case-show: ref NONE: no such case'
check_exit '--source without --ref is a usage error' 2 case-show --source grid

# The export carries it, after the columns before it (only the position,
# lat and lon, came later); the CSV import maps it, and --update matches
# a row without an ID by its source and ref.
check_same 'case-export: ref is the column after outcome_note' \
    "$(case-export | sed -n 1p | tr -d '\r' | awk -F, '{ print $19 }')" ref
check_same 'with the case'"'"'s ref' \
    "$(case-export | sed -n 2p | tr -d '\r' | awk -F, '{ print $19 }')" "$R"
cat >week1.csv <<'EOF'
ref,source,reported,category,title,unit,status
12345-20240509-0031,hotline,2024-05-09T08:00,hazard,液化气罐,,
12345-20240509-0040,hotline,2024-05-09T11:00,dispute,楼上噪音,,
EOF
cat >week2.csv <<'EOF'
id,ref,source,reported,category,title,unit,status
,12345-20240509-0031,hotline,2024-05-09T08:00,hazard,液化气罐,xzz-dk-jws,assigned
,12345-20240509-0040,hotline,2024-05-09T11:00,dispute,楼上噪音,,
,12345-20240510-0007,hotline,2024-05-10T09:00,suggestion,路灯不亮,,
EOF
check_exit 'an import whose ref a case of its source has is refused' 1 \
    case-add --csv week1.csv
check_exit '--update: matched by ref, the rest added' 0 \
    case-add --update --csv week1.csv
check_same 'added 1, unchanged 1' "$(cat err)" \
    'case-add: week1.csv: added 1, updated 0, unchanged 1, conflicts 0'
check_exit 'week 2 (with an empty id column) --update' 0 \
    case-add --update --csv week2.csv
check_same 'added 1, updated 1, unchanged 1' "$(cat err)" \
    'case-add: week2.csv: added 1, updated 1, unchanged 1, conflicts 0'
check_same 'the union, each hotline number once' \
    "$(sql "SELECT id || ' ' || status || ' ' || ref FROM cases
    WHERE source = 'hotline' ORDER BY id")" \
    "1 assigned $R
5 reported 12345-20240509-0040
6 reported 12345-20240510-0007"
case-export >export.1
n=$(nevents)
check_exit 'week 2 again' 0 case-add --update --csv week2.csv
check_same 'changes nothing' "$(cat err)" \
    'case-add: week2.csv: added 0, updated 0, unchanged 3, conflicts 0'
check_same 'the same export, the same events' \
    "$(case-export | cmp -s - export.1 && echo same) $(nevents)" "same $n"

# case-copy carries it to the other engine (on a server: to a file).
if on_pg; then
	check 'case-copy to a file' case-copy "$tmp/copy.db"
	check_same 'the refs there' "$(sqlite3 "$tmp/copy.db" \
	    "SELECT group_concat(ref, ' ') FROM (SELECT ref FROM cases
	    WHERE source = 'hotline' ORDER BY id)")" \
	    "$R 12345-20240509-0040 12345-20240510-0007"
else
	skip 'case-copy goes to a server: make check-pg runs it'
	skip 'case-copy goes to a server: make check-pg runs it'
fi

# A version-6 server database (pg_steps up to 6) upgrades to the
# current version through case-init and keeps its cases; the same
# of a file below.
if on_pg; then
	sql "$(undo_after 9) DROP INDEX cases_place; DROP INDEX cases_ref;
	    ALTER TABLE cases DROP COLUMN ref;
	    UPDATE casekit_schema SET version = 6" >/dev/null
	check 'case-init upgrades a version-6 server database' case-init
	check_same 'to the current version, its cases kept, the column there (empty)' \
	    "$(sql "SELECT version FROM casekit_schema;
	    SELECT count(*) || ' ' || count(ref) FROM cases")" "$schema_now
6 0"
else
	skip 'schema 6 on a server: make check-pg runs it'
	skip 'schema 6 on a server: make check-pg runs it'
fi

# A version-6 database (no ref) upgrades to the current version and keeps its cases.
skip_on_pg 1 'schema 6 is a SQLite user_version' || {
	CASE_DB=$tmp/v6.db
	export CASE_DB
	init_demo
	case-add --category hazard --title 旧案 >/dev/null
	sqlite3 "$CASE_DB" "$(undo_after 9) DROP INDEX cases_place;
	    DROP INDEX cases_ref; ALTER TABLE cases DROP COLUMN ref;
	    PRAGMA user_version = 6"
	case-init >/dev/null 2>&1
	check_same 'a version-6 database upgrades to the current version and keeps its case' \
	    "$(sqlite3 "$CASE_DB" 'PRAGMA user_version; SELECT title FROM cases;
	    SELECT count(*) FROM pragma_index_list('"'cases'"')
	    WHERE name = '"'cases_ref'"'')" "$schema_now
旧案
1"
}
done_testing
