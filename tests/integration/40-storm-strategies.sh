#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every strategy storms the victims for a few seconds: toggles and hits
# counted, no wrong answer, no API error, SUCCESS, and nothing of the
# module left in the kernel afterwards (kprobes list, enabled_functions,
# threads). tests/guest/storm-strategies.sh.
# on: riscv64
# on: x86_64
# on: arm64 extended: builds an arm64 kernel (about 5 min cold)
# on: riscv64-7.2+debug extended: under the debug kernel (KASAN, lockdep, kmemleak: no report either); builds it, about 30 min cold
# on: arm64+debug extended: the same under arm64's debug kernel; builds it, about 27 min cold
# on: x86_64-6.12+debug extended: the same under x86_64's debug kernel, from source; builds it, about 12 min cold
. "$(dirname "$0")/lib.sh"
dur=130
[ "$KFLAVOR" = debug ] && dur=900
guest_checks "$ARCH" storm-strategies.sh "${KSRC[@]}" "${FLAVOR[@]}" --fixtures --cpus 2 --duration $dur --grace 60 --boot-timeout 120
pass "$GUEST_LINE"
