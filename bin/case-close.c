/* case-close (--outcome code [--of id] [--with-children] | --reopen) [id ...] - close or reopen cases */
#include <err.h>
#include <getopt.h>
#include <stddef.h>
#include <string.h>

#include "case.h"

static const char *outcome;
static long long of;
static int reopen, with_children;

static const struct option opts[] = {
	{ "of",		required_argument, NULL, 'F' },
	{ "outcome",	required_argument, NULL, 'O' },
	{ "reopen",	no_argument,	   NULL, 'R' },
	{ "with-children", no_argument,	   NULL, 'C' },
	{ NULL, 0, NULL, 0 }
};

static int
opt(int ch, const char *arg)
{
	const char *errstr;

	switch (ch) {
	case 'F':
		of = case_strtonum(arg, 1, 999999999999999LL, &errstr);
		if (errstr != NULL)
			errx(CASE_EXIT_FATAL, _("--of: invalid case ID -- %s"),
			    arg);
		break;
	case 'O': outcome = arg; break;
	case 'R': reopen = 1; break;
	case 'C': with_children = 1; break;
	default: return 0;
	}
	return 1;
}

static void
start(struct case_ctx *ctx)
{
	/* A bad combination says which options and why, then how. */
	if (outcome == NULL && !reopen)
		warnx(_("--outcome or --reopen: one is needed"));
	else if (outcome != NULL && reopen)
		warnx(_("--outcome and --reopen: a case is closed or reopened, "
		    "not both"));
	else if (of > 0 && (outcome == NULL ||
	    !case_outcome_duplicate(outcome)))
		warnx(_("--of without --outcome duplicate: only a duplicate "
		    "has an original"));
	else if (with_children && (outcome == NULL ||
	    case_outcome_duplicate(outcome)))
		warnx(_("--with-children: only with an --outcome its "
		    "children can share (not duplicate)"));
	if ((outcome == NULL) == !reopen || (of > 0 && (outcome == NULL ||
	    !case_outcome_duplicate(outcome))) || (with_children &&
	    (outcome == NULL || case_outcome_duplicate(outcome))))
		case_usage(CASE_EXIT_FATAL);
	ctx->with_children = with_children;
	case_check_code(ctx->db, CASE_KNOWN_OUTCOME, "outcome", outcome);
}

static const char *
close_one(struct case_ctx *ctx, long long id)
{
	return reopen ? case_reopen(ctx, id) : case_close(ctx, id, outcome, of);
}

/* Closes each case with an outcome (verified and closed), or reopens it. */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-close [-hnq] [-d file] [--actor name] [--at time] [--note text]\n"
		"                  --outcome code [--of id] [--with-children] | "
		"--reopen [id ...]"),
		opts, opt, start, close_one, NULL
	};

	return case_run(argc, argv, &cmd);
}
