/* case-ack [-hnq] [-d file] [--actor name] [--at time] [--note text] [--unit unit] [id ...] - sign for cases */
#include <err.h>
#include <getopt.h>
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
ack(struct case_ctx *ctx, long long id)
{
	return case_ack(ctx, id, unit);
}

/*
 * Records that the unit holding each case has received it (签收); with
 * --unit, that unit, which must be the one holding it.
 */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-ack [-hnq] [-d file] [--actor name] [--at time] [--note text]\n"
		"                [--unit unit] [id ...]"),
		opts, opt, start, ack, NULL
	};

	return case_run(argc, argv, &cmd);
}
