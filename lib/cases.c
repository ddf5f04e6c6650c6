/* cases.c - adding and changing cases; every change is also an event */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

struct event {
	const char *action, *from, *to, *outcome, *note;
	long long at, due;
};

/* The current state of one case, as the mutators need it. */
struct state {
	char	 status[32];
	char	 unit[128];
	char	 category[128];
	int	 hasunit;
};

static const char sql_event[] =
    "INSERT INTO events (case_id, at, actor, osuser, action, from_unit,"
    " to_unit, due, outcome, note) VALUES (:case, :at, :actor, :osuser,"
    " :action, :from, :to, :due, :outcome, :note)";
static const char sql_state[] =
    "SELECT status, unit, category FROM cases WHERE id = :id";
static const char sql_deadline[] =
    "SELECT deadline FROM categories WHERE code = :code";
static const char sql_parent[] =
    "SELECT parent FROM units WHERE code = :code";
static const char sql_id_taken[] =
    "SELECT 1 FROM cases WHERE id = :id";
static const char sql_insert[] =
    "INSERT INTO cases (id, reported, source, category, grid, location,"
    " reporter, title, description, unit, status, due, assigned, closed,"
    " outcome, outcome_note) VALUES (:id, :reported, :source, :category,"
    " :grid, :location, :reporter, :title, :description, :unit, :status,"
    " :due, :assigned, :closed, :outcome, :outcome_note)";
static const char sql_assign[] =
    "UPDATE cases SET unit = :unit, status = 'assigned',"
    " assigned = coalesce(assigned, :now) WHERE id = :id";
static const char sql_escalate[] =
    "UPDATE cases SET unit = :unit, status = 'assigned', due = :due"
    " WHERE id = :id";
static const char sql_close[] =
    "UPDATE cases SET status = 'closed', closed = :now, outcome = :outcome,"
    " outcome_note = :note WHERE id = :id";
static const char sql_reopen[] =
    "UPDATE cases SET status = CASE WHEN unit IS NULL THEN 'reported'"
    " ELSE 'assigned' END, closed = NULL, outcome = NULL, outcome_note = ''"
    " WHERE id = :id";

static const char *sql_known[] = {
	"SELECT 1 FROM units WHERE code = :code",
	"SELECT 1 FROM categories WHERE code = :code",
	"SELECT 1 FROM sources WHERE code = :code",
	"SELECT 1 FROM outcomes WHERE code = :code",
};
static const char *kinds[] = { "unit", "category", "source", "outcome" };

/*
 * Starts the one transaction of a writing program.  Changed IDs are held
 * back until it commits, so that nothing downstream of a pipe acts on a
 * change that was then rolled back.
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
	if ((ctx->out = open_memstream(&ctx->outbuf, &ctx->outlen)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	if (!case_utf8_valid(ctx->actor, strlen(ctx->actor)))
		errx(CASE_EXIT_FATAL, "--actor: invalid UTF-8");
	case_begin(db);
}

/* Notes a changed case: its ID, or with --dry-run what would be done. */
void
case_changed(struct case_ctx *ctx, long long id)
{
	if (ctx->dryrun)
		fprintf(ctx->out, "%lld\twould %s\n", id, ctx->what);
	else if (!ctx->quiet)
		fprintf(ctx->out, "%lld\n", id);
}

/*
 * Commits (or with --dry-run rolls back), then writes out the IDs and
 * returns the exit status: 1 if any item was rejected.
 */
