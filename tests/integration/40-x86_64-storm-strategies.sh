#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every strategy storms the victims for a few seconds on x86_64: toggles and
# hits counted, no wrong answer, no API error, SUCCESS, and nothing of the
# module left in the kernel afterwards (kprobes list, enabled_functions,
# threads).
. "$(dirname "$0")/lib.sh"
guest_checks x86_64 storm-strategies.sh --cpus 2 --duration 120 --grace 60
pass "$GUEST_LINE"
