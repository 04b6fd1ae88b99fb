#!/bin/bash
# fetch-schemes.t: file:// and ftp:// places (MIRROR=file:// is how fetch
# works offline): a .part is resumed from its size (the FTP server's log shows
# the bytes it sent), a .part longer than the file starts again from byte 0,
# and a missing file is an error that names the place. The FTP server is
# pyftpdlib (Debian: python3-pyftpdlib); without it that half is skipped.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/nginx.sh"

mkdir -p "$WWW/pub"
gen_file "$WWW/pub/alpha-1.0.tar.gz" 65536
gen_file "$WWW/pub/beta-1.0.tar.gz" 100000
gen_file "$WWW/pub/shared-1.0.tar.gz" 1000
gen_file "$WWW/pub/epsilon-1.0.tar.gz" 10
export RECIPES
RECIPES=$(fixture_recipes basic) # urls on a closed port: only MIRROR can help
export FETCH_TRIES=1

parts() { # parts TOP: alpha resumable at 30000, beta's .part too long
	mkdir -p "$1/sources"
	head -c 30000 "$WWW/pub/alpha-1.0.tar.gz" >"$1/sources/alpha-1.0.tar.gz.part"
	head -c 200000 /dev/zero >"$1/sources/beta-1.0.tar.gz.part"
}
same() { # same TOP: alpha, beta and shared in TOP/sources are the originals
	local f
	for f in alpha-1.0.tar.gz beta-1.0.tar.gz shared-1.0.tar.gz; do
		cmp -s "$WWW/pub/$f" "$1/sources/$f" || return 1
	done
}

# --- file:// ---------------------------------------------------------------------
parts "$WORLD/t1"
MIRROR=file://$WWW/pub run_bs --top "$WORLD/t1" fetch alpha beta gamma
is "$RC" 0 "MIRROR=file:// fetches everything"
like "$OUT" "fetch: get alpha-1.0.tar.gz from file://$WWW/pub/alpha-1.0.tar.gz \(from byte 30000\)" "file:// resumes a .part"
like "$OUT" "fetch: beta-1.0.tar.gz from file://$WWW/pub/beta-1.0.tar.gz: the .part is longer than the file; starting again from byte 0" "a too long .part starts again"
ok "$(same "$WORLD/t1"; echo $?)" "every file has its sum"
MIRROR=file://$WORLD/nowhere run_bs --top "$WORLD/t1b" fetch alpha
is "$(printf '%s\n' "$ERR" | sed -n 2,3p)" "  file://$WORLD/nowhere/alpha-1.0.tar.gz: cannot read the file
  http://127.0.0.1:9/pub/alpha-1.0.tar.gz: cannot connect: Connection refused" "a missing file:// file and a closed port, each with its reason"

# --- ftp:// ----------------------------------------------------------------------------
PY=
for p in python3 /usr/bin/python3; do
	"$p" -c 'import pyftpdlib' 2>/dev/null && PY=$p && break
done
if [ -z "$PY" ]; then
	ok 0 "# SKIP no pyftpdlib (apt-get install python3-pyftpdlib)"
	done_testing
	exit
fi
port=$(free_port)
"$PY" -m pyftpdlib -i 127.0.0.1 -p "$port" -d "$WWW/pub" >"$WORLD/ftp.log" 2>&1 &
ftp_pid=$!
at_exit "kill $ftp_pid 2>/dev/null; wait $ftp_pid 2>/dev/null"
wait_port "$port" || { echo "Bail out! pyftpdlib did not start"; exit 1; }
FTP=ftp://127.0.0.1:$port

parts "$WORLD/t2"
MIRROR=$FTP/ run_bs --top "$WORLD/t2" fetch alpha beta gamma
is "$RC" 0 "MIRROR=ftp:// fetches everything"
like "$OUT" "fetch: get alpha-1.0.tar.gz from $FTP/alpha-1.0.tar.gz \(from byte 30000\)" "ftp:// resumes a .part"
ok "$(same "$WORLD/t2"; echo $?)" "every file has its sum"
is "$(grep -o 'RETR .*/alpha-1.0.tar.gz completed=1 bytes=[0-9]*' "$WORLD/ftp.log" | sed 's/.*bytes=//')" 35536 "the server sent alpha's missing 35536 bytes only"
is "$(grep -o 'RETR .*/beta-1.0.tar.gz completed=1 bytes=[0-9]*' "$WORLD/ftp.log" | sed 's/.*bytes=//')" 100000 "and beta from byte 0"
rm -f "$WWW/pub/epsilon-1.0.tar.gz"
MIRROR=$FTP/ run_bs --top "$WORLD/t2c" fetch epsilon
is "$(printf '%s\n' "$ERR" | sed -n 2p)" "  $FTP/epsilon-1.0.tar.gz: no such file on the server" "a missing ftp:// file is named as such"

done_testing
