/* case-assign (--to unit|on-duty [--assist units] | --assist units | --unassist units | --escalate [--if-overdue | --all-overdue] | --extend span) [id ...] - hand cases on, up, or more time */
#include <err.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

static const char *to, *extend, *assist_opt, *unassist_opt;
static int escalate, if_overdue, all_overdue;
static char *list, **units;	/* --assist's or --unassist's units */
static size_t nunits;

static const struct option opts[] = {
	{ "all-overdue", no_argument,	   NULL, 'O' },
	{ "assist",	required_argument, NULL, 'S' },
	{ "escalate",	no_argument,	   NULL, 'E' },
	{ "extend",	required_argument, NULL, 'X' },
	{ "if-overdue",	no_argument,	   NULL, 'I' },
	{ "to",		required_argument, NULL, 'T' },
	{ "unassist",	required_argument, NULL, 'U' },
	{ NULL, 0, NULL, 0 }
};

static int
opt(int ch, const char *arg)
{
	long long n;
	int wd, dayly;

	switch (ch) {
	case 'S': assist_opt = arg; break;
	case 'U': unassist_opt = arg; break;
	case 'E': escalate = 1; break;
	case 'I': if_overdue = 1; break;
	case 'O': all_overdue = 1; break;
	case 'T': to = arg; break;
	case 'X':
		if (case_deadline_parse(arg, &n, &wd, &dayly) == -1)
			errx(CASE_EXIT_FATAL,
			    _("--extend: invalid duration -- %s"), arg);
		/* It would count an extension and move nothing. */
		if (n == 0)
			errx(CASE_EXIT_FATAL,
			    _("--extend: must be more than 0 -- %s"), arg);
		extend = arg;
		break;
	default: return 0;
	}
	return 1;
}

/*
 * The units of --assist or --unassist (opt), comma-separated: each known,
 * none twice; any other is a usage error, before anything is written.
 */
static void
unit_list(struct case_ctx *ctx, const char *opt, const char *arg)
{
	char *p, *u;
	size_t i;

	p = list = case_strdup(arg);
	while ((u = strsep(&p, ",")) != NULL) {
		if (*u == '\0')
			errx(CASE_EXIT_FATAL, _("--%s: an empty unit in the "
			    "list -- %s"), opt, case_esc(arg));
		case_check_code(ctx->db, CASE_KNOWN_UNIT, opt, u);
		for (i = 0; i < nunits; i++)
			if (strcmp(units[i], u) == 0)
				errx(CASE_EXIT_FATAL, _("--%s: %s is given "
				    "twice"), opt, case_esc(u));
		units = case_reallocarray(units, nunits + 1, sizeof *units);
		units[nunits++] = u;
	}
}

static void
start(struct case_ctx *ctx)
{
	char day[11];
	size_t i;
	int other = escalate || extend != NULL || if_overdue || all_overdue;

	/* --assist goes with --to or alone; --unassist alone. */
	if (unassist_opt != NULL && (assist_opt != NULL || to != NULL ||
	    other)) {
		warnx(_("--unassist: one change at a time"));
		case_usage(CASE_EXIT_FATAL);
	}
	if (assist_opt != NULL && other) {
		warnx(_("--assist goes with --to, or alone"));
		case_usage(CASE_EXIT_FATAL);
	}
	if (assist_opt != NULL || unassist_opt != NULL) {
		unit_list(ctx, assist_opt != NULL ? "assist" : "unassist",
		    assist_opt != NULL ? assist_opt : unassist_opt);
		if (to == NULL)
			return;
	}

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
	for (i = 0; i < nunits; i++)
		if (strcmp(units[i], to) == 0)
			errx(CASE_EXIT_FATAL, _("--assist: %s leads the case "
			    "and cannot also assist"), case_esc(to));
}

static int
selects(void)
{
	return all_overdue;
}

static const char *
assign(struct case_ctx *ctx, long long id)
{
	if (unassist_opt != NULL)
		return case_unassist(ctx, id, units, nunits);
	if (assist_opt != NULL)
		return case_assist(ctx, id, to, units, nunits);
	if (escalate)
		return case_escalate(ctx, id, if_overdue);
	if (extend != NULL)
		return case_extend(ctx, id, extend);
	return case_assign(ctx, id, to);
}

/*
 * Hands each case to a unit (its lead, 主办), and gives it assisting
 * units (协办) or takes them off; or escalates it one level up the unit tree
 * with a fresh deadline (each case given, those of them still overdue,
 * or every overdue case, chosen in the write); or extends its deadline.
 */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-assign [-hnq] [-d file] [--actor name] [--at time] [--note text]\n"
		"                   --to unit [--assist units] | --assist units |\n"
		"                   --unassist units | --escalate [--if-overdue] | "
		"--escalate --all-overdue |\n"
		"                   --extend span [id ...]"),
		opts, opt, start, assign, selects
	};
	int rc;

	rc = case_run(argc, argv, &cmd);
	free(units);
	free(list);
	return rc;
}
