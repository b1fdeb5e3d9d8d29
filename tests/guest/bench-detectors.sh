#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What the detectors cost the hammers: hammer calls/s in the same storm
# with the checks (stale, visibility) and a sampler on, and with both off
# (answers are checked either way).  Same boot, alternating, best of 3.
. /patchstorm/lib.sh
# shellcheck disable=SC1091
[ -r /patchstorm/bench.env ] && . /patchstorm/bench.env
SECS=${BENCH_SECS:-5}
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn
# one host thread for all vCPUs: let the sampler rest (sampler_rest_us)
REST=0
[ "${TCG:-}" = single ] && REST=20
insmod $KO || exit 1
rate() { # rate "config": hammer calls/s
	echo reset >$PS/control
	echo "strategies=all targets=victims duration=$SECS stat_interval=0 stale=$STALE $1" >$PS/config || return 1
	echo start >$PS/control || return 1
	wait_done $((SECS + 120)) || return 1
	echo $(( $(stat calls) / SECS ))
}
best_on=0; best_off=0
for i in 1 2 3; do
	on=$(rate "checks=on samplers=1 sampler_rest_us=$REST")
	off=$(rate "checks=off samplers=0")
	echo "round $i: detectors on $on calls/s, off $off calls/s"
	[ "$on" -gt "$best_on" ] && best_on=$on
	[ "$off" -gt "$best_off" ] && best_off=$off
done
echo "detectors (sampler_rest_us=$REST): on $best_on calls/s, off $best_off calls/s, on/off $((best_on * 100 / (best_off > 0 ? best_off : 1)))%"
echo "detectors.on=$best_on" >>$OUT/bench
echo "detectors.off=$best_off" >>$OUT/bench
rmmod patchstorm
