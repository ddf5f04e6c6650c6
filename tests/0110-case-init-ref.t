#!/bin/sh
# case-init's reference files: units, categories and sources; refreshing
# them; and the refusals, each of which must leave the database as it was.
. "$(dirname "$0")/lib.sh"
plan 63

# Messages name files as given on the command line: work in $tmp so that
# they are short and the same on every host.
cd "$tmp" || exit 2

# The unit tree's levels, as stored (for the roll-ups of case-stats).
levels() {
	sql "SELECT code, level FROM units ORDER BY code"
}

# A district down to a compound below a grid, without a level column:
# levels come from depth, and anything below a grid is still a grid.
cat >units.csv <<'EOF'
code,name,parent
d,八公山区,
s,新庄孜街道,d
c,东矿社区,s
g,东矿社区第一网格,c
g1,锦绣花园小区,g
g2,东矿社区第二网格,c
EOF
check 'units without levels are loaded' case-init --units units.csv
check_same 'it prints the database path' "$(cat out)" "$(shown_db)"
check_same 'levels are derived from depth' "$(levels)" 'c|community
d|district
g|grid
g1|grid
g2|grid
s|street'

# With a level column, given levels are kept (departments and police sit
# beside the tree's levels) and an empty one is still derived from depth.
# Columns may come in any order.
cat >levels.csv <<'EOF'
level,code,parent,name
district,bgs,,八公山区
department,fgw,bgs,区发改委
,xzz,bgs,新庄孜街道
police,xzz-pcs,xzz,新庄孜派出所
,xzz-dk,xzz,东矿社区
,xzz-dk-1,xzz-dk,东矿社区第一网格
EOF
levels=$(new_db levels.db)
check 'units with levels are loaded' case-init -d "$levels" --units levels.csv
check_same 'given levels are kept, empty ones derived' \
    "$(CASE_DB=$levels levels)" 'bgs|district
fgw|department
xzz|street
xzz-dk|community
xzz-dk-1|grid
xzz-pcs|police'

# As Excel or WPS save it: a byte-order mark, CRLF line ends, and
# children listed before their parents.
printf '\357\273\277code,name,parent\r\ng,网格,c\r\nc,社区,s\r\ns,街道,d\r\nd,区,\r\n' \
    >excel.csv
excel=$(new_db excel.db)
check 'a units file saved by a spreadsheet loads' \
    case-init -d "$excel" --units excel.csv
check_same 'codes, names and levels are clean' \
    "$(CASE_DB=$excel sql 'SELECT code, name, level, parent FROM units ORDER BY code')" \
    'c|社区|community|s
d|区|district|
g|网格|grid|c
s|街道|street|d'

# A case in grid g pins g (and only g) for the drop tests further down.
case-add -q --category hazard --title 液化气罐 --grid g

# Refreshing with the same file is an upsert that changes nothing.
check 'refreshing with the same file succeeds' case-init --units units.csv
d1=$(db_dump)
case-init --units units.csv >/dev/null
check_same 'a second refresh leaves the same database' "$(db_dump)" "$d1"

# A unit no case uses may be left out of the new file: it is dropped.
grep -v '^g2,' units.csv >nog2.csv
check 'an unused unit can be dropped' case-init --units nog2.csv
check_same 'and it is gone, the rest kept' \
    "$(sql 'SELECT code FROM units ORDER BY code' | tr '\n' ' ')" \
    'c d g g1 s '

# A unit a case uses cannot be dropped: the whole load is refused.
before=$(db_dump)
grep -v '^g,' nog2.csv | grep -v '^g1,' >nog.csv
check_exit 'dropping a unit a case uses is refused' 1 case-init --units nog.csv
check_same 'the message names the unit' "$(cat err)" \
    'case-init: nog.csv: unit g is used by 1 cases and cannot be dropped
case-init: problems found: 1; database unchanged'
check_same 'the database is unchanged' "$(db_dump)" "$before"
check_same 'nothing is printed on stdout' "$(cat out)" ''

# Each malformed file: exit 1, FILE:LINE: column: reason, nothing written.
cat >noparent.csv <<'EOF'
code,name,parent
d,八公山区,
s,新庄孜街道,d
c,东矿社区,s
g,东矿社区第一网格,c
g1,锦绣花园小区,g
x,无主网格,nope
EOF
check_exit 'an unknown parent is refused' 1 case-init --units noparent.csv
check_same 'FILE:LINE: parent: reason' "$(cat err)" \
    'case-init: noparent.csv:7: parent: no such unit -- nope
case-init: problems found: 1; database unchanged'
check_same 'the database is unchanged' "$(db_dump)" "$before"

cat >cycle.csv <<'EOF'
code,name,parent
d,八公山区,
s,新庄孜街道,d
c,东矿社区,s
g,东矿社区第一网格,c
g1,锦绣花园小区,g
a,甲,b
b,乙,a
EOF
check_exit 'a cycle in the tree is refused' 1 case-init --units cycle.csv
check_same 'both units of the cycle are reported' "$(cat err)" \
    'case-init: cycle.csv:7: parent: cycle through -- a
case-init: cycle.csv:8: parent: cycle through -- b
case-init: problems found: 2; database unchanged'
check_same 'the database is unchanged' "$(db_dump)" "$before"

cat >dup.csv <<'EOF'
code,name,parent
d,八公山区,
s,新庄孜街道,d
c,东矿社区,s
g,东矿社区第一网格,c
g1,锦绣花园小区,g
s,另一个街道,d
EOF
check_exit 'a duplicate code is refused' 1 case-init --units dup.csv
check_same 'the second occurrence is reported' "$(cat err)" \
    'case-init: dup.csv:7: code: duplicate code -- s
