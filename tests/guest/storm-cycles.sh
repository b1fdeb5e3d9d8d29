#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# insmod/rmmod cycles with a storm of every strategy running at rmmod:
# nothing may be left behind.
. /patchstorm/lib.sh
N=${CYCLES:-12}
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn	# see storm-strategies.sh
dmesg -c >/dev/null	# count only these cycles' End of test lines
i=0
while [ $i -lt "$N" ]; do
	insmod $KO strategies=all targets=victims autostart=1 stat_interval=0 \
		stale=$STALE ||
		notok "cycle $i: insmod"
	sleep 0.2
	unload || notok "cycle $i: rmmod"
	no_leftovers || notok "cycle $i: leftovers"
	i=$((i + 1))
done
check "$N insmod/rmmod cycles leave nothing behind" no_leftovers
# each rmmod stopped a running storm, which printed its verdict
check "$N storms ended with a verdict ($(dmesg | grep -c 'End of test: '))" \
	[ "$(dmesg | grep -c 'End of test: ')" -eq "$N" ]
check "no failure verdict in $N cycles" sh -c "! dmesg | grep -q 'End of test: FAILURE'"
finish
