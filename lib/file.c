/* file.c - the one way casekit creates a file: outputs, reports, backups, locks */
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"

/*
 * Administrators run casekit as root in directories that a clerks'
 * group may write, so every name there may be a planted symlink, hard
 * link or FIFO.  An output is therefore never opened by its own name:
 * a new file is made in the target directory, which is held open by
 * descriptor, without a name (O_TMPFILE) where the file system can,
 * else exclusively under a fresh one (O_EXCL|O_NOFOLLOW); mode and
 * group are set on the descriptor; it is written, flushed, fsync'ed,
 * linked to a fresh name if it has none, and renamed over the target,
 * and the target is then checked to be the file written.  On any error
 * the temporary file is removed and the old target stays as it was.
 */
struct case_file {
	FILE	*fp;
	int	 fd, dirfd;
	char	*path;		/* the target, as given */
	char	*base;		/* its last component */
	char	 tmp[NAME_MAX + 1];	/* its temporary name, if it has one */
	char	 proc[64];	/* /proc/self/fd/N, for libraries that want a name */
	struct stat sb;		/* the file, once ready */
	int	 ready;		/* flushed, on disk and named */
	struct case_file *next;
};

static struct case_file *pending;	/* temporaries to remove on exit */

static void
cleanup(void)
{
	struct case_file *f;

	for (f = pending; f != NULL; f = f->next)
		if (f->tmp[0] != '\0')
			unlinkat(f->dirfd, f->tmp, 0);
}

static void
onsignal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * The directory path names from at, opened O_PATH, following only the
 * symbolic links that the running user or root owns: a member of the
 * office's group cannot send root's output elsewhere by a link of
 * theirs, nor by a directory of theirs holding one.  *links counts the
 * links followed, at most 40 as the kernel allows.  -1 with errno;
 * EACCES for a link not followed, with *refused set.
 */
static int
walk(int at, const char *path, int *links, int *refused)
{
	char *copy = case_strdup(path), *comp, *save, target[PATH_MAX];
	struct stat sb;
	ssize_t n;
	int cur, next, link;

	if (*path == '/' || at == AT_FDCWD)
		cur = open(*path == '/' ? "/" : ".", O_PATH | O_DIRECTORY |
		    O_CLOEXEC);
	else
		cur = fcntl(at, F_DUPFD_CLOEXEC, 0);
	for (comp = strtok_r(copy, "/", &save); cur != -1 && comp != NULL;
	    comp = strtok_r(NULL, "/", &save)) {
		next = openat(cur, comp, O_PATH | O_NOFOLLOW | O_DIRECTORY |
		    O_CLOEXEC);
		/* The link itself, held: what is checked is what is read. */
		if (next == -1 && (errno == ENOTDIR || errno == ELOOP) &&
		    (link = openat(cur, comp, O_PATH | O_NOFOLLOW |
		    O_CLOEXEC)) != -1) {
			if (fstat(link, &sb) == -1 || !S_ISLNK(sb.st_mode))
				errno = ENOTDIR;
			else if (sb.st_uid != 0 && sb.st_uid != geteuid()) {
				*refused = 1;
				errno = EACCES;
			} else if (++*links > 40)
				errno = ELOOP;
			else if ((n = readlinkat(link, "", target,
			    sizeof target - 1)) != -1) {
				target[n] = '\0';
				next = walk(cur, target, links, refused);
			}
			close(link);
		}
		close(cur);
		cur = next;
	}
	free(copy);
	return cur;
}

