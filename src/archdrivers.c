#include "archdrivers.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buildview.h"
#include "jobserver.h"
#include "multiview.h"
#include "signals.h"
#include "util.h"

/* Waits for driver i; a signal the parent catches meanwhile goes on to every
 * arch's driver, so that SIGTERM to the pid a lock names stops them all. */
static int wait_arch_driver(const pid_t *pids, size_t n, size_t i, int *status)
{
	bool passed_on = false;
	while (waitpid(pids[i], status, 0) < 0) {
		if (errno != EINTR)
			return -1;
		for (size_t j = 0; signals_caught() && !passed_on && j < n; j++)
			if (pids[j] > 0)
				kill(pids[j], signals_caught());
		passed_on = signals_caught() != 0;
	}
	return 0;
}

/* On a terminal the drivers write into pipes, and multiview draws one live
 * line per arch; elsewhere they write to our stdout and stderr, a line at a
 * time. */
static pid_t start_arch_driver(const struct world *w, const struct arch *a, arch_driver_fn drive,
			       const void *ctx, struct multiview_child *kid, bool relay)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 };
	*kid = (struct multiview_child){ -1, -1, -1 };
	if (relay && (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)) {
		error("cannot make a pipe for the %s build: %s", a->name, strerror(errno));
		for (int i = 0; i < 2; i++)
			if (out[i] >= 0)
				close(out[i]);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (relay) {
			dup2(out[1], STDOUT_FILENO);
			dup2(err[1], STDERR_FILENO);
			buildview_set_relay(true);
		}
		_exit(drive(w, a, ctx));
	}
	if (pid < 0)
		error("cannot start the %s build: %s", a->name, strerror(errno));
	if (relay) {
		close(out[1]);
		close(err[1]);
	}
	*kid = (struct multiview_child){ pid, out[0], err[0] };
	return pid;
}

/* One driver per arch, side by side; 1 when any of them failed. */
static int run_arch_drivers(const struct world *w, const struct arch **arches, size_t n,
			    arch_driver_fn drive, const void *ctx)
{
	bool relay = isatty(STDOUT_FILENO) && !w->verbose;
	struct multiview_child *kids = xcalloc(n, sizeof *kids);
	pid_t *pids = xcalloc(n, sizeof *pids);
	for (size_t i = 0; i < n; i++)
		pids[i] = start_arch_driver(w, arches[i], drive, ctx, &kids[i], relay);
	if (relay)
		multiview_relay(kids, n);
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		int status;
		if (pids[i] < 0 || wait_arch_driver(pids, n, i, &status) < 0 || status != 0) {
			error("the %s build failed (see above)", arches[i]->name);
			failed = 1;
		}
	}
	free(kids);
	free(pids);
	return failed;
}

int archdrivers_run(const struct world *w, const struct arch **arches, size_t n,
		    arch_driver_fn drive, const void *ctx)
{
	struct jobserver js;
	if (jobserver_open_shared(&js, w->jobs) < 0)
		return -1;
	char *env = xasprintf("%d,%d,%d", js.rfd, js.wfd, js.jobs);
	setenv(JOBSERVER_ENV, env, 1);
	free(env);
	int failed = run_arch_drivers(w, arches, n, drive, ctx);
	unsetenv(JOBSERVER_ENV);
	jobserver_close(&js);
	return failed;
}
