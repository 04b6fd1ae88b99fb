/* initrd_pack: the initrd writer alone, for bench/initrd.sh.
 * usage: initrd_pack ROOT OUT [INIT [OVERLAY]]
 * COMPRESS, COMPRESS_LEVEL and SOURCE_DATE_EPOCH as for bootstrap. */
#include <stdio.h>

#include "src/initrd.h"

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 5) {
		fputs("usage: initrd_pack ROOT OUT [INIT [OVERLAY]]\n", stderr);
		return 2;
	}
	struct initrd_opts o = { .root = argv[1], .out = argv[2] };
	if (argc > 3 && *argv[3])
		o.init = argv[3];
	if (argc > 4)
		o.overlay = argv[4];
	if (initrd_opts_from_env(&o) < 0)
		return 2;
	return initrd_pack(&o) < 0 ? 1 : 0;
}
