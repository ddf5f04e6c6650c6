/*
 * db.c - the SQLite engine: opening, creating and migrating a database
 * file, and running statements; the only file that calls SQLite.  The
 * rest of lib/ reaches it through store.c (engine.h's table, case_sqlite
 * at the end).  The SQL here is the engine's own (the schema, its
 * migrations and indexes, the connection's pragmas); every statement the
 * rest of lib/ runs is sql.c's, named in store.h.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "case.h"
#include "engine.h"

/*
 * The handles: case.h's opaque ones, each first in the struct that holds
 * SQLite's.  One database file a program: conn, cache[] and dbpath.
 */
struct sq_db {
	struct case_db h;
	sqlite3	*db;
};
struct sq_stmt {
	struct case_stmt h;
	sqlite3_stmt *st;
};
#define DB(h)	(((struct sq_db *)(h))->db)
#define ST(hs)	(((struct sq_stmt *)(hs))->st)
static struct sq_db conn = { { &case_sqlite }, NULL };

/*
 * The triggers that refuse an insert over an event or a link that
 * exists (a REPLACE would delete it unseen), named for a bulk load into
 * an empty database to lift and put back (sq_indexes_suspend).
 */
#define EVENTS_NO_REPLACE \
	"CREATE TRIGGER events_no_replace BEFORE INSERT ON events" \
	"  WHEN EXISTS (SELECT 1 FROM events WHERE id = NEW.id)" \
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
#define CHAIN_NO_REPLACE \
	"CREATE TRIGGER event_chain_no_replace BEFORE INSERT ON event_chain" \
	"  WHEN EXISTS (SELECT 1 FROM event_chain WHERE event_id =" \
	"  NEW.event_id)" \
	"  BEGIN SELECT RAISE(ABORT, 'the event chain is append-only'); END"
/*
 * The search index (case-list --text): cases_words is each case's
 * searched text, its title, description, location, external reference
 * and the text of its notes, one to a line, ASCII letters in lower case
 * (SQLite's lower() folds nothing else, as PostgreSQL's in collation "C"
 * does not: pg.c's cases_words and events_words index the same text);
 * cases_text an FTS5 index of it by trigrams, which need no dictionary
 * for Chinese, its content read from the view (nothing stored twice).
 * The triggers keep it in step with every write, in the write's own
 * transaction: a word is taken out of it with the text it went in with,
 * so each change takes the case's old text out before the change and
 * puts the new in after it.  An import into an empty database lifts them
 * and builds the index once, at the end (sq_indexes_restore).
 */
#define TEXT_ADD "CREATE TRIGGER cases_text_add AFTER INSERT ON cases" \
	" BEGIN INSERT INTO cases_text (rowid, body) SELECT id, body" \
	" FROM cases_words WHERE id = NEW.id; END"
#define TEXT_OLD "CREATE TRIGGER cases_text_old BEFORE UPDATE OF title," \
	" description, location, ref ON cases BEGIN INSERT INTO cases_text" \
	" (cases_text, rowid, body) SELECT 'delete', id, body FROM" \
	" cases_words WHERE id = OLD.id; END"
#define TEXT_NEW "CREATE TRIGGER cases_text_new AFTER UPDATE OF title," \
	" description, location, ref ON cases BEGIN INSERT INTO cases_text" \
	" (rowid, body) SELECT id, body FROM cases_words WHERE id = NEW.id;" \
	" END"
#define TEXT_GONE "CREATE TRIGGER cases_text_gone BEFORE DELETE ON cases" \
	" BEGIN INSERT INTO cases_text (cases_text, rowid, body)" \
	" SELECT 'delete', id, body FROM cases_words WHERE id = OLD.id; END"
#define TEXT_NOTE_OLD "CREATE TRIGGER cases_text_note_old BEFORE INSERT" \
	" ON events WHEN NEW.action = 'noted' BEGIN INSERT INTO cases_text" \
	" (cases_text, rowid, body) SELECT 'delete', id, body FROM" \
	" cases_words WHERE id = NEW.case_id; END"
#define TEXT_NOTE_NEW "CREATE TRIGGER cases_text_note_new AFTER INSERT" \
	" ON events WHEN NEW.action = 'noted' BEGIN INSERT INTO cases_text" \
	" (rowid, body) SELECT id, body FROM cases_words" \
	" WHERE id = NEW.case_id; END"
static const char *const trigger_drop[] = {
	"DROP TRIGGER events_no_replace", "DROP TRIGGER event_chain_no_replace",
	"DROP TRIGGER cases_text_add", "DROP TRIGGER cases_text_old",
	"DROP TRIGGER cases_text_new", "DROP TRIGGER cases_text_gone",
	"DROP TRIGGER cases_text_note_old", "DROP TRIGGER cases_text_note_new",
};
static const char *const trigger_create[] = {
	EVENTS_NO_REPLACE, CHAIN_NO_REPLACE, TEXT_ADD, TEXT_OLD, TEXT_NEW,
	TEXT_GONE, TEXT_NOTE_OLD, TEXT_NOTE_NEW,
};
/*
 * The index made whole from the view, after a load.  Merging eight of
 * its segments at a time, not four, while it is built: at a million
 * cases 10.8 s, not 13.8, leaving 15 to 20 segments, not 10, which a
 * one-word search reads in 4% more time.  Later writes merge as by
 * default.
 */
static const char *const text_rebuild[] = {
	"INSERT INTO cases_text (cases_text, rank) VALUES ('automerge', 8)",
	"INSERT INTO cases_text (cases_text, rank) VALUES ('crisismerge', 32)",
	"INSERT INTO cases_text (cases_text) VALUES ('rebuild')",
	"INSERT INTO cases_text (cases_text, rank) VALUES ('automerge', 4)",
	"INSERT INTO cases_text (cases_text, rank) VALUES ('crisismerge', 16)",
};
#define NTRIGGERS (sizeof trigger_create / sizeof trigger_create[0])

/*
 * Each entry of schema[] takes a database from user_version i to i + 1;
 * a database is migrated by running the ones it has not seen, inside one
 * transaction.  Entries are only ever appended.
 */
