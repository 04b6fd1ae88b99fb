/* tap.h: the Test Anything Protocol for the unit tests; prove runs them. */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int tap_count, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...)                                                              \
	do {                                                                                \
		const char *g_ = (got), *w_ = (want);                                       \
		int same_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;                    \
		if (!tap_ok(same_, __FILE__, __LINE__, __VA_ARGS__))                        \
			printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)",       \
			       w_ ? w_ : "(null)");                                         \
	} while (0)
#define is_int(got, want, ...)                                                              \
	do {                                                                                \
		long long g_ = (got), w_ = (want);                                          \
		if (!tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__))                     \
			printf("#   got:  %lld\n#   want: %lld\n", g_, w_);                  \
	} while (0)

static int __attribute__((format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	tap_count++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return pass;
}

/* Capturing what a call writes to stderr (its error message):
 *   struct capture c = capture_begin();  ...call...  capture_end(&c, buf, size);
 * buf gets the text without its last newline. */
struct capture {
	FILE *tmp;
	int saved;
};

static __attribute__((unused)) struct capture capture_begin(void)
{
	struct capture c;
	fflush(stderr);
	c.tmp = tmpfile();
	c.saved = dup(2);
	dup2(fileno(c.tmp), 2);
	return c;
}

static __attribute__((unused)) void capture_end(struct capture *c, char *buf, size_t size)
{
	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	rewind(c->tmp);
	size_t n = fread(buf, 1, size - 1, c->tmp);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	fclose(c->tmp);
}

static int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
