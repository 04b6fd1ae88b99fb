#!/bin/bash
# bootstrap sbom and bootstrap legal on the fixture world: the CycloneDX
# documents name every package with its version, license, source sum, patch
# sums, input key and what it was built with, validate against the CycloneDX
# 1.6 schema (the CycloneDX library's validator, from make test-deps), and
# come out the same twice; legal gathers the sources, patches and license
# files with a manifest, and names a license file a recipe lists wrongly.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }
# A patch that adds libfoo's license file, which its recipe then names.
mkdir -p patches/libfoo-1.0
cat >patches/libfoo-1.0/0001-copying.patch <<'P'
--- /dev/null
+++ b/COPYING
@@ -0,0 +1 @@
+libfoo may be copied under the MIT license.
P
sed -i 's/^license = MIT$/license = MIT\nlicense-files = COPYING/' recipes/libfoo.recipe
# x86_64's own patch is listed and gathered for x86_64; aarch64's is not.
mkdir -p patches/libfoo-1.0/x86_64 patches/libfoo-1.0/aarch64
printf -- '--- /dev/null\n+++ b/NOTICE\n@@ -0,0 +1 @@\n+x86_64\n' >patches/libfoo-1.0/x86_64/0002-notice.patch
printf -- '--- /dev/null\n+++ b/NOTICE\n@@ -0,0 +1 @@\n+aarch64\n' >patches/libfoo-1.0/aarch64/0002-notice.patch

bs sbom x86_64
is "$RC" 1 "sbom before anything is built fails"
like "$ERR" "hostlib is not built for x86_64: run bootstrap build x86_64 --goal crosstool first" \
	"naming the first package missing and the command that builds it"

bs build x86_64 --goal crosstool
bs sbom x86_64
is "$RC" 0 "sbom with the toolchain built"
like "$OUT" "no initrd document: the box of x86_64 is not built" "says there is no initrd document yet"
ok "$([ -f "$TOP/output/x86_64/sbom/toolchain.cdx.json" ] && [ ! -e "$TOP/output/x86_64/sbom/initrd.cdx.json" ]; echo $?)" \
	"and writes the toolchain's alone"

