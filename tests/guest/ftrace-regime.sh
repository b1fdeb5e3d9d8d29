#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# riscv's ftrace regime, from the kernel version: 6.16 and newer keep the
# auipc (auipc-fixed), older ones patch the pair: caps say which, the sampler reads the call sites, and with
# CALL_OPS their ftrace_ops literals, with every read legal in a clean
# storm of both ftrace strategies; then every injection mode is caught
# (storm-inject.sh, which also checks the ops literal's torn reads).
. /patchstorm/lib.sh
insmod $KO || { notok insmod; finish; exit 1; }
REGIME=pair
case $(uname -r) in
6.1[6-9]*|6.[2-9][0-9]*|[7-9].*|[1-9][0-9].*) REGIME=auipc-fixed ;;
esac
check "caps: ftrace_regime=$REGIME" grep -qx "ftrace_regime=$REGIME" $PS/caps
lit=0
[ "$REGIME" = auipc-fixed ] && lit=1
check "caps: ftrace_ops_literal=$lit" grep -qx "ftrace_ops_literal=$lit" $PS/caps
echo "strategies=ftrace-filter,ftrace-ops targets=victims duration=4 rate=10 stat_interval=0" >$PS/config &&
	echo start >$PS/control || notok "storm started"
sleep 1
check "hammers and togglers each on its one CPU" threads_pinned
wait_done 60 || notok "storm ran"
cat $PS/sites
check "storm SUCCESS ($(stat verdict): $(stat reason))" [ "$(stat verdict)" = SUCCESS ]
n=$(awk '$1 == "ops"' $PS/sites | wc -l)
nf=$(awk '$1 == "ftrace"' $PS/sites | wc -l)
on=$(site_reads ops on)
if [ $lit = 1 ]; then
	check "an ops literal per ftrace site ($n of $nf)" [ "$n" -eq "$nf" -a "$nf" -gt 0 ]
	check "ops literals read pointing at the storm's ops ($on reads)" [ "$on" -gt 0 ]
else
	check "no ops literal on this regime ($n)" [ "$n" -eq 0 ]
fi
f=$(site_reads ftrace on)
check "ftrace sites read on ($f reads)" [ "$f" -gt 0 ]
check "no torn, mixed or wrong-dest read ($(stat site_reads.torn) torn, $(stat site_reads.mixed) mixed, $(stat site_reads.wrong-dest) wrong-dest)" \
	[ "$(stat site_reads.torn)$(stat site_reads.mixed)$(stat site_reads.wrong-dest)" = 000 ]
unload || notok rmmod
. /patchstorm/storm-inject.sh
