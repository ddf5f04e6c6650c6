/* case-backup [-hn] [-d file] dest - copy the case database while it is in use */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
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
	    _("usage: case-backup [-hn] [-d file] dest\n"));
	exit(status);
}

static void
exec(sqlite3 *db, const char *what, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		errx(CASE_EXIT_FATAL, "%s: %s", what, sqlite3_errmsg(db));
}

/*
 * The copy, opened read-only as it stands, must pass integrity_check.
 * It is reached through /proc (case_file_name), never by its name in
 * the directory, which others may change.
 */
static void
verify(const char *name, const char *dest)
{
	sqlite3_stmt *st;
	sqlite3 *db;
	char *uri;
	const char *r;

	if (asprintf(&uri, "file:%s?mode=ro&immutable=1", name) == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK)
		errx(CASE_EXIT_FATAL, "%s: %s", dest, sqlite3_errmsg(db));
	if (sqlite3_step(st) != SQLITE_ROW ||
	    strcmp(r = (const char *)sqlite3_column_text(st, 0), "ok") != 0)
		errx(CASE_EXIT_FATAL,
		    _("%s: the copy fails integrity_check: %s"),
		    dest, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(uri);
}

/*
 * Copies the database with SQLite's online backup inside one read
 * transaction, so that the copy is the database at one moment while
 * writers carry on.  The copy is a new temporary file beside dest
 * (file.c), in rollback-journal mode, checked, given the database's
 * mode and group on its descriptor, fsync'ed and renamed over dest:
 * dest is always the old backup or a whole new one.  Quiet on success.
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
	unsigned char ver[2];
	struct case_file *f;
	sqlite3_backup *b;
	sqlite3 *src, *dst;
	struct stat sb;
	char side[4096];
	int ch, dryrun = 0, i, rc;

	case_init_prog();
	case_job_init();
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
	/* Restoring over a live database would mix in its -wal. */
	for (i = 0; i < 2; i++) {
		snprintf(side, sizeof side, "%s-%s", dest, i ? "shm" : "wal");
		if (lstat(side, &sb) == 0)
			errx(CASE_EXIT_FATAL, _("%s: in use (it has %s): "
			    "stop its users and remove it first"), dest, side);
	}
	src = case_db_open(dbopt, CASE_DB_READ);
	if (stat(dbopt, &sb) == -1)
		err(CASE_EXIT_FATAL, "%s", dbopt);
	if (dryrun) {
		printf(_("would back up %s to %s\n"), dbopt, dest);
		case_db_close(src);
		case_finish_stdout();
		return CASE_EXIT_OK;
	}
	f = case_file_open(dest, sb.st_mode & 0777, sb.st_gid);
	case_begin(src);
	/*
	 * The copy has no journal of its own to make beside it: it is new,
	 * and renamed into place only once whole and checked.
	 */
	if (sqlite3_open_v2(case_file_name(f), &dst, SQLITE_OPEN_READWRITE,
	    NULL) != SQLITE_OK)
		errx(CASE_EXIT_FATAL, "%s: %s", dest, sqlite3_errmsg(dst));
	exec(dst, dest, "PRAGMA journal_mode = OFF");
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL)
		errx(CASE_EXIT_FATAL, "%s: %s", dest, sqlite3_errmsg(dst));
	/*
	 * In steps, for the progress line: the read transaction taken
	 * above keeps every step on the same snapshot.
	 */
	case_progress_start(_("backup"), 0);
	while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK)
		case_progress_total(sqlite3_backup_pagecount(b) -
		    sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b));
	case_progress_total(sqlite3_backup_pagecount(b),
	    sqlite3_backup_pagecount(b));
	case_progress_end();
	if (rc != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
		errx(CASE_EXIT_FATAL, _("%s: backup failed: %s"), dest,
		    sqlite3_errmsg(dst));
	if (sqlite3_close(dst) != SQLITE_OK)
		errx(CASE_EXIT_FATAL, "%s: %s", dest, sqlite3_errmsg(dst));
	case_rollback(src);
	case_db_close(src);
	/*
	 * Bytes 18 and 19 of the header say WAL (2), copied from the live
	 * database; 1 makes the backup one self-contained rollback-journal
	 * file.  casekit turns WAL on again when it writes to a restored copy.
	 */
	ver[0] = ver[1] = 1;
	if (pwrite(case_file_fd(f), ver, 2, 18) != 2)
		err(CASE_EXIT_FATAL, "%s", dest);
	verify(case_file_name(f), dest);
	case_file_commit(f);
	return CASE_EXIT_OK;
}
