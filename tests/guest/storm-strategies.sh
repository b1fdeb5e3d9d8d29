#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Each strategy runs a short storm on the victims: toggles and hits must
# be counted, no answer may be wrong, the verdict must be SUCCESS, and
# after rmmod nothing of the module may be left in the kernel.
. /patchstorm/lib.sh
SECS=${STORM_SECS:-3}
# QEMU 7.2 MTTCG misses some cross-CPU code modification (a stale
# translation survives a nosync patch): stale is counted, not fatal there.
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn

# module-churn churns the fixture module, where the runner put it
FX=/patchstorm/fixtures/ps_fixture.ko
churn=
[ -e $FX ] && churn=churn_module=$FX
# shellcheck disable=SC2086 # churn: one word or none
insmod $KO $churn || { notok "insmod"; finish; exit 1; }
# the debug flavour (CONFIG_LOCALVERSION="-debug"): timing checks skipped
debug=
case $(uname -r) in *-debug) debug=1 ;; esac
for s in $(strategies) mixed; do
	echo reset >$PS/control
	# the tracepoint strategy flips tracepoints: the hot ones
	t=victims
	[ $s = tracepoint ] && t=hot
	check "$s: configured" sh -c "echo 'strategies=$s targets=$t duration=$SECS stat_interval=2 stale=$STALE' >$PS/config"
	check "$s: started" sh -c "echo start >$PS/control"
	# (under a debug kernel the shell walking /proc does not get through
	# it while the 3 s storm runs: 0 threads seen)
	if [ $s = mixed ] && [ -n "$debug" ]; then
		skip "$s: hammers and togglers each on its one CPU: debug kernel"
	elif [ $s = mixed ]; then
		sleep 1
		check "$s: hammers and togglers each on its one CPU" threads_pinned
	fi
	wait_done $((SECS + 30)) || notok "$s: storm ended"
	cp $PS/stats "$OUT/stats.$s"
	fl=$(sed -n 's/^count=//p' $PS/hist/flush)
	t=$(stat toggles); h=$(stat hits); c=$(stat calls)
	m=$(stat mismatches); e=$(stat errors); v=$(stat verdict)
	sc=$(stat stale_checked)
	echo "$s: toggles=$t hits=$h calls=$c stale_checked=$sc mismatches=$m errors=$e verdict=$v"
	check "$s: toggles > 0 ($t)" [ "$t" -gt 0 ]
	check "$s: hits > 0 ($h)" [ "$h" -gt 0 ]
	[ $s = tracepoint ] || check "$s: calls > 0 ($c)" [ "$c" -gt 0 ]
	# calls checked for stale execution: none of a target with no
	# strategy that checks its calls (the walking kprobe-register, the
	# hot targets' tracepoints), never more than were made
	case $s in
	tracepoint | kprobe-register | module-churn) ;;
	*) check "$s: calls checked for stale execution ($sc of $c)" \
		between "${sc:-0}" 1 "$c" ;;
	esac
	check "$s: no wrong answer ($m)" [ "$m" -eq 0 ]
	check "$s: no API error ($e)" [ "$e" -eq 0 ]
	check "$s: verdict SUCCESS ($v)" [ "$v" = SUCCESS ]
	check "$s: the arch flush timed ($fl in hist/flush)" [ "${fl:-0}" -gt 0 ]
	# ftrace-ops' stale check resumes once the unregister's update is
	# done, before the RCU-tasks wait, kprobe-register's once the probe
	# is unlinked, before the RCU wait: their watches must see that happen
	case $s in ftrace-ops | kprobe-register)
		d=$(stat toggles.$s.disable); de=$(stat toggles.$s.disable_early)
		check "$s: disables completed before the API returned (${de:-0} of $d)" \
			between "${de:-0}" 1 "$d"
		;;
	esac
	check "$s: nothing armed after the storm" no_leftovers
done

# static-key-ref: several togglers take and drop references on the same
# keys at once (static_branch_inc/dec), each on its own CPU where there
# are enough, hammers on every CPU; a key must show on while any of them
# holds it (the detectors count the settled references).  Then beside
# static-key (its own keys, enable/disable) in one storm.
ncpu=$(grep -c ^processor /proc/cpuinfo)
refstorm() { # refstorm WHAT CONFIG
	echo reset >$PS/control
	check "$1: configured" sh -c "echo '$2 duration=$SECS stat_interval=0 stale=$STALE' >$PS/config"
	check "$1: started" sh -c "echo start >$PS/control"
	wait_done $((SECS + 30)) || notok "$1: storm ended"
	t=$(stat toggles.static-key-ref.enable); h=$(stat hits.static-key-ref)
	echo "$1: static-key-ref enables=$t hits=$h stale=$(stat stale) anomalies=$(stat anomalies) verdict=$(stat verdict)"
	check "$1: references taken ($t)" [ "${t:-0}" -gt 0 ]
	check "$1: branches taken ($h)" [ "${h:-0}" -gt 0 ]
	# (under MTTCG stale calls are counted, not fatal: stale=warn)
	[ "$STALE" = fail ] &&
		check "$1: no stale call ($(stat stale))" [ "$(stat stale)" = 0 ]
	check "$1: no API error ($(stat errors))" [ "$(stat errors)" = 0 ]
	check "$1: verdict SUCCESS ($(stat verdict))" [ "$(stat verdict)" = SUCCESS ]
	check "$1: nothing armed after the storm" no_leftovers
}
refstorm "static-key-ref x3" "strategies=static-key-ref targets=victims togglers=3 toggler_cpus=0-$((ncpu - 1))"
refstorm "static-key + static-key-ref" "strategies=static-key,static-key-ref targets=victims togglers=2 toggler_cpus=0-$((ncpu - 1))"
k=$(stat toggles.static-key.enable)
check "static-key + static-key-ref: static-key toggled too (${k:-0})" [ "${k:-0}" -gt 0 ]
# a config write changes only the keys it names: the placement as before
echo "togglers=1 toggler_cpus=auto" >$PS/config

