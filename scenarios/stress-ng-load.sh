#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The default storm while stress-ng loads every CPU with computation,
# forks and context switches (userspace running while kernel text changes).
stress-ng --cpu "$CPUS" --switch 1 --fork 1 --timeout "$((DURATION + 2))s" --metrics-brief \
	>/patchstorm/out/stress-ng.log 2>&1 &
sh /patchstorm/scenarios/default.sh
rc=$?
wait
exit $rc
