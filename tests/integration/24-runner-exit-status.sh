#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A guest command exiting non-zero makes the run a FAILURE.
# on: riscv64
. "$(dirname "$0")/lib.sh"
d=$RES/run
run_guest "$d" --arch "$ARCH" --duration 3 --grace 10 --cmd 'echo failing; exit 7'
check_results_dir "$d"
[ "$RC" = 1 ] || fail "runner exit $RC, expected 1"
case "$VERDICT" in "FAILURE: EXIT_STATUS:"*7*) ;; *) fail "verdict '$VERDICT'" ;; esac
[ "$(cat "$d/guest-exit-status")" = 7 ] || fail "guest-exit-status $(cat "$d/guest-exit-status")"
[ "$(json "$d/summary.json" "j['guest_exit_status']")" = 7 ] || fail "summary guest_exit_status"
pass
