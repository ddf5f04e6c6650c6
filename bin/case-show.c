/* case-show [id ...] | --ref text - a case's whole record and history */
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
	    _("usage: case-show [-h] [-d file] [id ...]\n"
	    "       case-show [-h] [-d file] --ref text [--source code]\n"));
	case_usage_exit(status);
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

/*
 * The case that another system's number names: the one of --source, or
 * the only one of any source.  The same number in two sources is two
 * systems' cases, so choosing one would be a guess: refused, naming
 * them.  0: none (said).
 */
static long long
by_ref(const char *ref, const char *source)
{
	struct case_stmt *st;
	long long id = 0;
	char *list = NULL, *p;
	int n = 0;

	if (source != NULL) {
		if ((id = case_ref_find(db, source, ref)) == 0)
			warnx(_("ref %s: no case of source %s has it"),
			    case_esc(ref), source);
		return id;
	}
	st = case_prepare(db, q_query_ref);
	case_bind_text(st, ":ref", ref);
	while (case_step(st) == CASE_ROW) {
		if (n++ == 0)
			id = case_col_int(st, 0);
		if (asprintf(&p, "%s%s%lld (%s)", list != NULL ? list : "",
		    list != NULL ? ", " : "", case_col_int(st, 0),
		    case_col_text(st, 1)) == -1)
			err(CASE_EXIT_FATAL, "asprintf");
		free(list);
		list = p;
	}
	if (n == 0)
		warnx(_("ref %s: no such case"), case_esc(ref));
	else if (n > 1) {
		warnx(_("ref %s: cases of several sources have it: %s; "
		    "say which with --source"), case_esc(ref), list);
		id = 0;
	}
	free(list);
	return id;
}

/* Shows each case, one after another, with a blank line between. */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db",		required_argument, NULL, 'd' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "ref",	required_argument, NULL, 'r' },
		{ "source",	required_argument, NULL, 's' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *ref = NULL, *source = NULL;
	long long id;
	int ch, nbad;

	case_init_prog(argv);
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'h': usage(0); break;
		case 'r': ref = optarg; break;
		case 's': source = optarg; break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;
	if (source != NULL && ref == NULL)
		warnx(_("--source without --ref: it says whose number --ref "
		    "is"));
	else if (ref != NULL && argc > 0)
		warnx(_("--ref and IDs: --ref names the case"));
	if ((source != NULL && ref == NULL) || (ref != NULL && argc > 0))
		usage(CASE_EXIT_FATAL);

	db = case_db_open(case_db_path(dbopt), CASE_DB_READ);
	/* One read transaction: a case and its history from the same moment. */
	case_begin(db);
	if (ref != NULL)
		nbad = (id = by_ref(ref, source)) == 0 || show(id, NULL);
	else
		nbad = case_loop(argc, argv, show, NULL);
	case_rollback(db);
	case_db_close(db);
	case_finish_stdout();
	return nbad > 0 ? CASE_EXIT_REJECT : CASE_EXIT_OK;
}