static const char *schema[] = {
	/* 0 -> 1: the core toolkit. */
	"CREATE TABLE units ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  parent TEXT REFERENCES units(code),"
	"  level TEXT NOT NULL,"
	"  deadline TEXT);"
	"CREATE TABLE unit_tree ("
	"  ancestor TEXT NOT NULL REFERENCES units(code),"
	"  unit TEXT NOT NULL REFERENCES units(code),"
	"  distance INTEGER NOT NULL,"
	"  PRIMARY KEY (ancestor, unit));"
	"CREATE INDEX unit_tree_unit ON unit_tree(unit, distance);"
	"CREATE TABLE categories ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  deadline TEXT NOT NULL,"
	"  dispatch TEXT);"
	"CREATE TABLE sources ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL);"
	"CREATE TABLE outcomes ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  success INTEGER NOT NULL);"
	"INSERT INTO outcomes VALUES"
	"  ('resolved', '已解决', 1), ('mediated', '调解成功', 1),"
	"  ('mediation-failed', '调解不成功', 0), ('referred', '已转办', 0),"
	"  ('withdrawn', '已撤回', 0), ('duplicate', '重复件', 0),"
	"  ('rejected', '不予受理', 0);"
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  reported INTEGER NOT NULL,"
	"  source TEXT NOT NULL REFERENCES sources(code),"
	"  category TEXT NOT NULL REFERENCES categories(code),"
	"  grid TEXT REFERENCES units(code),"
	"  location TEXT NOT NULL DEFAULT '',"
	"  reporter TEXT NOT NULL DEFAULT '',"
	"  title TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  unit TEXT REFERENCES units(code),"
	"  status TEXT NOT NULL,"
	"  due INTEGER,"
	"  assigned INTEGER,"
	"  closed INTEGER,"
	"  outcome TEXT REFERENCES outcomes(code),"
	"  outcome_note TEXT NOT NULL DEFAULT '');"
	/* Open cases are few and sought often: index them apart. */
	"CREATE INDEX cases_open ON cases(due) WHERE status <> 'closed';"
	"CREATE INDEX cases_reported ON cases(reported);"
	"CREATE INDEX cases_closed ON cases(closed) WHERE closed IS NOT NULL;"
	"CREATE INDEX cases_unit ON cases(unit);"
	"CREATE INDEX cases_category ON cases(category);"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  osuser TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  from_unit TEXT,"
	"  to_unit TEXT,"
	"  due INTEGER,"
	"  outcome TEXT,"
	"  note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX events_case ON events(case_id, id);"
	/* History is evidence: nobody rewrites it, not even by hand. */
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;",

	/* 1 -> 2: the full lifecycle, working-day deadlines, two clocks. */
	"CREATE TABLE calendar ("
	"  day TEXT PRIMARY KEY,"
	"  type TEXT NOT NULL CHECK (type IN ('off', 'work')));"
	"ALTER TABLE cases ADD COLUMN dispatch_due INTEGER;"
	"ALTER TABLE cases ADD COLUMN paused INTEGER;"
	"ALTER TABLE cases ADD COLUMN paused_from TEXT;"
	"ALTER TABLE cases ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN duplicate_of INTEGER REFERENCES cases(id);"
	"ALTER TABLE cases ADD COLUMN supervised INTEGER;"
	"ALTER TABLE cases ADD COLUMN satisfaction TEXT;"
	"ALTER TABLE events ADD COLUMN field TEXT;"
	"ALTER TABLE events ADD COLUMN old TEXT;"
	"ALTER TABLE events ADD COLUMN new TEXT;"
	"ALTER TABLE events ADD COLUMN dispatch_due INTEGER;"
	"ALTER TABLE cases ADD COLUMN handlings INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN reworks INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX cases_dispatch ON cases(dispatch_due)"
	"  WHERE status IN ('reported', 'returned');",

	/*
	 * 2 -> 3: deadlines are history.  Each event keeps the wall-clock
	 * time it was written beside its effective time, and a deadline
	 * change keeps the deadline it replaced.
	 */
	"ALTER TABLE events ADD COLUMN recorded INTEGER;"
	"ALTER TABLE events ADD COLUMN due_old INTEGER;"
	"ALTER TABLE events ADD COLUMN dispatch_old INTEGER;",

	/*
	 * 3 -> 4: unit_tree, the closure of the unit tree, becomes a view
	 * with the same columns and rows: a stored closure grows with the
	 * square of the depth (50 million rows for a chain of 10,000
	 * units), the view costs nothing to load and is computed from
	 * units when read.  The bound on distance only stops a cycle
	 * written into units by hand.
	 */
	"DROP TABLE unit_tree;"
	"CREATE VIEW unit_tree (ancestor, unit, distance) AS"
	" WITH RECURSIVE t (ancestor, unit, distance) AS ("
	"  SELECT code, code, 0 FROM units"
	"  UNION ALL"
	"  SELECT u.parent, t.unit, t.distance + 1 FROM t"
	"  JOIN units u ON u.code = t.ancestor"
	"  WHERE u.parent IS NOT NULL AND t.distance < 1000000)"
	" SELECT ancestor, unit, distance FROM t;",

	/*
	 * 4 -> 5: history that cannot be rewritten unseen.  REPLACE
	 * deletes the row it replaces without firing the delete trigger
	 * (recursive_triggers is off), so an insert of an existing ID is
	 * refused; an UPSERT updates, refused already.  event_chain holds a
	 * link per event, a hash over it and the link before it, written by
	 * case_commit() (chain.c), the existing events' at this migration's
	 * commit; append-only likewise.
	 */
	EVENTS_NO_REPLACE ";"
	"CREATE TABLE event_chain ("
	"  event_id INTEGER PRIMARY KEY,"
	"  hash TEXT NOT NULL);"
	"CREATE TRIGGER event_chain_no_update BEFORE UPDATE ON event_chain"
	"  BEGIN SELECT RAISE(ABORT, 'the event chain is append-only'); END;"
	"CREATE TRIGGER event_chain_no_delete BEFORE DELETE ON event_chain"
	"  BEGIN SELECT RAISE(ABORT, 'the event chain is append-only'); END;"
	CHAIN_NO_REPLACE ";",

	/*
	 * 5 -> 6: reports from the field (case-open311).  A case's position
	 * (WGS 84 degrees, NULL: not given) and the link to its photo as the
	 * reporter's app sent it, and the keys of the apps that
	 * may post reports: only a key's SHA-256 is kept (a random 256-bit
	 * key needs no salt: there is no dictionary to try), with the
	 * source and unit its cases get, and when it was made and revoked.
	 */
	"ALTER TABLE cases ADD COLUMN lat REAL;"
	"ALTER TABLE cases ADD COLUMN lon REAL;"
	"ALTER TABLE cases ADD COLUMN media_url TEXT;"
	"CREATE TABLE api_keys ("
	"  name TEXT PRIMARY KEY,"
	"  hash TEXT NOT NULL UNIQUE,"
	"  source TEXT NOT NULL REFERENCES sources(code),"
	"  unit TEXT REFERENCES units(code),"
	"  created INTEGER NOT NULL,"
	"  revoked INTEGER);",

	/*
	 * 6 -> 7: the number another system gave a case (a 12345 hotline's
	 * 工单编号), which the office quotes back and a re-import matches
	 * by; unique within its source, since two systems may number alike.
	 * A partial index: cases without one (NULL) are many.
	 */
	"ALTER TABLE cases ADD COLUMN ref TEXT;"
	"CREATE UNIQUE INDEX cases_ref ON cases(source, ref)"
	"  WHERE ref IS NOT NULL;",

	/*
	 * 7 -> 8: the cases near a place (case-list --near, case-add's
	 * warning) are found by a range of latitudes, then longitudes: a
	 * full scan otherwise, at every case-add with a position.  Partial:
	 * cases without a position (NULL) are many.
	 */
	"CREATE INDEX cases_place ON cases(lat, lon) WHERE lat IS NOT NULL;",

	/*
	 * 8 -> 9: open work costs what is open, not what is closed.  The
	 * open-case index leads with id and holds every column that the
	 * lists of open cases and the overdue and due-soon checks read, so
	 * that they read it alone, in ID order, without a sort or a visit
	 * to the table, however many cases are closed (sql.c's
	 * q_index_create has the same text).
	 */
	"DROP INDEX cases_open;"
	"CREATE INDEX cases_open ON cases(id, due, dispatch_due, status,"
	" unit, category, title) WHERE status <> 'closed';",

	/*
	 * 9 -> 10: the duty roster (轮值), the department on duty at the
	 * centre on each day, to which case-assign --to on-duty hands a
	 * case.  Reference data, as the calendar is: an assignment's event
	 * names the unit it went to, so a roster changed later changes no
	 * case's history.
	 */
	"CREATE TABLE roster ("
	"  day TEXT PRIMARY KEY,"
	"  unit TEXT NOT NULL REFERENCES units(code));",

	/*
	 * 10 -> 11: signing for a case (签收).  A category's sign-for limit
	 * (NULL: CASE_ACK_DEFAULT) and whether it is handled on receipt
	 * (即收即办); the limit each assignment or escalation set, kept in
	 * its event as the deadlines are, so that a later change of the
	 * category's limit moves no past figure.
	 */
	"ALTER TABLE categories ADD COLUMN ack TEXT;"
	"ALTER TABLE categories ADD COLUMN same_day INTEGER NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE events ADD COLUMN ack_due INTEGER;",

	/*
	 * 11 -> 12: attachments (case-attach).  The bytes are kept in the
	 * database, not in files beside it: a backup of the file (and on
	 * PostgreSQL every host and every dump) then holds them, and an
	 * attachment is written in the same transaction as the event that
	 * names it, so that a kill leaves both or neither.  One row per
	 * distinct content, by its SHA-256 (the same photo sent for ten
	 * cases is kept once), and one per name a case has, with the
	 * event that attached it.  Both are evidence: append-only.
	 */
	"CREATE TABLE blobs ("
	"  hash TEXT PRIMARY KEY,"
	"  size INTEGER NOT NULL,"
	"  type TEXT NOT NULL,"
	"  data BLOB NOT NULL);"
	"CREATE TABLE attachments ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  name TEXT NOT NULL,"
	"  hash TEXT NOT NULL REFERENCES blobs(hash),"
	"  event_id INTEGER NOT NULL,"
	"  PRIMARY KEY (case_id, name));"
	"CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs"
	"  BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;"
	"CREATE TRIGGER blobs_no_delete BEFORE DELETE ON blobs"
	"  BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;"
	"CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments"
	"  BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;"
	"CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments"
	"  BEGIN SELECT RAISE(ABORT, 'attachments are append-only'); END;",

	/*
	 * 12 -> 13: finding a case by its words (case-list --text): the
	 * searched text of each case (a view), its trigram index, the
	 * triggers that keep the index in step (see TEXT_ADD above), and
	 * the index built from the cases there are.  The notes come in the
	 * order they were written, so that the text a trigger takes out is
	 * the text that went in.
	 */
	"CREATE VIEW cases_words (id, body) AS SELECT id, lower(title"
	" || char(10) || description || char(10) || location || char(10)"
	" || coalesce(ref, '') || coalesce((SELECT char(10)"
	" || group_concat(note, char(10)) FROM (SELECT e.note FROM events e"
	" WHERE e.case_id = cases.id AND e.action = 'noted' ORDER BY e.id)),"
	" '')) FROM cases;"
	"CREATE VIRTUAL TABLE cases_text USING fts5(body,"
	" content = 'cases_words', content_rowid = 'id',"
	" tokenize = 'trigram case_sensitive 1');"
	TEXT_ADD ";" TEXT_OLD ";" TEXT_NEW ";" TEXT_GONE ";" TEXT_NOTE_OLD ";"
	TEXT_NOTE_NEW ";"
	"INSERT INTO cases_text (cases_text) VALUES ('rebuild');",

	/*
	 * 13 -> 14: priority (紧急, 重要, 一般).  A case's tier, by its
	 * code; the existing cases are normal, which they were in effect.
	 * A category's default tier and the deadlines of the tiers urgent
	 * and high, as its deadline is written (NULL: none of its own).
	 * The open-case index holds the tier too, and the closing time, so
	 * that a list of open cases that names one is still read from it,
	 * not from the closed cases' index; a second index over open cases,
	 * cases_open_order, holds them in the order of the lists of open
	 * work (sql.c's), by tier, deadline and ID, with the columns they
	 * read, so that a list reads it alone and sorts nothing (sql.c has
	 * the same text of both).
	 */
	"ALTER TABLE cases ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'"
	"  CHECK (priority IN ('urgent', 'high', 'normal'));"
	"ALTER TABLE categories ADD COLUMN priority TEXT"
	"  CHECK (priority IN ('urgent', 'high', 'normal'));"
	"ALTER TABLE categories ADD COLUMN urgent TEXT;"
	"ALTER TABLE categories ADD COLUMN high TEXT;"
	"DROP INDEX cases_open;"
	"CREATE INDEX cases_open ON cases(id, due, dispatch_due, status,"
	" unit, category, priority, closed, title) WHERE status <> 'closed';"
	"CREATE INDEX cases_open_order ON cases((CASE priority WHEN 'urgent'"
	" THEN 0 WHEN 'high' THEN 1 ELSE 2 END), due IS NULL, due, id,"
	" dispatch_due, status, unit, category, priority, closed, title)"
	" WHERE status <> 'closed';",

	/*
	 * 14 -> 15: links between cases (case-link).  The history's linked
	 * and unlinked events are the truth; links caches the parent and
	 * related links in force (a duplicate's original is cases'
	 * duplicate_of, as before), and an index on duplicate_of finds an
	 * original's duplicates, by which its reports are counted.
	 */
	"CREATE TABLE links ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('parent', 'related')),"
	"  other INTEGER NOT NULL REFERENCES cases(id),"
	"  PRIMARY KEY (case_id, kind, other));"
	"CREATE INDEX links_other ON links(other, kind);"
	"CREATE INDEX cases_duplicates ON cases(duplicate_of)"
	"  WHERE duplicate_of IS NOT NULL;",

	/*
	 * 15 -> 16: notices (case-notify): a unit's e-mail address and
	 * mobile number, and the log of what was sent to whom, one row a
	 * case a channel a try, which says what is new at the next run.
	 * History, so append-only; apart from events, so no fold, no
	 * figure and no case's last moment ever sees a notice.
	 */
	"ALTER TABLE units ADD COLUMN email TEXT;"
	"ALTER TABLE units ADD COLUMN phone TEXT;"
	"CREATE TABLE notices ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  osuser TEXT NOT NULL,"
	"  unit TEXT NOT NULL,"
	"  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),"
	"  address TEXT NOT NULL,"
	"  case_id INTEGER NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  about INTEGER NOT NULL,"
	"  result TEXT NOT NULL);"
	"CREATE INDEX notices_case ON notices(case_id, unit, channel);"
	"CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices"
	"  BEGIN SELECT RAISE(ABORT, 'notices are append-only'); END;"
	"CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices"
	"  BEGIN SELECT RAISE(ABORT, 'notices are append-only'); END;",

	/*
	 * 16 -> 17: the assisting units (协办) of each case, and when each
	 * reported its part handled.  A cache, as the cases' columns are:
	 * the assisted, unassisted and part-done events say the same
	 * (lifecycle.c folds them), and the writer that appends one keeps
	 * this in the same transaction.  By unit, for case-list --unit.
	 */
	"CREATE TABLE assists ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  unit TEXT NOT NULL REFERENCES units(code),"
	"  since INTEGER NOT NULL,"
	"  done INTEGER,"
	"  PRIMARY KEY (case_id, unit));"
	"CREATE INDEX assists_unit ON assists(unit, case_id);",

	/*
	 * 17 -> 18: open work costs what is open (the sign-for clock).
	 * ack_due caches the sign-for limit running for the unit holding a
	 * case that has not signed for it (lifecycle.c's
	 * case_life_sign_by()), NULL otherwise, so that cases_unsigned
	 * holds only the cases waiting for a signature and case-list
	 * --unsigned folds those alone.  The writers keep it with the
	 * other columns; migrate() fills it from the histories.
	 */
	"ALTER TABLE cases ADD COLUMN ack_due INTEGER;"
	"CREATE INDEX cases_unsigned ON cases(ack_due)"
	" WHERE ack_due IS NOT NULL;",
};
#define SCHEMA_VERSION ((int)(sizeof schema / sizeof schema[0]))

