/*
 * optdump.c - the options a program accepts, for tests/1700-completion.t.
 *
 * Loaded with LD_PRELOAD, it takes the place of the C library's getopt
 * and getopt_long: at the program's first call it prints the short
 * options (-x) and the long ones (--name) that the call would accept,
 * one a line, and exits 0 before the program has done anything.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

static void
dump(const char *shortopts, const struct option *longopts)
{
	const char *s;

	for (s = shortopts; *s != '\0'; s++)
		if (*s != ':' && *s != '+' && *s != '-')
			printf("-%c\n", *s);
	for (; longopts != NULL && longopts->name != NULL; longopts++)
		printf("--%s\n", longopts->name);
	fflush(stdout);
	_exit(0);
}

int
getopt_long(int argc, char *const argv[], const char *shortopts,
    const struct option *longopts, int *longindex)
{
	(void)argc;
	(void)argv;
	(void)longindex;
	dump(shortopts, longopts);
	return -1;
}

int
getopt(int argc, char *const argv[], const char *shortopts)
{
	(void)argc;
	(void)argv;
	dump(shortopts, NULL);
	return -1;
}
