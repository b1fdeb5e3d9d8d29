#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `patchstorm run --inject release-early` in an x86_64 guest: see
# 62-riscv64-cli-inject.sh.
CLI_ARCH=x86_64
. "$(dirname "$0")/62-riscv64-cli-inject.sh"
