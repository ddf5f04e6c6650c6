/* case-handle [-hnq] [-d file] [--actor name] [--at time] [--note text] [id ...] - report cases handled */
#include <stddef.h>

#include "case.h"

/* Marks each assigned case handled by its unit (处置反馈), to be verified. */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-handle [-hnq] [-d file] [--actor name] [--at time] [--note text]\n                   [id ...]"),
		NULL, NULL, NULL, case_handle, NULL
	};

	return case_run(argc, argv, &cmd);
}
