/* Durations as a person reads them in build output. */
#include <stdio.h>
#include <string.h>

#include "src/buildview.h"
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
	return tap_done();
}
