// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace-direct strategy's trampoline (strategies/ftrace_direct.c):
 * what a patched ftrace site calls directly, with no ftrace_caller in
 * between.  It tells the strategy which function it came from (the
 * return address into it) and returns there.  Only the victims are
 * direct-call targets: their one argument (rdi) is all it keeps.
 */
#include <linux/linkage.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include "arch/arch.h"

#ifdef CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS
asm("	.pushsection	.text, \"ax\", @progbits\n"
	"	.type		ps_direct_tramp, @function\n"
	"	.globl		ps_direct_tramp\n"
	"ps_direct_tramp:\n"
	ASM_ENDBR
	"	pushq	%rbp\n"
	"	movq	%rsp, %rbp\n"
	CALL_DEPTH_ACCOUNT
	"	pushq	%rdi\n"
	"	movq	8(%rbp), %rdi\n"
	"	call	ps_direct_hit\n"
	"	popq	%rdi\n"
	"	leave\n"
	ASM_RET
	"	.size		ps_direct_tramp, .-ps_direct_tramp\n"
	"	.popsection\n");
#endif
