/* case-export [filters] [--events] [--format fmt] [--headers set] [--xlsx file] - cases for spreadsheets and other systems */
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
	    _("usage: case-export [-h] [-d file] [--events] "
	    "[--format csv|json|tsv]\n"
	    "                   [--headers en|zh|open311] [--bom] "
	    "[--encoding name] [--mask]\n"
	    "                   [--raw] [--xlsx file] "
	    "[--status open|closed|all|status]\n"
	    "                   [--overdue] [--due-within span] "
	    "[--unit unit] [--category code]\n"
	    "                   [--source code] [--since time] "
	    "[--until time]\n"
	    "                   [--closed-since time] [--closed-until time] "
	    "[--grid grid]\n"));
	case_usage_exit(status);
}

static void
sheet(struct case_db *db, const struct case_filter *f, const struct case_export *x,
    struct case_xlsx *xl, int kind, const char *name)
{
	const char *names[32];
	char types[33];
	struct case_out *out;
	int n;

	n = case_query_header(kind, x, names, types);
	out = case_out_sheet(xl, name, n, names, types);
	case_query(db, f, kind, x, out, CASE_FMT_XLSX);
	case_out_close(out);
}

/*
 * The workbook is written to a new temporary file beside its final name
 * and renamed into place (file.c), so that no reader ever opens half a
 * file and no planted name can redirect it.  It names people, as the
 * database does: 0660 at most.
 */
static void
xlsx(struct case_db *db, const struct case_filter *f, const struct case_export *x,
    const char *path, int events)
{
	struct case_file *cf = case_file_open(path, 0660, (gid_t)-1);
	struct case_xlsx *xl;

	xl = case_xlsx_open(case_file_name(cf), path);
	sheet(db, f, x, xl, CASE_Q_EXPORT, "cases");
	if (events)
		sheet(db, f, x, xl, CASE_Q_EVENTS, "events");
	case_xlsx_close(xl);
	case_file_commit(cf);
}

/*
 * Writes every field of the cases the filters select (all by default),
 * or with --events their history: CSV with a header row, JSON lines, or
 * an .xlsx workbook.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		CASE_FILTER_OPTIONS,
		{ "bom",	no_argument,	   NULL, 'B' },
		{ "db",		required_argument, NULL, 'd' },
		{ "encoding",	required_argument, NULL, 'C' },
		{ "events",	no_argument,	   NULL, 'e' },
		{ "format",	required_argument, NULL, 'f' },
		{ "headers",	required_argument, NULL, 'H' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "mask",	no_argument,	   NULL, 'M' },
		{ "raw",	no_argument,	   NULL, 'R' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ "xlsx",	required_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 }
	};
	struct case_export x = { CASE_HDR_EN, 1, 0, NULL };
	struct case_filter f;
	enum case_fmt fmt = CASE_FMT_CSV;
	const char *dbopt = NULL, *encoding = NULL, *xlsxpath = NULL;
	int ch, events = 0, bom = 0, fmtopt = 0;
	FILE *out = stdout, *held = NULL;
	struct case_db *db;
	int fd = -1;

	case_init_prog(argv);
	case_out_guard(0);	/* query.c guards, knowing --mask and --raw */
	case_filter_init(&f, CASE_ST_ALL);
	while ((ch = getopt_long(argc, argv, "d:ef:h", opts, NULL)) != -1)
		switch (ch) {
		case 'B': bom = 1; break;
		case 'C': encoding = optarg; break;
		case 'd': dbopt = optarg; break;
		case 'e': events = 1; break;
		case 'f':
			fmtopt = 1;
			if (case_fmt_parse(optarg, &fmt) == -1 ||
			    fmt == CASE_FMT_TABLE || fmt == CASE_FMT_XLSX)
				errx(CASE_EXIT_FATAL, _("--format: must be csv, "
				    "json or tsv -- %s"), optarg);
			break;
		case 'H':
			if ((x.headers = case_headers_parse(optarg)) == -1)
				errx(CASE_EXIT_FATAL, _("--headers: must be en, "
				    "zh or open311 -- %s"), optarg);
			break;
		case 'h': usage(0); break;
		case 'M': x.mask = 1; break;
		case 'R': x.guard = 0; break;
		case 'V': case_version(); break;
		case 'X': xlsxpath = optarg; break;
		default:
			if (!case_filter_opt(&f, ch, optarg))
				usage(CASE_EXIT_FATAL);
		}
	/* A bad combination says which options and why, then how. */
	if (xlsxpath != NULL && (bom || encoding != NULL))
		warnx(_("--xlsx and --%s: a workbook's text is always "
		    "UTF-8"), bom ? "bom" : "encoding");
	else if (xlsxpath != NULL && fmtopt)
		warnx(_("--xlsx and --format: a workbook is a format of its "
		    "own"));
	else if (bom && fmt == CASE_FMT_JSON)
		warnx(_("--bom and --format json: JSON text has no "
		    "byte-order mark (RFC 8259)"));
	else if (bom && encoding != NULL)
		warnx(_("--bom and --encoding: a byte-order mark is for UTF-8 "
		    "only"));
	else if (events && x.headers == CASE_HDR_OPEN311)
		warnx(_("--events and --headers open311: Open311 has no "
		    "events"));
	if (optind != argc || (bom && encoding != NULL) ||
	    (bom && fmt == CASE_FMT_JSON) ||
	    (xlsxpath != NULL && (bom || encoding != NULL || fmtopt)) ||
	    (events && x.headers == CASE_HDR_OPEN311))
		usage(CASE_EXIT_FATAL);

	db = case_db_open(case_db_path(dbopt), CASE_DB_READ);
	case_filter_check(db, &f);
	/* One read transaction: cases and events from the same moment. */
	case_begin(db);
	/* Not over the rows themselves on the same terminal. */
	if (xlsxpath != NULL || !case_stdout_tty())
		case_progress_start(_("export"), 0);
	if (xlsxpath != NULL)
		xlsx(db, &f, &x, xlsxpath, events);
	else {
		/*
		 * In another encoding, held back in an anonymous file until
		 * every field has converted: a case that cannot be written
		 * in it leaves standard output untouched.
		 */
		if (encoding != NULL) {
			x.encoding = encoding;
			held = case_tmpfile();
			if ((fd = dup(fileno(held))) == -1)
				err(CASE_EXIT_FATAL, "dup");
			out = case_iconv_open(held, encoding, 1);
		}
		if (bom)
			fputs("\xef\xbb\xbf", out);
		case_query_to(db, &f, events ? CASE_Q_EVENTS : CASE_Q_EXPORT,
		    fmt, out, &x);
		if (out != stdout && fclose(out) == EOF)
			err(CASE_EXIT_FATAL, "tmpfile: %s", encoding);
		if (fd != -1) {
			if (fflush(stdout) == EOF)
				err(CASE_EXIT_FATAL, "stdout");
			case_fd_out(fd);
		}
	}
	case_progress_end();
	case_rollback(db);
	case_db_close(db);
	case_finish_stdout();
	return CASE_EXIT_OK;
}
