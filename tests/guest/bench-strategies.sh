#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Each strategy storms for STORM_SECS (default 30) with TOGGLERS togglers
# (default 2) and hammers on the other CPUs; then insmod/rmmod cycles.
# Checks as storm-strategies.sh, figures per strategy.
. /patchstorm/lib.sh
# shellcheck disable=SC1091
[ -r /patchstorm/bench.env ] && . /patchstorm/bench.env
SECS=${STORM_SECS:-30}
NT=${TOGGLERS:-2}
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn
ncpu=$(grep -c ^processor /proc/cpuinfo)
insmod $KO || { notok insmod; finish; exit 1; }
printf '%-16s %8s %9s %10s %10s %6s %7s %s\n' strategy toggles toggles/s hits calls wrong errors verdict
for s in $(strategies) mixed; do
	echo reset >$PS/control
	echo "strategies=$s targets=victims,sys:getpid togglers=$NT toggler_cpus=0-$((NT - 1)) hammer_cpus=$NT-$((ncpu - 1)) duration=$SECS stat_interval=10 stale=$STALE" >$PS/config ||
		{ notok "$s: configured"; continue; }
	echo start >$PS/control || { notok "$s: started"; continue; }
	wait_done $((SECS + 300)) || notok "$s: ended"
	cp $PS/stats "$OUT/stats.$s"
	t=$(stat toggles); h=$(stat hits); c=$(stat calls); m=$(stat mismatches)
	e=$(stat errors); v=$(stat verdict)
	printf '%-16s %8s %9s %10s %10s %6s %7s %s\n' $s "$t" $((t / SECS)) "$h" "$c" "$m" "$e" "$v"
	check "$s: toggles > 0" [ "$t" -gt 0 ]
	check "$s: hits > 0" [ "$h" -gt 0 ]
	check "$s: no wrong answer" [ "$m" = 0 ]
	check "$s: no API error" [ "$e" = 0 ]
	check "$s: SUCCESS" [ "$v" = SUCCESS ]
done
check "rmmod" rmmod patchstorm
check "nothing left after rmmod" no_leftovers
N=${CYCLES:-20}
i=0
while [ $i -lt "$N" ]; do
	insmod $KO strategies=all targets=victims autostart=1 stat_interval=0 stale=$STALE ||
		notok "cycle $i: insmod"
	sleep 0.2
	unload || notok "cycle $i: rmmod"
	i=$((i + 1))
done
check "$N insmod/rmmod cycles leave nothing behind" no_leftovers
finish
