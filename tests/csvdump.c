/* csvdump file - every record of a CSV file, as read by casekit, in JSON */
#include <err.h>
#include <stdio.h>

#include "case.h"

/*
 * One JSON array of strings per record, so that a test can compare what
 * lib/csv.c reads with a conformance suite's expected parse.  Exit 1 and
 * the reader's message on a malformed file.
 */
int
main(int argc, char *argv[])
{
	struct case_csv *c;
	char **f;
	int n, i, rc;
	long line;

	if (argc != 2 && argc != 3)
		errx(2, "usage: csvdump file [encoding]");
	c = case_csv_open(argv[1], argc == 3 ? argv[2] : NULL);
	while ((rc = case_csv_next(c, &f, &n, &line)) == 1) {
		printf("[");
		for (i = 0; i < n; i++) {
			if (i > 0)
				putchar(',');
			case_json_string(stdout, f[i]);
		}
		printf("]\n");
	}
	if (rc == -1) {
		warnx("%s", case_csv_error(c));
		case_csv_close(c);
		return 1;
	}
	case_csv_close(c);
	return 0;
}
