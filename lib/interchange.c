/* interchange.c - what files for spreadsheets and other systems need */
#include <err.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/*
 * Column names: our own (en), the Chinese a reviewer reads (zh), and
 * Open311 GeoReport's where it has one.  Import accepts any of them.
 */
static const struct {
	const char *en, *zh, *open311;
} names[] = {
	{ "id", "案件编号", "service_request_id" },
	{ "reported", "受理时间", "requested_datetime" },
	{ "source", "来源", "source" },
	{ "category", "类别代码", "service_code" },
	{ "category_name", "类别", "service_name" },
	{ "grid", "网格", "grid" },
	{ "location", "地点", "address" },
	{ "reporter", "反映人", NULL },
	{ "title", "标题", "title" },
	{ "description", "描述", "description" },
	{ "unit", "责任单位代码", "unit" },
	{ "unit_name", "责任单位", "agency_responsible" },
	{ "status", "状态", "status_description" },
	{ "due", "办理期限", "expected_datetime" },
	{ "assigned", "派遣时间", "assigned" },
	{ "closed", "结案时间", "closed_date" },
	{ "outcome", "办理结果", "outcome" },
	{ "outcome_note", "结果说明", "status_notes" },
	{ "ref", "外部编号", NULL },
	{ "lat", "纬度", "lat" },
	{ "lon", "经度", "long" },
	{ "priority", "优先级", NULL },
	{ "attachments", "附件", NULL },
	{ "event", "事件编号", NULL },
	{ "case", "案件编号", NULL },
	{ "time", "时间", NULL },
	{ "action", "动作", NULL },
	{ "actor", "操作人", NULL },
	{ "user", "系统用户", NULL },
	{ "from_unit", "原单位", NULL },
	{ "to_unit", "新单位", NULL },
	{ "note", "备注", NULL },
	{ "field", "字段", NULL },
	{ "old", "原值", NULL },
	{ "new", "新值", NULL },
};

static const char *setnames[] = { "en", "zh", "open311" };

int
case_headers_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof setnames / sizeof setnames[0]; i++)
		if (strcmp(s, setnames[i]) == 0)
			return (int)i;
	return -1;
}

/* The name of our column en in header set set (en if it has none). */
const char *
case_header_name(int set, const char *en)
{
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].en, en) == 0) {
			if (set == CASE_HDR_ZH)
				return names[i].zh;
			if (set == CASE_HDR_OPEN311 && names[i].open311 != NULL)
				return names[i].open311;
			return en;
		}
	return en;
}

/* Our column for a header name in any set, or NULL. */
const char *
case_header_column(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].en, name) == 0 ||
		    strcmp(names[i].zh, name) == 0 ||
		    (names[i].open311 != NULL &&
		    strcmp(names[i].open311, name) == 0))
			return names[i].en;
	return NULL;
}

/*
 * A cell that a spreadsheet would run as a formula (OWASP "CSV
 * Injection": it starts with = + - @ TAB CR or LF) gets a leading '.
 * A plain number such as -73.99 is data, not a formula, and is left
 * alone.  A value that already starts with ' gets one more, so that an
 * import, which strips one, restores every value exactly.
 */
static int
is_number(const char *s)
{
	char *end;

	if (*s == '\0' || strchr(" \t\r\n", *s) != NULL)
		return 0;
	errno = 0;
	(void)strtod(s, &end);
	return *end == '\0' && errno == 0 && strpbrk(s, "xXpPnN") == NULL;
}

int
case_guard_needed(const char *s)
{
	return s[0] == '\'' || (s[0] != '\0' && strchr("=+-@\t\r\n", s[0]) !=
	    NULL && !is_number(s));
}

const char *
case_unguard(const char *s)
{
	return s[0] == '\'' ? s + 1 : s;
}

static size_t
utf8_len(const unsigned char *p)
{
	size_t n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4, i;

	/* A sequence cut short (not UTF-8) ends at the NUL, never past it. */
	for (i = 1; i < n; i++)
		if (p[i] == '\0')
			return i;
	return n;
}

/*
 * Mobile numbers keep their first 3 and last 4 digits: 11 digits from 1,
 * perhaps after +86 or 86, perhaps grouped by spaces or hyphens
 * (139 1234 5678, 139-1234-5678).
 */
static void
mask_phones(char *s)
{
	size_t pos[16], i = 0, j, n, k;

	while (s[i] != '\0') {
		if (s[i] < '0' || s[i] > '9' || (i > 0 && s[i - 1] >= '0' &&
		    s[i - 1] <= '9')) {
			i++;
			continue;
		}
		for (n = 0, j = i; n < 16; ) {
			if (s[j] >= '0' && s[j] <= '9')
				pos[n++] = j++;
			else if ((s[j] == ' ' || s[j] == '-') && s[j + 1] >= '0' &&
			    s[j + 1] <= '9' && n > 0)
				j++;
			else
				break;
		}
		k = n == 13 && s[pos[0]] == '8' && s[pos[1]] == '6' ? 2 : 0;
		if (n - k == 11 && s[pos[k]] == '1')
			for (j = 3; j < 7; j++)
				s[pos[k + j]] = '*';
		i = j > i ? j : i + 1;
	}
}

/*
 * For --mask (China's PIPL): a person's name keeps its first character
 * (张三 -> 张*), phone numbers their ends (138****1234).  Returns a
 * string the caller frees.
 */
