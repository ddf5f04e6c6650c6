/*
 * store.c - case.h's store functions, each handed to the engine of its
 * handle (engine.h): SQLite's (db.c) for a file, PostgreSQL's (pg.c) for
 * a connection string.  What is the same on both engines is here once:
 * choosing the engine, NULL times, sealing the chain at commit, and the
 * sets of codes.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "engine.h"

const char *
case_db_path(const char *opt)
{
	const char *s;

	if (opt != NULL && *opt != '\0')
		return opt;
	if ((s = getenv("CASE_DB")) != NULL && *s != '\0')
		return s;
	return "cases.db";
}

/*
 * PostgreSQL's: a URI, or a conninfo string of key=value pairs (libpq's
 * two forms): anything whose part before its first "=" is lower-case
 * letters, "_" and spaces.  So a file named like "old=2024.db" is
 * taken for one; "./old=2024.db" names the file.
 */
int
case_db_is_pg(const char *name)
{
	const char *eq, *p;

	if (strncmp(name, "postgresql://", 13) == 0 ||
	    strncmp(name, "postgres://", 11) == 0)
		return 1;
	if ((eq = strchr(name, '=')) == NULL || eq == name)
		return 0;
	for (p = name; p < eq; p++)
		if (!(*p >= 'a' && *p <= 'z') && *p != '_' && *p != ' ')
			return 0;
	return 1;
}

/*
 * The database as messages and output name it (the caller frees it): a
 * file by its name, a server's database as host:port/database, without
 * the password its connection string may hold.
 */
char *
case_db_name(const char *name)
{
	return case_db_is_pg(name) ? case_pg_name(name) : case_strdup(name);
}

int
case_db_pg(const struct case_db *h)
{
	return h->e == &case_pg;
}

struct case_db *
case_db_open(const char *name, int mode)
{
	return (case_db_is_pg(name) ? &case_pg : &case_sqlite)->open(name,
	    mode);
}

/*
 * Keeps another run of a cron job (job: "escalate.lock", ...) off the
 * database until this program ends, waiting at most wait seconds: for a
 * file, a lock file beside it (file.c); for a server, a lock the server
 * holds for this program's session, so that runs on any host exclude
 * each other and no file in a shared directory can be held by another.
 */
