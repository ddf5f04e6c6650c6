/* query.c - reading cases out: case-list, case-export and case-show */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/* A column: its name in output, its SQL, and i integer, t text, T time. */
struct col {
	const char *name, *expr;
	char	 type;
};

static const struct col list_cols[] = {
	{ "id", "c.id", 'i' }, { "status", "c.status", 't' },
	{ "unit", "c.unit", 't' }, { "due", "c.due", 'T' },
	{ "category", "c.category", 't' }, { "title", "c.title", 't' },
};

/* case-export's columns: later versions append, never reorder. */
static const struct col export_cols[] = {
	{ "id", "c.id", 'i' }, { "reported", "c.reported", 'T' },
	{ "source", "c.source", 't' }, { "category", "c.category", 't' },
	{ "category_name", "cat.name", 't' }, { "grid", "c.grid", 't' },
	{ "location", "c.location", 't' }, { "reporter", "c.reporter", 't' },
	{ "title", "c.title", 't' }, { "description", "c.description", 't' },
	{ "unit", "c.unit", 't' }, { "unit_name", "u.name", 't' },
	{ "status", "c.status", 't' }, { "due", "c.due", 'T' },
	{ "assigned", "c.assigned", 'T' }, { "closed", "c.closed", 'T' },
	{ "outcome", "c.outcome", 't' },
	{ "outcome_note", "c.outcome_note", 't' },
};

static const struct col event_cols[] = {
	{ "event", "e.id", 'i' }, { "case", "e.case_id", 'i' },
	{ "time", "e.at", 'T' }, { "action", "e.action", 't' },
	{ "actor", "e.actor", 't' }, { "user", "e.osuser", 't' },
	{ "from_unit", "e.from_unit", 't' }, { "to_unit", "e.to_unit", 't' },
	{ "due", "e.due", 'T' }, { "outcome", "e.outcome", 't' },
	{ "note", "e.note", 't' },
};

static const struct {
	const struct col *cols;
	int	 ncols;
	const char *from, *order;
} queries[] = {
	{ list_cols, 6, "cases c", "c.id" },
	{ export_cols, 18, "cases c"
	    " LEFT JOIN categories cat ON cat.code = c.category"
	    " LEFT JOIN units u ON u.code = c.unit", "c.id" },
	{ event_cols, 11, "events e JOIN cases c ON c.id = e.case_id",
	    "e.id" },
};

