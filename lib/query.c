/* query.c - reading cases out: case-list, case-export and case-show */
#include <err.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/*
 * A column: its name and its kind: i integer, t text, T time, p a
 * person's name (masked by --mask), n a position's degrees (seven
 * decimals, however the engine prints a double), P a priority's code
 * (in the table format, the tier's word in the user's language).  Its SQL is sql.c's,
 * entry for entry in the same order (case_query_sql()).
 */
struct col {
	const char *name;
	char	 type;
};

static const struct col list_cols[] = {
	{ "id", 'i' }, { "status", 't' }, { "unit", 't' }, { "due", 'T' },
	{ "category", 't' }, { "priority", 'P' }, { "title", 't' },
};

/* case-list --unit: the list's, then whether the unit leads or assists. */
static const struct col unit_cols[] = {
	{ "id", 'i' }, { "status", 't' }, { "unit", 't' }, { "due", 'T' },
	{ "category", 't' }, { "priority", 'P' }, { "title", 't' },
	{ "role", 't' },
};

/* case-export's columns: later versions append, never reorder. */
static const struct col export_cols[] = {
	{ "id", 'i' }, { "reported", 'T' }, { "source", 't' },
	{ "category", 't' }, { "category_name", 't' }, { "grid", 't' },
	{ "location", 't' }, { "reporter", 'p' }, { "title", 't' },
	{ "description", 't' }, { "unit", 't' }, { "unit_name", 't' },
	{ "status", 't' }, { "due", 'T' }, { "assigned", 'T' },
	{ "closed", 'T' }, { "outcome", 't' }, { "outcome_note", 't' },
	{ "ref", 't' }, { "lat", 'n' }, { "lon", 'n' }, { "priority", 't' },
	{ "attachments", 't' },
};

/*
 * Open311 GeoReport v2 bulk columns, then ours that it lacks.  The
 * reporter is never among them: this export is for publishing.
 */
static const struct col open311_cols[] = {
	{ "service_request_id", 'i' }, { "requested_datetime", 'T' },
	{ "updated_datetime", 'T' }, { "closed_date", 'T' },
	{ "status", 't' }, { "status_description", 't' },
	{ "status_notes", 't' }, { "source", 't' }, { "service_code", 't' },
	{ "service_name", 't' }, { "description", 't' },
	{ "agency_responsible", 't' }, { "address", 't' },
	{ "expected_datetime", 'T' }, { "title", 't' }, { "unit", 't' },
	{ "grid", 't' }, { "outcome", 't' }, { "assigned", 'T' },
	{ "lat", 'n' }, { "long", 'n' },
};

static const struct col event_cols[] = {
	{ "event", 'i' }, { "case", 'i' }, { "at", 'T' }, { "action", 't' },
	{ "actor", 't' }, { "user", 't' }, { "from_unit", 't' },
	{ "to_unit", 't' }, { "due", 'T' }, { "outcome", 't' },
	{ "note", 't' }, { "field", 't' }, { "old", 't' }, { "new", 't' },
	{ "recorded", 'T' },
};

#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))

static const struct {
	const struct col *cols;
	int	 ncols;
} queries[] = {
	[CASE_Q_LIST] = { list_cols, NCOLS(list_cols) },
	[CASE_Q_EXPORT] = { export_cols, NCOLS(export_cols) },
	[CASE_Q_EVENTS] = { event_cols, NCOLS(event_cols) },
	[CASE_Q_OPEN311] = { open311_cols, NCOLS(open311_cols) },
	[CASE_Q_NEAR] = { NULL, 0 },
	[CASE_Q_UNIT] = { unit_cols, NCOLS(unit_cols) },
};

/* --mask, then the formula guard, on one text value; NULL if unchanged. */
static char *
transform(const struct case_export *x, char type, const char *v, int csv)
{
	char *m = NULL, *g;

	if (v == NULL)
		return NULL;
	if (x->mask && type != 'i' && type != 'T' && type != 'n')
		v = m = case_mask(v, type == 'p');
	if (csv && x->guard && case_guard_needed(v)) {
		if (asprintf(&g, "'%s", v) == -1)
			err(CASE_EXIT_FATAL, "asprintf");
		free(m);
		return g;
	}
	return m;
}

/*
 * --encoding: a character the encoding lacks is fatal, naming the case
 * (an event's too) and the field as the header names it; the message,
 * or NULL if the row converts.
 */
static const char *
unencodable(const struct case_export *x, int kind, const struct col *cols,
    int n, const char *const *vals)
{
	static char msg[512];
	const char *p, *id = vals[kind == CASE_Q_EVENTS ? 1 : 0];
	unsigned long c;
	size_t len;
	int i;

	for (i = 0; i < n; i++) {
		if (vals[i] == NULL ||
		    (p = case_iconv_lacks(x->encoding, vals[i])) == NULL)
			continue;
		if ((len = case_utf8_seq((const unsigned char *)p, strlen(p),
		    &c)) == 0)
			len = 1;
		snprintf(msg, sizeof msg, _("case %s: %s: not in %s -- %.*s"),
		    id, kind == CASE_Q_OPEN311 ? cols[i].name :
		    case_header_name(x->headers, cols[i].name), x->encoding,
		    (int)len, p);
		return msg;
	}
	return NULL;
}

