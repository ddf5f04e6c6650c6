/* case-notify [-hn] [-d file] [--due-within span] [--from address] - tell each unit what is new for it */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "case.h"

#define SENDMAIL_DEFAULT "/usr/sbin/sendmail -t -oi"
#define FROM_DEFAULT	 "casekit"
#define TITLE_CHARS	 100	/* of a case's title in a mail */
#define SMS_TITLE_CHARS	 30	/* and in a text message */

/*
 * The kinds of news, each a section of a notice, in the order a notice
 * lists them, by heading; main() gathers each kind's rows by its query
 * (sql.c's q_notify_..., columns unit, case, title, deadline, reason,
 * about, when).  A kind is one more entry here, one more query and one
 * more gather().  The cases past their sign-for limit are asked of the
 * lifecycle (case_unsigned_each()), not of a query, since the limit is
 * the fold's: reason "unsigned", and for about the limit missed, so
 * that each lapse is told once and a new assignment's again.
 */
enum { SEC_DISPATCHED, SEC_DUE, SEC_UNSIGNED, NSEC };
static const char *const headings[NSEC] = {
	[SEC_DISPATCHED] = N_("Cases dispatched or escalated to you:"),
	[SEC_DUE] = N_("Cases due within %s:"),
	[SEC_UNSIGNED] = N_("Cases past their sign-for limit:"),
};

struct item {
	char	*unit, *title, *reason;
	long long id, due, about, at;
	int	 sec;
};

struct unit {
	char	*code, *name, *addr[2];	/* by channel */
};

enum { CH_EMAIL, CH_SMS, NCH };
static const char *const channels[NCH] = { "email", "sms" };

static struct item *items;
static size_t nitems, itemcap;
static struct unit *units;
static size_t nunits;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    _("usage: case-notify [-hn] [-d file] [--due-within span] "
	    "[--from address]\n"));
	case_usage_exit(status);
}

static char *
col_dup(struct case_stmt *st, int c)
{
	return case_strdup(case_col_null(st, c) ? "" : case_col_text(st, c));
}

/* A new item of section sec, its fields the caller's to fill. */
static struct item *
new_item(int sec)
{
	if (nitems == itemcap) {
		itemcap = itemcap ? itemcap * 2 : 64;
		items = case_reallocarray(items, itemcap, sizeof *items);
	}
	items[nitems].sec = sec;
	return &items[nitems++];
}

/* The rows of a kind's query, each an item; span > 0: a timed one. */
static void
gather(struct case_db *db, const char *sql, int sec, long long now,
    long long span)
{
	struct case_stmt *st = case_prepare(db, sql);
	struct item *it;

	if (span > 0) {
		case_bind_int(st, ":now", now);
		case_bind_int(st, ":soon", now + span);
	}
	while (case_step(st) == CASE_ROW) {
		it = new_item(sec);
		it->unit = col_dup(st, 0);
		it->id = case_col_int(st, 1);
		it->title = col_dup(st, 2);
		it->due = case_col_time(st, 3);
		it->reason = col_dup(st, 4);
		it->about = case_col_int(st, 5);
		it->at = case_col_time(st, 6);
	}
	case_reset(st);
}

/* A case unsigned now, an item of its holder's (case_unsigned_each()). */
static void
gather_unsigned(void *arg, long long id, const struct case_life *l,
    const char *title)
{
	struct item *it = new_item(SEC_UNSIGNED);

	(void)arg;
	it->unit = case_strdup(l->unit);
	it->id = id;
	it->title = case_strdup(title);
	it->due = l->ack;
	it->reason = case_strdup("unsigned");
	it->about = l->ack;
	it->at = l->ack_from;
}

/* By unit, then section, then case: the order a notice lists them. */
static int
item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c;

	if ((c = strcmp(x->unit, y->unit)) != 0)
		return c;
	if (x->sec != y->sec)
		return x->sec - y->sec;
	return (x->id > y->id) - (x->id < y->id);
}

static void
load_units(struct case_db *db)
{
	struct case_stmt *st = case_prepare(db, q_notify_units);
	struct unit *u;

	while (case_step(st) == CASE_ROW) {
		units = case_reallocarray(units, nunits + 1, sizeof *units);
		u = &units[nunits++];
		u->code = col_dup(st, 0);
		u->name = col_dup(st, 1);
		u->addr[CH_EMAIL] = case_col_null(st, 2) ? NULL : col_dup(st, 2);
		u->addr[CH_SMS] = case_col_null(st, 3) ? NULL : col_dup(st, 3);
	}
	case_reset(st);
}

static int
has_address(const char *code)
{
	size_t i;

	for (i = 0; i < nunits; i++)
		if (strcmp(units[i].code, code) == 0)
			return 1;
	return 0;
}

