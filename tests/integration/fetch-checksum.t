#!/bin/bash
# fetch-checksum.t: bootstrap checksum PKG downloads the source from the
# recipe's urls and writes its sha256 into the recipe in place: only the value
# changes, comments and layout stay; an unchanged sum leaves the file alone; a
# failure leaves it alone too. The file it fetched is then trusted by fetch.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/nginx.sh"

mkdir -p "$WWW/pub"
gen_file "$WWW/pub/bumped-2.0.tar.gz" 200000
gen_file "$WWW/pub/fresh-1.0.tar.gz" 1000
nginx_start "$WWW"
export RECIPES
RECIPES=$(fixture_recipes checksum)
TOP=$WORLD/top
SRC=$TOP/sources
ZERO=0000000000000000000000000000000000000000000000000000000000000000
SUM=$(sha256 "$WWW/pub/bumped-2.0.tar.gz")
cp "$RECIPES/bumped.recipe" "$WORLD/bumped.before"

# A stale file of the same name in sources/ must not decide the sum.
mkdir -p "$SRC"
echo stale >"$SRC/bumped-2.0.tar.gz"
run_bs --top "$TOP" checksum bumped
is "$RC" 0 "checksum bumped succeeds"
is "$(printf '%s\n' "$OUT" | tail -1)" "checksum: bumped: wrote sha256 $SUM into $RECIPES/bumped.recipe" "it says what it wrote where"
is "$(diff "$WORLD/bumped.before" "$RECIPES/bumped.recipe")" "10c10
< sha256    =   $ZERO
---
> sha256    =   $SUM" "only the sum changed: comments, tabs, spacing and the step stay"
is "$(ls -A "$RECIPES" | tr '\n' ' ')" "bumped.recipe fresh.recipe lost.recipe " "no temporary file left beside the recipes"
is "$(sha256 "$SRC/bumped-2.0.tar.gz")" "$SUM" "the download replaced the stale file in sources/"
is "$(cut -d' ' -f1 "$NGINX_LOG" | tr '\n' ,)" "/pub/bumped-2.0.tar.gz," "the first url only"
run_bs --top "$TOP" fetch bumped
is "$RC.$(printf '%s\n' "$OUT" | tail -1)" "0.fetch: 1 of 1 files ready in $SRC (1 already here, 0 fetched)" "fetch trusts the file with the new sum"

inode=$(stat -c %i "$RECIPES/fresh.recipe")
cp "$RECIPES/fresh.recipe" "$WORLD/fresh.before"
run_bs --top "$TOP" checksum fresh
is "$RC" 0 "checksum fresh succeeds"
is "$(printf '%s\n' "$OUT" | tail -1)" "checksum: fresh: sha256 $(sha256 "$WWW/pub/fresh-1.0.tar.gz") is already in $RECIPES/fresh.recipe" "an unchanged sum is said"
ok "$(cmp -s "$WORLD/fresh.before" "$RECIPES/fresh.recipe" && [ "$(stat -c %i "$RECIPES/fresh.recipe")" = "$inode" ]; echo $?)" "and the recipe is not rewritten"

cp "$RECIPES/lost.recipe" "$WORLD/lost.before"
run_bs --top "$TOP" checksum lost
is "$RC" 1 "checksum fails when no url works"
is "$ERR" "bootstrap: error: cannot fetch lost-1.0.tar.gz for lost, every place failed:
  $NGINX_URL/nowhere/lost-1.0.tar.gz: HTTP 404
(fix the recipe's url)" "the error names the url and why"
ok "$(cmp -s "$WORLD/lost.before" "$RECIPES/lost.recipe"; echo $?)" "the recipe is unchanged"

run_bs --top "$TOP" checksum nosuch
is "$RC" 2 "an unknown package is a usage error"

done_testing
