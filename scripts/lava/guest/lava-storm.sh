#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# One patchstorm storm in a LAVA test shell (busybox sh), its results as
# LAVA test cases (lava-test-case):
#   doctor                   patchstorm doctor: pass when ready
#   storm                    the storm's verdict
#   strategy.<name>          each strategy: pass, fail, or skip (the kernel
#   detector.<name>          or the configuration leaves it out), from the
#                            storm's KTAP (out/results.ktap)
#   patch.<strategy>.<enable|disable>.<p50|p99>, flush.<p50|p99>:
#                            latency percentiles (--measurement, --units ns)
# Environment (the test definition's parameters): DURATION, STORM,
# SCENARIO (a scenarios/ name, default "default"), TCG (the QEMU mode, or
# empty on hardware). Outside LAVA each case is printed instead.
# Exit: the scenario's.
OUT=/patchstorm/out
mkdir -p $OUT
cd /patchstorm || exit 3
# tc NAME ARGS...: a LAVA test case (printed outside LAVA)
tc() {
	if command -v lava-test-case >/dev/null 2>&1; then
		lava-test-case "$@"
	else
		echo "lava-test-case $*"
	fi
}

DURATION=${DURATION:-20}
STORM=${STORM:-}
TCG=${TCG:-}
CPUS=$(grep -c ^processor /proc/cpuinfo)
case $(uname -m) in aarch64) ARCH=arm64 ;; *) ARCH=$(uname -m) ;; esac
TIMEOUT=$((DURATION + 60))
export DURATION STORM TCG CPUS ARCH TIMEOUT
SCENARIO=${SCENARIO:-default}

if patchstorm doctor --module /patchstorm/patchstorm.ko >$OUT/doctor 2>&1; then
	tc doctor --result pass
else
	cat $OUT/doctor
	tc doctor --result fail
fi

echo "patchstorm: scenario $SCENARIO, ${DURATION}s, STORM='$STORM', TCG=$TCG"
sh "/patchstorm/scenarios/$SCENARIO.sh"
rc=$?
if [ $rc = 0 ]; then
	tc storm --result pass
else
	tc storm --result fail
fi

# KTAP (4-space indented tests of the "strategies" and "detectors" subtests)
if [ -s $OUT/results.ktap ]; then
	cat $OUT/results.ktap
	awk '
		/^    # Subtest: / { group = ($3 == "strategies") ? "strategy" : ($3 == "detectors") ? "detector" : $3; next }
		/^    (ok|not ok) [0-9]+ / {
			res = ($1 == "ok") ? "pass" : "fail"; name = ($1 == "ok") ? $3 : $4
			if ($0 ~ / # SKIP/) res = "skip"
			print group "." name, res
		}' $OUT/results.ktap |
	while read -r name res; do
		tc "$name" --result "$res"
	done
else
	tc ktap --result fail
fi

# latency percentiles from the histograms the storm saved
for h in "$OUT"/hist/patch.*.enable "$OUT"/hist/patch.*.disable "$OUT"/hist/flush; do
	[ -s "$h" ] || continue
	n=$(sed -n 's/^count=//p' "$h")
	[ "${n:-0}" -gt 0 ] || continue
	for p in p50 p99; do
		v=$(sed -n "s/^$p=//p" "$h")
		[ -z "$v" ] || tc "${h##*/}.$p" --result pass --measurement "$v" --units ns
	done
done
exit $rc
