/* cases.c - adding and changing cases; every change is also an event */
#include <err.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/* An event to append: what the fold reads, plus what only people read. */
struct event {
	int	 action;
	const char *from, *to, *outcome, *note;
	const char *field, *old, *new;
	long long at, due, dispatch, ack;
};

/* A case as the writers need it: its life, from the cache columns. */
struct state {
	struct case_life l;
	long long dup_of;
};

/* An unknown code given to an option, by kind (CASE_KNOWN_UNIT, ...). */
static const char *no_such_code[] = {
	N_("--%s: no such unit -- %s"),
	N_("--%s: no such category -- %s"),
	N_("--%s: no such source -- %s"),
	N_("--%s: no such outcome -- %s"),
};

/*
 * The terms of each category category_clocks() was asked (CASE_TERM_...)
 * and its default tier.
 */
static struct category_terms {
	char	 code[CASE_CODE], terms[CASE_NTERM][64];
	int	 found, set[CASE_NTERM], priority;
} *categories;
static size_t ncategories;

/*
 * Starts the one transaction of a writing program.  Changed IDs are held
 * back until it commits, so that nothing downstream of a pipe acts on a
 * change that was then rolled back; they are kept as runs of consecutive
 * IDs, so that a million-case import holds a handful of numbers.
 */
void
case_ctx_init(struct case_ctx *ctx, struct case_db *db, const char *actor,
    int dryrun, int quiet)
{
	memset(ctx, 0, sizeof *ctx);
	ncategories = 0;
	ctx->db = db;
	ctx->actor = case_actor(actor);
	ctx->osuser = case_osuser();
	ctx->now = case_now();
	ctx->dryrun = dryrun;
	ctx->quiet = quiet;
	if (!case_utf8_valid(ctx->actor, strlen(ctx->actor)))
		errx(CASE_EXIT_FATAL, _("--actor: invalid UTF-8"));
	case_begin(db);
}

/*
 * Notes a changed case: its ID, or with --dry-run what would be done,
 * which can be said at once since nothing will be committed.
 */
void
case_changed(struct case_ctx *ctx, long long id)
{
	size_t n = ctx->nruns;

	if (ctx->dryrun) {
		fprintf(ctx->dryout != NULL ? ctx->dryout : stdout,
		    _("%lld\twould %s\n"), id, ctx->what);
		return;
	}
	if (ctx->quiet)
		return;
	if (n > 0 && ctx->runs[n - 1][1] + 1 == id) {
		ctx->runs[n - 1][1] = id;
		return;
	}
	ctx->runs = case_reallocarray(ctx->runs, n + 1, sizeof *ctx->runs);
	ctx->runs[n][0] = ctx->runs[n][1] = id;
	ctx->nruns++;
}

/*
 * Commits (or with --dry-run rolls back), then writes out the IDs and
 * returns the exit status: 1 if any item was rejected.
 */
int
case_ctx_finish(struct case_ctx *ctx, int nbad)
{
	size_t i;
	long long id;

	if (ctx->dryrun)
		case_rollback(ctx->db);
	else
		case_commit(ctx->db);
	case_db_close(ctx->db);
	if (ctx->dryout != NULL) {
		char buf[8192];
		size_t n;

		rewind(ctx->dryout);
		while ((n = fread(buf, 1, sizeof buf, ctx->dryout)) > 0)
			fwrite(buf, 1, n, stdout);
		fclose(ctx->dryout);
	}
	for (i = 0; i < ctx->nruns; i++)
		for (id = ctx->runs[i][0]; id <= ctx->runs[i][1]; id++)
			printf("%lld\n", id);
	free(ctx->runs);
	case_finish_stdout();
	return nbad > 0 ? CASE_EXIT_REJECT : CASE_EXIT_OK;
}

void
case_new_init(struct case_new *n)
{
	memset(n, 0, sizeof *n);
	n->reported = n->due = n->assigned = n->closed = CASE_NOTIME;
}

/*
 * Is code one of the kind's codes (CASE_KNOWN_UNIT, ...)?  Reference data
 * is small and, inside a writer's transaction, fixed: it is read once,
 * and an import checks a million rows against it in memory.
 */
int
case_known(struct case_db *db, int kind, const char *code)
{
	static struct case_codes set[4];
	static int loaded[4];

	if (!loaded[kind]) {
		case_codes_load(db, q_cases_codes[kind], NULL, &set[kind]);
		loaded[kind] = 1;
	}
	return case_codes_has(&set[kind], code);
}

/* For an option's code: an unknown one is a usage error (exit 2). */
void
case_check_code(struct case_db *db, int kind, const char *opt, const char *code)
{
	if (code != NULL && !case_known(db, kind, code))
		errx(CASE_EXIT_FATAL, _(no_such_code[kind]), opt,
		    case_esc(code));
}

static void
copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

/* Loads a case's life from its cache columns; -1 if there is no case. */
static int
load(struct case_ctx *ctx, long long id, struct state *s)
{
	struct case_stmt *st = case_prepare(ctx->db, q_cases_state);
	struct case_life *l = &s->l;
	const char *sat;
	int k;

	case_bind_int(st, ":id", id);
	if (case_step(st) != CASE_ROW)
		return -1;
	case_life_init(l, NULL);
	if ((k = case_state_parse(case_col_text(st, 0))) >= 0)
		l->state = k;
	copy(l->unit, sizeof l->unit, case_col_text(st, 1));
	copy(l->category, sizeof l->category, case_col_text(st, 2));
	l->reported = case_col_time(st, 3);
	l->due = case_col_time(st, 4);
	l->dispatch = case_col_time(st, 5);
	l->paused_at = case_col_time(st, 6);
	l->supervised = case_col_time(st, 7);
	if ((k = case_state_parse(case_col_text(st, 8))) >= 0)
		l->paused_from = k;
	l->assigned = case_col_time(st, 9);
	l->closed = case_col_time(st, 10);
	copy(l->outcome, sizeof l->outcome, case_col_text(st, 11));
	l->extensions = case_col_int(st, 12);
	l->handlings = case_col_int(st, 13);
	l->reworks = case_col_int(st, 14);
	sat = case_col_text(st, 15);
	l->visited = sat != NULL;
	l->satisfied = sat != NULL && strcmp(sat, "satisfied") == 0;
	s->dup_of = case_col_time(st, 16);
	l->last = case_col_time(st, 17);
	if ((k = case_priority_parse(case_col_text(st, 18))) >= 0)
		l->priority = k;
	/* Cached only while it runs: the holder has not signed for it. */
	l->ack = case_col_time(st, 19);
	/* A lapse already past is not a new one. */
	l->due_lapsed = l->due != CASE_NOTIME && l->due < l->last;
	l->dispatch_lapsed = l->dispatch != CASE_NOTIME &&
	    l->dispatch < l->last;
	return 0;
}

/* A case's life as its cache columns hold it; -1 if there is no case. */
int
case_load(struct case_ctx *ctx, long long id, struct case_life *l)
{
	struct state s;

	if (load(ctx, id, &s) == -1)
		return -1;
	*l = s.l;
	return 0;
}

/*
 * Fills the cached sign-for limits (ack_due) of a database made before
 * they were kept, from the histories of the cases held by a unit: the
 * migration to schema 18 does this once, in its transaction.
 */
void
case_refill_sign_by(struct case_db *db)
{
	struct case_stmt *st;
	struct case_life l;
	long long *ids, by;
	size_t n, i;
	char *title;

	n = case_col_ids(case_prepare(db, q_cases_holding), &ids);
	for (i = 0; i < n; i++) {
		if (case_as_of(db, ids[i], LLONG_MAX, CASE_NOTIME, &l,
		    &title) == -1)
			continue;
		free(title);
		if ((by = case_life_sign_by(&l)) == CASE_NOTIME)
			continue;
		st = case_prepare(db, q_cases_sign_by);
		case_bind_int(st, ":ack", by);
		case_bind_int(st, ":id", ids[i]);
		case_step(st);
	}
	free(ids);
}

