/* case-pause [--resume] [id ...] - stop or restart cases' clocks */
#include <getopt.h>
#include <stddef.h>

#include "case.h"

static int resume;

static const struct option opts[] = {
	{ "resume",	no_argument,	   NULL, 'R' },
	{ NULL, 0, NULL, 0 }
};

static int
opt(int ch, const char *arg)
{
	(void)arg;
	if (ch != 'R')
		return 0;
	resume = 1;
	return 1;
}

static const char *
pause_one(struct case_ctx *ctx, long long id)
{
	return resume ? case_resume(ctx, id) : case_pause(ctx, id);
}

/*
 * Parks each case waiting on a third party (挂账), stopping its clocks;
 * with --resume restarts them, the deadlines moved by the time parked.
 */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-pause [-hnq] [-d file] [--actor name] [--at time] [--note text] "
		"[--resume]\n                  [id ...]"),
		opts, opt, NULL, pause_one, NULL
	};

	return case_run(argc, argv, &cmd);
}
