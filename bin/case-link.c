/* case-link [--unlink] --parent id | --duplicate-of id | --related id [id ...] - links between cases */
#include <err.h>
#include <getopt.h>
#include <stddef.h>

#include "case.h"

static int kind = -1, unlink_;
static long long other;

static const struct option opts[] = {
	{ "duplicate-of", required_argument, NULL, 'D' },
	{ "parent",	  required_argument, NULL, 'P' },
	{ "related",	  required_argument, NULL, 'R' },
	{ "unlink",	  no_argument,	     NULL, 'U' },
	{ NULL, 0, NULL, 0 }
};

static int
opt(int ch, const char *arg)
{
	const char *errstr;
	int k;

	switch (ch) {
	case 'D': k = CASE_LINK_DUPLICATE; break;
	case 'P': k = CASE_LINK_PARENT; break;
	case 'R': k = CASE_LINK_RELATED; break;
	case 'U': unlink_ = 1; return 1;
	default: return 0;
	}
	/* One link a run: the IDs are all linked to the one case. */
	if (kind != -1) {
		warnx(_("--parent, --duplicate-of and --related: one a run"));
		case_usage(CASE_EXIT_FATAL);
	}
	kind = k;
	other = case_strtonum(arg, 1, CASE_ID_MAX, &errstr);
	if (errstr != NULL)
		errx(CASE_EXIT_FATAL, _("%s: invalid case ID -- %s"),
		    k == CASE_LINK_PARENT ? "--parent" :
		    k == CASE_LINK_RELATED ? "--related" : "--duplicate-of",
		    arg);
	return 1;
}

static void
start(struct case_ctx *ctx)
{
	(void)ctx;
	if (kind == -1) {
		warnx(_("--parent, --duplicate-of or --related: one is "
		    "needed"));
		case_usage(CASE_EXIT_FATAL);
	}
}

static const char *
link_one(struct case_ctx *ctx, long long id)
{
	return unlink_ ? case_unlink(ctx, id, kind, other) :
	    case_link(ctx, id, kind, other);
}

/*
 * Links each case to one other (or with --unlink takes the link away):
 * as its child, its duplicate, or related.
 */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-link [-hnq] [-d file] [--actor name] [--at time] [--note text]\n"
		"                 [--unlink] --parent id | --duplicate-of id | "
		"--related id [id ...]"),
		opts, opt, start, link_one, NULL
	};

	return case_run(argc, argv, &cmd);
}
