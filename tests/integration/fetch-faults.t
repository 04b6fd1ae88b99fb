#!/bin/bash
# fetch-faults.t: bootstrap fetch against tests/lib/faultserver.py: a
# connection closed mid-body, a Range ignored (200), wrong bytes, 404 then
# success, a redirect chain and a redirect loop, a stall (low-speed timeout),
# a Content-Length longer than the body, and a file no place can give, whose
# error lists every place and why. Each case checks sources/ and the server's
# log of what it sent.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/nginx.sh"

SIZE=262144
HALF=$((SIZE / 2))
mkdir -p "$WWW"
for i in 1 2 3 4 5 6 7 8 9; do gen_file "$WWW/f$i.bin" $SIZE; done
fault_start "$WWW"
# A 1-second low-speed limit only for the stall: elsewhere it would turn a
# loaded machine's slow answer into a retry and extra lines in the log.
export RECIPES FETCH_TRIES=2 FETCH_BACKOFF=0.1
RECIPES=$(fixture_recipes faults)
TOP=$WORLD/top
SRC=$TOP/sources
F=$FAULT_URL
served() { grep "/$1 " "$FAULT_LOG" | tr '\n' ,; } # served FILE: the server's lines for it
right() { [ "$(sha256 "$SRC/$1")" = "$(sha256 "$WWW/$1")" ]; echo $?; }

# --- connection closed mid-body: resumed ---------------------------------------
run_bs --top "$TOP" fetch dropped
is "$RC" 0 "a dropped connection is resumed"
ok "$(right f1.bin)" "f1.bin has its sum"
like "$OUT" "fetch: f1.bin from $F/droponce/f1.bin: connection closed after $HALF of $SIZE bytes; try 2 of 2 in 0.1 s" "the drop is reported, with the retry"
is "$(served f1.bin)" "/droponce/f1.bin range=- status=200 body=$HALF,/droponce/f1.bin range=bytes=$HALF- status=206 body=$HALF," "the second request asks for the missing half only"

# --- Range ignored: from byte 0 -------------------------------------------------
head -c 100000 "$WWW/f2.bin" >"$SRC/f2.bin.part"
run_bs --top "$TOP" fetch ignored
is "$RC" 0 "a server that ignores Range still gives the file"
like "$OUT" "fetch: f2.bin from $F/norange/f2.bin: the server ignored the range; starting again from byte 0" "the restart is reported"
is "$(served f2.bin)" "/norange/f2.bin range=bytes=100000- status=200 body=$SIZE," "asked for a range, got the whole file"
ok "$(right f2.bin)" "f2.bin has its sum, not the .part's bytes twice"

# --- wrong bytes: .bad, next place -----------------------------------------------
run_bs --top "$TOP" fetch wrongbytes
is "$RC" 0 "wrong bytes from the first url, the second gives the file"
like "$OUT" "fetch: f3.bin from $F/wrong/f3.bin: sha256 mismatch: expected $(sha256 "$WWW/f3.bin"), got [0-9a-f]{64} \(kept as $SRC/f3.bin.bad\); trying the next place" "the mismatch is reported"
is "$(cmp "$SRC/f3.bin.bad" "$WWW/f3.bin" | sed 's/.*differ: //')" "byte $((HALF + 1)), line $(head -c $HALF "$WWW/f3.bin" | tr -cd '\n' | wc -c | awk '{print $1 + 1}')" "the .bad holds the server's bytes, one changed"
is "$(served f3.bin)" "/wrong/f3.bin range=- status=200 body=$SIZE,/ok/f3.bin range=- status=200 body=$SIZE," "a wrong file is not fetched twice from the same place"
ok "$(right f3.bin)" "f3.bin has its sum"

# --- 404, then the next url ---------------------------------------------------------
run_bs --top "$TOP" fetch notfound
is "$RC" 0 "404 on the first url, the second has it"
is "$(served f4.bin)" "/404/f4.bin range=- status=404 body=0,/ok/f4.bin range=- status=200 body=$SIZE," "one 404, then the file"
ok "$(right f4.bin)" "f4.bin has its sum"

