#include "build.h"

#include "util.h"

int build_run(const struct world *w, const struct plan *plan)
{
	(void)w;
	(void)plan;
	return error("building is not ready yet (issue 4)");
}

int build_status(const struct world *w, const struct plan *plan)
{
	(void)w;
	(void)plan;
	return error("status is not ready yet (issue 4)");
}

int build_reset(const struct world *w, const struct plan *plan, const char *pkg)
{
	(void)w;
	(void)plan;
	(void)pkg;
	return error("reset is not ready yet (issue 4)");
}

int build_shell(const struct world *w, const struct plan *plan, const char *pkg)
{
	(void)w;
	(void)plan;
	(void)pkg;
	return error("shell is not ready yet (issue 4)");
}

int build_initrd(const struct world *w, const struct arch *arch)
{
	(void)w;
	(void)arch;
	return error("initrd is not ready yet (issue 6)");
}
