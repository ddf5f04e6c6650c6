/* stats.c - the figures of case-stats: counted, explained, checked, as of any time */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/*
 * Every case's history is folded through the lifecycle (lifecycle.c) up
 * to the report's instant: what it is then, and what it went through on
 * the way (its obligations, the deadlines it missed, its closures).
 * With --as-of only what had been recorded by then is read, so that a
 * report taken at any moment is reproduced byte for byte later.  Each
 * fact is counted in the group, and the period, of its own instant: one
 * pass over the cases, no sort.  The cases are folded in two parts by ID,
 * each read by a connection of its own on the same snapshot, in a thread
 * of its own; a figure is a sum, or a median of durations kept in the
 * order of the cases, so the parts merged make the same figures.
 */

#define MAXKEYS 8

/* A case as the figures see it: its life at the report's instant. */
struct fact {
	long long id;
	char	 category[CASE_CODE], source[CASE_CODE];	/* as the row has them */
	char	 grid[CASE_CODE];
	int	 priority;	/* as the row has it (CASE_P_...) */
	struct case_life l;
	struct case_hist h;
	struct case_event *e;	/* its history, to look back into */
	size_t	 ne;
	int	 success, same_actor, backdated;
};

/* Counters; the figures are made of them. */
enum { N_RECEIVED, N_REGISTERED, N_DUE, N_CLOSED, N_CLOSED_DUE, N_ON_TIME,
	N_RESOLVED, N_DISPUTES, N_MEDIATED, N_HANDLED, N_REWORKED, N_EXTENDED,
	N_VISITED, N_SATISFIED, N_OPEN, N_OVERDUE, N_CLOSED_LATE, N_LAPSES,
	N_DUPLICATE, N_NOVISIT, N_ZERO, N_NEGATIVE, N_SAME_ACTOR, N_DISORDER,
	N_BACKDATED, N_ESCALATED, N_SUPERVISED, N_RETURNED, N_REWORKS,
	N_ACK_DUE, N_ACK_ON_TIME, N_SAME_DAY_RECEIVED, N_SAME_DAY,
	N_CONFERENCED, N_CONF_CLOSED, N_CONF_SUCCESS, N_ACT_DUE, N_ACT_ON_TIME,
	N_ACT_OVERDUE, NCOUNT };

static const char *countnames[NCOUNT] = { "received", "registered", "due",
	"closed", "closed_due", "on_time", "resolved", "disputes", "mediated",
	"handled", "reworked", "extended", "visited", "satisfied", "open",
	"overdue", "closed_late", "lapses", "duplicates", "no_visit",
	"zero_duration", "negative_duration", "same_actor", "out_of_order",
	"backdated", "escalated", "supervised", "returned", "reworks",
	"ack_due", "ack_on_time", "same_day_received", "same_day",
	"conferenced", "conferenced_closed", "conferenced_success",
	"actions_due", "actions_on_time", "actions_overdue" };

/*
 * The figures printed, in order, with their definitions for --explain.
 * A name is the column key of TSV, CSV and JSON and the count of --ids
 * (data, never translated); only the table format's heading and the
 * definition are looked up in the catalogue.
 */
static const struct figure {
	const char *name;
	int	 num, den;	/* den -1: a count; num -1: hours */
	const char *def;
} figures[] = {
	{ N_("received"), N_RECEIVED, -1,
	    N_("cases reported in the period (受理)") },
	{ N_("registered"), N_REGISTERED, -1,
	    N_("received, less those rejected at intake or closed as "
	    "duplicates (立案数)") },
	{ N_("due"), N_DUE, -1,
	    N_("obligations that fell due in the period (应结案数): an "
	    "obligation runs from the report, or a reopening, to the closure "
	    "that ends it, and falls due at the first deadline it missed, "
	    "else at the deadline in force when it was closed (or, still "
	    "open, now)") },
	{ N_("closed"), N_CLOSED, -1,
	    N_("cases closed in the period, once each (结案数)") },
	{ N_("closure_rate"), N_CLOSED_DUE, N_DUE,
	    N_("due obligations closed by the end of the period / due "
	    "(结案率)") },
	{ N_("on_time_rate"), N_ON_TIME, N_DUE,
	    N_("due obligations closed by the end of the period without ever "
	    "missing a resolution deadline / due; one still open counts "
	    "against it (按期结案率)") },
	{ N_("success_rate"), N_RESOLVED, N_RECEIVED,
	    N_("received cases closed with a success outcome (resolved, "
	    "mediated) / received") },
	{ N_("mediation_rate"), N_MEDIATED, N_DISPUTES,
	    N_("received disputes (category dispute) closed as mediated / "
	    "received disputes (调处成功率)") },
	{ N_("rework_rate"), N_REWORKED, N_HANDLED,
	    N_("received cases sent back at least once / received cases "
	    "reported handled (返工率)") },
	{ N_("extension_rate"), N_EXTENDED, N_RECEIVED,
	    N_("received cases whose deadline was extended / received "
	    "(延期率)") },
	{ N_("satisfaction_rate"), N_SATISFIED, N_VISITED,
	    N_("cases closed in the period whose follow-up visit found the "
	    "reporter satisfied / those visited (满意率)") },
	{ N_("open"), N_OPEN, -1,
	    N_("received cases still open at the end of the period (or at "
	    "the report's instant, if sooner)") },
	{ N_("overdue"), N_OVERDUE, -1,
	    N_("received cases overdue at the end of the period (or at the "
	    "report's instant, if sooner): open, not paused, and past the "
	    "deadline in force, or waiting for dispatch past the dispatch "
	    "deadline") },
	{ N_("closed_late"), N_CLOSED_LATE, -1,
	    N_("cases closed in the period whose obligation had missed a "
	    "resolution deadline") },
	{ N_("lapses"), N_LAPSES, -1,
	    N_("deadlines missed in the period (逾期): a deadline passed "
	    "while its clock ran, each counted once, whatever followed "
	    "(escalation, extension, closure)") },
	{ N_("dispatch_h_median"), -1, 0,
	    N_("median hours from report to first assignment, of received "
	    "cases assigned by the end of the period") },
	{ N_("dispatch_h_p90"), -1, 1,
	    N_("90th percentile (nearest rank) of the same") },
	{ N_("close_h_median"), -1, 2,
	    N_("median hours from report to closure, of cases closed in the "
	    "period") },
	{ N_("close_h_p90"), -1, 3,
	    N_("90th percentile (nearest rank) of the same") },
	/*
	 * Counts of actions, each at the action's own time: shown when
	 * --figures names them (parse_figures()).
	 */
	{ N_("escalated"), N_ESCALATED, -1,
	    N_("cases escalated in the period, once each, at the escalation "
	    "(升级数)") },
	{ N_("supervised"), N_SUPERVISED, -1,
	    N_("cases put under supervision in the period (overdue at the top "
	    "of the unit tree, or with no unit), once each, at the marking "
	    "(督办数)") },
	{ N_("returned"), N_RETURNED, -1,
	    N_("cases returned by their unit in the period, once each, at the "
	    "return (退回数)") },
	{ N_("reworks"), N_REWORKS, -1,
	    N_("cases sent back for rework in the period, once each, at the "
	    "rework (返工数)") },
	/* Signing for (签收), likewise shown when --figures names them. */
	{ N_("ack_on_time_rate"), N_ACK_ON_TIME, N_ACK_DUE,
	    N_("assignments and escalations whose unit signed for the case "
	    "by its sign-for limit / those whose limit fell in the period "
	    "and had passed by the report's instant, unless the case went "
	    "to another unit, back for dispatch or was closed before it "
	    "(按时签收率)") },
	{ N_("same_day_rate"), N_SAME_DAY, N_SAME_DAY_RECEIVED,
	    N_("received cases of a category marked same_day that were "
	    "reported handled, or closed other than as rejected or a "
	    "duplicate, on the local day they were reported / received "
	    "cases of those categories (即收即办率)") },
	/* Joint conferences (case-meet) and their follow-up actions. */
	{ N_("conferenced"), N_CONFERENCED, -1,
	    N_("cases conferenced in the period (研判会商), once each, at the "
	    "conference") },
	{ N_("conference_success_rate"), N_CONF_SUCCESS, N_CONF_CLOSED,
	    N_("cases closed in the period after a conference, closed with a "
	    "success outcome / cases closed in the period after a conference "
	    "(会商案件调处成功率)") },
	{ N_("actions_due"), N_ACT_DUE, -1,
	    N_("conferences' follow-up actions whose deadline fell in the "
	    "period, at the deadline") },
	{ N_("action_on_time_rate"), N_ACT_ON_TIME, N_ACT_DUE,
	    N_("follow-up actions due in the period done by their deadline / "
	    "follow-up actions due in the period") },
	{ N_("actions_overdue"), N_ACT_OVERDUE, -1,
	    N_("follow-up actions due in the period and not done at the end "
	    "of the period (or at the report's instant), at the deadline") },
};
#define NFIG ((int)(sizeof figures / sizeof figures[0]))

