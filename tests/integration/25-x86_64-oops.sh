#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The x86_64 guest (Debian's kernel) reports an Oops the same way, and
# exits at once.
. "$(dirname "$0")/lib.sh"
d=$RES/run
run_guest "$d" --arch x86_64 --duration 60 --grace 30 --fixtures \
	--cmd 'insmod /patchstorm/fixtures/ps_fixture.ko action=oops; sleep 100'
check_results_dir "$d"
[ "$RC" = 1 ] || fail "runner exit $RC, expected 1"
kinds=$(json "$d/summary.json" "' '.join(f['kind'] for f in j['failures'])")
echo "failure kinds: $kinds"
case " $kinds " in *" OOPS "*) ;; *) fail "no OOPS among failures: $kinds" ;; esac
wall=$(json "$d/summary.json" "int(j['wall_s'])")
[ "$wall" -lt 60 ] || fail "guest took $wall s to die after the oops"
pass "$kinds"
