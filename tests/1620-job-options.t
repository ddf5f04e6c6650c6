#!/bin/sh
# The cron programs are real programs: -h and --help print the usage and
# exit 0, --version the version, an unknown option is a usage error
# (exit 2, usage on stderr), and -n changes nothing: the database (sqlite3
# .dump), the directory (its listing) and the log stay as they were.
. "$(dirname "$0")/lib.sh"
plan 37

cat >"$tmp/logger" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$tmp/log"
EOF
chmod +x "$tmp/logger"
export CASE_LOGGER="$tmp/logger"
: >"$tmp/log"
init_demo
# One case overdue since 8 May, for the escalation to act on.
CASE_NOW=2024-05-07T09:00:00+08:00 case-add -q --category hazard \
    --unit xzz-dk-1 --title 液化气罐
mkdir "$tmp/rep"
version=$(sed -n 's/^#define CASE_VERSION "\(.*\)"/\1/p' "$top/lib/case.h")

# listing: the files, with sizes and times to the nanosecond, but for
# the test's own (out, err, log, want, got).
listing() {
	(cd "$tmp" && find . -printf '%p %s %T@\n' | grep -v -E \
	    '^\. |^\./rep |^\./(out|err|log|want|got) ' | sort)
}
for p in case-escalate case-report case-report-html "case-backup $tmp/b.db"; do
	name=${p%% *}
	arg=${p#"$name"}
	check_exit "$name -h" 0 $name -h $arg
	check_same "$name -h: the usage on stdout, nothing on stderr" \
	    "$(head -c 7 "$tmp/out" | tr -d '\n')|$(cat "$tmp/err")" 'usage: |'
	check_exit "$name --help" 0 $name --help
	check_exit "$name --version" 0 $name --version
	check_same "$name --version prints it" "$(cat "$tmp/out")" \
	    "$name (casekit) $version"
	check_exit "$name --bogus: a usage error" 2 $name --bogus $arg
	check_grep "$name --bogus: the usage on stderr" "^usage: $name" "$tmp/err"
	[ "$name" = case-backup ] &&
	    skip_on_pg 2 'case-backup copies the SQLite file' && continue
	before="$(db_dump)|$(listing)|$(cat "$tmp/log")"
	check_exit "$name -n" 0 env CASE_REPORT_DIR="$tmp/rep" $name -n $arg
	check_same "$name -n changes nothing: database, files, log" \
	    "$(db_dump)|$(listing)|$(cat "$tmp/log")" "$before"
done
# Every program: help or version that cannot be written is a failure.
bad=
for p in "$top"/bin/case-*; do
	case $p in *.c | *.o) continue ;; esac
	[ -x "$p" ] || continue
	for o in --help --version; do
		"$p" $o >/dev/full 2>/dev/null
		rc=$?
		[ $rc -eq 2 ] || bad="$bad ${p##*/} $o: $rc;"
	done
done
check_same '--help and --version to a full disk: exit 2, every program' \
    "$bad" ''
done_testing
