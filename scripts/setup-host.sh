#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages patchstorm needs on the host, and only the
# missing ones. Idempotent: a second run does nothing (no apt-get update).
#
#   scripts/setup-host.sh [--check] [--no-x86]
#
#   --check   only report what is missing (exit 3 if anything is)
#   --no-x86  skip the x86_64 guest kernel headers
#   --quiet   say nothing when the host is ready
#
# As non-root, prints the exact sudo apt-get line and exits 3.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

check_only=0
x86=1
quiet=0
while [ $# -gt 0 ]; do
	case "$1" in
	--check) check_only=1 ;;
	--no-x86) x86=0 ;;
	--quiet) quiet=1 ;;
	-h|--help) sed -n '4,13p' "$0"; exit 0 ;;
	*) ps_usage_error "unknown option '$1'" ;;
	esac
	shift
done

PKGS=(
	make gcc libc6-dev bc bison flex libelf-dev libssl-dev cpio xz-utils
	zstd rsync kmod dwarves python3 binutils util-linux
	gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	qemu-system-misc qemu-system-x86 qemu-system-arm mmdebstrap
	"$PS_KSRC_PKG" stress-ng trace-cmd busybox-static gnuplot-nox tmux
)

missing=()
for p in "${PKGS[@]}"; do
	ps_pkg_installed "$p" || missing+=("$p")
done

# x86_64 guests run Debian's prebuilt kernel; the module is built against
# the matching headers package, installed the way a user would install it.
x86_headers=
resolve_x86() {
	local v
	v=$(ps_x86_kernel_version)
	[ -n "$v" ] && x86_headers=linux-headers-$v+deb12-amd64
}
if [ $x86 = 1 ]; then
	resolve_x86 || true
	if [ -z "$x86_headers" ]; then
		missing+=("linux-headers-$PS_X86_SERIES.*+deb12-amd64")
	elif ! ps_pkg_installed "$x86_headers"; then
		missing+=("$x86_headers")
	fi
fi

if [ ${#missing[@]} -eq 0 ]; then
	[ $quiet = 1 ] || ps_info "host ready (all packages installed)"
	exit 0
fi

if [ $check_only = 1 ]; then
	ps_env_error "missing packages: ${missing[*]}"
fi
if [ "$(id -u)" != 0 ]; then
	echo "sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
	ps_env_error "missing packages (run the line above as root)"
fi

ps_info "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || ps_env_error "apt-get update failed"
# The x86 kernel version may only be known after the update.
if [ $x86 = 1 ] && [ -z "$x86_headers" ]; then
	resolve_x86 || ps_env_error "no linux-image/linux-headers $PS_X86_SERIES amd64 pair in the apt archive"
	missing=("${missing[@]/linux-headers-$PS_X86_SERIES.\*+deb12-amd64/$x86_headers}")
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
	ps_env_error "apt-get install failed: ${missing[*]}"
ps_info "host ready"
