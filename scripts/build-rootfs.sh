#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the guest initramfs for an arch and print its path.
#
#   scripts/build-rootfs.sh --arch riscv64|x86_64|arm64
#
# mmdebstrap (variant extract: unpack only, nothing foreign is run) fetches
# busybox-static, stress-ng, trace-cmd and tmux for the guest arch from Debian's
# archive (riscv64: trixie, x86_64 and arm64: bookworm; main suite only), then a small
# initramfs is assembled from it: busybox, stress-ng, trace-cmd, tmux, their
# shared-library closure (DT_NEEDED walked with readelf) and the dynamic
# loader, usrmerge links and scripts/guest/init.
#
# Cache: $PATCHSTORM_CACHE/rootfs/<arch>-<key>/base.cpio.gz (and base.cpio,
# the same uncompressed, which boots faster), key = suite + package list +
# hash of the init and this script. .complete is written last.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arch=${2:-}; shift ;;
	--arch=*) arch=${1#*=} ;;
	-h|--help) ps_help; exit 0 ;;
	*) ps_usage_error "unknown option '$1'" ;;
	esac
	shift
done
[ -n "$arch" ] || ps_usage_error "--arch is required"
ps_check_arch "$arch"

suite=$(ps_arch "$arch" suite)
PACKAGES=busybox-static,stress-ng,trace-cmd,tmux,libc-bin
# tmux: a terminal for the CLI's live progress (tests/guest/cli-pty.sh);
# it needs a UTF-8 locale: C.utf8 from libc-bin.
BINARIES=(busybox stress-ng trace-cmd tmux)
INIT=$PS_ROOT/scripts/guest/init
SELF=$PS_ROOT/scripts/build-rootfs.sh
TRIPLET=$(ps_triplet "$arch")

key=$arch-$suite-$(ps_hash "$INIT" "$SELF" -- "$PACKAGES" "lib64=$(ps_arch "$arch" lib64)")
ENTRY=$PS_CACHE/rootfs/$key
OUT=$ENTRY/base.cpio.gz

