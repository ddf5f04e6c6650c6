/* progress.c - a progress line on a terminal for work that takes a while */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "case.h"

/*
 * One line on standard error, redrawn in place at most a few times a
 * second, once the work has run for CASE_PROGRESS_DELAY seconds (2 unless
 * set): short runs show nothing.  Only when standard error is a terminal,
 * so that cron mail, logs and pipes never see it.  It is written to the
 * descriptor, not through stderr, whose escapes would show the carriage
 * return and whose record of what was said feeds the jobs' logs.
 */
static struct {
	const char *what;
	long long total, done;
	double start, last, delay;
	int on, shown;
} pg;

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
put(const char *s, size_t n)
{
	ssize_t w;

	while (n > 0 && (w = write(STDERR_FILENO, s, n)) > 0) {
		s += w;
		n -= (size_t)w;
	}
}

static void
draw(double now)
{
	char line[160];
	int n;

	if (pg.total > 0)
		n = snprintf(line, sizeof line, "\r%s: %lld/%lld (%lld%%) %.0f s",
		    pg.what, pg.done, pg.total, pg.done * 100 / pg.total,
		    now - pg.start);
	else
		n = snprintf(line, sizeof line, "\r%s: %lld %.0f s", pg.what,
		    pg.done, now - pg.start);
	if (n > 0)
		put(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	pg.last = now;
	pg.shown = 1;
}

/* WHAT is a short translated label, e.g. _("import"); TOTAL 0: unknown. */
void
case_progress_start(const char *what, long long total)
{
	const char *s = getenv("CASE_PROGRESS_DELAY");
	char *end;

	memset(&pg, 0, sizeof pg);
	pg.on = isatty(STDERR_FILENO);
	if (!pg.on)
		return;
	pg.what = what;
	pg.total = total;
	pg.delay = 2;
	if (s != NULL && *s != '\0') {
		pg.delay = strtod(s, &end);
		if (*end != '\0' || pg.delay < 0)
			pg.delay = 2;
	}
	pg.start = seconds();
}

void
case_progress(long long done)
{
	double now;

	if (!pg.on)
		return;
	pg.done = done;
	/* The clock is read once every 256 steps: a step may be a row. */
	if ((done & 0xff) != 0 && pg.shown)
		return;
	now = seconds();
	if (now - pg.start >= pg.delay && (!pg.shown || now - pg.last >= 0.25))
		draw(now);
}

/* DONE of TOTAL, for work whose size is known only once under way. */
void
case_progress_total(long long done, long long total)
{
	pg.total = total;
	case_progress(done);
}

/* A message is about to be written: it starts on a line of its own. */
void
case_progress_break(void)
{
	if (pg.on && pg.shown) {
		put("\n", 1);
		pg.shown = 0;
	}
}

/* The last count, then the line ended: messages after it start clean. */
void
case_progress_end(void)
{
	if (pg.on && pg.shown) {
		draw(seconds());
		put("\n", 1);
	}
	pg.on = 0;
}
