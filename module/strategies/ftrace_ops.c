// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace-ops: a whole ftrace_ops, filtered on all of the instance's
 * targets, registered and unregistered.  Module-owned ops are DYNAMIC, so
 * each unregister waits for an RCU-tasks grace period: slow by design.
 * That wait is the API's promise: once unregister_ftrace_function()
 * returns, no CPU is in the handler (or in the ops' trampoline, which is
 * then freed).  The handler counts itself in and out, and a handler still
 * counted in when unregister returns is a stale call.
 */
#include <linux/atomic.h>
#include <linux/ftrace.h>
#include <linux/slab.h>
#include "strategies/strategies.h"
#include "detectors/detectors.h"

struct ps_fo {
	struct ftrace_ops ops;
	struct ps_strat_state *st;
	unsigned long ips[PS_MAX_TARGETS];
	atomic_t running;			/* handlers in flight */
};

static void notrace ps_fo_func(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct ps_fo *fo = op->private;

	atomic_inc(&fo->running);
	ps_count_hit(fo->st->sid, ps_strat_target(fo->st, ip));
	atomic_dec(&fo->running);
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
	st->priv = fo;
	return 0;
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
		ret = unregister_ftrace_function(&fo->ops);
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
