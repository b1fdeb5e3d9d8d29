// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace-ops: a whole ftrace_ops, filtered on all of the instance's
 * targets, registered and unregistered.  Module-owned ops are DYNAMIC, so
 * each unregister waits for an RCU-tasks grace period: slow by design.
 * That wait is the API's promise: once unregister_ftrace_function()
 * returns, no CPU is in the handler (or in the ops' trampoline, which is
 * then freed).  The handler counts itself in and out, and a handler still
 * counted in when unregister returns is a stale call.
 *
 * That wait kept the hammers' stale check off for the whole unregister,
 * 100 ms and more each: 0.2% of the calls were checked in a riscv64
 * ftrace-ops storm.  Yet the call sites are off once ftrace_shutdown()'s
 * ftrace_run_update_code() has returned (the write done and synced on
 * every CPU), and it brackets that with FTRACE_OPS_FL_REMOVING: a call
 * that begins after it must not run the handler, whoever is still on the
 * trampoline.  So an hrtimer watches the flag while an unregister is
 * under way, and once it saw it set and then clear the toggle's targets
 * are complete (ps_strat_done()).  A watch that never saw it set (an
 * update quicker than a tick of the watch, or none needed) leaves them
 * to complete when the call returns, as before.
 */
#include <linux/atomic.h>
#include <linux/ftrace.h>
#include <linux/hrtimer.h>
#include <linux/slab.h>
#include "strategies/strategies.h"
#include "detectors/detectors.h"
#include "lib/compat.h"

#define PS_FO_WATCH_NS		NSEC_PER_MSEC

struct ps_fo {
	struct ftrace_ops ops;
	struct ps_strat_state *st;
	unsigned long ips[PS_MAX_TARGETS];
	atomic_t running;			/* handlers in flight */
	struct hrtimer watch;			/* the unregister's update */
	bool seen_removing;
	unsigned int first, n;			/* the toggle it completes */
	/* inject=ops-lingers: the same handler and filter, another ops */
	struct ftrace_ops linger;
	bool linger_filtered;
};

static void notrace ps_fo_func(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct ps_fo *fo = op->private;

	atomic_inc(&fo->running);
	ps_count_hit(fo->st->sid, ps_strat_target(fo->st, ip));
	atomic_dec(&fo->running);
}

static enum hrtimer_restart ps_fo_watch_fn(struct hrtimer *h)
{
	struct ps_fo *fo = container_of(h, struct ps_fo, watch);
	/* ftrace's own word, written under ftrace_lock: a racy look */
	unsigned long flags = data_race(READ_ONCE(fo->ops.flags));
	unsigned int i;

	/* the update's writes before the flag's clearing, seen in order */
	smp_rmb();
	if (flags & FTRACE_OPS_FL_REMOVING) {
		fo->seen_removing = true;
	} else if (fo->seen_removing) {
		for (i = fo->first; i < fo->first + fo->n; i++)
			ps_strat_done(fo->st, i, false);
		/* stats: how many unregisters were checked from there */
		this_cpu_inc(ps_counters.disable_early[fo->st->sid]);
		return HRTIMER_NORESTART;
	}
	hrtimer_forward_now(h, ns_to_ktime(PS_FO_WATCH_NS));
	return HRTIMER_RESTART;
}

static int ps_fo_unregister(struct ps_fo *fo, unsigned int first,
			    unsigned int n)
{
	int ret;

	/* a storm's toggle (not the bench's, not teardown): watch it */
	if (fo->st->tog) {
		fo->seen_removing = false;
		fo->first = first;
		fo->n = n;
		hrtimer_start(&fo->watch, ns_to_ktime(PS_FO_WATCH_NS),
			      HRTIMER_MODE_REL);
	}
	ret = unregister_ftrace_function(&fo->ops);
	/* waits for a callback under way: none runs past here */
	if (fo->st->tog)
		hrtimer_cancel(&fo->watch);
	return ret;
}

static int ps_fo_setup(struct ps_strat_state *st)
{
	struct ps_fo *fo;
	unsigned int i;
	int ret;

	fo = kzalloc(sizeof(*fo), GFP_KERNEL);
	if (!fo)
		return -ENOMEM;
	fo->st = st;
	ps_hrtimer_setup(&fo->watch, ps_fo_watch_fn, CLOCK_MONOTONIC,
			 HRTIMER_MODE_REL);
	fo->ops.func = ps_fo_func;
	fo->ops.private = fo;
	for (i = 0; i < st->nr; i++)
		fo->ips[i] = st->tgt[i]->addr;
	ret = ftrace_set_filter_ips(&fo->ops, fo->ips, st->nr, 0, 0);
	if (ret) {
		ftrace_free_filter(&fo->ops);
		kfree(fo);
		return ret;
	}
	fo->linger.func = ps_fo_func;
	fo->linger.private = fo;
	/* registered only by inject=ops-lingers; a legal ops all the same */
	ps_sites_allow_ops(&fo->linger);
	st->priv = fo;
	return 0;
}

/*
 * inject=ops-lingers: with @on, a second ops of the same handler and
 * filter is registered, so the handler stays reachable whatever the
 * first one's unregister does to the sites; without, it goes.
 */
int ps_ftrace_ops_linger(struct ps_strat_state *st, bool on)
{
	struct ps_fo *fo = st->priv;
	int ret;

	if (!on)
		return unregister_ftrace_function(&fo->linger);
	if (!fo->linger_filtered) {
		ret = ftrace_set_filter_ips(&fo->linger, fo->ips, st->nr, 0, 0);
		if (ret)
			return ret;
		fo->linger_filtered = true;
	}
	return register_ftrace_function(&fo->linger);
}

static int ps_fo_toggle(struct ps_strat_state *st, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_fo *fo = st->priv;
	unsigned int i;
	int ret;

	if (enable) {
		ret = register_ftrace_function(&fo->ops);
	} else {
		ret = ps_fo_unregister(fo, first, n);
		/* the handler outlived its unregister: detail, how many */
		if (!ret && atomic_read(&fo->running))
			ps_anomaly(PS_A_STALE, st->idx[0], (unsigned long)ps_fo_func,
				   0, st->sid, 0, atomic_read(&fo->running));
	}
	if (!ret)
		for (i = 0; i < st->nr; i++)
			st->on[i] = enable;
	return ret;
}

static void ps_fo_teardown(struct ps_strat_state *st)
{
	struct ps_fo *fo = st->priv;

	if (st->on[0])
		unregister_ftrace_function(&fo->ops);
	ftrace_free_filter(&fo->ops);
	if (fo->linger_filtered)
		ftrace_free_filter(&fo->linger);
	kfree(fo);
	st->priv = NULL;
}

static const void *ps_fo_ops(const struct ps_strat_state *st)
{
	const struct ps_fo *fo = st->priv;

	return &fo->ops;
}

const struct ps_strategy ps_strategy_ftrace_ops = {
	.needs = "CONFIG_DYNAMIC_FTRACE",
	.available = IS_ENABLED(CONFIG_DYNAMIC_FTRACE),
	.whole = true,
	.sites = BIT(PS_SITE_FTRACE) | BIT(PS_SITE_OPS),
	.usable = ps_function_usable,
	.check_target = ps_ftrace_check_target,
	.setup = ps_fo_setup,
	.toggle = ps_fo_toggle,
	.teardown = ps_fo_teardown,
	.ftrace_ops = ps_fo_ops,
};
