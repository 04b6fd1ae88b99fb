#include "buildview.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "recipe.h"
#include "strbuf.h"

#define REDRAW_SECONDS 0.5

static bool relay_mode;

void buildview_set_relay(bool relay)
{
	relay_mode = relay;
}

void format_duration(double s, char *buf, size_t size)
{
	long t = (long)(s + 0.5);
	if (s < 10)
		snprintf(buf, size, "%.1fs", s < 0 ? 0 : s);
	else if (t < 60)
		snprintf(buf, size, "%lds", t);
	else if (t < 3600)
		snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, size, "%ldh%02ldm", t / 3600, t % 3600 / 60);
}

void buildview_init(struct buildview *v, const char *arch, size_t done, size_t total,
		    double heartbeat)
{
	memset(v, 0, sizeof *v);
	v->arch = arch;
	v->relay = relay_mode;
	v->live = !v->relay && isatty(STDOUT_FILENO);
	v->done = done;
	v->total = total;
	v->heartbeat = heartbeat;
	v->last_beat = now_seconds();
}

static int columns(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

void buildview_clear(struct buildview *v)
{
	if (v->live && v->drawn)
		fputs("\r\033[K", stdout);
	v->drawn = false;
}

void buildview_line(struct buildview *v, const char *fmt, ...)
{
	va_list ap;
	buildview_clear(v);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void buildview_started(struct buildview *v, const struct recipe *r)
{
	buildview_line(v, "%-7s %-6s %-14s %-10s started", v->arch, stage_name(r->stage), r->name,
		       r->version);
}

void buildview_ended(struct buildview *v, const struct recipe *r, const char *what, double took)
{
	char d[32];
	format_duration(took, d, sizeof d);
	if (!str_starts_with(what, "failed"))
		v->done++; /* "done in", "from the cache in" */
	buildview_line(v, "%-7s %-6s %-14s %-10s %s %s", v->arch, stage_name(r->stage), r->name,
		       r->version, what, d);
}

/* "x86_64 5/11 done: gcc (build, 4m10s), binutils (install, 2m01s); about 9m left" */
static void describe(const struct buildview *v, const struct view_job *jobs, size_t n, double eta,
		     double now, struct strbuf *sb)
{
	char d[32];
	strbuf_addf(sb, "%s %zu/%zu done", v->arch, v->done, v->total);
	for (size_t i = 0; i < n; i++) {
		format_duration(now - jobs[i].start, d, sizeof d);
		strbuf_addf(sb, "%s %s (%s%s%s)", i ? "," : ", building", jobs[i].name, jobs[i].step,
			    jobs[i].step[0] ? ", " : "", d);
	}
	if (eta >= 0) {
		format_duration(eta, d, sizeof d);
		strbuf_addf(sb, "; about %s left", d);
	}
}

void buildview_tick(struct buildview *v, const struct view_job *jobs, size_t n, double eta)
{
	double now = now_seconds();
	bool beat = !v->live && !v->relay && now - v->last_beat >= v->heartbeat;
	if (!beat && (!(v->live || v->relay) || now - v->last_draw < REDRAW_SECONDS))
		return;
	struct strbuf sb = STRBUF_INIT;
	describe(v, jobs, n, eta, now, &sb);
	if (beat) {
		printf("%s\n", sb.data);
		v->last_beat = now;
	} else if (v->relay) {
		printf("%s%s\n", BUILDVIEW_RELAY, sb.data);
	} else {
		int cols = columns();
		if (sb.len >= (size_t)cols)
			sb.data[cols - 1] = '\0';
		printf("\r%s\033[K", sb.data);
		v->drawn = true;
	}
	v->last_draw = now;
	fflush(stdout);
	strbuf_release(&sb);
}
