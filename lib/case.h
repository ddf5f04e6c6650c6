/*
 * casekit: the library every case-* program links.  This header is its
 * table of contents, one section per source file (sql.c's in store.h).
 * Every exported name starts with case_, but for store.h's statements
 * (q_...) and states' names (ST_...); everything else in lib/ is static.
 */
#ifndef CASE_H
#define CASE_H

#include <sys/types.h>

#include <stdio.h>
#include <time.h>
#include <getopt.h>
#include <libintl.h>

/*
 * Messages, help and table headings in the user's language: _() looks a
 * text up in the casekit catalogue (po/zh_CN.po), N_() marks one that is
 * looked up later.  Data (CSV, TSV, JSON, column keys) is never translated.
 */
#define _(s)	gettext(s)
#define N_(s)	(s)
#ifndef CASE_LOCALEDIR
#define CASE_LOCALEDIR "/usr/local/share/locale"
#endif

#define CASE_VERSION "0.1.0"

/* The exit-code contract of casekit(7). */
#define CASE_EXIT_OK	 0	/* every item succeeded */
#define CASE_EXIT_REJECT 1	/* some items rejected, or nothing matched */
#define CASE_EXIT_FATAL	 2	/* usage, I/O or database error */

#define CASE_NOTIME	 ((long long)-1)	/* a time that is not set */

/* lifecycle.c: the one definition of a case's life (casekit(7)) */
enum { CASE_S_REPORTED, CASE_S_ASSIGNED, CASE_S_HANDLED, CASE_S_RETURNED,
	CASE_S_PAUSED, CASE_S_CLOSED, CASE_NSTATE };
enum { CASE_A_REPORTED, CASE_A_ASSIGNED, CASE_A_ESCALATED,
	CASE_A_SUPERVISED, CASE_A_EXTENDED, CASE_A_HANDLED, CASE_A_REWORKED,
	CASE_A_RETURNED, CASE_A_PAUSED, CASE_A_RESUMED, CASE_A_CLOSED,
	CASE_A_REOPENED, CASE_A_VISITED, CASE_A_NOTED, CASE_A_EDITED,
	CASE_A_SIGNED, CASE_A_ATTACHED, CASE_A_CONFERRED, CASE_A_TASKED,
	CASE_A_TASK_DONE, CASE_A_LINKED, CASE_A_UNLINKED, CASE_A_ASSISTED,
	CASE_A_UNASSISTED, CASE_A_PART_DONE, CASE_NACTION };
enum { CASE_CLOCK_RESOLUTION, CASE_CLOCK_DISPATCH, CASE_CLOCK_ACK };
#define CASE_ACK_DEFAULT "24h"	/* a category's sign-for limit, if none */
enum { CASE_T_IN_FORCE, CASE_T_MET, CASE_T_MISSED, CASE_T_REPLACED };
/* A case's priority tier (紧急, 重要, 一般), most pressing first. */
enum { CASE_P_URGENT, CASE_P_HIGH, CASE_P_NORMAL, CASE_NPRIORITY };
/* A category's deadline terms, by which a tier's is chosen. */
enum { CASE_TERM_DEADLINE, CASE_TERM_DISPATCH, CASE_TERM_HIGH,
	CASE_TERM_URGENT, CASE_TERM_ACK, CASE_NTERM };