/* Export --headers open311 has its own columns. */
static int
real_kind(int kind, const struct case_export *x)
{
	return kind == CASE_Q_EXPORT && x != NULL &&
	    x->headers == CASE_HDR_OPEN311 ? CASE_Q_OPEN311 : kind;
}

/*
 * The column names (in x's header set) and types of a query kind, for
 * opening its output; returns their number.
 */
int
case_query_header(int kind, const struct case_export *x, const char **names,
    char *types)
{
	const struct col *cols;
	int n, i;

	kind = real_kind(kind, x);
	cols = queries[kind].cols;
	n = queries[kind].ncols;
	for (i = 0; i < n; i++) {
		names[i] = kind == CASE_Q_OPEN311 || x == NULL ? cols[i].name :
		    case_header_name(x->headers, cols[i].name);
		types[i] = cols[i].type == 'p' || cols[i].type == 'P' ? 't' :
		    cols[i].type;
	}
	types[n] = '\0';
	return n;
}

/*
 * Writes the cases (or events) that f selects to out, opened with the
 * columns case_query_header() gave; x (NULL for none) asks for masking
 * and, in a CSV or TSV (fmt), the formula guard.  Returns the rows.
 */
long
case_query(struct case_db *db, const struct case_filter *f, int kind,
    const struct case_export *x, struct case_out *out, enum case_fmt fmt)
{
	static const struct case_export none = { CASE_HDR_EN, 0, 0, NULL };
	const struct col *cols;
	const char *vals[32], *why;
	char tbuf[32][40], *owned[32];
	int n, i, csv = fmt == CASE_FMT_CSV || fmt == CASE_FMT_TSV;
	struct case_stmt *st;
	char *sql;
	long rows = 0;

	kind = real_kind(kind, x);
	if (x == NULL)
		x = &none;
	cols = queries[kind].cols;
	n = queries[kind].ncols;
	sql = case_query_sql(kind, f);
	st = case_prepare_once(db, sql);
	free(sql);
	case_filter_bind(st, f);
	while (case_step(st) == CASE_ROW) {
		for (i = 0; i < n; i++) {
			owned[i] = NULL;
			if (cols[i].type == 'T')
				vals[i] = case_fmt_time(case_col_time(st, i),
				    tbuf[i], sizeof tbuf[i]);
			else if (cols[i].type == 'n')
				vals[i] = case_col_null(st, i) ? NULL :
				    case_fmt_degrees(case_col_double(st, i),
				    tbuf[i], sizeof tbuf[i]);
			else if (cols[i].type == 'P' && fmt == CASE_FMT_TABLE)
				vals[i] = case_priority_word(case_priority_parse(
				    case_col_text(st, i)));
			else if ((owned[i] = transform(x, cols[i].type,
			    case_col_text(st, i), csv)) != NULL)
				vals[i] = owned[i];
			else
				vals[i] = case_col_text(st, i);
		}
		if (x->encoding != NULL &&
		    (why = unencodable(x, kind, cols, n, vals)) != NULL) {
			for (i = 0; i < n; i++)
				free(owned[i]);
			case_finalize(st);
			errx(CASE_EXIT_FATAL, "%s", why);
		}
		case_out_row(out, vals);
		for (i = 0; i < n; i++)
			free(owned[i]);
		case_progress(++rows);
	}
	case_finalize(st);
	return rows;
}

/* The usual case: the query written to a stream in format fmt. */
long
case_query_to(struct case_db *db, const struct case_filter *f, int kind,
    enum case_fmt fmt, FILE *fp, const struct case_export *x)
{
	const char *names[32];
	char types[33];
	struct case_out *out;
	long rows;
	int n;

	n = case_query_header(kind, x, names, types);
	out = case_out_open(fp, fmt, n, names, types, kind != CASE_Q_LIST &&
	    kind != CASE_Q_UNIT);
	rows = case_query(db, f, kind, x, out, fmt);
	case_out_close(out);
	return rows;
}

/*
 * --near: the cases f selects within m metres of (lat, lon), with the
 * list's columns, nearest first and, at the same distance in whole
 * metres (as shown), by ID.  The SQL narrows them to a box (place.c);
 * the distance on the sphere is reckoned here, the same on both engines.
 */
struct near {
	long long id, metres;
	char	*v[NCOLS(list_cols)];
};

/* The list's columns of the row at st, copied, times formatted. */
static void
list_copy(struct case_stmt *st, char **v)
{
	char buf[40];
	int i;

	for (i = 0; i < NCOLS(list_cols); i++)
		if (list_cols[i].type == 'T')
			v[i] = case_strdup(case_fmt_time(case_col_time(st, i),
			    buf, sizeof buf));
		else
			v[i] = case_col_text(st, i) != NULL ?
			    case_strdup(case_col_text(st, i)) : NULL;
}