enum key { K_CATEGORY, K_SOURCE, K_UNIT, K_STATUS, K_OUTCOME, K_PRIORITY,
	K_PERIOD, K_LEVEL, K_GRID, K_ASSIST };
/* Keys typed after --by (data); in the table format, headings too. */
static const char *keynames[] = { N_("category"), N_("source"), N_("unit"),
	N_("status"), N_("outcome"), N_("priority") };
#define NKEYNAMES ((int)(sizeof keynames / sizeof keynames[0]))

/*
 * The headings of the keys with names beside their codes (grid's own
 * is among the catalogue's already), looked up by the name typed.
 */
static const char *namedkeys[] = { N_("street"), N_("community"),
	N_("street_name"), N_("community_name"), N_("grid_name"),
	N_("assist"), N_("assist_name") };

/* A unit and its ancestor at a level, for unit:LEVEL. */
struct rollup {
	char	*unit, *anc;
};

struct keyspec {
	enum key kind;
	int	 period;
	int	 named;		/* street, community, grid: a name column */
	char	 name[64], level[64];
	struct rollup *r;
	size_t	 nr;
};

struct durs {
	int32_t	*v;
	size_t	 n, cap;
};

struct group {
	char	*key;
	long	 n[NCOUNT];
	struct durs h[2];	/* hours to dispatch, to close */
};

struct table {
	struct group **slot;
	size_t	 cap, n;
};

/* Which instants a fact's roles are counted in. */
enum role { R_RECEIVED, R_DUE, R_CLOSED };

struct run {
	struct case_db *db;
	FILE	*fp;		/* where case_stats() writes, all of it */
	const struct case_filter *f;
	const struct case_stats_opts *o;
	struct keyspec ks[MAXKEYS];
	int	 nkeys;
	long long t;		/* the report's instant */
	long long start, end;	/* the period: [start, end) */
	struct case_codes subtree;	/* --unit: the codes under it */
	struct case_codes success;	/* success outcomes */
	struct case_codes same_day;	/* categories handled on receipt */
	struct table tab;
	long	 nids;
	int	 period;	/* some key is a period */
	/*
	 * --by assist: a case counts under each unit assisting on it, one
	 * pass of count() for each (assist: the unit of this pass, "" for
	 * none), so the total is counted apart, once a case, as by period.
	 */
	int	 by_assist, apart;
	const char *assist;
	/*
	 * By period, the total is counted on its own at the run's end: open
	 * and overdue are stocks, and a row's sum would count a case once
	 * for each period it stayed open in.
	 */
	int	 totalling;
	struct group whole;
	/* The case as it stood at a row's end, the last one asked for. */
	struct case_life then;
	long long then_id, then_at;
	int	 by_case;	/* some key is the case's unit, category, ... */
	int	 about_case;	/* some filter is */
	int	 fig[NFIG], nfig;	/* the figures shown, in order */
	struct rollup *names;	/* every unit's name, by code (anc) */
	size_t	 nnames;
	struct case_codes grids;	/* --grid: the codes under it */
	struct group *last;	/* the group of the fact counted last */
	long long last_id;
	/*
	 * The cases' IDs, [lo, hi); the second part's reader (NULL: one
	 * part), which begins at mid.
	 */
	long long lo, hi;
	struct case_db *reader;
	/*
	 * Each period key's periods named so far, in order: the instants
	 * counted fall in few, and naming one is a trip through the zone.
	 */
	struct periods {
		struct span {
			long long start, end;	/* [start, end) */
			char	 label[32];
		} *v;
		size_t	 n, cap;
	} pc[MAXKEYS];
};

static int
rollup_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rollup *)a)->unit,
	    ((const struct rollup *)b)->unit);
}

static void
load_rollup(struct case_db *db, struct keyspec *k)
{
	struct case_stmt *st = case_prepare(db, q_stats_rollup);

	case_bind_text(st, ":level", k->level);
	while (case_step(st) == CASE_ROW) {
		k->r = case_reallocarray(k->r, k->nr + 1, sizeof *k->r);
		k->r[k->nr].unit = case_strdup(case_col_text(st, 0));
		k->r[k->nr].anc = case_strdup(case_col_text(st, 1));
		k->nr++;
	}
	qsort(k->r, k->nr, sizeof *k->r, rollup_cmp);
}

/* Every unit's name, for the name columns of street, community, grid. */
static void
load_names(struct run *r)
{
	struct case_stmt *st = case_prepare(r->db, q_stats_names);

	while (case_step(st) == CASE_ROW) {
		r->names = case_reallocarray(r->names, r->nnames + 1,
		    sizeof *r->names);
		r->names[r->nnames].unit = case_strdup(case_col_text(st, 0));
		r->names[r->nnames].anc = case_strdup(case_col_text(st, 1));
		r->nnames++;
	}
	qsort(r->names, r->nnames, sizeof *r->names, rollup_cmp);
}

/*
 * The name beside a code; a case with no such unit (no grid, or no
 * unit at or under that level) is under one label, not a blank:
 * translated in the table only, since TSV, CSV and JSON are data.
 */
static const char *
unit_name(const struct run *r, const char *code)
{
	struct rollup q, *hit;

	if (code[0] == '\0')
		return r->o->fmt == CASE_FMT_TABLE ? _("unspecified") :
		    "unspecified";
	q.unit = (char *)code;
	hit = bsearch(&q, r->names, r->nnames, sizeof *r->names, rollup_cmp);
	return hit != NULL ? hit->anc : "";
}

static int
parse_keys(struct case_db *db, const char *by, struct keyspec *ks)
{
	char *list, *p, *tok;
	int n = 0, i;

	if (by == NULL)
		return 0;
	p = list = case_strdup(by);
	while ((tok = strsep(&p, ",")) != NULL) {
		if (n == MAXKEYS)
			errx(CASE_EXIT_FATAL, _("--by: at most %d keys"),
			    MAXKEYS);
		memset(&ks[n], 0, sizeof ks[n]);
		snprintf(ks[n].name, sizeof ks[n].name, "%s", tok);
		for (i = 0; i < NKEYNAMES && strcmp(tok, keynames[i]) != 0; i++)
			;
		if (i < NKEYNAMES)
			ks[n].kind = (enum key)i;
		else if ((ks[n].period = case_period_parse(tok)) != -1)
			ks[n].kind = K_PERIOD;
		else if (strcmp(tok, "grid") == 0)
			ks[n].kind = K_GRID, ks[n].named = 1;
		else if (strcmp(tok, namedkeys[5]) == 0)
			ks[n].kind = K_ASSIST, ks[n].named = 1;
		else if (strncmp(tok, "unit:", 5) == 0 ||
		    strcmp(tok, namedkeys[0]) == 0 ||
		    strcmp(tok, namedkeys[1]) == 0) {
			/* street is unit:street, with names beside codes. */
			ks[n].kind = K_LEVEL;
			ks[n].named = strchr(tok, ':') == NULL;
			snprintf(ks[n].level, sizeof ks[n].level, "%s",
			    ks[n].named ? tok : tok + 5);
			if (!case_level_used(db, ks[n].level))
				errx(CASE_EXIT_FATAL, _("--by: no units at "
				    "level -- %s"), ks[n].level);
			load_rollup(db, &ks[n]);
		} else
			errx(CASE_EXIT_FATAL, _("--by: unknown key -- %s"),
			    tok);
		n++;
	}
	free(list);
	return n;
}