/* The directory part of path, opened; the last component in *base. */
static int
open_dir(const char *path, char **base)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int at, fd, links, refused;

	if (slash == NULL) {
		*base = case_strdup(path);
		dir = case_strdup(".");
	} else {
		*base = case_strdup(slash + 1);
		dir = case_malloc(slash - path + 2);
		memcpy(dir, path, slash - path);
		dir[slash - path] = '\0';
		if (slash == path)
			strcpy(dir, "/");
	}
	if (*path == '\0') {
		errno = ENOENT;	/* as open("") says */
		free(dir);
		return -1;
	}
	if (**base == '\0' || strcmp(*base, ".") == 0 ||
	    strcmp(*base, "..") == 0) {
		errno = EISDIR;
		free(dir);
		return -1;
	}
	links = refused = 0;
	if ((at = walk(AT_FDCWD, dir, &links, &refused)) == -1) {
		free(dir);
		if (refused)
			errx(CASE_EXIT_FATAL, _("%s: a symbolic link of "
			    "another user's on the way; refused"), path);
		return -1;
	}
	fd = openat(at, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(at);
	free(dir);
	return fd;
}

/*
 * How much of the target's name its temporaries carry: all of it if
 * the longest temporary name fits, else its start, so that a name the
 * file system takes is never refused for the temporary's sake.
 */
static int
temp_base_len(const char *base)
{
	/* Its dots, a PID of up to 10 digits and 6 random characters. */
	size_t n = strlen(base), room = NAME_MAX - 3 - 10 - 6;

	return (int)(n < room ? n : room);
}

/*
 * Removes what a killed run left: temporaries ".BASE.PID.XXXXXX" of
 * this target that are regular files of ours and whose process is gone.
 * Only names are removed (unlinkat never follows a link).
 */
