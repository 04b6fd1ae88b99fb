#!/bin/bash
# Hostile values and settings are refused before anything runs: every value a
# recipe uses as a file name (name, version, file, dir, inner) at parse time,
# and every setting of the environment before a build or fetch starts; each
# exits 2 with file:line (or the variable) and writes nothing.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project

# refused DESCRIPTION PATTERN: every command that reads recipes says PATTERN,
# exits 2 and leaves the top alone.
refused() {
	local cmd
	for cmd in list "plan x86_64" "build x86_64" fetch "status x86_64"; do
		# shellcheck disable=SC2086
		run_bs --top "$TOP" $cmd
		is "$RC" 2 "$1: $cmd exits 2"
		like "$ERR" "$2" "$1: $cmd names file:line"
	done
	ok "$([ ! -e "$TOP" ]; echo $?)" "$1: nothing written"
}

# name = . in recipes/..recipe matches its file name, and would name work/src/.-1.0's parent.
printf 'name = .\nversion = 1.0\nlicense = MIT\nstage = host\n' >recipes/..recipe
refused "name = ." "^bootstrap: error: recipes/\.\.recipe:1: name '\.' is not a plain file name \(it is \. or \.\.\)"
rm recipes/..recipe

cp recipes/app.recipe "$WORLD/app.orig"
edit() { # edit SED-EXPRESSION: a fresh app.recipe with one change
	sed "$1" "$WORLD/app.orig" >recipes/app.recipe
}
edit 's|^version = .*|version = ../..|'
refused "version = ../.." "^bootstrap: error: recipes/app\.recipe:3: version '\.\./\.\.' is not a plain file name \(it contains '/'\)"
edit "s|^version = .*|version = $(printf 'v%.0s' $(seq 300))|"
refused "a 300-byte version" "^bootstrap: error: recipes/app\.recipe:3: version 'v+' is not a plain file name \(it is longer than 200 bytes\)"
edit 's|^stage .*|&\nfile    = ../../etc/x|'
refused "file = ../../etc/x" "^bootstrap: error: recipes/app\.recipe:8: file '\.\./\.\./etc/x' is not a plain file name"
edit 's|^stage .*|&\ndir     = ../..|'
refused "dir = ../.." "^bootstrap: error: recipes/app\.recipe:8: dir '\.\./\.\.' is not a plain file name"
edit 's|^stage .*|&\ninner   = ../x.tar.gz|'
refused "inner = ../x.tar.gz" "^bootstrap: error: recipes/app\.recipe:8: inner '\.\./x\.tar\.gz' is not a path inside the tree"

# An overlay is checked after it is laid over its base.
cp "$WORLD/app.orig" recipes/app.recipe
mkdir site
printf 'overlay = yes\ndir = ..\n' >site/app.recipe
RECIPES=site:recipes refused "an overlay's dir = .." "^bootstrap: error: site/app\.recipe:2: dir '\.\.' is not a plain file name"
printf 'overlay = yes\nversion = ../1.0\n' >site/app.recipe
RECIPES=site:recipes refused "an overlay's version" "^bootstrap: error: site/app\.recipe:2: version '\.\./1\.0' is not a plain file name"

# The rule that a recipe's name is its file's name stays.
edit 's|^name .*|name    = ../app|'
refused "name = ../app" "^bootstrap: error: recipes/app\.recipe:2: name '\.\./app' does not match the file name"
cp "$WORLD/app.orig" recipes/app.recipe

# Arch files: their names are checked like recipe values, with file:line.
cp -r config/arches "$WORLD/arches.orig"
printf 'name = ..\ntriplet = p-linux-musl\nkernel-arch = p\nqemu = p\ndebian = p\n' >config/arches/...arch
refused "an arch named .." "^bootstrap: error: config/arches/\.\.\.arch:1: name '\.\.' is not a plain name \(it is \. or \.\.\)"
rm config/arches/...arch
sed -i 's|^triplet .*|triplet = ../../escape|' config/arches/i686.arch
refused "triplet = ../../escape" "^bootstrap: error: config/arches/i686\.arch:5: triplet '\.\./\.\./escape' is not a plain name \(it contains '/'\)"
sed -i 's|^triplet .*|triplet = i686-linux-musl|; s|^aliases .*|aliases = i386 x86 clean|' config/arches/i686.arch
refused "an alias that is a make target" "^bootstrap: error: config/arches/i686\.arch:4: alias 'clean' cannot name an arch \(it is a target of the Makefile\)"
sed -i 's|^aliases .*|aliases = i386 x86 i386|' config/arches/i686.arch
refused "an alias given twice" "^bootstrap: error: config/arches/i686\.arch:4: 'i386' is given twice"
rm -r config/arches && cp -r "$WORLD/arches.orig" config/arches

# Settings: checked before the first package is fetched or built. timeout:
# FETCH_BACKOFF=nan once made a retry wait forever.
bad_setting() { # bad_setting VAR=VALUE MESSAGE: build and fetch refuse it
	local var=${1%%=*} saved=${MIRROR-} cmd
	export "$1"
	for cmd in "build x86_64" fetch; do
		# shellcheck disable=SC2086
		OUT=$(timeout 120 "$BOOTSTRAP" --top "$TOP" $cmd 2>"$WORLD/.stderr") && RC=0 || RC=$?
		is "$RC.$(cat "$WORLD/.stderr")" "2.bootstrap: error: $2" "$1: $cmd exits 2, naming it"
	done
	ok "$([ ! -e "$TOP" ]; echo $?)" "$1: nothing fetched or built"
	unset "$var"
	export MIRROR=$saved
}
bad_setting FETCH_BACKOFF=nan "FETCH_BACKOFF must be a number from 0 to 600, not 'nan'"
bad_setting FETCH_TRIES=inf "FETCH_TRIES must be a whole number from 1 to 100, not 'inf'"
bad_setting FETCH_CONNECT_TIMEOUT=NaN "FETCH_CONNECT_TIMEOUT must be a number from 0.001 to 3600, not 'NaN'"
bad_setting FETCH_LOW_SPEED_TIME=1e9 "FETCH_LOW_SPEED_TIME must be a whole number from 1 to 3600, not '1e9'"
bad_setting COMPRESS=lz4 "unknown COMPRESS 'lz4' (valid: gzip, zstd, xz, none)"
bad_setting COMPRESS_LEVEL=fast "COMPRESS_LEVEL 'fast' is not a number; gzip takes 1-9"
bad_setting SOURCE_DATE_EPOCH=soon "SOURCE_DATE_EPOCH 'soon' is not a number of seconds since 1970 (0-4294967295)"
bad_setting MIRROR=/srv/tarballs "MIRROR=/srv/tarballs: no such folder (give a folder that holds the source files, or a URL: file://, http://, https://, ftp://)"
bad_setting MIRROR=htps://example.invalid "MIRROR must be a folder or a URL prefix starting with file://, http://, https:// or ftp://, not 'htps://example.invalid'"
done_testing
