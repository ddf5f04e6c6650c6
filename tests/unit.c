/* tests/unit - C unit tests of lib/libcase.a, written as TAP */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "case.h"

/*
 * The clock of every test: 2024-05-09T09:00:00+08:00, the day the
 * enterprise hotline took its first report (DOMAIN.md).
 */
#define NOW	 1715216400LL		/* 2024-05-09T01:00:00Z */
#define MIDNIGHT 1715184000LL		/* 2024-05-09T00:00:00+08:00 */
#define HOUR	 3600LL
#define DAY	 86400LL

static int ntest, nfail;

/* One TAP line; returns cond so that a caller can add diagnostics. */
static int
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - ", cond ? "" : "not ", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

static void
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void
zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* -- case_parse_time -------------------------------------------------- */

static void
time_ok(const char *s, long long want, int wantday)
{
	long long t = 0;
	int dayonly = -1, rc;

	rc = case_parse_time(s, NOW, &t, &dayonly);
	if (!ok(rc == 0 && t == want && dayonly == wantday,
	    "parse_time accepts \"%s\"", s))
		diag("rc %d, t %lld (want %lld), dayonly %d (want %d)", rc, t,
		    want, dayonly, wantday);
}

static void
time_bad(const char *s)
{
	long long t = 0;
	int dayonly, rc;

	rc = case_parse_time(s, NOW, &t, &dayonly);
	if (!ok(rc == -1, "parse_time rejects \"%s\"", s))
		diag("got %lld", t);
}

static void
test_parse_time(void)
{
	zone("Asia/Shanghai");
	/* A bare day is local midnight, and says it is a whole day. */
	time_ok("2024-05-09", MIDNIGHT, 1);
	time_ok("2024-02-29", 1709136000LL, 1);
	time_ok("2024-05-09T09:00", NOW, 0);
	time_ok("2024-05-09t09:00", NOW, 0);
	time_ok("2024-05-09 09:00", NOW, 0);
	time_ok("2024-05-09T09:00:00", NOW, 0);
	time_ok("2024-05-09 09:00:00", NOW, 0);
	time_ok("2024-05-09T09:00:30", NOW + 30, 0);
	time_ok("2024-05-09T01:00:00Z", NOW, 0);
	time_ok("2024-05-09T01:00Z", NOW, 0);
	time_ok("2024-05-09T09:00:00+08:00", NOW, 0);
	time_ok("2024-05-09T09:00+08:00", NOW, 0);
	time_ok("2024-05-09T09:00:00+0800", NOW, 0);
	time_ok("2024-05-08T20:00:00-05:00", NOW, 0);
	time_ok("2024-05-09 01:00:00+00:00", NOW, 0);
	time_ok("today", MIDNIGHT, 1);
	time_ok("yesterday", MIDNIGHT - DAY, 1);
	time_ok("tomorrow", MIDNIGHT + DAY, 1);
	time_ok("-7d", NOW - 7 * DAY, 0);
	time_ok("-24h", NOW - 24 * HOUR, 0);
	time_ok("+3d", NOW + 3 * DAY, 0);
	time_ok("-90m", NOW - 90 * 60, 0);

	time_bad("2024-02-30");
	time_bad("2023-02-29");
	time_bad("2024-13-01");
	time_bad("2024-00-10");
	time_bad("2024-04-31");
	time_bad("2024-05-09T25:00");
	time_bad("2024-05-09T09:60");
	time_bad("2024-05-09T09:00:61");
	time_bad("");
	time_bad("garbage");
	time_bad("2024-5-9");
	time_bad("2024-05-09x");
	time_bad("2024-05-09T");
	time_bad("2024-05-09T09");
	time_bad("2024-05-09T09:00junk");
	time_bad("2024-05-09T09:00:00+08:00x");
	time_bad("2024-05-09T09:00:00+25:00");
	time_bad("today ");
	time_bad("-7");
	time_bad("-d");
	time_bad("7d");
}

/* -- case_parse_duration ---------------------------------------------- */

static void
dur_ok(const char *s, long long want)
{
	long long v = -1;
	int rc = case_parse_duration(s, &v);

	if (!ok(rc == 0 && v == want, "parse_duration \"%s\" = %lld", s, want))
		diag("rc %d, got %lld", rc, v);
}

static void
dur_bad(const char *s)
{
	long long v = -1;

	if (!ok(case_parse_duration(s, &v) == -1,
	    "parse_duration rejects \"%s\"", s))
		diag("got %lld", v);
}

static void
test_parse_duration(void)
{
	dur_ok("30s", 30);
	dur_ok("90m", 90 * 60);
	dur_ok("24h", 24 * HOUR);
	dur_ok("7d", 7 * DAY);
	dur_ok("2w", 14 * DAY);
	dur_ok("0h", 0);
	dur_bad("0x");
	dur_bad("-1d");
	dur_bad("+1d");
	dur_bad("7");
	dur_bad("d");
	dur_bad("");
	dur_bad("1.5h");
	dur_bad(" 7d");
	dur_bad("7 d");
	dur_bad("7D");
	dur_bad("99999999999999999999d");
	dur_bad("9223372036854775807s");
	dur_bad("9999999999w");
}

/* -- case_fmt_time, case_period --------------------------------------- */

static void
fmt_is(long long t, const char *want, const char *why)
{
	char buf[64];

	memset(buf, 'x', sizeof buf);
	case_fmt_time(t, buf, sizeof buf);
	if (!ok(strcmp(buf, want) == 0, "fmt_time %s: %s", why, want))
		diag("got \"%s\"", buf);
}

