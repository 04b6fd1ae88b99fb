/* unpack.h: secure tarball extraction (stub until the unpack module lands). */
#ifndef UNPACK_H
#define UNPACK_H
int unpack_archive(const char *path, const char *dest, const char *top);
#endif