# Map a path to its usrmerged location: /lib/x -> /usr/lib/x etc.
usrmerge() {
	case "$1" in
	/bin/*|/sbin/*|/lib/*|/lib32/*|/lib64/*|/libx32/*) echo "/usr$1" ;;
	/bin|/sbin|/lib|/lib64) echo "/usr$1" ;;
	*) echo "$1" ;;
	esac
}

# Resolve an absolute path inside the tree $TREE, following symlinks
# relative to the tree root; a path missing as such is looked up at its
# usrmerged place (trixie's packages ship /usr/lib only, bookworm's /lib).
# Prints the resolved absolute (in-tree) path.
in_tree() {
	local p
	p=$(realpath -m -s "$1")
	if [ -e "$TREE$p" ] || [ -L "$TREE$p" ]; then
		echo "$p"
	else
		usrmerge "$p"
	fi
}
resolve() {
	local p t n=0
	p=$(in_tree "$1")
	while [ -L "$TREE$p" ]; do
		n=$((n + 1))
		[ $n -lt 40 ] || return 1
		t=$(readlink "$TREE$p")
		case "$t" in
		/*) p=$(in_tree "$t") ;;
		*) p=$(in_tree "$(dirname "$p")/$t") ;;
		esac
	done
	[ -e "$TREE$p" ] || return 1
	echo "$p"
}

# Copy an in-tree file to the same (usrmerged) path in the initramfs.
install_file() {
	local dst=$1 src=$2
	dst=$(usrmerge "$dst")
	mkdir -p "$STAGE$(dirname "$dst")"
	cp -L "$TREE$src" "$STAGE$dst"
}

declare -A SEEN
LIBDIRS=()

find_lib() {
	local name=$1 d
	for d in "${LIBDIRS[@]}"; do
		if [ -e "$TREE$d/$name" ] || [ -L "$TREE$d/$name" ]; then
			resolve "$d/$name" && return 0
		fi
	done
	return 1
}

# Copy an ELF file and, recursively, what it needs.
add_elf() {
	local path=$1 src interp lib real
	[ -z "${SEEN[$path]:-}" ] || return 0
	SEEN[$path]=1
	src=$(resolve "$path") || ps_env_error "$path not found in $TREE"
	install_file "$path" "$src"
	interp=$(readelf -lW "$TREE$src" 2>/dev/null |
		sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	if [ -n "$interp" ] && [ -z "${SEEN[$interp]:-}" ]; then
		SEEN[$interp]=1
		real=$(resolve "$interp") || ps_env_error "loader $interp not found in $TREE"
		install_file "$interp" "$real"
	fi
	for lib in $(readelf -dW "$TREE$src" 2>/dev/null |
		sed -n 's/.*(NEEDED).*Shared library: \[\(.*\)\]/\1/p'); do
		[ -z "${SEEN[lib:$lib]:-}" ] || continue
		SEEN[lib:$lib]=1
		real=$(find_lib "$lib") || ps_env_error "library $lib (needed by $path) not found in $TREE"
		# Flat in the multiarch dir, where the loader looks by default.
		install_file "/usr/lib/$TRIPLET/$lib" "$real"
		SEEN[/usr/lib/$TRIPLET/$lib]=1
		add_elf_deps "$real"
	done
}

# Libraries' own needs (the file itself is already installed).
add_elf_deps() {
	local src=$1 lib real
	for lib in $(readelf -dW "$TREE$src" 2>/dev/null |
		sed -n 's/.*(NEEDED).*Shared library: \[\(.*\)\]/\1/p'); do
		[ -z "${SEEN[lib:$lib]:-}" ] || continue
		SEEN[lib:$lib]=1
		real=$(find_lib "$lib") || ps_env_error "library $lib (needed by $src) not found in $TREE"
		install_file "/usr/lib/$TRIPLET/$lib" "$real"
		add_elf_deps "$real"
	done
}

build() {
	local mirror t0=$SECONDS log=$ENTRY/build.log b f d mode
	if [ -e "$ENTRY/.complete" ]; then
		return 0
	fi
	rm -rf "$ENTRY"
	mkdir -p "$ENTRY"
	mirror=$(ps_mirror)
	TREE=$ENTRY/tree
	STAGE=$ENTRY/stage
	ps_info "mmdebstrap $arch $suite ($PACKAGES) from $mirror (log: $log)"
	# Root unpacks directly; a normal user needs user namespaces.
	mode=root
	[ "$(id -u)" = 0 ] || mode=unshare
	mmdebstrap --mode=$mode --variant=extract --arch="$(ps_debarch "$arch")" \
		--include="$PACKAGES" "$suite" "$TREE" "deb $mirror $suite main" >"$log" 2>&1 ||
		ps_env_error "mmdebstrap failed; see $log"

	LIBDIRS=("/usr/lib/$TRIPLET" "/lib/$TRIPLET" /usr/lib /lib)
	for f in "$TREE"/etc/ld.so.conf.d/*.conf; do
		[ -f "$f" ] || continue
		while read -r d; do
			case "$d" in /*) LIBDIRS+=("$d") ;; esac
		done <"$f"
	done

	mkdir -p "$STAGE"
	(
		cd "$STAGE"
		mkdir -p usr/bin usr/sbin usr/lib/"$TRIPLET" dev proc sys tmp run root etc \
			patchstorm/out mnt var
		ln -s usr/bin bin
		ln -s usr/sbin sbin
		ln -s usr/lib lib
		if [ "$(ps_arch "$arch" lib64)" = 1 ]; then
			mkdir -p usr/lib64
			ln -s usr/lib64 lib64
		fi
	)
	for b in "${BINARIES[@]}"; do
		f=
		for d in /usr/bin /usr/sbin /bin /sbin; do
			if [ -e "$TREE$d/$b" ]; then f=$d/$b; break; fi
		done
		[ -n "$f" ] || ps_env_error "$b not found in $TREE"
		add_elf "$f"
		# Same place in the initramfs as in Debian: /usr/bin.
	done
	for d in /usr/lib/locale/C.utf8 /usr/lib/locale/C.UTF-8; do
		if [ -d "$TREE$d" ]; then
			mkdir -p "$STAGE/usr/lib/locale"
			cp -a "$TREE$d" "$STAGE/usr/lib/locale/"
		fi
	done
	ln -sf busybox "$STAGE/usr/bin/sh"
	install -m 0755 "$INIT" "$STAGE/init"
	echo "root:x:0:0:root:/root:/bin/sh" >"$STAGE/etc/passwd"
	echo "root:x:0:" >"$STAGE/etc/group"
	printf 'PATCHSTORM_ROOTFS=%s\nSUITE=%s\nPACKAGES=%s\n' "$key" "$suite" "$PACKAGES" \
		>"$STAGE/etc/patchstorm-rootfs"
	for b in busybox-static stress-ng trace-cmd tmux; do
		f=$TREE/usr/share/doc/$b/changelog.Debian.gz
		[ -f "$f" ] && zcat "$f" | head -n1 | awk '{ print $1, $2 }'
	done >"$ENTRY/versions" || true
	(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) >"$ENTRY/base.cpio.tmp"
	gzip -6 -n -c "$ENTRY/base.cpio.tmp" >"$OUT.tmp"
	mv "$OUT.tmp" "$OUT"
	# The runner boots the uncompressed copy when there is one: a TCG
	# guest takes about 0.4 s (riscv64) to gunzip the archive.
	mv "$ENTRY/base.cpio.tmp" "$ENTRY/base.cpio"
	du -sk "$STAGE" | awk '{ print $1 }' >"$ENTRY/stage-kb"
	rm -rf "$TREE"
	echo $((SECONDS - t0)) >"$ENTRY/build-seconds"
	touch "$ENTRY/.complete"
	ps_info "rootfs $key ready in $((SECONDS - t0)) s ($(du -h "$OUT" | cut -f1))"
}
ps_locked "$PS_CACHE/rootfs/.$key.lock" build
echo "$OUT"
