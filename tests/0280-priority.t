#!/bin/sh
# Priority (issue 15 item 4): a tier per case, urgent, high or normal
# (紧急, 重要, 一般), by default its category's; given at intake
# (case-add --priority, an import's priority or 优先级 column) and
# changed by case-edit --priority, each tier with its category's term
# for the deadline, which a change moves by an event of its own.  Open
# lists sort by tier, then deadline; case-stats --by priority counts
# each case in the tier it had then, so a report --as-of an instant
# before a change is the same after it.  Schema 10 holds it.
. "$(dirname "$0")/lib.sh"
need_faketime
plan 48

cd "$tmp" || exit 2
# Every write as it happened, so that --as-of knows what was known when.
T0=2024-05-09T09:00
cat >cats.csv <<'EOF'
code,name,deadline,dispatch,priority,urgent,high
hazard,安全隐患,24h,2h,紧急,4h,12h
dispute,矛盾纠纷,7d,,,1d,3d
enterprise,企业诉求,3wd,,重要,,1wd
other,其他,7d,,,,
EOF
check 'case-init takes the tiers'"'"' columns' \
    at $T0 case-init --units "$top/data/demo-units.csv" --categories cats.csv
check_same 'as codes, a word kept as its code, none as NULL' \
    "$(sql "SELECT code || ' ' || coalesce(priority, '-') || ' ' ||
    coalesce(urgent, '-') || ' ' || coalesce(high, '-') FROM categories
    ORDER BY code")" 'dispute - 1d 3d
enterprise high - 1wd
hazard urgent 4h 12h
other - - -'

# Bad values: refused, and nothing written.
before=$(db_dump | cksum)
printf 'code,name,deadline,priority,urgent\nhazard,安全隐患,24h,最急,4h\nother,其他,7d,,soon\n' >bad.csv
check_exit 'a categories file with a tier that is none is refused' 1 \
    case-init --categories bad.csv
check_grep 'naming the line and the value' \
    'bad.csv:2: priority: must be urgent, high or normal .* -- 最急' err
check_grep 'and a term that is no duration' \
    'bad.csv:3: urgent: invalid duration -- soon' err
check_exit 'case-add --priority bogus is a usage error' 2 \
    case-add --category hazard --title x --priority bogus
check_same 'saying what a tier is' "$(cat err)" \
    'case-add: --priority: must be urgent, high or normal (紧急, 重要, 一般) -- bogus'
printf 'category,title,priority\nhazard,一,urgent\nhazard,二,最急\n' >bad-import.csv
check_exit 'an import with a bad tier is refused whole' 1 \
    case-add --csv bad-import.csv
check_grep 'naming the row' 'bad-import.csv:3: priority: must be' err
check_same 'nothing written by any of them' "$(db_dump | cksum)" "$before"

# The default: the category's tier; the deadline: the tier's term.
add() { at $T0 case-add -q "$@"; }
add --category hazard --title 液化气罐泄漏		# 1 urgent by default
add --category dispute --title 邻里噪音		# 2 normal: no default
add --category dispute --title 宅基地纠纷 --priority 重要	# 3 high
add --category enterprise --title 拖欠货款		# 4 high by default
add --category other --title 路灯不亮 --priority urgent	# 5 no terms
printf 'category,title,优先级\ndispute,楼道堆物,紧急\nother,井盖缺失,\n' >zh.csv
check 'an import takes the 优先级 column' at $T0 case-add -q --csv zh.csv
printf 'id,category,title,priority\n8,hazard,电线裸露,normal\n' >en.csv
check 'and the priority column, below the default' \
    at $T0 case-add -q --csv en.csv
check_same 'tiers and deadlines: the category'"'"'s default, the given' \
    "$(case-export --format tsv | awk -F'\t' 'NR == 1 { for (i = 1;
    i <= NF; i++) c[$i] = i; next } { print $c["id"], $c["priority"],
    $c["due"] }')" '1 urgent 2024-05-09T13:00:00+08:00
