#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The default storm while a module is loaded and unloaded in a loop (the
# fixture module, /patchstorm/fixtures/ps_fixture.ko: the runner's
# --fixtures). Each load has the kernel patch fresh text while the storm
# patches: the new module's ftrace sites get their nops
# (ftrace_module_init()), its jump labels are set up
# (jump_label_add_module()), and each unload releases its ftrace records
# (ftrace_release_mod()). A race between those paths and the storm's (a
# write without text_mutex, a record freed while in use) shows as the
# storm's anomalies or as the kernel's oops. out/churn.log counts the
# load/unload cycles; none at all is an environment failure (exit 3).
FX=/patchstorm/fixtures/ps_fixture.ko
[ -e $FX ] || { echo "churn: no $FX (run with --fixtures)"; exit 3; }
rm -f /tmp/churn.stop
(
	n=0 fail=0
	while [ ! -e /tmp/churn.stop ]; do
		if insmod $FX 2>/dev/null; then
			rmmod ps_fixture || fail=$((fail + 1))
			n=$((n + 1))
		else
			fail=$((fail + 1))
			sleep 1
		fi
	done
	echo "churn: $n load/unload cycles, $fail failed"
) >/tmp/churn.log 2>&1 &
cp=$!
sh /patchstorm/scenarios/default.sh
rc=$?
touch /tmp/churn.stop
wait $cp
mkdir -p /patchstorm/out
cp /tmp/churn.log /patchstorm/out/churn.log
cat /tmp/churn.log
n=$(sed -n 's/^churn: \([0-9]*\) .*/\1/p' /tmp/churn.log)
[ "${n:-0}" -gt 0 ] || [ $rc != 0 ] || rc=3
exit $rc
