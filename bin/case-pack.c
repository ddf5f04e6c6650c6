/* case-pack --quarter q | --month m | --year y | --since t --until t [-n] [-d file] [-o dir] [--as-of time] [--lang zh|en] [--weights file] - the review pack */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/*
 * Every number in the pack is a line case_stats() wrote, as JSON, read
 * back: the pack counts nothing itself, so that it cannot disagree with
 * case-stats.  The unit score alone is computed here, from those rates.
 */

/* The figures of the summary, in case-stats' order, the actions last. */
static const char allfigs[] = "received,registered,due,closed,closure_rate,"
    "on_time_rate,success_rate,mediation_rate,rework_rate,extension_rate,"
    "satisfaction_rate,open,overdue,closed_late,lapses,dispatch_h_median,"
    "dispatch_h_p90,close_h_median,close_h_p90,escalated,supervised,"
    "returned,reworks,ack_on_time_rate,same_day_rate";
/* Those of a breakdown: a page's width of them. */
static const char byfigs[] = "received,closed,closure_rate,on_time_rate,"
    "rework_rate,satisfaction_rate,overdue,escalated,supervised,returned";
static const char *bykeys[] = { "street", "community", "grid", "category",
	"source", "unit" };
#define NBY ((int)(sizeof bykeys / sizeof bykeys[0]))

/* The score's components: the rate each reads, and whether less is better. */
static const struct comp {
	const char *name, *figure;
	int	 inverse;
} comps[] = {
	{ N_("on_time"), "on_time_rate", 0 },
	{ N_("sign_for"), "ack_on_time_rate", 0 },
	{ N_("rework"), "rework_rate", 1 },
	{ N_("satisfaction"), "satisfaction_rate", 0 },
};
#define NCOMP ((int)(sizeof comps / sizeof comps[0]))

/* One line of case_stats()'s JSON: keys, values (NULL: null). */
struct row {
	int	 n;
	char	*k[128], *v[128];
};

/* A table of the pack: a sheet of the workbook, a table of the page. */
struct tab {
	const char *id;		/* the page's anchor */
	const char *name;	/* the sheet's name */
	const char *title;
	int	 ncol;
	const char *head[32];
	const char *key[32];	/* data keys, for data-key on the page */
	char	 type[33];	/* 'i' a number, 's' text */
	char	**cell;
	size_t	 nrow;
	const char *note;
};

static struct tab tabs[16];
static int ntab;
static struct case_db *db;
static struct case_filter f;
static long long asof;
static double weight[NCOMP] = { 30, 20, 20, 30 };

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-pack [-hn] [-d file] [-o dir] [--as-of time] "
	    "[--lang zh|en]\n"
	    "                 [--weights file] --quarter yyyyQn | --month "
	    "yyyy-mm |\n"
	    "                 --year yyyy | --since time --until time\n"));
	case_usage_exit(status);
}

/* A JSON string at *p, its escapes undone, into a new string. */
static char *
jstring(const char **p)
{
	const char *s = *p + 1;
	char *out = case_malloc(strlen(s) + 1), *o = out;
	unsigned long c;

	for (; *s != '"' && *s != '\0'; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		switch (*++s) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'u':
			c = strtoul((char []){ s[1], s[2], s[3], s[4], 0 },
			    NULL, 16);
			s += 4;
			/* Only controls are escaped so (case_json_string()). */
			*o++ = (char)c;
			break;
		default: *o++ = *s;
		}
	}
	*o = '\0';
	*p = *s == '"' ? s + 1 : s;
	return out;
}

/* A flat JSON object, one line of case_stats(). */
static void
jrow(const char *s, struct row *r)
{
	size_t len;

	r->n = 0;
	while (*s != '\0' && *s != '}' && r->n < 128) {
		while (*s == '{' || *s == ',' || *s == ' ')
			s++;
		if (*s != '"')
			break;
		r->k[r->n] = jstring(&s);
		s++;	/* the colon */
		if (*s == '"')
			r->v[r->n] = jstring(&s);
		else {
			len = strcspn(s, ",}");
			r->v[r->n] = strncmp(s, "null", 4) == 0 ? NULL :
			    strndup(s, len);
			s += len;
		}
		r->n++;
	}
}

static const char *
rget(const struct row *r, const char *k)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->k[i], k) == 0)
			return r->v[i];
	return NULL;
}

static void
rfree(struct row *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		free(r->k[i]), free(r->v[i]);
	r->n = 0;
}

/*
 * case_stats() run with the period's filter (all time if whole is set),
 * its output as lines; rows are the JSON lines, parsed.
 */