2 normal 2024-05-16T23:59:59+08:00
3 high 2024-05-12T23:59:59+08:00
4 high 2024-05-10T23:59:59+08:00
5 urgent 2024-05-16T23:59:59+08:00
6 urgent 2024-05-10T23:59:59+08:00
7 normal 2024-05-16T23:59:59+08:00
8 normal 2024-05-10T09:00:00+08:00'
check_same 'the export'"'"'s last but one column (before the attachments) is the tier' \
    "$(case-export --format tsv | sed 1q | awk -F'\t' '{ print $(NF - 1) }')" \
    priority
check_same 'and in Chinese headers 优先级' \
    "$(case-export --format tsv --headers zh | sed 1q |
    awk -F'\t' '{ print $(NF - 1) }')" 优先级

# Lists of open work: by tier, then deadline, then ID; the tier a column.
check_same 'case-list: urgent, high, normal, each by deadline' \
    "$(case-list | awk -F'\t' '{ print $1, $6 }' | paste -sd' ' -)" \
    '1 urgent 6 urgent 5 urgent 4 high 3 high 8 normal 2 normal 7 normal'
check_same 'the tier before the title' \
    "$(case-list --format csv | sed 1q)" \
    "$(printf 'id,status,unit,due,category,priority,title\r')"
check_same 'the table shows the tier'"'"'s word in the user'"'"'s language' \
    "$(env -u LC_ALL LANG=zh_CN.UTF-8 case-list --format table |
    grep -o '紧急\|重要\|一般' | paste -sd' ' -)" \
    '紧急 紧急 紧急 重要 重要 一般 一般 一般'
check_same '--overdue likewise' \
    "$(at 2024-05-13T00:00 case-list --overdue | cut -f1 | paste -sd' ' -)" \
    '1 6 4 3 8'
check_same 'a list of closed cases too stays in ID order' \
    "$(case-list --status all | cut -f1 | paste -sd' ' -)" \
    '1 2 3 4 5 6 7 8'

# case-edit --priority: an event, and the deadline moved by it.
r=$(at 2024-05-09T10:00 case-stats --as-of 2024-05-09T10:00 --by priority \
    --format tsv)
check 'case-edit --priority 紧急' at 2024-05-09T11:00 case-edit -q \
    --priority 紧急 2
check_same 'the tier and the urgent term from the report' \
    "$(sql "SELECT priority, due FROM cases WHERE id = 2")" \
    "urgent|$(date -d 2024-05-10T23:59:59+08:00 +%s)"
check_same 'the event keeps the old and new tier and both deadlines' \
    "$(case-export --events --format tsv | awk -F'\t' '$2 == 2 &&
    $4 == "edited" { print $12, $13, $14, $9 }')" \
    'priority normal urgent 2024-05-10T23:59:59+08:00'
check_same 'the deadline it replaced' \
    "$(sql "SELECT due_old FROM events WHERE case_id = 2 AND
    action = 'edited'")" "$(date -d 2024-05-16T23:59:59+08:00 +%s)"
check 'back to normal' at 2024-05-09T11:30 case-edit -q --priority normal 2
check_same 'lengthens it back' \
    "$(case-export --format tsv | awk -F'\t' '$1 == 2 { print $14 }')" \
    2024-05-16T23:59:59+08:00
check_same 'case-show shows the tier and both changes' \
    "$(at 2024-05-09T12:00 case-show 2 | grep -c 'priority')" 3
check 'an urgent case of a category without terms' at 2024-05-09T11:40 \
    case-edit -q --priority high 5
check_same 'keeps its deadline: both tiers have the one term' \
    "$(sql "SELECT c.priority || ' ' || c.due || ' ' ||
    coalesce(e.due, -1) FROM cases c JOIN events e ON e.case_id = c.id
    WHERE c.id = 5 AND e.action = 'edited'")" \
    "high $(date -d 2024-05-16T23:59:59+08:00 +%s) -1"
at 2024-05-09T11:50 case-close -q --outcome resolved 3
check 'a closed case'"'"'s tier' at 2024-05-09T11:55 case-edit -q \
    --priority urgent 3
check_same 'changes, its deadline does not: it was met already' \
    "$(sql "SELECT priority, due FROM cases WHERE id = 3")" \
    "urgent|$(date -d 2024-05-12T23:59:59+08:00 +%s)"
