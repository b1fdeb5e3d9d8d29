#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the patchstorm module (or another external module) against a
# kernel cache entry and print the .ko path(s).
#
#   scripts/build-module.sh [--src DIR] [--name NAME] <kernel-entry-dir>
#
# Default: copies Kbuild and module/ into build/module-<arch>-<release>/
# (rsync) and runs make -C <kdir> M=<that dir> W=1. --src DIR builds the
# Kbuild in DIR instead (e.g. tests/fixtures) into build/<NAME>-<arch>-<release>/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=
name=
entry=
while [ $# -gt 0 ]; do
	case "$1" in
	--src) src=${2:-}; shift ;;
	--name) name=${2:-}; shift ;;
	-h|--help) ps_help; exit 0 ;;
	-*) ps_usage_error "unknown option '$1'" ;;
	*) [ -z "$entry" ] || ps_usage_error "one kernel entry dir only"; entry=$1 ;;
	esac
	shift
done
[ -n "$entry" ] || ps_usage_error "usage: $PS_PROG [--src DIR] <kernel-entry-dir>"
[ -e "$entry/.complete" ] || ps_env_error "'$entry' is not a complete kernel cache entry"

kdir=$(cat "$entry/kdir")
release=$(cat "$entry/release")
# The entry name starts with the arch.
arch=${entry%/}
arch=${arch##*/}
arch=${arch%%-*}
ps_check_arch "$arch"
[ -d "$kdir" ] || ps_env_error "kernel build dir $kdir missing (rebuild the kernel entry)"

if [ -z "$src" ]; then
	[ -f "$PS_ROOT/Kbuild" ] || ps_env_error "no Kbuild at the top of the repository (module not there yet)"
	name=${name:-module}
	out=$PS_ROOT/build/$name-$arch-$release
	mkdir -p "$out"
	# one build at a time in a directory (campaign.sh --jobs runs guests
	# in parallel); released when this script exits
	exec 9>"$out.lock"
	flock 9
	# -t not kept: a changed file gets a new mtime, so make rebuilds its object
	rsync -rlpD --checksum --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude=/module/gen/ "$PS_ROOT/module" "$out/" >&2 || true
	rsync -rlpD --checksum "$PS_ROOT/Kbuild" "$out/Kbuild"
else
	[ -f "$src/Kbuild" ] || ps_env_error "no Kbuild in $src"
	name=${name:-$(basename "$src")}
	out=$PS_ROOT/build/$name-$arch-$release
	mkdir -p "$out"
	exec 9>"$out.lock"
	flock 9
	rsync -rlpD --checksum "$src/" "$out/"
fi

log=$out/build.log
if ! make -C "$kdir" M="$out" ARCH="$(ps_karch "$arch")" CROSS_COMPILE="$(ps_cross "$arch")" \
	W=1 -j"$PS_NPROC" modules >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	ps_env_error "module build failed; see $log"
fi
kos=$(cd "$out" && find . -name '*.ko' | sort)
[ -n "$kos" ] || ps_env_error "no .ko built in $out; see $log"
for k in $kos; do
	echo "$out/${k#./}"
done
