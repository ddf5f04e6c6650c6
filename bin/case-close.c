/* case-close (--outcome code | --reopen) [-nq] [--note text] [id ...] - close or reopen cases */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

static struct case_ctx ctx;
static const char *outcome, *note;
static int reopen;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: case-close [-hnq] [-d file] [--actor name] [--note text]\n"
	    "                  --outcome code | --reopen [id ...]\n");
	exit(status);
}

static int
close_one(long long id, void *arg)
{
	const char *why;

	(void)arg;
	why = reopen ? case_reopen(&ctx, id, note) :
	    case_close(&ctx, id, outcome, note);
	if (why != NULL) {
		warnx("%lld: %s", id, why);
		return 1;
	}
	case_changed(&ctx, id);
	return 0;
}

/* Closes each case with an outcome, or reopens closed ones. */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "actor",	required_argument, NULL, 'A' },
		{ "db",		required_argument, NULL, 'd' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "note",	required_argument, NULL, 'N' },
		{ "outcome",	required_argument, NULL, 'O' },
		{ "quiet",	no_argument,	   NULL, 'q' },
		{ "reopen",	no_argument,	   NULL, 'R' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *actor = NULL;
	int ch, dryrun = 0, quiet = 0, nbad;
	sqlite3 *db;

	case_init_prog();
	while ((ch = getopt_long(argc, argv, "d:hnq", opts, NULL)) != -1)
		switch (ch) {
		case 'A': actor = optarg; break;
		case 'd': dbopt = optarg; break;
		case 'h': usage(0); break;
		case 'N': note = optarg; break;
		case 'n': dryrun = 1; break;
		case 'O': outcome = optarg; break;
		case 'q': quiet = 1; break;
		case 'R': reopen = 1; break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;
	if ((outcome == NULL) == !reopen)
		usage(CASE_EXIT_FATAL);
	if (note != NULL && !case_utf8_valid(note, strlen(note)))
		errx(CASE_EXIT_FATAL, "--note: invalid UTF-8");

	db = case_db_open(case_db_path(dbopt), CASE_DB_WRITE);
	case_check_code(db, CASE_KNOWN_OUTCOME, "outcome", outcome);
	case_ctx_init(&ctx, db, actor, dryrun, quiet);
	nbad = case_loop(argc, argv, close_one, NULL);
	return case_ctx_finish(&ctx, nbad);
}
