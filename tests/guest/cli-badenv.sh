#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `patchstorm run` in bad environments and with bad option values: each is
# one line on stderr (no usage dump) and exit 2 (usage) or 3 (cannot run
# here), and leaves nothing behind. The host adds a copy of the module
# with a wrong vermagic as /patchstorm/wrong-vermagic.ko.
. /patchstorm/lib.sh
export PATH

# expect RC WHAT-TO-GREP CMD...: exit RC, exactly one stderr line that
# contains WHAT-TO-GREP (a basic regex), nothing on stdout
expect() {
	want=$1 pat=$2
	shift 2
	"$@" >/tmp/x.out 2>/tmp/x.err
	rc=$?
	echo "\$ $* -> exit $rc: $(cat /tmp/x.err)"
	n=$(grep -c . /tmp/x.err)
	if [ $rc != "$want" ]; then
		notok "$*: exit $rc, expected $want"
	elif [ "$n" != 1 ]; then
		notok "$*: $n stderr lines, expected 1"
	elif ! grep -q -- "$pat" /tmp/x.err; then
		notok "$*: stderr lacks '$pat'"
	elif [ -s /tmp/x.out ]; then
		notok "$*: printed on stdout: $(head -c 200 /tmp/x.out)"
	else
		ok "$* -> exit $want, one line"
	fi
}
not_loaded() {
	if [ -d $PS ]; then echo "the module is loaded"; return 1; fi
}

# -- bad option values: exit 2, before anything is loaded
expect 2 'duration.*not a time' patchstorm run --duration abc
expect 2 'duration.*not a time' patchstorm run --duration=-5
expect 2 'duration.*not a time' patchstorm run --duration 8d
expect 2 'togglers.*out of range' patchstorm run --togglers 0
expect 2 'togglers.*out of range' patchstorm run --togglers 65
expect 2 'hammers.*not a number' patchstorm run --hammers many
expect 2 'unknown strategy "foo"' patchstorm run --strategies ftrace-filter,foo
expect 2 'empty item' patchstorm run --strategies ftrace-filter,,static-key
expect 2 'not a function name' patchstorm run --targets 'vfs read'
expect 2 'hammer-cpus 99: CPU 99 does not exist' patchstorm run --hammer-cpus 99
expect 2 'not a cpulist' patchstorm run --toggler-cpus 3-1
expect 2 'stale.*fail or warn' patchstorm run --stale maybe
expect 2 'widen.*none, hrtimer or ipi' patchstorm run --widen fast
expect 2 'strategy:weight' patchstorm run --weights static-key
expect 2 'unknown injection' patchstorm run --inject 'Release Early'
expect 2 'unknown option --bogus' patchstorm run --bogus 1
expect 2 'needs a value' patchstorm run --duration
expect 2 'unexpected argument' patchstorm run 30
expect 2 'unknown command' patchstorm storm
check "bad options loaded nothing" not_loaded

# -- the module rejects a value the CLI cannot check: exit 2, one line
expect 2 'rejected the configuration.*no_such_function' patchstorm run --module $KO --duration 1 --targets no_such_function
rmmod patchstorm 2>/dev/null

# -- not root: exit 3 (option errors still 2)
grep -q '^nobody:' /etc/passwd || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
nobody() { su -s /bin/sh nobody -c "$*"; }
expect 3 'must run as root' nobody patchstorm run --duration 2
expect 2 'togglers.*out of range' nobody patchstorm run --togglers 0
expect 3 'not mounted or not readable' nobody patchstorm status
check "not root: loaded nothing" not_loaded

# -- no module file, a corrupted one, one for another kernel: exit 3
expect 3 'cannot load /nonexistent.ko.*file not found' patchstorm run --module /nonexistent.ko --duration 2
head -c 4096 $KO >/tmp/truncated.ko
expect 3 'cannot load /tmp/truncated.ko.*corrupted' patchstorm run --module /tmp/truncated.ko --duration 2
dd if=/dev/urandom of=/tmp/random.ko bs=1k count=64 2>/dev/null
expect 3 'cannot load /tmp/random.ko' patchstorm run --module /tmp/random.ko --duration 2
if [ -f /patchstorm/wrong-vermagic.ko ]; then
	expect 3 'vermagic.*dmesg: .*version magic .* should be' patchstorm run --module /patchstorm/wrong-vermagic.ko --duration 2
else
	notok "no /patchstorm/wrong-vermagic.ko from the host"
fi
cd /tmp
expect 3 'no patchstorm.ko was found' patchstorm run --duration 2
check "bad modules: loaded nothing" not_loaded

# -- debugfs not mounted: the live commands say so; run mounts it itself
umount /sys/kernel/debug 2>/dev/null || umount -l /sys/kernel/debug
check "debugfs unmounted" sh -c "! grep -q ' /sys/kernel/debug debugfs' /proc/mounts"
expect 3 'debugfs not mounted' patchstorm status
patchstorm run --quiet --module $KO --duration 1 --strategies kprobe-arm >/tmp/x.out 2>&1
rc=$?
echo "run with debugfs unmounted -> exit $rc: $(head -n1 /tmp/x.out)"
check "run mounts debugfs itself: exit 0 (got $rc)" [ $rc = 0 ]
check "debugfs mounted again" grep -q ' /sys/kernel/debug debugfs' /proc/mounts
expect 3 'does not exist' patchstorm run --debugfs /nonexistent --duration 1

# -- a storm already running: exit 3, and the running storm goes on
echo "duration=60 strategies=kprobe-arm" >$PS/config
echo start >$PS/control
expect 3 'already running' patchstorm run --duration 2
check "the running storm goes on" [ "$(cat $PS/control)" = running ]
expect 3 'already running' patchstorm run --module $KO --duration 2
patchstorm stop >/tmp/x.out 2>&1
check "patchstorm stop: exit 0 ($(head -n1 /tmp/x.out))" [ $? = 0 ]
check "stopped" [ "$(cat $PS/control)" = done ]

# -- the module unloaded under a running `patchstorm run`: exit 3
patchstorm run --quiet --duration 60 --strategies kprobe-arm >/tmp/y.out 2>/tmp/y.err &
pid=$!
sleep 2
# (a `patchstorm run` read in flight holds the module for a moment)
rmmod patchstorm 2>/dev/null || { sleep 0.3; rmmod patchstorm; }
wait $pid
rc=$?
echo "rmmod during run -> exit $rc: $(cat /tmp/y.err)"
check "rmmod during run: exit 3 (got $rc)" [ $rc = 3 ]
check "rmmod during run: one line, says unloaded" sh -c "[ \$(grep -c . /tmp/y.err) = 1 ] && grep -q 'module unloaded' /tmp/y.err"
check "nothing left" no_leftovers
finish