static char *
stats(const struct case_stats_opts *o0, int whole, size_t *len)
{
	struct case_stats_opts o = *o0;
	struct case_filter g = f;
	char *buf = NULL;
	FILE *fp;

	o.as_of = asof;
	if (whole)
		g.since = g.until = CASE_NOTIME;
	if ((fp = open_memstream(&buf, len)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	case_stats(db, &g, &o, fp);
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	return buf;
}

static struct row *
jrows(const char *by, const char *figs, int compare, size_t *n)
{
	struct case_stats_opts o = { by, CASE_FMT_JSON, CASE_NOTIME, 0, 0,
	    compare, NULL, figs };
	size_t len, cap = 0;
	char *buf = stats(&o, 0, &len), *line, *save = NULL;
	struct row *r = NULL;

	*n = 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*n == cap)
			r = case_reallocarray(r, cap = cap * 2 + 8, sizeof *r);
		jrow(line, &r[(*n)++]);
	}
	free(buf);
	return r;
}

/* The next table of the pack, its anchor, sheet name and title given. */
static struct tab *
tab_new(const char *id, const char *name, const char *title)
{
	struct tab *t = &tabs[ntab++];

	t->id = id;
	t->name = name;
	t->title = title;
	return t;
}

static void
tab_col(struct tab *t, const char *key, const char *head, char type)
{
	t->key[t->ncol] = key;
	t->head[t->ncol] = head;
	t->type[t->ncol++] = type;
	t->type[t->ncol] = '\0';
}

static char **
tab_row(struct tab *t)
{
	t->cell = case_reallocarray(t->cell, (t->nrow + 1) * t->ncol,
	    sizeof *t->cell);
	memset(t->cell + t->nrow * t->ncol, 0, t->ncol * sizeof *t->cell);
	return t->cell + t->nrow++ * t->ncol;
}

static char *
dup0(const char *s)
{
	return s != NULL ? case_strdup(s) : NULL;
}

/*
 * A heading: the figure's or key's as case-stats' table has it, a new
 * string (the key it is made from is freed with its row).
 */
static const char *
heading(const char *key)
{
	size_t n = strlen(key);
	char fig[128], *s;

	if (n > 4 && (strcmp(key + n - 4, "_num") == 0 ||
	    strcmp(key + n - 4, "_den") == 0)) {
		snprintf(fig, sizeof fig, "%.*s", (int)(n - 4), key);
		if (asprintf(&s, "%s %s", _(fig), strcmp(key + n - 4, "_num")
		    == 0 ? _("numerator") : _("denominator")) == -1)
			err(CASE_EXIT_FATAL, "asprintf");
		return s;
	}
	return case_strdup(_(key));
}

/* The summary: each figure, its parts, and the change on both periods. */
static void
summary(struct tab *t)
{
	struct row *prev, *year;
	size_t np, ny;
	char num[160], den[160], chg[160], *fig, *list, *save = NULL;
	char **c;

	prev = jrows(NULL, allfigs, 1, &np);
	year = jrows(NULL, allfigs, 2, &ny);
	if (np != 2 || ny != 2)
		errx(CASE_EXIT_FATAL, _("the figures came back in an "
		    "unexpected shape"));
	tab_col(t, "figure", _("figure"), 's');
	tab_col(t, "name", _("name"), 's');
	tab_col(t, "num", _("numerator"), 'i');
	tab_col(t, "den", _("denominator"), 'i');
	tab_col(t, "value", _("value"), 'i');
	tab_col(t, "previous", _("previous period"), 'i');
	tab_col(t, "mom", _("change on the previous period"), 'i');
	tab_col(t, "year_before", _("a year before"), 'i');
	tab_col(t, "yoy", _("change on a year before"), 'i');
	list = case_strdup(allfigs);
	for (fig = strtok_r(list, ",", &save); fig != NULL;
	    fig = strtok_r(NULL, ",", &save)) {
		snprintf(num, sizeof num, "%s_num", fig);
		snprintf(den, sizeof den, "%s_den", fig);
		snprintf(chg, sizeof chg, "%s_change", fig);
		c = tab_row(t);
		c[0] = case_strdup(fig);
		c[1] = case_strdup(_(fig));
		c[2] = dup0(rget(&prev[0], num));
		c[3] = dup0(rget(&prev[0], den));
		c[4] = dup0(rget(&prev[0], fig));
		c[5] = dup0(rget(&prev[1], fig));
		c[6] = dup0(rget(&prev[0], chg));
		c[7] = dup0(rget(&year[1], fig));
		c[8] = dup0(rget(&year[0], chg));
	}
	free(list);
	rfree(&prev[0]), rfree(&prev[1]), rfree(&year[0]), rfree(&year[1]);
	free(prev);
	free(year);
	t->note = _("Rates are percentages, their changes percentage points; "
	    "the changes of counts are percentages.  The previous period is "
	    "as long as this one and ends where it begins.");
}

