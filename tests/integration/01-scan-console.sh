#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scan-console.sh classifies kernel trouble and ignores program output.
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
	'[   10.000000] WARNING: inside the archive, ignored' \
	'PATCHSTORM-OUT-END' \
	'[   11.000000] Kernel panic - not syncing: Fatal exception' \
	'[   12.000000] patchstorm: all good' >"$c"
got=$("$ROOT/scripts/scan-console.sh" "$c" | cut -f1 | tr '\n' ' ')
want="WARNING BUG OOPS BAD_ACCESS ILLEGAL_INSN RCU_STALL SOFT_LOCKUP HUNG_TASK GPF INT3 BRK ILLEGAL_INSN PANIC "
echo "got:  $got"
echo "want: $want"
[ "$got" = "$want" ] || fail "classification differs"
printf '[    1.0] all fine\r\nWARNING: user text\r\n' >"$RES/clean.log"
"$ROOT/scripts/scan-console.sh" "$RES/clean.log" >/dev/null || fail "clean log reported as failing"
"$ROOT/scripts/scan-console.sh" "$c" >/dev/null && fail "bad log not reported (exit 0)"
ctx=$("$ROOT/scripts/scan-console.sh" --context 2 "$c" | head -n 3)
echo "$ctx" | grep -q "^	.*BUG\|^BUG" || fail "context output malformed: $ctx"
pass