/* Writes the cache columns from what the case now is. */
static void
store(struct case_ctx *ctx, long long id, const struct case_life *l)
{
	struct case_stmt *st = case_prepare(ctx->db, q_cases_store);
	int paused = l->state == CASE_S_PAUSED;

	case_bind_text(st, ":status", case_state_name(l->state));
	case_bind_text(st, ":unit", l->unit[0] != '\0' ? l->unit : NULL);
	case_bind_time(st, ":due", l->due);
	case_bind_time(st, ":dispatch", l->dispatch);
	case_bind_time(st, ":assigned", l->assigned);
	case_bind_time(st, ":closed", l->closed);
	case_bind_text(st, ":outcome", l->outcome[0] != '\0' ? l->outcome :
	    NULL);
	case_bind_time(st, ":paused", paused ? l->paused_at : CASE_NOTIME);
	case_bind_text(st, ":paused_from", paused ?
	    case_state_name(l->paused_from) : NULL);
	case_bind_time(st, ":supervised", l->supervised);
	case_bind_int(st, ":extensions", l->extensions);
	case_bind_int(st, ":handlings", l->handlings);
	case_bind_int(st, ":reworks", l->reworks);
	case_bind_text(st, ":sat", !l->visited ? NULL : l->satisfied ?
	    "satisfied" : "unsatisfied");
	case_bind_time(st, ":ack", case_life_sign_by(l));
	case_bind_int(st, ":id", id);
	case_step(st);
}

/*
 * The ID the next event will have, numbered here as the engines would
 * number it (one more than the largest), as case_add() numbers cases: a
 * server need not look up the largest for each of a load's events.
 */
static long long
next_event(struct case_ctx *ctx)
{
	struct case_stmt *st;

	if (ctx->next_event == 0) {
		st = case_prepare(ctx->db, q_cases_max_event);
		case_step(st);
		ctx->next_event = case_col_int(st, 0) + 1;
		case_reset(st);
	}
	return ctx->next_event;
}

/*
 * Appends an event to the case's history and moves its life on by it:
 * the one way a case changes.  The event keeps both times, and any
 * deadline it replaced.
 */
static void
event(struct case_ctx *ctx, long long id, struct case_life *l,
    const struct event *e, int cached)
{
	struct case_stmt *st;
	long long due0 = l->due, disp0 = l->dispatch;
	struct case_event ce = { e->at != 0 ? e->at : ctx->now,
	    case_realnow(), e->action, e->to, e->outcome, e->field, e->old,
	    e->new, e->due != 0 ? e->due : CASE_NOTIME,
	    e->dispatch != 0 ? e->dispatch : CASE_NOTIME,
	    e->ack != 0 ? e->ack : CASE_NOTIME, e->note };

	next_event(ctx);
	st = case_prepare(ctx->db, q_cases_event);
	case_life_apply(l, &ce);
	/* A deadline counted from near the end of 9999 (case_in_years). */
	if (!case_in_years(ce.at) || !case_in_years(ce.due) ||
	    !case_in_years(ce.dispatch) || !case_in_years(ce.ack) ||
	    !case_in_years(l->due) || !case_in_years(l->dispatch) ||
	    !case_in_years(case_life_sign_by(l)))
		errx(CASE_EXIT_FATAL, _("case %lld: a deadline past the year "
		    "9999; nothing written"), id);
	case_bind_int(st, ":id", ctx->next_event++);
	case_bind_int(st, ":case", id);
	case_bind_int(st, ":at", ce.at);
	case_bind_int(st, ":recorded", ce.recorded);
	case_bind_text(st, ":actor", ctx->actor);
	case_bind_text(st, ":osuser", ctx->osuser);
	case_bind_text(st, ":action", case_action_name(e->action));
	case_bind_text(st, ":from", e->from);
	case_bind_text(st, ":to", e->to);
	case_bind_time(st, ":due", ce.due);
	case_bind_time(st, ":due_old", l->due != due0 &&
	    e->action != CASE_A_REPORTED ? due0 : CASE_NOTIME);
	case_bind_time(st, ":dispatch", ce.dispatch);
	case_bind_time(st, ":dispatch_old", l->dispatch != disp0 &&
	    e->action != CASE_A_REPORTED ? disp0 : CASE_NOTIME);
	case_bind_text(st, ":outcome", e->outcome);
	case_bind_text(st, ":note", e->note != NULL ? e->note : ctx->note ?
	    ctx->note : "");
	case_bind_text(st, ":field", e->field);
	case_bind_text(st, ":old", e->old);
	case_bind_text(st, ":new", e->new);
	case_bind_time(st, ":ack", ce.ack);
	case_step(st);
	if (cached)
		store(ctx, id, l);
}

/*
 * A category's terms, as asked once for the context's life
 * (case_ctx_init() forgets them): a batch asks the same few again and
 * again, in any order, and a server would be asked each time (and a
 * load's rows sent between the questions, not all at once).  A code too
 * long to keep is asked each time, into the last entry.
 */
static struct category_terms *
category_terms(struct case_ctx *ctx, const char *cat)
{
	struct category_terms *c;
	struct case_stmt *st;
	size_t i;
	int j;

	for (i = 0; i < ncategories; i++)
		if (strcmp(categories[i].code, cat) == 0)
			return &categories[i];
	categories = case_reallocarray(categories, ncategories + 1,
	    sizeof *categories);
	c = &categories[ncategories];
	st = case_prepare(ctx->db, q_cases_category);
	case_bind_text(st, ":code", cat);
	c->found = case_step(st) == CASE_ROW;
	/* Terms that long are no terms (case_deadline_parse). */
	for (j = 0; j < CASE_NTERM; j++)
		c->set[j] = c->found && !case_col_null(st, j) &&
		    snprintf(c->terms[j], sizeof c->terms[j], "%s",
		    case_col_text(st, j)) < (int)sizeof c->terms[j];
	c->priority = c->found ? case_priority_parse(case_col_text(st,
	    CASE_NTERM)) : -1;
	if (c->priority < 0)
		c->priority = CASE_P_NORMAL;
	case_reset(st);
	if (strlen(cat) < CASE_CODE) {
		case_code_copy(c->code, cat);
		ncategories++;
	}
	return c;
}

/*
 * A category's resolution deadline for a case of tier p (the lifecycle
 * says which term is the tier's) and its dispatch limit, from time from.
 */
static void
category_clocks(struct case_ctx *ctx, const char *cat, int p, long long from,
    long long *due, long long *dispatch)
{
	struct category_terms *c = category_terms(ctx, cat);
	char (*terms)[64] = c->terms;
	int *set = c->set, t = case_priority_term(p, set);

	*dispatch = CASE_NOTIME;
	if (!c->found) {
		if (due != NULL)
			*due = CASE_NOTIME;
		return;
	}
	/* A deadline given by hand is not computed (nor warned about). */
	if (due != NULL)
		*due = case_deadline(ctx->db, set[t] ? terms[t] : NULL, from);
	*dispatch = case_deadline(ctx->db, set[CASE_TERM_DISPATCH] ?
	    terms[CASE_TERM_DISPATCH] : NULL, from);
}

/*
 * The sign-for limit of a unit given a case of the category at time
 * from: the category's ack term, else CASE_ACK_DEFAULT (casekit(7)).
 */
static long long
ack_limit(struct case_ctx *ctx, const char *cat, long long from)
{
	struct category_terms *c = category_terms(ctx, cat);

	return case_deadline(ctx->db, c->found && c->set[CASE_TERM_ACK] ?
	    c->terms[CASE_TERM_ACK] : CASE_ACK_DEFAULT, from);
}

static long long
deadline(struct case_ctx *ctx, const char *cat, int p, long long from)
{
	long long due, dispatch;

	category_clocks(ctx, cat, p, from, &due, &dispatch);
	return due;
}

static const char *
reject(struct case_ctx *ctx, const char *col, const char *why, const char *v)
{
	if (v != NULL)
		snprintf(ctx->err, sizeof ctx->err, "%s: %s -- %s", col, why,
		    case_esc(v));
	else
		snprintf(ctx->err, sizeof ctx->err, "%s: %s", col, why);
	return ctx->err;
}

/*
 * Why an external reference is bad, or NULL: what an office types and
 * quotes back, so text on one line, and one case's within its source
 * (the index says so too, but not which case holds it).
 */
