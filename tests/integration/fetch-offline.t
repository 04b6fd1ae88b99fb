#!/bin/bash
# fetch-offline.t: working without the internet, with no network at all. A
# plain path in MIRROR or BACKUP_MIRROR means that folder; when no place can
# be reached (the fixture recipes' urls are on .invalid, which never resolves,
# RFC 6761, and a closed port on 127.0.0.1), one summary names the ways to
# work offline instead of advice per file; fetch --list prints what to carry.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
unset MIRROR http_proxy https_proxy ftp_proxy all_proxy HTTP_PROXY HTTPS_PROXY FTP_PROXY ALL_PROXY
export FETCH_TRIES=1
SOURCES=$ROOT/tests/fixtures/world/sources
files=$(cd "$SOURCES" && ls)

# --- a plain path is a folder -------------------------------------------------
MIRROR=$SOURCES run_bs --top "$WORLD/t1" fetch
is "$RC" 0 "MIRROR=/absolute/path fetches from that folder"
like "$OUT" "fetch: get libfoo-1.0.tar.gz from file://$SOURCES/libfoo-1.0.tar.gz" "as a file:// URL"
mkdir "my mirror%"
cp "$SOURCES"/* "my mirror%/"
MIRROR="my mirror%" run_bs --top "$WORLD/t2" fetch libfoo
is "$RC" 0 "a relative MIRROR is a folder under the current one"
like "$OUT" "from file://$PROJECT/my%20mirror%25/libfoo-1.0.tar.gz" "percent-encoded"
BACKUP_MIRROR="my mirror%/" run_bs --top "$WORLD/t3" fetch app
is "$RC" 0 "so is a relative BACKUP_MIRROR"
like "$OUT" "fetch: got app-1.0.tar.gz" "which has the file"
MIRROR=no/such/folder run_bs --top "$WORLD/t4" fetch
is "$RC:$ERR" "2:bootstrap: error: MIRROR=no/such/folder: no such folder (give a folder that holds the source files, or a URL: file://, http://, https://, ftp://)" \
	"a MIRROR folder that does not exist is a usage error"
BACKUP_MIRROR=$SOURCES/app-1.0.tar.gz run_bs --top "$WORLD/t4" fetch
is "$RC" 2 "a BACKUP_MIRROR that is a file is a usage error"
like "$ERR" "^bootstrap: error: BACKUP_MIRROR=$SOURCES/app-1.0.tar.gz: not a folder" "naming the variable"
ok "$([ ! -e "$WORLD/t4" ]; echo $?)" "and nothing is written"

# --- no place can be reached ----------------------------------------------------
port=$(free_port)
MIRROR=http://127.0.0.1:$port run_bs --top "$WORLD/t5" fetch
is "$RC" 1 "a fetch where no host resolves or connects fails"
is "$(grep -c 'bootstrap: error' <<<"$ERR")" 1 "with one error, not one per file"
like "$ERR" "cannot fetch 5 files, no place could be reached" "that says no place could be reached"
like "$ERR" "  http://127.0.0.1:$port/[a-z]+-1.0.tar.gz: cannot connect" "with an example"
like "$ERR" "the files: ([a-z]+-1\.0\.tar\.gz(, |$)){5}" "naming the files"
like "$ERR" "set MIRROR to a folder or URL" "the ways to work offline: a mirror"
like "$ERR" "copy the files into $WORLD/t5/sources/" "copying the files"
like "$ERR" "https_proxy=" "a proxy"
like "$ERR" "tests/e2e/provision-mirror.sh" "a mirror provisioned from Debian"
ok "$(grep -q "fix the recipe" <<<"$ERR"; [ $? = 1 ]; echo $?)" "and no advice to fix the recipes"
mkdir "$WORLD/part"
cp "$SOURCES"/libfoo* "$WORLD/part/"
MIRROR=$WORLD/part run_bs --top "$WORLD/t6" fetch libfoo app
is "$RC" 1 "when some place answered, the files that failed fail"
like "$ERR" "cannot fetch app-1.0.tar.gz for app, every place failed:" "each with its own error"
like "$ERR" "^  file://$WORLD/part/app-1.0.tar.gz: cannot read the file" "that names each place"
like "$ERR" "fix the recipe's url or sha256" "and its advice"

# --- fetch --list -----------------------------------------------------------------
run_bs --top "$WORLD/t7" fetch --list
is "$RC" 0 "fetch --list succeeds offline"
is "$(cut -f1 <<<"$OUT" | sort)" "$files" "one line per source file the plans need"
is "$(grep '^libfoo' <<<"$OUT")" "libfoo-1.0.tar.gz	$(sha256sum <"$SOURCES/libfoo-1.0.tar.gz" | cut -c1-64)	https://fixtures.invalid/libfoo-1.0.tar.gz" \
	"file, sha256 and urls, tab-separated"
ok "$([ ! -e "$WORLD/t7" ]; echo $?)" "it writes nothing"
MIRROR=$SOURCES run_bs fetch --list app
is "$OUT" "app-1.0.tar.gz	$(sha256sum <"$SOURCES/app-1.0.tar.gz" | cut -c1-64)	https://fixtures.invalid/app-1.0.tar.gz" \
	"named packages list only theirs, with the recipes' urls, not the mirror"
run_bs status x86_64 --list
is "$RC" 2 "--list is for fetch only"
done_testing
