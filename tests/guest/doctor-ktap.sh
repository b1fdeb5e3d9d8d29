#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# patchstorm doctor and KTAP on a real kernel. The kernel's .config is in
# /boot/config-$(uname -r) (the host test adds it, as on a test system).
#  - doctor says ready where the storm runs, and a storm then runs;
#  - taking something away makes it say "not ready" (exit 3) and name it:
#    kernel.ftrace_enabled=0, a config without CONFIG_KPROBES, a target
#    on the kprobe blacklist (which the module then really refuses), a
#    module built for another kernel;
#  - patchstorm run --ktap (stdout and =FILE) and scenarios/default.sh's
#    out/results.ktap; the host parses them with kunit.py.
# Booted with lockdown=integrity (x86_64), it checks instead that doctor
# names the lockdown and that the module then really cannot load.
. /patchstorm/lib.sh
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn
REL=$(uname -r)

# doc ARGS...: doctor's output in $OUT/doctor.out, exit code in $rc
doc() {
	patchstorm doctor --module $KO "$@" >$OUT/doctor.out 2>&1
	rc=$?
	echo "\$ patchstorm doctor $* -> exit $rc"
	sed 's/^/  | /' $OUT/doctor.out
}
has() { grep -q -- "$1" $OUT/doctor.out; }

check "the kernel config is in /boot" [ -s /boot/config-$REL ]

if grep -q 'lockdown=integrity' /proc/cmdline; then
	mount -t securityfs none /sys/kernel/security 2>/dev/null
	check "lockdown file says integrity" grep -q '\[integrity\]' /sys/kernel/security/lockdown
	doc
	cp $OUT/doctor.out $OUT/doctor-lockdown.out
	check "lockdown: doctor exit 3 (got $rc)" [ $rc = 3 ]
	check "lockdown: named, with its consequence" has 'FAIL  kernel lockdown: integrity'
	check "lockdown: the fix" has 'fix: boot with lockdown=none'
	# what doctor predicted: the unsigned module cannot load
	patchstorm run --module $KO --duration 2 >$OUT/run-lockdown.out 2>&1
	rc=$?
	sed 's/^/  run| /' $OUT/run-lockdown.out
	check "lockdown: patchstorm run cannot load the module (exit $rc)" [ $rc = 3 ]
	check "lockdown: no module loaded" [ ! -d $PS ]
	finish
	exit $?
fi

# -- ready where the storm runs
doc
cp $OUT/doctor.out $OUT/doctor-ready.out
check "doctor: exit 0 (got $rc)" [ $rc = 0 ]
check "doctor: says ready" grep -qE '^ready( |$)' $OUT/doctor.out
check "doctor: read /boot/config-$REL" has "config /boot/config-$REL"
check "doctor: vermagic matches" has "vermagic matches $REL"
check "doctor: no FAIL" sh -c "! grep -q FAIL $OUT/doctor.out"
doc --targets victims,sys:getpid --strategies kprobe-arm,kprobe-register
check "doctor, sys:getpid for kprobes: exit 0 (got $rc)" [ $rc = 0 ]
check "doctor: sys:getpid checked" has "ok    target sys:getpid"
# sys:getpid for ftrace: doctor and the module must agree (on x86_64 the
# syscall wrapper is no ftrace site, on riscv64 it is)
doc --targets sys:getpid --strategies ftrace-filter
drc=$rc
patchstorm run --module $KO --duration 2 --stale $STALE --targets sys:getpid \
	--strategies ftrace-filter >$OUT/run-sysftrace.out 2>&1
rrc=$?
tail -n 2 $OUT/run-sysftrace.out | sed 's/^/  run| /'
check "sys:getpid for ftrace: doctor (exit $drc) and the module (run exit $rrc) agree" \
	[ $(( drc == 0 )) = $(( rrc == 0 )) ]
# the module keeps its configuration: start the next runs from the defaults
[ ! -d $PS ] || unload || notok "rmmod after the sys:getpid run"

# -- and a storm runs there, with KTAP into a file
patchstorm run --module $KO --duration 4 --stale $STALE --ktap=$OUT/run.ktap \
	--save $OUT/save >$OUT/run.out 2>&1
