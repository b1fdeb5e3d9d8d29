#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every strategy storms the victims for a few seconds: toggles and hits
# counted, no wrong answer, no API error, SUCCESS, and nothing of the
# module left in the kernel afterwards (kprobes list, enabled_functions,
# threads). tests/guest/storm-strategies.sh.
# on: riscv64
# on: x86_64
# on: arm64 extended: builds an arm64 kernel (about 5 min cold)
. "$(dirname "$0")/lib.sh"
guest_checks "$ARCH" storm-strategies.sh --fixtures --cpus 2 --duration 130 --grace 60
pass "$GUEST_LINE"
