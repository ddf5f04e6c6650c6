#!/bin/sh
# case-close: closing with an outcome, reopening, batches with bad IDs, the
# add | assign | close chain, and writers running at the same time.
. "$(dirname "$0")/lib.sh"
plan 50

# One case's field from case-export, by column name.
field() {
	case-export --format tsv | awk -F '\t' -v id="$1" -v want="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	    $1 == id { print $col[want] }'
}

# The last event of case $1: action, actor, outcome, note.
last_event() {
	case-export --events --format tsv | awk -F '\t' -v id="$1" '
	    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	    $col["case"] == id { e = $col["action"] "|" $col["actor"] "|" \
		$col["outcome"] "|" $col["note"] }
	    END { print e }'
}

# Status, unit and outcome of each case given.
state() {
	for i; do
		printf '%s:%s:%s:%s ' "$i" "$(field "$i" status)" \
		    "$(field "$i" unit)" "$(field "$i" outcome)"
	done
}

init_demo
for t in 液化气罐 飞线充电 消防通道 邻里纠纷; do
	case-add -q --category hazard --title "$t" --unit xzz-dk-jws
done
case-add -q --category petition --title 来访未分派

# Closing records the outcome, the note and the time (CASE_NOW).
check 'close with an outcome and a note' env CASE_NOW=2024-05-09T15:30:00+08:00 \
    case-close --outcome resolved --note '已整改，罐已清走' 1
check_same 'it prints the ID' "$(cat "$tmp/out")" 1
check_same 'status closed with the outcome' "$(state 1)" \
    '1:closed:xzz-dk-jws:resolved '
check_same 'the closing time' "$(field 1 closed)" 2024-05-09T15:30:00+08:00
check_same 'the outcome note' "$(field 1 outcome_note)" '已整改，罐已清走'
check_same 'a closed event with outcome and note' "$(last_event 1)" \
    'closed|tester|resolved|已整改，罐已清走'

# Closing a closed case is an error for that ID; the rest of the batch
# closes.
check_exit 'a batch with a closed case' 1 \
    case-close --outcome mediated --actor 调解员 1 2 3
check_same 'the closed one is reported' "$(cat "$tmp/err")" \
    'case-close: 1: case is closed'
check_same 'the others are printed' "$(cat "$tmp/out")" '2
3'
check_same 'the others are closed, the first untouched' "$(state 1 2 3)" \
    '1:closed:xzz-dk-jws:resolved 2:closed:xzz-dk-jws:mediated 3:closed:xzz-dk-jws:mediated '
check_same 'its closing time is unchanged' "$(field 1 closed)" \
    2024-05-09T15:30:00+08:00
check_same '--actor is recorded' "$(last_event 2)" 'closed|调解员|mediated|'

# Bad IDs, from operands or standard input, are reported one by one.
check_exit 'unknown and invalid IDs' 1 case-close --outcome resolved 4 99 x1
check_same 'each is reported' "$(cat "$tmp/err")" \
    'case-close: 99: no such case
case-close: x1: invalid case ID'
check_same 'the good one is closed' "$(state 4)" '4:closed:xzz-dk-jws:resolved '

# --reopen: back to assigned if the case has a unit, else to reported;
# the outcome, note and closing time are cleared; history keeps both.
case-close -q --outcome withdrawn --note 撤回 5
check '--reopen' case-close --reopen --note 当事人再次反映 4 5
check_same 'it prints the IDs' "$(cat "$tmp/out")" '4
5'
check_same 'with a unit: assigned; without: reported' "$(state 4 5)" \
    '4:assigned:xzz-dk-jws: 5:reported:: '
check_same 'closing time and note cleared' \
    "$(field 5 closed)|$(field 5 outcome_note)" '|'
check_same 'a reopened event with the note' "$(last_event 5)" \
    'reopened|tester||当事人再次反映'
check_same 'the history keeps the closing too' \
    "$(case-export --events --format tsv | awk -F '\t' '$2 == 5 { print $4 }' | tr '\n' ' ')" \
    'reported closed reopened '
check_exit 'reopening an open case is an error' 1 case-close --reopen 4 3
check_same 'for that ID' "$(cat "$tmp/err")" 'case-close: 4: case is not closed'
check_same 'the closed one in the batch is reopened' "$(cat "$tmp/out")" 3

# Every outcome of the list closes a case.
ids=
for o in resolved mediated mediation-failed referred withdrawn duplicate \
    rejected; do
	ids="$ids $(case-add --category dispute --title "$o" --unit xzz-hp)"
done
set -- $ids
check 'each outcome is accepted' sh -c "
	case-close -q --outcome resolved $1 && case-close -q --outcome mediated $2 &&
	case-close -q --outcome mediation-failed $3 &&
	case-close -q --outcome referred $4 && case-close -q --outcome withdrawn $5 &&
	case-close -q --outcome duplicate $6 && case-close -q --outcome rejected $7"
