#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The default storm while CPUs go offline and online at random
# (scenarios/onoff.sh: a random CPU but CPU 0, random 0-500 ms
# intervals) for the whole run; out/onoff.log counts the cycles.
# Needs CONFIG_HOTPLUG_CPU and more than one vCPU.
sh /patchstorm/scenarios/onoff.sh "$((DURATION + 5))" &
op=$!
sh /patchstorm/scenarios/default.sh
rc=$?
touch /tmp/onoff.stop
wait $op
[ $? = 0 ] || [ $rc != 0 ] || rc=3
exit $rc