static void
sweep(int dirfd, const char *base)
{
	size_t n = (size_t)temp_base_len(base);
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int fd;
	long pid;
	char *end;

	if ((fd = dup(dirfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.' || strncmp(de->d_name + 1, base, n) ||
		    de->d_name[n + 1] != '.')
			continue;
		errno = 0;
		pid = strtol(de->d_name + n + 2, &end, 10);
		if (errno || pid <= 0 || pid > INT_MAX || *end != '.' ||
		    strlen(end + 1) != 6 || pid == getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(sb.st_mode) && sb.st_uid == geteuid())
			unlinkat(dirfd, de->d_name, 0);
	}
	closedir(d);
}

/*
 * A fresh name ".BASE.PID.XXXXXX" in dirfd, copied to name only once
 * it is ours: a new file made there exclusively (its descriptor
 * returned), or, given from, a link made there to the file that from
 * names (0 returned); linkat(2), like O_EXCL, never takes a name that
 * is there.  -1 with errno.
 */
static int
make_temp(int dirfd, const char *base, char *name, size_t size,
    const char *from)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[6];
	char try_name[NAME_MAX + 1];
	int fd, i, len, try;

	len = snprintf(try_name, sizeof try_name, ".%.*s.%ld.",
	    temp_base_len(base), base, (long)getpid());
	if (len < 0 || len + 7 > (int)size || len + 6 > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (try = 0; try < 100; try++) {
		if (getrandom(r, sizeof r, 0) != sizeof r)
			return -1;
		for (i = 0; i < 6; i++)
			try_name[len + i] = set[r[i] % (sizeof set - 1)];
		try_name[len + 6] = '\0';
		if (from != NULL)
			fd = linkat(AT_FDCWD, from, dirfd, try_name,
			    AT_SYMLINK_FOLLOW);
		else
			fd = openat(dirfd, try_name, O_RDWR | O_CREAT |
			    O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd != -1) {
			memcpy(name, try_name, len + 7);
			return fd;
		}
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

/*
 * A new file without a name (O_TMPFILE) in the directory dir names from
 * at, or -1 where the system cannot make one (EISDIR: a kernel without
 * it; EOPNOTSUPP: a file system).  Other errors are fatal, name named.
 */
static int
unnamed(int at, const char *dir, const char *name)
{
	int fd = -1;

#ifdef O_TMPFILE
	if ((fd = openat(at, dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) ==
	    -1 && errno != EISDIR && errno != EOPNOTSUPP)
		err(CASE_EXIT_FATAL, "%s", name);
#else
	(void)at, (void)dir, (void)name;
#endif
	return fd;
}

/* Whether /proc/self/fd/N reaches the file open as fd. */
static int
reachable(int fd)
{
	struct stat a, b;
	char proc[64];

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return fstat(fd, &a) == 0 && stat(proc, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Whether sb is the file of one of this run's standard descriptors. */
static int
is_std(const struct stat *sb)
{
	struct stat fb;
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fstat(fd, &fb) == 0 && fb.st_dev == sb->st_dev &&
		    fb.st_ino == sb->st_ino)
			return 1;
	return 0;
}

/*
 * Starts a new version of path.  The file gets mode (less the umask)
 * and, unless gid is (gid_t)-1, that group; it is not there under its
 * name until case_file_commit().  Errors are fatal, with the path named.
 */
struct case_file *
case_file_open(const char *path, mode_t mode, gid_t gid)
{
	struct case_file *f = case_malloc(sizeof *f);
	struct stat sb;
	mode_t mask = umask(0);

	umask(mask);
	memset(f, 0, sizeof *f);
	f->path = case_strdup(path);
	if ((f->dirfd = open_dir(path, &f->base)) == -1)
		err(CASE_EXIT_FATAL, "%s", path);
	/*
	 * A FIFO or a device (/dev/null), or a link to one or to this
	 * run's own standard input or output (/dev/stdout), is not
	 * replaced by a file.
	 */
	if (fstatat(f->dirfd, f->base, &sb, 0) == 0) {
		if (is_std(&sb))
			errx(CASE_EXIT_FATAL, _("%s: this run's own standard "
			    "input or output; refused"), path);
		if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))
			errx(CASE_EXIT_FATAL, _("%s: not a regular file"),
			    path);
	}
	sweep(f->dirfd, f->base);
	if (pending == NULL) {
		atexit(cleanup);
		signal(SIGHUP, onsignal);
		signal(SIGINT, onsignal);
		signal(SIGTERM, onsignal);
	}
	f->next = pending;
	pending = f;
	/*
	 * Without a name until it is whole (O_TMPFILE), so that a run
	 * killed before then leaves nothing; else named at once.
	 */
	f->fd = unnamed(f->dirfd, ".", path);
	/* It is linked through /proc/self/fd, which a chroot may lack. */
	if (f->fd != -1 && !reachable(f->fd)) {
		close(f->fd);
		f->fd = -1;
	}
	if (f->fd == -1 && (f->fd = make_temp(f->dirfd, f->base, f->tmp,
	    sizeof f->tmp, NULL)) == -1)
		err(CASE_EXIT_FATAL, "%s", path);
	if (gid != (gid_t)-1 && fchown(f->fd, (uid_t)-1, gid) == -1 &&
	    errno != EPERM)
		err(CASE_EXIT_FATAL, "%s", path);
	if (fchmod(f->fd, mode & ~mask & 07777) == -1 ||
	    (f->fp = fdopen(f->fd, "w")) == NULL)
		err(CASE_EXIT_FATAL, "%s", path);
	snprintf(f->proc, sizeof f->proc, "/proc/self/fd/%d", f->fd);
	return f;
}

FILE *
case_file_fp(struct case_file *f)
{
	return f->fp;
}

int
case_file_fd(struct case_file *f)
{
	return f->fd;
}

/*
 * The temporary file by a name that reaches this very file whatever is
 * done to the directory meanwhile, for a library that insists on
 * opening its output itself (libxlsxwriter; SQLite, by db.c's VFS,
 * which does not resolve the link to the file's name).
 */
const char *
case_file_name(struct case_file *f)
{
	return f->proc;
}

static void
unpend(struct case_file *f)
{
	struct case_file **p;

	for (p = &pending; *p != NULL; p = &(*p)->next)
		if (*p == f) {
			*p = f->next;
			break;
		}
	close(f->dirfd);
	free(f->path);
	free(f->base);
	free(f);
}

/* Gives up: the temporary file goes, the target stays as it was. */
void
case_file_abort(struct case_file *f)
{
	int saved = errno;

	if (f->tmp[0] != '\0')
		unlinkat(f->dirfd, f->tmp, 0);
	f->tmp[0] = '\0';
	if (f->fp != NULL)
		fclose(f->fp);
	unpend(f);
	errno = saved;
}

/* Whether name in f's directory is f's file. */
static int
is_ours(struct case_file *f, const char *name, const struct stat *a)
{
	struct stat b;

	return fstatat(f->dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	    a->st_ino == b.st_ino && a->st_dev == b.st_dev;
}

/*
 * Gives up on f, fatally, the path named: after an error (errno), or
 * when the file at its temporary name or the target is replaced by
 * someone else's, which is then left to them.
 */
_Noreturn static void
fail(struct case_file *f, int replaced)
{
	char *path = f->path;

	if (replaced)
		f->tmp[0] = '\0';
	else if (errno == 0)
		errno = EIO;
	f->path = NULL;
	case_file_abort(f);
	if (replaced)
		errx(CASE_EXIT_FATAL, _("%s: replaced by another file while "
		    "being written; not written"), path);
	err(CASE_EXIT_FATAL, "%s", path);
}

/*
 * Readies f to be put in place: flushed, on disk and named, all that a
 * full disk can fail; a program that puts two files in place (a
 * report's text and page) readies both before it renames either, so
 * that it changes both or neither.  Any failure is fatal after the
 * temporary file is removed, as case_file_commit()'s.
 */
void
case_file_ready(struct case_file *f)
{
	if (f->ready)
		return;
	/* A write that failed left its reason (ENOSPC) in errno. */
	if (fflush(f->fp) == EOF || ferror(f->fp))
		fail(f, 0);
	errno = 0;
	if (fsync(f->fd) == -1 || fstat(f->fd, &f->sb) == -1 ||
	    (f->tmp[0] == '\0' && make_temp(f->dirfd, f->base, f->tmp,
	    sizeof f->tmp, f->proc) == -1))
		fail(f, 0);
	f->ready = 1;
}

/*
 * Puts the new version in place: readied first (case_file_ready()),
 * then renamed over the target; the temporary name must be this file
 * before (not one put there by someone else, which would then replace
 * the target), and the target after.  Any failure is fatal after the
 * temporary file is removed, so that the old target stays.
 */
void
case_file_commit(struct case_file *f)
{
	char *path = f->path;

	case_file_ready(f);
	errno = 0;
	if (!is_ours(f, f->tmp, &f->sb))
		fail(f, 1);
	if (renameat(f->dirfd, f->tmp, f->dirfd, f->base) == -1)
		fail(f, 0);
	if (!is_ours(f, f->base, &f->sb))
		fail(f, 1);
	fsync(f->dirfd);	/* the rename itself, on disk */
	f->tmp[0] = '\0';
	f->path = NULL;
	if (fclose(f->fp) == EOF) {
		f->fp = NULL;
		unpend(f);
		err(CASE_EXIT_FATAL, "%s", path);
	}
	f->fp = NULL;
	unpend(f);
	free(path);
}

/*
 * A file of this run's alone, in TMPDIR (else /tmp), for what must wait
 * (rows, a converted export): never named where the file system can do
 * that (O_TMPFILE), else named only until it is open, so that nothing
 * of it (reporters' names) stays behind however the run ends.  Errors
 * are fatal, the directory named.
 */
FILE *
case_tmpfile(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path = NULL;
	FILE *fp;
	int fd;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((fd = unnamed(AT_FDCWD, tmp, tmp)) == -1) {
		if (asprintf(&path, "%s/%s.XXXXXX", tmp,
		    program_invocation_short_name) == -1)
			err(CASE_EXIT_FATAL, "asprintf");
		if ((fd = mkstemp(path)) == -1 || unlink(path) == -1)
			err(CASE_EXIT_FATAL, "%s", path);
	}
	if ((fp = fdopen(fd, "w+")) == NULL)
		err(CASE_EXIT_FATAL, "%s", path != NULL ? path : tmp);
	free(path);
	return fp;
}

/* The process that holds a lock on the file open as fd, from /proc/locks. */
static void
holder(int fd, char *buf, size_t size)
{
	struct stat sb;
	char line[256], comm[64], p[64];
	unsigned maj, min;
	unsigned long ino;
	long pid;
	FILE *fp;
	size_t n;

	buf[0] = '\0';
	if (fstat(fd, &sb) == -1 || (fp = fopen("/proc/locks", "re")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		char *s = strstr(line, "FLOCK");

		if (s == NULL || sscanf(s, "FLOCK %*s %*s %ld %x:%x:%lu", &pid,
		    &maj, &min, &ino) != 4 || ino != sb.st_ino || pid <= 0 ||
		    pid == getpid())
			continue;
		snprintf(p, sizeof p, "/proc/%ld/comm", pid);
		comm[0] = '\0';
		if ((fp = freopen(p, "re", fp)) != NULL &&
		    fgets(comm, sizeof comm, fp) != NULL) {
			n = strcspn(comm, "\n");
			comm[n] = '\0';
		}
		snprintf(buf, size, _(" by process %ld%s%s%s"), pid,
		    comm[0] ? " (" : "", comm, comm[0] ? ")" : "");
		break;
	}
	if (fp != NULL)
		fclose(fp);
}

/*
 * Takes an exclusive lock on path, waiting at most wait seconds (0: not
 * at all).  The lock file is created if missing, never through a
 * symlink, and must be a regular file with one link: a planted FIFO,
 * device or hard link is refused.  Nothing is ever written to it.  A
 * lock that cannot be had is fatal, naming the process that holds it
 * where /proc tells.  The descriptor stays open until the program ends.
 */
int
case_lock(const char *path, int wait)
{
	struct stat sb;
	struct timespec t;
	char who[128];
	int fd, tries;

	fd = open(path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC | O_NOCTTY, 0644);
	if (fd == -1)
		err(CASE_EXIT_FATAL, "%s", path);
	if (fstat(fd, &sb) == -1)
		err(CASE_EXIT_FATAL, "%s", path);
	if (!S_ISREG(sb.st_mode) || sb.st_nlink != 1)
		errx(CASE_EXIT_FATAL, _("%s: not a plain lock file (%s); "
		    "remove it"), path, !S_ISREG(sb.st_mode) ?
		    _("not a regular file") : _("it has other links"));
	/* Ten tries a second: flock(2) has no timeout of its own. */
	for (tries = 0; flock(fd, LOCK_EX | LOCK_NB) == -1; tries++) {
		if (errno != EWOULDBLOCK)
			err(CASE_EXIT_FATAL, "%s", path);
		if (tries >= wait * 10) {
			holder(fd, who, sizeof who);
			errx(CASE_EXIT_FATAL, _("%s: locked%s; gave up "
			    "after %d s"), path, who, wait);
		}
		t.tv_sec = 0;
		t.tv_nsec = 100000000;
		nanosleep(&t, NULL);
	}
	return fd;
}

/*
 * SQLite opens a database's -wal, -shm and -journal files by name, and
 * would write into whatever is there: in a shared directory, a hard link
 * to someone's file, a symlink or a FIFO planted at one of those names is
 * refused before the database is opened.
 */
void
case_file_sides(const char *db)
{
	static const char *side[] = { "-wal", "-shm", "-journal" };
	struct stat sb;
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof side / sizeof side[0]; i++) {
		if (snprintf(path, sizeof path, "%s%s", db, side[i]) >=
		    (int)sizeof path || lstat(path, &sb) == -1)
			continue;
		if (!S_ISREG(sb.st_mode) || sb.st_nlink != 1)
			errx(CASE_EXIT_FATAL, _("%s: not a plain file (%s); "
			    "remove it"), path, S_ISLNK(sb.st_mode) ?
			    _("a symbolic link") : !S_ISREG(sb.st_mode) ?
			    _("not a regular file") : _("it has other links"));
	}
}
