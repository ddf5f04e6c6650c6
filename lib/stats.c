/* stats.c - the figures of case-stats, grouped by any keys */
#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/*
 * The cases are read once, in no particular order, and counted into
 * groups in memory: one pass, no sort, and the medians exact.  Group
 * keys are computed here rather than in SQL so that periods follow $TZ
 * and the same code serves any database backend.
 */

#define MAXKEYS 8

enum key { K_CATEGORY, K_SOURCE, K_UNIT, K_STATUS, K_OUTCOME, K_PERIOD,
	K_LEVEL };

/* A unit and its ancestor at a level, for unit:LEVEL. */
struct rollup {
	char	*unit, *anc;
};

struct keyspec {
	enum key kind;
	int	 period;	/* K_PERIOD */
	char	 level[64];	/* K_LEVEL */
	struct rollup *r;	/* K_LEVEL: each unit's ancestor at level */
	size_t	 nr;
	char	 name[64];
};

struct durs {
	int32_t	*v;
	size_t	 n, cap;
};

struct group {
	char	*key;		/* key values joined by \037 */
	long	 received, closed, resolved, open, overdue, late;
	struct durs assign, close;
};

struct table {
	struct group **slot;
	size_t	 cap, n;
};

static const char *keynames[] = { "category", "source", "unit", "status",
	"outcome" };

static const char sql_levels[] = "SELECT 1 FROM units WHERE level = :level";
static const char sql_rollup[] =
    "SELECT t.unit, t.ancestor FROM unit_tree t"
    " JOIN units a ON a.code = t.ancestor WHERE a.level = :level";

static int
rollup_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rollup *)a)->unit,
	    ((const struct rollup *)b)->unit);
}

/* The (small, reference-data) map from each unit to its level ancestor. */
static struct rollup *
load_rollup(sqlite3 *db, const char *level, size_t *n)
{
	sqlite3_stmt *st = case_prepare(db, sql_rollup);
	struct rollup *r = NULL;

	case_bind_text(st, ":level", level);
	*n = 0;
	while (case_step(st) == SQLITE_ROW) {
		r = case_reallocarray(r, *n + 1, sizeof *r);
		r[*n].unit = case_strdup(case_col_text(st, 0));
		r[*n].anc = case_strdup(case_col_text(st, 1));
		(*n)++;
	}
	qsort(r, *n, sizeof *r, rollup_cmp);
	return r;
}

static int
parse_keys(sqlite3 *db, const char *by, struct keyspec *ks)
{
	char *list, *p, *tok;
	int n = 0, i;
	sqlite3_stmt *st;

	if (by == NULL)
		return 0;
	p = list = case_strdup(by);
	while ((tok = strsep(&p, ",")) != NULL) {
		if (n == MAXKEYS)
			errx(CASE_EXIT_FATAL, "--by: at most %d keys", MAXKEYS);
		memset(&ks[n], 0, sizeof ks[n]);
		snprintf(ks[n].name, sizeof ks[n].name, "%s", tok);
		for (i = 0; i < 5; i++)
			if (strcmp(tok, keynames[i]) == 0)
				break;
		if (i < 5)
			ks[n].kind = (enum key)i;
		else if ((ks[n].period = case_period_parse(tok)) != -1)
			ks[n].kind = K_PERIOD;
		else if (strncmp(tok, "unit:", 5) == 0) {
			ks[n].kind = K_LEVEL;
			snprintf(ks[n].level, sizeof ks[n].level, "%s", tok + 5);
			st = case_prepare(db, sql_levels);
			case_bind_text(st, ":level", ks[n].level);
			if (case_step(st) != SQLITE_ROW)
				errx(CASE_EXIT_FATAL, "--by: no units at level "
				    "-- %s", ks[n].level);
			ks[n].r = load_rollup(db, ks[n].level, &ks[n].nr);
		} else
			errx(CASE_EXIT_FATAL, "--by: unknown key -- %s", tok);
		n++;
	}
	free(list);
	return n;
}

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct group *
lookup(struct table *t, const char *key)
{
	size_t i, j;
	struct group **old;

	if (t->n * 2 >= t->cap) {
		old = t->slot;
		j = t->cap;
		t->cap = t->cap ? t->cap * 2 : 64;
		t->slot = case_reallocarray(NULL, t->cap, sizeof *t->slot);
		memset(t->slot, 0, t->cap * sizeof *t->slot);
		for (i = 0; i < j; i++)
			if (old[i] != NULL) {
				size_t k = hash(old[i]->key) & (t->cap - 1);

				while (t->slot[k] != NULL)
					k = (k + 1) & (t->cap - 1);
				t->slot[k] = old[i];
			}
		free(old);
	}
	for (i = hash(key) & (t->cap - 1); t->slot[i] != NULL;
	    i = (i + 1) & (t->cap - 1))
		if (strcmp(t->slot[i]->key, key) == 0)
			return t->slot[i];
	t->slot[i] = case_malloc(sizeof **t->slot);
	memset(t->slot[i], 0, sizeof **t->slot);
	t->slot[i]->key = case_strdup(key);
	t->n++;
	return t->slot[i];
}

