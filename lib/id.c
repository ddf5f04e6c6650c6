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

	*id = case_strtonum(s, 1, CASE_ID_MAX, &errstr);
	return errstr == NULL ? 0 : -1;
}

/* The ID a word names, or -1 once said why it names none. */
long long
case_id_parse(const char *s)
{
	long long id;
	char *w;

	if (parse_id(s, &id) == 0)
		return id;
	w = case_utf8_prefix(s, 40);
	warnx(_("%s%s: invalid case ID"), case_esc(w),
	    strlen(s) > strlen(w) ? "..." : "");
	free(w);
	return -1;
}

static void
add(char ***w, size_t *n, const char *s)
{
	*w = case_reallocarray(*w, *n + 1, sizeof **w);
	(*w)[(*n)++] = s != NULL ? case_strdup(s) : NULL;
}

/*
 * The ID words: the operands, or with none the first field (up to a
 * blank) of each line of standard input, so that the output of case-list
 * pipes straight in.  Blank lines are skipped.  A terminal on standard
 * input would only make the program wait, so that is a usage error
 * rather than a different behaviour.  Returns the number of words.
 */
size_t
case_id_words(int argc, char **argv, char ***words)
{
	char *line = NULL, *p;
	size_t size = 0, n = 0;
	ssize_t len;
	int i;

	*words = NULL;
	if (argc > 0) {
		for (i = 0; i < argc; i++)
			add(words, &n, argv[i]);
		return n;
	}
	if (isatty(STDIN_FILENO))
		errx(CASE_EXIT_FATAL, _("no case IDs given and standard input "
		    "is a terminal"));
	while ((len = getline(&line, &size, case_stdin())) != -1) {
		if (memchr(line, '\0', (size_t)len) != NULL) {
			warnx(_("stdin: NUL byte in input"));
			add(words, &n, NULL);	/* a bad item, reported */
			continue;
		}
		p = line + strspn(line, " \t");
		p[strcspn(p, " \t\r\n")] = '\0';
		if (*p != '\0')
			add(words, &n, p);
	}
	if (ferror(stdin))
		err(CASE_EXIT_FATAL, "stdin");
	free(line);
	return n;
}

/*
 * Calls fn for each ID word, in order; an invalid one is reported and
 * counted.  Returns the number of IDs that were bad or that fn rejected.
 * The words are freed.
 */
int
case_id_each(char **words, size_t n, case_id_fn fn, void *arg)
{
	long long id;
	size_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		if (words[i] == NULL)
			bad++;
		else if ((id = case_id_parse(words[i])) == -1)
			bad++;
		else if (fn(id, arg) != 0)
			bad++;
		free(words[i]);
	}
	free(words);
	return bad;
}

int
case_loop(int argc, char **argv, case_id_fn fn, void *arg)
{
	char **words;
	size_t n = case_id_words(argc, argv, &words);

	return case_id_each(words, n, fn, arg);
}