static const char *
check_ref(struct case_ctx *ctx, const struct case_new *n, int adding)
{
	const unsigned char *p;
	const char *source = n->source != NULL ? n->source : "other";
	long long id;

	if (n->ref[0] == '\0')
		return reject(ctx, "ref", _("empty"), NULL);
	if (strlen(n->ref) > CASE_REF_MAX) {
		snprintf(ctx->err, sizeof ctx->err, _("ref: longer than %d "
		    "bytes"), CASE_REF_MAX);
		return ctx->err;
	}
	if (!case_utf8_valid(n->ref, strlen(n->ref)))
		return reject(ctx, "ref", _("invalid UTF-8"), NULL);
	for (p = (const unsigned char *)n->ref; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return reject(ctx, "ref",
			    _("control characters are not allowed"), n->ref);
	if (adding && (id = case_ref_find(ctx->db, source, n->ref)) > 0) {
		snprintf(ctx->err, sizeof ctx->err, _("ref: case %lld of "
		    "source %s has %s already (unique per source)"), id,
		    source, case_esc(n->ref));
		return ctx->err;
	}
	return NULL;
}

/*
 * Why a record is bad, or NULL.  A record for a case that exists
 * (adding 0: case-add --update) need not name title and category, and
 * takes its case's ID.
 */
static const char *
check_new(struct case_ctx *ctx, const struct case_new *n, int adding)
{
	const char *text[] = { n->location, n->reporter, n->title,
	    n->description, n->outcome_note };
	const char *names[] = { "location", "reporter", "title", "description",
	    "outcome_note" };
	const char *why;
	size_t i;

	for (i = 0; i < sizeof text / sizeof text[0]; i++)
		if (text[i] != NULL && !case_utf8_valid(text[i], strlen(text[i])))
			return reject(ctx, names[i], _("invalid UTF-8"),
			    NULL);
	if (n->title != NULL ? n->title[0] == '\0' : adding)
		return reject(ctx, "title", _("missing"), NULL);
	if (n->category != NULL ? n->category[0] == '\0' : adding)
		return reject(ctx, "category", _("missing"), NULL);
	if (n->category != NULL &&
	    !case_known(ctx->db, CASE_KNOWN_CATEGORY, n->category))
		return reject(ctx, "category", _("no such category"),
		    n->category);
	if (n->source != NULL && !case_known(ctx->db, CASE_KNOWN_SOURCE,
	    n->source))
		return reject(ctx, "source", _("no such source"),
		    n->source);
	if (n->grid != NULL && !case_known(ctx->db, CASE_KNOWN_UNIT, n->grid))
		return reject(ctx, "grid", _("no such unit"), n->grid);
	if (n->unit != NULL && !case_known(ctx->db, CASE_KNOWN_UNIT, n->unit))
		return reject(ctx, "unit", _("no such unit"), n->unit);
	if (n->outcome != NULL && !case_known(ctx->db, CASE_KNOWN_OUTCOME,
	    n->outcome))
		return reject(ctx, "outcome", _("no such outcome"),
		    n->outcome);
	if (n->status != NULL && case_status_known(n->status) < 0)
		return reject(ctx, "status", _("no such status"),
		    n->status);
	if (n->status != NULL && strcmp(n->status, "paused") == 0)
		return reject(ctx, "status",
		    _("a paused case cannot be imported"), NULL);
	if (n->status != NULL && strcmp(n->status, "closed") == 0 &&
	    (n->outcome == NULL || n->closed == CASE_NOTIME))
		return reject(ctx, "status", _("a closed case needs outcome "
		    "and closed"), NULL);
	if ((n->outcome != NULL || n->closed != CASE_NOTIME) &&
	    (n->status == NULL || strcmp(n->status, "closed") != 0))
		return reject(ctx, "status", _("outcome and closed need status "
		    "closed"), NULL);
	if (n->status != NULL && (strcmp(n->status, "assigned") == 0 ||
	    strcmp(n->status, "handled") == 0) && n->unit == NULL)
		return reject(ctx, "unit", _("an assigned case needs a unit"),
		    NULL);
	if (n->ref != NULL && (why = check_ref(ctx, n, adding)) != NULL)
		return why;
	if (n->priority != NULL && case_priority_parse(n->priority) < 0)
		return reject(ctx, "priority", _("must be urgent, high or "
		    "normal (紧急, 重要, 一般)"), n->priority);
	if (adding && n->id > 0) {
		struct case_stmt *st = case_prepare(ctx->db, q_cases_id_taken);

		case_bind_int(st, ":id", n->id);
		if (case_step(st) == CASE_ROW) {
			snprintf(ctx->err, sizeof ctx->err,
			    _("id: case %lld exists"), n->id);
			return ctx->err;
		}
	}
	return NULL;
}

/* Why a record for a case that exists is bad (as case_add), or NULL. */
const char *
case_check_record(struct case_ctx *ctx, const struct case_new *n)
{
	return check_new(ctx, n, 0);
}

/* The smallest ID above every case's (0) or, from from on, a free one. */
long long
case_free_id(struct case_ctx *ctx, long long from)
{
	struct case_stmt *st;

	if (from <= 0) {
		st = case_prepare(ctx->db, q_cases_max_id);
		case_step(st);
		return case_col_int(st, 0) + 1;
	}
	for (;; from++) {
		st = case_prepare(ctx->db, q_cases_id_taken);
		case_bind_int(st, ":id", from);
		if (case_step(st) != CASE_ROW)
			return from;
	}
}

/*
 * Adds a case.  A record from another system (case-add --csv) may bring
 * its own status, times and outcome; history events are written to match,
 * at the times the record gives.
 */
const char *
case_add(struct case_ctx *ctx, const struct case_new *n, long long *id)
{
	struct case_stmt *st;
	struct case_life l;
	long long rep, due, dispatch, asg, ack;
	const char *status, *why;
	int intake, p;

	if ((why = check_new(ctx, n, 1)) != NULL)
		return why;
	rep = n->reported != CASE_NOTIME ? n->reported : ctx->now;
	due = n->due;
	/* Without a tier of its own, a case takes its category's. */
	if ((p = case_priority_parse(n->priority)) < 0)
		p = category_terms(ctx, n->category)->priority;
	category_clocks(ctx, n->category, p, rep, due == CASE_NOTIME ? &due :
	    NULL, &dispatch);
	/* A record still at intake names its unit but was not sent there. */
	intake = n->status != NULL && (strcmp(n->status, "reported") == 0 ||
	    strcmp(n->status, "returned") == 0);
	asg = n->assigned != CASE_NOTIME ? n->assigned :
	    n->unit != NULL && !intake ? rep : CASE_NOTIME;
	status = n->status != NULL ? n->status :
	    n->unit != NULL ? "assigned" : "reported";
	/*
	 * A record that brings its own status or time of assignment is
	 * another system's history, which says nothing of a signing: its
	 * assignment (below) starts no sign-for clock.
	 */
	ack = n->unit != NULL && !intake && n->status == NULL &&
	    n->assigned == CASE_NOTIME ? ack_limit(ctx, n->category, asg) :
	    CASE_NOTIME;
	if (!case_in_years(due) || !case_in_years(dispatch) ||
	    !case_in_years(ack))
		return reject(ctx, "due", _("past the year 9999"), NULL);
	/*
	 * The IDs are counted here, as SQLite counts its row IDs (one more
	 * than the largest), under the write lock case_ctx_init() took: so
	 * no engine is asked which ID it gave.
	 */
	if (n->id > 0)
		*id = n->id;
	else if (ctx->next_id > 0)
		*id = ctx->next_id;
	else
		*id = case_free_id(ctx, 0);
	if (*id >= ctx->next_id)
		ctx->next_id = *id + 1;
	st = case_prepare(ctx->db, q_cases_insert);
	case_bind_int(st, ":id", *id);
	case_bind_int(st, ":reported", rep);
	case_bind_text(st, ":source", n->source != NULL ? n->source : "other");
	case_bind_text(st, ":category", n->category);
	case_bind_text(st, ":grid", n->grid);
	case_bind_text(st, ":location", n->location ? n->location : "");
	case_bind_text(st, ":reporter", n->reporter ? n->reporter : "");
	case_bind_text(st, ":title", n->title);
	case_bind_text(st, ":description", n->description ? n->description : "");
	case_bind_text(st, ":unit", n->unit);
	case_bind_text(st, ":status", status);
	case_bind_time(st, ":due", due);
	case_bind_time(st, ":assigned", asg);
	case_bind_time(st, ":closed", n->closed);
	case_bind_text(st, ":outcome", n->outcome);
	case_bind_text(st, ":outcome_note", n->outcome_note ? n->outcome_note :
	    "");
	case_bind_time(st, ":dispatch_due", dispatch);
	case_bind_text(st, ":ref", n->ref);
	/*
	 * Seven decimals as text, which the column's type makes a number:
	 * so both engines store the same double (and a load keeps COPY).
	 */
	case_bind_text(st, ":lat", n->lat);
	case_bind_text(st, ":lon", n->lon);
	case_bind_text(st, ":priority", case_priority_name(p));
	/* The clock the assignment below starts (none for a closed case). */
	case_bind_time(st, ":ack_due", ack);
	case_step(st);
	/* The row as given is the cache; the events are its history. */
	case_life_init(&l, NULL);
	event(ctx, *id, &l, &(struct event){ .action = CASE_A_REPORTED,
	    .at = rep, .due = due, .dispatch = dispatch,
	    .to = intake ? n->unit : NULL }, 0);
	if (n->unit != NULL && !intake)
		event(ctx, *id, &l, &(struct event){ .action = CASE_A_ASSIGNED,
		    .at = asg, .to = n->unit, .ack = ack }, 0);
	if (strcmp(status, "handled") == 0)
		event(ctx, *id, &l, &(struct event){ .action = CASE_A_HANDLED,
		    .at = asg }, 0);
	if (strcmp(status, "returned") == 0)
		event(ctx, *id, &l, &(struct event){ .action = CASE_A_RETURNED,
		    .at = rep, .to = n->unit, .dispatch = dispatch }, 0);
	if (n->closed != CASE_NOTIME)
		event(ctx, *id, &l, &(struct event){ .action = CASE_A_CLOSED,
		    .at = n->closed, .outcome = n->outcome,
		    .note = n->outcome_note != NULL ? n->outcome_note : "" },
		    0);
	snprintf(ctx->what, sizeof ctx->what, _("add %s%s%s"), n->category,
	    n->unit != NULL ? " -> " : "", n->unit != NULL ? n->unit : "");
	return NULL;
}

/*
 * Loads the case and asks the lifecycle whether the action may be taken
 * on it now; an effective time before the case's last event is refused,
 * so that history stays in the order it happened.
 */
static const char *
may(struct case_ctx *ctx, long long id, struct state *s, int action)
{
	const char *why;

	if (load(ctx, id, s) == -1)
		return _("no such case");
	if ((why = case_life_refuse(&s->l, action, ctx->note != NULL)) != NULL)
		return why;
	return case_life_late(&s->l, ctx->now, ctx->err, sizeof ctx->err);
}

/*
 * Does unit assist on the case (the assists cache)?  If so, *done is
 * when it reported its part handled (CASE_NOTIME: not yet).
 */
static int
assists(struct case_ctx *ctx, long long id, const char *unit, long long *done)
{
	struct case_stmt *st = case_prepare(ctx->db, q_cases_assist_of);
	int found;

	case_bind_int(st, ":id", id);
	case_bind_text(st, ":unit", unit);
	found = case_step(st) == CASE_ROW;
	if (found && done != NULL)
		*done = case_col_time(st, 0);
	case_reset(st);
	return found;
}

/*
 * An event of the assisting set (assisted, unassisted, part-done),
 * and the assists cache made to say the same.  The case's own life and
 * cache columns are untouched: lifecycle.c folds these apart.
 */
static void
assist_event(struct case_ctx *ctx, long long id, struct case_life *l,
    int action, const char *unit)
{
	struct case_stmt *st;

	event(ctx, id, l, &(struct event){ .action = action, .to = unit }, 0);
	if (action == CASE_A_ASSISTED) {
		st = case_prepare(ctx->db, q_cases_assist_put);
		case_bind_time(st, ":since", ctx->now);
	} else if (action == CASE_A_UNASSISTED)
		st = case_prepare(ctx->db, q_cases_assist_drop);
	else {
		st = case_prepare(ctx->db, q_cases_assist_done);
		case_bind_time(st, ":done", ctx->now);
	}
	case_bind_int(st, ":id", id);
	case_bind_text(st, ":unit", unit);
	case_step(st);
}

/*
 * A unit that comes to lead a case (an assignment, an escalation, a
 * return) assists on it no more: a unit is lead or assisting, not both.
 * The other assisting units stay.
 */
static void
now_leads(struct case_ctx *ctx, long long id, struct case_life *l,
    const char *unit)
{
	if (unit != NULL && unit[0] != '\0' && assists(ctx, id, unit, NULL))
		assist_event(ctx, id, l, CASE_A_UNASSISTED, unit);
}

const char *
case_assign(struct case_ctx *ctx, long long id, const char *to)
{
	struct state s;
	const char *why;
	char from[CASE_CODE];

	if ((why = may(ctx, id, &s, CASE_A_ASSIGNED)) != NULL)
		return why;
	if (strcmp(s.l.unit, to) == 0 && s.l.state == CASE_S_ASSIGNED)
		return NULL;	/* already there: nothing to pass on */
	copy(from, sizeof from, s.l.unit);
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_ASSIGNED,
	    .from = from[0] != '\0' ? from : NULL, .to = to,
	    .ack = ctx->foreign ? CASE_NOTIME :
	    ack_limit(ctx, s.l.category, ctx->now) }, 1);
	now_leads(ctx, id, &s.l, to);
	snprintf(ctx->what, sizeof ctx->what, _("assign %s -> %s"),
	    from[0] != '\0' ? from : "-", to);
	return NULL;
}

