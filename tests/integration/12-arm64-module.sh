#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# arm64 guest (linux-source-6.12, scripts/kconfig/arm64.config, QEMU virt
# cortex-a57 under MTTCG): boots to init, the module loads, creates its
# debugfs dir, reports capabilities, unloads cleanly.
# extended: builds an arm64 kernel (about 5 min cold)
. "$(dirname "$0")/lib.sh"
d=$RES/run
run_guest "$d" --arch arm64 --cpus 2 --duration 20 --grace 30 --cmd "$MODULE_CHECK"
check_results_dir "$d"
check_module_run "$d" arm64
check_boot_time "$d" 15
pass "$(tr '\n' ' ' <"$d/out/caps")"
