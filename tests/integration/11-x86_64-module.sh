#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# x86_64 guest (Debian's prebuilt 6.12 kernel, module built against the
# matching linux-headers package): boots to init in < 10 s, the module
# loads, creates its debugfs dir, reports capabilities, unloads cleanly.
. "$(dirname "$0")/lib.sh"
d=$RES/run
run_guest "$d" --arch x86_64 --cpus 2 --duration 20 --grace 30 --cmd "$MODULE_CHECK"
check_results_dir "$d"
check_module_run "$d" x86_64
check_boot_time "$d" 10
pass "$(tr '\n' ' ' <"$d/out/caps")"