void
case_db_lock(const char *name, const char *job, int wait)
{
	char *s;

	if (case_db_is_pg(name)) {
		case_pg_lock(name, job, wait);
		return;
	}
	if (asprintf(&s, "%s.%s", name, job) == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	case_lock(s, wait);
	free(s);
}

/*
 * Another read-only connection to h's database, in a read transaction
 * of its own, for a thread to read beside h; NULL if the engine has
 * none to give.  Whether it reads h's snapshot is for the caller to
 * check.  Closed with case_db_close(); its statements are made with
 * case_prepare_once().
 */
struct case_db *
case_db_reader(struct case_db *h)
{
	return h->e->reader(h);
}

void
case_db_close(struct case_db *h)
{
	h->e->close(h);
}

void
case_begin(struct case_db *h)
{
	h->e->begin(h);
}

/* Every event written in the transaction gets its link first. */
void
case_commit(struct case_db *h)
{
	case_chain_seal(h);
	h->e->commit(h);
}

void
case_rollback(struct case_db *h)
{
	h->e->rollback(h);
}

_Noreturn void
case_dbfatal(struct case_db *h, const char *what)
{
	h->e->fatal(h, what);
	abort();
}

/*
 * Statements are cached by the address of their SQL text, which is
 * always a string constant of sql.c (or of an engine), so each is
 * compiled once per run.
 */
struct case_stmt *
case_prepare(struct case_db *h, const char *sql)
{
	return h->e->prepare(h, sql);
}

/* A statement made for one query (a filter's SQL), then finalized. */
struct case_stmt *
case_prepare_once(struct case_db *h, const char *sql)
{
	return h->e->prepare_once(h, sql);
}

void
case_finalize(struct case_stmt *st)
{
	st->e->finalize(st);
}

int
case_step(struct case_stmt *st)
{
	return st->e->step(st);
}

void
case_reset(struct case_stmt *st)
{
	st->e->reset(st);
}

/* The value is not copied: it must outlive the statement's steps. */
void
case_bind_text(struct case_stmt *st, const char *name, const char *v)
{
	st->e->bind_text(st, name, v);
}

void
case_bind_int(struct case_stmt *st, const char *name, long long v)
{
	st->e->bind_int(st, name, v);
}

/*
 * Bytes, NUL and all (a BLOB, PostgreSQL's bytea); not copied either.
 * case_col_bytes() reads them back as they were bound.
 */
void
case_bind_blob(struct case_stmt *st, const char *name, const void *v,
    size_t len)
{
	st->e->bind_blob(st, name, v, len);
}

/* CASE_NOTIME is NULL in the database. */
void
case_bind_time(struct case_stmt *st, const char *name, long long t)
{
	if (t == CASE_NOTIME)
		st->e->bind_text(st, name, NULL);
	else
		st->e->bind_int(st, name, t);
}

/* NULL for NULL. */
const char *
case_col_text(struct case_stmt *st, int col)
{
	return st->e->col_text(st, col);
}

long long
case_col_time(struct case_stmt *st, int col)
{
	if (st->e->col_type(st, col) == 'n')
		return CASE_NOTIME;
	return st->e->col_int(st, col);
}

long long
case_col_int(struct case_stmt *st, int col)
{
	return st->e->col_int(st, col);
}

int
case_col_null(struct case_stmt *st, int col)
{
	return st->e->col_type(st, col) == 'n';
}

double
case_col_double(struct case_stmt *st, int col)
{
	return st->e->col_double(st, col);
}

/* The value's type: n (NULL), i (integer), r (real), t (text), b (blob). */
int
case_col_type(struct case_stmt *st, int col)
{
	return st->e->col_type(st, col);
}

/* A text or blob value as bytes, and their number. */
const void *
case_col_bytes(struct case_stmt *st, int col, int *len)
{
	return st->e->col_bytes(st, col, len);
}

const char *
case_col_name(struct case_stmt *st, int col)
{
	return st->e->col_name(st, col);
}

int
case_col_count(struct case_stmt *st)
{
	return st->e->col_count(st);
}

/*
 * The first column of every row, case IDs, into *ids (the caller's to
 * free); returns their number.  All are read before any is used: a
 * server's stream must end before the same connection is asked more.
 */
size_t
case_col_ids(struct case_stmt *st, long long **ids)
{
	size_t n = 0, cap = 0;

	*ids = NULL;
	while (case_step(st) == CASE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = case_reallocarray(*ids, cap, sizeof **ids);
		}
		(*ids)[n++] = case_col_int(st, 0);
	}
	case_reset(st);
	return n;
}

/*
 * For a bulk load into an empty database: the engine may drop the
 * indexes, to be built once at the end (case_indexes_restore), which is
 * much faster than keeping them up to date row by row.  Returns 0 if it
 * did not (there are cases already, or the engine keeps them).  All
 * inside the caller's transaction, so a failed load keeps them.  Into
 * any database, it tells the engine a load begins, which PostgreSQL's
 * sends by COPY until the transaction ends.
 */
int
case_indexes_suspend(struct case_db *h)
{
	return h->e->indexes_suspend(h);
}

void
case_indexes_restore(struct case_db *h)
{
	h->e->indexes_restore(h);
}

static int
codecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A set of codes, read by sql (one text column; :unit bound to unit if
 * not NULL) and kept sorted, so that a hot loop asks it in memory.
 */
void
case_codes_load(struct case_db *h, const char *sql, const char *unit,
    struct case_codes *c)
{
	struct case_stmt *st = case_prepare(h, sql);

	c->v = NULL;
	c->n = 0;
	if (unit != NULL)
		case_bind_text(st, ":unit", unit);
	while (case_step(st) == CASE_ROW) {
		c->v = case_reallocarray(c->v, c->n + 1, sizeof *c->v);
		c->v[c->n++] = case_strdup(case_col_text(st, 0));
	}
	case_reset(st);
	if (c->n > 1)
		qsort(c->v, c->n, sizeof *c->v, codecmp);
}

int
case_codes_has(const struct case_codes *c, const char *code)
{
	return c->n > 0 && bsearch(&code, c->v, c->n, sizeof *c->v, codecmp)
	    != NULL;
}

void
case_codes_free(struct case_codes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}