/* A name column holds "unspecified" as data; the pack is read. */
static char *
label(const char *key, const char *v)
{
	size_t n = strlen(key);

	if (v != NULL && n > 5 && strcmp(key + n - 5, "_name") == 0 &&
	    strcmp(v, "unspecified") == 0)
		return case_strdup(_("unspecified"));
	if (v != NULL && strcmp(v, "total") == 0)
		return case_strdup(_("total"));
	return dup0(v);
}

/* Units' names, for the unit breakdown and the ranking. */
static struct case_codes ucode, uname;

static const char *
unit_name(const char *code)
{
	size_t i;

	for (i = 0; i < ucode.n; i++)
		if (strcmp(ucode.v[i], code) == 0)
			return uname.v[i];
	return NULL;
}

static void
load_units(void)
{
	struct case_stmt *st = case_prepare(db, q_stats_names);

	while (case_step(st) == CASE_ROW) {
		ucode.v = case_reallocarray(ucode.v, ucode.n + 1,
		    sizeof *ucode.v);
		uname.v = case_reallocarray(uname.v, uname.n + 1,
		    sizeof *uname.v);
		ucode.v[ucode.n++] = case_strdup(case_col_text(st, 0));
		uname.v[uname.n++] = case_strdup(case_col_text(st, 1));
	}
	case_reset(st);
}

/* A breakdown by one key: case-stats --by KEY, every column as it is. */
static void
breakdown(struct tab *t, const char *key)
{
	struct row *r;
	size_t n, i;
	int j, unit = strcmp(key, "unit") == 0;
	char **c;

	/* A tree without communities (or streets) has no such table. */
	if ((strcmp(key, "street") == 0 || strcmp(key, "community") == 0) &&
	    !case_level_used(db, key))
		r = NULL, n = 0;
	else
		r = jrows(key, byfigs, 0, &n);
	for (j = 0; n > 0 && j < r[0].n && t->ncol < 30; j++) {
		tab_col(t, case_strdup(r[0].k[j]), heading(r[0].k[j]),
		    j == 0 || strcmp(r[0].k[j] + strlen(r[0].k[j]) -
		    (strlen(r[0].k[j]) > 4 ? 5 : 0), "_name") == 0 ? 's' : 'i');
		/* A unit's name beside its code, as the places have. */
		if (j == 0 && unit)
			tab_col(t, "unit_name", _("unit_name"), 's');
	}
	for (i = 0; i < n; i++) {
		c = tab_row(t);
		for (j = 0; j < r[i].n && j < 30; j++)
			c[j + (unit && j > 0)] = label(r[i].k[j], r[i].v[j]);
		if (unit)
			c[1] = dup0(r[i].v[0] == NULL ? NULL :
			    *r[i].v[0] == '\0' ? _("unspecified") :
			    unit_name(r[i].v[0]));
		rfree(&r[i]);
	}
	free(r);
}

/* The weights file: component,weight lines under a header. */
static void
weights(const char *path)
{
	struct case_csv *c = case_csv_open(path, NULL);
	char **v;
	int n, k, rc;
	long line;
	const char *why;
	char *end;
	double w;

	while ((rc = case_csv_next(c, &v, &n, &line)) == 1) {
		if (line == 1 && n > 0 && strcmp(v[0], "component") == 0)
			continue;
		if (n != 2)
			errx(CASE_EXIT_FATAL, _("%s: line %ld: want component,"
			    "weight"), path, line);
		for (k = 0; k < NCOMP && strcmp(v[0], comps[k].name) != 0;
		    k++)
			;
		if (k == NCOMP)
			errx(CASE_EXIT_FATAL, _("%s: line %ld: unknown "
			    "component -- %s (one of on_time, sign_for, "
			    "rework, satisfaction)"), path, line, case_esc(v[0]));
		errno = 0;
		w = strtod(v[1], &end);
		/* NaN passes any comparison: it would scramble the ranks. */
		if (errno != 0 || end == v[1] || *end != '\0' ||
		    !isfinite(w) || w < 0 || w > 1000)
			errx(CASE_EXIT_FATAL, _("%s: line %ld: invalid weight "
			    "-- %s"), path, line, case_esc(v[1]));
		weight[k] = w;
	}
	/* The parser's message names the file and the line. */
	if (rc == -1) {
		why = case_csv_error(c);
		errx(CASE_EXIT_FATAL, "%s", why);
	}
	case_csv_close(c);
}

struct scored {
	char	*unit;
	double	 score;	/* -1: no component to score on */
	char	*rate[NCOMP];
};

static int
bysc(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->unit, y->unit);
}

/*
 * The ranking (case-pack(1)): the weighted mean of the components'
 * rates over those with a weight and a denominator above 0, rework as
 * 100 less its rate; a unit with none is listed last, unscored.
 */
