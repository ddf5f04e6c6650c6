/*
 * time.c - fuzz the time, duration and deadline parsers (lib/time.c,
 * lib/deadline.c): case_parse_time, case_parse_duration,
 * case_deadline_parse, and case_deadline over the shipped working-day
 * calendar, then the formatting of what they return.
 */
#include "fuzz.h"
#include "case.h"

static struct case_db *db;	/* a database in memory, for the calendar */
static const long long now = 1715216400;	/* 2024-05-09T09:00:00+08:00 */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	setenv("TZ", "CST-8", 1);
	tzset();
	db = case_db_open(":memory:", CASE_DB_CREATE);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), buf[64];
	long long t, d, due;
	int dayonly, wd, dayly, p;

	if (case_parse_time(s, now, &t, &dayonly) == 0) {
		/* Parsed times are from 1900 to 9999, give or take a zone. */
		if (t < -2208988800LL - 86400 || t > 253402300800LL + 86400)
			abort();
		case_fmt_time(t, buf, sizeof buf);
		if (strlen(buf) < 25 || strlen(buf) > 26)
			abort();	/* 2024-05-09T09:00:00+08:00 */
		for (p = 0; p < 5; p++)
			case_period(t, p, buf, sizeof buf);
	}
	if (case_parse_duration(s, &d) == 0 && (d < 0 || d > 100LL * 366 *
	    86400))
		abort();
	if (case_deadline_parse(s, &d, &wd, &dayly) == 0) {
		due = case_deadline(db, s, now);
		if (due == CASE_NOTIME || due < now)
			abort();	/* a deadline is never in the past */
	}
	case_period_parse(s);
	free(s);
	return 0;
}
