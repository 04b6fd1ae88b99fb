/* run.h: the one way this program runs another. Explicit argv, environment
 * and working folder; output to a log file (and the terminal when asked);
 * the exit status checked and described in words. */
#ifndef RUN_H
#define RUN_H

#include <stdbool.h>
#include <stddef.h>

struct run {
	const char *const *argv;
	const char *const *env; /* NULL: this process's environment */
	const char *cwd;        /* NULL: this process's */
	int log_fd;             /* stdout and stderr go here; -1: inherit both */
	bool tee;               /* with log_fd: copy the output to stdout too */
	bool interactive;       /* stdin inherited; otherwise /dev/null */
};

#define RUN_INIT { NULL, NULL, NULL, -1, false, false }

/* Runs and waits. 0 on exit status 0; otherwise one error naming `what`
 * and the status ("exited with 2", "killed by signal 9"). */
int run_command(const struct run *r, const char *what);
/* Like run_command, but says nothing: returns the wait status, or -1 when
 * it could not start (errno set). */
int run_quiet(const struct run *r);
/* "exited with 2", "killed by signal 9 (Killed)". */
void run_describe_status(int status, char *buf, size_t size);

#endif