/*
 * Gives the case assisting units (协办), after handing it to to if that
 * is given: each unit not assisting yet joins, one assisted event each.
 * A case needs a lead to be assisted, and its lead cannot assist too;
 * either refused, nothing is written.
 */
const char *
case_assist(struct case_ctx *ctx, long long id, const char *to,
    char *const *units, size_t n)
{
	struct state s;
	const char *why, *lead;
	char done[sizeof ctx->what + 2];
	size_t i, len, added = 0;

	if ((why = may(ctx, id, &s, CASE_A_ASSISTED)) != NULL)
		return why;
	lead = to != NULL ? to : s.l.unit;
	if (lead[0] == '\0')
		return _("case has no lead unit: give --to with --assist");
	for (i = 0; i < n; i++)
		if (strcmp(units[i], lead) == 0) {
			snprintf(ctx->err, sizeof ctx->err, _("--assist: %s "
			    "leads the case and cannot also assist"),
			    case_esc(units[i]));
			return ctx->err;
		}
	done[0] = ctx->what[0] = '\0';
	if (to != NULL) {
		if ((why = case_assign(ctx, id, to)) != NULL)
			return why;
		if (ctx->what[0] != '\0')	/* not already its lead */
			snprintf(done, sizeof done, "%s, ", ctx->what);
		load(ctx, id, &s);
	}
	/* What was done: the assignment, then the units that joined. */
	for (i = 0; i < n; i++) {
		if (assists(ctx, id, units[i], NULL))
			continue;	/* there already */
		assist_event(ctx, id, &s.l, CASE_A_ASSISTED, units[i]);
		if (added++ == 0)
			snprintf(ctx->what, sizeof ctx->what,
			    _("%sassisted by %s"), done, units[i]);
		else if ((len = strlen(ctx->what)) < sizeof ctx->what)
			snprintf(ctx->what + len, sizeof ctx->what - len,
			    ",%s", units[i]);
	}
	return NULL;	/* nothing new: what is the assignment's, or empty */
}

/* Takes assisting units off the case, each of which must assist on it. */
const char *
case_unassist(struct case_ctx *ctx, long long id, char *const *units,
    size_t n)
{
	struct state s;
	const char *why;
	size_t i;

	if ((why = may(ctx, id, &s, CASE_A_UNASSISTED)) != NULL)
		return why;
	for (i = 0; i < n; i++)
		if (!assists(ctx, id, units[i], NULL)) {
			snprintf(ctx->err, sizeof ctx->err, _("--unassist: %s "
			    "does not assist on the case"), case_esc(units[i]));
			return ctx->err;
		}
	for (i = 0; i < n; i++)
		assist_event(ctx, id, &s.l, CASE_A_UNASSISTED, units[i]);
	snprintf(ctx->what, sizeof ctx->what, _("no longer assisted by %s"),
	    units[0]);
	return NULL;
}

