#!/bin/sh
# A full disk keeps the old outputs: the nightly report and a workbook are
# written on a small tmpfs, the disk is filled, and the next run fails
# with "No space left on device", leaving the old files whole and no
# temporary file behind.  And a host without /proc (a chroot) still has
# its outputs written.
. "$(dirname "$0")/lib.sh"

small=$tmp/small
mkdir "$small"
if [ "$(id -u)" -ne 0 ] ||
    ! mount -t tmpfs -o size=512k tmpfs "$small" 2>/dev/null; then
	echo "1..0 # skip cannot mount a small tmpfs (needs root)"
	exit 0
fi
trap 'umount "$tmp/tiny" "$small" 2>/dev/null; lib_cleanup' EXIT INT TERM
plan 13
export CASE_LOGGER=true CASE_NOW=2024-05-10T06:00:00+08:00

init_demo
CASE_NOW=2024-05-09T09:00:00+08:00 case-add -q --category hazard \
    --title 液化气罐
check 'a report on the small disk' case-report -o "$small"
case-export --xlsx "$small/q.xlsx"
cp "$small/report-2024-05-09.txt" "$tmp/old.txt"
cp "$small/q.xlsx" "$tmp/old.xlsx"

# More cases, so that the new files would differ; then the disk full.
for i in 1 2 3 4 5 6 7 8; do
	CASE_NOW=2024-05-09T10:00:00+08:00 case-add -q --category dispute \
	    --title "纠纷 $i" --desc "$(head -c 2000 /dev/zero | tr '\0' x)"
done
dd if=/dev/zero of="$small/fill" bs=4k 2>/dev/null
check_exit 'the disk full: case-report fails' 2 case-report -o "$small"
check_grep 'saying why' '^case-report: .*report-2024-05-09\.\(txt\|html\): No space left on device' \
    "$tmp/err"
check 'the old report is kept, whole' cmp "$small/report-2024-05-09.txt" \
    "$tmp/old.txt"
check_exit 'case-export --xlsx fails too' 2 case-export --xlsx "$small/q.xlsx"
check_same 'saying why: the system'"'"'s reason, the name given, nothing else' \
    "$(cat "$tmp/err")" \
    "case-export: $small/q.xlsx: No space left on device"
check 'the old workbook is kept, whole' cmp "$small/q.xlsx" "$tmp/old.xlsx"
check_same 'no temporary file is left' "$(ls -A "$small" | grep '^\.')" ''

# A page larger than stdio's buffer fails while it is written, not at its
# flush: the reason is still the system's (it was "Input/output error").
mkdir "$tmp/tiny"
mount -t tmpfs -o size=8k tmpfs "$tmp/tiny"
dd if=/dev/zero of="$tmp/tiny/pad" bs=1k count=4 2>/dev/null
check_exit 'the text fits, the page does not: exit 2' 2 \
    case-report -o "$tmp/tiny"
check_same 'saying why' "$(cat "$tmp/err")" \
    "case-report: $tmp/tiny/report-2024-05-09.html: No space left on device"
check_same 'and writing neither' "$(ls -A "$tmp/tiny")" pad

# Without /proc (a chroot), where a file made without a name could not be
# linked by it: made under a temporary name instead.
# (A sanitizer's runtime, or valgrind's, needs /proc itself: skipped.)
mkdir "$tmp/noproc"
noproc() {
	unshare -m sh -c 'mount -t tmpfs none /proc && "$@"' sh "$@"
}
if noproc : && noproc case-report --version >/dev/null 2>&1; then
	check 'without /proc: case-report writes its report' \
	    noproc case-report -o "$tmp/noproc"
	check_same 'both files, nothing else' \
	    "$(ls -A "$tmp/noproc" | tr '\n' ' ')" \
	    'report-2024-05-09.html report-2024-05-09.txt '
else
	skip 'this build cannot run without /proc'
	skip 'this build cannot run without /proc'
fi
done_testing
