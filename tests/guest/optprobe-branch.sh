#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An optimized kprobe over a static branch's target (x86 optprobes), one
# step at a time: for each instruction of victim_keyref in turn, a kprobe
# event is put there while the victim's static branch is off and given a
# few seconds to be optimized (a 5-byte jmp over the instructions it
# replaces); then a storm of one toggler switches the branch on and off
# once a second (rate=1) while a hammer calls the victim.  Nothing else
# patches meanwhile.  The kernel checks, before it optimizes, that no
# jump in the function lands inside the jmp's bytes; a static branch
# that is off is a nop then, so its target is not seen.  When the jmp
# covers the start of the branch's out-of-line block, the branch, once
# on, jumps into the jmp's displacement.
#
# out/optprobe.log: one line per offset (optimized or not, and the
# storm's verdict).  A guest that dies after "key on" names the offset.
. /patchstorm/lib.sh
T=/sys/kernel/tracing
L=/sys/kernel/debug/kprobes/list
V=${VICTIM:-victim_keyref}
[ -e $T/kprobe_events ] || mount -t tracefs nodev $T 2>/dev/null
[ -e $T/kprobe_events ] || { echo "SKIP: no kprobe_events here"; exit 3; }
insmod $KO || { notok insmod; finish; exit 1; }
log=$OUT/optprobe.log
: >$log
opt=0
off=1
while [ $off -lt 64 ]; do
	hex=$(printf '0x%x' $off)
	off=$((off + 1))
	echo "p:psopt/at $V+$hex" >$T/kprobe_events 2>/dev/null || continue
	echo 1 >$T/events/psopt/at/enable
	# the optimizer runs a few jiffies later, after an RCU-tasks wait
	w=0
	while [ $w -lt 10 ] && ! grep -q " $V+$hex .*OPTIMIZED" $L; do
		sleep 0.5
		w=$((w + 1))
	done
	if ! grep -q " $V+$hex .*OPTIMIZED" $L; then
		echo "$V+$hex: not optimized ($(grep " $V+$hex " $L | sed 's/^[^ ]* *//'))" | tee -a $log
	else
		opt=$((opt + 1))
		echo "$V+$hex: optimized; key on" | tee -a $log
		sync
		echo reset >$PS/control
		echo "strategies=static-key-ref targets=$V duration=2 rate=1 stat_interval=0" >$PS/config &&
			echo start >$PS/control && wait_done 30
		echo "$V+$hex: verdict $(stat verdict), calls $(stat calls), hits $(stat hits)" | tee -a $log
	fi
	echo 0 >$T/events/psopt/at/enable
	echo >$T/kprobe_events
done
check "some offsets were optimized ($opt)" [ $opt -gt 0 ]
check "rmmod" rmmod patchstorm
finish
