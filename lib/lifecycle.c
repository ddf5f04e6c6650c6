/*
 * lifecycle.c - the one definition of a case's life: its states, the
 * actions and which state allows which, the two clocks and their
 * deadlines, the sign-for clock of each unit given the case, what
 * "overdue", a lapse, "late" and "unsigned" mean.  Writers ask it
 * whether an action is allowed and what the case becomes; the figures,
 * --as-of and case-show fold the history through it; sql.c states the
 * rules the list filters need in SQL, from the same states' names.
 * casekit(7) states the same rules for people.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/* The states' names (ST_..., store.h), in CASE_S_ order. */
static const char *state_names[CASE_NSTATE] = { ST_REPORTED, ST_ASSIGNED,
	ST_HANDLED, ST_RETURNED, ST_PAUSED, ST_CLOSED };

static const char *action_names[CASE_NACTION] = { "reported", "assigned",
	"escalated", "supervised", "extended", "handled", "reworked",
	"returned", "paused", "resumed", "closed", "reopened", "visited",
	"noted", "edited", "signed", "attached", "conferred", "tasked",
	"task-done", "linked", "unlinked", "assisted", "unassisted",
	"part-done" };

/*
 * The priority tiers: the code the cases' priority column holds (data,
 * never translated), the word an office types (紧急, 重要, 一般), taken
 * at input beside the code, and the word shown, in the user's language.
 */
static const char *priority_names[CASE_NPRIORITY] = { "urgent", "high",
	"normal" };
static const char *priority_zh[CASE_NPRIORITY] = { "紧急", "重要", "一般" };
static const char *priority_words[CASE_NPRIORITY] = { N_("urgent"),
	N_("high"), N_("normal") };

#define S(x)	(1u << CASE_S_##x)
#define OPEN	(S(REPORTED) | S(ASSIGNED) | S(HANDLED) | S(RETURNED))
#define ANY	(OPEN | S(PAUSED) | S(CLOSED))

/*
 * The transition table: the states each action may be taken from, and
 * what a refusal says when the state is neither closed nor paused (those
 * two have their own words).  Where an action leads is apply()'s work.
 */
static const struct {
	unsigned from;
	const char *otherwise;
} table[CASE_NACTION] = {
	[CASE_A_REPORTED] = { 0, N_("case exists") },
	[CASE_A_ASSIGNED] = { OPEN, NULL },
	[CASE_A_ESCALATED] = { OPEN, NULL },
	[CASE_A_SUPERVISED] = { OPEN, NULL },
	[CASE_A_EXTENDED] = { OPEN, NULL },
	[CASE_A_HANDLED] = { S(ASSIGNED), N_("case is not assigned") },
	[CASE_A_REWORKED] = { S(HANDLED), N_("case is not handled") },
	[CASE_A_RETURNED] = { S(ASSIGNED) | S(HANDLED),
	    N_("case is not assigned") },
	[CASE_A_PAUSED] = { OPEN, NULL },
	[CASE_A_RESUMED] = { S(PAUSED), N_("case is not paused") },
	[CASE_A_CLOSED] = { OPEN | S(PAUSED), NULL },
	[CASE_A_REOPENED] = { S(CLOSED), N_("case is not closed") },
	[CASE_A_VISITED] = { S(CLOSED), N_("case is not closed") },
	[CASE_A_NOTED] = { ANY, NULL },
	[CASE_A_EDITED] = { ANY, NULL },
	/* A paused case is still held: its unit may sign for it. */
	[CASE_A_SIGNED] = { S(ASSIGNED) | S(HANDLED) | S(PAUSED),
	    N_("case is held by no unit (assign it first)") },
	/* A photo or an agreement may come after the case is closed. */
	[CASE_A_ATTACHED] = { ANY, NULL },
	/*
	 * A conference is held on a case still being worked; the actions
	 * it sets are followed up after the case closes too.
	 */
	[CASE_A_CONFERRED] = { OPEN | S(PAUSED), NULL },
	[CASE_A_TASKED] = { OPEN | S(PAUSED), NULL },
	[CASE_A_TASK_DONE] = { ANY, NULL },
	/* Links are drawn whatever the state; cases.c says what else. */
	[CASE_A_LINKED] = { ANY, NULL },
	[CASE_A_UNLINKED] = { ANY, NULL },
	/* Assisting units join, leave and report their parts while the
	 * case is open; the case itself stays where it is. */
	[CASE_A_ASSISTED] = { OPEN, NULL },
	[CASE_A_UNASSISTED] = { OPEN, NULL },
	[CASE_A_PART_DONE] = { OPEN, NULL },
};

