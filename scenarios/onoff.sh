#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# CPU hotplug in the style of the kernel's torture tests' onoff: a random
# CPU (never CPU 0) goes offline, stays so for a random 0-ONOFF_MS ms,
# comes back, and after another random 0-ONOFF_MS ms the next one goes,
# until SECONDS have passed or /tmp/onoff.stop exists. Every CPU is online
# again at the end. Not a storm by itself: scenarios/hotplug.sh and
# scenarios/hotplug-load.sh run it beside one.
#
#   sh /patchstorm/scenarios/onoff.sh SECONDS
#
# ONOFF_MS (default 500). The log, one line per operation that failed
# and a last line "onoff: N cycles, N offline failed, N online failed,
# N CPUs hotpluggable", goes to stdout and /patchstorm/out/onoff.log.
# Exit 0, or 3 when no CPU can be taken offline (a kernel without
# CONFIG_HOTPLUG_CPU, or one vCPU).

secs=${1:-60}
max=${ONOFF_MS:-500}
log=/patchstorm/out/onoff.log
mkdir -p /patchstorm/out
: >$log

# a random number in 0..$1 (busybox sh may lack $RANDOM)
rnd() {
	r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $((r % ($1 + 1)))
}
# sleep a random 0..$1 ms
rsleep() {
	ms=$(rnd "$1")
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
}

cpus=
for f in /sys/devices/system/cpu/cpu[0-9]*/online; do
	[ -e "$f" ] || continue
	n=${f%/online}
	n=${n##*/cpu}
	[ "$n" = 0 ] || cpus="$cpus $n"
done
ncpus=$(echo $cpus | wc -w)
if [ "$ncpus" = 0 ]; then
	echo "onoff: no CPU can go offline (no CONFIG_HOTPLUG_CPU, or one CPU)" | tee -a $log
	exit 3
fi

cycles=0 offfail=0 onfail=0
end=$(($(cut -d. -f1 /proc/uptime) + secs))
while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ] && [ ! -e /tmp/onoff.stop ]; do
	c=$(echo $cpus | tr ' ' '\n' | sed -n "$(($(rnd $((ncpus - 1))) + 1))p")
	f=/sys/devices/system/cpu/cpu$c/online
	if echo 0 >"$f" 2>/tmp/onoff.err; then
		rsleep "$max"
		tries=0
		until echo 1 >"$f" 2>/tmp/onoff.err; do
			onfail=$((onfail + 1))
			echo "onoff: cpu$c online failed: $(cat /tmp/onoff.err)" | tee -a $log
			tries=$((tries + 1))
			[ $tries -lt 10 ] || break
			sleep 0.1
		done
		cycles=$((cycles + 1))
	else
		offfail=$((offfail + 1))
		echo "onoff: cpu$c offline failed: $(cat /tmp/onoff.err)" | tee -a $log
	fi
	rsleep "$max"
done
for c in $cpus; do
	f=/sys/devices/system/cpu/cpu$c/online
	[ "$(cat "$f")" = 1 ] || echo 1 >"$f" ||
		echo "onoff: cpu$c stays offline" | tee -a $log
done
echo "onoff: $cycles cycles, $offfail offline failed, $onfail online failed, $ncpus CPUs hotpluggable" | tee -a $log
exit 0
