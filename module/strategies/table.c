// SPDX-License-Identifier: GPL-2.0
/*
 * The strategy table, locktorture style: each line of
 * tables/strategies.def paired with the ops its file defines.
 */
#include <linux/string.h>
#include "strategies/strategies.h"
#include "detectors/detectors.h"

const struct ps_strategy *const ps_strategies[PS_NR_STRATEGIES] = {
	[PS_S_FTRACE_FILTER] = &ps_strategy_ftrace_filter,
	[PS_S_FTRACE_OPS] = &ps_strategy_ftrace_ops,
	[PS_S_KPROBE_ARM] = &ps_strategy_kprobe_arm,
	[PS_S_KPROBE_REGISTER] = &ps_strategy_kprobe_register,
	[PS_S_STATIC_KEY] = &ps_strategy_static_key,
	[PS_S_STATIC_KEY_REF] = &ps_strategy_static_key_ref,
	[PS_S_STATIC_CALL] = &ps_strategy_static_call,
	[PS_S_FTRACE_DIRECT] = &ps_strategy_ftrace_direct,
	[PS_S_TRACEPOINT] = &ps_strategy_tracepoint,
	[PS_S_MODULE_CHURN] = &ps_strategy_module_churn,
};

/* The strategy named @name, or -1. */
int ps_strategy_lookup(const char *name)
{
	unsigned int s;

	for (s = 0; s < PS_NR_STRATEGIES; s++)
		if (!strcmp(name, ps_strategy_names[s]))
			return s;
	return -1;
}

/* Can strategy @s run here: the kernel has it, and what it needs is given. */
bool ps_strategy_usable(unsigned int s)
{
	const struct ps_strategy *ops = ps_strategies[s];

	return ops->available && (!ops->ready || ops->ready());
}

int ps_toggle_plain(struct ps_toggle *tog)
{
	struct ps_strat_state *st = tog->st;
	int ret;

	st->tog = tog;
	ret = st->ops->toggle(st, tog->first, tog->n, tog->enable);
	st->tog = NULL;
	return ret;
}

/*
 * The API call for target @i of @st returned with it @on: in a storm's
 * toggle, its stale check resumes now, not once the batch is done.
 */
void ps_strat_done(struct ps_strat_state *st, unsigned int i, bool on)
{
	st->on[i] = on;
	if (st->tog)
		ps_toggle_settle(st->tog, i - st->tog->first);
}

/* Which storm target an ftrace or kprobe hit of @st at @ip is, or -1. */
notrace int ps_strat_target(const struct ps_strat_state *st, unsigned long ip)
{
	unsigned int i;

	/* the traced ip may sit past a landing pad: compare the first bytes */
	for (i = 0; i < st->nr; i++)
		if (ip - st->tgt[i]->addr < 16)
			return st->idx[i];
	return -1;
}
