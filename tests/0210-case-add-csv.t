#!/bin/sh
# case-add --csv: importing what case-export writes (byte for byte), any
# subset of its columns, and refusing a bad file as a whole.
. "$(dirname "$0")/lib.sh"
plan 62

# Messages name files as given: work in $tmp so that they are short.
cd "$tmp" || exit 2
init_demo

# A second, empty database with the same reference data.
other=$(new_db "$tmp/other.db")
case-init -d "$other" --units "$top/data/demo-units.csv" >/dev/null

# Cases holding what CSV has to quote or keep: Chinese text, commas,
# quotes, line breaks (LF and CRLF), a bare CR, a TAB, blanks at either
# end, empty fields, a value a spreadsheet would take for a formula and
# one starting with a quote; assigned, escalated and closed cases with
# outcomes and notes; and a gap in the IDs.
case-add -q --category hazard --source grid --grid xzz-dk-1 \
    --reported 2024-05-08T14:30 --reporter '张三 "网格员"' \
    --location '洞山中路12号, 锦绣花园' --title '火锅店堆放液化气罐' \
    --desc "$(printf '十余个液化气罐，\n无安全措施。\r\n已拍照')"
case-add -q --category enterprise --source wechat --unit fgw \
    --title '企呼我为：投资奖励未兑现' --desc '"即收即办"'
case-add -q --category dispute --source council --grid tbz-hy-1 \
    --unit tbz-hy-jws --title ' 楼道飞线充电 ' \
    --location "$(printf 'a\rb')" --reporter "$(printf 'tab\there')"
case-add -q --category suggestion --source walk-in --title '=SUM(A1:A9)' \
    --reporter "'引号开头" --location '-' --desc '@居委会'
case-add -q --category hazard --title '占用消防通道' --grid bgsz-dq-2 \
    --unit bgsz-dq-2 --reported 2024-05-01T08:00
case-assign -q --escalate 5
case-close -q --outcome mediated \
    --note "$(printf '双方达成协议，\n"已签字"')" 3
case-close -q --outcome resolved --note '' 2
printf 'id,category,title\n10,other,跳号\n' | case-add -q --csv -

# The round trip: export, import into an empty database, export again.
case-export >a.csv
check 'the export imports into an empty database' \
    case-add -d "$other" --csv a.csv
check_same 'printing each new ID, the IDs kept' "$(cat out | tr '\n' ' ')" \
    '1 2 3 4 5 10 '
case-export -d "$other" >b.csv
check 'and exports byte for byte the same' cmp a.csv b.csv
check_same 'all six cases arrive with their status' \
    "$(case-list -d "$other" --status all | cut -f1,2 | tr '\t\n' ': ')" \
    '1:reported 2:closed 3:closed 4:reported 5:assigned 10:reported '
# The import writes a history that matches the record.
check_same 'the history of an imported closed case' \
    "$(case-export -d "$other" --events --format tsv |
    awk -F '\t' '$2 == 3 { print $4 "|" $8 "|" $10 }')" \
    'reported||
assigned|tbz-hy-jws|
closed||mediated'

# Importing the same file again: every ID is taken, a row error each.
before=$(db_dump)
check_exit 'importing into a database that has those IDs fails' 1 \
    case-add --csv a.csv
check_same 'each taken ID is a row error' "$(cat err)" \
    'case-add: a.csv:2: id: case 1 exists
case-add: a.csv:5: id: case 2 exists
case-add: a.csv:6: id: case 3 exists
case-add: a.csv:8: id: case 4 exists
case-add: a.csv:9: id: case 5 exists
case-add: a.csv:10: id: case 10 exists
case-add: a.csv: 6 bad records; nothing added'
check_same 'nothing printed on stdout' "$(cat out)" ''
check_same 'the database is unchanged' "$(db_dump)" "$before"

# Header-driven: any subset of the columns, in any order.  An empty id
# takes the next free one, a free id is kept.
cat >subset.csv <<'EOF'
title,grid,category,id,reporter
电瓶车飞线充电,tbz-hy-1,hazard,,王大爷
邻里噪音,,dispute,20,
EOF
check 'a subset of columns in another order' case-add --csv subset.csv
check_same 'new IDs: the next free one, and the one given' \
    "$(cat out | tr '\n' ' ')" '11 20 '
