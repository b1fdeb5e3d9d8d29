#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The storm's figures, printed (not pass/fail tests), each in its own
# guest boot:
#   throughput  bare API loop vs storm per strategy, side by side, then
#               site-flip rate against targets per update and togglers
#   detectors   hammer calls/s with no detector, the per-call checks only,
#               the sampler only, and both (medians of 5 alternating rounds)
#   strategies  each strategy 30 s with 2 togglers, hammers on the other
#               CPUs, then 20 insmod/rmmod cycles (default 4 vCPUs)
#   inject      each fault injection mode RUNS times (default 10) against
#               a control storm; time to first detection
#   lifecycle   100 rmmods and 100 start/stop/reset sequences at random
#               moments while every debugfs file is read in a loop
#               (tests/guest/lifecycle-races.sh; --set LIFECYCLE_N=N)
#   hotplug-lock-order
#               RUNS boots of tests/guest/storm-hotplug.sh with the mixed
#               storm whole (HOTPLUG_MIXED=1) while CPUs come and go: how
#               often ftrace's text_mutex -> cpu_hotplug_lock order meets
#               the jump labels' and kprobes' reverse order and deadlocks
#               (riscv64 6.12; the kernel's hung-task report names it)
#   optprobe-branch
#               x86_64: a kprobe event at each instruction of
#               victim_keyref in turn, optimized while its static branch
#               is off, then the branch switched on
#               (tests/guest/optprobe-branch.sh): does an optimized
#               kprobe's jmp cover the branch's target?  One boot; the
#               guest dies at the first offset that does
#
#   tests/bench/storm.sh [--arch riscv64|x86_64|arm64] [--cpus N] [--tcg M]
#       [--ksrc DIR|debian:X.Y] [--flavor normal|debug] [--runs N]
#       [--set VAR=VALUE]...
#       [throughput|detectors|strategies|inject|lifecycle|hotplug-lock-order|
#        optprobe-branch ...]
#   --flavor debug: the guest kernel with KASAN, lockdep, kmemleak...
#   (scripts/qemu-run.sh --flavor); its reports fail the runner's verdict.
#   --set passes a variable to the guest script (detectors: ROUNDS, SECS,
#   STRATS, RATE (toggles/s, default 20), REST = sampler_rest_us, EXTRA =
#   more config)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/lib.sh"
arch=riscv64
cpus=
tcg=
ksrc=
flavor=normal
runs=10
what=()
sets=()
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arch=${2:-}; shift ;;
	--cpus) cpus=${2:-}; shift ;;
	--tcg) tcg=${2:-}; shift ;;
	--ksrc) ksrc=${2:-}; shift ;;
	--flavor) flavor=${2:-}; shift ;;
	--runs) runs=${2:-}; shift ;;
	--set) case ${2:-} in
		*\'*) echo "error: --set: no quotes in '$2'" >&2; exit 2 ;;
		[A-Z]*=*) sets+=("$2") ;;
		*) echo "error: --set wants VAR=VALUE, not '${2:-}'" >&2; exit 2 ;;
		esac; shift ;;
	-h|--help) ps_help; exit 0 ;;
	throughput|detectors|strategies|inject|lifecycle|hotplug-lock-order|optprobe-branch) what+=("$1") ;;
	*) echo "error: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done
