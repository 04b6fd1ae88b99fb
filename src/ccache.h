/* ccache.h: CCACHE=DIR runs every step's compilers through ccache, with
 * its cache in DIR, so that a rebuild (a one-line gcc patch, a second top)
 * reuses the objects an earlier build compiled.
 *
 * Each step's compilers on its PATH (cc, gcc, c++, g++ and TARGET-gcc,
 * -g++, -cc, -c++ of its arch, once they exist) are reached through links to
 * ccache in a folder of the step's own, top/work/ccache/bin/GROUP-NAME, first
 * on its PATH; ccache runs the real one further on. It hashes the compiler's
 * bytes (compiler_check = content) and names the paths under the top
 * relative to it (base_dir, hash_dir off), so two tops share hits. DIR is
 * writable in the sandbox. CCACHE never enters an input key: a compiler
 * reached through ccache writes the same bytes. */
#ifndef CCACHE_H
#define CCACHE_H

struct world;
struct strv;

/* CCACHE: unset or empty (off), else an absolute folder, with ccache on
 * PATH. -1 after one error saying what would do. */
int ccache_setting_check(void);
/* The folder, or NULL when CCACHE is off. */
const char *ccache_dir(void);
/* For a step of package name in install group group whose environment env
 * holds its PATH, TARGET and HOST_TRIPLET: the links, PATH with them first,
 * CCACHE_DIR, CCACHE_BASEDIR, CCACHE_COMPILERCHECK, CCACHE_NOHASHDIR. A
 * failure leaves env as it was, after a warning (the step runs without). */
void ccache_step_env(const struct world *w, const char *group, const char *name,
		     struct strv *env);

struct ccache_stats {
	long long hits, misses;
};

/* The cache's counters now. -1 when ccache cannot tell (nothing said). */
int ccache_stats_read(struct ccache_stats *out);

#endif