static void
period_is(long long t, const char *name, const char *want)
{
	char buf[64];
	int p = case_period_parse(name);

	buf[0] = '\0';
	if (p != -1)
		case_period(t, p, buf, sizeof buf);
	if (!ok(p != -1 && strcmp(buf, want) == 0, "period %s of %lld is %s",
	    name, t, want))
		diag("got \"%s\" (period %d)", buf, p);
}

static void
test_fmt_time(void)
{
	zone("Asia/Shanghai");
	fmt_is(NOW, "2024-05-09T09:00:00+08:00", "Asia/Shanghai");
	fmt_is(MIDNIGHT - 1, "2024-05-08T23:59:59+08:00", "Asia/Shanghai");
	fmt_is(CASE_NOTIME, "", "CASE_NOTIME");
	zone("UTC");
	fmt_is(NOW, "2024-05-09T01:00:00+00:00", "UTC");
	zone("America/New_York");
	fmt_is(NOW, "2024-05-08T21:00:00-04:00", "America/New_York");
	zone("Asia/Kolkata");
	fmt_is(NOW, "2024-05-09T06:30:00+05:30", "Asia/Kolkata");
	zone("Asia/Shanghai");

	/* Whatever the zone, the printed form reads back as the instant. */
	{
		char buf[64];
		long long t = 0;
		int d;

		case_fmt_time(NOW + 12345, buf, sizeof buf);
		ok(case_parse_time(buf, 0, &t, &d) == 0 && t == NOW + 12345,
		    "fmt_time output parses back to the same instant");
	}
}

static void
test_period(void)
{
	zone("Asia/Shanghai");
	period_is(NOW, "day", "2024-05-09");
	period_is(NOW, "week", "2024-W19");
	period_is(NOW, "month", "2024-05");
	period_is(NOW, "quarter", "2024-Q2");
	period_is(NOW, "year", "2024");
	/* 2024-12-30 is the Monday of ISO week 1 of 2025. */
	period_is(1735531200LL, "week", "2025-W01");
	period_is(1735531200LL, "year", "2024");
	period_is(1735531200LL, "quarter", "2024-Q4");
	/* 2021-01-03 is the Sunday of ISO week 53 of 2020. */
	period_is(1609646400LL, "week", "2020-W53");
	/* Local time decides: 23:30 in Shanghai on 31 March is March. */
	period_is(1711899000LL, "month", "2024-03");
	period_is(1711899000LL, "quarter", "2024-Q1");
	/* 07:30 on 1 April in Shanghai is still 31 March in UTC. */
	period_is(1711927800LL, "day", "2024-04-01");
	period_is(1711927800LL, "quarter", "2024-Q2");
	ok(case_period_parse("fortnight") == -1,
	    "period_parse rejects an unknown period");
	ok(case_period_parse("") == -1, "period_parse rejects \"\"");
}

/* -- case_strtonum ---------------------------------------------------- */

static void
num_is(const char *s, long long min, long long max, long long want,
    const char *wanterr)
{
	const char *errstr = "unset";
	long long v = case_strtonum(s, min, max, &errstr);
	int good;

	if (wanterr == NULL)
		good = errstr == NULL && v == want;
	else
		good = errstr != NULL && strcmp(errstr, wanterr) == 0 && v == 0;
	if (!ok(good, "strtonum \"%s\" in [%lld, %lld]: %s", s, min, max,
	    wanterr ? wanterr : "ok"))
		diag("got %lld, errstr %s", v, errstr ? errstr : "NULL");
}

static void
test_strtonum(void)
{
	num_is("42", 1, 100, 42, NULL);
	num_is("1", 1, 100, 1, NULL);
	num_is("100", 1, 100, 100, NULL);
	num_is("-5", -10, 10, -5, NULL);
	num_is("9223372036854775807", 0, 9223372036854775807LL,
	    9223372036854775807LL, NULL);
	num_is("0", 1, 100, 0, "too small");
	num_is("101", 1, 100, 0, "too large");
	num_is("99999999999999999999", 1, 100, 0, "too large");
	num_is("-99999999999999999999", 1, 100, 0, "too small");
	num_is("", 1, 100, 0, "invalid");
	num_is("+1", 1, 100, 0, "invalid");
	num_is(" 1", 1, 100, 0, "invalid");
	num_is("1 ", 1, 100, 0, "invalid");
	num_is("1x", 1, 100, 0, "invalid");
	num_is("0x10", 0, 100, 0, "invalid");
	num_is("abc", 1, 100, 0, "invalid");
}

/* -- case_utf8_valid, case_width -------------------------------------- */

static void
utf8_is(const char *s, size_t n, int want, const char *why)
{
	ok(case_utf8_valid(s, n) == want, "utf8_valid %s: %s", why,
	    want ? "valid" : "invalid");
}

static void
test_utf8(void)
{
	utf8_is("", 0, 1, "empty");
	utf8_is("abc", 3, 1, "ASCII");
	utf8_is("液化气罐", strlen("液化气罐"), 1, "Chinese");
	utf8_is("\xc2\xa9", 2, 1, "U+00A9");
	utf8_is("\xf0\x9f\x98\x80", 4, 1, "U+1F600");
	utf8_is("\xf4\x8f\xbf\xbf", 4, 1, "U+10FFFF");
	utf8_is("\xee\x80\x80", 3, 1, "U+E000 after the surrogates");
	utf8_is("\xc0\xaf", 2, 0, "overlong 2-byte /");
	utf8_is("\xc1\xbf", 2, 0, "overlong 2-byte U+007F");
	utf8_is("\xe0\x80\xaf", 3, 0, "overlong 3-byte /");
	utf8_is("\xe0\x9f\xbf", 3, 0, "overlong 3-byte U+07FF");
	utf8_is("\xf0\x80\x80\xaf", 4, 0, "overlong 4-byte /");
	utf8_is("\xf0\x8f\xbf\xbf", 4, 0, "overlong 4-byte U+FFFF");
	utf8_is("\xed\xa0\x80", 3, 0, "surrogate U+D800");
	utf8_is("\xed\xbf\xbf", 3, 0, "surrogate U+DFFF");
	utf8_is("\xf4\x90\x80\x80", 4, 0, "U+110000");
	utf8_is("\xf5\x80\x80\x80", 4, 0, "lead byte F5");
	utf8_is("\xff", 1, 0, "byte FF");
	utf8_is("\x80", 1, 0, "lone continuation byte");
	utf8_is("\xe6\xb6", 2, 0, "truncated 3-byte sequence");
	utf8_is("液", 2, 0, "truncated by the length given");
	utf8_is("ab\xe6", 3, 0, "truncated at the end");
	utf8_is("\xe6\xb6" "a", 3, 0, "bad continuation byte");
	utf8_is("\xf0\x9f\x98", 3, 0, "truncated 4-byte sequence");
}

