#!/bin/sh
# Attachments (issue 15 item 2): case-attach keeps files with a case, in
# the database, content-addressed by SHA-256 (a content kept once,
# whatever cases have it); each is an "attached" event; case-show lists
# them, --get gives them back byte for byte, the export carries their
# hashes and names; a size limit, a type check by content and the checks
# on names refuse a run with nothing written; a run killed with SIGKILL
# leaves all or nothing; case-copy and case-backup carry the bytes.
# Schema 10 holds them.
. "$(dirname "$0")/lib.sh"
plan 67

cd "$tmp" || exit 2
init_demo
case-add --category hazard --title 液化气罐 >/dev/null
case-add --category dispute --title 噪音 >/dev/null
case-add --category hazard --title 堆物 >/dev/null
stats0=$(case-stats --format tsv)

# The files, made here: a PNG with every byte value (NULs and high bytes
# among them), a PDF, a text in Chinese.
{
	printf '\211PNG\r\n\032\n'
	i=0
	while [ $i -lt 256 ]; do
		printf "\\$(printf %03o $i)"
		i=$((i + 1))
	done
} >photo.png
printf '%%PDF-1.4\n%%\342\343\317\323\n1 0 obj\n<<>>\nendobj\n\0\377' \
    >协议书.pdf
printf '业主承诺三日内清运。\n' >note.txt
hash() {
	sha256sum "$1" | cut -d' ' -f1
}
dump() {
	db_dump | cksum
}
hp=$(hash photo.png) hd=$(hash 协议书.pdf) ht=$(hash note.txt)

check_exit 'case-attach: three files to case 1' 0 \
    case-attach 1 photo.png 协议书.pdf note.txt
check_same 'writes the case ID once' "$(cat out)" 1
check_same 'three attached events, after the report' "$(actions 1)" \
    'reported attached attached attached'
check_same 'the event: the name, the field, type, size and hash in the note' \
    "$(ev 1 2 field) $(ev 1 2 new) $(ev 1 2 note)" \
    "attachment photo.png image/png 264 sha256:$hp"
case-show 1 >show
check_grep 'case-show lists the PNG: name, size, type, hash' \
    "^    photo.png  264  image/png  sha256:$hp\$" show
check_grep 'the PDF' "^    协议书.pdf  $(wc -c <协议书.pdf)  application/pdf  sha256:$hd\$" show
check_grep 'the text' "^    note.txt  31  text/plain  sha256:$ht\$" show
check_same 'under a heading, in the order of their names' \
    "$(sed -n '/^attachments$/,/^deadlines$/p' show |
    sed 's/^\(    [^ ]*\)  .*/\1/')" \
    'attachments
    note.txt
    photo.png
    协议书.pdf
deadlines'
check_same 'a case without any shows no heading' \
    "$(case-show 2 | grep -c '^attachments')" 0

case-attach --get 1 photo.png >got.png
check 'case-attach --get: the PNG byte for byte (NULs, high bytes)' \
    cmp got.png photo.png
case-attach --get 1 协议书.pdf >got.pdf
check 'the PDF byte for byte' cmp got.pdf 协议书.pdf
check_exit '--get of a name the case lacks' 1 case-attach --get 1 nothing.png
check_same 'says so' "$(cat err)" 'case-attach: 1: nothing.png: no such attachment'
check_same 'and writes nothing' "$(wc -c <out)" 0
check_exit '--get of a case that is not there' 1 case-attach --get 99 photo.png
check_same 'says so too' "$(cat err)" 'case-attach: 99: no such case'

# The same content is kept once; a name is one attachment of a case.
check_exit 'the same photo for case 2 under another name' 0 \
    case-attach --name 现场.png 2 photo.png
check_same 'the bytes kept once: 3 contents, 4 attachments' \
    "$(sql 'SELECT count(*) FROM blobs') $(sql 'SELECT count(*) FROM attachments')" \
    '3 4'
check_same 'case 2 gives it back under its name' \
    "$(case-attach --get 2 现场.png | cmp - photo.png && echo same)" same
d0=$(dump)
check_exit 'the same file under the same name again: no error' 0 \
    case-attach 1 photo.png
check_same 'said' "$(cat err)" \
    'case-attach: 1: photo.png: attached already (the same content)'
check_same 'nothing written, no ID' "$(dump) $(cat out)" "$d0 "
cp note.txt other/photo.png 2>/dev/null || { mkdir other; cp note.txt other/photo.png; }
check_exit 'other content under a name the case has: refused' 1 \
    case-attach 1 other/photo.png
check_same 'saying how to keep it' "$(cat err)" \
    'case-attach: 1: photo.png: the case has another attachment of that name (attach this one under another with --name)'
check_same 'nothing written' "$(dump)" "$d0"