const char *
case_state_name(int s)
{
	return s >= 0 && s < CASE_NSTATE ? state_names[s] : "?";
}

int
case_state_parse(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < CASE_NSTATE; i++)
		if (strcmp(name, state_names[i]) == 0)
			return i;
	return -1;
}

const char *
case_action_name(int a)
{
	return a >= 0 && a < CASE_NACTION ? action_names[a] : "?";
}

int
case_action_parse(const char *name)
{
	int i;

	/* The first letter first: the figures parse every event's. */
	for (i = 0; name != NULL && i < CASE_NACTION; i++)
		if (name[0] == action_names[i][0] &&
		    strcmp(name, action_names[i]) == 0)
			return i;
	return -1;
}

const char *
case_priority_name(int p)
{
	return p >= 0 && p < CASE_NPRIORITY ? priority_names[p] : "normal";
}

const char *
case_priority_word(int p)
{
	return _(priority_words[p >= 0 && p < CASE_NPRIORITY ? p :
	    CASE_P_NORMAL]);
}

/* A tier by its code or its Chinese word; -1 if it is neither. */
int
case_priority_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < CASE_NPRIORITY; i++)
		if ((s[0] == priority_names[i][0] &&
		    strcmp(s, priority_names[i]) == 0) ||
		    (s[0] == priority_zh[i][0] && strcmp(s, priority_zh[i]) == 0))
			return i;
	return -1;
}

/*
 * Which of a category's terms (CASE_TERM_..., set[] saying which it
 * has) a tier's resolution deadline is: urgent its own, else high's;
 * high its own; else, and for normal, the category's deadline.  So a
 * category with no terms for the tiers keeps one deadline for all, and
 * an urgent case never has longer than a high one.
 */
int
case_priority_term(int p, const int *set)
{
	if (p == CASE_P_URGENT && set[CASE_TERM_URGENT])
		return CASE_TERM_URGENT;
	if (p != CASE_P_NORMAL && set[CASE_TERM_HIGH])
		return CASE_TERM_HIGH;
	return CASE_TERM_DEADLINE;
}

/*
 * Whether a closure's outcome makes the case a duplicate: another report
 * of the problem an earlier case holds (case-link --duplicate-of).  The
 * figures count a problem once by it (stats.c, casekit(7)): a duplicate
 * is received, as the report it is, but not registered; it is neither
 * visited nor counted as unvisited; its original counts its reports.
 * Children and related cases are cases of their own to every figure.
 */
int
case_outcome_duplicate(const char *outcome)
{
	return outcome != NULL && strcmp(outcome, "duplicate") == 0;
}

/*
 * Why the action may not be taken on the case as it is, or NULL.  A
 * case closed as a duplicate is not visited (its reporter is visited on
 * the case it duplicates), and is reopened only with a note saying why.
 */