/* Prepared statements, kept for the life of the connection. */
#define NCACHE 64
static struct {
	const char *sql;
	struct sq_stmt s;
} cache[NCACHE];
static const char *dbpath;
/* Opened as immutable (open_immutable()): no other connection may read it. */
static int immutable;

_Noreturn static void
fatal(sqlite3 *db, const char *what)
{
	char os[128] = "";
	int rc = sqlite3_errcode(db) & 0xff;

	/* "disk I/O error" alone does not say that the disk is full. */
	if ((rc == SQLITE_IOERR || rc == SQLITE_FULL) &&
	    sqlite3_system_errno(db) != 0)
		snprintf(os, sizeof os, " (%s)",
		    strerror(sqlite3_system_errno(db)));
	else if (sqlite3_extended_errcode(db) == SQLITE_READONLY_DIRECTORY)
		snprintf(os, sizeof os, "%s", _(" (the directory is not "
		    "writable, so the -wal and -shm files cannot be made)"));
	if (what != NULL)
		errx(CASE_EXIT_FATAL, "%s: %s: %s%s", dbpath, what,
		    sqlite3_errmsg(db), os);
	errx(CASE_EXIT_FATAL, "%s: %s%s", dbpath, sqlite3_errmsg(db), os);
}

static void
sq_fatal(struct case_db *h, const char *what)
{
	fatal(DB(h), what);
}

