#!/bin/sh
# The transition table of casekit(7) (spec of issue 11), tested whole:
# for every state (reported, assigned, handled, returned, paused, closed,
# and closed as a duplicate) and every action (assign, escalate, extend,
# handle, rework, return, pause, resume, close, reopen, visit, note,
# edit) a fresh case is put in that state through the programs, with the
# clock stepping forward, and the action applied through the program a
# user calls.  An allowed action exits 0, prints the ID exactly when it
# changed the case, leaves the case in the state the table says and
# appends its event; a refused one exits 1, says "prog: ID: why" on one
# line of stderr, prints nothing and writes nothing (the whole database
# dump is unchanged).  Then escalation's own rules: supervision once per
# lapse, --if-overdue, --all-overdue, the same ID twice in one batch;
# effective times earlier than the case's last event; and which deadlines
# lapse when extensions, recomputations, pauses and escalations move them.
. "$(dirname "$0")/lib.sh"

cat >"$tmp/cats.csv" <<'EOF'
code,name,deadline,dispatch
h48,安全隐患,48h,4h
h24,其他,24h,
EOF
# top (no deadline of its own) > s1 (24h) > g1, g2.
cat >"$tmp/units.csv" <<'EOF'
code,name,parent,level,deadline
top,模拟区,,district,
s1,街道一,top,street,24h
g1,网格一,s1,grid,
g2,网格二,s1,grid,
EOF
case-init --units "$tmp/units.csv" --categories "$tmp/cats.csv" >/dev/null

# The clock: $T in seconds, CASE_NOW with it; step [SECONDS] moves it on
# (10 minutes by default).
# (iso SECONDS: that instant in lib.sh's zone, CST-8, by the civil-date
# algorithm, in the shell, not date(1): the test steps the clock hundreds
# of times.)
T=$(date -d 2024-05-01T09:00:00+08:00 +%s)
iso() {
	s=$(($1 + 8 * 3600))
	z=$((s / 86400 + 719468))
	era=$((z / 146097))
	doe=$((z - era * 146097))
	yoe=$(((doe - doe / 1460 + doe / 36524 - doe / 146096) / 365))
	doy=$((doe - (365 * yoe + yoe / 4 - yoe / 100)))
	mp=$(((5 * doy + 2) / 153))
	m=$((mp < 10 ? mp + 3 : mp - 9))
	y=$((yoe + era * 400 + (m <= 2)))
	printf '%04d-%02d-%02dT%02d:%02d:%02d+08:00' "$y" "$m" \
	    $((doy - (153 * mp + 2) / 5 + 1)) $((s % 86400 / 3600)) \
	    $((s % 3600 / 60)) $((s % 60))
}
step() {
	T=$((T + ${1:-600}))
	CASE_NOW=$(iso "$T")
	export CASE_NOW
}
check_same 'iso agrees with date(1)' "$(iso 1709283599) $(iso "$T")" \
    "$(date -d @1709283599 +%Y-%m-%dT%H:%M:%S%:z) 2024-05-01T09:00:00+08:00"
step 0

# field ID N: column N of the case's case-list line (2 status, 3 unit,
# 4 due).
field() {
	case-list --status all --format tsv |
	    awk -F'\t' -v id="$1" -v n="$2" '$1 == id { print $n }'
}
# nev ID: how many events the case has.
nev() {
	case-export --events --format tsv | awk -F'\t' -v id="$1" '
	    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    $c["case"] == id' | wc -l
}
# newacts ID N: the actions of the case's events after the Nth.
newacts() {
	case-export --events --format tsv | awk -F'\t' -v id="$1" -v n="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    $c["case"] == id && ++k > n { print $c["action"] }' | paste -sd' ' -
}
# due ID: the case's due time in seconds.
due() {
	date -d "$(field "$1" 4)" +%s
}