const char *
case_life_refuse(const struct case_life *l, int action, int noted)
{
	int dup = l->state == CASE_S_CLOSED &&
	    case_outcome_duplicate(l->outcome);

	if (!(table[action].from & (1u << l->state))) {
		if (l->state == CASE_S_CLOSED)
			return _("case is closed");
		if (l->state == CASE_S_PAUSED)
			return _("case is paused (resume it first)");
		return table[action].otherwise != NULL ?
		    _(table[action].otherwise) : NULL;
	}
	if (action == CASE_A_VISITED && dup)
		return _("case is closed as a duplicate: visit the case it "
		    "duplicates");
	if (action == CASE_A_REOPENED && dup && !noted)
		return _("case is closed as a duplicate: reopen it only with "
		    "--note saying why");
	if (action == CASE_A_SIGNED && l->state == CASE_S_PAUSED &&
	    l->paused_from != CASE_S_ASSIGNED &&
	    l->paused_from != CASE_S_HANDLED)
		return _(table[action].otherwise);
	if (action == CASE_A_SIGNED && l->signed_for)
		return _("case is signed for already since it was last "
		    "assigned or escalated");
	return NULL;
}

/*
 * How far along its life a state is: waiting for dispatch (reported,
 * returned), held by a unit, handled, closed.  A record from another
 * system may move a case on along it (case-add --update), never back:
 * going back is an action of our own (rework, reopening) that such a
 * record cannot name.  A paused case is where it was paused: -1 here.
 */
int
case_state_rank(int state)
{
	switch (state) {
	case CASE_S_REPORTED:
	case CASE_S_RETURNED:
		return 0;
	case CASE_S_ASSIGNED:
		return 1;
	case CASE_S_HANDLED:
		return 2;
	case CASE_S_CLOSED:
		return 3;
	}
	return -1;
}

/*
 * Why an event effective at may not be appended now, or NULL: one
 * before the case's last event would put history out of the order it
 * happened.  The reason is written into buf.
 */
const char *
case_life_late(const struct case_life *l, long long at, char *buf,
    size_t size)
{
	char a[40], b[40];

	if (l->last == CASE_NOTIME || at >= l->last)
		return NULL;
	snprintf(buf, size, _("effective time %s is before the case's last "
	    "event (%s)"), case_fmt_time(at, a, sizeof a),
	    case_fmt_time(l->last, b, sizeof b));
	return buf;
}

/*
 * Which clocks run in a state; sql.c says the same over the status
 * column (SQL_RUNNING, SQL_UNDISPATCHED): change both together.
 */
static int
resolution_runs(int state)
{
	return state != CASE_S_CLOSED && state != CASE_S_PAUSED;
}

static int
dispatch_runs(int state)
{
	return state == CASE_S_REPORTED || state == CASE_S_RETURNED;
}

/*
 * The sign-for clock runs from each assignment or escalation (a unit
 * given the case) until that unit signs for it, the case goes to
 * another unit or back for dispatch, or it is closed.  A pause does not
 * stop it: receiving a case is not the work the pause waits on.  Its
 * lapses are no lapses of the case's (not counted, not "overdue").
 */
static int
ack_runs(const struct case_life *l)
{
	return l->ack != CASE_NOTIME && !l->signed_for &&
	    l->state != CASE_S_CLOSED;
}

void
case_life_init(struct case_life *l, struct case_hist *h)
{
	memset(l, 0, sizeof *l);
	l->state = CASE_S_REPORTED;
	l->paused_from = CASE_S_ASSIGNED;
	l->priority = CASE_P_NORMAL;
	l->reported = l->assigned = l->closed = l->due = l->dispatch =
	    l->paused_at = l->supervised = l->last = l->conferred =
	    CASE_NOTIME;
	l->ack = l->ack_from = CASE_NOTIME;
	l->h = h;
	if (h != NULL)
		h->nob = h->nlapse = h->nterm = h->nack = h->ntask = 0;
}

void
case_hist_free(struct case_hist *h)
{
	free(h->ob);
	free(h->lapse);
	free(h->term);
	free(h->ack);
	free(h->task);
	memset(h, 0, sizeof *h);
}

