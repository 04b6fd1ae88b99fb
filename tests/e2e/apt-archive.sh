# apt-archive.sh: sourced by provision-mirror.sh and kernel.sh, which derive
# their apt entries from the machine's own (the archive's address is read
# from there, never written in this project).

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
