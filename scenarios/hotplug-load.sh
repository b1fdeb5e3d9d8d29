#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The default storm with both: stress-ng on every CPU
# (scenarios/stress-ng-load.sh) and CPUs going offline and online at
# random (scenarios/hotplug.sh).
stress-ng --cpu "$CPUS" --switch 1 --fork 1 --timeout "$((DURATION + 2))s" --metrics-brief \
	>/patchstorm/out/stress-ng.log 2>&1 &
sh /patchstorm/scenarios/hotplug.sh
rc=$?
wait
exit $rc
