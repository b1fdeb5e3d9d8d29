// SPDX-License-Identifier: GPL-2.0
/*
 * Surviving a trap at a victim's ftrace site on riscv.
 *
 * On 6.12 an illegal instruction in kernel mode goes do_trap_insn_illegal
 * -> do_trap_error -> fixup_exception(), else die(), which panics
 * whatever a die notifier says.  So every 2-byte slot of each hammered
 * victim's 8-byte entry site gets an exception-table entry whose fixup
 * returns PS_TRAP_SENTINEL + offset to the hammer in a0.  At entry ra
 * still holds the hammer's return address and sp is untouched, so the
 * fixup is just "li a0, value; ret".  The hammer counts the trap with
 * the bytes it then finds at the site (detect.c).  Traps anywhere else
 * are left to the kernel.
 */
#include <linux/stringify.h>
#include <asm/asm-extable.h>
#include "patchstorm.h"
#include "arch/arch.h"

/* The fixups, then four extable entries per victim (EX_TYPE_FIXUP). */
asm(".pushsection .text, \"ax\"\n"
	"	.balign 4\n"
	"	.irp off, 0, 2, 4, 6\n"
	"ps_trap_fixup_\\off:\n"
	"	li	a0, " __stringify(PS_TRAP_SENTINEL) " + \\off\n"
	"	ret\n"
	"	.endr\n"
	".popsection\n"
	".macro ps_trap_site fn\n"
	"	.irp off, 0, 2, 4, 6\n"
	"	.pushsection __ex_table, \"a\"\n"
	"	.balign 4\n"
	"	.long (\\fn + \\off) - .\n"
	"	.long ps_trap_fixup_\\off - .\n"
	"	.short " __stringify(EX_TYPE_FIXUP) "\n"
	"	.short 0\n"
	"	.popsection\n"
	"	.endr\n"
	".endm\n"
	"ps_trap_site victim_leaf\n"
	"ps_trap_site victim_nonleaf\n"
	"ps_trap_site victim_long\n"
	"ps_trap_site victim_key\n"
	"ps_trap_site victim_key_nonleaf\n"
	"ps_trap_site victim_keyref\n"
	"ps_trap_site victim_keyref_nonleaf\n");

/*
 * The extable entries need no setup.  A breakpoint no kprobe owns goes
 * do_trap_break -> handle_break, which asks kprobes, kgdb (CONFIG_KGDB
 * only) and the bug table, else die(): no exception-table lookup, no
 * notifier, so an ebreak left at a site cannot be survived here
 * (ps_arch.catches_breaks).
 */
int ps_arch_trap_init(void)
{
	return 0;
}

void ps_arch_trap_exit(void)
{
}
