#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or fetch) a guest kernel into the cache and print its entry dir.
#
#   scripts/build-kernel.sh --arch riscv64|x86_64|arm64 [--ksrc DIR|debian:X.Y]
#       [--flavor normal|debug]
#
# Default kernels:
#   riscv64  Debian's linux-source-6.12 tarball, allnoconfig + fragment
#            (scripts/kconfig/riscv64.config) + olddefconfig
#   arm64    the same tarball and recipe (scripts/kconfig/arm64.config)
#   x86_64   Debian's prebuilt 6.12 amd64 kernel: image, headers and kbuild
#            packages downloaded and unpacked into the cache (nothing is
#            installed: the headers package would pull the image into /boot)
# --ksrc DIR builds any kernel tree out of tree (O=) with the arch fragment;
# --ksrc debian:SERIES (e.g. debian:7.2) Debian's linux-source-SERIES
# package, fetched and extracted into the cache (ps_debian_source).
# The fragment is scripts/kconfig/<arch>.config, then each overlay
# scripts/kconfig/<arch>-<X.Y>.config whose X.Y is not newer than the tree
# (options of newer kernels), in version order; the last word on an
# option wins, and every option of the result is checked.
# --flavor debug adds scripts/kconfig/flavor/debug.config (KASAN, KFENCE,
# lockdep, debugobjects, DEBUG_LIST, kmemleak), then
# flavor/debug-<arch>.config where there is one, last; a kernel from
# source only (x86_64's default is Debian's prebuilt kernel, which has no
# debug flavour: use --ksrc debian:6.12). The flavour's fragments are
# part of the entry's hash, and its name: <arch>-<version>-debug-<hash>.
#
# Cache entry: $PATCHSTORM_CACHE/kernels/<arch>-<version>-<hash>/ (hash of
# the fragment, the overlays and this script) with
#   build/    O= dir (kept: modules build against it, and later builds of
#             the same tree are kbuild's own incremental make in it)
#   image     symlink to the bootable image
#   image-sha256  the image's identity (the runner records what it booted)
#   release   kernelrelease
#   kdir      directory to build modules against
#   source    the tree, and the fingerprint of its state that was built
#   build.log all output of the last build
#   .complete written last; an entry without it is never used as a kernel.
# A kernel built from source is one entry per (tree path, arch, config):
# every call fingerprints the tree (each file's path, size, mtime, ctime and
# inode, .git/ aside: any write changes a ctime) and, when it differs from
# the one built, runs kbuild's incremental make in build/, so an edited
# file, an untracked or git-ignored one included, always rebuilds. An
# entry whose configuration never completed is deleted and configured
# afresh; a failed make keeps build/ (kbuild resumes it) but not .complete.
#
# The last stdout line is the entry directory. Exit 2 bad usage, 3 missing
# tree / build failure (one line naming the log).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=
ksrc=
flavor=normal
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arch=${2:-}; shift ;;
	--arch=*) arch=${1#*=} ;;
	--ksrc) ksrc=${2:-}; shift ;;
	--ksrc=*) ksrc=${1#*=} ;;
	--flavor) flavor=${2:-}; shift ;;
	--flavor=*) flavor=${1#*=} ;;
	-h|--help) ps_help; exit 0 ;;
	*) ps_usage_error "unknown option '$1'" ;;
	esac
	shift
done
[ -n "$arch" ] || ps_usage_error "--arch is required"
ps_check_arch "$arch"
case $flavor in
normal) ;;
*[!a-z0-9]*|'') ps_usage_error "unknown flavour '$flavor' (normal, debug)" ;;
*) [ -f "$PS_ROOT/scripts/kconfig/flavor/$flavor.config" ] ||
	ps_usage_error "unknown flavour '$flavor' (normal, debug)" ;;
