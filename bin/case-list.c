/* case-list [filters] [--format fmt] - one case a line, ID first */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/* --near LAT,LON: the place, checked as a case's position is. */
static void
near_opt(const char *arg, double *lat, double *lon)
{
	char pos[2][32], *s = case_strdup(arg), *comma;
	int rc, which;

	if ((comma = strchr(s, ',')) == NULL)
		errx(CASE_EXIT_FATAL, _("--near: not LAT,LON -- %s"), arg);
	*comma = '\0';
	rc = case_position(s, comma + 1, pos, &which);
	free(s);
	if (rc == CASE_POS_NAN)
		errx(CASE_EXIT_FATAL, _("--near: %s: not a number -- %s"),
		    which ? _("longitude") : _("latitude"), arg);
	if (rc == CASE_POS_RANGE)
		errx(CASE_EXIT_FATAL, which ? _("--near: longitude: out of "
		    "range -180 to 180 -- %s") : _("--near: latitude: out of "
		    "range -90 to 90 -- %s"), arg);
	*lat = strtod(pos[0], NULL);
	*lon = strtod(pos[1], NULL);
}

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
	    "                 [--grid grid] [--near lat,lon [--within distance]] "
	    "[--raw]\n"
	    "                 [--text words] [--conferenced] [--reports-min count]\n"
	    "       case-list [-h] [-d file] [--format table|tsv|csv|json] "
	    "--unsigned\n"
	    "                 [--as-of time] [--unit unit] [--category code] "
	    "[--raw]\n"
	    "       case-list [-h] [-d file] --actions-overdue\n"));
	case_usage_exit(status);
}

/*
 * Lists the cases the filters select (open ones by default): id, status,
 * unit, due, category, title; with --unit, the cases it or a unit under
 * it leads or assists on (协办), and a last column, role, saying which;
 * with --near, those with a position within --within of the place,
 * nearest first, and their distance in metres; with --text, those that
 * have every one of the words, open or closed (unless a filter says
 * which), best match first (query.c).
 * Exits 1 when none matched, like grep.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		CASE_FILTER_OPTIONS,
		{ "db",		required_argument, NULL, 'd' },
		{ "format",	required_argument, NULL, 'f' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "near",	required_argument, NULL, 'N' },
		{ "within",	required_argument, NULL, 'W' },
		{ "raw",	no_argument,	   NULL, 'R' },
		{ "unsigned",	no_argument,	   NULL, 'S' },
		{ "as-of",	required_argument, NULL, 'a' },
		{ "text",	required_argument, NULL, 'T' },
		{ "conferenced", no_argument,	   NULL, 'C' },
		{ "actions-overdue", no_argument,  NULL, 'O' },
		{ "reports-min", required_argument, NULL, 'M' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct case_filter f;
	enum case_fmt fmt = case_fmt_default();
	const char *dbopt = NULL;
	double lat = 0, lon = 0, within = CASE_NEAR_DEFAULT;
	int near = 0, haswithin = 0, unsig = 0, actions = 0, others = 0;
	long long asof = CASE_NOTIME;
	struct case_db *db;
	const char *errstr;
	long n;
	int ch;

	case_init_prog(argv);
	case_filter_init(&f, CASE_ST_OPEN);
	while ((ch = getopt_long(argc, argv, "d:f:h", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'f':
			others = 1;
			if (case_fmt_parse(optarg, &fmt) == -1)
				errx(CASE_EXIT_FATAL, _("--format: unknown "
				    "format -- %s"), optarg);
			break;
		case 'h': usage(0); break;
		case 'N': near_opt(optarg, &lat, &lon), near = 1; break;
		case 'W':
			if (case_parse_distance(optarg, &within) == -1)
				errx(CASE_EXIT_FATAL, _("--within: not a "
				    "distance (metres, or with m or km) -- %s"),
				    optarg);
			haswithin = 1;
			break;
		case 'R': case_out_guard(0), others = 1; break;
		case 'S': unsig = 1; break;
		case 'a':
			if (case_parse_as_of(optarg, f.now, &asof) == -1)
				errx(CASE_EXIT_FATAL, _("--as-of: invalid time "
				    "-- %s"), optarg);
			break;
		case 'T':
			case_words_free(f.words);
			f.words = case_words_parse(optarg);
			break;
		case 'C': f.conferenced = 1; break;
		case 'O': actions = 1; break;
		case 'M':
			f.reports_min = case_strtonum(optarg, 1, CASE_ID_MAX,
			    &errstr);
			if (errstr != NULL)
				errx(CASE_EXIT_FATAL, _("--reports-min: not a "
				    "count of reports -- %s"), optarg);
			others = 1;
			break;
		case 'V': case_version(); break;
		default:
			if (!case_filter_opt(&f, ch, optarg))
				usage(CASE_EXIT_FATAL);
			others = 1;
		}
	if (haswithin && !near)
		warnx(_("--within without --near: it is a distance from "
		    "there"));
	if (optind != argc || (haswithin && !near))
		usage(CASE_EXIT_FATAL);
	if (asof != CASE_NOTIME && !unsig)
		errx(CASE_EXIT_FATAL, _("--as-of without --unsigned: only the "
		    "unsigned list is made as of a past moment"));
	/* The list is folded from history: only these select in it. */
	if (unsig && (near || f.status_set || f.overdue || f.due_within ||
	    f.source != NULL || f.grid != NULL || f.since != CASE_NOTIME ||
	    f.until != CASE_NOTIME || f.closed_since != CASE_NOTIME ||
	    f.closed_until != CASE_NOTIME || f.words != NULL ||
	    f.conferenced || f.reports_min > 0 || actions))
		errx(CASE_EXIT_FATAL, _("--unsigned: only --unit, --category "
		    "and --as-of go with it"));
	/* The overdue actions are a list of their own, of every case. */
	if (actions && (others || near || haswithin || f.conferenced ||
	    f.words != NULL)) {
		warnx(_("--actions-overdue lists every overdue action: it "
		    "takes no filters"));
		usage(CASE_EXIT_FATAL);
	}
	/* Conferenced cases, whatever became of them, unless --status. */
	if (f.conferenced && !f.status_set)
		f.status = CASE_ST_ALL;

	/*
	 * A case sought by its words may be closed: all of them, unless
	 * --status or a filter of open work or closing times says which.
	 */
	if (f.words != NULL && !f.status_set && !f.overdue &&
	    f.due_within == 0 && f.closed_since == CASE_NOTIME &&
	    f.closed_until == CASE_NOTIME)
		f.status = CASE_ST_ALL;
	db = case_db_open(case_db_path(dbopt), CASE_DB_READ);
	case_filter_check(db, &f);
	/* In a transaction, a server hands a long list over in parts. */
	case_begin(db);
	if (unsig)
		n = case_query_unsigned(db, &f, asof != CASE_NOTIME ? asof :
		    f.now, asof, fmt, stdout);
	else if (actions)
		n = case_actions_overdue(db, f.now, stdout);
	else if (near)
		n = case_query_near(db, &f, lat, lon, within, fmt, stdout);
	else if (f.words != NULL)
		n = case_query_text(db, &f, fmt, stdout);
	else {
		/* A unit's list has the cases it assists on too, and says
		 * which. */
		f.assist = 1;
		n = case_query_to(db, &f, f.unit != NULL ? CASE_Q_UNIT :
		    CASE_Q_LIST, fmt, stdout, NULL);
	}
	case_rollback(db);
	case_db_close(db);
	case_words_free(f.words);
	case_finish_stdout();
	return n > 0 ? CASE_EXIT_OK : CASE_EXIT_REJECT;
}