static void
exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fatal(db, NULL);
}

static int
user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		fatal(db, NULL);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
has_tables(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1,
	    &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		fatal(db, NULL);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n > 0;
}

/*
 * The cached statements of db finalized and forgotten: those a reader's
 * migration prepared on its connection for writing (the refill of
 * 17 -> 18), which is closed after it.
 */
static void
forget(sqlite3 *db)
{
	int i, j;

	for (i = j = 0; i < NCACHE && cache[i].sql != NULL; i++)
		if (sqlite3_db_handle(cache[i].s.st) == db)
			sqlite3_finalize(cache[i].s.st);
		else
			cache[j++] = cache[i];
	for (; j < i; j++)
		cache[j].sql = NULL;
}

static void
migrate(struct sq_db *h, int mode)
{
	sqlite3 *db = h->db;
	char pragma[40];
	int v, n;

	v = user_version(db);
	if (v == SCHEMA_VERSION)
		return;
	if (v > SCHEMA_VERSION)
		errx(CASE_EXIT_FATAL, _("%s: schema version %d is newer "
		    "than this casekit's (%d): upgrade casekit"), dbpath, v,
		    SCHEMA_VERSION);
	if (v == 0 && (mode < CASE_DB_CREATE || has_tables(db)))
		errx(CASE_EXIT_FATAL, _("%s: not a casekit database"), dbpath);
	if (mode == CASE_DB_READ) {
		/* A reader upgrades an old database if it may write to it. */
		struct sq_db rw = { { &case_sqlite }, NULL };

		if (sqlite3_open_v2(dbpath, &rw.db, SQLITE_OPEN_READWRITE,
		    NULL) != SQLITE_OK || sqlite3_db_readonly(rw.db, "main") !=
		    0)
			errx(CASE_EXIT_FATAL, _("%s: schema version %d needs "
			    "upgrading by a user who may write to it: run "
			    "case-init"), dbpath, v);
		sqlite3_busy_timeout(rw.db, 60000);
		migrate(&rw, CASE_DB_WRITE);
		forget(rw.db);
		sqlite3_close(rw.db);
		return;
	}
	case_begin(&h->h);
	/* Another process may have migrated while we waited for the lock. */
	v = user_version(db);
	if (v > 0)
		case_progress_start(_("migration"), SCHEMA_VERSION - v);
	for (n = 0; v < SCHEMA_VERSION; v++) {
		exec(db, schema[v]);
		if (v == 1)
			case_calendar_seed(&h->h);
		if (v == 17)
			case_refill_sign_by(&h->h);
		case_progress(++n);
	}
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
	    SCHEMA_VERSION);
	exec(db, pragma);
	case_commit(&h->h);
	case_progress_end();
}

