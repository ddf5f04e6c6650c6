/* xlsx.c - the .xlsx workbook of case-export --xlsx, with libxlsxwriter */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "case.h"

/*
 * Only case-export and case-pack link this file, and with it
 * libxlsxwriter and what that loads: every other program starts without
 * them.
 */
struct case_xlsx {
	lxw_workbook *wb;
	lxw_format *text, *date, *head;
	const char *path;	/* as the user named it, for messages */
};

struct sheet {
	struct case_xlsx *x;
	lxw_worksheet *ws;
	int	 ncols;
	const char *const *names;
	const char *types;
	double	*width;
	size_t	 nrows;
};

static void sheet_row(void *, const char *const *);
static void sheet_close(void *);

/*
 * A failure of libxlsxwriter: the system's reason where a call of the
 * system failed (errno set), which is what the user can act on; its own
 * description only where none did.
 */
static _Noreturn void
fail(const char *path, const char *what)
{
	if (errno != 0)
		err(CASE_EXIT_FATAL, "%s", path);
	errx(CASE_EXIT_FATAL, "%s: %s", path, what);
}

/*
 * A workbook for --xlsx: written row by row (libxlsxwriter's constant
 * memory mode), so that memory stays flat however many cases.  It is
 * written to file, an already open temporary (case_file_name()); path
 * is the name the user gave, for messages.
 */
struct case_xlsx *
case_xlsx_open(const char *file, const char *path)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE,
	    .tmpdir = NULL };
	struct case_xlsx *x = case_malloc(sizeof *x);

	x->path = path;
	errno = 0;
	if ((x->wb = workbook_new_opt(file, &opt)) == NULL)
		fail(path, _("cannot create workbook"));
	x->text = workbook_add_format(x->wb);
	format_set_num_format(x->text, "@");
	x->date = workbook_add_format(x->wb);
	format_set_num_format(x->date, "yyyy-mm-dd hh:mm:ss");
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	return x;
}

/*
 * The workbook's creation time, which libxlsxwriter would otherwise take
 * from the clock: a pack made again as of the same moment is then the
 * same file, byte for byte (case-pack(1)).
 */
void
case_xlsx_created(struct case_xlsx *x, long long t)
{
	lxw_doc_properties p = { .created = (time_t)t };

	if (workbook_set_properties(x->wb, &p) != LXW_NO_ERROR)
		fail(x->path, _("cannot create workbook"));
}

/*
 * The workbook is zipped and written only here.  libxlsxwriter's own
 * lines on standard error are held back: they name the temporary file
 * by /proc/self/fd and give the zip library's code for what is most
 * often a full disk, where the system's reason, given with the name the
 * user knows, says it.
 */
void
case_xlsx_close(struct case_xlsx *x)
{
	lxw_error e;
	int saved, null, why;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if (saved != -1 && (null = open("/dev/null", O_WRONLY)) != -1) {
		dup2(null, STDERR_FILENO);
		close(null);
	}
	errno = 0;
	e = workbook_close(x->wb);
	why = errno;
	if (saved != -1) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	/* Only these come of a failing call of the system. */
	errno = e >= LXW_ERROR_MEMORY_MALLOC_FAILED &&
	    e <= LXW_ERROR_ZIP_CLOSE ? why : 0;
	if (e != LXW_NO_ERROR)
		fail(x->path, lxw_strerror(e));
	free(x);
}

/* A sheet: header row frozen, with an autofilter; codes kept as text. */
struct case_out *
case_out_sheet(struct case_xlsx *x, const char *name, int ncols,
    const char *const *names, const char *types)
{
	struct sheet *o = case_malloc(sizeof *o);
	int i;

	memset(o, 0, sizeof *o);
	o->ncols = ncols;
	o->names = names;
	o->types = types;
	o->x = x;
	errno = 0;
	if ((o->ws = workbook_add_worksheet(x->wb, name)) == NULL)
		fail(x->path, _("cannot add a sheet"));
	o->width = case_reallocarray(NULL, ncols, sizeof *o->width);
	for (i = 0; i < ncols; i++) {
		worksheet_write_string(o->ws, 0, i, names[i], x->head);
		o->width[i] = case_width(names[i]) + 2;
	}
	worksheet_freeze_panes(o->ws, 1, 0);
	o->nrows = 1;
	return case_out_custom(ncols, names, types, sheet_row, sheet_close, o);
}

