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
	fprintf(status ? stderr : stdout, "usage: case-escalate [-hn] "
	    "[-d file] [-w | --wait seconds] [--note text]\n");
	exit(status);
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
 * Whether the case-assign beside us selects the overdue cases itself,
 * inside its write transaction (--all-overdue).  Until every case-assign
 * does, the listing is made by case-list, as the shell script did: a
 * case closed in between is then refused by case-assign (exit 1).
 */
static int
all_overdue(const char *assign)
{
	char *argv[] = { (char *)assign, "--help", NULL };
	char *out, *errs;
	int yes;

	case_job_run(argv, NULL, &out, &errs);
	yes = strstr(out, "--all-overdue") != NULL;
	free(out);
	free(errs);
	return yes;
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
	char *lock, *assign, *out, *errs, *ids = NULL, *cmd[12];
	int ch, dryrun = 0, wait = 60, rc, n = 0;

	case_init_prog();
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
	if (asprintf(&lock, "%s.escalate.lock", dbopt) == -1)
		err(CASE_EXIT_FATAL, "asprintf");
	/* A dry run changes nothing, not even a lock file. */
	if (!dryrun)
		case_lock(lock, wait);
	free(lock);

	assign = case_job_sibling("case-assign");
	if (!all_overdue(assign)) {
		char *list[] = { case_job_sibling("case-list"), "-d",
		    (char *)dbopt, "--overdue", "--format", "tsv", NULL };

		if ((rc = case_job_run(list, NULL, &ids, &errs)) > 1)
			case_job_fail("case-list", rc, errs);
		free(errs);
		free(list[0]);
		if (ids[0] == '\0') {
			if (!dryrun)
				case_job_log("info", "escalated or supervised: 0");
			free(ids);
			free(assign);
			return CASE_EXIT_OK;
		}
	}
	cmd[n++] = assign;
	cmd[n++] = "-d";
	cmd[n++] = (char *)dbopt;
	cmd[n++] = "--escalate";
	if (ids == NULL)
		cmd[n++] = "--all-overdue";
	cmd[n++] = "--note";
	cmd[n++] = (char *)note;
	if (dryrun)
		cmd[n++] = "--dry-run";
	cmd[n] = NULL;
	rc = case_job_run(cmd, ids, &out, &errs);
	free(ids);
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
		case_job_log("info", "escalated or supervised: %zu",
		    lines(out));
	}
	free(out);
	free(errs);
	return rc;
}