static void
ranking(struct tab *t)
{
	struct row *r;
	struct scored *s;
	size_t n, i, ns = 0;
	int k;
	double sum, wsum;
	char key[160], buf[64], **c;
	const char *den, *v;

	r = jrows("unit", "on_time_rate,ack_on_time_rate,rework_rate,"
	    "satisfaction_rate", 0, &n);
	s = case_reallocarray(NULL, n + 1, sizeof *s);
	for (i = 0; i < n; i++) {
		v = rget(&r[i], "unit");
		if (v == NULL || *v == '\0' || strcmp(v, "total") == 0) {
			rfree(&r[i]);
			continue;
		}
		memset(&s[ns], 0, sizeof s[ns]);
		s[ns].unit = case_strdup(v);
		sum = wsum = 0;
		for (k = 0; k < NCOMP; k++) {
			if (comps[k].figure == NULL)
				continue;
			snprintf(key, sizeof key, "%s_den", comps[k].figure);
			den = rget(&r[i], key);
			v = rget(&r[i], comps[k].figure);
			s[ns].rate[k] = dup0(v);
			if (weight[k] <= 0 || den == NULL || atoll(den) <= 0 ||
			    v == NULL)
				continue;
			sum += weight[k] * (comps[k].inverse ? 100 -
			    strtod(v, NULL) : strtod(v, NULL));
			wsum += weight[k];
		}
		s[ns++].score = wsum > 0 ? sum / wsum : -1;
		rfree(&r[i]);
	}
	free(r);
	qsort(s, ns, sizeof *s, bysc);
	tab_col(t, "rank", _("rank"), 'i');
	tab_col(t, "unit", _("unit"), 's');
	tab_col(t, "unit_name", _("unit_name"), 's');
	tab_col(t, "on_time_rate", _("on_time_rate"), 'i');
	tab_col(t, "ack_on_time_rate", _("ack_on_time_rate"), 'i');
	tab_col(t, "rework_rate", _("rework_rate"), 'i');
	tab_col(t, "satisfaction_rate", _("satisfaction_rate"), 'i');
	tab_col(t, "score", _("score"), 'i');
	for (i = 0; i < ns; i++) {
		c = tab_row(t);
		snprintf(buf, sizeof buf, "%zu", i + 1);
		c[0] = case_strdup(buf);
		c[1] = s[i].unit;
		c[2] = dup0(unit_name(s[i].unit));
		c[3] = s[i].rate[0];
		c[4] = s[i].rate[1];
		c[5] = s[i].rate[2];
		c[6] = s[i].rate[3];
		if (s[i].score >= 0) {
			snprintf(buf, sizeof buf, "%.1f", s[i].score);
			c[7] = case_strdup(buf);
		}
	}
	free(s);
	t->note = _("Score: the weighted mean of on-time closure, on-time "
	    "signing for, 100 less the rework rate, and satisfaction, over the "
	    "components with a weight and a denominator above 0.  Weights: "
	    "the about sheet.");
}

/* A time of a case for a cell; NULL (an empty cell) if it has none. */
static char *
when(long long t)
{
	char buf[64];

	return t != CASE_NOTIME ? case_strdup(case_fmt_time(t, buf,
	    sizeof buf)) : NULL;
}

/*
 * The cases behind counts: case-stats --ids, for the period or all
 * time; each with what it was at the as-of moment, as the figures fold
 * it (case_as_of()), so that a pack made again --as-of the same moment
 * says the same after the case is edited or reassigned.
 */
