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
	t=$(stat toggles); h=$(stat hits); c=$(stat calls)
	m=$(stat mismatches); e=$(stat errors); v=$(stat verdict)
	echo "$s: toggles=$t hits=$h calls=$c mismatches=$m errors=$e verdict=$v"
	check "$s: toggles > 0 ($t)" [ "$t" -gt 0 ]
	check "$s: hits > 0 ($h)" [ "$h" -gt 0 ]
	check "$s: calls > 0 ($c)" [ "$c" -gt 0 ]
	check "$s: no wrong answer ($m)" [ "$m" -eq 0 ]
	check "$s: no API error ($e)" [ "$e" -eq 0 ]
	check "$s: verdict SUCCESS ($v)" [ "$v" = SUCCESS ]
	check "$s: nothing armed after the storm" no_leftovers
done
check "rmmod" rmmod patchstorm
check "debugfs directory gone" [ ! -e $PS ]
check "nothing left after rmmod" no_leftovers
finish
