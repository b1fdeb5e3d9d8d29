#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bad input: every bad write is refused with an error and changes
# nothing; bad module parameters fail the load; the kernel is unharmed.
. /patchstorm/lib.sh

for p in "strategies=bogus" "targets=no_such_symbol_xyz" "togglers=0" \
	 "togglers=-1" "rate=99999999999999999999" "toggler_cpus=63" \
	 "duration=30 kprobe_offset=1" "flush_us=10" "checks=maybe" \
	 "inject=release-early strategies=static-key" \
	 "strategies=static-key-ref targets=victim_key" \
	 "inject=ref-early strategies=static-key-ref togglers=2" \
	 "churn_module=/no/such/ps_fixture.ko" "churn_module=relative.ko"; do
	if insmod $KO $p 2>/dev/null; then
		notok "insmod $p fails"
		rmmod patchstorm
	else
		ok "insmod $p fails"
	fi
done
dmesg | grep -q "module parameter strategies=bogus rejected: unknown strategy" &&
	ok "load failure names the parameter and why" ||
	notok "load failure names the parameter and why"

dmesg | grep -q "churn_module=/no/such/ps_fixture.ko: no such file" &&
	ok "churn_module= failure names the path" ||
	notok "churn_module= failure names the path"

insmod $KO || { notok insmod; finish; exit 1; }
# module-churn needs churn_module= at load: caps says so, and it is refused
check "caps: churn_module=0" grep -qx churn_module=0 $PS/caps
check "caps: strategy.module-churn=0" grep -qx strategy.module-churn=0 $PS/caps
expect_write_error config "strategies=module-churn"
grep -q "module-churn: needs .*churn_module= at load" $PS/stats &&
	ok "module-churn refused: the reason names churn_module=" ||
	notok "module-churn refused: the reason names churn_module="
ncpu=$(grep -c ^processor /proc/cpuinfo)
# injections need allow_inject=1 at load
check "caps: inject_allowed=0" grep -qx inject_allowed=0 $PS/caps
expect_write_error config "inject=release-early strategies=static-key"
grep -q "load the module with allow_inject=1" $PS/stats &&
	ok "inject refused: the reason names allow_inject" ||
	notok "inject refused: the reason names allow_inject"
# a target twice, data, an unknown tracepoint, a strategy with no target of its kind
expect_write_error config "targets=victims,victim_leaf"
expect_write_error config "targets=jiffies"
expect_write_error config "targets=tp:no_such_tracepoint"
expect_write_error config "strategies=tracepoint targets=victims"
expect_write_error config "strategies=bogus"
expect_write_error config "strategies=ftrace-filter,nope"
expect_write_error config "targets=no_such_symbol_xyz"
expect_write_error config "targets=victims,no_such_symbol_xyz"
expect_write_error config "togglers=0"
expect_write_error config "togglers=-3"
expect_write_error config "togglers=65"
expect_write_error config "hammers=4294967296"
expect_write_error config "rate=-1"
expect_write_error config "rate=18446744073709551616"
expect_write_error config "duration=abc"
expect_write_error config "toggler_cpus=$ncpu"
expect_write_error config "hammer_cpus=0-$((ncpu + 3))"
expect_write_error config "toggler_cpus=x"
expect_write_error config "kprobe_offset=1 strategies=kprobe-arm targets=victim_long"
expect_write_error config "widen=sometimes"
expect_write_error config "stale=maybe"
expect_write_error config "checks=1"
expect_write_error config "shared_keys=yes"
expect_write_error config "batch=0"
expect_write_error config "sampler_idle_us=1000001"
expect_write_error config "sampler_idle_us=fast"
expect_write_error config "flush_us=99"
expect_write_error config "flush_us=1000001"
expect_write_error config "unknown_key=1"
expect_write_error config "novalue"
expect_write_error config "strategies=static-key targets=victim_leaf"
# static-key-ref takes the refcounted keys only, static-key the others
expect_write_error config "strategies=static-key-ref targets=victim_key,victim_leaf"
expect_write_error config "strategies=static-key targets=victim_keyref"
expect_write_error config "strategies=static-key-ref,nope"
expect_write_error config "strategies=static-key-ref togglers=65"
# static-call takes victim_call only (a kernel without static calls
# refuses the strategy itself)
expect_write_error config "strategies=static-call targets=victim_key,victim_leaf"
# (what each injection needs beyond allow_inject=1: tests/guest/storm-inject.sh)
expect_write_error config "togglers=2 rate=-5"
case $(sed -n 's/^arch=//p' $PS/caps) in
riscv64)
	# no KPROBES_ON_FTRACE: +0 of a traceable function is refused
	expect_write_error config "strategies=kprobe-arm kprobe_offset=0 targets=victim_leaf"
	;;
arm64)
	# +4 is the ftrace location (the bl): no KPROBES_ON_FTRACE either
	expect_write_error config "strategies=kprobe-arm kprobe_offset=4 targets=victim_leaf"
	;;
esac
expect_write_error control "launch"
check "stop when idle fails" sh -c "! echo stop >$PS/control 2>/dev/null"
grep -q "no storm is running" $PS/stats && ok "stop when idle: reason in stats" ||
	notok "stop when idle: reason in stats"

check "good config accepted" sh -c "echo 'strategies=kprobe-arm targets=victims duration=20 stat_interval=0' >$PS/config"
check "start" sh -c "echo start >$PS/control"
check "start twice fails" sh -c "! echo start >$PS/control 2>/dev/null"
expect_write_error config "rate=5"
check "reset while running fails" sh -c "! echo reset >$PS/control 2>/dev/null"
check "stop while running" sh -c "echo stop >$PS/control"
check "state done after stop" [ "$(cat $PS/control)" = done ]
check "verdict after stop is SUCCESS" [ "$(stat verdict)" = SUCCESS ]
check "reset" sh -c "echo reset >$PS/control"
check "state idle after reset" [ "$(cat $PS/control)" = idle ]
check "counters zero after reset" [ "$(stat toggles)" = 0 ]

# rmmod while running stops the storm cleanly, and the storm it stopped
# still ends with its own End of test line (the stop above printed one)
ends=$(dmesg | grep -c "End of test: SUCCESS")
echo "duration=0" >$PS/config
echo start >$PS/control
sleep 1
check "rmmod during a storm" unload
check "nothing left after rmmod during a storm" no_leftovers
check "rmmod's storm printed its End of test: SUCCESS line" \
	[ "$(dmesg | grep -c "End of test: SUCCESS")" -gt "$ends" ]
finish
