// SPDX-License-Identifier: GPL-2.0
/*
 * Broken patchers of their own: a thread that writes a victim's ftrace
 * site with the kernel's own patch primitive (riscv patch_text_nosync,
 * x86 text_poke, arm64 aarch64_insn_patch_text_nosync, found by name,
 * under text_mutex: ps_poke()), without its sync step or stop_machine.
 *
 *   torn-site     the site of a victim nobody calls, written in pieces:
 *                 first half a call (a mixed pair), then a torn
 *                 instruction, each left a few ms, then the nops again.
 *                 Where call sites have an ftrace_ops literal (CALL_OPS),
 *                 its low word is zeroed too.  Like any patcher it wakes
 *                 the idle samplers as it writes, and it leaves each torn
 *                 state until they have looked (ps_inject_hold).  Trips
 *                 the sampler: mixed-pair, torn.
 *   illegal-site  an illegal instruction over the ftrace site of
 *                 victim_leaf, which hammers call, for 2 ms in every 20.
 *                 Trips: trap, caught and survived (arch/).  Not with the
 *                 ftrace strategies, which own that site.
 *   stray-break   the same with a breakpoint no probe owns (x86 int3, as
 *                 if text_poke_bp() had left one behind).  Trips: trap.
 *   wrong-call    the never-called victim's site written whole as a call,
 *                 but one instruction past ftrace_caller: what a call
 *                 assembled from two patchers' halves, or aimed from the
 *                 wrong pc, looks like.  Trips: wrong-target.
 *   jump-self     a jump to itself over victim_leaf's site, which hammers
 *                 call, until the stuck-hammer watch has reported it (2 s
 *                 at most), then the site as it was, every 0.5 s: a
 *                 patched site turned into a loop.  Trips: stuck.
 *
 * Where the arch cannot survive the trap (ps_arch.catches_traps,
 * catches_breaks) the mode is refused.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "strategies/strategies.h"
#include "detectors/detectors.h"
#include "arch/arch.h"

static struct task_struct *ps_inject_task;

/*
 * A torn state written: wake the idle samplers, as any patcher does, and
 * leave it until they have made two more passes (the first may have read
 * the site before the write), 2-3 ms at least and 100 ms at most.  The
 * samplers run at the lowest priority beside the togglers: a fixed window
 * would be missed whenever a toggler keeps their CPU busy.
 */
static u64 ps_inject_passes(void)
{
	u64 passes, sleeps, hammer, inflight;

	ps_sampler_counts(&passes, &sleeps);
	ps_sampler_flight_counts(&hammer, &inflight);
	return passes + hammer;
}

static void ps_inject_hold(void)
{
	u64 passes = ps_inject_passes();
	unsigned int ms;

	ps_sites_wake_samplers();
	for (ms = 0; ms < 100; ms += 2) {
		usleep_range(2000, 3000);
		if (ps_inject_passes() >= passes + 2)
			break;
	}
}

/*
 * Where the call site has an ftrace_ops literal (CALL_OPS), its low word
 * zeroed for a moment: a pointer written in halves, caught half done.
 */
static void ps_inject_torn_ops(unsigned long func)
{
	static const u8 zero[4];
	unsigned long slot;
	u8 orig[4];

	if (!ps_arch_ftrace_ops_slot(func, &slot) ||
	    copy_from_kernel_nofault(orig, (void *)slot, sizeof(orig)))
		return;
	ps_poke(slot, zero, sizeof(zero));
	ps_inject_hold();
	ps_poke(slot, orig, sizeof(orig));
	usleep_range(3000, 4000);
}

static int ps_inject_torn_fn(void *arg)
{
	const struct ps_poke *pokes;
	unsigned long addr;
	unsigned int len, i;
	u8 orig[PS_SITE_MAX_BYTES];

	if (!ps_arch_ftrace_site(ps_victim_cold_addr(), &addr, &len) ||
	    copy_from_kernel_nofault(orig, (void *)addr, len))
		goto idle;
	pokes = ps_arch_torn_pokes(orig);
	while (!kthread_should_stop()) {
		for (i = 0; i < PS_TORN_POKES; i++) {
			const struct ps_poke *p = &pokes[i];

			ps_poke(addr + p->off, p->bytes, p->len);
			ps_inject_hold();
			ps_poke(addr + p->off, orig + p->off, p->len);
			usleep_range(3000, 4000);
		}
		ps_inject_torn_ops(ps_victim_cold_addr());
	}
idle:
	ps_kthread_idle();
	return 0;
}

