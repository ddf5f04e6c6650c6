/* update.c - a case brought up to date from another system's record */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "case.h"

/* One action the record implies, at the time it took effect. */
struct step {
	int	 action;	/* CASE_A_ASSIGNED, _HANDLED, _RETURNED, _CLOSED */
	long long at;
};

static const char *
differ(struct case_ctx *ctx, const char *col, const char *ours,
    const char *theirs)
{
	snprintf(ctx->err, sizeof ctx->err, _("%s: the case has %s, the "
	    "record %s (history is not rewritten)"), col, ours, theirs);
	return ctx->err;
}

/*
 * What the record says of the case that cannot change by appending an
 * event: when it was reported, first assigned and closed, how it was
 * closed and by whom.  NULL if the record agrees where it says anything.
 */
static const char *
fixed(struct case_ctx *ctx, const struct case_new *n,
    const struct case_life *l)
{
	char a[40], b[40];

	if (n->reported != CASE_NOTIME && n->reported != l->reported)
		return differ(ctx, "reported", case_fmt_time(l->reported, a,
		    sizeof a), case_fmt_time(n->reported, b, sizeof b));
	if (n->assigned != CASE_NOTIME && l->assigned != CASE_NOTIME &&
	    n->assigned != l->assigned)
		return differ(ctx, "assigned", case_fmt_time(l->assigned, a,
		    sizeof a), case_fmt_time(n->assigned, b, sizeof b));
	if (l->state != CASE_S_CLOSED)
		return NULL;
	if (n->closed != CASE_NOTIME && n->closed != l->closed)
		return differ(ctx, "closed", case_fmt_time(l->closed, a,
		    sizeof a), case_fmt_time(n->closed, b, sizeof b));
	if (n->outcome != NULL && strcmp(n->outcome, l->outcome) != 0)
		return differ(ctx, "outcome", l->outcome, n->outcome);
	if (n->unit != NULL && strcmp(n->unit, l->unit) != 0)
		return differ(ctx, "unit", l->unit[0] != '\0' ? l->unit : "-",
		    n->unit);
	return NULL;
}

/*
 * Where the record puts the case.  Without a status, a unit says the
 * case is held there (as case_add() reads it), at least assigned; and
 * nothing at all says nothing: the case stays where it is.
 */
static int
target(const struct case_new *n, int cur)
{
	if (n->status != NULL)
		return case_state_parse(n->status);
	if (n->unit != NULL && case_state_rank(cur) < 1)
		return CASE_S_ASSIGNED;
	return cur;
}

/*
 * The actions that move the case from l to where the record has it,
 * each at the record's time for it where it gives one: a new unit, then
 * handling or its return by the unit, then closure.  An assignment or handling without a time of
 * its own happened by the closure if there is one, else by now.
 */
static size_t
plan(struct case_ctx *ctx, const struct case_new *n,
    const struct case_life *l, int cur, int to, struct step *s)
{
	size_t ns = 0;
	long long by = to == CASE_S_CLOSED ? n->closed : ctx->now;
	int moved = 0;

	if (case_state_rank(to) >= 1 && n->unit != NULL &&
	    (case_state_rank(cur) == 0 || strcmp(n->unit, l->unit) != 0)) {
		s[ns++] = (struct step){ CASE_A_ASSIGNED,
		    n->assigned != CASE_NOTIME && l->assigned == CASE_NOTIME ?
		    n->assigned : by };
		moved = 1;
	}
	if (to == CASE_S_HANDLED && (cur != CASE_S_HANDLED || moved))
		s[ns++] = (struct step){ CASE_A_HANDLED, by };
	if (to == CASE_S_RETURNED && case_state_rank(cur) >= 1)
		s[ns++] = (struct step){ CASE_A_RETURNED, by };
	if (to == CASE_S_CLOSED)
		s[ns++] = (struct step){ CASE_A_CLOSED, n->closed };
	return ns;
}

/*
 * Asks the lifecycle whether each step may be taken in turn, on a copy
 * of the case moved on by each: the record is a conflict (NULL if not)
 * before anything is written, so that --skip-conflicts leaves a case
 * it skips untouched.
 */
static const char *
refused(struct case_ctx *ctx, const struct case_new *n, struct case_life *l,
    const struct step *s, size_t ns)
{
	const char *why;
	char late[sizeof ctx->err];
	size_t i;

	for (i = 0; i < ns; i++) {
		if ((why = case_life_refuse(l, s[i].action, 0)) != NULL ||
		    (why = case_life_late(l, s[i].at, late,
		    sizeof late)) != NULL) {
			snprintf(ctx->err, sizeof ctx->err, "%s: %s",
			    case_action_name(s[i].action), why);
			return ctx->err;
		}
		case_life_apply(l, &(struct case_event){ .at = s[i].at,
		    .recorded = CASE_NOTIME, .action = s[i].action,
		    .to = n->unit, .outcome = n->outcome, .due = CASE_NOTIME,
		    .dispatch = CASE_NOTIME });
	}
	return NULL;
}

