#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# patchstorm doctor and KTAP in an x86_64 guest (see 65-riscv64-doctor-ktap.sh),
# and a second boot with lockdown=integrity: doctor names it, the module
# really cannot load.
DOCTOR_ARCH=x86_64
. "$(dirname "$0")/65-riscv64-doctor-ktap.sh"
