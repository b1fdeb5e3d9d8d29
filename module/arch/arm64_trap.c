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
 * are refused here (ps_arch.catches_traps and catches_breaks: caps
 * catch_traps=0, catch_breaks=0), and a real
 * trap at a site is left to the kernel: the runner reads the Oops from
 * the console.
 */
#include "arch/arch.h"

int ps_arch_trap_init(void)
{
	return 0;
}

void ps_arch_trap_exit(void)
{
}
