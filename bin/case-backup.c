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
	case_usage_exit(status);
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
	struct case_file *f;
	struct case_db *src;
	struct stat sb;
	char side[4096];
	int ch, dryrun = 0, i;

	case_init_prog(argv);
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
	if (case_db_is_pg(dbopt))
		errx(CASE_EXIT_FATAL, _("%s: case-backup copies SQLite files "
		    "only: use pg_dump for PostgreSQL"), case_db_name(dbopt));
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
	case_db_copy(src, case_file_fd(f), case_file_name(f), dest);
	case_db_close(src);
	case_file_commit(f);
	return CASE_EXIT_OK;
}
