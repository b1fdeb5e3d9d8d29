#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Default storm (guest side, busybox sh): load the module, apply the
# runner's STORM key=value options on top of duration=$DURATION, run the
# storm, collect caps/config/stats into /patchstorm/out, unload.
# Exit 0 SUCCESS, 1 FAILURE (module verdict), 2 bad storm option,
# 3 module did not load.
#
# Scenario files are plain guest shell scripts; the runner provides
# DURATION, STORM, CPUS, ARCH and TIMEOUT in the environment.

out=/patchstorm/out
d=/sys/kernel/debug/patchstorm

insmod /patchstorm/patchstorm.ko || { echo "scenario: insmod failed"; exit 3; }
cat $d/caps >$out/caps

echo "duration=$DURATION" >$d/config
for kv in $STORM; do
	echo "$kv" >$d/config || { echo "scenario: bad storm option '$kv'"; rmmod patchstorm; exit 2; }
done
cat $d/config >$out/config
echo "scenario: storm starting ($STORM), ${DURATION}s"
echo start >$d/control || { echo "scenario: start failed"; rmmod patchstorm; exit 2; }

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
if command -v patchstorm >/dev/null 2>&1; then
	patchstorm report "$out" >$out/report 2>/dev/null || rm -f $out/report
fi
rmmod patchstorm || { echo "scenario: rmmod failed"; exit 1; }
grep "^verdict=" $out/stats
grep -q '^verdict=SUCCESS' $out/stats || exit 1
exit 0
