/* deadline.c - deadlines in hours, calendar days or working days */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"

/*
 * The working-day calendar: weekends off, except the days the calendar
 * table lists (public holidays off, make-up working days 调休 on).  The
 * shipped mainland China calendar is compiled in, from data/, so that a
 * new database starts with it.
 */
static const char *shipped[][2] = {
#include "calendar.inc"
};

struct day {
	char	 date[11];
	char	 work;
};
static struct day *days;
static size_t ndays;
static int loaded, warned;

void
case_calendar_put(struct case_db *db, const char *day, const char *type)
{
	struct case_stmt *st = case_prepare(db, q_deadline_put_day);

	case_bind_text(st, ":day", day);
	case_bind_text(st, ":type", type);
	case_step(st);
	loaded = 0;
}

void
case_calendar_seed(struct case_db *db)
{
	size_t i;

	for (i = 0; i < sizeof shipped / sizeof shipped[0]; i++)
		case_calendar_put(db, shipped[i][0], shipped[i][1]);
}

/* The calendar is a few hundred rows of reference data: read it once. */
static void
load(struct case_db *db)
{
	struct case_stmt *st = case_prepare(db, q_deadline_days);

	free(days);
	days = NULL;
	ndays = 0;
	while (case_step(st) == CASE_ROW) {
		days = case_reallocarray(days, ndays + 1, sizeof *days);
		snprintf(days[ndays].date, sizeof days[ndays].date, "%s",
		    case_col_text(st, 0));
		days[ndays].work = strcmp(case_col_text(st, 1), "work") == 0;
		ndays++;
	}
	case_reset(st);
	loaded = 1;
}

static int
daycmp(const void *key, const void *d)
{
	return strcmp(key, ((const struct day *)d)->date);
}

/* Is the local day of tm a working day? */
static int
workday(const struct tm *tm)
{
	char date[16];
	struct day *d;
	int lastyear;

	strftime(date, sizeof date, "%Y-%m-%d", tm);
	if ((d = bsearch(date, days, ndays, sizeof *days, daycmp)) != NULL)
		return d->work;
	lastyear = ndays > 0 ? atoi(days[ndays - 1].date) : 0;
	if (tm->tm_year + 1900 > lastyear && !warned) {
		warnx(_("warning: %s is past the working-day calendar (last "
		    "year loaded: %d); counting weekends only: load the next "
		    "year with case-init --calendar"), date, lastyear);
		warned = 1;
	}
	return tm->tm_wday != 0 && tm->tm_wday != 6;
}

/* 23:59:59 local time on the day n days after t's (n calendar days). */
static long long
end_of_day(struct tm *tm, int n)
{
	tm->tm_mday += n;
	tm->tm_hour = 23, tm->tm_min = 59, tm->tm_sec = 59;
	tm->tm_isdst = -1;
	return (long long)mktime(tm);
}

/*
 * Parses a deadline: a duration (24h, 7d, ...; see case_parse_duration)
 * or Nwd, N working days.  Sets *wd for working days, *dayly for a count
 * of whole days; *n is the number of days or, otherwise, of seconds.
 */
int
case_deadline_parse(const char *spec, long long *n, int *wd, int *dayly)
{
	size_t len = strlen(spec);
	char num[24];
	const char *errstr;

	*wd = *dayly = 0;
	if (len > 2 && len < sizeof num && strcmp(spec + len - 2, "wd") == 0) {
		memcpy(num, spec, len - 2);
		num[len - 2] = '\0';
		*n = case_strtonum(num, 0, 3650, &errstr);
		*wd = *dayly = 1;
		return errstr == NULL ? 0 : -1;
	}
	if (case_parse_duration(spec, n) == -1)
		return -1;
	if (spec[len - 1] == 'd' || spec[len - 1] == 'w') {
		*dayly = 1;
		*n /= 86400;
	}
	return 0;
}

/*
 * The deadline spec counted from time from.  Hours and minutes run from
 * the instant; days end at 23:59:59 local time on the last day; working
 * days do not count the day the clock starts on (as offices read "within
 * 3 working days of receipt"), and end at the close of the last one.
 * CASE_NOTIME if spec is not a deadline.
 */
long long
case_deadline(struct case_db *db, const char *spec, long long from)
{
	long long n;
	int wd, dayly;
	time_t t = (time_t)from;
	struct tm tm;

	if (spec == NULL || case_deadline_parse(spec, &n, &wd, &dayly) == -1)
		return CASE_NOTIME;
	if (!dayly)
		return from + n;
	localtime_r(&t, &tm);
	if (!wd)
		return end_of_day(&tm, (int)n);
	if (!loaded)
		load(db);
	while (n > 0) {
		tm.tm_mday++;
		tm.tm_hour = 12;	/* safely inside the day */
		tm.tm_isdst = -1;
		t = mktime(&tm);
		localtime_r(&t, &tm);
		if (workday(&tm))
			n--;
	}
	return end_of_day(&tm, 0);
}