int
case_ctx_finish(struct case_ctx *ctx, int nbad)
{
	if (ctx->dryrun)
		case_rollback(ctx->db);
	else
		case_commit(ctx->db);
	case_db_close(ctx->db);
	if (fclose(ctx->out) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	if (fwrite(ctx->outbuf, 1, ctx->outlen, stdout) != ctx->outlen)
		err(CASE_EXIT_FATAL, "stdout");
	free(ctx->outbuf);
	case_finish_stdout();
	return nbad > 0 ? CASE_EXIT_REJECT : CASE_EXIT_OK;
}

void
case_new_init(struct case_new *n)
{
	memset(n, 0, sizeof *n);
	n->reported = n->due = n->assigned = n->closed = CASE_NOTIME;
}

/* Is code one of the kind's codes (CASE_KNOWN_UNIT, ...)? */
int
case_known(sqlite3 *db, int kind, const char *code)
{
	sqlite3_stmt *st = case_prepare(db, sql_known[kind]);

	case_bind_text(st, ":code", code);
	return case_step(st) == SQLITE_ROW;
}

/* For an option's code: an unknown one is a usage error (exit 2). */
void
case_check_code(sqlite3 *db, int kind, const char *opt, const char *code)
{
	if (code != NULL && !case_known(db, kind, code))
		errx(CASE_EXIT_FATAL, "--%s: no such %s -- %s", opt,
		    kinds[kind], code);
}

static void
event(struct case_ctx *ctx, long long id, const struct event *e)
{
	sqlite3_stmt *st = case_prepare(ctx->db, sql_event);

	case_bind_int(st, ":case", id);
	case_bind_int(st, ":at", e->at != CASE_NOTIME ? e->at : ctx->now);
	case_bind_text(st, ":actor", ctx->actor);
	case_bind_text(st, ":osuser", ctx->osuser);
	case_bind_text(st, ":action", e->action);
	case_bind_text(st, ":from", e->from);
	case_bind_text(st, ":to", e->to);
	case_bind_time(st, ":due", e->due);
	case_bind_text(st, ":outcome", e->outcome);
	case_bind_text(st, ":note", e->note != NULL ? e->note : "");
	case_step(st);
}

static int
load(struct case_ctx *ctx, long long id, struct state *s)
{
	sqlite3_stmt *st = case_prepare(ctx->db, sql_state);
	const char *u;

	case_bind_int(st, ":id", id);
	if (case_step(st) != SQLITE_ROW)
		return -1;
	snprintf(s->status, sizeof s->status, "%s", case_col_text(st, 0));
	u = case_col_text(st, 1);
	s->hasunit = u != NULL;
	snprintf(s->unit, sizeof s->unit, "%s", u != NULL ? u : "");
	snprintf(s->category, sizeof s->category, "%s", case_col_text(st, 2));
	return 0;
}

/*
 * The deadline of a case of category cat handled from time from: the
 * category's deadline, a duration such as 24h or 7d, added to it.
 */
static long long
deadline(struct case_ctx *ctx, const char *cat, long long from)
{
	sqlite3_stmt *st = case_prepare(ctx->db, sql_deadline);
	long long secs;

	case_bind_text(st, ":code", cat);
	if (case_step(st) != SQLITE_ROW ||
	    case_parse_duration(case_col_text(st, 0), &secs) == -1)
		return CASE_NOTIME;
	return from + secs;
}

static const char *
reject(struct case_ctx *ctx, const char *col, const char *why, const char *v)
{
	if (v != NULL)
		snprintf(ctx->err, sizeof ctx->err, "%s: %s -- %s", col, why, v);
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
	if (n->status != NULL && strcmp(n->status, "reported") != 0 &&
	    strcmp(n->status, "assigned") != 0 &&
	    strcmp(n->status, "closed") != 0)
		return reject(ctx, "status", "no such status", n->status);
	if (n->status != NULL && strcmp(n->status, "closed") == 0 &&
	    (n->outcome == NULL || n->closed == CASE_NOTIME))
		return reject(ctx, "status", "a closed case needs outcome and "
		    "closed", NULL);
	if ((n->outcome != NULL || n->closed != CASE_NOTIME) &&
	    (n->status == NULL || strcmp(n->status, "closed") != 0))
		return reject(ctx, "status", "outcome and closed need status "
		    "closed", NULL);
	if (n->status != NULL && strcmp(n->status, "assigned") == 0 &&
	    n->unit == NULL)
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

/*
 * Adds a case.  A record from another system (case-add --csv) may bring
 * its own status, times and outcome; history events are written to match,
 * at the times the record gives.
 */
const char *
case_add(struct case_ctx *ctx, const struct case_new *n, long long *id)
{
	sqlite3_stmt *st;
	long long rep, due, asg;
	const char *status, *why;

	if ((why = check_new(ctx, n)) != NULL)
		return why;
	rep = n->reported != CASE_NOTIME ? n->reported : ctx->now;
	due = n->due != CASE_NOTIME ? n->due : deadline(ctx, n->category, rep);
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
	case_step(st);
	*id = sqlite3_last_insert_rowid(ctx->db);
	event(ctx, *id, &(struct event){ .action = "reported", .at = rep,
	    .due = due });
	if (n->unit != NULL)
		event(ctx, *id, &(struct event){ .action = "assigned",
		    .at = asg, .to = n->unit, .due = CASE_NOTIME });
	if (n->closed != CASE_NOTIME)
		event(ctx, *id, &(struct event){ .action = "closed",
		    .at = n->closed, .outcome = n->outcome,
		    .note = n->outcome_note, .due = CASE_NOTIME });
	snprintf(ctx->what, sizeof ctx->what, "add %s%s%s", n->category,
	    n->unit != NULL ? " -> " : "", n->unit != NULL ? n->unit : "");
	return NULL;
}

static const char *
open_case(struct case_ctx *ctx, long long id, struct state *s)
{
	if (load(ctx, id, s) == -1)
		return "no such case";
	if (strcmp(s->status, "closed") == 0)
		return "case is closed";
	return NULL;
}

const char *
case_assign(struct case_ctx *ctx, long long id, const char *to,
    const char *note)
{
	struct state s;
	sqlite3_stmt *st;
	const char *why;

	if ((why = open_case(ctx, id, &s)) != NULL)
		return why;
	if (s.hasunit && strcmp(s.unit, to) == 0 &&
	    strcmp(s.status, "reported") != 0) {
		snprintf(ctx->what, sizeof ctx->what, "already at %s", to);
		return NULL;
	}
	st = case_prepare(ctx->db, sql_assign);
	case_bind_text(st, ":unit", to);
	case_bind_int(st, ":now", ctx->now);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "assigned",
	    .from = s.hasunit ? s.unit : NULL, .to = to, .note = note,
	    .at = CASE_NOTIME, .due = CASE_NOTIME });
	snprintf(ctx->what, sizeof ctx->what, "assign %s -> %s",
	    s.hasunit ? s.unit : "-", to);
	return NULL;
}

