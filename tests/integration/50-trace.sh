#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Latency histograms against the raw tracepoint stream: a short storm of
# every strategy under `qemu-run.sh --trace` (trace-cmd record -e
# patchstorm in the guest, trace.dat brought back). Each strategy has
# non-empty enable/disable histograms with p50 <= p99 <= max and count ==
# toggles.<s>.<dir> in stats; scripts/trace-hist.py recomputes them from
# `trace-cmd report` on the host and they agree within the bucket error;
# the trace shows toggle, visibility and stall events with sane fields
# (stall_ns lowered so stalls show).
# riscv64: the anomaly event fires only on an anomaly: if the storm saw
# none (stale-warn under MTTCG), a second traced storm with fault
# injection (inject=release-early, a FAILURE by design) must show all four
# kinds.
# x86_64 (Debian's kernel has hist triggers): the
# 'hist:keys=latency_ns.log2' trigger the guest set on patchstorm_toggle
# counted every toggle event, none dropped.
# on: riscv64
# on: x86_64
. "$(dirname "$0")/lib.sh"
STRATS="ftrace-filter ftrace-ops kprobe-arm kprobe-register static-key" # check_trace_run

d=$RES/storm
run_guest "$d" --arch "$ARCH" --cpus 2 --duration 12 --trace \
	--storm 'strategies=all targets=victims stall_ns=200000'
[ "$RC" = 0 ] || fail "runner exit $RC ($VERDICT); see $d/console.log"
check_trace_run "$d" toggle,visibility,stall

if [ "$ARCH" = x86_64 ]; then
	t=$d/out/hist-trigger.toggle
	[ -s "$t" ] || fail "no out/hist-trigger.toggle (hist trigger on patchstorm_toggle)"
	grep -q 'latency_ns: ~ 2^' "$t" || fail "hist trigger output has no latency_ns.log2 rows"
	hits=$(sed -n 's/^ *Hits: *//p' "$t")
	dropped=$(sed -n 's/^ *Dropped: *//p' "$t")
	events=$(trace-cmd report -i "$d/out/trace.dat" 2>/dev/null | grep -c 'patchstorm_toggle:')
	echo "hist trigger: Hits $hits Dropped $dropped, toggle events in trace.dat $events"
	[ "$hits" = "$events" ] || fail "hist trigger counted $hits toggles, trace.dat has $events"
	[ "$dropped" = 0 ] || fail "hist trigger dropped $dropped"
	pass "$SUMMARY; hist trigger hits $hits"
fi

if grep -q '^  patchstorm_anomaly  *0 ' "$d.trace-hist"; then
	echo "no anomaly in the storm: a traced storm with inject=release-early"
	di=$RES/inject
	run_guest "$di" --arch "$ARCH" --cpus 2 --duration 4 --trace \
		--storm 'strategies=static-key targets=victims inject=release-early stall_ns=200000'
	[ "$RC" = 1 ] || fail "injected storm: runner exit $RC, expected 1 (FAILURE); see $di/console.log"
	grep -q '^verdict=FAILURE' "$di/out/stats" || fail "injected storm: verdict not FAILURE"
	[ -s "$di/out/trace.dat" ] || fail "injected storm: no trace.dat"
	scripts_th "$di" --events all >"$di.trace-hist" 2>&1
	sed 's/^/  inject: /' "$di.trace-hist"
	tail -n1 "$di.trace-hist" | grep -q '^trace-hist: OK' || fail "injected storm: $(tail -n1 "$di.trace-hist")"
	anom="injected run: $(grep -o 'patchstorm_anomaly *[0-9]*' "$di.trace-hist" | tr -s ' ')"
else
	anom="$(grep -o 'patchstorm_anomaly *[0-9]*' "$d.trace-hist" | tr -s ' ') in the storm"
fi
pass "$SUMMARY; $anom"