static int
near_cmp(const void *a, const void *b)
{
	const struct near *x = a, *y = b;

	if (x->metres != y->metres)
		return x->metres < y->metres ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static size_t
near_read(struct case_db *db, const struct case_filter *f, double lat,
    double lon, double m, struct near **out)
{
	const int n = NCOLS(list_cols);
	struct case_filter g = *f;
	struct case_box b;
	struct case_stmt *st;
	struct near *v = NULL;
	size_t nv = 0, cap = 0;
	char *sql;
	double d;

	case_near_box(lat, lon, m, &b);
	g.box = &b;
	sql = case_query_sql(CASE_Q_NEAR, &g);
	st = case_prepare_once(db, sql);
	free(sql);
	case_filter_bind(st, &g);
	while (case_step(st) == CASE_ROW) {
		d = case_distance(lat, lon, case_col_double(st, n),
		    case_col_double(st, n + 1));
		if (!(d <= m))
			continue;
		if (nv == cap) {
			cap = cap ? cap * 2 : 16;
			v = case_reallocarray(v, cap, sizeof *v);
		}
		v[nv].id = case_col_int(st, 0);
		v[nv].metres = llround(d);
		list_copy(st, v[nv].v);
		nv++;
	}
	case_finalize(st);
	if (nv > 0)	/* qsort(NULL, 0, ...) is undefined */
		qsort(v, nv, sizeof *v, near_cmp);
	*out = v;
	return nv;
}

static void
near_free(struct near *v, size_t n)
{
	size_t i;
	int j;

	for (i = 0; i < n; i++)
		for (j = 0; j < NCOLS(list_cols); j++)
			free(v[i].v[j]);
	free(v);
}

/* case-list --near: the list's columns, the distance before the title. */
long
case_query_near(struct case_db *db, const struct case_filter *f, double lat,
    double lon, double m, enum case_fmt fmt, FILE *fp)
{
	const char *names[NCOLS(list_cols) + 1], *vals[NCOLS(list_cols) + 1];
	char types[NCOLS(list_cols) + 2], dist[24];
	struct case_out *out;
	struct near *v;
	size_t nv, i;
	int n;

	/* Before the title, so that the free text still comes last. */
	n = case_query_header(CASE_Q_LIST, NULL, names, types);
	names[n] = names[n - 1], types[n] = types[n - 1];
	names[n - 1] = "distance", types[n - 1] = 'i';
	types[n + 1] = '\0';
	out = case_out_open(fp, fmt, n + 1, names, types, 0);
	nv = near_read(db, f, lat, lon, m, &v);
	for (i = 0; i < nv; i++) {
		memcpy(vals, v[i].v, n * sizeof *vals);
		snprintf(dist, sizeof dist, "%lld", v[i].metres);
		vals[n] = vals[n - 1];
		vals[n - 1] = dist;
		case_out_row(out, vals);
	}
	case_out_close(out);
	near_free(v, nv);
	return (long)nv;
}

/*
 * case-list --text: the cases f selects (its words among them), best
 * match first.  The rank is reckoned here, so that it is the same on
 * both engines: each word counts 3 if it is in the title or the
 * external reference, 2 if in the location, 1 if only in the
 * description or a note (where the SQL found it), ASCII letters in any
 * case; a case's rank is the sum, and cases of the same rank come
 * newest first (the larger ID).
 */
struct hit {
	long long id;
	int	 rank;
	char	*v[NCOLS(list_cols)];
};

static int
hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	return (x->id < y->id) - (x->id > y->id);
}

