/*
 * sql.c - the SQL of the store: every statement and fragment the SQLite
 * engine runs for the rest of lib/, portable where that costs nothing.
 * The domain files name a statement (store.h), bind its :names and read
 * its columns by number through db.c; db.c keeps only the SQL of the
 * engine itself (the schema and its migrations, the connection's
 * pragmas).  Each statement is an array of its own: case_prepare()
 * caches it by that address.  The two builders at the end put together
 * only the literals here.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>

#include "case.h"

/* cases.c */
const char q_cases_event[] =
    "INSERT INTO events (id, case_id, at, recorded, actor, osuser, action,"
    " from_unit, to_unit, due, due_old, dispatch_due, dispatch_old, outcome,"
    " note, field, old, new, ack_due) VALUES (:id, :case, :at, :recorded,"
    " :actor, :osuser, :action, :from, :to, :due, :due_old, :dispatch,"
    " :dispatch_old, :outcome, :note, :field, :old, :new, :ack)";
const char q_cases_state[] =
    "SELECT status, unit, category, reported, due, dispatch_due, paused,"
    " supervised, paused_from, assigned, closed, outcome, extensions,"
    " handlings, reworks, satisfaction, duplicate_of,"
    " (SELECT max(at) FROM events WHERE case_id = :id), priority, ack_due"
    " FROM cases WHERE id = :id";
/* The columns that cache what the history says a case is now. */
const char q_cases_store[] =
    "UPDATE cases SET status = :status, unit = :unit, due = :due,"
    " dispatch_due = :dispatch, assigned = :assigned, closed = :closed,"
    " outcome = :outcome, paused = :paused, paused_from = :paused_from,"
    " supervised = :supervised, extensions = :extensions,"
    " handlings = :handlings, reworks = :reworks, satisfaction = :sat,"
    " ack_due = :ack WHERE id = :id";
/* The cases held by a unit, and one's cached sign-for limit set. */
const char q_cases_holding[] =
    "SELECT id FROM cases WHERE status <> 'closed' AND unit IS NOT NULL"
    " ORDER BY id";
const char q_cases_sign_by[] =
    "UPDATE cases SET ack_due = :ack WHERE id = :id";
/* The terms in CASE_TERM_... order, then the default tier. */
const char q_cases_category[] =
    "SELECT deadline, dispatch, high, urgent, ack, priority FROM categories"
    " WHERE code = :code";
/* The assisting units (the assists cache, kept with the events). */
const char q_cases_assist_of[] =
    "SELECT done FROM assists WHERE case_id = :id AND unit = :unit";
const char q_cases_assist_put[] =
    "INSERT INTO assists (case_id, unit, since) VALUES (:id, :unit, :since)";
const char q_cases_assist_drop[] =
    "DELETE FROM assists WHERE case_id = :id AND unit = :unit";
const char q_cases_assist_done[] =
    "UPDATE assists SET done = :done WHERE case_id = :id AND unit = :unit";
const char q_cases_unit[] =
    "SELECT parent, deadline FROM units WHERE code = :code";
const char q_cases_id_taken[] =
    "SELECT 1 FROM cases WHERE id = :id";
const char q_cases_insert[] =
    "INSERT INTO cases (id, reported, source, category, grid, location,"
    " reporter, title, description, unit, status, due, assigned, closed,"
    " outcome, outcome_note, dispatch_due, ref, lat, lon, priority, ack_due)"
    " VALUES (:id, :reported, :source, :category, :grid, :location,"
    " :reporter, :title, :description, :unit, :status, :due, :assigned,"
    " :closed, :outcome, :outcome_note, :dispatch_due, :ref, :lat, :lon,"
    " :priority, :ack_due)";
/* The case another system's number names within its source. */
const char q_cases_ref[] =
    "SELECT id FROM cases WHERE source = :source AND ref = :ref";
const char q_cases_close[] =
    "UPDATE cases SET outcome_note = :note, duplicate_of = :of WHERE id = :id";
const char q_cases_came_from[] =
    "SELECT from_unit FROM events WHERE case_id = :id AND to_unit = :unit"
    " AND action IN ('assigned', 'escalated') ORDER BY id DESC LIMIT 1";
const char q_cases_has_dups[] =
    "SELECT 1 FROM cases WHERE duplicate_of = :id LIMIT 1";
const char q_cases_dup_parent[] =
    "SELECT duplicate_of FROM cases WHERE id = :id";
/* Links (links: parent and related; a duplicate's is duplicate_of). */
const char q_links_case[] =
    "SELECT status, duplicate_of FROM cases WHERE id = :id";
const char q_links_parent[] =
    "SELECT other FROM links WHERE case_id = :id AND kind = 'parent'";
const char q_links_put[] =
    "INSERT INTO links (case_id, kind, other) VALUES (:id, :kind, :other)";
const char q_links_drop[] =
    "DELETE FROM links WHERE case_id = :id AND kind = :kind"
    " AND other = :other";
const char q_links_related[] =
    "SELECT case_id, other FROM links WHERE kind = 'related'"
    " AND ((case_id = :id AND other = :other)"
    " OR (case_id = :other AND other = :id))";
const char q_links_open_children[] =
    "SELECT l.case_id FROM links l JOIN cases c ON c.id = l.case_id"
    " WHERE l.other = :id AND l.kind = 'parent' AND c.status <> 'closed'"
    " ORDER BY l.case_id";
/* A kind's codes, by CASE_KNOWN_UNIT, ... (one text column). */
const char *const q_cases_codes[] = {
	"SELECT code FROM units ORDER BY code",
	"SELECT code FROM categories ORDER BY code",
	"SELECT code FROM sources ORDER BY code",
	"SELECT code FROM outcomes ORDER BY code",
};
const char q_cases_max_id[] = "SELECT coalesce(max(id), 0) FROM cases";
/* case-meet --done: the case an action was set on; whether it is done. */
const char q_cases_task[] =
    "SELECT case_id FROM events WHERE id = :id AND action = 'tasked'";