case-init: problems found: 1; database unchanged'
check_same 'the database is unchanged' "$(db_dump)" "$before"

# A quoted name spanning lines must not throw the line numbers off.
cat >multiline.csv <<'EOF'
code,name,parent
d,"八公山区
(区级指挥部)",
s,新庄孜街道,d
c,东矿社区,s
g,东矿社区第一网格,c
g1,锦绣花园小区,g
x,无主网格,nope
EOF
check_exit 'an unknown parent after a multi-line field' 1 \
    case-init --units multiline.csv
check_grep 'is reported on its own line number' \
    '^case-init: multiline.csv:8: parent: no such unit -- nope$' err

cat >badcat.csv <<'EOF'
code,name,deadline
hazard,安全隐患,24h
dispute,矛盾纠纷,soon
EOF
check_exit 'a bad deadline in the categories file is refused' 1 \
    case-init --categories badcat.csv
check_same 'FILE:LINE: deadline: reason' "$(cat err)" \
    'case-init: badcat.csv:3: deadline: invalid duration -- soon
case-init: problems found: 1; database unchanged'
check_same 'the database is unchanged' "$(db_dump)" "$before"

printf 'code,name\nd,八公山区\n' >nohdr.csv
check_exit 'a units file without a parent column is refused' 1 \
    case-init --units nohdr.csv
check_same 'FILE:1: header: reason' "$(cat err)" \
    'case-init: nohdr.csv:1: header: no column parent'
check_same 'the database is unchanged' "$(db_dump)" "$before"

printf 'code,name\nhazard,安全隐患\n' >nodeadline.csv
check_exit 'a categories file without a deadline column is refused' 1 \
    case-init --categories nodeadline.csv
check_same 'FILE:1: header: reason' "$(cat err)" \
    'case-init: nodeadline.csv:1: header: no column deadline'
check_same 'the database is unchanged' "$(db_dump)" "$before"

# Categories follow the same rule as units: one a case uses stays.
printf 'code,name,deadline\ndispute,矛盾纠纷,7d\n' >nohazard.csv
check_exit 'dropping a category a case uses is refused' 1 \
    case-init --categories nohazard.csv
check_grep 'the message names the category' \
    '^case-init: nohazard.csv: category hazard is used by 1 cases' err
check_same 'the database is unchanged' "$(db_dump)" "$before"

# --sources adds to the default channels instead of replacing them.
printf 'code,name\nwx-group,社区微信群\n' >sources.csv
check 'a sources file is loaded' case-init --sources sources.csv
check 'the new source can be used' \
    case-add --source wx-group --category hazard --title 飞线充电
check 'a default source still can' \
    case-add --source hotline --category hazard --title 飞线充电
check_same 'the defaults plus the new one' \
    "$(sql 'SELECT code FROM sources ORDER BY code' | tr '\n' ' ')" \
    'council grid hotline media mediation other police walk-in wechat wx-group '

# A row with more fields than the header is refused, not cut short: most
# often a comma in a name that was not quoted.  A missing trailing field
# is still empty.  An empty file is named.
before=$(db_dump)
printf 'code,name\nwx2,微信,公众号\nwx3\n' >commas.csv
check_exit 'a source row with a field too many' 1 case-init --sources commas.csv
check_same 'is named with its line' "$(head -n 1 "$tmp/err")" \
    'case-init: commas.csv:2: record: 3 fields, but the header has 2'
check_same 'and nothing is loaded' "$(db_dump)" "$before"
: >empty.csv
check_exit 'an empty sources file' 1 case-init --sources empty.csv
check_same 'is named' "$(cat "$tmp/err")" \
    'case-init: empty.csv: empty file, no header'

# --dry-run: a valid refresh that would drop and rename changes nothing,
# and an invalid one is still reported.
before=$(db_dump)
sed 's/东矿社区第一网格/第一网格(新名)/' nog2.csv | grep -v '^g1,' >rename.csv
check 'a dry run of a valid refresh succeeds' case-init -n --units rename.csv
check_same 'and changes nothing' "$(db_dump)" "$before"
check_exit 'a dry run of an invalid file fails as a real run would' 1 \
    case-init --dry-run --units noparent.csv
check_same 'and changes nothing' "$(db_dump)" "$before"

# A first case-init that fails must not leave a database behind: the next
# program would otherwise find an empty database instead of refusing.
# (On PostgreSQL the database itself is the harness's: nothing in it, then.)
first1=$(new_db first1.db) first2=$(new_db first2.db)
first3=$(new_db first3.db) first4=$(new_db first4.db)
check_exit 'a failed first case-init (bad row) exits 1' 1 \
    case-init -d "$first1" --units noparent.csv
check_no_db 'and leaves no database file' "$first1"
check_exit 'a failed first case-init (bad header) exits 1' 1 \
    case-init -d "$first2" --units nohdr.csv
check_no_db 'and leaves no database file' "$first2"
check_exit 'a first case-init with a missing units file exits 2' 2 \
    case-init -d "$first3" --units missing.csv
check_grep 'naming the file' '^case-init: missing.csv: ' err
check_no_db 'and leaves no database file' "$first3"
check 'a first case-init with --dry-run succeeds' \
    case-init -n -d "$first4" --units units.csv
check_no_db 'and leaves no database file' "$first4"
check_exit 'after all that, first1.db is still missing for others' 2 \
    case-list -d "$first1"
# The clean-up is for databases this run created: a failed refresh of an
# existing one leaves it in place, and unchanged.
before=$(db_dump)
check_exit 'a refresh with a missing file exits 2' 2 \
    case-init --units missing.csv
check_same 'and the existing database is kept, unchanged' "$(db_dump)" "$before"
done_testing
