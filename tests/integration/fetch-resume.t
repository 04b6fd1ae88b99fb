#!/bin/bash
# fetch-resume.t: .part files against a real nginx. Killed with SIGKILL in the
# middle of a rate-limited transfer, the next run asks for and gets only the
# missing bytes (nginx's access log shows the range and the body it sent); a
# .part longer than the file (416) starts again from byte 0; a .part that is
# the whole file is checked without a body; a .part whose first bytes are
# wrong is kept as .bad and fetched again; two runs at once share the work.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/nginx.sh"

SIZE=2097152
mkdir -p "$WWW/slow" "$WWW/pub"
gen_file "$WWW/slow/big-1.0.bin" $SIZE
gen_file "$WWW/pub/whole-1.0.bin" 300000
nginx_start "$WWW" 'location /slow/ { limit_rate 512k; }'
export RECIPES
RECIPES=$(fixture_recipes resume)
TOP=$WORLD/top
SRC=$TOP/sources
log_of() { grep "^$1 " "$NGINX_LOG" | cut -d' ' -f1-4; } # log_of URI: nginx's lines

wait_part() { # wait_part FILE BYTES: until sources/FILE.part has that many (10 s at most)
	local i s
	for i in $(seq 100); do
		s=$(stat -c %s "$SRC/$1.part" 2>/dev/null || echo 0)
		[ "$s" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# --- SIGKILL mid-transfer, then resume -----------------------------------------
"$BOOTSTRAP" --top "$TOP" fetch big >"$WORLD/killed.out" 2>&1 &
pid=$!
wait_part big-1.0.bin 400000
kill -9 $pid
wait $pid 2>/dev/null
part=$(stat -c %s "$SRC/big-1.0.bin.part")
ok "$([ "$part" -gt 0 ] && [ "$part" -lt $SIZE ]; echo $?)" "killed with $part of $SIZE bytes in the .part"
ok "$([ ! -e "$SRC/big-1.0.bin" ]; echo $?)" "no file in place after the kill"
run_bs --top "$TOP" fetch big
is "$RC" 0 "the rerun succeeds"
like "$OUT" "fetch: get big-1.0.bin from $NGINX_URL/slow/big-1.0.bin \(from byte $part\)" "it resumes at the .part's size"
is "$(sha256 "$SRC/big-1.0.bin")" "$(sha256 "$WWW/slow/big-1.0.bin")" "the resumed file has the right sum"
is "$(log_of /slow/big-1.0.bin | grep -c 'range=bytes')" 1 "one range request"
is "$(log_of /slow/big-1.0.bin | grep 'range=bytes')" "/slow/big-1.0.bin 206 range=bytes=$part- body=$((SIZE - part))" "nginx sent exactly the missing bytes"
ok "$([ ! -e "$SRC/big-1.0.bin.part" ]; echo $?)" "the .part is gone"

# --- a .part longer than the file: 416, then from byte 0 ----------------------
head -c 300100 /dev/zero >"$SRC/whole-1.0.bin.part"
run_bs --top "$TOP" fetch whole
is "$RC" 0 "a too long .part is no obstacle"
like "$OUT" "fetch: whole-1.0.bin from $NGINX_URL/pub/whole-1.0.bin: the .part is longer than the file; starting again from byte 0" "the restart is reported"
# (a 416's body is nginx's error page, not bytes of the file)
is "$(log_of /pub/whole-1.0.bin | sed 's/ 416 \(.*\) body=.*/ 416 \1/' | tr '\n' ,)" "/pub/whole-1.0.bin 416 range=bytes=300100-,/pub/whole-1.0.bin 200 range=- body=300000," "416, then the whole file"
is "$(sha256 "$SRC/whole-1.0.bin")" "$(sha256 "$WWW/pub/whole-1.0.bin")" "whole has its sum"

# --- a .part that is the whole file: checked, nothing sent --------------------
mv "$SRC/whole-1.0.bin" "$SRC/whole-1.0.bin.part"
: >"$NGINX_LOG"
run_bs --top "$TOP" fetch whole
is "$RC" 0 "a complete .part is put in place"
is "$(log_of /pub/whole-1.0.bin | cut -d' ' -f1-3)" "/pub/whole-1.0.bin 416 range=bytes=300000-" "asked from its end: one 416, no byte of the file sent"
is "$(sha256 "$SRC/whole-1.0.bin")" "$(sha256 "$WWW/pub/whole-1.0.bin")" "whole has its sum"

# --- a .part with wrong first bytes: .bad, then from byte 0 ---------------------
head -c 150000 /dev/zero >"$SRC/whole-1.0.bin.part"
rm "$SRC/whole-1.0.bin"
: >"$NGINX_LOG"
run_bs --top "$TOP" fetch whole
is "$RC" 0 "a .part with wrong bytes is healed"
like "$OUT" "fetch: whole-1.0.bin from $NGINX_URL/pub/whole-1.0.bin: sha256 mismatch: expected $(sha256 "$WWW/pub/whole-1.0.bin"), got [0-9a-f]{64} \(kept as $SRC/whole-1.0.bin.bad\); starting again from byte 0" "the mismatch after resuming is reported"
is "$(log_of /pub/whole-1.0.bin | tr '\n' ,)" "/pub/whole-1.0.bin 206 range=bytes=150000- body=150000,/pub/whole-1.0.bin 200 range=- body=300000," "the rest, then the whole file from the same place"
is "$(head -c 150000 "$SRC/whole-1.0.bin.bad" | tr -d '\0' | wc -c) $(stat -c %s "$SRC/whole-1.0.bin.bad")" "0 300000" "the bad bytes are kept as .bad"
is "$(sha256 "$SRC/whole-1.0.bin")" "$(sha256 "$WWW/pub/whole-1.0.bin")" "whole has its sum"

# --- a true prefix is continued ----------------------------------------------
head -c 123456 "$WWW/pub/whole-1.0.bin" >"$SRC/whole-1.0.bin.part"
rm "$SRC/whole-1.0.bin"
: >"$NGINX_LOG"
run_bs --top "$TOP" fetch whole
is "$RC" 0 "a good .part is continued"
is "$(log_of /pub/whole-1.0.bin)" "/pub/whole-1.0.bin 206 range=bytes=123456- body=176544" "only the rest is sent"

# --- two runs at once -------------------------------------------------------------
rm "$SRC/big-1.0.bin"
: >"$NGINX_LOG"
"$BOOTSTRAP" --top "$TOP" fetch big >"$WORLD/first.out" 2>&1 &
pid=$!
wait_part big-1.0.bin 1
run_bs --top "$TOP" fetch big
wait $pid
is "$?" 0 "the first run succeeds"
is "$RC" 0 "the second run succeeds"
like "$OUT" "fetch: waiting for another bootstrap that is fetching into $SRC" "the second run waits for the first"
like "$OUT" "\(1 already here, 0 fetched\)" "and then finds the file there"
is "$(log_of /slow/big-1.0.bin)" "/slow/big-1.0.bin 200 range=- body=$SIZE" "the file was sent once"

done_testing