const char q_cases_task_done[] =
    "SELECT 1 FROM events WHERE case_id = :case AND action = 'task-done'"
    " AND new = :action";
const char q_cases_max_event[] = "SELECT coalesce(max(id), 0) FROM events";
/* The editable fields, in case_edit_field()'s order: set, then read. */
const char *const q_cases_edit[] = {
	"UPDATE cases SET category = :v WHERE id = :id",
	"UPDATE cases SET grid = :v WHERE id = :id",
	"UPDATE cases SET location = :v WHERE id = :id",
	"UPDATE cases SET reporter = :v WHERE id = :id",
	"UPDATE cases SET title = :v WHERE id = :id",
	"UPDATE cases SET description = :v WHERE id = :id",
	"UPDATE cases SET priority = :v WHERE id = :id",
};
const char q_cases_fields[] =
    "SELECT category, grid, location, reporter, title, description,"
    " priority FROM cases WHERE id = :id";

/* deadline.c */
const char q_deadline_put_day[] =
    "INSERT INTO calendar (day, type) VALUES (:day, :type)"
    " ON CONFLICT (day) DO UPDATE SET type = excluded.type";
const char q_deadline_days[] = "SELECT day, type FROM calendar ORDER BY day";

/* ref.c */
const char q_ref_any_category[] = "SELECT 1 FROM categories LIMIT 1";
const char q_ref_put_category[] =
    "INSERT INTO categories (code, name, deadline, dispatch, ack, same_day,"
    " priority, urgent, high) VALUES (:code, :name, :deadline, :dispatch,"
    " :ack, :same_day, :priority, :urgent, :high)"
    " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
    " deadline = excluded.deadline, dispatch = excluded.dispatch,"
    " ack = excluded.ack, same_day = excluded.same_day,"
    " priority = excluded.priority, urgent = excluded.urgent,"
    " high = excluded.high";
const char q_ref_put_source[] =
    "INSERT INTO sources (code, name) VALUES (:code, :name)"
    " ON CONFLICT (code) DO UPDATE SET name = excluded.name";
const char q_ref_put_unit[] =
    "INSERT INTO units (code, name, parent, level, deadline, email, phone)"
    " VALUES (:code, :name, :parent, :level, :deadline, :email, :phone)"
    " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
    " parent = excluded.parent, level = excluded.level,"
    " deadline = excluded.deadline, email = excluded.email,"
    " phone = excluded.phone";
const char q_ref_all_units[] = "SELECT code FROM units";
const char q_ref_all_categories[] = "SELECT code FROM categories";
const char q_ref_unit_used[] =
    "SELECT (SELECT count(*) FROM cases WHERE unit = :code OR grid = :code)"
    " + (SELECT count(*) FROM assists WHERE unit = :code)";
const char q_ref_category_used[] =
    "SELECT count(*) FROM cases WHERE category = :code";
const char q_ref_unlink_unit[] =
    "UPDATE units SET parent = NULL WHERE code = :code";
const char q_ref_drop_unit[] = "DELETE FROM units WHERE code = :code";
const char q_ref_drop_category[] =
    "DELETE FROM categories WHERE code = :code";
const char q_ref_unit_on_duty[] =
    "SELECT count(*) FROM roster WHERE unit = :code";
const char q_ref_put_duty[] =
    "INSERT INTO roster (day, unit) VALUES (:day, :unit)"
    " ON CONFLICT (day) DO UPDATE SET unit = excluded.unit";
const char q_ref_drop_duty[] = "DELETE FROM roster WHERE day = :day";
const char q_ref_duty[] = "SELECT unit FROM roster WHERE day = :day";
const char q_ref_roster[] =
    "SELECT r.day, r.unit, u.name FROM roster r"
    " JOIN units u ON u.code = r.unit"
    " WHERE r.day >= :since AND r.day <= :until ORDER BY r.day";

/*
 * case-notify: the units with an address; what each has to be told of,
 * as rows of unit, case, title, deadline, reason, what makes the item
 * new (the event's ID for a dispatch, the deadline for one falling due)
 * and when; whether a row went out on a channel already; the next
 * notice's ID; and recording one.  A dispatch is the last assignment or
 * escalation to the unit now holding an open case; a deadline is one
 * the lifecycle's due-within rule (above, over c) finds.
 */
const char q_notify_units[] =
    "SELECT code, name, email, phone FROM units"
    " WHERE email IS NOT NULL OR phone IS NOT NULL ORDER BY code";
const char q_notify_dispatched[] =
    "SELECT c.unit, c.id, c.title, c.due, e.action, e.id, e.at"
    " FROM cases c JOIN events e ON e.case_id = c.id"
    " WHERE c.status <> '" ST_CLOSED "' AND +c.unit IS NOT NULL"
    " AND e.id = (SELECT max(x.id) FROM events x WHERE x.case_id = c.id"
    " AND x.action IN ('assigned', 'escalated') AND x.to_unit = c.unit)"
    " ORDER BY c.id";
const char q_notify_sent[] =
    "SELECT 1 FROM notices WHERE case_id = :case AND unit = :unit"
    " AND channel = :channel AND reason = :reason AND about = :about"
    " AND result = 'sent' LIMIT 1";
const char q_notify_next[] = "SELECT coalesce(max(id), 0) + 1 FROM notices";
const char q_notify_put[] =
    "INSERT INTO notices (id, at, actor, osuser, unit, channel, address,"
    " case_id, reason, about, result) VALUES (:id, :at, :actor, :osuser,"
    " :unit, :channel, :address, :case, :reason, :about, :result)";

/* stats.c */
const char q_stats_levels[] = "SELECT 1 FROM units WHERE level = :level";
const char q_stats_rollup[] =
    "SELECT t.unit, t.ancestor FROM unit_tree t"
    " JOIN units a ON a.code = t.ancestor WHERE a.level = :level";