# mk STATE: a fresh case in STATE, its ID in $id, then a step.  Cases
# with a unit are at g1, except "returned", handed from s1 to g1 and
# returned to s1; "returned0" went back to intake (no unit); "paused" was
# assigned, "pausedR" reported, "pausedH" handled; "closed0" was closed
# with no unit; "dup" closed as a duplicate of another case.
mk() {
	step
	case $1 in
	reported|pausedR|closed0)
		id=$(case-add --category h48 --title 测试案件) ;;
	returned)
		id=$(case-add --category h48 --title 测试案件 --unit s1)
		step
		case-assign -q --to g1 "$id" ;;
	*)
		id=$(case-add --category h48 --title 测试案件 --unit g1) ;;
	esac
	step
	case $1 in
	handled|pausedH)
		case-handle -q "$id" ;;
	returned|returned0)
		case-return -q --note 不属本单位 "$id" ;;
	paused|pausedR)
		case-pause -q "$id" ;;
	closed|closed0)
		case-close -q --outcome resolved --note 已办结 "$id" ;;
	dup)
		m=$(case-add --category h48 --title 原案 --unit g1)
		case-close -q --outcome duplicate --of "$m" --note 重复 "$id" ;;
	esac
	case $1 in
	pausedH)
		step
		case-pause -q "$id" ;;
	esac
	step
}

# run CMD...: runs it; $rc, $tmp/out, $tmp/err.
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
# allowed DESC STATE ACTIONS CMD...: CMD on case $id exits 0, prints the
# ID and nothing on stderr, leaves the case in STATE, and the events it
# appended have the ACTIONS given (space-separated, in order).
allowed() {
	desc=$1 want=$2 acts=$3
	shift 3
	n=$(nev "$id")
	run "$@"
	got="exit=$rc out=$(paste -sd' ' "$tmp/out") err=$(cat "$tmp/err")"
	got="$got state=$(field "$id" 2) events=$(newacts "$id" "$n")"
	check_same "$desc" "$got" "exit=0 out=$id err= state=$want events=$acts"
}
# unchanged DESC CMD...: CMD on case $id exits 0, prints nothing at all
# and writes nothing.
unchanged() {
	desc=$1
	shift
	before=$(db_dump)
	run "$@"
	if [ "$(db_dump)" = "$before" ]; then db=same; else db=changed; fi
	check_same "$desc" \
	    "exit=$rc out=$(cat "$tmp/out") err=$(cat "$tmp/err") db=$db" \
	    "exit=0 out= err= db=same"
}
# refused DESC WHY CMD...: CMD on case $id exits 1, writes one line
# "prog: $id: why" on stderr, where why starts with the glob WHY ("" for
# any reason), nothing on stdout, and leaves the database as it was.
refused() {
	desc=$1 why=$2
	shift 2
	prog=${1##*/}
	before=$(db_dump)
	run "$@"
	if [ "$(db_dump)" = "$before" ]; then db=same; else db=changed; fi
	e=$(cat "$tmp/err")
	case $e in
	*"
"*)	;;
	"$prog: $id: "$why?*|"$prog: $id: "$why)
		[ -n "$why" ] || [ "${e#"$prog: $id: "}" != "" ] &&
		    e="$prog: $id: WHY" ;;
	esac
	check_same "$desc" "exit=$rc out=$(cat "$tmp/out") err=$e db=$db" \
	    "exit=1 out= err=$prog: $id: WHY db=same"
}

OPEN="reported assigned handled returned paused"
ALL="$OPEN closed"

# --- assign (case-assign --to U)
for s in $ALL; do
	mk "$s"
	case $s in
	paused)	refused "assign: $s: refused" 'case is paused' \
		    case-assign --to g2 "$id" ;;
	closed)	refused "assign: $s: refused" 'case is closed' \
		    case-assign --to g2 "$id" ;;
	*)	allowed "assign: $s -> assigned" assigned assigned \
		    case-assign --to g2 "$id"
		check_same "assign: $s: at the unit given" "$(field "$id" 3)" g2
		;;
	esac
done
mk assigned
unchanged 'assign: assigned to its own unit: no change, ID not printed' \
    case-assign --to g1 "$id"

