#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# 12 insmod/rmmod cycles (20 until the cold make check passed 25 min;
# 46-lifecycle-rmmod-races, extended, makes 25 rmmods at random moments),
# each with a storm of every strategy running at
# rmmod: no probe, ftrace site or thread left behind.
# tests/guest/storm-cycles.sh.
# on: riscv64
. "$(dirname "$0")/lib.sh"
guest_checks "$ARCH" storm-cycles.sh --cpus 2 --duration 120 --grace 60
pass "$GUEST_LINE"
