/*
 * attach.c - attachments (case-attach): reading a file as it is to be
 * kept, its type by its first bytes, the checks on its name, and
 * reading attachments back for case-show and --get.  The writing is
 * cases.c's (case_attach), beside the event that names it.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"

/*
 * The types kept, by the bytes they begin with (never by the name,
 * which says what the sender called it): a phone's photos (JPEG, HEIC,
 * PNG, WebP, GIF), a scanned or signed agreement (PDF), and plain
 * UTF-8 text.  Anything else (an office document, an archive, a
 * program) is refused: it cannot be checked by its look, and a reader
 * of the case would open it.
 */
static int
is_heic(const unsigned char *p, size_t n)
{
	static const char *const brands[] = { "heic", "heix", "heim",
	    "heis", "hevc", "hevx", "mif1", "msf1" };
	size_t i;

	if (n < 12 || memcmp(p + 4, "ftyp", 4) != 0)
		return 0;
	for (i = 0; i < sizeof brands / sizeof brands[0]; i++)
		if (memcmp(p + 8, brands[i], 4) == 0)
			return 1;
	return 0;
}

/* Text: UTF-8 with no control character but tab, CR, LF and FF. */
static int
is_text(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r' && p[i] != '\f') || p[i] == 0x7f)
			return 0;
	return case_utf8_valid((const char *)p, n);
}

/* The MIME type of the content, or NULL if it is not of a kept type. */
const char *
case_attach_type(const unsigned char *p, size_t n)
{
	if (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 ||
	    memcmp(p, "GIF89a", 6) == 0))
		return "image/gif";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 &&
	    memcmp(p + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (is_heic(p, n))
		return "image/heic";
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (is_text(p, n))
		return "text/plain";
	return NULL;
}

/*
 * The largest attachment: CASE_ATTACH_MAX bytes (a number, or with K
 * or M after it, KiB or MiB), at most CASE_ATTACH_LIMIT; by default
 * CASE_ATTACH_DEFAULT.  A bad value is fatal.
 */
size_t
case_attach_max(void)
{
	const char *v = getenv("CASE_ATTACH_MAX"), *errstr;
	char num[32];
	size_t len, mult = 1;
	long long n;

	if (v == NULL || *v == '\0')
		return CASE_ATTACH_DEFAULT;
	len = strlen(v);
	if (len < sizeof num && (v[len - 1] == 'K' || v[len - 1] == 'k'))
		mult = 1024, len--;
	else if (len < sizeof num && (v[len - 1] == 'M' || v[len - 1] == 'm'))
		mult = 1024 * 1024, len--;
	if (len == 0 || len >= sizeof num)
		errx(CASE_EXIT_FATAL, _("CASE_ATTACH_MAX: not a size -- %s"),
		    case_esc(v));
	memcpy(num, v, len);
	num[len] = '\0';
	n = case_strtonum(num, 1, CASE_ATTACH_LIMIT, &errstr);
	if (errstr != NULL || (size_t)n * mult > CASE_ATTACH_LIMIT)
		errx(CASE_EXIT_FATAL, _("CASE_ATTACH_MAX: not a size from 1 "
		    "byte to %d MiB -- %s"), CASE_ATTACH_LIMIT / (1024 * 1024),
		    case_esc(v));
	return (size_t)n * mult;
}

/*
 * Why a name is not one to keep, or NULL: it is shown, typed back to
 * --get and exported, so UTF-8 on one line, without a slash, of at most
 * CASE_ATTACH_NAME_MAX bytes.
 */