static char *
build(int kind, const struct case_filter *f)
{
	char *buf = NULL, *where;
	size_t size = 0;
	FILE *fp;
	int i;

	if ((fp = open_memstream(&buf, &size)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	fputs("SELECT ", fp);
	for (i = 0; i < queries[kind].ncols; i++)
		fprintf(fp, "%s%s", i ? ", " : "", queries[kind].cols[i].expr);
	where = case_filter_sql(f);
	fprintf(fp, " FROM %s WHERE %s ORDER BY %s", queries[kind].from, where,
	    queries[kind].order);
	free(where);
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	return buf;
}

/*
 * Writes the cases (or events) that f selects in format fmt; returns
 * how many rows were written.
 */
long
case_query(sqlite3 *db, const struct case_filter *f, int kind,
    enum case_fmt fmt, FILE *fp)
{
	const struct col *cols = queries[kind].cols;
	int n = queries[kind].ncols, i;
	const char *names[32], *vals[32];
	char types[33], tbuf[32][40];
	struct case_out *out;
	sqlite3_stmt *st;
	char *sql;
	long rows = 0;

	for (i = 0; i < n; i++) {
		names[i] = cols[i].name;
		types[i] = cols[i].type == 'i' ? 'i' : 't';
	}
	types[n] = '\0';
	sql = build(kind, f);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		case_dbfatal(db, NULL);
	free(sql);
	case_filter_bind(st, f);
	out = case_out_open(fp, fmt, n, names, types, kind != CASE_Q_LIST);
	while (case_step(st) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			if (cols[i].type == 'T')
				vals[i] = case_fmt_time(case_col_time(st, i),
				    tbuf[i], sizeof tbuf[i]);
			else
				vals[i] = case_col_text(st, i);
		case_out_row(out, vals);
		rows++;
	}
	sqlite3_finalize(st);
	case_out_close(out);
	return rows;
}

static const char sql_show[] =
    "SELECT c.id, c.title, c.status, c.category, cat.name, c.source, s.name,"
    " c.reported, c.grid, g.name, c.location, c.reporter, c.unit, u.name,"
    " c.due, c.assigned, c.closed, c.outcome, o.name, c.outcome_note,"
    " c.description, c.dispatch_due, c.paused, c.extensions,"
    " c.duplicate_of, p.status, p.outcome, c.supervised, c.satisfaction"
    " FROM cases c"
    " LEFT JOIN categories cat ON cat.code = c.category"
    " LEFT JOIN sources s ON s.code = c.source"
    " LEFT JOIN units g ON g.code = c.grid"
    " LEFT JOIN units u ON u.code = c.unit"
    " LEFT JOIN outcomes o ON o.code = c.outcome"
    " LEFT JOIN cases p ON p.id = c.duplicate_of"
    " WHERE c.id = :id";
static const char sql_history[] =
    "SELECT at, action, actor, osuser, from_unit, to_unit, due, outcome,"
    " note, field, old, new FROM events WHERE case_id = :id ORDER BY id";

/* A label, then the value escaped for a terminal, then a name if any. */
static void
field(FILE *fp, const char *label, const char *v, const char *name)
{
	fprintf(fp, "%-13s", label);
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
 * against its limit.
 */
static void
clock_field(FILE *fp, const char *label, long long start, long long stop,
    long long limit, long long now)
{
	char lim[40];
	const char *verdict;
	long long end = stop != CASE_NOTIME ? stop : now;

	if (start == CASE_NOTIME) {
		field(fp, label, "not started", NULL);
		return;
	}
	if (limit == CASE_NOTIME)
		verdict = stop != CASE_NOTIME ? "stopped" : "running";
	else if (stop != CASE_NOTIME)
		verdict = stop <= limit ? "met" : "missed";
	else
		verdict = now <= limit ? "running" : "overdue";
	fprintf(fp, "%-13s%.1fh %s", label, (end - start) / 3600.0, verdict);
	if (limit != CASE_NOTIME)
		fprintf(fp, " (limit %s)", case_fmt_time(limit, lim, sizeof lim));
	putc('\n', fp);
}

static void
event_line(FILE *fp, sqlite3_stmt *st, long long spent, const char *suffix)
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
	if (from != NULL || to != NULL)
		fprintf(fp, "  %s -> %s", from ? from : "-", to ? to : "-");
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
		fprintf(fp, "  due %s", case_fmt_time(case_col_time(st, 6), due,
		    sizeof due));
	if (note != NULL && *note != '\0') {
		fputs("  ", fp);
		case_escape_ctl(fp, note);
	}
	putc('\n', fp);
}

/*
 * The timeline: each step with the time spent in it, up to the next
 * step (or, for an open case's last step, up to now).
 */
static void
history(sqlite3 *db, long long id, FILE *fp, long long now, int open)
{
	sqlite3_stmt *st = case_prepare(db, sql_history);
	long long *t = NULL;
	size_t n = 0, i;

	case_bind_int(st, ":id", id);
	while (case_step(st) == SQLITE_ROW) {
		t = case_reallocarray(t, n + 1, sizeof *t);
		t[n++] = case_col_time(st, 0);
	}
	st = case_prepare(db, sql_history);
	case_bind_int(st, ":id", id);
	fputs("history\n", fp);
	for (i = 0; i < n && case_step(st) == SQLITE_ROW; i++)
		event_line(fp, st, i + 1 < n ? t[i + 1] - t[i] : open ?
		    now - t[i] : CASE_NOTIME, i + 1 < n ? "" : "+");
	free(t);
}

/* The whole record and its history, for a person; -1 if there is none. */
int
case_show(sqlite3 *db, long long id, FILE *fp)
{
	sqlite3_stmt *st = case_prepare(db, sql_show);
	long long now = case_now(), rep, asg, cl, n;
	char buf[64];

	case_bind_int(st, ":id", id);
	if (case_step(st) != SQLITE_ROW)
		return -1;
	rep = case_col_time(st, 7), asg = case_col_time(st, 15);
	cl = case_col_time(st, 16);
	field(fp, "case", case_col_text(st, 0), NULL);
	field(fp, "title", case_col_text(st, 1), NULL);
	field(fp, "status", case_col_text(st, 2), NULL);
	field(fp, "category", case_col_text(st, 3), case_col_text(st, 4));
	field(fp, "source", case_col_text(st, 5), case_col_text(st, 6));
	time_field(fp, "reported", rep);
	field(fp, "grid", case_col_text(st, 8), case_col_text(st, 9));
	field(fp, "location", case_col_text(st, 10), NULL);
	field(fp, "reporter", case_col_text(st, 11), NULL);
	field(fp, "unit", case_col_text(st, 12), case_col_text(st, 13));
	time_field(fp, "due", case_col_time(st, 14));
	time_field(fp, "assigned", asg);
	time_field(fp, "closed", cl);
	field(fp, "outcome", case_col_text(st, 17), case_col_text(st, 18));
	field(fp, "outcome note", case_col_text(st, 19), NULL);
	if (sqlite3_column_type(st, 24) != SQLITE_NULL) {
		snprintf(buf, sizeof buf, "%lld (%s%s%s)",
		    sqlite3_column_int64(st, 24), case_col_text(st, 25),
		    case_col_text(st, 26) ? " " : "",
		    case_col_text(st, 26) ? case_col_text(st, 26) : "");
		field(fp, "duplicate of", buf, NULL);
	}
	if ((n = sqlite3_column_int64(st, 23)) > 0) {
		snprintf(buf, sizeof buf, "%lld", n);
		field(fp, "extensions", buf, NULL);
	}
	if (case_col_time(st, 22) != CASE_NOTIME)
		time_field(fp, "paused since", case_col_time(st, 22));
	if (case_col_time(st, 27) != CASE_NOTIME)
		time_field(fp, "supervised", case_col_time(st, 27));
	if (case_col_text(st, 28) != NULL)
		field(fp, "follow-up", case_col_text(st, 28), NULL);
	/* A paused case's clocks are stopped where it was parked. */
	if (case_col_time(st, 22) != CASE_NOTIME)
		now = case_col_time(st, 22);
	clock_field(fp, "dispatch", rep, asg, case_col_time(st, 21), now);
	clock_field(fp, "resolution", asg, cl, case_col_time(st, 14), now);
	text_block(fp, "description", case_col_text(st, 20));
	history(db, id, fp, now, cl == CASE_NOTIME);
	return 0;
}
