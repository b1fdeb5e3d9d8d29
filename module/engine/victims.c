// SPDX-License-Identifier: GPL-2.0
/*
 * Victims: module-owned functions whose entries get patched while hammer
 * threads call them.  Each is traceable (an ftrace site), noinline, and
 * returns a known answer the hammer checks, so an execution that goes
 * astray in a half-patched entry shows up as a wrong answer.
 *
 * The shapes differ on purpose: a leaf, a non-leaf, a long body, two
 * that contain a static branch (the static-key strategy's sites), two
 * more whose keys are refcounted (static-key-ref's: static_branch_inc and
 * dec by several togglers on one key) and one that calls through a static
 * call (static-call's).  Their
 * entries land on 2-byte and 4-byte boundaries on riscv (see "sites" in
 * the capability report).  They are global for arch/ (trap fixups).
 */
#include <linux/compiler.h>
#include <linux/jump_label.h>
#include <linux/static_call.h>
#include "engine/engine.h"

DEFINE_STATIC_KEY_ARRAY_FALSE(ps_victim_keys, PS_NR_KEYS);

/*
 * What victim_call's static call reaches while static-call has it off;
 * its "on" function (strategies/static_call.c) returns the same.
 */
noinline notrace u64 ps_victim_call_off(u64 x)
{
	return x * 5;
}

DEFINE_STATIC_CALL(ps_victim_call, ps_victim_call_off);

static noinline notrace u64 ps_victim_helper(u64 x)
{
	return (x << 4) - x;
}

noinline u64 victim_leaf(u64 x)
{
	return x * 3 + 1;
}

noinline u64 victim_nonleaf(u64 x)
{
	return ps_victim_helper(x) + 5;
}

noinline u64 victim_long(u64 x)
{
	u64 h = 1469598103934665603ULL;
	int i;

	for (i = 0; i < 16; i++) {
		h ^= (x >> (i * 4)) & 0xf;
		h *= 1099511628211ULL;
	}
	return h;
}

noinline u64 victim_key(u64 x)
{
	if (static_branch_unlikely(&ps_victim_keys[0]))
		ps_static_key_hit(0);
	return x ^ 0x5a5aULL;
}

noinline u64 victim_key_nonleaf(u64 x)
{
	if (static_branch_unlikely(&ps_victim_keys[1]))
		ps_static_key_hit(1);
	return ps_victim_helper(x) ^ 0xa5a5ULL;
}

noinline u64 victim_keyref(u64 x)
{
	if (static_branch_unlikely(&ps_victim_keys[2]))
		ps_static_key_hit(2);
	return x ^ 0x3c3cULL;
}

noinline u64 victim_keyref_nonleaf(u64 x)
{
	if (static_branch_unlikely(&ps_victim_keys[3]))
		ps_static_key_hit(3);
	return ps_victim_helper(x) ^ 0xc3c3ULL;
}

/* A static call site (static-call's): an inline call on x86. */
noinline u64 victim_call(u64 x)
{
	return static_call(ps_victim_call)(x) + 11;
}

/*
 * Not a target: ftrace-filter keeps this ip in its filter for the whole
 * storm, because an empty filter hash means "trace every function".
 */
static noinline u64 ps_victim_anchor(u64 x)
{
	return x;
}

/*
 * Not a target and never called: inject=torn-site tears its ftrace site
 * on purpose, where no CPU executes it, for the sampler to find.
 */
static noinline u64 ps_victim_cold(u64 x)
{
	return x + 1;
}

unsigned long ps_victim_cold_addr(void)
{
	return (unsigned long)ps_victim_cold;
}

/* Answers are written out, not computed by calling the victims. */
struct ps_victim ps_victims[] = {
	{ "victim_leaf",	victim_leaf,	    7, 22, -1 },
	{ "victim_nonleaf",	victim_nonleaf,	    7, 110, -1 },
	{ "victim_long",	victim_long,	    0x123456789abcdef0ULL,
	  0x33c80eec5699af23ULL, -1 },
	{ "victim_key",		victim_key,	    7, 0x5a5d, 0 },
	{ "victim_key_nonleaf",	victim_key_nonleaf, 7, 0xa5cc, 1 },
	{ "victim_keyref",	victim_keyref,	    7, 0x3c3b, 2, true },
	{ "victim_keyref_nonleaf", victim_keyref_nonleaf, 7, 0xc3aa, 3, true },
	{ "victim_call",	victim_call,	    7, 46, -1, false, true },
};

const unsigned int ps_nr_victims = ARRAY_SIZE(ps_victims);

unsigned long ps_victim_anchor_addr(void)
{
	return (unsigned long)ps_victim_anchor;
}

/*
 * A new storm starts from keys that are off: references an earlier one
 * left behind (reported then, and visible in "keys" until now) go back.
 */
void ps_victim_keys_off(void)
{
	unsigned int k;

	for (k = 0; k < PS_NR_KEYS; k++)
		while (static_key_count(&ps_victim_keys[k].key) > 0)
			static_branch_dec(&ps_victim_keys[k]);
}
