/* case-stats [filters] [--by key[,key...]] [--figures list] [--as-of time] [--explain | --check | --ids count | --verify] - the figures */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-stats [-h] [-d file] [--by key[,key...]] "
	    "[--figures name[,name...]]\n"
	    "                  [--format table|tsv|csv|json] [--grid grid]\n"
	    "                  [--as-of time] [--compare previous|year] "
	    "[--explain | --check |\n"
	    "                  --ids count] [--status open|closed|all|status] "
	    "[--overdue]\n"
	    "                  [--due-within span] [--unit unit] "
	    "[--category code]\n"
	    "                  [--source code] [--since time] [--until time]\n"
	    "                  [--closed-since time] [--closed-until time] "
	    "[--raw] [--verify]\n"));
	case_usage_exit(status);
}

/*
 * Counts the cases the filters select, per group of the --by keys, then
 * in total, for the period --since .. --until (all time by default), as
 * things stood at --as-of (now by default).
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		CASE_FILTER_OPTIONS,
		{ "as-of",	required_argument, NULL, 'a' },
		{ "by",		required_argument, NULL, 'b' },
		{ "check",	no_argument,	   NULL, 'c' },
		{ "compare",	required_argument, NULL, 'C' },
		{ "db",		required_argument, NULL, 'd' },
		{ "explain",	no_argument,	   NULL, 'x' },
		{ "figures",	required_argument, NULL, 'F' },
		{ "format",	required_argument, NULL, 'f' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "ids",	required_argument, NULL, 'i' },
		{ "raw",	no_argument,	   NULL, 'R' },
		{ "verify",	no_argument,	   NULL, 'v' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct case_stats_opts o = { NULL, CASE_FMT_TSV, CASE_NOTIME, 0, 0, 0,
	    NULL, NULL };
	struct case_filter f;
	const char *dbopt = NULL;
	struct case_db *db;
	int ch, rc, verify = 0;

	case_init_prog(argv);
	o.fmt = case_fmt_default();
	case_filter_init(&f, CASE_ST_ALL);
	while ((ch = getopt_long(argc, argv, "b:d:f:h", opts, NULL)) != -1)
		switch (ch) {
		case 'a':
			if (case_parse_as_of(optarg, f.now, &o.as_of) == -1)
				errx(CASE_EXIT_FATAL, _("--as-of: invalid time "
				    "-- %s"), optarg);
			break;
		case 'b': o.by = optarg; break;
		case 'C':
			if (strcmp(optarg, "previous") == 0)
				o.compare = 1;
			else if (strcmp(optarg, "year") == 0)
				o.compare = 2;
			else
				errx(CASE_EXIT_FATAL, _("--compare: must be "
				    "previous or year -- %s"), optarg);
			break;
		case 'c': o.check = 1; break;
		case 'F': o.figures = optarg; break;
		case 'd': dbopt = optarg; break;
		case 'f':
			if (case_fmt_parse(optarg, &o.fmt) == -1 ||
			    o.fmt == CASE_FMT_XLSX)
				errx(CASE_EXIT_FATAL, _("--format: unknown "
				    "format -- %s"), optarg);
			break;
		case 'h': usage(0); break;
		case 'i': o.ids = optarg; break;
		case 'R': case_out_guard(0); break;
		case 'V': case_version(); break;
		case 'v': verify = 1; break;
		case 'x': o.explain = 1; break;
		default:
			if (!case_filter_opt(&f, ch, optarg))
				usage(CASE_EXIT_FATAL);
		}
	/* A bad combination says which options and why, then how. */
	if (o.check + o.explain + (o.ids != NULL) > 1)
		warnx(_("--%s and --%s: each is written instead of the "
		    "figures; one at a time"), o.check ? "check" : "explain",
		    o.ids != NULL ? "ids" : "explain");
	else if (o.compare && (o.check || o.ids != NULL))
		warnx(_("--compare and --%s: only figures are compared"),
		    o.check ? "check" : "ids");
	else if (verify && (o.explain || o.ids != NULL || o.compare))
		warnx(_("--verify and --%s: the history is checked alone, or "
		    "with --check"), o.explain ? "explain" : o.ids != NULL ?
		    "ids" : "compare");
	if (optind != argc || o.check + o.explain + (o.ids != NULL) > 1 ||
	    (o.compare && (o.check || o.ids != NULL)) ||
	    (verify && (o.explain || o.ids != NULL || o.compare)))
		usage(CASE_EXIT_FATAL);

	db = case_db_open(case_db_path(dbopt), CASE_DB_READ);
	case_filter_check(db, &f);
	case_begin(db);
	/* --verify: the history's hash chain; with --check, the figures too. */
	rc = verify ? case_chain_verify(db, stdout) : CASE_EXIT_OK;
	if (!verify || (o.check && rc == CASE_EXIT_OK))
		rc = case_stats(db, &f, &o, stdout);
	case_rollback(db);
	case_db_close(db);
	case_finish_stdout();
	return rc;
}