/*
 * A new file is made here rather than by SQLite so that it starts out
 * readable and writable by its owner and group only (mode 0660, less
 * the umask): case records name people.
 */
static void
create_file(const char *path)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0660);
	if (fd == -1 && errno != EEXIST)
		err(CASE_EXIT_FATAL, "%s", path);
	if (fd != -1)
		close(fd);
}

/*
 * A read-only user in a directory it cannot write cannot make the -wal
 * and -shm files SQLite needs to read a WAL database.  When there is no
 * -wal file there is no write in progress whose changes it would miss,
 * so the file alone is read, as immutable.
 */
static sqlite3 *
open_immutable(sqlite3 *db, const char *path)
{
	char *uri, *u, wal[4096];
	const char *p;

	snprintf(wal, sizeof wal, "%s-wal", path);
	if (access(wal, F_OK) == 0 || errno != ENOENT)
		return db;
	sqlite3_close(db);
	u = uri = case_malloc(strlen(path) * 3 + 32);
	u += sprintf(u, "file:");
	for (p = path; *p != '\0'; p++)
		if (strchr("?#%", *p) != NULL)
			u += sprintf(u, "%%%02X", (unsigned char)*p);
		else
			*u++ = *p;
	strcpy(u, "?immutable=1");
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	    NULL) != SQLITE_OK)
		fatal(db, NULL);
	free(uri);
	return db;
}

/*
 * A file made by case_file_open() is reached as /proc/self/fd/N, a link
 * the kernel leads to that very file.  SQLite would resolve it to the
 * file's name in the directory and open that, with O_NOFOLLOW, where
 * another user may have put a file of theirs meanwhile.  Through the
 * VFS named here such a name stays as it is, and is opened following
 * the link; every other name is SQLite's as before.
 */
#define FD_LINK "/proc/self/fd/"
static sqlite3_vfs fdvfs;
static int (*fd_sysopen)(const char *, int, int);

static int
fd_fullpath(sqlite3_vfs *vfs, const char *name, int size, char *out)
{
	sqlite3_vfs *unix = sqlite3_vfs_find("unix");

	(void)vfs;
	if (strncmp(name, FD_LINK, strlen(FD_LINK)) != 0)
		return unix->xFullPathname(unix, name, size, out);
	if ((int)strlen(name) >= size)
		return SQLITE_CANTOPEN;
	strcpy(out, name);
	return SQLITE_OK;
}

static int
fd_open(const char *name, int flags, int perm)
{
	if (strncmp(name, FD_LINK, strlen(FD_LINK)) == 0)
		flags &= ~O_NOFOLLOW;
	return fd_sysopen(name, flags, perm);
}

static const char *
fd_vfs(void)
{
	sqlite3_vfs *unix;

	if (fdvfs.zName != NULL)
		return fdvfs.zName;
	if ((unix = sqlite3_vfs_find("unix")) == NULL ||
	    unix->iVersion < 3 || (fd_sysopen = (int (*)(const char *, int,
	    int))unix->xGetSystemCall(unix, "open")) == NULL ||
	    unix->xSetSystemCall(unix, "open",
	    (sqlite3_syscall_ptr)fd_open) != SQLITE_OK)
		errx(CASE_EXIT_FATAL,
		    _("SQLite: no unix VFS to open files by"));
	fdvfs = *unix;
	fdvfs.zName = "casekit-fd";
	fdvfs.xFullPathname = fd_fullpath;
	if (sqlite3_vfs_register(&fdvfs, 0) != SQLITE_OK)
		errx(CASE_EXIT_FATAL, _("SQLite: cannot register a VFS"));
	return fdvfs.zName;
}

