/* case-escalate [-hn] [-d file] [-w seconds] [--note text] - every overdue case one level up, from cron */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout, _("usage: case-escalate [-hn] "
	    "[-d file] [-w | --wait seconds] [--note text]\n"));
	case_usage_exit(status);
}

static size_t
lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/*
 * The nightly job: every overdue case escalated one level up the unit
 * tree, or supervised at the top, by case-assign in one transaction.
 * Quiet on success; logs to syslog; one copy at a time.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db",		required_argument, NULL, 'd' },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "note",	required_argument, NULL, 'N' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ "wait",	required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbopt = NULL, *note;
	char *assign, *out, *errs, *cmd[12];
	int ch, dryrun = 0, wait = 60, rc, n = 0;

	case_init_prog(argv);
	case_job_init();
	if ((note = getenv("CASE_ESCALATE_NOTE")) == NULL || *note == '\0')
		note = "逾期未办结，自动上提一级";
	while ((ch = getopt_long(argc, argv, "d:hnw:", opts, NULL)) != -1)
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'h': usage(0); break;
		case 'N': note = optarg; break;
		case 'n': dryrun = 1; break;
		case 'V': case_version(); break;
		case 'w': wait = case_job_wait(optarg); break;
		default: usage(CASE_EXIT_FATAL);
		}
	if (optind != argc)
		usage(CASE_EXIT_FATAL);
	dbopt = case_db_path(dbopt);
	/* A dry run changes nothing, not even a lock file. */
	if (!dryrun)
		case_db_lock(dbopt, "escalate.lock", wait);

	assign = case_job_sibling("case-assign");
	cmd[n++] = assign;
	cmd[n++] = "-d";
	cmd[n++] = (char *)dbopt;
	cmd[n++] = "--escalate";
	cmd[n++] = "--all-overdue";
	cmd[n++] = "--note";
	cmd[n++] = (char *)note;
	if (dryrun)
		cmd[n++] = "--dry-run";
	cmd[n] = NULL;
	rc = case_job_run(cmd, NULL, &out, &errs);
	free(assign);
	if (dryrun) {
		/* What would be done is case-assign's --dry-run listing. */
		fputs(out, stdout);
		fputs(errs, stderr);
		case_finish_stdout();
	} else {
		if (rc > 1 || (rc != 0 && errs[0] == '\0'))
			case_job_fail("case-assign", rc, errs);
		/* Some cases refused (exit 1), or a warning: said, not fatal. */
		if (errs[0] != '\0')
			case_job_report("case-assign", rc, errs);
		case_job_log("info", _("escalated or supervised: %zu"),
		    lines(out));
	}
	free(out);
	free(errs);
	return rc;
}
