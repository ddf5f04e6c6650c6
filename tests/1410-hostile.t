#!/bin/sh
# Hostile and broken input, for every program: each bad input must get a
# "prog: what: why" message on stderr, the exit status casekit(7)
# promises (1 input rejected, 2 usage or fatal) and leave the database
# exactly as it was (sqlite3 .dump before and after; lib.sh's db_dump on
# PostgreSQL, where the rows about the SQLite file are skipped).
#
# The inputs are a table: "EXIT | ERE | COMMAND" lines, some written out,
# most generated for each program.  COMMAND is run by eval with standard
# input from /dev/null unless it pipes its own; ERE must match a line of
# standard error after "prog: ".  Then come the inputs that must be
# accepted (a 1 MB description, terminal escapes in a title) and shown
# safely, and duplicate IDs in a batch.  A row marked "sqlite: " is about
# the SQLite file itself (what is not one, a newer one, links, FIFOs, its
# writes past a file size limit) and skipped on PostgreSQL.
. "$(dirname "$0")/lib.sh"

init_demo
# Case 1 reported, 2 assigned, 3 closed, 4 handled.
case-add -q --category hazard --source grid --grid xzz-dk-1 --title 液化气罐
case-add -q --category dispute --unit xzz-dk-jws --title 邻里纠纷
case-add -q --category enterprise --unit fgw --title 投资奖励未兑现
case-close -q --outcome resolved 3
case-add -q --category petition --unit tbz-cy --title 信访
case-handle -q 4