#define CASE_CODE 128		/* room for a code in the structures below */
struct case_event {		/* one event, as the fold reads it */
	long long at, recorded;	/* effective and wall-clock time */
	int	 action;	/* CASE_A_... */
	const char *to, *outcome, *field, *old, *new;
	long long due, dispatch;	/* deadlines set; CASE_NOTIME: none */
	long long ack;		/* sign-for limit set; 0, CASE_NOTIME: none */
	const char *note;	/* NULL where the reader does not need it */
};
struct case_oblig {		/* from report or reopening to closure */
	long long start, closed, reckon;	/* reckon: when it fell due */
	int	 late, visited, satisfied;
	char	 outcome[CASE_CODE];
};
struct case_lapse {		/* a deadline that passed on a running clock */
	long long at;
	int	 clock;
};
struct case_term {		/* a deadline the case had, for case-show */
	int	 clock;
	long long deadline, set, end;
	int	 fate;		/* CASE_T_... */
};
struct case_task {		/* a conference's follow-up action (会商事项) */
	const char *id, *conf, *unit, *text;	/* the events' own strings */
	long long set, due, done;	/* done: CASE_NOTIME if not (yet) */
};
struct case_hist {		/* what the fold keeps of the past */
	struct case_oblig *ob;
	struct case_lapse *lapse;
	struct case_term *term;
	struct case_term *ack;	/* each holder's sign-for clock */
	struct case_task *task;
	size_t	 nob, nlapse, nterm, obcap, lapsecap, termcap;
	size_t	 nack, ackcap, ntask, taskcap;
};
struct case_life {		/* a case as it stands at one instant */
	int	 state, paused_from;
	int	 priority;	/* CASE_P_...; set by the caller, as category */
	char	 unit[CASE_CODE], category[CASE_CODE], outcome[CASE_CODE];
	char	 grid[CASE_CODE];	/* where it arose; set by the caller */
	long long reported, assigned, closed, due, dispatch, paused_at;
	long long supervised, last;
	long long ack;		/* the sign-for limit in force, or CASE_NOTIME */
	long long ack_from;	/* when the unit holding it got it */
	int	 signed_for;	/* signed for since it got it */
	long long conferred;	/* its first conference; CASE_NOTIME: none */
	int	 due_lapsed, dispatch_lapsed, disorder, nevents;
	int	 extensions, handlings, reworks, visited, satisfied;
	struct case_hist *h;	/* NULL: no history kept */
};
const char *case_state_name(int);
int	 case_state_parse(const char *);
const char *case_action_name(int);
int	 case_action_parse(const char *);
const char *case_priority_name(int);
const char *case_priority_word(int);
int	 case_priority_parse(const char *);
int	 case_priority_term(int, const int *);
int	 case_outcome_duplicate(const char *);
const char *case_life_refuse(const struct case_life *, int, int);
int	 case_state_rank(int);
const char *case_life_late(const struct case_life *, long long, char *,
	    size_t);
void	 case_life_init(struct case_life *, struct case_hist *);
void	 case_hist_free(struct case_hist *);
void	 case_code_copy(char *, const char *);
void	 case_life_apply(struct case_life *, const struct case_event *);
void	 case_life_settle(struct case_life *, long long);
long long case_life_lapse(const struct case_life *, long long);
int	 case_event_unknown(const struct case_event *, long long,
	    long long);
int	 case_life_overdue(const struct case_life *, long long);
int	 case_life_due_within(const struct case_life *, long long, long long);
long long case_life_sign_by(const struct case_life *);
int	 case_life_unsigned(const struct case_life *, long long);
int	 case_task_overdue(const struct case_task *, long long);
void	 case_life_fold(struct case_life *, const struct case_event *, size_t,
	    long long, long long);
const char *case_title_at(const char *, const struct case_event *, size_t,
	    long long, long long);
struct case_assist {		/* an assisting unit (协办) and its part */
	char	 unit[CASE_CODE];
	long long since, done;	/* done: CASE_NOTIME while outstanding */
};
size_t	 case_assist_fold(const struct case_event *, size_t, long long,
	    long long, struct case_assist **);
/*
 * Limits, refused with a message (casekit-db(5)): unit, category and
 * source codes of at most CASE_CODE_MAX bytes; case IDs up to
 * CASE_ID_MAX (15 digits: exact in a spreadsheet and in JSON), of which
 * an imported record may bring at most CASE_ID_IMPORT_MAX, so that a
 * thousand times as many IDs always remain after the largest.
 */
