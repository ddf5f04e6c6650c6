#!/bin/sh
# case-assign: handing cases to a unit (--to) or one level up (--escalate);
# IDs from operands or standard input; bad IDs reported, the rest done.
. "$(dirname "$0")/lib.sh"
plan 57

# One case's field from case-export, by column name.
field() {
	case-export --format tsv | awk -F '\t' -v id="$1" -v want="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	    $1 == id { print $col[want] }'
}

# The history of case $1 without the OS user column (host-dependent):
# action, actor, from, to, due, note.
events() {
	case-export --events --format tsv | awk -F '\t' -v id="$1" '
	    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	    $col["case"] == id { print $col["action"] "|" $col["actor"] "|" \
		$col["from_unit"] "|" $col["to_unit"] "|" $col["due"] "|" \
		$col["note"] }'
}

# Unit and status of the cases given, one "id:status:unit" each.
where() {
	for i; do
		case-list --status all | awk -F '\t' -v id="$i" \
		    '$1 == id { printf "%s:%s:%s ", $1, $2, $3 }'
	done
}

init_demo
for t in 液化气罐 飞线充电 消防通道 邻里纠纷 噪音扰民 占道经营; do
	case-add -q --category hazard --title "$t"
done

# --to: each changed ID is printed, and each change is an event.
check '--to assigns' case-assign --to xzz-dk 1 2
check_same 'it prints each ID' "$(cat "$tmp/out")" '1
2'
check_same 'status assigned, unit set' "$(where 1 2)" \
    '1:assigned:xzz-dk 2:assigned:xzz-dk '
check_same 'the first assignment time is set' "$(field 1 assigned)" \
    2024-05-09T09:00:00+08:00
check_same 'an assigned event from nowhere to the unit, by the actor' \
    "$(events 1 | sed 1d)" 'assigned|tester||xzz-dk||'

# Reassigning keeps the first assignment time and records where from.
check 'reassigning' env CASE_NOW=2024-05-09T10:30:00+08:00 \
    case-assign --to xzz-dk-jws --note 转警务室 1
check_same 'the event shows from and to, and the note' "$(events 1 | sed 1,2d)" \
    'assigned|tester|xzz-dk|xzz-dk-jws||转警务室'
check_same 'the first assignment time is kept' "$(field 1 assigned)" \
    2024-05-09T09:00:00+08:00

# The actor: --actor, else $CASE_ACTOR.
check '--actor names the actor' case-assign --actor 王警官 --to xzz-pcs 2
CASE_ACTOR=李主任 case-assign -q --to xzz 3
check_same '--actor and CASE_ACTOR are recorded' \
    "$(events 2 | sed 1,2d; events 3 | sed 1d)" \
    'assigned|王警官|xzz-dk|xzz-pcs||
assigned|李主任||xzz||'

# IDs from standard input: the first field of each line (TAB or blank
# after it), leading blanks and blank lines skipped.
check_same 'IDs are read from standard input' \
    "$(printf '\n  4\t噪音扰民\n\n5 占道经营\n\n' | case-assign --to tbz-pcs)" '4
5'
check_same 'both were assigned' "$(where 4 5)" \
    '4:assigned:tbz-pcs 5:assigned:tbz-pcs '

# case-list's lines pipe straight in (a reader feeding a writer).
check_same 'case-list | case-assign' \
    "$(case-list --unit tbz-pcs | case-assign --to tbz)" '4
5'
check_same 'moved them all' "$(where 4 5)" '4:assigned:tbz 5:assigned:tbz '
check_same '-q prints nothing' \
    "$(case-list --unit tbz | case-assign -q --to tbz-pcs)" ''
check_same 'but assigns' "$(where 4 5)" '4:assigned:tbz-pcs 5:assigned:tbz-pcs '

# A batch with bad IDs: each is reported on stderr, the rest are done, and
# the exit status is 1.
check_exit 'bad operands among good ones' 1 \
    case-assign --to bgsz -- 4 42 abc 0 -5 5
check_same 'each bad one is reported' "$(cat "$tmp/err")" \
    'case-assign: 42: no such case
case-assign: abc: invalid case ID
case-assign: 0: invalid case ID
case-assign: -5: invalid case ID'
check_same 'the good ones are printed' "$(cat "$tmp/out")" '4
5'
check_same 'and assigned' "$(where 4 5)" '4:assigned:bgsz 5:assigned:bgsz '
printf '42\n4\nabc\n-5\n0\n5\n1.5\n' >"$tmp/ids"
check_exit 'bad IDs on standard input' 1 case-assign --to tbz <"$tmp/ids"
check_same 'each bad one is reported' "$(cat "$tmp/err")" \
    'case-assign: 42: no such case