nobody="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
asroot=0
[ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && asroot=1

## Fixtures: broken files of every kind.
bad="$(printf '\377\376')"		# not UTF-8
echo 'this is not an SQLite database, just text' >"$tmp/notdb"
head -c 65536 /dev/zero | tr '\0' '\001' >"$tmp/junkdb"
if ! on_pg; then
	cp "$CASE_DB" "$tmp/newer.db"
	sqlite3 "$tmp/newer.db" 'PRAGMA user_version = 99'
fi
: >"$tmp/empty.csv"
csv() { printf "$2" >"$tmp/$1.csv"; }
csv nul 'category,title\nhazard,a\000b\n'
csv badutf8 'category,title\nhazard,a\377b\n'
csv quote 'category,title\nhazard,a "quoted" b\n'
csv unterminated 'category,title\nhazard,"never closed\n'
csv unknowncol 'category,title,colour\nhazard,a,red\n'
csv twice 'category,title,title\nhazard,a,b\n'
csv fields 'category,title\nhazard,a,extra\n'
csv baddate 'category,title,reported\nhazard,a,2024-05-09T25:00\n'
csv feb30 'category,title,due\nhazard,a,2024-02-30\n'
csv unknowncat 'category,title\nnope,a\n'
csv unknownunit 'category,title,unit\nhazard,a,nope\n'
csv idneg 'id,category,title\n-5,hazard,a\n'
csv idzero 'id,category,title\n0,hazard,a\n'
csv idhuge 'id,category,title\n99999999999999999999,hazard,a\n'
csv idword 'id,category,title\nseven,hazard,a\n'
csv iddup 'id,category,title\n77,hazard,a\n77,hazard,b\n'
csv idtaken 'id,category,title\n1,hazard,a\n'
csv lastbad 'category,title\nhazard,a\nhazard,b\nhazard,\n'
csv far 'category,title,reported\npetition,t,9999-12-20T10:00\n'
csv inject "category,title\nhazard'); DROP TABLE cases; --,a\n"
csv units_nul 'code,name,parent\nbgs,八公山区,\nx\000y,坏,bgs\n'
csv units_cycle 'code,name,parent\nbgs,八公山区,\na,甲,b\nb,乙,a\n'
csv units_parent 'code,name,parent\nbgs,八公山区,\na,甲,nope\n'
csv units_utf8 'code,name,parent\nbgs,\377\376,\n'
csv cats_deadline 'code,name,deadline\nhazard,安全隐患,soon\n'
csv cal_date 'date,type\n2024-02-30,off\n'
csv cal_type 'date,type\n2024-05-01,holiday\n'
long=$(printf '%0128d' 0)
csv units_long "code,name,parent\nbgs,八公山区,\n$long,长,bgs\n"
csv cats_long "code,name,deadline\n$long,长,7d\n"
csv idbig 'id,category,title\n999999999999999,hazard,a\n'
csv dmy 'category,title,reported\nhazard,a,30/02/2024\n'
ln -s "$tmp/nowhere-target.db" "$tmp/link.db"
mkfifo "$tmp/fifo.db"
# A 1 MB description, for the full disk (and, accepted, further down).
{ printf 'category,title,description\nhazard,大,'
  head -c 1048576 /dev/zero | tr '\0' x; printf '\n'; } >"$tmp/big.csv"
# A million digits on one line of standard input.
head -c 1000000 /dev/zero | tr '\0' 7 >"$tmp/longid"; echo >>"$tmp/longid"

# fingerprint FILE: the database's content and schema version, or the
# bytes of a file that is not a database.
fingerprint() {
	if is_pg "$1"; then
		(CASE_DB=$1; db_dump) | cksum
	elif [ -p "$1" ]; then
		echo fifo
	elif [ ! -e "$1" ]; then
		echo absent
	elif head -c 16 "$1" 2>/dev/null | grep -q '^SQLite format 3'; then
		sqlite3 -readonly "$1" .dump 'PRAGMA user_version' | cksum
	else
		cksum <"$1"
	fi
}

# hostile_on DB EXIT ERE CMD: one row of the table, against database DB.
# The main database's fingerprint is kept between rows (it must not
# change); another file's is taken before and after.
hostile_on() {
	db=$1 want=$2 re=$3 cmd=$4
	prog=case-${cmd#*case-}
	prog=${prog%%[!a-z-]*}
	if [ "$db" = "$CASE_DB" ]; then
		before=$base
	else
		before=$(fingerprint "$db")
	fi
	eval "$cmd" </dev/null >"$tmp/out" 2>"$tmp/err"
	got=$?
	why=
	[ "$got" -eq "$want" ] || why="exit $got, wanted $want; "
	LC_ALL=C grep -q -E "^$prog: ($re)" "$tmp/err" ||
	    why="${why}no message matching ^$prog: $re; "
	if [ "$(fingerprint "$db")" != "$before" ]; then
		why="${why}database changed"
		[ "$db" = "$CASE_DB" ] && base=$(fingerprint "$CASE_DB")
	fi
	ntest=$((ntest + 1))
	if [ -z "$why" ]; then
		printf 'ok %d - %s\n' "$ntest" "$cmd"
	else
		nfail=$((nfail + 1))
		printf 'not ok %d - %s: %s\n' "$ntest" "$cmd" "$why"
		head -c 2000 "$tmp/err" | sed 's/^/# /'
	fi
}

# run_table FILE [REASON]: every "EXIT | ERE | COMMAND" line of FILE; on
# PostgreSQL, those marked "sqlite: " (every one, given REASON) skipped.
run_table() {
	while IFS= read -r line; do
		case $line in '' | '#'*) continue ;; esac
		only=${2-}
		case $line in
		'sqlite: '*) line=${line#sqlite: } only=${only:-the database file} ;;
		esac
		want=${line%% | *}
		rest=${line#* | }
		re=${rest%% | *}
		cmd=${rest#* | }
		[ -n "$only" ] && skip_on_pg 1 "$only: $cmd" && continue
		# The database it works on: CASE_DB=$tmp/F or -d $tmp/F.
		on=$(printf '%s\n' "$cmd" |
		    sed -n 's/.*\(CASE_DB=\|-d \)\$tmp\/\([^ ]*\).*/\2/p')
		on=${on:+$tmp/$on}
		hostile_on "${on:-$CASE_DB}" "$want" "$re" "$cmd"
	done <"$1"
}

printf '事项,类别\n火灾,消防\n' >"$tmp/m.csv"
printf 'category,消防,hazard\ncategory,消防,dispute\n' >"$tmp/l2.csv"
## The inputs written out, program by program.
cat >"$tmp/table" <<'EOF'
# case-init: broken reference files; the database keeps its old data.
2 | .*/nonexistent.csv: No such file or directory | case-init --units $tmp/nonexistent.csv
2 | .*: Is a directory | case-init --categories $tmp
1 | .*units_nul.csv:3: NUL byte | case-init --units $tmp/units_nul.csv
1 | .*cycle through | case-init --units $tmp/units_cycle.csv
1 | .*units_parent.csv:3: parent: no such unit -- nope | case-init --units $tmp/units_parent.csv
1 | .*units_utf8.csv:2: name: invalid UTF-8 | case-init --units $tmp/units_utf8.csv
1 | .*cats_deadline.csv:2: deadline: invalid duration -- soon | case-init --categories $tmp/cats_deadline.csv
1 | .*cal_date.csv:2: date: not a date | case-init --calendar $tmp/cal_date.csv
1 | .*cal_type.csv:2: type: must be off or work | case-init --calendar $tmp/cal_type.csv
1 | .*empty file | case-init --sources $tmp/empty.csv
sqlite: 2 | .*newer.db: schema version 99 is newer | case-init -d $tmp/newer.db
sqlite: 2 | .*notdb: file is not a database | case-init -d $tmp/notdb
sqlite: 2 | .*junkdb: file is not a database | case-init -d $tmp/junkdb
# Limits (issue 13): long codes, IDs that leave no room, databases that
# are not regular files.
1 | .*units_long.csv:3: code: longer than 64 bytes, the most a code may have -- 0{128} | case-init --units $tmp/units_long.csv
1 | .*cats_long.csv:2: code: longer than 64 bytes | case-init --categories $tmp/cats_long.csv
sqlite: 2 | .*link.db: a symbolic link; refused \(-L follows it\) | case-init -d $tmp/link.db
sqlite: 2 | .*fifo.db: not a regular file | case-init -d $tmp/fifo.db
# case-add: one case from options.
1 | title: invalid UTF-8 | case-add --category hazard --title "a${bad}b"
1 | description: invalid UTF-8 | case-add --category hazard --title a --desc "$bad"
1 | category: no such category -- nope | case-add --category nope --title a
1 | category: no such category -- hazard'\); DROP TABLE cases; -- | case-add --category "hazard'); DROP TABLE cases; --" --title a
1 | source: no such source -- nope | case-add --category hazard --source nope --title a
1 | grid: no such unit -- nope | case-add --category hazard --grid nope --title a
1 | unit: no such unit -- nope | case-add --category hazard --unit nope --title a
1 | title: missing | case-add --category hazard --title ''
2 | --due: invalid time -- 2024-02-30 | case-add --category hazard --title a --due 2024-02-30
2 | --due: invalid time -- 2023-02-29 | case-add --category hazard --title a --due 2023-02-29
2 | --due: invalid time -- 2024-04-31 | case-add --category hazard --title a --due 2024-04-31
2 | --reported: invalid time -- 2024-13-01 | case-add --category hazard --title a --reported 2024-13-01
2 | --reported: invalid time -- 2024-05-09T24:00 | case-add --category hazard --title a --reported 2024-05-09T24:00
2 | --reported: invalid time -- 2024-05-09T12:60 | case-add --category hazard --title a --reported 2024-05-09T12:60
2 | --due: invalid time -- 2024-05-09T12:00\+25:00 | case-add --category hazard --title a --due 2024-05-09T12:00+25:00
2 | --due: invalid time -- \+99999999999d | case-add --category hazard --title a --due +99999999999d
2 | --due: invalid time -- 0999-01-01 | case-add --category hazard --title a --due 0999-01-01
2 | --due: invalid time -- ２０２４-05-09 | case-add --category hazard --title a --due ２０２４-05-09
2 | --due: invalid time -- $ | case-add --category hazard --title a --due ''
2 | CASE_NOW: invalid time -- soon | CASE_NOW=soon case-add --category hazard --title a
2 | --actor: invalid UTF-8 | case-add --actor "$bad" --category hazard --title a
# case-add --csv: the whole file is refused, nothing added.
2 | .*nonexistent.csv: No such file or directory | case-add --csv $tmp/nonexistent.csv
2 | .*: Is a directory | case-add --csv $tmp
1 | .*empty.csv: empty file, no header | case-add --csv $tmp/empty.csv
1 | stdin:2: NUL byte | case-add --csv - <$tmp/nul.csv
1 | .*badutf8.csv:2: title: invalid UTF-8 | case-add --csv $tmp/badutf8.csv
1 | .*quote.csv:2: malformed quoting | case-add --csv $tmp/quote.csv
1 | .*unterminated.csv:2: unterminated quoted field | case-add --csv $tmp/unterminated.csv
1 | .*unknowncol.csv:1: header: unknown column -- colour | case-add --csv $tmp/unknowncol.csv
1 | .*twice.csv:1: header: column twice -- title | case-add --csv $tmp/twice.csv
1 | .*fields.csv:2: (record: )?3 fields, but the header has 2 | case-add --csv $tmp/fields.csv
1 | .*baddate.csv:2: reported: invalid time -- 2024-05-09T25:00 | case-add --csv $tmp/baddate.csv
1 | .*feb30.csv:2: due: invalid time -- 2024-02-30 | case-add --csv $tmp/feb30.csv
1 | .*unknowncat.csv:2: category: no such category -- nope | case-add --csv $tmp/unknowncat.csv
1 | .*unknownunit.csv:2: unit: no such unit -- nope | case-add --csv $tmp/unknownunit.csv
1 | .*idneg.csv:2: id: invalid case ID -- -5 | case-add --csv $tmp/idneg.csv
1 | .*idzero.csv:2: id: invalid case ID -- 0 | case-add --csv $tmp/idzero.csv
1 | .*idhuge.csv:2: id: invalid case ID -- 9+ | case-add --csv $tmp/idhuge.csv
1 | .*idword.csv:2: id: invalid case ID -- seven | case-add --csv $tmp/idword.csv
1 | .*iddup.csv:3: id: case 77 exists | case-add --csv $tmp/iddup.csv
1 | .*idtaken.csv:2: id: case 1 exists | case-add --csv $tmp/idtaken.csv
1 | .*lastbad.csv:4: title: missing | case-add --csv $tmp/lastbad.csv
1 | .*inject.csv:2: category: no such category | case-add --csv $tmp/inject.csv
1 | .*idbig.csv:2: id: above 999999999999, the largest ID a record may bring -- 999999999999999 | case-add --csv $tmp/idbig.csv
1 | .*dmy.csv:2: reported: invalid time -- 30/02/2024 | case-add --date-format %d/%m/%Y --csv $tmp/dmy.csv
1 | category: no such category -- a\\nb | case-add --category "$(printf 'a\nb')" --title a
# Full disk: the write-ahead log cannot grow past ulimit -f (512-byte
# blocks); with SIGXFSZ ignored, or left to casekit.  SQLite does not
# always keep the errno of a failed write, so "(File too large)" may be
# missing.
sqlite: 2 | .*: disk I/O error( \(File too large\))?$ | (trap '' XFSZ; ulimit -f 600; case-add --csv $tmp/big.csv)
sqlite: 2 | .*: disk I/O error( \(File too large\))?$ | (ulimit -f 600; case-add --csv $tmp/big.csv)
sqlite: 2 | .*: disk I/O error \(File too large\) | (ulimit -f 1; case-close --outcome resolved 1)
sqlite: 2 | .*: disk I/O error \(File too large\) | (ulimit -f 1; case-init --units $tmp/../nonexistent)
# Readers: unknown codes, bad times, bad keys and formats.
2 | --unit: no such unit -- x' OR '1'='1 | case-list --unit "x' OR '1'='1"
2 | --category: no such category -- nope | case-list --category nope
2 | --source: no such source -- nope | case-list --source nope
2 | --status: .* -- bogus | case-list --status bogus
2 | --format: .* -- bogus | case-list --format bogus
2 | --since: invalid time -- 2024-02-30 | case-list --since 2024-02-30
2 | --closed-until: invalid time -- tomorow | case-list --closed-until tomorow
2 | --by: unknown key -- nope | case-stats --by category,nope
2 | --by: no units at level -- nope | case-stats --by unit:nope
2 | --as-of: invalid time -- 2024-13-13 | case-stats --as-of 2024-13-13
2 | --unit: no such unit -- nope | case-stats --unit nope
2 | --until: invalid time -- 2024-05-09T09:00:61 | case-export --until 2024-05-09T09:00:61
2 | --due-within: invalid duration -- 3x | case-export --due-within 3x
2 | --encoding: unknown encoding -- ASCII//TRANSLIT | case-export --encoding ASCII//TRANSLIT
2 | --encoding: unknown encoding -- $ | case-export --encoding ''
2 | --extend: must be more than 0 -- 0s | case-assign --extend 0s 1
2 | --extend: must be more than 0 -- 0wd | case-assign --extend 0wd 1
2 | --reported: invalid time -- 1900-01-01T00:00\+23:59 | case-add --category hazard --title t --reported 1900-01-01T00:00+23:59
2 | --due: invalid time -- \+4w | CASE_NOW=9999-12-30T00:00 case-add --category hazard --title t --due +4w
1 | due: past the year 9999 | CASE_NOW=9999-12-20T10:00 case-add --category petition --title t
1 | .*far.csv:2: due: past the year 9999 | CASE_NOW=9999-12-21T10:00 case-add --csv $tmp/far.csv
2 | case 2: a deadline past the year 9999; nothing written | CASE_NOW=9999-12-28T10:00 case-assign --escalate 2
# Times and zones (issue 13).
2 | TZ: unknown time zone -- Garbage | TZ=Garbage case-list
2 | TZ: unknown time zone -- Asia/ | TZ=Asia/ case-list
2 | TZ: unknown time zone -- /etc/passwd | TZ=/etc/passwd case-list
2 | CASE_NOW: invalid time -- today | CASE_NOW=today case-list
2 | CASE_NOW: invalid time -- \+1d | CASE_NOW=+1d case-list
2 | CASE_NOW: invalid time -- 9999-12-31T23:00-05:00 | TZ=UTC CASE_NOW=9999-12-31T23:00-05:00 case-list
2 | --due-within: must be more than 0 -- 0s | case-export --due-within 0s
2 | --since: invalid time -- 2024-03-31T02:30 | TZ=CET-1CEST,M3.5.0,M10.5.0/3 case-list --since 2024-03-31T02:30
2 | --since: not before --until: the period is empty | case-list --since 2024-05-02 --until 2024-05-01
2 | --closed-since: not before --closed-until | case-stats --closed-since 2024-05-09T10:00 --closed-until 2024-05-09T10:00
# A column mapped twice, a lookup that says two things of one value.
2 | --map: column given twice -- title | case-add --csv $tmp/m.csv --map '事项=title,类别=category,类别=title'
2 | .*l2.csv:2: lookup category 消防 given twice, to hazard and to dispute | case-add --csv $tmp/m.csv --map '事项=title,类别=category' --lookup $tmp/l2.csv
# A closed standard input is an error, not an empty list of IDs (nor
# the first file the program opens).
2 | stdin: Bad file descriptor | case-note --note x <&-
2 | stdin: Bad file descriptor | case-close --outcome resolved <&-
# Control characters echoed back are escaped.
2 | --category: no such category -- a\\x1b\[2Jb$ | case-list --category "$(printf 'a\033[2Jb')"
2 | --since: invalid time -- a\\x1b\]0;x\\x07 | case-list --since "$(printf 'a\033]0;x\007')"
# The cron programs.
2 | unrecognized option '--bogus' | case-escalate --bogus
2 | invalid option -- 'x' | case-report -x
2 | --wait: invalid -- soon | case-escalate -w soon
2 | --category: no such category -- nope | case-export --category nope
EOF

## Generated: every program that takes case IDs, with bad IDs.
idprogs='case-assign --to=xzz
case-close --outcome=resolved
case-handle
case-rework
case-return --note=back
case-pause
case-note --note=n
case-edit --title=t
case-visit --satisfied
case-show'
# CASE_QUICK (make valgrind) keeps one writer and one reader of them.
[ -n "${CASE_QUICK:-}" ] &&
    idprogs=$(echo "$idprogs" | grep -E '^case-(close|show)')
echo "$idprogs" | while read -r p; do
	cat <<EOF
1 | 0: invalid case ID | $p 0
1 | -1: invalid case ID | $p -- -1
1 | 99999999999999999999: invalid case ID | $p 99999999999999999999
1 | 1e3: invalid case ID | $p 1e3
1 | abc: invalid case ID | $p abc
1 | 424242: no such case | $p 424242
1 | stdin: NUL byte in input | printf '4\\000\\n' | $p
1 | .*: invalid case ID | printf '\\377\\376\\n' | $p
1 | 7{40}\.\.\.: invalid case ID | $p <\$tmp/longid
EOF
done >"$tmp/ids"

## Generated: every program against a database that is not one, one of
## a newer schema, a missing one, and (as nobody) a read-only one: SQLite
## files all, skipped on PostgreSQL.
allprogs="$(echo "$idprogs" | sed 's/$/ 1/')
case-add --category=hazard --title=a
case-list
case-stats
case-export"
echo "$allprogs" | while read -r p; do
	cat <<EOF
2 | .*notdb: file is not a database | CASE_DB=\$tmp/notdb $p
2 | .*newer.db: schema version 99 is newer .* upgrade casekit | CASE_DB=\$tmp/newer.db $p
2 | .*nowhere.db \(create it with case-init\): No such file or directory | CASE_DB=\$tmp/nowhere.db $p
EOF
done >"$tmp/dbs"
# The read-only rows need nobody; case-init and the writers.
echo "$idprogs" | grep -v case-show | sed 's/$/ 1/' >"$tmp/writers"
echo 'case-add --category=hazard --title=a' >>"$tmp/writers"
: >"$tmp/ro"
# On PostgreSQL the read-only file's rows are skipped, and the unreadable
# CSV file is tried on the file's own database, which nobody may write.
if [ "$asroot" -eq 1 ]; then
	chmod 0711 "$tmp"
	if on_pg; then
		ro='sqlite: ' nb=
	else
		ro= nb='CASE_DB=$tmp/nb/cases.db '
		mkdir -m 0755 "$tmp/rodir"
		cp "$CASE_DB" "$tmp/rodir/cases.db"
		chmod 0644 "$tmp/rodir/cases.db"
		# A reader (root) makes the -wal and -shm files, as in real use.
		case-list -d "$tmp/rodir/cases.db" >/dev/null
		# A database nobody may write.
		mkdir -m 0700 "$tmp/nb"
		cp "$CASE_DB" "$tmp/nb/cases.db"
		chown -R nobody "$tmp/nb"
	fi
	while read -r p; do
		echo "${ro}2 | .*: read-only database: no permission to write it | CASE_DB=\$tmp/rodir/cases.db \$nobody $p"
	done <"$tmp/writers" >"$tmp/ro"
	echo "${ro}2 | .*: read-only database: no permission to write it | CASE_DB=\$tmp/rodir/cases.db \$nobody case-init" >>"$tmp/ro"
	# An unreadable CSV file.
	cp "$tmp/idtaken.csv" "$tmp/secret.csv"
	chmod 0600 "$tmp/secret.csv"
	echo "2 | .*secret.csv: Permission denied | ${nb}\$nobody case-add --csv \$tmp/secret.csv" >>"$tmp/ro"
	echo "2 | .*secret.csv: Permission denied | ${nb}\$nobody case-init --units \$tmp/secret.csv" >>"$tmp/ro"
fi

rows() {
	grep -c -v -e '^#' -e '^$' "$@" | awk -F: '{ n += $NF } END { print n }'
}
plan $(($(rows "$tmp/table" "$tmp/ids" "$tmp/dbs" "$tmp/ro") + 16))
[ "$asroot" -eq 1 ] ||
    echo "# not root, or no setpriv: the rows run as nobody are left out"
base=$(fingerprint "$CASE_DB")
run_table "$tmp/table"
run_table "$tmp/ids"
run_table "$tmp/dbs" 'a file that is not a database, of a newer schema or missing'
run_table "$tmp/ro"
ninputs=$ntest

## Accepted, and shown safely.
before=$(sql 'SELECT count(*) FROM cases')
check 'a 1 MB description is accepted from CSV' case-add --csv "$tmp/big.csv"
id=$(cat "$tmp/out")
check_same 'and stored to the byte' \
    "$(sql "SELECT length(description) FROM cases WHERE id = $id")" \
    1048576
check_same 'and exported whole' \
    "$(case-export | awk -F, -v id="$id" '$1 == id { print length($10) }')" \
    1048576
check 'a 100 kB description from the command line too' \
    case-add --category hazard --title 长 --desc "$(head -c 100000 /dev/zero |
    tr '\0' y)"
esc=$(printf 'a\033[2J\033]0;pwned\007b\302\233c\tq\r\nd\001e\177')
check 'terminal escapes in a title are stored' \
    case-add --category hazard --title "$esc" --location "$esc"
eid=$(cat "$tmp/out")
check_same 'and stored as given' "$(case-export --format json |
    grep -c '"a\\u001b\[2J\\u001b\]0;pwned\\u0007b')" 1
