# casekit - see README.md.  POSIX make; GNU make and bmake both work.
.POSIX:
.SUFFIXES:
.SUFFIXES: .c .o

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
LOCALEDIR = $(PREFIX)/share/locale
# bash-completion loads completions/NAME when NAME is first completed.
COMPDIR = $(PREFIX)/share/bash-completion/completions
CC = cc
CFLAGS = -O2 -g
# Always on, whatever CFLAGS the caller sets.
CASE_CFLAGS = -std=c17 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Ilib
LDLIBS = -lsqlite3 -lcsv -lm -lpthread

PROGS = bin/case-init bin/case-add bin/case-assign bin/case-close \
	bin/case-list bin/case-show bin/case-stats bin/case-export \
	bin/case-handle bin/case-rework bin/case-return bin/case-pause \
	bin/case-note bin/case-edit bin/case-visit bin/case-escalate \
	bin/case-report bin/case-backup bin/case-report-html bin/case-copy \
	bin/case-key bin/case-open311 bin/case-pack bin/case-roster \
	bin/case-ack \
	bin/case-attach \
	bin/case-meet \
	bin/case-link \
	bin/case-notify
LIBOBJ = lib/util.o lib/time.o lib/lifecycle.o lib/db.o lib/id.o lib/out.o lib/csv.o \
	lib/filter.o lib/cases.o lib/query.o lib/stats.o lib/ref.o \
	lib/deadline.o lib/run.o lib/interchange.o lib/xlsx.o lib/file.o \
	lib/job.o lib/chain.o lib/progress.o lib/sql.o \
	lib/store.o lib/pg.o lib/again.o lib/update.o lib/place.o \
	lib/attach.o
TESTPROGS = tests/unit tests/csvdump tests/opensql
# Preloaded by tests/1700-completion.t: the options a program accepts.
TESTLIBS = tests/optdump.so
MAN1 = man/man1/case-init.1 man/man1/case-add.1 man/man1/case-assign.1 \
	man/man1/case-close.1 man/man1/case-list.1 man/man1/case-show.1 \
	man/man1/case-stats.1 man/man1/case-export.1 man/man1/case-handle.1 \
	man/man1/case-rework.1 man/man1/case-return.1 man/man1/case-pause.1 \
	man/man1/case-note.1 man/man1/case-edit.1 man/man1/case-visit.1 \
	man/man1/case-escalate.1 man/man1/case-report.1 man/man1/case-report-html.1 \
	man/man1/case-backup.1 man/man1/case-copy.1 man/man1/case-key.1 \
	man/man1/case-open311.1 man/man1/case-pack.1 man/man1/case-roster.1 \
	man/man1/case-ack.1 \
	man/man1/case-attach.1 \
	man/man1/case-meet.1 \
	man/man1/case-link.1 \
	man/man1/case-notify.1
MAN5 = man/man5/casekit-db.5
MAN7 = man/man7/casekit.7

# The message catalogues, compiled where the tests find them.
LANGS = zh_CN
MO = build/locale/zh_CN/LC_MESSAGES/casekit.mo

all: $(PROGS) $(TESTPROGS) $(TESTLIBS) $(MO)

.c.o:
	$(CC) $(CASE_CFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBOBJ): lib/case.h lib/store.h lib/engine.h
lib/deadline.o: lib/calendar.inc
# libpq's header is in a directory of its own.
lib/pg.o: lib/pg.c
	$(CC) $(CASE_CFLAGS) -I/usr/include/postgresql $(CFLAGS) -c -o $@ \
		lib/pg.c
lib/util.o: Makefile
lib/util.o: lib/util.c
	$(CC) $(CASE_CFLAGS) $(CFLAGS) -DCASE_LOCALEDIR='"$(LOCALEDIR)"' \
		-c -o $@ lib/util.c
