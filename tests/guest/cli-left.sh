#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Left as found: `patchstorm run` compares the kernel's patching state
# (enabled_functions, the kprobes, the module's static keys) after the
# storm, before rmmod, with a snapshot taken before it. A clean storm
# passes; a kprobe, then an ftrace_ops, registered during the storm and
# kept (the fixture module, action=kprobe or ftrace: what a leaking
# module would leave) makes it a FAILURE, exit 1, naming what is left.
# A static key left on (inject=ref-leak) makes it a FAILURE too, and the
# module's own left-on check. `patchstorm kstate` / `kstate --check FILE`
# does the same by hand.
. /patchstorm/lib.sh
FX=/patchstorm/fixtures/ps_fixture.ko
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn	# see storm-strategies.sh

check "the fixture module is here" [ -e $FX ]
insmod $KO || { notok insmod; finish; exit 1; }

patchstorm run --duration 3 --targets victims --stale $STALE --save $OUT/clean \
	>$OUT/clean.out 2>$OUT/clean.err
rc=$?
sed 's/^/  stderr| /' $OUT/clean.err
check "clean storm: exit 0 (got $rc)" [ $rc = 0 ]
check "clean storm: nothing said to be left" sh -c "! grep -q 'not left as found' $OUT/clean.err"
check "clean storm: no leftovers file" [ ! -e $OUT/clean/leftovers ]
check "the module's keys file lists its static keys" grep -q '^victim_key [01]$' $PS/keys
echo "keys: $(tr '\n' ' ' <$PS/keys)"

for a in kprobe ftrace; do
	echo reset >$PS/control
	patchstorm run --duration 6 --targets victims --stale $STALE --save $OUT/leak-$a \
		>$OUT/leak-$a.out 2>$OUT/leak-$a.err &
	pid=$!
	sleep 2
	insmod $FX action=$a || notok "$a: fixture loaded"
	wait $pid
	rc=$?
	sed 's/^/  stderr| /' $OUT/leak-$a.err
	check "$a left during the storm: exit 1 (got $rc)" [ $rc = 1 ]
	check "$a left: FAILURE, not left as found" grep -q 'FAILURE: the kernel is not left as found' $OUT/leak-$a.err
	case $a in
	kprobe) pat='kprobe left: .*vfs_read' ;;
	ftrace) pat='ftrace site left: vfs_read' ;;
	esac
	check "$a left: named ($pat)" grep -q "$pat" $OUT/leak-$a.err
	check "$a left: in the saved leftovers" grep -q "$pat" $OUT/leak-$a/leftovers
	check "$a left: the module's own verdict still SUCCESS" grep -q '^verdict: SUCCESS' $OUT/leak-$a.out
	rmmod ps_fixture || notok "$a: fixture unloaded"
done

# A static key left on: inject=ref-leak loses one static_branch_dec()
# per key.  The module's own check (left-on) and the CLI's both see it.
rmmod patchstorm && insmod $KO allow_inject=1 || notok "reloaded with allow_inject=1"
patchstorm run --duration 3 --targets victims --strategies static-key-ref --inject ref-leak \
	--stale $STALE --save $OUT/leak-key >$OUT/leak-key.out 2>$OUT/leak-key.err
rc=$?
sed 's/^/  stderr| /' $OUT/leak-key.err
check "key left on: exit 1 (got $rc)" [ $rc = 1 ]
check "key left on: FAILURE, not left as found" grep -q 'FAILURE: the kernel is not left as found' $OUT/leak-key.err
check "key left on: named (static key victim_keyref ... changed)" grep -q 'static key victim_keyref.* changed' $OUT/leak-key.err
check "key left on: the module's verdict FAILURE too" grep -q '^verdict: FAILURE' $OUT/leak-key.out
check "key left on: with left-on anomalies" sh -c "grep -q '^anomalies.left-on=[1-9]' $PS/stats"
echo "keys after the leak: $(tr '\n' ' ' <$PS/keys)"

# by hand
patchstorm kstate >$OUT/kstate.before
rc=$?
check "kstate: exit 0 (got $rc)" [ $rc = 0 ]
check "kstate: the three sources" sh -c "grep -q '^\[enabled_functions\]' $OUT/kstate.before && grep -q '^\[kprobes\]' $OUT/kstate.before && grep -q '^\[keys\]' $OUT/kstate.before"
insmod $FX action=kprobe || notok "fixture loaded"
patchstorm kstate --check $OUT/kstate.before >$OUT/kstate.check 2>&1
rc=$?
cat $OUT/kstate.check
check "kstate --check with a kprobe left: exit 1 (got $rc)" [ $rc = 1 ]
check "kstate --check names it" grep -q 'kprobe left: .*vfs_read' $OUT/kstate.check
rmmod ps_fixture
patchstorm kstate --check $OUT/kstate.before >$OUT/kstate.check2 2>&1
rc=$?
cat $OUT/kstate.check2
check "kstate --check once it is gone: exit 0 (got $rc)" [ $rc = 0 ]

check "rmmod" unload
check "nothing left after rmmod" no_leftovers
finish