/* s with its ASCII letters in lower case, as the words are ("" for NULL). */
static char *
lowered(const char *s)
{
	char *l, *p;

	l = case_strdup(s != NULL ? s : "");
	for (p = l; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return l;
}

/* The rank of a case by its title, location and ref (see above). */
static int
rank(const struct case_words *w, const char *title, const char *location,
    const char *ref)
{
	char *t = lowered(title), *l = lowered(location), *r = lowered(ref);
	int k, n = 0;

	for (k = 0; k < w->n; k++)
		if (strstr(t, w->w[k]) != NULL || strstr(r, w->w[k]) != NULL)
			n += 3;
		else if (strstr(l, w->w[k]) != NULL)
			n += 2;
		else
			n += 1;
	free(t);
	free(l);
	free(r);
	return n;
}

long
case_query_text(struct case_db *db, const struct case_filter *f,
    enum case_fmt fmt, FILE *fp)
{
	const int n = NCOLS(list_cols);
	const char *names[NCOLS(list_cols)];
	char types[NCOLS(list_cols) + 1], *sql;
	struct case_stmt *st;
	struct case_out *out;
	struct hit *v = NULL;
	size_t nv = 0, cap = 0, j;
	int i;

	sql = case_query_sql(CASE_Q_TEXT, f);
	st = case_prepare_once(db, sql);
	free(sql);
	case_filter_bind(st, f);
	while (case_step(st) == CASE_ROW) {
		if (nv == cap) {
			cap = cap ? cap * 2 : 64;
			v = case_reallocarray(v, cap, sizeof *v);
		}
		v[nv].id = case_col_int(st, 0);
		/* The title is the list's last column. */
		v[nv].rank = rank(f->words, case_col_text(st, n - 1),
		    case_col_text(st, n), case_col_text(st, n + 1));
		list_copy(st, v[nv].v);
		nv++;
	}
	case_finalize(st);
	if (nv > 0)
		qsort(v, nv, sizeof *v, hit_cmp);
	case_query_header(CASE_Q_LIST, NULL, names, types);
	out = case_out_open(fp, fmt, n, names, types, 0);
	for (j = 0; j < nv; j++) {
		case_out_row(out, (const char *const *)v[j].v);
		for (i = 0; i < n; i++)
			free(v[j].v[i]);
	}
	case_out_close(out);
	free(v);
	return (long)nv;
}

/*
 * The nearest case open now, of category, within m metres of (lat,
 * lon), for case-add's warning: its ID, and the distance in *metres;
 * 0 if there is none.
 */
long long
case_near_open(struct case_db *db, const char *category, double lat,
    double lon, double m, long long *metres)
{
	struct case_filter f;
	struct near *v;
	long long id = 0;
	size_t nv;

	case_filter_init(&f, CASE_ST_OPEN);
	f.category = category;
	if ((nv = near_read(db, &f, lat, lon, m, &v)) > 0) {
		id = v[0].id;
		*metres = v[0].metres;
	}
	near_free(v, nv);
	return id;
}

/*
 * A label (translated by the caller) padded to width display columns,
 * a Chinese character counting two: printf's %-13s counts bytes.
 */
static void
label_pad(FILE *fp, const char *label, int width)
{
	int pad = width - case_width(label);

	fprintf(fp, "%s%*s", label, pad > 0 ? pad : 0, "");
}

/* A label, then the value escaped for a terminal, then a name if any. */
static void
field(FILE *fp, const char *label, const char *v, const char *name)
{
	label_pad(fp, label, 13);
	case_escape_ctl(fp, v != NULL ? v : "");
	if (name != NULL && *name != '\0') {
		fputs("  ", fp);
		case_escape_ctl(fp, name);
	}
	putc('\n', fp);
}

static void
time_field(FILE *fp, const char *label, long long t)
{
	char buf[40];

	field(fp, label, case_fmt_time(t, buf, sizeof buf), NULL);
}

/* Free text keeps its line breaks, each line indented under its label. */
static void
text_block(FILE *fp, const char *label, const char *s)
{
	const char *nl;

	fprintf(fp, "%s\n", label);
	while (s != NULL && *s != '\0') {
		char *line;
		size_t n;

		nl = strchr(s, '\n');
		n = nl != NULL ? (size_t)(nl - s) : strlen(s);
		if ((line = strndup(s, n)) == NULL)
			err(CASE_EXIT_FATAL, "strndup");
		fputs("    ", fp);
		case_escape_ctl(fp, line);
		putc('\n', fp);
		free(line);
		s = nl != NULL ? nl + 1 : s + n;
	}
}

/*
 * One clock: how long from start to stop (or to now while it runs),
 * against its limit; met, missed or overdue as the lifecycle's fold
 * left the last deadline of that clock (t, NULL if it had none).
 */
static void
clock_field(FILE *fp, const char *label, long long start, long long stop,
    long long limit, long long now, const struct case_term *t)
{
	char lim[40];
	const char *verdict;
	long long end = stop != CASE_NOTIME ? stop : now;

	if (start == CASE_NOTIME) {
		field(fp, label, _("not started"), NULL);
		return;
	}
	if (limit == CASE_NOTIME || t == NULL)
		verdict = stop != CASE_NOTIME ? _("stopped") : _("running");
	else if (t->fate == CASE_T_MISSED)
		verdict = stop != CASE_NOTIME ? _("missed") : _("overdue");
	else
		verdict = stop != CASE_NOTIME ? _("met") : _("running");
	label_pad(fp, label, 13);
	fprintf(fp, "%.1fh %s", (end - start) / 3600.0, verdict);
	if (limit != CASE_NOTIME)
		fprintf(fp, _(" (limit %s)"), case_fmt_time(limit, lim,
		    sizeof lim));
	putc('\n', fp);
}

static void
event_line(FILE *fp, struct case_stmt *st, long long spent, const char *suffix)
{
	const char *from = case_col_text(st, 4), *to = case_col_text(st, 5);
	const char *outcome = case_col_text(st, 7), *note = case_col_text(st, 8);
	const char *fld = case_col_text(st, 9), *old = case_col_text(st, 10);
	char at[40], due[40], span[32] = "";

	if (spent != CASE_NOTIME)
		snprintf(span, sizeof span, "%.1fh%s", spent / 3600.0, suffix);
	fprintf(fp, "    %s  %-10s %9s  ", case_fmt_time(case_col_time(st, 0),
	    at, sizeof at), case_col_text(st, 1), span);
	case_escape_ctl(fp, case_col_text(st, 2));
	fprintf(fp, " (%s)", case_col_text(st, 3));
	if (from != NULL || to != NULL) {
		fputs("  ", fp);
		case_escape_ctl(fp, from ? from : "-");
		fputs(" -> ", fp);
		case_escape_ctl(fp, to ? to : "-");
	}
	if (outcome != NULL)
		fprintf(fp, "  %s", outcome);
	if (fld != NULL) {
		fprintf(fp, "  %s: ", fld);
		if (old != NULL) {
			case_escape_ctl(fp, old);
			fputs(" -> ", fp);
		}
		case_escape_ctl(fp, case_col_text(st, 11) ? case_col_text(st,
		    11) : "");
	}
	if (case_col_time(st, 6) != CASE_NOTIME)
		fprintf(fp, _("  due %s"), case_fmt_time(case_col_time(st, 6), due,
		    sizeof due));
	if (note != NULL && *note != '\0') {
		fputs("  ", fp);
		case_escape_ctl(fp, note);
	}
	putc('\n', fp);
	/* Written later than it took effect: a record entered after it. */
	if (case_col_time(st, 12) != CASE_NOTIME &&
	    case_col_time(st, 12) - case_col_time(st, 0) >= 60)
		fprintf(fp, _("    %*s  recorded %s\n"), (int)strlen(at), "",
		    case_fmt_time(case_col_time(st, 12), due, sizeof due));
}

/*
 * The timeline: each step with the time spent in it, up to the next
 * step (or, for an open case's last step, up to now).
 */
static void
history(struct case_db *db, long long id, FILE *fp, long long now, int open)
{
	struct case_stmt *st = case_prepare(db, q_query_history);
	long long *t = NULL;
	size_t n = 0, i;

	case_bind_int(st, ":id", id);
	while (case_step(st) == CASE_ROW) {
		t = case_reallocarray(t, n + 1, sizeof *t);
		t[n++] = case_col_time(st, 0);
	}
	st = case_prepare(db, q_query_history);
	case_bind_int(st, ":id", id);
	fputs(_("history\n"), fp);
	for (i = 0; i < n && case_step(st) == CASE_ROW; i++)
		event_line(fp, st, i + 1 < n ? t[i + 1] - t[i] : open ?
		    now - t[i] : CASE_NOTIME, i + 1 < n ? "" : "+");
	free(t);
}

static char *
dup_col(struct case_stmt *st, int i)
{
	const char *v = case_col_text(st, i);

	return v != NULL ? case_strdup(v) : NULL;
}

/* A case's events, in the order they were written, as the fold reads them. */
static struct case_event *
read_events(struct case_db *db, long long id, size_t *np)
{
	struct case_stmt *st = case_prepare(db, q_query_history);
	struct case_event *e = NULL;
	size_t n = 0;
	int act;

	case_bind_int(st, ":id", id);
	while (case_step(st) == CASE_ROW) {
		e = case_reallocarray(e, n + 1, sizeof *e);
		e[n].at = case_col_time(st, 0);
		e[n].recorded = case_col_time(st, 12);
		act = case_action_parse(case_col_text(st, 1));
		e[n].action = act >= 0 ? act : CASE_A_NOTED;
		e[n].to = dup_col(st, 5);
		e[n].due = case_col_time(st, 6);
		e[n].outcome = dup_col(st, 7);
		e[n].field = dup_col(st, 9);
		e[n].old = dup_col(st, 10);
		e[n].new = dup_col(st, 11);
		e[n].dispatch = case_col_time(st, 13);
		e[n].ack = case_col_time(st, 14);
		e[n].note = dup_col(st, 8);
		n++;
	}
	*np = n;
	return e;
}

static void
free_events(struct case_event *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)e[i].to), free((char *)e[i].outcome);
		free((char *)e[i].field), free((char *)e[i].old);
		free((char *)e[i].new), free((char *)e[i].note);
	}
	free(e);
}

