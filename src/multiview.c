#include "multiview.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "buildview.h"
#include "signals.h"
#include "strbuf.h"
#include "util.h"

#define REDRAW_SECONDS 0.1

struct stream {
	int fd; /* -1 once closed */
	FILE *to;
	struct strbuf pending; /* a line not yet complete */
};

struct view {
	struct stream *streams; /* 2 per child: stdout, stderr */
	char **live;		/* the last live line of each child, or NULL */
	size_t n;
	int drawn; /* live lines on the screen */
	double last;
	bool dirty;
};

static int columns(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

static void erase(struct view *v)
{
	if (v->drawn)
		printf("\033[%dA", v->drawn);
	printf("\r\033[J");
	v->drawn = 0;
}

static void draw(struct view *v)
{
	int cols = columns();
	erase(v);
	for (size_t i = 0; i < v->n; i++)
		if (v->live[i]) {
			printf("%.*s\033[K\n", cols - 1, v->live[i]);
			v->drawn++;
		}
	fflush(stdout);
	v->last = now_seconds();
	v->dirty = false;
}

/* One complete line of child k's stream s. */
static void take_line(struct view *v, size_t k, struct stream *s, const char *line)
{
	size_t relay = strlen(BUILDVIEW_RELAY);
	if (s->to == stdout && !strncmp(line, BUILDVIEW_RELAY, relay)) {
		free(v->live[k]);
		v->live[k] = xstrdup(line + relay);
		v->dirty = true;
		return;
	}
	erase(v);
	fflush(stdout);
	fprintf(s->to, "%s\n", line);
	fflush(s->to);
	v->dirty = true;
}

static void drain(struct view *v, size_t k, struct stream *s)
{
	char buf[4096];
	ssize_t got = read(s->fd, buf, sizeof buf);
	if (got < 0 && errno == EINTR)
		return;
	if (got <= 0) {
		if (s->pending.len)
			take_line(v, k, s, s->pending.data);
		close(s->fd);
		s->fd = -1;
		if (s->to == stdout) { /* that arch is over */
			free(v->live[k]);
			v->live[k] = NULL;
			v->dirty = true;
		}
		return;
	}
	for (ssize_t i = 0; i < got; i++) {
		if (buf[i] != '\n') {
			strbuf_addc(&s->pending, buf[i]);
			continue;
		}
		take_line(v, k, s, s->pending.data);
		strbuf_reset(&s->pending);
	}
}

static void pass_on_signal(const struct multiview_child *kids, size_t n, bool *passed)
{
	if (*passed || !signals_caught())
		return;
	for (size_t i = 0; i < n; i++)
		if (kids[i].pid > 0)
			kill(kids[i].pid, signals_caught());
	*passed = true;
}

void multiview_relay(struct multiview_child *kids, size_t n)
{
	struct view v = { xcalloc(2 * n, sizeof *v.streams), xcalloc(n, sizeof *v.live), n, 0, 0, false };
	struct pollfd *fds = xcalloc(2 * n, sizeof *fds);
	bool passed = false;
	for (size_t i = 0; i < 2 * n; i++)
		v.streams[i] = (struct stream){ i % 2 ? kids[i / 2].err : kids[i / 2].out,
						i % 2 ? stderr : stdout, STRBUF_INIT };
	for (;;) {
		size_t open = 0;
		for (size_t i = 0; i < 2 * n; i++) {
			fds[i] = (struct pollfd){ v.streams[i].fd, POLLIN, 0 };
			open += v.streams[i].fd >= 0;
		}
		if (!open)
			break;
		int ready = poll(fds, 2 * n, 100);
		pass_on_signal(kids, n, &passed);
		for (size_t i = 0; ready > 0 && i < 2 * n; i++)
			if (v.streams[i].fd >= 0 && fds[i].revents)
				drain(&v, i / 2, &v.streams[i]);
		if (v.dirty && now_seconds() - v.last >= REDRAW_SECONDS)
			draw(&v);
	}
	erase(&v);
	fflush(stdout);
	for (size_t i = 0; i < n; i++)
		free(v.live[i]);
	for (size_t i = 0; i < 2 * n; i++)
		strbuf_release(&v.streams[i].pending);
	free(v.live);
	free(v.streams);
	free(fds);
}