static void
idlist(struct tab *t, const char *const *counts, int n, int whole)
{
	struct case_stats_opts o = { NULL, CASE_FMT_TSV, CASE_NOTIME, 0, 0, 0,
	    NULL, NULL };
	struct case_life l;
	long long id, at = asof != CASE_NOTIME ? asof : f.now;
	size_t len;
	char *buf, *line, *save, *title, **c;
	const char *bad;
	int i;

	tab_col(t, "figure", _("figure"), 's');
	tab_col(t, "id", _("id"), 'i');
	tab_col(t, "title", _("title"), 's');
	tab_col(t, "category", _("category"), 's');
	tab_col(t, "unit", _("unit"), 's');
	tab_col(t, "unit_name", _("unit_name"), 's');
	tab_col(t, "reported", _("reported at"), 's');
	tab_col(t, "due", _("due at"), 's');
	for (i = 0; i < n; i++) {
		o.ids = counts[i];
		buf = stats(&o, whole, &len);
		save = NULL;
		for (line = strtok_r(buf, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			c = tab_row(t);
			c[0] = case_strdup(_(counts[i]));
			c[1] = case_strdup(line);
			id = case_strtonum(line, 1, CASE_ID_MAX, &bad);
			if (bad != NULL || case_as_of(db, id, at, asof, &l,
			    &title) == -1)
				continue;
			c[2] = title;
			c[3] = l.category[0] != '\0' ?
			    case_strdup(l.category) : NULL;
			c[4] = l.unit[0] != '\0' ? case_strdup(l.unit) : NULL;
			c[5] = l.unit[0] != '\0' ? dup0(unit_name(l.unit)) :
			    NULL;
			c[6] = when(l.reported);
			c[7] = when(l.due);
		}
		free(buf);
	}
}

/* Lines of case-stats --check or --explain, split into columns. */
static void
lines(struct tab *t, int explain)
{
	struct case_stats_opts o = { NULL, CASE_FMT_TSV, CASE_NOTIME, explain,
	    !explain, 0, NULL, explain ? allfigs : NULL };
	size_t len;
	char *buf, *line, *save = NULL, *p, **c;
	int i, body = !explain;

	buf = stats(&o, 0, &len);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		/* --explain: the figures, a blank line, the definitions. */
		if (!body) {
			body = strchr(line, '\t') == NULL;
			if (!body)
				continue;
		}
		c = tab_row(t);
		if (explain) {
			p = strstr(line, "  ");
			c[0] = p != NULL ? strndup(line, p - line) :
			    case_strdup(line);
			c[1] = case_strdup(p != NULL ? p + strspn(p, " ") : "");
		} else
			for (p = line, i = 0; p != NULL && i < 3; i++) {
				size_t k = strcspn(p, "\t");

				c[i] = strndup(p, k);
				p = p[k] == '\t' ? p + k + 1 : NULL;
			}
	}
	free(buf);
}

/* The page's own words, in the pack's language (collect()). */
static const char *w_title, *w_unspec, *w_score, *w_received;

/* Everything the pack holds, computed once for both files. */
static void
collect(const char *dbname, const char *period, const char *wpath)
{
	static const char *const acts[] = { "escalated", "supervised",
		"returned" };
	static const char *const over[] = { "overdue" };
	struct tab *t;
	char buf[64], **c;
	int i;

	w_title = _("Review pack");
	w_unspec = _("unspecified");
	w_score = _("score");
	w_received = _("received");
	load_units();
	summary(tab_new("summary", _("summary"), _("Summary")));
	ranking(tab_new("ranking", _("ranking"), _("Unit ranking")));
	for (i = 0; i < NBY; i++)
		breakdown(tab_new(bykeys[i], _(bykeys[i]), _(bykeys[i])),
		    bykeys[i]);
	t = tab_new("overdue", _("overdue"),
	    _("Overdue cases at the as-of moment"));
	idlist(t, over, 1, 1);
	t = tab_new("actions", _("escalated"),
	    _("Escalated, supervised and returned cases"));
	idlist(t, acts, 3, 0);
	t = tab_new("check", _("check"), _("Findings of case-stats --check"));
	tab_col(t, "group", _("group"), 's');
	tab_col(t, "check", _("check"), 's');
	tab_col(t, "finding", _("finding"), 's');
	lines(t, 0);
	t = tab_new("definitions", _("definitions"), _("Definitions"));
	tab_col(t, "name", _("name"), 's');
	tab_col(t, "definition", _("definition"), 's');
	lines(t, 1);
	t = tab_new("about", _("about"), _("About this pack"));
	tab_col(t, "item", _("item"), 's');
	tab_col(t, "value", _("value"), 's');
	c = tab_row(t);
	c[0] = case_strdup(_("period")), c[1] = case_strdup(period);
	c = tab_row(t);
	c[0] = case_strdup(_("as of"));
	c[1] = case_strdup(case_fmt_time(asof != CASE_NOTIME ? asof : f.now,
	    buf, sizeof buf));
	c = tab_row(t);
	c[0] = case_strdup(_("database")), c[1] = case_strdup(dbname);
	c = tab_row(t);
	c[0] = case_strdup(_("weights")), c[1] = case_strdup(wpath);
	for (i = 0; i < NCOMP; i++) {
		c = tab_row(t);
		snprintf(buf, sizeof buf, "%g", weight[i]);
		c[0] = case_strdup(_(comps[i].name));
		c[1] = case_strdup(buf);
	}
	c = tab_row(t);
	c[0] = case_strdup(_("version")), c[1] = case_strdup("casekit "
	    CASE_VERSION);
}

static void
write_xlsx(struct case_file *cf, const char *path)
{
	struct case_xlsx *x = case_xlsx_open(case_file_name(cf), path);
	struct case_out *o;
	char type[33];
	size_t r;
	int i, j;

	case_xlsx_created(x, asof != CASE_NOTIME ? asof : f.now);
	for (i = 0; i < ntab; i++) {
		for (j = 0; j < tabs[i].ncol; j++)
			type[j] = tabs[i].type[j] == 'i' ? 'i' : 's';
		type[j] = '\0';
		o = case_out_sheet(x, tabs[i].name, tabs[i].ncol,
		    tabs[i].head, type);
		for (r = 0; r < tabs[i].nrow; r++)
			case_out_row(o, (const char *const *)tabs[i].cell +
			    r * tabs[i].ncol);
		case_out_close(o);
	}
	case_xlsx_close(x);
}

