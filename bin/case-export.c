/* case-export [filters] [--events] [--format csv|json|tsv] - cases for spreadsheets and other systems */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "case.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: case-export [-h] [-d file] [--events] "
	    "[--format csv|json|tsv]\n"
	    "                   [--status open|closed|all] [--overdue] "
	    "[--unit unit]\n"
	    "                   [--category code] [--source code] "
	    "[--since time] [--until time]\n"
	    "                   [--closed-since time] [--closed-until time]\n");
	exit(status);
}

/*
 * Writes every field of the cases the filters select (all by default),
 * or with --events their history, as CSV with a header row.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		CASE_FILTER_OPTIONS,
		{ "db",		required_argument, NULL, 'd' },
		{ "events",	no_argument,	   NULL, 'e' },
		{ "format",	required_argument, NULL, 'f' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct case_filter f;
	enum case_fmt fmt = CASE_FMT_CSV;
	const char *dbopt = NULL;
	int ch, kind = CASE_Q_EXPORT;
	sqlite3 *db;

	case_init_prog();
	case_filter_init(&f, CASE_ST_ALL);
	while ((ch = getopt_long(argc, argv, "d:ef:h", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'e': kind = CASE_Q_EVENTS; break;
		case 'f':
			if (case_fmt_parse(optarg, &fmt) == -1 ||
			    fmt == CASE_FMT_TABLE)
				errx(CASE_EXIT_FATAL, "--format: must be csv, "
				    "json or tsv -- %s", optarg);
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
	case_query(db, &f, kind, fmt, stdout);
	case_db_close(db);
	case_finish_stdout();
	return CASE_EXIT_OK;
}