# --- escalate (case-assign --escalate), none of them overdue.
mk reported
refused 'escalate: reported, no unit, not overdue: refused' \
    'not assigned to any unit' case-assign --escalate "$id"
for s in assigned handled; do
	mk "$s"
	allowed "escalate: $s at g1 -> assigned" assigned escalated \
	    case-assign --escalate "$id"
	check_same "escalate: $s: at the parent, due in the parent's 24h" \
	    "$(field "$id" 3) $(due "$id")" "s1 $((T + 24 * 3600))"
done
mk returned
allowed 'escalate: returned to s1 -> assigned' assigned escalated \
    case-assign --escalate "$id"
check_same 'escalate: returned: at the top, due in the category'"'"'s 48h' \
    "$(field "$id" 3) $(due "$id")" "top $((T + 48 * 3600))"
mk returned0
refused 'escalate: returned to intake, not overdue: refused' \
    'not assigned to any unit' case-assign --escalate "$id"
mk paused
refused 'escalate: paused: refused' 'case is paused' \
    case-assign --escalate "$id"
mk closed
refused 'escalate: closed: refused' 'case is closed' \
    case-assign --escalate "$id"
step
id=$(case-add --category h48 --title 测试案件 --unit top)
step
refused 'escalate: at the top, not overdue: refused' \
    'already at the top unit' case-assign --escalate "$id"

# Overdue with nowhere to go: supervised once per lapse.
step
id=$(case-add --category h48 --title 测试案件)
step $((4 * 3600 + 60))
allowed 'escalate: reported, dispatch limit lapsed: supervised' \
    reported supervised case-assign --escalate "$id"
step
unchanged 'escalate: the same lapse again: nothing, exit 0' \
    case-assign --escalate "$id"
step
id=$(case-add --category h48 --title 测试案件 --unit top)
step $((48 * 3600 + 60))
allowed 'escalate: at the top, overdue: supervised' assigned supervised \
    case-assign --escalate "$id"
sup=$id
step
unchanged 'escalate: at the top, the same lapse again: nothing' \
    case-assign --escalate "$id"
step
id=$(case-add --category h48 --title 测试案件 --unit g1)
step $((48 * 3600 + 60))
allowed 'escalate: overdue at g1 -> assigned at s1' assigned escalated \
    case-assign --escalate "$id"

# --if-overdue
mk assigned
t=$T
refused_skip() {
	before=$(db_dump)
	run "$@"
	if [ "$(db_dump)" = "$before" ]; then db=same; else db=changed; fi
}
refused_skip case-assign --escalate --if-overdue "$id"
check_same '--if-overdue: a case not overdue is skipped, exit 0, named' \
    "exit=$rc out=$(cat "$tmp/out") err=$(cat "$tmp/err") db=$db" \
    "exit=0 out= err=case-assign: $id: not overdue, skipped db=same"
a=$id
step
b=$(case-add --category h48 --title 测试案件 --unit g1)
step $((48 * 3600 + 60))
c=$(case-add --category h48 --title 测试案件 --unit g2)
step
run case-assign --escalate --if-overdue "$a" "$c" "$b"
check_same '--if-overdue: the overdue ones escalated, the other skipped' \
    "exit=$rc out=$(paste -sd' ' "$tmp/out") err=$(cat "$tmp/err")" \
    "exit=0 out=$a $b err=case-assign: $c: not overdue, skipped"
check_same '--if-overdue: both at s1, one escalation each' \
    "$(field "$a" 3) $(field "$b" 3) $(newacts "$a" 0) | $(newacts "$b" 0)" \
    's1 s1 reported assigned escalated | reported assigned escalated'

# The same ID twice in one batch acts once.
mk assigned
run case-assign --escalate "$id" "$id"
check_same 'escalate: the same ID twice: escalated once, to s1' \
    "exit=$rc $(field "$id" 3) $(newacts "$id" 0)" \
    'exit=0 s1 reported assigned escalated'