# Refusals: each file named with why, and nothing of the run written.
cat photo.png photo.png >big.png
check_exit 'a file over CASE_ATTACH_MAX' 1 env CASE_ATTACH_MAX=527 \
    case-attach 3 big.png
check_same 'says the limit' "$(cat err)" \
    'case-attach: big.png: larger than 527 bytes (CASE_ATTACH_MAX)'
check_exit 'at the limit it is taken (dry run)' 0 env CASE_ATTACH_MAX=528 \
    case-attach -n 3 big.png
check_same 'saying what it would do' "$(cat out)" "$(printf '3\twould attach big.png')"
printf 'PK\003\004\024\0\0\0' >list.xlsx
printf 'MZ\220\0\003\0\0\0' >setup.exe
printf 'a\0b\n' >nul.txt
: >empty.jpg
check_exit 'a good file and refused ones in one run' 1 \
    case-attach 3 note.txt list.xlsx setup.exe nul.txt empty.jpg . \
    missing.png
check_same 'each refused file named, with why' "$(cat err)" \
"case-attach: list.xlsx: not a type kept (JPEG, PNG, GIF, WebP, HEIC, PDF or UTF-8 text, known by their first bytes)
case-attach: setup.exe: not a type kept (JPEG, PNG, GIF, WebP, HEIC, PDF or UTF-8 text, known by their first bytes)
case-attach: nul.txt: not a type kept (JPEG, PNG, GIF, WebP, HEIC, PDF or UTF-8 text, known by their first bytes)
case-attach: empty.jpg: empty file
case-attach: .: not a file name
case-attach: missing.png: No such file or directory"
check_same 'and nothing written, the good file neither' "$(dump) $(cat out)" \
    "$d0 "
mkfifo fifo.png
check_exit 'a FIFO is refused, not waited on' 1 case-attach 3 fifo.png
check_same 'as not a regular file' "$(cat err)" \
    'case-attach: fifo.png: not a regular file'
mkdir dir.png
check_exit 'a directory is refused' 1 case-attach 3 dir.png
check_exit 'a case that is not there' 1 case-attach 99 note.txt
check_same 'said' "$(cat err)" 'case-attach: 99: no such case'
check_exit 'an ID that is not one' 2 case-attach 1x note.txt
check_same 'said, with the usage' "$(head -1 err)" 'case-attach: 1x: invalid case ID'
check_exit '--name with a control character' 2 \
    case-attach --name "$(printf 'a\tb')" 3 note.txt
check_same 'refused, escaped' "$(cat err)" \
    'case-attach: --name: name has a control character -- a\tb'
check_exit '--name with a slash' 2 case-attach --name a/b 3 note.txt
check_exit '--name of 256 bytes' 2 \
    case-attach --name "$(printf '%0256d' 0)" 3 note.txt
check_exit '--name for two files' 2 case-attach --name x 3 note.txt photo.png
check_exit 'CASE_ATTACH_MAX above 256 MiB' 2 env CASE_ATTACH_MAX=257M \
    case-attach 3 note.txt
check_same 'nothing written by any' "$(dump)" "$d0"
printf 'GIF89a;' >a.gif
printf 'RIFF\0\0\0\0WEBPVP8 ' >a.webp
printf '\0\0\0\030ftypheic\0\0\0\0' >a.heic
printf '\377\330\377\340' >a.jpg
check_exit 'GIF, WebP, HEIC, JPEG are kept' 0 \
    case-attach 3 a.gif a.webp a.heic a.jpg
check_same 'by their types' "$(case-show 3 |
    sed -n '/^attachments$/,/^deadlines$/p' | awk 'NF == 4 { print $3 }' |
    paste -sd' ' -)" 'image/gif image/heic image/jpeg image/webp'

# The record: the chain covers the events; the figures do not change;
# the tables are append-only.
check 'the history chain verifies' case-stats --verify
check_same 'the figures are those before any attachment' \
    "$(case-stats --format tsv)" "$stats0"
for t in blobs attachments; do
	if sql "DELETE FROM $t" >/dev/null 2>&1; then
		not_ok "$t: a DELETE is refused"
	else
		ok "$t: a DELETE is refused"
	fi
done

# The export's last column: the hashes and names, a line each.
case-export --format tsv >x.tsv
check_same 'case-export: attachments is the last column' \
    "$(head -1 x.tsv | tr '\t' '\n' | tail -1)" attachments
check_same 'case 1: hash and name, by name' \
    "$(case-export --format json | python3 -c '
import json, sys
for r in map(json.loads, sys.stdin):
    if r["id"] == 1: print(r["attachments"])')" \
    "$ht note.txt
$hp photo.png
$hd 协议书.pdf"
check_same 'case 2: the photo under its own name there' \
    "$(awk -F'\t' '$1 == 2 { print $NF }' x.tsv)" "$hp 现场.png"
