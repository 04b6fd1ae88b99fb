#!/bin/sh
# npm-deps.sh LIST: installs the npm packages LIST names (one per line, with
# an exact version) into build/npm, for the tests. Without npm it says which
# tests will skip a part, and succeeds.
set -eu
list=${1:?usage: npm-deps.sh LIST}
pkgs=$(sed 's/#.*//' "$list" | tr -s ' \n' ' ')
if ! command -v npm >/dev/null 2>&1; then
	echo "npm-deps: no npm here; the tests that need $pkgs will skip that part"
	exit 0
fi
echo "npm-deps: npm install $pkgs into build/npm"
# shellcheck disable=SC2086 # one word per package
npm install --prefix build/npm --no-audit --no-fund --silent $pkgs
