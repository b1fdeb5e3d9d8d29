// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: deliberately broken patchers, acting only on the
 * module's own victims, that prove the detectors fire (as locktorture's
 * lock_busted proves its checks).  Each mode names the detector it must
 * trip; a storm with an injection must end in FAILURE.
 *
 *   release-early  static-key: the toggle is published as complete, then
 *                  the site is written (through the strategy's own API)
 *                  after a sleep of PS_INJECT_DELAY_US or more, as a
 *                  patcher that releases waiting CPUs before the write
 *                  and is then preempted would.  Sleeping, not spinning:
 *                  where vCPUs share one host thread (QEMU thread=single)
 *                  a spinning toggler's vCPU keeps the hammers' from
 *                  running at all until the write is done.  Trips: stale.
 *   torn-site      a thread writes the ftrace site of a victim nobody
 *                  calls in pieces, with the kernel's own patch primitive
 *                  and without its sync step or stop_machine: first half
 *                  a call (a mixed pair), then a torn instruction, each
 *                  left a few ms, then the nops again.  Where call
 *                  sites have an ftrace_ops literal (CALL_OPS), its low
 *                  word is zeroed too.  Like any patcher it wakes the
 *                  idle samplers as it writes, and it leaves each torn
 *                  state until they have looked (ps_inject_hold).
 *                  Trips: the sampler (mixed-pair, torn).  The
 *                  primitive is not exported;
 *                  it is found by name (arch/: riscv patch_text_nosync,
 *                  x86 text_poke, both under text_mutex).
 *   illegal-site   the same primitive writes an illegal instruction over
 *                  the ftrace site of victim_leaf, which hammers call, for
 *                  2 ms every 20 ms (riscv c.unimp, x86 ud2).  Trips:
 *                  trap, caught and survived (arch/).  Not with the
 *                  ftrace strategies, which own that site.
 *   stray-break    the same with a breakpoint no probe owns (x86 int3,
 *                  as if text_poke_bp() had left one behind).  Trips:
 *                  trap.  Where the arch cannot survive one (riscv: see
 *                  arch/riscv_trap.c) the mode is refused.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "patchstorm.h"
#include "decode.h"

#define PS_INJECT_DELAY_US	200

const char *const ps_inject_names[PS_NR_INJECT] = {
	[PS_INJECT_NONE] = "none",
	[PS_INJECT_RELEASE_EARLY] = "release-early",
	[PS_INJECT_TORN_SITE] = "torn-site",
	[PS_INJECT_ILLEGAL_SITE] = "illegal-site",
	[PS_INJECT_STRAY_BREAK] = "stray-break",
};

static struct task_struct *ps_inject_task;

int ps_inject_lookup(const char *name)
{
	return match_string(ps_inject_names, PS_NR_INJECT, name);
}

/* Which strategy each mode breaks; the others run as usual. */
static bool ps_inject_applies(enum ps_inject mode, int s)
{
	return mode == PS_INJECT_RELEASE_EARLY && s == PS_STATIC_KEY;
}

/*
 * Toggle [first, first + n) the broken way, if the configured injection
 * applies to strategy @s.  Returns false to let the caller toggle
 * normally; true when done, with *@ret the toggle's result.
 */
bool ps_inject_toggle(struct ps_toggler *tg, int s, unsigned int first,
		      unsigned int n, bool enable, u64 seq, u64 t0, int *ret)
{
	struct ps_strat_state *st = &tg->st[s];
	bool was_on[PS_MAX_TARGETS];
	unsigned int i;

	if (!ps_inject_applies(ps_storm.cfg.inject, s))
		return false;
	memcpy(was_on, &st->on[first], n * sizeof(bool));
	for (i = first; i < first + n; i++)
		st->on[i] = enable;
	/* published as done: hammers may now rightly expect the new text */
	ps_toggle_end(st, s, first, n, was_on, seq, t0);
	usleep_range(PS_INJECT_DELAY_US, 2 * PS_INJECT_DELAY_US);
	memcpy(&st->on[first], was_on, n * sizeof(bool));
	*ret = st->ops->toggle(tg, first, n, enable);
	return true;
}

/*
 * Write text with the arch's primitive under text_mutex, as the kernel's
 * own patchers do.  text_mutex is not exported either: found by name
 * (KALLSYMS_ALL).  A zero-length write only checks both were found.
 */
int ps_poke(unsigned long addr, const void *bytes, size_t len)
{
	static struct mutex *text_lock;
	int ret;

	if (!text_lock)
		text_lock = (struct mutex *)ps_symbol_addr("text_mutex");
	if (!text_lock || !ps_arch_can_poke())
		return -ENOENT;
	if (!len)
		return 0;
	mutex_lock(text_lock);
	ret = ps_arch_poke_locked(addr, bytes, len);
	mutex_unlock(text_lock);
	return ret;
}

/* Can the configured mode work here?  Called when a config is validated. */
int ps_inject_check(const struct ps_config *cfg)
{
	static const u8 nothing[1];
	unsigned int i;

	if (cfg->inject == PS_INJECT_RELEASE_EARLY &&
	    !(cfg->strategies & (BIT(PS_STATIC_KEY) | BIT(PS_MIXED)))) {
		ps_error("inject=release-early breaks static-key: configure that strategy");
		return -EINVAL;
	}
	if (cfg->inject == PS_INJECT_ILLEGAL_SITE && !ps_arch_catches_traps()) {
		ps_error("inject=illegal-site: this arch does not catch traps yet");
		return -EINVAL;
	}
	if (cfg->inject == PS_INJECT_STRAY_BREAK && !ps_arch_catches_breaks()) {
		ps_error("inject=stray-break: this arch cannot survive a breakpoint no probe owns");
		return -EINVAL;
	}
	if (cfg->inject == PS_INJECT_ILLEGAL_SITE ||
	    cfg->inject == PS_INJECT_STRAY_BREAK) {
		if (cfg->strategies & (BIT(PS_FTRACE_FILTER) | BIT(PS_FTRACE_OPS) |
				       BIT(PS_MIXED))) {
			ps_error("inject=%s: the ftrace strategies own that site",
				 ps_inject_names[cfg->inject]);
			return -EINVAL;
		}
		for (i = 0; i < cfg->nr_targets; i++)
			if (!strcmp(cfg->targets[i], "victim_leaf"))
				break;
		if (i == cfg->nr_targets) {
			ps_error("inject=%s: victim_leaf must be a target",
				 ps_inject_names[cfg->inject]);
			return -EINVAL;
		}
	}
	if (cfg->inject != PS_INJECT_NONE &&
	    cfg->inject != PS_INJECT_RELEASE_EARLY &&
	    ps_poke(ps_victim_cold_addr(), nothing, 0)) {
		ps_error("inject=%s: the kernel's patch primitive cannot be reached here",
			 ps_inject_names[cfg->inject]);
		return -EINVAL;
	}
	return 0;
}

/*
 * A torn state written: wake the idle samplers, as any patcher does, and
 * leave it until they have made two more passes (the first may have read
 * the site before the write), 2-3 ms at least and 100 ms at most.  The
 * samplers run at the lowest priority beside the togglers: a fixed window
 * would be missed whenever a toggler keeps their CPU busy.
 */
static void ps_inject_hold(void)
{
	u64 passes, p, sleeps;
	unsigned int ms;

	ps_sampler_counts(&passes, &sleeps);
	ps_sites_wake_samplers();
	for (ms = 0; ms < 100; ms += 2) {
		usleep_range(2000, 3000);
		ps_sampler_counts(&p, &sleeps);
		if (p >= passes + 2)
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
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

/* victim_leaf's site, @arg's poke over it for 2 ms in every 20 */
static int ps_inject_illegal_fn(void *arg)
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
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

int ps_inject_start(void)
{
	int (*fn)(void *arg) = ps_inject_illegal_fn;
	const struct ps_poke *poke = NULL;
	struct task_struct *t;

	if (ps_storm.cfg.inject == PS_INJECT_TORN_SITE)
		fn = ps_inject_torn_fn;
	else if (ps_storm.cfg.inject == PS_INJECT_ILLEGAL_SITE)
		poke = &ps_arch_illegal_poke;
	else if (ps_storm.cfg.inject == PS_INJECT_STRAY_BREAK)
		poke = &ps_arch_break_poke;
	else
		return 0;
	/*
	 * On the samplers' first CPU: a sampler woken by a torn write runs
	 * as soon as this thread sleeps, even where vCPUs share one host
	 * thread (QEMU thread=single) and a busy one is only left at a kick.
	 */
	t = kthread_create(fn, (void *)poke, "ps_inject");
	if (IS_ERR(t))
		return PTR_ERR(t);
	kthread_bind(t, cpumask_first(&ps_storm.toggler_mask));
	wake_up_process(t);
	ps_inject_task = t;
	return 0;
}

void ps_inject_stop(void)
{
	if (ps_inject_task)
		kthread_stop(ps_inject_task);
	ps_inject_task = NULL;
}
