/* job.c - what the cron programs share: siblings, child programs, the log */
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "case.h"

static int logged;		/* a failure is in the log already */

/* A job that fails says why in the log, whatever the way out. */
static void
atfail(int status, void *arg)
{
	char *said = case_strdup(case_stderr_said());
	size_t n = strlen(said);

	(void)arg;
	while (n > 0 && said[n - 1] == '\n')
		said[--n] = '\0';
	if (status != 0 && !logged && n > 0) {
		logged = 1;
		case_job_log("err", "%s", said);
	}
	free(said);
}

/*
 * Called by the cron programs after case_init_prog(): what they write
 * on standard error (err(3) included) also goes to the log if they
 * exit with a failure, so that the log always holds the true reason.
 */
void
case_job_init(void)
{
	on_exit(atfail, NULL);
}

/*
 * The program name to run: the one installed beside this program if
 * there is one, so that a cron job never runs another version's tool
 * found first in PATH; else the name itself, for PATH.  A new string.
 */
char *
case_job_sibling(const char *name)
{
	char buf[PATH_MAX], self[PATH_MAX];
	ssize_t n;
	char *slash;

	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		return case_strdup(name);
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return case_strdup(name);
	*slash = '\0';
	if (snprintf(buf, sizeof buf, "%s/%s", self, name) >= (int)sizeof buf ||
	    access(buf, X_OK) == -1)
		return case_strdup(name);
	return case_strdup(buf);
}

/* Appends what fd has to *buf; 0 at its end. */
static ssize_t
drain(int fd, char **buf, size_t *len)
{
	char chunk[65536];
	ssize_t n;

	if ((n = read(fd, chunk, sizeof chunk)) > 0) {
		*buf = case_reallocarray(*buf, *len + n + 1, 1);
		memcpy(*buf + *len, chunk, n);
		*len += n;
		(*buf)[*len] = '\0';
	}
	return n;
}

/*
 * Runs argv with in (may be NULL) on its standard input, and collects
 * its standard output and error in *out and *errs (NUL-terminated, never
 * NULL).  Returns its exit status, or 128 + the signal that ended it.
 */
int
case_job_run(char *const argv[], const char *in, char **out, char **errs)
{
	int pin[2], pout[2], perr[2], status;
	size_t inlen = in ? strlen(in) : 0, olen = 0, elen = 0, done = 0;
	struct pollfd p[3];
	pid_t pid;
	ssize_t n;

	*out = case_strdup("");
	*errs = case_strdup("");
	if (pipe2(pin, O_CLOEXEC) == -1 || pipe2(pout, O_CLOEXEC) == -1 ||
	    pipe2(perr, O_CLOEXEC) == -1)
		err(CASE_EXIT_FATAL, "pipe");
	fflush(NULL);
	if ((pid = fork()) == -1)
		err(CASE_EXIT_FATAL, "fork");
	if (pid == 0) {
		if (dup2(pin[0], 0) == -1 || dup2(pout[1], 1) == -1 ||
		    dup2(perr[1], 2) == -1)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		dprintf(2, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	if (inlen == 0) {
		close(pin[1]);
		pin[1] = -1;
	}
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		p[0].fd = pout[0], p[0].events = POLLIN;
		p[1].fd = perr[0], p[1].events = POLLIN;
		p[2].fd = pin[1], p[2].events = POLLOUT;
		if (p[0].fd == -1 && p[1].fd == -1)
			break;
		if (poll(p, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			err(CASE_EXIT_FATAL, "poll");
		}
		if (p[0].revents && drain(pout[0], out, &olen) <= 0)
			close(pout[0]), pout[0] = -1;
		if (p[1].revents && drain(perr[0], errs, &elen) <= 0)
			close(perr[0]), perr[0] = -1;
		if (p[2].revents) {
			n = write(pin[1], in + done, inlen - done);
			if (n > 0)
				done += n;
			if (n <= 0 || done == inlen)
				close(pin[1]), pin[1] = -1;
		}
	}
	if (pin[1] != -1)
		close(pin[1]);
	signal(SIGPIPE, SIG_DFL);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			err(CASE_EXIT_FATAL, "waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
}

/*
 * One line to the log: syslog(3) under the program's name, or through
 * $CASE_LOGGER (a logger(1) stand-in: -t tag -p user.LEVEL -- text).
 * Control characters in the text are escaped, so a log line is one line.
 */
void
case_job_log(const char *level, const char *fmt, ...)
{
	static const struct { const char *name; int pri; } lv[] = {
		{ "err", LOG_ERR }, { "notice", LOG_NOTICE },
		{ "info", LOG_INFO }, { "warning", LOG_WARNING }
	};
	char *raw, *msg, *o, *e, pri[32];
	const char *logger = getenv("CASE_LOGGER");
	va_list ap;
	size_t i;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(&raw, fmt, ap) == -1)
		err(CASE_EXIT_FATAL, "vasprintf");
	va_end(ap);
	msg = case_esc_dup(raw);
	free(raw);
	if (logger != NULL && *logger != '\0') {
		char *argv[] = { (char *)logger, "-t",
		    program_invocation_short_name, "-p", pri, "--", msg, NULL };

		snprintf(pri, sizeof pri, "user.%s", level);
		rc = case_job_run(argv, NULL, &o, &e);
		if (rc != 0)
			warnx(_("%s: exit %d: %s"), logger, rc, e);
		free(o);
		free(e);
	} else {
		for (i = 0; i < sizeof lv / sizeof lv[0] - 1; i++)
			if (strcmp(level, lv[i].name) == 0)
				break;
		openlog(program_invocation_short_name, LOG_PID, LOG_USER);
		syslog(lv[i].pri, "%s", msg);
		closelog();
	}
	free(msg);
}

/*
 * What a child program said on standard error (or, if nothing, its exit
 * status): to the log at level err, with what ran, and to our standard
 * error as it was, so that cron mails it.
 */
void
case_job_report(const char *what, int rc, const char *errs)
{
	size_t n = strlen(errs);
	char *one = case_malloc(n + 64);

	memcpy(one, errs, n + 1);
	while (n > 0 && one[n - 1] == '\n')
		one[--n] = '\0';
	if (n == 0)
		snprintf(one, 64, _("exit status %d"), rc);
	case_job_log("err", _("%s failed: %s"), what, one);
	logged = 1;
	if (errs[0] != '\0')
		fputs(errs, stderr);
	else
		warnx(_("%s failed: %s"), what, one);
	free(one);
}

/* A failed child program: said, then exit 2, the job failed. */
_Noreturn void
case_job_fail(const char *what, int rc, const char *errs)
{
	case_job_report(what, rc, errs);
	exit(CASE_EXIT_FATAL);
}

/* The -w/--wait of a job: seconds to wait for its lock, 0 to a day. */
int
case_job_wait(const char *arg)
{
	const char *e;
	int n = (int)case_strtonum(arg, 0, 86400, &e);

	if (e != NULL)
		errx(CASE_EXIT_FATAL, "--wait: %s -- %s", _(e), case_esc(arg));
	return n;
}
