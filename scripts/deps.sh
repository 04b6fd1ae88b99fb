#!/bin/sh
# Installs the Debian packages named in config/debian-packages (or the files
# given). A mirror caught mid-sync makes `apt-get update` fail for one index
# while the others are fine, so an update error is only fatal when the
# install itself then fails; the install is retried once after a fresh update.
set -eu
cd "$(dirname "$0")/.."
lists=${*:-config/debian-packages}
pkgs=$(cat $lists | sed 's/#.*//' | tr -s ' \n' ' ')
if ! command -v apt-get >/dev/null 2>&1; then
	echo "make deps: not a Debian host; install the equivalents of: $pkgs" >&2
	exit 1
fi
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
update() {
	$sudo apt-get update -q || echo "make deps: apt-get update reported errors; installing with the indexes it got" >&2
}
install() {
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $pkgs
}
update
if ! install; then
	echo "make deps: install failed; updating again and retrying once" >&2
	sleep 10
	update
	install
fi