# --- redirects ------------------------------------------------------------------------
run_bs --top "$TOP" fetch redirected
is "$RC" 0 "a chain of three redirects is followed"
is "$(served f5.bin)" "/redirect/3/f5.bin range=- status=302 body=0,/redirect/2/f5.bin range=- status=302 body=0,/redirect/1/f5.bin range=- status=302 body=0,/redirect/0/f5.bin range=- status=302 body=0,/ok/f5.bin range=- status=200 body=$SIZE," "each hop, then the file"
ok "$(right f5.bin)" "f5.bin has its sum"
run_bs --top "$TOP" fetch looping
is "$RC" 1 "a redirect loop fails"
is "$ERR" "bootstrap: error: cannot fetch f6.bin for looping, every place failed:
  $F/loop/f6.bin: more than 10 redirects
(fix the recipe's url or sha256, or set MIRROR or BACKUP_MIRROR to a place that has the file)" "the error says so"
is "$(grep -c '^/loop/f6.bin ' "$FAULT_LOG")" 11 "the loop is followed 10 times, not retried"

# --- a stall: low-speed timeout -----------------------------------------------------
FETCH_LOW_SPEED_TIME=1 run_bs --top "$TOP" fetch stalled
is "$RC" 1 "a stalled server fails"
is "$ERR" "bootstrap: error: cannot fetch f7.bin for stalled, every place failed:
  $F/stall/f7.bin: timeout: less than 1024 bytes/s for 1 s (2 tries)
(fix the recipe's url or sha256, or set MIRROR or BACKUP_MIRROR to a place that has the file)" "the error names the timeout and the tries"
is "$(served f7.bin)" "/stall/f7.bin range=- status=200 body=100,/stall/f7.bin range=bytes=100- status=200 body=100," "two tries; the second asks from byte 100 (the server ignores it)"
is "$(stat -c %s "$SRC/f7.bin.part")" 100 "the .part keeps the 100 bytes"
ok "$([ ! -e "$SRC/f7.bin" ]; echo $?)" "no f7.bin"

# --- Content-Length longer than the body -------------------------------------------
run_bs --top "$TOP" fetch longcl
is "$RC" 0 "a body shorter than its Content-Length that is the whole file is taken"
ok "$(right f8.bin)" "f8.bin has its sum"
is "$(served f8.bin)" "/longcl/f8.bin range=- status=200 body=$SIZE," "one request"
ok "$([ ! -e "$SRC/f8.bin.bad" ] && [ ! -e "$SRC/f8.bin.part" ]; echo $?)" "no .bad, no .part"

# --- every place fails: one error, each place and why ---------------------------------
MIRROR=file://$WORLD/nomirror FETCH_LOW_SPEED_TIME=1 run_bs --top "$TOP" fetch hopeless
is "$RC" 1 "hopeless fails"
sum=$(sha256 "$WWW/f9.bin")
bad=$(sha256 "$SRC/f9.bin.bad")
q=$(((SIZE - 100) / 2)) # drop: the first try from byte 100, the second from 100 + q
is "$ERR" "bootstrap: error: cannot fetch f9.bin for hopeless, every place failed:
  file://$WORLD/nomirror/f9.bin: cannot read the file
  $F/404/f9.bin: HTTP 404
  $F/wrong/f9.bin: sha256 mismatch: expected $sum, got $bad (kept as $SRC/f9.bin.bad)
  $F/stall/f9.bin: timeout: less than 1024 bytes/s for 1 s (2 tries)
  $F/drop/f9.bin: connection closed after $((q / 2)) of $q bytes (2 tries)
(fix the recipe's url or sha256, or set MIRROR or BACKUP_MIRROR to a place that has the file)" "the error lists every place in order, and why"
is "$(served f9.bin)" "/404/f9.bin range=- status=404 body=0,/wrong/f9.bin range=- status=200 body=$SIZE,/stall/f9.bin range=- status=200 body=100,/stall/f9.bin range=bytes=100- status=200 body=100,/drop/f9.bin range=bytes=100- status=206 body=$q,/drop/f9.bin range=bytes=$((100 + q))- status=206 body=$((q / 2))," "what the server sent, request by request"
ok "$([ ! -e "$SRC/f9.bin" ]; echo $?)" "no f9.bin"
is "$(stat -c %s "$SRC/f9.bin.part")" "$((100 + q + q / 2))" "the .part keeps what arrived, for a later resume"

# --- bad settings -------------------------------------------------------------------
FETCH_TRIES=lots run_bs --top "$TOP" fetch dropped
is "$RC.$ERR" "2.bootstrap: error: FETCH_TRIES must be a whole number from 1 to 100, not 'lots'" "a bad FETCH_TRIES is bad input"

done_testing