/* Whether any unit is at level (street, community, ...). */
int
case_level_used(struct case_db *db, const char *level)
{
	struct case_stmt *st = case_prepare(db, q_stats_levels);
	int used;

	case_bind_text(st, ":level", level);
	used = case_step(st) == CASE_ROW;
	case_reset(st);
	return used;
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
	size_t i, j, k;
	struct group **old;

	if (t->n * 2 >= t->cap) {
		old = t->slot;
		j = t->cap;
		t->cap = t->cap ? t->cap * 2 : 64;
		t->slot = case_reallocarray(NULL, t->cap, sizeof *t->slot);
		memset(t->slot, 0, t->cap * sizeof *t->slot);
		for (i = 0; i < j; i++)
			if (old[i] != NULL) {
				k = hash(old[i]->key) & (t->cap - 1);
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
	d->v[d->n++] = secs > INT32_MAX ? INT32_MAX : secs < INT32_MIN ?
	    INT32_MIN : (int32_t)secs;
}


static const struct case_life *as_it_stood(struct run *, const struct fact *,
    long long);
static long long row_end(struct run *, long long);

/*
 * The name of the period of key i holding t, into buf, and its end in
 * *end.  A period is kept, and an instant in it later named without a
 * trip through the zone, only if its first and last seconds are named
 * as t is: the period case_period_bounds() gives is then one name
 * throughout.
 */
static const char *
period_of(struct run *r, int i, long long t, long long *end, char *buf,
    size_t size)
{
	struct periods *p = &r->pc[i];
	struct span s;
	int per = r->ks[i].period;
	char a[64], b[64];
	size_t lo = 0, hi = p->n, m;

	while (lo < hi) {		/* the first span ending after t */
		m = lo + (hi - lo) / 2;
		if (p->v[m].end <= t)
			lo = m + 1;
		else
			hi = m;
	}
	if (lo < p->n && p->v[lo].start <= t) {
		*end = p->v[lo].end;
		return p->v[lo].label;
	}
	case_period_bounds(t, per, &s.start, end);
	s.end = *end;
	case_period(t, per, buf, size);
	if (t < s.start || t >= s.end || strlen(buf) >= sizeof s.label ||
	    strcmp(case_period(s.start, per, a, sizeof a), buf) != 0 ||
	    strcmp(case_period(s.end - 1, per, b, sizeof b), buf) != 0 ||
	    (lo < p->n && p->v[lo].start < s.end) ||
	    (lo > 0 && p->v[lo - 1].end > s.start))
		return buf;		/* not kept */
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = case_reallocarray(p->v, p->cap, sizeof *p->v);
	}
	memmove(&p->v[lo + 1], &p->v[lo], (p->n - lo) * sizeof *p->v);
	memcpy(s.label, buf, strlen(buf) + 1);
	p->v[lo] = s;
	p->n++;
	return buf;
}

static void
free_periods(struct run *r)
{
	int i;

	for (i = 0; i < MAXKEYS; i++)
		free(r->pc[i].v);
	memset(r->pc, 0, sizeof r->pc);
}

/*
 * The group key of a fact, its periods those holding instant t, its unit,
 * category, status and outcome as they stood at the end of that row:
 * later work (an escalation, a recategorisation) moves no past count.
 */
static void
group_key(struct run *r, const struct fact *x, long long t, char *key,
    size_t size)
{
	const struct keyspec *k;
	const struct case_life *l = r->by_case ?
	    as_it_stood(r, x, row_end(r, t)) : &x->l;
	struct rollup q, *hit;
	const char *v;
	char buf[64];
	long long e;
	size_t len = 0, n;
	int i;

	key[0] = '\0';
	for (i = 0; i < r->nkeys && len < size; i++) {
		k = &r->ks[i];
		switch (k->kind) {
		case K_CATEGORY: v = l->category; break;
		case K_SOURCE: v = x->source; break;
		case K_UNIT: v = l->unit; break;
		case K_STATUS: v = case_state_name(l->state); break;
		case K_OUTCOME: v = l->outcome; break;
		case K_PRIORITY: v = case_priority_name(l->priority); break;
		case K_PERIOD:
			v = period_of(r, i, t, &e, buf, sizeof buf);
			break;
		case K_GRID:
			v = l->grid;
			break;
		case K_ASSIST:
			v = r->assist != NULL ? r->assist : "";
			break;
		case K_LEVEL:
		default:
			q.unit = (char *)l->unit;
			hit = bsearch(&q, k->r, k->nr, sizeof *k->r, rollup_cmp);
			v = hit != NULL ? hit->anc : "";
			break;
		}
		n = strlen(v);
		if (len + n + 2 > size)
			break;
		if (i > 0)
			key[len++] = '\037';
		memcpy(key + len, v, n);
		len += n;
		key[len] = '\0';
	}
}

static int
has_period(const struct run *r)
{
	int i;

	for (i = 0; i < r->nkeys; i++)
		if (r->ks[i].kind == K_PERIOD)
			return 1;
	return 0;
}

/*
 * The end of the row that instant t is counted in: the run's end, or,
 * by period, the end of t's period if that comes first.  A row of a
 * grouped run is so the run for that period alone.
 */
static long long
row_end(struct run *r, long long t)
{
	char buf[64];
	long long e;
	int i;

	if (r->totalling)
		return r->end;
	for (i = 0; i < r->nkeys; i++)
		if (r->ks[i].kind == K_PERIOD) {
			period_of(r, i, t, &e, buf, sizeof buf);
			return e < r->end ? e : r->end;
		}
	return r->end;
}

/*
 * The filters that are about a case rather than the period, on the case
 * as it stood at the period's end.
 */
static int
selected(struct run *r, const struct fact *x)
{
	const struct case_filter *f = r->f;
	const struct case_life *l = r->about_case ?
	    as_it_stood(r, x, r->end) : &x->l;
	int closed = l->state == CASE_S_CLOSED;

	if (f->unit != NULL && !case_codes_has(&r->subtree, l->unit))
		return 0;
	if (f->grid != NULL && !case_codes_has(&r->grids, l->grid))
		return 0;
	if (f->category != NULL && strcmp(f->category, l->category) != 0)
		return 0;
	if (f->source != NULL && strcmp(f->source, x->source) != 0)
		return 0;
	if ((f->status == CASE_ST_OPEN && f->status_set && closed) ||
	    (f->status == CASE_ST_CLOSED && !closed) ||
	    (f->status == CASE_ST_ONE && strcmp(f->one,
	    case_state_name(l->state)) != 0))
		return 0;
	if (f->overdue && !case_life_overdue(&x->l, r->t))
		return 0;
	if (f->due_within > 0 && !case_life_due_within(&x->l, r->t,
	    f->due_within))
		return 0;
	if (f->closed_since != CASE_NOTIME && (l->closed == CASE_NOTIME ||
	    l->closed < f->closed_since))
		return 0;
	if (f->closed_until != CASE_NOTIME && (l->closed == CASE_NOTIME ||
	    l->closed >= f->closed_until))
		return 0;
	return 1;
}

/*
 * Counts one into the group of fact x whose periods hold instant t; with
 * --ids, prints the case's ID instead, once for each count.
 */
static struct group *
bump(struct run *r, const struct fact *x, long long t, int counter)
{
	char key[2048];
	struct group *g;

	if (r->o->ids != NULL) {
		if (strcmp(r->o->ids, countnames[counter]) == 0 &&
		    r->last_id != x->id) {
			fprintf(r->fp, "%lld\n", x->id);
			r->nids++;
			r->last_id = x->id;
		}
		return NULL;
	}
	if (r->totalling) {
		r->whole.n[counter]++;
		return &r->whole;
	}
	/* Without a period key, all of a case's counts share a group. */
	if (r->last != NULL && !r->period && r->last_id == x->id)
		g = r->last;
	else {
		group_key(r, x, t, key, sizeof key);
		g = lookup(&r->tab, key);
	}
	r->last = g;
	r->last_id = x->id;
	g->n[counter]++;
	return g;
}

/* The case as it stood at u (< the report's instant): fold it again. */
static void
life_at(struct run *r, const struct fact *x, long long u, struct case_life *l)
{
	case_life_init(l, NULL);
	case_code_copy(l->category, x->category);
	case_code_copy(l->grid, x->grid);
	l->priority = x->priority;
	case_life_fold(l, x->e, x->ne, u, r->o->as_of);
}

/* The case as it stood just before end (the report's instant at most). */
static const struct case_life *
as_it_stood(struct run *r, const struct fact *x, long long end)
{
	long long u = end - 1;

	if (u >= r->t)
		return &x->l;
	if (r->then_id != x->id || r->then_at != u) {
		life_at(r, x, u, &r->then);
		r->then_id = x->id;
		r->then_at = u;
	}
	return &r->then;
}

/*
 * Handled on the local day it was reported (即收即办): reported handled,
 * or closed with an outcome other than rejected or duplicate, by the
 * day's end, in what was known at the report's instant.
 */
static int
same_day(const struct run *r, const struct fact *x)
{
	const struct case_event *e;
	long long day, end;
	size_t i;

	case_period_bounds(x->l.reported, 0, &day, &end);
	for (i = 0; i < x->ne; i++) {
		e = &x->e[i];
		if (case_event_unknown(e, r->t, r->o->as_of) || e->at >= end)
			continue;
		if (e->action == CASE_A_HANDLED)
			return 1;
		if (e->action == CASE_A_CLOSED && e->outcome != NULL &&
		    strcmp(e->outcome, "rejected") != 0 &&
		    strcmp(e->outcome, "duplicate") != 0)
			return 1;
	}
	return 0;
}

/* The counts of a case received in the period. */
static void
count_received(struct run *r, const struct fact *x)
{
	const struct case_life *l = &x->l;
	long long end = row_end(r, l->reported), u;
	struct case_life then;
	const struct case_life *at_end = l;
	struct group *g;

	/* A duplicate is a report received, not a problem registered. */
	g = bump(r, x, l->reported, N_RECEIVED);
	if (strcmp(l->outcome, "rejected") != 0 &&
	    !case_outcome_duplicate(l->outcome))
		bump(r, x, l->reported, N_REGISTERED);
	if (case_outcome_duplicate(l->outcome))
		bump(r, x, l->reported, N_DUPLICATE);
	if (x->success)
		bump(r, x, l->reported, N_RESOLVED);
	if (strcmp(l->category, "dispute") == 0) {
		bump(r, x, l->reported, N_DISPUTES);
		if (strcmp(l->outcome, "mediated") == 0)
			bump(r, x, l->reported, N_MEDIATED);
	}
	if (l->handlings > 0)
		bump(r, x, l->reported, N_HANDLED);
	if (l->reworks > 0)
		bump(r, x, l->reported, N_REWORKED);
	if (l->extensions > 0)
		bump(r, x, l->reported, N_EXTENDED);
	if (x->same_actor)
		bump(r, x, l->reported, N_SAME_ACTOR);
	if (l->disorder)
		bump(r, x, l->reported, N_DISORDER);
	if (x->backdated)
		bump(r, x, l->reported, N_BACKDATED);
	if (case_codes_has(&r->same_day, l->category)) {
		bump(r, x, l->reported, N_SAME_DAY_RECEIVED);
		if (same_day(r, x))
			bump(r, x, l->reported, N_SAME_DAY);
	}
	/* Open and overdue at the end of the row's period, as it was then. */
	u = end - 1 < r->t ? end - 1 : r->t;
	if (u < r->t) {
		life_at(r, x, u, &then);
		at_end = &then;
	}
	if (at_end->state != CASE_S_CLOSED)
		bump(r, x, l->reported, N_OPEN);
	if (case_life_overdue(at_end, u))
		bump(r, x, l->reported, N_OVERDUE);
	if (g != NULL && l->assigned != CASE_NOTIME && l->assigned < end)
		push(&g->h[0], l->assigned - l->reported);
}

/*
 * The cases an action was taken on in the period, counted as closures
 * are: at the action's own time, once a row, at the last one in it.
 * Only the events known at the report's instant count (--as-of).
 */
static void
count_action(struct run *r, const struct fact *x, int action, int counter)
{
	const struct case_event *e;
	char key[2048], last[2048];
	long long known = r->o->as_of;
	size_t i;
	int any = 0;

	for (i = x->ne; i > 0; i--) {
		e = &x->e[i - 1];
		if (e->action != action || e->at < r->start ||
		    e->at >= r->end || case_event_unknown(e, r->t, known))
			continue;
		if (r->totalling)
			key[0] = '\0';
		else
			group_key(r, x, e->at, key, sizeof key);
		if (any++ && strcmp(key, last) == 0)
			continue;
		memcpy(last, key, strlen(key) + 1);
		bump(r, x, e->at, counter);
	}
}

static int is_success(struct run *, const char *);

/* Counts one fact into its groups, each count at its own instant. */
static void
count(struct run *r, const struct fact *x)
{
	const struct case_hist *h = &x->h;
	const struct case_oblig *o;
	struct group *g;
	char key[2048], last[2048];
	int any = 0;
	long long in = r->start, out = r->end, t;
	size_t i;

	if (!selected(r, x))
		return;
	if (x->l.reported >= in && x->l.reported < out)
		count_received(r, x);
	for (i = 0; i < h->nob; i++) {
		o = &h->ob[i];
		t = o->reckon;
		if (t == CASE_NOTIME || t < in || t >= out)
			continue;
		bump(r, x, t, N_DUE);
		if (o->closed != CASE_NOTIME && o->closed < row_end(r, t)) {
			bump(r, x, t, N_CLOSED_DUE);
			if (!o->late)
				bump(r, x, t, N_ON_TIME);
		}
	}
	/* A case closed twice in one row counts once, at its last closure. */
	for (i = h->nob; i > 0; i--) {
		o = &h->ob[i - 1];
		t = o->closed;
		if (t == CASE_NOTIME || t < in || t >= out)
			continue;
		if (r->totalling)
			key[0] = '\0';
		else
			group_key(r, x, t, key, sizeof key);
		if (any++ && strcmp(key, last) == 0)
			continue;
		memcpy(last, key, strlen(key) + 1);
		g = bump(r, x, t, N_CLOSED);
		if (o->late)
			bump(r, x, t, N_CLOSED_LATE);
		/* A duplicate is not visited: its original is. */
		if (o->visited)
			bump(r, x, t, N_VISITED);
		else if (!case_outcome_duplicate(o->outcome))
			bump(r, x, t, N_NOVISIT);
		if (o->satisfied)
			bump(r, x, t, N_SATISFIED);
		/* Closed after a conference: how it ended (调处成功率). */
		if (x->l.conferred != CASE_NOTIME && x->l.conferred <= t) {
			bump(r, x, t, N_CONF_CLOSED);
			if (is_success(r, o->outcome))
				bump(r, x, t, N_CONF_SUCCESS);
		}
		/*
		 * Closed before it was reported is not a quick case but a
		 * wrong time, and is named apart so that it is looked for.
		 */
		if (t - x->l.reported == 0)
			bump(r, x, t, N_ZERO);
		else if (t - x->l.reported < 0)
			bump(r, x, t, N_NEGATIVE);
		if (g != NULL)
			push(&g->h[1], t - x->l.reported);
	}
	for (i = 0; i < h->nlapse; i++)
		if (h->lapse[i].at >= in && h->lapse[i].at < out)
			bump(r, x, h->lapse[i].at, N_LAPSES);
	/*
	 * Each unit's sign-for clock is due at its limit, once that has
	 * passed; one ended before it (another unit, back for dispatch,
	 * closed) was never due.
	 */
	for (i = 0; i < h->nack; i++) {
		t = h->ack[i].deadline;
		if (h->ack[i].fate == CASE_T_REPLACED || t >= r->t || t < in ||
		    t >= out)
			continue;
		bump(r, x, t, N_ACK_DUE);
		if (h->ack[i].fate == CASE_T_MET)
			bump(r, x, t, N_ACK_ON_TIME);
	}
	/* Follow-up actions, each at its deadline; overdue as at_end is. */
	for (i = 0; i < h->ntask; i++) {
		const struct case_task *k = &h->task[i];
		long long u;

		t = k->due;
		if (t == CASE_NOTIME || t < in || t >= out)
			continue;
		bump(r, x, t, N_ACT_DUE);
		if (k->done != CASE_NOTIME && k->done <= k->due)
			bump(r, x, t, N_ACT_ON_TIME);
		u = row_end(r, t) - 1 < r->t ? row_end(r, t) - 1 : r->t;
		if (case_task_overdue(k, u))
			bump(r, x, t, N_ACT_OVERDUE);
	}
	count_action(r, x, CASE_A_ESCALATED, N_ESCALATED);
	count_action(r, x, CASE_A_SUPERVISED, N_SUPERVISED);
	count_action(r, x, CASE_A_RETURNED, N_RETURNED);
	count_action(r, x, CASE_A_REWORKED, N_REWORKS);
	count_action(r, x, CASE_A_CONFERRED, N_CONFERENCED);
}

static int
is_success(struct run *r, const char *outcome)
{
	return outcome[0] != '\0' && case_codes_has(&r->success, outcome);
}

/*
 * Counts a case into its groups; by assist, once under each unit that
 * assisted on it as it stood at the end of the period (the report's
 * instant, if sooner: --as-of sees the set as it was then), or once
 * under none.
 */
static void
count_by(struct run *r, const struct fact *x)
{
	struct case_assist *a;
	long long u = r->end - 1 < r->t ? r->end - 1 : r->t;
	size_t n, i;

	if (!r->by_assist) {
		count(r, x);
		return;
	}
	n = case_assist_fold(x->e, x->ne, u, r->o->as_of, &a);
	for (i = 0; i == 0 || i < n; i++) {
		r->assist = n > 0 ? a[i].unit : "";
		r->last = NULL;		/* another group for the same case */
		count(r, x);
	}
	r->assist = NULL;
	r->last = NULL;
	free(a);
}

/*
 * Folds one case's history, read into e[0..n-1], and counts it.  Who
 * did what, and when it was written, feed --check.
 */
static void
fold(struct run *r, struct fact *x, const char **actors)
{
	const char *first = NULL, *closer = NULL;
	long long known = r->o->as_of;
	size_t i;

	case_life_init(&x->l, &x->h);
	case_code_copy(x->l.category, x->category);
	case_code_copy(x->l.grid, x->grid);
	x->l.priority = x->priority;
	case_life_fold(&x->l, x->e, x->ne, r->t, known);
	if (x->l.nevents == 0 || x->l.reported == CASE_NOTIME)
		return;		/* not known to have been reported by then */
	for (i = 0; i < x->ne; i++) {
		const struct case_event *e = &x->e[i];

		if (case_event_unknown(e, r->t, known))
			continue;
		if (e->action == CASE_A_REPORTED && first == NULL)
			first = actors[i];
		if (e->action == CASE_A_CLOSED)
			closer = actors[i];
		if (e->recorded != CASE_NOTIME && e->recorded - e->at > 86400)
			x->backdated = 1;
	}
	x->same_actor = x->l.state == CASE_S_CLOSED && first != NULL &&
	    closer != NULL && strcmp(first, closer) == 0;
	x->success = is_success(r, x->l.outcome);
	if (r->apart && r->o->ids == NULL)
		count_by(r, x);
	if (r->apart) {
		r->totalling = 1;
		count(r, x);
		r->totalling = 0;
	} else
		count_by(r, x);
}

/*
 * The figures from the history: cases and events read side by side, by
 * ID, each case folded through the lifecycle as it stood at the report's
 * instant.
 */
static void
facts(struct run *r, struct case_stmt *cs, struct case_stmt *es)
{
	struct case_event *e = NULL;
	const char **actors = NULL;
	char *pool = NULL;
	size_t n, cap = 0, len, pcap = 0, i, off[8];
	struct fact x;
	int more, k, a;

	memset(&x, 0, sizeof x);
	more = case_step(es) == CASE_ROW;
	while (case_step(cs) == CASE_ROW) {
		/* Not yet reported then: its events are passed over below. */
		if (case_col_int(cs, 3) > r->t)
			continue;
		x.id = case_col_int(cs, 0);
		case_code_copy(x.category, case_col_text(cs, 1));
		case_code_copy(x.source, case_col_text(cs, 2));
		case_code_copy(x.grid, case_col_text(cs, 4));
		if ((k = case_priority_parse(case_col_text(cs, 5))) < 0)
			k = CASE_P_NORMAL;
		x.priority = k;
		while (more && case_col_int(es, 0) < x.id)
			more = case_step(es) == CASE_ROW;
		/* Strings go into one pool, as offsets until it stops moving. */
		for (n = len = 0; more && case_col_int(es, 0) == x.id;
		    n++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				e = case_reallocarray(e, cap, sizeof *e);
				actors = case_reallocarray(actors, cap,
				    sizeof *actors);
			}
			e[n].at = case_col_time(es, 1);
			e[n].recorded = case_col_time(es, 11);
			a = case_action_parse(case_col_text(es, 2));
			e[n].action = a >= 0 ? a : CASE_A_NOTED;
			e[n].due = case_col_time(es, 5);
			e[n].dispatch = case_col_time(es, 10);
			e[n].ack = case_col_time(es, 12);
			e[n].note = NULL;
			for (k = 0; k < 7; k++) {
				static const int col[7] = { 3, 4, 6, 7, 8, 9 };
				const char *v = k < 6 ? case_col_text(es, col[k]) :
				    NULL;
				size_t m = v != NULL ? strlen(v) + 1 : 0;

				if (len + m > pcap) {
					pcap = (len + m) * 2 + 256;
					pool = case_reallocarray(pool, pcap, 1);
				}
				off[k] = v != NULL ? len : (size_t)-1;
				if (v != NULL)
					memcpy(pool + len, v, m);
				len += m;
			}
			/* Offsets in the pointer fields until the pool is done. */
			actors[n] = (const char *)(uintptr_t)(off[0] + 1);
			e[n].to = (const char *)(uintptr_t)(off[1] + 1);
			e[n].outcome = (const char *)(uintptr_t)(off[2] + 1);
			e[n].field = (const char *)(uintptr_t)(off[3] + 1);
			e[n].old = (const char *)(uintptr_t)(off[4] + 1);
			e[n].new = (const char *)(uintptr_t)(off[5] + 1);
			more = case_step(es) == CASE_ROW;
		}
		for (i = 0; i < n; i++) {
#define REBASE(p) ((p) = (uintptr_t)(p) == 0 ? NULL : pool + \
	((uintptr_t)(p) - 1))
			REBASE(actors[i]);
			REBASE(e[i].to);
			REBASE(e[i].outcome);
			REBASE(e[i].field);
			REBASE(e[i].old);
			REBASE(e[i].new);
#undef REBASE
		}
		x.e = e, x.ne = n;
		x.same_actor = x.backdated = 0;
		fold(r, &x, actors);
	}
	case_hist_free(&x.h);
	free(e);
	free(actors);
	free(pool);
}