const char *
case_attach_name_check(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t n = strlen(name), k;
	unsigned long c;

	if (n == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return _("not a file name");
	if (n > CASE_ATTACH_NAME_MAX)
		return _("name longer than 255 bytes");
	while (n > 0) {
		if ((k = case_utf8_seq(p, n, &c)) == 0)
			return _("name is not UTF-8");
		if (c < 0x20 || (c >= 0x7f && c < 0xa0))
			return _("name has a control character");
		if (c == '/')
			return _("name has a slash");
		p += k;
		n -= k;
	}
	return NULL;
}

/* The last part of a path, as the name an attachment is kept under. */
const char *
case_attach_basename(const char *path)
{
	const char *s;
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	for (s = path + n; s > path && s[-1] != '/'; s--)
		;
	return s;
}

/*
 * Reads the file at path whole into b (b->data the caller frees), if it
 * is a regular file of at most max bytes of a kept type; else says why
 * in why and returns -1.  A path the user names may be a link (it is
 * theirs to name), but not a FIFO or a device, which could block or
 * never end: it is opened without waiting and checked once open.  A
 * file that grows while read is still read no further than max.
 */
int
case_attach_read(const char *path, size_t max, struct case_blob *b,
    char *why, size_t whysize)
{
	struct stat sb;
	size_t cap, n = 0;
	ssize_t r;
	int fd, e;

	memset(b, 0, sizeof *b);
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) ==
	    -1) {
		snprintf(why, whysize, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		e = errno;
		snprintf(why, whysize, "%s", strerror(e));
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(why, whysize, "%s", S_ISDIR(sb.st_mode) ?
		    strerror(EISDIR) : _("not a regular file"));
		close(fd);
		return -1;
	}
	if ((uintmax_t)sb.st_size > max)
		goto toobig;
	cap = sb.st_size > 0 ? (size_t)sb.st_size + 1 : 4096;
	if (cap > max + 1)
		cap = max + 1;
	b->data = case_malloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap > max)
				break;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			b->data = case_reallocarray(b->data, cap, 1);
		}
		if ((r = read(fd, b->data + n, cap - n)) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(why, whysize, "%s", strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += r;
	}
	if (n > max)
		goto toobig;
	close(fd);
	fd = -1;
	if (n == 0) {
		snprintf(why, whysize, "%s", _("empty file"));
		goto fail;
	}
	if ((b->type = case_attach_type(b->data, n)) == NULL) {
		snprintf(why, whysize, "%s", _("not a type kept (JPEG, PNG, "
		    "GIF, WebP, HEIC, PDF or UTF-8 text, known by their first "
		    "bytes)"));
		goto fail;
	}
	b->size = n;
	case_sha256_hex(b->data, n, b->hash);
	return 0;
toobig:
	snprintf(why, whysize, _("larger than %zu bytes (CASE_ATTACH_MAX)"),
	    max);
fail:
	if (fd != -1)
		close(fd);
	free(b->data);
	b->data = NULL;
	return -1;
}

/* case-show's list: name, size, type and hash, by name. */
void
case_attachments_show(struct case_db *db, long long id, FILE *fp)
{
	struct case_stmt *st = case_prepare(db, q_attach_list);
	int any = 0;

	case_bind_int(st, ":id", id);
	while (case_step(st) == CASE_ROW) {
		if (!any++)
			fputs(_("attachments\n"), fp);
		fputs("    ", fp);
		case_escape_ctl(fp, case_col_text(st, 0));
		fprintf(fp, "  %lld  %s  sha256:%s\n", case_col_int(st, 1),
		    case_col_text(st, 2), case_col_text(st, 3));
	}
}

/*
 * Writes the bytes case id keeps under name to fd, checked against
 * their SHA-256 first; to a terminal (tty) only text.  0 if written,
 * -1 if the case has no attachment of that name.  Never a file of its
 * own: only the descriptor it is given.
 */
int
case_attach_get(struct case_db *db, long long id, const char *name, int fd,
    int tty)
{
	struct case_stmt *st = case_prepare(db, q_attach_get);
	const unsigned char *p;
	char hex[65];
	int len;
	ssize_t w;

	case_bind_int(st, ":id", id);
	case_bind_text(st, ":name", name);
	if (case_step(st) != CASE_ROW)
		return -1;
	p = case_col_bytes(st, 0, &len);
	case_sha256_hex(p, (size_t)len, hex);
	if (strcmp(hex, case_col_text(st, 2)) != 0)
		errx(CASE_EXIT_FATAL, _("%lld: %s: the bytes kept do not "
		    "match their SHA-256 %s"), id, case_esc(name),
		    case_col_text(st, 2));
	if (tty && strcmp(case_col_text(st, 1), "text/plain") != 0)
		errx(CASE_EXIT_FATAL, _("--get: standard output is a terminal "
		    "and %s is %s: redirect it to a file"), case_esc(name),
		    case_col_text(st, 1));
	while (len > 0) {
		if ((w = write(fd, p, (size_t)len)) == -1) {
			if (errno == EINTR)
				continue;
			err(CASE_EXIT_FATAL, _("standard output"));
		}
		p += w;
		len -= (int)w;
	}
	return 0;
}
