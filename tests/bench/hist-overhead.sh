#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Histogram recording overhead: boots a guest (riscv64 under TCG by
# default), writes hist=N to the module's debugfs bench file (N calls of
# ps_hist_record() against the same loop without it, best of 10 rounds,
# see module/engine/bench.c) and prints ns per sample.  A figure, not a test.
#
#   tests/bench/hist-overhead.sh [--arch riscv64|x86_64] [--samples N]
#       [--tcg single|multi]
#
# The last line: "hist-overhead ARCH: X ns/sample (loop Y ns, with Z ns)".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/lib.sh"
arch=riscv64
samples=1000000
tcg=
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arch=${2:-}; shift ;;
	--samples) samples=${2:-}; shift ;;
	--tcg) tcg=${2:-}; shift ;;
	-h|--help) ps_help; exit 0 ;;
	*) echo "error: unknown option '$1'" >&2; exit 2 ;;
	esac
	shift
done
res=$root/build/bench/hist-overhead-$arch
mkdir -p "$res"
cmd="set -e
b=/sys/kernel/debug/patchstorm/bench
insmod /patchstorm/patchstorm.ko
echo hist=$samples >\$b
cat \$b >/patchstorm/out/bench-hist
echo hist=$samples >\$b
cat \$b >>/patchstorm/out/bench-hist
rmmod patchstorm"
"$root/scripts/qemu-run.sh" --arch "$arch" --cpus 1 --duration 60 --results "$res" \
	${tcg:+--tcg "$tcg"} --cmd "$cmd" >"$res.log" 2>&1
rc=$?
f=$res/out/bench-hist
if [ $rc != 0 ] || [ ! -s "$f" ]; then
	echo "error: the $arch guest run failed (rc $rc), see $res.log and $res/console.log" >&2
	exit 1
fi
sed 's/^/  /' "$f"
# two runs of 10 rounds each: report the better one
awk -v arch="$arch" -F= '
	$1 == "hist_ns_per_loop" { l = $2 }
	$1 == "hist_ns_per_loop_recording" { w = $2 }
	$1 == "hist_ns_per_sample" {
		if (best == "" || $2 + 0 < best + 0) { best = $2; bl = l; bw = w } }
	END { printf "hist-overhead %s: %s ns/sample (loop %s ns, with recording %s ns)\n", arch, best, bl, bw }' "$f"
