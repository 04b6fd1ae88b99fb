#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "strbuf.h"

#define REDRAW_SECONDS 0.1
#define NAME_WIDTH 28
#define BAR_WIDTH 20

struct progress {
	bool live, silent;
	struct progress_bar **bars;
	size_t n, cap;
	int drawn; /* lines of the live block now on the screen */
	double start, last;
	long long bytes; /* received this run */
	size_t files_done, files_total;
};

struct progress *progress_new(bool live)
{
	struct progress *pg = xcalloc(1, sizeof *pg);
	pg->live = live;
	pg->start = now_seconds();
	return pg;
}

void progress_bar_start(struct progress *pg, struct progress_bar *bar, const char *name,
			long long have)
{
	*bar = (struct progress_bar){ name, have, -1, have, now_seconds(), true };
	xgrow(&pg->bars, &pg->cap, pg->n + 1, sizeof *pg->bars);
	pg->bars[pg->n++] = bar;
}

void progress_bar_stop(struct progress *pg, struct progress_bar *bar)
{
	for (size_t i = 0; i < pg->n; i++)
		if (pg->bars[i] == bar) {
			memmove(&pg->bars[i], &pg->bars[i + 1], (pg->n - i - 1) * sizeof *pg->bars);
			pg->n--;
			break;
		}
	bar->active = false;
}

void progress_add_bytes(struct progress *pg, long long n) { pg->bytes += n; }

void progress_set_files(struct progress *pg, size_t done, size_t total)
{
	pg->files_done = done;
	pg->files_total = total;
}

static void add_size(struct strbuf *sb, double n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;
	while (n >= 1024 && u < 4)
		n /= 1024, u++;
	if (u == 0)
		strbuf_addf(sb, "%.0f %s", n, units[u]);
	else
		strbuf_addf(sb, "%.1f %s", n, units[u]);
}

static int columns(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

/* Ends the line at the terminal's width, so that no line wraps. */
static void end_line(struct strbuf *sb, size_t line_start, int cols)
{
	if (sb->len - line_start >= (size_t)cols) {
		sb->len = line_start + (size_t)cols - 1;
		sb->data[sb->len] = '\0';
	}
	strbuf_adds(sb, "\033[K\n");
}

static void add_bar(struct strbuf *sb, const struct progress_bar *b, double now)
{
	size_t len = strlen(b->name);
	if (len > NAME_WIDTH)
		strbuf_addf(sb, "%.*s~ ", NAME_WIDTH - 1, b->name);
	else
		strbuf_addf(sb, "%-*s ", NAME_WIDTH, b->name);
	if (b->total > 0) {
		int fill = (int)(BAR_WIDTH * (double)b->have / (double)b->total);
		fill = fill > BAR_WIDTH ? BAR_WIDTH : fill;
		strbuf_addf(sb, "[%.*s%*s] %3d%% ", fill, "####################", BAR_WIDTH - fill, "",
			    (int)(100 * b->have / b->total));
	} else {
		strbuf_addf(sb, "[%*s] ", BAR_WIDTH, "");
	}
	add_size(sb, (double)b->have);
	if (b->total > 0) {
		strbuf_adds(sb, " / ");
		add_size(sb, (double)b->total);
	}
	double secs = now - b->start;
	if (secs > 0.5) {
		strbuf_adds(sb, "  ");
		add_size(sb, (double)(b->have - b->base) / secs);
		strbuf_adds(sb, "/s");
	}
}

/* Seconds until the active transfers end at the run's rate; -1: unknown. */
static double eta(const struct progress *pg, double rate)
{
	double left = 0;
	for (size_t i = 0; i < pg->n; i++) {
		if (pg->bars[i]->total < 0)
			return -1;
		left += (double)(pg->bars[i]->total - pg->bars[i]->have);
	}
	return rate > 0 ? left / rate : -1;
}

static void add_total(struct strbuf *sb, const struct progress *pg, double now)
{
	double secs = now - pg->start;
	double rate = secs > 0 ? (double)pg->bytes / secs : 0;
	strbuf_addf(sb, "total: %zu/%zu files, ", pg->files_done, pg->files_total);
	add_size(sb, (double)pg->bytes);
	strbuf_adds(sb, ", ");
	add_size(sb, rate);
	strbuf_adds(sb, "/s");
	double left = eta(pg, rate);
	if (left >= 0 && pg->n)
		strbuf_addf(sb, ", ETA %d:%02d", (int)left / 60, (int)left % 60);
}

static void start_frame(struct progress *pg, struct strbuf *sb)
{
	if (pg->drawn)
		strbuf_addf(sb, "\033[%dA", pg->drawn);
	strbuf_addc(sb, '\r');
	pg->drawn = 0;
}

static void draw(struct progress *pg, struct strbuf *sb, double now)
{
	int cols = columns();
	for (size_t i = 0; i < pg->n; i++) {
		size_t at = sb->len;
		add_bar(sb, pg->bars[i], now);
		end_line(sb, at, cols);
	}
	size_t at = sb->len;
	add_total(sb, pg, now);
	end_line(sb, at, cols);
	strbuf_adds(sb, "\033[J");
	pg->drawn = (int)pg->n + 1;
	pg->last = now;
}

static void flush(struct strbuf *sb)
{
	fwrite(sb->data, 1, sb->len, stdout);
	fflush(stdout);
	strbuf_release(sb);
}

void progress_tick(struct progress *pg)
{
	double now = now_seconds();
	if (!pg->live || now - pg->last < REDRAW_SECONDS)
		return;
	struct strbuf sb = STRBUF_INIT;
	start_frame(pg, &sb);
	draw(pg, &sb, now);
	flush(&sb);
}

struct progress *progress_new_silent(void)
{
	struct progress *pg = progress_new(false);
	pg->silent = true;
	return pg;
}

void progress_line(struct progress *pg, const char *fmt, ...)
{
	if (pg->silent)
		return;
	struct strbuf sb = STRBUF_INIT;
	char *msg;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		BUG("vasprintf failed");
	va_end(ap);
	/* Over the block, which the next due tick draws again below. */
	if (pg->live)
		start_frame(pg, &sb);
	strbuf_adds(&sb, msg);
	strbuf_adds(&sb, pg->live ? "\033[K\n\033[J" : "\n");
	free(msg);
	flush(&sb);
}

void progress_free(struct progress *pg)
{
	if (!pg)
		return;
	if (pg->live && pg->drawn) {
		struct strbuf sb = STRBUF_INIT;
		start_frame(pg, &sb);
		strbuf_adds(&sb, "\033[J");
		flush(&sb);
	}
	free(pg->bars);
	free(pg);
}
