#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Module churn (scenarios/churn.sh): the default storm while the fixture
# module is loaded and unloaded in a loop ends a SUCCESS, every load and
# unload worked, and out/churn.log counts the cycles.
# on: riscv64
. "$(dirname "$0")/lib.sh"
d=$RES/churn
run_guest "$d" --arch "$ARCH" --duration 15 --grace 40 --scenario churn --fixtures
[ -f "$d/out/churn.log" ] || fail "no out/churn.log ($VERDICT); see $d/console.log"
line=$(cat "$d/out/churn.log")
[ "$RC" = 0 ] || fail "runner exit $RC ($VERDICT; $line); see $d/console.log"
n=$(sed -n 's/^churn: \([0-9]*\) load.*/\1/p' "$d/out/churn.log")
[ "${n:-0}" -ge 5 ] || fail "only ${n:-no} load/unload cycles: $line"
grep -q ', 0 failed$' "$d/out/churn.log" || fail "loads or unloads failed: $line"
grep -q '^verdict=SUCCESS' "$d/out/stats" || fail "no SUCCESS in out/stats"
pass "SUCCESS; $line"
