#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The default storm, traced (guest side, busybox sh; `scripts/qemu-run.sh
# --trace` or `make run TRACE=1` pick it): like default.sh, plus the
# patchstorm tracepoints recorded by `trace-cmd record -e patchstorm` from
# just before the start to just after the end of the storm, and the
# histograms copied out.  Results in /patchstorm/out: caps, config, stats,
# anomalies, report, trace.dat, trace-cmd.log, hist/<name>.
# scripts/trace-hist.py (host) recomputes the histograms from trace.dat.
#
# As in default.sh, stale=warn under QEMU MTTCG unless STORM sets stale=.
#
# Exit 0 SUCCESS, 1 FAILURE (module verdict), 2 bad storm option,
# 3 module did not load or trace-cmd did not start.

out=/patchstorm/out
d=/sys/kernel/debug/patchstorm
trace=/patchstorm/trace.sh

storm=$STORM
case " $STORM " in
*" stale="*) ;;
*) [ "${TCG:-}" = multi ] && storm="stale=warn $storm" ;;
esac

insmod /patchstorm/patchstorm.ko || { echo "scenario: insmod failed"; exit 3; }
cat $d/caps >$out/caps

echo "duration=$DURATION" >$d/config
for kv in $storm; do
	echo "$kv" >$d/config || { echo "scenario: bad storm option '$kv'"; rmmod patchstorm; exit 2; }
done
cat $d/config >$out/config
sh $trace --start || { echo "scenario: tracing did not start"; rmmod patchstorm; exit 3; }
echo "scenario: traced storm starting ($storm), ${DURATION}s"
if ! echo start >$d/control; then
	echo "scenario: start failed"
	sh $trace --stop
	rmmod patchstorm
	exit 2
fi

t=0
while [ "$(cat $d/control)" = running ]; do
	sleep 0.2
	t=$((t + 1))
	if [ $t -ge $(((DURATION + 5) * 5)) ]; then
		echo "scenario: storm still running after $((t / 5)) s, stopping it"
		echo stop >$d/control
	fi
done
# stop recording before rmmod, which clears the ring buffer
sh $trace --stop
cat $d/stats >$out/stats
cat $d/anomalies >$out/anomalies 2>/dev/null
if command -v patchstorm >/dev/null 2>&1; then
	patchstorm report "$out" >$out/report 2>/dev/null || rm -f $out/report
fi
rmmod patchstorm || { echo "scenario: rmmod failed"; exit 1; }
grep "^verdict=" $out/stats
grep -q '^verdict=SUCCESS' $out/stats || exit 1
exit 0