const char q_stats_names[] = "SELECT code, name FROM units";
const char q_stats_success[] = 
    "SELECT code FROM outcomes WHERE success <> 0";
/* The categories handled on receipt (即收即办), for same_day_rate. */
const char q_stats_same_day[] =
    "SELECT code FROM categories WHERE same_day <> 0";
/*
 * The cases with IDs in [:lo, :hi) and their events, each part read by a
 * connection of its own; the IDs' range, and the last event, by which
 * two connections are known to read the same snapshot (history is only
 * appended to, and every change to a case is an event).  Every case in
 * the range, even one reported after the report's instant, which facts()
 * skips: a server streams these (pg.c), their parameters being integers.
 */
const char q_stats_bounds[] =
    "SELECT min(id), max(id), (SELECT max(id) FROM events) FROM cases";
const char q_stats_cases[] =
    "SELECT id, category, source, reported, grid, priority FROM cases"
    " WHERE id >= :lo AND id < :hi ORDER BY id";
const char q_stats_events[] =
    "SELECT case_id, at, action, actor, to_unit, due, outcome, field, old,"
    " new, dispatch_due, recorded, ack_due FROM events"
    " WHERE case_id >= :lo AND case_id < :hi ORDER BY case_id, id";

/* chain.c: the last link; the events after it; a new link. */
const char q_chain_last[] =
    "SELECT event_id, hash FROM event_chain ORDER BY event_id DESC LIMIT 1";
const char q_chain_unsealed[] =
    "SELECT * FROM events WHERE id > :after ORDER BY id";
const char q_chain_link[] =
    "INSERT INTO event_chain (event_id, hash) VALUES (:id, :hash)";
/* A link whose event is gone; every event beside its link, if any. */
const char q_chain_orphan[] =
    "SELECT event_id FROM event_chain WHERE event_id"
    " NOT IN (SELECT id FROM events) ORDER BY event_id LIMIT 1";
const char q_chain_walk[] =
    "SELECT e.*, c.hash FROM events e LEFT JOIN event_chain"
    " c ON c.event_id = e.id ORDER BY e.id";

/*
 * cases.c and query.c: attachments (case-attach).  Whether a content is
 * kept already (so that its bytes are sent once); keeping it; the
 * content a case has under a name; naming it; a case's attachments, in
 * the order of their names (as the export's); and one's bytes.
 */
const char q_attach_has[] = "SELECT size FROM blobs WHERE hash = :hash";
const char q_attach_put_blob[] =
    "INSERT INTO blobs (hash, size, type, data)"
    " VALUES (:hash, :size, :type, :data)";
const char q_attach_named[] =
    "SELECT hash FROM attachments WHERE case_id = :id AND name = :name";
const char q_attach_put[] =
    "INSERT INTO attachments (case_id, name, hash, event_id)"
    " VALUES (:id, :name, :hash, :event)";
const char q_attach_list[] =
    "SELECT a.name, b.size, b.type, a.hash FROM attachments a"
    " JOIN blobs b ON b.hash = a.hash WHERE a.case_id = :id"
    " ORDER BY a.name";
const char q_attach_get[] =
    "SELECT b.data, b.type, a.hash FROM attachments a"
    " JOIN blobs b ON b.hash = a.hash"
    " WHERE a.case_id = :id AND a.name = :name";

/*
 * case-copy: a whole database, table by table in an order its foreign
 * keys allow, each row's columns bound as :c0, :c1, ... in the order
 * the SELECT reads them; a unit's parent and a case's duplicate_of
 * afterwards, as the rows they name may come later.  The rows a new
 * database is made with (the outcomes, the calendar) are overwritten.
 * By CASE_COPY_... of store.h.
 */
