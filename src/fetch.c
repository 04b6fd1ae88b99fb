#include "fetch.h"

#include "recipe.h"
#include "util.h"
#include "world.h"

int fetch_sources(const struct world *w, const struct recipe *const *recipes, size_t n)
{
	(void)w;
	(void)recipes;
	(void)n;
	return error("fetching is not ready yet (issue 3)");
}

int fetch_checksum(const struct world *w, const struct recipe *r)
{
	(void)w;
	(void)r;
	return error("checksum is not ready yet (issue 3)");
}
