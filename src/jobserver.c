#include "jobserver.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

/* Opening the pipe again gives a file description of our own, so making it
 * non-blocking does not change what the steps' make sees. */
static void open_poll_fd(struct jobserver *js)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", js->rfd);
	js->poll_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

static int open_with(struct jobserver *js, int jobs, int tokens, bool shared)
{
	int fds[2];
	js->rfd = js->wfd = js->poll_fd = -1;
	js->jobs = jobs;
	js->shared = shared;
	if (pipe(fds) < 0)
		return error_errno("cannot create the jobserver pipe");
	js->rfd = fds[0];
	js->wfd = fds[1];
	for (int i = 0; i < tokens; i++)
		if (write(js->wfd, "+", 1) != 1)
			return error_errno("cannot fill the jobserver pipe");
	open_poll_fd(js);
	return 0;
}

int jobserver_open(struct jobserver *js, int jobs)
{
	return open_with(js, jobs, jobs - 1, false);
}

int jobserver_open_shared(struct jobserver *js, int jobs)
{
	return open_with(js, jobs, jobs, true);
}

int jobserver_attach(struct jobserver *js)
{
	const char *v = getenv(JOBSERVER_ENV);
	if (!v || !*v)
		return 0;
	if (sscanf(v, "%d,%d,%d", &js->rfd, &js->wfd, &js->jobs) != 3 ||
	    fcntl(js->rfd, F_GETFD) < 0 || fcntl(js->wfd, F_GETFD) < 0)
		return error("%s='%s' names no open jobserver pipe", JOBSERVER_ENV, v);
	js->shared = true;
	open_poll_fd(js);
	return 1;
}

void jobserver_close(struct jobserver *js)
{
	if (js->rfd >= 0)
		close(js->rfd);
	if (js->wfd >= 0)
		close(js->wfd);
	if (js->poll_fd >= 0)
		close(js->poll_fd);
	js->rfd = js->wfd = js->poll_fd = -1;
}

void jobserver_makeflags(const struct jobserver *js, char *buf, size_t size)
{
	snprintf(buf, size, " -j%d --jobserver-auth=%d,%d", js->jobs, js->rfd, js->wfd);
}

bool jobserver_try_take(struct jobserver *js)
{
	char c;
	if (js->poll_fd < 0)
		return false; /* no /proc: one package at a time */
	for (;;) {
		ssize_t n = read(js->poll_fd, &c, 1);
		if (n == 1)
			return true;
		if (n < 0 && errno == EINTR)
			continue;
		return false;
	}
}

void jobserver_give_back(struct jobserver *js)
{
	while (write(js->wfd, "+", 1) < 0 && errno == EINTR)
		;
}

void jobserver_wait(const struct jobserver *js, int ms)
{
	struct pollfd p = { js->poll_fd, POLLIN, 0 };
	if (js->poll_fd < 0 || poll(&p, 1, ms) < 0)
		usleep((useconds_t)ms * 1000);
}