/*
 * Every deadline the case has had, of either clock, as the lifecycle
 * folds its history up to now: when it was set, and whether it was met,
 * missed, replaced before it fell due, or is still in force.
 */
static void
fold_case(struct case_db *db, long long id, const char *category, long long now,
    struct case_life *l, struct case_hist *h, struct case_assist **a,
    size_t *na)
{
	struct case_event *e;
	size_t n;

	e = read_events(db, id, &n);
	memset(h, 0, sizeof *h);
	case_life_init(l, h);
	case_code_copy(l->category, category);
	case_life_fold(l, e, n, now, CASE_NOTIME);
	/* The assisting units now, as the unit shown is the lead now. */
	*na = case_assist_fold(e, n, LLONG_MAX, CASE_NOTIME, a);
	free_events(e, n);
}

/*
 * The assisting units (协办) under the lead, each with its name and its
 * part: handled when, or outstanding.
 */
static void
assisting(struct case_db *db, const struct case_assist *a, size_t n,
    FILE *fp)
{
	struct case_stmt *st = case_prepare(db, q_query_unit_name);
	char buf[CASE_CODE * 4 + 128], t[40];
	const char *name;
	size_t i;

	for (i = 0; i < n; i++) {
		case_bind_text(st, ":code", a[i].unit);
		name = case_step(st) == CASE_ROW ? case_col_text(st, 0) : NULL;
		if (a[i].done != CASE_NOTIME)
			snprintf(buf, sizeof buf, "%s  %s %s",
			    name != NULL ? name : "", _("part handled"),
			    case_fmt_time(a[i].done, t, sizeof t));
		else
			snprintf(buf, sizeof buf, "%s  %s",
			    name != NULL ? name : "", _("part outstanding"));
		case_reset(st);
		field(fp, _("assisting"), a[i].unit, buf);
	}
}

