/* cases.c - adding and changing cases; every change is also an event */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

struct event {
	const char *action, *from, *to, *outcome, *note;
	const char *field, *old, *new;
	long long at, due, dispatch;
};

/* The current state of one case, as the mutators need it. */
struct state {
	char	 status[32];
	char	 unit[128];
	char	 category[128];
	char	 paused_from[32];
	int	 hasunit;
	long long reported, due, dispatch_due, paused, supervised;
};

static const char sql_event[] =
    "INSERT INTO events (case_id, at, actor, osuser, action, from_unit,"
    " to_unit, due, outcome, note, field, old, new, dispatch_due) VALUES"
    " (:case, :at, :actor, :osuser, :action, :from, :to, :due, :outcome,"
    " :note, :field, :old, :new, :dispatch)";
static const char sql_state[] =
    "SELECT status, unit, category, reported, due, dispatch_due, paused,"
    " supervised, paused_from FROM cases WHERE id = :id";
static const char sql_category[] =
    "SELECT deadline, dispatch FROM categories WHERE code = :code";
static const char sql_unit[] =
    "SELECT parent, deadline FROM units WHERE code = :code";
static const char sql_id_taken[] =
    "SELECT 1 FROM cases WHERE id = :id";
static const char sql_insert[] =
    "INSERT INTO cases (id, reported, source, category, grid, location,"
    " reporter, title, description, unit, status, due, assigned, closed,"
    " outcome, outcome_note, dispatch_due) VALUES (:id, :reported, :source,"
    " :category, :grid, :location, :reporter, :title, :description, :unit,"
    " :status, :due, :assigned, :closed, :outcome, :outcome_note,"
    " :dispatch_due)";
static const char sql_assign[] =
    "UPDATE cases SET unit = :unit, status = 'assigned',"
    " assigned = coalesce(assigned, :now) WHERE id = :id";
static const char sql_move[] =
    "UPDATE cases SET unit = :unit, status = :status, due = :due"
    " WHERE id = :id";
static const char sql_supervise[] =
    "UPDATE cases SET supervised = :lapse WHERE id = :id";
static const char sql_extend[] =
    "UPDATE cases SET due = :due, extensions = extensions + 1 WHERE id = :id";
static const char sql_status[] =
    "UPDATE cases SET status = :status WHERE id = :id";
static const char sql_pause[] =
    "UPDATE cases SET status = 'paused', paused = :now,"
    " paused_from = :from WHERE id = :id";
static const char sql_resume[] =
    "UPDATE cases SET status = paused_from, paused = NULL,"
    " paused_from = NULL, due = due + :span,"
    " dispatch_due = CASE WHEN assigned IS NULL THEN dispatch_due + :span"
    " ELSE dispatch_due END WHERE id = :id";
static const char sql_close[] =
    "UPDATE cases SET status = 'closed', closed = :now, outcome = :outcome,"
    " outcome_note = :note, duplicate_of = :of, paused = NULL,"
    " paused_from = NULL WHERE id = :id";
static const char sql_reopen[] =
    "UPDATE cases SET status = CASE WHEN unit IS NULL THEN 'reported'"
    " ELSE 'assigned' END, closed = NULL, outcome = NULL, outcome_note = '',"
    " duplicate_of = NULL, due = :due WHERE id = :id";
static const char sql_satisfaction[] =
    "UPDATE cases SET satisfaction = :s WHERE id = :id";
static const char sql_came_from[] =
    "SELECT from_unit FROM events WHERE case_id = :id AND to_unit = :unit"
    " AND action IN ('assigned', 'escalated') ORDER BY id DESC LIMIT 1";
static const char sql_returned[] =
    "UPDATE cases SET unit = :unit, status = 'returned',"
    " dispatch_due = :dispatch WHERE id = :id";
static const char sql_handled[] =
    "UPDATE cases SET handlings = handlings + 1 WHERE id = :id";
