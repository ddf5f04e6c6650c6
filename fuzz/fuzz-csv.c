/*
 * csv.c - fuzz the CSV reader (lib/csv.c on libcsv), as case-add --csv
 * and case-init use it: every record of a file, to the end or the first
 * error.  An input starting with byte 0x01 is read as GB18030 instead.
 */
#include "fuzz.h"
#include "case.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *enc = NULL;
	struct case_csv *c;
	char path[64], **f;
	size_t total = 0;
	long line, last = 0;
	int fd, n, i, rc;

	if (size > 0 && data[0] == 1) {
		enc = "GB18030";
		data++, size--;
	}
	fd = fuzz_file(data, size);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	c = case_csv_open(path, enc);
	while ((rc = case_csv_next(c, &f, &n, &line)) == 1) {
		/* Records come in order, each on a line of the input. */
		if (n < 1 || line < 1 || line < last)
			abort();
		last = line;
		for (i = 0; i < n; i++)
			total += strlen(f[i]);
	}
	if (rc == -1 && case_csv_error(c)[0] == '\0')
		abort();	/* an error must say why */
	if (total > size * 4 + 64)
		abort();	/* fields cannot outgrow the file */
	case_csv_close(c);
	close(fd);
	return 0;
}
