/* out.c - every tabular output: aligned table, TSV, CSV and JSON lines */
#include <csv.h>
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"

struct case_out {
	FILE	*fp;
	enum case_fmt fmt;
	int	 ncols;
	const char *const *names;
	const char *types;	/* per column: t text, i integer, n number */
	char	**cells;	/* table only: escaped cells, row by row */
	size_t	 nrows, cap;
	int	 header;
	int	 wrapkeys, wrapwidth;	/* case_out_wrap(); 0: never wrap */
	/* CASE_FMT_XLSX: rows go to another module (xlsx.c). */
	void	(*rowfn)(void *, const char *const *);
	void	(*closefn)(void *);
	void	*arg;
};

static const char *fmtnames[] = { "table", "tsv", "csv", "json" };

/*
 * The formula guard of every CSV and TSV output: a text cell that a
 * spreadsheet would run as a formula (=, +, -, @, TAB, CR or LF first,
 * and not a number) is written after a ' as case-export does.  On by
 * default; --raw turns it off; case-export guards in query.c itself.
 */
static int guard = 1;

void
case_out_guard(int on)
{
	guard = on;
}

int
case_fmt_parse(const char *s, enum case_fmt *fmt)
{
	size_t i;

	for (i = 0; i < sizeof fmtnames / sizeof fmtnames[0]; i++)
		if (strcmp(s, fmtnames[i]) == 0) {
			*fmt = (enum case_fmt)i;
			return 0;
		}
	return -1;
}

/* People at a terminal get a table; pipes and files get TSV. */
enum case_fmt
case_fmt_default(void)
{
	return case_stdout_tty() ? CASE_FMT_TABLE : CASE_FMT_TSV;
}

/*
 * Writes s for a human: control characters, escape sequences and bytes
 * that are not UTF-8 become visible \-escapes, so that a hostile title
 * cannot move the cursor or recolour the terminal.
 */
void
case_escape_ctl(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len = strlen(s);

	while (*p != '\0') {
		n = *p < 0xc0 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		if (n > len || (*p >= 0x80 && (*p < 0xc0 ||
		    !case_utf8_valid((const char *)p, n))))
			n = 0;	/* not the start of a valid sequence */
		if (*p == '\t')
			fputs("\\t", fp);
		else if (*p == '\n')
			fputs("\\n", fp);
		else if (*p == '\r')
			fputs("\\r", fp);
		else if (*p < 0x20 || *p == 0x7f || n == 0)
			fprintf(fp, "\\x%02x", *p);
		else if (n == 2 && p[0] == 0xc2 && p[1] <= 0x9f)
			fprintf(fp, "\\u%04x", p[1]);	/* C1 controls */
		else
			fwrite(p, 1, n, fp);
		if (n == 0)
			n = 1;
		p += n;
		len -= n;
	}
}

/*
 * TSV: one record a line, so TAB, newline and backslash are escaped.
 * The bytes between them go out a run at a time, not a putc() each: a
 * long list spends its time here.
 */
static void
tsv_field(FILE *fp, const char *s)
{
	size_t n;

	for (;; s++) {
		n = strcspn(s, "\t\n\r\\");
		fwrite(s, 1, n, fp);
		s += n;
		switch (*s) {
		case '\0': return;
		case '\t': fputs("\\t", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		default: fputs("\\\\", fp); break;
		}
	}
}

/*
 * RFC 4180: a field is quoted, by libcsv, only when it must be, so that
 * plain values stay readable in diffs and golden files.
 */
void
case_csv_field(FILE *fp, const char *s, int first)
{
	size_t n = strlen(s);

	if (!first)
		putc(',', fp);
	if (strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (s[0] == ' ' ||
	    s[n - 1] == ' ')))
		csv_fwrite(fp, s, n);
	else
		fwrite(s, 1, n, fp);
}

void
case_json_string(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putc('"', fp);
	for (; *p != '\0'; p++)
		switch (*p) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(fp, "\\u%04x", *p);
			else
				putc(*p, fp);
		}
	putc('"', fp);
}

static void
line(struct case_out *o, const char *const *v, int data)
{
	char *g = NULL;
	int i;

	for (i = 0; i < o->ncols; i++) {
		const char *s = v[i] != NULL ? v[i] : "";

		free(g);
		g = NULL;
		if (data && guard && (o->fmt == CASE_FMT_CSV || o->fmt ==
		    CASE_FMT_TSV) && strchr("in", o->types[i]) == NULL &&
		    case_guard_needed(s)) {
			if (asprintf(&g, "'%s", s) == -1)
				err(CASE_EXIT_FATAL, "asprintf");
			s = g;
		}

		switch (o->fmt) {
		case CASE_FMT_TSV:
			if (i > 0)
				putc('\t', o->fp);
			tsv_field(o->fp, s);
			break;
		case CASE_FMT_CSV:
			case_csv_field(o->fp, s, i == 0);
			break;
		case CASE_FMT_JSON:
			fputs(i == 0 ? "{" : ",", o->fp);
			case_json_string(o->fp, o->names[i]);
			putc(':', o->fp);
			if (v[i] == NULL || (strchr("inT", o->types[i]) &&
			    *s == '\0'))
				fputs("null", o->fp);
			else if (strchr("in", o->types[i]))
				fputs(s, o->fp);
			else
				case_json_string(o->fp, s);
			break;
		default:
			break;
		}
	}
	free(g);
	fputs(o->fmt == CASE_FMT_CSV ? "\r\n" : o->fmt == CASE_FMT_JSON ?
	    "}\n" : "\n", o->fp);
	if (ferror(o->fp))
		err(CASE_EXIT_FATAL, _("write"));
}