/* Adds what the last change did to the list of what this one did. */
static void
said(struct case_ctx *ctx, char *what, size_t size)
{
	size_t len = strlen(what);

	/* A list too long for the line is cut, as ctx->what itself is. */
	if (ctx->what[0] != '\0' && snprintf(what + len, size - len, "%s%s",
	    len > 0 ? ", " : "", ctx->what) >= (int)(size - len))
		what[size - 1] = '\0';
	ctx->what[0] = '\0';
}

/* Takes one step through the writer every program uses for it. */
static void
take(struct case_ctx *ctx, long long id, const struct case_new *n,
    const struct step *s)
{
	const char *why = NULL, *note = ctx->note;

	ctx->now = s->at;
	switch (s->action) {
	case CASE_A_ASSIGNED:
		ctx->foreign = 1;
		why = case_assign(ctx, id, n->unit);
		ctx->foreign = 0;
		break;
	case CASE_A_HANDLED:
		why = case_handle(ctx, id);
		break;
	case CASE_A_RETURNED:
		why = case_return(ctx, id);
		break;
	case CASE_A_CLOSED:
		ctx->note = n->outcome_note != NULL ? n->outcome_note : "";
		why = case_close(ctx, id, n->outcome, 0);
		ctx->note = note;
		break;
	}
	/* plan() asked the same lifecycle: a refusal now is a bug. */
	if (why != NULL)
		errx(CASE_EXIT_FATAL, "%lld: %s", id, why);
}

/*
 * Brings case n->id to what another system's record of it says, by
 * appending events through the writers of cases.c: the case moved on
 * along its life (a unit, handling or return, closure) at the record's
 * times, and the fields case-edit corrects set to the record's.  History
 * is never rewritten, so a record that would move the case back, or that
 * differs from what its history already fixed, is a conflict and nothing
 * is written.  Returns CASE_UP_..., the reason in *why when bad or a
 * conflict; ctx->what says what was done.
 */
int
case_update(struct case_ctx *ctx, const struct case_new *n, const char **why)
{
	static const char *fields[] = { "category", "grid", "location",
	    "reporter", "title", "description" };
	const char *v[] = { n->category, n->grid, n->location, n->reporter,
	    n->title, n->description };
	struct case_life l, sim;
	struct step s[3];
	size_t ns, i;
	long long now = ctx->now;
	char what[sizeof ctx->what] = "";
	int cur, to;

	ctx->what[0] = '\0';
	if ((*why = case_check_record(ctx, n)) != NULL)
		return CASE_UP_BAD;
	if (case_load(ctx, n->id, &l) == -1) {
		*why = _("no such case");
		return CASE_UP_BAD;
	}
	cur = l.state == CASE_S_PAUSED ? l.paused_from : l.state;
	to = target(n, cur);
	/* A unit's returning a case (退回) is the one way on that is down. */
	if (case_state_rank(to) < case_state_rank(cur) &&
	    !(to == CASE_S_RETURNED && cur != CASE_S_CLOSED)) {
		snprintf(ctx->err, sizeof ctx->err, _("status: the case is %s, "
		    "the record would move it back to %s"),
		    case_state_name(l.state), case_state_name(to));
		*why = ctx->err;
		return CASE_UP_CONFLICT;
	}
	if ((*why = fixed(ctx, n, &l)) != NULL)
		return CASE_UP_CONFLICT;
	ns = cur == CASE_S_CLOSED ? 0 : plan(ctx, n, &l, cur, to, s);
	sim = l;
	if ((*why = refused(ctx, n, &sim, s, ns)) != NULL)
		return CASE_UP_CONFLICT;
	for (i = 0; i < ns; i++) {
		take(ctx, n->id, n, &s[i]);
		said(ctx, what, sizeof what);
	}
	/* Corrections follow the moves, never before the last of them. */
	ctx->now = sim.last != CASE_NOTIME && sim.last > now ? sim.last : now;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (v[i] == NULL)
			continue;
		if ((*why = case_edit(ctx, n->id, case_edit_field(fields[i]),
		    v[i], 0)) != NULL)
			errx(CASE_EXIT_FATAL, "%lld: %s", n->id, *why);
		said(ctx, what, sizeof what);
	}
	ctx->now = now;
	memcpy(ctx->what, what, sizeof what);
	return what[0] != '\0' ? CASE_UP_DONE : CASE_UP_SAME;
}
