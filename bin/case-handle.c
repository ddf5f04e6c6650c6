/* case-handle [-hnq] [-d file] [--actor name] [--at time] [--note text] [--unit unit] [id ...] - report cases handled */
#include <stddef.h>

#include "case.h"

static const char *unit;

static const struct option opts[] = {
	{ "unit",	required_argument, NULL, 'U' },
	{ NULL, 0, NULL, 0 }
};

static int
opt(int ch, const char *arg)
{
	if (ch != 'U')
		return 0;
	unit = arg;
	return 1;
}

static void
start(struct case_ctx *ctx)
{
	case_check_code(ctx->db, CASE_KNOWN_UNIT, "unit", unit);
}

static const char *
handle(struct case_ctx *ctx, long long id)
{
	return unit != NULL ? case_handle_by(ctx, id, unit) :
	    case_handle(ctx, id);
}

/*
 * Marks each assigned case handled by its unit (处置反馈), to be
 * verified; with --unit, an assisting unit (协办) reports its own part
 * handled instead, and the case stays as it is.
 */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-handle [-hnq] [-d file] [--actor name] [--at time] [--note text]\n                   [--unit unit] [id ...]"),
		opts, opt, start, handle, NULL
	};

	return case_run(argc, argv, &cmd);
}
