#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# LAVA job definitions for a campaign: one job per campaign run (the
# campaign format of scripts/campaign.sh), each booting the run's kernel
# and ramdisk in QEMU (device type qemu) and running the storm as a LAVA
# test, with the artifacts they need.
#
#   scripts/lava/make-jobs.sh [--out DIR] [--base-url URL]
#       [--kernel default|DIR|debian:X.Y] CAMPAIGN-FILE...
#
# Out (default results/lava-<time>/):
#   artifacts/<arch>-<release>/kernel            the guest kernel
#   artifacts/<arch>-<release>/rootfs.cpio.gz    the runner's initramfs with
#                                                scripts/lava/guest/init as /init
#   artifacts/<arch>-<release>/patchstorm.tar.gz the module built for that
#       kernel (patchstorm/patchstorm.ko), the CLI (usr/bin/patchstorm), the
#       scenarios, lava-storm.sh and the kernel's config (boot/), which LAVA
#       unpacks into the ramdisk (an overlay, format tar) with its own
#       test overlay
#   jobs/<run>.yaml        a LAVA job per run; its test is patchstorm.yaml
#                          (inline) with the run's DURATION, STORM, SCENARIO
#                          and TCG as parameters
#   patchstorm.yaml        the Lava-Test test definition (scripts/lava/)
# --base-url: where the lab will fetch artifacts/ from (default file://
# URLs of OUT/artifacts, for scripts/lava/run-local.sh). Every line of the
# campaign is checked first (scripts/campaign.sh --list).
# Exit 0, 2 bad usage or campaign, 3 a kernel, initramfs or module that
# cannot be built.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

out=
base_url=
kernel=default
files=()
while [ $# -gt 0 ]; do
	case "$1" in
	--out) [ -n "${2:-}" ] || ps_usage_error "--out needs a directory"; out=$2; shift ;;
	--base-url) [ -n "${2:-}" ] || ps_usage_error "--base-url needs a URL"; base_url=$2; shift ;;
	--kernel) [ -n "${2:-}" ] || ps_usage_error "--kernel needs default, a tree or debian:X.Y"
		kernel=$2; shift ;;
	-h|--help) ps_help; exit 0 ;;
	-*) ps_usage_error "unknown option '$1' (see --help)" ;;
	*) files+=("$1") ;;
	esac
	shift
done
[ ${#files[@]} -gt 0 ] || ps_usage_error "no campaign file (see --help)"
runs=$("$PS_ROOT/scripts/campaign.sh" --list "${files[@]}") || exit $?
# the jobs boot the default kernels: no debug flavour
bad=$(awk -F '\t' '{ n = split($6, w, " "); for (i = 1; i <= n; i++) if (w[i] ~ /^flavor=/ && w[i] != "flavor=normal") print $1 }' <<<"$runs" | head -n1)
[ -z "$bad" ] || ps_usage_error "run '$bad': LAVA jobs are made for the normal kernels, not another flavour"
command -v python3 >/dev/null || ps_env_error "python3 not found"

out=${out:-$PS_ROOT/results/lava-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out/artifacts" || ps_env_error "cannot create $out"
out=$(cd "$out" && pwd)
base_url=${base_url:-file://$out/artifacts}
S=$PS_ROOT/scripts
L=$S/lava
ksrc=()
[ "$kernel" = default ] || ksrc=(--ksrc "$kernel")

info=$out/artifacts/info.json
echo '{}' >"$info"
for arch in $(cut -f2 <<<"$runs" | sort -u); do
	entry=$("$S/build-kernel.sh" --arch "$arch" "${ksrc[@]}" | tail -n1) || exit $?
	rel=$(cat "$entry/release")
	base=$("$S/build-rootfs.sh" --arch "$arch" | tail -n1) || exit $?
	[ ! -f "${base%.gz}" ] || base=${base%.gz}
	ko=$("$S/build-module.sh" "$entry" | grep '/patchstorm\.ko$' | head -n1) || exit 3
	[ -n "$ko" ] || ps_env_error "no patchstorm.ko for $arch $rel"
	make -s -C "$PS_ROOT/tools" TARGET="$arch" >/dev/null ||
		ps_env_error "cannot build the $arch CLI (make -C tools TARGET=$arch)"
	cfg=$(ls "$entry"/pkg/boot/config-* "$entry/build/.config" 2>/dev/null | head -n1 || true)

	a=$arch-$rel
	d=$out/artifacts/$a
	mkdir -p "$d"
	cp "$entry/image" "$d/kernel"
	python3 "$L/lavajobs.py" ramdisk "$base" "$L/guest/init" "$d/rootfs.cpio.gz" ||
		ps_env_error "cannot make the ramdisk from $base"
	stage=$(mktemp -d "${TMPDIR:-/tmp}/patchstorm-lava.XXXXXX")
	mkdir -p "$stage/patchstorm/scenarios" "$stage/usr/bin" "$stage/boot"
	cp "$ko" "$stage/patchstorm/patchstorm.ko"
	cp "$PS_ROOT"/scenarios/*.sh "$stage/patchstorm/scenarios/"
	cp "$L/guest/lava-storm.sh" "$stage/patchstorm/"
	cp "$PS_ROOT/tools/build/$arch/patchstorm" "$stage/usr/bin/"
	[ -z "$cfg" ] || cp "$cfg" "$stage/boot/config-$rel"
	tar -czf "$d/patchstorm.tar.gz" --owner=0 --group=0 -C "$stage" patchstorm usr boot
	rm -rf "$stage"
	python3 - "$info" "$arch" "$a" "$rel" "$d" <<'PY'
import hashlib, json, os, sys
info, arch, a, rel, d = sys.argv[1:]
j = json.load(open(info))
j[arch] = {'dir': a, 'release': rel,
           'sha256': {f: hashlib.sha256(open(os.path.join(d, f), 'rb').read()).hexdigest()
                      for f in ('kernel', 'rootfs.cpio.gz', 'patchstorm.tar.gz')}}
json.dump(j, open(info, 'w'), indent=2)
PY
	ps_info "$arch: $rel, artifacts in $d"
done
cp "$L/patchstorm.yaml" "$out/patchstorm.yaml"
python3 "$L/lavajobs.py" jobs "$out" "$base_url" "$L/patchstorm.yaml" "$info" <<<"$runs" ||
	ps_env_error "cannot write the jobs"
echo "lava: $(wc -l <<<"$runs") jobs in $out/jobs, artifacts for $base_url"
