#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live progress on a terminal: `patchstorm run` in a tmux pane in a guest,
# screens captured mid-run and at the end (tests/guest/cli-pty.sh; the
# captures are in build/test-results/63-cli-pty@x86_64/x86_64/out/).
# x86_64 only: tmux needs AF_UNIX, which the riscv64 guest kernel lacks.
# on: x86_64
. "$(dirname "$0")/lib.sh"
guest_checks "$ARCH" cli-pty.sh --cpus 2 --duration 40 --grace 40
sed 's/^/  | /' "$RES/$ARCH/out/pty-mid.txt"
pass "$GUEST_LINE"
