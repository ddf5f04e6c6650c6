/* case-rework [-hnq] [-d file] [--actor name] [--at time] [--note text] [id ...] - send handled cases back to the unit */
#include <stddef.h>

#include "case.h"

/* Sends each handled case back to its unit when verification fails (返工). */
int
main(int argc, char *argv[])
{
	static const struct case_cmd cmd = {
		N_("case-rework [-hnq] [-d file] [--actor name] [--at time] [--note text]\n                   [id ...]"),
		NULL, NULL, NULL, case_rework, NULL
	};

	return case_run(argc, argv, &cmd);
}