/*
 * Text from the database for a line of a notice: control characters
 * (a title's CR and LF among them) become blanks, so that no value can
 * start a line, let alone a header, and at most max characters remain.
 */
static char *
flat(const char *s, size_t max)
{
	char *p = case_utf8_prefix(s, max), *q;
	size_t n = strlen(p);

	for (q = p; *q != '\0'; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = ' ';
	if (strlen(s) > n) {
		p = realloc(p, n + 4);
		if (p == NULL)
			err(CASE_EXIT_FATAL, "realloc");
		memcpy(p + n, "\xe2\x80\xa6", 4);	/* U+2026 */
	}
	return p;
}

/*
 * A command from the environment as a list of words split at blanks,
 * without quoting, expansion or a shell: text of the database only ever
 * goes to it as separate arguments or on standard input.
 */
static char **
words(const char *cmd, const char *last)
{
	char *s = case_strdup(cmd), *w, *save = NULL, **v = NULL;
	size_t n = 0;

	for (w = strtok_r(s, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save)) {
		v = case_reallocarray(v, n + 3, sizeof *v);
		v[n++] = case_strdup(w);
	}
	free(s);
	v = case_reallocarray(v, n + 3, sizeof *v);
	if (last != NULL)
		v[n++] = case_strdup(last);
	v[n] = NULL;
	return v;
}

static void
words_free(char **v)
{
	size_t i;

	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static void
base64(FILE *fp, const unsigned char *s, size_t n)
{
	static const char b[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	unsigned long v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)s[i] << 16 | s[i + 1] << 8 | s[i + 2];
		fprintf(fp, "%c%c%c%c", b[v >> 18], b[v >> 12 & 63],
		    b[v >> 6 & 63], b[v & 63]);
	}
	if (n - i == 1)
		fprintf(fp, "%c%c==", b[s[i] >> 2], b[(s[i] & 3) << 4]);
	else if (n - i == 2) {
		v = (unsigned long)s[i] << 8 | s[i + 1];
		fprintf(fp, "%c%c%c=", b[v >> 10], b[v >> 4 & 63],
		    b[(v & 15) << 2]);
	}
}

/*
 * The Subject header, text (no control characters) as RFC 2047 encoded
 * words if it is not all ASCII: UTF-8 in base64, at most 45 bytes a
 * word (60 of base64, a word of 72 characters, under the 75 allowed),
 * 42 in the first, after "Subject: " (no line past 78 characters), each
 * word whole characters, one a line, the lines folded.
 */
static void
subject(FILE *fp, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), i, start, k;
	unsigned long cp;
	int ascii = 1;

	for (i = 0; i < len; i++)
		if (s[i] >= 0x80)
			ascii = 0;
	if (ascii && strstr(text, "=?") == NULL) {
		fprintf(fp, "Subject: %s\n", text);
		return;
	}
	fputs("Subject:", fp);
	for (start = i = 0; i < len; start = i) {
		while (i < len) {
			k = case_utf8_seq(s + i, len - i, &cp);
			if (k == 0)
				k = 1;
			if (i + k - start > (start == 0 ? 42 : 45))
				break;
			i += k;
		}
		fprintf(fp, "%s=?UTF-8?B?", start == 0 ? " " : "\n ");
		base64(fp, s + start, i - start);
		fputs("?=", fp);
	}
	fputc('\n', fp);
}

