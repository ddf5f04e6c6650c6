/*
 * pg.c - the PostgreSQL engine, through libpq: connecting, creating the
 * schema, and running sql.c's statements; the only file that calls
 * libpq.  store.c reaches it through engine.h's table (case_pg, at the
 * end).
 *
 * sql.c's statements are written for SQLite and kept portable; two marks
 * of SQLite's are turned into PostgreSQL's as a statement is prepared:
 * a parameter :name becomes $n (the same name the same n), and a unary +
 * before a column (which only keeps SQLite's planner off an index) is
 * dropped.  Every value goes over as text, typed by the server from its
 * place in the statement.
 *
 * Writers queue as SQLite's BEGIN IMMEDIATE makes them: each write
 * transaction first takes one transaction-level advisory lock, so that
 * the check that decides a write and the write see the same database;
 * readers take no lock and read one snapshot (REPEATABLE READ).
 *
 * Two things keep a server as quick as a file where a round trip per
 * statement would not.  A statement that returns no rows (an INSERT,
 * an UPDATE) is sent and not waited for: such statements go in a
 * pipeline, whose results are read before anything else is asked of
 * the server (and every PIPE_MAX statements); the first to fail stops
 * the program, before its commit, as it would have at once.  And a
 * SELECT that may return a whole table (one that orders its rows and
 * has no LIMIT) is read through a cursor, FETCH_ROWS rows at a time,
 * inside the transaction, so that the rows are never all in memory and
 * other statements may run while it is read (stats.c merges two such);
 * or, in a reader's transaction, as a stream (see side()).
 *
 * A bulk load (case-add --csv, between case_indexes_suspend() and the
 * end of its transaction) goes faster still: the rows of a plain INSERT
 * are kept, as COPY's text, in a buffer per table, and sent by COPY
 * before any other statement runs, every COPY_CHUNK bytes and at the
 * end, a table at a time in the order they were first written (a case
 * before its events).  Every COPY_CHUNK bytes they go without waiting,
 * while the next are made (copy_launch()).  The server checks each row
 * as an INSERT's, and fails with the same message.
 */
#include <err.h>
#include <errno.h>
#include <libintl.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dlfcn.h>

#include <libpq-fe.h>

#include "case.h"
#include "engine.h"

/*
 * libpq is loaded when a program first meets a server, not linked: a
 * program on a SQLite file does not load it and the two dozen libraries
 * it pulls in (TLS, Kerberos, LDAP), which would cost every run of every
 * program a few milliseconds.  Each function is reached through a
 * pointer of its own type, by its own name.
 */
#define LIBPQ	"libpq.so.5"
#define PQ_FUNCS \
	X(PQclear) \
	X(PQconnectdbParams) \
	X(PQconsumeInput) \
	X(PQconninfoFree) \
	X(PQconninfoParse) \
	X(PQdb) \
	X(PQdescribePrepared) \
	X(PQenterPipelineMode) \
	X(PQerrorMessage) \
	X(PQexec) \
	X(PQexecParams) \
	X(PQexecPrepared) \
	X(PQexitPipelineMode) \
	X(PQfinish) \
	X(PQflush) \
	X(PQfname) \
	X(PQfreemem) \
	X(PQftype) \
	X(PQgetCopyData) \
	X(PQgetResult) \
	X(PQgetisnull) \
	X(PQgetlength) \
	X(PQgetvalue) \
	X(PQhost) \
	X(PQisBusy) \
	X(PQnfields) \
	X(PQntuples) \
	X(PQpipelineSync) \
	X(PQport) \
	X(PQprepare) \
	X(PQputCopyData) \
	X(PQputCopyEnd) \
	X(PQresultErrorField) \
	X(PQresultStatus) \
	X(PQsendQuery) \
	X(PQsendQueryPrepared) \
	X(PQsetClientEncoding) \
	X(PQsetNoticeProcessor) \
	X(PQsetnonblocking) \
	X(PQsocket) \
	X(PQstatus) \
	X(PQtransactionStatus)
#define X(f) static __typeof__(f) *p_##f;
PQ_FUNCS
#undef X
#define PQclear (*p_PQclear)
#define PQconnectdbParams (*p_PQconnectdbParams)
#define PQconsumeInput (*p_PQconsumeInput)
#define PQconninfoFree (*p_PQconninfoFree)
#define PQconninfoParse (*p_PQconninfoParse)
#define PQdb (*p_PQdb)
#define PQdescribePrepared (*p_PQdescribePrepared)
#define PQenterPipelineMode (*p_PQenterPipelineMode)
#define PQerrorMessage (*p_PQerrorMessage)
#define PQexec (*p_PQexec)
#define PQexecParams (*p_PQexecParams)
#define PQexecPrepared (*p_PQexecPrepared)
#define PQexitPipelineMode (*p_PQexitPipelineMode)
#define PQfinish (*p_PQfinish)
#define PQflush (*p_PQflush)
#define PQfname (*p_PQfname)
#define PQfreemem (*p_PQfreemem)
#define PQftype (*p_PQftype)
#define PQgetCopyData (*p_PQgetCopyData)
#define PQgetResult (*p_PQgetResult)
#define PQgetisnull (*p_PQgetisnull)
#define PQgetlength (*p_PQgetlength)
#define PQgetvalue (*p_PQgetvalue)
#define PQhost (*p_PQhost)
#define PQisBusy (*p_PQisBusy)
#define PQnfields (*p_PQnfields)
#define PQntuples (*p_PQntuples)
#define PQpipelineSync (*p_PQpipelineSync)
#define PQport (*p_PQport)
#define PQprepare (*p_PQprepare)
#define PQputCopyData (*p_PQputCopyData)
#define PQputCopyEnd (*p_PQputCopyEnd)
#define PQresultErrorField (*p_PQresultErrorField)
#define PQresultStatus (*p_PQresultStatus)
#define PQsendQuery (*p_PQsendQuery)
#define PQsendQueryPrepared (*p_PQsendQueryPrepared)
#define PQsetClientEncoding (*p_PQsetClientEncoding)
#define PQsetNoticeProcessor (*p_PQsetNoticeProcessor)
#define PQsetnonblocking (*p_PQsetnonblocking)
#define PQsocket (*p_PQsocket)
#define PQstatus (*p_PQstatus)
#define PQtransactionStatus (*p_PQtransactionStatus)

