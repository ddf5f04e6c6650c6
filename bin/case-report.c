/* case-report [-hn] [-d file] [-o dir] [-w seconds] [--mail address] - the nightly report, text and HTML, from cron */
#include <err.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, _("usage: case-report [-hn] "
	    "[-d file] [-o | --dir dir] [-w | --wait seconds]\n"
	    "                   [--mail address]\n"));
	case_usage_exit(status);
}

static const char *db;

/*
 * One part of the report: what a casekit program prints.  Exit 1 is
 * "nothing matched" (no overdue case), not a failure.
 */
static char *
part(const char *prog, ...)
{
	char *argv[16], *out, *errs;
	va_list ap;
	int n = 0, rc;

	argv[n++] = case_job_sibling(prog);
	argv[n++] = "-d";
	argv[n++] = (char *)db;
	va_start(ap, prog);
	while ((argv[n] = va_arg(ap, char *)) != NULL && n < 15)
		n++;
	va_end(ap);
	argv[n] = NULL;
	rc = case_job_run(argv, NULL, &out, &errs);
	if (rc > 1 || errs[0] != '\0')
		case_job_fail(prog, rc, errs);
	free(errs);
	free(argv[0]);
	return out;
}

/*
 * A new version of path with text in it, a file of the group's to read,
 * none to write; readied, to be put in place by case_file_commit().
 */
static struct case_file *
put(const char *path, const char *text)
{
	struct case_file *f = case_file_open(path, 0640, (gid_t)-1);

	fputs(text, case_file_fp(f));
	case_file_ready(f);
	return f;
}

/*
 * The nightly report of yesterday, by the casekit clock: figures by
 * street and by category, the open cases by street, every overdue case;
 * as text, and as HTML by case-report-html.  Quiet on success.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db",		required_argument, NULL, 'd' },
		{ "dir",	required_argument, NULL, 'o' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "mail",	required_argument, NULL, 'M' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ "wait",	required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir, *mailto;
	struct case_file *tf, *hf;
	char *txt, *html, *text, *page, *out, *errs, *p[4];
	char day[16], subj[64];
	int ch, dryrun = 0, wait = 60, rc, i;
	struct tm tm;
	time_t t;

	case_init_prog(argv);
	case_job_init();
	if ((dir = getenv("CASE_REPORT_DIR")) == NULL || *dir == '\0')
		dir = ".";
	mailto = getenv("CASE_REPORT_MAILTO");
	while ((ch = getopt_long(argc, argv, "d:hno:w:", opts, NULL)) != -1)
		switch (ch) {
		case 'd': db = optarg; break;
		case 'h': usage(0); break;
		case 'M': mailto = optarg; break;
		case 'n': dryrun = 1; break;
		case 'o': dir = optarg; break;
		case 'V': case_version(); break;
		case 'w': wait = case_job_wait(optarg); break;
		default: usage(CASE_EXIT_FATAL);
		}
	if (optind != argc)
		usage(CASE_EXIT_FATAL);
	db = case_db_path(db);

	/* Yesterday by the case clock, so that a replay names its day. */
	t = (time_t)case_now();
	localtime_r(&t, &tm);
	tm.tm_mday--;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	localtime_r(&t, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	if (asprintf(&txt, "%s/report-%s.txt", dir, day) == -1 ||
	    asprintf(&html, "%s/report-%s.html", dir, day) == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	if (dryrun) {
		printf(_("would write %s\nwould write %s\n"), txt, html);
		if (mailto != NULL && *mailto != '\0')
			printf(_("would mail %s to %s\n"), txt, mailto);
		case_finish_stdout();
		free(txt), free(html);
		return CASE_EXIT_OK;
	}
	case_db_lock(db, "report.lock", wait);

	p[0] = part("case-stats", "--since", "yesterday", "--until",
	    "yesterday", "--by", "unit:street", "--format", "table", NULL);
	p[1] = part("case-stats", "--since", "yesterday", "--until",
	    "yesterday", "--by", "category", "--format", "table", NULL);
	p[2] = part("case-stats", "--status", "open", "--by", "unit:street",
	    "--format", "table", NULL);
	p[3] = part("case-list", "--overdue", "--format", "table", NULL);
	if (asprintf(&text, "案件日报 %s\n\n"
	    "== 昨日受理与办结（按街镇）\n%s\n"
	    "== 昨日（按类别）\n%s\n"
	    "== 全部在办案件（按街镇）\n%s\n"
	    "== 逾期案件\n%s", day, p[0], p[1], p[2], p[3]) == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	for (i = 0; i < 4; i++)
		free(p[i]);
	page = part("case-report-html", NULL);
	/* Both whole and on disk before either takes its name. */
	tf = put(txt, text);
	hf = put(html, page);
	case_file_commit(tf);
	case_file_commit(hf);
	free(page);
	if (mailto != NULL && *mailto != '\0') {
		char *mail[] = { "mail", "-s", subj, (char *)mailto, NULL };

		snprintf(subj, sizeof subj, "案件日报 %s", day);
		if ((rc = case_job_run(mail, text, &out, &errs)) != 0)
			case_job_fail("mail", rc, errs);
		free(out);
		free(errs);
	}
	free(text);
	case_job_log("info", _("wrote %s and %s"), txt, html);
	free(txt);
	free(html);
	return CASE_EXIT_OK;
}