/* A character XML 1.0 may hold, and not a Unicode non-character. */
static int
xml_char(unsigned long c)
{
	if (c < 0x20)
		return c == '\t' || c == '\n' || c == '\r';
	if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
		return 0;
	return c <= 0xd7ff || (c >= 0xe000 && c <= 0x10ffff);
}

/*
 * s as a workbook may hold it: every character that XML 1.0 forbids
 * (controls other than TAB, LF and CR), every non-character (U+FFFE,
 * U+FFFF, U+FDD0..U+FDEF and their kin in every plane) and any byte
 * that is not UTF-8 becomes U+FFFD, so that the file stays valid XML
 * whatever the database holds.  NULL if s needs no change.
 */
static char *
xml_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len, i = 0, o = 0;
	unsigned long c;
	char *out = NULL;

	while (i < n) {
		len = case_utf8_seq(p + i, n - i, &c);
		if (len != 0 && xml_char(c)) {
			if (out != NULL)
				memcpy(out + o, p + i, len), o += len;
			i += len;
			continue;
		}
		if (out == NULL) {
			out = case_malloc(3 * n + 1);
			memcpy(out, s, i);
			o = i;
		}
		memcpy(out + o, "\xef\xbf\xbd", 3);	/* U+FFFD */
		o += 3;
		i += len ? len : 1;
	}
	if (out != NULL)
		out[o] = '\0';
	return out;
}

/*
 * In constant memory mode libxlsxwriter writes each row to a temporary
 * file and ignores a failed write there: a full /tmp or a file size
 * limit would leave a short sheet in a workbook that looks whole.  The
 * stream's error flag is read after each row, while errno still tells
 * why.
 */
static void
spooled(struct sheet *o)
{
	FILE *fp = o->ws->optimize_tmpfile;

	if (fp != NULL && ferror(fp)) {
		if (errno == 0)
			errno = EIO;
		err(CASE_EXIT_FATAL, _("%s: the workbook's temporary file"),
		    o->x->path);
	}
}

static void
sheet_row(void *arg, const char *const *v)
{
	struct sheet *o = arg;
	lxw_row_t r = (lxw_row_t)o->nrows++;
	long long t;
	int i, dayonly, w;
	char *clean;

	for (i = 0; i < o->ncols; i++) {
		if (v[i] == NULL || v[i][0] == '\0')
			continue;
		w = case_width(v[i]);
		clean = xml_clean(v[i]);
		if (o->types[i] == 'T' && case_parse_time(v[i], 0, &t,
		    &dayonly) == 0) {
			time_t tt = (time_t)t;
			struct tm tm;
			lxw_datetime dt;

			/* Excel has no zones: a date cell in local time. */
			localtime_r(&tt, &tm);
			dt.year = tm.tm_year + 1900, dt.month = tm.tm_mon + 1;
			dt.day = tm.tm_mday, dt.hour = tm.tm_hour;
			dt.min = tm.tm_min, dt.sec = tm.tm_sec;
			worksheet_write_datetime(o->ws, r, i, &dt, o->x->date);
			w = 19;
		} else if (o->types[i] == 'i' || o->types[i] == 'n')
			worksheet_write_number(o->ws, r, i, strtod(v[i], NULL),
			    NULL);
		else if (worksheet_write_string(o->ws, r, i, clean ? clean : v[i],
		    o->x->text) == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
			/* Excel holds 32767 characters a cell: say what was cut. */
			char *cut = case_utf8_prefix(clean ? clean : v[i], 32767);

			warnx(_("%s: row %u, %s: cut to 32767 characters, the "
			    "most a cell holds"), o->x->path, (unsigned)r,
			    o->names[i]);
			worksheet_write_string(o->ws, r, i, cut, o->x->text);
			free(cut);
		}
		free(clean);
		if (w + 2 > o->width[i])
			o->width[i] = w + 2;
	}
	spooled(o);
}

static void
sheet_close(void *arg)
{
	struct sheet *o = arg;
	int i;

	/* Its last row too, which would otherwise be written unchecked
	 * when the workbook is closed. */
	errno = 0;
	if (o->ws->optimize_tmpfile != NULL) {
		lxw_worksheet_write_single_row(o->ws);
		fflush(o->ws->optimize_tmpfile);
	}
	spooled(o);
	for (i = 0; i < o->ncols; i++)
		worksheet_set_column(o->ws, i, i, o->width[i] > 60 ? 60 :
		    o->width[i], NULL);
	worksheet_autofilter(o->ws, 0, 0, (lxw_row_t)(o->nrows - 1),
	    (lxw_col_t)(o->ncols - 1));
	free(o->width);
	free(o);
}
