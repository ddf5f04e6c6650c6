/* case-show [id ...] - a case's whole record and history */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "case.h"

static struct case_db *db;
static int shown;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-show [-h] [-d file] [id ...]\n"));
	exit(status);
}

static int
show(long long id, void *arg)
{
	(void)arg;
	if (!case_exists(db, id)) {
		warnx(_("%lld: no such case"), id);
		return 1;
	}
	if (shown++ > 0)
		putchar('\n');
	case_show(db, id, stdout);
	return 0;
}

/* Shows each case, one after another, with a blank line between. */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db",		required_argument, NULL, 'd' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL;
	int ch, nbad;

	case_init_prog(argv);
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'h': usage(0); break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;

	db = case_db_open(case_db_path(dbopt), CASE_DB_READ);
	/* One read transaction: a case and its history from the same moment. */
	case_begin(db);
	nbad = case_loop(argc, argv, show, NULL);
	case_rollback(db);
	case_db_close(db);
	case_finish_stdout();
	return nbad > 0 ? CASE_EXIT_REJECT : CASE_EXIT_OK;
}
