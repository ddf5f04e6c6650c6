/*
 * id.c - fuzz the ID and filter parsers: case_strtonum, case_loop
 * reading IDs from standard input (a pipe's worth of lines) and from
 * arguments, and case_filter_opt with each filter option.  The first
 * byte picks the filter option; the rest is the text.
 */
#include "fuzz.h"
#include "case.h"

/* Every character of case_filter_sql's fixed fragments. */
#define SQLCHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
	"0123456789 _.:'=<>(),+"

static long nids;

static int
id_fn(long long id, void *arg)
{
	(void)arg;
	if (id < 1 || id > 999999999999999LL)
		abort();	/* case_loop passed on a bad ID */
	nids++;
	return id % 7 == 0;	/* some IDs are refused by the callback */
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	setenv("TZ", "CST-8", 1);
	setenv("CASE_NOW", "2024-05-09T09:00:00+08:00", 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int opts[] = { CASE_OPT_STATUS, CASE_OPT_OVERDUE,
	    CASE_OPT_UNIT, CASE_OPT_CATEGORY, CASE_OPT_SOURCE, CASE_OPT_SINCE,
	    CASE_OPT_UNTIL, CASE_OPT_CLOSED_SINCE, CASE_OPT_CLOSED_UNTIL,
	    CASE_OPT_DUE_WITHIN };
	struct case_filter f;
	const char *errstr;
	char *s, *arg, **argv, *p;
	long long v;
	int fd, argc, bad;
	char *sql;

	if (size == 0)
		return 0;
	s = fuzz_str(data, size);
	v = case_strtonum(s, 1, 999999999999999LL, &errstr);
	if (errstr == NULL && (v < 1 || v > 999999999999999LL))
		abort();

	/* IDs on standard input. */
	fd = fuzz_file(data, size);
	if (dup2(fd, STDIN_FILENO) == -1)
		abort();
	close(fd);
	clearerr(stdin);
	fseek(stdin, 0, SEEK_SET);
	nids = 0;
	bad = case_loop(0, NULL, id_fn, NULL);
	if (bad < 0 || nids < 0)
		abort();

	/* The same text as arguments, one a line. */
	argv = malloc((size + 1) * sizeof *argv);
	for (argc = 0, p = s; p != NULL; argc++)
		argv[argc] = strsep(&p, "\n");
	case_loop(argc, argv, id_fn, NULL);
	free(argv);

	/* A filter option, then the WHERE clause it makes. */
	arg = fuzz_str(data + 1, size - 1);
	case_filter_init(&f, CASE_ST_OPEN);
	fuzz_armed = 1;
	if (setjmp(fuzz_jmp) == 0) {
		case_filter_opt(&f, opts[data[0] % 10], arg);
		sql = case_filter_sql(&f);
		/* Only fixed fragments: no byte of the text gets in. */
		for (p = sql; *p != '\0'; p++)
			if (strchr(SQLCHARS, *p) == NULL)
				abort();
		free(sql);
	}
	fuzz_armed = 0;
	free(arg);
	free(s);
	return 0;
}
