#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages patchstorm needs on the host, and only the
# missing ones. Idempotent: a second run does nothing (no apt-get update).
#
#   scripts/setup-host.sh [--arch A]... [--check] [--list] [--quiet]
#
#   --arch A  only what guests of arch A need (riscv64, x86_64, arm64;
#             repeatable); default: every arch
#   --check   only report what is missing (exit 3 if anything is)
#   --list    print the packages wanted, one a line, and exit
#   --quiet   say nothing when the host is ready
#
# Only tools are installed. Guest kernels never are: Debian's prebuilt
# x86_64 kernel and its headers are unpacked into the cache by
# build-kernel.sh (a linux-headers-*-amd64 package would pull its image
# into the host's /boot). As non-root, prints the exact sudo apt-get line
# and exits 3.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

check_only=0
list=0
quiet=0
arches=()
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) ps_check_arch "${2:-}"; arches+=("$2"); shift ;;
	--arch=*) ps_check_arch "${1#*=}"; arches+=("${1#*=}") ;;
	--check) check_only=1 ;;
	--list) list=1 ;;
	--quiet) quiet=1 ;;
	-h|--help) ps_help; exit 0 ;;
	*) ps_usage_error "unknown option '$1'" ;;
	esac
	shift
done
[ ${#arches[@]} -gt 0 ] || arches=("${PS_ARCHES[@]}")

PKGS=(
	make gcc libc6-dev bc bison flex libelf-dev libssl-dev cpio xz-utils
	zstd rsync kmod dwarves python3 binutils util-linux mmdebstrap
	stress-ng trace-cmd busybox-static gnuplot-nox tmux
)
for a in "${arches[@]}"; do
	# shellcheck disable=SC2207
	PKGS+=($(ps_arch_host_packages "$a"))
done
# shellcheck disable=SC2207
PKGS=($(printf '%s\n' "${PKGS[@]}" | awk '!seen[$0]++'))

if [ $list = 1 ]; then
	printf '%s\n' "${PKGS[@]}"
	exit 0
fi

missing=()
for p in "${PKGS[@]}"; do
	ps_pkg_installed "$p" || missing+=("$p")
done

# x86_64 guests boot Debian's prebuilt kernel, whose version comes from
# apt's lists: refresh them once if they name none.
need_update=0
case " ${arches[*]} " in
*" x86_64 "*) [ -n "$(ps_x86_kernel_version)" ] || need_update=1 ;;
esac

if [ ${#missing[@]} -eq 0 ] && [ $need_update = 0 ]; then
	[ $quiet = 1 ] || ps_info "host ready (all packages installed)"
	exit 0
fi

if [ $check_only = 1 ]; then
	[ ${#missing[@]} -eq 0 ] || ps_env_error "missing packages: ${missing[*]}"
	ps_env_error "apt's lists name no linux-image-$PS_X86_SERIES amd64 kernel (apt-get update)"
fi
if [ "$(id -u)" != 0 ]; then
	echo "sudo apt-get update${missing[*]:+ && sudo apt-get install -y --no-install-recommends ${missing[*]}}"
	ps_env_error "the host is not ready (run the line above as root)"
fi

export DEBIAN_FRONTEND=noninteractive
ps_info "apt-get update"
apt-get update -qq >&2 || ps_env_error "apt-get update failed"
if [ ${#missing[@]} -gt 0 ]; then
	ps_info "installing: ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
		ps_env_error "apt-get install failed: ${missing[*]}"
fi
case " ${arches[*]} " in
*" x86_64 "*) [ -n "$(ps_x86_kernel_version)" ] ||
	ps_env_error "no linux-image/linux-headers $PS_X86_SERIES amd64 pair in the apt archive" ;;
esac
ps_info "host ready"
