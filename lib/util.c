/* util.c - program name, checked allocation, numbers, actors, UTF-8 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include "case.h"

/*
 * Called first by every main().  glibc's err(3) already names the program
 * after argv[0]; what is left is to make sure no locale setting can change
 * how numbers and times are printed in data meant for scripts.
 */
/*
 * A zone file, as glibc reads it: a regular file that starts "TZif".
 * Anything else (a directory, /etc/passwd) it silently takes as UTC.
 */
static int
is_zone_file(const char *path)
{
	struct stat sb;
	char magic[4];
	int fd, ok;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return 0;
	ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	    memcmp(magic, "TZif", sizeof magic) == 0;
	close(fd);
	return ok;
}

/*
 * TZ must name a zone: a file of the zone database (Asia/Shanghai), or a
 * POSIX rule, a name of three letters or more (or <+08>) and an offset
 * (CST-8).  glibc takes anything else for UTC without a word.
 */
static void
check_tz(void)
{
	const char *tz = getenv("TZ"), *p, *dir;
	char path[4096];

	/*
	 * Unset, glibc reads /etc/localtime again (a stat at the least)
	 * on every mktime() and localtime(): a night's escalation spent
	 * a tenth of its CPU time there.  Named, the zone is read once.
	 */
	if (tz == NULL) {
		if (access("/etc/localtime", R_OK) == 0 &&
		    setenv("TZ", ":/etc/localtime", 1) == -1)
			err(CASE_EXIT_FATAL, "setenv");
		return;
	}
	if (*tz == '\0')
		return;
	p = *tz == ':' ? tz + 1 : tz;
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if (*p == '/' ? is_zone_file(p) : strstr(p, "..") == NULL &&
	    snprintf(path, sizeof path, "%s/%s", dir, p) < (int)sizeof path &&
	    is_zone_file(path))
		return;
	if (*p == '<') {
		if ((p = strchr(p, '>')) != NULL)
			p++;
	} else {
		while (p != NULL && ((*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z')))
			p++;
		if (p - (*tz == ':' ? tz + 1 : tz) < 3)
			p = NULL;
	}
	if (p != NULL && (*p == '+' || *p == '-'))
		p++;
	if (p == NULL || *p < '0' || *p > '9')
		errx(CASE_EXIT_FATAL, _("TZ: unknown time zone -- %s"),
		    case_esc(tz));
}

static char said[4096];		/* the start of what went to stderr */
static size_t nsaid;

/*
 * Standard error as the programs write it, with every control character
 * but newline and TAB, and every byte that is not UTF-8, made a visible
 * escape (\x1b), so that no message echoing hostile input can move the
 * cursor or retitle a terminal.  Messages that echo input also escape
 * newlines themselves (case_esc).  The first 4 kB are kept for the log
 * of a failed cron job.
 */
static ssize_t
stderr_write(void *cookie, const char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)buf;
	char out[8192];
	size_t i = 0, o = 0, len, k;
	unsigned long c;
	ssize_t w;

	(void)cookie;
	case_progress_break();
	k = n < sizeof said - 1 - nsaid ? n : sizeof said - 1 - nsaid;
	memcpy(said + nsaid, buf, k);
	nsaid += k;
	said[nsaid] = '\0';
	while (i < n) {
		len = case_utf8_seq(p + i, n - i, &c);
		if (len == 0 || (c < 0x20 && c != '\n' && c != '\t') ||
		    (c >= 0x7f && c <= 0x9f)) {
			o += snprintf(out + o, sizeof out - o, "\\x%02x", p[i]);
			len = 1;
		} else {
			memcpy(out + o, p + i, len);
			o += len;
		}
		i += len;
		if (o > sizeof out - 16 || i == n) {
			for (k = 0; k < o; k += w)
				if ((w = write(STDERR_FILENO, out + k, o - k)) <= 0)
					return -1;
			o = 0;
		}
	}
	return n;
}

const char *
case_stderr_said(void)
{
	return said;
}

/*
 * argv, if not NULL, is main's: getopt(3) names the program by argv[0],
 * err(3) by its last component; both say the same with argv[0] made that
 * component, however the program was started (a full path from cron, a
 * wrapper such as valgrind).
 */
void
case_init_prog(char **argv)
{
	cookie_io_functions_t io = { NULL, stderr_write, NULL, NULL };
	const char *dir;
	FILE *fp;
	int fd;

	/*
	 * A standard descriptor the caller closed (<&-, >&-) is held by
	 * /dev/null opened the wrong way: no file opened later takes its
	 * number (and the IDs read or the output written), and reading or
	 * writing it still fails, with EBADF.
	 */
	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) != fd)
			_exit(CASE_EXIT_FATAL);
	case_again_init(argv);
	if (argv != NULL && argv[0] != NULL)
		argv[0] = program_invocation_short_name;
	if ((fp = fopencookie(NULL, "w", io)) != NULL) {
		setvbuf(fp, NULL, _IONBF, 0);
		stderr = fp;
	}
	/*
	 * Numbers, times and classes of characters stay the C locale's
	 * whatever the user's: only messages follow LANG or LC_MESSAGES,
	 * in UTF-8.  CASEKIT_LOCALEDIR points the tests at the tree's own
	 * catalogues.
	 */
	setlocale(LC_ALL, "C");
	setlocale(LC_MESSAGES, "");
	if ((dir = getenv("CASEKIT_LOCALEDIR")) == NULL || *dir == '\0')
		dir = CASE_LOCALEDIR;
	bindtextdomain("casekit", dir);
	bind_textdomain_codeset("casekit", "UTF-8");
	/* The C library's own messages (getopt, strerror) in UTF-8 too. */
	bind_textdomain_codeset("libc", "UTF-8");
	textdomain("casekit");
	check_tz();
	/*
	 * A file-size limit (ulimit -f) must fail a write with EFBIG, and
	 * so exit 2 with a message, rather than kill the program silently.
	 */
	signal(SIGXFSZ, SIG_IGN);
}