static void
html_text(FILE *fp, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: putc(*s, fp);
		}
}

/*
 * A bar chart of one column of a table, a bar a row but the total's,
 * each bar carrying its label and value as the report's do; the bar is
 * shown by the name beside the label's code, where the table has one.
 */
static void
html_bars(FILE *fp, const struct tab *t, int lab, int col, double max,
    int total, const char *title)
{
	size_t r, n = 0, rows = t->nrow - (total && t->nrow > 0);
	double w;
	const char *s, *l, *shownl;
	size_t kl;
	int nm = lab;

	if (lab + 1 < t->ncol && (kl = strlen(t->key[lab + 1])) > 5 &&
	    strcmp(t->key[lab + 1] + kl - 5, "_name") == 0)
		nm = lab + 1;

	for (r = 0; r < rows; r++)
		n += t->cell[r * t->ncol + col] != NULL;
	fprintf(fp, "<figure><figcaption>");
	html_text(fp, title);
	fprintf(fp, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"640\" height=\"%zu\" role=\"img\">\n", n * 20 + 10);
	for (r = 0, n = 0; r < rows; r++) {
		if ((s = t->cell[r * t->ncol + col]) == NULL)
			continue;
		l = t->cell[r * t->ncol + lab];
		w = max > 0 ? strtod(s, NULL) / max * 400 : 0;
		fprintf(fp, "<g data-label=\"");
		html_text(fp, l);
		fprintf(fp, "\" data-value=\"%s\"><text x=\"0\" y=\"%zu\" "
		    "font-size=\"12\">", s, n * 20 + 20);
		shownl = t->cell[r * t->ncol + nm];
		html_text(fp, shownl != NULL && *shownl != '\0' ? shownl :
		    w_unspec);
		fprintf(fp, "</text><rect x=\"180\" y=\"%zu\" "
		    "width=\"%.1f\" height=\"14\" fill=\"#3a6ea5\"/>"
		    "<text x=\"%.1f\" y=\"%zu\" font-size=\"12\">%s</text>"
		    "</g>\n", n * 20 + 8, w, 186 + w, n * 20 + 20, s);
		n++;
	}
	fprintf(fp, "</svg></figure>\n");
}

static double
colmax(const struct tab *t, int col)
{
	double m = 0, v;
	size_t r;

	for (r = 0; r + 1 < t->nrow; r++)
		if (t->cell[r * t->ncol + col] != NULL &&
		    (v = strtod(t->cell[r * t->ncol + col], NULL)) > m)
			m = v;
	return m;
}

static int
colof(const struct tab *t, const char *key)
{
	int j;

	for (j = 0; j < t->ncol; j++)
		if (strcmp(t->key[j], key) == 0)
			return j;
	return 0;
}

/*
 * A column the page shows: a breakdown's numerators and denominators
 * stay in the workbook, so that its table fits the width of A4.
 */
static int
shown(const struct tab *t, int j)
{
	size_t n = strlen(t->key[j]);

	return strcmp(t->id, "summary") == 0 || n < 5 ||
	    (strcmp(t->key[j] + n - 4, "_num") != 0 &&
	    strcmp(t->key[j] + n - 4, "_den") != 0);
}

