/* case-meet --units list --decision text [--action spec ...] [id ...] - a joint conference */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

static struct case_ctx ctx;
static char *units;		/* the units present, as given, checked */
static const char *decision;
static struct case_meet_action *acts;
static size_t nacts;
static long long conf;		/* the conference's number, once written */
static long long *seen;
static size_t nseen;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-meet [-hnq] [-d file] [--actor name] [--at time] "
	    "--units list\n"
	    "                 --decision text [--action unit:text:due ...] "
	    "[id ...]\n"
	    "       case-meet [-hnq] [-d file] [--actor name] [--at time] "
	    "[--note text]\n"
	    "                 --done [action ...]\n"));
	case_usage_exit(status);
}

/* Named twice in one run: acts once. */
static int
seen_before(long long id)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		if (seen[i] == id)
			return 1;
	seen = case_reallocarray(seen, nseen + 1, sizeof *seen);
	seen[nseen++] = id;
	return 0;
}

/* Is unit among those present (so far)? */
static int
present(const char *unit)
{
	char *copy = case_strdup(units), *p = copy, *u;
	int found = 0;

	while ((u = strsep(&p, ",")) != NULL && !found)
		found = strcmp(u, unit) == 0;
	free(copy);
	return found;
}

/*
 * The units present: known codes, each once, at least one; kept as the
 * codes alone, comma-separated, in the order given.  Checked before
 * anything is written; a bad one ends the run (exit 2).
 */
static void
check_units(struct case_db *db, const char *list)
{
	char *copy = case_strdup(list), *p = copy, *u;
	size_t n = 0, len = 0;

	units = case_malloc(strlen(list) + 1);
	units[0] = '\0';
	while ((u = strsep(&p, ",")) != NULL) {
		if (*u == '\0')
			continue;
		case_check_code(db, CASE_KNOWN_UNIT, "units", u);
		if (present(u))
			errx(CASE_EXIT_FATAL, _("--units: named twice -- %s"),
			    case_esc(u));
		len += snprintf(units + len, strlen(list) + 1 - len, "%s%s",
		    n++ > 0 ? "," : "", u);
	}
	free(copy);
	if (n == 0)
		errx(CASE_EXIT_FATAL, _("--units: no units: a conference "
		    "needs the units present"));
}

/*
 * A deadline from the conference's time: a span (3d, 48h, 5wd, counted
 * as a category's deadline is) or a time as --at takes it, a bare day
 * meaning the end of that day.  -1 if it is neither.
 */
static int
parse_due(const char *s, long long *due)
{
	if (*s == '\0')
		return -1;
	if ((*due = case_deadline(ctx.db, s, ctx.now)) != CASE_NOTIME)
		return 0;
	return case_parse_as_of(s, ctx.now, due);
}

/*
 * --action UNIT:TEXT:DUE.  The unit is up to the first colon; the
 * deadline is the shortest tail after a colon that reads as one (a time
 * such as 2024-05-20T18:00 has colons of its own); the text, which may
 * hold colons, is what lies between.
 */
static void
check_action(const char *spec, struct case_meet_action *a)
{
	char *s = case_strdup(spec), *colon, *p;

	if ((colon = strchr(s, ':')) == NULL)
		errx(CASE_EXIT_FATAL, _("--action: not unit:text:due -- %s"),
		    case_esc(spec));
	*colon = '\0';
	a->unit = s;
	a->text = colon + 1;
	for (p = s + strlen(spec); p > colon + 1; p--)
		if (p[-1] == ':' && parse_due(p, &a->due) == 0)
			break;
	if (p == colon + 1)
		errx(CASE_EXIT_FATAL, _("--action: no deadline (a time or a "
		    "span after the last colon) -- %s"), case_esc(spec));
	p[-1] = '\0';
	case_check_code(ctx.db, CASE_KNOWN_UNIT, "action", a->unit);
	if (!present(a->unit))
		errx(CASE_EXIT_FATAL, _("--action: unit %s was not at the "
		    "conference (--units)"), case_esc(a->unit));
	if (*a->text == '\0')
		errx(CASE_EXIT_FATAL, _("--action: the action's text is "
		    "missing -- %s"), case_esc(spec));
	if (!case_utf8_valid(a->text, strlen(a->text)))
		errx(CASE_EXIT_FATAL, _("--action: invalid UTF-8"));
	if (a->due <= ctx.now)
		errx(CASE_EXIT_FATAL, _("--action: the deadline is not after "
		    "the conference -- %s"), case_esc(spec));
}

