/* case-edit [--category code] [--priority tier] [--title text] ... [id ...] - correct cases */
#include <err.h>
#include <getopt.h>
#include <stddef.h>
#include <string.h>

#include "case.h"

#define NFIELDS 7
static const char *value[NFIELDS];
static int given[NFIELDS], redue;

static const struct option opts[] = {
	{ "category",	 required_argument, NULL, 0x200 },
	{ "grid",	 required_argument, NULL, 0x201 },
	{ "location",	 required_argument, NULL, 0x202 },
	{ "reporter",	 required_argument, NULL, 0x203 },
	{ "title",	 required_argument, NULL, 0x204 },
	{ "desc",	 required_argument, NULL, 0x205 },
	{ "priority",	 required_argument, NULL, 0x206 },
	{ "recompute-due", no_argument,	    NULL, 'R' },
	{ NULL, 0, NULL, 0 }
};

static int
opt(int ch, const char *arg)
{
	if (ch == 'R') {
		redue = 1;
		return 1;
	}
	if (ch < 0x200 || ch >= 0x200 + NFIELDS)
		return 0;
	if (!case_utf8_valid(arg, strlen(arg)))
		errx(CASE_EXIT_FATAL, _("--%s: invalid UTF-8"),
		    opts[ch - 0x200].name);
	value[ch - 0x200] = arg;
	given[ch - 0x200] = 1;
	return 1;
}

static void
start(struct case_ctx *ctx)
{
	int i, n = 0;

	for (i = 0; i < NFIELDS; i++)
		n += given[i];
	/* A bad combination says which options and why, then how. */
	if (redue && !given[0])
		warnx(_("--recompute-due without --category: the deadline "
		    "follows the category"));
	if (n == 0 || (redue && !given[0]))
		case_usage(CASE_EXIT_FATAL);
	if (given[0] && value[0][0] == '\0')
		errx(CASE_EXIT_FATAL, _("--category: must not be empty"));
	if (given[4] && value[4][0] == '\0')
		errx(CASE_EXIT_FATAL, _("--title: must not be empty"));
	if (given[6] && case_priority_parse(value[6]) < 0)
		errx(CASE_EXIT_FATAL, _("--priority: must be urgent, high or "
		    "normal (紧急, 重要, 一般) -- %s"), case_esc(value[6]));
	case_check_code(ctx->db, CASE_KNOWN_CATEGORY, "category", value[0]);
	if (given[1] && value[1][0] == '\0')
		value[1] = NULL;	/* no grid */
	case_check_code(ctx->db, CASE_KNOWN_UNIT, "grid", value[1]);
}

static const char *
edit(struct case_ctx *ctx, long long id)
{
	char what[sizeof ctx->what] = "";
	const char *why;
	int i;

	for (i = 0; i < NFIELDS; i++) {
		if (!given[i])
			continue;
		ctx->what[0] = '\0';
		if ((why = case_edit(ctx, id, i, value[i], redue)) != NULL)
			return why;
		if (ctx->what[0] != '\0')
			snprintf(what + strlen(what), sizeof what - strlen(what),
			    "%s%.40s", what[0] ? ", " : "", ctx->what);
	}
	memcpy(ctx->what, what, sizeof what);
	return NULL;
}

/*
 * Corrects fields of each case; every change is an event with the old
 * and the new value.  A new category moves the deadline only with
 * --recompute-due; a new priority moves it to the tier's (cases.c).
 */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-edit [-hnq] [-d file] [--actor name] [--at time] [--note text] "
		"[--category code]\n"
		"                 [--recompute-due] [--grid unit] "
		"[--location text]\n"
		"                 [--reporter text] [--title text] "
		"[--desc text] [--priority tier]\n"
		"                 [id ...]"),
		opts, opt, start, edit, NULL
	};

	return case_run(argc, argv, &cmd);
}