static void
width_is(const char *s, int want, const char *why)
{
	int w = case_width(s);

	if (!ok(w == want, "width %s = %d", why, want))
		diag("got %d", w);
}

static void
test_width(void)
{
	width_is("", 0, "empty");
	width_is("hazard", 6, "ASCII");
	width_is("液化气罐", 8, "Chinese");
	width_is("a液b化", 6, "mixed");
	width_is("e\xcc\x81", 1, "e + combining acute");
	width_is("社\xcc\x81区", 4, "Chinese with a combining mark");
	width_is("ＡＢ", 4, "fullwidth Latin");
	width_is("한국", 4, "Hangul");
	width_is("，。", 4, "fullwidth punctuation");
	width_is("\xff" "a", 2, "an invalid byte counts one");
	width_is("\xf0\x9f\x9a\xa8", 2, "U+1F6A8, a transport emoji");
	width_is("\xf0\x9f\xaa\x96", 2, "U+1FA96, a newer emoji");
	width_is("\xe2\x9d\xa4\xef\xb8\x8f", 1,
	    "U+2764 with a variation selector");
	width_is("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x9a\x92", 4,
	    "two emoji joined by U+200D");
}

/* -- out.c: escaping and quoting ------------------------------------- */

/* What fn writes for s, as a string the caller frees. */
static char *
written(void (*fn)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);

	if (fp == NULL)
		err(2, "open_memstream");
	fn(fp, s);
	fclose(fp);
	return buf;
}

static void
csv_first(FILE *fp, const char *s)
{
	case_csv_field(fp, s, 1);
}

static void
csv_second(FILE *fp, const char *s)
{
	case_csv_field(fp, s, 0);
}

/* s with every byte outside printable ASCII as <xx>, for diagnostics. */
static char *
vis(const char *s)
{
	char *buf = case_malloc(strlen(s) * 4 + 1), *p = buf;
	const unsigned char *u = (const unsigned char *)s;

	for (; *u != '\0'; u++)
		if (*u < 0x20 || *u >= 0x7f)
			p += sprintf(p, "<%02x>", *u);
		else
			*p++ = (char)*u;
	*p = '\0';
	return buf;
}

static void
writes(void (*fn)(FILE *, const char *), const char *fname, const char *s,
    const char *want, const char *why)
{
	char *got = written(fn, s);

	if (!ok(strcmp(got, want) == 0, "%s %s", fname, why)) {
		char *w = vis(want), *g = vis(got);

		diag("want \"%s\", got \"%s\" (bytes not ASCII in hex)", w, g);
		free(w);
		free(g);
	}
	free(got);
}

static void
test_out(void)
{
	void (*esc)(FILE *, const char *) = case_escape_ctl;
	void (*js)(FILE *, const char *) = case_json_string;
	enum case_fmt fmt;
	const char *names[] = { "table", "tsv", "csv", "json" };
	int i, good = 1;

	writes(esc, "escape_ctl", "液化气罐 abc", "液化气罐 abc",
	    "leaves text alone");
	writes(esc, "escape_ctl", "a\tb\nc\r", "a\\tb\\nc\\r",
	    "shows TAB, LF and CR as \\t \\n \\r");
	writes(esc, "escape_ctl", "\033[31m红\033[0m",
	    "\\x1b[31m红\\x1b[0m", "shows ESC as \\x1b");
	writes(esc, "escape_ctl", "\a\b\x7f", "\\x07\\x08\\x7f",
	    "shows BEL, BS and DEL");
	writes(esc, "escape_ctl", "\xc2\x85\xc2\x9b", "\\u0085\\u009b",
	    "shows C1 controls as \\u");
	writes(esc, "escape_ctl", "\xc2\xa9", "\xc2\xa9",
	    "leaves U+00A9 alone");
	writes(esc, "escape_ctl", "\xff", "\\xff", "shows a bad byte");
	writes(esc, "escape_ctl", "\xe6\xb6", "\\xe6\\xb6",
	    "shows a truncated sequence byte by byte");
	writes(esc, "escape_ctl", "\xed\xa0\x80", "\\xed\\xa0\\x80",
	    "shows a surrogate byte by byte");
	writes(esc, "escape_ctl", "a\x80" "b", "a\\x80b",
	    "shows a stray continuation byte after ASCII");
	writes(esc, "escape_ctl", "\033\x80", "\\x1b\\x80",
	    "shows a stray continuation byte after a control");
	writes(esc, "escape_ctl", "\xe5\x8c\xba\x80", "区\\x80",
	    "shows a stray continuation byte after Chinese");

	writes(csv_first, "csv_field", "plain", "plain", "leaves plain text");
	writes(csv_first, "csv_field", "", "", "writes empty as nothing");
	writes(csv_second, "csv_field", "x", ",x", "separates with a comma");
	writes(csv_first, "csv_field", "a,b", "\"a,b\"", "quotes a comma");
	writes(csv_first, "csv_field", "店主说\"好\"", "\"店主说\"\"好\"\"\"",
	    "doubles quotes");
	writes(csv_first, "csv_field", "a\nb", "\"a\nb\"", "quotes a newline");
	writes(csv_first, "csv_field", "a\r\nb", "\"a\r\nb\"",
	    "quotes a CR LF");
	writes(csv_first, "csv_field", " a", "\" a\"",
	    "quotes a leading space");

	writes(js, "json_string", "液化气罐", "\"液化气罐\"", "keeps UTF-8");
	writes(js, "json_string", "a\"b\\c", "\"a\\\"b\\\\c\"",
	    "escapes quote and backslash");
	writes(js, "json_string", "\t\n\r\033", "\"\\t\\n\\r\\u001b\"",
	    "escapes control characters");

	for (i = 0; i < 4; i++)
		if (case_fmt_parse(names[i], &fmt) == -1 || (int)fmt != i)
			good = 0;
	ok(good, "fmt_parse knows table, tsv, csv and json");
	ok(case_fmt_parse("xml", &fmt) == -1, "fmt_parse rejects xml");
}

