#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The guest boots to init within the arch's limit, the module loads,
# creates its debugfs dir, reports capabilities and unloads cleanly.
# riscv64: Debian's linux-source-6.12 + scripts/kconfig/riscv64.config;
# x86_64: Debian's prebuilt 6.12 kernel (module built against its
# headers); arm64: linux-source-6.12 + arm64.config, QEMU virt cortex-a57
# under MTTCG.
# on: riscv64
# on: x86_64
# on: arm64 extended: builds an arm64 kernel (about 5 min cold)
. "$(dirname "$0")/lib.sh"
d=$RES/run
run_guest "$d" --arch "$ARCH" --cpus 2 --duration "$(by_arch riscv64=10 x86_64=20 arm64=20)" \
	--grace "$(by_arch riscv64=20 x86_64=30 arm64=30)" --cmd "$MODULE_CHECK"
check_results_dir "$d"
check_module_run "$d" "$ARCH"
check_boot_time "$d" "$(by_arch riscv64=2 x86_64=10 arm64=15)"
pass "$(tr '\n' ' ' <"$d/out/caps")"
