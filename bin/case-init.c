/* case-init [-Lhn] [-d file] [--units file] [--categories file] [--sources file] [--calendar file] - create or refresh a case database */
#include <sys/file.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, _("usage: case-init [-hn] "
	    "[-L | --follow] [-d file] [--units file]\n"
	    "                 [--categories file] [--sources file] "
	    "[--calendar file]\n"));
	case_usage_exit(status);
}

/* The new database, until it is filled, and the names SQLite adds. */
static const char *created;
static char sides[3][4096];
static dev_t created_dev;
static ino_t created_ino;

/*
 * A database that this run created and could not fill is removed again,
 * whatever the way out (a bad reference file exits from deep inside, a
 * signal from outside), unless its name is by now another run's file.
 * Only what a signal handler may call is called.
 */
static void
discard(void)
{
	struct stat sb;
	int i;

	if (created == NULL || lstat(created, &sb) == -1 ||
	    sb.st_dev != created_dev || sb.st_ino != created_ino)
		return;
	unlink(created);
	for (i = 0; i < 3; i++)
		unlink(sides[i]);
	created = NULL;
}

static void
onsignal(int sig)
{
	discard();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Waits its turn at the file open as fd, as long as SQLite waits for a
 * lock (60 s): case-init runs on one file take turns, each holding the
 * lock until it exits.
 */
static void
take_turn(int fd, const char *path)
{
	int i;

	for (i = 0; flock(fd, LOCK_EX | LOCK_NB) == -1; i++) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			err(CASE_EXIT_FATAL, "%s", path);
		if (i == 6000)
			errx(CASE_EXIT_FATAL, _("%s: in use by another case-init "
			    "for 60 s; try again"), path);
		usleep(10000);
	}
}

/*
 * A new file at path, already locked when it appears, so that no other
 * run fills it while its maker may yet remove it: made under a fresh
 * name beside it (mkstemp), locked, then linked to path, which like
 * O_EXCL never takes a name that is there, and the fresh name removed;
 * the file in *sb.  -1 with errno (EEXIST: another run's meanwhile).
 */
static int
make_locked(const char *path, struct stat *sb)
{
	const char *slash = strrchr(path, '/');
	struct stat b;
	char *tmp;
	mode_t mask = umask(0);
	int fd, rc, saved;

	umask(mask);
	if (asprintf(&tmp, "%.*s.%.200s.XXXXXX", slash != NULL ?
	    (int)(slash - path + 1) : 0, path, slash != NULL ? slash + 1 :
	    path) == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	/* Mode 0660 less the umask: case records name people. */
	if ((fd = mkstemp(tmp)) == -1 || fchmod(fd, 0660 & ~mask) == -1 ||
	    flock(fd, LOCK_EX) == -1) {
		saved = errno;
		if (fd != -1) {
			unlink(tmp);
			close(fd);
		}
		free(tmp);
		errno = saved;
		return -1;
	}
	rc = link(tmp, path);
	saved = errno;
	unlink(tmp);
	free(tmp);
	if (rc == -1) {
		close(fd);
		errno = saved;
		return -1;
	}
	/* The file made, not one put at the fresh name meanwhile. */
	if (fstat(fd, sb) == -1 || lstat(path, &b) == -1 ||
	    sb->st_dev != b.st_dev || sb->st_ino != b.st_ino)
		errx(CASE_EXIT_FATAL, _("%s: replaced by another file while "
		    "being written; not written"), path);
	return fd;
}

/*
 * In a directory others may write, a symlink at the database's name
 * would have root create or change a file elsewhere: only -L follows
 * one.  Whatever it names must be a regular file.  One this run makes
 * (not one another run made meanwhile) is removed again if it cannot be
 * filled.  The file's lock is held until exit (its descriptor is never
 * closed): a run that finds a file waits for the run making it, and
 * starts again if that run removed it.
 */
static void
claim(const char *path, int follow)
{
	static const char *suffix[3] = { "-wal", "-shm", "-journal" };
	struct stat sb, now;
	int fd, i;

	for (;;) {
		if (lstat(path, &sb) == 0) {
			if (S_ISLNK(sb.st_mode) && !follow)
				errx(CASE_EXIT_FATAL, _("%s: a symbolic link; "
				    "refused (-L follows it)"), path);
			/* A link to nothing: SQLite is left to say so. */
			if (S_ISLNK(sb.st_mode) && stat(path, &sb) == -1)
				return;
			if (!S_ISREG(sb.st_mode))
				errx(CASE_EXIT_FATAL, _("%s: not a regular "
				    "file"), path);
			/* Not held up by a FIFO put there meanwhile. */
			fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC |
			    (follow ? 0 : O_NOFOLLOW));
			if (fd == -1 && errno == ENOENT)
				continue;
			if (fd == -1 || fstat(fd, &sb) == -1)
				err(CASE_EXIT_FATAL, "%s", path);
			if (!S_ISREG(sb.st_mode))
				errx(CASE_EXIT_FATAL, _("%s: not a regular "
				    "file"), path);
			take_turn(fd, path);
			if ((follow ? stat : lstat)(path, &now) == 0 &&
			    now.st_dev == sb.st_dev && now.st_ino == sb.st_ino)
				return;
			close(fd);	/* removed by its maker: again */
			continue;
		}
		if ((fd = make_locked(path, &sb)) != -1)
			break;
		if (errno != EEXIST)
			err(CASE_EXIT_FATAL, "%s", path);
	}
	for (i = 0; i < 3; i++)
		if (snprintf(sides[i], sizeof sides[i], "%s%s", path,
		    suffix[i]) >= (int)sizeof sides[i]) {
			unlink(path);
			errno = ENAMETOOLONG;
			err(CASE_EXIT_FATAL, "%s", path);
		}
	created = path;
	created_dev = sb.st_dev;
	created_ino = sb.st_ino;
	atexit(discard);
	signal(SIGHUP, onsignal);
	signal(SIGINT, onsignal);
	signal(SIGTERM, onsignal);
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