/* Marks a case under supervision (督办), once for each lapse. */
static const char *
supervise(struct case_ctx *ctx, long long id, struct state *s,
    long long lapsed)
{
	char unit[CASE_CODE];

	if (s->l.supervised == lapsed)
		return NULL;	/* this lapse is marked already */
	copy(unit, sizeof unit, s->l.unit);
	event(ctx, id, &s->l, &(struct event){ .action = CASE_A_SUPERVISED,
	    .from = unit[0] != '\0' ? unit : NULL, .due = lapsed }, 1);
	snprintf(ctx->what, sizeof ctx->what, _("supervise at %s"),
	    unit[0] != '\0' ? unit : "-");
	return NULL;
}

/*
 * Moves a case to its unit's parent, with a fresh deadline counted from
 * now: the parent unit's own deadline if the units file gives one, else
 * the category's.  An overdue case with nowhere higher to go (or no unit
 * at all) is marked under supervision instead, once for each lapse, so
 * that a nightly cron run never acts twice on the same lapse.  With
 * if_overdue, a case no longer overdue when the write happens is left.
 */
const char *
case_escalate(struct case_ctx *ctx, long long id, int if_overdue)
{
	struct state s;
	struct case_stmt *st;
	const char *why;
	char parent[CASE_CODE], spec[32], from[CASE_CODE];
	long long due, lapsed;

	if ((why = may(ctx, id, &s, CASE_A_ESCALATED)) != NULL)
		return why;
	lapsed = case_life_lapse(&s.l, ctx->now);
	if (if_overdue && lapsed == CASE_NOTIME) {
		ctx->skipped = 1;
		return _("not overdue, skipped");
	}
	parent[0] = '\0';
	if (s.l.unit[0] != '\0') {
		st = case_prepare(ctx->db, q_cases_unit);
		case_bind_text(st, ":code", s.l.unit);
		if (case_step(st) == CASE_ROW)
			copy(parent, sizeof parent, case_col_text(st, 0));
	}
	if (parent[0] == '\0') {
		if (lapsed != CASE_NOTIME)
			return supervise(ctx, id, &s, lapsed);
		return s.l.unit[0] != '\0' ? _("already at the top unit") :
		    _("not assigned to any unit");
	}
	st = case_prepare(ctx->db, q_cases_unit);
	case_bind_text(st, ":code", parent);
	case_step(st);
	copy(spec, sizeof spec, case_col_text(st, 1));
	due = spec[0] != '\0' ? case_deadline(ctx->db, spec, ctx->now) :
	    deadline(ctx, s.l.category, s.l.priority, ctx->now);
	copy(from, sizeof from, s.l.unit);
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_ESCALATED,
	    .from = from, .to = parent, .due = due,
	    .ack = ack_limit(ctx, s.l.category, ctx->now) }, 1);
	now_leads(ctx, id, &s.l, parent);
	snprintf(ctx->what, sizeof ctx->what, _("escalate %s -> %s"), from,
	    parent);
	return NULL;
}

/*
 * Moves the deadline by spec (24h, 3d, 2wd): an extension, 延期.  One
 * granted after the deadline passed moves it on, but the lapse stays.
 */
const char *
case_extend(struct case_ctx *ctx, long long id, const char *spec)
{
	struct state s;
	const char *why;
	long long due;
	char old[40], new[40];

	if ((why = may(ctx, id, &s, CASE_A_EXTENDED)) != NULL)
		return why;
	if (s.l.due == CASE_NOTIME)
		return _("case has no deadline to extend");
	due = case_deadline(ctx->db, spec, s.l.due);
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_EXTENDED,
	    .due = due, .field = "due",
	    .old = case_fmt_time(s.l.due, old, sizeof old),
	    .new = case_fmt_time(due, new, sizeof new) }, 1);
	snprintf(ctx->what, sizeof ctx->what, _("extend by %s"), spec);
	return NULL;
}

/* An action that only moves the case on in the lifecycle. */
static const char *
step(struct case_ctx *ctx, long long id, int action, const char *what)
{
	struct state s;
	const char *why;

	if ((why = may(ctx, id, &s, action)) != NULL)
		return why;
	snprintf(ctx->what, sizeof ctx->what, "%s%s", _(what),
	    action == CASE_A_REWORKED ? s.l.unit : "");
	event(ctx, id, &s.l, &(struct event){ .action = action }, 1);
	return NULL;
}

/* The unit reports the case handled (处置反馈); it awaits verification. */
const char *
case_handle(struct case_ctx *ctx, long long id)
{
	return step(ctx, id, CASE_A_HANDLED, N_("mark handled"));
}

/*
 * case-handle --unit: the lead's report is the case's handling; an
 * assisting unit's reports its own part handled (an event), once, and
 * leaves the case as it is.  Any other unit is refused.
 */
const char *
case_handle_by(struct case_ctx *ctx, long long id, const char *unit)
{
	struct state s;
	const char *why;
	long long done;

	if (load(ctx, id, &s) == -1)
		return _("no such case");
	if (strcmp(s.l.unit, unit) == 0)
		return case_handle(ctx, id);
	if ((why = may(ctx, id, &s, CASE_A_PART_DONE)) != NULL)
		return why;
	if (!assists(ctx, id, unit, &done)) {
		snprintf(ctx->err, sizeof ctx->err, _("--unit: %s neither "
		    "leads nor assists on the case"), case_esc(unit));
		return ctx->err;
	}
	if (done != CASE_NOTIME) {
		snprintf(ctx->err, sizeof ctx->err, _("--unit: %s has "
		    "reported its part handled already"), case_esc(unit));
		return ctx->err;
	}
	assist_event(ctx, id, &s.l, CASE_A_PART_DONE, unit);
	snprintf(ctx->what, sizeof ctx->what, _("mark %s's part handled"),
	    unit);
	return NULL;
}

/* Verification failed: back to the unit to do again (返工). */
const char *
case_rework(struct case_ctx *ctx, long long id)
{
	return step(ctx, id, CASE_A_REWORKED, N_("send back to "));
}

/*
 * The unit returns a case outside its remit (退回) to whoever gave it to
 * the unit; a case that came from nowhere goes back to intake.  Back for
 * dispatch, its dispatch clock starts again.
 */
const char *
case_return(struct case_ctx *ctx, long long id)
{
	struct state s;
	struct case_stmt *st;
	const char *why;
	char back[CASE_CODE], from[CASE_CODE];
	long long due, dispatch;

	if ((why = may(ctx, id, &s, CASE_A_RETURNED)) != NULL)
		return why;
	st = case_prepare(ctx->db, q_cases_came_from);
	case_bind_int(st, ":id", id);
	case_bind_text(st, ":unit", s.l.unit);
	back[0] = '\0';
	if (case_step(st) == CASE_ROW)
		copy(back, sizeof back, case_col_text(st, 0));
	category_clocks(ctx, s.l.category, s.l.priority, ctx->now, &due,
	    &dispatch);
	copy(from, sizeof from, s.l.unit);
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_RETURNED,
	    .from = from, .to = back[0] != '\0' ? back : NULL,
	    .dispatch = dispatch }, 1);
	now_leads(ctx, id, &s.l, back);
	snprintf(ctx->what, sizeof ctx->what, _("return %s -> %s"), from,
	    back[0] != '\0' ? back : "-");
	return NULL;
}

/*
 * The unit holding the case signs for it (签收): given as unit, it must
 * be that one.  Whether it has signed since it got the case is history,
 * which the cache columns do not keep: the history is folded for it.
 */
const char *
case_ack(struct case_ctx *ctx, long long id, const char *unit)
{
	struct state s;
	struct case_life l;
	const char *why;
	char *title, holder[CASE_CODE];

	if ((why = may(ctx, id, &s, CASE_A_SIGNED)) != NULL)
		return why;
	/* Every event, whatever its effective time: the case as it is. */
	if (case_as_of(ctx->db, id, (long long)1 << 62, CASE_NOTIME, &l,
	    &title) == -1)
		return _("no such case");
	free(title);
	if ((why = case_life_refuse(&l, CASE_A_SIGNED, 0)) != NULL)
		return why;
	copy(holder, sizeof holder, s.l.unit);
	if (unit != NULL && strcmp(unit, holder) != 0) {
		snprintf(ctx->err, sizeof ctx->err, _("case is held by %s, not "
		    "%s"), holder, unit);
		return ctx->err;
	}
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_SIGNED,
	    .to = holder }, 1);
	snprintf(ctx->what, sizeof ctx->what, _("sign for at %s"), holder);
	return NULL;
}