const char *const q_copy_select[] = {
	"SELECT code, name, level, deadline, email, phone FROM units"
	" ORDER BY code",
	("SELECT code, name, deadline, dispatch, ack, same_day, priority,"
	" urgent, high FROM categories ORDER BY code"),
	"SELECT code, name FROM sources ORDER BY code",
	"SELECT code, name, success FROM outcomes ORDER BY code",
	"SELECT day, type FROM calendar ORDER BY day",
	("SELECT id, reported, source, category, grid, location, reporter,"
	" title, description, unit, status, due, assigned, closed, outcome,"
	" outcome_note, dispatch_due, paused, paused_from, extensions,"
	" supervised, satisfaction, handlings, reworks, lat, lon, media_url,"
	" ref, priority, ack_due FROM cases ORDER BY id"),
	("SELECT id, case_id, at, actor, osuser, action, from_unit, to_unit,"
	" due, outcome, note, field, old, new, dispatch_due, recorded, due_old,"
	" dispatch_old, ack_due FROM events ORDER BY id"),
	"SELECT event_id, hash FROM event_chain ORDER BY event_id",
	"SELECT code, parent FROM units WHERE parent IS NOT NULL ORDER BY code",
	("SELECT id, duplicate_of FROM cases WHERE duplicate_of IS NOT NULL"
	" ORDER BY id"),
	("SELECT name, hash, source, unit, created, revoked FROM api_keys"
	" ORDER BY name"),
	"SELECT day, unit FROM roster ORDER BY day",
	"SELECT hash, size, type, data FROM blobs ORDER BY hash",
	("SELECT case_id, name, hash, event_id FROM attachments"
	" ORDER BY case_id, name"),
	"SELECT case_id, kind, other FROM links ORDER BY case_id, kind, other",
	("SELECT id, at, actor, osuser, unit, channel, address, case_id,"
	" reason, about, result FROM notices ORDER BY id"),
	"SELECT case_id, unit, since, done FROM assists ORDER BY case_id, unit",
};
const char *const q_copy_insert[] = {
	("INSERT INTO units (code, name, level, deadline, email, phone)"
	" VALUES (:c0, :c1, :c2, :c3, :c4, :c5)"),
	("INSERT INTO categories (code, name, deadline, dispatch, ack,"
	" same_day, priority, urgent, high) VALUES (:c0, :c1, :c2, :c3, :c4,"
	" :c5, :c6, :c7, :c8)"),
	"INSERT INTO sources (code, name) VALUES (:c0, :c1)",
	("INSERT INTO outcomes (code, name, success) VALUES (:c0, :c1, :c2)"
	" ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
	" success = excluded.success"),
	("INSERT INTO calendar (day, type) VALUES (:c0, :c1)"
	" ON CONFLICT (day) DO UPDATE SET type = excluded.type"),
	("INSERT INTO cases (id, reported, source, category, grid, location,"
	" reporter, title, description, unit, status, due, assigned, closed,"
	" outcome, outcome_note, dispatch_due, paused, paused_from, extensions,"
	" supervised, satisfaction, handlings, reworks, lat, lon, media_url,"
	" ref, priority, ack_due) VALUES (:c0, :c1, :c2, :c3, :c4, :c5, :c6,"
	" :c7, :c8, :c9, :c10, :c11, :c12, :c13, :c14, :c15, :c16, :c17,"
	" :c18, :c19, :c20, :c21, :c22, :c23, :c24, :c25, :c26, :c27, :c28,"
	" :c29)"),
	("INSERT INTO events (id, case_id, at, actor, osuser, action,"
	" from_unit, to_unit, due, outcome, note, field, old, new, dispatch_due,"
	" recorded, due_old, dispatch_old, ack_due) VALUES (:c0, :c1, :c2,"
	" :c3, :c4, :c5, :c6, :c7, :c8, :c9, :c10, :c11, :c12, :c13, :c14,"
	" :c15, :c16, :c17, :c18)"),
	"INSERT INTO event_chain (event_id, hash) VALUES (:c0, :c1)",
	"UPDATE units SET parent = :c1 WHERE code = :c0",
	"UPDATE cases SET duplicate_of = :c1 WHERE id = :c0",
	("INSERT INTO api_keys (name, hash, source, unit, created, revoked)"
	" VALUES (:c0, :c1, :c2, :c3, :c4, :c5)"),
	"INSERT INTO roster (day, unit) VALUES (:c0, :c1)",
	("INSERT INTO blobs (hash, size, type, data)"
	" VALUES (:c0, :c1, :c2, :c3)"),
	("INSERT INTO attachments (case_id, name, hash, event_id)"
	" VALUES (:c0, :c1, :c2, :c3)"),
	"INSERT INTO links (case_id, kind, other) VALUES (:c0, :c1, :c2)",
	("INSERT INTO notices (id, at, actor, osuser, unit, channel, address,"
	" case_id, reason, about, result) VALUES (:c0, :c1, :c2, :c3, :c4,"
	" :c5, :c6, :c7, :c8, :c9, :c10)"),
	("INSERT INTO assists (case_id, unit, since, done)"
	" VALUES (:c0, :c1, :c2, :c3)"),
};
/* What a new database is made with, which the source's replace. */
const char *const q_copy_clear[] = {
	"DELETE FROM calendar", "DELETE FROM outcomes",
};
/* What a new database holds already: none of these may. */
const char *const q_copy_any[] = {
	"SELECT 1 FROM units LIMIT 1", "SELECT 1 FROM categories LIMIT 1",
	"SELECT 1 FROM sources LIMIT 1", "SELECT 1 FROM cases LIMIT 1",
	"SELECT 1 FROM events LIMIT 1",
};
/* The rows of each table, to compare the copy with its source. */
const char *const q_copy_count[] = {
	"SELECT count(*) FROM units", "SELECT count(*) FROM categories",
	"SELECT count(*) FROM sources", "SELECT count(*) FROM outcomes",
	"SELECT count(*) FROM calendar", "SELECT count(*) FROM cases",
	"SELECT count(*) FROM events", "SELECT count(*) FROM event_chain",
	"SELECT count(*) FROM units WHERE parent IS NOT NULL",
	"SELECT count(*) FROM cases WHERE duplicate_of IS NOT NULL",
	"SELECT count(*) FROM api_keys", "SELECT count(*) FROM roster",
	"SELECT count(*) FROM blobs", "SELECT count(*) FROM attachments",
	"SELECT count(*) FROM links",
	"SELECT count(*) FROM notices", "SELECT count(*) FROM assists",
};

/* The indexes a bulk load drops and builds again, by CASE_INDEXES. */
const char *const q_index_drop[] = {
	"DROP INDEX cases_open", "DROP INDEX cases_reported",
	"DROP INDEX cases_closed", "DROP INDEX cases_unit",
	"DROP INDEX cases_category", "DROP INDEX cases_dispatch",
	"DROP INDEX events_case", "DROP INDEX cases_place",
	"DROP INDEX cases_open_order",
};
const char *const q_index_create[] = {
	("CREATE INDEX cases_open ON cases(id, due, dispatch_due, status,"
	" unit, category, priority, closed, title) WHERE status <> 'closed'"),
	"CREATE INDEX cases_reported ON cases(reported)",
	"CREATE INDEX cases_closed ON cases(closed) WHERE closed IS NOT NULL",
	"CREATE INDEX cases_unit ON cases(unit)",
	"CREATE INDEX cases_category ON cases(category)",
	("CREATE INDEX cases_dispatch ON cases(dispatch_due)"
	" WHERE status IN ('reported', 'returned')"),
	"CREATE INDEX events_case ON events(case_id, id)",
	"CREATE INDEX cases_place ON cases(lat, lon) WHERE lat IS NOT NULL",
	/* The open lists' order: queries[]'s order_open, the same text. */
	("CREATE INDEX cases_open_order ON cases((CASE priority WHEN 'urgent'"
	" THEN 0 WHEN 'high' THEN 1 ELSE 2 END), due IS NULL, due, id,"
	" dispatch_due, status, unit, category, priority, closed, title)"
	" WHERE status <> 'closed'"),
};

