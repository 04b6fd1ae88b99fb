#!/bin/bash
# Files the driver writes inside the top: a planted symlink or FIFO is
# refused, never written through; a killed writer's temps are cleaned; a
# recipe or patch that is no regular file, or is huge, is refused by name; a
# tree deeper than PATH_MAX is removed.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }
victim=$WORLD/victim
echo precious >"$victim"

# A planted .part: fetch must not truncate or fill the file it points to.
mkdir -p "$TOP/sources"
ln -s "$victim" "$TOP/sources/app-1.0.tar.gz.part"
bs fetch app
is "$RC" 1 "fetch with a symlink as .part fails"
like "$ERR" "cannot use '$TOP/sources/app-1.0.tar.gz.part': it is a symlink" "naming the .part"
is "$(cat "$victim")" "precious" "and the file it points to is untouched"
ok "$([ ! -e "$TOP/sources/app-1.0.tar.gz" ]; echo $?)" "and no source is put in place"
rm -f "$TOP/sources/app-1.0.tar.gz.part"
mkfifo "$TOP/sources/app-1.0.tar.gz.part"
timeout 60 "$BOOTSTRAP" --top "$TOP" fetch app >/dev/null 2>"$WORLD/err"
is "$?" 1 "a FIFO as .part fails at once"
like "$(cat "$WORLD/err")" "app-1.0.tar.gz.part': it is not a regular file" "naming it"
rm -f "$TOP/sources/app-1.0.tar.gz.part"

bs build x86_64
is "$RC" 0 "the world builds"

# A planted lock file.
mv "$TOP/states/.lock-x86_64" "$WORLD/lock.saved"
ln -s "$victim" "$TOP/states/.lock-x86_64"
bs reset x86_64 app
bs build x86_64
is "$RC" 1 "a build with a symlink as its lock fails"
like "$ERR" "cannot open lock '$TOP/states/.lock-x86_64': it is a symlink" "naming the lock"
is "$(cat "$victim")" "precious" "and the file it points to is untouched"
rm "$TOP/states/.lock-x86_64"

# A planted temp with the writer's own pid (exec keeps it): the write
# replaces the name, it does not follow it.
sh -c 'ln -s "$0" "$1/states/await-x86_64.tmp.$$" && exec "$2" --top "$1" build x86_64' \
	"$victim" "$TOP" "$BOOTSTRAP" >/dev/null 2>"$WORLD/err"
is "$?" 0 "a build with a symlink planted at its await temp's name succeeds"
is "$(cat "$victim")" "precious" "and the file it points to is untouched"
ok "$([ -f "$TOP/states/await-x86_64" ] && [ ! -L "$TOP/states/await-x86_64" ]; echo $?)" \
   "await is a regular file"

# A planted build log.
bs reset x86_64 app
ln -sf "$victim" "$TOP/work/x86_64/logs/app.log"
bs build x86_64
is "$RC" 1 "a build with a symlink as a log fails"
like "$ERR" "cannot open '$TOP/work/x86_64/logs/app.log': it is a symlink" "naming the log"
is "$(cat "$victim")" "precious" "and the file it points to is untouched"
rm "$TOP/work/x86_64/logs/app.log"

# Temps of writers killed mid-write go; a live writer's stay.
true &
dead=$!
wait "$dead"
echo half >"$TOP/states/box-x86_64.tmp.$dead"
echo half >"$TOP/states/await-x86_64.tmp.$dead"
echo live >"$TOP/states/box-x86_64.tmp.$$"
bs build x86_64
is "$RC" 0 "the build succeeds"
ok "$([ ! -e "$TOP/states/box-x86_64.tmp.$dead" ] && [ ! -e "$TOP/states/await-x86_64.tmp.$dead" ]; echo $?)" \
   "a dead writer's temps are removed"
ok "$([ -e "$TOP/states/box-x86_64.tmp.$$" ]; echo $?)" "a live writer's temp stays"
rm "$TOP/states/box-x86_64.tmp.$$"

# A source tree deeper than PATH_MAX is removed when the tree is remade.
long=d0123456789abcdef0123456789abcdef
(cd "$TOP/work/src/app-1.0" && for i in $(seq 200); do mkdir $long && cd $long || exit 1; done &&
	touch leaf && chmod 555 .)
is "$?" 0 "a tree deeper than PATH_MAX is made"
rm "$TOP/work/src/app-1.0.key"
bs reset x86_64 app
bs build x86_64
is "$RC" 0 "a rebuild that remakes that source tree succeeds"
ok "$([ ! -e "$TOP/work/src/app-1.0/$long" ]; echo $?)" "the deep folder is gone"

# Recipes and patches that are no regular file, or are huge.
plan() { timeout 60 "$BOOTSTRAP" --top "$TOP" plan x86_64 >/dev/null 2>"$WORLD/err"; RC=$?; ERR=$(cat "$WORLD/err"); }
mkfifo recipes/fifo.recipe
plan
ok "$([ "$RC" != 0 ] && [ "$RC" != 124 ]; echo $?)" "a FIFO recipe fails plan at once"
like "$ERR" "cannot read 'recipes/fifo.recipe': it is not a regular file" "naming it"
rm recipes/fifo.recipe
ln -s /dev/zero recipes/zero.recipe
plan
ok "$([ "$RC" != 0 ] && [ "$RC" != 124 ]; echo $?)" "a recipe linked to /dev/zero fails plan at once"
like "$ERR" "cannot read 'recipes/zero.recipe': it is not a regular file" "naming it"
rm recipes/zero.recipe
{ cat recipes/app.recipe; head -c 1100000 /dev/zero | tr '\0' '#'; } >recipes/app.recipe.new
mv recipes/app.recipe.new recipes/app.recipe
plan
is "$RC" 2 "a recipe over 1 MiB fails plan"
like "$ERR" "cannot read 'recipes/app.recipe': it is larger than 1048576 bytes" "naming it and the limit"
cp "$ROOT/tests/fixtures/world/recipes/app.recipe" recipes/app.recipe
mkdir -p patches/app-1.0
mkfifo patches/app-1.0/0001-fifo.patch
plan
ok "$([ "$RC" != 0 ] && [ "$RC" != 124 ]; echo $?)" "a FIFO patch fails plan at once"
like "$ERR" "cannot read '.*patches/app-1.0/0001-fifo.patch': it is not a regular file" "naming it"
done_testing
