/* time.c - the clock, time and duration parsing, local-time formatting */
#include <ctype.h>
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"

/*
 * Times are stored as seconds since the epoch (UTC), which compare and
 * subtract without regard to zones, and shown in local time ($TZ) with
 * their offset so that a reader in any zone sees the same instant.
 */

/* The wall clock, whatever CASE_NOW says: when an event was recorded. */
long long
case_realnow(void)
{
	return (long long)time(NULL);
}

static long long effective = CASE_NOTIME;
static int absolute(const char *, long long *, int *);

/*
 * The effective time of what a program does: --at (case_now_set), else
 * CASE_NOW, else the clock.
 */
long long
case_now(void)
{
	const char *s;
	int dayonly;

	if (effective != CASE_NOTIME)
		return effective;
	/*
	 * CASE_NOW makes tests and replays independent of the clock: an
	 * absolute time, for a relative one would count from 1970.
	 */
	if ((s = getenv("CASE_NOW")) != NULL && *s != '\0') {
		if (absolute(s, &effective, &dayonly) == -1 ||
		    effective == CASE_NOTIME || !case_in_years(effective))
			errx(CASE_EXIT_FATAL,
			    _("CASE_NOW: invalid time -- %s"), case_esc(s));
	} else
		effective = (long long)time(NULL);
	return effective;
}

void
case_now_set(const char *opt, const char *arg)
{
	long long t;
	int dayonly;

	if (case_parse_time(arg, case_now(), &t, &dayonly) == -1)
		errx(CASE_EXIT_FATAL, _("%s: invalid time -- %s"), opt, arg);
	/*
	 * What already happened: an event dated ahead of now would set
	 * the cases' cached state (the lists of open work read it) to what
	 * is not yet so.
	 */
	if (t > case_now())
		errx(CASE_EXIT_FATAL, _("%s: %s is later than now: it enters "
		    "what already happened"), opt, arg);
	effective = t;
}

static long long
local_midnight(long long t, int days)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return CASE_NOTIME;	/* out of range: no such day */
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	return (long long)mktime(&tm);
}

/* Reads exactly n digits. */
static int
digits(const char **sp, int n, int *v)
{
	const char *s = *sp;
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	*sp = s + n;
	return 0;
}

/*
 * Z, +08:00, +0800 or +08, or +08:05:43 as case_fmt_time() writes the
 * offsets of local mean time; the offset east of UTC in seconds.
 */
static int
zone(const char *s, long *off)
{
	int sign, hh, mm = 0, ss = 0, colon;

	if (strcmp(s, "Z") == 0 || strcmp(s, "z") == 0) {
		*off = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (digits(&s, 2, &hh) == -1)
		return -1;
	if ((colon = *s == ':'))
		s++;
	if (*s != '\0' && digits(&s, 2, &mm) == -1)
		return -1;
	if (colon && *s == ':' && (s++, digits(&s, 2, &ss) == -1))
		return -1;
	if (*s != '\0' || hh > 23 || mm > 59 || ss > 59)
		return -1;
	*off = sign * (hh * 3600L + mm * 60L + ss);
	return 0;
}

/* Whether a and b name the same wall-clock time. */
static int
same_wall(const struct tm *a, const struct tm *b)
{
	return a->tm_year == b->tm_year && a->tm_mon == b->tm_mon &&
	    a->tm_mday == b->tm_mday && a->tm_hour == b->tm_hour &&
	    a->tm_min == b->tm_min && a->tm_sec == b->tm_sec;
}

/*
 * The instant of a local wall-clock time, strictly: a date that does not
 * exist (30 February) or a time that the zone skips (the hour lost when
 * summer time begins) is refused, -1; a time that the zone has twice
 * (the hour repeated when it ends) is the first of the two, the earlier
 * instant, as casekit(7) documents.
 */
int
case_local_time(const struct tm *in, long long *t)
{
	struct tm a = *in, b = *in, chk;
	time_t ta, tb;
	int oka, okb;

	a.tm_isdst = 0;
	b.tm_isdst = 1;
	ta = mktime(&a);
	tb = mktime(&b);
	oka = localtime_r(&ta, &chk) != NULL && same_wall(&chk, in);
	okb = localtime_r(&tb, &chk) != NULL && same_wall(&chk, in);
	if (!oka && !okb)
		return -1;
	*t = (long long)(oka && okb ? (ta < tb ? ta : tb) : oka ? ta : tb);
	return 0;
}

/*
 * The same for a time with its own offset east of UTC (an ISO 8601
 * zone, or %z of a --date-format): only the date is checked.
 */
int
case_zoned_time(const struct tm *in, long off, long long *t)
{
	struct tm chk = *in;
	time_t tt = timegm(&chk);

	if (!same_wall(&chk, in))
		return -1;
	*t = (long long)tt - off;
	return 0;
}

static int
absolute(const char *s, long long *t, int *dayonly)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	long off = 0;
	int haszone = 0;

	if (digits(&s, 4, &y) == -1 || *s++ != '-' || digits(&s, 2, &mo) == -1 ||
	    *s++ != '-' || digits(&s, 2, &d) == -1)
		return -1;
	*dayonly = *s == '\0';
	if (!*dayonly) {
		if (*s != 'T' && *s != 't' && *s != ' ')
			return -1;
		s++;
		if (digits(&s, 2, &h) == -1 || *s++ != ':' ||
		    digits(&s, 2, &mi) == -1)
			return -1;
		if (*s == ':' && (s++, digits(&s, 2, &sec) == -1))
			return -1;
		if (*s != '\0') {
			if (zone(s, &off) == -1)
				return -1;
			haszone = 1;
		}
	}
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 59)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
	tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = sec;
	/* 30 February is refused, not made 1 March. */
	return haszone ? case_zoned_time(&tm, off, t) : case_local_time(&tm, t);
}

