#!/bin/sh
# Issue 15's scenario, end to end through the programs as an office uses
# them: twelve reports of one leaking gas pipe on 淮舜路, from the grid,
# the hotline and residents, each with its position; eight linked as
# duplicates of the first; photos attached and read back byte for byte;
# the nearby lookup a dispatcher makes before adding a thirteenth; the
# hotline's number looked up; a search in Chinese; and the figures, each
# against a count made here from the history, not by casekit.
. "$(dirname "$0")/lib.sh"
plan 23

cd "$tmp" || exit 2
init_demo

# Twelve reports, from 08:00 every ten minutes, a few metres apart around
# 32.6300 N, 116.8400 E; the hotline's carry its 工单编号.
i=0
while [ $i -lt 12 ]; do
	src=grid ref=
	case $((i % 3)) in
	1) src=hotline ref=12345-20240509-00$((30 + i)) ;;
	2) src=walk-in ;;
	esac
	t=$(printf '%02d:%02d' $((8 + i * 10 / 60)) $((i * 10 % 60)))
	CASE_NEAR=0 at "2024-05-09T$t" case-add -q \
	    --category hazard --source "$src" ${ref:+--ref "$ref"} \
	    --title "淮舜路液化气管道泄漏（第$((i + 1))报）" \
	    --location '淮舜路与洞山路交口' --grid xzz-dk-1 \
	    --lat "32.63$(printf '%02d' $i)" --lon 116.8400
	i=$((i + 1))
done
check_same 'twelve reports' "$(sql 'SELECT count(*) FROM cases')" 12
# An unrelated case on another street, which nothing below may find.
CASE_NEAR=0 at 2024-05-09T09:55 case-add -q --category hazard \
    --title '洞山路井盖缺失' --lat 32.6500 --lon 116.8600

# The first is assigned; reports 2-9 are its duplicates; 10-12 stay
# open (a dispatcher has not seen them yet).
at 2024-05-09T10:00 case-assign -q --to xzz-dk-jws 1
check 'eight linked as duplicates of the first' \
    at 2024-05-09T10:10 case-link --duplicate-of 1 2 3 4 5 6 7 8 9
check_same 'each closed as a duplicate of 1' \
    "$(sql "SELECT count(*) FROM cases WHERE duplicate_of = 1
    AND status = 'closed' AND outcome = 'duplicate'")" 8
check_grep 'case-show 1: nine reports' '^reports  *9$' \
    "$(case-show 1 >show1; echo show1)"
check_same 'case-list --reports-min 9: the problem, once' \
    "$(case-list --reports-min 9 | cut -f1)" 1
check_exit 'a duplicate of a duplicate is refused' 1 \
    case-link --duplicate-of 2 10
check_exit 'so is a self-link' 1 case-link --related 10 10

# Photos: two made here, every byte value in one.
python3 -c 'import sys; sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" +
    bytes(range(256)) * 40)' >pipe.png
printf '\377\330\377\340%s' "$(head -c 3000 /dev/zero | tr '\0' 'j')" \
    >site.jpg
check 'case-attach two photos' at 2024-05-09T10:20 case-attach 1 pipe.png \
    site.jpg
check 'case-attach --get' case-attach --get 1 pipe.png
cp "$tmp/out" got.png
check 'the photo read back byte for byte' cmp got.png pipe.png
case-attach --get 1 site.jpg >got.jpg
check 'and the other' cmp got.jpg site.jpg
check_grep 'case-show lists them with their hashes' \
    "$(sha256sum pipe.png | cut -d' ' -f1)" \
    "$(case-show 1 >show1; echo show1)"

# Before a thirteenth report, the dispatcher looks within 150 m: the
# open reports of the spot, nearest first (the duplicates are closed):
# 12 where it stands, then 11 and 10 (11 and 22 m), then 1 (122 m).
check 'case-list --near --within 150m' \
    case-list --near 32.6311,116.8400 --within 150m
check_same 'the open reports within 150 m, nearest first' \
    "$(cut -f1 out | paste -sd' ' -)" '12 11 10 1'
check_same 'with the whole status list, all twelve and not the other' \
    "$(case-list --near 32.6305,116.8400 --within 300m --status all |
    cut -f1 | sort -n | paste -sd' ' -)" '1 2 3 4 5 6 7 8 9 10 11 12'

# The hotline quotes its number back.
check 'case-show --ref' case-show --ref 12345-20240509-0034 --source hotline
check_grep 'finds the report it gave that number' '^case  *5$' out

# A clerk searches in Chinese; a note added later is found too.
at 2024-05-09T10:30 case-note --note '燃气公司已关阀抢修' 10 >/dev/null
check_same 'case-list --text 液化气 洞山路, open and closed' \
    "$(case-list --text '液化气 洞山路' | cut -f1 | sort -n |
    paste -sd' ' -)" '1 2 3 4 5 6 7 8 9 10 11 12'
check_same 'a word of a note finds its case' \
    "$(case-list --text 关阀抢修 | cut -f1)" 10
check_same 'the other street'"'"'s case by its own words' \
    "$(case-list --text 井盖缺失 | cut -f1)" 13

# The figures at the end of the day, against counts from the history:
# received counts every report (the day's 13 reported events),
# registered every problem once (the cases that are not duplicates).
stat() {
	CASE_NOW=2024-05-09T18:00:00+08:00 case-stats --since 2024-05-09 \
	    --until 2024-05-09 --format tsv \
	    --figures "$1" | sed -n 2p
}
check_same 'received: every report, as the history has them' \
    "$(stat received)" "$(sql "SELECT count(*) FROM events
    WHERE action = 'reported'")"
check_same 'registered: each problem once' "$(stat registered)" \
    "$(sql "SELECT count(*) FROM cases WHERE duplicate_of IS NULL")"
check_same 'and that is 5: the pipe, its three open reports, the other' \
    "$(stat registered)" 5
done_testing
