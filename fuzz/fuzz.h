/*
 * fuzz.h - what the harnesses share: the input as a NUL-terminated
 * string or as a file, and errx() turned into a return to the harness.
 *
 * Each harness (fuzz/fuzz-*.c) is built twice: with clang -fsanitize=fuzzer for fuzz/run,
 * and with replay.c and any C compiler to replay fuzz/regress and the
 * seeds in tests/1430-fuzz-regress.t.  Both link with -Wl,--wrap=errx,
 * so that a parser that rejects its input with errx(3), as case_filter_opt
 * does, returns here instead of ending the fuzzer.
 */
#include <sys/mman.h>

#include <err.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	 LLVMFuzzerInitialize(int *, char ***);
void	 __wrap_errx(int, const char *, ...);
void	 __real_errx(int, const char *, ...);

static jmp_buf fuzz_jmp;
static int fuzz_armed;		/* errx() returns to fuzz_jmp */

void
__wrap_errx(int status, const char *fmt, ...)
{
	va_list ap;

	if (fuzz_armed)
		longjmp(fuzz_jmp, 1);
	va_start(ap, fmt);
	verrx(status, fmt, ap);
}

/* The input as a string the caller frees (ASan sees overreads). */
static char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* The input in an anonymous file, read from its start. */
static int
fuzz_file(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", 0);

	if (fd == -1 || write(fd, data, size) != (ssize_t)size ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}