rc=$?
sed 's/^/  run| /' $OUT/run.out | head -n 5
check "run --ktap=FILE: exit 0 (got $rc)" [ $rc = 0 ]
check "run --ktap=FILE: the report on stdout" grep -q '^verdict: SUCCESS' $OUT/run.out
check "run --ktap=FILE: KTAP written" grep -qx 'KTAP version 1' $OUT/run.ktap
check "run --ktap=FILE: ok 1 storm" grep -qx 'ok 1 storm' $OUT/run.ktap
# -- KTAP on stdout, everything else on stderr
patchstorm run --module $KO --duration 3 --stale $STALE --strategies static-key \
	--ktap >$OUT/stdout.ktap 2>$OUT/stderr.txt
rc=$?
check "run --ktap: exit 0 (got $rc)" [ $rc = 0 ]
check "run --ktap: stdout starts with the KTAP version" [ "$(head -n1 $OUT/stdout.ktap)" = "KTAP version 1" ]
check "run --ktap: report on stderr" grep -q '^verdict: SUCCESS' $OUT/stderr.txt
check "run --ktap: ftrace-filter skipped, not in the storm" \
	grep -q '^    ok 1 ftrace-filter # SKIP not in this storm' $OUT/stdout.ktap

# -- take things away: each is named, exit 3
echo 0 >/proc/sys/kernel/ftrace_enabled
doc
check "ftrace_enabled=0: exit 3 (got $rc)" [ $rc = 3 ]
check "ftrace_enabled=0: named" has 'FAIL  kernel.ftrace_enabled=0'
check "ftrace_enabled=0: the fix" has 'fix: sysctl kernel.ftrace_enabled=1'
doc --strategies static-key,kprobe-arm
check "ftrace_enabled=0 without ftrace strategies: exit 0 (got $rc)" [ $rc = 0 ]
echo 1 >/proc/sys/kernel/ftrace_enabled

sed '/^CONFIG_KPROBES=/d' /boot/config-$REL >/tmp/nokprobes.config
doc --config /tmp/nokprobes.config
check "config without KPROBES: exit 3 (got $rc)" [ $rc = 3 ]
check "config without KPROBES: named" has 'FAIL  CONFIG_KPROBES is not set'
check "config without KPROBES: the consequence" has 'consequence: kprobe-arm and kprobe-register cannot run'

# a function on the kprobe blacklist that kallsyms names once
bl=
for s in $(awk '{ print $2 }' /sys/kernel/debug/kprobes/blacklist | head -n 200); do
	case $s in *.*|*'['*) continue ;; esac
	[ "$(grep -c " $s\$" /proc/kallsyms)" = 1 ] || continue
	bl=$s
	break
done
check "a blacklisted function found ($bl)" [ -n "$bl" ]
if [ -n "$bl" ]; then
	doc --targets "$bl" --strategies kprobe-arm
	check "blacklisted target: exit 3 (got $rc)" [ $rc = 3 ]
	check "blacklisted target: named" has "target $bl: $bl is on the kprobe blacklist"
	# what doctor predicted: the module refuses a kprobe there
	patchstorm run --module $KO --duration 2 --targets "$bl" --strategies kprobe-arm \
		>$OUT/run-blacklist.out 2>&1
	rc=$?
	sed 's/^/  run| /' $OUT/run-blacklist.out
	check "blacklisted target: patchstorm run refuses it too (exit $rc)" [ $rc != 0 ]
fi
doc --release 0.0.0-other
check "another kernel's release: exit 3 (got $rc)" [ $rc = 3 ]
check "another kernel's release: vermagic named" has "vermagic \"$REL\", running kernel 0.0.0-other"

# -- the default scenario writes out/results.ktap
unload || notok "rmmod before the default scenario"
DURATION=4 STORM= sh /patchstorm/scenarios/default.sh >$OUT/default.out 2>&1
rc=$?
tail -n 3 $OUT/default.out
check "default scenario: exit 0 (got $rc)" [ $rc = 0 ]
check "default scenario: out/results.ktap" grep -qx 'ok 1 storm' $OUT/results.ktap
finish
