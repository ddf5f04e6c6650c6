#!/bin/sh
# case-add --csv into an empty database drops the indexes and builds them
# once at the end: afterwards they must be exactly the schema's, and a
# refused file must leave them in place.
. "$(dirname "$0")/lib.sh"
plan 5

# indexes: each index and its definition, from the engine's catalogue
# (PostgreSQL's lists the primary keys' too; each side is compared only
# with itself).
indexes() {
	if on_pg; then
		sql "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname
		    NOT IN ('pg_catalog', 'information_schema') ORDER BY indexname"
	else
		sqlite3 "$CASE_DB" "SELECT name, sql FROM sqlite_master
		    WHERE type = 'index' ORDER BY name"
	fi | tr -s ' '
}
init_demo
before=$(indexes)
check_grep 'the schema has its indexes' cases_open "$(printf '%s\n' "$before" >"$tmp/ix"; echo "$tmp/ix")"

printf 'category,title\nhazard,a\nother,b\n' >"$tmp/good.csv"
printf 'category,title\nhazard,a\nnope,b\n' >"$tmp/bad.csv"
check_exit 'a refused file into the empty database' 1 \
    case-add -q --csv "$tmp/bad.csv"
check_same 'leaves the indexes as they were' "$(indexes)" "$before"
check 'a good file into the empty database' case-add -q --csv "$tmp/good.csv"
check_same 'rebuilds them exactly as the schema has them' "$(indexes)" \
    "$before"
done_testing
