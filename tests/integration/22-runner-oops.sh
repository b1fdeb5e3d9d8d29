#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A guest Oops makes the run a FAILURE, and the guest exits at once
# (oops=panic, panic=-1, -no-reboot) instead of running out its time.
# On arm64 so does a trap in kernel text, which arm64 6.12 cannot survive
# (die() for an unclaimed BRK or an undefined instruction): the runner
# names it BRK.
# on: riscv64
# on: x86_64
# on: arm64 extended: builds an arm64 kernel (about 5 min cold)
. "$(dirname "$0")/lib.sh"
actions=oops
[ "$ARCH" != arm64 ] || actions="oops trap"
# x86_64 (Debian's kernel, thread=single TCG) takes longer to die
limit=$(by_arch riscv64=30 x86_64=60 arm64=30)
all=
for action in $actions; do
	d=$RES/$action
	run_guest "$d" --arch "$ARCH" --duration 60 --grace 30 --fixtures \
		--cmd "insmod /patchstorm/fixtures/ps_fixture.ko action=$action; sleep 100"
	check_results_dir "$d"
	[ "$RC" = 1 ] || fail "$action: runner exit $RC, expected 1"
	case "$VERDICT" in FAILURE:*) ;; *) fail "$action: verdict '$VERDICT'" ;; esac
	kinds=$(json "$d/summary.json" "' '.join(f['kind'] for f in j['failures'])")
	echo "$action: failure kinds: $kinds"
	want=OOPS
	[ $action = oops ] || want=BRK
	case " $kinds " in *" $want "*) ;; *) fail "$action: no $want among failures: $kinds" ;; esac
	wall=$(json "$d/summary.json" "int(j['wall_s'])")
	[ "$wall" -lt "$limit" ] || fail "$action: guest took $wall s to die (limit $limit s)"
	all="$all$action: $kinds; "
done
pass "${all%; }"
