#include "initrd.h"

#include "util.h"

int initrd_pack(const struct initrd_opts *opts)
{
	(void)opts;
	return error("the initrd writer is not ready yet (issue 6)");
}
