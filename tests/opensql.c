/* opensql [-k list|export|open311|escalate|unsigned] [filters] - a statement's SQL */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "store.h"

/*
 * Prints, on one line, the SQL a program would run for the filters
 * given as case-list takes them (open cases by default): case-list's
 * (-k list), case-export's, case-export --headers open311's, or the
 * escalation's scan of overdue cases (-k escalate, case-assign
 * --all-overdue), or the unsigned list's (-k unsigned, case-list
 * --unsigned), so that a test can ask the engine how it would run
 * it (tests/0510-open-work.t) without typing the SQL again.
 */
int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		CASE_FILTER_OPTIONS,
		{ "kind",	required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *kinds[] = { "list", "export", "events", "open311" };
	struct case_filter f;
	const char *kind = "list";
	char *sql;
	int ch, k;

	case_init_prog(argv);
	case_filter_init(&f, CASE_ST_OPEN);
	while ((ch = getopt_long(argc, argv, "k:", opts, NULL)) != -1)
		if (ch == 'k')
			kind = optarg;
		else if (!case_filter_opt(&f, ch, optarg))
			errx(2, "usage: opensql [-k kind] [filters]");
	if (optind != argc)
		errx(2, "usage: opensql [-k kind] [filters]");
	if (strcmp(kind, "escalate") == 0) {
		printf("%s\n", q_lifecycle_overdue_ids);
		return 0;
	}
	if (strcmp(kind, "unsigned") == 0) {
		printf("%s\n", q_query_unsigned);
		return 0;
	}
	for (k = 0; k < (int)(sizeof kinds / sizeof kinds[0]); k++)
		if (strcmp(kind, kinds[k]) == 0)
			break;
	if (k == (int)(sizeof kinds / sizeof kinds[0]))
		errx(2, "opensql: no kind %s", kind);
	sql = case_query_sql(k, &f);
	printf("%s\n", sql);
	free(sql);
	return 0;
}
