#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Bad input: bad module parameters fail the load; bad config writes, bad
# control commands, start twice, stop when idle, config while running are
# refused and change nothing; rmmod during a storm is clean.
# tests/guest/storm-badinput.sh.
# on: riscv64
# on: x86_64 extended: the riscv64 run covers the same checks (about 20 s)
# on: arm64 extended: builds an arm64 kernel (about 5 min cold)
. "$(dirname "$0")/lib.sh"
guest_checks "$ARCH" storm-badinput.sh --cpus 2 --duration 120 --grace 60
pass "$GUEST_LINE"
