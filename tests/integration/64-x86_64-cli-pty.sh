#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live progress on a terminal: `patchstorm run` in a tmux pane in an x86_64
# guest, screens captured mid-run and at the end (tests/guest/cli-pty.sh;
# the captures are in build/test-results/64-x86_64-cli-pty/x86_64/out/).
. "$(dirname "$0")/lib.sh"
guest_checks x86_64 cli-pty.sh --cpus 2 --duration 40 --grace 40
sed 's/^/  | /' "$RES/x86_64/out/pty-mid.txt"
pass "$GUEST_LINE"
