# apt-archive.sh: sourced by provision-mirror.sh, kernel.sh and emulator.sh (bash:
# own_apt has arrays), which derive their apt entries from the machine's own (the
# archive's address is read from there, never written in this project).

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

# own_apt DIR SUITE ARCH: apt of our own, with one entry (SUITE, main, ARCH
# only) and its lists in DIR, updated; sets apt_opts for apt-get and
# apt-cache. The machine's apt and dpkg stay as they are.
own_apt() {
	local apt=$1 suite=$2 arch=$3 found uri signed
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	found=$(find_archive)
	[ -n "$found" ] || { echo "${0##*/}: no deb entry in /etc/apt/sources.list{,.d/}: cannot tell where Debian's archive is" >&2; return 1; }
	uri=$(cut -f1 <<<"$found") signed=$(cut -f2 <<<"$found")
	echo "deb [arch=$arch${signed:+ signed-by=$signed}] $uri $suite main" >"$apt/sources.list"
	apt_opts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=-
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
		-o APT::Architectures::="$arch")
	[ "$(id -u)" = 0 ] && apt_opts+=(-o APT::Sandbox::User=root)
	apt-get "${apt_opts[@]}" -q update >"$apt/update.log" 2>&1 ||
		{ tail -n 5 "$apt/update.log" >&2; echo "${0##*/}: apt-get update for $suite/$arch failed (log: $apt/update.log)" >&2; return 1; }
}

# for_arch ARCH: for the scripts that fetch for one arch (their $here set):
# root (the project), pins (the table, or PINS=FILE) and deb (ARCH's Debian
# name); archval NAME KEY reads the arch table. Exits 2 on an unknown arch.
archval() { (cd "$root" && ./bootstrap arch "$1" "$2"); }
for_arch() {
	root=$(cd "$here/../.." && pwd)
	pins=${PINS:-$here/debian-pins}
	deb=$(archval "$1" debian) || { echo "${0##*/}: unknown arch '$1'" >&2; exit 2; }
}
