# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Common helpers for the patchstorm scripts (sourced, not executed).
#
# Exit codes used by every script: 0 ok, 1 failure (runner verdict),
# 2 bad usage, 3 the environment cannot do it (missing tree, packages,
# a kernel that does not build, ...).

PS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PS_CACHE=${PATCHSTORM_CACHE:-${HOME:-/root}/.cache/patchstorm}
PS_NPROC=$(nproc 2>/dev/null || echo 1)
PS_PROG=$(basename "$0")

# Kernel source package used for riscv64 and arm64 guest kernels.
PS_KSRC_PKG=linux-source-6.12
# Debian 12 amd64 prebuilt kernel series used for x86_64 guests.
PS_X86_SERIES=6.12

# --help: the script's usage text is its header comment (the block after
# the SPDX line), printed whole, so the two cannot differ.
ps_help() {
	awk 'NR == 1 && /^#!/ { next }
		/SPDX-License-Identifier/ { next }
		/^#/ { sub(/^# ?/, ""); if ($0 != "" || n) { print; n++ }; next }
		{ exit }' "$0"
}

ps_info() { printf '%s: %s\n' "$PS_PROG" "$*" >&2; }
ps_warn() { printf '%s: warning: %s\n' "$PS_PROG" "$*" >&2; }
# One line, then exit with the given code.
ps_die() { local rc=$1; shift; printf '%s: error: %s\n' "$PS_PROG" "$*" >&2; exit "$rc"; }
ps_usage_error() { ps_die 2 "$*"; }
ps_env_error() { ps_die 3 "$*"; }

