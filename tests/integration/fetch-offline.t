#!/bin/bash
# fetch-offline.t: working without the internet, with no network at all. A
# plain path in MIRROR or BACKUP_MIRROR means that folder.
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

done_testing
