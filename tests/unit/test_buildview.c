/* Durations as a person reads them in build output. */
#include <stdio.h>
#include <string.h>

#include "src/buildview.h"
#include "src/recipe.h"
#include "tap.h"

static void duration(double s, const char *want)
{
	char buf[32];
	format_duration(s, buf, sizeof buf);
	if (!ok(!strcmp(buf, want), "%.2f seconds read %s", s, want))
		printf("#   got: '%s'\n", buf);
}

int main(void)
{
	duration(0, "0.0s");
	duration(-1, "0.0s");
	duration(0.44, "0.4s");
	duration(9.94, "9.9s");
	duration(10, "10s");
	duration(52.4, "52s");
	duration(59.6, "1m00s");
	duration(592.3, "9m52s");
	duration(3599, "59m59s");
	duration(3600, "1h00m");
	duration(3900, "1h05m");
	duration(90061, "25h01m");

	/* What counts as done in "x86_64 3/11 done": built or from the cache. */
	struct buildview v;
	struct recipe r = { 0 };
	r.name = "p";
	r.version = "1";
	buildview_init(&v, "# x86_64", 0, 3, 120); /* its lines read as TAP comments */
	buildview_ended(&v, &r, "done in", 1);
	buildview_ended(&v, &r, "from the cache in", 1);
	buildview_ended(&v, &r, "failed in build after", 1);
	if (!ok(v.done == 2, "a package from the cache counts as done, a failed one does not"))
		printf("#   got: %zu done\n", v.done);
	return tap_done();
}