static const char sql_reworked[] =
    "UPDATE cases SET reworks = reworks + 1 WHERE id = :id";
static const char sql_has_dups[] =
    "SELECT 1 FROM cases WHERE duplicate_of = :id LIMIT 1";
static const char sql_dup_parent[] =
    "SELECT duplicate_of FROM cases WHERE id = :id";

static const char *kinds[] = { "unit", "category", "source", "outcome" };

/*
 * Starts the one transaction of a writing program.  Changed IDs are held
 * back until it commits, so that nothing downstream of a pipe acts on a
 * change that was then rolled back; they are kept as runs of consecutive
 * IDs, so that a million-case import holds a handful of numbers.
 */
void
case_ctx_init(struct case_ctx *ctx, sqlite3 *db, const char *actor,
    int dryrun, int quiet)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->db = db;
	ctx->actor = case_actor(actor);
	ctx->osuser = case_osuser();
	ctx->now = case_now();
	ctx->dryrun = dryrun;
	ctx->quiet = quiet;
	if (!case_utf8_valid(ctx->actor, strlen(ctx->actor)))
		errx(CASE_EXIT_FATAL, "--actor: invalid UTF-8");
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
		    "%lld\twould %s\n", id, ctx->what);
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

static const char *sql_codes[] = {
	"SELECT code FROM units ORDER BY code",
	"SELECT code FROM categories ORDER BY code",
	"SELECT code FROM sources ORDER BY code",
	"SELECT code FROM outcomes ORDER BY code",
};

/*
 * Is code one of the kind's codes (CASE_KNOWN_UNIT, ...)?  Reference data
 * is small and, inside a writer's transaction, fixed: it is read once,
 * and an import checks a million rows against it in memory.
 */
int
case_known(sqlite3 *db, int kind, const char *code)
{
	static struct case_codes set[4];
	static int loaded[4];

	if (!loaded[kind]) {
		case_codes_load(db, sql_codes[kind], NULL, &set[kind]);
		loaded[kind] = 1;
	}
	return case_codes_has(&set[kind], code);
}

/* For an option's code: an unknown one is a usage error (exit 2). */
void
case_check_code(sqlite3 *db, int kind, const char *opt, const char *code)
{
	if (code != NULL && !case_known(db, kind, code))
		errx(CASE_EXIT_FATAL, "--%s: no such %s -- %s", opt,
		    kinds[kind], case_esc(code));
}

static void
event(struct case_ctx *ctx, long long id, const struct event *e)
{
	sqlite3_stmt *st = case_prepare(ctx->db, sql_event);

	case_bind_int(st, ":case", id);
	case_bind_int(st, ":at", e->at != 0 ? e->at : ctx->now);
	case_bind_text(st, ":actor", ctx->actor);
	case_bind_text(st, ":osuser", ctx->osuser);
	case_bind_text(st, ":action", e->action);
	case_bind_text(st, ":from", e->from);
	case_bind_text(st, ":to", e->to);
	case_bind_time(st, ":due", e->due != 0 ? e->due : CASE_NOTIME);
	case_bind_text(st, ":outcome", e->outcome);
	case_bind_text(st, ":note", e->note != NULL ? e->note : ctx->note ?
	    ctx->note : "");
	case_bind_text(st, ":field", e->field);
	case_bind_text(st, ":old", e->old);
	case_bind_text(st, ":new", e->new);
	case_bind_time(st, ":dispatch", e->dispatch != 0 ? e->dispatch :
	    CASE_NOTIME);
	case_step(st);
}

static void
copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

