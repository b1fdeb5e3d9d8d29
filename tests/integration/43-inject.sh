#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fault injection: each mode's storm ends in FAILURE with the anomaly kind
# it names, the same storm without it in SUCCESS; a mode the arch cannot
# survive is refused (tests/guest/storm-inject.sh). Before it, where the
# module reads the patch sites, the arch's site checks:
#   riscv64  tests/guest/ftrace-regime.sh: caps name the ftrace regime
#            (6.12: the auipc+jalr pair patched under stop_machine; 6.16
#            and newer, so 7.2: the auipc stays, one jalr <-> nop and each
#            call site's ftrace_ops literal rewritten without
#            stop_machine) and a clean ftrace storm reads only legal
#            states of every site and ops literal
#   arm64    tests/guest/arm64-sites.sh: caps, the site layout (mov x9,
#            x30; nop|bl; CALL_OPS literal) and a clean storm with only
#            legal reads; illegal-site and stray-break are refused
# Under thread=single TCG: QEMU's MTTCG can run stale code after another
# vCPU rewrote it (docs/qemu.md), which would make a control storm fail
# for the wrong reason.
# on: riscv64
# on: x86_64 extended: 61-cli-inject runs an x86_64 injection in make check; this runs every mode and its control (about 1.5 min)
# on: riscv64-7.2 extended: fetches and builds linux-source-7.2 for riscv64 (about 6 min cold)
# on: arm64 extended: builds an arm64 kernel (about 5 min cold)
# on: arm64-7.2 extended: fetches and builds linux-source-7.2 for arm64 (about 6 min cold)
# on: arm64+debug extended: every mode and its control under the debug kernel (KASAN, lockdep, kmemleak: no report); builds it, about 27 min cold
# on: x86_64-6.12+debug extended: every mode and its control under x86_64's debug kernel, from source; builds it, about 12 min cold
. "$(dirname "$0")/lib.sh"
inject=(--fixtures --add "$ROOT/tests/guest/storm-inject.sh:/patchstorm/storm-inject.sh")
# (the debug kernel: the same storms, more time around them)
grace=60
[ "$KFLAVOR" = debug ] && grace=600
case $VARIANT in
riscv64) guest_checks "$ARCH" ftrace-regime.sh --cpus 2 --tcg single --duration 150 --grace 60 "${inject[@]}" ;;
riscv64-*) guest_checks "$ARCH" ftrace-regime.sh "${KSRC[@]}" --cpus 2 --tcg single --duration 170 --grace 60 "${inject[@]}" ;;
x86_64*) guest_checks "$ARCH" storm-inject.sh "${KSRC[@]}" "${FLAVOR[@]}" --fixtures --cpus 2 --duration 170 --grace $grace ;;
arm64*) guest_checks "$ARCH" arm64-sites.sh "${KSRC[@]}" "${FLAVOR[@]}" --cpus 2 --tcg single --duration 140 --grace $grace "${inject[@]}" ;;
esac
pass "$GUEST_LINE"
