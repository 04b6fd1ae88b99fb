/* settings.h: the settings read from the environment, checked in one place.
 *
 * FETCH_CONNECT_TIMEOUT, FETCH_LOW_SPEED_LIMIT, FETCH_LOW_SPEED_TIME,
 * FETCH_TRIES and FETCH_BACKOFF (downloads, fetch.h); COMPRESS,
 * COMPRESS_LEVEL and SOURCE_DATE_EPOCH (the initrd, initrd.h); HEARTBEAT
 * (build progress in logs); SANDBOX (sandbox.h); MIRROR and
 * BACKUP_MIRROR (folders or URL prefixes). An unset or empty variable takes its
 * default. bootstrap.c checks them all before a command runs, so that a bad
 * one is refused (exit 2) before anything is fetched or built, not after
 * the last package; the modules read them again where they use them. */
#ifndef SETTINGS_H
#define SETTINGS_H

struct fetch_settings {
	double connect_timeout; /* seconds, default 30 */
	double low_speed_limit; /* bytes/s, default 1024 ... */
	double low_speed_time;  /* ... for this many seconds aborts a try, default 30 */
	double tries;           /* per place, default 3 */
	double backoff;         /* seconds before the second try, default 1 */
};

/* The FETCH_* variables. Each must be a plain decimal number (no sign,
 * exponent, hex, nan or inf) inside its range; one error per bad one,
 * naming the variable, its value and the range; -1 if any was bad. */
int settings_fetch(struct fetch_settings *out);

/* HEARTBEAT: seconds between a build's heartbeat lines in logs (1 to 86400,
 * default 120; buildview.h). */
int settings_heartbeat(double *out);

/* Every setting above; one error line per bad one; -1 if any was bad. */
int settings_check(void);

#endif