/* case-key: the keys of case-open311 (never the hash read back). */
const char q_key_default_source[] =
    "INSERT INTO sources (code, name) VALUES (:code, :name)"
    " ON CONFLICT (code) DO NOTHING";
const char q_key_named[] =
    "SELECT revoked FROM api_keys WHERE name = :name";
const char q_key_insert[] =
    "INSERT INTO api_keys (name, hash, source, unit, created)"
    " VALUES (:name, :hash, :source, :unit, :created)";
const char q_key_list[] =
    "SELECT name, source, unit, created, revoked FROM api_keys ORDER BY name";
const char q_key_revoke[] =
    "UPDATE api_keys SET revoked = :now WHERE name = :name";

/*
 * case-open311: the GeoReport v2 view of cases (never the reporter):
 * service_request_id, status, status_notes, service_name, service_code,
 * description, agency_responsible, requested, updated and expected
 * datetimes, address, lat, long, media_url.  Only the cases of the
 * sources that keys post with are published: a petition or a dispute
 * taken at the counter is nobody's to read on the web.
 */
#define OPEN311_PUBLISHED "c.source IN (SELECT k.source FROM api_keys k)"
#define OPEN311_REQUEST "SELECT c.id," \
    " CASE WHEN c.status = 'closed' THEN 'closed' ELSE 'open' END," \
    " c.outcome_note, cat.name, c.category, c.description, u.name," \
    " c.reported, (SELECT max(e.at) FROM events e WHERE e.case_id = c.id)," \
    " c.due, c.location, c.lat, c.lon, c.media_url FROM cases c" \
    " LEFT JOIN categories cat ON cat.code = c.category" \
    " LEFT JOIN units u ON u.code = c.unit"
const char q_open311_request[] = OPEN311_REQUEST
    " WHERE c.id = :id AND " OPEN311_PUBLISHED;
const char q_open311_requests[] = OPEN311_REQUEST
    " WHERE c.reported >= :start AND c.reported <= :end AND "
    OPEN311_PUBLISHED " ORDER BY c.id";
const char q_open311_services[] =
    "SELECT code, name FROM categories ORDER BY code";
const char q_open311_key[] =
    "SELECT name, source, unit FROM api_keys"
    " WHERE hash = :hash AND revoked IS NULL";
const char q_open311_extra[] =
    "UPDATE cases SET media_url = :media_url WHERE id = :id";
const char q_open311_updates[] =
    "SELECT e.id, e.case_id, e.at, e.action, e.note FROM events e"
    " JOIN cases c ON c.id = e.case_id"
    " WHERE e.at >= :start AND e.at <= :end AND " OPEN311_PUBLISHED
    " ORDER BY e.id";
const char q_open311_last_event[] =
    "SELECT max(id) FROM events WHERE case_id = :id";

/* query.c: case-show. */
const char q_query_unit_name[] = "SELECT name FROM units WHERE code = :code";
const char q_query_show[] =
    "SELECT c.id, c.title, c.status, c.category, cat.name, c.source, s.name,"
    " c.reported, c.grid, g.name, c.location, c.reporter, c.unit, u.name,"
    " c.due, c.assigned, c.closed, c.outcome, o.name, c.outcome_note,"
    " c.description, c.dispatch_due, c.paused, c.extensions,"
    " c.duplicate_of, p.status, p.outcome, c.supervised, c.satisfaction,"
    " c.ref, c.lat, c.lon, c.priority FROM cases c"
    " LEFT JOIN categories cat ON cat.code = c.category"
    " LEFT JOIN sources s ON s.code = c.source"
    " LEFT JOIN units g ON g.code = c.grid"
    " LEFT JOIN units u ON u.code = c.unit"
    " LEFT JOIN outcomes o ON o.code = c.outcome"
    " LEFT JOIN cases p ON p.id = c.duplicate_of"
    " WHERE c.id = :id";
const char q_query_history[] =
    "SELECT at, action, actor, osuser, from_unit, to_unit, due, outcome,"
    " note, field, old, new, recorded, dispatch_due, ack_due FROM events"
    " WHERE case_id = :id ORDER BY id";
const char q_query_exists[] = "SELECT 1 FROM cases WHERE id = :id";
/*
 * case-list --unsigned: the cases that may be held unsigned at :t, each
 * then folded (lifecycle.c says which are): now, those whose cached
 * sign-for limit (cases_unsigned, which holds only the cases waiting
 * for a signature) is past; as of a past instant, every case reported
 * by then.
 */
const char q_query_unsigned[] =
    "SELECT c.id FROM cases c WHERE c.ack_due IS NOT NULL"
    " AND c.ack_due < :t ORDER BY c.id";
const char q_query_unsigned_then[] =
    "SELECT id FROM cases WHERE reported <= :t ORDER BY id";
/* case-list --actions-overdue: the cases a follow-up action was set on. */
const char q_query_tasked[] =
    "SELECT DISTINCT case_id FROM events WHERE action = 'tasked'"
    " ORDER BY case_id";
const char q_query_links[] =
    "SELECT 0, l.other, c.status FROM links l JOIN cases c ON c.id = l.other"
    " WHERE l.case_id = :id AND l.kind = 'parent'"
    " UNION ALL SELECT 1, l.case_id, c.status FROM links l"
    " JOIN cases c ON c.id = l.case_id"
    " WHERE l.other = :id AND l.kind = 'parent'"
    " UNION ALL SELECT 2, c.id, c.status FROM cases c"
    " WHERE c.duplicate_of = :id"
    " UNION ALL SELECT 3, l.other, c.status FROM links l"
    " JOIN cases c ON c.id = l.other"
    " WHERE l.case_id = :id AND l.kind = 'related'"
    " UNION ALL SELECT 3, l.case_id, c.status FROM links l"
    " JOIN cases c ON c.id = l.case_id"
    " WHERE l.other = :id AND l.kind = 'related'"
    " ORDER BY 1, 2";
