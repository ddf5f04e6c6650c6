/* case-key add|list|revoke - the keys that let apps post reports to case-open311 */
#include <sys/random.h>

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

/* The source a key's cases get unless --source names another. */
#define DEFAULT_SOURCE	"open311"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-key [-h] [-d file] add name [--source code] "
	    "[--unit unit]\n"
	    "       case-key [-h] [-d file] list\n"
	    "       case-key [-h] [-d file] revoke name\n"));
	case_usage_exit(status);
}

/* A name is an actor in events: printable, one word, a code's length. */
static void
check_name(const char *name)
{
	const unsigned char *p;

	if (*name == '\0' || strlen(name) > CASE_CODE_MAX ||
	    !case_utf8_valid(name, strlen(name)))
		errx(CASE_EXIT_FATAL, _("%s: not a key name"), case_esc(name));
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			errx(CASE_EXIT_FATAL, _("%s: not a key name"),
			    case_esc(name));
}

/*
 * A new key: 32 random bytes as 64 hex digits, printed once; the
 * database keeps its SHA-256 only.  Returns the exit status.
 */
static int
add(struct case_db *db, const char *name, const char *source,
    const char *unit)
{
	struct case_stmt *st;
	unsigned char r[32];
	char key[65], hash[65];
	size_t i;

	check_name(name);
	if (strcmp(source, DEFAULT_SOURCE) == 0) {
		/* The default source is made on first use, named as such. */
		st = case_prepare(db, q_key_default_source);
		case_bind_text(st, ":code", DEFAULT_SOURCE);
		case_bind_text(st, ":name", "Open311");
		case_step(st);
	}
	case_check_code(db, CASE_KNOWN_SOURCE, "--source", source);
	case_check_code(db, CASE_KNOWN_UNIT, "--unit", unit);
	st = case_prepare(db, q_key_named);
	case_bind_text(st, ":name", name);
	if (case_step(st) == CASE_ROW) {
		warnx(_("%s: a key of that name exists"), name);
		return CASE_EXIT_REJECT;
	}
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		err(CASE_EXIT_FATAL, "getrandom");
	for (i = 0; i < sizeof r; i++)
		snprintf(key + 2 * i, 3, "%02x", r[i]);
	case_sha256_hex(key, strlen(key), hash);
	st = case_prepare(db, q_key_insert);
	case_bind_text(st, ":name", name);
	case_bind_text(st, ":hash", hash);
	case_bind_text(st, ":source", source);
	case_bind_text(st, ":unit", unit);
	case_bind_int(st, ":created", case_now());
	case_step(st);
	case_commit(db);
	printf("%s\n", key);
	explicit_bzero(key, sizeof key);
	return CASE_EXIT_OK;
}

/* name TAB source TAB unit TAB created TAB revoked: never key nor hash. */
static int
list(struct case_db *db)
{
	struct case_stmt *st = case_prepare(db, q_key_list);
	char a[40], b[40];
	const char *unit;

	while (case_step(st) == CASE_ROW) {
		unit = case_col_text(st, 2);
		printf("%s\t%s\t%s\t%s\t%s\n", case_col_text(st, 0),
		    case_col_text(st, 1), unit != NULL ? unit : "",
		    case_fmt_time(case_col_time(st, 3), a, sizeof a),
		    case_col_null(st, 4) ? "" :
		    case_fmt_time(case_col_time(st, 4), b, sizeof b));
	}
	case_commit(db);
	return CASE_EXIT_OK;
}

static int
revoke(struct case_db *db, const char *name)
{
	struct case_stmt *st = case_prepare(db, q_key_named);

	case_bind_text(st, ":name", name);
	if (case_step(st) != CASE_ROW) {
		warnx(_("%s: no such key"), case_esc(name));
		return CASE_EXIT_REJECT;
	}
	if (!case_col_null(st, 0)) {
		warnx(_("%s: revoked already"), case_esc(name));
		return CASE_EXIT_REJECT;
	}
	st = case_prepare(db, q_key_revoke);
	case_bind_text(st, ":name", name);
	case_bind_int(st, ":now", case_now());
	case_step(st);
	case_commit(db);
	printf("%s\n", name);
	return CASE_EXIT_OK;
}

/*
 * Adds, lists and revokes the keys of case-open311: the key is printed
 * once, when it is made, and stored only as its hash.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db",		required_argument, NULL, 'd' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "source",	required_argument, NULL, 'S' },
		{ "unit",	required_argument, NULL, 'U' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *source = NULL, *unit = NULL, *cmd;
	struct case_db *db;
	int ch, rc;

	case_init_prog(argv);
	while ((ch = getopt_long(argc, argv, "d:h", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'h': usage(0); break;
		case 'S': source = optarg; break;
		case 'U': unit = optarg; break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(CASE_EXIT_FATAL);
	cmd = argv[0];
	/* A bad combination says which and why, then how. */
	if ((strcmp(cmd, "revoke") == 0 || strcmp(cmd, "list") == 0) &&
	    (source != NULL || unit != NULL))
		warnx(_("%s and --%s: a key is given its source and unit when "
		    "it is added"), cmd, source != NULL ? "source" : "unit");
	if (strcmp(cmd, "add") == 0 ? argc != 2 :
	    strcmp(cmd, "revoke") == 0 ? argc != 2 || source || unit :
	    strcmp(cmd, "list") == 0 ? argc != 1 || source || unit : 1)
		usage(CASE_EXIT_FATAL);

	db = case_db_open(case_db_path(dbopt), CASE_DB_WRITE);
	case_begin(db);
	if (strcmp(cmd, "add") == 0)
		rc = add(db, argv[1], source != NULL ? source : DEFAULT_SOURCE,
		    unit);
	else if (strcmp(cmd, "revoke") == 0)
		rc = revoke(db, argv[1]);
	else
		rc = list(db);
	if (rc != CASE_EXIT_OK)
		case_rollback(db);
	case_db_close(db);
	case_finish_stdout();
	return rc;
}