/* Parses "7d", "24h", "90m" or "30s" into seconds. */
int
case_parse_duration(const char *s, long long *secs)
{
	const char *errstr;
	char num[24], unit;
	size_t n = strlen(s);
	long long v, mul;

	if (n < 2 || n > sizeof num)
		return -1;
	unit = s[n - 1];
	memcpy(num, s, n - 1);
	num[n - 1] = '\0';
	v = case_strtonum(num, 0, 100L * 366 * 24 * 3600, &errstr);
	if (errstr != NULL)
		return -1;
	switch (unit) {
	case 's': mul = 1; break;
	case 'm': mul = 60; break;
	case 'h': mul = 3600; break;
	case 'd': mul = 86400; break;
	case 'w': mul = 7 * 86400; break;
	default: return -1;
	}
	if (v > 100LL * 366 * 86400 / mul)
		return -1;
	*secs = v * mul;
	return 0;
}

/*
 * An --as-of moment (case-stats, case-pack): a time as case_parse_time()
 * reads it, a bare day meaning as things stood at the end of that day.
 */
int
case_parse_as_of(const char *s, long long now, long long *t)
{
	int dayonly;

	if (case_parse_time(s, now, t, &dayonly) == -1)
		return -1;
	if (dayonly)
		case_parse_time("tomorrow", *t, t, &dayonly), (*t)--;
	return 0;
}

/*
 * Accepts YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] with an optional zone,
 * today, yesterday, tomorrow, and -DURATION or +DURATION from now.
 * *dayonly tells the caller a whole day was named, so that an upper
 * bound can take in the whole of it.
 */
int
case_parse_time(const char *s, long long now, long long *t, int *dayonly)
{
	long long d;

	*dayonly = 1;
	if (strcmp(s, "today") == 0)
		*t = local_midnight(now, 0);
	else if (strcmp(s, "yesterday") == 0)
		*t = local_midnight(now, -1);
	else if (strcmp(s, "tomorrow") == 0)
		*t = local_midnight(now, 1);
	else if (s[0] == '-' || s[0] == '+') {
		*dayonly = 0;
		if (case_parse_duration(s + 1, &d) == -1)
			return -1;
		*t = s[0] == '-' ? now - d : now + d;
	} else if (absolute(s, t, dayonly) == -1)
		return -1;
	/* 1969-12-31T23:59:59Z is CASE_NOTIME, "no time": refuse it. */
	if (*t == CASE_NOTIME)
		return -1;
	return case_in_years(*t) ? 0 : -1;
}

/*
 * Whether t, in local time, is in the years a time is read in (1900 to
 * 9999): a zone's offset, a relative time or a deadline counted from
 * near the end could take it out, and the export would write what no
 * import reads back.  Only a time within two days of either end is
 * looked at closely.
 */
