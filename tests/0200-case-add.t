#!/bin/sh
# case-add, one case at a time: what it prints, the deadline it sets, and
# what it refuses (each refusal leaving the database as it was).
. "$(dirname "$0")/lib.sh"
plan 61

# One case's fields from case-export, by column name, as TSV (the export's
# first columns are stable; later issues only append).
field() {
	case-export --format tsv | awk -F '\t' -v id="$1" -v want="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	    $1 == id { print $col[want] }'
}

# History as TSV without the OS user column, which depends on the host.
events() {
	case-export --events --format tsv | cut -f2,4,5,7-9 | sed 1d
}

check_exit 'a missing database is refused' 2 case-add --category hazard --title x
check_grep 'naming it' "$db_name" "$tmp/err"
check_no_db 'and it is not created' "$CASE_DB"

init_demo

# Creators print the new ID and nothing else, so id=$(case-add ...) works.
id=$(case-add --category hazard --title 液化气罐 2>"$tmp/err")
check_same 'one case prints only its ID' "$id" 1
check_same 'and nothing on stderr' "$(cat "$tmp/err")" ''
check_exit '-q succeeds' 0 case-add -q --category hazard --title 液化气罐
check_same '-q prints nothing' "$(cat "$tmp/out")" ''
check_same 'but the case was added' "$(case-list | cut -f1 | tr '\n' ' ')" '1 2 '

# The deadline comes from the category, counted from the report: hazard is
# 24h.  With no --reported, the report is now (CASE_NOW).
check_same 'the report time is CASE_NOW' "$(field 1 reported)" \
    2024-05-09T09:00:00+08:00
check_same 'hazard: due 24 hours after the report' "$(field 1 due)" \
    2024-05-10T09:00:00+08:00
check_same 'the status is reported, with no unit' \
    "$(case-list | sed -n 1p | cut -f2,3)" "reported	"
check_same 'the source defaults to other' "$(field 1 source)" other
check_same 'a reported event carries the deadline' "$(events)" \
    "1	reported	tester			2024-05-10T09:00:00+08:00
2	reported	tester			2024-05-10T09:00:00+08:00"

# --reported sets the report time (any accepted time syntax), and the
# category's deadline counts from it, not from now.
id=$(case-add --category hazard --title 消防通道 --reported 2024-05-08T14:30)
check_same '--reported is stored' "$(field "$id" reported)" \
    2024-05-08T14:30:00+08:00
check_same 'and the deadline counts from it' "$(field "$id" due)" \
    2024-05-09T14:30:00+08:00
id=$(case-add --category hazard --title 消防通道 --reported -36h)
check_same '--reported accepts -36h' "$(field "$id" reported)" \
    2024-05-07T21:00:00+08:00
id=$(case-add --category hazard --title 消防通道 --reported 2024-05-08T06:30Z)
check_same '--reported accepts a zone' "$(field "$id" reported)" \
    2024-05-08T14:30:00+08:00
# Day-counted deadlines (dispute: 7d) run to the end of the last day.
id=$(case-add --category dispute --title 邻里纠纷 --reported 2024-05-08T22:00)
check_same 'dispute: 7 days, to the end of the day' "$(field "$id" due)" \
    2024-05-15T23:59:59+08:00

# --due overrides the category's deadline.
id=$(case-add --category hazard --title 液化气罐 --due 2024-05-20T18:00)
check_same '--due overrides the category' "$(field "$id" due)" \
    2024-05-20T18:00:00+08:00
id=$(case-add --category hazard --title 液化气罐 --due 2024-05-20T01:00Z \
    --reported 2024-05-01T08:00)
check_same '--due in UTC is shown in local time' "$(field "$id" due)" \
    2024-05-20T09:00:00+08:00

# --unit assigns at once: status assigned, assigned at the report time,
# and an assigned event to that unit.
id=$(case-add --category enterprise --source wechat --title 投资奖励未兑现 \
    --unit fgw --reported 2024-05-09T08:15)
check_same '--unit: status assigned to the unit' \
    "$(case-list | grep "^$id	" | cut -f2,3)" "assigned	fgw"
check_same '--unit: assigned at the report time' "$(field "$id" assigned)" \
    2024-05-09T08:15:00+08:00
check_same '--unit: an assigned event to the unit' \
    "$(events | grep "^$id	" | cut -f2,5)" "reported	
assigned	fgw"
check_same 'a case without --unit has no assigned time' "$(field 1 assigned)" ''

# Chinese text (and the empty string, which is allowed) is stored intact.
desc=$(printf '火锅店在居民楼下堆放十余个液化气罐，\n无任何安全措施。')
id=$(case-add --category hazard --source police --grid xzz-dk-1 \
    --location '田家庵区洞山中路12号（锦绣花园）' --reporter '网格员 李梅' \
    --title '液化气罐堆放在居民楼下' --desc "$desc")
