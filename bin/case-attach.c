/* case-attach id file ... | --get id name - keep files with a case, read one back */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-attach [-hnq] [-d file] [--actor name] "
	    "[--name name] id file ...\n"
	    "       case-attach [-h] [-d file] --get id name\n"));
	case_usage_exit(status);
}

/* The one case an invocation names: anything else is a usage error. */
static long long
case_id(const char *s)
{
	long long id = case_id_parse(s);

	if (id == -1)
		usage(CASE_EXIT_FATAL);
	return id;
}

/*
 * --get: the bytes kept under name, on standard output as they were
 * attached; never into a file of its own, so that nothing it is told
 * can make it write where it should not (it may run as root).
 */
static int
get(const char *dbopt, long long id, const char *name)
{
	struct case_db *db;
	int rc = CASE_EXIT_OK;

	db = case_db_open(case_db_path(dbopt), CASE_DB_READ);
	case_begin(db);
	if (!case_exists(db, id)) {
		warnx(_("%lld: no such case"), id);
		rc = CASE_EXIT_REJECT;
	} else if (case_attach_get(db, id, name, STDOUT_FILENO,
	    isatty(STDOUT_FILENO)) == -1) {
		warnx(_("%lld: %s: no such attachment"), id, case_esc(name));
		rc = CASE_EXIT_REJECT;
	}
	case_rollback(db);
	case_db_close(db);
	return rc;
}

/*
 * Attaches each file to the case, all in the one transaction: a file
 * refused (too large, of a type not kept, unreadable, a name the case
 * has for other content) refuses the run, and nothing is written; each
 * refusal is said, so that one run names every file to put right.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "actor",	required_argument, NULL, 'A' },
		{ "db",		required_argument, NULL, 'd' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "get",	no_argument,	   NULL, 'g' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "name",	required_argument, NULL, 'N' },
		{ "quiet",	no_argument,	   NULL, 'q' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *actor = NULL, *rename = NULL, *name, *why;
	struct case_ctx ctx;
	struct case_blob b;
	struct case_db *db;
	char buf[256];
	long long id;
	size_t max;
	int ch, dryrun = 0, quiet = 0, getting = 0, i, nbad = 0;
	int changed = 0;

	case_init_prog(argv);
	while ((ch = getopt_long(argc, argv, "d:hnq", opts, NULL)) != -1)
		switch (ch) {
		case 'A': actor = optarg; break;
		case 'd': dbopt = optarg; break;
		case 'g': getting = 1; break;
		case 'h': usage(0); break;
		case 'N': rename = optarg; break;
		case 'n': dryrun = 1; break;
		case 'q': quiet = 1; break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;
	if (getting) {
		if (argc != 2 || rename != NULL || actor != NULL || dryrun)
			usage(CASE_EXIT_FATAL);
		return get(dbopt, case_id(argv[0]), argv[1]);
	}
	if (argc < 2)
		usage(CASE_EXIT_FATAL);
	if (rename != NULL && argc != 2)
		errx(CASE_EXIT_FATAL, _("--name: one file at a time"));
	if (rename != NULL && (why = case_attach_name_check(rename)) != NULL)
		errx(CASE_EXIT_FATAL, "--name: %s -- %s", why,
		    case_esc(rename));
	id = case_id(argv[0]);
	max = case_attach_max();

	db = case_db_open(case_db_path(dbopt), CASE_DB_WRITE);
	case_ctx_init(&ctx, db, actor, dryrun, quiet);
	if (!case_exists(db, id)) {
		warnx(_("%lld: no such case"), id);
		case_rollback(db);
		case_db_close(db);
		return CASE_EXIT_REJECT;
	}
	for (i = 1; i < argc; i++) {
		name = rename != NULL ? rename :
		    case_attach_basename(argv[i]);
		if ((why = case_attach_name_check(name)) != NULL) {
			warnx("%s: %s", case_esc(argv[i]), why);
			nbad++;
			continue;
		}
		if (case_attach_read(argv[i], max, &b, buf, sizeof buf) == -1) {
			warnx("%s: %s", case_esc(argv[i]), buf);
			nbad++;
			continue;
		}
		ctx.skipped = 0;
		ctx.what[0] = '\0';
		if ((why = case_attach(&ctx, id, name, &b)) != NULL) {
			warnx("%lld: %s", id, why);
			nbad += !ctx.skipped;
		} else if (dryrun)
			case_changed(&ctx, id);	/* "would attach NAME" */
		else
			changed = 1;
		free(b.data);
	}
	if (nbad > 0) {
		case_rollback(db);
		case_db_close(db);
		return CASE_EXIT_REJECT;
	}
	if (changed)
		case_changed(&ctx, id);
	return case_ctx_finish(&ctx, 0);
}
