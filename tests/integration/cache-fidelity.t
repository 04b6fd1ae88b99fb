#!/bin/bash
# A package from the binary cache is the package built here: built with
# CACHE_PUSH in one top, pulled into an empty one, the install folders list
# the same paths, types, modes (setuid, setgid, sticky), sizes, files' times
# (to the nanosecond), sums and link targets, and the initrd is the same
# bytes, with and without SOURCE_DATE_EPOCH. And SOURCE_DATE_EPOCH, which
# every step gets, is in the keys when it is set: a stamped file is right
# after a rebuild and after a pull.
. "$(dirname "$0")/../lib/tap.sh"
fixture_project
unset SOURCE_DATE_EPOCH
built() { cat "$1/built.list" 2>/dev/null | tr '\n' ' '; rm -f "$1/built.list"; }
bs() { local top=$1; shift; run_bs --top "$top" "$@"; }
run_bs cache keygen ci
push() { CACHE_PUSH=file://$1 CACHE_SIGN_KEY=$PROJECT/ci.sec bs "${@:2}"; }
pull() { CACHE=file://$1 CACHE_TRUST=$PROJECT/ci.pub bs "${@:2}"; }
initrd_sum() { sha256sum <"$1/output/x86_64/initrd.cpio.gz" | cut -c1-64; }

# listing TOP: one line per path below the install folders: path, type,
# mode, and for a file its size, time and sum, for a symlink its target.
listing() (
	cd "$1" && find work/host/prefix toolchain/x86_64 output/x86_64/sysroot output/x86_64/boxroot \
		-printf '%p\t%y\t%m\t%s\t%T@\t%l\n' | LC_ALL=C sort |
		while IFS=$'\t' read -r path type mode size mtime target; do
			case $type in
			f) echo "$path f $mode $size $mtime $(sha256sum <"$path" | cut -c1-64)" ;;
			l) echo "$path l $mode -> $target" ;;
			*) echo "$path $type $mode" ;;
			esac
		done
)

# A box package with the modes a boxroot has: a sticky /tmp, setuid and
# setgid programs, a setgid folder, and files dated long ago.
box_recipe modes <<'EOF'
mkdir -p "$BOXROOT/tmp" "$BOXROOT/usr/sbin" "$BOXROOT/var/mail" "$SYSROOT/usr/share/modes"
chmod 1777 "$BOXROOT/tmp"
chmod 2775 "$BOXROOT/var/mail"
printf '#!/bin/sh\necho tool\n' >"$BOXROOT/usr/sbin/tool"
chmod 4755 "$BOXROOT/usr/sbin/tool"
printf '#!/bin/sh\necho gtool\n' >"$BOXROOT/usr/sbin/gtool"
chmod 2711 "$BOXROOT/usr/sbin/gtool"
ln -s tool "$BOXROOT/usr/sbin/tool-link"
echo old >"$BOXROOT/usr/sbin/README"
touch -d @1234567890.123456789 "$BOXROOT/usr/sbin/README"
echo older >"$SYSROOT/usr/share/modes/old"
touch -d @1000000000 "$SYSROOT/usr/share/modes/old"
EOF

# --- a pulled package equals a local one ----------------------------------------
# 1500000000: after the old files' times (which the initrd keeps), before the
# others' (which it clamps), as a commit's date is; 4000000000: after every
# file's time, so the initrd keeps them all (/etc/build-id included, which is
# dated with the epoch, not when the initrd was packed).
for epoch in unset 1500000000 4000000000; do
	if [ "$epoch" = unset ]; then unset SOURCE_DATE_EPOCH; else export SOURCE_DATE_EPOCH=$epoch; fi
	a=$WORLD/local-$epoch b=$WORLD/pulled-$epoch
	push "$WORLD/store-$epoch" "$a" build x86_64
	is "$RC" 0 "SOURCE_DATE_EPOCH $epoch: a build with CACHE_PUSH"
	built "$a" >/dev/null
	pull "$WORLD/store-$epoch" "$b" build x86_64
	is "$RC:$(built "$b")" "0:" "SOURCE_DATE_EPOCH $epoch: pulled into an empty top, nothing built"
	is "$(stat -c %a "$b"/output/x86_64/boxroot/{tmp,usr/sbin/tool,usr/sbin/gtool,var/mail} | tr '\n' ' ')" \
		"1777 4755 2711 2775 " "SOURCE_DATE_EPOCH $epoch: sticky, setuid and setgid bits came along"
	is "$(stat -c %.9Y "$b/output/x86_64/boxroot/usr/sbin/README")" "1234567890.123456789" \
		"SOURCE_DATE_EPOCH $epoch: a file keeps its time, to the nanosecond"
	is "$(stat -c %Y "$b/output/x86_64/boxroot/usr/bin/app")" "$(stat -c %Y "$a/output/x86_64/boxroot/usr/bin/app")" \
		"SOURCE_DATE_EPOCH $epoch: a program keeps the time it was installed at"
	list_a=$(listing "$a") list_b=$(listing "$b")
	is "$list_b" "$list_a" "SOURCE_DATE_EPOCH $epoch: the install folders list the same (path, type, mode, size, time, sum, target)"
	ok "$([ "$(echo "$list_a" | grep -c ' f ')" -ge 10 ]; echo $?)" "SOURCE_DATE_EPOCH $epoch: (and the listing lists files)"
	is "$(initrd_sum "$b")" "$(initrd_sum "$a")" "SOURCE_DATE_EPOCH $epoch: the initrd is the same bytes"
