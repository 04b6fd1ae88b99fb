#!/bin/bash
# The binary cache's keys used as what they are (issue 30): a public key
# given to sign with and a secret key given to trust are refused before
# anything runs, a secret key others may read gets a warning, and a secret
# key of the form before still signs.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { local top=$1; shift; run_bs --top "$top" "$@"; }
STORE=$WORLD/store
nothing_written() { ok "$([ ! -e "$WORLD/$1" ] && [ ! -e "$STORE" ]; echo $?)" "$2: nothing written"; }

run_bs cache keygen ci
is "$RC" 0 "cache keygen ci"
is "$(head -c 3 ci.sec):$(wc -c <ci.sec):$(wc -c <ci.pub)" "ci::92:48" \
	"ci.sec holds 64 bytes (seed and public key), ci.pub 32: the two differ"

# keygen reads no setting: not the CACHE_SIGN_KEY it is about to satisfy, nor a bad one.
CACHE_PUSH=file://$STORE CACHE_SIGN_KEY=next.sec run_bs cache keygen next
is "$RC:$ERR" "0:" "cache keygen next with CACHE_SIGN_KEY=next.sec, not yet made"
ok "$([ -s next.sec ] && [ -s next.pub ]; echo $?)" "writes the key CACHE_SIGN_KEY names"
CACHE=ftp://x CACHE_TRUST=ci.sec MIRROR=$WORLD/none FETCH_TRIES=x run_bs cache keygen other
is "$RC:$ERR" "0:" "cache keygen whatever the other settings say"

# --- the wrong key: exit 2, before anything ------------------------------------------
CACHE_PUSH=file://$STORE CACHE_SIGN_KEY=ci.pub bs "$WORLD/a" build x86_64
is "$RC:$ERR" "2:bootstrap: error: ci.pub: a public key, not a secret one: CACHE_SIGN_KEY takes the NAME.sec that bootstrap cache keygen NAME wrote beside NAME.pub" \
	"a public key as CACHE_SIGN_KEY is refused up front"
nothing_written a "a public key to sign with"
CACHE_SIGN_KEY=ci.pub bs "$WORLD/a" status x86_64
is "$RC" 2 "CACHE_SIGN_KEY is checked with the other settings, CACHE_PUSH or not"
printf 'ci:AAAA\n' >bad.sec
CACHE_PUSH=file://$STORE CACHE_SIGN_KEY=bad.sec bs "$WORLD/a" build x86_64
like "$RC:$ERR" "^2:.*bad\.sec: not a secret key \(want NAME:BASE64 of 64 bytes" "a malformed secret key is refused up front"
nothing_written a "a malformed secret key"

CACHE=file://$STORE CACHE_TRUST=ci.sec bs "$WORLD/a" build x86_64
is "$RC:$ERR" "2:bootstrap: error: CACHE_TRUST: ci.sec is a secret key: give its public half, the NAME.pub beside it (or its line), and keep the secret key where the cache is pushed from" \
	"a secret key file in CACHE_TRUST is refused up front"
nothing_written a "a secret key to trust"
secret=$(cat ci.sec)
CACHE=file://$STORE CACHE_TRUST="ci.pub $secret" bs "$WORLD/a" build x86_64
like "$RC:$ERR" "^2:bootstrap: error: CACHE_TRUST: the key 'ci' given is a secret key" \
	"a secret key's line in CACHE_TRUST is refused up front"
ok "$(grep -qF "${secret#ci:}" <<<"$ERR"; [ $? -ne 0 ]; echo $?)" "and the error does not echo the secret"

# --- a secret key others may read: one warning line -----------------------------------
chmod 644 ci.sec
CACHE_PUSH=file://$STORE CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" status x86_64
is "$RC:$ERR" "0:bootstrap: warning: CACHE_SIGN_KEY=ci.sec: the secret key is readable by its group or others (mode 0644): chmod 600 ci.sec" \
	"a secret key readable by others: one warning line, and the command runs"
chmod 640 ci.sec
CACHE_PUSH=file://$STORE CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" build x86_64 --goal crosstool
is "$RC:$(grep -c 'readable by its group' <<<"$ERR")" "0:1" "readable by its group: one warning for a whole build"
chmod 600 ci.sec
CACHE_PUSH=file://$STORE CACHE_SIGN_KEY=ci.sec bs "$WORLD/a" status x86_64
is "$RC:$ERR" "0:" "mode 0600: no warning"

# --- a secret key of the form before: the 32-byte seed alone, in NAME.sec -------------
seed=$(head -c 32 /dev/urandom | base64 -w0)
printf 'old:%s\n' "$seed" >old.sec
chmod 600 old.sec
# Its public key, by OpenSSL: the seed as a PKCS#8 ed25519 key, its public half.
pub=$({ printf '\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20'; base64 -d <<<"$seed"; } |
	openssl pkey -inform DER -pubout -outform DER | tail -c 32 | base64 -w0)
CACHE_PUSH=file://$WORLD/oldstore CACHE_SIGN_KEY=old.sec bs "$WORLD/b" build x86_64 --goal crosstool
is "$RC:$(ls "$WORLD"/oldstore/*.info | wc -l)" "0:2" "an old secret key file still signs what is pushed"
CACHE=file://$WORLD/oldstore CACHE_TRUST=old:$pub bs "$WORLD/c" build x86_64 --goal crosstool
is "$RC:$(grep -c 'from the cache in' <<<"$OUT")" "0:2" "and its public key verifies the entries"
cp old.sec old.key
CACHE_PUSH=file://$WORLD/oldstore CACHE_SIGN_KEY=old.key bs "$WORLD/c" status x86_64
like "$RC:$ERR" "^2:.*old\.key: a public key, not a secret one" "the same text under another name is taken for a public key"
CACHE=file://$WORLD/oldstore CACHE_TRUST=old.sec bs "$WORLD/c" status x86_64
like "$RC:$ERR" "^2:.*CACHE_TRUST: old\.sec is a secret key" "an old NAME.sec is refused in CACHE_TRUST"

done_testing
