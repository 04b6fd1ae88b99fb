#!/bin/bash
# provision-mirror.sh DIR: fills DIR with every source the e2e build needs,
# taken from Debian source packages, for a machine whose only way out is
# Debian's package archive.
# provision-mirror.sh --check: checks the table against the recipes and
# exits; no network, no apt (tests/integration/e2e-pins.t runs it; BOOTSTRAP
# names the driver that parses the recipes).
#
# The table is tests/e2e/debian-pins (PINS=FILE reads another): each source
# package at an exact Debian version, from a named suite.
#   1. Adds one deb-src entry listing the table's suites, derived from this
#      machine's own apt configuration (the archive's address is read from
#      there, never written in this project), and refreshes that entry only.
#   2. `apt-get source --download-only PACKAGE=VERSION` of each package whose
#      orig tarball is not yet in DIR/debian/. A pin the archive cannot serve
#      is an error naming the pin, the archive's answer and what the index
#      offers now; nothing already downloaded is removed.
#   3. Links (or copies) the orig tarballs into DIR under the table's mirror
#      names, each checked against the table's sha256 (which the recipes pin
#      too: --check).
#
# A rerun with everything in place hashes the files and does nothing else.
# Use: MIRROR=file://DIR RECIPES=tests/e2e/overlay:recipes ./bootstrap ...
set -eu

