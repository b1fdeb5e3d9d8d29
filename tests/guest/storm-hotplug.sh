#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# CPU hotplug during storms: while scenarios/onoff.sh takes random CPUs
# (never CPU 0) offline and online at random 0-ONOFF_MS intervals (here
# 300 ms by default), short
# storms of every strategy (and all of them at once) run one after the
# other on the victims (tracepoint: the hot targets).  Each must end SUCCESS; the
# module's stats must have seen CPUs go and come back (cpus_offlined,
# cpus_onlined); every CPU must be online again at the end.  Then, with
# no hotplug running: a start whose toggler_cpus or hammer_cpus names a
# CPU that went offline since the configuration is refused (EINVAL, the
# reason in last_error), so is a configuration naming an offline CPU,
# and the same start runs once the CPU is back.  rmmod leaves nothing
# (no probe, ftrace site or thread).  The runner's console scan adds: no
# oops, WARNING, lockdep or KASAN report, no hang.
#
# riscv64 6.12 updates ftrace under stop_machine() with text_mutex held
# (text_mutex, then cpu_hotplug_lock), while jump labels, kprobes and
# tracepoints take cpu_hotplug_lock, then text_mutex: once a CPU hotplug
# waits for cpu_hotplug_lock between the two, they deadlock (a kernel bug
# this test found; README, "Findings").  Where caps says ftrace_patch=
# stop_machine the mixed storm is therefore run as its two lock-order
# families, so this test checks the module's hotplug handling and not that
# bug; HOTPLUG_MIXED=1 runs it whole, to reproduce the deadlock
# (tests/bench/storm.sh hotplug-lock-order).
# HOTPLUG_SECS: how long the storms run (default DURATION - 40).
. /patchstorm/lib.sh
[ -r /patchstorm/bench.env ] && . /patchstorm/bench.env
SECS=${HOTPLUG_SECS:-$((DURATION - 40))}
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn	# see storm-strategies.sh
SYS=/sys/devices/system/cpu

n=0
for f in $SYS/cpu[1-9]*/online; do [ -e "$f" ] && n=$((n + 1)); done
check "CPUs other than CPU 0 can go offline ($n of $(grep -c ^processor /proc/cpuinfo))" [ $n -gt 0 ]
[ $n -gt 0 ] || { finish; exit 1; }

# write_err FILE TEXT: write TEXT to the module's FILE in one write();
# prints the error ("dd: error writing '...': Invalid argument"), nothing
# when the write was accepted
write_err() {
	_o=$(printf '%s\n' "$2" | dd of="$PS/$1" conv=notrunc 2>&1) ||
		echo "$_o" | grep error || echo "write failed: $_o"
}

insmod $KO || { notok insmod; finish; exit 1; }
MIXES=all
if grep -qx ftrace_patch=stop_machine $PS/caps && [ "${HOTPLUG_MIXED:-0}" != 1 ]; then
	MIXES="ftrace-filter,ftrace-ops,ftrace-direct kprobe-arm,kprobe-register,static-key,static-key-ref"
	echo "hotplug: ftrace patched under stop_machine with text_mutex held: mixed storms split into $MIXES"
fi
ONOFF_MS=${ONOFF_MS:-300} sh /patchstorm/scenarios/onoff.sh "$SECS" >/tmp/onoff.out 2>&1 &
op=$!
end=$(($(cut -d. -f1 /proc/uptime) + SECS))
storms=0 succ=0 down=0 up=0
while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
	for s in $MIXES $(strategies); do
		[ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ] || break
		t=victims
		[ $s = tracepoint ] && t=hot
		echo reset >$PS/control
		e=$(write_err config "strategies=$s targets=$t duration=4 stat_interval=0 stale=$STALE")
		[ -z "$e" ] || { notok "storm $s: configured: $e"; continue; }
		e=$(write_err control start)
		[ -z "$e" ] || { notok "storm $s: started: $e: $(stat last_error)"; continue; }
		storms=$((storms + 1))
		if wait_done 60; then
			v=$(stat verdict)
			d=$(stat cpus_offlined) u=$(stat cpus_onlined)
			down=$((down + d)) up=$((up + u))
			echo "storm $s: verdict $v, toggles $(stat toggles), calls $(stat calls), CPUs offlined $d, onlined $u"
			if [ "$v" = SUCCESS ]; then
				succ=$((succ + 1))
			else
				notok "storm $s: verdict $v: $(stat reason)"
			fi
		else
			notok "storm $s ended (state $(cat $PS/control))"
			echo stop >$PS/control
		fi
	done
