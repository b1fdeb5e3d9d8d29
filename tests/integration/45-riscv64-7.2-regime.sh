#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# riscv64 7.2 (Debian's linux-source-7.2, KSRC=debian:7.2): the 6.16+
# ftrace regime, where the auipc stays, one jalr <-> nop is patched and
# each call site's ftrace_ops literal is rewritten, all without
# stop_machine.  caps must say so, a clean storm reads only legal states
# of every site, and each injection mode is caught.  thread=single: under
# MTTCG, QEMU 7.2 misses some cross-CPU code changes (README).
# extended: fetches and builds a second riscv64 kernel (about 6 min cold)
. "$(dirname "$0")/lib.sh"
guest_checks riscv64 ftrace-regime.sh --ksrc debian:7.2 --cpus 2 --tcg single \
	--duration 150 --grace 60 \
	--add "$ROOT/tests/guest/storm-inject.sh:/patchstorm/storm-inject.sh"
pass "$GUEST_LINE"