/* victim_leaf's site, @arg's poke over it for 2 ms in every 20 */
static int ps_inject_trap_fn(void *arg)
{
	const struct ps_poke *p = arg;
	unsigned long addr;
	unsigned int len;
	u8 orig[PS_SITE_MAX_BYTES];

	if (!ps_arch_ftrace_site((unsigned long)victim_leaf, &addr, &len) ||
	    copy_from_kernel_nofault(orig, (void *)addr, len))
		goto idle;
	while (!kthread_should_stop()) {
		ps_poke(addr + p->off, p->bytes, p->len);
		usleep_range(2000, 3000);
		ps_poke(addr + p->off, orig + p->off, p->len);
		msleep(20);
	}
idle:
	ps_kthread_idle();
	return 0;
}

/*
 * On the samplers' first CPU: a sampler woken by a torn write runs as
 * soon as this thread sleeps, even where vCPUs share one host thread
 * (QEMU thread=single) and a busy one is only left at a kick.
 */
/* the cold victim's site calling just past ftrace_caller, and back */
static int ps_inject_wrong_call_fn(void *arg)
{
	unsigned long addr, dest = ps_symbol_addr("ftrace_caller");
	unsigned int len;
	u8 orig[PS_SITE_MAX_BYTES], call[PS_SITE_MAX_BYTES];

	if (!dest || !ps_arch_ftrace_site(ps_victim_cold_addr(), &addr, &len) ||
	    copy_from_kernel_nofault(orig, (void *)addr, len) ||
	    !ps_arch_ftrace_call(addr, dest + 4, orig, call))
		goto idle;
	while (!kthread_should_stop()) {
		ps_poke(addr, call, len);
		ps_inject_hold();
		ps_poke(addr, orig, len);
		usleep_range(3000, 4000);
	}
idle:
	ps_kthread_idle();
	return 0;
}

/* victim_leaf's site a loop until a hammer stuck in it is reported */
static int ps_inject_jump_self_fn(void *arg)
{
	const struct ps_poke *p = &ps_arch.self_loop_poke;
	unsigned long addr;
	unsigned int len, ms;
	u64 seen;
	u8 orig[PS_SITE_MAX_BYTES];

	if (!ps_arch_ftrace_site((unsigned long)victim_leaf, &addr, &len) ||
	    copy_from_kernel_nofault(orig, (void *)addr, len))
		goto idle;
	while (!kthread_should_stop()) {
		seen = ps_stuck_reports();
		ps_poke(addr + p->off, p->bytes, p->len);
		for (ms = 0; ms < 2000 && ps_stuck_reports() == seen &&
		     !kthread_should_stop(); ms += 50)
			msleep(50);
		ps_poke(addr + p->off, orig + p->off, p->len);
		msleep(500);
	}
idle:
	ps_kthread_idle();
	return 0;
}

static int ps_inject_start(int (*fn)(void *), const void *arg,
			   const struct cpumask *cpus)
{
	struct task_struct *t;

	t = ps_kthread_start(fn, (void *)arg, cpumask_first(cpus), "ps_inject");
	if (IS_ERR(t))
		return PTR_ERR(t);
	ps_inject_task = t;
	return 0;
}

static void ps_inject_stop(void)
{
	ps_kthread_stop(&ps_inject_task);
}

static int ps_inject_check_poke(const struct ps_config *cfg)
{
	static const u8 nothing[1];

	if (!ps_poke(ps_victim_cold_addr(), nothing, 0))
		return 0;
	ps_error("inject=%s: the kernel's patch primitive cannot be reached here",
		 ps_injection_names[cfg->inject]);
	return -EINVAL;
}

static int ps_torn_start(const struct cpumask *cpus)
{
	return ps_inject_start(ps_inject_torn_fn, NULL, cpus);
}

static void ps_torn_add_sites(void)
{
	ps_sites_add_func(ps_victim_cold_addr());
}