/* case-show --ref: the cases of every source that have the number. */
const char q_query_ref[] =
    "SELECT id, source FROM cases WHERE ref = :ref ORDER BY source";

/*
 * lifecycle.c's rule for SQL over the cases table (alias c), where only
 * the cached columns are at hand: overdue at :now, or due within [:now,
 * :soon).  The states come from their names (store.h); nothing else is
 * typed again.  A running case is first of all not closed, said in the
 * words of the open-case index's WHERE (cases_open): SQLite uses a
 * partial index only for a query that has its condition as a term, and
 * without it every closed case would be read too.
 */
#define SQL_RUNNING	"c.status <> '" ST_CLOSED "' AND c.status <> '" \
	ST_PAUSED "'"
#define SQL_UNDISPATCHED "c.status IN ('" ST_REPORTED "', '" ST_RETURNED "')"
#define SQL_OVERDUE	SQL_RUNNING " AND (c.due < :now OR (" \
	SQL_UNDISPATCHED " AND c.dispatch_due < :now))"
static const char q_lifecycle_overdue[] = SQL_OVERDUE;
static const char q_lifecycle_due_within[] = SQL_RUNNING
    " AND ((c.due >= :now AND c.due < :soon) OR (" SQL_UNDISPATCHED
    " AND c.dispatch_due >= :now AND c.dispatch_due < :soon))";
/*
 * case-notify: the cases held by a unit falling due in [:now, :soon).
 * Its rows and q_notify_dispatched's in ID order, the unary + and no
 * ORDER BY unit keeping SQLite on the open-case index (by unit it would
 * walk every case of cases_unit, closed ones too); case-notify sorts.
 */
const char q_notify_due[] =
    "SELECT c.unit, c.id, c.title, c.due, 'due', c.due, c.due FROM cases c"
    " WHERE " SQL_RUNNING " AND c.due >= :now AND c.due < :soon"
    " AND +c.unit IS NOT NULL ORDER BY c.id";
/*
 * The IDs of the cases overdue at :now, in ID order: the open-case
 * index's own, so read from it alone.
 */
const char q_lifecycle_overdue_ids[] =
    "SELECT c.id FROM cases c WHERE " SQL_OVERDUE " ORDER BY c.id";

/*
 * filter.c: the codes of :unit and every unit under it, walked down from
 * :unit in work linear in the subtree (the unit_tree view would build
 * the whole closure first: 50 million rows for a chain of 10,000 units).
 * The first code is read from units, not taken from :unit, so that it
 * has the column's type and collation on either engine.
 */
#define SUBTREE \
    "WITH RECURSIVE sub (code) AS" \
    " (SELECT code FROM units WHERE code = :unit UNION SELECT u.code FROM units u JOIN sub ON u.parent = sub.code)" \
    " SELECT code FROM sub"
const char q_filter_subtree[] = SUBTREE;
/*
 * The same walk from :grid, for --grid (a grid is a unit's code): a
 * parameter of its own, since --unit may be given beside it.
 */
static const char q_filter_grid_subtree[] =
    "WITH RECURSIVE sub (code) AS"
    " (SELECT code FROM units WHERE code = :grid UNION SELECT u.code FROM units u JOIN sub ON u.parent = sub.code)"
    " SELECT code FROM sub";

/*
 * case-list --text (case.h's struct case_words): on SQLite the words of
 * three characters or more as one FTS5 query of the trigram index
 * (:text, a phrase each: a run of characters in one line of the text),
 * the shorter ones each sought in the case's text (cases_words) by
 * instr(); on PostgreSQL each long word as LIKE '%word%' through the
 * trigram indexes of the fields and of the notes, each short one by
 * strpos() in the case's own.  The text is a case's in lower case as
 * the words are (db.c), so the same cases match on both engines.  A
 * parameter each, by the word's place among the long or the short ones.
 */
static const char q_text_match[] =
    " AND c.id IN (SELECT rowid FROM cases_text WHERE cases_text MATCH :text)";
static const char q_text_short_from[] =
    " AND EXISTS (SELECT 1 FROM cases_words w WHERE w.id = c.id";
#define TEXT_SHORT(n) " AND instr(w.body, :s" #n ") > 0"
static const char *const q_text_short[CASE_WORDS_MAX] = {
	TEXT_SHORT(0), TEXT_SHORT(1), TEXT_SHORT(2), TEXT_SHORT(3),
	TEXT_SHORT(4), TEXT_SHORT(5), TEXT_SHORT(6), TEXT_SHORT(7),
};
#define PG_LONG(n) " AND c.id IN (SELECT id FROM cases WHERE " PG_WORDS \
	" LIKE :w" #n " UNION SELECT case_id FROM events WHERE action ="  \
	" 'noted' AND " PG_NOTE_WORDS " LIKE :w" #n ")"
static const char *const q_text_pg_long[CASE_WORDS_MAX] = {
	PG_LONG(0), PG_LONG(1), PG_LONG(2), PG_LONG(3),
	PG_LONG(4), PG_LONG(5), PG_LONG(6), PG_LONG(7),
};
#define PG_SHORT(n) " AND EXISTS (SELECT 1 FROM cases WHERE id = c.id AND" \
	" strpos(" PG_WORDS ", :s" #n ") > 0 UNION ALL SELECT 1 FROM events" \
	" WHERE case_id = c.id AND action = 'noted' AND strpos(" \
	PG_NOTE_WORDS ", :s" #n ") > 0)"
static const char *const q_text_pg_short[CASE_WORDS_MAX] = {
	PG_SHORT(0), PG_SHORT(1), PG_SHORT(2), PG_SHORT(3),
	PG_SHORT(4), PG_SHORT(5), PG_SHORT(6), PG_SHORT(7),
};

