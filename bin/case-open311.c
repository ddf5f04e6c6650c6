/* case-open311 - the Open311 GeoReport v2 endpoint, a CGI program */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "case.h"

/*
 * Limits (case-open311(1)): a body or query string over MAXBODY bytes
 * is refused (413) unread; at most MAXPARAM parameters; a list answers
 * at most MAXLIST requests or updates, over at most MAXDAYS days, as
 * the specification asks.
 */
#define MAXBODY		65536
#define MAXPARAM	256
#define MAXLIST		1000
#define MAXDAYS		90
#define MAXURL		2048
#define TITLELEN	30	/* characters of the description */
#define DEFAULT_DB	"/var/lib/casekit/cases.db"

static struct {
	char	*name[MAXPARAM], *value[MAXPARAM];
	int	 n;
} par;

static int json;		/* answer in JSON, else XML */
static FILE *body;		/* the answer's body, sent when whole */
static char *bodybuf;
static size_t bodysize;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, _("usage: case-open311 [-h]\n"));
	case_usage_exit(status);
}

/* Text as XML character data: markup escaped, C0 controls dropped. */
static void
xml_text(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		switch (*p) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&apos;", fp); break;
		case '\t': case '\n': case '\r': fprintf(fp, "&#x%X;", *p); break;
		default:
			if (*p >= 0x20 && *p != 0x7f)
				putc(*p, fp);
		}
}

/*
 * The answer's shapes, in either format: a list of items, each of named
 * fields.  A field's value is text, or with raw set a number or boolean
 * JSON takes unquoted; NULL is JSON's null and an empty XML element.
 */
static int nitem, nfield;