esac
[ "$flavor" = normal ] || [ "$arch" != x86_64 ] || [ -n "$ksrc" ] ||
	ps_usage_error "--flavor $flavor: x86_64's default kernel is Debian's prebuilt one, which has no $flavor flavour; build one from source with --ksrc debian:6.12 (scripts/kconfig/x86_64.config)"

KARCH=$(ps_karch "$arch")
CROSS=$(ps_cross "$arch")
FRAG=$PS_ROOT/scripts/kconfig/$arch.config
SELF=$PS_ROOT/scripts/build-kernel.sh

# Extract Debian's kernel source tarball once per package version.
debian_source() {
	local ver dir tarball
	ps_pkg_installed "$PS_KSRC_PKG" || ps_env_error "$PS_KSRC_PKG is not installed (run scripts/setup-host.sh)"
	ver=$(dpkg-query -W -f '${Version}' "$PS_KSRC_PKG")
	tarball=/usr/src/$PS_KSRC_PKG.tar.xz
	[ -r "$tarball" ] || ps_env_error "$tarball not found"
	dir=$PS_CACHE/src/$PS_KSRC_PKG-$ver
	if [ ! -e "$dir/.complete" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		ps_info "extracting $tarball into $dir"
		tar -xJf "$tarball" -C "$dir" --strip-components=1 ||
			{ rm -rf "$dir"; ps_env_error "cannot extract $tarball"; }
		touch "$dir/.complete"
	fi
	SRC_DIR=$dir
	SRC_VER=$ver
}

# Name for an arbitrary tree's entry: its kernel version and its path.
# What is in the tree is not part of the name: the entry is rebuilt in
# place (incrementally) whenever the tree's fingerprint changes.
ksrc_key() {
	local dir=$1 v
	v=$(awk '/^(VERSION|PATCHLEVEL|SUBLEVEL) *=/ { printf "%s%s", s, $3; s = "." }' "$dir/Makefile" 2>/dev/null)
	echo "tree-${v:-unknown}-$(printf '%s' "$dir" | sha256sum | cut -c1-8)"
}

# Fingerprint of a source tree's state: every file and symlink under it
# (.git/ aside; directories are not sources) with its size, mtime, ctime
# and inode. Writing a file changes its ctime whatever is done to its
# mtime, and a new, removed or renamed file changes the list, so no edit
# goes unseen; tracked, untracked and ignored files alike. About 1 s for a
# kernel tree (90,000 files) in the page cache.
tree_fingerprint() {
	(cd "$1" && find . -path ./.git -prune -o ! -type d -printf '%p\t%s\t%T@\t%C@\t%i\n') |
		LC_ALL=C sort | sha256sum | cut -c1-16
}

# Configure $SRC_DIR into a fresh $ENTRY/build: allnoconfig, the fragment
# and its overlays, olddefconfig, then every option checked.
configure_source() {
	local b=$ENTRY/build log=$ENTRY/build.log
	mkdir -p "$b"
	# A configuration that fails leaves nothing to resume from.
	cfail() {
		rm -rf "$b" "$ENTRY/configured"
		ps_env_error "kernel build failed ($1); see $log"
	}
	effective_fragment >"$ENTRY/fragment"
	"${MK[@]}" allnoconfig >>"$log" 2>&1 || cfail allnoconfig
	[ -x "$SRC_DIR/scripts/kconfig/merge_config.sh" ] || [ -f "$SRC_DIR/scripts/kconfig/merge_config.sh" ] ||
		cfail "no scripts/kconfig/merge_config.sh"
	# From the build dir: merge_config.sh makes (and removes) its temporary
	# files in its working directory, which must not be the tree.
	(cd "$b" && ARCH=$KARCH CROSS_COMPILE=$CROSS \
		sh "$SRC_DIR/scripts/kconfig/merge_config.sh" -m -O "$b" "$b/.config" "$ENTRY/fragment") >>"$log" 2>&1 ||
		cfail merge_config
	check_config
	touch "$ENTRY/configured"
}

# olddefconfig, then every option of the effective fragment must be in
# the final .config (Kconfig silently drops options whose dependencies
# are missing). Exits naming them; the configuration is then discarded.
check_config() {
	local b=$ENTRY/build log=$ENTRY/build.log missing=() l
	"${MK[@]}" olddefconfig >>"$log" 2>&1 || {
		rm -rf "$b" "$ENTRY/configured"
		ps_env_error "kernel build failed (olddefconfig); see $log"
	}
	while IFS= read -r l; do
		case "$l" in
		CONFIG_*=*) grep -qxF "$l" "$b/.config" || missing+=("$l") ;;
		"# CONFIG_"*" is not set")
			l=${l#\# }; l=${l%% *}
			grep -q "^$l=" "$b/.config" && missing+=("$l=n") ;;
		esac
	done <"$ENTRY/fragment"
	if [ ${#missing[@]} -gt 0 ]; then
		printf 'missing after olddefconfig: %s\n' "${missing[*]}" >>"$log"
		rm -rf "$b" "$ENTRY/configured"
		ps_env_error "kernel config lacks options from $(basename "$FRAG")${OVERLAYS[*]:+ + overlays}: ${missing[*]} (see $log)"
	fi
}

# Build (or rebuild: kbuild's incremental make) $SRC_DIR in $ENTRY/build.
make_source() {
	local b=$ENTRY/build log=$ENTRY/build.log img
	# On failure the entry stays incomplete (no .complete, no image); the
	# objects stay, and the next attempt resumes from them.
	fail() {
		rm -f "$ENTRY/image" "$ENTRY/image-sha256"
		ps_env_error "kernel build failed ($1); see $log"
	}
	ps_info "building $arch kernel in $b (log: $log)"
	# A plain make builds the image and the modules stage, which writes
	# Module.symvers (needed for external modules).
	"${MK[@]}" >>"$log" 2>&1 || fail make
	"${MK[@]}" modules_prepare >>"$log" 2>&1 || fail modules_prepare
	[ -e "$b/Module.symvers" ] || fail "no Module.symvers"
	img=$(ps_arch "$arch" image)
	[ -f "$b/$img" ] || fail "no $img"
	ln -sfn "build/$img" "$ENTRY/image"
	"${MK[@]}" -s kernelrelease 2>>"$log" | tail -n1 >"$ENTRY/release"
	[ -s "$ENTRY/release" ] || fail kernelrelease
	echo "$b" >"$ENTRY/kdir"
	sha256sum "$b/$img" | cut -d' ' -f1 >"$ENTRY/image-sha256"
}

# Build the entry from $SRC_DIR unless it is complete and the tree is in
# the state it was built from: configure a fresh entry, or resume the kept
# one with kbuild's incremental make.
build_from_source() {
	local fp kind
	fp=$(tree_fingerprint "$SRC_DIR") || fp=unreadable-$$
	if [ -e "$ENTRY/.complete" ] && [ -e "$ENTRY/image" ] &&
		[ "$(sed -n 's/^fingerprint=//p' "$ENTRY/source" 2>/dev/null)" = "$fp" ]; then
		return 0
	fi
	rm -f "$ENTRY/.complete"
	# Reproducible: the same sources give the same image (no build date,
	# counter, user or host in it), so image-sha256 names what was built.
	MK=(make -C "$SRC_DIR" O="$ENTRY/build" ARCH="$KARCH" CROSS_COMPILE="$CROSS" -j"$PS_NPROC"
		KBUILD_BUILD_TIMESTAMP=@0 KBUILD_BUILD_VERSION=1
		KBUILD_BUILD_USER=patchstorm KBUILD_BUILD_HOST=patchstorm)
	if [ -e "$ENTRY/configured" ] && [ -f "$ENTRY/build/.config" ]; then
		kind=incremental
		ps_info "$SRC_DIR changed since its last build (or that build did not finish): incremental make"
		{
			echo "# source: $SRC_DIR ($SRC_VER), incremental"
			echo "# fragment: $FRAG ${OVERLAYS[*]}"
		} >"$ENTRY/build.log"
		check_config
	else
		kind=full
		# Incomplete (failed or interrupted before configuring): never reused.
		rm -rf "$ENTRY"
		mkdir -p "$ENTRY"
		{
			echo "# source: $SRC_DIR ($SRC_VER)"
			echo "# fragment: $FRAG ${OVERLAYS[*]}"
		} >"$ENTRY/build.log"
		configure_source
	fi
	make_source
	{
		echo "tree=$SRC_DIR"
		echo "fingerprint=$fp"
		echo "build=$kind"
		if git -C "$SRC_DIR" rev-parse --verify -q HEAD >/dev/null 2>&1 &&
			[ "$(git -C "$SRC_DIR" rev-parse --show-toplevel 2>/dev/null)" = "$SRC_DIR" ]; then
			echo "git_head=$(git -C "$SRC_DIR" rev-parse HEAD)"
		fi
	} >"$ENTRY/source"
}

# "X.Y" of the kernel tree $SRC_DIR.
tree_version() {
	awk '/^VERSION *=/ { v = $3 } /^PATCHLEVEL *=/ { p = $3 } END { print v "." p }' "$SRC_DIR/Makefile"
}

# The overlays that apply to $SRC_DIR, oldest first, into OVERLAYS.
pick_overlays() {
	local tv f v
	OVERLAYS=()
	tv=$(tree_version)
	for f in $(ls "$PS_ROOT/scripts/kconfig/$arch"-*.config 2>/dev/null | sort -V); do
		v=${f##*/"$arch"-}
		v=${v%.config}
		[ "$(printf '%s\n%s\n' "$v" "$tv" | sort -V | head -n1)" = "$v" ] && OVERLAYS+=("$f")
	done
	# the flavour's fragments last
	if [ "$flavor" != normal ]; then
		OVERLAYS+=("$PS_ROOT/scripts/kconfig/flavor/$flavor.config")
		f=$PS_ROOT/scripts/kconfig/flavor/$flavor-$arch.config
		[ ! -f "$f" ] || OVERLAYS+=("$f")
	fi
	return 0
}

# The fragment, then the overlays; one line per option, the last one's.
effective_fragment() {
	cat "$FRAG" "${OVERLAYS[@]}" | awk '
		/^CONFIG_[A-Za-z0-9_]+=/ { o = $0; sub(/=.*/, "", o) }
		/^# CONFIG_[A-Za-z0-9_]+ is not set/ { o = $2 }
		o != "" { if (!(o in line)) order[n++] = o; line[o] = $0; o = "" }
		END { for (i = 0; i < n; i++) print line[order[i]] }'
}

# Debian's prebuilt amd64 kernel, taken into the cache: the image, the
# headers (flavour and common) and kbuild are downloaded and unpacked
# under $ENTRY/pkg, never installed. Installing linux-headers-*-amd64
# would pull its linux-image package into the host's /boot and rebuild
# the host's initramfs. The only absolute path in the unpacked headers is
# the flavour Makefile's include of the common tree: pointed at the cache.
debian_x86() {
	local v=$1 rel=$1+deb12-amd64 log=$ENTRY/build.log deb hdr mk
	local -a pkgs=("linux-image-$rel-unsigned" "linux-headers-$rel"
		"linux-headers-$v+deb12-common" "linux-kbuild-$v+deb12")
	: >"$log"
	mkdir -p "$ENTRY/dl"
	ps_info "downloading ${pkgs[*]}"
	(cd "$ENTRY/dl" && apt-get download "${pkgs[@]}") >>"$log" 2>&1 ||
		ps_env_error "apt-get download ${pkgs[*]} failed; see $log"
	for deb in "$ENTRY"/dl/*.deb; do
		dpkg-deb -x "$deb" "$ENTRY/pkg" >>"$log" 2>&1 || ps_env_error "dpkg-deb -x $deb failed; see $log"
	done
	rm -rf "$ENTRY/dl"
	[ -f "$ENTRY/pkg/boot/vmlinuz-$rel" ] || ps_env_error "no boot/vmlinuz-$rel in ${pkgs[0]}"
	hdr=$ENTRY/pkg/usr/src/linux-headers-$rel
	mk=$hdr/Makefile
	[ -f "$mk" ] || ps_env_error "no usr/src/linux-headers-$rel/Makefile in ${pkgs[1]}"
	sed -i "s|^include /usr/src/|include $ENTRY/pkg/usr/src/|" "$mk"
	grep -qxF "include $ENTRY/pkg/usr/src/linux-headers-$v+deb12-common/Makefile" "$mk" ||
		ps_env_error "unexpected $mk: cannot point it at the cache"
	[ -d "$hdr/scripts/" ] || ps_env_error "headers' scripts link is dangling: ${pkgs[3]} missing"
	ln -sfn "pkg/boot/vmlinuz-$rel" "$ENTRY/image"
	echo "$rel" >"$ENTRY/release"
	echo "$hdr" >"$ENTRY/kdir"
}

OVERLAYS=()
if [ "${ksrc#debian:}" != "$ksrc" ]; then
	[ -f "$FRAG" ] || ps_env_error "no config fragment $FRAG"
	SRC_DIR=$(ps_debian_source "${ksrc#debian:}")
	SRC_VER=${SRC_DIR##*/linux-source-"${ksrc#debian:}"-}
	pick_overlays
	key=$arch-$SRC_VER-$(ps_hash "$FRAG" "${OVERLAYS[@]}" "$SELF")
	mode=source
elif [ -n "$ksrc" ]; then
	[ -d "$ksrc" ] && [ -f "$ksrc/Makefile" ] ||
		ps_env_error "kernel tree '$ksrc' not found (no directory with a Makefile)"
	[ -f "$FRAG" ] || ps_env_error "no config fragment $FRAG"
	SRC_DIR=$(cd "$ksrc" && pwd -P)
	SRC_VER=$(ksrc_key "$SRC_DIR")
	pick_overlays
	key=$arch-$SRC_VER-$(ps_hash "$FRAG" "${OVERLAYS[@]}" "$SELF")
	mode=source
elif [ "$arch" != x86_64 ]; then
	[ -f "$FRAG" ] || ps_env_error "no config fragment $FRAG"
	debian_source
	pick_overlays
	key=$arch-$SRC_VER-$(ps_hash "$FRAG" "${OVERLAYS[@]}" "$SELF")
	mode=source
else
	xv=$(ps_x86_kernel_version)
	[ -n "$xv" ] || ps_env_error "no linux-image/linux-headers $PS_X86_SERIES+deb12 amd64 pair known to apt (apt-get update?)"
	key=$arch-debian-$xv+deb12-$(ps_hash "$SELF")
	mode=debian
fi

[ "$flavor" = normal ] || key=${key%-*}-$flavor-${key##*-}
ENTRY=$PS_CACHE/kernels/$key

do_build() {
	local t0=$SECONDS
	if [ $mode = source ]; then
		build_from_source
		[ ! -e "$ENTRY/.complete" ] || return 0
	else
		if [ -e "$ENTRY/.complete" ]; then
			return 0
		fi
		# Incomplete (failed or interrupted): never reused.
		rm -rf "$ENTRY"
		mkdir -p "$ENTRY"
		debian_x86 "$xv"
		sha256sum "$(readlink -f "$ENTRY/image")" | cut -d' ' -f1 >"$ENTRY/image-sha256"
	fi
	echo $((SECONDS - t0)) >"$ENTRY/build-seconds"
	touch "$ENTRY/.complete"
	ps_info "kernel $(cat "$ENTRY/release") ready in $((SECONDS - t0)) s"
}
ps_locked "$PS_CACHE/kernels/.$key.lock" do_build
echo "$ENTRY"
