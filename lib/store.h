/*
 * store.h - the store's SQL by name: the statements and fragments of
 * sql.c, the SQLite engine's SQL, that the domain files prepare
 * (case_prepare() caches each by the address of its text, so every
 * statement is an object of its own).  Named q_<file>_<what>, after the
 * file that runs it.  Included by case.h.
 */
#ifndef CASE_STORE_H
#define CASE_STORE_H

struct case_filter;

/*
 * The states' names, as the status column holds them: the one
 * definition, for lifecycle.c's rules and sql.c's SQL of them.
 */
#define ST_REPORTED	"reported"
#define ST_ASSIGNED	"assigned"
#define ST_HANDLED	"handled"
#define ST_RETURNED	"returned"
#define ST_PAUSED	"paused"
#define ST_CLOSED	"closed"

/* cases.c: a case's cached state, its events, adding and correcting. */
extern const char q_cases_event[], q_cases_state[], q_cases_store[],
	q_cases_category[], q_cases_unit[], q_cases_id_taken[],
	q_cases_insert[], q_cases_ref[], q_cases_close[], q_cases_came_from[],
	q_cases_has_dups[], q_cases_dup_parent[], q_cases_max_id[],
	q_cases_max_event[], q_cases_fields[], q_cases_task[],
	q_cases_task_done[], q_cases_assist_of[], q_cases_assist_put[],
	q_cases_assist_drop[], q_cases_assist_done[], q_cases_holding[],
	q_cases_sign_by[];
/*
 * cases.c's links (case-link): a case's status and original; its parent;
 * a link's row put, taken away, or found (related: either way round);
 * a parent's open children.
 */
extern const char q_links_case[], q_links_parent[], q_links_put[],
	q_links_drop[], q_links_related[], q_links_open_children[];
extern const char *const q_cases_codes[];	/* by CASE_KNOWN_... */
extern const char *const q_cases_edit[];	/* by case_edit_field() */

/* cases.c and query.c: attachments, their names and their bytes. */
extern const char q_attach_has[], q_attach_put_blob[], q_attach_named[],
	q_attach_put[], q_attach_list[], q_attach_get[];

/* deadline.c: the working-day calendar. */
extern const char q_deadline_put_day[], q_deadline_days[];

/* ref.c: loading units, categories and sources; the duty roster. */
extern const char q_ref_any_category[], q_ref_put_category[],
	q_ref_put_source[], q_ref_put_unit[], q_ref_all_units[],
	q_ref_all_categories[], q_ref_unit_used[], q_ref_category_used[],
	q_ref_unlink_unit[], q_ref_drop_unit[], q_ref_drop_category[],
	q_ref_unit_on_duty[], q_ref_put_duty[], q_ref_drop_duty[],
	q_ref_duty[], q_ref_roster[];

/* stats.c: the rows the figures are folded from. */
extern const char q_stats_levels[], q_stats_rollup[], q_stats_names[],
	q_stats_success[], q_stats_same_day[],
	q_stats_bounds[], q_stats_cases[], q_stats_events[];

/* chain.c: sealing and checking the hash chain (each prepared once). */
extern const char q_chain_last[], q_chain_unsealed[], q_chain_link[],
	q_chain_orphan[], q_chain_walk[];

/*
 * case-copy: each table's rows (:c0, :c1, ... in the SELECT's order), by
 * CASE_COPY_...; then whether a new database holds anything of its own
 * (q_copy_any, CASE_COPY_ANY of them), and the rows of each.
 */
enum { CASE_COPY_UNITS, CASE_COPY_CATEGORIES, CASE_COPY_SOURCES,
	CASE_COPY_OUTCOMES, CASE_COPY_CALENDAR, CASE_COPY_CASES,
	CASE_COPY_EVENTS, CASE_COPY_CHAIN, CASE_COPY_PARENTS,
	CASE_COPY_DUPLICATES, CASE_COPY_KEYS, CASE_COPY_ROSTER,
	CASE_COPY_BLOBS, CASE_COPY_ATTACHMENTS, CASE_COPY_LINKS,
	CASE_COPY_NOTICES, CASE_COPY_ASSISTS, CASE_COPY_TABLES };
#define CASE_COPY_ANY	5
#define CASE_COPY_CLEAR	2
extern const char *const q_copy_select[], *const q_copy_insert[],
	*const q_copy_clear[], *const q_copy_any[], *const q_copy_count[];

/*
 * The secondary indexes of cases and events, as both engines' schemas
 * make them, for an engine to drop around a bulk load and build again
 * (case_indexes_suspend); a test checks they are the schemas'.
 */
#define CASE_INDEXES	9
extern const char *const q_index_drop[], *const q_index_create[];

/* case-key: a key by name (its revocation), adding, listing, revoking. */
extern const char q_key_default_source[], q_key_named[], q_key_insert[],
	q_key_list[], q_key_revoke[];

/*
 * case-open311: requests (one by :id; or reported from :start to :end),
 * services, a key by :hash, a new case's position and photo, the events
 * from :start to :end, and a case's last event.
 */
extern const char q_open311_request[], q_open311_requests[],
	q_open311_services[], q_open311_key[], q_open311_extra[],
	q_open311_updates[], q_open311_last_event[];

/*
 * case-notify: the units with an address, what is to be told (a
 * dispatch; a deadline within [:now, :soon)), whether it was, the next
 * notice's ID and a notice.
 */
extern const char q_notify_units[], q_notify_dispatched[], q_notify_due[],
	q_notify_sent[], q_notify_next[], q_notify_put[];

/* lifecycle.c's "overdue" over the cases table: the IDs, at :now. */
extern const char q_lifecycle_overdue_ids[];

/*
 * filter.c: :unit and the units under it (one text column); and the
 * builder of a filter's WHERE clause (the caller frees it), from fixed
 * fragments only, its values bound by case_filter_bind().
 */
extern const char q_filter_subtree[];
char	*case_filter_sql(const struct case_filter *);

/*
 * query.c: case-show's record, history and existence; and the builder
 * of case-list's and case-export's SELECT for a query kind (CASE_Q_...),
 * its columns in the order of query.c's tables (the caller frees it).
 */
extern const char q_query_show[], q_query_history[], q_query_exists[],
	q_query_ref[], q_query_unsigned[], q_query_unsigned_then[],
	q_query_tasked[], q_query_unit_name[];
/* query.c: a case's links both ways, by kind (0 parent, 1 child, 2
 * duplicate, 3 related), then ID, each with the other case's status. */
extern const char q_query_links[];

/*
 * PostgreSQL's searched text (case-list --text) as SQLite's cases_words
 * view has it (db.c), in the two expressions pg.c's trigram indexes are
 * made on and sql.c's search reads, which must be the same text: a
 * case's fields, one to a line, and a note's text, ASCII letters in
 * lower case (lower() in the columns' collation, "C", folds nothing
 * else, whatever the database's locale).
 */
#define PG_WORDS "lower(title || chr(10) || description || chr(10) ||" \
	" location || chr(10) || coalesce(ref, ''))"
#define PG_NOTE_WORDS "lower(note)"
char	*case_query_sql(int, const struct case_filter *);

#endif
