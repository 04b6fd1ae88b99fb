/* installed.h: what a package's install left, as it was when the install
 * ended, so that a push publishes exactly that, and a pull gives what a
 * local build gives.
 *
 * Beside the manifest (manifest.h), <manifest>.sums lists each path the
 * package created, <manifest>.changed each path another package created and
 * this install changed (a recipe appending to an earlier package's header),
 * with its type, mode, content (a file's sha256, a link's target's sha256)
 * and a stat stamp (inode and ctime) that spares hashing an untouched file:
 *
 *   f 0755 <sha256> 1234.1700000000.5 usr/bin/app
 *   l 0777 <sha256 of the target> 1235.1700000000.5 usr/lib/libfoo.so
 *   d 0755 - 1236.1700000000.5 usr/include
 *
 * The artifact of a package holds both lists (artifact_pack's extra paths),
 * so that taking it from a cache replays its edit of the other's file. A
 * file that was rewritten with the same bytes (gcc-libs reinstalling gcc's
 * driver) is not a change. */
#ifndef INSTALLED_H
#define INSTALLED_H

struct strbuf;
struct strv;

/* After an install: writes the records of the package whose manifest is
 * at manifest (no manifest: it created nothing), comparing the files the
 * other packages of its folder recorded with what they are now. -1 after
 * one error. */
int installed_record(const char *manifest, const char *top);

enum installed_state { INSTALLED_SAME, INSTALLED_CHANGED, INSTALLED_UNRECORDED };

/* Compares the files with the records, but the paths in skip (NULL: none):
 * SAME, CHANGED (the first path that differs, and how, in *what), or
 * UNRECORDED (no record: installed by an older version). -1 after one
 * error. */
int installed_check(const char *manifest, const char *top, const struct strv *skip,
		    struct strbuf *what);

/* The paths of other packages this one's install changed, appended to out
 * (relative to the top, sorted). */
int installed_changed(const char *manifest, struct strv *out);

/* Removes the records (the package is being installed again). */
void installed_forget(const char *manifest);

#endif