# ---- the guest architectures: one table ---------------------------------
# Everything the scripts know about a guest arch, one row each:
#   karch         the kernel's ARCH=
#   triplet       GNU triplet: cross compiler prefix (triplet-) and multiarch
#                 library directory; its first word is the host's `uname -m`
#                 on which no cross compiler is needed
#   debarch       Debian architecture (mmdebstrap --arch)
#   suite         Debian suite the guest initramfs comes from
#   lib64         1: the initramfs needs a /lib64 link (the dynamic loader)
#   image         bootable image inside a kernel build tree (O= dir)
#   qemu          QEMU binary
#   machine       QEMU machine and CPU arguments (besides -accel)
#   console       the guest's serial console device
#   boot_timeout  seconds allowed from QEMU start to the guest's init
#   tcg           default TCG mode: multi, or single where MTTCG is not
#                 trusted (docs/qemu.md: the x86_64 int3 oops)
#   icount_smp    0: more than one vCPU does not boot under -icount
#   packages      host packages beyond the common tools: cross compiler,
#                 QEMU, the kernel source the default kernel is built from
#                 (x86_64 boots Debian's prebuilt kernel, unpacked into
#                 the cache)
#   kernel        how the default kernel is made: source (PS_KSRC_PKG,
#                 scripts/kconfig/<arch>.config) or debian-x86 (prebuilt)
PS_ARCHES=(riscv64 x86_64 arm64)
declare -A PS_ARCH=()
ps_arch_row() { # ps_arch_row ARCH KEY=VALUE...
	local a=$1 kv
	shift
	for kv in "$@"; do PS_ARCH[$a.${kv%%=*}]=${kv#*=}; done
}
ps_arch_row riscv64 karch=riscv triplet=riscv64-linux-gnu debarch=riscv64 \
	suite=trixie lib64=0 image=arch/riscv/boot/Image \
	qemu=qemu-system-riscv64 "machine=-M virt -bios default" console=ttyS0 \
	boot_timeout=60 tcg=multi icount_smp=0 kernel=source \
	"packages=gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-system-misc $PS_KSRC_PKG"
# cortex-a57 (ARMv8.0): no pointer authentication or BTI for TCG to emulate
ps_arch_row arm64 karch=arm64 triplet=aarch64-linux-gnu debarch=arm64 \
	suite=bookworm lib64=0 image=arch/arm64/boot/Image \
	qemu=qemu-system-aarch64 "machine=-M virt,gic-version=3 -cpu cortex-a57" \
	console=ttyAMA0 boot_timeout=60 tcg=multi icount_smp=1 kernel=source \
	"packages=gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm $PS_KSRC_PKG"
ps_arch_row x86_64 karch=x86 triplet=x86_64-linux-gnu debarch=amd64 \
	suite=bookworm lib64=1 image=arch/x86/boot/bzImage \
	qemu=qemu-system-x86_64 "machine=-cpu max" console=ttyS0 \
	boot_timeout=90 tcg=single icount_smp=1 kernel=debian-x86 \
	packages=qemu-system-x86

ps_arch_list() { local l; l=$(printf '%s, ' "${PS_ARCHES[@]}"); echo "${l%, }"; }
ps_is_arch() { [ -n "${PS_ARCH[${1:-}.karch]:-}" ]; }
ps_check_arch() {
	ps_is_arch "${1:-}" ||
		ps_usage_error "unknown arch '${1:-}' (supported: $(ps_arch_list))"
}
# ps_arch ARCH KEY: one field of the table (an unknown key is a bug).
ps_arch() {
	[ -n "${PS_ARCH[$1.$2]+set}" ] || ps_die 3 "internal: no arch field '$2' for '$1'"
	printf '%s\n' "${PS_ARCH[$1.$2]}"
}
# Kernel ARCH= and CROSS_COMPILE= for a guest arch.
ps_karch() { ps_arch "$1" karch; }
ps_cross() {
	local t
	t=$(ps_arch "$1" triplet)
	[ "$(uname -m)" = "${t%%-*}" ] || echo "$t-"
}
# Debian architecture name and multiarch triplet.
ps_debarch() { ps_arch "$1" debarch; }
ps_triplet() { ps_arch "$1" triplet; }
ps_arch_host_packages() { ps_arch "$1" packages; }

# Short content hash of files and strings: ps_hash FILE... [-- STRING...]
ps_hash() {
	{
		while [ $# -gt 0 ] && [ "$1" != -- ]; do
			printf 'file %s\n' "$(basename "$1")"
			cat "$1"
			shift
		done
		[ "${1:-}" = -- ] && shift
		for s in "$@"; do printf 'str %s\n' "$s"; done
	} | sha256sum | cut -c1-12
}

# The Debian mirror this machine's apt uses for bookworm (the archive also
# serves trixie). Read from the apt configuration, never hard-coded.
ps_mirror() {
	local uri
	if [ -n "${PATCHSTORM_MIRROR:-}" ]; then
		echo "$PATCHSTORM_MIRROR"
		return
	fi
	uri=$(awk '
		/^[[:space:]]*$/ { if (ok && u != "") { print u; exit } ok = 0; u = ""; next }
		/^URIs:/ { u = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") ok = 1 }
		END { if (ok && u != "") print u }
	' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	if [ -z "$uri" ]; then
		uri=$(apt-get indextargets --format '$(RELEASE) $(URI)' 2>/dev/null |
			awk '$1 == "bookworm" { sub("/dists/.*", "", $2); print $2; exit }')
	fi
	if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
		uri=$(awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
	fi
	[ -n "$uri" ] || ps_env_error "cannot find a bookworm mirror in the apt configuration (set PATCHSTORM_MIRROR)"
	echo "${uri%/}"
}

# Debian's kernel source package linux-source-SERIES (6.12, 7.2, ...)
# extracted into the cache; prints the tree.  A tree already extracted is
# used as it is (offline, and the same source every time); otherwise the
# package is downloaded from the first of bookworm, trixie and sid that
# has it, from the machine's mirror (ps_mirror), by apt with its own
# signature checks but a private state directory under the cache: the
# host's apt lists and sources are left alone, and no root is needed.
PS_SOURCE_SUITES="bookworm trixie sid"
ps_debian_source() {
	local series=$1 pkg=linux-source-$1 dir apt ver deb suite
	local -a opts
	case "$series" in
	[0-9]*.[0-9]*) ;;
	*) ps_usage_error "debian:$series: want a kernel series such as 7.2" ;;
	esac
	dir=$(ls -d "$PS_CACHE/src/$pkg-"*/.complete 2>/dev/null | sort -V | tail -n1)
	if [ -n "$dir" ]; then
		dirname "$dir"
		return
	fi
	apt=$PS_CACHE/apt
	mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/cache" "$apt/dl"
	: >"$apt/sources.list"
	for suite in $PS_SOURCE_SUITES; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(ps_mirror) $suite main" >>"$apt/sources.list"
	done
	opts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o Dir::State::Lists="$apt/lists" -o Dir::State::status=/var/lib/dpkg/status
		-o Dir::Cache="$apt/cache" -o Dir::Cache::Archives="$apt/archives" -o Debug::NoLocking=1
		-o Acquire::Languages=none -o APT::Sandbox::User="$(id -un)")
	ps_info "looking for $pkg in $PS_SOURCE_SUITES"
	apt-get "${opts[@]}" -qq update >"$apt/update.log" 2>&1 ||
		ps_env_error "apt-get update for $pkg failed; see $apt/update.log"
	ver=$(apt-cache "${opts[@]}" show "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n1)
	[ -n "$ver" ] || ps_env_error "no $pkg in Debian's $PS_SOURCE_SUITES"
	dir=$PS_CACHE/src/$pkg-$ver
	rm -rf "$dir" "$apt/dl" && mkdir -p "$dir" "$apt/dl"
	ps_info "downloading $pkg $ver"
	(cd "$apt/dl" && apt-get "${opts[@]}" -qq download "$pkg=$ver") >"$apt/download.log" 2>&1 ||
		ps_env_error "apt-get download $pkg=$ver failed; see $apt/download.log"
	deb=$(ls "$apt/dl/"*.deb | head -n1)
	ps_info "extracting $pkg $ver into $dir"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*/linux-source-*.tar.xz' |
		tar -xJ -C "$dir" --strip-components=1 ||
		{ rm -rf "$dir"; ps_env_error "cannot extract $deb"; }
	rm -rf "$apt/dl"
	touch "$dir/.complete"
	echo "$dir"
}

# Newest V (e.g. 6.12.117) for which both linux-image-V+deb12-amd64-unsigned
# and linux-headers-V+deb12-amd64 are known to apt. Empty if none.
# The answer only changes when apt's lists do, so it is remembered
# (apt-cache takes seconds under load).
ps_x86_kernel_version() {
	local memo=$PS_CACHE/.x86-kernel-version stamp v
	stamp=$(stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0)
	if [ -r "$memo" ] && [ "$(head -n1 "$memo")" = "$stamp" ]; then
		v=$(sed -n 2p "$memo")
		[ -z "$v" ] || { echo "$v"; return; }
	fi
	v=$(ps_x86_kernel_version_apt)
	if [ -n "$v" ]; then
		mkdir -p "$PS_CACHE" 2>/dev/null &&
			printf '%s\n%s\n' "$stamp" "$v" >"$memo.$$" 2>/dev/null &&
			mv "$memo.$$" "$memo" 2>/dev/null
		echo "$v"
	fi
	return 0
}
ps_x86_kernel_version_apt() {
	local v
	for v in $(apt-cache pkgnames "linux-image-$PS_X86_SERIES." 2>/dev/null |
		sed -n "s/^linux-image-\($PS_X86_SERIES\.[0-9]*\)+deb12-amd64-unsigned\$/\1/p" |
		sort -rV); do
		if apt-cache show "linux-headers-$v+deb12-amd64" >/dev/null 2>&1; then
			echo "$v"
			return 0
		fi
	done
	return 0
}

ps_pkg_installed() {
	[ "$(dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# Run "$@" with an exclusive lock on FILE (serializes cache writers).
ps_locked() {
	local lock=$1
	shift
	mkdir -p "$(dirname "$lock")"
	(
		flock 9
		"$@"
	) 9>"$lock"
}