/* A code into a CASE_CODE buffer (NULL as empty): codes are shorter. */
void
case_code_copy(char *dst, const char *src)
{
	size_t n = src != NULL ? strlen(src) : 0;

	if (n >= CASE_CODE)
		n = CASE_CODE - 1;
	memcpy(dst, src != NULL ? src : "", n);
	dst[n] = '\0';
}

static void *
grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 4;
	return case_reallocarray(v, *cap, size);
}

static struct case_oblig *
current(struct case_life *l)
{
	return l->h != NULL && l->h->nob > 0 ? &l->h->ob[l->h->nob - 1] : NULL;
}

/* The deadline term of a clock in force, for case-show's list. */
static struct case_term *
term(struct case_life *l, int clock)
{
	size_t i;

	for (i = l->h != NULL ? l->h->nterm : 0; i > 0; i--)
		if (l->h->term[i - 1].clock == clock &&
		    l->h->term[i - 1].fate == CASE_T_IN_FORCE)
			return &l->h->term[i - 1];
	return NULL;
}

static void
end_term(struct case_life *l, int clock, int fate, long long at)
{
	struct case_term *t = term(l, clock);

	if (t != NULL) {
		t->fate = fate;
		t->end = at;
	}
}

static void
new_term(struct case_life *l, int clock, long long deadline, long long at)
{
	struct case_hist *h = l->h;

	end_term(l, clock, CASE_T_REPLACED, at);
	if (h == NULL || deadline == CASE_NOTIME)
		return;
	h->term = grow(h->term, h->nterm, &h->termcap, sizeof *h->term);
	h->term[h->nterm++] = (struct case_term){ clock, deadline, at,
	    CASE_NOTIME, CASE_T_IN_FORCE };
}

static void
lapse(struct case_life *l, int clock, long long deadline)
{
	struct case_hist *h = l->h;
	struct case_oblig *o = current(l);

	if (clock == CASE_CLOCK_RESOLUTION) {
		l->due_lapsed = 1;
		if (o != NULL && !o->late) {
			o->late = 1;
			o->reckon = deadline;
		}
	} else
		l->dispatch_lapsed = 1;
	if (h == NULL)
		return;
	h->lapse = grow(h->lapse, h->nlapse, &h->lapsecap, sizeof *h->lapse);
	h->lapse[h->nlapse++] = (struct case_lapse){ deadline, clock };
	end_term(l, clock, CASE_T_MISSED, deadline);
}

/* The sign-for clock of the unit that holds the case now, if kept. */
static struct case_term *
ack_term(struct case_life *l)
{
	struct case_hist *h = l->h;

	return h != NULL && h->nack > 0 &&
	    h->ack[h->nack - 1].fate == CASE_T_IN_FORCE ?
	    &h->ack[h->nack - 1] : NULL;
}

static void
ack_end(struct case_life *l, int fate, long long at)
{
	struct case_term *t = ack_term(l);

	if (t != NULL) {
		t->fate = fate;
		t->end = at;
	}
}

/*
 * A unit given the case: its sign-for clock starts, with the limit the
 * event set (none: an event from before signing, or an imported record
 * of another system's assignment, which says nothing of a signing).
 */
static void
ack_start(struct case_life *l, long long limit, long long at)
{
	struct case_hist *h = l->h;

	if (ack_runs(l))
		ack_end(l, CASE_T_REPLACED, at);
	l->ack = limit > 0 ? limit : CASE_NOTIME;
	l->ack_from = at;
	l->signed_for = 0;
	if (h == NULL || l->ack == CASE_NOTIME)
		return;
	h->ack = grow(h->ack, h->nack, &h->ackcap, sizeof *h->ack);
	h->ack[h->nack++] = (struct case_term){ CASE_CLOCK_ACK, l->ack, at,
	    CASE_NOTIME, CASE_T_IN_FORCE };
}

/*
 * Time passes up to t: a running clock whose deadline in force falls
 * before t lapses there, once.
 */
