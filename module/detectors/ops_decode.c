// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_ops literal decoder.  With DYNAMIC_FTRACE_WITH_CALL_OPS (riscv
 * from 6.16, arm64) each call site has an 8-byte slot before the function
 * that ftrace_caller loads to find the ftrace_ops to call: the kernel's
 * ftrace_nop_ops when the site is off, the one ops tracing it, or
 * ftrace_list_ops when several do.  It is rewritten without stop_machine
 * while other CPUs may load it, so a read must find one of those
 * pointers whole.  Halves of two of them is a mixed pair; anything else
 * is torn.  Pure (no kernel state): unit-tested on the host.
 */
#include "tables/decode.h"

static int ps_ops_half_of(u32 half, int high, u64 off, const u64 *on,
			  unsigned int n)
{
	unsigned int i;

	if ((u32)(high ? off >> 32 : off) == half)
		return 1;
	for (i = 0; i < n; i++)
		if ((u32)(high ? on[i] >> 32 : on[i]) == half)
			return 1;
	return 0;
}

enum ps_site_class ps_ops_classify(u64 cur, u64 off, const u64 *on,
				   unsigned int n)
{
	unsigned int i;

	if (cur == off)
		return PS_CLASS_OFF;
	for (i = 0; i < n; i++)
		if (cur == on[i])
			return PS_CLASS_ON;
	if (ps_ops_half_of((u32)cur, 0, off, on, n) &&
	    ps_ops_half_of((u32)(cur >> 32), 1, off, on, n))
		return PS_CLASS_MIXED;
	return PS_CLASS_TORN;
}