static void
push(struct durs *d, long long secs)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = case_reallocarray(d->v, d->cap, sizeof *d->v);
	}
	/* A negative span (a clock set wrong) is kept: --check reports it. */
	d->v[d->n++] = secs > INT32_MAX ? INT32_MAX : secs < INT32_MIN ?
	    INT32_MIN : (int32_t)secs;
}

static void
count(struct group *g, sqlite3_stmt *st, long long now)
{
	int closed = strcmp(case_col_text(st, 0), "closed") == 0;
	long long due = case_col_time(st, 2), cl = case_col_time(st, 3);
	long long asg = case_col_time(st, 4), rep = case_col_time(st, 5);

	g->received++;
	if (closed) {
		g->closed++;
		g->resolved += sqlite3_column_int(st, 1);
		if (due != CASE_NOTIME && cl != CASE_NOTIME && cl > due)
			g->late++;
		if (cl != CASE_NOTIME)
			push(&g->close, cl - rep);
	} else {
		const char *status = case_col_text(st, 0);
		long long disp = case_col_time(st, 11);
		int unassigned = strcmp(status, "reported") == 0 ||
		    strcmp(status, "returned") == 0;

		g->open++;
		if (strcmp(status, "paused") != 0 && ((due != CASE_NOTIME &&
		    due < now) || (unassigned && disp != CASE_NOTIME &&
		    disp < now)))
			g->overdue++;
	}
	if (asg != CASE_NOTIME)
		push(&g->assign, asg - rep);
}

static const char *
keyval(sqlite3_stmt *st, const struct keyspec *k, char *buf, size_t size)
{
	const char *v;
	struct rollup key, *hit;

	switch (k->kind) {
	case K_PERIOD:
		return case_period(case_col_time(st, 5), k->period, buf, size);
	case K_LEVEL:
		if ((v = case_col_text(st, 6 + K_UNIT)) == NULL)
			return "";
		key.unit = (char *)v;
		hit = bsearch(&key, k->r, k->nr, sizeof *k->r, rollup_cmp);
		return hit != NULL ? hit->anc : "";
	default:
		v = case_col_text(st, 6 + k->kind);
		return v != NULL ? v : "";
	}
}

static int
icmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static const char *
median(struct durs *d, char *buf, size_t size)
{
	double m;

	if (d->n == 0)
		return "";
	qsort(d->v, d->n, sizeof *d->v, icmp);
	m = d->n % 2 ? d->v[d->n / 2] :
	    ((double)d->v[d->n / 2 - 1] + d->v[d->n / 2]) / 2;
	return case_fmt_hours(m / 3600, buf, size);
}

static void
merge(struct durs *to, const struct durs *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		push(to, from->v[i]);
}

static int
gcmp(const void *a, const void *b)
{
	return strcmp((*(struct group *const *)a)->key,
	    (*(struct group *const *)b)->key);
}

static void
emit(struct case_out *out, struct group *g, int nkeys, enum case_fmt fmt,
    const char *label)
{
	const char *v[MAXKEYS + 9];
	char num[6][24], rate[24], ma[24], mc[24], *key, *p;
	int i = 0, j;

	key = case_strdup(label != NULL ? label : g->key);
	for (p = key, j = 0; j < nkeys; j++)
		v[i++] = label != NULL ? (j == 0 ? label : "") : strsep(&p, "\037");
	snprintf(num[0], sizeof num[0], "%ld", g->received);
	snprintf(num[1], sizeof num[1], "%ld", g->closed);
	snprintf(num[2], sizeof num[2], "%ld", g->resolved);
	snprintf(num[3], sizeof num[3], "%ld", g->open);
	snprintf(num[4], sizeof num[4], "%ld", g->overdue);
	snprintf(num[5], sizeof num[5], "%ld", g->late);
	rate[0] = '\0';
	if (g->received > 0)
		snprintf(rate, sizeof rate, "%.1f%s", 100.0 * g->resolved /
		    g->received, fmt == CASE_FMT_TABLE ? "%" : "");
	v[i++] = num[0], v[i++] = num[1], v[i++] = num[2], v[i++] = rate;
	v[i++] = num[3], v[i++] = num[4], v[i++] = num[5];
	v[i++] = median(&g->assign, ma, sizeof ma);
	v[i++] = median(&g->close, mc, sizeof mc);
	case_out_row(out, v);
	free(key);
}

