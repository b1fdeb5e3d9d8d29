// SPDX-License-Identifier: GPL-2.0
/*
 * Surviving a trap at a victim's ftrace site on x86_64.
 *
 * An invalid opcode in kernel mode that is no WARN/BUG goes
 * exc_invalid_op -> handle_invalid_op -> do_error_trap ->
 * notify_die(DIE_TRAP), where NOTIFY_STOP skips die().  A breakpoint
 * that no text_poke_bp() in flight (poke_int3_handler) and no kprobe
 * claims goes exc_int3 -> do_int3 -> notify_die(DIE_INT3), likewise: an
 * int3 left behind after a patch has finished.  At a victim's entry site
 * nothing has been pushed yet (endbr64, then the 5-byte fentry site), so
 * the notifier makes the victim return PS_TRAP_SENTINEL + offset to the
 * hammer, as a "ret" would: the hammer counts the trap with the bytes it
 * finds there (detect.c).  Traps anywhere else are left to the kernel.
 */
#include <linux/kdebug.h>
#include <linux/notifier.h>
#include <linux/ptrace.h>
#include <asm/trapnr.h>
#include "patchstorm.h"
#include "arch/arch.h"

/* endbr64 (4) + the fentry site (5) */
#define PS_X86_SITE_END		9

static int ps_x86_die(struct notifier_block *nb, unsigned long val,
		      void *data)
{
	struct die_args *args = data;
	struct pt_regs *regs = args->regs;
	unsigned long ip, off;
	unsigned int i;

	if (user_mode(regs))
		return NOTIFY_DONE;
	if (val == DIE_TRAP && args->trapnr == X86_TRAP_UD)
		ip = regs->ip;
	else if (val == DIE_INT3 && args->trapnr == X86_TRAP_BP)
		ip = regs->ip - 1;	/* #BP reports the byte after int3 */
	else
		return NOTIFY_DONE;
	for (i = 0; i < ps_nr_victims; i++) {
		off = ip - (unsigned long)ps_victims[i].fn;
		if (off >= PS_X86_SITE_END)
			continue;
		regs->ax = PS_TRAP_SENTINEL + off;
		regs->ip = *(unsigned long *)regs->sp;
		regs->sp += sizeof(unsigned long);
		return NOTIFY_STOP;
	}
	return NOTIFY_DONE;
}

static struct notifier_block ps_x86_die_nb = {
	.notifier_call = ps_x86_die,
};

int ps_arch_trap_init(void)
{
	return register_die_notifier(&ps_x86_die_nb);
}

void ps_arch_trap_exit(void)
{
	unregister_die_notifier(&ps_x86_die_nb);
}
