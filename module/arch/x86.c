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
#include "lib/lib.h"
#include "arch/arch.h"

#define PS_X86_CALL_BYTES	5

const struct ps_arch_info ps_arch = {
	.name = "x86_64",
	.syscall_prefix = "__x64_sys_",
	.insn_align = 1,
#ifdef CONFIG_CALL_PADDING
	.pre_entry = CONFIG_FUNCTION_PADDING_BYTES,
#endif
	/* see x86_trap.c */
	.catches_traps = true,
	.catches_breaks = true,
	.ftrace_per_ops = true,
	.async_sites = IS_ENABLED(CONFIG_OPTPROBES) ? BIT(PS_SITE_KPROBE) : 0,
	/* ud2 over the head of the fentry site */
	.illegal_poke = { 0, 2, { 0x0f, 0x0b } },
	/* a lone int3 there, no text_poke_bp() behind it */
	.break_poke = { 0, 1, { 0xcc } },
	/* jmp . (eb fe) over the nop5's head */
	.self_loop_poke = { 0, 2, { 0xeb, 0xfe } },
};

int ps_arch_init(unsigned long quiet_func)
{
	return ps_arch_trap_init();
}

void ps_arch_exit(void)
{
	ps_arch_trap_exit();
}

/*
 * An endbr64 before the fentry call, or what objtool sealed it into in
 * functions never called indirectly (ENDBR_POISON, "osp nopl (%rax)"):
 * either way the call is 4 bytes in, as is_endbr() says in the kernel.
 */
static bool ps_x86_has_endbr(unsigned long addr)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const u8 sealed[] = { 0x66, 0x0f, 0x1f, 0x00 };
	u8 insn[sizeof(endbr64)];

	if (copy_from_kernel_nofault(insn, (void *)addr, sizeof(insn)))
		return false;
	return !memcmp(insn, endbr64, sizeof(insn)) ||
	       !memcmp(insn, sealed, sizeof(insn));
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

bool ps_arch_ftrace_site(unsigned long func, unsigned long *addr,
			 unsigned int *len)
{
	if (!ps_is_ftrace_site(func))
		return false;
	*addr = func + (ps_x86_has_endbr(func) ? 4 : 0);
	*len = PS_X86_CALL_BYTES;
	return true;
}

/* int3 goes on the first byte; the rest stays unless the probe is optimized */
/* x86 finds the ops through per-ops trampolines, not a literal */
bool ps_arch_ftrace_ops_slot(unsigned long func, unsigned long *slot)
{
	return false;
}

unsigned int ps_arch_kprobe_site_len(unsigned long addr)
{
	return 1;
}

/* The assembler picked a 2-byte or a 5-byte jump; the nop keeps its size. */
unsigned int ps_arch_jump_site_len(unsigned long addr)
{
	u8 b[2];

	if (copy_from_kernel_nofault(b, (void *)addr, 2))
		return 5;
	return b[0] == 0xeb || (b[0] == 0x66 && b[1] == 0x90) ? 2 : 5;
}

/*
 * Aligned 8-byte loads covering the site.  A site across two of them is
 * read head, tail, head again, until the head holds still: text_poke_bp
 * writes int3 on the head before it touches the tail, so a stable head
 * with the tail read between is one state, not two.
 */
void ps_arch_read_site(unsigned long addr, unsigned int len, u8 *buf)
{
	unsigned long base = addr & ~7UL;
	unsigned int off = addr - base, tries = 0;
	u64 w[2], again;

	do {
		w[0] = READ_ONCE(*(u64 *)base);
		if (off + len <= 8)
			break;
		w[1] = READ_ONCE(*(u64 *)(base + 8));
		again = READ_ONCE(*(u64 *)base);
	} while (again != w[0] && ++tries < 16);
	memcpy(buf, (u8 *)w + off, len);
}

unsigned int ps_arch_ftrace_dests(unsigned long *dests, unsigned int max)
{
	return 0;
}

/* text_poke_bp() syncs with IPIs, never with stop_machine() */
unsigned int ps_arch_stop_machine_sites(void)
{
	return 0;
}

bool ps_arch_ftrace_call(unsigned long addr, unsigned long dest,
			 const u8 *orig, u8 *out)
{
	return ps_x86_call(addr, dest, out);
}

bool ps_arch_dest(int kind, const u8 *cur, unsigned int len,
		  unsigned long addr, unsigned long *dest)
{
	u64 d;

	if (!ps_x86_dest(kind, cur, len, addr, &d))
		return false;
	*dest = d;
	return true;
}

int ps_arch_classify(int kind, const u8 *cur, const u8 *orig,
		     unsigned int len)
{
	return ps_x86_classify(kind, cur, orig, len);
}

/*
 * text_poke_sync() (an IPI that runs sync_core() on every CPU, as
 * text_poke_bp() does between its steps) is not exported; found by name.
 * Since 6.16 it is smp_text_poke_sync_each_cpu().
 */
static void (*ps_x86_sync)(void);

bool ps_arch_can_flush(void)
{
	if (!ps_x86_sync)
		ps_x86_sync = (void (*)(void))ps_symbol_addr("text_poke_sync");
	if (!ps_x86_sync)
		ps_x86_sync = (void (*)(void))
			ps_symbol_addr("smp_text_poke_sync_each_cpu");
	return ps_x86_sync;
}

void ps_arch_flush(void)
{
	ps_x86_sync();
}

/*
 * text_poke() is not exported; found by name.  It writes through a
 * temporary mapping; without text_poke_sync() and without the int3
 * protocol of text_poke_bp() other CPUs see whatever bytes land.
 */
typedef void *(*ps_x86_poke_fn)(void *addr, const void *opcode, size_t len);
static ps_x86_poke_fn ps_x86_poke;

bool ps_arch_can_poke(void)
{
	if (!ps_x86_poke)
		ps_x86_poke = (ps_x86_poke_fn)ps_symbol_addr("text_poke");
	return ps_x86_poke;
}

int ps_arch_poke_locked(unsigned long addr, const void *bytes, size_t len)
{
	ps_x86_poke((void *)addr, bytes, len);
	return 0;
}

/* call's opcode over nop5's head (a mixed pair); then no instruction at all */
static const struct ps_poke ps_x86_torn_pokes[PS_TORN_POKES] = {
	{ 0, 1, { 0xe8 } },
	{ 0, 2, { 0x90, 0x90 } },
};

const struct ps_poke *ps_arch_torn_pokes(const u8 *orig)
{
	return ps_x86_torn_pokes;
}