/* Parks a case waiting on a third party (挂账): its clocks stop. */
const char *
case_pause(struct case_ctx *ctx, long long id)
{
	struct state s;
	const char *why;
	char from[16];

	if ((why = may(ctx, id, &s, CASE_A_PAUSED)) != NULL)
		return why;
	copy(from, sizeof from, case_state_name(s.l.state));
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_PAUSED,
	    .field = "status", .old = from, .new = "paused" }, 1);
	snprintf(ctx->what, sizeof ctx->what, "%s", _("pause"));
	return NULL;
}

/* Restarts the clocks, moving their deadlines by the time paused. */
const char *
case_resume(struct case_ctx *ctx, long long id)
{
	struct state s;
	const char *why;
	long long span, due = CASE_NOTIME, dispatch = CASE_NOTIME;
	int back;

	if ((why = may(ctx, id, &s, CASE_A_RESUMED)) != NULL)
		return why;
	span = ctx->now - s.l.paused_at;
	back = s.l.paused_from;
	if (s.l.due != CASE_NOTIME)
		due = s.l.due + span;
	if ((back == CASE_S_REPORTED || back == CASE_S_RETURNED) &&
	    s.l.dispatch != CASE_NOTIME)
		dispatch = s.l.dispatch + span;
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_RESUMED,
	    .field = "status", .old = "paused", .new = case_state_name(back),
	    .due = due, .dispatch = dispatch }, 1);
	snprintf(ctx->what, sizeof ctx->what, _("resume after %.1fh"),
	    span / 3600.0);
	return NULL;
}

/* The option naming a duplicate's original: case-close's or case-link's. */
static const char *of_opt = "of";

/* A duplicate points at the first case of its kind, never at a duplicate. */
static const char *
check_parent(struct case_ctx *ctx, long long id, long long of)
{
	struct case_stmt *st;

	if (of == id)
		return _("a case cannot duplicate itself");
	st = case_prepare(ctx->db, q_cases_dup_parent);
	case_bind_int(st, ":id", of);
	if (case_step(st) != CASE_ROW) {
		snprintf(ctx->err, sizeof ctx->err,
		    _("--%s: no such case -- %lld"), of_opt, of);
		return ctx->err;
	}
	if (!case_col_null(st, 0)) {
		snprintf(ctx->err, sizeof ctx->err,
		    _("--%s: case %lld is itself a duplicate of %lld"), of_opt,
		    of, case_col_int(st, 0));
		return ctx->err;
	}
	st = case_prepare(ctx->db, q_cases_has_dups);
	case_bind_int(st, ":id", id);
	if (case_step(st) == CASE_ROW) {
		snprintf(ctx->err, sizeof ctx->err, _("other cases are "
		    "duplicates of this one: make them duplicates --%s the "
		    "first case instead"), of_opt);
		return ctx->err;
	}
	return NULL;
}

static void
set_closing(struct case_ctx *ctx, long long id, const char *note,
    long long of)
{
	struct case_stmt *st = case_prepare(ctx->db, q_cases_close);

	case_bind_text(st, ":note", note);
	case_bind_time(st, ":of", of > 0 ? of : CASE_NOTIME);
	case_bind_int(st, ":id", id);
	case_step(st);
}

/*
 * The open cases under a parent: its open children, theirs, and so on,
 * each after its parent; *n of them, in a new array.
 */
static long long *
open_descendants(struct case_ctx *ctx, long long id, size_t *n)
{
	struct case_stmt *st;
	long long *v = NULL;
	size_t i, cap = 0;

	*n = 0;
	for (i = 0;; i++) {
		st = case_prepare(ctx->db, q_links_open_children);
		case_bind_int(st, ":id", i == 0 ? id : v[i - 1]);
		while (case_step(st) == CASE_ROW) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 8;
				v = case_reallocarray(v, cap, sizeof *v);
			}
			v[(*n)++] = case_col_int(st, 0);
		}
		if (i >= *n)
			break;
	}
	return v;
}

/* Writes a case's closure, which may() allowed. */
static void
close_case(struct case_ctx *ctx, long long id, struct state *s,
    const char *outcome, long long of)
{
	const char *skipped = NULL;
	char num[24];
	int from;

	/* The steps skipped are from where it was, if it is paused. */
	from = s->l.state == CASE_S_PAUSED ? s->l.paused_from : s->l.state;
	if (from == CASE_S_ASSIGNED)
		skipped = "handled";
	else if (from == CASE_S_REPORTED || from == CASE_S_RETURNED)
		skipped = strcmp(outcome, "rejected") == 0 ||
		    case_outcome_duplicate(outcome) ? NULL :
		    "assigned,handled";
	event(ctx, id, &s->l, &(struct event){ .action = CASE_A_CLOSED,
	    .outcome = outcome, .field = skipped != NULL ? "skipped" : NULL,
	    .new = skipped }, 1);
	/* The original is history too, not only the cached duplicate_of. */
	if (of > 0) {
		snprintf(num, sizeof num, "%lld", of);
		event(ctx, id, &s->l, &(struct event){
		    .action = CASE_A_LINKED, .field = "duplicate_of",
		    .new = num }, 0);
	}
	set_closing(ctx, id, ctx->note != NULL ? ctx->note : "", of);
}

/*
 * Closes a case from any open status.  Closing what was never handled
 * records the steps skipped, so the timeline says how it was closed.
 * A parent with open children is refused unless ctx->with_children,
 * which closes them (and theirs) first, with the same outcome, each by
 * its own event: all or, if any of them may not be closed, none.
 */
const char *
case_close(struct case_ctx *ctx, long long id, const char *outcome,
    long long of)
{
	struct state s, cs;
	const char *why;
	long long *kids;
	size_t n, i;
	char buf[sizeof ctx->err];

	if ((why = may(ctx, id, &s, CASE_A_CLOSED)) != NULL)
		return why;
	if (of > 0 && (why = check_parent(ctx, id, of)) != NULL)
		return why;
	kids = open_descendants(ctx, id, &n);
	if (n > 0 && !ctx->with_children) {
		if (n == 1)
			snprintf(ctx->err, sizeof ctx->err,
			    _("case has an open child (%lld): close it first, "
			    "or close this case --with-children"), kids[0]);
		else
			snprintf(ctx->err, sizeof ctx->err,
			    _("case has %zu open children (%lld, ...): close "
			    "them first, or close this case --with-children"),
			    n, kids[0]);
		free(kids);
		return ctx->err;
	}
	for (i = 0; i < n; i++)
		if ((why = may(ctx, kids[i], &cs, CASE_A_CLOSED)) != NULL) {
			snprintf(buf, sizeof buf, "%s", why);
			snprintf(ctx->err, sizeof ctx->err,
			    _("child %lld: %s"), kids[i], buf);
			free(kids);
			return ctx->err;
		}
	/* The deepest first: each is closed once its own children are. */
	for (i = n; i > 0; i--) {
		(void)may(ctx, kids[i - 1], &cs, CASE_A_CLOSED);
		close_case(ctx, kids[i - 1], &cs, outcome, 0);
		snprintf(ctx->what, sizeof ctx->what, _("close %s (under %lld)"),
		    outcome, id);
		case_changed(ctx, kids[i - 1]);
	}
	free(kids);
	close_case(ctx, id, &s, outcome, of);
	snprintf(ctx->what, sizeof ctx->what, _("close %s"), outcome);
	return NULL;
}

/*
 * Reopened work gets a fresh resolution deadline, the category's, from
 * now: a new obligation.  A case no unit holds keeps the dispatch limit
 * of its report, which has long passed: nobody has taken it yet.
 */
