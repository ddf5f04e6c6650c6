/* case-init [-Lhn] [-d file] [--units file] [--categories file] [--sources file] [--calendar file] - create or refresh a case database */
#include <sys/stat.h>

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "case.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, _("usage: case-init [-hn] "
	    "[-L | --follow] [-d file] [--units file]\n"
	    "                 [--categories file] [--sources file] "
	    "[--calendar file]\n"));
	exit(status);
}

static const char *created;	/* the new database, until it is filled */

/*
 * A database that this run created and could not fill is removed again,
 * whatever the way out (a bad reference file exits from deep inside).
 */
static void
discard(void)
{
	const char *path = created;
	char side[4096];

	if (path == NULL)
		return;
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/*
 * In a directory others may write, a symlink at the database's name
 * would have root create or change a file elsewhere: only -L follows
 * one.  Whatever it names must be a regular file.  One this run makes
 * is removed again if it cannot be filled.
 */
static void
claim(const char *path, int follow)
{
	struct stat sb;
	int existed;

	existed = lstat(path, &sb) == 0;
	if (existed && S_ISLNK(sb.st_mode) && !follow)
		errx(CASE_EXIT_FATAL, _("%s: a symbolic link; refused (-L "
		    "follows it)"), path);
	if (existed && S_ISLNK(sb.st_mode))
		existed = stat(path, &sb) == 0;
	if (existed && !S_ISREG(sb.st_mode))
		errx(CASE_EXIT_FATAL, _("%s: not a regular file"), path);
	if (!existed) {
		created = path;
		atexit(discard);
	}
}

/*
 * Creates the database with its schema, default categories and sources,
 * or brings an existing one up to date; then loads the reference files.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "calendar",	required_argument, NULL, 'K' },
		{ "categories", required_argument, NULL, 'C' },
		{ "db",		required_argument, NULL, 'd' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "follow",	no_argument,	   NULL, 'L' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "sources",	required_argument, NULL, 'S' },
		{ "units",	required_argument, NULL, 'U' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct case_ref_files rf = { NULL, NULL, NULL, NULL };
	const char *dbopt = NULL, *path;
	struct case_db *db;
	char *shown;
	int ch, dryrun = 0, follow = 0, nbad;

	case_init_prog(argv);
	while ((ch = getopt_long(argc, argv, "Ld:hn", opts, NULL)) != -1)
		switch (ch) {
		case 'L': follow = 1; break;
		case 'C': rf.categories = optarg; break;
		case 'd': dbopt = optarg; break;
		case 'h': usage(0); break;
		case 'K': rf.calendar = optarg; break;
		case 'n': dryrun = 1; break;
		case 'S': rf.sources = optarg; break;
		case 'U': rf.units = optarg; break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;
	if (argc != 0)
		usage(CASE_EXIT_FATAL);

	path = case_db_path(dbopt);
	/* A server's database is the server's to make. */
	if (!case_db_is_pg(path))
		claim(path, follow);
	db = case_db_open(path, CASE_DB_CREATE);
	case_begin(db);
	nbad = case_ref_load(db, &rf);
	if (nbad > 0 || dryrun)
		case_rollback(db);
	else
		case_commit(db);
	case_db_close(db);
	if (nbad == 0 && !dryrun)
		created = NULL;	/* it is made: keep it */
	if (nbad > 0)
		errx(CASE_EXIT_REJECT,
		    _("problems found: %d; database unchanged"),
		    nbad);
	/* A server's by host, port and database: never its password. */
	shown = case_db_name(path);
	printf("%s\n", shown);
	free(shown);
	case_finish_stdout();
	return CASE_EXIT_OK;
}
