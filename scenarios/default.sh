#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Default storm (guest side, busybox sh): duration=$DURATION plus the
# runner's STORM key=value options, run with the patchstorm CLI
# (`patchstorm run`: load, validate, configure, progress, report), whose
# results go into /patchstorm/out: report, result.json, stats, config,
# caps, anomalies, hist/<name>, and results.ktap (KTAP version 1: a test
# per strategy and detector). Then the module is unloaded.
# Without the CLI in the guest, the same storm through debugfs directly.
# Exit 0 SUCCESS, 1 FAILURE (module verdict), 2 bad storm option,
# 3 module did not load (or the CLI cannot run here).
#
# Under QEMU MTTCG (TCG=multi, riscv64's default) stale=warn unless STORM
# sets stale=: QEMU 7.2 misses some cross-CPU code modification, so a
# stale execution there is counted, not fatal (docs/qemu.md).
#
# With the fixture module in the guest (the runner's --fixtures; make
# run passes it) the module is loaded with churn_module= pointing at it,
# so strategies=all brings module-churn along: a module loaded, probed
# and unloaded while the storm patches (README: Module churn).
#
# Scenario files are plain guest shell scripts; the runner provides
# DURATION, STORM, CPUS, ARCH, TCG and TIMEOUT in the environment.

out=/patchstorm/out
d=/sys/kernel/debug/patchstorm
ko=/patchstorm/patchstorm.ko
fx=/patchstorm/fixtures/ps_fixture.ko

storm=$STORM
case " $STORM " in
*" stale="*) ;;
*) [ "${TCG:-}" = multi ] && storm="stale=warn $storm" ;;
esac

with_cli() {
	# key=value -> --key-with-dashes=value (the CLI validates each one)
	set -- --module "$ko" --duration "$DURATION" --save "$out" --ktap="$out/results.ktap"
	for kv in $storm; do
		k=${kv%%=*}
		case "$kv" in *=*) ;; *) echo "scenario: bad storm option '$kv' (not key=value)"; return 2 ;; esac
		[ "$k" = strategy ] && k=strategies
		set -- "$@" "--$(echo "$k" | tr _ -)=${kv#*=}"
	done
	echo "scenario: patchstorm run $*"
	# A storm that overruns is stopped (SIGINT: the CLI stops it and
	# reports), 10 s before init's watchdog (TIMEOUT: duration + grace,
	# which covers module load, setup and teardown) would kill it.
	limit=$((${TIMEOUT:-$((DURATION + 30))} - 10))
	[ $limit -gt $((DURATION + 5)) ] || limit=$((DURATION + 5))
	timeout -s INT $limit patchstorm run "$@"
	rc=$?
	if [ -s $out/stats ]; then
		patchstorm report "$out" >$out/report 2>/dev/null
		[ -s $out/report ] || rm -f $out/report
	fi
	return $rc
}

without_cli() {
	[ -d $d ] || insmod $ko || { echo "scenario: insmod failed"; return 3; }
	cat $d/caps >$out/caps
	echo "duration=$DURATION" >$d/config
	for kv in $storm; do
		echo "$kv" >$d/config || { echo "scenario: bad storm option '$kv'"; return 2; }
	done
	cat $d/config >$out/config
	echo "scenario: storm starting ($storm), ${DURATION}s"
	echo start >$d/control || { echo "scenario: start failed"; return 2; }
	# The storm stops itself after its duration; stop it if it overruns.
	t=0
	while [ "$(cat $d/control)" = running ]; do
		sleep 1
		t=$((t + 1))
		if [ $t -ge $((DURATION + 5)) ]; then
			echo "scenario: storm still running after $t s, stopping it"
			echo stop >$d/control
		fi
	done
	cat $d/stats >$out/stats
	for f in $d/*; do
		case "${f##*/}" in caps|config|control|stats) ;; *) [ -f "$f" ] && cat "$f" >"$out/${f##*/}" 2>/dev/null ;; esac
	done
	grep -q '^verdict=SUCCESS' $out/stats || return 1
	return 0
}

if [ -e $fx ] && [ ! -d $d ]; then
	params="churn_module=$fx"
	case " $STORM " in *" inject="*) params="$params allow_inject=1" ;; esac
	# shellcheck disable=SC2086 # two words on purpose
	insmod $ko $params || { echo "scenario: insmod $params failed"; exit 3; }
	echo "scenario: module-churn with $fx"
fi
if command -v patchstorm >/dev/null 2>&1; then
	with_cli
else
	echo "scenario: no patchstorm CLI in the guest, using debugfs directly"
	without_cli
fi
rc=$?
if [ -d $d ] && ! rmmod patchstorm; then
	echo "scenario: rmmod failed"
	[ $rc = 0 ] && rc=1
fi
[ -s $out/stats ] && grep "^verdict=" $out/stats
exit $rc