static int
load(struct case_ctx *ctx, long long id, struct state *s)
{
	sqlite3_stmt *st = case_prepare(ctx->db, sql_state);

	case_bind_int(st, ":id", id);
	if (case_step(st) != SQLITE_ROW)
		return -1;
	copy(s->status, sizeof s->status, case_col_text(st, 0));
	s->hasunit = case_col_text(st, 1) != NULL;
	copy(s->unit, sizeof s->unit, case_col_text(st, 1));
	copy(s->category, sizeof s->category, case_col_text(st, 2));
	s->reported = case_col_time(st, 3);
	s->due = case_col_time(st, 4);
	s->dispatch_due = case_col_time(st, 5);
	s->paused = case_col_time(st, 6);
	s->supervised = case_col_time(st, 7);
	copy(s->paused_from, sizeof s->paused_from, case_col_text(st, 8));
	return 0;
}

static int
is(const struct state *s, const char *status)
{
	return strcmp(s->status, status) == 0;
}

/*
 * Overdue on either clock: past its deadline, or unassigned past its
 * dispatch limit.  A paused case's clocks are stopped.
 */
static long long
lapse(const struct case_ctx *ctx, const struct state *s)
{
	if (is(s, "closed") || is(s, "paused"))
		return CASE_NOTIME;
	if (s->due != CASE_NOTIME && s->due < ctx->now)
		return s->due;
	if ((is(s, "reported") || is(s, "returned")) &&
	    s->dispatch_due != CASE_NOTIME && s->dispatch_due < ctx->now)
		return s->dispatch_due;
	return CASE_NOTIME;
}

/* A category's resolution deadline and dispatch limit from time from. */
static void
category_clocks(struct case_ctx *ctx, const char *cat, long long from,
    long long *due, long long *dispatch)
{
	sqlite3_stmt *st = case_prepare(ctx->db, sql_category);

	*dispatch = CASE_NOTIME;
	case_bind_text(st, ":code", cat);
	if (case_step(st) != SQLITE_ROW) {
		if (due != NULL)
			*due = CASE_NOTIME;
		return;
	}
	/* A deadline given by hand is not computed (nor warned about). */
	if (due != NULL)
		*due = case_deadline(ctx->db, case_col_text(st, 0), from);
	*dispatch = case_deadline(ctx->db, case_col_text(st, 1), from);
}