static void
advance(struct case_life *l, long long t)
{
	struct case_term *a;

	if (ack_runs(l) && l->ack < t && (a = ack_term(l)) != NULL) {
		a->fate = CASE_T_MISSED;
		a->end = l->ack;
	}
	if (resolution_runs(l->state) && l->due != CASE_NOTIME &&
	    !l->due_lapsed && l->due < t)
		lapse(l, CASE_CLOCK_RESOLUTION, l->due);
	if (dispatch_runs(l->state) && l->dispatch != CASE_NOTIME &&
	    !l->dispatch_lapsed && l->dispatch < t)
		lapse(l, CASE_CLOCK_DISPATCH, l->dispatch);
}

/*
 * A deadline set at or after its own instant was never in force before
 * it passed: the case is overdue under it at once, but it is no lapse.
 */
static void
set_due(struct case_life *l, long long due, long long at)
{
	l->due = due;
	l->due_lapsed = due != CASE_NOTIME && due <= at;
	new_term(l, CASE_CLOCK_RESOLUTION, due, at);
}

static void
set_dispatch(struct case_life *l, long long due, long long at)
{
	l->dispatch = due;
	l->dispatch_lapsed = due != CASE_NOTIME && due <= at;
	new_term(l, CASE_CLOCK_DISPATCH, due, at);
}

/*
 * A reopened case's satisfaction is that of its latest visit until a
 * later one says otherwise (case-visit(1)): the new obligation starts
 * with it.
 */
static void
open_obligation(struct case_life *l, long long at)
{
	struct case_hist *h = l->h;

	if (h == NULL)
		return;
	h->ob = grow(h->ob, h->nob, &h->obcap, sizeof *h->ob);
	h->ob[h->nob++] = (struct case_oblig){ at, CASE_NOTIME, CASE_NOTIME,
	    0, l->visited, l->satisfied, "" };
}

/*
 * A conference's follow-up action, kept with its deadline; its done
 * event names it by its ID (the event that set it), and only the first
 * counts.
 */
static void
task(struct case_life *l, const struct case_event *e)
{
	struct case_hist *h = l->h;
	size_t i;

	if (h == NULL || e->new == NULL)
		return;
	if (e->action == CASE_A_TASK_DONE) {
		for (i = 0; i < h->ntask; i++)
			if (strcmp(h->task[i].id, e->new) == 0 &&
			    h->task[i].done == CASE_NOTIME)
				h->task[i].done = e->at;
		return;
	}
	h->task = grow(h->task, h->ntask, &h->taskcap, sizeof *h->task);
	h->task[h->ntask++] = (struct case_task){ e->new, e->old, e->to,
	    e->note, e->at, e->due, CASE_NOTIME };
}

/*
 * The dispatch clock stops at assignment or closing: its deadline was
 * met.  A case paused before dispatch (only closing takes it from
 * there) is judged by the status it was paused from.
 */
static void
dispatched(struct case_life *l, long long at)
{
	if (dispatch_runs(l->state == CASE_S_PAUSED ? l->paused_from :
	    l->state))
		end_term(l, CASE_CLOCK_DISPATCH, CASE_T_MET, at);
}

/*
 * One event of the case's history: time passes up to it, then the case
 * becomes what the action makes it.  Writers call it with the event they
 * are about to append; the figures and case-show with each event read.
 */
