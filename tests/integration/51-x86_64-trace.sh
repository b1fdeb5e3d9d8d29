#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Latency histograms against the raw tracepoint stream on x86_64 (Debian's
# 6.12 kernel): a short storm of every strategy under `qemu-run.sh --trace`.
# Each strategy has non-empty enable/disable histograms, p50 <= p99 <= max,
# count == toggles.<s>.<dir>; scripts/trace-hist.py recomputes them from
# trace.dat (`trace-cmd report` on the host) within the bucket error; the
# trace shows toggle, visibility and stall events with sane fields. This
# kernel has hist triggers: the 'hist:keys=latency_ns.log2' trigger the
# guest set on patchstorm_toggle counted every toggle event, none dropped.
. "$(dirname "$0")/lib.sh"
STRATS="ftrace-filter ftrace-ops kprobe-arm kprobe-register static-key"
d=$RES/storm
run_guest "$d" --arch x86_64 --cpus 2 --duration 12 --trace \
	--storm 'strategies=all targets=victims stall_ns=200000'
[ "$RC" = 0 ] || fail "runner exit $RC ($VERDICT); see $d/console.log"
check_trace_run "$d" toggle,visibility,stall
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
