#include "epoch.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Plain digits: strtoll would take " 12", "+12", "-1" and "12abc" apart. */
static bool is_seconds(const char *s)
{
	size_t n = strspn(s, "0123456789");
	return n > 0 && n <= 18 && !s[n];
}

int epoch_from_env(long long *out)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	*out = 0;
	if (!s || !*s)
		return 0;
	if (!is_seconds(s))
		return error("SOURCE_DATE_EPOCH '%s' is not a number of seconds since 1970 (0-%lld)", s,
			     EPOCH_MAX);
	long long v = strtoll(s, NULL, 10);
	if (v > EPOCH_MAX)
		return error("SOURCE_DATE_EPOCH %lld is out of range; cpio newc holds 0-%lld", v,
			     EPOCH_MAX);
	*out = v;
	return 0;
}
