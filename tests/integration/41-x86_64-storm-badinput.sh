#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Bad input on x86_64: bad module parameters fail the load; bad config writes,
# bad control commands, start twice, stop when idle, config while running
# are refused and change nothing; rmmod during a storm is clean.
. "$(dirname "$0")/lib.sh"
guest_checks x86_64 storm-badinput.sh --cpus 2 --duration 120 --grace 60
pass "$GUEST_LINE"