static void
list_begin(const char *root)
{
	if (json)
		putc('[', body);
	else
		fprintf(body, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<%s>", root);
	nitem = 0;
}

static void
list_end(const char *root)
{
	if (json)
		fputs("]\n", body);
	else
		fprintf(body, "</%s>\n", root);
}

static void
item_begin(const char *name)
{
	if (json)
		fputs(nitem++ ? ",{" : "{", body);
	else
		fprintf(body, "<%s>", name);
	nfield = 0;
}

static void
item_end(const char *name)
{
	if (json)
		putc('}', body);
	else
		fprintf(body, "</%s>", name);
}

static void
field(const char *name, const char *v, int raw)
{
	if (json) {
		fprintf(body, "%s\"%s\":", nfield++ ? "," : "", name);
		if (v == NULL)
			fputs("null", body);
		else if (raw)
			fputs(v, body);
		else
			case_json_string(body, v);
		return;
	}
	fprintf(body, "<%s>", name);
	if (v != NULL)
		xml_text(body, v);
	fprintf(body, "</%s>", name);
}

static void
field_time(const char *name, struct case_stmt *st, int col)
{
	char buf[40];

	field(name, case_col_null(st, col) ? NULL :
	    case_fmt_time(case_col_time(st, col), buf, sizeof buf), 0);
}

static void
field_int(const char *name, long long v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%lld", v);
	field(name, buf, 1);
}

/* The headers, then the body; every answer ends here. */
_Noreturn static void
send(int status, const char *reason)
{
	if (fclose(body) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	printf("Status: %d %s\r\nContent-Type: %s; charset=utf-8\r\n"
	    "Content-Length: %zu\r\n\r\n", status, reason,
	    json ? "application/json" : "text/xml", bodysize);
	fwrite(bodybuf, 1, bodysize, stdout);
	free(bodybuf);
	case_finish_stdout();
	exit(CASE_EXIT_OK);
}

/* The specification's error answer; nothing has been written. */
_Noreturn static void
fail(int status, const char *reason, const char *why)
{
	fclose(body);
	free(bodybuf);
	if ((body = open_memstream(&bodybuf, &bodysize)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	list_begin("errors");
	item_begin("error");
	field_int("code", status);
	field("description", why, 0);
	item_end("error");
	list_end("errors");
	send(status, reason);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Form decoding in place: + is a blank, %XX a byte; -1 if malformed. */
static int
decode(char *s)
{
	char *r = s, *w = s;
	int hi, lo;

	for (; *r != '\0'; r++)
		if (*r == '+')
			*w++ = ' ';
		else if (*r != '%')
			*w++ = *r;
		else if ((hi = hexval(r[1])) == -1 ||
		    (lo = hexval(r[2])) == -1 || (hi == 0 && lo == 0))
			return -1;
		else {
			*w++ = (char)(hi << 4 | lo);
			r += 2;
		}
	*w = '\0';
	return case_utf8_valid(s, (size_t)(w - s)) ? 0 : -1;
}

/* name=value&... into par; the text is kept (and decoded) in place. */
static void
parse_form(char *s)
{
	char *item, *eq;

	while ((item = strsep(&s, "&")) != NULL) {
		if (*item == '\0')
			continue;
		if (par.n == MAXPARAM)
			fail(400, "Bad Request", "too many parameters");
		if ((eq = strchr(item, '=')) != NULL)
			*eq++ = '\0';
		if (decode(item) == -1 || (eq != NULL && decode(eq) == -1))
			fail(400, "Bad Request", "malformed form encoding or "
			    "invalid UTF-8");
		par.name[par.n] = item;
		par.value[par.n++] = eq != NULL ? eq : "";
	}
}

/* A parameter's first value, or NULL; "" counts as not given. */
static const char *
param(const char *name)
{
	int i;

	for (i = 0; i < par.n; i++)
		if (strcmp(par.name[i], name) == 0)
			return *par.value[i] != '\0' ? par.value[i] : NULL;
	return NULL;
}

/* The body of a POST, if it is a form within the limit; NULL if none. */
static char *
read_body(void)
{
	const char *len = getenv("CONTENT_LENGTH");
	const char *type = getenv("CONTENT_TYPE");
	const char *errstr;
	long long n;
	size_t got = 0, k;
	char *buf;

	if (len == NULL || *len == '\0')
		return NULL;
	n = case_strtonum(len, 0, LLONG_MAX, &errstr);
	if (errstr != NULL)
		fail(400, "Bad Request", "bad CONTENT_LENGTH");
	if (n > MAXBODY)
		fail(413, "Payload Too Large", "the body is over 65536 bytes");
	if (n > 0 && (type == NULL || strncasecmp(type,
	    "application/x-www-form-urlencoded", 33) != 0 ||
	    (type[33] != '\0' && type[33] != ';')))
		fail(400, "Bad Request", "the body must be "
		    "application/x-www-form-urlencoded");
	buf = case_malloc((size_t)n + 1);
	while (got < (size_t)n && (k = fread(buf + got, 1, (size_t)n - got,
	    case_stdin())) > 0)
		got += k;
	if (got < (size_t)n)
		fail(400, "Bad Request", "the body is shorter than "
		    "CONTENT_LENGTH");
	buf[n] = '\0';
	if (strlen(buf) != (size_t)n)
		fail(400, "Bad Request", "a NUL byte in the body");
	return buf;
}

/* The API key's name, source and unit, or a 403. */
struct key {
	char	*name, *source, *unit;
};

static void
find_key(struct case_db *db, struct key *k)
{
	const char *key = param("api_key");
	struct case_stmt *st;
	char hash[65];

	if (key == NULL)
		fail(403, "Forbidden", "api_key is missing");
	case_sha256_hex(key, strlen(key), hash);
	st = case_prepare(db, q_open311_key);
	case_bind_text(st, ":hash", hash);
	if (case_step(st) != CASE_ROW)
		fail(403, "Forbidden", "api_key is not valid");
	k->name = case_strdup(case_col_text(st, 0));
	k->source = case_strdup(case_col_text(st, 1));
	k->unit = case_col_null(st, 2) ? NULL :
	    case_strdup(case_col_text(st, 2));
	case_reset(st);
}

/* GET services: one service per category. */
static void
services(struct case_db *db)
{
	struct case_stmt *st = case_prepare(db, q_open311_services);

	list_begin("services");
	while (case_step(st) == CASE_ROW) {
		item_begin("service");
		field("service_code", case_col_text(st, 0), 0);
		field("service_name", case_col_text(st, 1), 0);
		field("description", case_col_text(st, 1), 0);
		field("metadata", "false", 1);
		field("type", "realtime", 0);
		field("keywords", "", 0);
		field("group", "", 0);
		item_end("service");
	}
	list_end("services");
}

/* GET services/{code}: a category asks for no attributes. */
static void
service(struct case_db *db, const char *code)
{
	if (!case_known(db, CASE_KNOWN_CATEGORY, code))
		fail(404, "Not Found", "no such service_code");
	if (json) {
		fputs("{\"service_code\":", body);
		case_json_string(body, code);
		fputs(",\"attributes\":[]}\n", body);
	} else {
		fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<service_definition><service_code>", body);
		xml_text(body, code);
		fputs("</service_code><attributes></attributes>"
		    "</service_definition>\n", body);
	}
}

/* Is v one of the comma-separated words of list (NULL: any)? */
static int
in_list(const char *list, const char *v)
{
	size_t n = strlen(v);
	const char *p;

	if (list == NULL)
		return 1;
	for (p = list; (p = strstr(p, v)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return 1;
	return 0;
}

/* One request, from a row of q_open311_request(s); never the reporter. */
static void
request_row(struct case_stmt *st)
{
	item_begin("request");
	field_int("service_request_id", case_col_int(st, 0));
	field("status", case_col_text(st, 1), 0);
	field("status_notes", case_col_text(st, 2), 0);
	field("service_name", case_col_text(st, 3), 0);
	field("service_code", case_col_text(st, 4), 0);
	field("description", case_col_text(st, 5), 0);
	field("agency_responsible", case_col_text(st, 6), 0);
	field("service_notice", "", 0);
	field_time("requested_datetime", st, 7);
	field_time("updated_datetime", st, 8);
	field_time("expected_datetime", st, 9);
	field("address", case_col_text(st, 10), 0);
	field("address_id", "", 0);
	field("zipcode", "", 0);
	field("lat", case_col_text(st, 11), 1);
	field("long", case_col_text(st, 12), 1);
	field("media_url", case_col_null(st, 13) ? "" :
	    case_col_text(st, 13), 0);
	item_end("request");
}

/* start_date and end_date, by the specification's defaults and bound. */
static void
date_range(long long *from, long long *to)
{
	const char *s = param("start_date"), *e = param("end_date");
	int day;

	*to = case_now();
	if (e != NULL && case_parse_time(e, *to, to, &day) == -1)
		fail(400, "Bad Request", "end_date is not a date");
	*from = *to - MAXDAYS * 86400LL;
	if (s != NULL && case_parse_time(s, *to, from, &day) == -1)
		fail(400, "Bad Request", "start_date is not a date");
	/* From start_date alone, the 90 days after it. */
	if (s != NULL && e == NULL)
		*to = *from + MAXDAYS * 86400LL;
	if (*to < *from || *to - *from > MAXDAYS * 86400LL)
		fail(400, "Bad Request", "start_date to end_date: at most 90 "
		    "days");
}

/* GET requests, or requests/{id} (one: 404 if there is none). */
static void
requests(struct case_db *db, const char *one)
{
	const char *ids = one != NULL ? one : param("service_request_id");
	const char *codes = param("service_code"), *status = param("status");
	const char *errstr;
	struct case_stmt *st;
	char *list, *p, *w;
	long long from, to, id;
	int n = 0;

	list_begin("service_requests");
	if (ids != NULL) {
		p = list = case_strdup(ids);
		while ((w = strsep(&p, ",")) != NULL && n < MAXLIST) {
			id = case_strtonum(w, 1, CASE_ID_MAX, &errstr);
			if (errstr != NULL) {
				free(list);
				fail(one != NULL ? 404 : 400, one != NULL ?
				    "Not Found" : "Bad Request",
				    "service_request_id is not a request's ID");
			}
			st = case_prepare(db, q_open311_request);
			case_bind_int(st, ":id", id);
			if (case_step(st) == CASE_ROW) {
				request_row(st);
				n++;
			}
			case_reset(st);
		}
		free(list);
		if (one != NULL && n == 0)
			fail(404, "Not Found", "no such service_request_id");
	} else {
		date_range(&from, &to);
		st = case_prepare(db, q_open311_requests);
		case_bind_int(st, ":start", from);
		case_bind_int(st, ":end", to);
		while (n < MAXLIST && case_step(st) == CASE_ROW)
			if (in_list(codes, case_col_text(st, 4)) &&
			    in_list(status, case_col_text(st, 1))) {
				request_row(st);
				n++;
			}
		case_reset(st);
	}
	list_end("service_requests");
}

/* lat and long: both or neither, in range (place.c's rule). */
static int
position(char pos[2][32])
{
	int which;

	switch (case_position(param("lat"), param("long"), pos, &which)) {
	case CASE_POS_NONE:
		return 0;
	case CASE_POS_UNPAIRED:
		fail(400, "Bad Request", "lat and long go together");
	case CASE_POS_NAN:
	case CASE_POS_RANGE:
		fail(400, "Bad Request", "lat or long out of range");
	}
	return 1;
}

/* "first last, email, phone, device id": the reporter, never shown. */
static char *
reporter(void)
{
	static const char *const f[] = { "first_name", "last_name", "email",
	    "phone", "device_id" };
	char *buf = NULL;
	size_t size = 0, i;
	const char *v, *sep = "";
	FILE *fp;

	if ((fp = open_memstream(&buf, &size)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if ((v = param(f[i])) != NULL) {
			fprintf(fp, "%s%s", i == 1 && *sep ? " " : sep, v);
			sep = ", ";
		}
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	return buf;
}

/* The description, then each attribute[code]=value on a line. */
static char *
description(const char *desc)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp;
	int i;

	if ((fp = open_memstream(&buf, &size)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	fputs(desc, fp);
	for (i = 0; i < par.n; i++)
		if (strncmp(par.name[i], "attribute[", 10) == 0 &&
		    *par.value[i] != '\0')
			fprintf(fp, "\n%s: %s", par.name[i], par.value[i]);
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	return buf;
}

static void
check_media(const char *url)
{
	const unsigned char *p;

	if (url == NULL)
		return;
	if (strlen(url) > MAXURL || (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0))
		fail(400, "Bad Request", "media_url is not an http(s) URL");
	for (p = (const unsigned char *)url; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			fail(400, "Bad Request", "media_url is not an http(s) "
			    "URL");
}

/* POST requests: a new case, by case-add's own path, in one transaction. */
static void
post_request(struct case_db *db)
{
	const char *code = param("service_code"), *desc = param("description");
	const char *addr = param("address_string"), *media = param("media_url");
	struct case_ctx ctx;
	struct case_new n;
	struct case_stmt *st;
	struct key k;
	char pos[2][32], *who, *text, *title;
	const char *why;
	long long id;
	int haspos;

	case_ctx_init(&ctx, db, "open311", 0, 1);
	find_key(db, &k);
	ctx.actor = k.name;
	if (code == NULL)
		fail(400, "Bad Request", "service_code is missing");
	if (!case_known(db, CASE_KNOWN_CATEGORY, code))
		fail(400, "Bad Request", "no such service_code");
	haspos = position(pos);
	if (!haspos && addr == NULL)
		fail(400, "Bad Request", "lat and long, or address_string, "
		    "are missing");
	if (desc == NULL)
		fail(400, "Bad Request", "description is missing");
	check_media(media);
	who = reporter();
	text = description(desc);
	title = case_utf8_prefix(desc, TITLELEN);
	case_new_init(&n);
	n.source = k.source;
	n.category = code;
	n.unit = k.unit;
	n.location = addr;
	n.reporter = who;
	n.title = title;
	n.description = text;
	n.lat = haspos ? pos[0] : NULL;
	n.lon = haspos ? pos[1] : NULL;
	if ((why = case_add(&ctx, &n, &id)) != NULL)
		fail(400, "Bad Request", why);
	st = case_prepare(db, q_open311_extra);
	case_bind_int(st, ":id", id);
	case_bind_text(st, ":media_url", media);
	case_step(st);
	case_commit(db);
	free(who), free(text), free(title);
	free(k.name), free(k.source), free(k.unit);
	/* The specification's answer has all three; we have no accounts. */
	list_begin("service_requests");
	item_begin("request");
	field_int("service_request_id", id);
	field("service_notice", "", 0);
	field("account_id", NULL, 0);
	item_end("request");
	list_end("service_requests");
}

/* GET servicerequestupdates: each event, as FixMyStreet reads them. */
static void
updates(struct case_db *db)
{
	struct case_stmt *st;
	long long from, to;
	int n = 0;

	date_range(&from, &to);
	st = case_prepare(db, q_open311_updates);
	case_bind_int(st, ":start", from);
	case_bind_int(st, ":end", to);
	list_begin("service_requests_updates");
	while (n++ < MAXLIST && case_step(st) == CASE_ROW) {
		item_begin("request_update");
		field_int("update_id", case_col_int(st, 0));
		field_int("service_request_id", case_col_int(st, 1));
		field("status", strcmp(case_col_text(st, 3), "closed") == 0 ?
		    "closed" : "open", 0);
		field_time("updated_datetime", st, 2);
		field("description", case_col_text(st, 4), 0);
		field("media_url", "", 0);
		item_end("request_update");
	}
	case_reset(st);
	list_end("service_requests_updates");
}

/* POST servicerequestupdates: a resident's comment, a note on the case. */
static void
post_update(struct case_db *db)
{
	const char *ids = param("service_request_id");
	const char *desc = param("description"), *media = param("media_url");
	const char *errstr, *why;
	struct case_ctx ctx;
	struct case_stmt *st;
	struct key k;
	char *note = NULL;
	size_t size = 0;
	long long id;
	FILE *fp;

	case_ctx_init(&ctx, db, "open311", 0, 1);
	find_key(db, &k);
	ctx.actor = k.name;
	if (ids == NULL)
		fail(400, "Bad Request", "service_request_id is missing");
	id = case_strtonum(ids, 1, CASE_ID_MAX, &errstr);
	if (errstr != NULL)
		fail(404, "Not Found", "no such service_request_id");
	/* Only a published case takes comments from the web. */
	st = case_prepare(db, q_open311_request);
	case_bind_int(st, ":id", id);
	if (case_step(st) != CASE_ROW)
		fail(404, "Not Found", "no such service_request_id");
	case_reset(st);
	if (desc == NULL)
		fail(400, "Bad Request", "description is missing");
	check_media(media);
	if ((fp = open_memstream(&note, &size)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	fprintf(fp, "%s%s%s", desc, media != NULL ? "\n" : "",
	    media != NULL ? media : "");
	if (fclose(fp) == EOF)
		err(CASE_EXIT_FATAL, "open_memstream");
	ctx.note = note;
	if ((why = case_note(&ctx, id)) != NULL)
		fail(400, "Bad Request", why);
	st = case_prepare(db, q_open311_last_event);
	case_bind_int(st, ":id", id);
	case_step(st);
	list_begin("service_request_updates");
	item_begin("request_update");
	field_int("update_id", case_col_int(st, 0));
	item_end("request_update");
	list_end("service_request_updates");
	case_reset(st);
	case_commit(db);
	free(note);
	free(k.name), free(k.source), free(k.unit);
}

/*
 * Answers one CGI/1.1 request (RFC 3875) with the GeoReport v2 method
 * its PATH_INFO names, in XML or JSON by its suffix, over the database
 * in CASE_DB, in one transaction.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *method, *qs, *path, *db_path;
	char *p, *q, *form = NULL, *route;
	struct case_db *db;
	int ch, post;

	case_init_prog(argv);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		switch (ch) {
		case 'h': usage(0); break;
		case 'V': case_version(); break;
		default: usage(CASE_EXIT_FATAL);
		}
	argc -= optind;
	argv += optind;
	if (argc != 0)
		usage(CASE_EXIT_FATAL);
	if ((method = getenv("REQUEST_METHOD")) == NULL)
		errx(CASE_EXIT_FATAL, _("REQUEST_METHOD is not set: a web "
		    "server runs this program (CGI)"));

	if ((body = open_memstream(&bodybuf, &bodysize)) == NULL)
		err(CASE_EXIT_FATAL, "open_memstream");
	path = getenv("PATH_INFO");
	route = case_strdup(path != NULL ? path : "");
	if ((p = strrchr(route, '.')) != NULL && strcmp(p, ".json") == 0)
		json = 1;
	else if (p == NULL || strcmp(p, ".xml") != 0)
		fail(404, "Not Found", "no such method: ask for .xml or .json");
	*p = '\0';
	post = strcmp(method, "POST") == 0;
	if (!post && strcmp(method, "GET") != 0)
		fail(405, "Method Not Allowed", "GET or POST only");
	qs = getenv("QUERY_STRING");
	if (qs != NULL && strlen(qs) > MAXBODY)
		fail(413, "Payload Too Large", "the query is over 65536 "
		    "bytes");
	q = case_strdup(qs != NULL ? qs : "");
	parse_form(q);
	if (post && (form = read_body()) != NULL)
		parse_form(form);

	db_path = getenv("CASE_DB");
	db = case_db_open(db_path != NULL && *db_path != '\0' ? db_path :
	    DEFAULT_DB, post ? CASE_DB_WRITE : CASE_DB_READ);
	if (!post)
		case_begin(db);
	if (strcmp(route, "/services") == 0 && !post)
		services(db);
	else if (strncmp(route, "/services/", 10) == 0 && !post)
		service(db, route + 10);
	else if (strcmp(route, "/requests") == 0)
		post ? post_request(db) : requests(db, NULL);
	else if (strncmp(route, "/requests/", 10) == 0 && !post)
		requests(db, route + 10);
	else if (strcmp(route, "/servicerequestupdates") == 0)
		post ? post_update(db) : updates(db);
	else
		fail(404, "Not Found", "no such method");
	if (!post)
		case_rollback(db);
	case_db_close(db);
	free(route), free(q), free(form);
	send(200, "OK");
}
