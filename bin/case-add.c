/* case-add --category code --title text [field options] | --csv file - add cases */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"

#define MAXBAD 20	/* bad rows reported before the rest are only counted */
#define MAXMAP 64

static struct case_ctx ctx;

/* The columns case-export writes that an import takes back. */
enum { C_ID, C_REPORTED, C_SOURCE, C_CATEGORY, C_GRID, C_LOCATION,
	C_REPORTER, C_TITLE, C_DESCRIPTION, C_UNIT, C_STATUS, C_DUE,
	C_ASSIGNED, C_CLOSED, C_OUTCOME, C_OUTCOME_NOTE, C_REF, C_LAT, C_LON,
	C_PRIORITY, NCOLS };
static const char *colnames[NCOLS] = { "id", "reported", "source",
	"category", "grid", "location", "reporter", "title", "description",
	"unit", "status", "due", "assigned", "closed", "outcome",
	"outcome_note", "ref", "lat", "lon", "priority" };

/* How a foreign file is read: --map, --lookup, --date-format, ... */
static struct {
	const char *src[MAXMAP];	/* --map: source header name ... */
	int	 dst[MAXMAP];		/* ... to our column */
	int	 nmap;
	struct lookup {		/* --lookup: a row of a lookup file */
		int	 col;
		char	*from, *to;
		const char *path;
		long	 line;
		long	 hits;		/* values it translated */
	} *lookup;
	size_t	 nlookup;
	const char **lookups;		/* the files, read after --encoding */
	size_t	 nlookups;
	const char *datefmt, *encoding;
	int	 raw, prefer_status;
	long	 dropped, dropped_line;	/* outcomes --prefer-status ignored */
} in;

/* --update: rows whose case exists bring it up to date (update.c). */
static struct {
	int	 on, skip;	/* --update, --skip-conflicts */
	long long added, updated, unchanged, conflicts;
} upd;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-add [-hnq] [-d file] [--actor name] --category code "
	    "--title text\n"
	    "                [--source code] [--grid unit] [--location text] "
	    "[--reporter text]\n"
	    "                [--desc text] [--unit unit] [--due time] "
	    "[--reported time]\n"
	    "                [--ref text] [--priority tier] "
	    "[--lat degrees --lon degrees]\n"
	    "       case-add [-hnq] [-d file] [--actor name] --csv file "
	    "[--map list]\n"
	    "                [--lookup file] [--date-format format] "
	    "[--encoding name] [--raw]\n"
	    "                [--prefer-status] [--update [--skip-conflicts]]\n"));
	case_usage_exit(status);
}

static int
column(const char *name)
{
	int j;

	for (j = 0; j < NCOLS; j++)
		if (strcmp(name, colnames[j]) == 0)
			return j;
	return -1;
}

/* --map 'Created Date=reported,Complaint Type=category,...' */
static void
parse_map(char *list)
{
	char *item, *eq;
	int i;

	while ((item = strsep(&list, ",")) != NULL) {
		if ((eq = strrchr(item, '=')) == NULL || eq == item)
			errx(CASE_EXIT_FATAL, _("--map: not NAME=column -- %s"),
			    item);
		*eq = '\0';
		if (in.nmap == MAXMAP)
			errx(CASE_EXIT_FATAL, _("--map: at most %d entries"),
			    MAXMAP);
		if ((in.dst[in.nmap] = column(eq + 1)) == -1)
			errx(CASE_EXIT_FATAL, _("--map: no such column -- %s"),
			    eq + 1);
		/* As a header may not name a column twice. */
		for (i = 0; i < in.nmap; i++)
			if (in.dst[i] == in.dst[in.nmap])
				errx(CASE_EXIT_FATAL, _("--map: column given "
				    "twice -- %s"), eq + 1);
		in.src[in.nmap++] = item;
	}
}

/*
 * --lookup FILE: rows of column,from,to translate values of a column.
 * The file is read in the import's --encoding: a lookup made beside the
 * extract, on the same system, is in the same encoding, and read as
 * UTF-8 its Chinese would match nothing.
 */
