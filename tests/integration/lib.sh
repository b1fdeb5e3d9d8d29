# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Helpers for the integration tests (sourced by tests/integration/NN-*.sh).
#
# A test that boots guests declares what it runs on, one "# on: VARIANT"
# line each (tests/run.sh runs each as the test NN-behaviour@VARIANT):
# VARIANT is an arch (riscv64, x86_64, arm64: its default kernel) or
# ARCH-X.Y (Debian's linux-source-X.Y), then +debug for the kernel's debug
# flavour (riscv64+debug, x86_64-6.12+debug), optionally followed by
# "extended: WHY". The script gets the variant as $1 and finds ARCH, the
# kernel series KSERIES (empty: the default kernel), KSRC (runner
# options for that kernel, an array), KFLAVOR (normal or debug) and
# FLAVOR (the runner's --flavor option, an array) set here.
#
# A test ends with pass [SUMMARY] (exit 0), fail WHY (exit 1) or
# skip WHY (exit 77: it cannot run here; counted and shown as skipped).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNNER=$ROOT/scripts/qemu-run.sh
TEST=$(basename "$0" .sh)
VARIANTS=$(sed -n 's/^# on: *\([^ ]*\).*/\1/p' "$0")
VARIANT=${1:-}
ARCH=
KSERIES=
KSRC=()
KFLAVOR=normal
FLAVOR=()
if [ -n "$VARIANTS" ]; then
	if [ -z "$VARIANT" ] || ! grep -qxF -- "$VARIANT" <<<"$VARIANTS"; then
		echo "$TEST: error: usage: $0 VARIANT, one of: $(echo $VARIANTS)" >&2
		exit 2
	fi
	TEST=$TEST@$VARIANT
	v=$VARIANT
	case $v in *+*) KFLAVOR=${v#*+}; v=${v%%+*}; FLAVOR=(--flavor "$KFLAVOR") ;; esac
	ARCH=${v%%-*}
	if [ "$v" != "$ARCH" ]; then
		KSERIES=${v#*-}
		KSRC=(--ksrc "debian:$KSERIES")
	fi
elif [ -n "$VARIANT" ]; then
	echo "$TEST: error: this test takes no variant (no '# on:' lines)" >&2
	exit 2
fi
RES=$ROOT/build/test-results/$TEST
rm -rf "$RES"
mkdir -p "$RES"

fail() { echo "FAIL $TEST: $*"; exit 1; }
pass() { echo "PASS $TEST${1:+: $1}"; exit 0; }
skip() { echo "SKIP $TEST: $*"; exit 77; }

# by_arch A=VALUE...: the value for $ARCH (a per-arch figure in a test).
by_arch() {
	local kv
	for kv in "$@"; do
		[ "${kv%%=*}" != "$ARCH" ] || { echo "${kv#*=}"; return 0; }
	done
	fail "internal: no value for $ARCH in: $*"
}

# run_guest RESULTS-DIR ARGS... : runs the runner, sets RC and VERDICT
# (its last stdout line) and prints its output.
run_guest() {
	local dir=$1
	shift
	"$RUNNER" --results "$dir" "$@" >"$dir.stdout" 2>"$dir.stderr"
	RC=$?
	VERDICT=$(tail -n1 "$dir.stdout")
	echo "runner rc=$RC verdict: $VERDICT"
	sed 's/^/  stderr: /' "$dir.stderr"
}

# json FILE EXPR : evaluate a python expression on the parsed JSON (as j).
json() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

check_results_dir() {
	local d=$1 f
	for f in qemu-cmdline console.log guest-exit-status failures.txt summary.json; do
		[ -e "$d/$f" ] || fail "results dir lacks $f"
	done
	[ -d "$d/out" ] || fail "results dir lacks out/"
	python3 -m json.tool "$d/summary.json" >/dev/null || fail "summary.json is not valid JSON"
}

# In-guest check of the module: load, debugfs files, caps, unload, gone.
MODULE_CHECK='set -e
d=/sys/kernel/debug/patchstorm
insmod /patchstorm/patchstorm.ko
test -d $d || { echo "no $d after insmod"; exit 10; }
for f in caps control config stats; do test -e $d/$f || { echo "no $d/$f"; exit 11; }; done
cat $d/caps >/patchstorm/out/caps
cat $d/stats >/patchstorm/out/stats-idle
cat $d/control >/patchstorm/out/control
rmmod patchstorm
if test -e $d; then echo "$d still there after rmmod"; exit 12; fi
echo module-check-ok'

# After a MODULE_CHECK run: verify caps for ARCH.
check_module_run() {
	local d=$1 arch=$2 k
	[ "$RC" = 0 ] || fail "runner exit $RC ($VERDICT); see $d/console.log"
	[ "$VERDICT" = SUCCESS ] || fail "verdict '$VERDICT'"
	grep -q module-check-ok "$d/out/run.log" || fail "module check did not finish"
	[ -s "$d/out/caps" ] || fail "empty caps"
	grep -qx "arch=$arch" "$d/out/caps" || fail "caps lack arch=$arch: $(tr '\n' ' ' <"$d/out/caps")"
	for k in ftrace kprobes jump_label; do
		grep -qx "$k=1" "$d/out/caps" || fail "caps lack $k=1: $(tr '\n' ' ' <"$d/out/caps")"
	done
}

# boot_to_init_s below a limit (seconds).
check_boot_time() {
	local d=$1 limit=$2 t
	t=$(json "$d/summary.json" "j['boot_to_init_s']")
	echo "boot to init: $t s (limit $limit s)"
	python3 -c "import sys; sys.exit(0 if $t < $limit else 1)" || fail "boot to init took $t s (limit $limit s)"
}

# guest_checks ARCH SCRIPT [RUNNER-ARGS...]: run a tests/guest script (with
# tests/guest/lib.sh beside it); it must report "guest checks: N passed,
# 0 failed" with N > 0 (and ", K skipped" if any were), and the runner
# must judge the run a SUCCESS.
# Results in $RES/$GUEST_RES (default: the arch's name).
guest_checks() {
	local arch=$1 script=$2 d line
	d=$RES/${GUEST_RES:-$arch}
	shift 2
	run_guest "$d" --arch "$arch" --add "$ROOT/tests/guest/lib.sh:/patchstorm/lib.sh" \
		--scenario "$ROOT/tests/guest/$script" "$@"
	[ -f "$d/out/run.log" ] || fail "no run.log from the guest; see $d/console.log"
	grep '^not ok' "$d/out/run.log" | sed 's/^/  /'
	line=$(grep -a '^guest checks: ' "$d/out/run.log" | tail -n1)
	[ -n "$line" ] || fail "guest checks did not finish ($VERDICT); see $d/console.log"
	case "$line" in
	*" 0 passed,"*) fail "no guest check ran" ;;
	*", 0 failed" | *", 0 failed, "[1-9]*" skipped") ;;
	*) fail "$line" ;;
	esac
	[ "$RC" = 0 ] || fail "runner exit $RC ($VERDICT); see $d/console.log"
	# a flavour's variant must have booted that flavour's kernel (its
	# release ends in -FLAVOR), not passed on the normal one
	[ "$KFLAVOR" = normal ] || grep -aq "Linux version [^ ]*-$KFLAVOR " "$d/console.log" ||
		fail "the guest did not boot the $KFLAVOR kernel; see $d/console.log"
	GUEST_LINE=$line
}

