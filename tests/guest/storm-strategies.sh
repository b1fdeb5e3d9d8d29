#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Each strategy runs a short storm on the victims: toggles and hits must
# be counted, no answer may be wrong, the verdict must be SUCCESS, and
# after rmmod nothing of the module may be left in the kernel.
. /patchstorm/lib.sh
SECS=${STORM_SECS:-4}
# QEMU 7.2 MTTCG misses some cross-CPU code modification (a stale
# translation survives a nosync patch): stale is counted, not fatal there.
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn

insmod $KO || { notok "insmod"; finish; exit 1; }
for s in ftrace-filter ftrace-ops kprobe-arm kprobe-register static-key mixed; do
	echo reset >$PS/control
	check "$s: configured" sh -c "echo 'strategies=$s targets=victims duration=$SECS stat_interval=2 stale=$STALE' >$PS/config"
	check "$s: started" sh -c "echo start >$PS/control"
	wait_done $((SECS + 30)) || notok "$s: storm ended"
	cp $PS/stats "$OUT/stats.$s"
	fl=$(sed -n 's/^count=//p' $PS/hist/flush)
	t=$(stat toggles); h=$(stat hits); c=$(stat calls)
	m=$(stat mismatches); e=$(stat errors); v=$(stat verdict)
	echo "$s: toggles=$t hits=$h calls=$c mismatches=$m errors=$e verdict=$v"
	check "$s: toggles > 0 ($t)" [ "$t" -gt 0 ]
	check "$s: hits > 0 ($h)" [ "$h" -gt 0 ]
	check "$s: calls > 0 ($c)" [ "$c" -gt 0 ]
	check "$s: no wrong answer ($m)" [ "$m" -eq 0 ]
	check "$s: no API error ($e)" [ "$e" -eq 0 ]
	check "$s: verdict SUCCESS ($v)" [ "$v" = SUCCESS ]
	check "$s: the arch flush timed ($fl in hist/flush)" [ "${fl:-0}" -gt 0 ]
	check "$s: nothing armed after the storm" no_leftovers
done

# The sampler spins only while a toggle is being written, and otherwise
# makes a pass every sampler_idle_us; sampler_idle_us=0 spins always.
sampler() { # sampler STRATEGY RATE IDLE_US [MORE]: "passes sleeps" after 3 s
	echo reset >$PS/control
	echo "strategies=$1 targets=victims duration=3 rate=$2 stat_interval=0 stale=$STALE samplers=1 sampler_idle_us=$3 ${4:-}" >$PS/config &&
		echo start >$PS/control && wait_done 60 &&
		echo "$(stat sampler.passes) $(stat sampler.sleeps)"
}
# Counts, not rates: how fast a sampler spins depends on the host, so the
# resting sampler is compared with a spinning one in the same boot.
set -- $(sampler static-key 1 0)
echo "sampler, sampler_idle_us=0: $1 passes, $2 sleeps"
check "sampler_idle_us=0: never sleeps ($2)" [ "${2:-1}" -eq 0 ]
spin=${1:-0}
check "sampler_idle_us=0: spins ($spin passes in 3 s)" [ "$spin" -gt 20000 ]
set -- $(sampler static-key 1 1000 flush_us=0)
echo "sampler, 1 toggle/s: $1 passes, $2 sleeps"
fl=$(sed -n 's/^count=//p' $PS/hist/flush)
check "flush_us=0: no flush timed ($fl)" [ "$fl" = 0 ]
check "sampler sleeps between toggles ($2 sleeps in 3 s)" [ "${2:-0}" -gt 100 ]
# it spins only while the 3 or 4 toggles are written (x86 under
# thread=single: a few ms of IPI round trips each)
check "sampler does not spin between toggles ($1 passes, spinning: $spin)" \
	[ "${1:-99999999}" -lt $((spin / 10)) ]
set -- $(sampler ftrace-filter 10 1000)
echo "sampler, 10 ftrace toggles/s: $1 passes, $2 sleeps"
check "sampler spins while toggles are written ($1 passes > $2 sleeps)" [ "${1:-0}" -gt "${2:-0}" ]
check "rmmod" rmmod patchstorm
check "debugfs directory gone" [ ! -e $PS ]
check "nothing left after rmmod" no_leftovers
finish