static void
write_html(FILE *fp, const char *period, const char *lang)
{
	const struct tab *t;
	size_t r;
	int i, j;
	const char *v;

	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>", lang);
	html_text(fp, w_title);
	fprintf(fp, " %s</title>\n<style>\n"
	    "@page { size: A4; margin: 15mm 12mm; }\n"
	    "body { font-family: sans-serif; font-size: 10pt; }\n"
	    "table { border-collapse: collapse; margin: 0.5em 0; }\n"
	    "th, td { border: 1px solid #999; padding: 2px 4px; }\n"
	    "td.n { text-align: right; }\n"
	    "tr { break-inside: avoid; }\n"
	    "thead { display: table-header-group; }\n"
	    "h2 { break-after: avoid; }\n"
	    "section { break-before: page; }\n"
	    "section.first { break-before: auto; }\n"
	    "figure { break-inside: avoid; margin: 0.5em 0; }\n"
	    "*.note { font-size: 9pt; color: #333; }\n"
	    "</style>\n</head>\n<body>\n<h1>", period);
	html_text(fp, w_title);
	fprintf(fp, " %s</h1>\n", period);
	for (i = 0; i < ntab; i++) {
		t = &tabs[i];
		fprintf(fp, "<section id=\"%s\"%s>\n<h2>", t->id,
		    i == 0 ? " class=\"first\"" : "");
		html_text(fp, t->title);
		fprintf(fp, "</h2>\n");
		/* The ranking's scores; the received by street and by unit. */
		if (strcmp(t->id, "ranking") == 0)
			html_bars(fp, t, 2, colof(t, "score"), 100, 0,
			    w_score);
		if (strcmp(t->id, "street") == 0 || strcmp(t->id, "unit") == 0)
			html_bars(fp, t, 0, colof(t, "received"),
			    colmax(t, colof(t, "received")), 1, w_received);
		fprintf(fp, "<table>\n<thead><tr>");
		for (j = 0; j < t->ncol; j++) {
			if (!shown(t, j))
				continue;
			fprintf(fp, "<th>");
			html_text(fp, t->head[j]);
			fprintf(fp, "</th>");
		}
		fprintf(fp, "</tr></thead>\n<tbody>\n");
		for (r = 0; r < t->nrow; r++) {
			fprintf(fp, "<tr>");
			for (j = 0; j < t->ncol; j++) {
				if (!shown(t, j))
					continue;
				v = t->cell[r * t->ncol + j];
				if (t->type[j] != 'i' || v == NULL) {
					fprintf(fp, "<td>");
					html_text(fp, v);
				} else {
					fprintf(fp, "<td class=\"n\" "
					    "data-key=\"%s\" data-value=\"%s\">"
					    "%s", t->key[j], v, v);
				}
				fprintf(fp, "</td>");
			}
			fprintf(fp, "</tr>\n");
		}
		fprintf(fp, "</tbody>\n</table>\n");
		if (t->note != NULL) {
			fprintf(fp, "<p class=\"note\">");
			html_text(fp, t->note);
			fprintf(fp, "</p>\n");
		}
		fprintf(fp, "</section>\n");
	}
	fprintf(fp, "</body>\n</html>\n");
}

/*
 * The period named by --quarter, --month or --year, as --since and
 * --until take it; name is the period's part of the files' names.
 */
static void
period(int kind, const char *arg, char *since, char *until, char *name)
{
	static const char *ends[] = { "03-31", "06-30", "09-30", "12-31" };
	int y, m, q, n;
	char c;

	if (kind == 'Q' && sscanf(arg, "%4d%c%d%n", &y, &c, &q, &n) == 3 &&
	    (c == 'Q' || c == 'q') && q >= 1 && q <= 4 && arg[n] == '\0' &&
	    y >= 1970) {
		sprintf(since, "%04d-%02d-01", y, 3 * q - 2);
		sprintf(until, "%04d-%s", y, ends[q - 1]);
		sprintf(name, "%04dQ%d", y, q);
	} else if (kind == 'M' && sscanf(arg, "%4d-%2d%n", &y, &m, &n) == 2 &&
	    m >= 1 && m <= 12 && arg[n] == '\0' && y >= 1970) {
		static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31,
			30, 31, 30, 31 };
		int d = days[m - 1] + (m == 2 && y % 4 == 0 &&
		    (y % 100 != 0 || y % 400 == 0));

		sprintf(since, "%04d-%02d-01", y, m);
		sprintf(until, "%04d-%02d-%02d", y, m, d);
		sprintf(name, "%04d-%02d", y, m);
	} else if (kind == 'Y' && sscanf(arg, "%4d%n", &y, &n) == 1 &&
	    arg[n] == '\0' && y >= 1970) {
		sprintf(since, "%04d-01-01", y);
		sprintf(until, "%04d-12-31", y);
		sprintf(name, "%04d", y);
	} else
		errx(CASE_EXIT_FATAL, _("--%s: invalid period -- %s"),
		    kind == 'Q' ? "quarter" : kind == 'M' ? "month" : "year",
		    arg);
}

static char *
joinpath(const char *dir, const char *name, const char *ext)
{
	size_t n = strlen(dir) + strlen(name) + strlen(ext) + 16;
	char *p = case_malloc(n);

	snprintf(p, n, "%s/casekit-%s.%s", dir, name, ext);
	return p;
}