[ ${#what[@]} -gt 0 ] || what=(throughput detectors)
case $flavor in normal|debug) ;; *) echo "error: --flavor must be normal or debug, not '$flavor'" >&2; exit 2 ;; esac
# results apart per kernel and flavour
tag=$arch${tcg:+-$tcg}${ksrc:+-${ksrc//[:\/]/_}}
[ "$flavor" = normal ] || tag=$tag-$flavor

run() { # run NAME GUEST-SCRIPT CPUS DURATION [ENV]
	local name=$1 script=$2 n=$3 dur=$4 env=${5:-} d
	d=$root/build/bench/$name-$tag
	# (the debug kernel boots and does the same work several times slower)
	local boot=
	[ "$flavor" = debug ] && dur=$((dur * 4)) boot=300
	rm -rf "$d"
	mkdir -p "$(dirname "$d")"
	echo "== $name ($arch${ksrc:+ $ksrc}, $n vCPUs${tcg:+, tcg=$tcg}, $flavor kernel) =="
	"$root/scripts/qemu-run.sh" --arch "$arch" --cpus "$n" ${tcg:+--tcg "$tcg"} ${ksrc:+--ksrc "$ksrc"} --flavor "$flavor" \
		--duration "$dur" --grace 120 ${boot:+--boot-timeout "$boot"} --results "$d" --fixtures \
		--add "$root/tests/guest/lib.sh:/patchstorm/lib.sh" \
		${env:+--add "$env:/patchstorm/bench.env"} \
		--scenario "$root/tests/guest/$script" >"$d.runner" 2>&1
	echo "runner: $(tail -n1 "$d.runner") (qemu: $(sed -n 's/.*-accel \([^ ]*\).*/\1/p' "$d/qemu-cmdline" 2>/dev/null))"
	grep -v '^ok - ' "$d/out/run.log" 2>/dev/null
	echo
}

envfile=$(mktemp)
trap 'rm -f "$envfile"' EXIT
setenv() { # the --set variables, then any given here, quoted for sh
	local kv
	: >"$envfile"
	for kv in "${sets[@]}" "$@"; do
		printf "%s='%s'\n" "${kv%%=*}" "${kv#*=}" >>"$envfile"
	done
}
for w in "${what[@]}"; do
	case $w in
	throughput) setenv; run throughput bench-throughput.sh "${cpus:-2}" 600 "$envfile" ;;
	detectors) setenv; run detectors bench-detectors.sh "${cpus:-2}" 900 "$envfile" ;;
	strategies) setenv; run strategies bench-strategies.sh "${cpus:-4}" 900 "$envfile" ;;
	inject)
		# every injection (injections.def, "none" aside) and its control,
		# about 12 s each
		modes=$(grep -c '^PS_INJECTION(' "$root/module/tables/injections.def")
		setenv "RUNS=$runs" "STORM_SECS=5"
		run inject storm-inject.sh "${cpus:-2}" $((runs * (modes - 1) * 2 * 12 + 60)) "$envfile" ;;
	lifecycle) setenv; run lifecycle lifecycle-races.sh "${cpus:-2}" 3600 "$envfile" ;;
	hotplug-lock-order)
		# one boot per run: a deadlocked guest does not come back
		setenv HOTPLUG_MIXED=1
		hung=0 clean=0 other=0
		for i in $(seq 1 "$runs"); do
			run "hotplug-lock-order-$i" storm-hotplug.sh "${cpus:-2}" 80 "$envfile" >/dev/null
			d=$root/build/bench/hotplug-lock-order-$i-$tag
			v=$(tail -n1 "$d.runner")
			case $v in
			*HUNG_TASK*) hung=$((hung + 1)) ;;
			*SUCCESS*) clean=$((clean + 1)) ;;
			*) other=$((other + 1)) ;;
			esac
			echo "run $i: $v"
			grep -a -m8 -E 'blocked for more than|stop_machine\+|static_key_enable\+|static_key_slow_inc\+|enable_kprobe\+|cpu_up\+|cpu_down\+' "$d/console.log" | sed 's/^/    /'
		done
		echo "hotplug-lock-order ($arch${ksrc:+ $ksrc}, ${cpus:-2} vCPUs${tcg:+, tcg=$tcg}): $hung of $runs runs deadlocked (HUNG_TASK), $clean clean, $other other" ;;
	optprobe-branch)
		setenv
		run optprobe-branch optprobe-branch.sh "${cpus:-2}" 400 "$envfile" >/dev/null
		d=$root/build/bench/optprobe-branch-$tag
		echo "runner: $(tail -n1 "$d.runner")"
		grep -a -E 'optimized|verdict|RIP:|Code:' "$d/console.log" | grep -v '^ok' | sed 's/^/    /' ;;
	esac
done