/*
 * A case as it stood at t, knowing only what was recorded by known
 * (CASE_NOTIME: all), as the figures fold it (stats.c): its life into l,
 * and its title then into *title (a new string, NULL if it had none).
 * A list made --as-of a moment thus reads the same whatever was edited
 * or reassigned since.  -1 if there is no such case.
 */
int
case_as_of(struct case_db *db, long long id, long long t, long long known,
    struct case_life *l, char **title)
{
	struct case_stmt *st = case_prepare(db, q_query_show);
	struct case_event *e;
	char *now;
	size_t n;
	const char *then;

	case_bind_int(st, ":id", id);
	if (case_step(st) != CASE_ROW)
		return -1;
	case_life_init(l, NULL);
	case_code_copy(l->category, case_col_text(st, 3));
	case_code_copy(l->grid, case_col_text(st, 8));
	l->priority = case_priority_parse(case_col_text(st, 32));
	if (l->priority < 0)
		l->priority = CASE_P_NORMAL;
	now = dup_col(st, 1);
	e = read_events(db, id, &n);
	case_life_fold(l, e, n, t, known);
	then = case_title_at(now, e, n, t, known);
	*title = then != NULL ? case_strdup(then) : NULL;
	free(now);
	free_events(e, n);
	return 0;
}

static void
deadlines(const struct case_hist *h, FILE *fp)
{
	static const char *fates[] = { N_("in force"), N_("met"),
	    N_("missed"), N_("replaced") };
	const struct case_term *t;
	char a[40], b[40];
	size_t i;

	fputs(_("deadlines\n"), fp);
	for (i = 0; i < h->nterm; i++) {
		t = &h->term[i];
		fputs("    ", fp);
		label_pad(fp, t->clock == CASE_CLOCK_DISPATCH ? _("dispatch") :
		    _("resolution"), 10);
		fprintf(fp, _("  %s  set %s  %s\n"),
		    case_fmt_time(t->deadline, a, sizeof a),
		    case_fmt_time(t->set, b, sizeof b), _(fates[t->fate]));
	}
}

/* The last deadline of a clock, if it had one. */
static const struct case_term *
last_term(const struct case_hist *h, int clock)
{
	size_t i;

	for (i = h->nterm; i > 0; i--)
		if (h->term[i - 1].clock == clock)
			return &h->term[i - 1];
	return NULL;
}

/*
 * Calls fn for each case unsigned at t: its holder had not signed for
 * it by then, past the sign-for limit (lifecycle.c), knowing what was
 * recorded by known (--as-of; CASE_NOTIME: all); in ID order, with the
 * case as it stood then and its title then.  case-list --unsigned and
 * case-notify ask this.
 */
void
case_unsigned_each(struct case_db *db, long long t, long long known,
    void (*fn)(void *, long long, const struct case_life *, const char *),
    void *arg)
{
	struct case_stmt *st;
	struct case_life l;
	long long *ids;
	size_t n, i;
	char *title;

	if (known != CASE_NOTIME)
		st = case_prepare(db, q_query_unsigned_then);
	else
		st = case_prepare(db, q_query_unsigned);
	case_bind_int(st, ":t", t);
	n = case_col_ids(st, &ids);
	for (i = 0; i < n; i++) {
		if (case_as_of(db, ids[i], t, known, &l, &title) == -1)
			continue;
		if (case_life_unsigned(&l, t))
			fn(arg, ids[i], &l, title != NULL ? title : "");
		free(title);
	}
	free(ids);
}

struct unsigned_list {
	const struct case_filter *f;
	struct case_codes sub;
	struct case_out *out;
	long	 rows;
};

static void
unsigned_row(void *arg, long long id, const struct case_life *l,
    const char *title)
{
	struct unsigned_list *u = arg;
	char num[24], given[40], by[40];
	const char *v[6];

	if ((u->f->unit != NULL && !case_codes_has(&u->sub, l->unit)) ||
	    (u->f->category != NULL && strcmp(u->f->category,
	    l->category) != 0))
		return;
	snprintf(num, sizeof num, "%lld", id);
	v[0] = num, v[1] = l->unit;
	v[2] = case_fmt_time(l->ack_from, given, sizeof given);
	v[3] = case_fmt_time(l->ack, by, sizeof by);
	v[4] = l->category, v[5] = title;
	case_out_row(u->out, v);
	u->rows++;
}

/*
 * case-list --unsigned: the cases unsigned at t (case_unsigned_each()),
 * with the unit, when it was given the case and by when it was to sign.
 * --unit (the unit or one under it) and --category select among them.
 */
long
case_query_unsigned(struct case_db *db, const struct case_filter *f,
    long long t, long long known, enum case_fmt fmt, FILE *fp)
{
	static const char *names[] = { "id", "unit", "given", "sign_by",
	    "category", "title" };
	struct unsigned_list u = { f, { NULL, 0 }, NULL, 0 };

	if (f->unit != NULL)
		case_codes_load(db, q_filter_subtree, f->unit, &u.sub);
	u.out = case_out_open(fp, fmt, 6, names, "itTTtt", 0);
	case_unsigned_each(db, t, known, unsigned_row, &u);
	case_out_close(u.out);
	case_codes_free(&u.sub);
	return u.rows;
}

