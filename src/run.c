#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

extern char **environ;

static _Noreturn void child(const struct run *r, int out_fd)
{
	if (!r->interactive) {
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0 && null != 0) {
			dup2(null, 0);
			close(null);
		}
	}
	if (out_fd >= 0) {
		dup2(out_fd, 1);
		dup2(out_fd, 2);
		if (out_fd > 2)
			close(out_fd);
	}
	if (r->cwd && chdir(r->cwd) < 0) {
		dprintf(2, "bootstrap: error: cannot enter '%s': %s\n", r->cwd, strerror(errno));
		_exit(126);
	}
	signal(SIGPIPE, SIG_DFL);
	char *const *env = r->env ? (char *const *)r->env : environ;
	execvpe(r->argv[0], (char *const *)r->argv, env);
	dprintf(2, "bootstrap: error: cannot run '%s': %s\n", r->argv[0], strerror(errno));
	_exit(127);
}

static int wait_for(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* Copies the child's output to the log and to stdout until it closes. */
static void tee_output(int from, int log_fd)
{
	char buf[16384];
	for (;;) {
		ssize_t n = read(from, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (write(log_fd, buf, (size_t)n) < 0 || fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
		fflush(stdout);
	}
}

int run_quiet(const struct run *r)
{
	int pipefd[2] = { -1, -1 };
	bool tee = r->tee && r->log_fd >= 0;
	if (tee && pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child(r, tee ? pipefd[1] : r->log_fd);
	if (tee) {
		close(pipefd[1]);
		tee_output(pipefd[0], r->log_fd);
		close(pipefd[0]);
	}
	return wait_for(pid);
}

void run_describe_status(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "ended with wait status %d", status);
}

int run_command(const struct run *r, const char *what)
{
	int status = run_quiet(r);
	if (status < 0)
		return error_errno("%s: cannot run '%s'", what, r->argv[0]);
	if (status == 0)
		return 0;
	char how[128];
	run_describe_status(status, how, sizeof how);
	return error("%s %s", what, how);
}
