#!/bin/sh
# Links between cases (issue 15 item 1): case-link --parent, --duplicate-of,
# --related and --unlink, as events of the case's history with the links
# table (and duplicate_of) as their cache; each refusal writes nothing;
# case-show shows the links both ways and an original's reports;
# case-list --reports-min; case-close refuses a parent with open children
# but with --with-children; the figures count a duplicate as a report
# received, not a problem registered, now and --as-of before the link;
# the links as the history alone says they are; case-copy takes them.
. "$(dirname "$0")/lib.sh"
plan 96

cd "$tmp" || exit 2
init_demo
# Eight reports of a gas leak on 淮舜路, one a minute.
for i in 1 2 3 4 5 6 7 8; do
	at 2024-05-09T09:0$i case-add -q --category hazard \
	    --title "淮舜路燃气管道漏气 $i"
done
lines() { paste -sd' ' "$tmp/out"; }
# field LABEL: a case-show line's value, from $tmp/show.
field() {
	sed -n "s/^$1  *//p" "$tmp/show"
}

# --- Parent and children.
check_exit 'case-link --parent' 0 \
    at 2024-05-09T10:00 case-link --parent 1 2 3
check_same 'writes the children linked' "$(lines)" '2 3'
check_same 'a linked event on each child, naming its parent' \
    "$(actions 2)|$(ev 2 2 field)|$(ev 2 2 new)|$(ev 2 2 actor)" \
    'reported linked|parent|1|tester'
check_same 'and nothing on the parent' "$(actions 1)" 'reported'
case-show 1 >"$tmp/show"
check_same 'case-show: the parent has its children' "$(field children)" \
    '2 (reported), 3 (reported)'
case-show 2 >"$tmp/show"
check_same 'case-show: the child has its parent' "$(field parent)" \
    '1 (reported)'
check_exit 'the same link again' 0 \
    at 2024-05-09T10:01 case-link --parent 1 2
check_same 'is left as it is: nothing written out' "$(lines)" ''
check_same 'nor written' "$(actions 2)" 'reported linked'

# --- Each refusal says why and writes nothing.
before=$(db_dump)
refuse() {
	desc=$1 msg=$2
	shift 2
	check_exit "$desc" 1 at 2024-05-09T10:05 "$@"
	check_same "  saying: $msg" "$(cat "$tmp/err")" "$msg"
}
refuse 'a self-link (parent)' 'case-link: 4: a case cannot be its own parent' \
    case-link --parent 4 4
refuse 'a self-link (related)' \
    'case-link: 4: a case cannot be related to itself' \
    case-link --related 4 4
refuse 'a self-link (duplicate)' 'case-link: 4: a case cannot duplicate itself' \
    case-link --duplicate-of 4 4
refuse 'an unknown other case' 'case-link: 4: --parent: no such case -- 99' \
    case-link --parent 99 4
refuse 'an unknown case named' 'case-link: 99: no such case' \
    case-link --related 4 99
refuse 'an unknown original' 'case-link: 4: --duplicate-of: no such case -- 99' \
    case-link --duplicate-of 99 4
refuse 'a cycle: the parent under its child' \
    'case-link: 1: --parent: case 3 is under this case: a link would make a cycle' \
    case-link --parent 3 1
at 2024-05-09T10:05 case-link -q --parent 3 4
refuse 'a longer cycle, through two parents' \
    'case-link: 1: --parent: case 4 is under this case: a link would make a cycle' \
    case-link --parent 4 1
at 2024-05-09T10:05 case-link -q --unlink --parent 3 4
before=$(db_dump)
refuse 'a second parent' \
    'case-link: 2: case has a parent already (1): unlink it first' \
    case-link --parent 4 2
refuse 'unlinking a link that is not there' \
    'case-link: 4: case has no parent 1' \
    case-link --unlink --parent 1 4
refuse 'nor a relation' 'case-link: 4: case is not related to 1' \
    case-link --unlink --related 1 4
refuse 'nor a duplicate (an open case)' 'case-link: 4: case is not closed' \
    case-link --unlink --duplicate-of 1 4
check_exit 'no kind of link is a usage error' 2 case-link 4
check_exit 'nor two kinds' 2 case-link --parent 1 --related 2 4
check_exit 'an invalid ID' 2 case-link --parent x 4
check_same 'and the refusals changed nothing' "$(db_dump)" "$before"

# --- Duplicates: closed at once, naming the original.
check_exit 'case-link --duplicate-of' 0 \
    at 2024-05-09T11:00 case-link --duplicate-of 1 5 6 7