static void
load_lookup(const char *path)
{
	struct case_csv *c = case_csv_open(path, in.encoding);
	struct lookup *l;
	char **f;
	int n, rc, i, col;
	size_t k;
	long line;

	while ((rc = case_csv_next(c, &f, &n, &line)) == 1) {
		if (line == 1 && n == 3 && strcmp(f[0], "column") == 0)
			continue;
		if (n != 3 || (col = column(f[0])) == -1)
			errx(CASE_EXIT_FATAL, _("%s:%ld: want column,from,to "
			    "with one of our columns"), path, line);
		for (i = 1; i < 3; i++)
			if (!case_utf8_valid(f[i], strlen(f[i])))
				errx(CASE_EXIT_FATAL, _("%s:%ld: invalid UTF-8 "
				    "(is it in another encoding? see "
				    "--encoding)"), path, line);
		for (k = 0; k < in.nlookup; k++)
			if (in.lookup[k].col == col &&
			    strcmp(in.lookup[k].from, f[1]) == 0 &&
			    strcmp(in.lookup[k].to, f[2]) != 0)
				errx(CASE_EXIT_FATAL, _("%s:%ld: lookup %s %s "
				    "given twice, to %s and to %s"), path, line,
				    f[0], case_esc(f[1]), case_esc(in.lookup[k].to),
				    case_esc(f[2]));
		in.lookup = case_reallocarray(in.lookup, in.nlookup + 1,
		    sizeof *in.lookup);
		l = &in.lookup[in.nlookup++];
		l->col = col;
		l->from = case_strdup(f[1]);
		l->to = case_strdup(f[2]);
		l->path = path;
		l->line = line;
		l->hits = 0;
	}
	if (rc == -1)
		errx(CASE_EXIT_FATAL, "%s", case_csv_error(c));
	case_csv_close(c);
}

static const char *
translate(int col, const char *v)
{
	size_t i;

	for (i = 0; i < in.nlookup; i++)
		if (in.lookup[i].col == col &&
		    strcmp(in.lookup[i].from, v) == 0) {
			in.lookup[i].hits++;
			return in.lookup[i].to;
		}
	return v;
}

/*
 * A lookup row that translated nothing is most often one whose values
 * are not the file's (another spelling, another encoding): said, so
 * that it is not mistaken for a value the file lacks.
 */
static void
lookup_unused(void)
{
	size_t i;

	for (i = 0; i < in.nlookup; i++)
		if (in.lookup[i].hits == 0)
			warnx(_("%s:%ld: lookup %s %s matched no record"),
			    in.lookup[i].path, in.lookup[i].line,
			    colnames[in.lookup[i].col],
			    case_esc(in.lookup[i].from));
}

static long long
opt_time(const char *opt, const char *arg)
{
	long long t;
	int dayonly;

	if (case_parse_time(arg, case_now(), &t, &dayonly) == -1)
		errx(CASE_EXIT_FATAL, _("--%s: invalid time -- %s"), opt, arg);
	return t;
}