# check_fake_debugfs REAL-DIR STATE VERDICT: the CLI tests' fake debugfs
# (tools/tests/test_main.c) writes the files and keys the module wrote
# into REAL-DIR (tests/guest/lib.sh save_debugfs) after a storm.
check_fake_debugfs() {
	local real=$1 fake=$RES/fake-debugfs-$3
	[ -s "$real/stats" ] || fail "no $real/stats from the guest"
	make -s -C "$ROOT/tools" build/host/patchstorm-tests >/dev/null || fail "cannot build the CLI's unit tests"
	"$ROOT/tools/build/host/patchstorm-tests" --fake-debugfs "$fake" "$2" "$3" ||
		fail "patchstorm-tests --fake-debugfs failed"
	"$ROOT/tests/fake-debugfs.py" real "$real" "$fake" || fail "the CLI tests' fake debugfs drifted from the module"
}

# 5N-*-trace tests: set STRATS, then check_trace_run.

scripts_th() { "$ROOT/scripts/trace-hist.py" "$@"; }

# check_trace_run DIR KINDS: a --trace run's histograms, stats and
# trace.dat agree; sets SUMMARY.
check_trace_run() {
	local d=$1 kinds=$2 s dir n c p50 p99 max line
	[ -s "$d/out/trace.dat" ] || fail "no out/trace.dat; see $d/console.log"
	[ -d "$d/out/hist" ] || fail "no out/hist/"
	for s in $STRATS; do
		for dir in enable disable; do
			n=$(sed -n "s/^toggles\.$s\.$dir=//p" "$d/out/stats")
			[ -n "$n" ] || fail "stats lack toggles.$s.$dir"
			[ "$n" -gt 0 ] || fail "$s $dir: no toggles"
			h=$d/out/hist/patch.$s.$dir
			[ -s "$h" ] || fail "no hist/patch.$s.$dir"
			c=$(sed -n 's/^count=//p' "$h")
			p50=$(sed -n 's/^p50=//p' "$h")
			p99=$(sed -n 's/^p99=//p' "$h")
			max=$(sed -n 's/^max=//p' "$h")
			[ "$c" -gt 0 ] || fail "$s $dir: empty histogram"
			[ "$c" = "$n" ] || fail "$s $dir: histogram count $c != toggles $n"
			[ "$p50" -le "$p99" ] && [ "$p99" -le "$max" ] ||
				fail "$s $dir: not p50 <= p99 <= max ($p50 $p99 $max)"
		done
	done
	scripts_th "$d" --events "$kinds" >"$d.trace-hist" 2>&1
	sed 's/^/  /' "$d.trace-hist"
	line=$(tail -n1 "$d.trace-hist")
	case "$line" in
	"trace-hist: OK"*) ;;
	*) fail "$line" ;;
	esac
	SUMMARY="$(wc -c <"$d/out/trace.dat") B trace.dat, $(json "$d/summary.json" "j.get('out_transfer_s')") s transfer; ${line#trace-hist: }"
}
