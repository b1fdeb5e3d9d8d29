#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A guest Oops makes the run a FAILURE, and the guest exits at once
# (oops=panic, panic=-1, -no-reboot) instead of running out its time.
. "$(dirname "$0")/lib.sh"
d=$RES/run
run_guest "$d" --arch riscv64 --duration 60 --grace 30 --fixtures \
	--cmd 'insmod /patchstorm/fixtures/ps_fixture.ko action=oops; sleep 100'
check_results_dir "$d"
[ "$RC" = 1 ] || fail "runner exit $RC, expected 1"
case "$VERDICT" in FAILURE:*) ;; *) fail "verdict '$VERDICT'" ;; esac
kinds=$(json "$d/summary.json" "' '.join(f['kind'] for f in j['failures'])")
echo "failure kinds: $kinds"
case " $kinds " in *" OOPS "*) ;; *) fail "no OOPS among failures: $kinds" ;; esac
wall=$(json "$d/summary.json" "int(j['wall_s'])")
[ "$wall" -lt 30 ] || fail "guest took $wall s to die after the oops"
pass "$kinds"
