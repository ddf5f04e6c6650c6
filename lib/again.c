/* again.c - running a program again from the start, as if for the first time */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"

/*
 * A writer whose server goes away in the middle of its one transaction
 * has written nothing: the server rolls back what it did not see
 * committed.  The run can then be made again whole, by executing the
 * program anew with the same arguments, provided that nothing of the
 * first attempt got out.  Its input must be there to read again (not
 * read at all, or a file that can be rewound), and its output must not
 * have left: while a transaction is open, standard output goes to an
 * anonymous file, handed on at the commit and dropped when the run is
 * made again.  So a case is never reported that was not committed, nor
 * reported twice.
 */
static char **args;		/* main()'s argv, as it was given */
static char exe[4096];		/* the program's file */
static double until;		/* CASE_AGAIN_UNTIL, taken from the environment */
static off_t stdin_at = -1;	/* where a rewindable standard input began */
static int stdin_read;		/* read from, and cannot be rewound */
static int stdout_tty = -1;
static int held = -1, saved = -1;	/* the anonymous file, fd 1's own */

/* Called by case_init_prog(), before anything is read or written. */
void
case_again_init(char **argv)
{
	struct stat st;
	const char *s;
	ssize_t n;
	int i, argc;

	case_stdout_tty();
	if (argv == NULL)
		return;
	/* Before getopt_long(3) reorders it. */
	for (argc = 0; argv[argc] != NULL; argc++)
		;
	args = case_reallocarray(NULL, argc + 1, sizeof *args);
	for (i = 0; i < argc; i++)
		args[i] = case_strdup(argv[i]);
	args[argc] = NULL;
	if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode))
		stdin_at = lseek(STDIN_FILENO, 0, SEEK_CUR);
	/* Its name, as valgrind and ASan would have it too. */
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0 ||
	    (size_t)n >= sizeof exe - 1)
		exe[0] = '\0';
	else
		exe[n] = '\0';
	/* Not for the programs this one may start. */
	if ((s = getenv("CASE_AGAIN_UNTIL")) != NULL) {
		until = atof(s);
		unsetenv("CASE_AGAIN_UNTIL");
	}
}

/* Standard input, for a reader of it: noted, as it cannot be unread. */
FILE *
case_stdin(void)
{
	if (stdin_at == -1)
		stdin_read = 1;
	return stdin;
}

/*
 * Whether standard output is a terminal, asked before any of it can be
 * held back (main() may ask before case_init_prog()).
 */
int
case_stdout_tty(void)
{
	if (stdout_tty == -1)
		stdout_tty = isatty(STDOUT_FILENO);
	return stdout_tty;
}

/* What was held back in the file open as fd, to standard output; closes fd. */
void
case_fd_out(int fd)
{
	char buf[65536];
	ssize_t n, w, k;
	off_t at = 0;

	while ((n = pread(fd, buf, sizeof buf, at)) > 0) {
		for (k = 0; k < n; k += w)
			if ((w = write(STDOUT_FILENO, buf + k, n - k)) <= 0)
				err(CASE_EXIT_FATAL, "stdout");
		at += n;
	}
	if (n == -1)
		err(CASE_EXIT_FATAL, "stdout");
	close(fd);
}

static void
hand_on(void)
{
	if (held == -1)
		return;
	if (fflush(stdout) == EOF)
		err(CASE_EXIT_FATAL, "stdout");
	if (dup2(saved, STDOUT_FILENO) == -1)
		err(CASE_EXIT_FATAL, "dup2");
	close(saved);
	saved = -1;
	case_fd_out(held);
	held = -1;
}

/* Whatever ends the program, what it printed leaves as it would have. */
static void
at_exit(void)
{
	hand_on();
}

/* From the start of a transaction: standard output is held back. */
void
case_stdout_hold(void)
{
	static int registered;

	if (held != -1)
		return;
	if (fflush(stdout) == EOF)
		err(CASE_EXIT_FATAL, "stdout");
	if ((held = memfd_create("casekit-stdout", MFD_CLOEXEC)) == -1)
		err(CASE_EXIT_FATAL, "memfd_create");
	if ((saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) == -1) {
		/* A closed standard output: nothing to hold back. */
		close(held);
		held = -1;
		return;
	}
	if (dup2(held, STDOUT_FILENO) == -1)
		err(CASE_EXIT_FATAL, "dup2");
	if (!registered && atexit(at_exit) == 0)
		registered = 1;
}

/* At its end, committed or not: what was held back goes out. */
void
case_stdout_release(void)
{
	hand_on();
}

/*
 * The program again, from the start, if nothing of this run has left
 * it and it can read its input again; end is when the whole run must
 * give up (CLOCK_MONOTONIC's seconds, the same after exec), passed on
 * in CASE_AGAIN_UNTIL.  It returns only if the run cannot be made
 * again, saying why.
 */
const char *
case_again(double end)
{
	char v[64];
	const char *why;

	if (stdin_read)
		return _("its standard input was read and cannot be read again");
	if (args == NULL || exe[0] == '\0' || held == -1)
		return _("its output is not held back");
	if (stdin_at != -1 && lseek(STDIN_FILENO, stdin_at, SEEK_SET) == -1)
		return strerror(errno);
	snprintf(v, sizeof v, "%.3f", end);
	if (setenv("CASE_AGAIN_UNTIL", v, 1) == -1 ||
	    dup2(saved, STDOUT_FILENO) == -1)
		return strerror(errno);
	execv(exe, args);
	why = strerror(errno);
	/* The output as it was, for the error that follows. */
	dup2(held, STDOUT_FILENO);
	return why;
}

/* When a run made again must give up: 0 for a first run. */
double
case_again_until(void)
{
	return until;
}