static struct case_db *
sq_open(const char *path, int mode)
{
	sqlite3 *db;
	struct stat sb;
	int flags;

	dbpath = path;
	/*
	 * ":memory:", a database of the run's alone, is for the fuzzers; a
	 * fresh file, made and named by case_file_open(), is case-copy's.
	 */
	if (strcmp(path, ":memory:") == 0 || mode == CASE_DB_FRESH)
		;
	else if (mode == CASE_DB_CREATE)
		create_file(path);
	else if (stat(path, &sb) == -1)
		err(CASE_EXIT_FATAL, "%s%s", path, errno == ENOENT ?
		    _(" (create it with case-init)") : "");
	if (strcmp(path, ":memory:") != 0 && mode != CASE_DB_FRESH)
		case_file_sides(path);
	/* Each connection is one thread's: no mutexes, no memory statistics. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	flags = (mode == CASE_DB_READ ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db, flags, mode == CASE_DB_FRESH ?
	    fd_vfs() : NULL) != SQLITE_OK)
		fatal(db, NULL);
	/* SQLite opens a file it may not write read-only: refuse that here. */
	if (mode != CASE_DB_READ && sqlite3_db_readonly(db, "main") == 1)
		errx(CASE_EXIT_FATAL, _("%s: read-only database: no permission "
		    "to write it"), path);
	if (mode == CASE_DB_READ && sqlite3_exec(db, "SELECT 1 FROM"
	    " sqlite_master LIMIT 1", NULL, NULL, NULL) != SQLITE_OK &&
	    (sqlite3_errcode(db) & 0xff) == SQLITE_READONLY)
		db = open_immutable(db, path), immutable = 1;
	/* Writers queue behind each other instead of failing. */
	sqlite3_busy_timeout(db, 60000);
	sqlite3_extended_result_codes(db, 1);
	exec(db, "PRAGMA foreign_keys = ON");
	/*
	 * WAL with synchronous=FULL: a commit is on disk (the WAL is
	 * fsync'ed) before the program reports success, and readers such as
	 * case-export never block writers.  See casekit(7).
	 */
	/*
	 * A fresh file is named through its descriptor, beside which no
	 * journal can be made: its transaction's journal stays in memory
	 * (until renamed into place it is nobody's database).
	 */
	if (mode == CASE_DB_FRESH)
		exec(db, "PRAGMA journal_mode = MEMORY");
	else if (mode != CASE_DB_READ) {
		int persist = 1;

		exec(db, "PRAGMA journal_mode = WAL");
		exec(db, "PRAGMA synchronous = FULL");
		/*
		 * After a checkpoint the log is cut back, so that a large
		 * import does not leave a log of its size for every reader
		 * to scan.
		 */
		exec(db, "PRAGMA journal_size_limit = 16777216");
		/* A batch's statement journal and spills stay in memory. */
		exec(db, "PRAGMA temp_store = MEMORY");
		/*
		 * A batch that touches more pages than the cache holds
		 * (a night's escalation: each case's row, its entries in
		 * five indexes, its events) writes them to the log before
		 * its commit and reads them back from there: 100,000
		 * cases escalated took a fifth longer at 16 MiB than at 64.
		 * Pages are taken only as they are used: a single add
		 * stays small.
		 */
		exec(db, "PRAGMA cache_size = -65536");
		/*
		 * Keep the -wal and -shm files after the last writer closes:
		 * a reporting account that may read but not create files in
		 * the directory needs them to open the database at all.
		 */
		sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL,
		    &persist);
	}
	conn.db = db;
	migrate(&conn, mode);
	return &conn.h;
}

static void
sq_close(struct case_db *h)
{
	int i;

	/* A reader (sq_reader()) has no cached statements of its own. */
	if (h != &conn.h) {
		if (sqlite3_close(DB(h)) != SQLITE_OK)
			fatal(DB(h), "close");
		free(h);
		return;
	}
	for (i = 0; i < NCACHE && cache[i].sql != NULL; i++) {
		sqlite3_finalize(cache[i].s.st);
		cache[i].sql = NULL;
		cache[i].s.st = NULL;
	}
	if (sqlite3_close(DB(h)) != SQLITE_OK)
		fatal(DB(h), "close");
	DB(h) = NULL;
}

/*
 * A cached statement left on a row keeps a read transaction open, and a
 * connection reading cannot wait for the write lock (SQLite answers BUSY
 * at once, to avoid deadlock): so every statement is reset first.
 */
static void
reset_all(void)
{
	int i;

	for (i = 0; i < NCACHE && cache[i].sql != NULL; i++)
		sqlite3_reset(cache[i].s.st);
}

/* BEGIN IMMEDIATE: take the write lock now, so no later step can fail. */
static void
sq_begin(struct case_db *h)
{
	sqlite3 *db = DB(h);

	reset_all();
	exec(db, sqlite3_db_readonly(db, "main") == 1 ? "BEGIN" :
	    "BEGIN IMMEDIATE");
}

static void
sq_commit(struct case_db *h)
{
	reset_all();
	exec(DB(h), "COMMIT");
}

static void
sq_rollback(struct case_db *h)
{
	sqlite3 *db = DB(h);

	reset_all();
	if (!sqlite3_get_autocommit(db))
		exec(db, "ROLLBACK");
}

/*
 * Statements are cached by the address of their SQL text, which is
 * always a string constant of sql.c (or of db.c), so each is compiled
 * once per run.
 */
