// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace-direct strategy's trampoline (strategies/ftrace_direct.c):
 * what a patched ftrace site calls directly (6.12), or what
 * ftrace_caller jumps to from the ops' direct_call (CALL_OPS kernels).
 * Either way t0 holds the return address into the traced function: the
 * strategy is told which function that is, and the trampoline returns
 * there.  Only the victims are direct-call targets: their one argument
 * (a0) is all it keeps.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include "arch/arch.h"

#ifdef CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS
asm("	.pushsection	.text, \"ax\", @progbits\n"
	"	.type		ps_direct_tramp, @function\n"
	"	.globl		ps_direct_tramp\n"
	"ps_direct_tramp:\n"
	"	addi	sp, sp, -4*" SZREG "\n"
	"	" REG_S "	a0, 0*" SZREG "(sp)\n"
	"	" REG_S "	t0, 1*" SZREG "(sp)\n"
	"	" REG_S "	ra, 2*" SZREG "(sp)\n"
	"	mv	a0, t0\n"
	"	call	ps_direct_hit\n"
	"	" REG_L "	a0, 0*" SZREG "(sp)\n"
	"	" REG_L "	t0, 1*" SZREG "(sp)\n"
	"	" REG_L "	ra, 2*" SZREG "(sp)\n"
	"	addi	sp, sp, 4*" SZREG "\n"
	"	jr	t0\n"
	"	.size		ps_direct_tramp, .-ps_direct_tramp\n"
	"	.popsection\n");
#endif
