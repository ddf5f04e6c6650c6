/* run.c - the main() of every program that changes cases one ID at a time */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

static const struct case_cmd *cmd;
static struct case_ctx ctx;
static struct {		/* the IDs acted on, so that each acts once */
	long long *v;
	size_t	 n, cap;
} seen;

/* Has id been seen in this batch?  Open addressing, grown at half full. */
static int
seen_before(long long id)
{
	size_t i, mask;

	if (seen.n * 2 >= seen.cap) {
		long long *old = seen.v;
		size_t oldcap = seen.cap;

		seen.cap = seen.cap ? seen.cap * 2 : 64;
		seen.v = case_reallocarray(NULL, seen.cap, sizeof *seen.v);
		memset(seen.v, 0, seen.cap * sizeof *seen.v);
		seen.n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i] != 0)
				(void)seen_before(old[i]);
		free(old);
	}
	mask = seen.cap - 1;
	for (i = (size_t)id * 0x9E3779B97F4A7C15ULL & mask; seen.v[i] != 0;
	    i = (i + 1) & mask)
		if (seen.v[i] == id)
			return 1;
	seen.v[i] = id;
	seen.n++;
	return 0;
}


static const struct option common[] = {
	{ "actor",	required_argument, NULL, 'A' },
	{ "at",		required_argument, NULL, 'a' },
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
	fprintf(status ? stderr : stdout, _("usage: %s\n"), _(cmd->usage));
	case_usage_exit(status);
}

static int
one(long long id, void *arg)
{
	const char *why;

	(void)arg;
	if (seen_before(id))
		return 0;	/* named twice in one batch: acts once */
	ctx.what[0] = '\0';
	ctx.skipped = 0;
	if ((why = cmd->fn(&ctx, id)) != NULL) {
		warnx("%lld: %s", id, why);
		return !ctx.skipped;	/* a case left on purpose is no error */
	}
	if (ctx.what[0] != '\0')
		case_changed(&ctx, id);
	return 0;
}

/*
 * Parses the options every writer shares (-d, -n, -q, --actor, --at,
 * --note, -h, --version) and the command's own, opens the database, begins the
 * one transaction, calls c->fn for each case ID, and commits.  A case
 * that c->fn leaves unchanged (ctx.what empty) is not passed on.
 */
int
case_run(int argc, char *argv[], const struct case_cmd *c)
{
	struct option *opts;
	const char *dbopt = NULL, *actor = NULL, *note = NULL, *at = NULL;
	size_t n = 0, i, nids = 0;
	long long *ids = NULL;
	char **words;
	int ch, dryrun = 0, quiet = 0, nbad, selecting;
	struct case_db *db;

	cmd = c;
	case_init_prog(argv);
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
		case 'a': at = optarg; break;
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
		errx(CASE_EXIT_FATAL, _("--note: invalid UTF-8"));
	/* A paper record entered after the fact: when it happened. */
	if (at != NULL)
		case_now_set("--at", at);

	/*
	 * All the IDs are read before the write lock is taken: the writer
	 * upstream in a pipe (case-assign | case-close) must be able to
	 * commit, and so end its output, while this one waits for it.
	 */
	db = case_db_open(case_db_path(dbopt), CASE_DB_WRITE);
	selecting = c->all_overdue != NULL && c->all_overdue();
	if (selecting && argc > 0)
		errx(CASE_EXIT_FATAL, _("IDs given with --all-overdue, which "
		    "chooses the cases itself"));
	if (!selecting)
		n = case_id_words(argc, argv, &words);
	case_ctx_init(&ctx, db, actor, dryrun, quiet);
	ctx.note = note;
	if (c->start != NULL)
		c->start(&ctx);
	if (selecting) {
		nids = case_overdue_ids(db, ctx.now, &ids);
		for (nbad = 0, i = 0; i < nids; i++)
			nbad += one(ids[i], NULL);
		free(ids);
	} else
		nbad = case_id_each(words, n, one, NULL);
	free(seen.v);
	return case_ctx_finish(&ctx, nbad);
}
