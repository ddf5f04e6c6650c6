/* case-add --category code --title text [field options] | --csv file - add cases */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

#define MAXBAD 20	/* bad rows reported before the rest are only counted */

static struct case_ctx ctx;

/* The columns case-export writes that an import takes back. */
enum { C_ID, C_REPORTED, C_SOURCE, C_CATEGORY, C_GRID, C_LOCATION,
	C_REPORTER, C_TITLE, C_DESCRIPTION, C_UNIT, C_STATUS, C_DUE,
	C_ASSIGNED, C_CLOSED, C_OUTCOME, C_OUTCOME_NOTE, NCOLS };
static const char *colnames[NCOLS] = { "id", "reported", "source",
	"category", "grid", "location", "reporter", "title", "description",
	"unit", "status", "due", "assigned", "closed", "outcome",
	"outcome_note" };

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: case-add [-hnq] [-d file] [--actor name] --category code "
	    "--title text\n"
	    "                [--source code] [--grid unit] [--location text] "
	    "[--reporter text]\n"
	    "                [--desc text] [--unit unit] [--due time] "
	    "[--reported time]\n"
	    "       case-add [-hnq] [-d file] [--actor name] --csv file\n");
	exit(status);
}

static long long
opt_time(const char *opt, const char *arg)
{
	long long t;
	int dayonly;

	if (case_parse_time(arg, case_now(), &t, &dayonly) == -1)
		errx(CASE_EXIT_FATAL, "--%s: invalid time -- %s", opt, arg);
	return t;
}

