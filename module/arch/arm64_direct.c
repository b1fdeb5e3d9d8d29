// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace-direct strategy's trampoline (strategies/ftrace_direct.c):
 * what a patched ftrace site branches to directly when it is in range,
 * or what ftrace_caller branches to from the ops' direct_call.  On entry
 * x30 is the return address into the traced function and x9 that
 * function's own link register (the patched site's "mov x9, x30"): the
 * strategy is told which function x30 is in, and the trampoline returns
 * there with the function's x30 back.  Only the victims are direct-call
 * targets: their one argument (x0) is all it keeps.
 */
#include <linux/linkage.h>
#include "arch/arch.h"

#ifdef CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS
asm("	.pushsection	.text, \"ax\", @progbits\n"
	"	.type		ps_direct_tramp, @function\n"
	"	.globl		ps_direct_tramp\n"
	"ps_direct_tramp:\n"
	"	hint	34\n"	/* bti c */
	"	sub	sp, sp, #32\n"
	"	stp	x9, x30, [sp]\n"
	"	str	x0, [sp, #16]\n"
	"	mov	x0, x30\n"
	"	bl	ps_direct_hit\n"
	"	ldp	x30, x9, [sp]\n"
	"	ldr	x0, [sp, #16]\n"
	"	add	sp, sp, #32\n"
	"	ret	x9\n"
	"	.size		ps_direct_tramp, .-ps_direct_tramp\n"
	"	.popsection\n");
#endif
