#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Module churn (scenarios/churn.sh): the default storm with the
# module-churn strategy, which loads and unloads the fixture module and
# instruments each fresh copy, ends a SUCCESS with loads done (2 at least:
# 2 to 18 in 15 s here, by how busy the host is) and no
# error from them (out/churn.log, out/stats).
# on: riscv64
. "$(dirname "$0")/lib.sh"
d=$RES/churn
run_guest "$d" --arch "$ARCH" --duration 15 --grace 40 --scenario churn --fixtures
[ -f "$d/out/churn.log" ] || fail "no out/churn.log ($VERDICT); see $d/console.log"
line=$(cat "$d/out/churn.log")
[ "$RC" = 0 ] || fail "runner exit $RC ($VERDICT; $line); see $d/console.log"
n=$(sed -n 's/^toggles\.module-churn\.enable=//p' "$d/out/stats")
[ "${n:-0}" -ge 2 ] || fail "only ${n:-no} module loads: $line"
grep -q '^errors\.module-churn=0$' "$d/out/stats" || fail "module-churn errors: $line"
grep -q '^toggles\.module-churn\.disable=[1-9]' "$d/out/stats" || fail "no unload: $line"
h=$(sed -n 's/^hits\.module-churn=//p' "$d/out/stats")
[ "${h:-0}" -gt 0 ] || fail "module-churn's handlers never ran: $line"
grep -q '^verdict=SUCCESS' "$d/out/stats" || fail "no SUCCESS in out/stats"
pass "SUCCESS; $line; $h handler hits"
