/* ref.c - reference data: units, categories, sources (case-init); the roster */
#include <ctype.h>
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"

/* The defaults follow DOMAIN.md; an office's own files replace them. */
/*
 * Enterprise requests are handled on receipt (即收即办, DOMAIN.md): the
 * one default category marked same_day.
 */
static const char *default_categories[][3] = {
	{ "hazard", "安全隐患", "24h" },
	{ "dispute", "矛盾纠纷", "7d" },
	{ "petition", "信访", "30d" },
	{ "law", "涉法涉诉", "30d" },
	{ "legal-aid", "法律援助", "7d" },
	{ "enterprise", "企业诉求", "3d" },
	{ "suggestion", "群众建议", "15d" },
	{ "other", "其他", "7d" },
};
static const char *default_sources[][2] = {
	{ "grid", "网格巡查" }, { "hotline", "热线电话" },
	{ "wechat", "微信企呼我为" }, { "council", "民主议事协商" },
	{ "mediation", "矛盾纠纷调处中心" }, { "walk-in", "来访" },
	{ "police", "警网融合" }, { "media", "媒体" }, { "other", "其他" },
};

/* One reference file: its rows, by the columns its header names. */
#define NCOL	9		/* the most columns a file has (categories) */
struct row {
	char	*v[NCOL];	/* code, name, parent|deadline, level, ... */
	long	 line;
	int	 depth;		/* -1: not known yet; -2: being walked */
};

struct file {
	const char *path;
	struct row *rows;
	size_t	 n;
	struct row **byCode;	/* the rows in the order of their codes */
	int	 bad;
};

static void
bad(struct file *f, long line, const char *col, const char *why,
    const char *v)
{
	if (f->bad++ < 20)
		warnx("%s:%ld: %s: %s%s%s", f->path, line, col, why,
		    v ? " -- " : "", v ? case_esc(v) : "");
}