const struct ps_injection ps_injection_torn_site = {
	.breaks = -1,
	.check_config = ps_inject_check_poke,
	.add_sites = ps_torn_add_sites,
	.start = ps_torn_start,
	.stop = ps_inject_stop,
};

/* illegal-site and stray-break: hammers call victim_leaf, no ftrace owns it */
static int ps_inject_check_trap(const struct ps_config *cfg, bool caught)
{
	const char *name = ps_injection_names[cfg->inject];
	unsigned long strats = ps_config_strategies(cfg);
	unsigned int i, s;

	if (!caught) {
		ps_error("inject=%s: this arch cannot survive that trap at a victim's site",
			 name);
		return -EINVAL;
	}
	for_each_set_bit(s, &strats, PS_NR_STRATEGIES) {
		if (ps_strategies[s]->sites & BIT(PS_SITE_FTRACE)) {
			ps_error("inject=%s: %s owns that site", name,
				 ps_strategy_names[s]);
			return -EINVAL;
		}
	}
	for (i = 0; i < cfg->targets.nr; i++)
		if (!strcmp(cfg->targets.name[i], "victim_leaf"))
			break;
	if (i == cfg->targets.nr) {
		ps_error("inject=%s: victim_leaf must be a target", name);
		return -EINVAL;
	}
	return ps_inject_check_poke(cfg);
}

static int ps_illegal_check(const struct ps_config *cfg)
{
	return ps_inject_check_trap(cfg, ps_arch.catches_traps);
}

static int ps_illegal_start(const struct cpumask *cpus)
{
	return ps_inject_start(ps_inject_trap_fn, &ps_arch.illegal_poke, cpus);
}

const struct ps_injection ps_injection_illegal_site = {
	.breaks = -1,
	.check_config = ps_illegal_check,
	.start = ps_illegal_start,
	.stop = ps_inject_stop,
};

static int ps_break_check(const struct ps_config *cfg)
{
	return ps_inject_check_trap(cfg, ps_arch.catches_breaks);
}

static int ps_break_start(const struct cpumask *cpus)
{
	return ps_inject_start(ps_inject_trap_fn, &ps_arch.break_poke, cpus);
}

const struct ps_injection ps_injection_stray_break = {
	.breaks = -1,
	.check_config = ps_break_check,
	.start = ps_break_start,
	.stop = ps_inject_stop,
};

static int ps_wrong_call_check(const struct ps_config *cfg)
{
	if (!ps_symbol_addr("ftrace_caller")) {
		ps_error("inject=wrong-call: ftrace_caller not found");
		return -EINVAL;
	}
	return ps_inject_check_poke(cfg);
}

static int ps_wrong_call_start(const struct cpumask *cpus)
{
	return ps_inject_start(ps_inject_wrong_call_fn, NULL, cpus);
}

const struct ps_injection ps_injection_wrong_call = {
	.breaks = -1,
	.check_config = ps_wrong_call_check,
	.add_sites = ps_torn_add_sites,
	.start = ps_wrong_call_start,
	.stop = ps_inject_stop,
};

/*
 * A loop is no trap: every arch survives it once the site is restored,
 * unless a strategy patches under stop_machine() meanwhile, which waits
 * for the looping CPU forever (the kernel then hangs: that is a result,
 * but not one that ends a storm).
 */
static int ps_jump_self_check(const struct ps_config *cfg)
{
	unsigned long strats = ps_config_strategies(cfg);
	unsigned int s;

	for_each_set_bit(s, &strats, PS_NR_STRATEGIES) {
		if (ps_strategies[s]->sites & ps_arch_stop_machine_sites()) {
			ps_error("inject=jump-self: %s uses stop_machine: hangs on the loop",
				 ps_strategy_names[s]);
			return -EINVAL;
		}
	}
	return ps_inject_check_trap(cfg, true);
}

static int ps_jump_self_start(const struct cpumask *cpus)
{
	return ps_inject_start(ps_inject_jump_self_fn, NULL, cpus);
}

const struct ps_injection ps_injection_jump_self = {
	.breaks = -1,
	.check_config = ps_jump_self_check,
	.start = ps_jump_self_start,
	.stop = ps_inject_stop,
};