check_same 'title intact' "$(field "$id" title)" '液化气罐堆放在居民楼下'
check_same 'location intact' "$(field "$id" location)" \
    '田家庵区洞山中路12号（锦绣花园）'
check_same 'reporter intact' "$(field "$id" reporter)" '网格员 李梅'
check_same 'description intact, newline included' \
    "$(case-export | tr -d '\r' | grep -A1 '^'"$id"',' | sed -n 2p)" \
    '无任何安全措施。",,,reported,2024-05-10T09:00:00+08:00,,,,,,,,normal,'
check_same 'grid and source stored' "$(field "$id" grid) $(field "$id" source)" \
    'xzz-dk-1 police'
id=$(case-add --category hazard --title 空白字段 --location '' --reporter '' \
    --desc '')
check_same 'empty text fields are allowed' \
    "$(field "$id" location)|$(field "$id" reporter)|$(field "$id" description)" \
    '||'

# Unknown codes are refused (exit 1) with a message naming the value, and
# nothing is written.
before=$(db_dump)
check_exit 'an unknown category is refused' 1 \
    case-add --category nope --title 液化气罐
check_same 'the message names it' "$(cat "$tmp/err")" \
    'case-add: category: no such category -- nope'
check_exit 'an unknown source is refused' 1 \
    case-add --category hazard --source fax --title 液化气罐
check_same 'the message names it' "$(cat "$tmp/err")" \
    'case-add: source: no such source -- fax'
check_exit 'an unknown grid is refused' 1 \
    case-add --category hazard --grid xzz-dk-9 --title 液化气罐
check_same 'the message names it' "$(cat "$tmp/err")" \
    'case-add: grid: no such unit -- xzz-dk-9'
check_exit 'an unknown unit is refused' 1 \
    case-add --category hazard --unit zd-police --title 液化气罐
check_same 'the message names it' "$(cat "$tmp/err")" \
    'case-add: unit: no such unit -- zd-police'
check_same 'nothing printed on stdout' "$(cat "$tmp/out")" ''
check_same 'the database is unchanged' "$(db_dump)" "$before"

# Text must be UTF-8: a GBK title pasted from elsewhere is refused.
check_exit 'an invalid UTF-8 title is refused' 1 \
    case-add --category hazard --title "$(printf '\272\272\327\326')"
check_same 'the message names the field' "$(cat "$tmp/err")" \
    'case-add: title: invalid UTF-8'
check_exit 'an invalid UTF-8 description is refused' 1 \
    case-add --category hazard --title ok --desc "$(printf 'a\377b')"
check_same 'the message names the field' "$(cat "$tmp/err")" \
    'case-add: description: invalid UTF-8'
check_same 'the database is unchanged' "$(db_dump)" "$before"

# Usage errors exit 2 before anything is written.
check_exit 'missing --title is a usage error' 2 case-add --category hazard
check_grep 'usage is printed' '^usage: case-add ' "$tmp/err"
check_exit 'missing --category is a usage error' 2 case-add --title 液化气罐
check_exit 'an operand is a usage error' 2 \
    case-add --category hazard --title 液化气罐 extra
check_exit 'an invalid --due is a usage error' 2 \
    case-add --category hazard --title 液化气罐 --due 2024-02-30
check_same 'the message names option and value' "$(cat "$tmp/err")" \
    'case-add: --due: invalid time -- 2024-02-30'
check_exit 'a --due that is not a time' 2 \
    case-add --category hazard --title 液化气罐 --due soon
check_exit 'an invalid --reported' 2 \
    case-add --category hazard --title 液化气罐 --reported 2024-05-09T25:00
check_same 'the database is unchanged' "$(db_dump)" "$before"
check '-h succeeds' case-add -h
check_grep 'and prints usage on stdout' '^usage: case-add ' "$tmp/out"

# --dry-run says what it would do, with the ID it would use, and writes
# nothing.
next=$(($(case-list --status all | tail -n 1 | cut -f1) + 1))
check '--dry-run succeeds' case-add -n --category hazard --title 液化气罐
check_same 'it prints ID<TAB>would ...' "$(cat "$tmp/out")" \
    "$next	would add hazard"
check 'with --unit too' case-add --dry-run --category hazard --title x \
    --unit xzz-pcs
check_same 'it names the unit' "$(cat "$tmp/out")" \
    "$next	would add hazard -> xzz-pcs"
check_same 'the database is unchanged' "$(db_dump)" "$before"
done_testing
