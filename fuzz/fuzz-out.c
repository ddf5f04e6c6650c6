/*
 * out.c - fuzz the renderers with hostile cell values: every format of
 * lib/out.c (table, TSV, CSV, JSON), the terminal escaping and width,
 * and --mask and the formula guard of lib/interchange.c.  The input is
 * split into cells at byte 0x1f.
 */
#include "fuzz.h"
#include "case.h"

static FILE *devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = { "id", "title", "count", "note" };
	char *s = fuzz_str(data, size), *p = s, *m;
	const char *cells[4];
	struct case_out *o;
	int fmt, i;

	for (i = 0; i < 4; i++)
		cells[i] = p != NULL ? strsep(&p, "\037") : NULL;
	for (fmt = CASE_FMT_TABLE; fmt <= CASE_FMT_JSON; fmt++) {
		o = case_out_open(devnull, fmt, 4, names, "itnt", 1);
		case_out_row(o, cells);
		case_out_row(o, names);
		case_out_close(o);
	}
	for (i = 0; i < 4; i++) {
		if (cells[i] == NULL)
			continue;
		case_escape_ctl(devnull, cells[i]);
		if (case_width(cells[i]) < 0)
			abort();
		case_json_string(devnull, cells[i]);
		case_csv_field(devnull, cells[i], i == 0);
		m = case_mask(cells[i], i % 2);
		if (strlen(m) > strlen(cells[i]) * 3)
			abort();
		free(m);
		if (case_guard_needed(cells[i]))
			case_unguard(cells[i]);
		case_utf8_valid(cells[i], strlen(cells[i]));
	}
	free(s);
	return 0;
}
