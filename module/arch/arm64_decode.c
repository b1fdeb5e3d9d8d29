// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 patch-site decoder.  Every A64 instruction is 4 bytes, aligned,
 * and each patch writes one whole instruction with one store
 * (aarch64_insn_patch_text_nosync), so a site is never legally half
 * written: there are no transient states, and a read that is neither
 * state is torn.
 * ftrace (8 bytes, patchable-function-entry=2 at entry): "mov x9, x30"
 * (written once when ftrace first sees the site) then nop when off, a
 * bl to ftrace_caller or to the module's ftrace PLT when on.  A nop
 * where the mov belongs beside a bl mixes the boot-time pair with an
 * enabled one: a mixed pair.  A kprobe may sit on the mov (the kernel
 * takes one at +0, which is not the ftrace location): its BRK there is
 * legal in both states.
 * kprobe (4 bytes): the original instruction, or BRK #KPROBES_BRK_IMM.
 * jump label (4 bytes): nop when off, b (any offset) when on.
 */
#include "tables/decode.h"

#define A64_NOP		0xd503201fU
#define A64_MOV_X9_LR	0xaa1e03e9U	/* orr x9, xzr, x30 */
#define A64_BRK_KPROBES	0xd4200080U	/* brk #0x004 */
#define A64_BRANCH_MASK	0xfc000000U	/* b and bl: opcode, imm26 */
#define A64_BL		0x94000000U
#define A64_B		0x14000000U

static u32 ps_a64_word(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static enum ps_site_class ps_a64_ftrace(u32 w0, u32 w1)
{
	int bl = (w1 & A64_BRANCH_MASK) == A64_BL;

	if (w0 == A64_MOV_X9_LR || w0 == A64_BRK_KPROBES) {
		if (w1 == A64_NOP)
			return PS_CLASS_OFF;
		return bl ? PS_CLASS_ON : PS_CLASS_TORN;
	}
	if (w0 == A64_NOP && bl)
		return PS_CLASS_MIXED;
	return PS_CLASS_TORN;
}

enum ps_site_class ps_arm64_classify(enum ps_site_kind kind, const u8 *cur,
				     const u8 *orig, unsigned int len)
{
	u32 w;

	if (!len || len & 3)
		return PS_CLASS_TORN;
	w = ps_a64_word(cur);
	switch (kind) {
	case PS_SITE_FTRACE:
		if (len != 8)
			return PS_CLASS_TORN;
		return ps_a64_ftrace(w, ps_a64_word(cur + 4));
	case PS_SITE_KPROBE:
		if (len != 4)
			return PS_CLASS_TORN;
		if (w == ps_a64_word(orig))
			return PS_CLASS_OFF;
		return w == A64_BRK_KPROBES ? PS_CLASS_ON : PS_CLASS_TORN;
	case PS_SITE_JUMP:
		if (len != 4)
			return PS_CLASS_TORN;
		if (w == A64_NOP)
			return PS_CLASS_OFF;
		return (w & A64_BRANCH_MASK) == A64_B ? PS_CLASS_ON : PS_CLASS_TORN;
	default:
		return PS_CLASS_TORN;
	}
}

/* b or bl at @pc: imm26, in words, sign-extended */
static u64 ps_a64_branch_dest(u32 w, u64 pc)
{
	u64 off = (u64)(w & 0x03ffffffU) << 2;

	return pc + ((off ^ (1ULL << 27)) - (1ULL << 27));
}

int ps_arm64_dest(enum ps_site_kind kind, const u8 *cur, u64 addr, u64 *dest)
{
	u32 w;

	switch (kind) {
	case PS_SITE_FTRACE:
		/* the bl is the site's second instruction */
		w = ps_a64_word(cur + 4);
		if ((w & A64_BRANCH_MASK) != A64_BL)
			return 0;
		*dest = ps_a64_branch_dest(w, addr + 4);
		return 1;
	case PS_SITE_JUMP:
		w = ps_a64_word(cur);
		if ((w & A64_BRANCH_MASK) != A64_B)
			return 0;
		*dest = ps_a64_branch_dest(w, addr);
		return 1;
	default:
		return 0;
	}
}

int ps_arm64_call(u64 addr, u64 dest, const u8 *orig, u8 *out)
{
	u64 off = dest - (addr + 4);
	u32 bl;
	unsigned int i;

	if ((off & 3) || off + (1ULL << 27) >= (1ULL << 28))
		return 0;
	bl = A64_BL | ((off >> 2) & 0x03ffffffU);
	for (i = 0; i < 4; i++) {
		out[i] = orig[i];
		out[4 + i] = bl >> (8 * i);
	}
	return 1;
}
