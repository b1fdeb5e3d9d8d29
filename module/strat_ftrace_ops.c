// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace-ops: a whole ftrace_ops, filtered on all of the toggler's
 * targets, registered and unregistered.  Module-owned ops are DYNAMIC, so
 * each unregister waits for an RCU-tasks grace period: slow by design.
 */
#include <linux/ftrace.h>
#include <linux/slab.h>
#include "patchstorm.h"

struct ps_fo {
	struct ftrace_ops ops;
	struct ps_toggler *tg;
	unsigned long ips[PS_MAX_TARGETS];
};

static void notrace ps_fo_func(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct ps_fo *fo = op->private;

	ps_count_hit(PS_FTRACE_OPS, ps_target_index(ip, fo->tg, PS_FTRACE_OPS));
}

static int ps_fo_setup(struct ps_toggler *tg)
{
	struct ps_strat_state *st = &tg->st[PS_FTRACE_OPS];
	struct ps_fo *fo;
	unsigned int i;
	int ret;

	fo = kzalloc(sizeof(*fo), GFP_KERNEL);
	if (!fo)
		return -ENOMEM;
	fo->tg = tg;
	fo->ops.func = ps_fo_func;
	fo->ops.private = fo;
	for (i = 0; i < st->nr; i++)
		fo->ips[i] = ps_storm.targets[st->idx[i]].addr;
	ret = ftrace_set_filter_ips(&fo->ops, fo->ips, st->nr, 0, 0);
	if (ret) {
		ftrace_free_filter(&fo->ops);
		kfree(fo);
		return ret;
	}
	ps_sites_allow_ops(&fo->ops);
	st->priv = fo;
	return 0;
}

static int ps_fo_toggle(struct ps_toggler *tg, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_strat_state *st = &tg->st[PS_FTRACE_OPS];
	struct ps_fo *fo = st->priv;
	unsigned int i;
	int ret;

	if (enable)
		ret = register_ftrace_function(&fo->ops);
	else
		ret = unregister_ftrace_function(&fo->ops);
	if (!ret)
		for (i = 0; i < st->nr; i++)
			st->on[i] = enable;
	return ret;
}

static void ps_fo_teardown(struct ps_toggler *tg)
{
	struct ps_strat_state *st = &tg->st[PS_FTRACE_OPS];
	struct ps_fo *fo = st->priv;

	if (st->on[0])
		unregister_ftrace_function(&fo->ops);
	ftrace_free_filter(&fo->ops);
	kfree(fo);
	st->priv = NULL;
}

const struct ps_strategy ps_ftrace_ops_strategy = {
	.name = "ftrace-ops",
	.whole = true,
	.setup = ps_fo_setup,
	.toggle = ps_fo_toggle,
	.teardown = ps_fo_teardown,
};
