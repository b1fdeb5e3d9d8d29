#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# patchstorm doctor and KTAP in an arm64 guest (see 65-riscv64-doctor-ktap.sh).
# extended: the arm64 kernel is a second kernel build (about 4.5 min cold)
DOCTOR_ARCH=arm64
. "$(dirname "$0")/65-riscv64-doctor-ktap.sh"
