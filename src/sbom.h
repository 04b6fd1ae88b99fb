/* sbom.h: `bootstrap sbom ARCH`: what went into the toolchain and the
 * initrd, as CycloneDX 1.6 JSON documents (README.md, "SBOM and licenses").
 *
 * output/<arch>/sbom/toolchain.cdx.json describes toolchain/<arch>: one
 * component per package of the crosstool plan (the host stage is linked into
 * gcc), and initrd.cdx.json the initrd: one per box package, plus the
 * toolchain it was built with (scope excluded, its packages nested). Each
 * package gives its version, its license (the recipe's SPDX expression), its
 * source's URLs with the source's SHA-256, each patch with its SHA-256, its
 * stage, recipe and input key; "dependencies" says what each was built with,
 * and the document's own component depends on what it contains. The
 * documents hold no time, so the same build gives the same bytes. */
#ifndef SBOM_H
#define SBOM_H

struct plan;
struct world;

/* crosstool: the arch's crosstool plan, every package done; all: its full
 * plan when every package of it is done, else NULL: no initrd document, and
 * one written before, which would describe another box, is removed. */
int sbom_write(const struct world *w, const struct plan *crosstool, const struct plan *all);

#endif
