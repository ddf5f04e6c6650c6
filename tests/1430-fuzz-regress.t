#!/bin/sh
# The fuzz harnesses (fuzz/fuzz-*.c), built without libFuzzer by the
# compiler that built the library, replay every input that once made
# one crash (fuzz/regress/NAME) and their seeds (fuzz/corpus/NAME, and
# the csv-spectrum files for csv).  make fuzz runs them for real.
. "$(dirname "$0")/lib.sh"
: ${CASE_FUZZ_CC:=${CC:-cc}} ${CASE_FUZZ_CFLAGS:=-O1 -g}
names='csv time id out'
plan 8

libs=$(sed -n 's/^LDLIBS *= *//p' "$top/Makefile")
for h in $names; do
	check "fuzz-$h builds with $CASE_FUZZ_CC and replay.c" \
	    $CASE_FUZZ_CC $CASE_FUZZ_CFLAGS -std=c17 -D_GNU_SOURCE \
	    -I"$top/lib" -o "$tmp/fuzz-$h" "$top/fuzz/fuzz-$h.c" \
	    "$top/fuzz/replay.c" "$top/lib/libcase.a" $libs -Wl,--wrap=errx
	set --
	for f in "$top/fuzz/regress/$h"/* "$top/fuzz/corpus/$h"/* \
	    "$data/csv-spectrum/csvs"/*.csv; do
		case $f in */csv-spectrum/*) [ "$h" = csv ] || continue ;; esac
		[ -f "$f" ] && set -- "$@" "$f"
	done
	# Each input once; an abort() or a sanitizer report fails it.
	check "fuzz-$h replays its regressions and seeds" \
	    sh -c '"$0" "$@" 2>/dev/null' "$tmp/fuzz-$h" "$@"
	echo "# $h: $(ls "$top/fuzz/regress/$h" 2>/dev/null | wc -l)" \
	    "regressions, $# inputs"
done
done_testing
