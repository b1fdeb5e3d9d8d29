// SPDX-License-Identifier: GPL-2.0
/*
 * Where a patched call or jump may legally go.  A decoder that accepted
 * any auipc+jalr, any call rel32 or any bl as "on" would call a pair
 * torn between two different destinations legal; so the samplers decode
 * where each call or jump read at a site goes (ps_arch_dest()) and check
 * it here:
 *
 *   ftrace call sites: ftrace_caller or ftrace_regs_caller, an arch
 *   extra (arm64: the module's ftrace PLT), ftrace-direct's trampoline,
 *   or the trampoline of an
 *   ftrace_ops the storm registered (or kprobes', for kprobes on ftrace
 *   sites) (x86 gives each dynamic ops one,
 *   freed and made anew with each registration: ops->trampoline is read
 *   live, and every trampoline seen in this storm stays legal, because a
 *   sampler can read a site's call just before the unregister that frees
 *   its trampoline);
 *   jump labels: the jump entry's own target (sites.c keeps it per site).
 */
#include <linux/kernel.h>
#include <linux/ftrace.h>
#include "detectors/detectors.h"
#include "arch/arch.h"

#define PS_MAX_DESTS	8
#define PS_MAX_TRAMPS	64
/* an ops per strategy instance, and ftrace_list_ops */
#define PS_MAX_TRAMP_OPS	(1 + PS_MAX_THREADS)

static unsigned long ps_dests[PS_MAX_DESTS];
static unsigned int ps_nr_dests;
static const struct ftrace_ops *ps_tramp_ops[PS_MAX_TRAMP_OPS];
static unsigned int ps_nr_tramp_ops;
static unsigned long ps_tramps[PS_MAX_TRAMPS];
static unsigned int ps_nr_tramps;
static DEFINE_SPINLOCK(ps_tramps_lock);

static const char *const ps_kprobe_ops[] = {
	"kprobe_ftrace_ops", "kprobe_ipmodify_ops",
};

static void ps_dests_add(unsigned long addr)
{
	if (addr && ps_nr_dests < PS_MAX_DESTS)
		ps_dests[ps_nr_dests++] = addr;
}

/* At storm start, before anything is armed. */
void ps_dests_init(void)
{
	unsigned long extra[PS_MAX_DESTS];
	unsigned int i, n;

	ps_nr_dests = 0;
	ps_nr_tramp_ops = 0;
	ps_nr_tramps = 0;
	ps_dests_add(ps_symbol_addr("ftrace_caller"));
	ps_dests_add(ps_symbol_addr("ftrace_regs_caller"));
	n = ps_arch_ftrace_dests(extra, ARRAY_SIZE(extra));
	for (i = 0; i < n; i++)
		ps_dests_add(extra[i]);
	/* ftrace-direct's trampoline, called from the site itself */
	if (IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS))
		ps_dests_add((unsigned long)ps_direct_tramp);
	/* a kprobe on an ftrace site calls through kprobes' own ops */
	for (i = 0; i < ARRAY_SIZE(ps_kprobe_ops); i++) {
		unsigned long ops = ps_symbol_addr(ps_kprobe_ops[i]);

		if (ops)
			ps_dests_add_ops((const void *)ops);
	}
}

/* An ftrace_ops of the storm: its trampoline, if it gets one, is legal. */
void ps_dests_add_ops(const void *ops)
{
	if (ps_nr_tramp_ops < PS_MAX_TRAMP_OPS)
		ps_tramp_ops[ps_nr_tramp_ops++] = ops;
}

/* Note the trampolines the storm's ops have now; true if @dest is one. */
static bool ps_tramps_refresh(unsigned long dest)
{
	unsigned long flags, t;
	unsigned int i, j;
	bool found = false;

	spin_lock_irqsave(&ps_tramps_lock, flags);
	for (i = 0; i < ps_nr_tramp_ops; i++) {
		t = READ_ONCE(ps_tramp_ops[i]->trampoline);
		if (!t)
			continue;
		for (j = 0; j < ps_nr_tramps && ps_tramps[j] != t; j++)
			;
		if (j == ps_nr_tramps && ps_nr_tramps < PS_MAX_TRAMPS)
			ps_tramps[ps_nr_tramps++] = t;
		found |= t == dest;
	}
	for (j = 0; j < ps_nr_tramps && !found; j++)
		found = ps_tramps[j] == dest;
	spin_unlock_irqrestore(&ps_tramps_lock, flags);
	return found;
}

/* May an ftrace call site call @dest? */
bool ps_dest_ftrace_legal(unsigned long dest)
{
	unsigned int i;

	for (i = 0; i < ps_nr_dests; i++)
		if (ps_dests[i] == dest)
			return true;
	return ps_tramps_refresh(dest);
}
