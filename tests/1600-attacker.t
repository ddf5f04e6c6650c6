#!/bin/sh
# The office directory attacked by a member of its group.  Root runs the
# cron programs and the writers in a directory that the clerks' group may
# write (mode 2770).  Every name a program creates there is found by
# running it under strace(1), not listed by hand; a throwaway user of
# that group then plants, at each of those names, a symlink to a file
# outside, a hard link to a file of its own, or a FIFO.  Root runs
# everything again, and no file outside the directory may change or
# appear, the attacker's own file may not receive root's data, and no
# file root writes may belong to the attacker or be writable by others.
. "$(dirname "$0")/lib.sh"
sqlite_only_file 'the office directory holds the SQLite file and the names beside it'

if [ "$(id -u)" -ne 0 ] || ! command -v strace >/dev/null ||
    ! command -v setpriv >/dev/null || ! command -v useradd >/dev/null; then
	echo "1..0 # skip needs root, strace, setpriv and useradd"
	exit 0
fi
who=ckatk$$
groupadd "$who" 2>/dev/null && useradd -M -N -g "$who" -d /nonexistent \
    -s /usr/sbin/nologin "$who" 2>/dev/null || {
	groupdel "$who" 2>/dev/null
	echo "1..0 # skip cannot create a throwaway user and group"
	exit 0
}
trap 'userdel "$who" 2>/dev/null; groupdel "$who" 2>/dev/null; lib_cleanup' \
    EXIT INT TERM
plan 22
attacker="setpriv --reuid=$who --regid=$who --clear-groups"
export CASE_LOGGER=true CASE_NOW=2024-05-10T06:00:00+08:00
chmod 0711 "$tmp"

# The office as the administrator left it: a database of the group's,
# with a case overdue (due 9 May) for the night's escalation.
mkdir -m 0755 "$tmp/proto"
CASE_DB=$tmp/proto/cases.db
(cd "$tmp/proto" && CASE_NOW=2024-05-08T09:00:00+08:00 init_demo &&
    CASE_NOW=2024-05-08T09:00:00+08:00 case-add -q --category hazard \
    --unit xzz-dk-1 --title 液化气罐 && case-list >/dev/null)
chgrp "$who" "$CASE_DB"
chmod 0660 "$CASE_DB"
# Outside the office: a file of root's and a file of the attacker's.
mkdir -m 0755 "$tmp/outside" "$tmp/atk"
echo precious >"$tmp/outside/victim"
chown "$who" "$tmp/atk"
$attacker sh -c "echo mine >'$tmp/atk/own'"

office=$tmp/office
export CASE_DB=$office/cases.db
# fresh: the office anew, from the prototype.
fresh() {
	rm -rf "$office"
	cp -a "$tmp/proto" "$office"
	chgrp "$who" "$office"
	chmod 2770 "$office"
}
# jobs: everything root runs in the office; each may fail, none may hang
# (timeout only guards the suite against a hang).
jobs() {
	for j in "case-escalate" "case-report -o $office" \
	    "case-backup $office/backup.db" "case-export --xlsx $office/q.xlsx" \
	    "case-init -d $office/new.db" "case-init" \
	    "case-add -q --category hazard --title x" \
	    "case-close -q --outcome resolved 1"; do
		(cd "$office" && timeout 20 $j) >/dev/null 2>>"$tmp/joberr"
		echo "$? $j" >>"$tmp/jobrc"
	done
}
# state: what must not change: everything outside the office.
state() {
	(cd "$tmp" && find outside atk -printf '%p %s %U %m\n' | sort &&
	    cat outside/victim atk/own)
}

## Discovery: every path under the office that a job creates, renames
## into or links, by strace, as root in a fresh office.
fresh
# LeakSanitizer cannot run under ptrace (make asan): off while traced.
traced_asan=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
rm -f "$tmp/jobrc"
for j in "case-escalate" "case-report -o $office" \
    "case-backup $office/backup.db" "case-export --xlsx $office/q.xlsx" \
    "case-init -d $office/new.db" "case-init" \
    "case-add -q --category hazard --title x"; do
	(cd "$office" && ASAN_OPTIONS=$traced_asan \
	    strace -f -y -qq -e trace=%file -o "$tmp/trace" $j) \
	    >/dev/null 2>>"$tmp/joberr" || echo "$j" >>"$tmp/jobrc"
	cat "$tmp/trace" >>"$tmp/traces"
