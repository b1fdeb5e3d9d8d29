#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `patchstorm run` checks, before rmmod, that the kernel is left as found
# (enabled_functions, kprobes, the module's static keys against a
# snapshot from before the storm): a clean storm passes, a kprobe or an
# ftrace_ops left behind during the storm (the fixture module) makes it
# a FAILURE naming it; `patchstorm kstate --check` by hand.
# tests/guest/cli-left.sh.
# on: riscv64
# on: x86_64 extended: the riscv64 run covers the same checks (about 1 min)
. "$(dirname "$0")/lib.sh"
guest_checks "$ARCH" cli-left.sh --cpus 2 --duration 40 --grace 40 --fixtures
pass "$GUEST_LINE"