void
case_life_apply(struct case_life *l, const struct case_event *e)
{
	struct case_oblig *o;
	long long at = e->at;
	int s;

	advance(l, at);
	switch (e->action) {
	case CASE_A_REPORTED:
		l->state = CASE_S_REPORTED;
		l->reported = at;
		if (e->to != NULL)	/* named, not yet sent: an import */
			case_code_copy(l->unit, e->to);
		open_obligation(l, at);
		set_due(l, e->due, at);
		set_dispatch(l, e->dispatch, at);
		break;
	case CASE_A_ASSIGNED:
	case CASE_A_ESCALATED:
		dispatched(l, at);
		ack_start(l, e->ack, at);
		case_code_copy(l->unit, e->to);
		if (e->action == CASE_A_ASSIGNED && l->assigned == CASE_NOTIME)
			l->assigned = at;
		l->state = CASE_S_ASSIGNED;
		if (e->due != CASE_NOTIME)
			set_due(l, e->due, at);
		break;
	case CASE_A_SUPERVISED:
		l->supervised = e->due;
		break;
	case CASE_A_EXTENDED:
		l->extensions++;
		set_due(l, e->due, at);
		break;
	case CASE_A_HANDLED:
		l->handlings++;
		l->state = CASE_S_HANDLED;
		break;
	case CASE_A_REWORKED:
		l->reworks++;
		l->state = CASE_S_ASSIGNED;
		break;
	case CASE_A_RETURNED:
		if (ack_runs(l))
			ack_end(l, CASE_T_REPLACED, at);
		l->ack = CASE_NOTIME;
		case_code_copy(l->unit, e->to);
		l->state = CASE_S_RETURNED;
		set_dispatch(l, e->dispatch, at);
		break;
	case CASE_A_PAUSED:
		l->paused_from = l->state;
		l->state = CASE_S_PAUSED;
		l->paused_at = at;
		break;
	case CASE_A_RESUMED:
		/* The same deadlines, moved by the time paused: a lapse
		 * before the pause is not counted again.  A deadline that
		 * was already past when it was set (still in force, never
		 * missed) and now lies ahead runs again, and can lapse. */
		s = case_state_parse(e->new);
		l->state = s >= 0 && s != CASE_S_PAUSED && s != CASE_S_CLOSED ?
		    s : l->paused_from;
		if (e->due != CASE_NOTIME) {
			struct case_term *t = term(l, CASE_CLOCK_RESOLUTION);

			l->due = e->due;
			if (t != NULL)
				t->deadline = e->due;
			if (t != NULL && e->due > at)
				l->due_lapsed = 0;
		}
		if (e->dispatch != CASE_NOTIME)
			l->dispatch = e->dispatch;
		else if (dispatch_runs(l->state) && l->dispatch != CASE_NOTIME &&
		    l->paused_at != CASE_NOTIME)	/* written before 0.2 */
			l->dispatch += at - l->paused_at;
		if (e->dispatch != CASE_NOTIME || dispatch_runs(l->state)) {
			struct case_term *t = term(l, CASE_CLOCK_DISPATCH);

			if (t != NULL)
				t->deadline = l->dispatch;
			if (t != NULL && l->dispatch != CASE_NOTIME &&
			    l->dispatch > at)
				l->dispatch_lapsed = 0;
		}
		l->paused_at = CASE_NOTIME;
		break;
	case CASE_A_CLOSED:
		dispatched(l, at);
		if (ack_runs(l))
			ack_end(l, CASE_T_REPLACED, at);
		l->ack = CASE_NOTIME;
		end_term(l, CASE_CLOCK_RESOLUTION, CASE_T_MET, at);
		if ((o = current(l)) != NULL) {
			o->closed = at;
			if (!o->late)
				o->reckon = l->due;
			case_code_copy(o->outcome, e->outcome);
		}
		l->state = CASE_S_CLOSED;
		l->closed = at;
		case_code_copy(l->outcome, e->outcome);
		l->paused_at = CASE_NOTIME;
		break;
	case CASE_A_REOPENED:
		l->state = l->unit[0] != '\0' ? CASE_S_ASSIGNED :
		    CASE_S_REPORTED;
		l->closed = CASE_NOTIME;
		l->outcome[0] = '\0';
		open_obligation(l, at);
		set_due(l, e->due, at);
		if (l->state == CASE_S_REPORTED)
			set_dispatch(l, e->dispatch, at);
		break;
	case CASE_A_VISITED:
		l->visited = 1;
		l->satisfied = e->new != NULL && strcmp(e->new, "satisfied") == 0;
		if ((o = current(l)) != NULL) {
			o->visited = 1;
			o->satisfied = l->satisfied;
		}
		break;
	case CASE_A_EDITED:
		if (e->field != NULL && strcmp(e->field, "category") == 0) {
			case_code_copy(l->category, e->new);
			if (e->due != CASE_NOTIME)
				set_due(l, e->due, at);
		}
		if (e->field != NULL && strcmp(e->field, "grid") == 0)
			case_code_copy(l->grid, e->new);
		/* A new tier brings its own deadline (case_edit()). */
		if (e->field != NULL && strcmp(e->field, "priority") == 0 &&
		    (s = case_priority_parse(e->new)) >= 0) {
			l->priority = s;
			if (e->due != CASE_NOTIME)
				set_due(l, e->due, at);
		}
		break;
	case CASE_A_SIGNED:
		/* Late or not: a missed limit stays missed. */
		if (ack_runs(l))
			ack_end(l, CASE_T_MET, at);
		l->signed_for = 1;
		break;
	case CASE_A_CONFERRED:
		if (l->conferred == CASE_NOTIME)
			l->conferred = at;
		break;
	case CASE_A_TASKED:
	case CASE_A_TASK_DONE:
		task(l, e);
		break;
	}
	if (l->last == CASE_NOTIME || at > l->last)
		l->last = at;
	else if (at < l->last)
		l->disorder = 1;
	l->nevents++;
}