# batch=2: both of static-key's keys in each toggle, each published as
# its own static_branch_enable/disable() returns, not when both have:
# clean, and its calls checked for stale execution.
echo reset >$PS/control
check "static-key batch=2: configured" sh -c "echo 'strategies=static-key targets=victims batch=2 duration=$SECS stat_interval=0 stale=$STALE' >$PS/config"
check "static-key batch=2: started" sh -c "echo start >$PS/control"
wait_done $((SECS + 30)) || notok "static-key batch=2: storm ended"
echo "static-key batch=2: toggles=$(stat toggles) calls=$(stat calls) stale_checked=$(stat stale_checked) stale=$(stat stale) verdict=$(stat verdict)"
check "static-key batch=2: verdict SUCCESS ($(stat verdict))" [ "$(stat verdict)" = SUCCESS ]
check "static-key batch=2: calls checked ($(stat stale_checked) of $(stat calls))" [ "$(stat stale_checked)" -gt 0 ]

# The sampler spins only while a toggler is writing on another CPU, and
# otherwise makes a pass as a toggle begins and every sampler_idle_us;
# sampler_idle_us=0 spins always.  It runs on the first toggler CPU.
# A config write changes only the keys it names: flush_us=0, once given
# below, stays for the storms after it.
sampler() { # sampler STRATEGY RATE IDLE_US TOGGLERS [MORE]: "passes sleeps cpu_ns"
	hm=auto
	[ "$4" -gt 1 ] && hm=0
	echo reset >$PS/control
	echo "strategies=$1 targets=victims duration=3 rate=$2 stat_interval=0 stale=$STALE samplers=1 sampler_idle_us=$3 togglers=$4 hammers=$hm ${5:-}" >$PS/config &&
		echo start >$PS/control && wait_done 60 &&
		echo "$(stat sampler.passes) $(stat sampler.sleeps) $(stat sampler.cpu_ns)"
}
# Counts, not rates: how fast a sampler spins depends on the host, so the
# resting sampler is compared with a spinning one in the same boot.
set -- $(sampler static-key 1 0 1)
echo "sampler, sampler_idle_us=0: $1 passes, $2 sleeps, $3 ns on CPU"
check "sampler_idle_us=0: never sleeps ($2)" [ "${2:-1}" -eq 0 ]
spin=${1:-0}
check "sampler_idle_us=0: spins ($spin passes in 3 s)" [ "$spin" -gt 20000 ]
check "sampler_idle_us=0: its CPU time is counted (${3:-0} ns)" [ "${3:-0}" -gt 100000000 ]
spin_ns=${3:-0}
# At the default sampler_idle_us (10000).  A resting pass costs far more
# than a spinning one (the wake-up, cold caches: 80-160 us against 3-5 us
# under TCG), so at 1000 us the ratio below came to 0.07-0.10 and failed
# now and then on x86_64.
set -- $(sampler static-key 1 10000 1 flush_us=0)
echo "sampler, 1 toggle/s: $1 passes, $2 sleeps, $3 ns on CPU"
fl=$(sed -n 's/^count=//p' $PS/hist/flush)
check "flush_us=0: no flush timed ($fl)" [ "$fl" = 0 ]
# Under the debug kernel (KASAN, lockdep) the low-priority sampler gets
# too little of its CPU for its sleeps to count (20 in 3 s at 10 ms): its
# cost checks say nothing there.
if [ -n "$debug" ]; then
	skip "sampler sleeps between toggles: debug kernel ($2 sleeps in 3 s)"
else
	check "sampler sleeps between toggles ($2 sleeps in 3 s)" [ "${2:-0}" -gt 100 ]
fi
# it spins only while the 3 or 4 toggles are written (x86 under
# thread=single: a few ms of IPI round trips each)
check "sampler does not spin between toggles ($1 passes, spinning: $spin)" \
	[ "${1:-99999999}" -lt $((spin / 10)) ]
if [ -n "$debug" ]; then
	skip "a resting sampler costs a tenth of a spinning one: debug kernel (${3:-?} ns, spinning $spin_ns ns)"
else
	check "a resting sampler costs a tenth of a spinning one (${3:-?} ns, spinning $spin_ns ns)" \
		[ "${3:-99999999999}" -lt $((spin_ns / 10)) ]
fi
# passes_all_slept PASSES SLEEPS: some passes, each but the last one
# (cut short by the storm's end) followed by a sleep
passes_all_slept() { [ "$1" -gt 0 ] && [ "$1" -le $(($2 + 1)) ]; }
# one toggler, on the sampler's CPU, as fast as it goes: while the sampler
# runs that toggler writes nothing, so every pass ends in a sleep
set -- $(sampler static-key 0 1000 1)
echo "sampler, toggler on its CPU: $1 passes, $2 sleeps"
check "sampler does not spin behind its own CPU's toggler ($1 passes, $2 sleeps)" \
	passes_all_slept "${1:-0}" "${2:-0}"
# two togglers: the one on the other CPU is watched as it writes
set -- $(sampler static-key 0 1000 2)
echo "sampler, a toggler on another CPU: $1 passes, $2 sleeps"
check "sampler spins while a toggler on another CPU writes ($1 passes, $2 sleeps)" \
	[ "${1:-0}" -gt $((${2:-0} * 2)) ]
check "rmmod" rmmod patchstorm
check "debugfs directory gone" [ ! -e $PS ]
check "nothing left after rmmod" no_leftovers
finish
