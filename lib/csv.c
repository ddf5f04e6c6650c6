/* csv.c - a strict, streaming RFC 4180 reader on top of libcsv */
#include <csv.h>
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/*
 * libcsv pushes fields to callbacks; the programs want to pull records.
 * The file is fed to libcsv a line at a time, so that memory stays flat
 * however large the file is and every record knows the line it began on.
 */
struct rec {
	char	**f;
	int	 n;
	long	 line;
};

struct case_csv {
	FILE	*fp;
	const char *name;
	struct csv_parser p;
	char	*buf;		/* the current input line */
	size_t	 bufsize;
	long	 lineno;	/* lines read so far */
	long	 start;		/* line the pending record began on, or 0 */
	struct rec cur;		/* the record being built */
	struct rec *q;		/* complete records not yet returned */
	size_t	 qn, qhead, qcap;
	char	**last;		/* fields handed out last, freed on the next call */
	int	 lastn;
	int	 eof;
	int	 partial;	/* the last line read had no newline */
	char	 err[256];
};

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;	/* keep leading and trailing blanks: they are data */
}

/*
 * Reads the stream fp, named name in messages, in UTF-8; case_csv_close()
 * closes it.
 */
struct case_csv *
case_csv_from(FILE *fp, const char *name)
{
	struct case_csv *c = case_malloc(sizeof *c);

	memset(c, 0, sizeof *c);
	c->name = name;
	c->fp = fp;
	if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		errx(CASE_EXIT_FATAL, _("csv_init failed"));
	csv_set_space_func(&c->p, no_space);
	return c;
}

/* Opens path ("-": standard input), in encoding if not NULL (UTF-8). */
struct case_csv *
case_csv_open(const char *path, const char *encoding)
{
	FILE *fp;

	if (strcmp(path, "-") == 0)
		fp = case_stdin(), path = "stdin";
	else if ((fp = fopen(path, "r")) == NULL)
		err(CASE_EXIT_FATAL, "%s", path);
	if (encoding != NULL)
		fp = case_iconv_open(fp, encoding, 0);
	return case_csv_from(fp, path);
}

static void
field_cb(void *s, size_t len, void *data)
{
	struct case_csv *c = data;

	if (c->start == 0)
		c->start = c->lineno;
	c->cur.f = case_reallocarray(c->cur.f, c->cur.n + 1, sizeof *c->cur.f);
	c->cur.f[c->cur.n] = case_malloc(len + 1);
	if (len > 0)
		memcpy(c->cur.f[c->cur.n], s, len);
	c->cur.f[c->cur.n][len] = '\0';
	c->cur.n++;
}

static void
record_cb(int term, void *data)
{
	struct case_csv *c = data;

	(void)term;
	if (c->qn == c->qcap) {
		c->qcap = c->qcap ? c->qcap * 2 : 8;
		c->q = case_reallocarray(c->q, c->qcap, sizeof *c->q);
	}
	c->cur.line = c->start ? c->start : c->lineno;
	c->q[c->qn++] = c->cur;
	memset(&c->cur, 0, sizeof c->cur);
	c->start = 0;
}

static void
free_fields(char **f, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(f[i]);
	free(f);
}

static int
fail(struct case_csv *c, long line, const char *why)
{
	snprintf(c->err, sizeof c->err, "%s:%ld: %s", c->name, line, why);
	return -1;
}

/* Feeds one more line to libcsv; 0 at end of file. */
static int
feed(struct case_csv *c)
{
	ssize_t len;
	const char *p;

	if ((len = getline(&c->buf, &c->bufsize, c->fp)) == -1) {
		if (ferror(c->fp)) {
			/* The bad bytes end the line read last, if it had
			 * no newline; else they begin the next. */
			if (errno == EILSEQ)
				return fail(c, c->lineno + !c->partial, _("not "
				    "valid in the file's encoding"));
			err(CASE_EXIT_FATAL, "%s", c->name);
		}
		c->eof = 1;
		if (csv_fini(&c->p, field_cb, record_cb, c) != 0)
			return fail(c, c->start ? c->start : c->lineno,
			    _("unterminated quoted field"));
		return 0;
	}
	c->lineno++;
	c->partial = c->buf[len - 1] != '\n';
	p = c->buf;
	/* Excel and WPS begin "CSV UTF-8" files with a byte-order mark. */
	if (c->lineno == 1 && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3, len -= 3;
	if (memchr(p, '\0', (size_t)len) != NULL)
		return fail(c, c->lineno, _("NUL byte"));
	if (c->start == 0 && len > 0 && p[0] != '\n' && p[0] != '\r')
		c->start = c->lineno;
	if (csv_parse(&c->p, p, (size_t)len, field_cb, record_cb, c) !=
	    (size_t)len)
		return fail(c, c->start ? c->start : c->lineno,
		    csv_error(&c->p) == CSV_EPARSE ?
		    _("malformed quoting (a bare \" in an unquoted field?)") :
		    csv_strerror(csv_error(&c->p)));
	return 1;
}

/*
 * Returns 1 and the next record, 0 at the end, -1 on a malformed file
 * (case_csv_error says where and why; the file cannot be read further).
 * The fields stay valid until the next call.
 */
int
case_csv_next(struct case_csv *c, char ***fields, int *n, long *line)
{
	int rc;

	free_fields(c->last, c->lastn);
	c->last = NULL;
	c->lastn = 0;
	while (c->qhead == c->qn) {
		c->qhead = c->qn = 0;
		if (c->eof)
			return 0;
		if ((rc = feed(c)) == -1)
			return -1;
	}
	*fields = c->last = c->q[c->qhead].f;
	*n = c->lastn = c->q[c->qhead].n;
	*line = c->q[c->qhead].line;
	c->qhead++;
	return 1;
}

const char *
case_csv_error(struct case_csv *c)
{
	return c->err;
}

void
case_csv_close(struct case_csv *c)
{
	free_fields(c->last, c->lastn);
	while (c->qhead < c->qn)
		free_fields(c->q[c->qhead].f, c->q[c->qhead].n), c->qhead++;
	free_fields(c->cur.f, c->cur.n);
	free(c->q);
	free(c->buf);
	csv_free(&c->p);
	if (c->fp != stdin)
		fclose(c->fp);	/* an iconv stream closes what it wraps */
	free(c);
}