/* -- filters and the roll-up, against a real database ----------------- */

static const char units_csv[] =
    "code,name,parent,level\n"
    "d,区,,district\n"
    "s1,街道一,d,street\n"
    "s1-c1,社区一,s1,community\n"
    "s1-c1-g1,网格一,s1-c1,grid\n"
    "s1-c2,社区二,s1,community\n"
    "s1-c2-g1,网格二,s1-c2,grid\n"
    "s2,街道二,d,street\n"
    "s2-c1,社区三,s2,community\n"
    "s2-c1-g1,网格三,s2-c1,grid\n"
    "dept,区发改委,d,department\n";

static char dir[] = "/tmp/casekit-unit.XXXXXX";
static char dbfile[256], unitfile[256];

static void
write_file(const char *path, const char *s)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(s, fp) == EOF || fclose(fp) == EOF)
		err(2, "%s", path);
}

static void
cleanup(void)
{
	char path[300];

	snprintf(path, sizeof path, "%s-wal", dbfile);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", dbfile);
	unlink(path);
	unlink(dbfile);
	unlink(unitfile);
	rmdir(dir);
}

static long long
at(const char *s)
{
	long long t;
	int d;

	if (case_parse_time(s, NOW, &t, &d) == -1)
		errx(2, "bad time in test: %s", s);
	return t;
}

/*
 * Six cases (IDs 1 to 6), at the clock NOW = 2024-05-09T09:00+08:00:
 *   1 hazard    grid   s1-c1-g1  reported 05-01 10:00  due 05-02     overdue
 *   2 dispute   council s1-c2    reported 05-08 23:59:59 due 05-20
 *   3 dispute   grid   s2-c1-g1  reported 05-09 00:00  due 05-01     overdue
 *   4 hazard    grid   s1        reported 05-01 00:00  closed late, resolved
 *   5 petition  wechat (none)    reported 05-08 00:00  due 05-08 12:00 overdue
 *   6 hazard    hotline dept     reported 05-09 08:00  due from category
 */
static void
make_db(void)
{
	struct case_ref_files rf;
	struct case_ctx ctx;
	struct case_new n[6];
	struct case_db *db;
	long long id;
	const char *why;
	int i, nbad, good = 1;

	if (mkdtemp(dir) == NULL)
		err(2, "mkdtemp");
	snprintf(dbfile, sizeof dbfile, "%s/cases.db", dir);
	snprintf(unitfile, sizeof unitfile, "%s/units.csv", dir);
	atexit(cleanup);
	write_file(unitfile, units_csv);

	db = case_db_open(dbfile, CASE_DB_CREATE);
	/* Zeroed whole: later versions add reference files. */
	memset(&rf, 0, sizeof rf);
	rf.units = unitfile;
	case_begin(db);
	nbad = case_ref_load(db, &rf);
	case_commit(db);
	ok(nbad == 0, "ref_load takes the units file");

	for (i = 0; i < 6; i++)
		case_new_init(&n[i]);
	n[0].category = "hazard", n[0].title = "液化气罐";
	n[0].source = "grid", n[0].unit = "s1-c1-g1", n[0].grid = "s1-c1-g1";
	n[0].reported = at("2024-05-01T10:00"), n[0].due = at("2024-05-02");
	n[1].category = "dispute", n[1].title = "邻里纠纷";
	n[1].source = "council", n[1].unit = "s1-c2";
	n[1].reported = at("2024-05-08T23:59:59"), n[1].due = at("2024-05-20");
	n[1].assigned = n[1].reported + 1 * HOUR;
	n[2].category = "dispute", n[2].title = "噪音";
	n[2].source = "grid", n[2].unit = "s2-c1-g1";
	n[2].reported = at("2024-05-09T00:00"), n[2].due = at("2024-05-01");
	n[2].assigned = n[2].reported + 4 * HOUR;
	n[3].category = "hazard", n[3].title = "消防通道";
	n[3].source = "grid", n[3].unit = "s1";
	n[3].reported = at("2024-04-30T16:00:00Z");
	n[3].due = n[3].reported + 24 * HOUR;
	n[3].assigned = n[3].reported + 2 * HOUR;
	n[3].closed = n[3].reported + 30 * HOUR;
	n[3].status = "closed", n[3].outcome = "resolved";
	n[4].category = "petition", n[4].title = "信访件";
	n[4].source = "wechat";
	n[4].reported = at("2024-05-08"), n[4].due = at("2024-05-08T12:00");
	n[5].category = "hazard", n[5].title = "奖励未兑现";
	n[5].source = "hotline", n[5].unit = "dept";
	n[5].reported = at("2024-05-09T08:00");

	case_ctx_init(&ctx, db, "tester", 0, 1);
	for (i = 0; i < 6; i++) {
		why = case_add(&ctx, &n[i], &id);
		if (why != NULL || id != i + 1) {
			diag("case %d: %s (id %lld)", i + 1, why ? why : "",
			    id);
			good = 0;
		}
	}
	ok(good, "case_add adds six cases, IDs 1 to 6");
	/* Commits and closes the database; quiet, so nothing on stdout. */
	ok(case_ctx_finish(&ctx, 0) == 0, "case_ctx_finish commits");
}