static long long
deadline(struct case_ctx *ctx, const char *cat, long long from)
{
	long long due, dispatch;

	category_clocks(ctx, cat, from, &due, &dispatch);
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

static const char *
check_new(struct case_ctx *ctx, const struct case_new *n)
{
	const char *text[] = { n->location, n->reporter, n->title,
	    n->description, n->outcome_note };
	const char *names[] = { "location", "reporter", "title", "description",
	    "outcome_note" };
	size_t i;

	for (i = 0; i < sizeof text / sizeof text[0]; i++)
		if (text[i] != NULL && !case_utf8_valid(text[i], strlen(text[i])))
			return reject(ctx, names[i], "invalid UTF-8", NULL);
	if (n->title == NULL || n->title[0] == '\0')
		return reject(ctx, "title", "missing", NULL);
	if (n->category == NULL || n->category[0] == '\0')
		return reject(ctx, "category", "missing", NULL);
	if (!case_known(ctx->db, CASE_KNOWN_CATEGORY, n->category))
		return reject(ctx, "category", "no such category", n->category);
	if (n->source != NULL && !case_known(ctx->db, CASE_KNOWN_SOURCE,
	    n->source))
		return reject(ctx, "source", "no such source", n->source);
	if (n->grid != NULL && !case_known(ctx->db, CASE_KNOWN_UNIT, n->grid))
		return reject(ctx, "grid", "no such unit", n->grid);
	if (n->unit != NULL && !case_known(ctx->db, CASE_KNOWN_UNIT, n->unit))
		return reject(ctx, "unit", "no such unit", n->unit);
	if (n->outcome != NULL && !case_known(ctx->db, CASE_KNOWN_OUTCOME,
	    n->outcome))
		return reject(ctx, "outcome", "no such outcome", n->outcome);
	if (n->status != NULL && case_status_known(n->status) < 0)
		return reject(ctx, "status", "no such status", n->status);
	if (n->status != NULL && strcmp(n->status, "paused") == 0)
		return reject(ctx, "status", "a paused case cannot be imported",
		    NULL);
	if (n->status != NULL && strcmp(n->status, "closed") == 0 &&
	    (n->outcome == NULL || n->closed == CASE_NOTIME))
		return reject(ctx, "status", "a closed case needs outcome and "
		    "closed", NULL);
	if ((n->outcome != NULL || n->closed != CASE_NOTIME) &&
	    (n->status == NULL || strcmp(n->status, "closed") != 0))
		return reject(ctx, "status", "outcome and closed need status "
		    "closed", NULL);
	if (n->status != NULL && (strcmp(n->status, "assigned") == 0 ||
	    strcmp(n->status, "handled") == 0) && n->unit == NULL)
		return reject(ctx, "unit", "an assigned case needs a unit", NULL);
	if (n->id > 0) {
		sqlite3_stmt *st = case_prepare(ctx->db, sql_id_taken);

		case_bind_int(st, ":id", n->id);
		if (case_step(st) == SQLITE_ROW) {
			snprintf(ctx->err, sizeof ctx->err,
			    "id: case %lld exists", n->id);
			return ctx->err;
		}
	}
	return NULL;
}

static const char sql_max_id[] = "SELECT coalesce(max(id), 0) FROM cases";

/* The smallest ID above every case's (0) or, from from on, a free one. */
long long
case_free_id(struct case_ctx *ctx, long long from)
{
	sqlite3_stmt *st;

	if (from <= 0) {
		st = case_prepare(ctx->db, sql_max_id);
		case_step(st);
		return sqlite3_column_int64(st, 0) + 1;
	}
	for (;; from++) {
		st = case_prepare(ctx->db, sql_id_taken);
		case_bind_int(st, ":id", from);
		if (case_step(st) != SQLITE_ROW)
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
	sqlite3_stmt *st;
	long long rep, due, dispatch, asg;
	const char *status, *why;

	if ((why = check_new(ctx, n)) != NULL)
		return why;
	rep = n->reported != CASE_NOTIME ? n->reported : ctx->now;
	due = n->due;
	category_clocks(ctx, n->category, rep, due == CASE_NOTIME ? &due : NULL,
	    &dispatch);
	asg = n->assigned != CASE_NOTIME ? n->assigned :
	    n->unit != NULL ? rep : CASE_NOTIME;
	status = n->status != NULL ? n->status :
	    n->unit != NULL ? "assigned" : "reported";
	st = case_prepare(ctx->db, sql_insert);
	if (n->id > 0)
		case_bind_int(st, ":id", n->id);
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
	case_step(st);
	*id = sqlite3_last_insert_rowid(ctx->db);
	event(ctx, *id, &(struct event){ .action = "reported", .at = rep,
	    .due = due, .dispatch = dispatch });
	if (n->unit != NULL)
		event(ctx, *id, &(struct event){ .action = "assigned",
		    .at = asg, .to = n->unit });
	if (n->closed != CASE_NOTIME)
		event(ctx, *id, &(struct event){ .action = "closed",
		    .at = n->closed, .outcome = n->outcome,
		    .note = n->outcome_note != NULL ? n->outcome_note : "" });
	snprintf(ctx->what, sizeof ctx->what, "add %s%s%s", n->category,
	    n->unit != NULL ? " -> " : "", n->unit != NULL ? n->unit : "");
	return NULL;
}

/* Loads a case that must exist and be open (and, if so, not paused). */
static const char *
open_case(struct case_ctx *ctx, long long id, struct state *s, int running)
{
	if (load(ctx, id, s) == -1)
		return "no such case";
	if (is(s, "closed"))
		return "case is closed";
	if (running && is(s, "paused"))
		return "case is paused (resume it first)";
	return NULL;
}

/* The counters case-stats reads without replaying history. */
static void
count_step(struct case_ctx *ctx, long long id, const char *sql)
{
	sqlite3_stmt *st = case_prepare(ctx->db, sql);

	case_bind_int(st, ":id", id);
	case_step(st);
}

static void
set_status(struct case_ctx *ctx, long long id, const char *status)
{
	sqlite3_stmt *st = case_prepare(ctx->db, sql_status);

	case_bind_text(st, ":status", status);
	case_bind_int(st, ":id", id);
	case_step(st);
}

const char *
case_assign(struct case_ctx *ctx, long long id, const char *to)
{
	struct state s;
	sqlite3_stmt *st;
	const char *why;

	if ((why = open_case(ctx, id, &s, 1)) != NULL)
		return why;
	if (s.hasunit && strcmp(s.unit, to) == 0 && is(&s, "assigned")) {
		snprintf(ctx->what, sizeof ctx->what, "keep at %s", to);
		return NULL;
	}
	st = case_prepare(ctx->db, sql_assign);
	case_bind_text(st, ":unit", to);
	case_bind_int(st, ":now", ctx->now);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "assigned",
	    .from = s.hasunit ? s.unit : NULL, .to = to });
	snprintf(ctx->what, sizeof ctx->what, "assign %s -> %s",
	    s.hasunit ? s.unit : "-", to);
	return NULL;
}

