/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Patch-site decoders: classify the bytes read at a patch site against
 * the legal encodings of that kind of site on this arch and kernel.
 * Pure functions (no kernel state), also built and unit-tested on the
 * host with real encodings (tests/unit/).
 */
#ifndef _PATCHSTORM_DECODE_H
#define _PATCHSTORM_DECODE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
#endif

enum ps_site_kind {
	PS_SITE_FTRACE,		/* a function's ftrace call site */
	PS_SITE_KPROBE,		/* the instruction a kprobe replaces */
	PS_SITE_JUMP,		/* a static key's jump label */
	PS_SITE_OPS,		/* a call site's ftrace_ops literal (CALL_OPS) */
	PS_NR_SITE_KINDS,
};

enum ps_site_class {
	PS_CLASS_OFF,		/* the site's "off" encoding */
	PS_CLASS_ON,		/* the site's "on" encoding */
	PS_CLASS_TRANSIENT,	/* a documented intermediate state */
	PS_CLASS_MIXED,		/* halves of two legal states */
	PS_CLASS_TORN,		/* no legal encoding */
	PS_CLASS_WRONG_DEST,	/* a legal call or jump, to the wrong place */
	PS_NR_CLASSES,
};

/* riscv ftrace regimes: 6.12 patches auipc+jalr pairs under stop_machine;
 * 6.16+ keeps auipc fixed and flips one nop <-> jalr.
 */
enum ps_riscv_regime {
	PS_RISCV_PAIR,
	PS_RISCV_AUIPC_FIXED,
};

#define PS_SITE_MAX_BYTES	8

/*
 * @cur: the bytes read; @orig: the site's "off" bytes (for kprobe sites
 * the original instruction); @len: the site's length in bytes.
 */
enum ps_site_class ps_riscv_classify(enum ps_site_kind kind, const u8 *cur,
				     const u8 *orig, unsigned int len,
				     enum ps_riscv_regime regime);
enum ps_site_class ps_x86_classify(enum ps_site_kind kind, const u8 *cur,
				   const u8 *orig, unsigned int len);
enum ps_site_class ps_arm64_classify(enum ps_site_kind kind, const u8 *cur,
				     const u8 *orig, unsigned int len);

/*
 * Where a call or jump read at a site sends execution: 1 and *@dest when
 * @cur holds one (the site's "on" state: an ftrace call, a taken jump
 * label), else 0.  @addr is the site's address.  The samplers check
 * @dest against the places the kernel may legally write there.
 */
int ps_riscv_dest(enum ps_site_kind kind, const u8 *cur, u64 addr, u64 *dest);
int ps_x86_dest(enum ps_site_kind kind, const u8 *cur, unsigned int len,
		u64 addr, u64 *dest);
int ps_arm64_dest(enum ps_site_kind kind, const u8 *cur, u64 addr, u64 *dest);

/*
 * The "on" encoding of an ftrace call site at @addr calling @dest, into
 * @out (the site's length); @orig is the site's untouched bytes, whose
 * fixed parts the call keeps.  0 if @dest cannot be reached from there.
 * For the injections that write calls to the wrong place, and to test
 * the decoders above.
 */
int ps_riscv_call(u64 addr, u64 dest, const u8 *orig,
		  enum ps_riscv_regime regime, u8 *out);
int ps_x86_call(u64 addr, u64 dest, u8 *out);
int ps_arm64_call(u64 addr, u64 dest, const u8 *orig, u8 *out);

/*
 * An ftrace_ops literal (ops_decode.c), read with one aligned 8-byte load
 * as ftrace_caller reads it: @off is its value before the storm (the
 * kernel's ftrace_nop_ops), @on the @n ops pointers ftrace may legally
 * write there (ftrace_list_ops and each ops the storm registers).
 */
enum ps_site_class ps_ops_classify(u64 cur, u64 off, const u64 *on,
				   unsigned int n);

static inline const char *ps_class_name(enum ps_site_class c)
{
	static const char *const names[PS_NR_CLASSES] = {
		"off", "on", "transient", "mixed", "torn", "wrong-dest",
	};

	return c < PS_NR_CLASSES ? names[c] : "?";
}

#endif /* _PATCHSTORM_DECODE_H */
