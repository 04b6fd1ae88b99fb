#!/bin/bash
# no-top-path.sh TOP DIR: fails, listing the files, when a file under DIR
# names TOP (a built toolchain must not tell where it was built). The Meson
# cross file is the documented exception: it names its compilers by absolute
# path.
set -euo pipefail
top=$(realpath "${1:?usage: no-top-path.sh TOP DIR}")
dir=${2:?usage: no-top-path.sh TOP DIR}
if hits=$(grep -rlF --exclude='*.meson' -e "$top" "$dir"); then
	echo "no-top-path: $(wc -l <<<"$hits") files under $dir name the top $top:" >&2
	sed 's/^/  /' <<<"$hits" | head -40 >&2
	exit 1
fi
echo "no file under $dir names $top (the Meson cross file aside)"