case-assign: abc: invalid case ID
case-assign: -5: invalid case ID
case-assign: 0: invalid case ID
case-assign: 1.5: invalid case ID'
check_same 'the good ones are printed' "$(cat "$tmp/out")" '4
5'
check_same 'and assigned' "$(where 4 5)" '4:assigned:tbz 5:assigned:tbz '

# A closed case cannot be assigned: an error for that ID only.
case-close -q --outcome resolved 6
check_exit 'assigning a closed case is an error' 1 case-assign --to xzz 6 4
check_same 'for that ID' "$(cat "$tmp/err")" 'case-assign: 6: case is closed'
check_same 'the other is done' "$(cat "$tmp/out")" 4
check_same 'the closed case is untouched' "$(where 6)" '6:closed: '

# --escalate: to the parent of the current unit, with a fresh deadline
# counted from now (CASE_NOW), not from the report.
id=$(case-add --category hazard --title 占用消防通道 --unit bgsz-dq-2 \
    --reported 2024-05-01T08:00)
check_same 'the old deadline counts from the report' "$(field "$id" due)" \
    2024-05-02T08:00:00+08:00
check '--escalate succeeds' case-assign --escalate --note 逾期上报 "$id"
check_same 'it prints the ID' "$(cat "$tmp/out")" "$id"
check_same 'the case is at the parent unit' "$(where "$id")" \
    "$id:assigned:bgsz-dq "
check_same 'with a fresh deadline from CASE_NOW (hazard: 24h)' \
    "$(field "$id" due)" 2024-05-10T09:00:00+08:00
check_same 'an escalated event with from, to, due and note' \
    "$(events "$id" | tail -n 1)" \
    'escalated|tester|bgsz-dq-2|bgsz-dq|2024-05-10T09:00:00+08:00|逾期上报'
check 'escalating again goes one more level' \
    env CASE_NOW=2024-05-09T12:00:00+08:00 case-assign -q --escalate "$id"
check_same 'to the street' "$(where "$id")" "$id:assigned:bgsz "
check_same 'the deadline counts from the new now' "$(field "$id" due)" \
    2024-05-10T12:00:00+08:00

# A case at the top unit (and not overdue) has nowhere to go: an error
# for that ID, the others escalated.
top=$(case-add --category hazard --title 区级督办 --unit bgs)
check_exit 'escalating at the top unit is an error' 1 \
    case-assign --escalate "$top" 2
check_same 'for that ID' "$(cat "$tmp/err")" \
    "case-assign: $top: already at the top unit"
check_same 'the other is escalated' "$(cat "$tmp/out")" 2
check_same 'the top case is untouched' "$(where "$top" 2)" \
    "$top:assigned:bgs 2:assigned:xzz "

# A case that no unit has yet cannot go up either.
check_exit 'escalating an unassigned case is an error' 1 \
    case-assign --escalate "$(case-add --category hazard --title 未分派)"
check_grep 'for that ID' '^case-assign: [0-9]*: not assigned to any unit$' \
    "$tmp/err"

# Usage errors: exit 2, nothing written.
before=$(db_dump)
check_exit 'an unknown --to unit is a usage error' 2 case-assign --to zd-police 1
check_same 'naming the unit' "$(cat "$tmp/err")" \
    'case-assign: --to: no such unit -- zd-police'
check_exit 'neither --to nor --escalate' 2 case-assign 1
check_grep 'prints usage' '^usage: case-assign ' "$tmp/err"
check_exit 'both --to and --escalate' 2 case-assign --to xzz --escalate 1
check_same 'the database is unchanged' "$(db_dump)" "$before"

# --dry-run says what it would do for each case and changes nothing; bad
# IDs are still reported.  (Later than case 1's reassignment at 10:30: an
# effective time before a case's last event is refused.)
CASE_NOW=2024-05-09T13:00:00+08:00
check_exit '--dry-run with a bad ID' 1 case-assign -n --to fgw 1 42 3
check_same 'says what it would do' "$(cat "$tmp/out")" \
    '1	would assign xzz-dk-jws -> fgw
3	would assign xzz -> fgw'
check_same 'reports the bad ID' "$(cat "$tmp/err")" \
    'case-assign: 42: no such case'
check '--dry-run --escalate' case-assign --dry-run --escalate 1
check_same 'says where it would go' "$(cat "$tmp/out")" \
    '1	would escalate xzz-dk-jws -> xzz-dk'
check_same 'the database is unchanged' "$(db_dump)" "$before"

# Standard input that is empty is no IDs at all: nothing to do.
check 'empty standard input' case-assign --to xzz </dev/null
check_same 'changes nothing' "$(db_dump)" "$before"
# (A terminal on standard input with no IDs is refused with exit 2 rather
# than waiting; a test has no terminal, so that is not tested here.)
done_testing