step
id=$(case-add --category h48 --title 测试案件 --unit g1)
step $((48 * 3600 + 60))
echo "$id
$id" | case-assign --escalate --if-overdue >"$tmp/out" 2>"$tmp/err"
rc=$?
check_same 'escalate --if-overdue: the same ID twice on stdin: once' \
    "exit=$rc $(field "$id" 3) $(newacts "$id" 0)" \
    'exit=0 s1 reported assigned escalated'

# --- extend (case-assign --extend SPAN): same state, due + SPAN.
for s in $ALL; do
	mk "$s"
	case $s in
	paused)	refused "extend: $s: refused" 'case is paused' \
		    case-assign --extend 24h --note 补充材料 "$id" ;;
	closed)	refused "extend: $s: refused" 'case is closed' \
		    case-assign --extend 24h --note 补充材料 "$id" ;;
	*)	old=$(due "$id")
		allowed "extend: $s -> $s" "$s" extended \
		    case-assign --extend 24h --note 补充材料 "$id"
		check_same "extend: $s: due 24h later" "$(due "$id")" \
		    $((old + 24 * 3600)) ;;
	esac
done

# --- handle, rework, return, pause: one state each allowed.
for s in $ALL; do
	mk "$s"
	if [ "$s" = assigned ]; then
		allowed "handle: $s -> handled" handled handled case-handle "$id"
	else
		refused "handle: $s: refused" '' case-handle "$id"
	fi
	mk "$s"
	if [ "$s" = handled ]; then
		allowed "rework: $s -> assigned" assigned reworked \
		    case-rework --note 未整改 "$id"
	else
		refused "rework: $s: refused" '' case-rework --note 未整改 "$id"
	fi
	mk "$s"
	case $s in
	assigned|handled)
		allowed "return: $s -> returned" returned returned \
		    case-return --note 不属本单位 "$id" ;;
	*)	refused "return: $s: refused" '' \
		    case-return --note 不属本单位 "$id" ;;
	esac
	mk "$s"
	case $s in
	paused|closed)
		refused "pause: $s: refused" '' case-pause "$id" ;;
	*)	allowed "pause: $s -> paused" paused paused case-pause "$id" ;;
	esac
done

# --- resume (case-pause --resume): back to the state it was paused from,
# its deadline moved by the time paused.
for s in $ALL; do
	[ "$s" = paused ] && continue
	mk "$s"
	refused "resume: $s: refused" '' case-pause --resume "$id"
done
for p in pausedR:reported paused:assigned pausedH:handled; do
	mk "${p%%:*}"
	old=$(due "$id")
	step 7200
	allowed "resume: paused from ${p#*:} -> ${p#*:}" "${p#*:}" resumed \
	    case-pause --resume "$id"
	check_same "resume: from ${p#*:}: due moved by the 2h 10m paused" \
	    "$(due "$id")" $((old + 7800))
done

# --- close (case-close --outcome resolved)
for s in $ALL; do
	mk "$s"
	if [ "$s" = closed ]; then
		refused "close: $s: refused" 'case is closed' \
		    case-close --outcome resolved "$id"
	else
		allowed "close: $s -> closed" closed closed \
		    case-close --outcome resolved --note 已办结 "$id"
	fi
done

# --- reopen (case-close --reopen): assigned with a unit, else reported,
# due the category's 48h from now; a duplicate only with --note.
for s in $OPEN; do
	mk "$s"
	refused "reopen: $s: refused" '' case-close --reopen "$id"
done
mk closed
allowed 'reopen: closed with a unit -> assigned' assigned reopened \
    case-close --reopen "$id"
check_same 'reopen: a fresh deadline, 48h from now' "$(due "$id")" \
    $((T + 48 * 3600))
mk closed0
allowed 'reopen: closed without a unit -> reported' reported reopened \
    case-close --reopen "$id"
# The dispatch deadline is set at the report and at a return, nowhere
# else: a case closed unassigned before its 4h dispatch limit and reopened
# after it is reported again against that limit, overdue at once, though
# that deadline never lapsed (it passed while the case was closed).
step
id=$(case-add --category h48 --title 测试案件)
step
case-close -q --outcome withdrawn "$id"
step $((5 * 3600))
case-close -q --reopen "$id"
step
check_same 'reopen unassigned after the dispatch limit: overdue at once' \
    "$(case-list --overdue --format tsv | cut -f1 | grep -x "$id")" "$id"
