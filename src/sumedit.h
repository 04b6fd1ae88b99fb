/* sumedit.h: writes a new sha256 into a recipe file in place, for
 * `bootstrap checksum`. Only the value changes (or, without a sha256 key, one
 * line is added after the url value, aligned like it); comments, spacing and
 * every other byte stay as they were. The file is replaced atomically. */
#ifndef SUMEDIT_H
#define SUMEDIT_H

/* sha256_line: the line of the sha256 key (1-based), 0 when there is none. */
int sumedit_write(const char *path, int sha256_line, const char *sum);

#endif
