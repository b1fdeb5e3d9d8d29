// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 specifics (6.12, DYNAMIC_FTRACE_WITH_ARGS + CALL_OPS).  Every
 * function starts with two patchable instructions (after "bti c" where
 * BTI is built in): "mov x9, x30", written once when ftrace first sees
 * the site, then nop <-> "bl ftrace_caller" (or the module's ftrace
 * PLT); before them an 8-byte ftrace_ops literal.  ftrace and jump
 * labels write one instruction with aarch64_insn_patch_text_nosync()
 * while other CPUs run it, without stop_machine: the architecture lets
 * B, BL, NOP and BRK be rewritten while they execute (each CPU then runs
 * the old or the new one, never a mix).
 * kprobes write BRK through aarch64_insn_patch_text(), under
 * stop_machine.  There is no KPROBES_ON_FTRACE, so kprobes go past the
 * ftrace site.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <asm/cacheflush.h>
#include <asm/ftrace.h>
#include "lib/lib.h"
#include "arch/arch.h"

#define PS_A64_INSN		4
#define PS_A64_FTRACE_SITE	8
#define PS_A64_KPROBE_TRIES	4
#define PS_A64_BTI_C		0xd503245fU

const struct ps_arch_info ps_arch = {
	.name = "arm64",
	.syscall_prefix = "__arm64_sys_",
	.insn_align = 4,
	.pre_entry = IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS) ? 8 : 0,
	/* see arm64_trap.c: neither can be survived on 6.12 */
	.catches_traps = false,
	.catches_breaks = false,
	.ftrace_per_ops = IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS),
	/* udf #0, and BRK #KPROBES_BRK_IMM: what the refused modes would write */
	.illegal_poke = { 0, 4, { 0, 0, 0, 0 } },
	.break_poke = { 4, 4, { 0x80, 0x00, 0x20, 0xd4 } },
	/* b . in the nop's place */
	.self_loop_poke = { 4, 4, { 0x00, 0x00, 0x00, 0x14 } },
};

/* a function nothing traces: the flush prober's address range */
static unsigned long ps_a64_quiet;

/* The ftrace site: the function's entry, or just past its "bti c". */
static unsigned long ps_a64_site(unsigned long func)
{
	u32 insn;

	if (!copy_from_kernel_nofault(&insn, (void *)func, sizeof(insn)) &&
	    insn == PS_A64_BTI_C)
		return func + PS_A64_INSN;
	return func;
}

/*
 * The first instruction past the ftrace site that takes a kprobe: the
 * one right after it may be a jump label site (a static branch compiled
 * first), where kprobes are refused.
 */
int ps_arch_kprobe_offset(unsigned long addr)
{
	unsigned int off = 0, i;

	if (ps_is_ftrace_site(addr))
		off = ps_a64_site(addr) - addr + PS_A64_FTRACE_SITE;
	for (i = 0; i < PS_A64_KPROBE_TRIES; i++) {
		if (!ps_kprobe_fits(addr + off))
			return off;
		off += PS_A64_INSN;
	}
	return off;
}

int ps_arch_init(unsigned long quiet_func)
{
	ps_a64_quiet = quiet_func;
	return ps_arch_trap_init();
}

void ps_arch_exit(void)
{
	ps_arch_trap_exit();
}

int ps_arch_caps_show(char *buf, size_t len)
{
	return scnprintf(buf, len,
			 "ftrace_site_bytes=%d\nftrace_ops_literal=%d\nftrace_patch=nosync\nkprobe_patch=stop_machine\njump_label_patch=nosync\nbti=%d\n",
			 PS_A64_FTRACE_SITE,
			 IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS),
			 IS_ENABLED(CONFIG_ARM64_BTI_KERNEL));
}

bool ps_arch_ftrace_site(unsigned long func, unsigned long *addr,
			 unsigned int *len)
{
	if (!ps_is_ftrace_site(func))
		return false;
	*addr = ps_a64_site(func);
	*len = PS_A64_FTRACE_SITE;
	return true;
}

/* ftrace_rec_set_ops(): ALIGN_DOWN(rec->ip - 12, 8), rec->ip the bl */
bool ps_arch_ftrace_ops_slot(unsigned long func, unsigned long *slot)
{
	if (!IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS))
		return false;
	*slot = ALIGN_DOWN(ps_a64_site(func) + PS_A64_INSN - 12, 8);
	return true;
}

