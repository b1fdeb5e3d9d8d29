#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# CPUs go offline and online at random (the torture tests' onoff style)
# while storms of every strategy run: each storm SUCCESS, the module
# counted CPUs going and coming (cpus_offlined, cpus_onlined), a start
# naming a CPU gone offline refused with EINVAL and its reason, nothing
# left after rmmod, and a clean console. tests/guest/storm-hotplug.sh.
# x86_64 (single-threaded TCG) with 3 vCPUs: CPUs 1 and 2 come and go;
# riscv64 and arm64 (MTTCG) with 2 on the 2 host cores: CPU 1 does.
# on: riscv64
# on: x86_64 extended: the riscv64 run covers the hotplug handling; x86 adds text_poke_bp under hotplug (about 1 min)
# on: arm64 extended: builds an arm64 kernel (about 5 min cold)
# on: arm64+debug extended: under the debug kernel (KASAN, lockdep, kmemleak): hotplug meets no report either; builds it, about 27 min cold
# on: x86_64-6.12+debug extended: the same under x86_64's debug kernel, from source, with text_poke_bp; builds it, about 12 min cold
. "$(dirname "$0")/lib.sh"
# (the debug kernel: the same storms, more time to boot and wind down)
grace=60
[ "$KFLAVOR" = debug ] && grace=600
guest_checks "$ARCH" storm-hotplug.sh "${KSRC[@]}" "${FLAVOR[@]}" --cpus "$(by_arch riscv64=2 x86_64=3 arm64=2)" \
	--duration 80 --grace $grace
d=$RES/$ARCH
grep -a '^hotplug: ' "$d/out/run.log" | sed 's/^/  /'
pass "$GUEST_LINE; $(grep -a '^hotplug: ' "$d/out/run.log" | sed 's/^hotplug: //')"