/* The IDs f selects, as "1,2,4". */
static void
selected(struct case_db *db, const struct case_filter *f, char *buf, size_t size)
{
	struct case_stmt *st;
	char *where, *sql;
	size_t len = 0;

	where = case_filter_sql(f);
	if (asprintf(&sql, "SELECT c.id FROM cases c WHERE %s ORDER BY c.id",
	    where) == -1)
		err(2, "asprintf");
	st = case_prepare_once(db, sql);
	case_filter_bind(st, f);
	buf[0] = '\0';
	while (case_step(st) == CASE_ROW && len < size)
		len += snprintf(buf + len, size - len, "%s%lld", len ? "," : "",
		    case_col_int(st, 0));
	case_finalize(st);
	free(sql);
	free(where);
}

/*
 * Applies the options, given as pairs ("unit", "s1", ...; NULL ends
 * them), to a filter with the given status default, and compares.
 */
static void
sel_is(struct case_db *db, enum case_status_filter status, const char *want,
    const char *desc, ...)
{
	static const struct { const char *name; int ch; } opts[] = {
		{ "status", CASE_OPT_STATUS }, { "overdue", CASE_OPT_OVERDUE },
		{ "unit", CASE_OPT_UNIT }, { "category", CASE_OPT_CATEGORY },
		{ "source", CASE_OPT_SOURCE }, { "since", CASE_OPT_SINCE },
		{ "until", CASE_OPT_UNTIL },
		{ "closed-since", CASE_OPT_CLOSED_SINCE },
		{ "closed-until", CASE_OPT_CLOSED_UNTIL },
	};
	struct case_filter f;
	const char *name, *arg;
	char got[256];
	va_list ap;
	size_t i;

	case_filter_init(&f, status);
	va_start(ap, desc);
	while ((name = va_arg(ap, const char *)) != NULL) {
		arg = va_arg(ap, const char *);
		for (i = 0; i < sizeof opts / sizeof opts[0]; i++)
			if (strcmp(opts[i].name, name) == 0)
				break;
		if (i == sizeof opts / sizeof opts[0])
			errx(2, "test: no option %s", name);
		case_filter_opt(&f, opts[i].ch, arg);
	}
	va_end(ap);
	selected(db, &f, got, sizeof got);
	if (!ok(strcmp(got, want) == 0, "filter %s selects {%s}", desc, want))
		diag("got {%s}", got);
}

static void
test_filters(struct case_db *db)
{
	struct case_filter f;
	char *sql;

	case_filter_init(&f, CASE_ST_ALL);
	ok(f.now == NOW, "filter_init takes the clock from CASE_NOW");
	ok(case_filter_opt(&f, 'x', "y") == 0,
	    "filter_opt declines a non-filter option");
	sql = case_filter_sql(&f);
	ok(strcmp(sql, "1 = 1") == 0, "an empty filter selects everything");
	free(sql);
	f.unit = "x'; DROP TABLE cases; --";
	sql = case_filter_sql(&f);
	ok(strstr(sql, "DROP") == NULL && strstr(sql, ":unit") != NULL,
	    "filter SQL holds parameters, never values");
	free(sql);

	sel_is(db, CASE_ST_ALL, "1,2,3,4,5,6", "all", NULL);
	sel_is(db, CASE_ST_OPEN, "1,2,3,5,6", "open (the default)", NULL);
	sel_is(db, CASE_ST_ALL, "4", "--status closed", "status", "closed",
	    NULL);
	sel_is(db, CASE_ST_ALL, "1,2,3,5,6", "--status open", "status", "open",
	    NULL);
	sel_is(db, CASE_ST_OPEN, "1,2,3,4,5,6", "--status all", "status", "all",
	    NULL);
	sel_is(db, CASE_ST_ALL, "1,2,4", "--unit street (its subtree)", "unit",
	    "s1", NULL);
	sel_is(db, CASE_ST_OPEN, "1,2", "--unit street, open", "unit", "s1",
	    NULL);
	sel_is(db, CASE_ST_ALL, "1", "--unit community", "unit", "s1-c1",
	    NULL);
	sel_is(db, CASE_ST_ALL, "1", "--unit grid (itself)", "unit",
	    "s1-c1-g1", NULL);
	sel_is(db, CASE_ST_ALL, "", "--unit grid with no cases", "unit",
	    "s1-c2-g1", NULL);
	sel_is(db, CASE_ST_ALL, "3", "--unit other street", "unit", "s2",
	    NULL);
	sel_is(db, CASE_ST_ALL, "1,2,3,4,6", "--unit district", "unit", "d",
	    NULL);
	sel_is(db, CASE_ST_ALL, "6", "--unit department", "unit", "dept",
	    NULL);
	sel_is(db, CASE_ST_ALL, "1,3,5", "--overdue", "overdue", "", NULL);
	sel_is(db, CASE_ST_ALL, "1,3,5", "--overdue --status all", "overdue",
	    "", "status", "all", NULL);
	sel_is(db, CASE_ST_ALL, "1", "--overdue --unit s1", "overdue", "",
	    "unit", "s1", NULL);
	sel_is(db, CASE_ST_ALL, "2,3", "--category", "category", "dispute",
	    NULL);
	sel_is(db, CASE_ST_ALL, "1,3,4", "--source", "source", "grid", NULL);
	sel_is(db, CASE_ST_ALL, "1,4", "--category --source", "category",
	    "hazard", "source", "grid", NULL);
	sel_is(db, CASE_ST_ALL, "2,3,5,6", "--since a day (its midnight)",
	    "since", "2024-05-08", NULL);
	sel_is(db, CASE_ST_ALL, "1,2,4,5", "--until a day (the whole day)",
	    "until", "2024-05-08", NULL);
	sel_is(db, CASE_ST_ALL, "2,5", "--since and --until the same day",
	    "since", "2024-05-08", "until", "2024-05-08", NULL);
	sel_is(db, CASE_ST_ALL, "1,4,5", "--until a time (exclusive)",
	    "until", "2024-05-08T12:00", NULL);
	sel_is(db, CASE_ST_ALL, "1,4", "--until a time, exactly case 5",
	    "until", "2024-05-08T00:00:00", NULL);
	sel_is(db, CASE_ST_ALL, "3,6", "--since today", "since", "today",
	    NULL);
	sel_is(db, CASE_ST_ALL, "2,5", "--since yesterday --until yesterday",
	    "since", "yesterday", "until", "yesterday", NULL);
	sel_is(db, CASE_ST_ALL, "2,3,5,6", "--since -2d", "since", "-2d",
	    NULL);
	sel_is(db, CASE_ST_ALL, "4", "--until a UTC time",
	    "until", "2024-04-30T16:00:01Z", NULL);
	sel_is(db, CASE_ST_ALL, "4", "--closed-since", "closed-since",
	    "2024-05-02", NULL);
	sel_is(db, CASE_ST_ALL, "", "--closed-since after it closed",
	    "closed-since", "2024-05-03", NULL);
	sel_is(db, CASE_ST_ALL, "4", "--closed-until a day", "closed-until",
	    "2024-05-02", NULL);
	sel_is(db, CASE_ST_ALL, "", "--closed-until the day before",
	    "closed-until", "2024-05-01", NULL);
}

