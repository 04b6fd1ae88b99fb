/* epoch.h: SOURCE_DATE_EPOCH, the one date a build may stamp.
 *
 * Every step gets it (stepenv.h: busybox stamps it in its banner), the initrd
 * and bootstrap dist clamp their times to it, and a value other than 0 is
 * part of every input key (plan.h), so that a package built with one date is
 * never taken for one built with another. Unset, empty and 0 are the same:
 * the default, which leaves the keys as they were before the date counted.
 * A whole number of seconds since 1970, from 0 to EPOCH_MAX (the most cpio
 * newc holds), written in plain digits. */
#ifndef EPOCH_H
#define EPOCH_H

#define EPOCH_MAX 0xffffffffLL

/* The environment's SOURCE_DATE_EPOCH in *out (0 when unset or empty); -1
 * after one error naming a bad value and the range. */
int epoch_from_env(long long *out);

#endif