case-list --format table >"$tmp/table.out"
check_same 'case-list --format table shows no control byte' \
    "$(LC_ALL=C tr -d '\n' <"$tmp/table.out" | LC_ALL=C tr -d '\040-\176\200-\377' |
    wc -c)" 0
check_grep '... but escapes: \x1b, \x07, \u009b, \t, \n, \x01, \x7f' \
    'a\\x1b\[2J\\x1b\]0;pwned\\x07b\\u009bc\\tq\\r\\nd\\x01e\\x7f' \
    "$tmp/table.out"
case-show "$eid" >"$tmp/show.out"
check_same 'case-show shows no control byte either' \
    "$(LC_ALL=C tr -d '\n' <"$tmp/show.out" | LC_ALL=C tr -d '\040-\176\200-\377' |
    wc -c)" 0
sqlid=$(case-add --category hazard --title "x'); DROP TABLE cases; --")
check_same 'and SQL in a title is only text' \
    "$(sql "SELECT title FROM cases WHERE id = $sqlid")" \
    "x'); DROP TABLE cases; --"

## Duplicate IDs in a batch: a case named twice is acted on once.
sql 'SELECT count(*) FROM events' >"$tmp/nev"
check_exit 'case-close 1 1: acts once, exit 0' 0 \
    case-close --outcome resolved 1 1
check_same 'nothing said, 1 printed once' \
    "$(cat "$tmp/err")|$(cat "$tmp/out")" '|1'
check_same 'and one closed event' "$(sql "SELECT count(*)
    FROM events WHERE case_id = 1 AND action = 'closed'")" 1
check_exit 'case-assign --to fgw 2 2: the second is a no-op' 0 \
    case-assign --to fgw 2 2
check_same 'and one assigned event' "$(sql "SELECT count(*)
    FROM events WHERE case_id = 2 AND to_unit = 'fgw'")" 1
skip_on_pg 1 "SQLite's integrity_check" ||
    check_same 'integrity_check ok at the end' \
    "$(sqlite3 "$CASE_DB" 'PRAGMA integrity_check')" ok
echo "# hostile inputs tried: $ninputs (table: $(rows "$tmp/table") written out," \
    "$(wc -l <"$tmp/ids") bad IDs, $(wc -l <"$tmp/dbs") bad databases," \
    "$(wc -l <"$tmp/ro") as nobody)"
done_testing