/* An empty code means none; empty text stays empty text. */
static const char *
code(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/*
 * --lat and --lon: both or neither, in range, as place.c checks every
 * position; into pos, and n points there.
 */
static void
opt_position(struct case_new *n, const char *lat, const char *lon,
    char pos[2][32])
{
	const char *v[2] = { lat, lon }, *opt[2] = { "lat", "lon" };
	int which;

	switch (case_position(lat, lon, pos, &which)) {
	case CASE_POS_NONE:
		return;
	case CASE_POS_UNPAIRED:
		errx(CASE_EXIT_FATAL, _("--%s without --%s: a position needs "
		    "both"), opt[!which], opt[which]);
	case CASE_POS_NAN:
		errx(CASE_EXIT_FATAL, _("--%s: not a number -- %s"),
		    opt[which], v[which]);
	case CASE_POS_RANGE:
		errx(CASE_EXIT_FATAL, which ? _("--lon: out of range -180 to "
		    "180 -- %s") : _("--lat: out of range -90 to 90 -- %s"),
		    v[which]);
	}
	n->lat = pos[0], n->lon = pos[1];
}

/*
 * CASE_NEAR, metres (default 50; 0: never): how near an open case of
 * the same category must lie for a new one to be warned of, as likely
 * the same problem reported again.
 */
static double
near_limit(void)
{
	const char *s = getenv("CASE_NEAR");
	double m = 50;

	if (s != NULL && *s != '\0' && case_parse_distance(s, &m) == -1)
		errx(CASE_EXIT_FATAL, _("CASE_NEAR: not a distance (metres, or "
		    "with m or km) -- %s"), s);
	return m;
}

static void
add_one(struct case_new *n)
{
	const char *why;
	long long id, near = 0, metres = 0;
	double m = near_limit();

	/* Looked for first, so that the new case is not among them. */
	if (n->lat != NULL && m > 0 && n->category != NULL)
		near = case_near_open(ctx.db, n->category, strtod(n->lat,
		    NULL), strtod(n->lon, NULL), m, &metres);
	if ((why = case_add(&ctx, n, &id)) != NULL)
		errx(CASE_EXIT_REJECT, "%s", why);
	if (near > 0)
		warnx(_("warning: open case %lld of category %s is %lld m "
		    "away"), near, n->category, metres);
	case_changed(&ctx, id);
}

/*
 * For each header field, the column it feeds (-1: ignored); with --map
 * a field may feed several, so each of ours records its source field.
 * Our own, Chinese and Open311 names are all understood.
 */
static void
header(const char *path, char **f, int n, int *src)
{
	int open311 = 0, i, j, col;
	size_t len;
	const char *name;

	for (j = 0; j < NCOLS; j++)
		src[j] = -1;
	for (i = 0; i < n; i++)
		open311 |= strcmp(f[i], "service_request_id") == 0;
	for (j = 0; j < in.nmap; j++) {
		for (i = 0; i < n && strcmp(f[i], in.src[j]) != 0; i++)
			;
		if (i == n)
			errx(CASE_EXIT_REJECT, _("%s:1: header: no column %s "
			    "(named in --map)"), path, in.src[j]);
		src[in.dst[j]] = i;
	}
	for (i = 0; i < n && in.nmap == 0; i++) {
		/* Open311's computed columns say nothing to take back. */
		if (open311 && (strcmp(f[i], "status") == 0 ||
		    strcmp(f[i], "updated_datetime") == 0))
			continue;
		/* Names (category_name, ...) come from the reference data. */
		if ((name = case_header_column(f[i])) == NULL)
			name = f[i];
		len = strlen(name);
		if ((col = column(name)) == -1 && len > 5 &&
		    strcmp(name + len - 5, "_name") == 0)
			continue;
		/* The export's names and hashes: the bytes are not in it. */
		if (col == -1 && strcmp(name, "attachments") == 0)
			continue;
		if (col == -1)
			errx(CASE_EXIT_REJECT, _("%s:1: header: unknown "
			    "column -- %s"), path, case_esc(f[i]));
		if (src[col] != -1)
			errx(CASE_EXIT_REJECT, _("%s:1: header: column "
			    "twice -- %s"), path, case_esc(f[i]));
		src[col] = i;
	}
}

/*
 * Does a --date-format read a year?  Without one strptime leaves 1900,
 * and every time of the file would be taken for that year unsaid.
 */
static int
names_year(const char *fmt)
{
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%')
			continue;
		fmt++;
		if (*fmt == 'E' || *fmt == 'O')
			fmt++;
		if (*fmt == '\0')
			break;
		if (strchr("YysFDcx", *fmt) != NULL)
			return 1;
	}
	return 0;
}

/*
 * A time in the --date-format, held to the rules of every other time
 * (casekit(7)): a year from 1900 to 9999, an offset under 24 hours, and
 * not the instant that stands for no time.
 */