static void
load(void)
{
	static void *lib;

	if (lib != NULL)
		return;
	if ((lib = dlopen(LIBPQ, RTLD_NOW | RTLD_LOCAL)) == NULL)
		errx(CASE_EXIT_FATAL, _("PostgreSQL: cannot load %s (the "
		    "libpq5 package): %s"), LIBPQ, dlerror());
#define X(f) \
	if ((*(void **)&p_##f = dlsym(lib, #f)) == NULL) \
		errx(CASE_EXIT_FATAL, _("PostgreSQL: %s has no %s: libpq 14 " \
		    "or later is needed"), LIBPQ, #f);
	PQ_FUNCS
#undef X
}

/* The schema's version, in casekit_schema (SQLite's user_version). */
#define PG_SCHEMA_VERSION 18
/* The advisory lock every write transaction takes: "casekit". */
static const char write_lock[] =
    "SELECT pg_advisory_xact_lock(27991888734513524)";
#define NCACHE	64
#define MAXPARAM 32
#define PIPE_MAX 1000
#define FETCH_ROWS 10000
#define NSIDE	4
#define NCOPY	8		/* tables a load writes by COPY */
#define COPY_CHUNK (4 << 20)	/* bytes of rows one COPY sends */
#define COPY_MIN 8		/* rows between other statements, to pay */
#define COPY_FORCED 64		/* flushes before other statements, to judge */
#define FLIGHT_POLL 32		/* rows kept between looks at a COPY in flight */

/* The rows of a table kept for COPY, in its text format. */
struct pg_copy {
	char	 table[64];
	char	*sql;		/* "COPY t (cols) FROM STDIN" */
	char	*buf;
	size_t	 len, size;
};

struct pg_db {
	struct case_db h;
	PGconn	*c;
	int	 mode;
	int	 piped;		/* statements sent, their results unread */
	int	 made;		/* the schema's transaction, left open */
	double	 end;		/* when a lost writer stops trying again */
	int	 load;		/* a bulk load: plain INSERTs by COPY */
	struct pg_copy copy[NCOPY];	/* in the order first written */
	int	 ncopy;
	size_t	 copied;	/* bytes in them */
	long	 loaded;	/* rows the load kept for COPY */
	int	 forced;	/* times another statement sent them */
	struct pg_flight {	/* a chunk's COPYs, sent as the load goes on */
		struct pg_copy t[NCOPY];	/* parents first; sql owned */
		int	 n, k;	/* tables; the one being sent */
		int	 step;	/* its step (flight_go()) */
		int	 on;	/* not yet all sent and answered */
		unsigned rows;	/* rows kept since the last look */
		PGresult *bad;	/* the first refusal */
	} fly;
	struct pg_key {
		char	 child[64], parent[64];
	} *keys;		/* the foreign keys between tables */
	int	 nkeys;
	char	*conninfo;	/* as given, to connect again */
	char	 name[256];	/* host:port/database, for messages */
	struct pg_db *side[NSIDE];	/* streams' connections (below) */
	char	*snap;		/* this transaction's snapshot, exported */
	unsigned gen;		/* transactions begun; a side's: joined */
	int	 noside;	/* a side refused in this transaction */
	int	 busy;		/* a side's: a stream is open on it */
};

struct pg_stmt {
	struct case_stmt h;
	struct pg_db *db;
	const char *sql;	/* sql.c's text: the cache's key */
	char	 pname[16];	/* the server's name of the statement */
	int	 np;		/* parameters */
	int	 next;		/* the one after the last bound */
	char	*names[MAXPARAM];	/* their names, ":name" */
	const char *val[MAXPARAM];
	char	 num[MAXPARAM][24];
	char	*blob[MAXPARAM];	/* a bytea's text ("\\x" and hex), owned */
	char	*bytes;		/* the last bytea read, decoded, owned */
	PGresult *res;
	int	 row, nrow, state;	/* state: 0 ready, 1 rows, 2 done */
	int	 ncol;		/* result columns: 0, none (piped) */
	int	 big;		/* may return a table: by cursor */
	int	 open;		/* its cursor is open */
	char	*declare, *fetch, *close;	/* the cursor's statements */
	char	*copy;		/* a plain INSERT's COPY, or NULL */
	char	 table[64];	/* its table */
	int	 ncopy;		/* its columns, each a parameter: */
	unsigned char copycol[MAXPARAM];
	PGresult *desc;
	char	*stream;		/* COPY of its text, its parameters filled in */
	char	*stext;		/* its text, if it has parameters */
	int	 bin;		/* in binary: its columns integers and text */
	int	 head;		/* the binary stream's header is to come */
	struct pg_db *via;	/* the side its stream is open on */
	char	*line;		/* the stream's row, split into: */
	char	**cv;		/* its values (NULL for NULL) */
	int	*cl;		/* and their lengths */
	long long *iv;		/* in binary, an integer's value, */
	char	(*nb)[24];	/* and its text when asked for ("" till then) */
};

static struct pg_stmt *cache[NCACHE];
static struct pg_stmt *once[NCACHE];	/* case_prepare_once()'s, live */
static unsigned nonce;

static const char *
flat(const char *msg)
{
	static char buf[1024];
	size_t i, n = 0;

	for (i = 0; msg[i] != '\0' && n < sizeof buf - 1; i++)
		if (msg[i] == '\n' || msg[i] == '\t' || msg[i] == '\r') {
			if (n > 0 && buf[n - 1] != ' ')
				buf[n++] = ' ';
		} else
			buf[n++] = msg[i];
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return buf;
}

_Noreturn static void
fail(struct pg_db *d, const char *what, const char *msg)
{
	if (what != NULL)
		errx(CASE_EXIT_FATAL, "%s: %s: %s", d->name, what, flat(msg));
	errx(CASE_EXIT_FATAL, "%s: %s", d->name, flat(msg));
}

static double
seconds(void)
{
	struct timespec ts;

	/* The same clock in a run made again: it is the system's. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * When trying again must stop: CASE_DB_RETRY seconds (60, as long as
 * SQLite waits for a lock) from now, or sooner, when the run was made
 * again and its first attempt's time is running out.
 */
static double
deadline(void)
{
	const char *s = getenv("CASE_DB_RETRY");
	double end = seconds() + (s != NULL && *s != '\0' ? atof(s) : 60);
	double until = case_again_until();

	return until > 0 && until < end ? until : end;
}

/*
 * The primary message of a failed result (a trigger's own words).  A
 * connection lost inside a transaction took the transaction with it:
 * the server rolls back what it did not see committed.  A writer is
 * then made again from its start (case_again()), within its time, to
 * find the server or, through a failover, the new primary.  So is one
 * whose server turned read-only between the connection and the first
 * write (SQLSTATE 25006): a switchover's old primary, draining, sets
 * default_transaction_read_only before it steps down.
 */
_Noreturn static void
fail_result(struct pg_db *d, PGresult *r)
{
	const char *m = r != NULL ?
	    PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = r != NULL ?
	    PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *why = NULL;
	struct timespec ts = { 0, 200000000L };
	int lost = PQstatus(d->c) == CONNECTION_BAD;

	if ((lost || (state != NULL && strcmp(state, "25006") == 0)) &&
	    d->mode != CASE_DB_READ && seconds() < d->end) {
		nanosleep(&ts, NULL);
		why = case_again(d->end);
	}
	if (lost) {
		if (why != NULL)
			fail(d, _("connection lost; nothing of this run was "
			    "written, and it cannot be made again"), why);
		fail(d, _("connection lost; nothing of this run was written"),
		    PQerrorMessage(d->c));
	}
	fail(d, NULL, m != NULL ? m : PQerrorMessage(d->c));
}

static void flight_go(struct pg_db *, int);
static void flight_land(struct pg_db *, int);

/*
 * The results of the statements in the pipeline, read to its end, and
 * a load's COPYs in flight landed; the first that failed stops the
 * program if check (not when rolling back).
 */
static void
drain_pipe(struct pg_db *d, int check)
{
	PGresult *r, *bad = NULL;
	ExecStatusType rc;

	flight_land(d, check);
	if (d->piped == 0)
		return;
	d->piped = 0;
	if (PQpipelineSync(d->c) != 1)
		fail_result(d, NULL);
	for (;;) {
		if ((r = PQgetResult(d->c)) == NULL) {
			if (PQstatus(d->c) == CONNECTION_BAD)
				fail_result(d, bad);
			continue;
		}
		if ((rc = PQresultStatus(r)) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		if (rc == PGRES_FATAL_ERROR && bad == NULL)
			bad = r;
		else
			PQclear(r);
	}
	if (PQexitPipelineMode(d->c) != 1)
		fail_result(d, NULL);
	if (bad != NULL && check)
		fail_result(d, bad);
	PQclear(bad);
}

/* Is i in order[0..n)? */
static int
listed(const int *order, int n, int i)
{
	while (n-- > 0)
		if (order[n] == i)
			return 1;
	return 0;
}

/*
 * The tables with rows kept, added to order in the order they are sent:
 * each after the tables its foreign keys name (as the catalogue had them
 * when the load began; depth stops a cycle), else as first written.
 */
static void
copy_order(struct pg_db *d, int i, int depth, int *order, int *n)
{
	int j, k;

	if (listed(order, *n, i))
		return;
	for (k = 0; k < d->nkeys && depth < NCOPY; k++) {
		if (strcmp(d->keys[k].child, d->copy[i].table) != 0)
			continue;
		for (j = 0; j < d->ncopy; j++)
			if (d->copy[j].len > 0 &&
			    strcmp(d->copy[j].table, d->keys[k].parent) == 0)
				copy_order(d, j, depth + 1, order, n);
	}
	if (d->copy[i].len > 0 && !listed(order, *n, i))
		order[(*n)++] = i;
}

/*
 * A load's chunk of rows goes while the next is made.  Its tables are
 * handed to the flight, in copy_order()'s order, their buffers swapped
 * for the flight's spent ones; each COPY then goes on,
 * without waiting, every FLIGHT_POLL rows, as far as the server has
 * taken it, so that the program makes rows while the server writes
 * them (on a server a load had spent a third of its time waiting).
 * Anything else on the connection lands the flight first (drain_pipe()):
 * it waits for the last answer, and a row refused stops the program
 * there with its message, as it would have at once.
 */
static void
copy_launch(struct pg_db *d)
{
	struct pg_flight *f = &d->fly;
	struct pg_copy spent;
	int order[NCOPY], n = 0, i;

	drain_pipe(d, 1);
	for (i = 0; i < d->ncopy; i++)
		copy_order(d, i, 0, order, &n);
	for (i = 0; i < n; i++) {
		spent = f->t[i];
		free(spent.sql);
		f->t[i] = d->copy[order[i]];
		f->t[i].sql = case_strdup(f->t[i].sql);
		d->copy[order[i]].buf = spent.buf;
		d->copy[order[i]].size = spent.size;
		d->copy[order[i]].len = 0;
	}
	d->copied = 0;
	f->n = n;
	f->k = f->step = 0;
	f->rows = 0;
	if (n == 0)
		return;
	if (PQsetnonblocking(d->c, 1) != 0)
		fail_result(d, NULL);
	f->on = 1;
	flight_go(d, 0);
}

/*
 * The flight's next steps, as far as they go without waiting; with
 * wait, until it has landed.  Each table's COPY is asked for (step 0),
 * its rows are sent once the server is ready for them (1), and its
 * answer is read (2); then the next table's.
 */
static void
flight_go(struct pg_db *d, int wait)
{
	struct pg_flight *f = &d->fly;
	struct pg_copy *b;
	struct pollfd pfd;
	PGresult *r;
	int out;

	while (f->on) {
		b = &f->t[f->k];
		if (f->step == 0) {
			if (PQsendQuery(d->c, b->sql) != 1)
				fail_result(d, NULL);
			f->step = 1;
		}
		if ((out = PQflush(d->c)) == -1 || PQconsumeInput(d->c) != 1)
			fail_result(d, f->bad);
		if (out == 1 || PQisBusy(d->c)) {
			if (!wait)
				return;
			pfd.fd = PQsocket(d->c);
			pfd.events = POLLIN | (out == 1 ? POLLOUT : 0);
			if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
				err(CASE_EXIT_FATAL, "poll");
			continue;
		}
		r = PQgetResult(d->c);
		if (f->step == 1) {
			if (PQresultStatus(r) != PGRES_COPY_IN)
				fail_result(d, r);
			PQclear(r);
			/* 0: libpq could not grow its buffer. */
			if ((out = PQputCopyData(d->c, b->buf, (int)b->len)) !=
			    1 || (out = PQputCopyEnd(d->c, NULL)) != 1) {
				if (out == 0)
					errx(CASE_EXIT_FATAL, "%s: %s", d->name,
					    strerror(ENOMEM));
				fail_result(d, NULL);
			}
			f->step = 2;
		} else if (r != NULL) {
			if (PQresultStatus(r) != PGRES_COMMAND_OK &&
			    f->bad == NULL)
				f->bad = r;
			else
				PQclear(r);
		} else if (f->bad != NULL || PQstatus(d->c) == CONNECTION_BAD) {
			f->on = 0;
			r = f->bad;
			f->bad = NULL;
			fail_result(d, r);
		} else {
			b->len = 0;
			f->step = 0;
			if (++f->k == f->n) {
				f->on = 0;
				if (PQsetnonblocking(d->c, 0) != 0)
					fail_result(d, NULL);
			}
		}
	}
}

/*
 * The flight landed: its last answer read.  If not check, the
 * transaction is abandoned, and so is the flight, with the connection.
 */
static void
flight_land(struct pg_db *d, int check)
{
	if (!d->fly.on)
		return;
	if (check) {
		flight_go(d, 1);
		return;
	}
	d->fly.on = 0;
	PQclear(d->fly.bad);
	d->fly.bad = NULL;
}

/*
 * The rows kept for COPY, sent after the statements in the pipeline
 * (which were all sent before them), a table at a time in the order
 * they were first written, but a table's parents before it: so each
 * row finds the rows its foreign keys name, whichever table the load
 * wrote first (an event of a case there before a new case).  A row the
 * server refuses (a key taken, a trigger's exception) ends its COPY
 * with the message its INSERT would have had.  Dropped, unsent, if not
 * check: the transaction is abandoned.
 */
static void
copy_flush(struct pg_db *d, int check)
{
	int i;

	if (d->copied == 0)
		return;
	if (check) {
		copy_launch(d);
		flight_land(d, 1);
		return;
	}
	drain_pipe(d, 0);
	for (i = 0; i < d->ncopy; i++)
		d->copy[i].len = 0;
	d->copied = 0;
}

/*
 * Everything sent but not yet seen to succeed, before another statement
 * runs.  A load whose rows come a few at a time between other
 * statements (a file of IDs, each looked up before its case is added)
 * gains nothing by COPY, which costs two round trips a table: once
 * COPY_FORCED such flushes have averaged fewer than COPY_MIN rows, its
 * rows go in the pipeline.  Not sooner: a batch's first rows come
 * between the questions about each new category, and then run freely.
 */
static void
drain(struct pg_db *d, int check)
{
	if (d->copied > 0 && ++d->forced >= COPY_FORCED &&
	    d->loaded < (long)d->forced * COPY_MIN)
		d->load = 0;
	drain_pipe(d, check);
	copy_flush(d, check);
}

static void
pg_fatal(struct case_db *h, const char *what)
{
	struct pg_db *d = (struct pg_db *)h;

	fail(d, what, PQerrorMessage(d->c));
}

static void
exec(struct pg_db *d, const char *sql)
{
	PGresult *r;

	drain(d, 1);
	r = PQexec(d->c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_result(d, r);
	PQclear(r);
}

/* One value of a query that answers one (NULL on no row or NULL). */
static char *
query1(struct pg_db *d, const char *sql)
{
	PGresult *r;
	char *v = NULL;

	drain(d, 1);
	r = PQexec(d->c, sql);

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_result(d, r);
	if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		v = case_strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/*
 * The schema as SQLite's migrations leave it at version 5, column for
 * column in the same order (the event chain hashes events' columns by
 * name and place), with PostgreSQL's types: BIGINT for SQLite's
 * INTEGER, and text compared byte by byte ("C"), as SQLite does, so
 * that every list comes out in the same order.  In parts, each of a
 * length every compiler takes.  The versions after it are pg_steps[],
 * which a new database takes too.
 */
static const char *const pg_schema[] = {
	"CREATE TABLE casekit_schema (version INTEGER NOT NULL);"
	"CREATE TABLE units ("
	"  code TEXT COLLATE \"C\" PRIMARY KEY,"
	"  name TEXT COLLATE \"C\" NOT NULL,"
	"  parent TEXT COLLATE \"C\" REFERENCES units(code),"
	"  level TEXT COLLATE \"C\" NOT NULL,"
	"  deadline TEXT COLLATE \"C\");"
	"CREATE TABLE categories ("
	"  code TEXT COLLATE \"C\" PRIMARY KEY,"
	"  name TEXT COLLATE \"C\" NOT NULL,"
	"  deadline TEXT COLLATE \"C\" NOT NULL,"
	"  dispatch TEXT COLLATE \"C\");"
	"CREATE TABLE sources ("
	"  code TEXT COLLATE \"C\" PRIMARY KEY,"
	"  name TEXT COLLATE \"C\" NOT NULL);"
	"CREATE TABLE outcomes ("
	"  code TEXT COLLATE \"C\" PRIMARY KEY,"
	"  name TEXT COLLATE \"C\" NOT NULL,"
	"  success INTEGER NOT NULL);"
	"INSERT INTO outcomes VALUES"
	"  ('resolved', '已解决', 1), ('mediated', '调解成功', 1),"
	"  ('mediation-failed', '调解不成功', 0), ('referred', '已转办', 0),"
	"  ('withdrawn', '已撤回', 0), ('duplicate', '重复件', 0),"
	"  ('rejected', '不予受理', 0);"
	"CREATE TABLE cases ("
	"  id BIGINT PRIMARY KEY,"
	"  reported BIGINT NOT NULL,"
	"  source TEXT COLLATE \"C\" NOT NULL REFERENCES sources(code),"
	"  category TEXT COLLATE \"C\" NOT NULL REFERENCES categories(code),"
	"  grid TEXT COLLATE \"C\" REFERENCES units(code),"
	"  location TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	"  reporter TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	"  title TEXT COLLATE \"C\" NOT NULL,"
	"  description TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	"  unit TEXT COLLATE \"C\" REFERENCES units(code),"
	"  status TEXT COLLATE \"C\" NOT NULL,"
	"  due BIGINT,"
	"  assigned BIGINT,"
	"  closed BIGINT,"
	"  outcome TEXT COLLATE \"C\" REFERENCES outcomes(code),"
	"  outcome_note TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	"  dispatch_due BIGINT,"
	"  paused BIGINT,"
	"  paused_from TEXT COLLATE \"C\","
	"  extensions BIGINT NOT NULL DEFAULT 0,"
	"  duplicate_of BIGINT REFERENCES cases(id),"
	"  supervised BIGINT,"
	"  satisfaction TEXT COLLATE \"C\","
	"  handlings BIGINT NOT NULL DEFAULT 0,"
	"  reworks BIGINT NOT NULL DEFAULT 0);",
	"CREATE INDEX cases_open ON cases(due) WHERE status <> 'closed';"
	"CREATE INDEX cases_reported ON cases(reported);"
	"CREATE INDEX cases_closed ON cases(closed) WHERE closed IS NOT NULL;"
	"CREATE INDEX cases_unit ON cases(unit);"
	"CREATE INDEX cases_category ON cases(category);"
	"CREATE INDEX cases_dispatch ON cases(dispatch_due)"
	"  WHERE status IN ('reported', 'returned');"
	"CREATE TABLE events ("
	"  id BIGINT PRIMARY KEY,"
	"  case_id BIGINT NOT NULL REFERENCES cases(id),"
	"  at BIGINT NOT NULL,"
	"  actor TEXT COLLATE \"C\" NOT NULL,"
	"  osuser TEXT COLLATE \"C\" NOT NULL,"
	"  action TEXT COLLATE \"C\" NOT NULL,"
	"  from_unit TEXT COLLATE \"C\","
	"  to_unit TEXT COLLATE \"C\","
	"  due BIGINT,"
	"  outcome TEXT COLLATE \"C\","
	"  note TEXT COLLATE \"C\" NOT NULL DEFAULT '',"
	"  field TEXT COLLATE \"C\","
	"  old TEXT COLLATE \"C\","
	"  new TEXT COLLATE \"C\","
	"  dispatch_due BIGINT,"
	"  recorded BIGINT,"
	"  due_old BIGINT,"
	"  dispatch_old BIGINT);"
	"CREATE INDEX events_case ON events(case_id, id);",
	"CREATE TABLE calendar ("
	"  day TEXT COLLATE \"C\" PRIMARY KEY,"
	"  type TEXT COLLATE \"C\" NOT NULL CHECK (type IN ('off', 'work')));"
	"CREATE VIEW unit_tree (ancestor, unit, distance) AS"
	" WITH RECURSIVE t (ancestor, unit, distance) AS ("
	"  SELECT code, code, 0 FROM units"
	"  UNION ALL"
	"  SELECT u.parent, t.unit, t.distance + 1 FROM t"
	"  JOIN units u ON u.code = t.ancestor"
	"  WHERE u.parent IS NOT NULL AND t.distance < 1000000)"
	" SELECT ancestor, unit, distance FROM t;"
	/*
	 * A row without an ID gets SQLite's: one more than the largest
	 * (no sequence, which a row given its ID would not move on; the
	 * writers' lock makes the largest stable).  casekit gives a case
	 * its ID itself; an event is given one here.
	 */
	"CREATE FUNCTION casekit_rowid() RETURNS trigger LANGUAGE plpgsql AS"
	"  $$BEGIN"
	"  IF NEW.id IS NULL AND TG_TABLE_NAME = 'cases' THEN"
	"    SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM cases;"
	"  ELSIF NEW.id IS NULL THEN"
	"    SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM events;"
	"  END IF;"
	"  RETURN NEW;"
	"  END$$;"
	"CREATE TRIGGER cases_rowid BEFORE INSERT ON cases"
	"  FOR EACH ROW EXECUTE FUNCTION casekit_rowid();"
	"CREATE TRIGGER events_rowid BEFORE INSERT ON events"
	"  FOR EACH ROW EXECUTE FUNCTION casekit_rowid();"
	"CREATE TABLE event_chain ("
	"  event_id BIGINT PRIMARY KEY,"
	"  hash TEXT COLLATE \"C\" NOT NULL);"
	/*
	 * History is evidence: nobody rewrites it, not even the owner by
	 * hand (the triggers), and nobody else may try (the privileges).
	 */
	"CREATE FUNCTION casekit_append_only() RETURNS trigger"
	"  LANGUAGE plpgsql AS"
	"  $$BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END$$;"
	"CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events"
	"  FOR EACH ROW EXECUTE FUNCTION"
	"  casekit_append_only('events are append-only');"
	"CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events"
	"  FOR EACH STATEMENT EXECUTE FUNCTION"
	"  casekit_append_only('events are append-only');"
	"CREATE TRIGGER event_chain_no_change BEFORE UPDATE OR DELETE"
	"  ON event_chain FOR EACH ROW EXECUTE FUNCTION"
	"  casekit_append_only('the event chain is append-only');"
	"CREATE TRIGGER event_chain_no_truncate BEFORE TRUNCATE"
	"  ON event_chain FOR EACH STATEMENT EXECUTE FUNCTION"
	"  casekit_append_only('the event chain is append-only');"
	"REVOKE ALL ON events, event_chain FROM PUBLIC;",
};
#define PG_SCHEMAS ((int)(sizeof pg_schema / sizeof pg_schema[0]))

/*
 * From version 5 (the first made on PostgreSQL) on, each entry takes a
 * database from version 5 + i to 6 + i, column for column as db.c's
 * schema[] does (an added column comes last on both); only ever
 * appended.  A new database is made at 5 and takes them all.
 */
#define PG_STEPS_FROM 5
/*
 * The open-case index as SQLite's (sql.c's q_index_create) but for the
 * title: a B-tree entry here may not pass 2704 bytes, and a title has
 * no bound (SQLite's entries overflow to pages of their own).  Open
 * cases are still read alone, in ID order; their titles from the table.
 */
#define PG_INDEX_OPEN "CREATE INDEX cases_open ON cases(id, due," \
	" dispatch_due, status, unit, category, priority)" \
	" WHERE status <> 'closed'"
static const char pg_index_open[] = PG_INDEX_OPEN;
#define PG_TEXT_CASES "CREATE INDEX cases_words ON cases USING gin" \
	" ((" PG_WORDS ") gin_trgm_ops)"
#define PG_TEXT_NOTES "CREATE INDEX events_words ON events USING gin" \
	" ((" PG_NOTE_WORDS ") gin_trgm_ops) WHERE action = 'noted'"
/* The open lists' order (sql.c's), likewise without the title. */
#define PG_INDEX_OPEN_ORDER "CREATE INDEX cases_open_order ON cases((CASE" \
	" priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END)," \
	" (due IS NULL), due, id, dispatch_due, status, unit, category," \
	" priority, closed) WHERE status <> 'closed'"
static const char pg_index_open_order[] = PG_INDEX_OPEN_ORDER;
static const char *const pg_steps[] = {
	/*
	 * 5 -> 6: positions, photo links and the keys of case-open311
	 * (db.c's 5 -> 6); nobody but the owner reads the keys' hashes.
	 */
	"ALTER TABLE cases ADD COLUMN lat DOUBLE PRECISION;"
	"ALTER TABLE cases ADD COLUMN lon DOUBLE PRECISION;"
	"ALTER TABLE cases ADD COLUMN media_url TEXT COLLATE \"C\";"
	"CREATE TABLE api_keys ("
	"  name TEXT COLLATE \"C\" PRIMARY KEY,"
	"  hash TEXT COLLATE \"C\" NOT NULL UNIQUE,"
	"  source TEXT COLLATE \"C\" NOT NULL REFERENCES sources(code),"
	"  unit TEXT COLLATE \"C\" REFERENCES units(code),"
	"  created BIGINT NOT NULL,"
	"  revoked BIGINT);"
	"REVOKE ALL ON api_keys FROM PUBLIC;",
	/* 6 -> 7: a case's number in its source's system (db.c's 6 -> 7). */
	"ALTER TABLE cases ADD COLUMN ref TEXT COLLATE \"C\";"
	"CREATE UNIQUE INDEX cases_ref ON cases(source, ref)"
	"  WHERE ref IS NOT NULL;",
	/* 7 -> 8: the cases near a place (db.c's 7 -> 8). */
	"CREATE INDEX cases_place ON cases(lat, lon) WHERE lat IS NOT NULL;",
	/* 8 -> 9: the open-case index leads with id (db.c's 8 -> 9). */
	"DROP INDEX cases_open;"
	"CREATE INDEX cases_open ON cases(id, due, dispatch_due, status, unit,"
	" category) WHERE status <> 'closed';",
	/* 9 -> 10: the duty roster (db.c's 9 -> 10). */
	"CREATE TABLE roster ("
	"  day TEXT COLLATE \"C\" PRIMARY KEY,"
	"  unit TEXT COLLATE \"C\" NOT NULL REFERENCES units(code));",
	/* 10 -> 11: signing for a case (db.c's 10 -> 11). */
	"ALTER TABLE categories ADD COLUMN ack TEXT COLLATE \"C\";"
	"ALTER TABLE categories ADD COLUMN same_day BIGINT NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE events ADD COLUMN ack_due BIGINT;",
	/*
	 * 11 -> 12: attachments, their bytes in the database (db.c's
	 * 11 -> 12), append-only; and group_concat(), which SQLite has
	 * built in, for the export's list of them (sql.c).
	 */
	"CREATE TABLE blobs ("
	"  hash TEXT COLLATE \"C\" PRIMARY KEY,"
	"  size BIGINT NOT NULL,"
	"  type TEXT COLLATE \"C\" NOT NULL,"
	"  data BYTEA NOT NULL);"
	"CREATE TABLE attachments ("
	"  case_id BIGINT NOT NULL REFERENCES cases(id),"
	"  name TEXT COLLATE \"C\" NOT NULL,"
	"  hash TEXT COLLATE \"C\" NOT NULL REFERENCES blobs(hash),"
	"  event_id BIGINT NOT NULL,"
	"  PRIMARY KEY (case_id, name));"
	"CREATE TRIGGER blobs_no_change BEFORE UPDATE OR DELETE ON blobs"
	"  FOR EACH ROW EXECUTE FUNCTION"
	"  casekit_append_only('attachments are append-only');"
	"CREATE TRIGGER blobs_no_truncate BEFORE TRUNCATE ON blobs"
	"  FOR EACH STATEMENT EXECUTE FUNCTION"
	"  casekit_append_only('attachments are append-only');"
	"CREATE TRIGGER attachments_no_change BEFORE UPDATE OR DELETE"
	"  ON attachments FOR EACH ROW EXECUTE FUNCTION"
	"  casekit_append_only('attachments are append-only');"
	"CREATE TRIGGER attachments_no_truncate BEFORE TRUNCATE"
	"  ON attachments FOR EACH STATEMENT EXECUTE FUNCTION"
	"  casekit_append_only('attachments are append-only');"
	"CREATE FUNCTION casekit_concat(text, text, text) RETURNS text"
	"  LANGUAGE sql IMMUTABLE AS"
	"  $$SELECT CASE WHEN $1 IS NULL THEN $2 ELSE $1 || $3 || $2 END$$;"
	"CREATE AGGREGATE group_concat(text, text)"
	"  (SFUNC = casekit_concat, STYPE = text);",
	/*
	 * 12 -> 13: finding a case by its words (db.c's 12 -> 13): pg_trgm's
	 * trigram indexes of the same text as SQLite's cases_words, the
	 * cases' fields in one, the notes in the other, read by sql.c's
	 * q_text_... (PG_WORDS, store.h, is the expression of both).  The
	 * server keeps them in step itself.  pg_trgm is a trusted extension:
	 * whoever may create in the database may add it.
	 */
	"CREATE EXTENSION IF NOT EXISTS pg_trgm;"
	PG_TEXT_CASES ";" PG_TEXT_NOTES ";",
	/* 13 -> 14: priority; the open-case index holds it (db.c's). */
	"ALTER TABLE cases ADD COLUMN priority TEXT COLLATE \"C\" NOT NULL"
	"  DEFAULT 'normal' CHECK (priority IN ('urgent', 'high', 'normal'));"
	"ALTER TABLE categories ADD COLUMN priority TEXT COLLATE \"C\""
	"  CHECK (priority IN ('urgent', 'high', 'normal'));"
	"ALTER TABLE categories ADD COLUMN urgent TEXT COLLATE \"C\";"
	"ALTER TABLE categories ADD COLUMN high TEXT COLLATE \"C\";"
	"DROP INDEX cases_open;"
	PG_INDEX_OPEN ";"
	PG_INDEX_OPEN_ORDER ";",
	/* 14 -> 15: links between cases (db.c's 14 -> 15). */
	"CREATE TABLE links ("
	"  case_id BIGINT NOT NULL REFERENCES cases(id),"
	"  kind TEXT COLLATE \"C\" NOT NULL"
	"  CHECK (kind IN ('parent', 'related')),"
	"  other BIGINT NOT NULL REFERENCES cases(id),"
	"  PRIMARY KEY (case_id, kind, other));"
	"CREATE INDEX links_other ON links(other, kind);"
	"CREATE INDEX cases_duplicates ON cases(duplicate_of)"
	"  WHERE duplicate_of IS NOT NULL;",
	/* 15 -> 16: units' addresses and the notices (db.c's 15 -> 16). */
	"ALTER TABLE units ADD COLUMN email TEXT COLLATE \"C\";"
	"ALTER TABLE units ADD COLUMN phone TEXT COLLATE \"C\";"
	"CREATE TABLE notices ("
	"  id BIGINT PRIMARY KEY,"
	"  at BIGINT NOT NULL,"
	"  actor TEXT COLLATE \"C\" NOT NULL,"
	"  osuser TEXT COLLATE \"C\" NOT NULL,"
	"  unit TEXT COLLATE \"C\" NOT NULL,"
	"  channel TEXT COLLATE \"C\" NOT NULL"
	"    CHECK (channel IN ('email', 'sms')),"
	"  address TEXT COLLATE \"C\" NOT NULL,"
	"  case_id BIGINT NOT NULL,"
	"  reason TEXT COLLATE \"C\" NOT NULL,"
	"  about BIGINT NOT NULL,"
	"  result TEXT COLLATE \"C\" NOT NULL);"
	"CREATE INDEX notices_case ON notices(case_id, unit, channel);"
	"CREATE TRIGGER notices_no_change BEFORE UPDATE OR DELETE ON notices"
	"  FOR EACH ROW EXECUTE FUNCTION"
	"  casekit_append_only('notices are append-only');"
	"CREATE TRIGGER notices_no_truncate BEFORE TRUNCATE ON notices"
	"  FOR EACH STATEMENT EXECUTE FUNCTION"
	"  casekit_append_only('notices are append-only');"
	"REVOKE ALL ON notices FROM PUBLIC;",
	/* 16 -> 17: the assisting units (db.c's 16 -> 17). */
	"CREATE TABLE assists ("
	"  case_id BIGINT NOT NULL REFERENCES cases(id),"
	"  unit TEXT COLLATE \"C\" NOT NULL REFERENCES units(code),"
	"  since BIGINT NOT NULL,"
	"  done BIGINT,"
	"  PRIMARY KEY (case_id, unit));"
	"CREATE INDEX assists_unit ON assists(unit, case_id);",
	/* 17 -> 18: the sign-for limit cached (db.c's 17 -> 18). */
	"ALTER TABLE cases ADD COLUMN ack_due BIGINT;"
	"CREATE INDEX cases_unsigned ON cases(ack_due)"
	" WHERE ack_due IS NOT NULL;",
};
/* The search indexes, which a load drops and makes again likewise. */
static const char *const text_drop[] = {
	"DROP INDEX cases_words", "DROP INDEX events_words",
};
static const char *const text_create[] = { PG_TEXT_CASES, PG_TEXT_NOTES };
#define NTEXT ((int)(sizeof text_drop / sizeof text_drop[0]))

static int
schema_version(struct pg_db *d)
{
	char *v;
	int n;

	if ((v = query1(d, "SELECT to_regclass('casekit_schema')")) == NULL)
		return 0;
	free(v);
	if ((v = query1(d, "SELECT max(version) FROM casekit_schema")) ==
	    NULL)
		return 0;
	n = atoi(v);
	free(v);
	return n;
}

static int
has_tables(struct pg_db *d)
{
	char *v = query1(d, "SELECT count(*) FROM pg_catalog.pg_class c"
	    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	    " WHERE n.nspname = current_schema()");
	int n = atoi(v);

	free(v);
	return n > 0;
}

/*
 * Creates the schema in an empty database, or checks the one there.  A
 * schema made here is left in its transaction, which the program's own
 * continues (pg_begin): a case-init that fails, or a case-copy, leaves
 * the database as empty as it found it, as a SQLite file made by a run
 * that fails is removed.
 */
static void
migrate(struct pg_db *d)
{
	char sql[80];
	int v, i;

	v = schema_version(d);
	if (v == PG_SCHEMA_VERSION)
		return;
	if (v > PG_SCHEMA_VERSION)
		errx(CASE_EXIT_FATAL, _("%s: schema version %d is newer "
		    "than this casekit's (%d): upgrade casekit"), d->name, v,
		    PG_SCHEMA_VERSION);
	if (v == 0 && (d->mode < CASE_DB_CREATE || has_tables(d)))
		errx(CASE_EXIT_FATAL, _("%s: not a casekit database"),
		    d->name);
	if (d->mode == CASE_DB_READ)
		errx(CASE_EXIT_FATAL, _("%s: schema version %d needs "
		    "upgrading by a user who may write to it: run "
		    "case-init"), d->name, v);
	case_begin(&d->h);
	/* Another process may have made it while we waited for the lock. */
	if ((v = schema_version(d)) == PG_SCHEMA_VERSION) {
		case_rollback(&d->h);
		return;
	}
	if (v < PG_STEPS_FROM && (v != 0 || has_tables(d)))
		errx(CASE_EXIT_FATAL, _("%s: not a casekit database"),
		    d->name);
	if (v == 0) {
		for (i = 0; i < PG_SCHEMAS; i++)
			exec(d, pg_schema[i]);
		case_calendar_seed(&d->h);
		v = PG_STEPS_FROM;
	}
	for (i = v - PG_STEPS_FROM; i < PG_SCHEMA_VERSION - PG_STEPS_FROM; i++)
		exec(d, pg_steps[i]);
	if (v <= 17)
		case_refill_sign_by(&d->h);
	exec(d, "DELETE FROM casekit_schema");
	snprintf(sql, sizeof sql, "INSERT INTO casekit_schema VALUES (%d)",
	    PG_SCHEMA_VERSION);
	exec(d, sql);
	d->made = 1;
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg, (void)msg;
}

/* Named without the password a URI may hold: host:port/database. */
static void
name(struct pg_db *d)
{
	const char *host, *port, *db;

	host = d->c != NULL ? PQhost(d->c) : NULL;
	port = d->c != NULL ? PQport(d->c) : NULL;
	db = d->c != NULL ? PQdb(d->c) : NULL;
	if (db == NULL) {
		snprintf(d->name, sizeof d->name, "PostgreSQL");
		return;
	}
	snprintf(d->name, sizeof d->name, "%s%s%s/%s",
	    host != NULL && *host != '\0' ? host : "localhost",
	    port != NULL && *port != '\0' ? ":" : "", port != NULL ? port : "",
	    db);
}

/*
 * How messages name a server's database, for the programs (the caller
 * frees it): host:port/database, never the password a URI may hold.
 */
char *
case_pg_name(const char *conninfo)
{
	PQconninfoOption *o, *p;
	const char *host = NULL, *port = NULL, *db = NULL, *user = NULL;
	char *s;

	load();
	if ((o = PQconninfoParse(conninfo, NULL)) == NULL)
		return case_strdup("PostgreSQL");
	for (p = o; p->keyword != NULL; p++)
		if (p->val == NULL)
			continue;
		else if (strcmp(p->keyword, "host") == 0)
			host = p->val;
		else if (strcmp(p->keyword, "port") == 0)
			port = p->val;
		else if (strcmp(p->keyword, "dbname") == 0)
			db = p->val;
		else if (strcmp(p->keyword, "user") == 0)
			user = p->val;
	if (asprintf(&s, "%s%s%s/%s", host != NULL ? host : "localhost",
	    port != NULL ? ":" : "", port != NULL ? port : "",
	    db != NULL ? db : user != NULL ? user : "") == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	PQconninfoFree(o);
	return s;
}

/*
 * Would trying again help?  A server that is down, starting, stopping
 * or not (yet) the primary may be back, or replaced by a promoted
 * standby, in seconds; a wrong password or database will not.
 */
static int
transient(const char *msg)
{
	static const char *const again[] = {
		"Connection refused", "timeout expired", "starting up",
		"shutting down", "in recovery", "hot standby", "read-only",
		"closed the connection", "No such file or directory",
		"Connection reset", "Broken pipe", "terminating connection",
		"accepting connections",
	};
	size_t i;

	for (i = 0; i < sizeof again / sizeof again[0]; i++)
		if (strstr(msg, again[i]) != NULL)
			return 1;
	return 0;
}

/*
 * A connection string that libpq cannot read is not echoed: it may
 * hold a password.  libpq's reason names the part it stopped at.
 */
static void
check_conninfo(struct pg_db *d, const char *conninfo)
{
	char *msg = NULL, *at;
	PQconninfoOption *o;

	if ((o = PQconninfoParse(conninfo, &msg)) != NULL) {
		PQconninfoFree(o);
		return;
	}
	if (msg == NULL)
		errx(CASE_EXIT_FATAL, _("%s: out of memory"), "PostgreSQL");
	/* libpq quotes the whole string in some reasons: cut it there. */
	if (strlen(conninfo) >= 4 && (at = strstr(msg, conninfo)) != NULL &&
	    at > msg)
		strcpy(at - 1, "\"...\"");
	fail(d, _("invalid connection string"), msg);
}

/*
 * A server that cannot be reached is tried again until CASE_DB_RETRY
 * seconds (60, as long as SQLite waits for a lock) have passed, tries
 * included: through a failover, a writer given every node with
 * target_session_attrs=read-write reaches the new primary.  libpq's
 * reasons are read in English, to tell which failures may pass, and so
 * reported (they name the server's side of things).  With one_try,
 * tried once: 0 if it failed.
 */
static int
connect_retry(struct pg_db *d, const char *conninfo, int one_try)
{
	double end = deadline();
	struct timespec ts;
	char *saved;
	long ms = 100, wait;
	double left;
	int again;

	/* The program's name, for pg_stat_activity, unless the URI names one. */
	const char *const keys[] = { "dbname", "fallback_application_name",
	    NULL };
	const char *const vals[] = { conninfo, program_invocation_short_name,
	    NULL };

	snprintf(d->name, sizeof d->name, "PostgreSQL");
	check_conninfo(d, conninfo);
	saved = case_strdup(setlocale(LC_MESSAGES, NULL));
	setlocale(LC_MESSAGES, "C");
	for (;;) {
		d->c = PQconnectdbParams(keys, vals, 1);
		name(d);
		if (d->c == NULL)
			errx(CASE_EXIT_FATAL, _("%s: out of memory"),
			    d->name);
		if (PQstatus(d->c) == CONNECTION_OK)
			break;
		if (one_try) {
			PQfinish(d->c);
			d->c = NULL;
			setlocale(LC_MESSAGES, saved);
			free(saved);
			return 0;
		}
		again = transient(PQerrorMessage(d->c)) && seconds() < end;
		if (!again) {
			setlocale(LC_MESSAGES, saved);
			fail(d, NULL, PQerrorMessage(d->c));
		}
		PQfinish(d->c);
		left = (end - seconds()) * 1000;
		wait = ms < left ? ms : left > 0 ? left : 0;
		ts.tv_sec = wait / 1000;
		ts.tv_nsec = wait % 1000 * 1000000L;
		nanosleep(&ts, NULL);
		if ((ms *= 2) > 2000)
			ms = 2000;
	}
	setlocale(LC_MESSAGES, saved);
	free(saved);
	return 1;
}

/* One setting of the session; 0 if the connection went meanwhile. */
static int
set(struct pg_db *d, const char *sql)
{
	PGresult *r = PQexec(d->c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok && PQstatus(d->c) != CONNECTION_BAD)
		fail_result(d, r);
	PQclear(r);
	return ok;
}

/*
 * A session as every program wants it.  A server that goes between
 * the connection and its settings (killed, or demoted in a failover)
 * is connected to again, as one that refused, within CASE_DB_RETRY;
 * with one_try, tried once: 0 if it failed, the connection closed.
 */
static int
session(struct pg_db *d, int one_try)
{
	double end = deadline();

	for (;;) {
		if (!connect_retry(d, d->conninfo, one_try))
			return 0;
		PQsetNoticeProcessor(d->c, quiet, NULL);
		if (PQsetClientEncoding(d->c, "UTF8") == 0 &&
		    /* Writers wait for each other as long as SQLite's. */
		    set(d, "SET lock_timeout = '60s'") &&
		    /* Attachments' bytes as pg_col_bytes() reads them. */
		    set(d, "SET bytea_output = 'hex'") &&
		    (d->mode != CASE_DB_READ || set(d, "SET SESSION "
		    "CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL "
		    "REPEATABLE READ, READ ONLY")))
			return 1;
		if (one_try) {
			PQfinish(d->c);
			d->c = NULL;
			return 0;
		}
		if (PQstatus(d->c) != CONNECTION_BAD || seconds() >= end)
			fail(d, _("connection lost; nothing of this run was "
			    "written"), PQerrorMessage(d->c));
		PQfinish(d->c);
	}
}

/*
 * A handle on a session of conninfo's, for a program of mode's; with
 * one_try, tried once: NULL if it failed.
 */
static struct pg_db *
connect_db(const char *conninfo, int mode, int one_try)
{
	struct pg_db *d = case_malloc(sizeof *d);

	load();
	memset(d, 0, sizeof *d);
	d->h.e = &case_pg;
	d->mode = mode;
	d->conninfo = case_strdup(conninfo);
	if (!session(d, one_try)) {
		free(d->conninfo);
		free(d);
		return NULL;
	}
	return d;
}

/*
 * A writer's server lost while its schema is read, before the first
 * transaction, is found again as in one (fail_result()): nothing of the
 * run has been written, and its output is held back from here.
 */
static struct case_db *
pg_open(const char *conninfo, int mode)
{
	struct pg_db *d = connect_db(conninfo, mode, 0);

	if (mode != CASE_DB_READ) {
		d->end = deadline();
		case_stdout_hold();
	}
	migrate(d);
	return &d->h;
}

/*
 * Streams.  A cursor's rows come FETCH_ROWS at a time, each batch
 * asked for, built into a PGresult and read before the next is asked
 * for, so that the server waits for the program and the program for
 * the server; on a server the figures took five times what psql's
 * GROUP BY takes.  A big statement without parameters, in a read-only
 * transaction, is read instead as COPY ... TO STDOUT, which the server
 * sends as fast as it makes the rows while the program folds them.  A
 * COPY holds its connection until its last row, and the figures read
 * two statements side by side, so each stream has a connection of its
 * own, a side one, in a transaction that reads the program's own
 * snapshot (exported by the main connection's transaction and imported
 * there): both see the same database as every other statement of the
 * transaction.  The main connection stays free for them.  Writers keep
 * their cursors: a side could not see what their transaction wrote.
 */

/* o, one of d's sides, closed and forgotten. */
static void
side_drop(struct pg_db *d, struct pg_db *o)
{
	int i;

	for (i = 0; i < NSIDE && d->side[i] != o; i++)
		;
	if (i < NSIDE) {
		for (; i + 1 < NSIDE; i++)
			d->side[i] = d->side[i + 1];
		d->side[NSIDE - 1] = NULL;
	}
	PQfinish(o->c);
	free(o->conninfo);
	free(o);
}

/* A side's statement: 0 if it failed (the side then goes). */
static int
side_exec(struct pg_db *o, const char *sql)
{
	PGresult *r = PQexec(o->c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	PQclear(r);
	return ok;
}

/*
 * A side connection, free and in a transaction on d's snapshot; NULL
 * if there is none to be had, and a cursor reads.  A side is tried
 * once, not waited for: the server, or a role's CONNECTION LIMIT, may
 * have no connection to spare for it, and the main one can read.  One
 * refused is not asked for again in the transaction.
 */
static struct pg_db *
side(struct pg_db *d)
{
	struct pg_db *o;
	PGresult *r;
	char sql[80];
	int i, joined;

	for (i = 0; i < NSIDE && d->side[i] != NULL && d->side[i]->busy; i++)
		;
	if (i == NSIDE || d->noside)
		return NULL;	/* no side free, or none to be had: a cursor */
	if (d->snap == NULL)
		d->snap = query1(d, "SELECT pg_export_snapshot()");
	/* The server names it in hex digits and dashes; else a cursor. */
	if (d->snap == NULL || strlen(d->snap) > 40 ||
	    strspn(d->snap, "0123456789ABCDEF-") != strlen(d->snap))
		return NULL;
	if ((o = d->side[i]) == NULL &&
	    (o = d->side[i] = connect_db(d->conninfo, d->mode, 1)) == NULL) {
		d->noside = 1;
		return NULL;
	}
	/* One lost between transactions: again, as pg_begin() does. */
	if (PQstatus(o->c) == CONNECTION_BAD) {
		PQfinish(o->c);
		if (!session(o, 1)) {
			side_drop(d, o);
			d->noside = 1;
			return NULL;
		}
	}
	/*
	 * A snapshot is one server's: a URI of several hosts could have
	 * led this connection elsewhere.  Then it goes; a cursor reads,
	 * as it does if the side cannot join the snapshot.
	 */
	if (strcmp(PQhost(o->c), PQhost(d->c)) != 0 ||
	    strcmp(PQport(o->c), PQport(d->c)) != 0)
		goto gone;
	if (o->gen != d->gen || PQtransactionStatus(o->c) != PQTRANS_INTRANS) {
		if ((PQtransactionStatus(o->c) != PQTRANS_IDLE &&
		    !side_exec(o, "ROLLBACK")) || !side_exec(o, "BEGIN"))
			goto gone;
		snprintf(sql, sizeof sql, "SET TRANSACTION SNAPSHOT '%s'",
		    d->snap);
		r = PQexec(o->c, sql);
		joined = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (!joined)
			goto gone;
	}
	o->gen = d->gen;
	o->busy = 1;
	return o;
gone:
	side_drop(d, o);
	return NULL;
}

/* The transaction ended: a side joins the next one's snapshot anew. */
static void
sides_forget(struct pg_db *d)
{
	d->noside = 0;
	free(d->snap);
	d->snap = NULL;
	d->gen++;
}

static void
sides_close(struct pg_db *d)
{
	int i;

	for (i = 0; i < NSIDE && d->side[i] != NULL; i++) {
		PQfinish(d->side[i]->c);
		free(d->side[i]->conninfo);
		free(d->side[i]);
		d->side[i] = NULL;
	}
	free(d->snap);
	d->snap = NULL;
}

static int
is_int(Oid t)
{
	return t == 20 || t == 21 || t == 23;	/* int8, int2, int4 */
}

/*
 * The statement's COPY, and the room for a row.  Binary if every
 * column is an integer or text, the figures' and history's: the server
 * then sends integers as they are rather than writing them out, and
 * text without escapes (a fifth to a third less of its time, measured
 * on the events), and the program reads integers without parsing them.
 */
static void
stream_make(struct pg_stmt *s, const char *text)
{
	Oid t;
	int k;

	s->bin = 1;
	for (k = 0; k < s->ncol; k++)
		if (!is_int(t = PQftype(s->desc, k)) && t != 25 && t != 1043)
			s->bin = 0;	/* not int8, int2, int4, text, varchar */
	if (s->np > 0) {
		if ((s->stext = strdup(text)) == NULL)
			err(CASE_EXIT_FATAL, "strdup");
	} else if (asprintf(&s->stream, "COPY (%s) TO STDOUT%s", text,
	    s->bin ? " (FORMAT binary)" : "") == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	s->cv = case_reallocarray(NULL, s->ncol, sizeof *s->cv);
	s->cl = case_reallocarray(NULL, s->ncol, sizeof *s->cl);
	s->iv = case_reallocarray(NULL, s->ncol, sizeof *s->iv);
	s->nb = case_reallocarray(NULL, s->ncol, sizeof *s->nb);
}

/*
 * A COPY takes no parameters, so a statement with some streams only if
 * each is an integer bound by pg_bind_int(), written out as the number
 * it is, in parentheses (so that a minus sign before it makes no
 * comment); the figures read the cases by ranges of IDs.  A text value
 * is never put into SQL, and such a statement is read by cursor.
 */
static int
stream_bind(struct pg_stmt *s)
{
	const char *p;
	char *o, name[16];
	size_t n;
	int i, quote = 0;

	if (s->stext == NULL)
		return s->stream != NULL;
	free(s->stream);
	s->stream = NULL;
	for (i = 0; i < s->np; i++)
		if (s->val[i] != s->num[i])
			return 0;
	for (n = strlen(s->stext) + 64, p = s->stext; *p != '\0'; p++)
		n += *p == '$' ? sizeof s->num[0] + 2 : 0;
	s->stream = o = case_malloc(n);
	o += sprintf(o, "COPY (");
	for (p = s->stext; *p != '\0'; p++) {
		if (quote && *p == quote)
			quote = 0;
		else if (!quote && (*p == '\'' || *p == '"'))
			quote = *p;
		if (quote || *p != '$' || p[1] < '1' || p[1] > '9') {
			*o++ = *p;
			continue;
		}
		for (i = 0; p[1] >= '0' && p[1] <= '9'; p++)
			i = i * 10 + p[1] - '0';
		if (i > s->np) {
			snprintf(name, sizeof name, "$%d", i);
			errx(CASE_EXIT_FATAL, _("internal error: no parameter "
			    "%s in: %s"), name, s->sql);
		}
		o += sprintf(o, "(%s)", s->num[i - 1]);
	}
	strcpy(o, s->bin ? ") TO STDOUT (FORMAT binary)" : ") TO STDOUT");
	return 1;
}

static unsigned long long
be(const char *p, int n)
{
	unsigned long long v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | (unsigned char)p[i];
	return v;
}

_Noreturn static void
misshapen(struct pg_stmt *s)
{
	errx(CASE_EXIT_FATAL, _("%s: the server sent a row without its %d "
	    "values"), s->db->name, s->ncol);
}

/*
 * A row of a binary COPY, n bytes: the number of values, then each as
 * its length (-1 for NULL) and its bytes, big-endian for an integer.
 * A text value is moved onto its length, to end in a NUL where its
 * last bytes were.  The first row comes after the stream's header;
 * a count of -1 ends the stream.  0 for a message without a row.
 */
static int
binary_row(struct pg_stmt *s, char *p, int n)
{
	static const char sig[] = "PGCOPY\n\377\r\n";	/* and a NUL */
	char *end = p + n;
	long len;
	Oid t;
	int k;

	if (s->head) {
		if (n < 19 || memcmp(p, sig, 11) != 0 ||
		    (len = be(p + 15, 4)) > n - 19)
			misshapen(s);
		p += 19 + len;
		s->head = 0;
		if (p == end)
			return 0;
	}
	if (end - p < 2)
		misshapen(s);
	if ((int16_t)be(p, 2) == -1)
		return 0;
	if ((int)be(p, 2) != s->ncol)
		misshapen(s);
	for (p += 2, k = 0; k < s->ncol; k++) {
		if (end - p < 4)
			misshapen(s);
		len = (int32_t)be(p, 4);
		if (len == -1) {
			s->cv[k] = NULL;
			s->cl[k] = 0;
			p += 4;
			continue;
		}
		if (len < 0 || len > end - p - 4)
			misshapen(s);
		if (is_int(t = PQftype(s->desc, k))) {
			if (len != (t == 20 ? 8 : t == 23 ? 4 : 2))
				misshapen(s);
			s->iv[k] = len == 8 ? (long long)be(p + 4, 8) :
			    len == 4 ? (int32_t)be(p + 4, 4) :
			    (int16_t)be(p + 4, 2);
			s->nb[k][0] = '\0';
			s->cv[k] = s->nb[k];
		} else {
			memmove(p, p + 4, len);
			p[len] = '\0';
			s->cv[k] = p;
			s->cl[k] = len;
		}
		p += 4 + len;
	}
	return CASE_ROW;
}

static void
stream_open(struct pg_stmt *s, struct pg_db *o)
{
	PGresult *r = PQexec(o->c, s->stream);

	if (PQresultStatus(r) != PGRES_COPY_OUT)
		fail_result(o, r);
	PQclear(r);
	s->via = o;
	s->head = 1;
}

/*
 * A stream that failed: its connection's results read to their end
 * first, so that one the server closed is seen closed, and said lost
 * as on the main connection.
 */
_Noreturn static void
stream_fail(struct pg_db *o, PGresult *r)
{
	PGresult *more;

	while ((more = PQgetResult(o->c)) != NULL)
		PQclear(more);
	fail_result(o, r);
}

/*
 * The end of a stream: its statement's result, the connection free.
 * One left before its end is cut off with its connection (reading its
 * rows to the end could take as long as the stream), and the next
 * stream connects again.
 */
static void
stream_end(struct pg_stmt *s, int whole)
{
	struct pg_db *o = s->via;
	PGresult *r;

	PQfreemem(s->line);
	s->line = NULL;
	s->via = NULL;
	o->busy = 0;
	if (!whole) {
		side_drop(s->db, o);
		return;
	}
	if (PQresultStatus(r = PQgetResult(o->c)) != PGRES_COMMAND_OK)
		stream_fail(o, r);
	PQclear(r);
	while ((r = PQgetResult(o->c)) != NULL)
		PQclear(r);
}

/*
 * The stream's next row, in COPY's text format: values split at tabs,
 * \N for NULL, and a backslash before a tab, newline, carriage return
 * or backslash in a value (or b, f, n, r, t, v for those characters).
 */
static int
stream_next(struct pg_stmt *s)
{
	char *p, *q, *end, *v;
	int n, k;

	do {
		PQfreemem(s->line);
		s->line = NULL;
		if ((n = PQgetCopyData(s->via->c, &s->line, 0)) == -1) {
			stream_end(s, 1);
			return 0;
		}
		if (n < 0)
			stream_fail(s->via, PQgetResult(s->via->c));
	} while (s->bin && binary_row(s, s->line, n) == 0);
	if (s->bin)
		return CASE_ROW;
	end = s->line + n - (n > 0 && s->line[n - 1] == '\n');
	for (p = s->line, k = 0; k < s->ncol; k++) {
		for (v = q = p; p < end && *p != '\t'; p++)
			if (*p != '\\' || ++p == end)
				*q++ = *p;
			else
				switch (*p) {
				case 'b': *q++ = '\b'; break;
				case 'f': *q++ = '\f'; break;
				case 'n': *q++ = '\n'; break;
				case 'r': *q++ = '\r'; break;
				case 't': *q++ = '\t'; break;
				case 'v': *q++ = '\v'; break;
				case 'N': *q++ = *p; v = NULL; break;
				default: *q++ = *p; break;
				}
		if ((p == end) != (k == s->ncol - 1))
			misshapen(s);
		*q = '\0';
		s->cv[k] = v;
		s->cl[k] = v != NULL ? q - v : 0;
		p++;
	}
	return CASE_ROW;
}

static void
stmt_clear(struct pg_stmt *s)
{
	if (s->via != NULL)
		stream_end(s, 0);
	PQclear(s->res);
	s->res = NULL;
	s->state = 0;
	if (s->open) {
		s->open = 0;
		flight_land(s->db, 1);
		if (PQtransactionStatus(s->db->c) == PQTRANS_INTRANS)
			exec(s->db, s->close);
	}
}

static void
stmt_free(struct pg_stmt *s)
{
	int i;

	stmt_clear(s);
	PQclear(s->desc);
	for (i = 0; i < s->np; i++)
		free(s->names[i]);
	free(s->declare);
	free(s->fetch);
	free(s->close);
	free(s->copy);
	free(s->stream);
	free(s->stext);
	free(s->cv);
	free(s->cl);
	free(s->iv);
	free(s->nb);
	for (i = 0; i < MAXPARAM; i++)
		free(s->blob[i]);
	free(s->bytes);
	free(s);
}

static void
pg_close(struct case_db *h)
{
	struct pg_db *d = (struct pg_db *)h;
	int i;

	drain(d, 0);
	d->load = 0;
	for (i = 0; i < NCACHE && cache[i] != NULL; i++) {
		stmt_free(cache[i]);
		cache[i] = NULL;
	}
	sides_close(d);
	for (i = 0; i < d->ncopy; i++) {
		free(d->copy[i].sql);
		free(d->copy[i].buf);
	}
	for (i = 0; i < NCOPY; i++) {
		free(d->fly.t[i].sql);
		free(d->fly.t[i].buf);
	}
	free(d->keys);
	PQfinish(d->c);
	free(d->conninfo);
	free(d);
}

/* Every statement's rows and cursor go with the transaction. */
static void
reset_all(void)
{
	int i;

	for (i = 0; i < NCACHE; i++) {
		if (cache[i] != NULL)
			stmt_clear(cache[i]);
		if (once[i] != NULL)
			stmt_clear(once[i]);
	}
}

/*
 * A server lost before the transaction begins has lost nothing of this
 * run's (each does its work in one): it is connected to again, within
 * CASE_DB_RETRY, which through a failover finds the new primary.  Its
 * prepared statements went with the old session.
 */
static void
pg_begin(struct case_db *h)
{
	struct pg_db *d = (struct pg_db *)h;
	PGresult *r;
	int i;

	reset_all();
	sides_forget(d);
	d->end = deadline();
	if (d->mode != CASE_DB_READ)
		case_stdout_hold();
	if (d->made) {
		d->made = 0;
		return;
	}
	drain(d, 1);
	r = PQexec(d->c, "BEGIN");
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQstatus(d->c) == CONNECTION_BAD) {
		PQclear(r);
		for (i = 0; i < NCACHE && cache[i] != NULL; i++) {
			stmt_free(cache[i]);
			cache[i] = NULL;
		}
		PQfinish(d->c);
		session(d, 0);
		r = PQexec(d->c, "BEGIN");
	}
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_result(d, r);
	PQclear(r);
	if (d->mode != CASE_DB_READ)
		exec(d, write_lock);
}

/* A connection lost while committing leaves the outcome to the server. */
static void
pg_commit(struct case_db *h)
{
	struct pg_db *d = (struct pg_db *)h;
	PGresult *r;

	reset_all();
	sides_forget(d);
	drain(d, 1);
	d->load = 0;
	r = PQexec(d->c, "COMMIT");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		if (PQstatus(d->c) == CONNECTION_BAD)
			fail(d, _("connection lost at commit; whether this "
			    "run's changes were written is unknown"),
			    PQerrorMessage(d->c));
		fail_result(d, r);
	}
	PQclear(r);
	case_stdout_release();
}

static void
pg_rollback(struct case_db *h)
{
	struct pg_db *d = (struct pg_db *)h;

	/* A dry run's writes are checked too: it says what a run would do. */
	drain(d, 1);
	d->load = 0;
	reset_all();
	sides_forget(d);
	if (PQtransactionStatus(d->c) != PQTRANS_IDLE)
		exec(d, "ROLLBACK");
	case_stdout_release();
}

static int
isname(int c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

/*
 * sql.c's text in PostgreSQL's terms: :name as $n, a unary + before a
 * name dropped; quoted text and names left alone.  The names go into s.
 */
static char *
translate(struct pg_stmt *s, const char *sql)
{
	char *out = case_malloc(strlen(sql) * 2 + 1), *o = out, quote = 0;
	const char *p, *q;
	int i;

	for (p = sql; *p != '\0'; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			*o++ = *p;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			*o++ = *p;
		} else if (*p == ':' && isname(p[1], 1) && (p == sql ||
		    p[-1] != ':')) {
			for (q = p + 1; isname(*q, 0); q++)
				;
			for (i = 0; i < s->np; i++)
				if (strncmp(s->names[i], p, q - p) == 0 &&
				    s->names[i][q - p] == '\0')
					break;
			if (i == s->np) {
				if (s->np == MAXPARAM)
					errx(CASE_EXIT_FATAL, _("internal "
					    "error: too many parameters in: %s"),
					    sql);
				if ((s->names[s->np] = strndup(p, q - p)) ==
				    NULL)
					err(CASE_EXIT_FATAL, "strndup");
				s->np++;
			}
			o += sprintf(o, "$%d", i + 1);
			p = q - 1;
		} else if (*p == '+' && isname(p[1], 1) && (p == sql ||
		    p[-1] == ' ' || p[-1] == '('))
			;
		else
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* Past the spaces at p, then past word, if it is there (else NULL). */
static const char *
expect(const char *p, const char *word)
{
	size_t n = strlen(word);

	while (*p == ' ')
		p++;
	return strncmp(p, word, n) == 0 ? p + n : NULL;
}

/*
 * A plain INSERT INTO t (cols) VALUES ($n, ...), each value a parameter
 * and nothing after them (no RETURNING, ON CONFLICT, sub-select): its
 * rows may go by COPY into the same columns, s->copy.  Anything else
 * runs as it is.
 */
static void
plain_insert(struct pg_stmt *s, const char *text)
{
	const char *p, *t, *cols, *end = NULL;
	size_t tlen;
	int n = 0, v = 0;
	long k;
	char *e;

	if ((p = expect(text, "INSERT INTO ")) == NULL)
		return;
	for (t = p; isname(*p, p == t); p++)
		;
	if ((tlen = p - t) == 0 || tlen >= sizeof s->table ||
	    (cols = expect(p, "(")) == NULL)
		return;
	for (p = cols; (p = expect(p, "")) != NULL && isname(*p, 1);) {
		while (isname(*p, 0))
			p++;
		n++;
		if ((end = expect(p, ")")) != NULL)
			break;
		if ((p = expect(p, ",")) == NULL)
			return;
	}
	if (p == NULL || end == NULL || n > MAXPARAM ||
	    (p = expect(end, "VALUES (")) == NULL)
		return;
	for (;;) {
		if ((p = expect(p, "$")) == NULL ||
		    (k = strtol(p, &e, 10)) < 1 || k > s->np || e == p ||
		    v == n)
			return;
		s->copycol[v++] = k - 1;
		if ((p = expect(e, ")")) != NULL)
			break;
		if ((p = expect(e, ",")) == NULL)
			return;
	}
	if (v != n || *expect(p, "") != '\0')
		return;
	memcpy(s->table, t, tlen);
	s->table[tlen] = '\0';
	s->ncopy = n;
	if (asprintf(&s->copy, "COPY %.*s FROM STDIN", (int)(end - t), t) ==
	    -1)
		err(CASE_EXIT_FATAL, "asprintf");
}

static struct pg_stmt *
make(struct pg_db *d, const char *sql)
{
	struct pg_stmt *s = case_malloc(sizeof *s);
	PGresult *r;
	char *text;

	memset(s, 0, sizeof *s);
	s->h.e = &case_pg;
	s->db = d;
	s->sql = sql;
	snprintf(s->pname, sizeof s->pname, "c%u", nonce++);
	text = translate(s, sql);
	/* Not the rows kept for COPY: this reads nothing of theirs. */
	drain_pipe(d, 1);
	r = PQprepare(d->c, s->pname, text, s->np, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_result(d, r);
	PQclear(r);
	s->desc = PQdescribePrepared(d->c, s->pname);
	if (PQresultStatus(s->desc) != PGRES_COMMAND_OK)
		fail_result(d, s->desc);
	s->ncol = PQnfields(s->desc);
	s->big = s->ncol > 0 && strstr(text, " ORDER BY ") != NULL &&
	    strstr(text, " LIMIT ") == NULL;
	if (s->big && (asprintf(&s->declare,
	    "DECLARE %s_cur NO SCROLL CURSOR FOR %s", s->pname, text) == -1 ||
	    asprintf(&s->fetch, "FETCH %d FROM %s_cur", FETCH_ROWS,
	    s->pname) == -1 ||
	    asprintf(&s->close, "CLOSE %s_cur", s->pname) == -1))
		err(CASE_EXIT_FATAL, "asprintf");
	if (s->ncol == 0)
		plain_insert(s, text);
	/* A stream's, in a read-only transaction (above pg_open()). */
	if (s->big && d->mode == CASE_DB_READ)
		stream_make(s, text);
	free(text);
	return s;
}

static struct case_stmt *
pg_prepare(struct case_db *h, const char *sql)
{
	int i;

	for (i = 0; i < NCACHE && cache[i] != NULL; i++)
		if (cache[i]->sql == sql) {
			stmt_clear(cache[i]);
			memset(cache[i]->val, 0, sizeof cache[i]->val);
			return &cache[i]->h;
		}
	if (i == NCACHE)
		errx(CASE_EXIT_FATAL, _("statement cache full"));
	cache[i] = make((struct pg_db *)h, sql);
	return &cache[i]->h;
}

static struct case_stmt *
pg_prepare_once(struct case_db *h, const char *sql)
{
	int i;

	for (i = 0; i < NCACHE && once[i] != NULL; i++)
		;
	if (i == NCACHE)
		errx(CASE_EXIT_FATAL, _("statement cache full"));
	once[i] = make((struct pg_db *)h, sql);
	return &once[i]->h;
}

static void
pg_finalize(struct case_stmt *hs)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	char sql[40];
	int i;

	for (i = 0; i < NCACHE; i++)
		if (once[i] == s)
			once[i] = NULL;
	snprintf(sql, sizeof sql, "DEALLOCATE %s", s->pname);
	exec(s->db, sql);
	stmt_free(s);
}

/*
 * The statement runs at its first step, and its rows are kept; a step
 * after the last row runs it again, as SQLite's does.
 */
/* The cursor's next rows. */
static void
fetch(struct pg_stmt *s)
{
	drain(s->db, 1);
	PQclear(s->res);
	s->res = PQexec(s->db->c, s->fetch);
	if (PQresultStatus(s->res) != PGRES_TUPLES_OK)
		fail_result(s->db, s->res);
	s->nrow = PQntuples(s->res);
}

/* The rows kept for s's table, which is first written now if new. */
static struct pg_copy *
copy_buffer(struct pg_db *d, struct pg_stmt *s)
{
	struct pg_copy *b;
	int i;

	for (i = 0; i < d->ncopy; i++)
		if (strcmp(d->copy[i].table, s->table) == 0)
			break;
	if (i == NCOPY) {
		copy_flush(d, 1);
		for (i = 0; i < d->ncopy; i++)
			free(d->copy[i].sql);
		d->ncopy = i = 0;
	}
	b = &d->copy[i];
	if (i == d->ncopy) {
		d->ncopy++;
		snprintf(b->table, sizeof b->table, "%s", s->table);
		b->sql = NULL;
	}
	/* Into other columns of it: the rows before go first. */
	if (b->sql == NULL || strcmp(b->sql, s->copy) != 0) {
		if (b->len > 0)
			copy_flush(d, 1);
		free(b->sql);
		b->sql = case_strdup(s->copy);
	}
	return b;
}

/*
 * The values bound to s as a row of COPY's text format: a tab between
 * them, \N for NULL, and a backslash before the bytes that would end a
 * value or a row (and before a backslash).
 */
static void
copy_row(struct pg_db *d, struct pg_stmt *s)
{
	static const char esc[256] = { ['\\'] = '\\', ['\t'] = 't',
	    ['\n'] = 'n', ['\r'] = 'r' };
	struct pg_copy *b = copy_buffer(d, s);
	size_t len0 = b->len, need;
	const char *v;
	int i;
	char c;

	for (i = 0; i < s->ncopy; i++) {
		v = s->val[s->copycol[i]];
		/* Each byte escaped at worst, and a tab or newline. */
		need = b->len + (v != NULL ? 2 * strlen(v) : 2) + 1;
		if (need > b->size) {
			b->size = need > 2 * b->size ? need : 2 * b->size;
			if ((b->buf = realloc(b->buf, b->size)) == NULL)
				err(CASE_EXIT_FATAL, "realloc");
		}
		if (v == NULL) {
			b->buf[b->len++] = '\\';
			b->buf[b->len++] = 'N';
		}
		for (; v != NULL && *v != '\0'; v++)
			if ((c = esc[(unsigned char)*v]) != '\0') {
				b->buf[b->len++] = '\\';
				b->buf[b->len++] = c;
			} else
				b->buf[b->len++] = *v;
		b->buf[b->len++] = i < s->ncopy - 1 ? '\t' : '\n';
	}
	d->loaded++;
	if ((d->copied += b->len - len0) >= COPY_CHUNK)
		copy_launch(d);
	else if (d->fly.on && ++d->fly.rows % FLIGHT_POLL == 0)
		flight_go(d, 0);
}

static int
pg_step(struct case_stmt *hs)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	struct pg_db *d = s->db, *o;
	PGresult *r;

	if (s->state == 2)
		stmt_clear(s);
	if (s->state == 0 && s->ncol == 0 && s->copy != NULL && d->load) {
		copy_row(d, s);
		s->state = 2;
		return 0;
	}
	if (s->state == 0 && (s->stream != NULL || s->stext != NULL) &&
	    PQtransactionStatus(d->c) == PQTRANS_INTRANS && stream_bind(s) &&
	    (o = side(d)) != NULL) {
		stream_open(s, o);
		s->state = 1;
	}
	if (s->via != NULL) {
		if (stream_next(s) == CASE_ROW)
			return CASE_ROW;
		s->state = 2;
		return 0;
	}
	if (s->state == 0 && s->ncol == 0) {
		/* Not before the rows kept for COPY: it may change them. */
		if (d->copied > 0 || d->fly.on)
			drain(d, 1);
		if (d->piped == 0 && PQenterPipelineMode(d->c) != 1)
			fail_result(d, NULL);
		if (PQsendQueryPrepared(d->c, s->pname, s->np, s->val, NULL,
		    NULL, 0) != 1)
			fail_result(d, NULL);
		if (++d->piped >= PIPE_MAX)
			drain(d, 1);
		s->state = 2;
		return 0;
	}
	if (s->state == 0) {
		drain(d, 1);
		if (s->big && PQtransactionStatus(d->c) == PQTRANS_INTRANS) {
			r = PQexecParams(d->c, s->declare, s->np, NULL, s->val,
			    NULL, NULL, 0);
			if (PQresultStatus(r) != PGRES_COMMAND_OK)
				fail_result(d, r);
			PQclear(r);
			s->open = 1;
			fetch(s);
		} else {
			s->res = PQexecPrepared(d->c, s->pname, s->np, s->val,
			    NULL, NULL, 0);
			if (PQresultStatus(s->res) != PGRES_TUPLES_OK)
				fail_result(d, s->res);
			s->nrow = PQntuples(s->res);
		}
		s->row = -1;
		s->state = 1;
	}
	if (++s->row < s->nrow)
		return CASE_ROW;
	if (s->open && s->nrow == FETCH_ROWS) {
		fetch(s);
		s->row = 0;
		if (s->nrow > 0)
			return CASE_ROW;
	}
	s->state = 2;
	return 0;
}

static void
pg_reset(struct case_stmt *hs)
{
	stmt_clear((struct pg_stmt *)hs);
}

/*
 * A parameter's number.  Callers bind them mostly in the order the
 * statement names them, so the one after the last is tried first: a
 * load binds a score for each of its rows.
 */
static int
param(struct pg_stmt *s, const char *name)
{
	int i;

	if (s->next < s->np && strcmp(s->names[s->next], name) == 0)
		return s->next++;
	for (i = 0; i < s->np; i++)
		if (strcmp(s->names[i], name) == 0) {
			s->next = i + 1;
			return i;
		}
	errx(CASE_EXIT_FATAL, _("internal error: no parameter %s in: %s"),
	    name, s->sql);
}

static void
pg_bind_text(struct case_stmt *hs, const char *name, const char *v)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;

	s->val[param(s, name)] = v;
}

static void
pg_bind_int(struct case_stmt *hs, const char *name, long long v)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	int i = param(s, name);

	snprintf(s->num[i], sizeof s->num[i], "%lld", v);
	s->val[i] = s->num[i];
}

/*
 * Bytes go as bytea's text form, \x and two hex digits a byte: the
 * parameters are text, and so are the rows of a load's COPY.
 */
static void
pg_bind_blob(struct case_stmt *hs, const char *name, const void *v,
    size_t len)
{
	static const char hex[] = "0123456789abcdef";
	struct pg_stmt *s = (struct pg_stmt *)hs;
	const unsigned char *p = v;
	int i = param(s, name);
	size_t k;
	char *o;

	if (len > (SIZE_MAX - 3) / 2)
		errx(CASE_EXIT_FATAL, "%s", strerror(ENOMEM));
	free(s->blob[i]);
	o = s->blob[i] = case_malloc(2 * len + 3);
	*o++ = '\\';
	*o++ = 'x';
	for (k = 0; k < len; k++) {
		*o++ = hex[p[k] >> 4];
		*o++ = hex[p[k] & 15];
	}
	*o = '\0';
	s->val[i] = s->blob[i];
}

/* A value of the row the statement is on, and its length; NULL for NULL. */
static const char *
value(struct case_stmt *hs, int col, int *len)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;

	if (s->via != NULL) {
		/* A binary integer is written out when first asked for. */
		if (s->cv[col] == s->nb[col] && s->nb[col][0] == '\0')
			s->cl[col] = snprintf(s->nb[col], sizeof s->nb[col],
			    "%lld", s->iv[col]);
		*len = s->cl[col];
		return s->cv[col];
	}
	if (PQgetisnull(s->res, s->row, col)) {
		*len = 0;
		return NULL;
	}
	*len = PQgetlength(s->res, s->row, col);
	return PQgetvalue(s->res, s->row, col);
}

static PGresult *shape(struct pg_stmt *);

static int
pg_col_type(struct case_stmt *hs, int col)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;

	/* Not by value(), which would write out a binary integer. */
	if (s->via != NULL ? s->cv[col] == NULL :
	    PQgetisnull(s->res, s->row, col))
		return 'n';
	switch (PQftype(shape((struct pg_stmt *)hs), col)) {
	case 20: case 21: case 23:	/* int8, int2, int4 */
		return 'i';
	case 700: case 701: case 1700:	/* float4, float8, numeric */
		return 'r';
	case 17:			/* bytea */
		return 'b';
	default:
		return 't';
	}
}

static const char *
pg_col_text(struct case_stmt *hs, int col)
{
	int len;

	return value(hs, col, &len);
}

/* A NULL is 0, as libpq's "" for it read. */
static long long
pg_col_int(struct case_stmt *hs, int col)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	int len;
	const char *v;

	if (s->via != NULL && s->bin && is_int(PQftype(s->desc, col)))
		return s->cv[col] != NULL ? s->iv[col] : 0;
	v = value(hs, col, &len);

	return v != NULL ? strtoll(v, NULL, 10) : 0;
}

static double
pg_col_double(struct case_stmt *hs, int col)
{
	int len;
	const char *v = value(hs, col, &len);

	return v != NULL ? strtod(v, NULL) : 0;
}

static int
unhex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * A bytea comes as its text form (bytea_output hex, the default, from
 * the rows and from a stream's COPY alike), given back as the bytes it
 * stands for, until the statement's next bytea; text as it is.
 */
static const void *
pg_col_bytes(struct case_stmt *hs, int col, int *len)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	const char *v = value(hs, col, len);
	int i, n, hi, lo;

	if (v == NULL)
		return "";
	if (PQftype(shape(s), col) != 17)
		return v;
	if (*len < 2 || v[0] != '\\' || v[1] != 'x' || *len % 2 != 0)
		errx(CASE_EXIT_FATAL, _("%s: a bytea value not in hex"),
		    s->db->name);
	n = (*len - 2) / 2;
	free(s->bytes);
	s->bytes = case_malloc(n + 1);
	for (i = 0; i < n; i++) {
		if ((hi = unhex(v[2 + 2 * i])) < 0 ||
		    (lo = unhex(v[3 + 2 * i])) < 0)
			errx(CASE_EXIT_FATAL, _("%s: a bytea value not "
			    "in hex"), s->db->name);
		s->bytes[i] = (char)(hi << 4 | lo);
	}
	*len = n;
	return s->bytes;
}

/* The columns, before the statement runs too (SQLite knows them then). */
static PGresult *
shape(struct pg_stmt *s)
{
	return s->res != NULL ? s->res : s->desc;
}

static const char *
pg_col_name(struct case_stmt *hs, int col)
{
	return PQfname(shape((struct pg_stmt *)hs), col);
}

static int
pg_col_count(struct case_stmt *hs)
{
	return PQnfields(shape((struct pg_stmt *)hs));
}

/*
 * For a load into an empty database (no case yet), the secondary
 * indexes (sql.c's, which db.c drops too) and the foreign keys of cases
 * and events are dropped, to be made again as the schema makes them at
 * the end (pg_indexes_restore): each index built by one sort and each
 * key checked by one join, rather than row by row.  All in the load's
 * transaction, so that a failed load keeps them; a row that breaks a
 * key fails the restore with the message its INSERT would have had.
 * The primary keys stay: a duplicate is refused at once.  Tables that
 * are not this user's (a writer granted INSERT) are loaded as they are.
 */
static const char *const keys_drop[] = {
	"ALTER TABLE events DROP CONSTRAINT events_case_id_fkey",
	("ALTER TABLE cases DROP CONSTRAINT cases_source_fkey,"
	" DROP CONSTRAINT cases_category_fkey, DROP CONSTRAINT cases_grid_fkey,"
	" DROP CONSTRAINT cases_unit_fkey, DROP CONSTRAINT cases_outcome_fkey,"
	" DROP CONSTRAINT cases_duplicate_of_fkey"),
};
static const char *const keys_add[] = {
	("ALTER TABLE cases"
	" ADD CONSTRAINT cases_source_fkey"
	" FOREIGN KEY (source) REFERENCES sources(code),"
	" ADD CONSTRAINT cases_category_fkey"
	" FOREIGN KEY (category) REFERENCES categories(code),"
	" ADD CONSTRAINT cases_grid_fkey"
	" FOREIGN KEY (grid) REFERENCES units(code),"
	" ADD CONSTRAINT cases_unit_fkey"
	" FOREIGN KEY (unit) REFERENCES units(code),"
	" ADD CONSTRAINT cases_outcome_fkey"
	" FOREIGN KEY (outcome) REFERENCES outcomes(code),"
	" ADD CONSTRAINT cases_duplicate_of_fkey"
	" FOREIGN KEY (duplicate_of) REFERENCES cases(id)"),
	("ALTER TABLE events ADD CONSTRAINT events_case_id_fkey"
	" FOREIGN KEY (case_id) REFERENCES cases(id)"),
};
#define NKEYS ((int)(sizeof keys_drop / sizeof keys_drop[0]))
/* The tables' foreign keys to other tables: child, parent. */
static const char load_parents[] =
    "SELECT c.relname, p.relname FROM pg_constraint k"
    " JOIN pg_class c ON c.oid = k.conrelid"
    " JOIN pg_class p ON p.oid = k.confrelid"
    " WHERE k.contype = 'f' AND k.conrelid <> k.confrelid"
    " AND c.relnamespace = current_schema()::regnamespace";
/* No case yet, and the tables are this user's to alter. */
static const char load_empty[] =
    "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM cases) AND pg_has_role("
    "(SELECT relowner FROM pg_class WHERE oid = 'cases'::regclass), 'USAGE')";

/*
 * The drops' locks, taken only if no one holds them.  A reader that
 * has begun holds the tables it has read in ACCESS SHARE; a drop
 * waiting for it would queue its side connections (streamed reads)
 * behind the drop while the reader waits for them: a deadlock the
 * server cannot see, ended only by lock_timeout.  Dropping a foreign
 * key drops its triggers on the table it names too, which takes that
 * table (units, say) whole: a reader that has read the units and not
 * yet the cases would wait for the load as the load waits for it.  So
 * every table a drop takes is taken here first, or none: a load that
 * finds readers at work loads with the indexes in place, and one that
 * takes the locks holds readers that begin later until it commits.
 */
static const char *const load_locks[] = {
	"SAVEPOINT load_lock",
	"LOCK TABLE cases, events IN ACCESS EXCLUSIVE MODE NOWAIT",
	("LOCK TABLE sources, categories, units, outcomes"
	" IN ACCESS EXCLUSIVE MODE NOWAIT"),
	"RELEASE SAVEPOINT load_lock",
};

/* 1 if load_locks[] were taken, 0 (and nothing taken) if not free. */
static int
load_lock(struct pg_db *d)
{
	PGresult *r;
	const char *state;
	int i;

	for (i = 0; i < (int)(sizeof load_locks / sizeof load_locks[0]); i++) {
		drain(d, 1);
		r = PQexec(d->c, load_locks[i]);
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			PQclear(r);
			continue;
		}
		state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (state == NULL || strcmp(state, "55P03") != 0)
			fail_result(d, r);
		PQclear(r);
		exec(d, "ROLLBACK TO SAVEPOINT load_lock");
		exec(d, "RELEASE SAVEPOINT load_lock");
		return 0;
	}
	return 1;
}

/* Which table's rows name which's, for copy_flush(). */
static void
load_keys(struct pg_db *d)
{
	PGresult *r;
	int i;

	drain(d, 1);
	r = PQexec(d->c, load_parents);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_result(d, r);
	free(d->keys);
	d->nkeys = PQntuples(r);
	d->keys = case_reallocarray(NULL, d->nkeys + 1, sizeof *d->keys);
	for (i = 0; i < d->nkeys; i++) {
		snprintf(d->keys[i].child, sizeof d->keys[i].child, "%s",
		    PQgetvalue(r, i, 0));
		snprintf(d->keys[i].parent, sizeof d->keys[i].parent, "%s",
		    PQgetvalue(r, i, 1));
	}
	PQclear(r);
}

/*
 * The load's rows go by COPY, a statement a table rather than one a
 * row, until its transaction ends (the chain's links, written at
 * commit, too).  Returns 1 if the indexes and keys were dropped.
 */
static int
pg_indexes_suspend(struct case_db *h)
{
	struct pg_db *d = (struct pg_db *)h;
	char *any;
	int i;

	d->load = 1;
	d->loaded = d->forced = 0;
	load_keys(d);
	if ((any = query1(d, load_empty)) == NULL)
		return 0;
	free(any);
	if (!load_lock(d))
		return 0;
	for (i = 0; i < CASE_INDEXES; i++)
		exec(d, q_index_drop[i]);
	for (i = 0; i < NTEXT; i++)
		exec(d, text_drop[i]);
	for (i = 0; i < NKEYS; i++)
		exec(d, keys_drop[i]);
	return 1;
}

/*
 * No second reader on the same snapshot here: a run of the figures
 * reads through the one connection (sq_reader() has SQLite's).
 */
static struct case_db *
pg_reader(struct case_db *h)
{
	(void)h;
	return NULL;
}

static void
pg_indexes_restore(struct case_db *h)
{
	struct pg_db *d = (struct pg_db *)h;
	int i;

	for (i = 0; i < CASE_INDEXES; i++)
		if (strncmp(q_index_create[i], "CREATE INDEX cases_open ",
		    24) == 0)
			exec(d, pg_index_open);
		else if (strncmp(q_index_create[i],
		    "CREATE INDEX cases_open_order ", 30) == 0)
			exec(d, pg_index_open_order);
		else
			exec(d, q_index_create[i]);
	for (i = 0; i < NTEXT; i++)
		exec(d, text_create[i]);
	for (i = 0; i < NKEYS; i++)
		exec(d, keys_add[i]);
}

/*
 * case_db_lock() on a server: a session-level advisory lock named by
 * the job, on a connection of its own kept until the program ends (the
 * server lets it go when the connection does, however that ends).
 */
void
case_pg_lock(const char *conninfo, const char *job, int wait)
{
	struct pg_db *d = connect_db(conninfo, CASE_DB_READ, 0);
	const char *val[1];
	struct timespec t;
	char *key;
	PGresult *r;
	int tries, got;

	if (asprintf(&key, "casekit %s", job) == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	val[0] = key;
	/* Ten tries a second, as case_lock() tries a lock file. */
	for (tries = 0;; tries++) {
		r = PQexecParams(d->c, "SELECT pg_try_advisory_lock("
		    "hashtext($1))", 1, NULL, val, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			fail_result(d, r);
		got = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
		PQclear(r);
		if (got)
			break;
		if (tries >= wait * 10) {
			snprintf(d->name + strlen(d->name), sizeof d->name -
			    strlen(d->name), " %s", job);
			errx(CASE_EXIT_FATAL, _("%s: locked%s; gave up "
			    "after %d s"), d->name, "", wait);
		}
		t.tv_sec = 0;
		t.tv_nsec = 100000000;
		nanosleep(&t, NULL);
	}
	free(key);
}

const struct case_engine case_pg = {
	"PostgreSQL",
	pg_open, pg_close, pg_begin, pg_commit, pg_rollback, pg_fatal,
	pg_prepare, pg_prepare_once, pg_finalize, pg_step, pg_reset,
	pg_bind_text, pg_bind_int, pg_bind_blob,
	pg_col_type, pg_col_text, pg_col_int, pg_col_double, pg_col_bytes,
	pg_col_name, pg_col_count,
	pg_indexes_suspend, pg_indexes_restore, pg_reader,
};
