#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The patchstorm CLI in an x86_64 guest: see 60-riscv64-cli.sh.
CLI_ARCH=x86_64
. "$(dirname "$0")/60-riscv64-cli.sh"
