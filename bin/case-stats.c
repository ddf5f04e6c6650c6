/* case-stats [filters] [--by key[,key...]] [--format fmt] - the figures */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "case.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: case-stats [-h] [-d file] [--by key[,key...]] "
	    "[--format table|tsv|csv|json]\n"
	    "                  [--status open|closed|all] [--overdue] "
	    "[--unit unit]\n"
	    "                  [--category code] [--source code] "
	    "[--since time] [--until time]\n"
	    "                  [--closed-since time] [--closed-until time]\n");
	exit(status);
}

/*
 * Counts the cases the filters select (all of them by default), per
 * group of the --by keys, then in total.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		CASE_FILTER_OPTIONS,
		{ "by",		required_argument, NULL, 'b' },
		{ "db",		required_argument, NULL, 'd' },
		{ "format",	required_argument, NULL, 'f' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct case_filter f;
	enum case_fmt fmt = case_fmt_default();
	const char *dbopt = NULL, *by = NULL;
	sqlite3 *db;
	int ch;

	case_init_prog();
	case_filter_init(&f, CASE_ST_ALL);
	while ((ch = getopt_long(argc, argv, "b:d:f:h", opts, NULL)) != -1)
		switch (ch) {
		case 'b': by = optarg; break;
		case 'd': dbopt = optarg; break;
		case 'f':
			if (case_fmt_parse(optarg, &fmt) == -1)
				errx(CASE_EXIT_FATAL, "--format: unknown format "
				    "-- %s", optarg);
			break;
		case 'h': usage(0); break;
		case 'V': case_version(); break;
		default:
			if (!case_filter_opt(&f, ch, optarg))
				usage(CASE_EXIT_FATAL);
		}
	if (optind != argc)
		usage(CASE_EXIT_FATAL);

	db = case_db_open(case_db_path(dbopt), CASE_DB_READ);
	case_filter_check(db, &f);
	case_begin(db);
	case_stats(db, &f, by, fmt, stdout);
	case_rollback(db);
	case_db_close(db);
	case_finish_stdout();
	return CASE_EXIT_OK;
}