/* Marks a case under supervision (督办), once for each lapse. */
static const char *
supervise(struct case_ctx *ctx, long long id, const struct state *s,
    long long lapsed)
{
	sqlite3_stmt *st;

	if (s->supervised == lapsed)
		return NULL;	/* this lapse is marked already */
	st = case_prepare(ctx->db, sql_supervise);
	case_bind_int(st, ":lapse", lapsed);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "supervised",
	    .from = s->hasunit ? s->unit : NULL, .due = lapsed });
	snprintf(ctx->what, sizeof ctx->what, "supervise at %s",
	    s->hasunit ? s->unit : "-");
	return NULL;
}

/*
 * Moves a case to its unit's parent, with a fresh deadline counted from
 * now: the parent unit's own deadline if the units file gives one, else
 * the category's.  An overdue case with nowhere higher to go (or no unit
 * at all) is marked under supervision instead, once for each lapse, so
 * that a nightly cron run never acts twice on the same lapse.
 */
const char *
case_escalate(struct case_ctx *ctx, long long id)
{
	struct state s;
	sqlite3_stmt *st;
	const char *why;
	char parent[128], spec[32];
	long long due, lapsed;

	if ((why = open_case(ctx, id, &s, 1)) != NULL)
		return why;
	lapsed = lapse(ctx, &s);
	parent[0] = '\0';
	if (s.hasunit) {
		st = case_prepare(ctx->db, sql_unit);
		case_bind_text(st, ":code", s.unit);
		if (case_step(st) == SQLITE_ROW)
			copy(parent, sizeof parent, case_col_text(st, 0));
	}
	if (parent[0] == '\0') {
		if (lapsed != CASE_NOTIME)
			return supervise(ctx, id, &s, lapsed);
		return s.hasunit ? "already at the top unit" :
		    "not assigned to any unit";
	}
	st = case_prepare(ctx->db, sql_unit);
	case_bind_text(st, ":code", parent);
	case_step(st);
	copy(spec, sizeof spec, case_col_text(st, 1));
	due = spec[0] != '\0' ? case_deadline(ctx->db, spec, ctx->now) :
	    deadline(ctx, s.category, ctx->now);
	st = case_prepare(ctx->db, sql_move);
	case_bind_text(st, ":unit", parent);
	case_bind_text(st, ":status", "assigned");
	case_bind_time(st, ":due", due);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "escalated", .from = s.unit,
	    .to = parent, .due = due });
	snprintf(ctx->what, sizeof ctx->what, "escalate %s -> %s", s.unit,
	    parent);
	return NULL;
}

