#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static volatile sig_atomic_t caught;
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
enum { NSTOP = sizeof stop_signals / sizeof stop_signals[0] };

static void on_stop_signal(int sig)
{
	if (!caught)
		caught = sig;
}

static void set_handler(int sig, void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking wait returns EINTR, and the loop around it
	 * looks at the flag. */
	sigaction(sig, &sa, NULL);
}

void signals_catch(void)
{
	for (int i = 0; i < NSTOP; i++)
		set_handler(stop_signals[i], on_stop_signal);
}

int signals_caught(void)
{
	return caught;
}

void signals_reraise(void)
{
	if (!caught)
		return;
	set_handler(caught, SIG_DFL);
	raise(caught);
}

/* A worker told to stop passes it on to its steps, then goes itself. */
static void on_worker_term(int sig)
{
	set_handler(sig, SIG_DFL);
	kill(0, sig);
}

void signals_worker_setup(pid_t driver)
{
	setpgid(0, 0);
	for (int i = 0; i < NSTOP; i++)
		set_handler(stop_signals[i], SIG_DFL);
	set_handler(SIGTERM, on_worker_term);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/* The driver may have died before prctl took effect. */
	if (getppid() != driver)
		raise(SIGTERM);
}

static pid_t wait_until(pid_t pid, int *status, double deadline)
{
	for (;;) {
		pid_t got = waitpid(pid, status, WNOHANG);
		if (got != 0 || now_seconds() >= deadline)
			return got;
		usleep(20 * 1000);
	}
}

int signals_stop_group(pid_t leader, double grace)
{
	int status = 0;
	kill(-leader, SIGTERM);
	if (wait_until(leader, &status, now_seconds() + grace) == 0) {
		kill(-leader, SIGKILL);
		while (waitpid(leader, &status, 0) < 0 && errno == EINTR)
			;
	}
	/* Steps may outlive their worker by a moment; none may outlive the stop. */
	kill(-leader, SIGKILL);
	return status;
}
