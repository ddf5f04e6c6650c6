/* case-copy [-hn] [-d database] dest - move a case database to the other engine */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"

/* :c0, :c1, ...: a row's columns as the copy's statements name them. */
static const char *const col[] = {
	":c0", ":c1", ":c2", ":c3", ":c4", ":c5", ":c6", ":c7", ":c8", ":c9",
	":c10", ":c11", ":c12", ":c13", ":c14", ":c15", ":c16", ":c17",
	":c18", ":c19", ":c20", ":c21", ":c22", ":c23", ":c24", ":c25",
	":c26", ":c27", ":c28", ":c29",
};

/* The tables of CASE_COPY_..., as messages name them. */
static const char *const table[] = {
	"units", "categories", "sources", "outcomes", "calendar", "cases",
	"events", "event_chain", "units.parent", "cases.duplicate_of",
	"api_keys", "roster", "blobs", "attachments", "links", "notices",
	"assists",
};

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-copy [-hn] [-d database] dest\n"));
	case_usage_exit(status);
}

/* Each row of table t in src, inserted into dst; returns the rows. */
static long long
copy_table(struct case_db *src, struct case_db *dst, int t)
{
	struct case_stmt *in, *out;
	long long n = 0;
	int i, ncol, len;

	in = case_prepare_once(src, q_copy_select[t]);
	out = case_prepare(dst, q_copy_insert[t]);
	ncol = case_col_count(in);
	if (ncol > (int)(sizeof col / sizeof col[0]))
		errx(CASE_EXIT_FATAL, _("internal error: too many columns"));
	while (case_step(in) == CASE_ROW) {
		for (i = 0; i < ncol; i++)
			if (case_col_type(in, i) == 'i')
				case_bind_int(out, col[i], case_col_int(in, i));
			else if (case_col_type(in, i) == 'b') {
				const void *v = case_col_bytes(in, i, &len);

				case_bind_blob(out, col[i], v, (size_t)len);
			} else
				case_bind_text(out, col[i],
				    case_col_text(in, i));
		case_step(out);
		case_reset(out);
		case_progress(++n);
	}
	case_finalize(in);
	return n;
}

/* Do a and b hold the same rows of table t, value for value? */
static int
same_rows(struct case_db *a, struct case_db *b, int t)
{
	struct case_stmt *x = case_prepare_once(a, q_copy_select[t]);
	struct case_stmt *y = case_prepare_once(b, q_copy_select[t]);
	const void *vx, *vy;
	int i, n = case_col_count(x), rx, same = 1, lx, ly;

	while (same && (rx = case_step(x)) == case_step(y) && rx == CASE_ROW)
		for (i = 0; i < n && same; i++) {
			if (case_col_type(x, i) != case_col_type(y, i))
				same = 0;
			else if (case_col_type(x, i) == 'i')
				same = case_col_int(x, i) == case_col_int(y, i);
			else if (case_col_type(x, i) != 'n') {
				vx = case_col_bytes(x, i, &lx);
				vy = case_col_bytes(y, i, &ly);
				same = lx == ly && memcmp(vx, vy, lx) == 0;
			}
		}
	if (same && rx == CASE_ROW)
		same = 0;	/* b ran out first */
	case_finalize(x);
	case_finalize(y);
	return same;
}

static long long
count(struct case_db *db, int t)
{
	struct case_stmt *st = case_prepare(db, q_copy_count[t]);
	long long n;

	case_step(st);
	n = case_col_int(st, 0);
	case_reset(st);
	return n;
}

/*
 * What a reader of db would be told: the history chain's check and the
 * figures over all time, overall and by unit, category and source, and
 * the signing figures by unit, as text to compare (the caller frees it).
 */
