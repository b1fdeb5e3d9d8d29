// SPDX-License-Identifier: GPL-2.0
/*
 * riscv patch-site decoder.
 *
 * ftrace (8 bytes at function entry): off is two 4-byte nops (or the
 * compiler's four c.nops before ftrace first touches the site), on is
 * "auipc t0, hi; jalr t0, lo(t0)".  On 6.12 both words change together
 * under stop_machine, so nop + jalr or auipc + nop is a mixed pair; from
 * 6.16 the auipc written at init stays and only nop <-> jalr flips, so
 * that auipc + nop is off.
 * kprobe: the original instruction, or ebreak / c.ebreak.
 * jump label (4 bytes): nop or "jal x0, off".
 */
#include "tables/decode.h"

#define RV_NOP4		0x00000013U
#define RV_CNOP		0x0001U
#define RV_EBREAK	0x00100073U
#define RV_CEBREAK	0x9002U

static u32 ps_rv_word(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static u16 ps_rv_half(const u8 *p)
{
	return p[0] | p[1] << 8;
}

/* auipc t0, any */
static int ps_rv_is_auipc_t0(u32 w)
{
	return (w & 0xfff) == 0x297;
}

/* jalr t0, any(t0) */
static int ps_rv_is_jalr_t0(u32 w)
{
	return (w & 0xfffff) == 0x282e7;
}

/* jal x0, any */
static int ps_rv_is_j(u32 w)
{
	return (w & 0xfff) == 0x06f;
}

static int ps_rv_is_cnops(const u8 *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i += 2)
		if (ps_rv_half(p + i) != RV_CNOP)
			return 0;
	return 1;
}

/*
 * 6.16+: the auipc is the one ftrace wrote at init and never changes, so
 * it must be @orig's; only the second word flips, nop <-> jalr.  A nop or
 * a jalr where the auipc belongs is half of a 6.12 pair: mixed.
 */
static enum ps_site_class ps_rv_ftrace_fixed(const u8 *cur, const u8 *orig)
{
	u32 w0 = ps_rv_word(cur), w1 = ps_rv_word(cur + 4);

	if (w0 == ps_rv_word(orig)) {
		if (w1 == RV_NOP4)
			return PS_CLASS_OFF;
		return ps_rv_is_jalr_t0(w1) ? PS_CLASS_ON : PS_CLASS_TORN;
	}
	if ((w0 == RV_NOP4 || ps_rv_is_auipc_t0(w0)) &&
	    (w1 == RV_NOP4 || ps_rv_is_jalr_t0(w1)))
		return PS_CLASS_MIXED;
	return PS_CLASS_TORN;
}

static enum ps_site_class ps_rv_ftrace(const u8 *cur, const u8 *orig,
				       enum ps_riscv_regime regime)
{
	u32 w0 = ps_rv_word(cur), w1 = ps_rv_word(cur + 4);
	int nop0 = w0 == RV_NOP4, nop1 = w1 == RV_NOP4;
	int auipc = ps_rv_is_auipc_t0(w0), jalr = ps_rv_is_jalr_t0(w1);

	if (regime == PS_RISCV_AUIPC_FIXED)
		return ps_rv_ftrace_fixed(cur, orig);
	if (ps_rv_is_cnops(cur, 8))
		return PS_CLASS_OFF;
	if (auipc && jalr)
		return PS_CLASS_ON;
	if (nop0 && nop1)
		return PS_CLASS_OFF;
	if ((nop0 || ps_rv_is_cnops(cur, 4)) && jalr)
		return PS_CLASS_MIXED;
	if (auipc && (nop1 || ps_rv_is_cnops(cur + 4, 4)))
		return PS_CLASS_MIXED;
	return PS_CLASS_TORN;
}

static enum ps_site_class ps_rv_kprobe(const u8 *cur, const u8 *orig,
				       unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len && cur[i] == orig[i]; i++)
		;
	if (i == len)
		return PS_CLASS_OFF;
	if (len == 2)
		return ps_rv_half(cur) == RV_CEBREAK ? PS_CLASS_ON :
						       PS_CLASS_TORN;
	if (ps_rv_word(cur) == RV_EBREAK)
		return PS_CLASS_ON;
	/* one half of ebreak over one half of the original instruction */
	if ((ps_rv_half(cur) == (RV_EBREAK & 0xffff) &&
	     ps_rv_half(cur + 2) == ps_rv_half(orig + 2)) ||
	    (ps_rv_half(cur) == ps_rv_half(orig) &&
	     ps_rv_half(cur + 2) == RV_EBREAK >> 16))
		return PS_CLASS_MIXED;
	return PS_CLASS_TORN;
}