/* Moves the deadline by spec (24h, 3d, 2wd): an extension, 延期. */
const char *
case_extend(struct case_ctx *ctx, long long id, const char *spec)
{
	struct state s;
	sqlite3_stmt *st;
	const char *why;
	long long due;
	char old[40], new[40];

	if ((why = open_case(ctx, id, &s, 1)) != NULL)
		return why;
	if (s.due == CASE_NOTIME)
		return "case has no deadline to extend";
	due = case_deadline(ctx->db, spec, s.due);
	st = case_prepare(ctx->db, sql_extend);
	case_bind_time(st, ":due", due);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "extended", .due = due,
	    .field = "due",
	    .old = case_fmt_time(s.due, old, sizeof old),
	    .new = case_fmt_time(due, new, sizeof new) });
	snprintf(ctx->what, sizeof ctx->what, "extend by %s", spec);
	return NULL;
}

/* The unit reports the case handled (处置反馈); it awaits verification. */
const char *
case_handle(struct case_ctx *ctx, long long id)
{
	struct state s;
	const char *why;

	if ((why = open_case(ctx, id, &s, 1)) != NULL)
		return why;
	if (!is(&s, "assigned"))
		return "case is not assigned";
	set_status(ctx, id, "handled");
	count_step(ctx, id, sql_handled);
	event(ctx, id, &(struct event){ .action = "handled" });
	snprintf(ctx->what, sizeof ctx->what, "mark handled");
	return NULL;
}

/* Verification failed: back to the unit to do again (返工). */
const char *
case_rework(struct case_ctx *ctx, long long id)
{
	struct state s;
	const char *why;

	if ((why = open_case(ctx, id, &s, 1)) != NULL)
		return why;
	if (!is(&s, "handled"))
		return "case is not handled";
	set_status(ctx, id, "assigned");
	count_step(ctx, id, sql_reworked);
	event(ctx, id, &(struct event){ .action = "reworked" });
	snprintf(ctx->what, sizeof ctx->what, "send back to %s", s.unit);
	return NULL;
}

/*
 * The unit returns a case outside its remit (退回) to whoever gave it to
 * the unit; a case that came from nowhere goes back to intake.
 */
const char *
case_return(struct case_ctx *ctx, long long id)
{
	struct state s;
	sqlite3_stmt *st;
	const char *why;
	char back[128];
	long long due, dispatch;

	if ((why = open_case(ctx, id, &s, 1)) != NULL)
		return why;
	if (!is(&s, "assigned") && !is(&s, "handled"))
		return "case is not assigned";
	st = case_prepare(ctx->db, sql_came_from);
	case_bind_int(st, ":id", id);
	case_bind_text(st, ":unit", s.unit);
	back[0] = '\0';
	if (case_step(st) == SQLITE_ROW)
		copy(back, sizeof back, case_col_text(st, 0));
	/* Back for dispatch: the dispatch clock starts again. */
	category_clocks(ctx, s.category, ctx->now, &due, &dispatch);
	st = case_prepare(ctx->db, sql_returned);
	case_bind_text(st, ":unit", back[0] != '\0' ? back : NULL);
	case_bind_time(st, ":dispatch", dispatch);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "returned", .from = s.unit,
	    .to = back[0] != '\0' ? back : NULL, .dispatch = dispatch });
	snprintf(ctx->what, sizeof ctx->what, "return %s -> %s", s.unit,
	    back[0] != '\0' ? back : "-");
	return NULL;
}

/* Parks a case waiting on a third party (挂账): its clocks stop. */
const char *
case_pause(struct case_ctx *ctx, long long id)
{
	struct state s;
	sqlite3_stmt *st;
	const char *why;

	if ((why = open_case(ctx, id, &s, 1)) != NULL)
		return why;
	st = case_prepare(ctx->db, sql_pause);
	case_bind_int(st, ":now", ctx->now);
	case_bind_text(st, ":from", s.status);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "paused", .field = "status",
	    .old = s.status, .new = "paused" });
	snprintf(ctx->what, sizeof ctx->what, "pause");
	return NULL;
}