/* How a follow-up action stands at t, by the lifecycle's rule. */
static const char *
task_state(const struct case_task *k, long long t)
{
	if (k->done != CASE_NOTIME)
		return k->done <= k->due ? _("done on time") : _("done late");
	return case_task_overdue(k, t) ? _("overdue") : _("open");
}

/*
 * The conferences held on the case, with the units present and the
 * decision, and under each its follow-up actions: the owner unit, the
 * deadline and how it stands at now.
 */
static void
conferences(struct case_db *db, long long id, long long now, FILE *fp)
{
	struct case_event *e;
	struct case_hist h;
	struct case_life l;
	const struct case_task *k;
	char a[40], b[40];
	size_t n, i, j;
	int any = 0;

	e = read_events(db, id, &n);
	memset(&h, 0, sizeof h);
	case_life_init(&l, &h);
	case_life_fold(&l, e, n, now, CASE_NOTIME);
	for (i = 0; i < n; i++) {
		if (e[i].action != CASE_A_CONFERRED || e[i].new == NULL)
			continue;
		if (!any++)
			fputs(_("conferences\n"), fp);
		fprintf(fp, "    %s  #%s  ", case_fmt_time(e[i].at, a,
		    sizeof a), e[i].new);
		case_escape_ctl(fp, e[i].old != NULL ? e[i].old : "");
		fputs("  ", fp);
		case_escape_ctl(fp, e[i].note != NULL ? e[i].note : "");
		putc('\n', fp);
		for (j = 0; j < h.ntask; j++) {
			k = &h.task[j];
			if (k->conf == NULL || strcmp(k->conf, e[i].new) != 0)
				continue;
			fprintf(fp, _("        action %s  %s  due %s  %s"),
			    k->id, k->unit != NULL ? k->unit : "-",
			    case_fmt_time(k->due, a, sizeof a),
			    task_state(k, now));
			if (k->done != CASE_NOTIME)
				fprintf(fp, " %s", case_fmt_time(k->done, b,
				    sizeof b));
			fputs("  ", fp);
			case_escape_ctl(fp, k->text != NULL ? k->text : "");
			putc('\n', fp);
		}
	}
	case_hist_free(&h);
	free_events(e, n);
}

/*
 * case-list --actions-overdue: each follow-up action overdue at now, as
 * the lifecycle says, a line each in action order within case order:
 * action, case, owner unit, deadline, conference, text.  The count.
 */
long
case_actions_overdue(struct case_db *db, long long now, FILE *fp)
{
	struct case_event *e;
	struct case_hist h;
	struct case_life l;
	const struct case_task *k;
	long long *ids, id;
	size_t n, i, nid, j;
	long count = 0;
	char due[40];

	nid = case_col_ids(case_prepare(db, q_query_tasked), &ids);
	memset(&h, 0, sizeof h);
	for (j = 0; j < nid; j++) {
		id = ids[j];
		e = read_events(db, id, &n);
		case_life_init(&l, &h);
		case_life_fold(&l, e, n, now, CASE_NOTIME);
		for (i = 0; i < h.ntask; i++) {
			k = &h.task[i];
			if (!case_task_overdue(k, now))
				continue;
			fprintf(fp, "%s\t%lld\t%s\t%s\t%s\t", k->id, id,
			    k->unit != NULL ? k->unit : "",
			    case_fmt_time(k->due, due, sizeof due),
			    k->conf != NULL ? k->conf : "");
			case_escape_ctl(fp, k->text != NULL ? k->text : "");
			putc('\n', fp);
			count++;
		}
		free_events(e, n);
	}
	case_hist_free(&h);
	free(ids);
	return count;
}

/* The cases overdue at now, in ID order, by the lifecycle's definition. */
size_t
case_overdue_ids(struct case_db *db, long long now, long long **ids)
{
	struct case_stmt *st = case_prepare(db, q_lifecycle_overdue_ids);

	case_bind_int(st, ":now", now);
	return case_col_ids(st, ids);
}

int
case_exists(struct case_db *db, long long id)
{
	struct case_stmt *st = case_prepare(db, q_query_exists);

	case_bind_int(st, ":id", id);
	return case_step(st) == CASE_ROW;
}

/* The case of source that has external reference ref, or 0. */
long long
case_ref_find(struct case_db *db, const char *source, const char *ref)
{
	struct case_stmt *st = case_prepare(db, q_cases_ref);

	case_bind_text(st, ":source", source);
	case_bind_text(st, ":ref", ref);
	return case_step(st) == CASE_ROW ? case_col_int(st, 0) : 0;
}

/*
 * A case's links both ways, a line a kind: its parent, its children, its
 * duplicates and the number of reports they make with it, the cases
 * related to it; each other case with its status.
 */
