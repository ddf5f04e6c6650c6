/* run.c - the main() of every program that changes cases one ID at a time */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

static const struct case_cmd *cmd;
static struct case_ctx ctx;


static const struct option common[] = {
	{ "actor",	required_argument, NULL, 'A' },
	{ "db",		required_argument, NULL, 'd' },
	{ "dry-run",	no_argument,	   NULL, 'n' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "note",	required_argument, NULL, 'N' },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "version",	no_argument,	   NULL, 'V' },
};
#define NCOMMON (sizeof common / sizeof common[0])

_Noreturn void
case_usage(int status)
{
	fprintf(status ? stderr : stdout, "usage: %s\n", cmd->usage);
	exit(status);
}

static int
one(long long id, void *arg)
{
	const char *why;

	(void)arg;
	ctx.what[0] = '\0';
	if ((why = cmd->fn(&ctx, id)) != NULL) {
		warnx("%lld: %s", id, why);
		return 1;
	}
	if (ctx.what[0] != '\0')
		case_changed(&ctx, id);
	return 0;
}

/*
 * Parses the options every writer shares (-d, -n, -q, --actor, --note,
 * -h, --version) and the command's own, opens the database, begins the
 * one transaction, calls c->fn for each case ID, and commits.  A case
 * that c->fn leaves unchanged (ctx.what empty) is not passed on.
 */
int
case_run(int argc, char *argv[], const struct case_cmd *c)
{
	struct option *opts;
	const char *dbopt = NULL, *actor = NULL, *note = NULL;
	size_t n = 0, i;
	char **words;
	int ch, dryrun = 0, quiet = 0, nbad;
	sqlite3 *db;

	cmd = c;
	case_init_prog();
	while (c->opts != NULL && c->opts[n].name != NULL)
		n++;
	opts = case_reallocarray(NULL, n + NCOMMON + 1, sizeof *opts);
	memcpy(opts, common, sizeof common);
	for (i = 0; i < n; i++)
		opts[NCOMMON + i] = c->opts[i];
	memset(&opts[NCOMMON + n], 0, sizeof *opts);
	while ((ch = getopt_long(argc, argv, "d:hnq", opts, NULL)) != -1)
		switch (ch) {
		case 'A': actor = optarg; break;
		case 'd': dbopt = optarg; break;
		case 'h': case_usage(0);
		case 'N': note = optarg; break;
		case 'n': dryrun = 1; break;
		case 'q': quiet = 1; break;
		case 'V': case_version(); break;
		default:
			if (c->opt == NULL || !c->opt(ch, optarg))
				case_usage(CASE_EXIT_FATAL);
		}
	free(opts);
	argc -= optind;
	argv += optind;
	if (note != NULL && !case_utf8_valid(note, strlen(note)))
		errx(CASE_EXIT_FATAL, "--note: invalid UTF-8");

	/*
	 * All the IDs are read before the write lock is taken: the writer
	 * upstream in a pipe (case-assign | case-close) must be able to
	 * commit, and so end its output, while this one waits for it.
	 */
	db = case_db_open(case_db_path(dbopt), CASE_DB_WRITE);
	n = case_id_words(argc, argv, &words);
	case_ctx_init(&ctx, db, actor, dryrun, quiet);
	ctx.note = note;
	if (c->start != NULL)
		c->start(&ctx);
	nbad = case_id_each(words, n, one, NULL);
	return case_ctx_finish(&ctx, nbad);
}