static void
free_group(struct group *g)
{
	free(g->key);
	free(g->assign.v);
	free(g->close.v);
	free(g);
}

static const char *fig_names[] = { "received", "closed", "resolved",
	"success_rate", "open", "overdue", "closed_late", "median_assign_h",
	"median_close_h" };

static void
report(struct table *t, const struct keyspec *ks, int nkeys,
    enum case_fmt fmt, FILE *fp)
{
	const char *names[MAXKEYS + 9];
	char types[MAXKEYS + 10];
	struct group **gs, total;
	struct case_out *out;
	size_t i, j;
	int k;

	for (k = 0; k < nkeys; k++) {
		names[k] = ks[k].name;
		types[k] = 't';
	}
	for (k = 0; k < 9; k++) {
		names[nkeys + k] = fig_names[k];
		types[nkeys + k] = 'n';
	}
	types[nkeys + 9] = '\0';
	gs = case_reallocarray(NULL, t->n, sizeof *gs);
	for (i = j = 0; i < t->cap; i++)
		if (t->slot[i] != NULL)
			gs[j++] = t->slot[i];
	qsort(gs, t->n, sizeof *gs, gcmp);
	memset(&total, 0, sizeof total);
	out = case_out_open(fp, fmt, nkeys + 9, names, types, 1);
	for (i = 0; i < t->n; i++) {
		if (nkeys > 0)
			emit(out, gs[i], nkeys, fmt, NULL);
		total.received += gs[i]->received;
		total.closed += gs[i]->closed;
		total.resolved += gs[i]->resolved;
		total.open += gs[i]->open;
		total.overdue += gs[i]->overdue;
		total.late += gs[i]->late;
		merge(&total.assign, &gs[i]->assign);
		merge(&total.close, &gs[i]->close);
		free_group(gs[i]);
	}
	emit(out, &total, nkeys, fmt, nkeys > 0 ? "total" : "");
	case_out_close(out);
	free(total.assign.v);
	free(total.close.v);
	free(gs);
	free(t->slot);
}

/*
 * Writes the figures of the cases f selects, grouped by the keys in by
 * (a comma-separated list, or NULL for the totals only), then a total.
 */
void
case_stats(sqlite3 *db, const struct case_filter *f, const char *by,
    enum case_fmt fmt, FILE *fp)
{
	struct keyspec ks[MAXKEYS];
	struct table t = { NULL, 0, 0 };
	sqlite3_stmt *st;
	char *sql, *where, key[2048], buf[64];
	size_t len, i;
	int nkeys, k;

	nkeys = parse_keys(db, by, ks);
	where = case_filter_sql(f);
	if (asprintf(&sql, "SELECT c.status, coalesce(o.success, 0), c.due,"
	    " c.closed, c.assigned, c.reported, c.category, c.source, c.unit,"
	    " c.status, c.outcome, c.dispatch_due FROM cases c"
	    " LEFT JOIN outcomes o ON o.code = c.outcome WHERE %s", where) == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	free(where);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		case_dbfatal(db, NULL);
	free(sql);
	case_filter_bind(st, f);
	while (case_step(st) == SQLITE_ROW) {
		key[0] = '\0';
		for (k = 0, len = 0; k < nkeys && len < sizeof key; k++)
			len += snprintf(key + len, sizeof key - len, "%s%s",
			    k ? "\037" : "", keyval(st, &ks[k], buf, sizeof buf));
		count(lookup(&t, key), st, f->now);
	}
	sqlite3_finalize(st);
	report(&t, ks, nkeys, fmt, fp);
	for (k = 0; k < nkeys; k++) {
		for (i = 0; i < ks[k].nr; i++) {
			free(ks[k].r[i].unit);
			free(ks[k].r[i].anc);
		}
		free(ks[k].r);
	}
}