/* Moves a case to its unit's parent, with a fresh deadline from now. */
const char *
case_escalate(struct case_ctx *ctx, long long id, const char *note)
{
	struct state s;
	sqlite3_stmt *st;
	const char *why;
	char parent[128];
	long long due;

	if ((why = open_case(ctx, id, &s)) != NULL)
		return why;
	if (!s.hasunit)
		return "not assigned to any unit";
	st = case_prepare(ctx->db, sql_parent);
	case_bind_text(st, ":code", s.unit);
	if (case_step(st) != SQLITE_ROW || case_col_text(st, 0) == NULL) {
		snprintf(ctx->err, sizeof ctx->err, "already at the top unit "
		    "(%s)", s.unit);
		return ctx->err;
	}
	snprintf(parent, sizeof parent, "%s", case_col_text(st, 0));
	due = deadline(ctx, s.category, ctx->now);
	st = case_prepare(ctx->db, sql_escalate);
	case_bind_text(st, ":unit", parent);
	case_bind_time(st, ":due", due);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "escalated", .from = s.unit,
	    .to = parent, .due = due, .note = note, .at = CASE_NOTIME });
	snprintf(ctx->what, sizeof ctx->what, "escalate %s -> %s", s.unit,
	    parent);
	return NULL;
}

const char *
case_close(struct case_ctx *ctx, long long id, const char *outcome,
    const char *note)
{
	struct state s;
	sqlite3_stmt *st;
	const char *why;

	if ((why = open_case(ctx, id, &s)) != NULL)
		return why;
	st = case_prepare(ctx->db, sql_close);
	case_bind_int(st, ":now", ctx->now);
	case_bind_text(st, ":outcome", outcome);
	case_bind_text(st, ":note", note != NULL ? note : "");
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "closed", .outcome = outcome,
	    .note = note, .at = CASE_NOTIME, .due = CASE_NOTIME });
	snprintf(ctx->what, sizeof ctx->what, "close %s", outcome);
	return NULL;
}

const char *
case_reopen(struct case_ctx *ctx, long long id, const char *note)
{
	struct state s;
	sqlite3_stmt *st;

	if (load(ctx, id, &s) == -1)
		return "no such case";
	if (strcmp(s.status, "closed") != 0)
		return "case is not closed";
	st = case_prepare(ctx->db, sql_reopen);
	case_bind_int(st, ":id", id);
	case_step(st);
	event(ctx, id, &(struct event){ .action = "reopened", .note = note,
	    .at = CASE_NOTIME, .due = CASE_NOTIME });
	snprintf(ctx->what, sizeof ctx->what, "reopen");
	return NULL;
}