usage() { echo "usage: $0 DIR | --check" >&2; exit 2; }
say() { printf 'provision: %s\n' "$*"; }
die() { printf 'provision: error: %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || usage
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
pins=${PINS:-$here/debian-pins}
bootstrap=${BOOTSTRAP:-$project/bootstrap}
[ -f "$pins" ] || die "$pins: no such file"

sha256_of() {
	if command -v openssl >/dev/null 2>&1; then
		openssl dgst -sha256 -r "$1" | cut -d' ' -f1
	else
		sha256sum "$1" | cut -d' ' -f1
	fi
}

# --- the table ---------------------------------------------------------------

# Prints FILE:LINE: errors for every malformed line and exits 1 if any.
check_table_format() {
	awk -v f="$pins" '
		function err(m) { printf "%s:%d: %s\n", f, NR, m; bad = 1 }
		{ sub(/#.*/, "") }
		NF == 0 { next }
		$1 == "suite" { if (NF != 2) err("want: suite SUITE"); else suites[$2] = 1; next }
		$1 == "src" {
			if (NF != 7) { err("want: src SUITE PACKAGE=VERSION ORIG-FILE MIRROR-NAME RECIPE SHA256"); next }
			if (!($2 in suites)) err("suite " $2 " is not declared by a suite line above")
			if ($3 !~ /^[a-z0-9][a-z0-9.+-]*=[0-9A-Za-z.+~:-]+$/) err("not PACKAGE=VERSION: " $3)
			if ($6 !~ /^[a-z0-9][a-z0-9-]*=[0-9A-Za-z.+~-]+$/) err("not RECIPE=VERSION: " $6)
			if ($7 !~ /^[0-9a-f]+$/ || length($7) != 64) err("not a sha256: " $7)
			if ($5 in names) err("mirror name " $5 " also on line " names[$5])
			names[$5] = NR
			next
		}
		$1 == "kernel" {
			if (NF != 4) { err("want: kernel SUITE DEBIAN-ARCH PACKAGE=VERSION"); next }
			if ($2 !~ /^[a-z][a-z-]*$/) err("not a suite: " $2)
			if ($4 !~ /^[a-z0-9][a-z0-9.+-]*=[0-9A-Za-z.+~:-]+$/) err("not PACKAGE=VERSION: " $4)
			if ($3 in arches) err("kernel for " $3 " also on line " arches[$3])
			arches[$3] = NR
			next
		}
		$1 == "emulator" {
			if (NF < 4) { err("want: emulator SUITE DEBIAN-ARCH PACKAGE=VERSION..."); next }
			if ($2 !~ /^[a-z][a-z-]*$/) err("not a suite: " $2)
			for (i = 4; i <= NF; i++)
				if ($i !~ /^[a-z0-9][a-z0-9.+-]*=[0-9A-Za-z.+~:-]+$/) err("not PACKAGE=VERSION: " $i)
			if ($3 in emulators) err("emulator for " $3 " also on line " emulators[$3])
			emulators[$3] = NR
			next
		}
		{ err("unknown row kind " $1 " (suite, src, kernel or emulator)") }
		END { exit bad }' "$pins"
}

# Prints the src rows: SUITE PACKAGE VERSION ORIG MIRROR-NAME RECIPE SHA256 LINE.
src_rows() {
	awk '{ sub(/#.*/, "") } $1 == "src" {
		pv = $3; i = index(pv, "=")
		print $2, substr(pv, 1, i - 1), substr(pv, i + 1), $4, $5, $6, $7, NR }' "$pins"
}

suites() {
	awk '{ sub(/#.*/, "") } $1 == "suite" { printf "%s%s", sep, $2; sep = " " } END { print "" }' "$pins"
}

# Debian's orig name starts PACKAGE_UPSTREAM.orig.tar: the version without
# its epoch and Debian revision.
orig_prefix() {
	printf '%s_%s.orig.tar.' "$1" "$(printf '%s\n' "$2" | sed 's/^[0-9]*://; s/-[^-]*$//')"
}

# KEY of recipe RECIPE=VERSION as the e2e build parses it (overlay first).
recipe_value() {
	rv_version=${1#*=}
	RECIPES="$here/overlay:$project/recipes" "$bootstrap" show "${1%%=*}" ${rv_version:+"$1"} 2>/dev/null |
		sed -n "s/^$2 *= *//p" | head -1
}

# The table against the recipes: file names, sums, orig names, overlays.
check_table() {
	check_table_format || return 1
	[ -x "$bootstrap" ] || make -s -C "$project" bootstrap >&2 || return 1
	bad=0
	rows=$(src_rows)
	while read -r suite pkg ver orig name recipe sum line; do
		at="$pins:$line: $pkg=$ver"
		case $orig in "$(orig_prefix "$pkg" "$ver")"*) ;; *)
			echo "$at: orig file $orig does not belong to this version (want $(orig_prefix "$pkg" "$ver")*)"
			bad=1 ;;
		esac
		rfile=$(recipe_value "$recipe" file)
		rsum=$(recipe_value "$recipe" sha256)
		if [ -z "$rfile" ]; then
			echo "$at: no recipe ${recipe%%=*} offering ${recipe#*=} in tests/e2e/overlay or recipes"
			bad=1
			continue
		fi
		[ "$rfile" = "$name" ] ||
			{ echo "$at: recipe $recipe fetches $rfile, the table serves $name"; bad=1; }
		[ "$rsum" = "$sum" ] ||
			{ echo "$at: recipe $recipe pins sha256 $rsum, the table $sum"; bad=1; }
	done <<-ROWS
	$rows
	ROWS
	# Every offered version of every package fetches a file some row serves,
	# so that the offline suite can build any choice.
	for r in $(RECIPES="$here/overlay:$project/recipes" "$bootstrap" list | awk '{ print $1 }'); do
		for v in $(recipe_value "$r=" offers | sed 's/^follows [^:]*://; s/(the default)//; s/,/ /g'); do
			rfile=$(recipe_value "$r=$v" file)
			rsum=$(recipe_value "$r=$v" sha256)
			[ -n "$rsum" ] || continue
			printf '%s\n' "$rows" | awk -v f="$rfile" -v s="$rsum" '$5 == f && $7 == s { found = 1 } END { exit !found }' ||
				{ echo "recipe $r=$v fetches $rfile (sha256 $rsum), which no src row of $pins serves"; bad=1; }
		done
	done
	for f in "$here"/overlay/*.recipe; do
		r=$(basename "$f" .recipe)
		printf '%s\n' "$rows" | awk -v r="$r" '$6 ~ "^" r "=" { found = 1 } END { exit !found }' ||
			{ echo "$f: overlays $r, which no src row of $pins provisions"; bad=1; }
	done
	# Every arch the e2e suite boots has its kernel pinned.
	for a in $("$bootstrap" arch | awk '{ print $1 }'); do
		"$bootstrap" arch "$a" | grep -q '^no-boot = ' && continue
		deb=$("$bootstrap" arch "$a" debian)
		awk -v d="$deb" '{ sub(/#.*/, "") } $1 == "kernel" && $3 == d { found = 1 } END { exit !found }' "$pins" ||
			{ echo "$pins: no kernel row for $deb, which the e2e suite boots $a with (config/arches/$a.arch)"; bad=1; }
	done
	return $bad
}

if [ "$1" = --check ]; then
	check_table || die "the table and the recipes disagree (see above)"
	say "$pins agrees with the recipes (suites: $(suites))"
	exit 0
fi
check_table_format >&2 || die "$pins is malformed (see above)"

mkdir -p "$1"
dir=$(cd "$1" && pwd)
cache=$dir/debian
mkdir -p "$cache"

if [ "$(id -u)" = 0 ]; then
	sudo=
	sandbox='-o APT::Sandbox::User=root'
else
	sudo=sudo
	sandbox=
fi

# --- 1. one deb-src entry for the table's suites ----------------------------------

. "$here/apt-archive.sh"

