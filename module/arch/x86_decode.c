// SPDX-License-Identifier: GPL-2.0
/*
 * x86 patch-site decoder.  Every site goes through text_poke_bp: int3 on
 * the first byte, sync, the tail, sync, the new first byte, sync.  So a
 * site whose first byte is int3 is a legal intermediate (its tail may be
 * old, new or, as text_poke copies bytewise, partly both); anything else
 * must be a whole legal encoding.
 * ftrace (5 bytes): off is nop5 (0f 1f 44 00 00), on is call rel32 (e8).
 * kprobe: the original instruction, int3 on its first byte, or a jmp32
 * once the probe is optimized.
 * jump label: nop2 (66 90) or nop5 off, jmp8 (eb) or jmp32 (e9) on.
 */
#include "tables/decode.h"

#define X86_INT3	0xcc

static const u8 ps_x86_nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
static const u8 ps_x86_nop2[2] = { 0x66, 0x90 };

static int ps_x86_eq(const u8 *a, const u8 *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* a nop5 tail under another first byte: which state's halves met */
static enum ps_site_class ps_x86_five(const u8 *cur, u8 on_opcode)
{
	if (ps_x86_eq(cur, ps_x86_nop5, 5))
		return PS_CLASS_OFF;
	if (cur[0] == on_opcode)
		return ps_x86_eq(cur + 1, ps_x86_nop5 + 1, 4) ?
		       PS_CLASS_MIXED : PS_CLASS_ON;
	if (cur[0] == ps_x86_nop5[0])
		return PS_CLASS_MIXED;
	return PS_CLASS_TORN;
}

enum ps_site_class ps_x86_classify(enum ps_site_kind kind, const u8 *cur,
				   const u8 *orig, unsigned int len)
{
	if (!len)
		return PS_CLASS_TORN;
	switch (kind) {
	case PS_SITE_FTRACE:
		if (len != 5)
			return PS_CLASS_TORN;
		if (cur[0] == X86_INT3)
			return PS_CLASS_TRANSIENT;
		return ps_x86_five(cur, 0xe8);
	case PS_SITE_KPROBE:
		if (ps_x86_eq(cur, orig, len))
			return PS_CLASS_OFF;
		if (cur[0] == X86_INT3)
			return ps_x86_eq(cur + 1, orig + 1, len - 1) ?
			       PS_CLASS_ON : PS_CLASS_TRANSIENT;
		/* an optimized probe: a jump to its detour buffer */
		return cur[0] == 0xe9 ? PS_CLASS_ON : PS_CLASS_TORN;
	case PS_SITE_JUMP:
		if (cur[0] == X86_INT3)
			return PS_CLASS_TRANSIENT;
		if (len == 2) {
			if (ps_x86_eq(cur, ps_x86_nop2, 2))
				return PS_CLASS_OFF;
			return cur[0] == 0xeb ? PS_CLASS_ON : PS_CLASS_TORN;
		}
		if (len == 5)
			return ps_x86_five(cur, 0xe9);
		return PS_CLASS_TORN;
	default:
		return PS_CLASS_TORN;
	}
}

static u64 ps_x86_rel(const u8 *p, unsigned int n)
{
	u32 v = 0;
	unsigned int i;

	for (i = n; i--; )
		v = v << 8 | p[i];
	return n == 1 ? (u64)(long long)(signed char)v :
	       (u64)(long long)(int)v;
}

int ps_x86_dest(enum ps_site_kind kind, const u8 *cur, unsigned int len,
		u64 addr, u64 *dest)
{
	switch (kind) {
	case PS_SITE_FTRACE:
		if (len != 5 || cur[0] != 0xe8)
			return 0;
		*dest = addr + 5 + ps_x86_rel(cur + 1, 4);
		return 1;
	case PS_SITE_JUMP:
		if (len == 2 && cur[0] == 0xeb)
			*dest = addr + 2 + ps_x86_rel(cur + 1, 1);
		else if (len == 5 && cur[0] == 0xe9)
			*dest = addr + 5 + ps_x86_rel(cur + 1, 4);
		else
			return 0;
		return 1;
	default:
		return 0;
	}
}

int ps_x86_call(u64 addr, u64 dest, u8 *out)
{
	u64 rel = dest - addr - 5;
	unsigned int i;

	if (rel + 0x80000000ULL >= 0x100000000ULL)
		return 0;
	out[0] = 0xe8;
	for (i = 0; i < 4; i++)
		out[1 + i] = rel >> (8 * i);
	return 1;
}
