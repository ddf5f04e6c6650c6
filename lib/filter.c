/* filter.c - the case filters shared by case-list, case-stats, case-export */
#include <err.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/* The statuses of the lifecycle, in its order; casekit(7) describes them. */
static const char *statuses[] = { "reported", "assigned", "handled",
	"returned", "paused", "closed" };

int
case_status_known(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(s, statuses[i]) == 0)
			return (int)i;
	return -1;
}

void
case_filter_init(struct case_filter *f, enum case_status_filter status)
{
	memset(f, 0, sizeof *f);
	f->status = status;
	f->since = f->until = f->closed_since = f->closed_until = CASE_NOTIME;
	f->now = case_now();
}

/*
 * A lower bound is the instant named; an upper bound is exclusive, and
 * a bare day (2024-06-30, yesterday) takes in the whole of that day, so
 * that --since 2024-04-01 --until 2024-06-30 is the second quarter.
 */
static long long
bound(const char *opt, const char *arg, long long now, int upper)
{
	long long t;
	int dayonly;

	if (case_parse_time(arg, now, &t, &dayonly) == -1)
		errx(CASE_EXIT_FATAL, _("--%s: invalid time -- %s"), opt,
		    case_esc(arg));
	if (upper && dayonly)
		case_parse_time("tomorrow", t, &t, &dayonly);
	return t;
}

/* Handles one filter option; returns 0 if ch is not a filter option. */
int
case_filter_opt(struct case_filter *f, int ch, const char *arg)
{
	switch (ch) {
	case CASE_OPT_STATUS:
		f->status_set = 1;
		if (strcmp(arg, "open") == 0)
			f->status = CASE_ST_OPEN;
		else if (strcmp(arg, "closed") == 0)
			f->status = CASE_ST_CLOSED;
		else if (strcmp(arg, "all") == 0)
			f->status = CASE_ST_ALL;
		else if (case_status_known(arg) >= 0) {
			f->status = CASE_ST_ONE;
			f->one = arg;
		} else
			errx(CASE_EXIT_FATAL, _("--status: must be open, "
			    "closed, all or a status -- %s"), arg);
		break;
	case CASE_OPT_DUE_WITHIN:
		if (case_parse_duration(arg, &f->due_within) == -1)
			errx(CASE_EXIT_FATAL, _("--due-within: invalid "
			    "duration -- %s"), arg);
		break;
	case CASE_OPT_OVERDUE:
		f->overdue = 1;
		break;
	case CASE_OPT_UNIT:
		f->unit = arg;
		break;
	case CASE_OPT_GRID:
		f->grid = arg;
		break;
	case CASE_OPT_CATEGORY:
		f->category = arg;
		break;
	case CASE_OPT_SOURCE:
		f->source = arg;
		break;
	case CASE_OPT_SINCE:
		f->since = bound("since", arg, f->now, 0);
		break;
	case CASE_OPT_UNTIL:
		f->until = bound("until", arg, f->now, 1);
		break;
	case CASE_OPT_CLOSED_SINCE:
		f->closed_since = bound("closed-since", arg, f->now, 0);
		break;
	case CASE_OPT_CLOSED_UNTIL:
		f->closed_until = bound("closed-until", arg, f->now, 1);
		break;
	default:
		return 0;
	}
	return 1;
}

/* A misspelt code is a usage error, not an empty result. */
void
case_filter_check(struct case_db *db, const struct case_filter *f)
{
	if ((f->overdue || f->due_within > 0) && (f->status == CASE_ST_CLOSED ||
	    (f->status == CASE_ST_ONE && strcmp(f->one, "closed") == 0)))
		errx(CASE_EXIT_FATAL, _("--overdue and --due-within select "
		    "open cases: they do not go with --status closed"));
	/* An upper bound is exclusive: equal bounds hold no time. */
	if (f->since != CASE_NOTIME && f->until != CASE_NOTIME &&
	    f->since >= f->until)
		errx(CASE_EXIT_FATAL, _("--since: not before --until: the "
		    "period is empty"));
	if (f->closed_since != CASE_NOTIME && f->closed_until != CASE_NOTIME &&
	    f->closed_since >= f->closed_until)
		errx(CASE_EXIT_FATAL, _("--closed-since: not before "
		    "--closed-until: the period is empty"));
	case_check_code(db, CASE_KNOWN_UNIT, "unit", f->unit);
	case_check_code(db, CASE_KNOWN_UNIT, "grid", f->grid);
	case_check_code(db, CASE_KNOWN_CATEGORY, "category", f->category);
	case_check_code(db, CASE_KNOWN_SOURCE, "source", f->source);
}

/*
 * Does f select open cases only (so that the open-case index serves)?
 * One status other than closed is open work too: --status reported.
 */
int
case_filter_open(const struct case_filter *f)
{
	return f->overdue || f->due_within > 0 || (f->status == CASE_ST_ONE &&
	    strcmp(f->one, "closed") != 0) || (f->status == CASE_ST_OPEN &&
	    !(!f->status_set && (f->closed_since != CASE_NOTIME ||
	    f->closed_until != CASE_NOTIME)));
}

void
case_filter_bind(struct case_stmt *st, const struct case_filter *f)
{
	if (f->overdue || f->due_within > 0)
		case_bind_int(st, ":now", f->now);
	if (f->due_within > 0)
		case_bind_int(st, ":soon", f->now + f->due_within);
	if (f->status == CASE_ST_ONE)
		case_bind_text(st, ":status", f->one);
	if (f->unit != NULL)
		case_bind_text(st, ":unit", f->unit);
	if (f->grid != NULL)
		case_bind_text(st, ":grid", f->grid);
	if (f->category != NULL)
		case_bind_text(st, ":category", f->category);
	if (f->source != NULL)
		case_bind_text(st, ":source", f->source);
	if (f->since != CASE_NOTIME)
		case_bind_int(st, ":since", f->since);
	if (f->until != CASE_NOTIME)
		case_bind_int(st, ":until", f->until);
	if (f->closed_since != CASE_NOTIME)
		case_bind_int(st, ":closed_since", f->closed_since);
	if (f->closed_until != CASE_NOTIME)
		case_bind_int(st, ":closed_until", f->closed_until);
	if (f->box != NULL) {
		case_bind_text(st, ":lat_lo", f->box->text[0]);
		case_bind_text(st, ":lat_hi", f->box->text[1]);
	}
	if (f->box != NULL && f->box->lon) {
		case_bind_text(st, ":lon_lo", f->box->text[2]);
		case_bind_text(st, ":lon_hi", f->box->text[3]);
	}
	if (f->reports_min > 0)
		case_bind_int(st, ":reports_min", f->reports_min);
}
