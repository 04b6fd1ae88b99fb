# bench/mcm.sh: musl-cross-make beside our build, for bench/toolchain.sh
# (sourced; it sets MCM_SRC, version_of and JOBS). Nothing of musl-cross-make
# is kept in this project: the bench copies the user's checkout into its
# scratch folder, gives it a config.mak naming our plan's versions and a
# SOURCES folder holding our tarballs under the names it expects.

# mcm_config OUT SOURCES OUTPUT: the config.mak for our plan's versions.
mcm_config() {
	{
		echo "# written by bench/toolchain.sh: the versions of our plan"
		echo "TARGET = x86_64-linux-musl"
		echo "SOURCES = $2"
		echo "OUTPUT = $3"
		echo "GCC_VER = $(version_of gcc)"
		echo "BINUTILS_VER = $(version_of binutils)"
		echo "MUSL_VER = $(version_of musl)"
		echo "GMP_VER = $(version_of gmp)"
		echo "MPC_VER = $(version_of mpc)"
		echo "MPFR_VER = $(version_of mpfr)"
		echo "ISL_VER = $(version_of isl)"
		echo "LINUX_VER = $(version_of linux-headers)"
	} >"$1"
}

mcm_commit() {
	git -C "$MCM_SRC" log -1 --format='%h %cs' 2>/dev/null || echo "not a git checkout"
}

# The file of sources/ that holds NAME VERSION: upstream's name, or
# Debian's orig tarball (a repack: NAME_VERSION[+dfsg].orig, NAME-MAJOR_...).
mcm_find_source() { # mcm_find_source SRCDIR NAME VERSION
	local f n=$2 v=$3
	for f in "$n-$v".tar.{xz,gz,bz2} "${n}_$v".orig.tar.{xz,gz,bz2} "${n}_$v+dfsg".orig.tar.{xz,gz,bz2} \
		"$n-${v%%.*}_$v".orig.tar.{xz,gz,bz2}; do
		[ -e "$1/$f" ] && { echo "$f"; return 0; }
	done
	echo "bench: no tarball of $n $v in $1" >&2
	return 1
}

# mcm_source SRCDIR DEST NAME VERSION: DEST/NAME-VERSION.tar.* whose top
# folder is NAME-VERSION, as musl-cross-make's %.orig rule expects. Prints
# "repack" when it had to be made from a Debian repack (dfsg).
mcm_source() {
	local src=$1 dest=$2 n=$3 v=$4 f top ext tmp
	f=$(mcm_find_source "$src" "$n" "$v") || return 1
	ext=${f##*.tar.}
	top=$(tar -tf "$src/$f" | head -1)
	top=${top%%/*}
	if [ "$top" = "$n-$v" ]; then
		ln -sf "$src/$f" "$dest/$n-$v.tar.$ext"
		return 0
	fi
	tmp=$(mktemp -d "$dest/.repack.XXXXXX")
	tar -C "$tmp" -xf "$src/$f"
	local inner
	inner=$(find "$tmp" -maxdepth 2 -name "$n-$v-dfsg.tar.*" | head -1)
	if [ -n "$inner" ]; then # gcc: Debian's orig nests upstream's dfsg tarball
		mv "$inner" "$dest/$n-$v.tar.${inner##*.tar.}"
	else # gmp: the tree itself, renamed, with a stand-in for its missing doc/
		mv "$tmp/$top" "$tmp/$n-$v"
		if [ ! -e "$tmp/$n-$v/doc/Makefile.in" ]; then
			mkdir -p "$tmp/$n-$v/doc"
			printf 'all install install-data install-exec install-strip check clean distdir info:\n\t@:\ndistclean:\n\trm -f Makefile\n' \
				>"$tmp/$n-$v/doc/Makefile.in"
		fi
		tar -C "$tmp" -cf - "$n-$v" | xz -0 -T0 >"$dest/$n-$v.tar.xz"
	fi
	rm -rf "$tmp"
	echo repack
}

# The dfsg gcc has a stub doc/tm.texi.in, from which gcc's s-tm-texi rule
# cannot place the hooks' documentation: a patch in the scratch copy's
# patches/gcc-VERSION/ makes the rule a copy (as tests/e2e/overlay/gcc.recipe).
mcm_gcc_dfsg_patch() { # mcm_gcc_dfsg_patch TREE SOURCES VERSION
	local v=$3 tmp
	tmp=$(mktemp -d)
	tar -C "$tmp" -xf "$2/gcc-$v.tar.xz" "gcc-$v/gcc/Makefile.in"
	mkdir -p "$tmp/a/gcc" "$tmp/b/gcc" "$1/patches/gcc-$v"
	cp "$tmp/gcc-$v/gcc/Makefile.in" "$tmp/a/gcc/"
	awk '
		/^s-tm-texi: build\/genhooks/ {
			print "s-tm-texi: $(srcdir)/doc/tm.texi.in"
			print "\tcp $(srcdir)/doc/tm.texi.in tm.texi"
			print "\t$(STAMP) $@"
			skip = 1; next
		}
		skip && /^\t/ { next }
		{ skip = 0; print }' "$tmp/a/gcc/Makefile.in" >"$tmp/b/gcc/Makefile.in"
	(cd "$tmp" && diff -u a/gcc/Makefile.in b/gcc/Makefile.in) >"$1/patches/gcc-$v/9999-bench-dfsg-tm-texi.diff" || true
	rm -rf "$tmp"
}

# mcm_prepare DIR OUR-SOURCES: the scratch copy in DIR/tree, its sources in
# DIR/sources, its config.mak. Not timed.
mcm_prepare() {
	local dir=$1 src=$2 p out
	mkdir -p "$dir/tree" "$dir/sources"
	tar -C "$MCM_SRC" --exclude=./.git --exclude=./build --exclude=./output --exclude=./sources \
		-cf - . | tar -C "$dir/tree" -xf -
	for p in gcc binutils musl gmp mpc mpfr isl linux; do
		local name=$p v
		v=$(version_of "$([ "$p" = linux ] && echo linux-headers || echo "$p")")
		[ -n "$v" ] || continue
		out=$(mcm_source "$src" "$dir/sources" "$name" "$v")
		if [ "$p" = gcc ] && [ "$out" = repack ]; then
			mcm_gcc_dfsg_patch "$dir/tree" "$dir/sources" "$v"
		fi
	done
	mcm_config "$dir/tree/config.mak" "$dir/sources" "$dir/output"
}

# mcm_phases TREE: when each of musl-cross-make's stamps was reached, in
# seconds from its start (mcm_start; its make runs them side by side).
mcm_start() { touch "$1/.bench-start"; }
mcm_phases() {
	local b="$1/build/local/x86_64-linux-musl" start
	start=$(stat -c %Y "$1/.bench-start")
	for s in obj_binutils/.lc_configured obj_binutils/.lc_built obj_gcc/.lc_configured \
		obj_gcc/gcc/.lc_built obj_sysroot/.lc_headers obj_gcc/x86_64-linux-musl/libgcc/libgcc.a \
		obj_musl/.lc_built obj_gcc/.lc_built obj_kernel_headers/.lc_built; do
		[ -e "$b/$s" ] && printf '  %-44s at %6d s\n' "$s" $(($(stat -c %Y "$b/$s") - start))
	done | sort -k3 -n
}