static int
foreign_time(const char *v, long long *t)
{
	struct tm tm;
	const char *end;
	int rc;

	memset(&tm, 0, sizeof tm);
	if ((end = strptime(v, in.datefmt, &tm)) == NULL || *end != '\0')
		return -1;
	if (tm.tm_year < 0 || tm.tm_year > 9999 - 1900)
		return -1;
	/*
	 * Strictly: a date that does not exist is refused, not moved on
	 * (strptime takes 30 February), and %z is the time's own offset.
	 */
	if (strstr(in.datefmt, "%z") != NULL)
		rc = tm.tm_gmtoff <= -86400 || tm.tm_gmtoff >= 86400 ? -1 :
		    case_zoned_time(&tm, tm.tm_gmtoff, t);
	else
		rc = case_local_time(&tm, t);
	return rc == -1 || *t == CASE_NOTIME ? -1 : 0;
}

static const char *
bad(char *why, size_t size, int col, const char *reason, const char *v)
{
	snprintf(why, size, "%s: %s%s%s", colnames[col], reason,
	    v != NULL ? " -- " : "", v != NULL ? case_esc(v) : "");
	return why;
}

/* A record's lat and lon (empty: none), checked as --lat and --lon. */
static const char *
row_position(struct case_new *n, const char **v, char *why, size_t size)
{
	static char pos[2][32];	/* one record at a time */
	int which;

	switch (case_position(code(v[C_LAT]), code(v[C_LON]), pos, &which)) {
	case CASE_POS_UNPAIRED:
		return bad(why, size, which ? C_LAT : C_LON, which ?
		    _("without lon") : _("without lat"), NULL);
	case CASE_POS_NAN:
		return bad(why, size, C_LAT + which, _("not a number"),
		    v[C_LAT + which]);
	case CASE_POS_RANGE:
		return bad(why, size, C_LAT + which, which ?
		    _("out of range -180 to 180") : _("out of range -90 to 90"),
		    v[C_LAT + which]);
	case CASE_POS_SET:
		n->lat = pos[0], n->lon = pos[1];
		break;
	}
	return NULL;
}

/* Fills n from one record; returns the reason it is bad, or NULL. */
static const char *
row(char **f, const int *src, struct case_new *n, const char *name,
    long line, char *why, size_t size)
{
	const char *v[NCOLS] = { NULL }, *errstr;
	long long *times[NCOLS] = { NULL };
	int j, dayonly;

	for (j = 0; j < NCOLS; j++) {
		if (src[j] == -1)
			continue;
		v[j] = in.raw ? f[src[j]] : case_unguard(f[src[j]]);
		if (!case_utf8_valid(v[j], strlen(v[j])))
			return bad(why, size, j, _("invalid UTF-8"), NULL);
		v[j] = translate(j, v[j]);
	}
	case_new_init(n);
	times[C_REPORTED] = &n->reported, times[C_DUE] = &n->due;
	times[C_ASSIGNED] = &n->assigned, times[C_CLOSED] = &n->closed;
	if (in.prefer_status && code(v[C_STATUS]) != NULL &&
	    strcmp(v[C_STATUS], "closed") != 0) {
		if (code(v[C_CLOSED]) != NULL)
			warnx(_("%s:%ld: closed: ignored, status %s is "
			    "open -- %s"), name, line, case_esc(v[C_STATUS]),
			    case_esc(v[C_CLOSED]));
		/* Often the status column mapped again: counted, not
		 * warned of row by row. */
		if (code(v[C_OUTCOME]) != NULL && (in.dropped++ == 0 ||
		    line < in.dropped_line))
			in.dropped_line = line;
		v[C_CLOSED] = v[C_OUTCOME] = NULL;
	}
	for (j = 0; j < NCOLS; j++)
		if (times[j] != NULL && code(v[j]) != NULL &&
		    (in.datefmt != NULL ? foreign_time(v[j], times[j]) :
		    case_parse_time(v[j], ctx.now, times[j], &dayonly)) == -1)
			return bad(why, size, j, _("invalid time"), v[j]);
	if (code(v[C_ID]) != NULL) {
		n->id = case_strtonum(v[C_ID], 1, CASE_ID_MAX, &errstr);
		if (errstr != NULL)
			return bad(why, size, C_ID, _("invalid case ID"),
			    v[C_ID]);
		/* Room for the IDs given after it: see case.h. */
		if (n->id > CASE_ID_IMPORT_MAX) {
			char r[64];

			snprintf(r, sizeof r, _("above %lld, the largest ID a "
			    "record may bring"), CASE_ID_IMPORT_MAX);
			return bad(why, size, C_ID, r, v[C_ID]);
		}
	}
	n->source = code(v[C_SOURCE]), n->category = v[C_CATEGORY];
	n->grid = code(v[C_GRID]), n->location = v[C_LOCATION];
	n->reporter = v[C_REPORTER], n->title = v[C_TITLE];
	n->description = v[C_DESCRIPTION], n->unit = code(v[C_UNIT]);
	n->status = code(v[C_STATUS]), n->outcome = code(v[C_OUTCOME]);
	n->outcome_note = v[C_OUTCOME_NOTE], n->ref = code(v[C_REF]);
	n->priority = code(v[C_PRIORITY]);
	return row_position(n, v, why, size);
}