check_same 'and stored' "$(for i in $ids; do field "$i" outcome; done | tr '\n' ' ')" \
    'resolved mediated mediation-failed referred withdrawn duplicate rejected '

# Usage errors: exit 2, nothing written.
before=$(db_dump)
check_exit 'an unknown outcome is a usage error' 2 case-close --outcome fixed 2
check_same 'naming it' "$(cat "$tmp/err")" \
    'case-close: --outcome: no such outcome -- fixed'
check_exit 'neither --outcome nor --reopen' 2 case-close 2
check_grep 'prints usage' '^usage: case-close ' "$tmp/err"
check_exit 'both --outcome and --reopen' 2 case-close --outcome resolved --reopen 2
check_same 'the database is unchanged' "$(db_dump)" "$before"

# --dry-run says what it would do and changes nothing.
check_exit '--dry-run close, with a closed case among them' 1 \
    case-close -n --outcome referred 4 2
check_same 'says what it would do' "$(cat "$tmp/out")" '4	would close referred'
check_same 'still reports the closed one' "$(cat "$tmp/err")" \
    'case-close: 2: case is closed'
check '--dry-run reopen' case-close --dry-run --reopen 2
check_same 'says what it would do' "$(cat "$tmp/out")" '2	would reopen'
check_same 'the database is unchanged' "$(db_dump)" "$before"

# The chain from the manual: each program passes the IDs it changed on.
# All three are writers running at once, so the downstream ones must not
# hold the database while they wait for their input.  Which one reaches
# the database first varies from run to run: up to three runs, so that a
# chain that only works in some orders is caught.
n=$(case-list --status all | wc -l)
: >"$tmp/chain.out"
: >"$tmp/chain.err"
for i in 1 2 3; do
	case-add --category hazard --title "链条$i" 2>>"$tmp/chain.err" |
	    case-assign --to xzz-dk-jws 2>>"$tmp/chain.err" |
	    case-close --outcome resolved 2>>"$tmp/chain.err" >>"$tmp/chain.out"
	[ -s "$tmp/chain.err" ] && break
done
check_same 'no errors from add | assign | close' "$(cat "$tmp/chain.err")" ''
check_same 'three runs print three IDs' "$(cat "$tmp/chain.out")" \
    "$((n + 1))
$((n + 2))
$((n + 3))"
check_same 'each case is closed at the unit, resolved' \
    "$(state $((n + 1)) $((n + 2)) $((n + 3)))" \
    "$((n + 1)):closed:xzz-dk-jws:resolved $((n + 2)):closed:xzz-dk-jws:resolved $((n + 3)):closed:xzz-dk-jws:resolved "

# Two writers at once: case-assign reads its IDs from a fifo that stays
# open while another program writes.  The second writer must neither fail
# with "database is locked" nor wait for the first one's input to end.
# There is no sleep and no time limit: a case-assign that took the write
# lock before its input ended would make the second writer wait out the
# busy timeout (60 s) and fail; the reader run in between gives it the
# time to get there first.
a=$(case-add --category hazard --title 并发甲)
b=$(case-add --category hazard --title 并发乙 --unit xzz-pcs)
mkfifo "$tmp/fifo"
case-assign --to xzz-pcs <"$tmp/fifo" >"$tmp/bg.out" 2>"$tmp/bg.err" &
bg=$!
exec 3>"$tmp/fifo"
echo "$a" >&3
check 'a reader runs while a writer waits for input' case-export
check 'a second writer runs while the first waits for input' \
    case-close --outcome resolved "$b"
check_same 'without "database is locked"' "$(cat "$tmp/err")" ''
exec 3>&-
wait "$bg"
check_same 'the first writer then succeeds' "$?" 0
check_same 'and prints its ID' "$(cat "$tmp/bg.out")" "$a"
check_same 'without errors' "$(cat "$tmp/bg.err")" ''
check_same 'both changes are there' "$(state "$a" "$b")" \
    "$a:assigned:xzz-pcs: $b:closed:xzz-pcs:resolved "

# Several writers started together queue behind each other.
pids=
for i in 1 2 3 4; do
	case-add --category hazard --title "同时$i" >"$tmp/par$i.out" \
	    2>"$tmp/par$i.err" &
	pids="$pids $!"
done
fails=0
for j in $pids; do
	wait "$j" || fails=$((fails + 1))
done
check_same 'four case-add at once all succeed' "$fails" 0
check_same 'with four different IDs and no errors' \
    "$(cat "$tmp"/par?.out | sort -u | wc -l) $(cat "$tmp"/par?.err)" '4 '
done_testing