/*
 * The case as it stands at t, all events applied: clocks run on to t,
 * and an open obligation that has not lapsed is reckoned at its deadline
 * in force.
 */
void
case_life_settle(struct case_life *l, long long t)
{
	struct case_oblig *o;

	advance(l, t);
	if ((o = current(l)) != NULL && o->closed == CASE_NOTIME && !o->late)
		o->reckon = l->due;
}

/*
 * The deadline a case is past at t, or CASE_NOTIME: the resolution
 * deadline in force while the case is open and not paused, or the
 * dispatch deadline while it waits for dispatch.  "Overdue" is this.
 */
long long
case_life_lapse(const struct case_life *l, long long t)
{
	if (resolution_runs(l->state) && l->due != CASE_NOTIME && l->due < t)
		return l->due;
	if (dispatch_runs(l->state) && l->dispatch != CASE_NOTIME &&
	    l->dispatch < t)
		return l->dispatch;
	return CASE_NOTIME;
}

int
case_life_overdue(const struct case_life *l, long long t)
{
	return case_life_lapse(l, t) != CASE_NOTIME;
}

/* A deadline falls within [t, t + span) on a running clock. */
int
case_life_due_within(const struct case_life *l, long long t, long long span)
{
	if (resolution_runs(l->state) && l->due != CASE_NOTIME &&
	    l->due >= t && l->due < t + span)
		return 1;
	return dispatch_runs(l->state) && l->dispatch != CASE_NOTIME &&
	    l->dispatch >= t && l->dispatch < t + span;
}

/*
 * The sign-for limit running for the unit holding the case, which has
 * not signed for it (CASE_NOTIME: none): the cases' ack_due caches it.
 */
long long
case_life_sign_by(const struct case_life *l)
{
	return ack_runs(l) ? l->ack : CASE_NOTIME;
}

/*
 * Unsigned at t: the unit holding the case has not signed for it and
 * its sign-for limit is past.  case-list --unsigned is this.
 */
int
case_life_unsigned(const struct case_life *l, long long t)
{
	return ack_runs(l) && l->ack < t;
}

/*
 * A conference's follow-up action is overdue at t when its deadline has
 * passed and it was not done by then, whatever the case's state: it is
 * the owner unit's, not the case's clock.  Done after its deadline, it
 * was late; by it, on time.
 */
