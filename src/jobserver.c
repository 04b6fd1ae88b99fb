#include "jobserver.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "util.h"

int jobserver_open(struct jobserver *js, int jobs)
{
	int fds[2];
	js->rfd = js->wfd = js->poll_fd = -1;
	js->jobs = jobs;
	if (pipe(fds) < 0)
		return error_errno("cannot create the jobserver pipe");
	js->rfd = fds[0];
	js->wfd = fds[1];
	for (int i = 1; i < jobs; i++)
		if (write(js->wfd, "+", 1) != 1)
			return error_errno("cannot fill the jobserver pipe");
	/* Opening the pipe again gives a file description of our own, so making
	 * it non-blocking does not change what the steps' make sees. */
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", js->rfd);
	js->poll_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	return 0;
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