/* The Date header's time, as RFC 5322 writes it, in English always. */
static void
date(FILE *fp)
{
	static const char *const day[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = time(NULL);
	struct tm tm;
	long off;

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	fprintf(fp, "Date: %s, %02d %s %d %02d:%02d:%02d %c%02ld%02ld\n",
	    day[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
	    labs(off) / 60, labs(off) % 60);
}

static void
message_id(FILE *fp)
{
	static unsigned n;
	char host[256], *p;

	if (gethostname(host, sizeof host) == -1 || host[0] == '\0')
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	for (p = host; *p != '\0'; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.-", *p))
			*p = '-';
	fprintf(fp, "Message-ID: <casekit.%lld.%ld.%u@%s>\n",
	    (long long)time(NULL), (long)getpid(), ++n, host);
}

/* A notice's lines, for a mail (long) or a text message (short). */
static void
body(FILE *fp, const struct item *v, size_t n, const char *span, int sms)
{
	char heading[256], t1[64], t2[64], *title;
	size_t i;
	int sec = -1;

	for (i = 0; i < n; i++) {
		if (v[i].sec != sec) {
			sec = v[i].sec;
			snprintf(heading, sizeof heading,
			    _(headings[sec]), span);
			fprintf(fp, "%s%s\n", i > 0 && !sms ? "\n" : "",
			    heading);
		}
		title = flat(v[i].title, sms ? SMS_TITLE_CHARS : TITLE_CHARS);
		fprintf(fp, "#%lld %s\n", v[i].id, title);
		free(title);
		if (sms)
			continue;
		if (v[i].due != CASE_NOTIME)
			case_fmt_time(v[i].due, t2, sizeof t2);
		fputs("    ", fp);
		if (v[i].sec == SEC_UNSIGNED) {
			case_fmt_time(v[i].at, t1, sizeof t1);
			fprintf(fp, _("given %s, to be signed for by %s\n"),
			    t1, t2);
			continue;
		}
		if (v[i].sec == SEC_DISPATCHED) {
			case_fmt_time(v[i].at, t1, sizeof t1);
			fprintf(fp, strcmp(v[i].reason, "escalated") == 0 ?
			    _("escalated %s") : _("assigned %s"), t1);
			fputs(", ", fp);
		}
		if (v[i].due != CASE_NOTIME)
			fprintf(fp, _("due %s"), t2);
		else
			fputs(_("no deadline"), fp);
		fputc('\n', fp);
	}
}

/* The whole mail, headers and body, for sendmail -t. */
static char *
mail(const struct unit *u, const char *from, const struct item *v,
    size_t n, const char *span)
{
	char *buf = NULL, subj[512], *name = flat(u->name, 60);
	size_t size = 0;
	FILE *fp;

	if ((fp = open_memstream(&buf, &size)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	snprintf(subj, sizeof subj, _("%s: %zu new in casekit"), name, n);
	fprintf(fp, "From: %s\n", from);
	fprintf(fp, "To: %s\n", u->addr[CH_EMAIL]);
	subject(fp, subj);
	date(fp);
	message_id(fp);
	fputs("MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "Auto-Submitted: auto-generated\n\n", fp);
	fprintf(fp, "%s\n\n", subj);
	body(fp, v, n, span, 0);
	fputs("\n-- \ncase-notify\n", fp);
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	free(name);
	return buf;
}

static char *
sms(const struct unit *u, const struct item *v, size_t n, const char *span)
{
	char *buf = NULL, *name = flat(u->name, 30);
	size_t size = 0;
	FILE *fp;

	if ((fp = open_memstream(&buf, &size)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	fprintf(fp, _("%s: %zu new in casekit"), name, n);
	fputc('\n', fp);
	body(fp, v, n, span, 1);
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	free(name);
	return buf;
}

static int
sent_already(struct case_db *db, const struct item *it, int ch)
{
	struct case_stmt *st = case_prepare(db, q_notify_sent);
	int r;

	case_bind_int(st, ":case", it->id);
	case_bind_text(st, ":unit", it->unit);
	case_bind_text(st, ":channel", channels[ch]);
	case_bind_text(st, ":reason", it->reason);
	case_bind_int(st, ":about", it->about);
	r = case_step(st) == CASE_ROW;
	case_reset(st);
	return r;
}

struct run {
	struct case_db *db;
	const char *from, *span, *cmd[NCH];
	const char *actor, *osuser;
	long long now, next;
	int	 dryrun, failed;
};

/* Sends one unit its notice on one channel and records the outcome. */
static void
notify(struct run *r, const struct unit *u, int ch, const struct item *v,
    size_t n)
{
	struct case_stmt *st;
	struct item *todo;
	char **argv, *text, *out, *errs, result[64];
	size_t i, m = 0;
	int rc;

	todo = case_reallocarray(NULL, n ? n : 1, sizeof *todo);
	for (i = 0; i < n; i++)
		if (!sent_already(r->db, &v[i], ch))
			todo[m++] = v[i];
	if (m == 0 || r->cmd[ch] == NULL) {
		free(todo);
		return;
	}
	text = ch == CH_EMAIL ? mail(u, r->from, todo, m, r->span) :
	    sms(u, todo, m, r->span);
	argv = words(r->cmd[ch], ch == CH_SMS ? u->addr[CH_SMS] : NULL);
	if (r->dryrun) {
		printf("-- %s:", channels[ch]);
		for (i = 0; argv[i] != NULL; i++)
			printf(" %s", argv[i]);
		printf("\n%s\n", text);
		goto done;
	}
	rc = case_job_run(argv, text, &out, &errs);
	if (rc == 0)
		snprintf(result, sizeof result, "sent");
	else {
		/* What it said, on the one line a warning has. */
		for (i = strlen(errs); i > 0 && errs[i - 1] == '\n'; i--)
			errs[i - 1] = '\0';
		snprintf(result, sizeof result, "failed: exit %d", rc);
		warnx(_("%s: %s to %s: exit %d, to be tried again: %s"),
		    case_esc(u->code), channels[ch], u->addr[ch], rc,
		    *errs != '\0' ? case_esc(errs) : "-");
		r->failed++;
	}
	free(out);
	free(errs);
	for (i = 0; i < m; i++) {
		st = case_prepare(r->db, q_notify_put);
		case_bind_int(st, ":id", r->next++);
		case_bind_int(st, ":at", r->now);
		case_bind_text(st, ":actor", r->actor);
		case_bind_text(st, ":osuser", r->osuser);
		case_bind_text(st, ":unit", u->code);
		case_bind_text(st, ":channel", channels[ch]);
		case_bind_text(st, ":address", u->addr[ch]);
		case_bind_int(st, ":case", todo[i].id);
		case_bind_text(st, ":reason", todo[i].reason);
		case_bind_int(st, ":about", todo[i].about);
		case_bind_text(st, ":result", result);
		case_step(st);
		case_reset(st);
	}
done:
	words_free(argv);
	free(text);
	free(todo);
}

static const char *
env(const char *name, const char *dflt)
{
	const char *s = getenv(name);

	return s != NULL && *s != '\0' ? s : dflt;
}

/*
 * Tells each unit with an address, by mail and by text message, what is
 * new for it since the notices recorded: what was dispatched or
 * escalated to it and is still with it, and (with --due-within) what
 * falls due soon.  One transaction, held while sending: a notice is
 * recorded after it went, so a crash in between sends it again (at
 * least once); a failed send is recorded and tried again next run.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db",		required_argument, NULL, 'd' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "due-within",	required_argument, NULL, 'D' },
		{ "from",	required_argument, NULL, 'f' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *from = NULL, *p;
	struct run r;
	struct case_stmt *st;
	long long span = 0;
	size_t i, j, k;
	int ch, c;

	case_init_prog(argv);
	case_job_init();
	memset(&r, 0, sizeof r);
	r.span = "";
	while ((ch = getopt_long(argc, argv, "d:hn", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'D':
			if (case_parse_duration(optarg, &span) == -1 ||
			    span <= 0)
				errx(CASE_EXIT_FATAL, _("--due-within: not a "
				    "span (7d, 24h, 90m) -- %s"),
				    case_esc(optarg));
			r.span = optarg;
			break;
		case 'f': from = optarg; break;
		case 'h': usage(0); break;
		case 'n': r.dryrun = 1; break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	if (optind != argc)
		usage(CASE_EXIT_FATAL);
	r.from = from != NULL ? from : env("CASE_MAIL_FROM", FROM_DEFAULT);
	for (p = r.from; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			break;
	if (*p != '\0' || *r.from == '\0')
		errx(CASE_EXIT_FATAL, _("--from: printable ASCII on one line, "
		    "please -- %s"), case_esc(r.from));
	r.cmd[CH_EMAIL] = env("CASE_SENDMAIL", SENDMAIL_DEFAULT);
	r.cmd[CH_SMS] = env("CASE_SMS_CMD", NULL);
	r.actor = case_actor(NULL);
	r.osuser = case_osuser();
	r.now = case_now();

	r.db = case_db_open(case_db_path(dbopt), r.dryrun ? CASE_DB_READ :
	    CASE_DB_WRITE);
	case_begin(r.db);
	load_units(r.db);
	gather(r.db, q_notify_dispatched, SEC_DISPATCHED, r.now, 0);
	if (span > 0)
		gather(r.db, q_notify_due, SEC_DUE, r.now, span);
	case_unsigned_each(r.db, r.now, CASE_NOTIME, gather_unsigned, NULL);
	qsort(items, nitems, sizeof *items, item_cmp);
	st = case_prepare(r.db, q_notify_next);
	if (case_step(st) != CASE_ROW)
		case_dbfatal(r.db, "notices");
	r.next = case_col_int(st, 0);
	case_reset(st);

	for (i = 0; i < nitems; i = j) {
		for (j = i; j < nitems && strcmp(items[j].unit,
		    items[i].unit) == 0; j++)
			continue;
		for (k = 0; k < nunits; k++)
			if (strcmp(units[k].code, items[i].unit) == 0)
				break;
		if (k == nunits) {
			/* Said on a dry run; cron would say it every run. */
			if (r.dryrun && !has_address(items[i].unit))
				warnx(_("%s: no e-mail address or telephone "
				    "number; %zu items not sent"),
				    case_esc(items[i].unit), j - i);
			continue;
		}
		for (c = 0; c < NCH; c++)
			if (units[k].addr[c] != NULL)
				notify(&r, &units[k], c, items + i, j - i);
	}
	if (r.dryrun)
		case_rollback(r.db);
	else
		case_commit(r.db);
	case_db_close(r.db);

	for (i = 0; i < nitems; i++) {
		free(items[i].unit);
		free(items[i].title);
		free(items[i].reason);
	}
	free(items);
	for (i = 0; i < nunits; i++) {
		free(units[i].code);
		free(units[i].name);
		free(units[i].addr[0]);
		free(units[i].addr[1]);
	}
	free(units);
	case_finish_stdout();
	return r.failed ? CASE_EXIT_REJECT : CASE_EXIT_OK;
}
