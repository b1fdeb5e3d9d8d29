#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The default storm with module churn, which it must have: the fixture
# module (/patchstorm/fixtures/ps_fixture.ko, the runner's --fixtures)
# is given to patchstorm as churn_module= (scenarios/default.sh), so
# strategies=all brings module-churn along. Its toggler loads and unloads
# the fixture while the other strategies patch, instruments each fresh
# copy with ftrace and a kprobe, and calls it to check
# (strategies/module_churn.c). Each load has the kernel patch fresh text:
# the module's ftrace sites get their nops (ftrace_module_init()), its
# jump labels are set up; each unload kills the probes on it and releases
# its ftrace records (ftrace_release_mod()). A race between those paths
# and the storm's (a write without text_mutex, a record freed while in
# use) shows as the storm's anomalies or the kernel's oops.
# out/churn.log counts the loads; none at all is an environment failure
# (exit 3).
FX=/patchstorm/fixtures/ps_fixture.ko
[ -e $FX ] || { echo "churn: no $FX (run with --fixtures)"; exit 3; }
sh /patchstorm/scenarios/default.sh
rc=$?
st=/patchstorm/out/stats
n=$(sed -n 's/^toggles\.module-churn\.enable=//p' $st 2>/dev/null)
e=$(sed -n 's/^errors\.module-churn=//p' $st 2>/dev/null)
mkdir -p /patchstorm/out
echo "churn: ${n:-0} module loads by module-churn, errors ${e:-none}" |
	tee /patchstorm/out/churn.log
[ "${n:-0}" -gt 0 ] || [ $rc != 0 ] || rc=3
exit $rc
