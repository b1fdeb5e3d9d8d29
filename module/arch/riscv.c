// SPDX-License-Identifier: GPL-2.0
/*
 * riscv specifics.  On 6.12 an ftrace site is 8 bytes at function entry
 * (two 4-byte nops when off, auipc t0 + jalr t0 when on) rewritten under
 * stop_machine; kprobes write ebreak/c.ebreak through patch_text, also
 * under stop_machine; jump labels rewrite one 4-byte nop <-> jal with
 * patch_insn_write() and flush_icache_all(), without stop_machine.
 * There is no KPROBES_ON_FTRACE, so a kprobe cannot sit at +0 of a
 * traceable function: it goes just past the ftrace site.
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <asm/cacheflush.h>
#include "lib/lib.h"
#include "arch/arch.h"

#define PS_RISCV_FTRACE_SITE	8
#define PS_RISCV_KPROBE_TRIES	4

const struct ps_arch_info ps_arch = {
	.name = "riscv64",
	.syscall_prefix = "__riscv_sys_",
	.insn_align = 2,
	.pre_entry = IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS) ? 8 : 0,
	/* see riscv_trap.c */
	.catches_traps = true,
	.catches_breaks = false,
	.ftrace_per_ops = IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS),
	/* c.unimp (all zeros) over the site's first word */
	.illegal_poke = { 0, 4, { 0, 0, 0, 0 } },
	/* c.ebreak: refused (catches_breaks) */
	.break_poke = { 0, 2, { 0x02, 0x90 } },
	/* j . */
	.self_loop_poke = { 0, 4, { 0x6f, 0x00, 0x00, 0x00 } },
};

/* decided once per kernel, at init (ps_arch_init) */
static enum ps_riscv_regime ps_rv_regime;

/* Length of the instruction at @p: 2 if compressed (low bits not 11). */
static unsigned int ps_riscv_insn_len(unsigned long p)
{
	return (*(u16 *)p & 3) == 3 ? 4 : 2;
}

/*
 * The first instruction past the ftrace site that takes a kprobe: the
 * one right after it may be a jump label site (a static branch compiled
 * first), where kprobes are refused.
 */
int ps_arch_kprobe_offset(unsigned long addr)
{
	unsigned int off, i;

	off = ps_is_ftrace_site(addr) ? PS_RISCV_FTRACE_SITE : 0;
	for (i = 0; i < PS_RISCV_KPROBE_TRIES; i++) {
		if (!ps_kprobe_fits(addr + off))
			return off;
		off += ps_riscv_insn_len(addr + off);
	}
	return off;
}

/*
 * From 6.16 the auipc is written when ftrace first sees a site and
 * stays: an untouched site whose bytes start with auipc t0 is of that
 * regime.  Decided once, on a function nothing traces, not per site: a
 * 6.12 site that is already on at the start of a storm starts with
 * auipc too.
 */
int ps_arch_init(unsigned long quiet_func)
{
	u32 w0;

	if (!copy_from_kernel_nofault(&w0, (void *)quiet_func, sizeof(w0)) &&
	    (w0 & 0xfff) == 0x297)
		ps_rv_regime = PS_RISCV_AUIPC_FIXED;
	else
		ps_rv_regime = PS_RISCV_PAIR;
	return ps_arch_trap_init();
}

void ps_arch_exit(void)
{
	ps_arch_trap_exit();
}

int ps_arch_caps_show(char *buf, size_t len)
{
	bool fixed = ps_rv_regime == PS_RISCV_AUIPC_FIXED;

	return scnprintf(buf, len,
			 "ftrace_site_bytes=%d\nftrace_regime=%s\nftrace_ops_literal=%d\nftrace_patch=%s\nkprobe_patch=stop_machine\njump_label_patch=nosync+flush_icache_all\nkprobe_default_offset=%d\n",
			 PS_RISCV_FTRACE_SITE,
			 fixed ? "auipc-fixed" : "pair",
			 IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS),
			 fixed ? "jalr<->nop,nosync+flush_icache_all" :
				 "stop_machine",
			 PS_RISCV_FTRACE_SITE);
}

bool ps_arch_ftrace_site(unsigned long func, unsigned long *addr,
			 unsigned int *len)
{
	if (!ps_is_ftrace_site(func))
		return false;
	*addr = func;
	*len = PS_RISCV_FTRACE_SITE;
	return true;
}