bs build x86_64
bs sbom x86_64
is "$RC" 0 "sbom with everything built"
sbom=$TOP/output/x86_64/sbom
first=$(cat "$sbom"/*.json | sha256sum)
bs plan x86_64
plan=$OUT
patch_sum=$(sha256sum patches/libfoo-1.0/0001-copying.patch | cut -d' ' -f1)
libfoo_sum=$(sed -n 's/^sha256 *= //p' recipes/libfoo.recipe)

# "NAME KIND VALUE" lines from the documents, for the checks below.
facts=$(python3 - "$sbom" <<'PY'
import json, sys
d = sys.argv[1]
for doc in ("toolchain", "initrd"):
    bom = json.load(open(f"{d}/{doc}.cdx.json"))
    print(doc, "format", bom["bomFormat"], bom["specVersion"])
    print(doc, "root", bom["metadata"]["component"]["bom-ref"])
    def walk(comps):
        for c in comps:
            yield c
            yield from walk(c.get("components", []))
    for c in walk(bom["components"]):
        n = c["name"]
        print(doc, "component", n, c.get("scope", "-"))
        for l in c.get("licenses", []):
            print(n, "license", l["expression"])
        for r in c.get("externalReferences", []):
            print(n, "source", r["url"], r["hashes"][0]["content"])
        for p in c.get("properties", []):
            print(n, p["name"], p["value"])
        for p in c.get("pedigree", {}).get("patches", []):
            print(n, "patch-url", p["diff"]["url"])
    for dep in bom["dependencies"]:
        print(doc, "depends", dep["ref"], *dep.get("dependsOn", []))
PY
)
has() { grep -qxF -- "$1" <<<"$facts"; is "$?" 0 "$2"; }
has "toolchain format CycloneDX 1.6" "the toolchain's document is CycloneDX 1.6"
has "toolchain component hostlib -" "it lists the host stage (linked into the compiler)"
has "toolchain component fakecc -" "and the cross stage"
is "$(grep -c '^toolchain component' <<<"$facts")" 2 "and nothing else"
has "toolchain depends toolchain/x86_64 hostlib@1.0 fakecc@1.0" "the toolchain depends on what it contains"
has "toolchain depends fakecc@1.0 hostlib@1.0" "each package on what it was built with"
has "initrd root initrd/x86_64" "the initrd's document describes the initrd"
for p in libfoo app inplace; do
	has "initrd component $p required" "it lists the box package $p"
done
has "initrd component x86_64-linux-musl toolchain excluded" "and the toolchain, as built with, not shipped"
has "initrd component fakecc excluded" "with the toolchain's packages nested"
has "initrd depends app@1.0 libfoo@1.0 toolchain/x86_64" "app was built with libfoo and the toolchain"
has "initrd depends initrd/x86_64 libfoo@1.0 app@1.0 inplace@1.0" "the initrd contains the box packages"
has "libfoo license MIT" "a package's license is its recipe's"
has "libfoo source https://fixtures.invalid/libfoo-1.0.tar.gz $libfoo_sum" "its source URL with the recipe's sum"
has "libfoo bootstrap:input-key $(awk '$2 == "libfoo" {print $4}' <<<"$plan")" "its input key is the plan's"
has "libfoo bootstrap:patch $patch_sum  patches/libfoo-1.0/0001-copying.patch" "each patch with its sum"
has "libfoo patch-url patches/libfoo-1.0/0001-copying.patch" "and as the component's pedigree"
has "libfoo patch-url patches/libfoo-1.0/x86_64/0002-notice.patch" "the arch's own patch after the common ones"
is "$(grep -c 'patches/libfoo-1.0/aarch64' <<<"$facts")" 0 "another arch's patch is not listed"

if ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null; then
	skip "the documents validate as CycloneDX 1.6" "node 20 or later is missing (make test-deps)"
elif [ ! -d "$ROOT/build/npm/node_modules/@cyclonedx/cyclonedx-library" ]; then
	skip "the documents validate as CycloneDX 1.6" "the CycloneDX library is missing (make test-deps)"
else
	node "$ROOT/tests/lib/cdx-validate.cjs" "$sbom/toolchain.cdx.json" "$sbom/initrd.cdx.json" >/dev/null
	is "$?" 0 "the documents validate as CycloneDX 1.6 (the CycloneDX library's strict validator)"
fi
bs sbom x86_64
is "$(cat "$sbom"/*.json | sha256sum)" "$first" "a second sbom gives the same bytes"

bs legal x86_64
is "$RC" 0 "legal with everything built"
legal=$TOP/output/x86_64/legal
is "$(sed -n 's/^"libfoo",//p' "$legal/manifest.csv")" \
	"\"1.0\",\"box\",\"MIT\",\"COPYING\",\"libfoo-1.0.tar.gz\",\"$libfoo_sum\",\"https://fixtures.invalid/libfoo-1.0.tar.gz\",\"0001-copying.patch x86_64/0002-notice.patch\"" \
	"the manifest has libfoo's version, license, license file, source, sum, URL and patch"
is "$(grep -c . "$legal/manifest.csv")" 6 "a line per package of the plan, and the header"
is "$(sha256sum <"$legal/sources/libfoo-1.0.tar.gz" | cut -d' ' -f1)" "$libfoo_sum" "the source, as verified"
cmp -s "$legal/patches/libfoo-1.0/0001-copying.patch" patches/libfoo-1.0/0001-copying.patch
is "$?" 0 "the patch"
cmp -s "$legal/patches/libfoo-1.0/x86_64/0002-notice.patch" patches/libfoo-1.0/x86_64/0002-notice.patch
is "$?" 0 "and the arch's own, in its folder"
is "$(cat "$legal/licenses/libfoo-1.0/COPYING")" "libfoo may be copied under the MIT license." \
	"the license file, from the patched source tree"

sed -i 's/^license-files = COPYING$/license-files = COPYING LICENSE/' recipes/libfoo.recipe
bs legal x86_64
is "$RC" 1 "a license file the tree lacks fails legal"
is "$ERR" "bootstrap: error: recipes/libfoo.recipe: license-files names LICENSE, which work/src/libfoo-1.0 lacks; fix the recipe's license-files line" \
	"naming the recipe, the file and what to fix"
ok "$([ -f "$legal/licenses/libfoo-1.0/COPYING" ] && ! ls -d "$legal".tmp.* 2>/dev/null; echo $?)" \
	"the folder gathered before stays, and no half-made one is left"
bs status x86_64
like "$OUT" "5/5 done" "a changed license-files line makes nothing stale"

# A source file the recipe's URL does not serve (as an overlay for a
# distribution's repack sets): the document pairs its sum with its name, not
# with that URL.
mirror=$WORLD/mirror
mkdir -p "$mirror"
cp "$ROOT"/tests/fixtures/world/sources/* "$mirror/"
cp "$mirror/libfoo-1.0.tar.gz" "$mirror/libfoo_1.0.orig.tar.gz"
sed -i 's/^license-files = COPYING LICENSE$/license-files = COPYING\nfile = libfoo_1.0.orig.tar.gz/' recipes/libfoo.recipe
MIRROR=file://$mirror bs build x86_64
MIRROR=file://$mirror bs sbom x86_64
refs=$(python3 -c 'import json, sys
for c in json.load(open(sys.argv[1]))["components"]:
    for r in c.get("externalReferences", []):
        if c["name"] == "libfoo": print(r["url"], r["hashes"][0]["content"], r.get("comment", ""))' \
	"$sbom/initrd.cdx.json")
is "$refs" "libfoo_1.0.orig.tar.gz $libfoo_sum the source file's name: no URL of the recipe serves it; a mirror does" \
	"a source no URL of the recipe serves is named by its file, with its sum"

# A package taken from a binary cache was never fetched into the top: legal
# fetches its source (verified), and unpacks the tree its license file is in.
rm -rf "$TOP/sources/libfoo_1.0.orig.tar.gz" "$TOP/work/src/libfoo-1.0"
bs legal x86_64
is "$RC" 1 "legal fails when a source is missing and no place serves it"
like "$ERR" "libfoo_1.0.orig.tar.gz" "naming the file it could not fetch"
rm -rf "$legal"
MIRROR=file://$mirror bs legal x86_64
is "$RC" 0 "legal fetches a source the top lacks"
is "$(sha256sum <"$legal/sources/libfoo_1.0.orig.tar.gz" | cut -d' ' -f1)" "$libfoo_sum" \
	"and gathers it, as verified"
is "$(cat "$legal/licenses/libfoo-1.0/COPYING")" "libfoo may be copied under the MIT license." \
	"with the license file from its tree, unpacked and patched anew"

# A box no longer built (a recipe changed since): the initrd document from
# before would describe another box; it goes, and sbom says so.
ok "$([ -f "$sbom/initrd.cdx.json" ]; echo $?)" "an initrd document from before"
echo "# changed" >>recipes/app.recipe
MIRROR=file://$mirror bs sbom x86_64
is "$RC" 0 "sbom with the box stale"
is "$(grep initrd <<<"$OUT")" "sbom: no initrd document: the box of x86_64 is not built (bootstrap build x86_64); removed the one from before, $sbom/initrd.cdx.json" \
	"says the box is not built, and that the document from before is removed"
ok "$([ ! -e "$sbom/initrd.cdx.json" ] && [ -f "$sbom/toolchain.cdx.json" ]; echo $?)" \
	"which is gone; the toolchain's is there"
sed -i '/^# changed$/d' recipes/app.recipe

done_testing
