/* sandbox.h: every recipe step runs in a bubblewrap sandbox (README.md,
 * "Sandbox"): no network (a namespace of its own with only loopback), the
 * machine and the run-time folders read-only, writable only the folders the
 * step may write (its build folder, its install roots; for prepare the
 * pristine tree), a private /tmp, and HOME=TMPDIR=/tmp. A step that writes
 * elsewhere or reaches for the network fails, and its error says that it
 * ran sandboxed.
 *
 * SANDBOX=auto (the default): sandboxed when bwrap is installed and works
 * here, otherwise said once and run as before. SANDBOX=on: refuse to build
 * without it. SANDBOX=off: never. The input keys do not depend on it: the
 * sandbox only takes away what a well-behaved step does not use. */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

/* SANDBOX's value: -1 (one error) when it is none of auto, on, off. */
int sandbox_setting_check(void);

/* Whether steps are sandboxed; the first call probes bwrap and, under auto,
 * says once why not. -1: SANDBOX=on but no working bwrap (one error). */
int sandbox_enabled(void);

/* argv wrapped to run in the sandbox, reading readable[] (besides the whole
 * machine, read-only) and writing writable[]; NULL-terminated, freed with
 * sandbox_argv_free. */
const char **sandbox_argv(const char *const *argv, const char *const *readable, size_t nread,
			  const char *const *writable, size_t nwrite);
void sandbox_argv_free(const char **argv);

/* The line a failed sandboxed step's error ends with. */
const char *sandbox_hint(void);

#endif