int
case_in_years(long long t)
{
	const long long first = -2208988800LL, last = 253402300799LL;
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > first + 2 * 86400 && t < last - 2 * 86400)
		return 1;
	return localtime_r(&tt, &tm) != NULL && tm.tm_year >= 0 &&
	    tm.tm_year <= 9999 - 1900;
}

/* v in w decimal digits, leading zeros kept, no NUL. */
static void
put_digits(char *p, int v, int w)
{
	while (w-- > 0) {
		p[w] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *
case_fmt_time(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	long off;
	size_t n;

	if (t == CASE_NOTIME || localtime_r(&tt, &tm) == NULL) {
		buf[0] = '\0';
		return buf;
	}
	/*
	 * Written digit by digit when the year has four (a list writes a
	 * time a row, and strftime() is most of its cost); the same bytes
	 * as strftime()'s.
	 */
	if (tm.tm_year >= 1000 - 1900 && tm.tm_year <= 9999 - 1900 &&
	    size >= 26) {
		put_digits(buf, tm.tm_year + 1900, 4);
		buf[4] = '-';
		put_digits(buf + 5, tm.tm_mon + 1, 2);
		buf[7] = '-';
		put_digits(buf + 8, tm.tm_mday, 2);
		buf[10] = 'T';
		put_digits(buf + 11, tm.tm_hour, 2);
		buf[13] = ':';
		put_digits(buf + 14, tm.tm_min, 2);
		buf[16] = ':';
		put_digits(buf + 17, tm.tm_sec, 2);
		n = 19;
	} else
		n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	/*
	 * An offset of whole minutes, as every zone has had since 1901;
	 * local mean time's before then (+08:05:43 in Asia/Shanghai) with
	 * its seconds, which would otherwise be lost on the way back in.
	 */
	off = labs(tm.tm_gmtoff);
	if (off % 60 == 0)
		snprintf(buf + n, size - n, "%c%02ld:%02ld",
		    tm.tm_gmtoff < 0 ? '-' : '+', off / 3600, off % 3600 / 60);
	else
		snprintf(buf + n, size - n, "%c%02ld:%02ld:%02ld",
		    tm.tm_gmtoff < 0 ? '-' : '+', off / 3600, off % 3600 / 60,
		    off % 60);
	return buf;
}

char *
case_fmt_hours(double h, char *buf, size_t size)
{
	snprintf(buf, size, "%.1f", h);
	return buf;
}

static const char *periods[] = { "day", "week", "month", "quarter", "year" };

int
case_period_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof periods / sizeof periods[0]; i++)
		if (strcmp(s, periods[i]) == 0)
			return (int)i;
	return -1;
}

/* The label of the local-time period holding t: 2024-W19, 2024-Q2, ... */
char *
case_period(long long t, int period, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	switch (period) {
	case 0:
		strftime(buf, size, "%Y-%m-%d", &tm);
		break;
	case 1:
		strftime(buf, size, "%G-W%V", &tm);
		break;
	case 2:
		strftime(buf, size, "%Y-%m", &tm);
		break;
	case 3:
		snprintf(buf, size, "%d-Q%d", tm.tm_year + 1900,
		    tm.tm_mon / 3 + 1);
		break;
	default:
		strftime(buf, size, "%Y", &tm);
		break;
	}
	return buf;
}

/* The local-time period holding t: [*start, *end). */
void
case_period_bounds(long long t, int period, long long *start, long long *end)
{
	time_t tt = (time_t)t;
	struct tm a, b;

	localtime_r(&tt, &a);
	a.tm_hour = a.tm_min = a.tm_sec = 0;
	a.tm_isdst = -1;
	switch (period) {
	case 0:
		break;
	case 1:		/* ISO weeks start on Monday */
		a.tm_mday -= (a.tm_wday + 6) % 7;
		break;
	case 2:
		a.tm_mday = 1;
		break;
	case 3:
		a.tm_mday = 1;
		a.tm_mon -= a.tm_mon % 3;
		break;
	default:
		a.tm_mday = 1;
		a.tm_mon = 0;
		break;
	}
	b = a;
	switch (period) {
	case 0: b.tm_mday += 1; break;
	case 1: b.tm_mday += 7; break;
	case 2: b.tm_mon += 1; break;
	case 3: b.tm_mon += 3; break;
	default: b.tm_year += 1; break;
	}
	*start = (long long)mktime(&a);
	*end = (long long)mktime(&b);
}
