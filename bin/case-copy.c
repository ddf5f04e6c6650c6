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
	":c18", ":c19", ":c20", ":c21", ":c22", ":c23",
};

static const char *created;	/* a new file of this run's, until whole */

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-copy [-hn] [-d database] dest\n"));
	exit(status);
}

static void
discard(void)
{
	char side[4096];

	if (created == NULL)
		return;
	unlink(created);
	snprintf(side, sizeof side, "%s-wal", created);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", created);
	unlink(side);
}

/* Each row of table t in src, inserted into dst; returns the rows. */
static long long
copy_table(struct case_db *src, struct case_db *dst, int t)
{
	struct case_stmt *in, *out;
	long long n = 0;
	int i, ncol;

	in = case_prepare_once(src, q_copy_select[t]);
	out = case_prepare(dst, q_copy_insert[t]);
	ncol = case_col_count(in);
	if (ncol > (int)(sizeof col / sizeof col[0]))
		errx(CASE_EXIT_FATAL, _("internal error: too many columns"));
	while (case_step(in) == CASE_ROW) {
		for (i = 0; i < ncol; i++)
			if (case_col_type(in, i) == 'i')
				case_bind_int(out, col[i], case_col_int(in, i));
			else
				case_bind_text(out, col[i],
				    case_col_text(in, i));
		case_step(out);
		case_reset(out);
		case_progress(++n);
	}
	case_finalize(in);
	return n;
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
 * figures over all time, overall and by unit, category and source, as
 * text to compare (the caller frees it).
 */
static char *
account(struct case_db *db)
{
	static const char *const by[] = { NULL, "unit", "category", "source",
	    "status" };
	struct case_stats_opts o = { NULL, CASE_FMT_TSV, CASE_NOTIME, 0, 0, 0,
	    NULL };
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
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	return buf;
}

/*
 * Copies the database whole into dest, a database of the other engine
 * that holds nothing yet: a SQLite file that does not exist, or a
 * PostgreSQL database without casekit's tables.  Everything goes in one
 * transaction of dest's, read from one snapshot of the source while its
 * writers carry on; it is committed only if dest then has every table's
 * rows, the same history chain (the same last link) and the same
 * figures as the source.  Quiet on success.
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
	struct case_db *src, *dst;
	struct stat sb;
	char *want, *got;
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
	if (case_db_is_pg(dbopt) == case_db_is_pg(dest))
		errx(CASE_EXIT_FATAL, _("%s: the copy goes to the other engine "
		    "(case-backup copies a file, pg_dump a server)"), dest);
	/* A new file, made as case-init makes one: never through a link. */
	if (!case_db_is_pg(dest) && lstat(dest, &sb) == 0)
		errx(CASE_EXIT_FATAL, _("%s: exists; the copy makes a new "
		    "file"), dest);
	src = case_db_open(dbopt, CASE_DB_READ);
	if (dryrun) {
		printf(_("would copy %s to %s\n"), dbopt, dest);
		case_db_close(src);
		case_finish_stdout();
		return CASE_EXIT_OK;
	}
	if (!case_db_is_pg(dest)) {
		created = dest;
		atexit(discard);
	}
	dst = case_db_open(dest, CASE_DB_CREATE);
	case_begin(dst);
	for (t = 0; t < CASE_COPY_ANY; t++) {
		struct case_stmt *st = case_prepare(dst, q_copy_any[t]);

		if (case_step(st) == CASE_ROW)
			errx(CASE_EXIT_FATAL, _("%s: holds cases or reference "
			    "data already: the copy goes into a new database"),
			    dest);
		case_reset(st);
	}
	case_begin(src);
	for (t = 0; t < CASE_COPY_TABLES; t++) {
		case_progress_start(_("copy"), count(src, t));
		copy_table(src, dst, t);
		case_progress_end();
	}
	for (t = 0; t < CASE_COPY_TABLES; t++)
		if (count(src, t) != count(dst, t))
			errx(CASE_EXIT_FATAL, _("%s: the copy has %lld rows "
			    "where the source has %lld; nothing written"),
			    dest, count(dst, t), count(src, t));
	case_chain_seal(dst);
	want = account(src);
	got = account(dst);
	if (strcmp(want, got) != 0)
		errx(CASE_EXIT_FATAL, _("%s: the copy's history chain or "
		    "figures differ from the source's; nothing written"), dest);
	free(want);
	free(got);
	case_rollback(src);
	case_commit(dst);
	case_db_close(dst);
	case_db_close(src);
	created = NULL;
	return CASE_EXIT_OK;
}
