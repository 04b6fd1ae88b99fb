#include "hosted.h"

#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "util.h"

static struct arch **made;
static size_t nmade, capmade;

const struct arch *hosted_arch(const struct arch *host, const struct arch *target)
{
	for (size_t i = 0; i < nmade; i++)
		if (made[i]->host == host && made[i]->target == target)
			return made[i];
	struct arch *a = xcalloc(1, sizeof *a);
	*a = *target; /* the target's file, values and triplet */
	a->name = xasprintf("%s-hosted-%s", host->name, target->name);
	a->aliases = NULL;
	a->naliases = 0;
	a->host = host;
	a->target = target;
	a->host_group = xasprintf("host-%s", host->name);
	xgrow(&made, &capmade, nmade + 1, sizeof *made);
	made[nmade++] = a;
	return a;
}
