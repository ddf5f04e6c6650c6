/* case-return --note reason [id ...] - a unit returns cases outside its remit */
#include <err.h>
#include <stddef.h>

#include "case.h"

static void
start(struct case_ctx *ctx)
{
	if (ctx->note == NULL || *ctx->note == '\0')
		errx(CASE_EXIT_FATAL, _("--note: a return needs the reason"));
}

/*
 * Returns each case (退回) to the unit that handed it over, or to intake
 * if none did, with the reason.
 */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-return [-hnq] [-d file] [--actor name] [--at time] --note reason "
		"[id ...]"),
		NULL, NULL, start, case_return, NULL
	};

	return case_run(argc, argv, &cmd);
}
