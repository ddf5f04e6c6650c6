/* case-roster --set date unit | --unset date | --from file | --list - the duty roster (轮值) */
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
	    _("usage: case-roster [-hn] [-d file] --set date unit\n"
	    "       case-roster [-hn] [-d file] --unset date\n"
	    "       case-roster [-hn] [-d file] --from file\n"
	    "       case-roster [-h] [-d file] --list [--since date] "
	    "[--until date]\n"));
	case_usage_exit(status);
}

static void
check_day(const char *opt, const char *day)
{
	if (!case_day_valid(day))
		errx(CASE_EXIT_FATAL, _("--%s: not a date (YYYY-MM-DD) -- %s"),
		    opt, case_esc(day));
}

/* date TAB unit TAB the unit's name, a line a day, in date order. */
static void
list(struct case_db *db, const char *since, const char *until)
{
	struct case_stmt *st = case_prepare(db, q_ref_roster);

	case_bind_text(st, ":since", since);
	case_bind_text(st, ":until", until);
	while (case_step(st) == CASE_ROW)
		printf("%s\t%s\t%s\n", case_col_text(st, 0),
		    case_col_text(st, 1), case_col_text(st, 2));
	case_reset(st);
}

/*
 * Sets, clears, loads or lists which department is on duty at the centre
 * on which day; case-assign --to on-duty reads it.  A change is one
 * transaction; -n checks it and lists the roster as it would be.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db",		required_argument, NULL, 'd' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "from",	required_argument, NULL, 'F' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "list",	no_argument,	   NULL, 'l' },
		{ "set",	required_argument, NULL, 's' },
		{ "since",	required_argument, NULL, 'S' },
		{ "unset",	required_argument, NULL, 'u' },
		{ "until",	required_argument, NULL, 'U' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *set = NULL, *unset = NULL, *from = NULL;
	const char *since = "0000-00-00", *until = "9999-99-99";
	struct case_db *db;
	int ch, dryrun = 0, listing = 0, range = 0, nbad = 0;

	case_init_prog(argv);
	while ((ch = getopt_long(argc, argv, "d:hn", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'F': from = optarg; break;
		case 'h': usage(0); break;
		case 'l': listing = 1; break;
		case 'n': dryrun = 1; break;
		case 's': set = optarg; break;
		case 'S': check_day("since", since = optarg); range = 1; break;
		case 'u': unset = optarg; break;
		case 'U': check_day("until", until = optarg); range = 1; break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;
	/* A bad combination says which and why, then how. */
	if ((set != NULL) + (unset != NULL) + (from != NULL) + listing != 1) {
		warnx(_("--set, --unset, --from or --list: one is needed, "
		    "and one at a time"));
		usage(CASE_EXIT_FATAL);
	}
	if (range && !listing) {
		warnx(_("--since and --until choose the days --list shows"));
		usage(CASE_EXIT_FATAL);
	}
	if (listing && dryrun) {
		warnx(_("-n with --list: a list changes nothing"));
		usage(CASE_EXIT_FATAL);
	}
	if (argc != (set != NULL))
		usage(CASE_EXIT_FATAL);
	if (set != NULL)
		check_day("set", set);
	if (unset != NULL)
		check_day("unset", unset);
	if (strcmp(since, until) > 0)
		errx(CASE_EXIT_FATAL, _("--since %s is after --until %s"),
		    since, until);

	db = case_db_open(case_db_path(dbopt), listing ? CASE_DB_READ :
	    CASE_DB_WRITE);
	case_begin(db);
	if (set != NULL) {
		case_check_code(db, CASE_KNOWN_UNIT, "set", argv[0]);
		case_roster_set(db, set, argv[0]);
	} else if (unset != NULL)
		case_roster_set(db, unset, NULL);
	else if (from != NULL)
		nbad = case_roster_load(db, from);
	if (listing || dryrun)
		list(db, since, until);
	if (nbad > 0 || listing || dryrun)
		case_rollback(db);
	else
		case_commit(db);
	case_db_close(db);
	if (nbad > 0)
		errx(CASE_EXIT_REJECT,
		    _("problems found: %d; roster unchanged"), nbad);
	case_finish_stdout();
	return CASE_EXIT_OK;
}