/* Restarts the clocks, moving both deadlines by the time paused. */
const char *
case_resume(struct case_ctx *ctx, long long id)
{
	struct state s;
	sqlite3_stmt *st;
	const char *why;
	long long span;

	if ((why = open_case(ctx, id, &s, 0)) != NULL)
		return why;
	if (!is(&s, "paused"))
		return "case is not paused";
	span = ctx->now - s.paused;
	st = case_prepare(ctx->db, sql_resume);
	case_bind_int(st, ":span", span);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "resumed", .field = "status",
	    .old = "paused", .new = s.paused_from,
	    .due = s.due != CASE_NOTIME ? s.due + span : CASE_NOTIME });
	snprintf(ctx->what, sizeof ctx->what, "resume after %.1fh",
	    span / 3600.0);
	return NULL;
}

/* A duplicate points at the first case of its kind, never at a duplicate. */
static const char *
check_parent(struct case_ctx *ctx, long long id, long long of)
{
	sqlite3_stmt *st;

	if (of == id)
		return "a case cannot duplicate itself";
	st = case_prepare(ctx->db, sql_dup_parent);
	case_bind_int(st, ":id", of);
	if (case_step(st) != SQLITE_ROW) {
		snprintf(ctx->err, sizeof ctx->err, "--of: no such case -- %lld",
		    of);
		return ctx->err;
	}
	if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
		snprintf(ctx->err, sizeof ctx->err, "--of: case %lld is itself "
		    "a duplicate of %lld", of, sqlite3_column_int64(st, 0));
		return ctx->err;
	}
	st = case_prepare(ctx->db, sql_has_dups);
	case_bind_int(st, ":id", id);
	if (case_step(st) == SQLITE_ROW)
		return "other cases are duplicates of this one: close them "
		    "--of the first case instead";
	return NULL;
}

/*
 * Closes a case from any open status.  Closing what was never handled
 * records the steps skipped, so the timeline says how it was closed.
 */
const char *
case_close(struct case_ctx *ctx, long long id, const char *outcome,
    long long of)
{
	struct state s;
	sqlite3_stmt *st;
	const char *why, *skipped = NULL;

	if ((why = open_case(ctx, id, &s, 0)) != NULL)
		return why;
	if (of > 0 && (why = check_parent(ctx, id, of)) != NULL)
		return why;
	if (is(&s, "paused"))	/* the steps skipped are from where it was */
		snprintf(s.status, sizeof s.status, "%s", s.paused_from);
	if (is(&s, "assigned"))
		skipped = "handled";
	else if (is(&s, "reported") || is(&s, "returned"))
		skipped = strcmp(outcome, "rejected") == 0 ||
		    strcmp(outcome, "duplicate") == 0 ? NULL :
		    "assigned,handled";
	st = case_prepare(ctx->db, sql_close);
	case_bind_int(st, ":now", ctx->now);
	case_bind_text(st, ":outcome", outcome);
	case_bind_text(st, ":note", ctx->note != NULL ? ctx->note : "");
	case_bind_time(st, ":of", of > 0 ? of : CASE_NOTIME);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "closed", .outcome = outcome,
	    .field = skipped != NULL ? "skipped" : NULL, .new = skipped });
	snprintf(ctx->what, sizeof ctx->what, "close %s", outcome);
	return NULL;
}

/* Reopened work gets a fresh deadline, the category's, from now. */
static void
reopen(struct case_ctx *ctx, long long id, const struct state *s,
    const char *note)
{
	sqlite3_stmt *st = case_prepare(ctx->db, sql_reopen);
	long long due = deadline(ctx, s->category, ctx->now);

	case_bind_time(st, ":due", due);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "reopened", .due = due,
	    .note = note });
}

