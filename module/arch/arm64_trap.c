// SPDX-License-Identifier: GPL-2.0
/*
 * Traps at a victim's ftrace site on arm64: not survivable on 6.12.
 *
 * An undefined instruction at EL1 goes do_el1_undef(), which emulates
 * only "msr ssbs" and otherwise calls die(); a BRK whose immediate is
 * not one of the fixed list in call_el1_break_hook() (BUG, kprobes,
 * kgdb, ...), or a kprobe BRK no kprobe owns, goes do_el1_brk64() ->
 * die() likewise.  Neither path looks in
 * the exception table, and die() runs oops_enter() (tracing_off(),
 * debug_locks_off()), prints the Oops and taints the kernel (TAINT_DIE)
 * whatever a DIE_OOPS notifier returns, and panics under panic_on_oops:
 * catching a trap there would leave the kernel worse than it was.
 * A module cannot add a break hook.  So inject=illegal-site and stray-break
 * are refused here (caps: catch_traps=0, catch_breaks=0), and a real
 * trap at a site is left to the kernel: the runner reads the Oops from
 * the console.
 */
#include "../patchstorm.h"

int ps_arch_init(void)
{
	return 0;
}

void ps_arch_exit(void)
{
}

bool ps_arch_catches_traps(void)
{
	return false;
}

bool ps_arch_catches_breaks(void)
{
	return false;
}

/* udf #0 and BRK #KPROBES_BRK_IMM: what the refused modes would write */
const struct ps_poke ps_arch_illegal_poke = { 0, 4, { 0, 0, 0, 0 } };
const struct ps_poke ps_arch_break_poke = { 4, 4, { 0x80, 0x00, 0x20, 0xd4 } };