done
unset SOURCE_DATE_EPOCH
rm recipes/modes.recipe

# --- SOURCE_DATE_EPOCH in the keys ------------------------------------------------
keys() { "$BOOTSTRAP" plan x86_64 | awk '{ print $2, $4 }'; }
unset_keys=$(keys)
is "$(SOURCE_DATE_EPOCH=0 keys)" "$unset_keys" "SOURCE_DATE_EPOCH=0 gives the keys unset gives"
is "$(SOURCE_DATE_EPOCH= keys)" "$unset_keys" "and so does an empty one"
dated_keys=$(SOURCE_DATE_EPOCH=1700000000 keys)
is "$(join <(echo "$unset_keys") <(echo "$dated_keys") | awk '$2 != $3' | wc -l)" "$(echo "$unset_keys" | wc -l)" \
	"SOURCE_DATE_EPOCH=1700000000 changes every key"
SOURCE_DATE_EPOCH=soon bs "$WORLD/bad" build x86_64
is "$RC:$ERR" "2:bootstrap: error: SOURCE_DATE_EPOCH 'soon' is not a number of seconds since 1970 (0-4294967295)" \
	"a SOURCE_DATE_EPOCH that is not a number: one line, exit 2"
ok "$([ ! -e "$WORLD/bad" ]; echo $?)" "before anything is written"

# A box package that stamps the date, as busybox does in its banner.
box_recipe stamp <<'EOF'
mkdir -p "$BOXROOT/etc"
echo "built at $SOURCE_DATE_EPOCH" >"$BOXROOT/etc/stamp"
EOF
stamp() { cat "$1/output/x86_64/boxroot/etc/stamp"; }
SOURCE_DATE_EPOCH=1600000000 push "$WORLD/dated" "$WORLD/s" build x86_64
is "$RC:$(stamp "$WORLD/s")" "0:built at 1600000000" "a build with SOURCE_DATE_EPOCH=1600000000 stamps it"
built "$WORLD/s" >/dev/null
SOURCE_DATE_EPOCH=1700000000 bs "$WORLD/s" status x86_64
like "$OUT" "hostlib .*stale: a dependency, the build machine or SOURCE_DATE_EPOCH changed" \
	"with SOURCE_DATE_EPOCH=1700000000, status calls it stale"
SOURCE_DATE_EPOCH=1700000000 bs "$WORLD/s" build x86_64
like "$RC:$(built "$WORLD/s")" "^0:.*stamp" "and a build rebuilds it"
is "$(stamp "$WORLD/s")" "built at 1700000000" "which then stamps the new date"
SOURCE_DATE_EPOCH=1700000000 pull "$WORLD/dated" "$WORLD/t" build x86_64
like "$RC:$(built "$WORLD/t")" "^0:.*stamp" "a store filled with 1600000000 does not serve a build with 1700000000"
like "$OUT" "cache: stamp 1\.0 \(x86_64\) is in no store; building it" "(a miss)"
is "$(stamp "$WORLD/t")" "built at 1700000000" "whose stamp is its own"
SOURCE_DATE_EPOCH=1600000000 pull "$WORLD/dated" "$WORLD/u" build x86_64
is "$RC:$(built "$WORLD/u")" "0:" "it serves a build with 1600000000: nothing built"
is "$(stamp "$WORLD/u")" "built at 1600000000" "and the pulled stamp says 1600000000"

done_testing
