/* case-note --note text [id ...] - add a progress note to cases */
#include <err.h>
#include <stddef.h>

#include "case.h"

static void
start(struct case_ctx *ctx)
{
	if (ctx->note == NULL || *ctx->note == '\0')
		errx(CASE_EXIT_FATAL, _("--note: the note is missing"));
}

/* Adds the note to each case's history; nothing else changes. */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-note [-hnq] [-d file] [--actor name] [--at time] --note text [id ...]"),
		NULL, NULL, start, case_note, NULL
	};

	return case_run(argc, argv, &cmd);
}