mk dup
refused 'reopen: closed as a duplicate, without --note: refused' '' \
    case-close --reopen "$id"
allowed 'reopen: closed as a duplicate, with --note -> assigned, unlinked' \
    assigned 'unlinked reopened' case-close --reopen --note 并非重复 "$id"

# --- visit (case-visit): only closed cases, never a duplicate.
for s in $OPEN dup; do
	mk "$s"
	refused "visit --satisfied: $s: refused" '' case-visit --satisfied "$id"
	refused "visit --unsatisfied: $s: refused" '' \
	    case-visit --unsatisfied "$id"
done
mk closed
allowed 'visit --satisfied: closed -> closed' closed visited \
    case-visit --satisfied "$id"
mk closed
allowed 'visit --unsatisfied: closed -> reopened, assigned' assigned \
    'visited reopened' case-visit --unsatisfied "$id"
mk closed0
allowed 'visit --unsatisfied: closed without a unit -> reported' reported \
    'visited reopened' case-visit --unsatisfied "$id"

# --- note and edit: any state, no change of state.
for s in $ALL dup; do
	w=$s
	[ "$s" = dup ] && w=closed
	mk "$s"
	allowed "note: $s -> $w" "$w" noted case-note --note 进展 "$id"
	step
	allowed "edit: $s -> $w" "$w" edited case-edit --title 更正标题 "$id"
done

# --- Effective times: never before the case's last event.  Six cases,
# their last event a note at $last; each writer tried an hour before.
set -- 'case-note --note 补录' 'case-assign --to g2' 'case-handle' \
    'case-close --outcome resolved' 'case-pause' \
    'case-assign --extend 24h --note 补充材料' 'case-note --note 补录'
ids=
for cmd; do
	mk assigned
	ids="$ids $id"
done
# shellcheck disable=SC2086
case-note -q --note 最后一条 $ids
last=$CASE_NOW
step
t1=$(iso $((T - 3600)))
CASE_NOW=$t1
for id in $ids; do
	cmd=$1
	shift
	if [ $# -eq 0 ]; then
		# The last: through --at instead, at the right clock.
		step 0
		refused '--at an hour before the last event: refused' \
		    'effective time' case-note --at "$t1" --note 补录 "$id"
		CASE_NOW=$t1
		run case-note --note 补录 "$id"
		check_same 'the refusal names both times' "$(cat "$tmp/err")" \
		    "case-note: $id: effective time $t1 is before the case's last event ($last)"
		CASE_NOW=$last
		allowed 'at the instant of the last event: allowed' assigned \
		    noted case-note --note 同时 "$id"
		break
	fi
	# shellcheck disable=SC2086
	refused "${cmd%% *} an hour before the last event: refused" \
	    'effective time' $cmd "$id"
done
step 0

# --- Lapses: a deadline lapses when its clock runs at that instant and it
# is still the one in force then.  Each case in a database of its own,
# reported at T0 at g1 (48h), its lapses counted at T0 + 100h.
# lapses NAME WANT CMDS: CMDS are lines "HOURS COMMAND...", run HOURS
# after T0 on the case (its ID appended).
lapses() {
	CASE_DB=$(new_db "$tmp/lapse-$1.db")
	export CASE_DB
	T0=$T
	case-init --units "$tmp/units.csv" --categories "$tmp/cats.csv" \
	    >/dev/null
	id=$(case-add --category h48 --title 测试案件 --unit g1)
	printf '%s\n' "$3" | while read -r h cmd; do
		CASE_NOW=$(iso $((T0 + h * 3600))) eval "$cmd \"\$id\"" >/dev/null
	done
	check_same "lapses: $1" "$(CASE_NOW=$(iso $((T0 + 100 * 3600))) \
	    case-stats --format tsv | awk -F'\t' 'NR == 1 {
		for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ print "lapses=" $c["lapses"] }')" "lapses=$2"
	step $((101 * 3600))
}
lapses 'extended before its deadline: only the new one lapses' 1 \
    '24 case-assign -q --extend 24h --note 补充材料'