static void
reopen(struct case_ctx *ctx, long long id, struct state *s, const char *note)
{
	long long due, dispatch;
	char num[24];

	category_clocks(ctx, s->l.category, s->l.priority, ctx->now, &due,
	    &dispatch);
	/* A duplicate reopened repeats nothing any more: history says so. */
	if (s->dup_of > 0) {
		snprintf(num, sizeof num, "%lld", s->dup_of);
		event(ctx, id, &s->l, &(struct event){
		    .action = CASE_A_UNLINKED, .field = "duplicate_of",
		    .old = num }, 0);
	}
	event(ctx, id, &s->l, &(struct event){ .action = CASE_A_REOPENED,
	    .due = due, .dispatch = s->l.unit[0] == '\0' ? s->l.dispatch :
	    CASE_NOTIME, .note = note }, 1);
	set_closing(ctx, id, "", 0);
}

const char *
case_reopen(struct case_ctx *ctx, long long id)
{
	struct state s;
	const char *why;

	if ((why = may(ctx, id, &s, CASE_A_REOPENED)) != NULL)
		return why;
	reopen(ctx, id, &s, NULL);
	snprintf(ctx->what, sizeof ctx->what, "%s", _("reopen"));
	return NULL;
}

/* The events' and the links table's names of a link, by CASE_LINK_... */
static const char *link_field[] = { "parent", "duplicate_of", "related" };
static const char *link_opt[] = { "parent", "duplicate-of", "related" };

/*
 * Puts (on) or drops the links row (a, kind, b) and appends the event on
 * id, naming the other case of the two.
 */
static void
link_write(struct case_ctx *ctx, long long id, struct case_life *l, int kind,
    long long a, long long b, int on)
{
	struct case_stmt *st;
	long long other = a == id ? b : a;
	char num[24];

	if (on)
		st = case_prepare(ctx->db, q_links_put);
	else
		st = case_prepare(ctx->db, q_links_drop);
	case_bind_int(st, ":id", a);
	case_bind_text(st, ":kind", link_field[kind]);
	case_bind_int(st, ":other", b);
	case_step(st);
	snprintf(num, sizeof num, "%lld", other);
	event(ctx, id, l, &(struct event){ .action = on ? CASE_A_LINKED :
	    CASE_A_UNLINKED, .field = link_field[kind], .new = on ? num : NULL,
	    .old = on ? NULL : num }, 0);
	snprintf(ctx->what, sizeof ctx->what, on ? _("link %s %lld") :
	    _("unlink %s %lld"), link_field[kind], other);
}

/*
 * Links a case to another (case-link(1)): as a child of its parent, as a
 * duplicate of its original (closed at once as one, by case_close()), or
 * as related, which is the same both ways.  A link is history: a linked
 * event on the case named, whose links table row is its cache.  A link
 * in force already is left as it is; a self-link, a cycle, a second
 * parent and an open child of a closed parent are refused.
 */
const char *
case_link(struct case_ctx *ctx, long long id, int kind, long long other)
{
	struct case_stmt *st;
	struct state s;
	const char *why;
	long long up;
	int closed, n;

	if (kind == CASE_LINK_DUPLICATE) {
		of_opt = link_opt[kind];
		return case_close(ctx, id, "duplicate", other);
	}
	if (other == id)
		return kind == CASE_LINK_PARENT ?
		    _("a case cannot be its own parent") :
		    _("a case cannot be related to itself");
	if ((why = may(ctx, id, &s, CASE_A_LINKED)) != NULL)
		return why;
	st = case_prepare(ctx->db, q_links_case);
	case_bind_int(st, ":id", other);
	if (case_step(st) != CASE_ROW) {
		snprintf(ctx->err, sizeof ctx->err,
		    _("--%s: no such case -- %lld"), link_opt[kind], other);
		return ctx->err;
	}
	closed = strcmp(case_col_text(st, 0), ST_CLOSED) == 0;
	case_reset(st);
	if (kind == CASE_LINK_RELATED) {
		st = case_prepare(ctx->db, q_links_related);
		case_bind_int(st, ":id", id);
		case_bind_int(st, ":other", other);
		n = case_step(st) == CASE_ROW;
		case_reset(st);
		if (n)
			return NULL;	/* related already, either way */
	} else {
		st = case_prepare(ctx->db, q_links_parent);
		case_bind_int(st, ":id", id);
		up = case_step(st) == CASE_ROW ? case_col_int(st, 0) : 0;
		case_reset(st);
		if (up == other)
			return NULL;	/* its parent already */
		if (up != 0) {
			snprintf(ctx->err, sizeof ctx->err, _("case has a "
			    "parent already (%lld): unlink it first"), up);
			return ctx->err;
		}
		/* Up from the new parent, the case itself is a cycle. */
		for (up = other, n = 0; up != 0; n++) {
			if (up == id || n > 1000000) {
				snprintf(ctx->err, sizeof ctx->err,
				    _("--parent: case %lld is under this case: "
				    "a link would make a cycle"), other);
				return ctx->err;
			}
			st = case_prepare(ctx->db, q_links_parent);
			case_bind_int(st, ":id", up);
			up = case_step(st) == CASE_ROW ? case_col_int(st, 0) : 0;
			case_reset(st);
		}
		if (closed && s.l.state != CASE_S_CLOSED) {
			snprintf(ctx->err, sizeof ctx->err, _("--parent: case "
			    "%lld is closed: an open case cannot become its "
			    "child"), other);
			return ctx->err;
		}
	}
	link_write(ctx, id, &s.l, kind, id, other, 1);
	return NULL;
}

/*
 * Takes away the link of that kind between the case and other, by an
 * unlinked event.  A duplicate is unlinked by reopening it, which takes
 * a --note saying why (case_life_refuse()).
 */
const char *
case_unlink(struct case_ctx *ctx, long long id, int kind, long long other)
{
	struct case_stmt *st;
	struct state s;
	const char *why;
	long long a = id, b = other;
	int found;

	if (kind == CASE_LINK_DUPLICATE) {
		if ((why = may(ctx, id, &s, CASE_A_REOPENED)) != NULL)
			return why;
		if (s.dup_of != other) {
			snprintf(ctx->err, sizeof ctx->err, _("case is not a "
			    "duplicate of %lld"), other);
			return ctx->err;
		}
		reopen(ctx, id, &s, NULL);
		snprintf(ctx->what, sizeof ctx->what,
		    _("unlink duplicate_of %lld and reopen"), other);
		return NULL;
	}
	if ((why = may(ctx, id, &s, CASE_A_UNLINKED)) != NULL)
		return why;
	if (kind == CASE_LINK_RELATED) {
		st = case_prepare(ctx->db, q_links_related);
		case_bind_int(st, ":id", id);
		case_bind_int(st, ":other", other);
		if ((found = case_step(st) == CASE_ROW)) {
			a = case_col_int(st, 0);
			b = case_col_int(st, 1);
		}
		case_reset(st);
	} else {
		st = case_prepare(ctx->db, q_links_parent);
		case_bind_int(st, ":id", id);
		found = case_step(st) == CASE_ROW &&
		    case_col_int(st, 0) == other;
		case_reset(st);
	}
	if (!found) {
		snprintf(ctx->err, sizeof ctx->err, kind == CASE_LINK_PARENT ?
		    _("case has no parent %lld") :
		    _("case is not related to %lld"), other);
		return ctx->err;
	}
	link_write(ctx, id, &s.l, kind, a, b, 0);
	return NULL;
}

/* A follow-up visit (回访); an unsatisfied reporter reopens the case. */
const char *
case_visit(struct case_ctx *ctx, long long id, int satisfied)
{
	const char *result = satisfied ? "satisfied" : "unsatisfied", *why;
	struct state s;

	if ((why = may(ctx, id, &s, CASE_A_VISITED)) != NULL)
		return why;
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_VISITED,
	    .field = "satisfaction", .new = result }, 1);
	if (!satisfied)
		reopen(ctx, id, &s, "follow-up visit: unsatisfied");
	snprintf(ctx->what, sizeof ctx->what, _("record %s%s"), result,
	    satisfied ? "" : _(" and reopen"));
	return NULL;
}

/* A progress note: history only, no change of state. */
const char *
case_note(struct case_ctx *ctx, long long id)
{
	struct state s;
	const char *why;

	if ((why = may(ctx, id, &s, CASE_A_NOTED)) != NULL)
		return why;
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_NOTED }, 0);
	snprintf(ctx->what, sizeof ctx->what, "%s", _("add a note"));
	return NULL;
}