static enum ps_site_class ps_rv_jump(const u8 *cur)
{
	u32 w = ps_rv_word(cur);

	if (w == RV_NOP4)
		return PS_CLASS_OFF;
	/* "j ." would be the low parcel of a jump over the high one of nop */
	if (ps_rv_is_j(w) && (w >> 16))
		return PS_CLASS_ON;
	if (ps_rv_half(cur) == (RV_NOP4 & 0xffff) ||
	    ps_rv_half(cur + 2) == RV_NOP4 >> 16)
		return PS_CLASS_MIXED;
	return PS_CLASS_TORN;
}

enum ps_site_class ps_riscv_classify(enum ps_site_kind kind, const u8 *cur,
				     const u8 *orig, unsigned int len,
				     enum ps_riscv_regime regime)
{
	switch (kind) {
	case PS_SITE_FTRACE:
		return len == 8 ? ps_rv_ftrace(cur, orig, regime) : PS_CLASS_TORN;
	case PS_SITE_KPROBE:
		return ps_rv_kprobe(cur, orig, len);
	case PS_SITE_JUMP:
		return len == 4 ? ps_rv_jump(cur) : PS_CLASS_TORN;
	default:
		return PS_CLASS_TORN;
	}
}

static u64 ps_rv_sext(u64 v, unsigned int bits)
{
	return (v ^ (1ULL << (bits - 1))) - (1ULL << (bits - 1));
}

int ps_riscv_dest(enum ps_site_kind kind, const u8 *cur, u64 addr, u64 *dest)
{
	u32 w0 = ps_rv_word(cur), w1, imm;

	switch (kind) {
	case PS_SITE_FTRACE:
		/* auipc t0, hi20 at @addr; jalr t0, lo12(t0) after it */
		w1 = ps_rv_word(cur + 4);
		if (!ps_rv_is_auipc_t0(w0) || !ps_rv_is_jalr_t0(w1))
			return 0;
		*dest = addr + ps_rv_sext(w0 & 0xfffff000U, 32) +
			ps_rv_sext(w1 >> 20, 12);
		return 1;
	case PS_SITE_JUMP:
		if (!ps_rv_is_j(w0) || !(w0 >> 16))
			return 0;
		/* J-type: imm[20|10:1|11|19:12] in bits 31|30:21|20|19:12 */
		imm = (w0 >> 31) << 20 | ((w0 >> 21) & 0x3ff) << 1 |
		      ((w0 >> 20) & 1) << 11 | ((w0 >> 12) & 0xff) << 12;
		*dest = addr + ps_rv_sext(imm, 21);
		return 1;
	default:
		return 0;
	}
}

static void ps_rv_put(u8 *p, u32 w)
{
	p[0] = w;
	p[1] = w >> 8;
	p[2] = w >> 16;
	p[3] = w >> 24;
}

int ps_riscv_call(u64 addr, u64 dest, const u8 *orig,
		  enum ps_riscv_regime regime, u8 *out)
{
	u64 off = dest - addr, hi, lo;

	if (regime == PS_RISCV_AUIPC_FIXED) {
		/* the auipc stays: only the jalr's offset can aim */
		hi = ps_rv_sext(ps_rv_word(orig) & 0xfffff000U, 32);
		lo = off - hi;
		if (lo + 0x800 >= 0x1000)
			return 0;
		ps_rv_put(out, ps_rv_word(orig));
	} else {
		if (off + 0x80000000ULL >= 0x100000000ULL)
			return 0;
		hi = (off + 0x800) & ~0xfffULL;
		lo = off - hi;
		ps_rv_put(out, ((u32)hi & 0xfffff000U) | 0x297);
	}
	ps_rv_put(out + 4, ((u32)lo & 0xfff) << 20 | 0x282e7);
	return 1;
}