check_same 'each column went to its field' \
    "$(case-export --format tsv | awk -F '\t' 'NR > 1 && $1 >= 11 { print $1, $4, $6, $8, $9 }')" \
    '11 hazard tbz-hy-1 王大爷 电瓶车飞线充电
20 dispute   邻里噪音'
check_same 'the deadline still comes from the category' \
    "$(case-list | awk -F '\t' '$1 == 11 { print $4 }')" \
    2024-05-10T09:00:00+08:00

# A new ID for an empty id must not take one that a later row of the same
# file names: the file as a whole is what is imported.
printf 'id,category,title\n,hazard,没有编号\n11,hazard,编号十一\n' >order.csv
check 'an empty id before a row naming the next free ID' \
    case-add -d "$other" --csv order.csv
check_same 'both are added, the named ID kept' \
    "$(case-list -d "$other" --status all | awk -F '\t' '$1 >= 11 { print $1, $7 }')" \
    '11 编号十一
12 没有编号'

# *_name columns (category_name, unit_name: what a spreadsheet user sees)
# are ignored, whatever they hold.
printf 'category,category_name,title,unit,unit_name,whatever_name\n%s\n' \
    'hazard,不是这个名字,名称列,fgw,乱写,x' >names.csv
check '*_name columns are ignored' case-add --csv names.csv
check_same 'the names come from the reference data' \
    "$(case-export --format tsv | awk -F '\t' '$1 == 21 { print $5, $11, $12 }')" \
    '安全隐患 fgw 区发改委'

# A UTF-8 byte-order mark (Excel, WPS) is not part of the first column.
printf '\357\273\277category,title\r\nhazard,带BOM\r\n' >bom.csv
check 'a file with a byte-order mark imports' case-add --csv bom.csv
check_same 'and its first column is recognised' "$(cat out)" 22

# - reads standard input.
check_same '- reads standard input' \
    "$(printf 'category,title\nhazard,标准输入\n' | case-add --csv -)" 23
check_same 'a header alone adds nothing and succeeds' \
    "$(printf 'category,title\n' | case-add --csv -; echo "exit $?")" 'exit 0'
check_same '-q prints nothing' \
    "$(printf 'category,title\nhazard,安静\n' | case-add -q --csv -)" ''

# From here on every file is refused whole: exit 1, every bad record
# reported as FILE:LINE: column: reason, and nothing written.
before=$(db_dump)

# Two bad rows among good ones, one after a quoted field of three lines
# and one that itself spans lines: line numbers are those of the file.
cat >two.csv <<'EOF'
title,category,description
好的一行,hazard,"第一行
第二行
第三行"
坏的类别,nope,x
好的第二行,dispute,
"两行
标题",hazard,"a

b"
坏的字段数,hazard
EOF
check_exit 'a file with two bad rows is refused' 1 case-add --csv two.csv
check_same 'line 5 is reported; the row past the field count too' \
    "$(cat err)" \
    'case-add: two.csv:5: category: no such category -- nope
case-add: two.csv:11: record: 2 fields, but the header has 3
case-add: two.csv: 2 bad records; nothing added'
check_same 'no ID is printed' "$(cat out)" ''
check_same 'nothing is added' "$(db_dump)" "$before"

cat >two2.csv <<'EOF'
title,category,grid
"第一行
第二行",hazard,
坏的类别,nope,
好,hazard,xzz-dk-1
"坏的
网格",hazard,nowhere
EOF
check_exit 'bad rows after multi-line fields' 1 case-add --csv two2.csv
check_same 'are reported at the lines they start on' "$(cat err)" \
    'case-add: two2.csv:4: category: no such category -- nope
case-add: two2.csv:6: grid: no such unit -- nowhere
case-add: two2.csv: 2 bad records; nothing added'
check_same 'nothing is added' "$(db_dump)" "$before"

printf 'title,category\n好,hazard\n多一列,hazard,x\n少一列\n' >count.csv
check_exit 'a wrong field count is refused' 1 case-add --csv count.csv
check_same 'each such record is reported' "$(cat err)" \
    'case-add: count.csv:3: record: 3 fields, but the header has 2
case-add: count.csv:4: record: 1 fields, but the header has 2
case-add: count.csv: 2 bad records; nothing added'
check_same 'nothing is added' "$(db_dump)" "$before"

printf 'title,category\n好,hazard\n"没有结束的引号,hazard\n下一行,hazard\n' \
    >unterminated.csv