check_same '--headers zh: 附件' \
    "$(case-export --headers zh | head -1 | tr -d '\r' | tr ',' '\n' | tail -1)" 附件
case-export >x.csv
B=$(new_db "$tmp/b.db")
CASE_DB=$B case-init --units "$top/data/demo-units.csv" >/dev/null
check_exit 'an export imports again (the column is not taken back)' 0 \
    env CASE_DB="$B" case-add -q --csv x.csv

# A run killed with SIGKILL: all of its file or none, never the bytes
# without their event or the reverse.  An attachment of 2 MB (a new one
# each time), killed at exact calls: on SQLite at its first write to the
# WAL, halfway through the writes and at each sync (where a run that
# committed its parts apart would have the first part written); on a
# server at the first send, halfway and at each of the last few.
large() {
	{ printf '%%PDF-1.7\n'; head -c 2000000 /dev/urandom; } >"$1"
}
# state NAME FILE: case 2's attachments of the name, its attached events
# of the name, and the contents kept of the file's hash.
state() {
	echo "$(sql "SELECT count(*) FROM attachments WHERE case_id = 2
	    AND name = '$1'") $(sql "SELECT count(*) FROM events
	    WHERE case_id = 2 AND action = 'attached' AND new = '$1'") $(sql "SELECT count(*)
	    FROM blobs WHERE hash = '$(hash "$2")'")"
}
# calls SYSCALL: how many a whole attachment makes.
calls() {
	large l0-$1.pdf
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -qq -f -c -e trace=$1 -o calls case-attach -q 3 l0-$1.pdf \
	    >/dev/null 2>&1
	rm -f l0-$1.pdf
	awk -v s=$1 '$NF == s { print $4 }' calls
}
if command -v strace >/dev/null 2>&1; then
	if on_pg; then
		n=$(calls sendto)
		n=${n:-4}
		points="sendto:1 sendto:$((n / 2)) sendto:$((n - 3))
		    sendto:$((n - 2)) sendto:$((n - 1)) sendto:$n"
	else
		n=$(calls pwrite64)
		points="pwrite64:1 pwrite64:$((${n:-2} / 2))"
		n=$(calls fdatasync)
		i=1
		while [ $i -le "${n:-1}" ]; do
			points="$points fdatasync:$i"
			i=$((i + 1))
		done
	fi
	bad=
	for p in $points; do
		w=${p#*:} sc=${p%:*}
		large l$w.pdf
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    strace -qq -f -o /dev/null -e trace=$sc \
		    -e inject=$sc:error=EIO:signal=KILL:when=$w \
		    case-attach 2 l$w.pdf >/dev/null 2>&1
		s=$(state l$w.pdf l$w.pdf)
		case $s in
		"0 0 0" | "1 1 1") ;;
		*) bad="$bad $p: $s;" ;;
		esac
		rm -f l$w.pdf
	done
	echo "# killed at:" $points
	check_same 'killed at exact calls: all or nothing' "$bad" ''
else
	skip 'needs strace(1) to kill at an exact system call'
fi
large large.pdf
case-attach 2 large.pdf >/dev/null 2>&1 &
pid=$!
sleep 0.05
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
s=$(state large.pdf large.pdf)
case $s in
"0 0 0" | "1 1 1") ok "killed at a moment: all or nothing ($s)" ;;
*) not_ok "killed at a moment: all or nothing ($s)" ;;
esac
check 'the chain still verifies' case-stats --verify
case-attach 2 large.pdf >/dev/null 2>&1
check_same 'and the run again attaches it whole' \
    "$(case-attach --get 2 large.pdf | cmp - large.pdf && echo same) $(state large.pdf large.pdf)" \
    'same 1 1 1'

# case-backup and case-copy carry the bytes.
skip_on_pg 2 'case-backup copies the SQLite file' || {
	check 'case-backup' case-backup "$tmp/backup.db"
	check_same 'the backup gives the photo back' \
	    "$(CASE_DB=$tmp/backup.db case-attach --get 1 photo.png |
	    cmp - photo.png && echo same)" same
}
if on_pg; then
	check 'case-copy to a file' case-copy "$tmp/copy.db"
	check_same 'which gives them back' \
	    "$(CASE_DB=$tmp/copy.db case-attach --get 2 large.pdf |
	    cmp - large.pdf && echo same)" same
	P=$(new_db "$tmp/back.db")
	check 'and case-copy back to a server' env CASE_DB="$tmp/copy.db" \
	    case-copy "$P"
	check_same 'which gives the PNG back' \
	    "$(CASE_DB=$P case-attach --get 1 photo.png | cmp - photo.png &&
	    echo same)" same
else
	for i in 1 2 3 4; do
		skip 'case-copy goes to a server: make check-pg runs it'
	done
fi
done_testing
