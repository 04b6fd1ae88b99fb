/* installed.h: what a package's install left, as it was when the install
 * ended, so that a later push publishes exactly that.
 *
 * Beside the manifest (manifest.h), <manifest>.sums lists each path the
 * package created with its type, mode and content (a file's sha256, a
 * link's target's sha256):
 *
 *   f 0755 <sha256> usr/bin/app
 *   l 0777 <sha256 of the target> usr/lib/libfoo.so
 *   d 0755 - usr/include
 *
 * A later package that edits one of those files (a recipe appending to an
 * earlier package's header) changes what the earlier package's artifact
 * would hold; push compares the files with this record and refuses to
 * publish one that changed. A package that created nothing has an empty
 * record. */
#ifndef INSTALLED_H
#define INSTALLED_H

struct strbuf;

/* Writes <manifest>.sums for the files the manifest lists below top (no
 * manifest: an empty record). -1 after one error. */
int installed_record(const char *manifest, const char *top);

enum installed_state { INSTALLED_SAME, INSTALLED_CHANGED, INSTALLED_UNRECORDED };

/* Compares the files with the record: SAME, CHANGED (the first path that
 * differs, and how, in *what), or UNRECORDED (no record: installed by an
 * older version). -1 after one error. */
int installed_check(const char *manifest, const char *top, struct strbuf *what);

/* Removes the record (the package is being installed again). */
void installed_forget(const char *manifest);

#endif