static void
links(struct case_db *db, long long id, FILE *fp)
{
	static const char *labels[] = { N_("parent"), N_("children"),
	    N_("duplicates"), N_("related") };
	struct case_stmt *st = case_prepare(db, q_query_links);
	char *line[4] = { NULL, NULL, NULL, NULL }, *p;
	long long dups = 0;
	int k;

	case_bind_int(st, ":id", id);
	while (case_step(st) == CASE_ROW) {
		if ((k = (int)case_col_int(st, 0)) < 0 || k > 3)
			continue;
		dups += k == 2;
		if (asprintf(&p, "%s%s%lld (%s)", line[k] != NULL ? line[k] :
		    "", line[k] != NULL ? ", " : "", case_col_int(st, 1),
		    case_col_text(st, 2)) == -1)
			err(CASE_EXIT_FATAL, "asprintf");
		free(line[k]);
		line[k] = p;
	}
	for (k = 0; k < 4; k++) {
		if (line[k] != NULL)
			field(fp, _(labels[k]), line[k], NULL);
		free(line[k]);
		if (k == 2 && dups > 0) {
			char buf[32];

			snprintf(buf, sizeof buf, "%lld", dups + 1);
			field(fp, _("reports"), buf, NULL);
		}
	}
}

/* The whole record and its history, for a person; -1 if there is none. */
int
case_show(struct case_db *db, long long id, FILE *fp)
{
	struct case_stmt *st = case_prepare(db, q_query_show);
	long long now = case_now(), rep, asg, cl, n;
	struct case_hist h;
	struct case_life l;
	struct case_assist *a;
	size_t na;
	char buf[64];

	case_bind_int(st, ":id", id);
	if (case_step(st) != CASE_ROW)
		return -1;
	rep = case_col_time(st, 7), asg = case_col_time(st, 15);
	cl = case_col_time(st, 16);
	field(fp, _("case"), case_col_text(st, 0), NULL);
	field(fp, _("title"), case_col_text(st, 1), NULL);
	field(fp, _("status"), case_col_text(st, 2), NULL);
	field(fp, _("priority"), case_priority_word(case_priority_parse(
	    case_col_text(st, 32))), NULL);
	field(fp, _("category"), case_col_text(st, 3), case_col_text(st, 4));
	field(fp, _("source"), case_col_text(st, 5), case_col_text(st, 6));
	if (case_col_text(st, 29) != NULL)
		field(fp, _("ref"), case_col_text(st, 29), NULL);
	if (!case_col_null(st, 30)) {
		char la[40], lo[40];

		snprintf(buf, sizeof buf, "%s, %s", case_fmt_degrees(
		    case_col_double(st, 30), la, sizeof la), case_fmt_degrees(
		    case_col_double(st, 31), lo, sizeof lo));
		field(fp, _("position"), buf, NULL);
	}
	time_field(fp, _("reported"), rep);
	field(fp, _("grid"), case_col_text(st, 8), case_col_text(st, 9));
	field(fp, _("location"), case_col_text(st, 10), NULL);
	field(fp, _("reporter"), case_col_text(st, 11), NULL);
	field(fp, _("unit"), case_col_text(st, 12), case_col_text(st, 13));
	/* A paused case's clocks are stopped where it was parked. */
	if (case_col_time(st, 22) != CASE_NOTIME)
		now = case_col_time(st, 22);
	/* A case closed at intake stopped its dispatch clock there. */
	fold_case(db, id, case_col_text(st, 3), now, &l, &h, &a, &na);
	assisting(db, a, na, fp);
	free(a);
	time_field(fp, _("due"), case_col_time(st, 14));
	time_field(fp, _("assigned"), asg);
	time_field(fp, _("closed"), cl);
	field(fp, _("outcome"), case_col_text(st, 17), case_col_text(st, 18));
	field(fp, _("outcome note"), case_col_text(st, 19), NULL);
	if (!case_col_null(st, 24)) {
		snprintf(buf, sizeof buf, "%lld (%s%s%s)",
		    case_col_int(st, 24), case_col_text(st, 25),
		    case_col_text(st, 26) ? " " : "",
		    case_col_text(st, 26) ? case_col_text(st, 26) : "");
		field(fp, _("duplicate of"), buf, NULL);
	}
	links(db, id, fp);
	if ((n = case_col_int(st, 23)) > 0) {
		snprintf(buf, sizeof buf, "%lld", n);
		field(fp, _("extensions"), buf, NULL);
	}
	if (case_col_time(st, 22) != CASE_NOTIME)
		time_field(fp, _("paused since"), case_col_time(st, 22));
	if (case_col_time(st, 27) != CASE_NOTIME)
		time_field(fp, _("supervised"), case_col_time(st, 27));
	if (case_col_text(st, 28) != NULL)
		field(fp, _("follow-up"), case_col_text(st, 28), NULL);
	clock_field(fp, _("dispatch"), rep, asg != CASE_NOTIME ? asg : cl,
	    case_col_time(st, 21), now, last_term(&h, CASE_CLOCK_DISPATCH));
	clock_field(fp, _("resolution"), asg, cl, case_col_time(st, 14), now,
	    last_term(&h, CASE_CLOCK_RESOLUTION));
	text_block(fp, _("description"), case_col_text(st, 20));
	case_attachments_show(db, id, fp);
	deadlines(&h, fp);
	case_hist_free(&h);
	conferences(db, id, case_now(), fp);
	history(db, id, fp, now, cl == CASE_NOTIME);
	return 0;
}