unsigned int ps_arch_kprobe_site_len(unsigned long addr)
{
	return PS_A64_INSN;
}

unsigned int ps_arch_jump_site_len(unsigned long addr)
{
	return PS_A64_INSN;
}

/* one aligned 4-byte load per instruction, as the fetch would */
void ps_arch_read_site(unsigned long addr, unsigned int len, u8 *buf)
{
	unsigned int i;

	for (i = 0; i + PS_A64_INSN <= len; i += PS_A64_INSN) {
		u32 w = READ_ONCE(*(u32 *)(addr + i));

		memcpy(buf + i, &w, PS_A64_INSN);
	}
}

/*
 * A bl from the module's text to ftrace_caller may not reach: it goes
 * through the module's ftrace PLT (get_ftrace_plt()).
 */
unsigned int ps_arch_ftrace_dests(unsigned long *dests, unsigned int max)
{
	if (!max || !THIS_MODULE->arch.ftrace_trampolines)
		return 0;
	dests[0] = (unsigned long)&THIS_MODULE->arch.ftrace_trampolines[FTRACE_PLT_IDX];
	return 1;
}

unsigned int ps_arch_stop_machine_sites(void)
{
	return BIT(PS_SITE_KPROBE);
}

bool ps_arch_ftrace_call(unsigned long addr, unsigned long dest,
			 const u8 *orig, u8 *out)
{
	return ps_arm64_call(addr, dest, orig, out);
}

bool ps_arch_dest(int kind, const u8 *cur, unsigned int len,
		  unsigned long addr, unsigned long *dest)
{
	u64 d;

	if (!ps_arm64_dest(kind, cur, addr, &d))
		return false;
	*dest = d;
	return true;
}

int ps_arch_classify(int kind, const u8 *cur, const u8 *orig,
		     unsigned int len)
{
	return ps_arm64_classify(kind, cur, orig, len);
}

/*
 * flush_icache_range(): clean and invalidate to the point of unification
 * (broadcast to the inner-shareable domain), then kick_all_cpus_sync(),
 * an IPI that makes every CPU take a context synchronization event.  On
 * the quiet function's site, which no storm rewrites.
 */
bool ps_arch_can_flush(void)
{
	return true;
}

void ps_arch_flush(void)
{
	unsigned long site = ps_a64_site(ps_a64_quiet);

	flush_icache_range(site, site + PS_A64_FTRACE_SITE);
}

/*
 * aarch64_insn_patch_text_nosync() is not exported; found by name.  It
 * writes one instruction through the fixmap and cleans it to the PoU,
 * with no stop_machine and no IPI.
 */
typedef int (*ps_a64_patch_fn)(void *addr, u32 insn);
static ps_a64_patch_fn ps_a64_patch;

bool ps_arch_can_poke(void)
{
	if (!ps_a64_patch)
		ps_a64_patch = (ps_a64_patch_fn)ps_symbol_addr("aarch64_insn_patch_text_nosync");
	return ps_a64_patch;
}

int ps_arch_poke_locked(unsigned long addr, const void *bytes, size_t len)
{
	unsigned int i;
	u32 insn;
	int ret;

	if ((addr | len) & (PS_A64_INSN - 1))
		return -EINVAL;
	for (i = 0; i < len; i += PS_A64_INSN) {
		memcpy(&insn, (const u8 *)bytes + i, sizeof(insn));
		ret = ps_a64_patch((void *)(addr + i), insn);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * A single instruction cannot tear, so both states are written whole:
 * nop over "mov x9, x30" beside a bl (the compiled nop pair's half
 * beside an enabled site's: mixed), then udf #0 in the nop's place (no
 * legal encoding: torn).  The bl's target is the bl itself; nobody
 * calls the cold victim.
 */
static const struct ps_poke ps_a64_torn_pokes[PS_TORN_POKES] = {
	{ 0, 8, { 0x1f, 0x20, 0x03, 0xd5, 0x00, 0x00, 0x00, 0x94 } },
	{ 4, 4, { 0x00, 0x00, 0x00, 0x00 } },
};

const struct ps_poke *ps_arch_torn_pokes(const u8 *orig)
{
	return ps_a64_torn_pokes;
}