/* The k-th smallest of v[0..n-1] (Hoare's selection: linear, in place). */
static int32_t
select_k(int32_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1, i, j;
	int32_t pivot, t;

	while (lo < hi) {
		pivot = v[lo + (hi - lo) / 2];
		i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i], v[i] = v[j], v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

/* Hours: the median (mean of the middle two) or the nearest-rank p90. */
static void
hours(struct durs *d, int p90, char *buf, size_t size)
{
	double v;
	size_t i;
	int32_t lo;

	buf[0] = '\0';
	if (d->n == 0)
		return;
	if (p90)
		v = select_k(d->v, d->n, (d->n * 9 + 9) / 10 - 1);
	else if (d->n % 2)
		v = select_k(d->v, d->n, d->n / 2);
	else {
		v = select_k(d->v, d->n, d->n / 2);
		/* The other middle one is the largest below it. */
		for (lo = d->v[0], i = 1; i < d->n / 2; i++)
			if (d->v[i] > lo)
				lo = d->v[i];
		v = (v + lo) / 2;
	}
	case_fmt_hours(v / 3600, buf, size);
}

/* Table and TSV show a rate whole; CSV and JSON as three fields. */
static int
split_rates(enum case_fmt fmt)
{
	return fmt == CASE_FMT_CSV || fmt == CASE_FMT_JSON;
}

/*
 * The columns: keys for TSV, CSV and JSON; for the table format, which
 * only a person reads, headings in the user's language (a key typed as
 * a period or unit:LEVEL stays as typed).
 */
static int
columns(struct run *r, int compare, const char **names, char *types)
{
	static char split[NFIG][2][48], change[NFIG][48], named[MAXKEYS][80];
	int n = 0, i, f, table = r->o->fmt == CASE_FMT_TABLE;

	if (compare)
		names[n] = table ? _("period") : "period", types[n++] = 't';
	for (i = 0; i < r->nkeys; i++) {
		names[n] = table && (r->ks[i].kind < K_PERIOD ||
		    r->ks[i].named) ? _(r->ks[i].name) : r->ks[i].name;
		types[n++] = 't';
		if (!r->ks[i].named)
			continue;
		/* Its name beside the code: street_name, ... */
		snprintf(named[i], sizeof named[i], "%s_name", r->ks[i].name);
		names[n] = table ? _(named[i]) : named[i], types[n++] = 't';
	}
	for (f = 0; f < r->nfig; f++) {
		i = r->fig[f];
		if (figures[i].num >= 0 && figures[i].den >= 0 &&
		    split_rates(r->o->fmt)) {
			snprintf(split[i][0], sizeof split[i][0], "%s_num",
			    figures[i].name);
			snprintf(split[i][1], sizeof split[i][1], "%s_den",
			    figures[i].name);
			names[n] = split[i][0], types[n++] = 'i';
			names[n] = split[i][1], types[n++] = 'i';
			names[n] = figures[i].name, types[n++] = 'n';
		} else {
			names[n] = table ? _(figures[i].name) : figures[i].name;
			types[n++] = figures[i].num >= 0 && figures[i].den >= 0 ?
			    't' : 'n';
		}
	}
	/* 环比 and 同比: each count's change in percent, each rate's in
	 * points, against the period compared with. */
	for (f = 0; compare && f < r->nfig; f++)
		if (figures[i = r->fig[f]].num >= 0) {
			if (table)
				snprintf(change[i], sizeof change[i],
				    _("%s_change"), _(figures[i].name));
			else
				snprintf(change[i], sizeof change[i],
				    "%s_change", figures[i].name);
			names[n] = change[i], types[n++] = 'n';
		}
	types[n] = '\0';
	return n;
}

#define MAXCOLS (1 + MAXKEYS * 2 + NFIG * 4)

/* How many columns, the period's and the keys', label a row. */
static int
keycols(const struct run *r, int compare)
{
	int n = compare ? 1 : 0, i;

	for (i = 0; i < r->nkeys; i++)
		n += r->ks[i].named ? 2 : 1;
	return n;
}

static int
gcmp(const void *a, const void *b)
{
	return strcmp((*(struct group *const *)a)->key,
	    (*(struct group *const *)b)->key);
}

/*
 * The change columns of a row: a count's change in percent of what it
 * was, a rate's in points; empty where there is nothing to compare.
 */
static void
changes(struct run *r, const struct group *g, const struct group *p,
    const char **v, int *n, char (*buf)[48])
{
	int i, f, text = !split_rates(r->o->fmt);
	const struct figure *fg;
	double was, now;

	for (f = 0; f < r->nfig; f++) {
		fg = &figures[i = r->fig[f]];
		if (fg->num < 0)
			continue;
		buf[i][0] = '\0';
		if (p != NULL && fg->den < 0 && p->n[fg->num] > 0) {
			was = p->n[fg->num], now = g->n[fg->num];
			snprintf(buf[i], sizeof buf[i], text ? "%+.1f%%" : "%.1f",
			    100 * (now - was) / was);
		} else if (p != NULL && fg->den >= 0 && g->n[fg->den] > 0 &&
		    p->n[fg->den] > 0) {
			was = 100.0 * p->n[fg->num] / p->n[fg->den];
			now = 100.0 * g->n[fg->num] / g->n[fg->den];
			snprintf(buf[i], sizeof buf[i], text ? "%+.1fpp" : "%.1f",
			    now - was);
		}
		v[(*n)++] = buf[i];
	}
}

static void
emit(struct run *r, struct case_out *out, struct group *g, const char *period,
    const char *label, const struct group *prev)
{
	const char *v[MAXCOLS];
	char buf[NFIG][3][48], chg[NFIG][48], *key, *p;
	int n = 0, i, j, f;
	long num, den;

	key = case_strdup(g->key);
	if (period != NULL)
		v[n++] = period;
	for (p = key, j = 0; j < r->nkeys; j++) {
		v[n++] = label != NULL ? (j == 0 ? label : "") :
		    strsep(&p, "\037");
		if (r->ks[j].named)
			v[n] = label != NULL ? "" : unit_name(r, v[n - 1]), n++;
	}
	for (f = 0; f < r->nfig; f++) {
		const struct figure *fg = &figures[i = r->fig[f]];

		if (fg->num < 0) {
			hours(&g->h[fg->den / 2], fg->den % 2, buf[i][0],
			    sizeof buf[i][0]);
			v[n++] = buf[i][0];
			continue;
		}
		num = g->n[fg->num];
		snprintf(buf[i][0], sizeof buf[i][0], "%ld", num);
		if (fg->den < 0) {
			v[n++] = buf[i][0];
			continue;
		}
		den = g->n[fg->den];
		buf[i][2][0] = '\0';
		if (den > 0)
			snprintf(buf[i][2], sizeof buf[i][2], "%.1f",
			    100.0 * num / den);
		if (split_rates(r->o->fmt)) {
			snprintf(buf[i][1], sizeof buf[i][1], "%ld", den);
			v[n++] = buf[i][0], v[n++] = buf[i][1];
			v[n++] = buf[i][2];
		} else {
			snprintf(buf[i][1], sizeof buf[i][1], "%ld/%ld %s%s",
			    num, den, den > 0 ? buf[i][2] : "-",
			    den > 0 ? "%" : "");
			v[n++] = buf[i][1];
		}
	}
	if (period != NULL)
		changes(r, g, prev, v, &n, chg);
	case_out_row(out, v);
	free(key);
}

/* The group of the period compared with that has g's key, if any. */
static const struct group *
match(struct group **gs, size_t n, const struct group *g)
{
	struct group **hit = bsearch(&g, gs, n, sizeof *gs, gcmp);

	return hit != NULL ? *hit : NULL;
}

/* The groups in key order, and their total (which the caller frees). */
static struct group **
sorted(struct run *r, struct table *t, struct group *total)
{
	struct group **gs = case_reallocarray(NULL, t->n + 1, sizeof *gs);
	size_t i, j, k;

	for (i = j = 0; i < t->cap; i++)
		if (t->slot[i] != NULL)
			gs[j++] = t->slot[i];
	qsort(gs, t->n, sizeof *gs, gcmp);
	memset(total, 0, sizeof *total);
	total->key = "";
	if (r->apart) {
		*total = r->whole;
		total->key = "";
		memset(&r->whole, 0, sizeof r->whole);
		return gs;
	}
	for (i = 0; i < t->n; i++) {
		for (k = 0; k < NCOUNT; k++)
			total->n[k] += gs[i]->n[k];
		for (k = 0; k < 2; k++)
			for (j = 0; j < gs[i]->h[k].n; j++)
				push(&total->h[k], gs[i]->h[k].v[j]);
	}
	return gs;
}

static void
free_table(struct table *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		if (t->slot[i] != NULL) {
			free(t->slot[i]->key);
			free(t->slot[i]->h[0].v);
			free(t->slot[i]->h[1].v);
			free(t->slot[i]);
		}
	free(t->slot);
	memset(t, 0, sizeof *t);
}

/* --check: figures that look too good, or that do not add up. */
static int
check(struct run *r, struct group **gs, size_t n, struct group *total)
{
	static const struct {
		int	 counter;
		const char *what;
	} flags[] = {
		{ N_NOVISIT, N_("closed without a follow-up visit") },
		{ N_ZERO, N_("closed the instant it was reported (zero "
		    "duration)") },
		{ N_NEGATIVE, N_("closed before it was reported (negative "
		    "duration)") },
		{ N_SAME_ACTOR, N_("reported and closed by the same actor") },
		{ N_DISORDER, N_("history with events out of time order") },
		{ N_DUPLICATE, N_("duplicates counted in received") },
		{ N_BACKDATED, N_("with an event recorded over a day after "
		    "its effective time") },
	};
	size_t i, j;
	int nflags = 0, f;
	char *label;

	for (i = 0; i <= n; i++) {
		struct group *g = i < n ? gs[i] : total;

		/* Without keys the one group is the total; with them the
		 * groups have said it all. */
		if ((i < n && r->nkeys == 0) || (i == n && n > 0 &&
		    r->nkeys > 0))
			continue;
		label = case_strdup(i < n && r->nkeys > 0 ? g->key : "total");
		for (j = 0; label[j] != '\0'; j++)
			if (label[j] == '\037')
				label[j] = '/';
		for (f = 0; f < NFIG; f++) {
			long num, den;

			if (figures[f].num < 0 || figures[f].den < 0)
				continue;
			num = g->n[figures[f].num];
			den = g->n[figures[f].den];
			if (den > 0 && den < 10 && num == den) {
				fprintf(r->fp, _("%s\t%s\t%ld/%ld 100.0%% on a "
				    "base under 10\n"), label, figures[f].name,
				    num, den);
				nflags++;
			}
		}
		for (j = 0; j < sizeof flags / sizeof flags[0]; j++)
			if (g->n[flags[j].counter] > 0) {
				fprintf(r->fp, "%s\t%s\t%ld %s\n", label,
				    countnames[flags[j].counter],
				    g->n[flags[j].counter], _(flags[j].what));
				nflags++;
			}
		free(label);
	}
	return nflags;
}

static void
fmt_bound(long long t, const char *none, char *buf, size_t size)
{
	if (t == CASE_NOTIME || t == INT64_MIN || t == INT64_MAX)
		snprintf(buf, size, "%s", none);
	else
		case_fmt_time(t, buf, size);
}

/*
 * --explain: each figure's definition, then the filters in force.  The
 * names on the left are the figures' keys and stay as they are: a
 * script reads the "as of" line (case-report-html).
 */
static void
explain(struct run *r)
{
	const struct case_filter *f = r->f;
	FILE *fp = r->fp;
	char a[40], b[40], t[40];
	int i;

	fprintf(fp, "\n");
	for (i = 0; i < r->nfig; i++)
		fprintf(fp, "%-18s %s\n", figures[r->fig[i]].name,
		    _(figures[r->fig[i]].def));
	fmt_bound(r->start, _("the beginning"), a, sizeof a);
	fmt_bound(r->end, _("the report's instant"), b, sizeof b);
	fmt_bound(r->t, "", t, sizeof t);
	fprintf(fp, _("%-18s from %s to (not including) %s\n"), "period", a,
	    b);
	fprintf(fp, "%-18s %s%s\n", "as of", t, r->o->as_of != CASE_NOTIME ?
	    _(" (only what had been recorded by then)") : "");
	fprintf(fp, "%-18s", "filters");
	if (f->unit != NULL)
		fprintf(fp, _(" --unit %s (and the units under it)"),
		    f->unit);
	if (f->grid != NULL)
		fprintf(fp, _(" --grid %s (and the units under it)"),
		    f->grid);
	if (f->category != NULL)
		fprintf(fp, " --category %s", f->category);
	if (f->source != NULL)
		fprintf(fp, " --source %s", f->source);
	if (f->status == CASE_ST_ONE)
		fprintf(fp, " --status %s", f->one);
	else if (f->status == CASE_ST_CLOSED)
		fprintf(fp, " --status closed");
	else if (f->status == CASE_ST_OPEN && f->status_set)
		fprintf(fp, " --status open");
	if (f->overdue)
		fprintf(fp, " --overdue");
	if (f->closed_since != CASE_NOTIME)
		fprintf(fp, " --closed-since %s",
		    case_fmt_time(f->closed_since, a, sizeof a));
	if (f->closed_until != CASE_NOTIME)
		fprintf(fp, _(" --closed-until %s (exclusive)"),
		    case_fmt_time(f->closed_until, a, sizeof a));
	putc('\n', fp);
	fprintf(fp, _("%-18s a case's unit, category, status and outcome as "
	    "they stood at the end of the period (of the row's period, by "
	    "period), for the filters and the groups: later work moves no "
	    "past count; --overdue and --due-within at the report's "
	    "instant\n"), "cases");
	if (r->period)
		fprintf(fp, _("%-18s each figure by its own time: received by "
		    "report (open, overdue and dispatch hours of those "
		    "received, as they stood at the period's end), due by the "
		    "instant it fell due, closed by closure, lapses by the "
		    "deadline missed; each row is the run for that period "
		    "alone\n"), "periods");
}

/* A part of the cases: a run of its own, and its statements. */
struct part {
	struct run r;
	struct case_stmt *cs, *es;
};

static void *
fold_part(void *arg)
{
	struct part *p = arg;

	facts(&p->r, p->cs, p->es);
	return NULL;
}

static void
part_range(struct case_stmt *cs, struct case_stmt *es, long long lo,
    long long hi)
{
	case_bind_int(cs, ":lo", lo);
	case_bind_int(cs, ":hi", hi);
	case_bind_int(es, ":lo", lo);
	case_bind_int(es, ":hi", hi);
}

/* g gets w's counts, and its durations after its own. */
static void
add_group(struct group *g, const struct group *w)
{
	size_t j;
	int k;

	for (k = 0; k < NCOUNT; k++)
		g->n[k] += w->n[k];
	for (k = 0; k < 2; k++)
		for (j = 0; j < w->h[k].n; j++)
			push(&g->h[k], w->h[k].v[j]);
}

/*
 * Folds the cases, in two parts if there is a reader: the first here,
 * the second (the higher IDs) in a thread, each part's counts its own
 * until the second's are added to the first's.
 */
static void
tally(struct run *r)
{
	struct case_stmt *cs, *es;
	struct part p;
	pthread_t th;
	long long mid = r->reader != NULL ? r->lo + (r->hi - r->lo) / 2 :
	    r->hi;
	size_t i;
	int threaded;

	free_table(&r->tab);
	r->last = NULL;
	r->last_id = 0;
	/* Every statement is bound here: binding is not for two threads. */
	cs = case_prepare(r->db, q_stats_cases);
	es = case_prepare(r->db, q_stats_events);
	part_range(cs, es, r->lo, mid);
	if (r->reader == NULL) {
		facts(r, cs, es);
		return;
	}
	p.r = *r;
	memset(&p.r.tab, 0, sizeof p.r.tab);
	memset(&p.r.whole, 0, sizeof p.r.whole);
	p.r.db = r->reader;
	p.r.then_id = 0;
	memset(p.r.pc, 0, sizeof p.r.pc);
	p.cs = case_prepare_once(r->reader, q_stats_cases);
	p.es = case_prepare_once(r->reader, q_stats_events);
	part_range(p.cs, p.es, mid, r->hi);
	/* Without a thread the parts are folded one after the other. */
	threaded = (errno = pthread_create(&th, NULL, fold_part, &p)) == 0;
	if (!threaded)
		warn("pthread_create");
	facts(r, cs, es);
	if (threaded && (errno = pthread_join(th, NULL)) != 0)
		err(CASE_EXIT_FATAL, "pthread_join");
	if (!threaded)
		fold_part(&p);
	case_finalize(p.cs);
	case_finalize(p.es);
	for (i = 0; i < p.r.tab.cap; i++)
		if (p.r.tab.slot[i] != NULL)
			add_group(lookup(&r->tab, p.r.tab.slot[i]->key),
			    p.r.tab.slot[i]);
	add_group(&r->whole, &p.r.whole);
	free_table(&p.r.tab);
	free_periods(&p.r);
	free(p.r.whole.h[0].v);
	free(p.r.whole.h[1].v);
}

/*
 * The cases' IDs, and a reader for the second part if the engine gives
 * one and it reads the same snapshot: the same cases and the same last
 * event.  --ids prints in the order of the cases: one part.
 */
static void
two_parts(struct run *r)
{
	struct case_stmt *st = case_prepare(r->db, q_stats_bounds);
	long long last = 0;

	r->lo = 0, r->hi = 1;
	if (case_step(st) == CASE_ROW && case_col_type(st, 0) != 'n') {
		r->lo = case_col_int(st, 0);
		r->hi = case_col_int(st, 1) + 1;
		last = case_col_int(st, 2);
	}
	case_reset(st);
	if (r->o->ids != NULL || r->hi - r->lo < 2 ||
	    (r->reader = case_db_reader(r->db)) == NULL)
		return;
	st = case_prepare_once(r->reader, q_stats_bounds);
	if (case_step(st) != CASE_ROW || case_col_int(st, 0) != r->lo ||
	    case_col_int(st, 1) != r->hi - 1 || case_col_int(st, 2) != last) {
		/* A write came between the two: one part, then. */
		case_finalize(st);
		case_db_close(r->reader);
		r->reader = NULL;
		return;
	}
	case_finalize(st);
}

/* The same length of time just before, or the same dates a year before. */
static void
compare_period(struct run *r, long long *start, long long *end)
{
	time_t s = (time_t)r->start, e = (time_t)r->end;
	struct tm ts, te;

	if (r->o->compare == 1) {
		*end = s;
		*start = s - (e - s);
		return;
	}
	localtime_r(&s, &ts);
	localtime_r(&e, &te);
	ts.tm_year--, te.tm_year--;
	ts.tm_isdst = te.tm_isdst = -1;
	*start = mktime(&ts);
	*end = mktime(&te);
}

static int
is_midnight(long long t)
{
	long long m;
	int dayonly;

	return case_parse_time("today", t, &m, &dayonly) == 0 && m == t;
}

/* Whole days as 2024-05-01..2024-05-31; else the instants themselves. */
static char *
period_label(long long start, long long end, char *buf, size_t size)
{
	char a[40], b[40];

	if (is_midnight(start) && is_midnight(end)) {
		case_period(start, 0, a, sizeof a);
		case_period(end - 1, 0, b, sizeof b);
	} else {
		case_fmt_time(start, a, sizeof a);
		case_fmt_time(end, b, sizeof b);
	}
	snprintf(buf, size, "%s..%s", a, b);
	return buf;
}

/*
 * --figures: the figures shown, in the order given, each once; by
 * default those before the counts of actions, in the order of
 * figures[].  A name not known is refused with the list of them all.
 */
static void
parse_figures(struct run *r, const char *list)
{
	char *copy, *p, *tok, *all;
	size_t len = 0;
	int i, k;

	r->nfig = 0;
	/*
	 * By default the figures before the counts of actions, so that
	 * the default output stays as it was for the scripts that read it.
	 */
	if (list == NULL) {
		for (i = 0; i < NFIG && figures[i].num != N_ESCALATED; i++)
			r->fig[r->nfig++] = i;
		return;
	}
	p = copy = case_strdup(list);
	while ((tok = strsep(&p, ",")) != NULL) {
		for (i = 0; i < NFIG && strcmp(tok, figures[i].name) != 0; i++)
			;
		if (i == NFIG) {
			for (i = 0; i < NFIG; i++)
				len += strlen(figures[i].name) + 2;
			all = case_malloc(len + 1);
			all[0] = '\0';
			for (i = 0; i < NFIG; i++) {
				if (i > 0)
					strcat(all, ", ");
				strcat(all, figures[i].name);
			}
			errx(CASE_EXIT_FATAL, _("--figures: unknown figure -- "
			    "%s (one of %s)"), case_esc(tok), all);
		}
		/* Each is one column: twice would make a JSON key twice. */
		for (k = 0; k < r->nfig; k++)
			if (r->fig[k] == i)
				errx(CASE_EXIT_FATAL, _("--figures: named "
				    "twice -- %s"), case_esc(tok));
		r->fig[r->nfig++] = i;
	}
	free(copy);
}

/*
 * Writes the figures of the cases the filters select, grouped by the
 * --by keys, then in total; or with o->ids, the IDs behind one count;
 * or with o->check, what looks wrong.  Returns the exit status.
 */
int
case_stats(struct case_db *db, const struct case_filter *f,
    const struct case_stats_opts *o, FILE *fp)
{
	struct run r;
	struct group **gs, total, **cgs = NULL, ctotal;
	struct table ctab = { NULL, 0, 0 };
	struct case_out *out;
	const char *names[MAXCOLS], *total_label;
	char types[MAXCOLS + 1], cur[96], prev[96];
	size_t i, cn = 0;
	int ncols, k, rc = CASE_EXIT_OK;

	memset(&r, 0, sizeof r);
	r.db = db, r.f = f, r.o = o, r.fp = fp;
	r.t = o->as_of != CASE_NOTIME ? o->as_of : f->now;
	r.start = f->since != CASE_NOTIME ? f->since : INT64_MIN;
	r.end = f->until != CASE_NOTIME && f->until <= r.t ? f->until : r.t + 1;
	if (o->compare && (f->since == CASE_NOTIME || f->until == CASE_NOTIME))
		errx(CASE_EXIT_FATAL, _("--compare needs --since and --until"));
	if (o->ids != NULL) {
		for (k = 0; k < NCOUNT && strcmp(o->ids, countnames[k]) != 0;
		    k++)
			;
		if (k == NCOUNT)
			errx(CASE_EXIT_FATAL, _("--ids: not a count -- %s (one "
			    "of received, due, closed, overdue, ...)"), o->ids);
	}
	parse_figures(&r, o->figures);
	r.nkeys = parse_keys(db, o->by, r.ks);
	for (k = 0; k < r.nkeys; k++)
		if (r.ks[k].named && r.names == NULL)
			load_names(&r);
	/* The total row's label is a value: translated in the table only. */
	total_label = r.nkeys == 0 ? NULL : o->fmt == CASE_FMT_TABLE ?
	    _("total") : "total";
	r.period = has_period(&r);
	for (k = 0; k < r.nkeys; k++)
		if (r.ks[k].kind == K_ASSIST)
			r.by_assist = 1;
	r.apart = r.period || r.by_assist;
	for (k = 0; k < r.nkeys; k++)
		if (r.ks[k].kind != K_PERIOD && r.ks[k].kind != K_SOURCE)
			r.by_case = 1;
	r.about_case = f->unit != NULL || f->grid != NULL ||
	    f->category != NULL ||
	    f->status_set || f->status != CASE_ST_ALL ||
	    f->closed_since != CASE_NOTIME || f->closed_until != CASE_NOTIME;
	if (f->unit != NULL)
		case_codes_load(db, q_filter_subtree, f->unit, &r.subtree);
	if (f->grid != NULL)
		case_codes_load(db, q_filter_subtree, f->grid, &r.grids);
	case_codes_load(db, q_stats_success, NULL, &r.success);
	case_codes_load(db, q_stats_same_day, NULL, &r.same_day);
	two_parts(&r);
	tally(&r);
	if (o->ids != NULL)
		rc = r.nids > 0 ? CASE_EXIT_OK : CASE_EXIT_REJECT;
	else {
		gs = sorted(&r, &r.tab, &total);
		cn = r.tab.n;
		if (o->check)
			rc = check(&r, gs, r.tab.n, &total) > 0 ?
			    CASE_EXIT_REJECT : CASE_EXIT_OK;
		else {
			ncols = columns(&r, o->compare, names, types);
			out = case_out_open(fp, o->fmt, ncols, names, types, 1);
			/* The meeting reads it on a page: 100 cells at most. */
			case_out_wrap(out, keycols(&r, o->compare), 100);
			period_label(r.start, r.end, cur, sizeof cur);
			if (o->compare) {
				/* The period compared with, counted first. */
				struct table keep = r.tab;
				long long s0 = r.start, e0 = r.end;

				memset(&r.tab, 0, sizeof r.tab);
				compare_period(&r, &r.start, &r.end);
				tally(&r);
				period_label(r.start, r.end, prev, sizeof prev);
				cgs = sorted(&r, &r.tab, &ctotal);
				ctab = r.tab;
				r.tab = keep;
				r.start = s0, r.end = e0;
			}
			for (i = 0; i < cn && r.nkeys > 0; i++)
				emit(&r, out, gs[i], o->compare ? cur : NULL,
				    NULL, o->compare ? match(cgs, ctab.n, gs[i]) :
				    NULL);
			emit(&r, out, &total, o->compare ? cur : NULL,
			    total_label, &ctotal);
			if (o->compare) {
				for (i = 0; i < ctab.n && r.nkeys > 0; i++)
					emit(&r, out, cgs[i], prev, NULL, NULL);
				emit(&r, out, &ctotal, prev, total_label,
				    NULL);
				free(cgs);
				free(ctotal.h[0].v), free(ctotal.h[1].v);
				free_table(&ctab);
			}
			case_out_close(out);
			if (o->explain)
				explain(&r);
		}
		free(gs);
		free(total.h[0].v), free(total.h[1].v);
	}
	free_table(&r.tab);
	free_periods(&r);
	if (r.reader != NULL)
		case_db_close(r.reader);
	case_codes_free(&r.subtree);
	case_codes_free(&r.grids);
	for (i = 0; i < r.nnames; i++)
		free(r.names[i].unit), free(r.names[i].anc);
	free(r.names);
	case_codes_free(&r.success);
	case_codes_free(&r.same_day);
	for (k = 0; k < r.nkeys; k++) {
		for (i = 0; i < r.ks[k].nr; i++)
			free(r.ks[k].r[i].unit), free(r.ks[k].r[i].anc);
		free(r.ks[k].r);
	}
	return rc;
}