/*
 * query.c's columns (names and types) and sql.c's expressions for them
 * go entry for entry: as many of one as of the other, for every kind.
 */
static void
test_query_cols(struct case_db *db)
{
	static const char *kinds[] = { "list", "export", "events", "open311" };
	const char *names[32];
	char types[33], *sql;
	struct case_filter f;
	struct case_stmt *st;
	int kind, n, got;

	case_filter_init(&f, CASE_ST_ALL);
	for (kind = CASE_Q_LIST; kind <= CASE_Q_OPEN311; kind++) {
		n = case_query_header(kind, NULL, names, types);
		sql = case_query_sql(kind, &f);
		st = case_prepare_once(db, sql);
		got = case_col_count(st);
		if (!ok(got == n, "query %s: %d SQL columns for %d named",
		    kinds[kind], got, n))
			diag("%s", sql);
		case_finalize(st);
		free(sql);
	}
}

/* case_stats into a string. */
static char *
stats(struct case_db *db, const struct case_filter *f, const char *by)
{
	FILE *fp = tmpfile();
	char *buf;
	long n;
	struct case_stats_opts o = { by, CASE_FMT_TSV, CASE_NOTIME, 0, 0, 0,
	    NULL, NULL };

	if (fp == NULL)
		err(2, "tmpfile");
	case_stats(db, f, &o, fp);
	n = ftell(fp);
	rewind(fp);
	buf = case_malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		err(2, "tmpfile");
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Each line of s as a TAP comment. */
static void
lines(const char *s)
{
	char *copy = case_strdup(s), *p, *rest = copy;

	while ((p = strsep(&rest, "\n")) != NULL)
		if (*p != '\0' || rest != NULL)
			diag("%s", p);
	free(copy);
}

static void
stats_is(struct case_db *db, const struct case_filter *f, const char *by,
    const char *want, const char *desc)
{
	char *got = stats(db, f, by);

	if (!ok(strcmp(got, want) == 0, "stats %s", desc)) {
		diag("want:");
		lines(want);
		diag("got:");
		lines(got);
	}
	free(got);
}

#define FIGS "received\tregistered\tdue\tclosed\tclosure_rate\t" \
	"on_time_rate\tsuccess_rate\tmediation_rate\trework_rate\t" \
	"extension_rate\tsatisfaction_rate\topen\toverdue\tclosed_late\tlapses\t" \
	"dispatch_h_median\tdispatch_h_p90\tclose_h_median\tclose_h_p90\n"

static void
test_rollup(struct case_db *db)
{
	struct case_filter f;

	case_filter_init(&f, CASE_ST_ALL);
	/*
	 * Cases 5 (no unit) and 6 (a department) have no street above
	 * them.  All registered (none rejected or a duplicate); none
	 * handled, extended or visited: rework 0/0, extension 0/n,
	 * satisfaction 0/0 throughout.  Due by NOW: 1 (05-02), 3 (05-01),
	 * 4 (05-02 00:00), 5 (05-08 12:00); not 2 (05-20) or 6 (05-10).
	 * Case 4 closed 30 h after its report, 6 h past its deadline: due
	 * and closed, not on time.  Lapses: 1, 4 and 5 each missed their
	 * deadline once; 3's fell before it was even reported, so it is
	 * overdue from the start, but no deadline of it passed while its
	 * clock ran.  Disputes 2 and 3, neither mediated.
	 * Hours to assignment: s1 {0, 1, 2}, s2 {4}, "" {0}; all {0, 0, 1,
	 * 2, 4}: median 1.0, p90 (nearest rank, ceil(4.5) = the 5th) 4.0.
	 */
	stats_is(db, &f, "unit:street",
	    "unit:street\t" FIGS
	    "\t2\t2\t1\t0\t0/1 0.0%\t0/1 0.0%\t0/2 0.0%\t0/0 -\t0/0 -\t"
	    "0/2 0.0%\t0/0 -\t2\t1\t0\t1\t0.0\t0.0\t\t\ns1\t3\t3\t2\t"
	    "1\t1/2 50.0%\t0/2 0.0%\t1/3 33.3%\t0/1 0.0%\t0/0 -\t0/3 0.0%\t"
	    "0/0 -\t2\t1\t1\t2\t1.0\t2.0\t30.0\t30.0\ns2\t1\t1\t1\t0\t"
	    "0/1 0.0%\t0/1 0.0%\t0/1 0.0%\t0/1 0.0%\t0/0 -\t0/1 0.0%\t"
	    "0/0 -\t1\t1\t0\t0\t4.0\t4.0\t\t\ntotal\t6\t6\t4\t1\t1/4 25.0%\t"
	    "0/4 0.0%\t1/6 16.7%\t0/2 0.0%\t0/0 -\t0/6 0.0%\t0/0 -\t5\t"
	    "3\t1\t3\t1.0\t4.0\t30.0\t30.0\n",
	    "--by unit:street rolls grids and communities up to streets");
	stats_is(db, &f, "unit:district",
	    "unit:district\t" FIGS
	    "\t1\t1\t1\t0\t0/1 0.0%\t0/1 0.0%\t0/1 0.0%\t0/0 -\t0/0 -\t"
	    "0/1 0.0%\t0/0 -\t1\t1\t0\t1\t\t\t\t\nd\t5\t5\t3\t1\t1/3 33.3%\t"
	    "0/3 0.0%\t1/5 20.0%\t0/2 0.0%\t0/0 -\t0/5 0.0%\t0/0 -\t4\t"
	    "2\t1\t2\t1.0\t4.0\t30.0\t30.0\ntotal\t6\t6\t4\t1\t1/4 25.0%\t"
	    "0/4 0.0%\t1/6 16.7%\t0/2 0.0%\t0/0 -\t0/6 0.0%\t0/0 -\t5\t"
	    "3\t1\t3\t1.0\t4.0\t30.0\t30.0\n",
	    "--by unit:district takes in departments");
	/* Case 4 is at the street s1 itself: no community. */
	stats_is(db, &f, "unit:community",
	    "unit:community\t" FIGS
	    "\t3\t3\t2\t1\t1/2 50.0%\t0/2 0.0%\t1/3 33.3%\t0/0 -\t0/0 -\t"
	    "0/3 0.0%\t0/0 -\t2\t1\t1\t2\t1.0\t2.0\t30.0\t30.0\ns1-c1\t"
	    "1\t1\t1\t0\t0/1 0.0%\t0/1 0.0%\t0/1 0.0%\t0/0 -\t0/0 -\t"
	    "0/1 0.0%\t0/0 -\t1\t1\t0\t1\t0.0\t0.0\t\t\ns1-c2\t1\t1\t"
	    "0\t0\t0/0 -\t0/0 -\t0/1 0.0%\t0/1 0.0%\t0/0 -\t0/1 0.0%\t"
	    "0/0 -\t1\t0\t0\t0\t1.0\t1.0\t\t\ns2-c1\t1\t1\t1\t0\t0/1 0.0%\t"
	    "0/1 0.0%\t0/1 0.0%\t0/1 0.0%\t0/0 -\t0/1 0.0%\t0/0 -\t1\t"
	    "1\t0\t0\t4.0\t4.0\t\t\ntotal\t6\t6\t4\t1\t1/4 25.0%\t0/4 0.0%\t"
	    "1/6 16.7%\t0/2 0.0%\t0/0 -\t0/6 0.0%\t0/0 -\t5\t3\t1\t3\t"
	    "1.0\t4.0\t30.0\t30.0\n",
	    "--by unit:community leaves a street's own case out");
	stats_is(db, &f, NULL,
	    FIGS
	    "6\t6\t4\t1\t1/4 25.0%\t0/4 0.0%\t1/6 16.7%\t0/2 0.0%\t0/0 -\t"
	    "0/6 0.0%\t0/0 -\t5\t3\t1\t3\t1.0\t4.0\t30.0\t30.0\n",
	    "with no keys is the total row only");
	stats_is(db, &f, "unit:street,category",
	    "unit:street\tcategory\t" FIGS
	    "\thazard\t1\t1\t0\t0\t0/0 -\t0/0 -\t0/1 0.0%\t0/0 -\t0/0 -\t"
	    "0/1 0.0%\t0/0 -\t1\t0\t0\t0\t0.0\t0.0\t\t\n\tpetition\t1\t"
	    "1\t1\t0\t0/1 0.0%\t0/1 0.0%\t0/1 0.0%\t0/0 -\t0/0 -\t0/1 0.0%\t"
	    "0/0 -\t1\t1\t0\t1\t\t\t\t\ns1\tdispute\t1\t1\t0\t0\t0/0 -\t"
	    "0/0 -\t0/1 0.0%\t0/1 0.0%\t0/0 -\t0/1 0.0%\t0/0 -\t1\t0\t"
	    "0\t0\t1.0\t1.0\t\t\ns1\thazard\t2\t2\t2\t1\t1/2 50.0%\t0/2 0.0%\t"
	    "1/2 50.0%\t0/0 -\t0/0 -\t0/2 0.0%\t0/0 -\t1\t1\t1\t2\t1.0\t"
	    "2.0\t30.0\t30.0\ns2\tdispute\t1\t1\t1\t0\t0/1 0.0%\t0/1 0.0%\t"
	    "0/1 0.0%\t0/1 0.0%\t0/0 -\t0/1 0.0%\t0/0 -\t1\t1\t0\t0\t"
	    "4.0\t4.0\t\t\ntotal\t\t6\t6\t4\t1\t1/4 25.0%\t0/4 0.0%\t"
	    "1/6 16.7%\t0/2 0.0%\t0/0 -\t0/6 0.0%\t0/0 -\t5\t3\t1\t3\t"
	    "1.0\t4.0\t30.0\t30.0\n",
	    "--by unit:street,category");
	case_filter_opt(&f, CASE_OPT_UNIT, "s1");
	stats_is(db, &f, "unit:community",
	    "unit:community\t" FIGS
	    "\t1\t1\t1\t1\t1/1 100.0%\t0/1 0.0%\t1/1 100.0%\t0/0 -\t0/0 -\t"
	    "0/1 0.0%\t0/0 -\t0\t0\t1\t1\t2.0\t2.0\t30.0\t30.0\ns1-c1\t"
	    "1\t1\t1\t0\t0/1 0.0%\t0/1 0.0%\t0/1 0.0%\t0/0 -\t0/0 -\t"
	    "0/1 0.0%\t0/0 -\t1\t1\t0\t1\t0.0\t0.0\t\t\ns1-c2\t1\t1\t"
	    "0\t0\t0/0 -\t0/0 -\t0/1 0.0%\t0/1 0.0%\t0/0 -\t0/1 0.0%\t"
	    "0/0 -\t1\t0\t0\t0\t1.0\t1.0\t\t\ntotal\t3\t3\t2\t1\t1/2 50.0%\t"
	    "0/2 0.0%\t1/3 33.3%\t0/1 0.0%\t0/0 -\t0/3 0.0%\t0/0 -\t2\t"
	    "1\t1\t2\t1.0\t2.0\t30.0\t30.0\n",
	    "--unit s1 --by unit:community");
}

static void
test_db(void)
{
	struct case_db *db;

	make_db();
	db = case_db_open(dbfile, CASE_DB_READ);
	test_filters(db);
	test_query_cols(db);
	test_rollup(db);
	case_db_close(db);
}

/* -- conferences' follow-up actions (lifecycle.c) -------------------- */

/*
 * A conference's two actions, the first done at 150 after falling due at
 * 100, the second due at 300 and never done: overdue is past the
 * deadline and not done by then, whatever became of the case, and a
 * fold that does not know of the done event does not count it.
 */
static void
test_tasks(void)
{
	struct case_event e[] = {
		{ .at = 10, .recorded = 10, .action = CASE_A_REPORTED,
		    .due = 1000, .dispatch = CASE_NOTIME },
		{ .at = 20, .recorded = 20, .action = CASE_A_CONFERRED,
		    .field = "conference", .old = "fy,xfb", .new = "2",
		    .due = CASE_NOTIME, .dispatch = CASE_NOTIME },
		{ .at = 20, .recorded = 20, .action = CASE_A_TASKED,
		    .to = "fy", .field = "action", .old = "2", .new = "3",
		    .due = 100, .dispatch = CASE_NOTIME, .note = "a" },
		{ .at = 20, .recorded = 20, .action = CASE_A_TASKED,
		    .to = "xfb", .field = "action", .old = "2", .new = "4",
		    .due = 300, .dispatch = CASE_NOTIME, .note = "b" },
		{ .at = 150, .recorded = 150, .action = CASE_A_TASK_DONE,
		    .field = "action", .new = "3", .due = CASE_NOTIME,
		    .dispatch = CASE_NOTIME },
		{ .at = 160, .recorded = 160, .action = CASE_A_CLOSED,
		    .outcome = "mediated", .due = CASE_NOTIME,
		    .dispatch = CASE_NOTIME },
	};
	size_t n = sizeof e / sizeof e[0];
	struct case_hist h;
	struct case_life l;

	memset(&h, 0, sizeof h);
	case_life_init(&l, &h);
	case_life_fold(&l, e, n, 400, CASE_NOTIME);
	ok(l.conferred == 20 && h.ntask == 2 && h.task[0].done == 150 &&
	    h.task[1].done == CASE_NOTIME, "fold: the conference, two actions, "
	    "the first done");
	ok(!case_task_overdue(&h.task[0], 100), "an action is not overdue "
	    "at its deadline");
	ok(case_task_overdue(&h.task[0], 120), "but after it, not yet done");
	ok(!case_task_overdue(&h.task[0], 200), "and not once done");
	ok(case_task_overdue(&h.task[1], 400), "one never done is overdue, "
	    "the case closed or not");
	case_life_init(&l, &h);
	case_life_fold(&l, e, n, 140, CASE_NOTIME);
	ok(h.ntask == 2 && h.task[0].done == CASE_NOTIME &&
	    case_task_overdue(&h.task[0], 140), "as of 140, before it was "
	    "done: overdue");
	case_life_init(&l, &h);
	case_life_fold(&l, e, n, 15, CASE_NOTIME);
	ok(l.conferred == CASE_NOTIME && h.ntask == 0, "as of before the "
	    "conference: none");
	case_hist_free(&h);
}

int
main(void)
{
	/* Before anything asks the clock, which is read once. */
	setenv("CASE_NOW", "2024-05-09T09:00:00+08:00", 1);
	zone("Asia/Shanghai");
	case_init_prog(NULL);

	test_parse_time();
	test_parse_duration();
	test_fmt_time();
	test_period();
	test_strtonum();
	test_utf8();
	test_width();
	test_out();
	test_tasks();
	test_db();
	printf("1..%d\n", ntest);
	return nfail > 0 ? 1 : 0;
}