# The shipped working-day calendar, compiled in.
lib/calendar.inc: data/cn-calendar.csv
	awk -F, 'NR > 1 { printf "{ \"%s\", \"%s\" },\n", $$1, $$2 }' \
		data/cn-calendar.csv > $@
lib/libcase.a: $(LIBOBJ)
	$(AR) -rcs $@ $(LIBOBJ)

# Each program from its own source file and the library.
.c:
	$(CC) $(CASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< lib/libcase.a $(LDLIBS)
$(PROGS) $(TESTPROGS): lib/libcase.a lib/case.h lib/store.h
# msgfmt -c: each translation has the conversions of its message.
$(MO): po/zh_CN.po
	mkdir -p build/locale/zh_CN/LC_MESSAGES
	msgfmt -c -o $@ po/zh_CN.po
# The template of every marked message, for translators: make pot.
pot:
	xgettext -o po/casekit.pot --from-code=UTF-8 -k_ -kN_ \
		--package-name=casekit --add-comments=TRANSLATORS \
		bin/*.c lib/*.c
# The HTML report is a shell script, installed beside the programs.
bin/case-report-html: scripts/case-report-html lib/case.h
	sed "s/@VERSION@/$$(sed -n 's/^#define CASE_VERSION "\(.*\)"/\1/p' \
		lib/case.h)/" scripts/case-report-html >$@
	chmod +x $@
# Only the workbook writers load libxlsxwriter.
bin/case-export: bin/case-export.c lib/libcase.a lib/case.h
	$(CC) $(CASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ bin/case-export.c \
		lib/libcase.a $(LDLIBS) -lxlsxwriter
bin/case-pack: bin/case-pack.c lib/libcase.a lib/case.h
	$(CC) $(CASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ bin/case-pack.c \
		lib/libcase.a $(LDLIBS) -lxlsxwriter
tests/optdump.so: tests/optdump.c
	$(CC) $(CASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -shared -fPIC -o $@ \
		tests/optdump.c

# Seconds each on two cores, so that check takes a few: they run in
# torture (and in asan and valgrind) instead.
LONG_TESTS = tests/0800-case-export.t tests/0900-csv-conformance.t \
	tests/0950-interchange.t tests/0960-311.t tests/1300-cron-month.t \
	tests/1410-hostile.t tests/1810-transitions.t
check: all
	PATH="$$PWD/bin:$$PATH" prove -j4 \
		$(filter-out $(LONG_TESTS),$(sort $(wildcard tests/*.t)))
	mandoc -Tlint -W warning $(MAN1) $(MAN5) $(MAN7)

# The whole suite, the long files too, on PostgreSQL: a throwaway server
# (scripts/pg-scratch) in a temporary directory, its URI in
# CASEKIT_TEST_PG (see tests/lib.sh); stopped and removed however prove
# ends, whose status is make's.  bench/gen makes 1900-postgres.t's
# district of more cases than a batch.
check-pg: all bench/gen
	d=$$(mktemp -d "$${TMPDIR:-/tmp}/casekit-pg.XXXXXX") || exit 2; \
	trap 'st=$$?; if [ -f "$$d/pg-scratch" ]; then \
	    scripts/pg-scratch stop "$$d" || st=2; else rm -rf "$$d"; fi; \
	    exit $$st' EXIT; \
	trap 'exit 2' HUP INT TERM; \
	uri=$$(scripts/pg-scratch start "$$d") || exit 2; \
	CASEKIT_TEST_PG=$$uri PATH="$$PWD/bin:$$PATH" prove -j2 tests/*.t

# The failover drill on a three-node PostgreSQL cluster on loopback
# (scripts/pg-cluster: pg_auto_failover, Debian's
# postgresql-15-auto-failover): its primary killed under three writers;
# under a minute on two cores.
check-cluster: all
	PATH="$$PWD/bin:$$PATH" prove tests/cluster/

# case-open311 behind lighttpd (mod_cgi) on loopback, driven with curl,
# 200 POSTs 8 at a time among them (Debian's lighttpd and curl).
check-http: all
	PATH="$$PWD/bin:$$PATH" prove tests/http/

# case-notify through a real MTA: Debian's exim4 on a private
# configuration and spool (exim -C, -odi: no daemon), delivering to an
# mbox file read back (exim4-daemon-light, python3).
check-mail: all
	PATH="$$PWD/bin:$$PATH" prove tests/mail/

# The nightly report and the review pack in headless Chromium (Debian's
# chromium package).
browser: all
	PATH="$$PWD/bin:$$PATH" prove tests/browser/

demo: all
	PATH="$$PWD/bin:$$PWD/scripts:$$PATH" \
	    CASEKIT_LOCALEDIR="$$PWD/build/locale" scripts/demo

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(COMPDIR)
	install -m 0755 $(PROGS) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/
	install -m 0644 completion/casekit.bash $(DESTDIR)$(COMPDIR)/casekit
	for l in $(LANGS); do \
		mkdir -p $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 0644 build/locale/$$l/LC_MESSAGES/casekit.mo \
		    $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/ || exit; done
	for p in $(PROGS); do \
		ln -sf casekit $(DESTDIR)$(COMPDIR)/$${p##*/} || exit; done

