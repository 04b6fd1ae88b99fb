/* signals.h: Ctrl-C, SIGTERM and SIGHUP stop a whole build, not just the
 * driver.
 *
 * The driver catches the three signals into a flag (signals_caught) that its
 * loops look at: it stops what it started, records where it was and says how
 * to resume, then dies by the same signal (signals_reraise), so a shell or
 * make sees the usual 128+N status. Each worker leads its own process group,
 * so that the driver can stop a worker and every step under it at once, and
 * dies with its driver, so that a SIGKILLed driver leaves no step running. */
#ifndef SIGNALS_H
#define SIGNALS_H

#include <sys/types.h>

/* The driver: from now on the three signals only set the flag. */
void signals_catch(void);
/* The first signal caught, or 0. */
int signals_caught(void);
/* Dies by the caught signal, its handler reset; returns if none was caught. */
void signals_reraise(void);
/* In a worker, right after fork: its own process group, the default
 * dispositions, and death with the driver (pid driver). */
void signals_worker_setup(pid_t driver);
/* SIGTERM to the group a worker leads; SIGKILL to what is left of it after
 * grace seconds. Reaps the worker; returns its wait status. */
int signals_stop_group(pid_t leader, double grace);

#endif
