#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A guest WARN makes the run a FAILURE, even though the command succeeds.
# on: riscv64
. "$(dirname "$0")/lib.sh"
d=$RES/run
run_guest "$d" --arch "$ARCH" --duration 5 --grace 10 --fixtures \
	--cmd 'insmod /patchstorm/fixtures/ps_fixture.ko action=warn && rmmod ps_fixture'
check_results_dir "$d"
[ "$RC" = 1 ] || fail "runner exit $RC, expected 1"
case "$VERDICT" in "FAILURE: WARNING:"*) ;; *) fail "verdict '$VERDICT'" ;; esac
[ "$(cat "$d/guest-exit-status")" = 0 ] || fail "the command itself should have succeeded"
grep -q "ps_fixture" "$d/failures.txt" || fail "failures.txt does not show the WARN's lines"
[ "$(json "$d/summary.json" "j['failures'][0]['kind']")" = WARNING ] || fail "summary failure kind"
pass