#define CASE_CODE_MAX	 64
#define CASE_ID_MAX	 999999999999999LL
#define CASE_ID_IMPORT_MAX 999999999999LL
/*
 * An external reference (another system's number for a case, unique
 * within its source): at most CASE_REF_MAX bytes of UTF-8 without
 * control characters, since it is quoted back, typed and searched.
 */
#define CASE_REF_MAX	 128
#define CASE_XSTR(x)	 #x
#define CASE_STR(x)	 CASE_XSTR(x)

/* util.c */
void	 case_init_prog(char **);
void	*case_malloc(size_t);
void	*case_reallocarray(void *, size_t, size_t);
char	*case_strdup(const char *);
long long case_strtonum(const char *, long long, long long, const char **);
const char *case_actor(const char *);
const char *case_osuser(void);
int	 case_utf8_valid(const char *, size_t);
size_t	 case_utf8_seq(const unsigned char *, size_t, unsigned long *);
char	*case_utf8_prefix(const char *, size_t);
int	 case_width(const char *);
void	 case_version(void);
void	 case_finish_stdout(void);
_Noreturn void case_usage_exit(int);
char	*case_esc_dup(const char *);
const char *case_esc(const char *);
const char *case_stderr_said(void);

/* again.c */
void	 case_again_init(char **);
FILE	*case_stdin(void);
int	 case_stdout_tty(void);
void	 case_stdout_hold(void);
void	 case_stdout_release(void);
void	 case_fd_out(int);
const char *case_again(double);
double	 case_again_until(void);

/* progress.c */
void	 case_progress_start(const char *, long long);
void	 case_progress(long long);
void	 case_progress_total(long long, long long);
void	 case_progress_break(void);
void	 case_progress_end(void);

/* file.c */
struct case_file;
struct case_file *case_file_open(const char *, mode_t, gid_t);
FILE	*case_file_fp(struct case_file *);
int	 case_file_fd(struct case_file *);
const char *case_file_name(struct case_file *);
void	 case_file_ready(struct case_file *);
void	 case_file_commit(struct case_file *);
void	 case_file_abort(struct case_file *);
int	 case_lock(const char *, int);
void	 case_file_sides(const char *);
FILE	*case_tmpfile(void);