const char *
case_reopen(struct case_ctx *ctx, long long id)
{
	struct state s;

	if (load(ctx, id, &s) == -1)
		return "no such case";
	if (!is(&s, "closed"))
		return "case is not closed";
	reopen(ctx, id, &s, NULL);
	snprintf(ctx->what, sizeof ctx->what, "reopen");
	return NULL;
}

/* A follow-up visit (回访); an unsatisfied reporter reopens the case. */
const char *
case_visit(struct case_ctx *ctx, long long id, int satisfied)
{
	const char *result = satisfied ? "satisfied" : "unsatisfied";
	struct state s;
	sqlite3_stmt *st;

	if (load(ctx, id, &s) == -1)
		return "no such case";
	if (!is(&s, "closed"))
		return "case is not closed";
	st = case_prepare(ctx->db, sql_satisfaction);
	case_bind_text(st, ":s", result);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "visited",
	    .field = "satisfaction", .new = result });
	if (!satisfied)
		reopen(ctx, id, &s, "follow-up visit: unsatisfied");
	snprintf(ctx->what, sizeof ctx->what, "record %s%s", result,
	    satisfied ? "" : " and reopen");
	return NULL;
}

/* A progress note: history only, no change of state. */
const char *
case_note(struct case_ctx *ctx, long long id)
{
	struct state s;

	if (load(ctx, id, &s) == -1)
		return "no such case";
	event(ctx, id, &(struct event){ .action = "noted" });
	snprintf(ctx->what, sizeof ctx->what, "add a note");
	return NULL;
}

static const char *edit_fields[] = { "category", "grid", "location",
	"reporter", "title", "description" };
static const char *sql_edit[] = {
	"UPDATE cases SET category = :v WHERE id = :id",
	"UPDATE cases SET grid = :v WHERE id = :id",
	"UPDATE cases SET location = :v WHERE id = :id",
	"UPDATE cases SET reporter = :v WHERE id = :id",
	"UPDATE cases SET title = :v WHERE id = :id",
	"UPDATE cases SET description = :v WHERE id = :id",
};
static const char sql_fields[] =
    "SELECT category, grid, location, reporter, title, description, reported"
    " FROM cases WHERE id = :id";
static const char sql_due[] = "UPDATE cases SET due = :due WHERE id = :id";

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
 * report, as the category's deadline always is.
 */
const char *
case_edit(struct case_ctx *ctx, long long id, int field, const char *v,
    int redue)
{
	sqlite3_stmt *st = case_prepare(ctx->db, sql_fields);
	char *old;
	long long due = CASE_NOTIME, reported;

	case_bind_int(st, ":id", id);
	if (case_step(st) != SQLITE_ROW)
		return "no such case";
	if (field == 0 && !case_known(ctx->db, CASE_KNOWN_CATEGORY, v))
		return reject(ctx, "category", "no such category", v);
	if (field == 1 && v != NULL && !case_known(ctx->db, CASE_KNOWN_UNIT, v))
		return reject(ctx, "grid", "no such unit", v);
	old = case_strdup(case_col_text(st, field) ? case_col_text(st, field) :
	    "");
	reported = case_col_time(st, 6);
	if (strcmp(old, v != NULL ? v : "") == 0) {
		free(old);
		return NULL;	/* nothing to correct */
	}
	st = case_prepare(ctx->db, sql_edit[field]);
	case_bind_text(st, ":v", v);
	case_bind_int(st, ":id", id);
	case_step(st);
	if (field == 0 && redue) {
		due = deadline(ctx, v, reported);
		st = case_prepare(ctx->db, sql_due);
		case_bind_time(st, ":due", due);
		case_bind_int(st, ":id", id);
		case_step(st);
	}
	event(ctx, id, &(struct event){ .action = "edited",
	    .field = edit_fields[field], .old = old, .new = v != NULL ? v : "",
	    .due = due });
	snprintf(ctx->what, sizeof ctx->what, "set %s", edit_fields[field]);
	free(old);
	return NULL;
}