check_same 'writes the duplicates' "$(lines)" '5 6 7'
check_same 'each closed as a duplicate of 1' \
    "$(sql 'SELECT id, status, outcome, duplicate_of FROM cases
    WHERE duplicate_of IS NOT NULL ORDER BY id')" \
    '5|closed|duplicate|1
6|closed|duplicate|1
7|closed|duplicate|1'
check_same 'by a closed event, then a linked one naming the original' \
    "$(actions 5)|$(ev 5 3 field)|$(ev 5 3 new)" \
    'reported closed linked|duplicate_of|1'
case-show 1 >"$tmp/show"
check_same 'case-show: the original has its duplicates' \
    "$(field duplicates)" '5 (closed), 6 (closed), 7 (closed)'
check_same 'and its reports, itself and its duplicates' "$(field reports)" 4
case-show 5 >"$tmp/show"
check_same 'the duplicate its original' "$(field 'duplicate of')" \
    '1 (reported)'
before=$(db_dump)
refuse 'a duplicate of a duplicate' \
    'case-link: 8: --duplicate-of: case 5 is itself a duplicate of 1' \
    case-link --duplicate-of 5 8
refuse 'an original made a duplicate' \
    'case-link: 1: other cases are duplicates of this one: make them duplicates --duplicate-of the first case instead' \
    case-link --duplicate-of 8 1
refuse 'and by case-close, naming its option' \
    'case-close: 1: other cases are duplicates of this one: make them duplicates --of the first case instead' \
    case-close --outcome duplicate --of 8 1
refuse 'a closed case made a duplicate' 'case-link: 5: case is closed' \
    case-link --duplicate-of 8 5
check_same 'nothing written' "$(db_dump)" "$before"

# --- case-list --reports-min: problems reported at least N times.
check_exit 'case-list --reports-min 4' 0 case-list --reports-min 4 \
    --format tsv
check_same 'lists the original' "$(cut -f1 "$tmp/out")" 1
check_exit '--reports-min 5: none' 1 case-list --reports-min 5
check_exit '--reports-min 2 --status all' 0 case-list --reports-min 2 \
    --status all --format tsv
check_same 'the original alone, never a duplicate' "$(cut -f1 "$tmp/out")" 1
check_exit '--reports-min 1 is every case' 0 case-list --reports-min 1 \
    --status all --format tsv
check_same 'all eight' "$(cut -f1 "$tmp/out" | paste -sd' ' -)" \
    '1 2 3 4 5 6 7 8'
check_exit '--reports-min 0 is a usage error' 2 case-list --reports-min 0

# --- Related, both ways.
check_exit 'case-link --related' 0 at 2024-05-09T11:10 case-link --related 8 4
case-show 8 >"$tmp/show"
check_same 'case-show: related from one side' "$(field related)" \
    '4 (reported)'
case-show 4 >"$tmp/show"
check_same 'and from the other' "$(field related)" '8 (reported)'
check_exit 'the same relation named the other way round' 0 \
    at 2024-05-09T11:11 case-link --related 4 8
check_same 'is there already' "$(lines)" ''

# --- The figures: a duplicate is received, not registered.
CASE_NOW=2024-05-09T13:00:00+08:00
# An independent count: the cases, less those closed as duplicates.
check_same 'received 8, registered 5 (8 less the 3 duplicates)' \
    "$(case-stats --figures received,registered --format tsv | sed 1d)" \
    "$(sql 'SELECT count(*) FROM cases')	$(sql "SELECT count(*) FROM cases
    WHERE outcome IS NULL OR outcome <> 'duplicate'")"
check_same 'the registered, by ID' "$(case-stats --ids registered |
    paste -sd' ' -)" '1 2 3 4 8'
check_same 'a duplicate is no case unvisited' \
    "$(case-stats --ids no_visit | paste -sd' ' -)" ''
if [ -n "$faketime_lib" ]; then
	check_same '--as-of before the duplicates: all eight registered' \
	    "$(case-stats --as-of 2024-05-09T10:30 --ids registered |
	    paste -sd' ' -)" '1 2 3 4 5 6 7 8'
	check_same '--as-of before: the figures as they were' \
	    "$(case-stats --as-of 2024-05-09T10:30 --figures received,registered \
	    --format tsv | sed 1d)" '8	8'
else
	skip 'libfaketime not installed (Debian: faketime)'
	skip 'libfaketime not installed (Debian: faketime)'
fi