/*
 * CALL_OPS (6.16+): ftrace_rec_set_ops() writes the ops pointer at
 * ALIGN_DOWN(rec->ip - 12, 8), rec->ip being the jalr at func + 4.
 */
bool ps_arch_ftrace_ops_slot(unsigned long func, unsigned long *slot)
{
	if (!IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS))
		return false;
	*slot = ALIGN_DOWN(func - 8, 8);
	return true;
}

unsigned int ps_arch_kprobe_site_len(unsigned long addr)
{
	return ps_riscv_insn_len(addr);
}

unsigned int ps_arch_jump_site_len(unsigned long addr)
{
	return 4;
}

/*
 * As the instruction fetch would: 4-byte loads where the site is 4-byte
 * aligned, 2-byte parcels where it is not.
 */
void ps_arch_read_site(unsigned long addr, unsigned int len, u8 *buf)
{
	unsigned int i;

	if (!(addr & 3) && !(len & 3)) {
		for (i = 0; i < len; i += 4) {
			u32 w = READ_ONCE(*(u32 *)(addr + i));

			memcpy(buf + i, &w, 4);
		}
		return;
	}
	for (i = 0; i < len; i += 2) {
		u16 h = READ_ONCE(*(u16 *)(addr + i));

		memcpy(buf + i, &h, 2);
	}
}

unsigned int ps_arch_ftrace_dests(unsigned long *dests, unsigned int max)
{
	return 0;
}

unsigned int ps_arch_stop_machine_sites(void)
{
	return BIT(PS_SITE_KPROBE) |
	       (ps_rv_regime == PS_RISCV_PAIR ? BIT(PS_SITE_FTRACE) : 0);
}

bool ps_arch_ftrace_call(unsigned long addr, unsigned long dest,
			 const u8 *orig, u8 *out)
{
	return ps_riscv_call(addr, dest, orig, ps_rv_regime, out);
}

bool ps_arch_dest(int kind, const u8 *cur, unsigned int len,
		  unsigned long addr, unsigned long *dest)
{
	u64 d;

	if (!ps_riscv_dest(kind, cur, addr, &d))
		return false;
	*dest = d;
	return true;
}

int ps_arch_classify(int kind, const u8 *cur, const u8 *orig,
		     unsigned int len)
{
	return ps_riscv_classify(kind, cur, orig, len, ps_rv_regime);
}

/* exported: a remote fence.i on every hart */
bool ps_arch_can_flush(void)
{
	return true;
}

void ps_arch_flush(void)
{
	flush_icache_all();
}

/*
 * patch_text_nosync() is not exported; found by name.  Its writes go
 * straight to the text: no stop_machine, no waiting CPUs.
 */
typedef int (*ps_riscv_patch_fn)(void *addr, const void *insns, size_t len);
static ps_riscv_patch_fn ps_riscv_patch;

bool ps_arch_can_poke(void)
{
	if (!ps_riscv_patch)
		ps_riscv_patch = (ps_riscv_patch_fn)ps_symbol_addr("patch_text_nosync");
	return ps_riscv_patch;
}

int ps_arch_poke_locked(unsigned long addr, const void *bytes, size_t len)
{
	return ps_riscv_patch((void *)addr, bytes, len);
}

/*
 * 6.12: auipc t0, 0 over the first nop (a mixed pair); then the low
 * parcel of jalr over the second nop (no instruction).  6.16+: a nop over
 * the fixed auipc (the pair's nop half beside this regime's: mixed); then
 * the same half jalr.
 */
static const struct ps_poke ps_riscv_torn_pokes[2][PS_TORN_POKES] = {
	[PS_RISCV_PAIR] = {
		{ 0, 4, { 0x97, 0x02, 0x00, 0x00 } },
		{ 4, 2, { 0xe7, 0x82 } },
	},
	[PS_RISCV_AUIPC_FIXED] = {
		{ 0, 4, { 0x13, 0x00, 0x00, 0x00 } },
		{ 4, 2, { 0xe7, 0x82 } },
	},
};

const struct ps_poke *ps_arch_torn_pokes(const u8 *orig)
{
	return ps_riscv_torn_pokes[ps_rv_regime];
}
