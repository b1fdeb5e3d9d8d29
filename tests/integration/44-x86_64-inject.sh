#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fault injection on x86_64 (Debian's 6.12 kernel, thread=single TCG):
# each mode's storm ends in FAILURE with its anomaly kind, the same storm
# without it in SUCCESS.
. "$(dirname "$0")/lib.sh"
guest_checks x86_64 storm-inject.sh --cpus 2 --duration 150 --grace 60
pass "$GUEST_LINE"