static char *
account(struct case_db *db)
{
	static const char *const by[] = { NULL, "unit", "category", "source",
	    "status" };
	struct case_stats_opts o = { NULL, CASE_FMT_TSV, CASE_NOTIME, 0, 0, 0,
	    NULL, NULL };
	struct case_filter f;
	char *buf = NULL;
	size_t size = 0, i;
	FILE *fp;

	if ((fp = open_memstream(&buf, &size)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	case_chain_verify(db, fp);
	for (i = 0; i < sizeof by / sizeof by[0]; i++) {
		case_filter_init(&f, CASE_ST_ALL);
		o.by = by[i];
		case_stats(db, &f, &o, fp);
	}
	/* The signing figures, which read the sign-for columns copied. */
	o.by = "unit";
	o.figures = "ack_on_time_rate,same_day_rate";
	case_filter_init(&f, CASE_ST_ALL);
	case_stats(db, &f, &o, fp);
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	return buf;
}

/*
 * Copies the database whole into dest, a database of the other engine
 * that holds nothing yet: a SQLite file that does not exist, or a
 * PostgreSQL database without casekit's tables.  Everything goes in one
 * transaction of dest's, read from one snapshot of the source while its
 * writers carry on; it is committed only if dest then holds every row
 * of every table value for value, and has the same history chain (the
 * same last link) and the same figures as the source.  A new file is
 * made as every output is (file.c): under a temporary name of its own,
 * renamed into place only when whole.  Quiet on success.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db",		required_argument, NULL, 'd' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *dest;
	struct case_file *f = NULL;
	struct case_db *src, *dst;
	struct stat sb;
	char *want, *got, *srcname, *destname;
	int ch, dryrun = 0, t;

	case_init_prog(argv);
	while ((ch = getopt_long(argc, argv, "d:hn", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'h': usage(0); break;
		case 'n': dryrun = 1; break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(CASE_EXIT_FATAL);
	dest = argv[0];
	dbopt = case_db_path(dbopt);
	srcname = case_db_name(dbopt);
	destname = case_db_name(dest);
	if (case_db_is_pg(dbopt) == case_db_is_pg(dest))
		errx(CASE_EXIT_FATAL, _("%s: the copy goes to the other engine "
		    "(case-backup copies a file, pg_dump a server)"), destname);
	if (!case_db_is_pg(dest) && lstat(dest, &sb) == 0)
		errx(CASE_EXIT_FATAL, _("%s: exists; the copy makes a new "
		    "file"), destname);
	src = case_db_open(dbopt, CASE_DB_READ);
	if (dryrun) {
		printf(_("would copy %s to %s\n"), srcname, destname);
		case_db_close(src);
		case_finish_stdout();
		return CASE_EXIT_OK;
	}
	if (!case_db_is_pg(dest)) {
		f = case_file_open(dest, 0660, (gid_t)-1);
		dst = case_db_open(case_file_name(f), CASE_DB_FRESH);
	} else
		dst = case_db_open(dest, CASE_DB_CREATE);
	case_begin(dst);
	for (t = 0; t < CASE_COPY_ANY; t++) {
		struct case_stmt *st = case_prepare(dst, q_copy_any[t]);

		if (case_step(st) == CASE_ROW)
			errx(CASE_EXIT_FATAL, _("%s: holds cases or reference "
			    "data already: the copy goes into a new database"),
			    destname);
		case_reset(st);
	}
	for (t = 0; t < CASE_COPY_CLEAR; t++) {
		struct case_stmt *st = case_prepare(dst, q_copy_clear[t]);

		case_step(st);
		case_reset(st);
	}
	case_begin(src);
	for (t = 0; t < CASE_COPY_TABLES; t++) {
		case_progress_start(_("copy"), count(src, t));
		copy_table(src, dst, t);
		case_progress_end();
	}
	for (t = 0; t < CASE_COPY_TABLES; t++)
		if (count(src, t) != count(dst, t) || !same_rows(src, dst, t))
			errx(CASE_EXIT_FATAL, _("%s: the copy's %s differ from "
			    "the source's; nothing written"), destname,
			    table[t]);
	case_chain_seal(dst);
	want = account(src);
	got = account(dst);
	if (strcmp(want, got) != 0)
		errx(CASE_EXIT_FATAL, _("%s: the copy's history chain or "
		    "figures differ from the source's; nothing written"),
		    destname);
	free(want);
	free(got);
	case_rollback(src);
	case_commit(dst);
	case_db_close(dst);
	case_db_close(src);
	if (f != NULL)
		case_file_commit(f);
	free(srcname);
	free(destname);
	return CASE_EXIT_OK;
}
