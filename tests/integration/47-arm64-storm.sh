#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every strategy storms the victims on arm64, then bad input is refused
# and changes nothing (tests/guest/storm-strategies.sh, storm-badinput.sh).
# extended: builds an arm64 kernel (about 5 min cold)
. "$(dirname "$0")/lib.sh"
guest_checks arm64 storm-strategies.sh --cpus 2 --duration 120 --grace 60
s=$GUEST_LINE
RES=$RES/badinput
mkdir -p "$RES"
guest_checks arm64 storm-badinput.sh --cpus 2 --duration 120 --grace 60
pass "strategies: $s; bad input: $GUEST_LINE"
