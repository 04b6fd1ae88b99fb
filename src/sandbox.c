#include "sandbox.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

enum mode { MODE_AUTO, MODE_ON, MODE_OFF, MODE_BAD };

static enum mode read_mode(void)
{
	const char *v = getenv("SANDBOX");
	if (!v || !*v || !strcmp(v, "auto"))
		return MODE_AUTO;
	return !strcmp(v, "on") ? MODE_ON : !strcmp(v, "off") ? MODE_OFF : MODE_BAD;
}

int sandbox_setting_check(void)
{
	if (read_mode() == MODE_BAD)
		return error("SANDBOX='%s': want auto (the default), on or off", getenv("SANDBOX"));
	return 0;
}

/* Can bwrap make the sandbox here (user namespaces, a network namespace)? */
static bool bwrap_works(void)
{
	const char *argv[] = { "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--unshare-net",
			       "--", "true", NULL };
	struct run r = RUN_INIT;
	r.argv = argv;
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	r.log_fd = fd;
	int status = run_quiet(&r);
	if (fd >= 0)
		close(fd);
	return status == 0;
}

int sandbox_enabled(void)
{
	static int known = -2;
	if (known != -2)
		return known;
	enum mode m = read_mode();
	if (m == MODE_OFF || m == MODE_BAD)
		return known = 0;
	if (bwrap_works())
		return known = 1;
	if (m == MODE_ON)
		return known = error("SANDBOX=on, but bwrap cannot make a sandbox here (install "
				     "bubblewrap; it needs user namespaces); SANDBOX=auto builds without");
	fprintf(stderr, "bootstrap: note: steps run without a sandbox: bwrap is missing or cannot make "
			"one here (install bubblewrap; SANDBOX=off silences this)\n");
	return known = 0;
}

const char **sandbox_argv(const char *const *argv, const char *const *readable, size_t nread,
			  const char *const *writable, size_t nwrite)
{
	static const char *const head[] = {
		"bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
		"--unshare-net", "--die-with-parent", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp",
	};
	size_t nhead = sizeof head / sizeof head[0], nargv = 0;
	while (argv[nargv])
		nargv++;
	const char **out = xcalloc(nhead + 3 * (nread + nwrite) + 1 + nargv + 1, sizeof *out);
	size_t n = 0;
	for (size_t i = 0; i < nhead; i++)
		out[n++] = head[i];
	/* After the private /tmp: folders under /tmp must be bound again. */
	for (size_t i = 0; i < nread; i++) {
		out[n++] = "--ro-bind";
		out[n++] = readable[i];
		out[n++] = readable[i];
	}
	for (size_t i = 0; i < nwrite; i++) {
		out[n++] = "--bind";
		out[n++] = writable[i];
		out[n++] = writable[i];
	}
	out[n++] = "--";
	for (size_t i = 0; i < nargv; i++)
		out[n++] = argv[i];
	out[n] = NULL;
	return out;
}

void sandbox_argv_free(const char **argv)
{
	free(argv);
}

const char *sandbox_hint(void)
{
	return "the step ran in the sandbox: no network, and it may write only its build folder, "
	       "its install folders and /tmp (README.md, \"Sandbox\"; SANDBOX=off runs steps without it)";
}