int
case_task_overdue(const struct case_task *k, long long t)
{
	return k->due != CASE_NOTIME && k->due < t &&
	    (k->done == CASE_NOTIME || k->done > t);
}

/* The value a field had before its first correction, if it had one. */
static void
first_value(char *dst, const char *field, const struct case_event *e,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (e[i].action == CASE_A_EDITED && e[i].field != NULL &&
		    strcmp(e[i].field, field) == 0) {
			case_code_copy(dst, e[i].old);
			return;
		}
}

/*
 * An event the case as it stood at t did not have: effective later, or
 * recorded after known (CASE_NOTIME: everything recorded is known).
 */
int
case_event_unknown(const struct case_event *e, long long t, long long known)
{
	return e->at > t || (known != CASE_NOTIME &&
	    e->recorded != CASE_NOTIME && e->recorded > known);
}

/*
 * The title a case had at t, knowing what was recorded by known: the
 * cases row holds only the latest, so it is the old value of the first
 * title edit the case did not yet have then (by the fold's rule), else
 * the current one.  A report made with --as-of thus names its cases as
 * it did when first made, whatever was corrected since.
 */
const char *
case_title_at(const char *current, const struct case_event *e, size_t n,
    long long t, long long known)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (e[i].action == CASE_A_EDITED && e[i].field != NULL &&
		    strcmp(e[i].field, "title") == 0 &&
		    case_event_unknown(&e[i], t, known))
			return e[i].old;
	return current;
}

/*
 * Folds a case's events (in the order they were written) into l: the
 * case as it stood at t, knowing only the events recorded by known
 * (CASE_NOTIME: all).  The category, the grid and the priority start
 * where their first corrections say they were.
 */
void
case_life_fold(struct case_life *l, const struct case_event *e, size_t n,
    long long t, long long known)
{
	char tier[CASE_CODE] = "";
	size_t i;
	int p;

	first_value(l->category, "category", e, n);
	first_value(l->grid, "grid", e, n);
	first_value(tier, "priority", e, n);
	if ((p = case_priority_parse(tier)) >= 0)
		l->priority = p;
	for (i = 0; i < n; i++)
		if (!case_event_unknown(&e[i], t, known))
			case_life_apply(l, &e[i]);
	case_life_settle(l, t);
}

/*
 * The assisting units (协办) a case had at t, knowing only the events
 * recorded by known (CASE_NOTIME: all), in the order they joined, each
 * with the time its part was reported handled: the one definition of
 * the assisting set, which the assists table caches.  The unit an
 * assisted, unassisted or part-done event concerns is its to_unit.
 * A unit that leaves and joins again starts a new part.  Returns their
 * number; *v is the caller's to free.
 */
size_t
case_assist_fold(const struct case_event *e, size_t n, long long t,
    long long known, struct case_assist **v)
{
	struct case_assist *a = NULL;
	size_t i, j, na = 0, cap = 0;

	for (i = 0; i < n; i++) {
		if (case_event_unknown(&e[i], t, known) || e[i].to == NULL ||
		    (e[i].action != CASE_A_ASSISTED &&
		    e[i].action != CASE_A_UNASSISTED &&
		    e[i].action != CASE_A_PART_DONE))
			continue;
		for (j = 0; j < na && strcmp(a[j].unit, e[i].to) != 0; j++)
			;
		switch (e[i].action) {
		case CASE_A_ASSISTED:
			if (j < na)
				break;
			a = grow(a, na, &cap, sizeof *a);
			case_code_copy(a[na].unit, e[i].to);
			a[na].since = e[i].at;
			a[na++].done = CASE_NOTIME;
			break;
		case CASE_A_UNASSISTED:
			if (j < na) {
				memmove(&a[j], &a[j + 1],
				    (na - j - 1) * sizeof *a);
				na--;
			}
			break;
		default:
			if (j < na)
				a[j].done = e[i].at;
			break;
		}
	}
	*v = a;
	return na;
}
