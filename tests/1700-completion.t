#!/bin/sh
# Bash completion (completion/casekit.bash): every long option each
# program accepts (and, for a C program, only those), and unit, category,
# source and outcome codes from the database in CASE_DB or -d.
#
# What a C program accepts comes from the program itself: tests/optdump.so,
# preloaded, prints the options its getopt_long call is given and exits.
# What a shell program accepts comes from its case arms (-x|--name)).
. "$(dirname "$0")/lib.sh"
comp=$top/completion/casekit.bash
shim=$top/tests/optdump.so

progs=
for p in "$top"/bin/case-* "$top"/scripts/case-*; do
	case $p in *.c) continue ;; esac
	[ -f "$p" ] && [ -x "$p" ] && progs="$progs $p"
done
set -- $progs
plan $(($# + 12))

# comp WORD...: what the completion offers for the command line WORD...
# with the cursor on the last word, on one line, sorted.
comp() {
	bash -c '. "$1"; shift
	COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
	_casekit; printf "%s\n" "${COMPREPLY[@]}"' sh "$comp" "$@" 2>&1 |
	    sort | paste -sd' ' -
}

# Every program's long options, "NAME --OPTION" a line: what it accepts
# ($tmp/acc, with a line "NAME" for a C program, whose list is exact) and
# what the completion offers after "-" ($tmp/comp, from one bash).
for p; do
	n=${p##*/}
	echo "$n"
	if [ "$(head -c 4 "$p" | od -An -c | tr -d ' ')" = '177ELF' ]; then
		echo "$n exact"
		LD_PRELOAD=$shim "$p" </dev/null
	else
		# A shell program: the long options of its case arms.
		sed -n 's/^[[:space:]]*\(-[-a-z|]*\))[[:space:]].*/\1/p' "$p" |
		    tr '|' '\n' | grep -vx -- --	# the end of options
	fi | sed -n "s/^--/$n --/p"
done >"$tmp/acc"
bash -c '. "$1"; shift
for p; do
	COMP_WORDS=("$p" -); COMP_CWORD=1
	_casekit
	printf "${p##*/} %s\n" "${COMPREPLY[@]}"
done' sh "$comp" "$@" >"$tmp/comp" 2>"$tmp/bash.err"
# NAME: missing OPTION...; not accepted OPTION...
awk '
FNR == NR { if (NF == 1) prog[$1] = 1
	else if ($2 == "exact") exact[$1] = 1
	else acc[$1, $2] = 1
	next }
NF == 2 { comp[$1, $2] = 1 }
END {
	for (k in acc) if (!(k in comp)) { split(k, a, SUBSEP)
		missing[a[1]] = missing[a[1]] " " a[2] }
	for (k in comp) { split(k, a, SUBSEP)
		if (a[1] in exact && !(k in acc))
			extra[a[1]] = extra[a[1]] " " a[2] }
	for (p in prog) print p ": missing" missing[p] "; not accepted" extra[p]
}' "$tmp/acc" "$tmp/comp" >"$tmp/diff"
for p; do
	n=${p##*/}
	check_same "$n: completion offers the options it accepts" \
	    "$(grep "^$n:" "$tmp/diff")" "$n: missing; not accepted"
done
check_same 'sourcing it and completing options: nothing on stderr' \
    "$(cat "$tmp/bash.err")" ''

# Codes: the demo district, plus a grid and a street that exist only in
# this database, and a second database with a unit of its own.  The
# completion reads them from the SQLite file with the sqlite3 shell: on
# PostgreSQL the codes from CASE_DB are skipped (the second database
# stays a SQLite file, named with -d).
init_demo
{ cat "$top/data/demo-units.csv"; echo 'zz-street,测试街道,bgs,street'
  echo 'zz-grid,测试网格,zz-street,grid'; } >"$tmp/units.csv"
case-init --units "$tmp/units.csv" >/dev/null
check_same 'prefix of an option' "$(comp case-add --ti)" '--title'
skip_on_pg 5 'the completion reads codes from the SQLite file' || {
	check_same '--to: unit codes from CASE_DB' \
	    "$(comp case-assign --to zz)" 'zz-grid zz-street'
	check_same '--grid: grid units only' "$(comp case-add --grid z)" \
	    'zz-grid'
	check_same '--unit=: the same after "=" (split by bash or not)' \
	    "$(comp case-list --unit = zz-s) $(comp case-list --unit=zz-s)" \
	    'zz-street zz-street'
	check_same '--category: every category code in the database' \
	    "$(comp case-add --category '')" \
	    "$(sqlite3 "$CASE_DB" 'SELECT code FROM categories' | sort |
	        paste -sd' ' -)"
	check_same '--source, --outcome: codes from the database' \
	    "$(comp case-list --source w); $(comp case-close --outcome me)" \
	    'walk-in wechat; mediated mediation-failed'
}
: >"$tmp/book.xlsx"
check_same '--xlsx, -d: file names' \
    "$(comp case-export --xlsx "$tmp/boo"); $(comp case-list -d "$tmp/boo")" \
    "$tmp/book.xlsx; $tmp/book.xlsx"
check_same '--format: the values its usage lists' \
    "$(comp case-list --format '')" 'csv json table tsv'
CASE_DB=$tmp/other.db case-init --units /dev/stdin >/dev/null <<'EOF'
code,name,parent,level
bgs,八公山区,,district
yy-only,只在另一库,bgs,department
EOF
check_same '-d FILE and --db=FILE name the database' \
    "$(comp case-assign -d "$tmp/other.db" --to yy); $(comp case-assign --db="$tmp/other.db" --to yy); $(comp case-assign --to yy)" \
    'yy-only; yy-only; '
check_same 'no database: no codes, no error, no file made' \
    "$(CASE_DB=$tmp/none.db comp case-assign --to ''; ls "$tmp" | grep none)" ''
mkdir "$tmp/nosqlite"
ln -s "$(command -v bash)" "$tmp/nosqlite/bash"
for t in sort paste sed grep head fold tr; do
	ln -s "$(command -v $t)" "$tmp/nosqlite/$t"
done
check_same 'no sqlite3 shell: no codes, no error' \
    "$(PATH=$tmp/nosqlite comp "$top/bin/case-assign" --to '')" ''