lapses 'extended after the lapse, to a time still past: one lapse' 1 \
    '72 case-assign -q --extend 12h --note 补充材料'
lapses 'extended after the lapse, to a later time: both lapse' 2 \
    '50 case-assign -q --extend 24h --note 补充材料'
lapses 'extended after the lapse, closed before the new one: one' 1 \
    '50 case-assign -q --extend 24h --note 补充材料
60 case-close -q --outcome resolved'
lapses 'recomputed after the lapse to an earlier past time: one lapse' 1 \
    '72 case-edit -q --category h24 --recompute-due'
lapses 'recomputed before the deadline to a past time: none' 0 \
    '30 case-edit -q --category h24 --recompute-due'
lapses 'paused after the lapse, resumed: the shifted deadline, past: one' 1 \
    '72 case-pause -q
82 case-pause -q --resume'
lapses 'paused before the deadline, resumed: it lapses shifted' 1 \
    '40 case-pause -q
50 case-pause -q --resume'
lapses 'recomputed while paused to a past time, resumed into the future: it lapses then' 1 \
    '10 case-pause -q
30 case-edit -q --category h24 --recompute-due
40 case-pause -q --resume'
lapses 'paused over the deadline, closed while paused: none' 0 \
    '40 case-pause -q
60 case-close -q --outcome resolved'
lapses 'escalated after the lapse: the fresh deadline lapses too' 2 \
    '50 case-assign -q --escalate'
export CASE_DB="$main_db"

# --- --all-overdue, in a database of its own, at T0 + 49h.
CASE_DB=$(new_db "$tmp/all.db")
case-init --units "$tmp/units.csv" --categories "$tmp/cats.csv" >/dev/null
T0=$T
add() {
	case-add --category h48 --title 测试案件 "$@"
}
o1=$(add --unit g1)				# due T0+48h: overdue
step
o2=$(add --unit top)				# at the top: supervised
step
o3=$(add --unit g1)
step
case-handle -q "$o3"				# handled, overdue
n1=$(add --unit g1)
step
case-pause -q "$n1"				# paused: not overdue
n2=$(add --unit g1)
step
case-close -q --outcome resolved "$n2"		# closed
step $((44 * 3600))
o4=$(add)					# dispatch limit T0+48h+
step $((3 * 3600))
n3=$(add --unit g2)				# due T0+95h
step $((2 * 3600))
n4=$(add)					# dispatch limit not yet
step 60
want=$(printf '%s\n' "$o1" "$o2" "$o3" "$o4" | sort -n | paste -sd' ' -)
check_same 'case-list --overdue: the overdue ones, before' \
    "$(case-list --overdue --format tsv | cut -f1 | paste -sd' ' -)" "$want"
run case-assign --escalate --all-overdue
check_same '--all-overdue: exactly the overdue cases, exit 0' \
    "exit=$rc out=$(sort -n "$tmp/out" | paste -sd' ' -) err=$(cat "$tmp/err")" \
    "exit=0 out=$want err="
check_same '--all-overdue: escalated or supervised as each needs' \
    "$(for i in "$o1" "$o2" "$o3" "$o4" "$n1" "$n2" "$n3" "$n4"; do
	echo "$i $(field "$i" 2) $(field "$i" 3) $(newacts "$i" 0)"; done)" \
    "$o1 assigned s1 reported assigned escalated
$o2 assigned top reported assigned supervised
$o3 assigned s1 reported assigned handled escalated
$o4 reported  reported supervised
$n1 paused g1 reported assigned paused
$n2 closed g1 reported assigned closed
$n3 assigned g2 reported assigned
$n4 reported  reported"
step
unchanged '--all-overdue again: nothing left, nothing written, exit 0' \
    case-assign --escalate --all-overdue

plan "$ntest"
done_testing
