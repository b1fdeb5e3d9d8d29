#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Throughput, side by side in one boot: for each strategy, the bare
# in-module loop (the kernel API on one victim, nothing else around it)
# against a storm on the same victim (one toggler, no hammer), then with
# hammers; then how the site-flip rate grows with targets per update
# (batch) and with togglers.
. /patchstorm/lib.sh
# shellcheck disable=SC1091
[ -r /patchstorm/bench.env ] && . /patchstorm/bench.env
SECS=${BENCH_SECS:-5}
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn
insmod $KO || exit 1

storm() { # storm "config": run it, print toggles/s
	echo reset >$PS/control
	echo "$1 duration=$SECS stat_interval=0 stale=$STALE" >$PS/config || return 1
	echo start >$PS/control || return 1
	wait_done $((SECS + 120)) || return 1
	echo $(( $(stat toggles) / SECS ))
}

printf '%-16s %10s %10s %7s %12s\n' strategy bare/s storm/s ratio +hammers/s
for s in $(strategies); do
	echo "strategy=$s seconds=$SECS" >$PS/bench || { echo "$s: bench failed"; continue; }
	bare=$(sed -n 's/^rate=//p' $PS/bench)
	# the bench's own victim: static-key-ref's keys and static-call's call are their own
	v=victim_key
	[ $s = static-key-ref ] && v=victim_keyref
	[ $s = static-call ] && v=victim_call
	# the tracepoint strategy flips tracepoints: the hot ones
	[ $s = tracepoint ] && v=hot
	alone=$(storm "strategies=$s targets=$v hammers=0")
	ham=$(storm "strategies=$s targets=$v hammers=auto")
	pct=$((alone * 100 / (bare > 0 ? bare : 1)))
	printf '%-16s %10s %10s %6s%% %12s\n' $s "$bare" "$alone" "$pct" "$ham"
	echo "throughput.$s.bare=$bare" >>$OUT/bench
	echo "throughput.$s.storm=$alone" >>$OUT/bench
	echo "throughput.$s.storm_hammers=$ham" >>$OUT/bench
	eval "bare_$(echo $s | tr - _)=$bare"
done

# Every strategy at once, each at its own pace (a toggler per strategy),
# without hammers and with: how fast each still flips, against its bare
# loop.  The victims, and the hot tracepoints for the tracepoint strategy.
all=$(strategies | tr '\n' , | sed 's/,$//')
allstorm() { # allstorm HAMMERS: the storm, its rates in all_<strategy>
	for s in $(strategies); do eval "all_$(echo $s | tr - _)=0"; done
	echo reset >$PS/control
	echo "strategies=$all targets=victims,hot hammers=$1 duration=$SECS stat_interval=0 stale=$STALE" >$PS/config &&
		echo start >$PS/control && wait_done $((SECS + 120)) || return 1
	for s in $(strategies); do
		eval "all_$(echo $s | tr - _)=$(( ($(stat "toggles.$s.enable") + $(stat "toggles.$s.disable")) / SECS ))"
	done
	echo "every strategy at once, hammers=$1: verdict $(stat verdict), anomalies $(stat anomalies)"
}
echo
echo "every strategy at once ($all), the victims and hot targets:"
allstorm 0 || echo "every strategy at once, hammers=0: storm failed"
for s in $(strategies); do
	eval "quiet_$(echo $s | tr - _)=\${all_$(echo $s | tr - _):-0}"
done
allstorm auto || echo "every strategy at once, hammers=auto: storm failed"
printf '%-16s %10s %10s %7s %12s %7s\n' strategy bare/s all/s ratio +hammers/s ratio
for s in $(strategies); do
	v=$(echo $s | tr - _)
	bare=$(eval echo "\${bare_$v:-0}")
	q=$(eval echo "\${quiet_$v:-0}")
	h=$(eval echo "\${all_$v:-0}")
	d=$((bare > 0 ? bare : 1))
	printf '%-16s %10s %10s %6s%% %12s %6s%%\n' $s "$bare" "$q" $((q * 100 / d)) "$h" $((h * 100 / d))
	echo "throughput.$s.all=$q" >>$OUT/bench
	echo "throughput.$s.all_hammers=$h" >>$OUT/bench
done

echo
echo "ftrace-filter, sites per update (batch), the victims, one toggler:"
printf '%-6s %10s %12s\n' batch updates/s site-flips/s
for b in 1 2 3 5; do
	u=$(storm "strategies=ftrace-filter targets=victims batch=$b hammers=0")
	printf '%-6s %10s %12s\n' $b "$u" $((u * b))
	echo "scaling.ftrace-filter.batch$b=$((u * b))" >>$OUT/bench
done

echo
echo "togglers (each on its own CPU where there are enough), the victims:"
printf '%-16s %8s %10s\n' strategy togglers flips/s
ncpu=$(grep -c ^processor /proc/cpuinfo)
for s in ftrace-filter kprobe-arm static-key static-key-ref; do
	t=1
	while [ $t -le "$ncpu" ] && [ $t -le 4 ]; do
		r=$(storm "strategies=$s targets=victims togglers=$t hammers=0")
		printf '%-16s %8s %10s\n' $s $t "$r"
		echo "scaling.$s.togglers$t=$r" >>$OUT/bench
		t=$((t * 2))
	done
done
rmmod patchstorm
