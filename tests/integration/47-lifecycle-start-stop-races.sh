#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The storm's lifecycle races: LIFECYCLE_N (default 25; make bench:
# 100) start/stop/reset sequences at random
# moments (start, a random 0-1.5 s, stop, a random 0-0.5 s, reset: on
# either side of the controller's own end of a 1 s storm), while another
# process reads every debugfs file in a loop: nothing left behind, every
# storm ends with a verdict, no FAILURE, a clean console (under the
# debug flavour, the arm64+debug and x86_64-6.12+debug variants: no
# KASAN, lockdep, debugobjects or kmemleak report either). tests/guest/lifecycle-races.sh.
# on: riscv64 extended: 25 of them with a reader (minutes)
# on: arm64+debug extended: the same under arm64's debug kernel; builds it, about 27 min cold
# on: x86_64-6.12+debug extended: the same under x86_64's debug kernel, from source; builds it, about 12 min cold
# on: riscv64-7.2+debug extended: 8 of them under riscv64 7.2's debug kernel (about 30 s each there); builds it, about 30 min cold
. "$(dirname "$0")/lib.sh"
# (riscv64's debug kernel takes about 30 s a cycle: 8 fit the test's time)
n=25
[ "$VARIANT" = riscv64-7.2+debug ] && n=8
printf "LIFECYCLE_N='%s'\n" "${LIFECYCLE_N:-$n}" >"$RES/bench.env"
guest_checks "$ARCH" lifecycle-seq.sh "${KSRC[@]}" "${FLAVOR[@]}" --cpus 2 --duration 700 --grace 60 --boot-timeout 120 \
	--add "$ROOT/tests/guest/lifecycle-races.sh:/patchstorm/lifecycle-races.sh" \
	--add "$RES/bench.env:/patchstorm/bench.env"
d=$RES/$ARCH
grep -a -e '^start/stop/reset: ' -e '^reader: ' "$d/out/run.log" | sed 's/^/  /'
pass "$GUEST_LINE; $(grep -a '^start/stop/reset: ' "$d/out/run.log" | cut -d, -f1-3); $(grep -a '^reader: ' "$d/out/run.log")"
