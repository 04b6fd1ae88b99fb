#!/bin/bash
# compare-toolchains.sh DIR1 DIR2: compares two toolchain folders file by
# file (SHA-256 of each regular file, the target of each link) and lists
# every difference. The Meson cross file names its top, so it may differ
# (README: "The same bytes from any top"); any other difference fails.
set -euo pipefail
[ $# = 2 ] || { echo "usage: compare-toolchains.sh DIR1 DIR2" >&2; exit 2; }
inventory() { # inventory DIR: "path<TAB>sha256" or "path<TAB>-> target", sorted
	(cd "$1" && find . \( -type f -o -type l \) -print0 | sort -z |
		while IFS= read -r -d '' f; do
			if [ -L "$f" ]; then printf '%s\t-> %s\n' "$f" "$(readlink "$f")"
			else printf '%s\t%s\n' "$f" "$(sha256sum <"$f" | cut -d' ' -f1)"; fi
		done)
}
a=$(inventory "$1")
b=$(inventory "$2")
echo "$(wc -l <<<"$a") entries in $1, $(wc -l <<<"$b") in $2"
differ=$(diff <(echo "$a") <(echo "$b") | sed -n 's/^[<>] \([^\t]*\)\t.*/\1/p' | sort -u || true)
allowed=$(grep '\.meson$' <<<"$differ" || true)
other=$(grep -v '\.meson$' <<<"$differ" || true)
[ -z "$allowed" ] || echo "differ, as documented: $allowed"
if [ -n "$other" ]; then
	echo "compare-toolchains: $(wc -l <<<"$other") entries differ:" >&2
	sed 's/^/  /' <<<"$other" | head -60 >&2
	exit 1
fi
echo "identical: every other file has the same SHA-256 and every link the same target"
