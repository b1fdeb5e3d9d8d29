#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# 20 insmod/rmmod cycles on riscv64, each with a storm of every strategy
# running at rmmod: no probe, ftrace site or thread left behind.
. "$(dirname "$0")/lib.sh"
guest_checks riscv64 storm-cycles.sh --cpus 2 --duration 120 --grace 60
pass "$GUEST_LINE"