static int src[NCOLS], ncol = -1, nbad;
static const char *name;
static FILE *spool;	/* rows with an empty id, for after the others */
static int spooling;
static long long next_id;	/* the next new ID to try, for spooled rows */
static long long nrecords;	/* records read so far, for the progress line */
static struct added {
	long	 line;
	long long id;
	char	*what;		/* with --dry-run: what it would do */
} *added;			/* with a spool: the IDs, to print in file order */
static size_t nadded;

static int
line_cmp(const void *a, const void *b)
{
	long x = ((const struct added *)a)->line;
	long y = ((const struct added *)b)->line;

	return (x > y) - (x < y);
}

/*
 * With --update, a record without an ID is another system's case that
 * its source's number (ref) may name: the case of that source holding
 * it, if any, is the one the record brings up to date.  0: none.
 */
static long long
by_ref(const struct case_new *n)
{
	if (!upd.on || n->id != 0 || n->ref == NULL)
		return 0;
	return case_ref_find(ctx.db, n->source != NULL ? n->source : "other",
	    n->ref);
}

/*
 * One good row: a new case, or with --update one that exists brought up
 * to date.  *id is the case to print, 0 for none: a case left as it was,
 * or a conflict, which is named here and counted, not a bad record.
 */
static const char *
take(struct case_new *n, long line, long long *id)
{
	const char *why;

	if (n->id == 0)
		n->id = by_ref(n);
	if (!upd.on || n->id == 0 || !case_exists(ctx.db, n->id)) {
		if ((why = case_add(&ctx, n, id)) == NULL)
			upd.added++;
		return why;
	}
	*id = 0;
	switch (case_update(&ctx, n, &why)) {
	case CASE_UP_BAD:
		return why;
	case CASE_UP_SAME:
		upd.unchanged++;
		break;
	case CASE_UP_DONE:
		upd.updated++;
		*id = n->id;
		break;
	case CASE_UP_CONFLICT:
		upd.conflicts++;
		warnx(_("%s:%ld: case %lld: %s"), name, line, n->id, why);
		break;
	}
	return NULL;
}

/* One record: a case added, or a bad record reported. */
static void
record(char **f, int nf, long line, int spooled)
{
	struct case_new n;
	const char *why_bad = NULL;
	char why[512];
	long long id;

