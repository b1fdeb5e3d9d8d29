// SPDX-License-Identifier: GPL-2.0
/*
 * x86_64 specifics.  ftrace sites are the 5-byte "call __fentry__" (nop5
 * when off), after a 4-byte endbr64 when IBT is built in; all text goes
 * through text_poke_bp (int3 first, sync, tail, sync, first byte, sync),
 * without stop_machine.  A kprobe at the fentry site would be ftrace
 * based (KPROBES_ON_FTRACE), so by default kprobes go on the instruction
 * after it, where they are real int3 breakpoints.
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include "../patchstorm.h"

#define PS_X86_CALL_BYTES	5

const char *const ps_arch_name = "x86_64";
const char *const ps_arch_syscall_prefix = "__x64_sys_";

static bool ps_x86_has_endbr(unsigned long addr)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	u8 insn[sizeof(endbr64)];

	if (copy_from_kernel_nofault(insn, (void *)addr, sizeof(insn)))
		return false;
	return !memcmp(insn, endbr64, sizeof(insn));
}

/*
 * The instruction after the fentry call, if it takes a kprobe; else the
 * fentry site itself (an ftrace-based probe).  Without an exported
 * instruction decoder the module cannot walk further: the instruction
 * after fentry may be a jump label (a static branch compiled first),
 * where kprobes are refused.
 */
int ps_arch_kprobe_offset(unsigned long addr)
{
	int pad = ps_x86_has_endbr(addr) ? 4 : 0;

	if (!ps_is_ftrace_site(addr))
		return pad;
	if (!ps_kprobe_fits(addr + pad + PS_X86_CALL_BYTES))
		return pad + PS_X86_CALL_BYTES;
	return pad;
}

int ps_arch_caps_show(char *buf, size_t len)
{
	return scnprintf(buf, len,
			 "ftrace_site_bytes=%d\nftrace_patch=text_poke_bp\nkprobe_patch=text_poke\njump_label_patch=text_poke_bp\nibt=%d\n",
			 PS_X86_CALL_BYTES, IS_ENABLED(CONFIG_X86_KERNEL_IBT));
}