static int
meet_one(long long id, void *arg)
{
	const char *why;

	(void)arg;
	if (seen_before(id))
		return 0;
	if ((why = case_meet(&ctx, id, units, decision, acts, nacts,
	    &conf)) != NULL) {
		warnx("%lld: %s", id, why);
		return 1;
	}
	case_changed(&ctx, id);
	return 0;
}

static int
done_one(long long id, void *arg)
{
	const char *why;
	long long case_id;

	(void)arg;
	if (seen_before(id))
		return 0;
	if ((why = case_task_done(&ctx, id, &case_id)) != NULL) {
		warnx(_("action %lld: %s"), id, why);
		return 1;
	}
	case_changed(&ctx, id);
	return 0;
}

/*
 * Records a joint conference (研判会商) on the cases, or marks follow-up
 * actions done, in one transaction: a refusal of any of them writes
 * nothing at all.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "action",	required_argument, NULL, 'c' },
		{ "actor",	required_argument, NULL, 'A' },
		{ "at",		required_argument, NULL, 'a' },
		{ "db",		required_argument, NULL, 'd' },
		{ "decision",	required_argument, NULL, 'D' },
		{ "done",	no_argument,	   NULL, 'o' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "note",	required_argument, NULL, 'N' },
		{ "quiet",	no_argument,	   NULL, 'q' },
		{ "units",	required_argument, NULL, 'u' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *actor = NULL, *at = NULL, *note = NULL;
	const char *unitopt = NULL;
	char **specs = NULL, **words;
	size_t nspecs = 0, n, i;
	int ch, dryrun = 0, quiet = 0, done = 0, nbad;
	struct case_db *db;

	case_init_prog(argv);
	while ((ch = getopt_long(argc, argv, "d:hnq", opts, NULL)) != -1)
		switch (ch) {
		case 'A': actor = optarg; break;
		case 'a': at = optarg; break;
		case 'c':
			specs = case_reallocarray(specs, nspecs + 1,
			    sizeof *specs);
			specs[nspecs++] = optarg;
			break;
		case 'd': dbopt = optarg; break;
		case 'D': decision = optarg; break;
		case 'h': usage(0); break;
		case 'N': note = optarg; break;
		case 'n': dryrun = 1; break;
		case 'o': done = 1; break;
		case 'q': quiet = 1; break;
		case 'u': unitopt = optarg; break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;
	if (done && (unitopt != NULL || decision != NULL || nspecs > 0)) {
		warnx(_("--done marks actions done: --units, --decision and "
		    "--action are a conference's"));
		usage(CASE_EXIT_FATAL);
	}
	if (!done && note != NULL) {
		warnx(_("--note goes with --done; a conference's words are "
		    "its --decision"));
		usage(CASE_EXIT_FATAL);
	}
	if (!done && unitopt == NULL)
		errx(CASE_EXIT_FATAL, _("--units: no units: a conference "
		    "needs the units present"));
	if (!done && (decision == NULL || *decision == '\0'))
		errx(CASE_EXIT_FATAL, _("--decision: the decision is missing"));
	if (decision != NULL && !case_utf8_valid(decision, strlen(decision)))
		errx(CASE_EXIT_FATAL, _("--decision: invalid UTF-8"));
	if (note != NULL && !case_utf8_valid(note, strlen(note)))
		errx(CASE_EXIT_FATAL, _("--note: invalid UTF-8"));
	if (at != NULL)
		case_now_set("--at", at);

	db = case_db_open(case_db_path(dbopt), CASE_DB_WRITE);
	n = case_id_words(argc, argv, &words);
	case_ctx_init(&ctx, db, actor, dryrun, quiet);
	ctx.note = note;
	if (!done) {
		check_units(db, unitopt);
		acts = case_reallocarray(NULL, nspecs + 1, sizeof *acts);
		for (i = 0; i < nspecs; i++)
			check_action(specs[i], &acts[nacts++]);
	}
	nbad = case_id_each(words, n, done ? done_one : meet_one, NULL);
	for (i = 0; i < nacts; i++)
		free((char *)acts[i].unit);
	free(acts);
	free(specs);
	free(units);
	free(seen);
	if (nbad > 0) {
		case_rollback(db);
		case_db_close(db);
		free(ctx.runs);
		errx(CASE_EXIT_REJECT, done ? _("problems found: %d; no "
		    "action marked done") : _("problems found: %d; "
		    "conference not recorded"), nbad);
	}
	return case_ctx_finish(&ctx, 0);
}
