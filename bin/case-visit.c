/* case-visit --satisfied | --unsatisfied [id ...] - record follow-up visits */
#include <getopt.h>
#include <stddef.h>

#include "case.h"

static int satisfied = -1;

static const struct option opts[] = {
	{ "satisfied",	 no_argument, NULL, 'S' },
	{ "unsatisfied", no_argument, NULL, 'U' },
	{ NULL, 0, NULL, 0 }
};

static int
opt(int ch, const char *arg)
{
	(void)arg;
	if (ch != 'S' && ch != 'U')
		return 0;
	if (satisfied != -1)
		case_usage(CASE_EXIT_FATAL);	/* one or the other */
	satisfied = ch == 'S';
	return 1;
}

static void
start(struct case_ctx *ctx)
{
	(void)ctx;
	if (satisfied == -1)
		case_usage(CASE_EXIT_FATAL);
}

static const char *
visit(struct case_ctx *ctx, long long id)
{
	return case_visit(ctx, id, satisfied);
}

/*
 * Records the follow-up visit (回访) of each closed case: whether the
 * reporter was satisfied.  An unsatisfied visit reopens the case.
 */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-visit [-hnq] [-d file] [--actor name] [--at time] [--note text]\n"
		"                  --satisfied | --unsatisfied [id ...]"),
		opts, opt, start, visit, NULL
	};

	return case_run(argc, argv, &cmd);
}
