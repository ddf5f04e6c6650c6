/* id.c - case IDs from the arguments, or else from standard input */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"

/* A case ID is a positive decimal integer, shown as is. */
static int
parse_id(const char *s, long long *id)
{
	const char *errstr;

	*id = case_strtonum(s, 1, 999999999999999LL, &errstr);
	return errstr == NULL ? 0 : -1;
}

static int
one(const char *s, case_id_fn fn, void *arg, int *bad)
{
	long long id;

	if (parse_id(s, &id) == -1) {
		warnx("%s: invalid case ID", s);
		(*bad)++;
		return 0;
	}
	if (fn(id, arg) != 0)
		(*bad)++;
	return 1;
}

/*
 * Calls fn for each ID operand, or with none for the first field (up to
 * a blank) of each line of standard input, so that the output of
 * case-list pipes straight in.  Blank lines are skipped.  A terminal on
 * standard input would only make the program wait, so that is a usage
 * error rather than a different behaviour.  Returns the number of IDs
 * that were bad or that fn rejected.
 */
int
case_loop(int argc, char **argv, case_id_fn fn, void *arg)
{
	char *line = NULL, *p;
	size_t size = 0;
	ssize_t len;
	int i, bad = 0;

	if (argc > 0) {
		for (i = 0; i < argc; i++)
			one(argv[i], fn, arg, &bad);
		return bad;
	}
	if (isatty(STDIN_FILENO))
		errx(CASE_EXIT_FATAL, "no case IDs given and standard input "
		    "is a terminal");
	while ((len = getline(&line, &size, stdin)) != -1) {
		if (memchr(line, '\0', (size_t)len) != NULL) {
			warnx("stdin: NUL byte in input");
			bad++;
			continue;
		}
		p = line + strspn(line, " \t");
		p[strcspn(p, " \t\r\n")] = '\0';
		if (*p != '\0')
			one(p, fn, arg, &bad);
	}
	if (ferror(stdin))
		err(CASE_EXIT_FATAL, "stdin");
	free(line);
	return bad;
}
