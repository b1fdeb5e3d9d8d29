#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A guest command that outlives duration + grace is killed and recorded
# as a HANG; the runner itself returns promptly.
# on: riscv64
. "$(dirname "$0")/lib.sh"
d=$RES/run
t0=$SECONDS
run_guest "$d" --arch "$ARCH" --duration 2 --grace 4 --cmd 'echo sleeping; sleep 1000'
check_results_dir "$d"
[ "$RC" = 1 ] || fail "runner exit $RC, expected 1"
case "$VERDICT" in "FAILURE: HANG:"*) ;; *) fail "verdict '$VERDICT'" ;; esac
[ "$(json "$d/summary.json" "j['failures'][0]['kind']")" = HANG ] || fail "summary failure kind"
grep -q sleeping "$d/out/run.log" || fail "out/run.log not sent back after the kill"
[ $((SECONDS - t0)) -lt 60 ] || fail "took $((SECONDS - t0)) s"
pass