check_same 'the same tier again writes nothing' \
    "$(at 2024-05-09T12:00 case-edit -q --priority 一般 2; sql "SELECT count(*)
    FROM events WHERE case_id = 2")" 3
before=$(db_dump | cksum)
check_exit 'case-edit --priority bogus is a usage error' 2 \
    case-edit --priority 最急 2
check_same 'saying what a tier is' "$(cat err)" \
    'case-edit: --priority: must be urgent, high or normal (紧急, 重要, 一般) -- 最急'
check_same 'and writing nothing' "$(db_dump | cksum)" "$before"

# History after the fact: a report as of an instant before the changes
# is the same after them, and counts each case in the tier it had then.
check_same 'case-stats --by priority --as-of before the edits: the same' \
    "$(at 2024-05-09T13:00 case-stats --as-of 2024-05-09T10:00 \
    --by priority --format tsv)" "$r"
check_same 'and case 2 was counted normal then' \
    "$(at 2024-05-09T13:00 case-stats --as-of 2024-05-09T10:00 \
    --by priority --figures received --format tsv)" 'priority	received
high	2
normal	3
urgent	3
total	8'
at 2024-05-09T14:00 case-edit -q --priority urgent 2 7
check_same 'and after another change, still the same' \
    "$(at 2024-05-09T15:00 case-stats --as-of 2024-05-09T10:00 \
    --by priority --format tsv)" "$r"

# --by priority against an independent count of the cases table.
check_same '--by priority now: received and open by tier, as SQL counts' \
    "$(at 2024-05-09T15:00 case-stats --by priority --figures received,open \
    --format tsv | sed 1d)" \
    "$(sql "SELECT priority || '	' || count(*) || '	' ||
    sum(CASE WHEN status <> 'closed' THEN 1 ELSE 0 END) FROM cases
    GROUP BY priority ORDER BY priority"
    printf 'total\t%s\t%s\n' "$(sql 'SELECT count(*) FROM cases')" \
    "$(sql "SELECT count(*) FROM cases WHERE status <> 'closed'")")"
check_same '--by month,priority: the tier in force at each row' \
    "$(at 2024-05-09T15:00 case-stats --by month,priority --figures received \
    --format tsv | sed 1d | paste -sd' ' -)" \
    "$(printf '2024-05\thigh\t2 2024-05\tnormal\t1 2024-05\turgent\t5 total\t\t8')"
check_exit '--by an unknown key is still refused' 2 \
    case-stats --by priorities

# case-copy carries the tiers, and the categories' terms, to the other
# engine (from a server to a file).
if on_pg; then
	check 'case-copy' case-copy "$tmp/copy.db"
	check_same 'the cases'"'"' tiers there' \
	    "$(case-export -d "$tmp/copy.db" --format tsv | cksum)" \
	    "$(case-export --format tsv | cksum)"
	check_same 'and the categories'"'"' terms' \
	    "$(sqlite3 "$tmp/copy.db" "SELECT code, priority, urgent, high
	    FROM categories ORDER BY code")" "$(sql "SELECT code, priority,
	    urgent, high FROM categories ORDER BY code")"
else
	skip 'case-copy goes to a server: make check-pg runs it'
	skip 'case-copy goes to a server: make check-pg runs it'
	skip 'case-copy goes to a server: make check-pg runs it'
fi

# An older database: version 9 upgrades to the current one, every case
# normal.
if on_pg; then
	sql "$(undo_after 9) UPDATE casekit_schema SET version = 9" >/dev/null
else
	sql "$(undo_after 9) PRAGMA user_version = 9"
fi
check 'case-init upgrades a version-9 database' case-init
check_same 'every case normal, the categories without terms' \
    "$(sql "SELECT count(*) FROM cases WHERE priority = 'normal';
    SELECT count(*) FROM categories WHERE priority IS NULL AND urgent IS NULL
    AND high IS NULL")" '8
4'
check_same 'to the current version' "$(if on_pg; then
    sql 'SELECT max(version) FROM casekit_schema'; else
    sql 'PRAGMA user_version'; fi)" "$schema_now"
check_same 'and lists by tier as before: all normal, by deadline' \
    "$(case-list | cut -f1 | paste -sd' ' -)" '1 8 2 4 6 5 7'
done_testing