done
touch /tmp/onoff.stop
wait $op
cat /tmp/onoff.out
cycles=$(tail -n1 /tmp/onoff.out | sed -n 's/^onoff: \([0-9]*\) cycles.*/\1/p')
echo "hotplug: $storms storms, $succ SUCCESS; onoff: ${cycles:-0} offline/online cycles; the module saw $down CPUs go offline and $up come online"
check "some storms ran ($storms)" [ "$storms" -gt 1 ]
check "every storm SUCCESS ($succ of $storms)" [ "$succ" = "$storms" ]
check "CPUs went offline and online during the storms (${cycles:-0} cycles)" [ "${cycles:-0}" -gt 0 ]
check "the module counted CPUs going offline (cpus_offlined: $down)" [ "$down" -gt 0 ]
check "the module counted CPUs coming online (cpus_onlined: $up)" [ "$up" -gt 0 ]
off=$(grep -l 0 $SYS/cpu[1-9]*/online 2>/dev/null)
check "every CPU online again (${off:-all online})" [ -z "$off" ]
check "nothing armed between storms" no_leftovers

# A start naming a CPU that went offline since the configuration.
c=$(ls -d $SYS/cpu[1-9]* | tail -n1)
c=${c##*/cpu}
for k in toggler_cpus hammer_cpus; do
	echo reset >$PS/control
	if [ $k = toggler_cpus ]; then m="toggler_cpus=$c hammer_cpus=0"; else m="toggler_cpus=0 hammer_cpus=$c"; fi
	e=$(write_err config "$m strategies=all targets=victims duration=2 stat_interval=0 stale=$STALE")
	check "$k=$c accepted while CPU $c is online${e:+: $e}" [ -z "$e" ]
	before=$(cat $PS/config)
	echo 0 >$SYS/cpu$c/online
	e=$(write_err control start)
	le=$(stat last_error)
	echo "$k=$c, CPU $c offline: start: '$e'; last_error=$le"
	case "$e" in *"Invalid argument"*) ok "$k: start with CPU $c offline refused with EINVAL" ;;
	*) notok "$k: start with CPU $c offline refused with EINVAL ('$e', state $(cat $PS/control))" ;; esac
	case "$le" in *"offline CPU"*) ok "$k: last_error names the offline CPU" ;;
	*) notok "$k: last_error names the offline CPU ('$le')" ;; esac
	check "$k: nothing started (state $(cat $PS/control))" [ "$(cat $PS/control)" != running ]
	check "$k: config unchanged by the refused start" [ "$(cat $PS/config)" = "$before" ]
	e=$(write_err config "$k=$c")
	le=$(stat last_error)
	echo "config $k=$c with CPU $c offline: '$e'; last_error=$le"
	case "$e" in *"Invalid argument"*) ok "$k: config naming offline CPU $c refused with EINVAL" ;;
	*) notok "$k: config naming offline CPU $c refused with EINVAL ('$e')" ;; esac
	case "$le" in *"offline CPU"*) ok "$k: last_error says so" ;;
	*) notok "$k: last_error says so ('$le')" ;; esac
	check "$k: config unchanged by the refused write" [ "$(cat $PS/config)" = "$before" ]
	echo 1 >$SYS/cpu$c/online
	e=$(write_err control start)
	check "$k: the same start runs with CPU $c back${e:+: $e}" [ -z "$e" ]
	wait_done 30 || echo stop >$PS/control
	check "$k: that storm SUCCESS ($(stat verdict))" [ "$(stat verdict)" = SUCCESS ]
done

check "rmmod" unload
check "nothing left after rmmod" no_leftovers
finish
