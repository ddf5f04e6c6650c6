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
		/* 0 would mean no filter below, not an empty list. */
		if (f->due_within == 0)
			errx(CASE_EXIT_FATAL, _("--due-within: must be more "
			    "than 0 -- %s"), arg);
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

/*
 * --text WORDS: the words, split at blanks (the ideographic space
 * U+3000 too, which Chinese input methods type), ASCII letters lowered
 * as the searched text is (db.c); with each, the values the engines'
 * SQL for them binds (sql.c's q_text_...).  A usage error if there are
 * none, too many, or bytes that are not UTF-8.
 */
struct case_words *
case_words_parse(const char *arg)
{
	struct case_words *w = case_malloc(sizeof *w);
	const unsigned char *p = (const unsigned char *)arg;
	size_t n = strlen(arg), i = 0, len, start, chars;
	unsigned long c;
	char *q, *m;
	int k;

	memset(w, 0, sizeof *w);
	if (!case_utf8_valid(arg, n))
		errx(CASE_EXIT_FATAL, _("--text: not UTF-8 -- %s"),
		    case_esc(arg));
	for (;;) {
		while (i < n && ((len = case_utf8_seq(p + i, n - i, &c)),
		    c == ' ' || (c >= '\t' && c <= '\r') || c == 0x3000))
			i += len;
		if (i == n)
			break;
		if (w->n == CASE_WORDS_MAX)
			errx(CASE_EXIT_FATAL, _("--text: more than %d words"),
			    CASE_WORDS_MAX);
		for (start = i, chars = 0; i < n && ((len = case_utf8_seq(p +
		    i, n - i, &c)), !(c == ' ' || (c >= '\t' && c <= '\r') ||
		    c == 0x3000)); chars++)
			i += len;
		q = w->w[w->n] = case_malloc(i - start + 1);
		for (len = start; len < i; len++)
			*q++ = p[len] >= 'A' && p[len] <= 'Z' ? p[len] - 'A' +
			    'a' : p[len];
		*q = '\0';
		/* A trigram index finds a run of three characters or more. */
		w->islong[w->n] = chars >= 3;
		w->nlong += w->islong[w->n];
		w->n++;
	}
	if (w->n == 0)
		errx(CASE_EXIT_FATAL, _("--text: no words to search for"));
	/* FTS5: each a phrase in double quotes, a quote in it doubled. */
	m = w->match = case_malloc(n * 2 + 3 * CASE_WORDS_MAX + 1);
	for (k = 0; k < w->n; k++) {
		if (!w->islong[k])
			continue;
		if (m != w->match)
			*m++ = ' ';
		*m++ = '"';
		for (q = w->w[k]; *q != '\0'; q++)
			if ((*m++ = *q) == '"')
				*m++ = '"';
		*m++ = '"';
	}
	*m = '\0';
	/* LIKE: %, _ and the escape \\ taken as themselves. */
	for (k = 0; k < w->n; k++) {
		m = w->like[k] = case_malloc(strlen(w->w[k]) * 2 + 3);
		*m++ = '%';
		for (q = w->w[k]; *q != '\0'; q++) {
			if (*q == '%' || *q == '_' || *q == '\\')
				*m++ = '\\';
			*m++ = *q;
		}
		*m++ = '%';
		*m = '\0';
	}
	return w;
}

void
case_words_free(struct case_words *w)
{
	int k;

	if (w == NULL)
		return;
	for (k = 0; k < w->n; k++) {
		free(w->w[k]);
		free(w->like[k]);
	}
	free(w->match);
	free(w);
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
	if (f->words != NULL)
		f->words->pg = case_db_pg(db);
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

/* The parameters of sql.c's q_text_..., by their place (text_sql()). */
static void
words_bind(struct case_stmt *st, const struct case_words *w)
{
	static const char *const lw[CASE_WORDS_MAX] = { ":w0", ":w1", ":w2",
		":w3", ":w4", ":w5", ":w6", ":w7" };
	static const char *const sw[CASE_WORDS_MAX] = { ":s0", ":s1", ":s2",
		":s3", ":s4", ":s5", ":s6", ":s7" };
	int k, nl = 0, ns = 0;

	if (!w->pg && w->nlong > 0)
		case_bind_text(st, ":text", w->match);
	for (k = 0; k < w->n; k++)
		if (w->islong[k] && w->pg)
			case_bind_text(st, lw[nl++], w->like[k]);
		else if (!w->islong[k])
			case_bind_text(st, sw[ns++], w->w[k]);
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
	if (f->words != NULL)
		words_bind(st, f->words);
	if (f->reports_min > 0)
		case_bind_int(st, ":reports_min", f->reports_min);
}
