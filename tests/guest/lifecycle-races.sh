#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The storm's lifecycle against its readers: RMMODS rmmods (default 100)
# at random moments of storms (insmod with a storm of every strategy that
# lasts 1 s, rmmod after a random 0-1500 ms: before, during and just after
# the storm's own end), then SEQS start/stop/reset sequences (default
# 100) at random moments (start, a random 0-1500 ms, stop, a random
# 0-500 ms, reset, start again at once: a storm of 1 s ends by itself
# about half the time, so stop, reset and the next start land on either
# side of the controller's end), while another process reads every
# debugfs file (caps config stats anomalies sites keys control bench hist/*)
# in a loop the whole time (LIFECYCLE_N sets both counts, from
# /patchstorm/bench.env; RMMODS=0 or SEQS=0 leaves a part out:
# lifecycle-rmmod.sh and lifecycle-seq.sh). Each
# rmmod must succeed (again after EAGAIN,
# see lib.sh unload) and leave nothing behind, each storm end with a
# verdict; the kernel's own checkers (the debug flavour) and the runner's
# console scan must find nothing.
. /patchstorm/lib.sh
[ -r /patchstorm/bench.env ] && . /patchstorm/bench.env
RMMODS=${RMMODS:-${LIFECYCLE_N:-100}}
SEQS=${SEQS:-${LIFECYCLE_N:-100}}
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn	# see storm-strategies.sh
CFG="strategies=all targets=victims duration=1 stat_interval=0 stale=$STALE"

# a random number in 0..$1 (busybox sh may lack $RANDOM)
rnd() {
	r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $((r % ($1 + 1)))
}
rsleep() { # a random 0..$1 ms
	ms=$(rnd "$1")
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
}

# The reader: every file, over and over, whether the module is there or
# not; it counts the files it could read.
reader() {
	reads=0 rounds=0
	while [ ! -e /tmp/reader.stop ]; do
		for f in $PS/caps $PS/config $PS/stats $PS/anomalies $PS/sites $PS/keys \
			$PS/control $PS/bench $PS/hist/*; do
			cat "$f" >/dev/null 2>&1 && reads=$((reads + 1))
			count
		done
		rounds=$((rounds + 1))
		# without the module: no busy loop
		[ -d $PS ] || sleep 0.01
		count
	done
}
# (a shell builtin: no fork in the reader's loop)
count() { echo "$rounds $reads" >/tmp/reader.count; }
# How many rmmods and sequences the reader read during.  The count may be
# caught between its truncation and its write: read it again then.
reads_now() {
	_n=0
	while [ -e /tmp/reader.count ] && [ $_n -lt 100 ]; do
		set -- $(cat /tmp/reader.count)
		[ -n "${2:-}" ] && break
		_n=$((_n + 1))
	done
	echo "${2:-0}"
}
during=0
read_during() { # read_during READS-AT-THE-START
	[ "$(reads_now)" -gt "$1" ] && during=$((during + 1))
}
rm -f /tmp/reader.stop /tmp/reader.count
reader &
rpid=$!

# 1. rmmod at random moments
if [ "$RMMODS" -gt 0 ]; then
dmesg -c >/dev/null
i=0 again=0 bad=0
while [ $i -lt "$RMMODS" ]; do
	r0=$(reads_now)
	if ! insmod $KO $(echo "$CFG" | sed 's/duration=1/duration=1 autostart=1/'); then
		notok "rmmod race $i: insmod"
		i=$((i + 1))
		continue
	fi
	rsleep 1500
	tries=0
	while ! rmmod patchstorm 2>/tmp/rmmod.err; do
		tries=$((tries + 1))
		if [ $tries -ge 100 ]; then
			notok "rmmod race $i: rmmod refused 100 times: $(cat /tmp/rmmod.err)"
			break
		fi
		sleep 0.05
	done
	again=$((again + tries))
	if ! no_leftovers; then
		notok "rmmod race $i: leftovers"
		bad=$((bad + 1))
	fi
	read_during "$r0"
	i=$((i + 1))
done
ends=$(dmesg | grep -c 'End of test: ')
fails=$(dmesg | grep -c 'End of test: FAILURE')
echo "rmmod races: $i rmmods, $again refusals (EAGAIN/EBUSY) retried, $ends storms ended with a verdict, $fails FAILURE"
check "$RMMODS rmmods at random moments of storms, nothing left behind ($bad with leftovers)" [ $bad = 0 ]
check "every storm ended with a verdict ($ends of $RMMODS)" [ "$ends" = "$RMMODS" ]
check "no FAILURE verdict ($fails)" [ "$fails" = 0 ]
fi

# 2. start/stop/reset at random moments
if [ "$SEQS" -gt 0 ]; then
insmod $KO || { notok insmod; touch /tmp/reader.stop; wait $rpid; finish; exit 1; }
dmesg -c >/dev/null
echo "$CFG" >$PS/config || notok "configured"
j=0 starts=0 stops=0 resets=0 ebusy=0
while [ $j -lt "$SEQS" ]; do
	r0=$(reads_now)
	if echo start >$PS/control 2>/dev/null; then
		starts=$((starts + 1))
	else
		notok "sequence $j: start refused: $(sed -n 's/^last_error=//p' $PS/stats)"
	fi
	rsleep 1500
	echo stop >$PS/control 2>/dev/null && stops=$((stops + 1))
	rsleep 500
	if echo reset >$PS/control 2>/dev/null; then
		resets=$((resets + 1))
	else
		# a storm still stopping: its end is near
		ebusy=$((ebusy + 1))
		wait_done 30 || notok "sequence $j: storm ended after stop"
		echo reset >$PS/control && resets=$((resets + 1))
	fi
	read_during "$r0"
	j=$((j + 1))
done
wait_done 30
ends=$(dmesg | grep -c 'End of test: ')
fails=$(dmesg | grep -c 'End of test: FAILURE')
echo "start/stop/reset: $j sequences, $starts starts, $stops stops of a running storm, $resets resets ($ebusy refused at first), $ends storms ended with a verdict, $fails FAILURE"
check "$SEQS start/stop/reset sequences: every start accepted ($starts)" [ "$starts" = "$SEQS" ]
check "every reset accepted ($resets)" [ "$resets" = "$SEQS" ]
check "every storm ended with a verdict ($ends of $starts)" [ "$ends" = "$starts" ]
check "no FAILURE verdict ($fails)" [ "$fails" = 0 ]
check "rmmod" unload
check "nothing left after rmmod" no_leftovers
fi
touch /tmp/reader.stop
wait $rpid
set -- $(cat /tmp/reader.count 2>/dev/null)
ops=$((RMMODS + SEQS))
echo "reader: ${1:-0} rounds over the debugfs files, ${2:-0} reads, during $during of the $ops rmmods and sequences"
# The reader raced with them: it read during most of them, whatever the
# host's speed (under riscv64's debug kernel one read of a file can take
# longer than a sequence while a storm sets up: half of them at least).
check "the reader read during the rmmods and sequences ($during of $ops; ${1:-0} rounds, ${2:-0} reads)" \
	[ $((during * 2)) -ge "$ops" ]
finish