static void
text_sql(FILE *fp, const struct case_words *w)
{
	int i, nl = 0, ns = 0;

	if (!w->pg && w->nlong > 0)
		fputs(q_text_match, fp);
	if (!w->pg && w->nlong < w->n)
		fputs(q_text_short_from, fp);
	for (i = 0; i < w->n; i++)
		if (w->pg && w->islong[i])
			fputs(q_text_pg_long[nl++], fp);
		else if (w->pg)
			fputs(q_text_pg_short[ns++], fp);
		else if (!w->islong[i])
			fputs(q_text_short[ns++], fp);
	if (!w->pg && w->nlong < w->n)
		fputs(")", fp);
}

/*
 * --reports-min: the reports of one problem, the case and the cases
 * closed as its duplicates (casekit(7)), found by cases_duplicates.
 */
static const char q_filter_reports[] =
    " AND (SELECT count(*) FROM cases d WHERE d.duplicate_of = c.id) + 1"
    " >= :reports_min";

/*
 * The WHERE clause for f over the table alias c.  It is assembled from
 * fixed fragments only; every value is a named parameter bound by
 * case_filter_bind().  The caller frees the string.
 */
char *
case_filter_sql(const struct case_filter *f)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp;
	int isopen;

	if ((fp = open_memstream(&buf, &size)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	fputs("1 = 1", fp);
	/* Asking for closing times means closed cases, unless told else. */
	if (f->status == CASE_ST_OPEN && !f->status_set &&
	    (f->closed_since != CASE_NOTIME || f->closed_until != CASE_NOTIME))
		fputs(" AND c.status = 'closed'", fp);
	else if (case_filter_open(f))
		fputs(" AND c.status <> 'closed'", fp);
	else if (f->status == CASE_ST_CLOSED)
		fputs(" AND c.status = 'closed'", fp);
	if (f->status == CASE_ST_ONE)
		fputs(" AND c.status = :status", fp);
	/* Either clock: the deadline, or the dispatch limit while unassigned. */
	if (f->overdue) {
		fputs(" AND ", fp);
		fputs(q_lifecycle_overdue, fp);
	}
	if (f->due_within > 0) {
		fputs(" AND ", fp);
		fputs(q_lifecycle_due_within, fp);
	}
	/*
	 * A case conferenced: its history has a conference (case-meet).
	 * Conferenced cases are few: one pass over the events finds them,
	 * where a probe of each case's history would read every case.
	 */
	if (f->conferenced)
		fputs(" AND c.id IN (SELECT case_id FROM events"
		    " WHERE action = 'conferred')", fp);
	/*
	 * Open cases are few: the unary + keeps SQLite on the index of
	 * open cases rather than walking every case, closed ones too, of
	 * the units, the category or the period.
	 */
	isopen = case_filter_open(f);
	if (f->unit != NULL) {
		if (isopen)
			fputs(" AND (+c.unit IN (", fp);
		else
			fputs(" AND (c.unit IN (", fp);
		fputs(q_filter_subtree, fp);
		fputs(")", fp);
		/* case-list: and the cases it (or a unit under it) assists. */
		if (f->assist) {
			fputs(" OR c.id IN (SELECT a.case_id FROM assists a"
			    " WHERE a.unit IN (", fp);
			fputs(q_filter_subtree, fp);
			fputs("))", fp);
		}
		fputs(")", fp);
	}
	if (f->grid != NULL) {
		fputs(" AND c.grid IN (", fp);
		fputs(q_filter_grid_subtree, fp);
		fputs(")", fp);
	}
	if (f->category != NULL) {
		if (isopen)
			fputs(" AND +c.category = :category", fp);
		else
			fputs(" AND c.category = :category", fp);
	}
	if (f->source != NULL)
		fputs(" AND c.source = :source", fp);
	if (f->since != CASE_NOTIME) {
		if (isopen)
			fputs(" AND +c.reported >= :since", fp);
		else
			fputs(" AND c.reported >= :since", fp);
	}
	if (f->until != CASE_NOTIME) {
		if (isopen)
			fputs(" AND +c.reported < :until", fp);
		else
			fputs(" AND c.reported < :until", fp);
	}
	if (f->closed_since != CASE_NOTIME) {
		if (isopen)
			fputs(" AND +c.closed >= :closed_since", fp);
		else
			fputs(" AND c.closed >= :closed_since", fp);
	}
	if (f->closed_until != CASE_NOTIME) {
		if (isopen)
			fputs(" AND +c.closed < :closed_until", fp);
		else
			fputs(" AND c.closed < :closed_until", fp);
	}
	/* --near: the box around the place (place.c); query.c does the rest. */
	if (f->box != NULL)
		fputs(" AND c.lat >= :lat_lo AND c.lat <= :lat_hi", fp);
	if (f->box != NULL && f->box->lon)
		fputs(" AND c.lon >= :lon_lo AND c.lon <= :lon_hi", fp);
	if (f->words != NULL)
		text_sql(fp, f->words);
	if (f->reports_min > 0)
		fputs(q_filter_reports, fp);
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	return buf;
}

/*
 * query.c: the SQL of its tables' columns, entry for entry (query.c
 * keeps their names, types and transforms; the names are repeated here
 * only as comments), and of each query kind its FROM and orders.
 */
static const char *const list_exprs[] = {
	"c.id",			/* id */
	"c.status",		/* status */
	"c.unit",		/* unit */
	"c.due",		/* due */
	"c.category",		/* category */
	"c.priority",		/* priority */
	"c.title",		/* title */
	NULL
};

/*
 * case-list --unit: the list's, then whether the unit (or one under it)
 * leads the case or assists on it.
 */
static const char *const unit_exprs[] = {
	"c.id", "c.status", "c.unit", "c.due", "c.category", "c.priority",
	"c.title",
	"CASE WHEN c.unit IN (" SUBTREE ") THEN 'lead'"
	" ELSE 'assist' END",	/* role */
	NULL
};

/* --near: the list's, then the position for the distance (query.c). */
static const char *const near_exprs[] = {
	"c.id", "c.status", "c.unit", "c.due", "c.category", "c.priority",
	"c.title",
	"c.lat",		/* lat */
	"c.lon",		/* lon */
	NULL
};

/* --text: the list's, then what query.c ranks the cases by. */
static const char *const text_exprs[] = {
	"c.id", "c.status", "c.unit", "c.due", "c.category", "c.priority",
	"c.title",
	"c.location",		/* location */
	"c.ref",		/* ref */
	NULL
};

static const char *const export_exprs[] = {
	"c.id",			/* id */
	"c.reported",		/* reported */
	"c.source",		/* source */
	"c.category",		/* category */
	"cat.name",		/* category_name */
	"c.grid",		/* grid */
	"c.location",		/* location */
	"c.reporter",		/* reporter */
	"c.title",		/* title */
	"c.description",	/* description */
	"c.unit",		/* unit */
	"u.name",		/* unit_name */
	"c.status",		/* status */
	"c.due",		/* due */
	"c.assigned",		/* assigned */
	"c.closed",		/* closed */
	"c.outcome",		/* outcome */
	"c.outcome_note",	/* outcome_note */
	"c.ref",		/* ref */
	"c.lat",		/* lat */
	"c.lon",		/* lon */
	"c.priority",		/* priority */
	/*
	 * Each as its hash, a space and its name, a line each, in the
	 * order of the names (the key's, so no sort).
	 */
	("(SELECT group_concat(x, '\n') FROM (SELECT a.hash || ' ' ||"
	" a.name AS x FROM attachments a WHERE a.case_id = c.id"
	" ORDER BY a.name) t)"),	/* attachments */
	NULL
};

static const char *const open311_exprs[] = {
	"c.id",			/* service_request_id */
	"c.reported",		/* requested_datetime */
	"(SELECT max(e.at) FROM events e"
	" WHERE e.case_id = c.id)",	/* updated_datetime */
	"c.closed",		/* closed_date */
	"CASE WHEN c.status = 'closed' THEN 'closed'"
	" ELSE 'open' END",	/* status */
	"c.status",		/* status_description */
	"c.outcome_note",	/* status_notes */
	"c.source",		/* source */
	"c.category",		/* service_code */
	"cat.name",		/* service_name */
	"c.description",	/* description */
	"u.name",		/* agency_responsible */
	"c.location",		/* address */
	"c.due",		/* expected_datetime */
	"c.title",		/* title */
	"c.unit",		/* unit */
	"c.grid",		/* grid */
	"c.outcome",		/* outcome */
	"c.assigned",		/* assigned */
	"c.lat",		/* lat */
	"c.lon",		/* long */
	NULL
};

static const char *const event_exprs[] = {
	"e.id",			/* event */
	"e.case_id",		/* case */
	"e.at",			/* at */
	"e.action",		/* action */
	"e.actor",		/* actor */
	"e.osuser",		/* user */
	"e.from_unit",		/* from_unit */
	"e.to_unit",		/* to_unit */
	"e.due",		/* due */
	"e.outcome",		/* outcome */
	"e.note",		/* note */
	"e.field",		/* field */
	"e.old",		/* old */
	"e.new",		/* new */
	"e.recorded",		/* recorded */
	NULL
};

#define EXPORT_FROM "cases c" \
	" LEFT JOIN categories cat ON cat.code = c.category" \
	" LEFT JOIN units u ON u.code = c.unit"

/*
 * A list of open work by priority: the most pressing tier first, then
 * the nearest deadline (none last, on both engines alike), then the ID.
 * The index cases_open_order holds the open cases in this order, its
 * terms the same expressions, with every column of the list, so such a
 * list reads neither a closed case nor the table, and sorts nothing.
 * A list that takes in closed cases (a year's, a million) stays in ID
 * order, which needs no sort either.
 */
/*
 * Exports in ID order: for open cases, the order of the open-case
 * index, which holds them alone (cases_open leads with id).  order_open:
 * the order of a list of open cases alone (NULL: order).
 */
static const struct {
	const char *const *exprs;
	const char *from, *order, *order_open;
} queries[] = {
	[CASE_Q_LIST] = { list_exprs, "cases c", "c.id",
	    "CASE c.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2"
	    " END, c.due IS NULL, c.due, c.id" },
	[CASE_Q_EXPORT] = { export_exprs, EXPORT_FROM, "c.id", NULL },
	[CASE_Q_EVENTS] = { event_exprs,
	    "events e JOIN cases c ON c.id = e.case_id", "e.id", NULL },
	[CASE_Q_OPEN311] = { open311_exprs, EXPORT_FROM, "c.id", NULL },
	[CASE_Q_NEAR] = { near_exprs, "cases c", "c.id", NULL },
	[CASE_Q_TEXT] = { text_exprs, "cases c", "c.id", NULL },
	[CASE_Q_UNIT] = { unit_exprs, "cases c", "c.id",
	    "CASE c.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2"
	    " END, c.due IS NULL, c.due, c.id" },
};

/* The SELECT of a query kind (CASE_Q_...) for f; the caller frees it. */
char *
case_query_sql(int kind, const struct case_filter *f)
{
	char *buf = NULL, *where;
	size_t size = 0;
	FILE *fp;
	int i;

	if ((fp = open_memstream(&buf, &size)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	fputs("SELECT ", fp);
	for (i = 0; queries[kind].exprs[i] != NULL; i++)
		fprintf(fp, "%s%s", i ? ", " : "", queries[kind].exprs[i]);
	where = case_filter_sql(f);
	if (queries[kind].order_open != NULL && case_filter_open(f))
		fprintf(fp, " FROM %s WHERE %s ORDER BY %s",
		    queries[kind].from, where, queries[kind].order_open);
	else
		fprintf(fp, " FROM %s WHERE %s ORDER BY %s",
		    queries[kind].from, where, queries[kind].order);
	free(where);
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	return buf;
}