done
check_same 'unattacked, every job succeeds' "$(cat "$tmp/jobrc" 2>/dev/null)" ''
# The names: the path argument of a call that creates (O_CREAT, mkdir,
# rename, link, symlink, mknod), relative to the office or absolute in it.
grep -E 'O_CREAT|rename|link|mkdir|mknod' "$tmp/traces" |
    sed -n 's/^[0-9]* *[a-z0-9_]*(\([^"]*\)"\([^"]*\)".*/\1|\2/p' |
    while IFS='|' read -r pre name; do
	case $pre$name in
	*"$office"*) ;;
	*) continue ;;
	esac
	name=${name#"$office"/}
	case $name in */* | '' | /*) continue ;; esac
	echo "$name"
	# rename's second name too.
done | sort -u >"$tmp/names"
grep -E '^[0-9]* *rename' "$tmp/traces" |
    sed -n 's/.*, *[0-9]*<[^>]*> *"\([^"]*\)"[^"]*$/\1/p; s/.*, *"\([^"]*\)"[^"]*$/\1/p' |
    sed "s|^$office/||" | grep -v / >>"$tmp/names"
sort -u -o "$tmp/names" "$tmp/names"
echo "# names created in the office: $(tr '\n' ' ' <"$tmp/names")"
check 'the trace finds the reports, the workbook, the backup, the locks and the databases' \
    sh -c "for n in report-2024-05-09.txt report-2024-05-09.html q.xlsx \
	backup.db cases.db.escalate.lock cases.db.report.lock new.db; do
	grep -qx \"\$n\" '$tmp/names' || { echo \"missing \$n\" >&2; exit 1; }; done"

# attack KIND: the attacker plants KIND at every name; root runs the jobs.
attack() {
	fresh
	while read -r n; do
		case $1 in
		symlink) $attacker ln -s "$tmp/outside/victim" "$office/$n" ;;
		dangling) $attacker ln -s "$tmp/outside/new-$n" "$office/$n" ;;
		hardlink) $attacker ln "$tmp/atk/own" "$office/$n" ;;
		fifo) $attacker mkfifo "$office/$n" ;;
		esac 2>/dev/null
	done <"$tmp/names"
	before=$(state)
	: >"$tmp/jobrc"
	jobs
	after=$(state)
	why=
	[ "$before" = "$after" ] || why="outside changed: $(printf '%s\n' \
	    "$before" >"$tmp/b"; printf '%s\n' "$after" | diff "$tmp/b" - |
	    tr '\n' ' ')"
	# No job hung (124: timeout's status).
	grep -q '^124 ' "$tmp/jobrc" && why="$why hung: $(grep '^124 ' "$tmp/jobrc")"
	# What root wrote is root's, and nobody else's to write, except
	# the databases, which are the group's by design (case-init keeps
	# the mode; case-backup copies it).
	bad=$(cd "$office" && find . -maxdepth 1 -type f -newer "$tmp/b" \
	    \( -not -user root -o -perm -o+w \) -print)
	[ -z "$bad" ] || why="$why given away: $bad"
	[ -z "$why" ] && ok "planted ${1}s at every name: nothing outside touched, nothing given away" ||
	    not_ok "planted ${1}s: $why"
}
: >"$tmp/b"
attack symlink
attack dangling
attack hardlink
attack fifo

## A planted temporary cannot make root hand over its workbook: a
## pre-created file at any name ".q.xlsx.*" belongs to the attacker and is
## never written by root.
fresh
$attacker sh -c "for i in 1 2 3; do : >'$office/.q.xlsx.\$i.AAAAAA'; done"
case-export --xlsx "$office/q.xlsx" 2>"$tmp/err"
check_same 'the workbook is root'"'"'s, 0640 at most' \
    "$(stat -c '%U %a' "$office/q.xlsx")" "root 640"
check_same 'and the attacker'"'"'s files stay empty' \
    "$(cat "$office"/.q.xlsx.*)" ''

## The lock: a planted symlink is refused, and so is a FIFO.
fresh
$attacker ln -s "$tmp/outside/lock" "$office/cases.db.escalate.lock"
check_exit 'a symlink at the lock file: case-escalate fails' 2 \
    case-escalate -d "$office/cases.db"
check_same 'and creates nothing where it points' \
    "$(ls "$tmp/outside")" victim
## SQLite writes a backup through the descriptor of the temporary that
## case-backup made, never by its name in the office, where the
## attacker may put a file of theirs at any moment: made without a name
## (O_TMPFILE), which it gets only once whole, by a link.
fresh
ASAN_OPTIONS=$traced_asan strace -f -qq -e trace=openat,linkat \
    -o "$tmp/bktrace" case-backup "$office/b2.db"
check_same 'case-backup never opens its temporary by name; links it once' \
    "$(grep -c '^[0-9]* *openat.*\.b2\.db\.' "$tmp/bktrace") $(grep -c \
    'O_TMPFILE' "$tmp/bktrace") $(grep -c '^[0-9]* *linkat.*\.b2\.db\.' \
    "$tmp/bktrace")" '0 1 1'

## The attacker puts a link to a file of theirs at the temporary's name
## as soon as it has one (case-backup held up there): root's data does
## not reach it, and the good backup from before is not replaced by it.
## (Between the last look and the rename a window stays, which only a
## sticky directory closes: casekit(7).)
case-backup "$office/backup.db"
cp "$office/backup.db" "$tmp/good.db"
before=$(state)
ASAN_OPTIONS=$traced_asan strace -f -qq -o /dev/null -e trace=linkat \
    -e inject=linkat:delay_exit=5000000:when=1 \
    case-backup "$office/backup.db" >"$tmp/out" 2>"$tmp/err" &
pid=$!
made() { t=$(cd "$office" && ls -A | grep '^\.backup\.db\.'); }
wait_until made
$attacker sh -c "mv '$office/$t' '$office/moved' &&
    ln '$tmp/atk/own' '$office/$t'"
wait $pid
check_same 'case-backup sees it: exit 2, not written' "$? $(cat "$tmp/err")" \
    "2 case-backup: $office/backup.db: replaced by another file while \
being written; not written"
check 'the backup from before is still there' cmp "$office/backup.db" \
    "$tmp/good.db"
check_same 'and the attacker'"'"'s file has nothing of root'"'"'s' \
    "$(state)" "$before"

## The attacker makes a directory of the target's path a symbolic link to
## a directory of root's: root's output does not follow it.  A link of
## root's own is followed.
mkdir -m 0700 "$tmp/private"
echo precious >"$tmp/private/q.xlsx"
$attacker ln -s "$tmp/private" "$office/exports"
check_exit 'an attacker'"'"'s link on the way to the target: exit 2' 2 \
    case-export --xlsx "$office/exports/q.xlsx"
check_same 'refused, saying why; root'"'"'s file as it was' \
    "$(cat "$tmp/err") $(cat "$tmp/private/q.xlsx")" \
    "case-export: $office/exports/q.xlsx: a symbolic link of another \
user's on the way; refused precious"
ln -s "$tmp/private" "$office/rootlink"
check 'a link of root'"'"'s is followed' \
    case-export --xlsx "$office/rootlink/q.xlsx"
$attacker sh -c "mkdir '$office/deep' &&
    ln -s '$tmp/private' '$office/deep/2024'"
check_exit 'nor a link in a directory of the attacker'"'"'s own' 2 \
    case-export --xlsx "$office/deep/2024/q.xlsx"
(cd "$tmp" && ln -s . l0 && ln -s "$(printf 'l0/%.0s' $(seq 41))" l41)
check_same 'more than 40 links on the way, however nested: refused' \
    "$(case-export --xlsx "$tmp/l41/q.xlsx" 2>&1; echo "exit $?")" \
    "case-export: $tmp/l41/q.xlsx: Too many levels of symbolic links
exit 2"
ln -s /proc/self/fd/1 "$office/out"
check_same 'a link to the run'"'"'s own output (as /dev/stdout): refused' \
    "$(case-export --xlsx "$office/out" 2>&1 >"$tmp/o.xlsx"; echo "exit $?")
$(stat -c %F "$office/out")" "case-export: $office/out: this run's own \
standard input or output; refused
exit 2
symbolic link"

## A FIFO or a device at the target is not replaced by a file.
mkfifo "$office/fifo"
check_exit 'case-export --xlsx to a FIFO: exit 2' 2 \
    case-export --xlsx "$office/fifo"
check_same 'saying so; it stays a FIFO' "$(cat "$tmp/err") $(stat -c %F \
    "$office/fifo")" "case-export: $office/fifo: not a regular file fifo"
done_testing