check_exit 'an unterminated quote is refused' 1 case-add --csv unterminated.csv
check_same 'reported at the line the field starts' "$(cat err)" \
    'case-add: unterminated.csv:3: unterminated quoted field
case-add: unterminated.csv: 1 bad records; nothing added'
check_same 'nothing is added' "$(db_dump)" "$before"

printf 'title,category\n好,hazard\n坏\000字节,hazard\n' >nul.csv
check_exit 'a NUL byte is refused' 1 case-add --csv nul.csv
check_same 'reported with its line' "$(cat err)" \
    'case-add: nul.csv:3: NUL byte
case-add: nul.csv: 1 bad records; nothing added'
check_same 'nothing is added' "$(db_dump)" "$before"

# GBK bytes in a file that claims to be UTF-8.
printf 'title,category,location\n好,hazard,\n\272\272\327\326,hazard,\n好,hazard,\377\n' \
    >gbk.csv
check_exit 'invalid UTF-8 is refused' 1 case-add --csv gbk.csv
check_same 'each bad field is reported by column' "$(cat err)" \
    'case-add: gbk.csv:3: title: invalid UTF-8
case-add: gbk.csv:4: location: invalid UTF-8
case-add: gbk.csv: 2 bad records; nothing added'
check_same 'nothing is added' "$(db_dump)" "$before"

printf 'title,category,bogus\n好,hazard,1\n' >unknown.csv
check_exit 'an unknown header column is refused' 1 case-add --csv unknown.csv
check_same 'naming the column' "$(cat err)" \
    'case-add: unknown.csv:1: header: unknown column -- bogus'
check_same 'nothing is added' "$(db_dump)" "$before"

printf 'id,title,category\n1,已有编号,hazard\n99,新编号,hazard\n0,零,hazard\nabc,字母,hazard\n' \
    >ids.csv
check_exit 'taken and invalid IDs are row errors' 1 case-add --csv ids.csv
check_same 'each is reported' "$(cat err)" \
    'case-add: ids.csv:2: id: case 1 exists
case-add: ids.csv:4: id: invalid case ID -- 0
case-add: ids.csv:5: id: invalid case ID -- abc
case-add: ids.csv: 3 bad records; nothing added'
check_same 'nothing is added, not even the free ID' "$(db_dump)" "$before"

printf 'title,category\n好,hazard\n坏,nope\n' >stdin.csv
check_exit 'a bad row on standard input' 1 case-add --csv - <stdin.csv
check_same 'is reported as stdin:LINE' "$(cat err)" \
    'case-add: stdin:3: category: no such category -- nope
case-add: stdin: 1 bad records; nothing added'

printf 'title,category,status,unit,outcome,closed\n%s\n%s\n' \
    '已办结,hazard,closed,fgw,resolved,' '未办结,hazard,,,resolved,' >closed.csv
check_exit 'a closed case needs its closing time; an open one no outcome' 1 \
    case-add --csv closed.csv
check_same 'both are reported' "$(cat err)" \
    'case-add: closed.csv:2: status: a closed case needs outcome and closed
case-add: closed.csv:3: status: outcome and closed need status closed
case-add: closed.csv: 2 bad records; nothing added'

: >empty.csv
check_exit 'an empty file is refused' 1 case-add --csv empty.csv
check_same 'the database is unchanged after all of them' "$(db_dump)" "$before"

# Errors that are not about the data: exit 2.
check_exit 'a missing file exits 2' 2 case-add --csv missing.csv
check_same 'naming the file' "$(cat err)" \
    'case-add: missing.csv: No such file or directory'
check_exit '--csv with field options is a usage error' 2 \
    case-add --csv subset.csv --title x
check_same 'the database is unchanged' "$(db_dump)" "$before"

# --dry-run reads and checks the whole file, says what it would add, and
# writes nothing.
printf 'title,category\n甲,hazard\n乙,dispute\n' >dry.csv
check 'a dry run of a good file succeeds' case-add -n --csv dry.csv
check_same 'it says what it would add' "$(cat out)" \
    '25	would add hazard
26	would add dispute'
check_exit 'a dry run of a bad file fails as a real run would' 1 \
    case-add --dry-run --csv two.csv
# A real run adds none of the good rows of a bad file, so a dry run must
# not say it would add them.
check_same 'and says it would add nothing' "$(cat out)" ''
check_same 'the database is unchanged' "$(db_dump)" "$before"
done_testing
