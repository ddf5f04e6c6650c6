# casekit.bash - bash completion for the casekit programs (case-*)
#
# Installed as $(PREFIX)/share/bash-completion/completions/case-NAME, one
# link per program, so that bash-completion loads it on first use; or
# source it from ~/.bashrc.  It needs no bash-completion functions.
#
# Long options come from each program's own usage (PROG --help), asked
# once per shell and kept, so they follow the program; the long forms of
# the options every casekit program shares (-d --db, -n --dry-run,
# -q --quiet, -h --help, --version) are added.  Codes come from the database the
# command line names (-d FILE, --db FILE) or $CASE_DB, else cases.db,
# read with the sqlite3 shell if it is installed:
#   --unit, --to       unit codes          --grid       grid units
#   --assist, --unassist  unit codes, after any comma of the list
#   --category         category codes      --source     source codes
#   --outcome          outcome codes
# An option whose usage shows its values (--format table|tsv|csv|json)
# completes them; one whose argument is a file completes file names.

# _casekit_usage PROG: the usage text of PROG, from "usage:" on, asked
# once per shell.  The program runs with a database path that cannot
# exist and no input, so that one that ignored --help could do nothing.
# (Plain bash here and below: no process but the program itself.)
_casekit_usage()
{
	local var=_casekit_usage_${1//[^A-Za-z0-9_]/_} text
	if [[ -z ${!var+set} ]]; then
		text=$(CASE_DB=/dev/null/casekit-completion CASE_LOGGER=true \
		    LC_ALL=C command "$1" --help </dev/null 2>&1)
		if [[ $text == *usage:* ]]; then
			text=usage:${text#*usage:}
		else
			text=
		fi
		printf -v "$var" '%s' "$text"
	fi
	_casekit_text=${!var}
}

# _casekit_options PROG: the long options of PROG, in _casekit_words:
# those its usage names, and the long forms of the short options every
# casekit program shares that it shows ([-hnq], [-d file]).
_casekit_options()
{
	local s re='\[-([A-Za-z]+)[] ]|--[a-z0-9][a-z0-9-]*' short= i c
	local -A seen=()
	_casekit_usage "$1"
	s=$_casekit_text
	[[ -n $s ]] || { _casekit_words=; return 0; }
	while [[ $s =~ $re ]]; do
		if [[ -n ${BASH_REMATCH[1]} ]]; then
			short+=${BASH_REMATCH[1]}
		else
			seen[${BASH_REMATCH[0]}]=1
		fi
		s=${s#*"${BASH_REMATCH[0]}"}
	done
	for ((i = 0; i < ${#short}; i++)); do
		c=${short:i:1}
		case $c in
		d) seen[--db]=1 ;;
		h) seen[--help]=1 ;;
		n) seen[--dry-run]=1 ;;
		q) seen[--quiet]=1 ;;
		esac
	done
	seen[--version]=1
	_casekit_words=${!seen[*]}
}

# _casekit_arg PROG OPTION: what OPTION's argument is in PROG's usage, in
# _casekit_words: "a|b|c" (its values), a placeholder such as "unit", or
# nothing.
_casekit_arg()
{
	local re="(^|[[:space:][|])$2 ([^][:space:]]+)"
	_casekit_usage "$1"
	_casekit_words=
	[[ $_casekit_text =~ $re ]] && _casekit_words=${BASH_REMATCH[2]}
}

# _casekit_db: the database the command line names, or $CASE_DB.
_casekit_db()
{
	local i w db=${CASE_DB:-cases.db}
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-d | --db)
			if [[ ${COMP_WORDS[i + 1]} == = ]]; then
				db=${COMP_WORDS[i + 2]}
			else
				db=${COMP_WORDS[i + 1]}
			fi ;;
		--db=?*) db=${w#--db=} ;;
		-d?*) db=${w#-d} ;;
		esac
	done
	[[ $db == "~/"* ]] && db=$HOME/${db#"~/"}
	printf '%s\n' "$db"
}

# _casekit_codes SQL: one column of the database, if it can be read.
_casekit_codes()
{
	local db
	db=$(_casekit_db)
	[[ -f $db ]] && type -P sqlite3 >/dev/null || return 0
	sqlite3 -readonly -batch -noheader -list "$db" "$1" 2>/dev/null
}

_casekit()
{
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=
	local opt= arg words= _casekit_text _casekit_words
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	# --opt=value: bash splits it at "=" (COMP_WORDBREAKS).
	if [[ $cur == = ]]; then
		opt=$prev cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*} cur=${cur#*=}
	elif [[ $prev == -* ]]; then
		opt=$prev
	fi
	case $opt in
	-d | --db)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0 ;;
	--* | -?)
		_casekit_arg "$prog" "$opt"
		arg=$_casekit_words
		case $arg in
		'') ;;	# no argument, or an option this program lacks
		*'|'*) words=${arg//|/ } ;;
		unit)
			if [[ $opt == --grid ]]; then
				words=$(_casekit_codes \
				    "SELECT code FROM units WHERE level = 'grid'")
			else
				words=$(_casekit_codes "SELECT code FROM units")
			fi ;;
		units)	# --assist, --unassist: a comma-separated list
			words=$(_casekit_codes "SELECT code FROM units")
			if [[ $cur == *,* ]]; then
				local w pre=${cur%,*},
				words=$(for w in $words; do
				    printf '%s ' "$pre$w"; done)
			fi ;;
		code)
			case $opt in
			--category) words=$(_casekit_codes \
			    "SELECT code FROM categories") ;;
			--source) words=$(_casekit_codes \
			    "SELECT code FROM sources") ;;
			--outcome) words=$(_casekit_codes \
			    "SELECT code FROM outcomes") ;;
			esac ;;
		file | dest | dir*)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			return 0 ;;
		esac
		if [[ -n $arg ]]; then
			[[ -n $words ]] &&
			    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
			return 0
		fi ;;
	esac
	if [[ $cur == -* ]]; then
		_casekit_options "$prog"
		mapfile -t COMPREPLY < <(compgen -W "$_casekit_words" -- "$cur")
	fi
	return 0
}

# Every casekit program on PATH now, and the one this file was loaded for
# (bash-completion loads completions/case-NAME for case-NAME).
complete -F _casekit $( (compgen -c -- case-; echo "${BASH_SOURCE[0]##*/}") |
    grep -E '^case-[a-z-]+$' | sort -u) 2>/dev/null || :
