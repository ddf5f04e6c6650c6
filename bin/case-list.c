/* case-list [filters] [--format fmt] - one case a line, ID first */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "case.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-list [-h] [-d file] [--format table|tsv|csv|json]\n"
	    "                 [--status open|closed|all|status] [--overdue] "
	    "[--due-within span]\n"
	    "                 [--unit unit] [--category code] "
	    "[--source code] [--since time]\n"
	    "                 [--until time] [--closed-since time] "
	    "[--closed-until time]\n"
	    "                 [--grid grid] [--raw]\n"));
	exit(status);
}

/*
 * Lists the cases the filters select (open ones by default): id, status,
 * unit, due, category, title.  Exits 1 when none matched, like grep.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		CASE_FILTER_OPTIONS,
		{ "db",		required_argument, NULL, 'd' },
		{ "format",	required_argument, NULL, 'f' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "raw",	no_argument,	   NULL, 'R' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct case_filter f;
	enum case_fmt fmt = case_fmt_default();
	const char *dbopt = NULL;
	struct case_db *db;
	long n;
	int ch;

	case_init_prog(argv);
	case_filter_init(&f, CASE_ST_OPEN);
	while ((ch = getopt_long(argc, argv, "d:f:h", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'f':
			if (case_fmt_parse(optarg, &fmt) == -1)
				errx(CASE_EXIT_FATAL, _("--format: unknown "
				    "format -- %s"), optarg);
			break;
		case 'h': usage(0); break;
		case 'R': case_out_guard(0); break;
		case 'V': case_version(); break;
		default:
			if (!case_filter_opt(&f, ch, optarg))
				usage(CASE_EXIT_FATAL);
		}
	if (optind != argc)
		usage(CASE_EXIT_FATAL);

	db = case_db_open(case_db_path(dbopt), CASE_DB_READ);
	case_filter_check(db, &f);
	/* In a transaction, a server hands a long list over in parts. */
	case_begin(db);
	n = case_query_to(db, &f, CASE_Q_LIST, fmt, stdout, NULL);
	case_rollback(db);
	case_db_close(db);
	case_finish_stdout();
	return n > 0 ? CASE_EXIT_OK : CASE_EXIT_REJECT;
}
