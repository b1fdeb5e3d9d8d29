#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# arm64's patch sites (6.12, CALL_OPS): caps say how each is patched and
# that traps are not survivable here; a clean storm of the ftrace,
# kprobe and static-key strategies reads every call site, ftrace_ops
# literal, kprobe and jump label in a legal state only; then
# storm-inject.sh: release-early and torn-site are
# caught, illegal-site and stray-break are refused.
. /patchstorm/lib.sh
insmod $KO || { notok insmod; finish; exit 1; }
for c in arch=arm64 ftrace_site_bytes=8 ftrace_ops_literal=1 ftrace_patch=nosync \
	kprobe_patch=stop_machine catch_traps=0 catch_breaks=0; do
	check "caps: $c" grep -qx "$c" $PS/caps
done
echo "strategies=ftrace-filter,ftrace-ops,kprobe-arm,static-key targets=victims duration=4 rate=10 stat_interval=0" >$PS/config &&
	echo start >$PS/control && wait_done 60 || notok "storm ran"
cat $PS/sites
check "storm SUCCESS ($(stat verdict): $(stat reason))" [ "$(stat verdict)" = SUCCESS ]
# columns from the end: off on transient mixed torn
for k in ftrace ops kprobe jump; do
	on=$(site_reads $k on)
	check "$k sites read on ($on reads)" [ "$on" -gt 0 ]
done
n=$(awk '$1 == "ops"' $PS/sites | wc -l)
v=$(grep -c '^victim\..*\.align=' $PS/caps)
check "an ops literal per victim ($n of $v)" [ "$n" -eq "$v" ]
check "no torn, mixed or wrong-dest read ($(stat site_reads.torn) torn, $(stat site_reads.mixed) mixed, $(stat site_reads.wrong-dest) wrong-dest)" \
	[ "$(stat site_reads.torn)$(stat site_reads.mixed)$(stat site_reads.wrong-dest)" = 000 ]
# the site the sampler reads starts with "mov x9, x30" (e9 03 1e aa)
b=$(awk '$1 == "ftrace" && $2 == "victim_leaf" { print $6 }' $PS/sites)
check "victim_leaf's ftrace site starts with mov x9, x30 ($b)" \
	[ "${b#e9031eaa}" != "$b" ]
unload || notok rmmod
. /patchstorm/storm-inject.sh