static struct case_stmt *
sq_prepare(struct case_db *h, const char *sql)
{
	sqlite3 *db = DB(h);
	int i;

	for (i = 0; i < NCACHE && cache[i].sql != NULL; i++)
		if (cache[i].sql == sql) {
			sqlite3_reset(cache[i].s.st);
			sqlite3_clear_bindings(cache[i].s.st);
			return &cache[i].s.h;
		}
	if (i == NCACHE)
		errx(CASE_EXIT_FATAL, _("statement cache full"));
	if (sqlite3_prepare_v2(db, sql, -1, &cache[i].s.st, NULL) !=
	    SQLITE_OK)
		fatal(db, NULL);
	cache[i].s.h.e = &case_sqlite;
	cache[i].sql = sql;
	return &cache[i].s.h;
}

static int
sq_step(struct case_stmt *hs)
{
	sqlite3_stmt *st = ST(hs);
	int rc = sqlite3_step(st);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fatal(sqlite3_db_handle(st), NULL);
	return rc == SQLITE_ROW ? CASE_ROW : 0;
}

/*
 * Parameter names are string constants too: their indexes are looked up
 * once per statement and name, then remembered by address (a hot loop
 * such as an import binds a dozen per row).
 */
static struct {
	sqlite3_stmt *st;
	const char *name;
	int	 i;
} memo[512];

/* A statement made for one query (a filter's SQL), then thrown away. */
static struct case_stmt *
sq_prepare_once(struct case_db *h, const char *sql)
{
	struct sq_stmt *s = case_malloc(sizeof *s);

	s->h.e = &case_sqlite;
	if (sqlite3_prepare_v2(DB(h), sql, -1, &s->st, NULL) != SQLITE_OK)
		fatal(DB(h), NULL);
	return &s->h;
}

/*
 * Its address may come back for another statement: forget its names.
 * Every statement bound with case_bind_*() ends here, not in
 * sqlite3_finalize().
 */
static void
sq_finalize(struct case_stmt *hs)
{
	sqlite3_stmt *st = ST(hs);
	size_t i;

	for (i = 0; i < sizeof memo / sizeof memo[0]; i++)
		if (memo[i].st == st)
			memo[i].st = NULL;
	sqlite3_finalize(st);
	free(hs);
}

static int
param(sqlite3_stmt *st, const char *name)
{
	/*
	 * Both addresses multiplied in: shifted and xored, they collided
	 * as the build's layout fell (an import of 10,000 cases missed
	 * 60,000 or 100,000 times, by build; now 40,000).
	 */
	size_t h = (size_t)(((uint64_t)(uintptr_t)st * 0x9e3779b97f4a7c15ULL ^
	    (uint64_t)(uintptr_t)name * 0xc2b2ae3d27d4eb4fULL) >> 55);
	int i;

	if (memo[h].st == st && memo[h].name == name)
		return memo[h].i;
	if ((i = sqlite3_bind_parameter_index(st, name)) == 0)
		errx(CASE_EXIT_FATAL,
		    _("internal error: no parameter %s in: %s"), name,
		    sqlite3_sql(st));
	memo[h].st = st, memo[h].name = name, memo[h].i = i;
	return i;
}

static void
bound(sqlite3_stmt *st, int rc)
{
	if (rc != SQLITE_OK)
		fatal(sqlite3_db_handle(st), "bind");
}

/* A NULL value binds NULL. */
static void
sq_bind_text(struct case_stmt *hs, const char *name, const char *v)
{
	sqlite3_stmt *st = ST(hs);
	int i = param(st, name);

	bound(st, v == NULL ? sqlite3_bind_null(st, i) :
	    sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC));
}

static void
sq_bind_int(struct case_stmt *hs, const char *name, long long v)
{
	sqlite3_stmt *st = ST(hs);

	bound(st, sqlite3_bind_int64(st, param(st, name), v));
}

/* An empty blob is one of no bytes, not NULL (which a NULL v would be). */
static void
sq_bind_blob(struct case_stmt *hs, const char *name, const void *v,
    size_t len)
{
	sqlite3_stmt *st = ST(hs);
	int i = param(st, name);

	bound(st, len == 0 ? sqlite3_bind_zeroblob(st, i, 0) :
	    sqlite3_bind_blob64(st, i, v, len, SQLITE_STATIC));
}

static const char *
sq_col_text(struct case_stmt *hs, int col)
{
	return (const char *)sqlite3_column_text(ST(hs), col);
}

static void
sq_reset(struct case_stmt *hs)
{
	sqlite3_reset(ST(hs));
}

static long long
sq_col_int(struct case_stmt *hs, int col)
{
	return sqlite3_column_int64(ST(hs), col);
}

static double
sq_col_double(struct case_stmt *hs, int col)
{
	return sqlite3_column_double(ST(hs), col);
}

static int
sq_col_type(struct case_stmt *hs, int col)
{
	switch (sqlite3_column_type(ST(hs), col)) {
	case SQLITE_NULL: return 'n';
	case SQLITE_INTEGER: return 'i';
	case SQLITE_FLOAT: return 'r';
	case SQLITE_BLOB: return 'b';
	default: return 't';
	}
}

static const void *
sq_col_bytes(struct case_stmt *hs, int col, int *len)
{
	sqlite3_stmt *st = ST(hs);
	const void *v = sqlite3_column_type(st, col) == SQLITE_BLOB ?
	    sqlite3_column_blob(st, col) : (const void *)sqlite3_column_text(st,
	    col);

	*len = sqlite3_column_bytes(st, col);
	return v;
}

static const char *
sq_col_name(struct case_stmt *hs, int col)
{
	return sqlite3_column_name(ST(hs), col);
}

static int
sq_col_count(struct case_stmt *hs)
{
	return sqlite3_column_count(ST(hs));
}

static const char sql_any_case[] = "SELECT 1 FROM cases LIMIT 1";


/*
 * For a bulk load into an empty database: the indexes are dropped, to
 * be built once at the end (case_indexes_restore), which is much faster
 * than keeping them up to date row by row.  So are the triggers that
 * look up each new event and link for one of the same ID: the load's
 * plain INSERTs of IDs counted past the largest replace nothing (a
 * taken ID fails the INSERT), and the lookups cost as much as the
 * inserts.  Returns 0 if there are cases already (nothing dropped).  All
 * inside the caller's transaction, so a failed load keeps them, and no
 * other connection ever sees the schema without them.
 */
