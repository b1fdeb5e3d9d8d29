#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scan-console.sh classifies kernel trouble and ignores program output
# (but not a kernel message printed in the middle of the output archive);
# the debug flavour's checkers (KASAN, KFENCE, lockdep, atomic sleep,
# debugobjects, DEBUG_LIST, kmemleak) by name, their boot banners not.
. "$(dirname "$0")/lib.sh"
c=$RES/console.log
printf '%s\r\n' \
	'[    0.000000] Linux version 6.12.117' \
	'WARNING: this line is program output, no timestamp' \
	'[    1.000000] ------------[ cut here ]------------' \
	'[    1.000001] WARNING: CPU: 0 PID: 1 at mod.c:10 init+0x10/0x20' \
	'[    2.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000' \
	'[    2.000001] Oops: 0002 [#1] PREEMPT SMP NOPTI' \
	'[    3.000000] Unable to handle kernel paging request at virtual address 0000000000000000' \
	'[    4.000000] Oops - illegal instruction [#1]' \
	'[    5.000000] rcu: INFO: rcu_sched self-detected stall on CPU' \
	'[    6.000000] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [x:1]' \
	'[    7.000000] INFO: task foo:12 blocked for more than 120 seconds.' \
	'[    8.000000] Oops: general protection fault, probably for non-canonical address' \
	'[    9.000000] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI' \
	'[    9.100000] Internal error: Oops - BRK: 00000000f20003e8 [#1] SMP' \
	'[    9.200000] Internal error: Oops - Undefined instruction: 0000000002000000 [#2] PREEMPT SMP' \
	'PATCHSTORM-OUT-BEGIN' \
	'H4sIAAAAAAAAA+xb+W/cOJbOr+O/gpjGAuXdKlnUrZqtRSedZGK4nWRjZxfYICioJJattq7W4dhB' \
	'//H7PVJXHT7S6XR2MSMgKYni+0i++5GydvTkm186Lte25S+u[   10.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [swapper/0:0]' \
	'PATCHSTORM-OUT-END' \
	'[   11.000000] Kernel panic - not syncing: Fatal exception' \
	'[   13.000000] BUG: KASAN: slab-use-after-free in ps_storm_stop+0x10/0x20 [patchstorm]' \
	'[   13.100000] BUG: KFENCE: out-of-bounds read in ps_sites_show+0x1/0x2 [patchstorm]' \
	'[   13.200000] WARNING: possible circular locking dependency detected' \
	'[   13.300000] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585' \
	'[   13.400000] ODEBUG: free active (active state 0) object: 0000000012345678 object type: timer_list hint: ps_tick+0x0/0x10' \
	'[   13.500000] list_add corruption. prev->next should be next (ffff0000), but was 0000000000000000. (prev=ffff0008).' \
	'[   13.600000] kmemleak: unreferenced object 0xffff000012345678 (size 64):' \
	'[   13.600001] kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)' \
	'[   13.700000] WARNING: suspicious RCU usage' \
	'[   13.800000] INFO: trying to register non-static key.' \
	'[   13.900000] BUG: scheduling while atomic: ps_toggler/1/0x00000002' \
	'[   12.000000] patchstorm: all good' >"$c"
got=$("$ROOT/scripts/scan-console.sh" "$c" | cut -f1 | tr '\n' ' ')
want="WARNING BUG OOPS BAD_ACCESS ILLEGAL_INSN RCU_STALL SOFT_LOCKUP HUNG_TASK GPF INT3 BRK ILLEGAL_INSN SOFT_LOCKUP PANIC "
want+="KASAN KFENCE LOCKDEP SLEEP_IN_ATOMIC ODEBUG LIST_CORRUPTION KMEMLEAK KMEMLEAK LOCKDEP LOCKDEP SLEEP_IN_ATOMIC "
echo "got:  $got"
echo "want: $want"
[ "$got" = "$want" ] || fail "classification differs"
printf '%s\r\n' '[    1.0] all fine' 'WARNING: user text' \
	'[    0.1] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar' \
	'[    0.1] ... MAX_LOCKDEP_SUBCLASSES:  8' \
	'[    0.2] kasan: KernelAddressSanitizer initialized (generic)' \
	'[    0.3] kfence: initialized - using 2097152 bytes for 255 objects' \
	'[    0.4] kmemleak: Kernel memory leak detector initialized (mem pool available: 14583)' \
	'kmemleak: 3 new suspected memory leaks (program output)' >"$RES/clean.log"
"$ROOT/scripts/scan-console.sh" "$RES/clean.log" >/dev/null || fail "clean log reported as failing"
"$ROOT/scripts/scan-console.sh" "$c" >/dev/null && fail "bad log not reported (exit 0)"
ctx=$("$ROOT/scripts/scan-console.sh" --context 2 "$c" | head -n 3)
echo "$ctx" | grep -q "^	.*BUG\|^BUG" || fail "context output malformed: $ctx"
pass
