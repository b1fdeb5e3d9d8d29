// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace-filter: one registered ftrace_ops per instance whose filter gains
 * and loses the targets' ips (ftrace_set_filter_ips), so each update
 * patches just those call sites.  An empty filter hash means "trace every
 * function", so the anchor victim stays in the filter throughout.
 */
#include <linux/ftrace.h>
#include <linux/slab.h>
#include "strategies/strategies.h"

struct ps_ff {
	struct ftrace_ops ops;
	struct ps_strat_state *st;
	unsigned long ips[PS_MAX_TARGETS];
};

static void notrace ps_ff_func(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct ps_ff *ff = op->private;

	ps_count_hit(ff->st->sid, ps_strat_target(ff->st, ip));
}

static int ps_ff_setup(struct ps_strat_state *st)
{
	struct ps_ff *ff;
	int ret;

	ff = kzalloc(sizeof(*ff), GFP_KERNEL);
	if (!ff)
		return -ENOMEM;
	ff->st = st;
	ff->ops.func = ps_ff_func;
	ff->ops.private = ff;
	ret = ftrace_set_filter_ip(&ff->ops, ps_victim_anchor_addr(), 0, 0);
	if (!ret)
		ret = register_ftrace_function(&ff->ops);
	if (ret) {
		ftrace_free_filter(&ff->ops);
		kfree(ff);
		return ret;
	}
	st->priv = ff;
	return 0;
}

static int ps_ff_toggle(struct ps_strat_state *st, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_ff *ff = st->priv;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++)
		ff->ips[i] = st->tgt[first + i]->addr;
	ret = ftrace_set_filter_ips(&ff->ops, ff->ips, n, !enable, 0);
	if (!ret)
		for (i = 0; i < n; i++)
			st->on[first + i] = enable;
	return ret;
}

static void ps_ff_teardown(struct ps_strat_state *st)
{
	struct ps_ff *ff = st->priv;

	unregister_ftrace_function(&ff->ops);
	ftrace_free_filter(&ff->ops);
	kfree(ff);
	st->priv = NULL;
}

static const void *ps_ff_ops(const struct ps_strat_state *st)
{
	const struct ps_ff *ff = st->priv;

	return &ff->ops;
}

const struct ps_strategy ps_strategy_ftrace_filter = {
	.needs = "CONFIG_DYNAMIC_FTRACE",
	.available = IS_ENABLED(CONFIG_DYNAMIC_FTRACE),
	.sites = BIT(PS_SITE_FTRACE) | BIT(PS_SITE_OPS),
	.usable = ps_function_usable,
	.check_target = ps_ftrace_check_target,
	.setup = ps_ff_setup,
	.toggle = ps_ff_toggle,
	.teardown = ps_ff_teardown,
	.ftrace_ops = ps_ff_ops,
};