static int
sq_indexes_suspend(struct case_db *h)
{
	sqlite3 *db = DB(h);
	struct case_stmt *st = case_prepare(h, sql_any_case);
	size_t i;

	if (case_step(st) == CASE_ROW)
		return 0;
	case_reset(st);
	/*
	 * Building them sorts every row: in files, so memory stays flat;
	 * and a load, which writes each page once, gains nothing from a
	 * larger cache (measured: the same time at 16 MiB as at 64).
	 */
	exec(db, "PRAGMA temp_store = FILE");
	exec(db, "PRAGMA cache_size = -16384");
	for (i = 0; i < CASE_INDEXES; i++)
		exec(db, q_index_drop[i]);
	for (i = 0; i < NTRIGGERS; i++)
		exec(db, trigger_drop[i]);
	return 1;
}

/*
 * Another connection to the database h reads, for a reader that works
 * beside h in a thread of its own, in a read transaction begun here; or
 * NULL where there can be none with the same data: h may write (what
 * it wrote and has not committed no other connection sees), or it is
 * not a file another may open as it stands.  The caller checks that
 * the two read the same snapshot.  Its statements are made with
 * case_prepare_once(): the cache is the first connection's.
 */
static struct case_db *
sq_reader(struct case_db *h)
{
	struct sq_db *r;
	sqlite3 *db;

	if (h != &conn.h || immutable || dbpath == NULL ||
	    strcmp(dbpath, ":memory:") == 0 ||
	    sqlite3_db_readonly(DB(h), "main") != 1)
		return NULL;
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		fatal(db, NULL);
	sqlite3_busy_timeout(db, 60000);
	sqlite3_extended_result_codes(db, 1);
	exec(db, "BEGIN");
	r = case_malloc(sizeof *r);
	r->h.e = &case_sqlite;
	r->db = db;
	return &r->h;
}

/*
 * The load's events are sealed into the chain first, while the
 * triggers are still off (case_commit() then finds nothing to seal).
 */
static void
sq_indexes_restore(struct case_db *h)
{
	sqlite3 *db = DB(h);
	size_t i;

	case_chain_seal(h);
	for (i = 0; i < NTRIGGERS; i++)
		exec(db, trigger_create[i]);
	for (i = 0; i < CASE_INDEXES; i++)
		exec(db, q_index_create[i]);
	/* After events_case, by which the view finds each case's notes. */
	for (i = 0; i < sizeof text_rebuild / sizeof text_rebuild[0]; i++)
		exec(db, text_rebuild[i]);
}

_Noreturn static void
copy_fatal(sqlite3 *db, const char *dest, const char *fmt)
{
	errx(CASE_EXIT_FATAL, fmt, dest, sqlite3_errmsg(db));
}

/*
 * case-backup: the database copied with SQLite's online backup, inside
 * one read transaction, so that the copy is the database at one moment
 * while writers carry on, into the new file name (open as fd; dest is
 * the name for messages).  In steps, for the progress line: the read
 * transaction keeps every step on the same snapshot.  The copy has no
 * journal of its own to make beside it: it is new, and renamed into
 * place by the caller only once whole and checked.  Then, reached
 * through name (never by dest, which others may change), opened
 * read-only as it stands, it must pass integrity_check.
 */
void
case_db_copy(struct case_db *h, int fd, const char *name, const char *dest)
{
	sqlite3 *src = DB(h), *dst;
	sqlite3_backup *b;
	sqlite3_stmt *st;
	unsigned char ver[2];
	char *uri;
	int rc;

	case_begin(h);
	if (sqlite3_open_v2(name, &dst, SQLITE_OPEN_READWRITE, fd_vfs()) !=
	    SQLITE_OK ||
	    sqlite3_exec(dst, "PRAGMA journal_mode = OFF", NULL, NULL, NULL) !=
	    SQLITE_OK ||
	    (b = sqlite3_backup_init(dst, "main", src, "main")) == NULL)
		copy_fatal(dst, dest, "%s: %s");
	case_progress_start(_("backup"), 0);
	while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK)
		case_progress_total(sqlite3_backup_pagecount(b) -
		    sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b));
	case_progress_total(sqlite3_backup_pagecount(b),
	    sqlite3_backup_pagecount(b));
	case_progress_end();
	if (rc != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
		copy_fatal(dst, dest, _("%s: backup failed: %s"));
	if (sqlite3_close(dst) != SQLITE_OK)
		copy_fatal(dst, dest, "%s: %s");
	case_rollback(h);
	/*
	 * Bytes 18 and 19 of the header say WAL (2), copied from the live
	 * database; 1 makes the backup one self-contained rollback-journal
	 * file.  casekit turns WAL on again when it writes to a restored copy.
	 */
	ver[0] = ver[1] = 1;
	if (pwrite(fd, ver, 2, 18) != 2)
		err(CASE_EXIT_FATAL, "%s", dest);
	if (asprintf(&uri, "file:%s?mode=ro&immutable=1", name) == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	if (sqlite3_open_v2(uri, &dst, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	    fd_vfs()) != SQLITE_OK ||
	    sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK)
		copy_fatal(dst, dest, "%s: %s");
	if (sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		copy_fatal(dst, dest,
		    _("%s: the copy fails integrity_check: %s"));
	sqlite3_finalize(st);
	sqlite3_close(dst);
	free(uri);
}

const struct case_engine case_sqlite = {
	"SQLite",
	sq_open, sq_close, sq_begin, sq_commit, sq_rollback, sq_fatal,
	sq_prepare, sq_prepare_once, sq_finalize, sq_step, sq_reset,
	sq_bind_text, sq_bind_int, sq_bind_blob,
	sq_col_type, sq_col_text, sq_col_int, sq_col_double, sq_col_bytes,
	sq_col_name, sq_col_count,
	sq_indexes_suspend, sq_indexes_restore, sq_reader,
};