static void
table_row(struct case_out *o, const char *const *v)
{
	int i;

	if (o->nrows == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->cells = case_reallocarray(o->cells, o->cap * o->ncols,
		    sizeof *o->cells);
	}
	for (i = 0; i < o->ncols; i++)
		o->cells[o->nrows * o->ncols + i] = case_esc_dup(v[i]);
	o->nrows++;
}

static struct case_out *
out_new(enum case_fmt fmt, int ncols, const char *const *names,
    const char *types)
{
	struct case_out *o = case_malloc(sizeof *o);

	memset(o, 0, sizeof *o);
	o->fmt = fmt;
	o->ncols = ncols;
	o->names = names;
	o->types = types;
	return o;
}

struct case_out *
case_out_open(FILE *fp, enum case_fmt fmt, int ncols, const char *const *names,
    const char *types, int header)
{
	struct case_out *o = out_new(fmt, ncols, names, types);

	o->fp = fp;
	o->header = header || fmt == CASE_FMT_CSV;
	if (fmt == CASE_FMT_TABLE && o->header)
		table_row(o, names);
	else if (fmt != CASE_FMT_JSON && o->header)
		line(o, names, 0);
	return o;
}

void
case_out_row(struct case_out *o, const char *const *v)
{
	if (o->fmt == CASE_FMT_TABLE)
		table_row(o, v);
	else if (o->fmt == CASE_FMT_XLSX)
		o->rowfn(o->arg, v);
	else
		line(o, v, 1);
}

/*
 * A table wider than width cells is written a block a row instead: the
 * row's first keys cells (those that are not empty) on one line, then an
 * indented line for each other column, its heading and its value.  So a
 * row of twenty figures stays legible on a terminal or a printed page;
 * no blank line comes between blocks, since the nightly report's
 * sections end at one.
 */
void
case_out_wrap(struct case_out *o, int keys, int width)
{
	o->wrapkeys = keys;
	o->wrapwidth = width;
}

/* Values right-aligned, numbers and rates alike, under one another. */
static void
wrap_flush(struct case_out *o)
{
	char **head = o->header ? o->cells : NULL;
	size_t r;
	int i, hw = 0, vw = 0, cw, sep;

	for (i = o->wrapkeys; i < o->ncols; i++)
		if ((cw = case_width(head != NULL ? head[i] : o->names[i])) > hw)
			hw = cw;
	for (r = head != NULL ? 1 : 0; r < o->nrows; r++)
		for (i = o->wrapkeys; i < o->ncols; i++)
			if ((cw = case_width(o->cells[r * o->ncols + i])) > vw)
				vw = cw;
	for (r = head != NULL ? 1 : 0; r < o->nrows; r++) {
		char **c = &o->cells[r * o->ncols];

		for (i = sep = 0; i < o->wrapkeys; i++)
			if (*c[i] != '\0')
				fprintf(o->fp, "%s%s", sep++ ? "  " : "", c[i]);
		/* Keys all empty (no unit at that level, ...): one label. */
		fprintf(o->fp, "%s\n", sep ? "" : _("unspecified"));
		for (i = o->wrapkeys; i < o->ncols; i++) {
			const char *h = head != NULL ? head[i] : o->names[i];

			fprintf(o->fp, "  %s", h);
			if (*c[i] != '\0')
				fprintf(o->fp, "%*s  %*s%s", hw - case_width(h),
				    "", vw - case_width(c[i]), "", c[i]);
			putc('\n', o->fp);
		}
	}
	for (r = 0; r < o->nrows * o->ncols; r++)
		free(o->cells[r]);
}

/* Columns two cells apart; numbers right-aligned; the last one ragged. */
static void
table_flush(struct case_out *o)
{
	int *w = case_reallocarray(NULL, o->ncols, sizeof *w);
	size_t r;
	int i, cw, pad, total = 0;

	for (i = 0; i < o->ncols; i++)
		w[i] = 0;
	for (r = 0; r < o->nrows; r++)
		for (i = 0; i < o->ncols; i++)
			if ((cw = case_width(o->cells[r * o->ncols + i])) > w[i])
				w[i] = cw;
	for (i = 0; i < o->ncols; i++)
		total += w[i] + (i > 0 ? 2 : 0);
	if (o->wrapwidth > 0 && total > o->wrapwidth) {
		wrap_flush(o);
		free(w);
		free(o->cells);
		return;
	}
	for (r = 0; r < o->nrows; r++) {
		for (i = 0; i < o->ncols; i++) {
			const char *c = o->cells[r * o->ncols + i];
			int right = strchr("in", o->types[i]) && *c != '\0';

			pad = w[i] - case_width(c);
			if (right)
				fprintf(o->fp, "%*s", pad, "");
			fputs(c, o->fp);
			if (i < o->ncols - 1)
				fprintf(o->fp, "%*s", right ? 2 : pad + 2, "");
			free(o->cells[r * o->ncols + i]);
		}
		putc('\n', o->fp);
	}
	free(w);
	free(o->cells);
}

void
case_out_close(struct case_out *o)
{
	if (o->fmt == CASE_FMT_XLSX) {
		o->closefn(o->arg);
		free(o);
		return;
	}
	if (o->fmt == CASE_FMT_TABLE)
		table_flush(o);
	if (ferror(o->fp))
		err(CASE_EXIT_FATAL, _("write"));
	free(o);
}

/* An output whose rows another module renders (a workbook's sheet). */
struct case_out *
case_out_custom(int ncols, const char *const *names, const char *types,
    void (*rowfn)(void *, const char *const *), void (*closefn)(void *),
    void *arg)
{
	struct case_out *o = out_new(CASE_FMT_XLSX, ncols, names, types);

	o->rowfn = rowfn;
	o->closefn = closefn;
	o->arg = arg;
	return o;
}