void *
case_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		err(CASE_EXIT_FATAL, "malloc");
	return p;
}

void *
case_reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		err(CASE_EXIT_FATAL, "realloc");
	}
	if ((p = realloc(p, (n * size) != 0 ? n * size : 1)) == NULL)
		err(CASE_EXIT_FATAL, "realloc");
	return p;
}

char *
case_strdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		err(CASE_EXIT_FATAL, "strdup");
	return p;
}

/* OpenBSD's strtonum(3), which glibc lacks: base 10, whole string. */
long long
case_strtonum(const char *s, long long min, long long max, const char **errstr)
{
	char *end;
	long long v;

	*errstr = NULL;
	if (*s == '\0' || *s == ' ' || *s == '\t' || *s == '+') {
		*errstr = N_("invalid");
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		*errstr = N_("invalid");
	else if ((errno == ERANGE && v == LLONG_MIN) || v < min)
		*errstr = N_("too small");
	else if ((errno == ERANGE && v == LLONG_MAX) || v > max)
		*errstr = N_("too large");
	return *errstr ? 0 : v;
}

static const char *
user_name(uid_t uid)
{
	static char num[32];
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		return pw->pw_name;
	snprintf(num, sizeof num, "%lu", (unsigned long)uid);
	return num;
}

/* The actor named in events: --actor, $CASE_ACTOR, else the login name. */
const char *
case_actor(const char *opt)
{
	const char *s;

	if (opt != NULL && *opt != '\0')
		return opt;
	if ((s = getenv("CASE_ACTOR")) != NULL && *s != '\0')
		return s;
	/* getlogin() fails under cron, which is where most writers run. */
	return case_osuser();
}

/* The operating-system user, which unlike the actor a script cannot choose. */
const char *
case_osuser(void)
{
	static char name[64];

	if (name[0] == '\0')
		snprintf(name, sizeof name, "%s", user_name(getuid()));
	return name;
}

/* Length of the UTF-8 sequence at s (at most n bytes), 0 if invalid. */
size_t
case_utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

int
case_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t len;

	while (n > 0) {
		if ((len = case_utf8_seq(p, n, &cp)) == 0)
			return 0;
		p += len;
		n -= len;
	}
	return 1;
}

/* East Asian Wide and Fullwidth ranges: two terminal cells each. */
static int
wide(unsigned long c)
{
	return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) ||
	    (c >= 0x3041 && c <= 0x33ff) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f680 && c <= 0x1f6ff) || (c >= 0x1f900 && c <= 0x1f9ff) ||
	    (c >= 0x1fa70 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd);
}

/*
 * Terminal cells taken by s as out.c prints it: Chinese characters count
 * two, combining marks none, and an invalid byte one (it is printed as
 * an escape of its own width by the caller before this is asked).
 */
int
case_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	unsigned long c;
	int w = 0;

	while (n > 0) {
		if ((len = case_utf8_seq(p, n, &c)) == 0)
			len = 1, c = '?';
		/* Combining marks, joiners, variation selectors: none. */
		if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200d) ||
		    (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe00 && c <= 0xfe0f) ||
		    c == 0xfeff)
			;
		else
			w += wide(c) ? 2 : 1;
		p += len;
		n -= len;
	}
	return w;
}

void
case_version(void)
{
	printf("%s (casekit) %s\n", program_invocation_short_name,
	    CASE_VERSION);
	case_finish_stdout();
	exit(CASE_EXIT_OK);
}

/* A full disk or a closed pipe must not pass for success. */
void
case_finish_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		err(CASE_EXIT_FATAL, "stdout");
}

/* After a usage text: asked for (-h), it must have been written. */
_Noreturn void
case_usage_exit(int status)
{
	if (status == 0)
		case_finish_stdout();
	exit(status);
}

/* The first n characters of UTF-8 text s, as a new string. */
char *
case_utf8_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, c;
	unsigned long cp;
	char *out;

	for (c = 0; c < n && i < len; c++) {
		size_t k = case_utf8_seq(p + i, len - i, &cp);

		i += k ? k : 1;
	}
	out = case_malloc(i + 1);
	memcpy(out, s, i);
	out[i] = '\0';
	return out;
}

/* s with its control characters and invalid bytes made visible, new. */
char *
case_esc_dup(const char *s)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp;

	if ((fp = open_memstream(&buf, &size)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	case_escape_ctl(fp, s != NULL ? s : "");
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	return buf;
}

/*
 * The same for an error message that echoes input (a terminal must not
 * obey an escape sequence in a bad code): the last four results stay
 * valid, so that one message may show several.
 */
const char *
case_esc(const char *s)
{
	static char *ring[4];
	static int i;

	i = (i + 1) % 4;
	free(ring[i]);
	ring[i] = case_esc_dup(s);
	return ring[i];
}
