#!/bin/bash
# fetch-nginx.t: bootstrap fetch against a real nginx: places in order
# (MIRROR, the urls, BACKUP_MIRROR, file://), one download for a file two
# recipes share, a no-op rerun that reads nothing, and files in sources/ that
# were truncated or altered behind its back.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/nginx.sh"

mkdir -p "$WWW/pub" "$WWW/backup" "$WWW/mirror"
gen_file "$WWW/pub/alpha-1.0.tar.gz" 65536
gen_file "$WWW/pub/beta-1.0.tar.gz" 100000
gen_file "$WWW/pub/shared-1.0.tar.gz" 8388608
gen_file "$WWW/backup/epsilon-1.0.tar.gz" 1000
cp "$WWW/pub/alpha-1.0.tar.gz" "$WWW/mirror/"
nginx_start "$WWW"
export RECIPES
RECIPES=$(fixture_recipes basic)
TOP=$WORLD/top
SRC=$TOP/sources
requests() { grep -c "^$1 " "$NGINX_LOG"; } # requests URI: how many nginx logged

# --- one url ---------------------------------------------------------------
run_bs --top "$TOP" fetch alpha
is "$RC" 0 "fetch alpha succeeds"
is "$(sha256 "$SRC/alpha-1.0.tar.gz")" "$(sha256 "$WWW/pub/alpha-1.0.tar.gz")" "alpha is in sources/ with its sum"
is "$(printf '%s\n' "$OUT" | head -2)" "fetch: get alpha-1.0.tar.gz from $NGINX_URL/pub/alpha-1.0.tar.gz
fetch: got alpha-1.0.tar.gz (65536 bytes, sha256 ok)" "plain lines when it starts and finishes"
like "$OUT" "fetch: 1 of 1 files ready in $SRC \(0 already here, 1 fetched\)" "summary line"
ok "$(printf '%s' "$OUT" | grep -c $'\033')" "no escape codes when stdout is not a terminal"
is "$(grep alpha "$NGINX_LOG" | cut -d' ' -f1-4)" "/pub/alpha-1.0.tar.gz 200 range=- body=65536" "nginx sent the whole file once"
ok "$([ ! -e "$SRC/alpha-1.0.tar.gz.part" ]; echo $?)" "no .part left"

# --- 404 on the first url, the second has it -------------------------------
run_bs --top "$TOP" fetch beta
is "$RC" 0 "fetch beta succeeds from its second url"
like "$OUT" "fetch: beta-1.0.tar.gz from $NGINX_URL/nowhere/beta-1.0.tar.gz: HTTP 404; trying the next place" "the 404 is reported as a line"
is "$(requests /nowhere/beta-1.0.tar.gz) $(requests /pub/beta-1.0.tar.gz)" "1 1" "a 404 is not retried; the next url is asked once"
is "$(sha256 "$SRC/beta-1.0.tar.gz")" "$(sha256 "$WWW/pub/beta-1.0.tar.gz")" "beta has its sum"

# --- two recipes, one file ----------------------------------------------------
run_bs --top "$TOP" --jobs 4 fetch gamma delta
is "$RC" 0 "gamma and delta, which share a file, succeed"
is "$(requests /pub/shared-1.0.tar.gz)" 1 "the shared file is downloaded once"
is "$(printf '%s\n' "$OUT" | grep -c '^fetch: get ')" 1 "one transfer started"

# --- BACKUP_MIRROR comes last ------------------------------------------------
run_bs --top "$TOP" fetch epsilon
is "$RC" 1 "epsilon fails without BACKUP_MIRROR"
is "$ERR" "bootstrap: error: cannot fetch epsilon-1.0.tar.gz for epsilon, every place failed:
  $NGINX_URL/nowhere/epsilon-1.0.tar.gz: HTTP 404