/*
 * Writes the review pack of one period, a workbook and a page, into a
 * directory: both are written whole before either takes its name.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "as-of",	required_argument, NULL, 'a' },
		{ "db",		required_argument, NULL, 'd' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "lang",	required_argument, NULL, 'L' },
		{ "month",	required_argument, NULL, 'M' },
		{ "quarter",	required_argument, NULL, 'Q' },
		{ "since",	required_argument, NULL, 'S' },
		{ "until",	required_argument, NULL, 'U' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ "weights",	required_argument, NULL, 'W' },
		{ "year",	required_argument, NULL, 'Y' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *dir = ".", *lang = "zh", *wpath = NULL;
	const char *sarg = NULL, *uarg = NULL, *parg = NULL;
	char since[32], until[32], name[80], *xpath, *hpath, *dbname, *msgs;
	struct case_file *xf, *hf;
	int ch, kind = 0, nflag = 0;

	case_init_prog(argv);
	case_filter_init(&f, CASE_ST_ALL);
	asof = CASE_NOTIME;
	while ((ch = getopt_long(argc, argv, "d:hno:", opts, NULL)) != -1)
		switch (ch) {
		case 'a':
			if (case_parse_as_of(optarg, f.now, &asof) == -1)
				errx(CASE_EXIT_FATAL, _("--as-of: invalid time "
				    "-- %s"), optarg);
			break;
		case 'd': dbopt = optarg; break;
		case 'h': usage(0); break;
		case 'L':
			if (strcmp(optarg, "zh") != 0 &&
			    strcmp(optarg, "en") != 0)
				errx(CASE_EXIT_FATAL, _("--lang: must be zh or "
				    "en -- %s"), optarg);
			lang = optarg;
			break;
		case 'M': case 'Q': case 'Y':
			if (kind != 0)
				errx(CASE_EXIT_FATAL, _("--quarter, --month, "
				    "--year: one period at a time"));
			kind = ch, parg = optarg;
			break;
		case 'n': nflag = 1; break;
		case 'o': dir = optarg; break;
		case 'S': sarg = optarg; break;
		case 'U': uarg = optarg; break;
		case 'V': case_version(); break;
		case 'W': wpath = optarg; break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	if (argc != 0)
		usage(CASE_EXIT_FATAL);
	if (kind != 0 && (sarg != NULL || uarg != NULL))
		errx(CASE_EXIT_FATAL, _("--since and --until: not with "
		    "--quarter, --month or --year, which name the period"));
	if (kind == 0 && (sarg == NULL || uarg == NULL))
		errx(CASE_EXIT_FATAL, _("no period: give --quarter, --month, "
		    "--year, or --since and --until"));
	if (kind != 0)
		period(kind, parg, since, until, name);
	else {
		snprintf(since, sizeof since, "%s", sarg);
		snprintf(until, sizeof until, "%s", uarg);
	}
	if (!case_filter_opt(&f, CASE_OPT_SINCE, since) ||
	    !case_filter_opt(&f, CASE_OPT_UNTIL, until))
		usage(CASE_EXIT_FATAL);
	/*
	 * A period given by --since and --until is named by the days it
	 * covers, as resolved ("yesterday" is a date in the file's name).
	 */
	if (kind == 0) {
		if (f.until <= f.since)
			errx(CASE_EXIT_FATAL, _("--since and --until: the "
			    "period is empty -- %s to %s"), case_esc(sarg),
			    case_esc(uarg));
		case_fmt_time(f.since, since, sizeof since);
		case_fmt_time(f.until - 1, until, sizeof until);
		snprintf(name, sizeof name, "%.10s_%.10s", since, until);
	}
	if (wpath != NULL)
		weights(wpath);
	xpath = joinpath(dir, name, "xlsx");
	hpath = joinpath(dir, name, "html");
	if (nflag) {
		printf(_("would write %s\nwould write %s\n"), xpath, hpath);
		free(xpath);
		free(hpath);
		case_finish_stdout();
		return CASE_EXIT_OK;
	}
	xf = case_file_open(xpath, 0666, (gid_t)-1);
	hf = case_file_open(hpath, 0666, (gid_t)-1);
	dbname = case_db_name(case_db_path(dbopt));
	db = case_db_open(case_db_path(dbopt), CASE_DB_READ);
	case_filter_check(db, &f);
	case_begin(db);
	/*
	 * The pack's words in its own language, the user's messages in
	 * theirs: what the pack says is all looked up in collect().
	 */
	msgs = case_strdup(setlocale(LC_MESSAGES, NULL));
	if (setlocale(LC_MESSAGES, strcmp(lang, "zh") == 0 ? "zh_CN.UTF-8" :
	    "C") == NULL) {
		setlocale(LC_MESSAGES, msgs);
		warnx(_("--lang zh: the zh_CN.UTF-8 locale is not installed"));
	}
	collect(dbname, name, wpath != NULL ? wpath : _("(the default)"));
	setlocale(LC_MESSAGES, msgs);
	free(msgs);
	free(dbname);
	case_rollback(db);
	case_db_close(db);
	write_xlsx(xf, xpath);
	write_html(case_file_fp(hf), name, lang);
	/* Both whole and on disk before either takes its name. */
	case_file_ready(xf);
	case_file_ready(hf);
	case_file_commit(xf);
	case_file_commit(hf);
	free(xpath);
	free(hpath);
	case_finish_stdout();
	return CASE_EXIT_OK;
}
