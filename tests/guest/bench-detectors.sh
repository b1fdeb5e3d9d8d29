#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What the detectors cost the hammers.  Hammer calls/s in the same storm
# with: nothing (answers are still checked), the per-call checks only
# (stale, visibility), the sampler only, and both.  Same boot, the four
# alternating, ROUNDS rounds; the median of each is reported, and the
# median of each round's ratio to that round's "off" (robust to the host
# getting slower or faster during the run).  The
# togglers run at a fixed RATE (toggles/s, 0: as fast as they go) so that
# both sides do the same patching: under TCG a vCPU kept busy (by a
# sampler) answers stop_machine and IPIs sooner, so an unlimited toggler
# toggles more, and each toggle stalls the hammers.  toggles/s is printed
# beside each figure to show it, and the samplers' own CPU time
# (sampler.cpu_ns) as a share of one CPU: what they take, without the
# noise of the hammers' rate under TCG.
. /patchstorm/lib.sh
# shellcheck disable=SC1091
[ -r /patchstorm/bench.env ] && . /patchstorm/bench.env
SECS=${SECS:-5}
ROUNDS=${ROUNDS:-5}
STRATS=${STRATS:-all}
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn
REST=${REST:-0}
RATE=${RATE:-20}
insmod $KO || exit 1
# rate "config": "calls/s toggles/s"; the samplers' CPU time (us per s)
# goes to /tmp/sampler_us.KIND
rate() {
	echo reset >$PS/control
	echo "strategies=$STRATS targets=victims duration=$SECS stat_interval=0 rate=$RATE stale=$STALE sampler_rest_us=$REST ${EXTRA:-} $1" >$PS/config || return 1
	echo start >$PS/control || return 1
	wait_done $((SECS + 120)) || return 1
	echo $(( $(stat sampler.cpu_ns) / 1000 / SECS )) >>/tmp/sampler_us.$2
	echo "$(( $(stat calls) / SECS )) $(( $(stat toggles) / SECS ))"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
set -- off "checks=off samplers=0" checks "checks=on samplers=0" \
	sampler "checks=off samplers=1" all "checks=on samplers=1"
for i in $(seq "$ROUNDS"); do
	line="round $i:"
	while [ $# -gt 0 ]; do
		r=$(rate "$2" "$1") || { echo "storm failed: $2"; exit 1; }
		echo "${r% *}" >>/tmp/calls.$1
		echo "${r#* }" >>/tmp/toggles.$1
		# this round's share of its own "off" run: host drift cancels out
		[ "$1" = off ] && round_off=${r% *}
		echo $(( ${r% *} * 100 / (round_off > 0 ? round_off : 1) )) >>/tmp/ratio.$1
		line="$line $1 ${r% *} calls/s (${r#* } toggles/s);"
		shift 2
	done
	echo "$line"
	set -- off "checks=off samplers=0" checks "checks=on samplers=0" \
		sampler "checks=off samplers=1" all "checks=on samplers=1"
done
off=$(median </tmp/calls.off)
[ "$off" -gt 0 ] || off=1
echo "median of $ROUNDS x ${SECS}s (strategies=$STRATS rate=$RATE${EXTRA:+ $EXTRA}, sampler_rest_us=$REST, tcg=${TCG:-default}):"
echo "  (of off: the medians' ratio; per round: the median of each round's ratio)"
for k in off checks sampler all; do
	c=$(median </tmp/calls.$k)
	su=$(median </tmp/sampler_us.$k)
	printf '  %-8s %9s calls/s %6s toggles/s  %3s%% of off  per round %3s%%  sampler %d.%d%% of a CPU\n' \
		"$k" "$c" "$(median </tmp/toggles.$k)" $((c * 100 / off)) "$(median </tmp/ratio.$k)" \
		$((su / 10000)) $((su / 1000 % 10))
	echo "detectors.$k=$c" >>$OUT/bench
	echo "detectors.$k.per_round_pct=$(median </tmp/ratio.$k)" >>$OUT/bench
	echo "detectors.$k.sampler_us_per_s=$su" >>$OUT/bench
done
unload
