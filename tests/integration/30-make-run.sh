#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make run` with the default scenario (a short storm with the module's
# default configuration) succeeds, writes results/<ts>-<arch>-<release>/
# and results/latest, and prints the report and the verdict.
# on: riscv64
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
before=$(readlink results/latest 2>/dev/null || true)
make -s run ARCH="$ARCH" CPUS=2 DURATION=5 >"$RES/make.out" 2>&1
rc=$?
cat "$RES/make.out"
latest=$(readlink results/latest 2>/dev/null || true)
[ -n "$latest" ] && [ "$latest" != "$before" ] || fail "results/latest not updated"
case "$latest" in *-"$ARCH"-*) ;; *) fail "results dir name $latest" ;; esac
d=$ROOT/results/$latest
check_results_dir "$d"
verdict=$(grep -E '^(SUCCESS|FAILURE)' "$RES/make.out" | tail -n1)
[ "$verdict" = SUCCESS ] || fail "make run: ${verdict:-no verdict line}"
[ $rc = 0 ] || fail "make run exit $rc"
[ "$(json "$d/summary.json" "j['stats']['verdict']")" = SUCCESS ] || fail "storm verdict"
pass "$latest"