/* job.c */
void	 case_job_init(void);
int	 case_job_wait(const char *);
char *case_job_sibling(const char *);
int	 case_job_run(char *const [], const char *, char **, char **);
void	 case_job_log(const char *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 case_job_report(const char *, int, const char *);
_Noreturn void case_job_fail(const char *, int, const char *);

/* time.c */
long long case_now(void);
long long case_realnow(void);
void	 case_now_set(const char *, const char *);
int	 case_local_time(const struct tm *, long long *);
int	 case_zoned_time(const struct tm *, long, long long *);
int	 case_parse_time(const char *, long long, long long *, int *);
int	 case_parse_as_of(const char *, long long, long long *);
int	 case_in_years(long long);
int	 case_parse_duration(const char *, long long *);
char	*case_fmt_time(long long, char *, size_t);
char	*case_fmt_hours(double, char *, size_t);
int	 case_period_parse(const char *);
char	*case_period(long long, int, char *, size_t);
void	 case_period_bounds(long long, int, long long *, long long *);

/*
 * store.c - the store, behind opaque handles, on one of two engines
 * (engine.h): SQLite (db.c) for a file, PostgreSQL (pg.c) for a
 * connection string.  No other file includes an engine's header; SQL
 * goes in as text, values by name (:name), and rows come back by column.
 * The text is the engines': db.c and pg.c hold their schemas, sql.c
 * every other statement, which the rest of lib/ names (store.h); no
 * other file holds SQL.
 */
struct case_db;		/* an open database */
struct case_stmt;	/* a prepared statement */
#define CASE_ROW	1	/* case_step(): a row (0: no more) */
#define CASE_DB_READ	0	/* an existing database, read-only */
#define CASE_DB_WRITE	1	/* an existing database, read-write */
#define CASE_DB_CREATE	2	/* create it if missing (case-init only) */
#define CASE_DB_FRESH	3	/* an empty file of case_file_open()'s */
const char *case_db_path(const char *);
int	 case_db_is_pg(const char *);
void	 case_db_lock(const char *, const char *, int);
char	*case_db_name(const char *);
struct case_db *case_db_open(const char *, int);
void	 case_db_close(struct case_db *);
struct case_db *case_db_reader(struct case_db *);
int	 case_db_pg(const struct case_db *);
void	 case_begin(struct case_db *);
void	 case_commit(struct case_db *);
void	 case_rollback(struct case_db *);
struct case_stmt *case_prepare(struct case_db *, const char *);
struct case_stmt *case_prepare_once(struct case_db *, const char *);
void	 case_finalize(struct case_stmt *);
int	 case_step(struct case_stmt *);
void	 case_bind_text(struct case_stmt *, const char *, const char *);
void	 case_bind_int(struct case_stmt *, const char *, long long);
void	 case_bind_blob(struct case_stmt *, const char *, const void *,
	    size_t);
void	 case_bind_time(struct case_stmt *, const char *, long long);
void	 case_reset(struct case_stmt *);
const char *case_col_text(struct case_stmt *, int);
long long case_col_time(struct case_stmt *, int);
long long case_col_int(struct case_stmt *, int);
int	 case_col_null(struct case_stmt *, int);
double	 case_col_double(struct case_stmt *, int);
int	 case_col_type(struct case_stmt *, int);
const void *case_col_bytes(struct case_stmt *, int, int *);
const char *case_col_name(struct case_stmt *, int);
int	 case_col_count(struct case_stmt *);
size_t	 case_col_ids(struct case_stmt *, long long **);
_Noreturn void case_dbfatal(struct case_db *, const char *);
struct case_codes {
	char	**v;
	size_t	 n;
};
void	 case_codes_load(struct case_db *, const char *, const char *,
	    struct case_codes *);
int	 case_codes_has(const struct case_codes *, const char *);
void	 case_codes_free(struct case_codes *);
void	 case_db_copy(struct case_db *, int, const char *, const char *);
int	 case_indexes_suspend(struct case_db *);
void	 case_indexes_restore(struct case_db *);

/* sql.c - the SQL of the store, by name, and its two builders */
#include "store.h"

/* deadline.c */
void	 case_calendar_put(struct case_db *, const char *, const char *);
void	 case_calendar_seed(struct case_db *);
int	 case_deadline_parse(const char *, long long *, int *, int *);
long long case_deadline(struct case_db *, const char *, long long);

/* id.c */
typedef int (*case_id_fn)(long long, void *);
long long case_id_parse(const char *);
size_t	 case_id_words(int, char **, char ***);
int	 case_id_each(char **, size_t, case_id_fn, void *);
int	 case_loop(int, char **, case_id_fn, void *);

/* out.c */
enum case_fmt { CASE_FMT_TABLE, CASE_FMT_TSV, CASE_FMT_CSV, CASE_FMT_JSON,
	CASE_FMT_XLSX };
struct case_xlsx;
struct case_out;
int	 case_fmt_parse(const char *, enum case_fmt *);
enum case_fmt case_fmt_default(void);
struct case_out *case_out_open(FILE *, enum case_fmt, int, const char *const *,
	    const char *, int);
void	 case_out_row(struct case_out *, const char *const *);
void	 case_out_close(struct case_out *);
void	 case_out_guard(int);
void	 case_out_wrap(struct case_out *, int, int);
struct case_out *case_out_custom(int, const char *const *, const char *,
	    void (*)(void *, const char *const *), void (*)(void *), void *);
void	 case_csv_field(FILE *, const char *, int);
void	 case_json_string(FILE *, const char *);
void	 case_escape_ctl(FILE *, const char *);


/* interchange.c */
#define CASE_HDR_EN	 0
#define CASE_HDR_ZH	 1
#define CASE_HDR_OPEN311 2
int	 case_headers_parse(const char *);
const char *case_header_name(int, const char *);
const char *case_header_column(const char *);
int	 case_guard_needed(const char *);
const char *case_unguard(const char *);
char	*case_mask(const char *, int);
FILE	*case_iconv_open(FILE *, const char *, int);
const char *case_iconv_lacks(const char *, const char *);

/* xlsx.c (links libxlsxwriter: only case-export and case-pack use it) */
struct case_xlsx *case_xlsx_open(const char *, const char *);
void	 case_xlsx_created(struct case_xlsx *, long long);
void	 case_xlsx_close(struct case_xlsx *);
struct case_out *case_out_sheet(struct case_xlsx *, const char *, int,
	    const char *const *, const char *);

/* csv.c */
struct case_csv;
struct case_csv *case_csv_open(const char *, const char *);
struct case_csv *case_csv_from(FILE *, const char *);
int	 case_csv_next(struct case_csv *, char ***, int *, long *);
const char *case_csv_error(struct case_csv *);
void	 case_csv_close(struct case_csv *);

/* filter.c */
enum case_status_filter { CASE_ST_OPEN, CASE_ST_CLOSED, CASE_ST_ALL,
	CASE_ST_ONE };
struct case_filter {
	enum case_status_filter status;
	int	 status_set;	/* --status was given */
	int	 overdue;
	long long due_within;	/* seconds; 0: not asked */
	const char *one;	/* CASE_ST_ONE: that status */
	const char *unit, *category, *source;
	const char *grid;	/* --grid: that unit or one under it */
	long long since, until, closed_since, closed_until;
	long long now;
	const struct case_box *box;	/* --near: only the cases in it */
	int	 conferenced;	/* case-list --conferenced */
	long long reports_min;	/* --reports-min: itself and its duplicates */
	struct case_words *words;	/* --text: only the cases with them */
	int	 assist;	/* --unit: the cases it assists on too */
};
/*
 * case-list --text: the words a case must all have, each somewhere in
 * its title, description, location, external reference or one of its
 * notes, ASCII letters in any case (casekit(7)).  A word of three
 * characters or more is sought through the trigram index; a shorter
 * one among the cases the rest leave (all of them, if none is longer).
 */
#define CASE_WORDS_MAX	 8
struct case_words {
	int	 n, nlong;
	char	*w[CASE_WORDS_MAX];	/* each word, ASCII letters lowered */
	int	 islong[CASE_WORDS_MAX];
	char	*match;		/* SQLite: the long ones as FTS5 phrases */
	char	*like[CASE_WORDS_MAX];	/* PostgreSQL: each as %word% */
	int	 pg;		/* on PostgreSQL (case_filter_check) */
};
enum {
	CASE_OPT_STATUS = 0x100, CASE_OPT_OVERDUE, CASE_OPT_UNIT,
	CASE_OPT_CATEGORY, CASE_OPT_SOURCE, CASE_OPT_SINCE, CASE_OPT_UNTIL,
	CASE_OPT_CLOSED_SINCE, CASE_OPT_CLOSED_UNTIL, CASE_OPT_DUE_WITHIN,
	CASE_OPT_GRID
};
#define CASE_FILTER_OPTIONS \
	{ "status",	  required_argument, NULL, CASE_OPT_STATUS }, \
	{ "overdue",	  no_argument,	     NULL, CASE_OPT_OVERDUE }, \
	{ "unit",	  required_argument, NULL, CASE_OPT_UNIT }, \
	{ "grid",	  required_argument, NULL, CASE_OPT_GRID }, \
	{ "category",	  required_argument, NULL, CASE_OPT_CATEGORY }, \
	{ "source",	  required_argument, NULL, CASE_OPT_SOURCE }, \
	{ "since",	  required_argument, NULL, CASE_OPT_SINCE }, \
	{ "until",	  required_argument, NULL, CASE_OPT_UNTIL }, \
	{ "closed-since", required_argument, NULL, CASE_OPT_CLOSED_SINCE }, \
	{ "closed-until", required_argument, NULL, CASE_OPT_CLOSED_UNTIL }, \
	{ "due-within",	  required_argument, NULL, CASE_OPT_DUE_WITHIN }
int	 case_status_known(const char *);
void	 case_filter_init(struct case_filter *, enum case_status_filter);
int	 case_filter_opt(struct case_filter *, int, const char *);
void	 case_filter_check(struct case_db *, const struct case_filter *);
int	 case_filter_open(const struct case_filter *);
void	 case_filter_bind(struct case_stmt *, const struct case_filter *);
struct case_words *case_words_parse(const char *);
void	 case_words_free(struct case_words *);

/* cases.c */
struct case_ctx {
	struct case_db *db;
	const char *actor;
	const char *osuser;
	long long now;
	int	 dryrun, quiet;
	const char *note;	/* --note */
	FILE	*dryout;	/* --dry-run lines, if not straight to stdout */
	long long (*runs)[2];	/* changed IDs, written out after the commit */
	size_t	 nruns;
	char	 what[512];	/* what the last change did, for --dry-run */
	char	 err[256];	/* why the last change was refused */
	int	 skipped;	/* the last case was left as it was, said why */
	long long next_id;	/* a new case's ID, once asked (0 before) */
	long long next_event;	/* a new event's ID, likewise */
	int	 foreign;	/* writing another system's history: no
				 * assignment starts a sign-for clock */
	int	 with_children;	/* closing a parent closes its open children */
};
struct case_new {
	long long id;		/* 0: the next free one */
	long long reported, due, assigned, closed;	/* CASE_NOTIME: unset */
	const char *source, *category, *grid, *location, *reporter;
	const char *title, *description, *unit, *status;
	const char *outcome, *outcome_note;
	const char *ref;	/* the number its source gave it, or NULL */
	const char *lat, *lon;	/* case_position()'s text, or NULL */
	const char *priority;	/* a code or word; NULL: the category's */
};
#define CASE_KNOWN_UNIT		0
#define CASE_KNOWN_CATEGORY	1
#define CASE_KNOWN_SOURCE	2
#define CASE_KNOWN_OUTCOME	3
int	 case_known(struct case_db *, int, const char *);
void	 case_check_code(struct case_db *, int, const char *, const char *);
void	 case_ctx_init(struct case_ctx *, struct case_db *, const char *, int, int);
void	 case_changed(struct case_ctx *, long long);
int	 case_ctx_finish(struct case_ctx *, int);
void	 case_new_init(struct case_new *);
long long case_free_id(struct case_ctx *, long long);
const char *case_add(struct case_ctx *, const struct case_new *, long long *);
const char *case_check_record(struct case_ctx *, const struct case_new *);
int	 case_load(struct case_ctx *, long long, struct case_life *);
void	 case_refill_sign_by(struct case_db *);
const char *case_assign(struct case_ctx *, long long, const char *);
const char *case_escalate(struct case_ctx *, long long, int);
const char *case_extend(struct case_ctx *, long long, const char *);
const char *case_handle(struct case_ctx *, long long);
const char *case_handle_by(struct case_ctx *, long long, const char *);
const char *case_assist(struct case_ctx *, long long, const char *,
	    char *const *, size_t);
const char *case_unassist(struct case_ctx *, long long, char *const *,
	    size_t);
const char *case_rework(struct case_ctx *, long long);
const char *case_return(struct case_ctx *, long long);
const char *case_pause(struct case_ctx *, long long);
const char *case_resume(struct case_ctx *, long long);
const char *case_close(struct case_ctx *, long long, const char *, long long);
const char *case_ack(struct case_ctx *, long long, const char *);
/* Links between cases (case-link(1)), by CASE_LINK_...; see casekit(7). */
enum { CASE_LINK_PARENT, CASE_LINK_DUPLICATE, CASE_LINK_RELATED };
const char *case_link(struct case_ctx *, long long, int, long long);
const char *case_unlink(struct case_ctx *, long long, int, long long);
const char *case_reopen(struct case_ctx *, long long);
const char *case_visit(struct case_ctx *, long long, int);
const char *case_note(struct case_ctx *, long long);
struct case_meet_action {	/* case-meet --action UNIT:TEXT:DUE */
	const char *unit, *text;
	long long due;
};
const char *case_meet(struct case_ctx *, long long, const char *,
	    const char *, const struct case_meet_action *, size_t,
	    long long *);
const char *case_task_done(struct case_ctx *, long long, long long *);
int	 case_edit_field(const char *);
const char *case_edit(struct case_ctx *, long long, int, const char *, int);
struct case_blob;
const char *case_attach(struct case_ctx *, long long, const char *,
	    const struct case_blob *);

/* update.c */
#define CASE_UP_BAD	 (-1)	/* a bad record: the whole file is refused */
#define CASE_UP_SAME	 0	/* the case is as the record says */
#define CASE_UP_DONE	 1	/* events appended to bring it there */
#define CASE_UP_CONFLICT 2	/* it cannot get there without going back */
int	 case_update(struct case_ctx *, const struct case_new *,
	    const char **);

/* run.c */
struct case_cmd {
	const char *usage;	/* the SYNOPSIS, after "usage: " */
	const struct option *opts;	/* the command's own long options */
	int	(*opt)(int, const char *);	/* 0: not an option of ours */
	void	(*start)(struct case_ctx *);	/* checks once the db is open */
	const char *(*fn)(struct case_ctx *, long long);	/* one case */
	/* Non-zero: act on every case overdue when the write happens,
	 * chosen inside the transaction, rather than on IDs given. */
	int	(*all_overdue)(void);
};
_Noreturn void case_usage(int);
int	 case_run(int, char **, const struct case_cmd *);

/* place.c: positions (WGS-84 degrees) and distances (metres) */
#define CASE_POS_NONE	 0	/* neither given */
#define CASE_POS_SET	 1	/* both, in range */
#define CASE_POS_UNPAIRED (-1)	/* one without the other */
#define CASE_POS_NAN	 (-2)	/* not a number */
#define CASE_POS_RANGE	 (-3)	/* beyond 90 (lat) or 180 (lon) degrees */
#define CASE_NEAR_DEFAULT 200	/* case-list --near without --within */
struct case_box {		/* where the cases within a distance lie */
	double	 lat_lo, lat_hi, lon_lo, lon_hi;
	int	 lon;		/* 0: any longitude */
	char	 text[4][40];	/* the four as bound (by reference) */
};
int	 case_position(const char *, const char *, char [2][32], int *);
char	*case_fmt_degrees(double, char *, size_t);
double	 case_distance(double, double, double, double);
int	 case_parse_distance(const char *, double *);
void	 case_near_box(double, double, double, struct case_box *);

/* query.c */
int	 case_exists(struct case_db *, long long);
long long case_ref_find(struct case_db *, const char *, const char *);
size_t	 case_overdue_ids(struct case_db *, long long, long long **);
int	 case_show(struct case_db *, long long, FILE *);
long	 case_actions_overdue(struct case_db *, long long, FILE *);
int	 case_as_of(struct case_db *, long long, long long, long long,
	    struct case_life *, char **);
struct case_export {
	int	 headers;	/* CASE_HDR_EN, _ZH or _OPEN311 */
	int	 guard;		/* neutralise formulas in CSV cells */
	int	 mask;		/* mask names and phone numbers */
	const char *encoding;	/* all fields must convert; NULL: UTF-8 */
};
int	 case_query_header(int, const struct case_export *, const char **,
	    char *);
long	 case_query(struct case_db *, const struct case_filter *, int,
	    const struct case_export *, struct case_out *, enum case_fmt);
long	 case_query_to(struct case_db *, const struct case_filter *, int,
	    enum case_fmt, FILE *, const struct case_export *);
long	 case_query_near(struct case_db *, const struct case_filter *, double,
	    double, double, enum case_fmt, FILE *);
long	 case_query_unsigned(struct case_db *, const struct case_filter *,
	    long long, long long, enum case_fmt, FILE *);
void	 case_unsigned_each(struct case_db *, long long, long long,
	    void (*)(void *, long long, const struct case_life *,
	    const char *), void *);
long long case_near_open(struct case_db *, const char *, double, double,
	    double, long long *);
#define CASE_Q_LIST	0	/* case-list's columns */
#define CASE_Q_EXPORT	1	/* case-export's columns */
#define CASE_Q_EVENTS	2	/* case-export --events */
#define CASE_Q_OPEN311	3	/* case-export --headers open311 */
#define CASE_Q_NEAR	4	/* the list's and the position (sql.c) */
#define CASE_Q_TEXT	5	/* the list's, location and ref (--text) */
long	 case_query_text(struct case_db *, const struct case_filter *,
	    enum case_fmt, FILE *);
#define CASE_Q_UNIT	6	/* case-list --unit: the list's and the role */

/* stats.c */
struct case_stats_opts {
	const char *by;		/* --by keys, or NULL */
	enum case_fmt fmt;
	long long as_of;	/* CASE_NOTIME: now */
	int	 explain, check;
	int	 compare;	/* 0, 1 previous period, 2 a year before */
	const char *ids;	/* --ids COUNT, or NULL */
	const char *figures;	/* --figures LIST, or NULL: all */
};
int	 case_stats(struct case_db *, const struct case_filter *,
	    const struct case_stats_opts *, FILE *);
int	 case_level_used(struct case_db *, const char *);

/* chain.c */
void	 case_chain_seal(struct case_db *);
int	 case_chain_verify(struct case_db *, FILE *);
void	 case_sha256_hex(const void *, size_t, char [65]);

/*
 * attach.c: attachments (case-attach, casekit-db(5)): at most
 * CASE_ATTACH_MAX bytes (the environment's; by default
 * CASE_ATTACH_DEFAULT, never above CASE_ATTACH_LIMIT), kept under a
 * name of at most CASE_ATTACH_NAME_MAX bytes.
 */
#define CASE_ATTACH_DEFAULT	 (16 * 1024 * 1024)
#define CASE_ATTACH_LIMIT	 (256 * 1024 * 1024)
#define CASE_ATTACH_NAME_MAX	 255
struct case_blob {		/* a file read to be attached */
	unsigned char *data;
	size_t	 size;
	const char *type;	/* its MIME type, by its first bytes */
	char	 hash[65];	/* its SHA-256, in hex */
};
const char *case_attach_type(const unsigned char *, size_t);
size_t	 case_attach_max(void);
const char *case_attach_name_check(const char *);
const char *case_attach_basename(const char *);
int	 case_attach_read(const char *, size_t, struct case_blob *, char *,
	    size_t);
void	 case_attachments_show(struct case_db *, long long, FILE *);
int	 case_attach_get(struct case_db *, long long, const char *, int, int);

/* ref.c */
struct case_ref_files {
	const char *units, *categories, *sources, *calendar;
};
int	 case_ref_load(struct case_db *, const struct case_ref_files *);
#define CASE_ON_DUTY	"on-duty"	/* case-assign --to: by the roster */
int	 case_day_valid(const char *);
int	 case_roster_load(struct case_db *, const char *);
void	 case_roster_set(struct case_db *, const char *, const char *);
const char *case_on_duty(struct case_db *, long long, char [11]);
int	 case_email_valid(const char *);
int	 case_phone_valid(const char *);

#endif