char *
case_mask(const char *s, int name)
{
	char *out = case_malloc(strlen(s) * 3 + 1), *o = out;
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	int first = 1;

	while (*p != '\0') {
		n = utf8_len(p);
		if (!name || (*p >= '0' && *p <= '9') || *p == ' ' || first) {
			memcpy(o, p, n);
			o += n;
		} else
			*o++ = '*';
		first = 0;
		p += n;
	}
	*o = '\0';
	mask_phones(out);
	return out;
}

/*
 * Conversion between UTF-8 and a file's encoding (GB18030 from Excel
 * and WPS on Chinese Windows) through a stdio stream, so that import and
 * export stream however large the file.
 */
struct conv {
	iconv_t	 cd;
	FILE	*fp;
	char	 in[4096 + 8];	/* a sequence split across reads waits here */
	size_t	 inlen;
	int	 writing;
};

static ssize_t
conv_write(void *cookie, const char *buf, size_t size)
{
	struct conv *c = cookie;
	char out[16384], *ip, *op;
	size_t il, ol, take = 0, n, r = 0;
	int e;

	while (take < size) {
		n = sizeof c->in - 8 - c->inlen;
		if (n > size - take)
			n = size - take;
		memcpy(c->in + c->inlen, buf + take, n);
		c->inlen += n;
		take += n;
		do {
			ip = c->in, il = c->inlen;
			op = out, ol = sizeof out;
			r = iconv(c->cd, &ip, &il, &op, &ol);
			e = errno;
			if (fwrite(out, 1, sizeof out - ol, c->fp) !=
			    sizeof out - ol)
				return -1;
			memmove(c->in, ip, il);
			c->inlen = il;
		} while (r == (size_t)-1 && e == E2BIG);
		if (r == (size_t)-1 && e != EINVAL) {
			errno = EILSEQ;
			return -1;
		}
	}
	return (ssize_t)size;
}

static ssize_t
conv_read(void *cookie, char *buf, size_t size)
{
	struct conv *c = cookie;
	char *ip, *op;
	size_t il, ol, n, r;
	int e;

	for (;;) {
		n = fread(c->in + c->inlen, 1, sizeof c->in - 8 - c->inlen,
		    c->fp);
		c->inlen += n;
		if (c->inlen == 0)
			return 0;
		ip = c->in, il = c->inlen;
		op = buf, ol = size;
		r = iconv(c->cd, &ip, &il, &op, &ol);
		e = errno;
		memmove(c->in, ip, il);
		c->inlen = il;
		/* What was converted before a bad byte is read first, so
		 * that the error is reported on its own line. */
		if (op > buf)
			return op - buf;
		if (r == (size_t)-1 && e == EILSEQ) {
			errno = EILSEQ;
			return -1;
		}
		if (n == 0) {	/* an incomplete sequence at the end */
			errno = EILSEQ;
			return -1;
		}
	}
}

static int
conv_close(void *cookie)
{
	struct conv *c = cookie;
	int rc = 0;

	if (c->writing && c->inlen > 0)
		rc = -1;	/* an incomplete UTF-8 sequence */
	iconv_close(c->cd);
	if (c->fp != stdin && c->fp != stdout)
		rc |= fclose(c->fp);
	else if (c->writing)
		rc |= fflush(c->fp);
	free(c);
	return rc;
}

/*
 * iconv's own names only: with //TRANSLIT or //IGNORE it would write
 * "?" or nothing for what the encoding lacks, with no error; "" is the
 * locale's encoding, whatever that is.
 */
static void
check_encoding(const char *encoding)
{
	if (*encoding == '\0' || strchr(encoding, '/') != NULL)
		errx(CASE_EXIT_FATAL, _("--encoding: unknown encoding -- %s"),
		    case_esc(encoding));
}

/*
 * A stream that converts: reading, from encoding to UTF-8; writing,
 * from UTF-8 to encoding.  Closing it closes fp (unless stdin/stdout).
 */
FILE *
case_iconv_open(FILE *fp, const char *encoding, int writing)
{
	struct conv *c = case_malloc(sizeof *c);
	cookie_io_functions_t io = { conv_read, conv_write, NULL, conv_close };
	FILE *f;

	check_encoding(encoding);
	memset(c, 0, sizeof *c);
	c->fp = fp;
	c->writing = writing;
	c->cd = writing ? iconv_open(encoding, "UTF-8") :
	    iconv_open("UTF-8", encoding);
	if (c->cd == (iconv_t)-1)
		errx(CASE_EXIT_FATAL, _("--encoding: unknown encoding -- %s"),
		    encoding);
	if ((f = fopencookie(c, writing ? "w" : "r", io)) == NULL)
		err(CASE_EXIT_FATAL, "fopencookie");
	return f;
}

/*
 * Where s has the first character that encoding cannot hold, or NULL
 * if it holds them all: an export asks of every field before it writes,
 * so that it can name the case and field, and write nothing, rather
 * than stop in the middle of a row when the conversion fails.
 */
const char *
case_iconv_lacks(const char *encoding, const char *s)
{
	static iconv_t cd = (iconv_t)-1;
	static char *enc;
	char buf[256], *ip = (char *)s, *op;
	size_t il = strlen(s), ol;

	if (enc == NULL || strcmp(enc, encoding) != 0) {
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		free(enc);
		enc = case_strdup(encoding);
		check_encoding(encoding);
		if ((cd = iconv_open(encoding, "UTF-8")) == (iconv_t)-1)
			errx(CASE_EXIT_FATAL, _("--encoding: unknown encoding "
			    "-- %s"), encoding);
	}
	iconv(cd, NULL, NULL, NULL, NULL);
	while (il > 0) {
		op = buf, ol = sizeof buf;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 &&
		    errno != E2BIG)
			return ip;
	}
	return NULL;
}
