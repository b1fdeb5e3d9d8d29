#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# patchstorm guest tracing helper (busybox sh), in every guest as
# /patchstorm/trace.sh (scripts/qemu-run.sh adds it).
#
#   sh /patchstorm/trace.sh --start  start `trace-cmd record -e patchstorm`
#                                    into /patchstorm/out/trace.dat, return
#                                    once it records (module loaded first)
#   sh /patchstorm/trace.sh --stop   stop it, copy debugfs hist/* to
#                                    /patchstorm/out/hist/ (before rmmod)
#
# The patchstorm events exist only while the module is loaded, and rmmod
# clears the ring buffer (the kernel resets it when a module whose events
# were used goes away), so a traced storm is: insmod, --start, storm,
# --stop, rmmod; scenarios/trace.sh does that.  (Wrapping an unchanged
# scenario is not possible: busybox sh runs its own insmod/rmmod applets
# before any in PATH, so rmmod cannot be hooked.)
#
# Output in /patchstorm/out/: trace.dat, trace-cmd.log, hist/<name>.
#
# Size: trace-cmd saves /proc/kallsyms in trace.dat (1.3 MB on the
# riscv64 guest, several MB on Debian's x86_64 kernel), more than the
# events of a whole storm and slow over the serial console.  Only the
# module's symbols are needed (anomaly addr=%pS points at victims), so
# kallsyms is narrowed to them for the recording (a bind mount over
# /proc/kallsyms, undone at --stop).  TRACE_KALLSYMS=full keeps it all.
#
# Where the kernel has hist triggers (CONFIG_HIST_TRIGGERS), a
# 'hist:keys=latency_ns.log2' trigger on patchstorm_toggle runs alongside;
# its table is saved as out/hist-trigger.toggle at --stop.
#
# Environment: TRACE_BUF_KB (per-CPU ring buffer, default 8192),
# TRACE_KALLSYMS (module|full, default module).

out=/patchstorm/out
ps=/sys/kernel/debug/patchstorm
tr=/sys/kernel/tracing
pidf=/tmp/ps-trace.pid

log() { echo "trace: $*"; }

trace_start() {
	if [ -e $pidf ]; then
		log "already recording"
		return 0
	fi
	if [ ! -d $tr/events/patchstorm ]; then
		log "no $tr/events/patchstorm (tracefs not mounted or module not loaded)"
		return 1
	fi
	command -v trace-cmd >/dev/null 2>&1 || { log "no trace-cmd in the guest"; return 1; }
	if [ "${TRACE_KALLSYMS:-module}" != full ]; then
		# not the local labels (riscv's .LPFE<n> share the victims'
		# addresses and would name them)
		grep '\[patchstorm\]' /proc/kallsyms | grep -v ' \.L' >/tmp/ps-kallsyms 2>/dev/null
		mount --bind /tmp/ps-kallsyms /proc/kallsyms 2>/dev/null ||
			log "cannot narrow /proc/kallsyms, trace.dat keeps all of it"
	fi
	trace-cmd record -e patchstorm -b "${TRACE_BUF_KB:-8192}" \
		-o $out/trace.dat >$out/trace-cmd.log 2>&1 </dev/null &
	echo $! >$pidf
	# Ready when trace-cmd has enabled the events and turned tracing on
	# (it turns both off first, then clears the buffers).
	i=0
	while [ $i -lt 200 ]; do
		if [ "$(cat $tr/events/patchstorm/enable 2>/dev/null)" = 1 ] &&
			[ "$(cat $tr/tracing_on 2>/dev/null)" = 1 ]; then
			log "recording patchstorm events to $out/trace.dat (pid $(cat $pidf))"
			trig=$tr/events/patchstorm/patchstorm_toggle/trigger
			if [ -e $tr/events/patchstorm/patchstorm_toggle/hist ]; then
				echo 'hist:keys=latency_ns.log2' >$trig 2>/dev/null ||
					log "cannot set a hist trigger on patchstorm_toggle"
			else
				log "no hist triggers in this kernel (CONFIG_HIST_TRIGGERS)"
			fi
			return 0
		fi
		kill -0 "$(cat $pidf)" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	log "trace-cmd did not start: $(tail -n 3 $out/trace-cmd.log | tr '\n' ' ')"
	kill -INT "$(cat $pidf)" 2>/dev/null
	rm -f $pidf
	umount /proc/kallsyms 2>/dev/null
	return 1
}

trace_stop() {
	[ -e $pidf ] || return 0
	pid=$(cat $pidf)
	rm -f $pidf
	trig=$tr/events/patchstorm/patchstorm_toggle/trigger
	if grep -q '^hist:keys=latency_ns.log2' $trig 2>/dev/null; then
		cat $tr/events/patchstorm/patchstorm_toggle/hist >$out/hist-trigger.toggle
		echo '!hist:keys=latency_ns.log2' >$trig
	fi
	kill -INT "$pid" 2>/dev/null
	# not a child of this shell (started by --start): poll
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "trace-cmd did not stop in 30 s, killing it"
		kill -9 "$pid" 2>/dev/null
	fi
	umount /proc/kallsyms 2>/dev/null
	if [ -d $ps/hist ]; then
		mkdir -p $out/hist
		for f in $ps/hist/*; do
			cat "$f" >"$out/hist/${f##*/}"
		done
	fi
	log "stopped: trace.dat $(wc -c <$out/trace.dat 2>/dev/null || echo 0) bytes"
	return 0
}

case "${1:-}" in
--start) trace_start ;;
--stop) trace_stop ;;
*) echo "usage: trace.sh --start | --stop" >&2; exit 2 ;;
esac