/* The editable fields, in the order of q_cases_edit[] (sql.c). */
static const char *edit_fields[] = { "category", "grid", "location",
	"reporter", "title", "description", "priority" };

/* Index of an editable field, or -1. */
int
case_edit_field(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof edit_fields / sizeof edit_fields[0]; i++)
		if (strcmp(name, edit_fields[i]) == 0)
			return (int)i;
	return -1;
}

/*
 * Corrects one field; the event keeps the old and the new value.  A new
 * category moves the deadline only if asked (redue), counted from the
 * report, as the category's deadline always is, by the case's tier.  A
 * new priority (a code, or a word case_priority_parse() takes) moves
 * it to the new tier's term counted from the report, unless the case is
 * closed (its deadline was met or missed already) or both tiers have
 * the same term (an extension stays).
 */
const char *
case_edit(struct case_ctx *ctx, long long id, int field, const char *v,
    int redue)
{
	struct state s;
	struct case_stmt *st;
	const char *why;
	char *old;
	long long due = CASE_NOTIME;
	struct category_terms *c;
	int p = -1;

	if ((why = may(ctx, id, &s, CASE_A_EDITED)) != NULL)
		return why;
	if (field == 0 && !case_known(ctx->db, CASE_KNOWN_CATEGORY, v))
		return reject(ctx, "category", _("no such category"), v);
	if (field == 6 && (p = case_priority_parse(v)) < 0)
		return reject(ctx, "priority", _("must be urgent, high or "
		    "normal (紧急, 重要, 一般)"), v);
	if (field == 6)
		v = case_priority_name(p);
	if (field == 1 && v != NULL && !case_known(ctx->db, CASE_KNOWN_UNIT, v))
		return reject(ctx, "grid", _("no such unit"), v);
	st = case_prepare(ctx->db, q_cases_fields);
	case_bind_int(st, ":id", id);
	case_step(st);
	old = case_strdup(case_col_text(st, field) ? case_col_text(st, field) :
	    "");
	if (strcmp(old, v != NULL ? v : "") == 0) {
		free(old);
		return NULL;	/* nothing to correct */
	}
	st = case_prepare(ctx->db, q_cases_edit[field]);
	case_bind_text(st, ":v", v);
	case_bind_int(st, ":id", id);
	case_step(st);
	if (field == 0 && redue)
		due = deadline(ctx, v, s.l.priority, s.l.reported);
	/* A tier whose term is the old tier's leaves the deadline be. */
	if (field == 6 && s.l.state != CASE_S_CLOSED && (c = category_terms(ctx,
	    s.l.category))->found && case_priority_term(p, c->set) !=
	    case_priority_term(s.l.priority, c->set))
		due = deadline(ctx, s.l.category, p, s.l.reported);
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_EDITED,
	    .field = edit_fields[field], .old = old, .new = v != NULL ? v : "",
	    .due = due }, 1);
	snprintf(ctx->what, sizeof ctx->what, _("set %s"), edit_fields[field]);
	free(old);
	return NULL;
}

/*
 * Attaches b to the case under name: its bytes are kept once whatever
 * case has them (by their SHA-256), the name once a case, and the event
 * says what was attached, its type, size and hash, so that the chain
 * covers it.  The same content under the same name again is left as it
 * is (said, no error); other content under a name the case has is
 * refused.
 */
const char *
case_attach(struct case_ctx *ctx, long long id, const char *name,
    const struct case_blob *b)
{
	struct case_stmt *st;
	struct state s;
	const char *why;
	char note[128];
	int same;

	if ((why = may(ctx, id, &s, CASE_A_ATTACHED)) != NULL)
		return why;
	st = case_prepare(ctx->db, q_attach_named);
	case_bind_int(st, ":id", id);
	case_bind_text(st, ":name", name);
	if (case_step(st) == CASE_ROW) {
		same = strcmp(case_col_text(st, 0), b->hash) == 0;
		case_reset(st);
		ctx->skipped = same;
		snprintf(ctx->err, sizeof ctx->err, same ?
		    _("%s: attached already (the same content)") :
		    _("%s: the case has another attachment of that name "
		    "(attach this one under another with --name)"),
		    case_esc(name));
		return ctx->err;
	}
	case_reset(st);
	st = case_prepare(ctx->db, q_attach_has);
	case_bind_text(st, ":hash", b->hash);
	if (case_step(st) != CASE_ROW) {
		case_reset(st);
		st = case_prepare(ctx->db, q_attach_put_blob);
		case_bind_text(st, ":hash", b->hash);
		case_bind_int(st, ":size", (long long)b->size);
		case_bind_text(st, ":type", b->type);
		case_bind_blob(st, ":data", b->data, b->size);
		case_step(st);
	}
	case_reset(st);
	snprintf(note, sizeof note, "%s %zu sha256:%s", b->type, b->size,
	    b->hash);
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_ATTACHED,
	    .field = "attachment", .new = name, .note = note }, 0);
	st = case_prepare(ctx->db, q_attach_put);
	case_bind_int(st, ":id", id);
	case_bind_text(st, ":name", name);
	case_bind_text(st, ":hash", b->hash);
	case_bind_int(st, ":event", ctx->next_event - 1);
	case_step(st);
	snprintf(ctx->what, sizeof ctx->what, _("attach %s"), case_esc(name));
	return NULL;
}

/*
 * A joint conference (研判会商) on the case: an event naming the units
 * present and the decision, then one for each follow-up action, with its
 * owner unit and deadline.  The conference's number is the ID of its
 * event on the first case (*conf, 0 before it); an action's, the ID of
 * the event that sets it.  The history holds it all, so the chain
 * covers it; the caller has checked the units and the deadlines.
 */
const char *
case_meet(struct case_ctx *ctx, long long id, const char *units,
    const char *decision, const struct case_meet_action *a, size_t na,
    long long *conf)
{
	struct state s;
	const char *why;
	char num[24], aid[24];
	size_t i;

	if ((why = may(ctx, id, &s, CASE_A_CONFERRED)) != NULL)
		return why;
	for (i = 0; i < na; i++)
		if (a[i].due <= ctx->now)
			return _("an action is due before the conference");
	if (*conf == 0)
		*conf = next_event(ctx);
	snprintf(num, sizeof num, "%lld", *conf);
	event(ctx, id, &s.l, &(struct event){ .action = CASE_A_CONFERRED,
	    .field = "conference", .old = units, .new = num,
	    .note = decision }, 0);
	for (i = 0; i < na; i++) {
		snprintf(aid, sizeof aid, "%lld", next_event(ctx));
		event(ctx, id, &s.l, &(struct event){ .action = CASE_A_TASKED,
		    .to = a[i].unit, .field = "action", .old = num,
		    .new = aid, .due = a[i].due, .note = a[i].text }, 0);
	}
	snprintf(ctx->what, sizeof ctx->what, _("record conference %lld "
	    "with %zu action(s)"), *conf, na);
	return NULL;
}

/*
 * A conference's follow-up action reported done (at --at, or now), on
 * the case it was set on, whose ID goes into *case_id.  Once only.
 */
const char *
case_task_done(struct case_ctx *ctx, long long action, long long *case_id)
{
	struct case_stmt *st = case_prepare(ctx->db, q_cases_task);
	struct state s;
	const char *why;
	char aid[24];

	snprintf(aid, sizeof aid, "%lld", action);
	case_bind_int(st, ":id", action);
	if (case_step(st) != CASE_ROW) {
		case_reset(st);
		return _("no such action");
	}
	*case_id = case_col_int(st, 0);
	case_reset(st);
	if ((why = may(ctx, *case_id, &s, CASE_A_TASK_DONE)) != NULL)
		return why;
	st = case_prepare(ctx->db, q_cases_task_done);
	case_bind_int(st, ":case", *case_id);
	case_bind_text(st, ":action", aid);
	if (case_step(st) == CASE_ROW) {
		case_reset(st);
		return _("action already done");
	}
	case_reset(st);
	event(ctx, *case_id, &s.l, &(struct event){ .action = CASE_A_TASK_DONE,
	    .field = "action", .new = aid }, 0);
	snprintf(ctx->what, sizeof ctx->what, _("mark action %lld done"),
	    action);
	return NULL;
}
