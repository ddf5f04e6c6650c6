/* case-assign (--to unit | --escalate) [-nq] [--note text] [id ...] - hand cases to a unit */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

static struct case_ctx ctx;
static const char *to, *note;
static int escalate;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: case-assign [-hnq] [-d file] [--actor name] [--note text]\n"
	    "                   --to unit | --escalate [id ...]\n");
	exit(status);
}

static int
assign(long long id, void *arg)
{
	const char *why;

	(void)arg;
	why = escalate ? case_escalate(&ctx, id, note) :
	    case_assign(&ctx, id, to, note);
	if (why != NULL) {
		warnx("%lld: %s", id, why);
		return 1;
	}
	case_changed(&ctx, id);
	return 0;
}

/*
 * Hands each case to the unit given, or with --escalate to the parent of
 * the unit that has it, with a fresh deadline.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "actor",	required_argument, NULL, 'A' },
		{ "db",		required_argument, NULL, 'd' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "escalate",	no_argument,	   NULL, 'E' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "note",	required_argument, NULL, 'N' },
		{ "quiet",	no_argument,	   NULL, 'q' },
		{ "to",		required_argument, NULL, 'T' },
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
		case 'E': escalate = 1; break;
		case 'h': usage(0); break;
		case 'N': note = optarg; break;
		case 'n': dryrun = 1; break;
		case 'q': quiet = 1; break;
		case 'T': to = optarg; break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;
	if ((to == NULL) == !escalate)
		usage(CASE_EXIT_FATAL);
	if (note != NULL && !case_utf8_valid(note, strlen(note)))
		errx(CASE_EXIT_FATAL, "--note: invalid UTF-8");

	db = case_db_open(case_db_path(dbopt), CASE_DB_WRITE);
	case_check_code(db, CASE_KNOWN_UNIT, "to", to);
	case_ctx_init(&ctx, db, actor, dryrun, quiet);
	nbad = case_loop(argc, argv, assign, NULL);
	return case_ctx_finish(&ctx, nbad);
}
