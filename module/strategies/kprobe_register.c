// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe-register: kprobes registered and unregistered on every flip;
 * each unregister waits for an RCU grace period.
 *
 * With kprobe_walk=on each registration goes to the next instruction
 * boundary of the target after the last one (up to PS_KR_WALK bytes in,
 * then from the start again): breakpoints are written over every kind of
 * instruction the function has, including 4-byte instructions that
 * straddle a 4-byte boundary on riscv with compressed instructions,
 * which the kernel writes with more than one store.  register_kprobe()
 * tells the boundaries (it refuses an address inside an instruction).
 * A probe on a path a call may not take cannot be checked against the
 * calls: the samplers watch those sites (new_site()).
 *
 * unregister_kprobe() waits for an RCU grace period, 10-100 ms and more
 * under a storm, and the hammers' stale check was off for all of it.  Yet
 * its promise holds earlier: once __unregister_kprobe_top() has disarmed
 * the breakpoint (a synchronous text write) and taken the probe out of
 * the hash (hlist_del_rcu) or out of its aggregate's list
 * (list_del_rcu), a call that begins after cannot reach the handler;
 * only handlers already running may still be.  So an hrtimer watches the
 * probe while it is unregistered and completes its target
 * (ps_strat_done()) as soon as the probe is unreachable.  A probe still
 * on an aggregate being torn down whole, or one the watch does not see
 * go in time, completes when the call returns, as before.
 */
#include <linux/hrtimer.h>
#include <linux/kprobes.h>
#include <linux/poison.h>
#include "strategies/kprobe.h"
#include "arch/arch.h"
#include "lib/compat.h"

#define PS_KR_WALK	64
#define PS_KR_WATCH_NS	NSEC_PER_MSEC

/* No trap that begins now can reach @kp's handler. */
static bool ps_kr_unreachable(struct kprobe *kp)
{
	/* kprobes' own words, written under kprobe_mutex: a racy look */
	void *prev = data_race(READ_ONCE(kp->list.prev));
	/* as above */
	void *pprev = data_race(READ_ONCE(kp->hlist.pprev));
	/* as above */
	void *next = data_race(READ_ONCE(kp->list.next));

	/* off its aggregate's list: the aggregate's handlers skip it */
	if (prev == LIST_POISON2)
		return true;
	/*
	 * Out of the hash and on no aggregate (an aggregated probe's hlist
	 * is poisoned too, when the aggregate takes its place).
	 */
	return pprev == LIST_POISON2 && next == &kp->list;
}

static enum hrtimer_restart ps_kr_watch_fn(struct hrtimer *h)
{
	struct ps_kps *kps = container_of(h, struct ps_kps, watch);
	unsigned int i = kps->watched;

	if (ps_kr_unreachable(&kps->p[i].kp)) {
		/* the disarm's write before the unlinking, seen in order */
		smp_rmb();
		ps_strat_done(kps->st, i, false);
		/* stats: how many unregisters were checked from there */
		this_cpu_inc(ps_counters.disable_early[kps->st->sid]);
		return HRTIMER_NORESTART;
	}
	hrtimer_forward_now(h, ns_to_ktime(PS_KR_WATCH_NS));
	return HRTIMER_RESTART;
}

/* Unregister target @i's probe; in a storm's toggle, watched. */
static void ps_kr_unregister(struct ps_strat_state *st, unsigned int i)
{
	struct ps_kps *kps = st->priv;

	if (!st->tog) {
		unregister_kprobe(&kps->p[i].kp);
		return;
	}
	kps->watched = i;
	hrtimer_start(&kps->watch, ns_to_ktime(PS_KR_WATCH_NS),
		      HRTIMER_MODE_REL);
	unregister_kprobe(&kps->p[i].kp);
	/* its grace period is over: no handler of it runs past here */
	hrtimer_cancel(&kps->watch);
}

/* Register @p at the next boundary of target @i after its last address. */
static int ps_kr_register_walking(struct ps_strat_state *st, unsigned int i,
				  struct ps_kp *p)
{
	const struct ps_target *t = st->tgt[i];
	unsigned long last = t->kprobe_addr, addr, end, span;
	unsigned int step = ps_arch.insn_align, tries;
	int ret = -EINVAL;

	if (p->kp.addr)
		last = (unsigned long)p->kp.addr;
	addr = last;
	/*
	 * Not past the function's end: the next one is another target's,
	 * and so are the bytes just before it (ps_arch.pre_entry; a probe
	 * walking into arm64's CALL_OPS literal tore the ops pointer).
	 */
	span = t->size > ps_arch.pre_entry ? t->size - ps_arch.pre_entry : t->size;
	end = t->addr + min_not_zero(span, (unsigned long)PS_KR_WALK);
	for (tries = 0; tries < PS_KR_WALK / step + 1; tries++) {
		addr += step;
		if (addr >= end)
			addr = t->kprobe_addr + step;
		/* kprobe-arm's fixed probe sits there; its sites are checked */
		if (addr == t->kprobe_addr)
			continue;
		ps_kp_init(p, st, i);
		p->kp.addr = (kprobe_opcode_t *)addr;
		/* registered disarmed: the samplers learn the site, then it is armed */
		p->kp.flags = KPROBE_FLAG_DISABLED;
		ret = register_kprobe(&p->kp);
		if (!ret) {
			if (st->new_site)
				st->new_site(st, i, addr);
			ret = enable_kprobe(&p->kp);
			if (ret)
				unregister_kprobe(&p->kp);
			return ret;
		}
	}
	/* no other boundary takes one: the target's own address */
	ps_kp_init(p, st, i);
	return register_kprobe(&p->kp);
}

static int ps_kr_setup(struct ps_strat_state *st)
{
	struct ps_kps *kps;
	int ret;

	ret = ps_kps_alloc(st);
	if (ret)
		return ret;
	kps = st->priv;
	ps_hrtimer_setup(&kps->watch, ps_kr_watch_fn, CLOCK_MONOTONIC,
			 HRTIMER_MODE_REL);
	return 0;
}

static int ps_kr_toggle(struct ps_strat_state *st, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_kps *kps = st->priv;
	unsigned int i;
	int ret;

	for (i = first; i < first + n; i++) {
		struct ps_kp *p = &kps->p[i];

		if (enable && st->walk) {
			ret = ps_kr_register_walking(st, i, p);
			if (ret)
				return ret;
		} else if (enable) {
			/* a kprobe is re-registered from a clean slate */
			ps_kp_init(p, st, i);
			ret = register_kprobe(&p->kp);
			if (ret)
				return ret;
		} else {
			ps_kr_unregister(st, i);
		}
		ps_strat_done(st, i, enable);
	}
	return 0;
}

static void ps_kr_teardown(struct ps_strat_state *st)
{
	ps_kps_free(st, false);
}

const struct ps_strategy ps_strategy_kprobe_register = {
	.needs = "CONFIG_KPROBES",
	.available = IS_ENABLED(CONFIG_KPROBES),
	.walks = true,
	.sites = BIT(PS_SITE_KPROBE),
	.usable = ps_function_usable,
	.check_target = ps_kprobe_check_target,
	.setup = ps_kr_setup,
	.toggle = ps_kr_toggle,
	.teardown = ps_kr_teardown,
};