# --- The links as the history alone says (an independent fold of the
# export): the links table and duplicate_of are its cache.
from_history() {
	case-export --events --format tsv | awk -F'\t' '
	    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    $c["action"] == "linked" { k = $c["case"] "|" $c["field"] "|" \
		$c["new"]; if (!(k in on)) o[++n] = k; on[k] = 1 }
	    $c["action"] == "unlinked" { on[$c["case"] "|" $c["field"] "|" \
		$c["old"]] = 0 }
	    END { for (i = 1; i <= n; i++) if (on[o[i]]) print o[i] }' |
	    sed 's/|duplicate_of|/|duplicate|/' | sort
}
cached() {
	sql "SELECT case_id || '|' || kind || '|' || other FROM links
	    UNION ALL SELECT id || '|duplicate|' || duplicate_of FROM cases
	    WHERE duplicate_of IS NOT NULL" | sort
}
check_same 'the links in force are what the history says' \
    "$(from_history)" "$(cached)"

# --- Unlinking.
check_exit 'case-link --unlink --related' 0 \
    at 2024-05-09T11:20 case-link --unlink --related 8 4
check_same 'takes the relation away, named from either side' \
    "$(sql "SELECT count(*) FROM links WHERE kind = 'related'")|$(lines)" '0|4'
check_same 'by an unlinked event on the case named' \
    "$(actions 4)|$(ev 4 5 field)|$(ev 4 5 old)" \
    'reported linked unlinked linked unlinked|related|8'
check_exit 'a duplicate is unlinked only with a note' 1 \
    at 2024-05-09T11:30 case-link --unlink --duplicate-of 1 7
check_same 'saying so' "$(cat "$tmp/err")" \
    'case-link: 7: case is closed as a duplicate: reopen it only with --note saying why'
check_exit 'with --note, it is reopened' 0 at 2024-05-09T11:30 \
    case-link --unlink --duplicate-of 1 --note 另一处管道 7
check_same 'its own case again' \
    "$(sql 'SELECT status, duplicate_of FROM cases WHERE id = 7')|$(actions 7)" \
    'reported||reported closed linked unlinked reopened'
case-show 1 >"$tmp/show"
check_same 'the original has one report fewer' "$(field reports)" 3
check_same 'the history still says what is cached' "$(from_history)" "$(cached)"

# --- Closing a parent with open children.
before=$(db_dump)
check_exit 'a parent with open children is not closed' 1 \
    at 2024-05-09T12:00 case-close --outcome resolved 1
check_same 'saying so' "$(cat "$tmp/err")" \
    'case-close: 1: case has 2 open children (2, ...): close them first, or close this case --with-children'
check_same 'nothing closed' "$(db_dump)" "$before"
at 2024-05-09T12:00 case-link -q --parent 2 4
at 2024-05-09T12:10 case-note -q --note 稍后 4
check_exit 'nor with a child that may not be closed then' 1 \
    at 2024-05-09T12:05 case-close --outcome resolved --with-children 1
check_same 'naming it' "$(cat "$tmp/err")" \
    "case-close: 1: child 4: effective time 2024-05-09T12:05:00+08:00 is before the case's last event (2024-05-09T12:10:00+08:00)"
check_same 'and closing none (5 and 6 are the closed)' \
    "$(sql "SELECT id FROM cases WHERE status = 'closed' ORDER BY id" |
    paste -sd' ' -)" '5 6'
check_exit '--with-children closes them all' 0 \
    at 2024-05-09T12:20 case-close --outcome resolved --with-children 1
check_same 'the grandchild, the children, then the parent' "$(lines)" \
    '4 3 2 1'
check_same 'each by its own closed event' \
    "$(for i in 1 2 3 4; do sql "SELECT count(*) FROM events
    WHERE case_id = $i AND action = 'closed'"; done | paste -sd' ' -)" \
    '1 1 1 1'
check_exit '--with-children with --outcome duplicate is a usage error' 2 \
    case-close --outcome duplicate --of 1 --with-children 8
before=$(db_dump)
refuse 'an open case under a closed parent' \
    'case-link: 8: --parent: case 1 is closed: an open case cannot become its child' \
    case-link --parent 1 8
check_same 'is refused, writing nothing' "$(db_dump)" "$before"

# --- case-copy takes the links and compares them (to the other engine:
# on a server, to a file).
if on_pg; then
	check 'case-copy copies a database with links' case-copy "$tmp/copy.db"
	check_same 'the links, the same' "$(CASE_DB=$tmp/copy.db cached)" \
	    "$(cached)"
else
	skip 'case-copy goes to a server: make check-pg runs it'
	skip 'case-copy goes to a server: make check-pg runs it'
fi
done_testing
