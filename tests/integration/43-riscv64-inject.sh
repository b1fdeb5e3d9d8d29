#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fault injection on riscv64: each mode's storm ends in FAILURE with the
# anomaly kind it names, the same storm without it in SUCCESS.  Under
# thread=single TCG: QEMU 7.2 MTTCG loses some cross-CPU code changes
# (README), which would make the control storm fail for the wrong reason.
. "$(dirname "$0")/lib.sh"
# ftrace-regime.sh: the 6.12 regime's caps and a clean ftrace storm first,
# then storm-inject.sh.
guest_checks riscv64 ftrace-regime.sh --cpus 2 --tcg single --duration 130 --grace 60 \
	--add "$ROOT/tests/guest/storm-inject.sh:/patchstorm/storm-inject.sh"
pass "$GUEST_LINE"
