/* transfer.h: the download engine under fetch.c: libcurl's multi interface,
 * several files at once, each tried place by place.
 *
 * For each job: bytes go to dir/<file>.part and through SHA-256 as they
 * arrive (an existing .part is hashed first and resumed with a Range
 * request). A server that answers 200 to a Range request, or 416 because the
 * .part is longer than the file, restarts the file from byte 0. A finished
 * file whose sum matches is renamed to dir/<file>; one that does not is kept
 * as dir/<file>.bad and the next place is tried (after a resumed transfer,
 * the same place first, from byte 0). A place gets opts.tries tries, with a
 * backoff that doubles, when the failure may pass (timeouts, dropped
 * connections, HTTP 5xx); not after HTTP 4xx or a missing file. A job with a
 * max_size stops a place the moment it sends more (an endless body costs
 * neither disk nor time beyond that), and the .part is emptied. */
#ifndef TRANSFER_H
#define TRANSFER_H

#include <stdbool.h>
#include <stddef.h>

#include "digest.h"
#include "progress.h"
#include "strbuf.h"

struct transfer_opts {
	int jobs;               /* transfers at once */
	int tries;              /* per place */
	double backoff;         /* seconds before the second try; doubles */
	double connect_timeout; /* seconds */
	long low_speed_limit;   /* bytes/s ... */
	long low_speed_time;    /* ... for this many seconds aborts a try */
};

enum transfer_state { TRANSFER_PENDING, TRANSFER_ACTIVE, TRANSFER_DONE, TRANSFER_FAILED };

struct transfer_job {
	/* Set by the caller. */
	const char *file;    /* the name in dir */
	const char *sum;     /* expected sha256; NULL: any bytes do (see got) */
	char **places;       /* URLs, tried in order */
	size_t nplaces;
	bool fresh;          /* discard an existing .part first */
	long long max_size;  /* more bytes than this stop the place (0: no bound) */
	enum transfer_state state; /* only PENDING jobs are fetched */
	/* Called on each new handle (a CURL *), to sign its request (store.h);
	 * may set *headers to a curl_slist, freed with the handle. */
	void (*setup)(void *easy, const void *arg, void **headers);
	const void *setup_arg;

	/* Results. */
	char got[DIGEST_HEX_LEN + 1]; /* the sum of the file put in place */
	long long size;
	struct strbuf why;   /* "  <url>: <reason>\n" for each place that failed */
	bool reached;        /* a place answered, or failed other than by resolve/connect */

	/* The engine's own. */
	char *part, *dest, *bad;
	size_t place;
	int tries, origin, fd, write_errno;
	double not_before;
	void *easy;
	void *headers;
	struct digest *dg;
	long long hashed, offset, received, range_start, range_total;
	bool decided, range_mismatch, too_big;
	char errbuf[256];
	struct progress_bar bar;
	struct progress *pg;
};

/* Runs every pending job to DONE or FAILED. Returns -1 when one failed; the
 * caller reports it (job->why says why). */
int transfer_run(const char *dir, const struct transfer_opts *opts, struct progress *pg,
		 struct transfer_job *jobs, size_t n);
/* Frees what the engine and the caller put in a job (places included). */
void transfer_job_release(struct transfer_job *job);

#endif
