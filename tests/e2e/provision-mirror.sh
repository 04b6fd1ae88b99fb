#!/bin/sh
# provision-mirror.sh DIR: fills DIR with every source the e2e build needs,
# taken from Debian trixie's source packages, for a machine whose only way out
# is Debian's package archive.
#
#   1. Adds a deb-src entry for trixie, derived from this machine's own apt
#      configuration (the archive's address is read from there, never written
#      in this project), and refreshes that one list.
#   2. `apt-get source --download-only` of each source package into
#      DIR/debian/, skipping packages whose .dsc is already there.
#   3. Links (or copies) the orig tarballs into DIR: the ones that are the very
#      bytes upstream released under their upstream names, so the shipped
#      recipes verify them unchanged; Debian's repacks under Debian's names,
#      for tests/e2e/overlay/. Every file is checked against the sha256 of the
#      recipe that fetches it (overlay first, then recipes/).
#
# A rerun with everything in place hashes the files and does nothing else.
# Use: MIRROR=file://DIR RECIPES=tests/e2e/overlay:recipes ./bootstrap ...
set -eu

usage() { echo "usage: $0 DIR" >&2; exit 2; }
say() { printf 'provision: %s\n' "$*"; }
die() { printf 'provision: error: %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || usage
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
mkdir -p "$1"
dir=$(cd "$1" && pwd)
cache=$dir/debian
mkdir -p "$cache"

# source package, Debian's orig file, name in the mirror, recipe that fetches it
table='
musl     musl_1.2.5.orig.tar.gz                   musl-1.2.5.tar.gz                        musl
mpfr4    mpfr4_4.2.2.orig.tar.xz                  mpfr-4.2.2.tar.xz                        mpfr
mpclib3  mpclib3_1.3.1.orig.tar.gz                mpc-1.3.1.tar.gz                         mpc
isl      isl_0.27.orig.tar.xz                     isl-0.27.tar.xz                          isl
busybox  busybox_1.37.0.orig.tar.bz2              busybox-1.37.0.tar.bz2                   busybox
curl     curl_8.14.1.orig.tar.gz                  curl-8.14.1.tar.gz                       curl
gcc-14   gcc-14_14.2.0.orig.tar.gz                gcc-14_14.2.0.orig.tar.gz                gcc
gmp      gmp_6.3.0+dfsg.orig.tar.xz               gmp_6.3.0+dfsg.orig.tar.xz               gmp
binutils binutils_2.44.orig.tar.xz                binutils_2.44.orig.tar.xz                binutils
zlib     zlib_1.3.dfsg+really1.3.1.orig.tar.gz    zlib_1.3.dfsg+really1.3.1.orig.tar.gz    zlib
linux    linux_6.12.107.orig.tar.xz               linux_6.12.107.orig.tar.xz               linux-headers
mbedtls  mbedtls_3.6.6.orig.tar.bz2               mbedtls-3.6.6.tar.bz2                    mbedtls
'

if [ "$(id -u)" = 0 ]; then
	sudo=
	sandbox='-o APT::Sandbox::User=root'
else
	sudo=sudo
	sandbox=
fi

sha256_of() {
	if command -v openssl >/dev/null 2>&1; then
		openssl dgst -sha256 -r "$1" | cut -d' ' -f1
	else
		sha256sum "$1" | cut -d' ' -f1
	fi
}

# The sha256 a recipe pins, from the first folder of the search path that has it.
recipe_sum() {
	for d in "$here/overlay" "$project/recipes"; do
		if [ -f "$d/$1.recipe" ]; then
			sed -n 's/^sha256[[:space:]]*=[[:space:]]*\([0-9a-f]*\).*/\1/p' "$d/$1.recipe"
			return
		fi
	done
	die "no recipe named $1"
}

# --- 1. a deb-src entry for trixie, from this machine's own configuration -----

# Prints "URI<TAB>SIGNED-BY" of the first Debian deb entry: deb822 stanzas of
# debian.sources first, then other *.sources, then one-line *.list entries. A
# URI whose path ends in /debian is preferred over others (security, ports).
find_archive() {
	{
		for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			awk '
				function flush() {
					if (uri != "" && types ~ /(^|[ \t])deb([ \t]|$)/) print uri "\t" sb
					uri = ""; sb = ""; types = ""
				}
				/^[ \t]*$/ { flush(); next }
				/^[Tt]ypes:/ { sub(/^[^:]*:[ \t]*/, ""); types = $0 }
				/^URIs:/ { sub(/^[^:]*:[ \t]*/, ""); split($0, u, /[ \t]+/); uri = u[1] }
				/^Signed-By:/ { sub(/^[^:]*:[ \t]*/, ""); sb = $0 }
				END { flush() }' "$f"
		done
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[ -f "$f" ] || continue
			awk '$1 == "deb" {
				sb = ""; i = 2
				if ($2 ~ /^\[/) {
					for (; i <= NF; i++) {
						if ($i ~ /^\[?signed-by=/) { sb = $i; sub(/^\[?signed-by=/, "", sb); sub(/\]$/, "", sb) }
						if ($i ~ /\]$/) { i++; break }
					}
				}
				print $i "\t" sb
			}' "$f"
		done
	} | awk -F '\t' '
		!first { first = $0 }
		$1 ~ /\/debian\/?$/ { print; found = 1; exit }
		END { if (!found && first) print first }'
}

entry=/etc/apt/sources.list.d/bootstrap-e2e-trixie-src.sources

write_entry() {
	found=$(find_archive)
	[ -n "$found" ] || die "no deb entry in /etc/apt/sources.list{,.d/}: cannot tell where Debian's archive is"
	uri=$(printf '%s\n' "$found" | cut -f1)
	signed=$(printf '%s\n' "$found" | cut -f2)
	tmp=$(mktemp)
	{
		echo "# Written by the bootstrap project's tests/e2e/provision-mirror.sh."
		echo "Types: deb-src"
		echo "URIs: $uri"
		echo "Suites: trixie"
		echo "Components: main"
		[ -z "$signed" ] || echo "Signed-By: $signed"
	} >"$tmp"
	if [ -f "$entry" ] && cmp -s "$tmp" "$entry"; then
		rm -f "$tmp"
		say "deb-src entry for trixie already in $entry"
	else
		$sudo install -m 644 "$tmp" "$entry"
		rm -f "$tmp"
		say "wrote deb-src entry for trixie to $entry"
	fi
	# Refresh only our entry's lists; keep the others as they are.
	say "apt-get update (trixie sources only)"
	$sudo apt-get -q update -o Dir::Etc::SourceList="$entry" -o Dir::Etc::SourceParts=- \
		-o APT::Get::List-Cleanup=0 >"$cache/apt-update.log" 2>&1 ||
		{ tail -n 20 "$cache/apt-update.log" >&2; die "apt-get update failed (log: $cache/apt-update.log)"; }
}

# --- 2. the source packages ----------------------------------------------------

# A package is cached when its orig tarball is: apt moves a file into place
# only once it matches the .dsc's sums.
missing=
printf '%s\n' "$table" | awk 'NF' >"$cache/.table"
while read -r pkg orig name recipe; do
	if [ -f "$cache/$orig" ]; then
		say "have    $orig"
	else
		missing="$missing $pkg"
	fi
done <"$cache/.table"

if [ -n "$missing" ]; then
	write_entry
	args=
	for pkg in $missing; do
		args="$args $pkg/trixie"
	done
	say "apt-get source --download-only$args"
	# Only the orig tarballs matter here: a Debian packaging tarball the
	# archive cannot serve is a warning, a missing orig is checked below.
	# shellcheck disable=SC2086 # word lists on purpose
	if ! (cd "$cache" && apt-get -q source --download-only --only-source $sandbox $args) \
		>"$cache/apt-source.log" 2>&1; then
		grep '^[EW]:' "$cache/apt-source.log" |
			sed 's#[a-z]*://[^/ ]*#<archive>#g; s/ *\[IP: [^]]*\]//; s/^/provision: warning: apt: /' >&2 || true
	fi
	for pkg in $missing; do
		say "fetched $pkg: $(cd "$cache" && ls "${pkg}_"*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | tr '\n' ' ')"
	done
fi

# --- 3. the mirror ----------------------------------------------------------------

bad=0
while read -r pkg orig name recipe; do
	src=$cache/$orig
	if [ ! -f "$src" ]; then
		have=$(cd "$cache" && ls "${pkg}_"*.orig.tar.* 2>/dev/null | tr '\n' ' ')
		echo "provision: error: $pkg: expected $orig, trixie now has: ${have:-nothing}" >&2
		echo "provision:   update this script's table and tests/e2e/overlay/$recipe.recipe" >&2
		bad=1
		continue
	fi
	want=$(recipe_sum "$recipe")
	dst=$dir/$name
	if [ -f "$dst" ] && [ "$(sha256_of "$dst")" = "$want" ]; then
		say "ok      $name  $want"
		continue
	fi
	got=$(sha256_of "$src")
	if [ "$got" != "$want" ]; then
		echo "provision: error: $orig has sha256 $got, recipe $recipe pins $want" >&2
		bad=1
		continue
	fi
	rm -f "$dst"
	ln "$src" "$dst" 2>/dev/null || cp "$src" "$dst"
	say "added   $name  $want  (from $orig)"
done <"$cache/.table"
rm -f "$cache/.table"

[ "$bad" = 0 ] || die "some files are missing or differ (see above)"
say "mirror ready: MIRROR=file://$dir"