	if (nf != ncol) {
		snprintf(why, sizeof why, _("record: %d fields, but the header "
		    "has %d"), nf, ncol);
		why_bad = why;
	} else if ((why_bad = row(f, src, &n, name, line, why,
	    sizeof why)) == NULL) {
		/* A spooled row's case found by its ref keeps its ID. */
		if (spooled && (n.id = by_ref(&n)) == 0)
			n.id = next_id = case_free_id(&ctx, next_id);
		if ((why_bad = take(&n, line, &id)) != NULL || id == 0)
			;	/* bad, or nothing done to print */
		else if (!spooling)
			case_changed(&ctx, id);
		else {
			added = case_reallocarray(added, nadded + 1,
			    sizeof *added);
			added[nadded].line = line;
			added[nadded].id = id;
			/* ctx.what is the last row's by the time it is told. */
			added[nadded++].what = ctx.dryrun ?
			    case_strdup(ctx.what) : NULL;
		}
	}
	if (why_bad != NULL && nbad++ < MAXBAD)
		warnx("%s:%ld: %s", name, line, why_bad);
	case_progress(++nrecords);
}

/*
 * A row without an id waits in the spool (with its line number first)
 * until every row that names its id has taken it: a new number must not
 * take one that a later row of the same file asks for.
 */
static void
to_spool(char **f, int nf, long line)
{
	char num[24];
	int i;

	snprintf(num, sizeof num, "%ld", line);
	case_csv_field(spool, num, 1);
	for (i = 0; i < nf; i++)
		case_csv_field(spool, f[i], 0);
	fputs("\r\n", spool);
	if (ferror(spool))
		err(CASE_EXIT_FATAL, _("spool"));
}

static void
from_spool(void)
{
	struct case_csv *c;
	char **f;
	int nf, rc;
	long line;

	if (fflush(spool) == EOF || fseek(spool, 0, SEEK_SET) == -1)
		err(CASE_EXIT_FATAL, _("spool"));
	c = case_csv_from(spool, "spool");
	while ((rc = case_csv_next(c, &f, &nf, &line)) == 1)
		record(f + 1, nf - 1, atol(f[0]), 1);
	if (rc == -1)
		errx(CASE_EXIT_FATAL, _("spool: %s"), case_csv_error(c));
	case_csv_close(c);
}

/*
 * Adds every record of a CSV file, or none: each bad record is reported
 * (with its line and column) and the whole file is then refused.
 */
static int
add_csv(const char *path)
{
	struct case_csv *c = case_csv_open(path, in.encoding);
	char **f;
	int nf, rc;
	long line;

	name = strcmp(path, "-") == 0 ? "stdin" : path;
	/* Not between the IDs printed on the same terminal. */
	if (ctx.quiet || !case_stdout_tty())
		case_progress_start(_("import"), 0);
	while ((rc = case_csv_next(c, &f, &nf, &line)) == 1) {
		if (ncol == -1) {
			ncol = nf;
			header(name, f, nf, src);
			if (src[C_ID] != -1) {
				/* New numbers follow the cases already there. */
				next_id = case_free_id(&ctx, 0);
				spool = case_tmpfile();
				spooling = 1;
			}
			continue;
		}
		/* Empty as record() will read it: a lone ' is empty too. */
		if (spooling && nf == ncol && (in.raw ? f[src[C_ID]] :
		    case_unguard(f[src[C_ID]]))[0] == '\0')
			to_spool(f, nf, line);
		else
			record(f, nf, line, 0);
	}
	if (rc == -1) {
		warnx("%s", case_csv_error(c));
		nbad++;
	} else if (ncol == -1)
		errx(CASE_EXIT_REJECT, _("%s: empty file, no header"), name);
	case_csv_close(c);
	if (spooling) {
		if (rc != -1)
			from_spool();
		else
			fclose(spool);
		spool = NULL;
		if (nadded > 0)	/* qsort(NULL, 0, ...) is undefined */
			qsort(added, nadded, sizeof *added, line_cmp);
		for (size_t i = 0; i < nadded; i++) {
			if (added[i].what != NULL)
				snprintf(ctx.what, sizeof ctx.what, "%s",
				    added[i].what);
			case_changed(&ctx, added[i].id);
			free(added[i].what);
		}
		free(added);
	}
	/* After the spool, whose rows are read there; not of a file
	 * refused, which is to be mended first. */
	if (nbad == 0)
		lookup_unused();
	if (in.dropped > 0)
		warnx(_("%s: --prefer-status: ignored the outcome of %ld "
		    "records whose status is open, the first on line %ld"),
		    name, in.dropped, in.dropped_line);
	case_progress_end();
	return nbad;
}