entry=/etc/apt/sources.list.d/bootstrap-e2e-src.sources
# Our older, trixie-only entry would list trixie twice.
old_entry=/etc/apt/sources.list.d/bootstrap-e2e-trixie-src.sources
apt_ours="-o Dir::Etc::SourceList=$entry -o Dir::Etc::SourceParts=-"

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
		echo "Suites: $(suites)"
		echo "Components: main"
		[ -z "$signed" ] || echo "Signed-By: $signed"
	} >"$tmp"
	if [ -f "$entry" ] && cmp -s "$tmp" "$entry"; then
		rm -f "$tmp"
		say "deb-src entry for $(suites) already in $entry"
	else
		$sudo install -m 644 "$tmp" "$entry"
		rm -f "$tmp"
		say "wrote deb-src entry for $(suites) to $entry"
	fi
	if [ -f "$old_entry" ] && grep -q 'provision-mirror.sh' "$old_entry"; then
		$sudo rm -f "$old_entry"
	fi
	say "apt-get update ($(suites) sources only)"
	# shellcheck disable=SC2086 # option list on purpose
	$sudo apt-get -q update $apt_ours -o APT::Get::List-Cleanup=0 >"$cache/apt-update.log" 2>&1 ||
		{ tail -n 20 "$cache/apt-update.log" >&2; die "apt-get update failed (log: $cache/apt-update.log)"; }
}

# --- 2. the source packages, each at its pinned version -------------------------

# What the archive said about PKG=VER's orig file ORIG, from apt's log LOG.
archive_answer() {
	if grep -q -e "^E: Can not find version" -e "^E: Unable to find a source package" "$1"; then
		echo "no such version in the index"
		return
	fi
	answer=$(grep -F "$2" "$1" | grep -E '^(E: Failed to fetch|Err)' | head -1 |
		sed 's#[a-z]*://[^ ]*##; s/ *\[IP: [^]]*\]//; s/^E: Failed to fetch *//; s/^ *//')
	[ -n "$answer" ] || answer=$(grep -A1 '^Err' "$1" | grep -v '^Err' | head -1 | sed 's/ *\[IP: [^]]*\]//; s/^ *//')
	echo "${answer:-no error from apt, but no $2 either}"
}

# The versions of PKG the index offers now, as "VERSION (SUITE)" pairs.
index_offers() {
	# shellcheck disable=SC2086 # option list on purpose
	apt-cache $apt_ours madison "$1" 2>/dev/null |
		awk -F '|' '$3 ~ /Sources/ {
			v = $2; gsub(/ /, "", v); n = split($3, w, " "); s = w[n - 1]; sub(/\/.*/, "", s)
			printf "%s%s (%s)", sep, v, s; sep = ", " }'
}

# Fetches one pinned package; on failure explains and returns 1.
fetch_pin() { # SUITE PKG VER ORIG RECIPE
	log=$cache/apt-source-$2.log
	say "apt-get source --download-only $2=$3"
	# The .dsc and Debian's packaging tarball may answer 404 while the orig
	# tarball, the one file needed, downloads: judge by the orig alone.
	# shellcheck disable=SC2086 # option list on purpose
	(cd "$cache" && apt-get -q source --download-only --only-source $sandbox "$2=$3") >"$log" 2>&1 || true
	[ -f "$cache/$4" ] && return 0
	offers=$(index_offers "$2")
	echo "provision: error: $2=$3 ($1): cannot fetch $4: the archive answered: $(archive_answer "$log" "$4")" >&2
	echo "provision:   the index offers now: ${offers:-no version of $2 at all}" >&2
	echo "provision:   pick a version whose files download (apt-get source --print-uris $2=VERSION names them)," \
		"then update its row in $pins and recipe $5 (log: $log)" >&2
	return 1
}

bad=0
rows=$(src_rows)
missing=
while read -r suite pkg ver orig name recipe sum line; do
	if [ -f "$cache/$orig" ]; then
		say "have    $orig"
	else
		missing=yes
	fi
done <<ROWS
$rows
ROWS

if [ -n "$missing" ]; then
	write_entry
	while read -r suite pkg ver orig name recipe sum line; do
		[ -f "$cache/$orig" ] || fetch_pin "$suite" "$pkg" "$ver" "$orig" "$recipe" || bad=1
	done <<-ROWS
	$rows
	ROWS
fi

# --- 3. the mirror ----------------------------------------------------------------

while read -r suite pkg ver orig name recipe sum line; do
	src=$cache/$orig
	[ -f "$src" ] || continue
	dst=$dir/$name
	if [ -f "$dst" ] && [ "$(sha256_of "$dst")" = "$sum" ]; then
		say "ok      $name  $sum"
		continue
	fi
	got=$(sha256_of "$src")
	if [ "$got" != "$sum" ]; then
		echo "provision: error: $pkg=$ver: $orig has sha256 $got, $pins:$line pins $sum" >&2
		bad=1
		continue
	fi
	# A file with other bytes under this name is replaced in one step.
	ln -f "$src" "$dst.tmp" 2>/dev/null || cp "$src" "$dst.tmp"
	mv -f "$dst.tmp" "$dst"
	say "added   $name  $sum  (from $orig)"
done <<ROWS
$rows
ROWS

[ "$bad" = 0 ] || die "some files are missing or differ (see above); the mirror keeps what it has"
say "mirror ready: MIRROR=file://$dir"