static int
code_cmp(const void *a, const void *b)
{
	const struct row *x = *(struct row *const *)a;
	const struct row *y = *(struct row *const *)b;
	int c = strcmp(x->v[0], y->v[0]);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/*
 * The rows sorted by code, so that a code is found in log n steps and a
 * duplicate is next to its first: a file of 100,000 units loads in
 * seconds.  A duplicate is reported at its own line.
 */
static void
index_codes(struct file *f, const char *col)	/* col NULL: no report */
{
	size_t i;

	f->byCode = case_reallocarray(f->byCode, f->n, sizeof *f->byCode);
	for (i = 0; i < f->n; i++)
		f->byCode[i] = &f->rows[i];
	qsort(f->byCode, f->n, sizeof *f->byCode, code_cmp);
	for (i = 1; i < f->n && col != NULL; i++)
		if (strcmp(f->byCode[i - 1]->v[0], f->byCode[i]->v[0]) == 0 &&
		    f->byCode[i]->v[0][0] != '\0')
			bad(f, f->byCode[i]->line, col, _("duplicate code"),
			    f->byCode[i]->v[0]);
}

/*
 * Reads path, whose header must hold the columns want[0..nreq-1] and may
 * hold want[nreq..nwant-1]; other columns are ignored.
 */
static void
read_file(struct file *f, const char *path, const char *const *want,
    int nreq, int nwant)
{
	struct case_csv *c = case_csv_open(path, NULL);
	int idx[NCOL], n, hn, i, j, rc;
	char **fld;
	long line;

	memset(f, 0, sizeof *f);
	f->path = path;
	if ((rc = case_csv_next(c, &fld, &hn, &line)) != 1) {
		if (rc == 0)
			errx(CASE_EXIT_REJECT, _("%s: empty file, no header"),
			    path);
		errx(CASE_EXIT_REJECT, "%s", case_csv_error(c));
	}
	for (j = 0; j < nwant; j++) {
		idx[j] = -1;
		for (i = 0; i < hn; i++)
			if (strcmp(fld[i], want[j]) == 0)
				idx[j] = i;
		if (idx[j] == -1 && j < nreq)
			errx(CASE_EXIT_REJECT, _("%s:1: header: no column %s"),
			    path, want[j]);
	}
	while ((rc = case_csv_next(c, &fld, &n, &line)) == 1) {
		struct row *r;

		/*
		 * A missing trailing field is empty; one too many is most
		 * likely a comma in a name that was not quoted.
		 */
		if (n > hn) {
			if (f->bad++ < 20)
				warnx(_("%s:%ld: record: %d fields, but the "
				    "header has %d"), f->path, line, n, hn);
			continue;
		}
		f->rows = case_reallocarray(f->rows, f->n + 1, sizeof *f->rows);
		r = &f->rows[f->n++];
		memset(r, 0, sizeof *r);
		r->line = line;
		for (j = 0; j < nwant; j++) {
			const char *s = idx[j] >= 0 && idx[j] < n ? fld[idx[j]] : "";

			if (!case_utf8_valid(s, strlen(s)))
				bad(f, line, want[j], _("invalid UTF-8"), NULL);
			r->v[j] = case_strdup(s);
		}
		if (r->v[0][0] == '\0')
			bad(f, line, want[0], _("empty"), NULL);
		else if (strlen(r->v[0]) > CASE_CODE_MAX) {
			char why[160];

			snprintf(why, sizeof why, _("longer than %d bytes, the "
			    "most a code may have"), CASE_CODE_MAX);
			bad(f, line, want[0], why, r->v[0]);
		}
	}
	if (rc == -1)
		errx(CASE_EXIT_REJECT, "%s", case_csv_error(c));
	case_csv_close(c);
	index_codes(f, want[0]);
}

static void
free_file(struct file *f)
{
	size_t i;
	int j;

	for (i = 0; i < f->n; i++)
		for (j = 0; j < NCOL; j++)
			free(f->rows[i].v[j]);
	free(f->rows);
	free(f->byCode);
}

static struct row *
find(struct file *f, const char *code)
{
	size_t lo = 0, hi = f->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(f->byCode[mid]->v[0], code)) == 0)
			return f->byCode[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * The depth of r: the walk up the parents stops at a unit whose depth is
 * known, so that every unit is walked once and a chain of 10,000 levels
 * costs no more than 10,000 flat units.  A parent that is missing, or a
 * chain that comes back to itself, is refused.
 */
static int
depth_of(struct file *f, struct row *r, struct row ***stack, size_t *cap)
{
	struct row *p = r, *q;
	size_t n = 0, k;
	int base = 0;

	if (r->depth >= 0)
		return r->depth;
	for (;;) {
		if (p->depth >= 0) {
			base = p->depth + 1;
			break;
		}
		if (p->depth == -2) {
			/* Back at a unit of this walk: each on the cycle. */
			for (k = 0; (*stack)[k] != p; k++)
				;
			for (; k < n; k++)
				bad(f, (*stack)[k]->line, "parent",
				    _("cycle through"), (*stack)[k]->v[0]);
			break;
		}
		if (n == *cap) {
			*cap = *cap ? 2 * *cap : 64;
			*stack = case_reallocarray(*stack, *cap, sizeof **stack);
		}
		(*stack)[n++] = p;
		p->depth = -2;
		if (p->v[2][0] == '\0')
			break;
		if ((q = find(f, p->v[2])) == NULL) {
			bad(f, p->line, "parent", _("no such unit"), p->v[2]);
			break;
		}
		p = q;
	}
	for (k = n; k > 0; k--)
		(*stack)[k - 1]->depth = base + (int)(n - k);
	return r->depth;
}

/* Depth and level of each unit; a unit whose parent chain does not end is refused. */
static void
unit_depths(struct file *f)
{
	static const char *levels[] = { "district", "street", "community",
	    "grid" };
	struct row **stack = NULL;
	size_t i, cap = 0;
	int d;

	for (i = 0; i < f->n; i++)
		f->rows[i].depth = -1;
	for (i = 0; i < f->n; i++) {
		struct row *r = &f->rows[i];

		d = depth_of(f, r, &stack, &cap);
		if (r->v[3][0] == '\0') {
			free(r->v[3]);
			r->v[3] = case_strdup(levels[d < 3 ? d : 3]);
		}
	}
	free(stack);
	for (i = 0; i < f->n; i++)
		if (f->rows[i].v[4][0] != '\0') {
			long long s;
			int wd, dayly;

			if (case_deadline_parse(f->rows[i].v[4], &s, &wd,
			    &dayly) == -1)
				bad(f, f->rows[i].line, "deadline",
				    _("invalid duration"), f->rows[i].v[4]);
		}
}

static int
depth_cmp(const void *a, const void *b)
{
	return ((const struct row *)a)->depth - ((const struct row *)b)->depth;
}

static const char *
nonempty(const char *s)
{
	return s[0] != '\0' ? s : NULL;
}

/*
 * The codes in the database that the new file leaves out; they are to be
 * dropped, unless a case uses them: then the whole load is refused.
 */
static void
missing(struct case_db *db, struct file *f, const char *sql_all, const char *sql_used,
    const char *what, struct case_codes *gone)
{
	struct case_stmt *u;
	size_t i, j;

	case_codes_load(db, sql_all, NULL, gone);
	for (i = j = 0; i < gone->n; i++)
		if (find(f, gone->v[i]) == NULL)
			gone->v[j++] = gone->v[i];
		else
			free(gone->v[i]);
	gone->n = j;
	for (i = 0; i < gone->n; i++) {
		u = case_prepare(db, sql_used);
		case_bind_text(u, ":code", gone->v[i]);
		case_step(u);
		if (case_col_int(u, 0) > 0) {
			warnx(_("%s: %s %s is used by %lld cases and cannot be "
			    "dropped"), f->path, what, gone->v[i],
			    case_col_int(u, 0));
			f->bad++;
		}
	}
}

/* Runs sql with :code bound to each of n codes. */
static void
each_code(struct case_db *db, const char *sql, char **codes, size_t n)
{
	struct case_stmt *st;
	size_t i;

	for (i = 0; i < n; i++) {
		st = case_prepare(db, sql);
		case_bind_text(st, ":code", codes[i]);
		case_step(st);
	}
}

static int
load_units(struct case_db *db, const char *path)
{
	static const char *want[] = { "code", "name", "parent", "level",
	    "deadline", "email", "phone" };
	struct file f;
	struct case_stmt *st;
	struct case_codes gone;
	size_t i;
	int nbad;

	read_file(&f, path, want, 3, 7);
	for (i = 0; i < f.n; i++) {
		if (strcmp(f.rows[i].v[0], CASE_ON_DUTY) == 0)
			bad(&f, f.rows[i].line, "code", _("reserved: "
			    "case-assign --to on-duty names the unit on duty"),
			    f.rows[i].v[0]);
		if (f.rows[i].v[5][0] != '\0' && !case_email_valid(f.rows[i].v[5]))
			bad(&f, f.rows[i].line, "email",
			    _("not an e-mail address"), f.rows[i].v[5]);
		if (f.rows[i].v[6][0] != '\0' && !case_phone_valid(f.rows[i].v[6]))
			bad(&f, f.rows[i].line, "phone",
			    _("not a telephone number"), f.rows[i].v[6]);
	}
	unit_depths(&f);
	/* Parents go in before their children. */
	qsort(f.rows, f.n, sizeof *f.rows, depth_cmp);
	index_codes(&f, NULL);
	missing(db, &f, q_ref_all_units, q_ref_unit_used, _("unit"), &gone);
	for (i = 0; i < gone.n; i++) {
		st = case_prepare(db, q_ref_unit_on_duty);
		case_bind_text(st, ":code", gone.v[i]);
		case_step(st);
		if (case_col_int(st, 0) > 0) {
			warnx(_("%s: unit %s is on duty on %lld days of the "
			    "roster and cannot be dropped"), f.path, gone.v[i],
			    case_col_int(st, 0));
			f.bad++;
		}
		case_reset(st);
	}
	if (f.bad == 0)
		each_code(db, q_ref_unlink_unit, gone.v, gone.n);
	for (i = 0; i < f.n && f.bad == 0; i++) {
		st = case_prepare(db, q_ref_put_unit);
		case_bind_text(st, ":code", f.rows[i].v[0]);
		case_bind_text(st, ":name", f.rows[i].v[1]);
		case_bind_text(st, ":parent", nonempty(f.rows[i].v[2]));
		case_bind_text(st, ":level", f.rows[i].v[3]);
		case_bind_text(st, ":deadline", nonempty(f.rows[i].v[4]));
		case_bind_text(st, ":email", nonempty(f.rows[i].v[5]));
		case_bind_text(st, ":phone", nonempty(f.rows[i].v[6]));
		case_step(st);
	}
	/* Now no unit left has a dropped one for its parent. */
	each_code(db, q_ref_drop_unit, gone.v, f.bad == 0 ? gone.n : 0);
	case_codes_free(&gone);
	nbad = f.bad;
	free_file(&f);
	return nbad;
}

/* A same_day cell: 1 yes, 0 no (or empty), -1 neither. */
static int
same_day(const char *v)
{
	if (v[0] == '\0' || strcmp(v, "no") == 0 || strcmp(v, "0") == 0)
		return 0;
	if (strcmp(v, "yes") == 0 || strcmp(v, "1") == 0)
		return 1;
	return -1;
}

/*
 * A category: its deadline, and optionally its dispatch limit, its
 * default tier (priority: a code or a word, kept as the code) and the
 * deadlines of the tiers urgent and high, in the deadline's units; a
 * tier without its own has the next one's (case_priority_term());
 * its sign-for limit (ack) and whether it is handled on receipt
 * (same_day).
 */
static int
load_categories(struct case_db *db, const char *path)
{
	static const char *want[] = { "code", "name", "deadline", "dispatch",
	    "ack", "same_day", "priority", "urgent", "high" };
	struct file f;
	struct case_stmt *st;
	long long secs;
	int wd, dayly, p, j;
	struct case_codes gone;
	size_t i;
	int nbad;

	read_file(&f, path, want, 3, 9);
	for (i = 0; i < f.n; i++) {
		if (same_day(f.rows[i].v[5]) == -1)
			bad(&f, f.rows[i].line, "same_day",
			    _("must be yes or no"), f.rows[i].v[5]);
		if (case_deadline_parse(f.rows[i].v[2], &secs, &wd, &dayly) == -1)
			bad(&f, f.rows[i].line, "deadline",
			    _("invalid duration"), f.rows[i].v[2]);
		/* dispatch, ack, urgent and high: durations, or empty */
		for (j = 3; j < 9; j++)
			if (j != 5 && j != 6 && f.rows[i].v[j][0] != '\0' &&
			    case_deadline_parse(f.rows[i].v[j], &secs, &wd,
			    &dayly) == -1)
				bad(&f, f.rows[i].line, want[j],
				    _("invalid duration"), f.rows[i].v[j]);
		if (f.rows[i].v[6][0] == '\0')
			continue;
		if ((p = case_priority_parse(f.rows[i].v[6])) < 0)
			bad(&f, f.rows[i].line, "priority", _("must be urgent, "
			    "high or normal (紧急, 重要, 一般)"), f.rows[i].v[6]);
		else {
			free(f.rows[i].v[6]);
			f.rows[i].v[6] = case_strdup(case_priority_name(p));
		}
	}
	missing(db, &f, q_ref_all_categories, q_ref_category_used, _("category"),
	    &gone);
	each_code(db, q_ref_drop_category, gone.v, f.bad == 0 ? gone.n : 0);
	case_codes_free(&gone);
	for (i = 0; i < f.n && f.bad == 0; i++) {
		st = case_prepare(db, q_ref_put_category);
		case_bind_text(st, ":code", f.rows[i].v[0]);
		case_bind_text(st, ":name", f.rows[i].v[1]);
		case_bind_text(st, ":deadline", f.rows[i].v[2]);
		case_bind_text(st, ":dispatch", nonempty(f.rows[i].v[3]));
		case_bind_text(st, ":ack", nonempty(f.rows[i].v[4]));
		case_bind_int(st, ":same_day", same_day(f.rows[i].v[5]));
		case_bind_text(st, ":priority", nonempty(f.rows[i].v[6]));
		case_bind_text(st, ":urgent", nonempty(f.rows[i].v[7]));
		case_bind_text(st, ":high", nonempty(f.rows[i].v[8]));
		case_step(st);
	}
	nbad = f.bad;
	free_file(&f);
	return nbad;
}

/* Sources only add to the default list, so that scripts keep working. */
static int
load_sources(struct case_db *db, const char *path)
{
	static const char *want[] = { "code", "name" };
	struct file f;
	struct case_stmt *st;
	size_t i;
	int nbad;

	read_file(&f, path, want, 2, 2);
	for (i = 0; i < f.n && f.bad == 0; i++) {
		st = case_prepare(db, q_ref_put_source);
		case_bind_text(st, ":code", f.rows[i].v[0]);
		case_bind_text(st, ":name", f.rows[i].v[1]);
		case_step(st);
	}
	nbad = f.bad;
	free_file(&f);
	return nbad;
}

/*
 * A file of days, the columns date and col, each row's value checked by
 * check (NULL: good, else why not) and, if no row had a problem, each
 * put.  Days the file does not name stay as they were.  Returns the
 * problems reported.
 */
static int
load_days(struct case_db *db, const char *path, const char *col,
    const char *(*check)(struct case_db *, const char *),
    void (*put)(struct case_db *, const char *, const char *))
{
	const char *want[] = { "date", col }, *why;
	struct file f;
	size_t i;
	int nbad;

	read_file(&f, path, want, 2, 2);
	for (i = 0; i < f.n; i++) {
		if (!case_day_valid(f.rows[i].v[0]))
			bad(&f, f.rows[i].line, "date",
			    _("not a date (YYYY-MM-DD)"), f.rows[i].v[0]);
		if ((why = check(db, f.rows[i].v[1])) != NULL)
			bad(&f, f.rows[i].line, col, why, f.rows[i].v[1]);
	}
	for (i = 0; i < f.n && f.bad == 0; i++)
		put(db, f.rows[i].v[0], f.rows[i].v[1]);
	nbad = f.bad;
	free_file(&f);
	return nbad;
}

/* Days that differ from "Monday to Friday work": off, or work (调休). */
static const char *
day_type(struct case_db *db, const char *type)
{
	(void)db;
	return strcmp(type, "off") == 0 || strcmp(type, "work") == 0 ? NULL :
	    _("must be off or work");
}

static const char *
known_unit(struct case_db *db, const char *unit)
{
	return case_known(db, CASE_KNOWN_UNIT, unit) ? NULL :
	    _("unknown unit");
}

/* Is day a date as the calendar and the roster hold one, YYYY-MM-DD? */
int
case_day_valid(const char *day)
{
	long long t;
	int dayonly;

	return strlen(day) == 10 && case_parse_time(day, 0, &t, &dayonly) ==
	    0 && dayonly;
}

/*
 * The duty roster from path, a CSV file of date,unit: each row sets the
 * unit on duty that day.  Returns the problems reported.
 */
int
case_roster_load(struct case_db *db, const char *path)
{
	return load_days(db, path, "unit", known_unit, case_roster_set);
}

/* Puts unit on duty on day, or nobody if unit is NULL. */
void
case_roster_set(struct case_db *db, const char *day, const char *unit)
{
	struct case_stmt *st;

	if (unit != NULL) {
		st = case_prepare(db, q_ref_put_duty);
		case_bind_text(st, ":unit", unit);
	} else
		st = case_prepare(db, q_ref_drop_duty);
	case_bind_text(st, ":day", day);
	case_step(st);
	case_reset(st);
}

/*
 * The unit on duty at instant t, by the roster's entry for t's local
 * day (written into day, YYYY-MM-DD), or NULL if the roster has none.
 */
const char *
case_on_duty(struct case_db *db, long long t, char day[11])
{
	static char unit[CASE_CODE];
	struct case_stmt *st;
	struct tm tm;
	time_t tt = (time_t)t;
	const char *u = NULL;

	localtime_r(&tt, &tm);
	strftime(day, 11, "%Y-%m-%d", &tm);
	st = case_prepare(db, q_ref_duty);
	case_bind_text(st, ":day", day);
	if (case_step(st) == CASE_ROW) {
		case_code_copy(unit, case_col_text(st, 0));
		u = unit;
	}
	case_reset(st);
	return u;
}

static void
defaults(struct case_db *db, int categories)
{
	struct case_stmt *st;
	size_t i;

	for (i = 0; categories && i < sizeof default_categories /
	    sizeof default_categories[0]; i++) {
		st = case_prepare(db, q_ref_put_category);
		case_bind_text(st, ":code", default_categories[i][0]);
		case_bind_text(st, ":name", default_categories[i][1]);
		case_bind_text(st, ":deadline", default_categories[i][2]);
		case_bind_text(st, ":dispatch", NULL);
		case_bind_text(st, ":ack", NULL);
		case_bind_int(st, ":same_day",
		    strcmp(default_categories[i][0], "enterprise") == 0);
		case_bind_text(st, ":priority", NULL);
		case_bind_text(st, ":urgent", NULL);
		case_bind_text(st, ":high", NULL);
		case_step(st);
	}
	for (i = 0; i < sizeof default_sources / sizeof default_sources[0];
	    i++) {
		st = case_prepare(db, q_ref_put_source);
		case_bind_text(st, ":code", default_sources[i][0]);
		case_bind_text(st, ":name", default_sources[i][1]);
		case_step(st);
	}
}

/*
 * Loads the reference files named in rf inside the caller's transaction.
 * A database without categories gets the defaults.  Returns the number of
 * problems reported; the caller rolls back if there were any.
 */
int
case_ref_load(struct case_db *db, const struct case_ref_files *rf)
{
	int nbad = 0;

	if (case_step(case_prepare(db, q_ref_any_category)) != CASE_ROW)
		defaults(db, rf->categories == NULL);
	if (rf->units != NULL)
		nbad += load_units(db, rf->units);
	if (rf->categories != NULL)
		nbad += load_categories(db, rf->categories);
	if (rf->sources != NULL)
		nbad += load_sources(db, rf->sources);
	if (rf->calendar != NULL)
		nbad += load_days(db, rf->calendar, "type", day_type,
		    case_calendar_put);
	return nbad;
}

/*
 * An address a unit's notices go to (case-notify), as the units file
 * gives it: it ends up in a mail header and in a command's arguments,
 * so it is held to a plain shape.  An e-mail address is local@domain of
 * printable ASCII with no blank, quote, bracket, comma or semicolon, at
 * most 254 bytes; a telephone number is digits, an optional leading +,
 * and - between them, 3 to 32 bytes.
 */
int
case_email_valid(const char *s)
{
	const char *at = strchr(s, '@'), *p;
	size_t n = strlen(s);

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') ||
	    n > 254 || s[0] == '-')
		return 0;
	for (p = s; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"(),:;<>[\\]", *p))
			return 0;
	return 1;
}

int
case_phone_valid(const char *s)
{
	const char *p = s;
	size_t n = strlen(s);

	if (n < 3 || n > 32)
		return 0;
	if (*p == '+')
		p++;
	if (!isdigit((unsigned char)*p) ||
	    !isdigit((unsigned char)s[n - 1]))
		return 0;
	for (; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) && *p != '-')
			return 0;
	return 1;
}