(fix the recipe's url or sha256, or set MIRROR or BACKUP_MIRROR to a place that has the file)" "the error names each place and why"
ok "$([ ! -e "$SRC/epsilon-1.0.tar.gz" ] && [ ! -e "$SRC/epsilon-1.0.tar.gz.part" ]; echo $?)" "nothing left of epsilon"
BACKUP_MIRROR=$NGINX_URL/backup/ run_bs --top "$TOP" fetch epsilon
is "$RC" 0 "epsilon comes from BACKUP_MIRROR"
is "$(grep -o '^/[a-z]*/epsilon[^ ]* [0-9]*' "$NGINX_LOG" | tr '\n' ,)" "/nowhere/epsilon-1.0.tar.gz 404,/nowhere/epsilon-1.0.tar.gz 404,/backup/epsilon-1.0.tar.gz 200," "the url first, the backup mirror after"

# --- MIRROR comes first; file:// works offline ------------------------------
MIRROR=$NGINX_URL/mirror run_bs --top "$WORLD/top2" fetch alpha
is "$RC" 0 "alpha from MIRROR"
is "$(requests /mirror/alpha-1.0.tar.gz) $(requests /pub/alpha-1.0.tar.gz)" "1 1" "MIRROR asked, the recipe url not again"
before=$(wc -l <"$NGINX_LOG")
MIRROR=file://$WWW/pub run_bs --top "$WORLD/top3" fetch alpha beta gamma
is "$RC" 0 "MIRROR=file:// gives every file"
is "$(wc -l <"$NGINX_LOG")" "$before" "no request reached the server"
is "$(sha256 "$WORLD/top3/sources/shared-1.0.tar.gz")" "$(sha256 "$WWW/pub/shared-1.0.tar.gz")" "the file:// copy has the right sum"

# --- a no-op rerun reads no source file -------------------------------------
# rchar of a shell counts the bytes its reaped children read.
read_bytes() { bash -c '"$@" >/dev/null 2>&1; awk "/^rchar/ {print \$2}" /proc/$$/io' _ "$@"; }
n=$(read_bytes "$BOOTSTRAP" --top "$TOP" fetch alpha beta gamma delta)
ok "$([ "$n" -lt 4000000 ]; echo $?)" "a rerun with everything verified reads no source (read $n bytes)"
run_bs --top "$TOP" fetch alpha beta gamma delta
like "$OUT" "fetch: 3 of 3 files ready in $SRC \(3 already here, 0 fetched\)" "everything was here"
rm "$SRC/.verified"
n=$(read_bytes "$BOOTSTRAP" --top "$TOP" fetch gamma)
ok "$([ "$n" -ge 8388608 ]; echo $?)" "without sources/.verified the file is hashed again (read $n bytes)"
is "$(cut -d' ' -f1,2,7 "$SRC/.verified" | tail -1)" "$(sha256 "$WWW/pub/shared-1.0.tar.gz") 8388608 shared-1.0.tar.gz" ".verified records sum, size and name"

# --- truncated or altered files are not trusted ------------------------------
n_before=$(requests /pub/shared-1.0.tar.gz)
truncate -s 4000000 "$SRC/shared-1.0.tar.gz"
run_bs --top "$TOP" fetch gamma
is "$RC" 0 "a truncated file is fetched again"
like "$OUT" "fetch: $SRC/shared-1.0.tar.gz does not match its sha256 \(expected [0-9a-f]{64}, got [0-9a-f]{64}\); kept as $SRC/shared-1.0.tar.gz.bad, fetching it again" "the mismatch is reported"
is "$(stat -c %s "$SRC/shared-1.0.tar.gz.bad")" 4000000 "the truncated file is kept as .bad"
is "$(sha256 "$SRC/shared-1.0.tar.gz")" "$(sha256 "$WWW/pub/shared-1.0.tar.gz")" "the new copy has the right sum"
is "$(requests /pub/shared-1.0.tar.gz)" "$((n_before + 1))" "downloaded once more"

cp -p "$SRC/alpha-1.0.tar.gz" "$WORLD/alpha.orig"
printf 'X' | dd of="$SRC/alpha-1.0.tar.gz" bs=1 seek=1000 conv=notrunc status=none
touch -r "$WORLD/alpha.orig" "$SRC/alpha-1.0.tar.gz"
is "$(stat -c '%s %Y' "$SRC/alpha-1.0.tar.gz")" "$(stat -c '%s %Y' "$WORLD/alpha.orig")" "altered in place, same size and mtime"
run_bs --top "$TOP" fetch alpha
is "$RC" 0 "the altered file is fetched again"
ok "$(cmp -s "$SRC/alpha-1.0.tar.gz.bad" "$WORLD/alpha.orig"; [ $? -eq 1 ]; echo $?)" "the altered bytes are kept as .bad"
is "$(sha256 "$SRC/alpha-1.0.tar.gz")" "$(sha256 "$WWW/pub/alpha-1.0.tar.gz")" "alpha has its sum again"

done_testing