/*
 * --update's end: a conflict refuses the whole file unless
 * --skip-conflicts (the rest is then committed, and the exit status
 * says some rows were rejected).  The counts follow the commit, so that
 * they are never those of a transaction that did not happen; -q
 * silences them with the IDs.
 */
static int
update_finish(const char *csv)
{
	int rc;

	if (upd.conflicts > 0 && !upd.skip) {
		case_rollback(ctx.db);
		errx(CASE_EXIT_REJECT, _("%s: %lld conflicts; nothing written"),
		    strcmp(csv, "-") == 0 ? "stdin" : csv, upd.conflicts);
	}
	rc = case_ctx_finish(&ctx, upd.conflicts > 0);
	if (!ctx.quiet)
		warnx(_("%s: added %lld, updated %lld, unchanged %lld, "
		    "conflicts %lld"), strcmp(csv, "-") == 0 ? "stdin" : csv,
		    upd.added, upd.updated, upd.unchanged, upd.conflicts);
	return rc;
}

/* Adds one case from the options, or the cases of a CSV file. */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "actor",	required_argument, NULL, 'A' },
		{ "category",	required_argument, NULL, 'c' },
		{ "csv",	required_argument, NULL, 'F' },
		{ "db",		required_argument, NULL, 'd' },
		{ "date-format", required_argument, NULL, 'm' },
		{ "desc",	required_argument, NULL, 'D' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "due",	required_argument, NULL, 'u' },
		{ "encoding",	required_argument, NULL, 'E' },
		{ "grid",	required_argument, NULL, 'g' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "lat",	required_argument, NULL, 'a' },
		{ "location",	required_argument, NULL, 'l' },
		{ "lon",	required_argument, NULL, 'o' },
		{ "lookup",	required_argument, NULL, 'L' },
		{ "map",	required_argument, NULL, 'M' },
		{ "prefer-status", no_argument,	   NULL, 'P' },
		{ "priority",	required_argument, NULL, 'p' },
		{ "quiet",	no_argument,	   NULL, 'q' },
		{ "ref",	required_argument, NULL, 'f' },
		{ "raw",	no_argument,	   NULL, 'W' },
		{ "reported",	required_argument, NULL, 'R' },
		{ "reporter",	required_argument, NULL, 'r' },
		{ "skip-conflicts", no_argument,   NULL, 'K' },
		{ "source",	required_argument, NULL, 's' },
		{ "title",	required_argument, NULL, 't' },
		{ "unit",	required_argument, NULL, 'U' },
		{ "update",	no_argument,	   NULL, 'Y' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *actor = NULL, *csv = NULL;
	struct case_new n;
	const char *fieldopt = NULL, *foreignopt = NULL;
	const char *lat = NULL, *lon = NULL;
	char pos[2][32];
	int ch, li, dryrun = 0, quiet = 0;
	int suspended = 0;

	case_init_prog(argv);
	case_new_init(&n);
	while ((ch = getopt_long(argc, argv, "d:hnq", opts, &li)) != -1) {
		/* Long options only, so li names them, for the messages. */
		if (strchr("acDfgloRprstUu", ch) != NULL)
			fieldopt = opts[li].name;
		if (strchr("mEKLMPWY", ch) != NULL)
			foreignopt = opts[li].name;
		switch (ch) {
		case 'A': actor = optarg; break;
		case 'a': lat = optarg; break;
		case 'o': lon = optarg; break;
		case 'c': n.category = optarg; break;
		case 'D': n.description = optarg; break;
		case 'E': in.encoding = optarg; break;
		case 'K': upd.skip = 1; break;
		case 'L':
			in.lookups = case_reallocarray(in.lookups,
			    in.nlookups + 1, sizeof *in.lookups);
			in.lookups[in.nlookups++] = optarg;
			break;
		case 'M': parse_map(optarg); break;
		case 'm': in.datefmt = optarg; break;
		case 'P': in.prefer_status = 1; break;
		case 'p': n.priority = optarg; break;
		case 'W': in.raw = 1; break;
		case 'd': dbopt = optarg; break;
		case 'F': csv = optarg; break;
		case 'f': n.ref = optarg; break;
		case 'g': n.grid = code(optarg); break;
		case 'h': usage(0); break;
		case 'l': n.location = optarg; break;
		case 'n': dryrun = 1; break;
		case 'q': quiet = 1; break;
		case 'R':
			n.reported = opt_time("reported", optarg);
			/* As --at: a history ahead of now holds the case. */
			if (n.reported > case_now())
				errx(CASE_EXIT_FATAL, _("%s: %s is later than "
				    "now: it enters what already happened"),
				    "--reported", optarg);
			break;
		case 'r': n.reporter = optarg; break;
		case 's': n.source = code(optarg); break;
		case 't': n.title = optarg; break;
		case 'U': n.unit = code(optarg); break;
		case 'u': n.due = opt_time("due", optarg); break;
		case 'V': case_version(); break;
		case 'Y': upd.on = 1; break;
		default: usage(CASE_EXIT_FATAL);
		}
	}
	argc -= optind;
	if (in.datefmt != NULL && !names_year(in.datefmt))
		errx(CASE_EXIT_FATAL, _("--date-format: no year in it -- %s"),
		    case_esc(in.datefmt));
	if (upd.skip && !upd.on)
		errx(CASE_EXIT_FATAL, _("--skip-conflicts: only with --update, "
		    "which finds the conflicts"));
	/* A bad combination says which options and why, then how. */
	if (csv != NULL && fieldopt != NULL)
		warnx(_("--csv and --%s: the cases' fields come from the "
		    "file"), fieldopt);
	else if (csv == NULL && foreignopt != NULL)
		warnx(_("--%s without --csv: it says how a CSV file is read"),
		    foreignopt);
	else if (csv == NULL && (n.category == NULL) != (n.title == NULL))
		warnx(_("--%s without --%s: a case needs both"),
		    n.category == NULL ? "title" : "category",
		    n.category == NULL ? "category" : "title");
	if (argc != 0 || (csv != NULL && fieldopt != NULL) ||
	    (csv == NULL && foreignopt != NULL) ||
	    (csv == NULL && (n.category == NULL || n.title == NULL)))
		usage(CASE_EXIT_FATAL);

	opt_position(&n, lat, lon, pos);
	if (n.priority != NULL && case_priority_parse(n.priority) < 0)
		errx(CASE_EXIT_FATAL, _("--priority: must be urgent, high or "
		    "normal (紧急, 重要, 一般) -- %s"), case_esc(n.priority));
	for (size_t i = 0; i < in.nlookups; i++)
		load_lookup(in.lookups[i]);

	case_ctx_init(&ctx, case_db_open(case_db_path(dbopt), CASE_DB_WRITE),
	    actor, dryrun, quiet);
	/* What a dry run would add is told only if it all would be. */
	if (csv != NULL && dryrun)
		ctx.dryout = case_tmpfile();
	/* Into an empty database, the indexes are built once, at the end. */
	if (csv != NULL)
		suspended = case_indexes_suspend(ctx.db);
	if (csv != NULL && (nbad = add_csv(csv)) > 0) {
		case_rollback(ctx.db);
		errx(CASE_EXIT_REJECT, _("%s: %d bad records; nothing added"),
		    strcmp(csv, "-") == 0 ? "stdin" : csv, nbad);
	}
	if (suspended)
		case_indexes_restore(ctx.db);
	if (upd.on)
		return update_finish(csv);
	if (csv == NULL)
		add_one(&n);
	return case_ctx_finish(&ctx, 0);
}