uninstall:
	for p in $(PROGS); do \
		rm -f $(DESTDIR)$(BINDIR)/$${p##*/} \
		    $(DESTDIR)$(COMPDIR)/$${p##*/}; done
	rm -f $(DESTDIR)$(COMPDIR)/casekit
	for l in $(LANGS); do \
		rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/casekit.mo; done
	for m in $(MAN1) $(MAN5) $(MAN7); do \
		rm -f $(DESTDIR)$(MANDIR)/$${m#man/}; done

clean:
	rm -f $(PROGS) $(TESTPROGS) $(TESTLIBS) $(LIBOBJ) lib/libcase.a lib/calendar.inc \
		demo.db* demo.db.*.lock report-*.txt report-*.html
	rm -rf build

# CI, after check: no stray files tracked, none left behind.
check-tree:
	scripts/check-tree

.PHONY: all check check-pg check-cluster check-http check-mail check-tree browser demo \
	install \
	uninstall clean pot

# The Debian package (debian/): make deb builds it into build/deb/;
# make deb-check (root) also lints, installs, runs the demo on the
# installed programs and purges it.  See scripts/deb-test.
deb:
	scripts/deb-test -b
deb-check:
	scripts/deb-test
.PHONY: deb deb-check

# Not part of check: minutes at BENCH_N=1000000; see bench/run.
# The revision named before either report is written (which dirties the tree).
bench: all bench/gen
	BENCH_REV=$${BENCH_REV:-$$(git describe --always --dirty 2>/dev/null || \
	    echo unknown)}; export BENCH_REV; bench/run && bench/run-pg

# The figures alone at ten million cases (issue 18: under 3 s each), beside
# the sqlite3 CLI on the same database; the database is kept for reruns.
bench-10m: all bench/gen
	BENCH_N=10000000 bench/figures

bench/gen: bench/gen.c
	$(CC) $(CASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ bench/gen.c
.PHONY: bench bench-10m

# Not part of check (issue 7), each a few minutes; .ci/run calls them:
# load and crash torture, libFuzzer, ASan+UBSan, valgrind.  See fuzz/.
# The slow files alone; torture and asan run them.
check-long: all
	PATH="$$PWD/bin:$$PATH" prove -j2 $(LONG_TESTS)
torture: check-long
	CASE_TORTURE=1 PATH="$$PWD/bin:$$PATH" prove tests/1400-load.t \
		tests/1420-crash.t tests/1650-interrupted.t tests/1800-property.t
fuzz: all
	fuzz/run
asan:
	fuzz/asan
valgrind: all
	fuzz/valgrind
.PHONY: check-long torture fuzz asan valgrind
