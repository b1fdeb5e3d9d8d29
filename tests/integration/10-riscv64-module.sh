#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# riscv64 guest (Debian linux-source-6.12 + fragment): boots to init in
# < 2 s, the module loads, creates its debugfs dir, reports capabilities
# and unloads cleanly.
. "$(dirname "$0")/lib.sh"
d=$RES/run
run_guest "$d" --arch riscv64 --cpus 2 --duration 10 --grace 20 --cmd "$MODULE_CHECK"
check_results_dir "$d"
check_module_run "$d" riscv64
check_boot_time "$d" 2
pass "$(tr '\n' ' ' <"$d/out/caps")"
