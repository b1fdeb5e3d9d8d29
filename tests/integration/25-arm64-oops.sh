#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The arm64 guest reports an Oops the same way and exits at once; so does
# a trap in kernel text, which arm64 6.12 cannot survive (die() for an
# unclaimed BRK or an undefined instruction): the runner names it BRK.
# extended: builds an arm64 kernel (about 5 min cold)
. "$(dirname "$0")/lib.sh"
for action in oops trap; do
	d=$RES/$action
	run_guest "$d" --arch arm64 --duration 60 --grace 30 --fixtures \
		--cmd "insmod /patchstorm/fixtures/ps_fixture.ko action=$action; sleep 100"
	check_results_dir "$d"
	[ "$RC" = 1 ] || fail "$action: runner exit $RC, expected 1"
	kinds=$(json "$d/summary.json" "' '.join(f['kind'] for f in j['failures'])")
	echo "$action: failure kinds: $kinds"
	want=OOPS
	[ $action = trap ] && want=BRK
	case " $kinds " in *" $want "*) ;; *) fail "$action: no $want among failures: $kinds" ;; esac
	wall=$(json "$d/summary.json" "int(j['wall_s'])")
	[ "$wall" -lt 30 ] || fail "$action: guest took $wall s to die"
	all="${all:-}$action: $kinds; "
done
pass "$all"
