/* doctor.h: the host prerequisite check. The tools a plan needs are those
 * config/host-tools marks "always" plus every planned recipe's `tools`; the
 * same file maps each command to the Debian package that has it. */
#ifndef DOCTOR_H
#define DOCTOR_H

#include <stdbool.h>

struct plan;
struct world;

/* 0 when every tool is on PATH; otherwise one error listing what is missing
 * and the Debian packages to install. */
int doctor_check(const struct world *w, const struct plan *plan);

#endif
