/* case-assign (--to unit|on-duty | --escalate [--if-overdue | --all-overdue] | --extend span) [id ...] - hand cases on, up, or more time */
#include <err.h>
#include <getopt.h>
#include <stddef.h>
#include <string.h>

#include "case.h"

static const char *to, *extend;
static int escalate, if_overdue, all_overdue;

static const struct option opts[] = {
	{ "all-overdue", no_argument,	   NULL, 'O' },
	{ "escalate",	no_argument,	   NULL, 'E' },
	{ "extend",	required_argument, NULL, 'X' },
	{ "if-overdue",	no_argument,	   NULL, 'I' },
	{ "to",		required_argument, NULL, 'T' },
	{ NULL, 0, NULL, 0 }
};

static int
opt(int ch, const char *arg)
{
	long long n;
	int wd, dayly;

	switch (ch) {
	case 'E': escalate = 1; break;
	case 'I': if_overdue = 1; break;
	case 'O': all_overdue = 1; break;
	case 'T': to = arg; break;
	case 'X':
		if (case_deadline_parse(arg, &n, &wd, &dayly) == -1)
			errx(CASE_EXIT_FATAL,
			    _("--extend: invalid duration -- %s"), arg);
		extend = arg;
		break;
	default: return 0;
	}
	return 1;
}

static void
start(struct case_ctx *ctx)
{
	char day[11];

	/* A bad combination says which options and why, then how. */
	if ((to != NULL) + escalate + (extend != NULL) == 0)
		warnx(_("--to, --escalate or --extend: one is needed"));
	else if ((to != NULL) + escalate + (extend != NULL) > 1)
		warnx(_("--%s and --%s: one change at a time"),
		    to != NULL ? "to" : "escalate",
		    extend != NULL ? "extend" : "escalate");
	else if ((if_overdue || all_overdue) && !escalate)
		warnx(_("--%s without --escalate: it chooses what to "
		    "escalate"), if_overdue ? "if-overdue" : "all-overdue");
	else if (if_overdue && all_overdue)
		warnx(_("--if-overdue and --all-overdue: the cases are "
		    "given, or chosen, not both"));
	if ((to != NULL) + escalate + (extend != NULL) != 1 ||
	    ((if_overdue || all_overdue) && !escalate) ||
	    (if_overdue && all_overdue))
		case_usage(CASE_EXIT_FATAL);
	if (extend != NULL && ctx->note == NULL)
		errx(CASE_EXIT_FATAL, _("--extend needs --note saying why"));
	/* Asked inside the write, at the assignment's own moment. */
	if (to != NULL && strcmp(to, CASE_ON_DUTY) == 0 &&
	    (to = case_on_duty(ctx->db, ctx->now, day)) == NULL)
		errx(CASE_EXIT_FATAL, _("--to on-duty: the roster names no "
		    "unit on duty on %s"), day);
	case_check_code(ctx->db, CASE_KNOWN_UNIT, "to", to);
}

static int
selects(void)
{
	return all_overdue;
}

static const char *
assign(struct case_ctx *ctx, long long id)
{
	if (escalate)
		return case_escalate(ctx, id, if_overdue);
	if (extend != NULL)
		return case_extend(ctx, id, extend);
	return case_assign(ctx, id, to);
}

/*
 * Hands each case to a unit; or escalates it one level up the unit tree
 * with a fresh deadline (each case given, those of them still overdue,
 * or every overdue case, chosen in the write); or extends its deadline.
 */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-assign [-hnq] [-d file] [--actor name] [--at time] [--note text]\n"
		"                   --to unit | --escalate [--if-overdue] | "
		"--escalate --all-overdue |\n"
		"                   --extend span [id ...]"),
		opts, opt, start, assign, selects
	};

	return case_run(argc, argv, &cmd);
}