/* An empty code means none; empty text stays empty text. */
static const char *
code(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

static void
add_one(struct case_new *n)
{
	const char *why;
	long long id;

	if ((why = case_add(&ctx, n, &id)) != NULL)
		errx(CASE_EXIT_REJECT, "%s", why);
	case_changed(&ctx, id);
}

/* Maps the header to columns; -1 for columns that are ignored. */
static void
header(const char *path, char **f, int n, int *col)
{
	int i, j;
	size_t len;

	for (i = 0; i < n; i++) {
		col[i] = -1;
		for (j = 0; j < NCOLS; j++)
			if (strcmp(f[i], colnames[j]) == 0)
				col[i] = j;
		len = strlen(f[i]);
		if (col[i] == -1 && !(len > 5 &&
		    strcmp(f[i] + len - 5, "_name") == 0))
			errx(CASE_EXIT_REJECT, "%s:1: header: unknown column -- "
			    "%s", path, f[i]);
		for (j = 0; j < i; j++)
			if (col[i] != -1 && col[j] == col[i])
				errx(CASE_EXIT_REJECT, "%s:1: header: column "
				    "twice -- %s", path, f[i]);
	}
}

/* Fills n from one record; returns the reason it is bad, or NULL. */
static const char *
row(char **f, int nf, const int *col, struct case_new *n, char *why,
    size_t size)
{
	const char *v[NCOLS] = { NULL }, *errstr;
	long long *times[NCOLS] = { NULL };
	int i, dayonly;

	for (i = 0; i < nf; i++)
		if (col[i] != -1)
			v[col[i]] = f[i];
	case_new_init(n);
	times[C_REPORTED] = &n->reported, times[C_DUE] = &n->due;
	times[C_ASSIGNED] = &n->assigned, times[C_CLOSED] = &n->closed;
	for (i = 0; i < NCOLS; i++)
		if (times[i] != NULL && code(v[i]) != NULL &&
		    case_parse_time(v[i], ctx.now, times[i], &dayonly) == -1) {
			snprintf(why, size, "%s: invalid time -- %s",
			    colnames[i], v[i]);
			return why;
		}
	if (code(v[C_ID]) != NULL) {
		n->id = case_strtonum(v[C_ID], 1, 999999999999999LL, &errstr);
		if (errstr != NULL) {
			snprintf(why, size, "id: invalid case ID -- %s",
			    v[C_ID]);
			return why;
		}
	}
	n->source = code(v[C_SOURCE]), n->category = v[C_CATEGORY];
	n->grid = code(v[C_GRID]), n->location = v[C_LOCATION];
	n->reporter = v[C_REPORTER], n->title = v[C_TITLE];
	n->description = v[C_DESCRIPTION], n->unit = code(v[C_UNIT]);
	n->status = code(v[C_STATUS]), n->outcome = code(v[C_OUTCOME]);
	n->outcome_note = v[C_OUTCOME_NOTE];
	return NULL;
}

/*
 * Adds every record of a CSV file, or none: each bad record is reported
 * (with its line and column) and the whole file is then refused.
 */
static int
add_csv(const char *path)
{
	struct case_csv *c = case_csv_open(path);
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
	struct case_new n;
	char **f, why[512];
	const char *bad;
	int *col = NULL, nf, ncol = 0, rc, nbad = 0;
	long line;
	long long id;

	while ((rc = case_csv_next(c, &f, &nf, &line)) == 1) {
		if (col == NULL) {
			ncol = nf;
			col = case_reallocarray(NULL, nf, sizeof *col);
			header(name, f, nf, col);
			continue;
		}
		bad = NULL;
		if (nf != ncol) {
			snprintf(why, sizeof why, "%d fields, but the header "
			    "has %d", nf, ncol);
			bad = why;
		} else if ((bad = row(f, nf, col, &n, why, sizeof why)) == NULL &&
		    (bad = case_add(&ctx, &n, &id)) == NULL)
			case_changed(&ctx, id);
		if (bad != NULL && nbad++ < MAXBAD)
			warnx("%s:%ld: %s", name, line, bad);
	}
	if (rc == -1) {
		warnx("%s", case_csv_error(c));
		nbad++;
	} else if (col == NULL)
		errx(CASE_EXIT_REJECT, "%s: empty file, no header", name);
	case_csv_close(c);
	free(col);
	return nbad;
}

/* Adds one case from the options, or the cases of a CSV file. */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "actor",	required_argument, NULL, 'A' },
		{ "category",	required_argument, NULL, 'c' },
		{ "csv",	required_argument, NULL, 'F' },
		{ "db",		required_argument, NULL, 'd' },
		{ "desc",	required_argument, NULL, 'D' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "due",	required_argument, NULL, 'u' },
		{ "grid",	required_argument, NULL, 'g' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "location",	required_argument, NULL, 'l' },
		{ "quiet",	no_argument,	   NULL, 'q' },
		{ "reported",	required_argument, NULL, 'R' },
		{ "reporter",	required_argument, NULL, 'r' },
		{ "source",	required_argument, NULL, 's' },
		{ "title",	required_argument, NULL, 't' },
		{ "unit",	required_argument, NULL, 'U' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *actor = NULL, *csv = NULL;
	struct case_new n;
	int ch, dryrun = 0, quiet = 0, nbad = 0, fields = 0;

	case_init_prog();
	case_new_init(&n);
	while ((ch = getopt_long(argc, argv, "d:hnq", opts, NULL)) != -1) {
		fields += ch != 'A' && ch != 'd' && ch != 'n' && ch != 'q' &&
		    ch != 'F';
		switch (ch) {
		case 'A': actor = optarg; break;
		case 'c': n.category = optarg; break;
		case 'D': n.description = optarg; break;
		case 'd': dbopt = optarg; break;
		case 'F': csv = optarg; break;
		case 'g': n.grid = code(optarg); break;
		case 'h': usage(0); break;
		case 'l': n.location = optarg; break;
		case 'n': dryrun = 1; break;
		case 'q': quiet = 1; break;
		case 'R': n.reported = opt_time("reported", optarg); break;
		case 'r': n.reporter = optarg; break;
		case 's': n.source = code(optarg); break;
		case 't': n.title = optarg; break;
		case 'U': n.unit = code(optarg); break;
		case 'u': n.due = opt_time("due", optarg); break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	}
	argc -= optind;
	if (argc != 0 || (csv != NULL && fields > 0) ||
	    (csv == NULL && (n.category == NULL || n.title == NULL)))
		usage(CASE_EXIT_FATAL);

	case_ctx_init(&ctx, case_db_open(case_db_path(dbopt), CASE_DB_WRITE),
	    actor, dryrun, quiet);
	if (csv != NULL && (nbad = add_csv(csv)) > 0) {
		case_rollback(ctx.db);
		errx(CASE_EXIT_REJECT, "%s: %d bad records; nothing added",
		    strcmp(csv, "-") == 0 ? "stdin" : csv, nbad);
	}
	if (csv == NULL)
		add_one(&n);
	return case_ctx_finish(&ctx, 0);
}
