// SPDX-License-Identifier: GPL-2.0
/*
 * tracepoint: a probe registered on and unregistered from tracepoints
 * (tp:NAME targets).  The first probe enables the tracepoint's static
 * key and the last one disables it: each flip rewrites the key's jump
 * labels wherever the kernel calls the tracepoint (__schedule() for
 * sched_switch, interrupt dispatch for irq_handler_entry...), so the
 * kernel's own hot paths are patched while they run, not only the
 * module's.  The samplers read those jump labels (detectors/sites.c);
 * the probe counts the calls that reach it per CPU.
 *
 * The probe is called with the tracepoint's arguments and reads none:
 * with kCFI (CONFIG_CFI_CLANG) that type mismatch would trap, so the
 * strategy is not offered there.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include "strategies/strategies.h"

struct ps_tpp {
	struct ps_strat_state *st;
	int target;
};

struct ps_tps {
	struct ps_tpp p[PS_MAX_TARGETS];
};

static void ps_tp_probe(void *data)
{
	struct ps_tpp *p = data;

	ps_count_hit(p->st->sid, p->target);
}

static bool ps_tp_usable(const struct ps_target *t)
{
	return t->tp;
}

static int ps_tp_check_config(const struct ps_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->targets.nr; i++)
		if (!strncmp(cfg->targets.name[i], "tp:", 3) ||
		    !strcmp(cfg->targets.name[i], "hot"))
			return 0;
	ps_error("tracepoint: no tracepoint target (tp:NAME, or hot)");
	return -EINVAL;
}

static int ps_tp_setup(struct ps_strat_state *st)
{
	struct ps_tps *tps;
	unsigned int i;

	tps = kzalloc(sizeof(*tps), GFP_KERNEL);
	if (!tps)
		return -ENOMEM;
	for (i = 0; i < st->nr; i++) {
		tps->p[i].st = st;
		tps->p[i].target = st->idx[i];
	}
	st->priv = tps;
	return 0;
}

static int ps_tp_toggle(struct ps_strat_state *st, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_tps *tps = st->priv;
	unsigned int i;
	int ret;

	for (i = first; i < first + n; i++) {
		struct tracepoint *tp = st->tgt[i]->tp;

		if (enable)
			ret = tracepoint_probe_register(tp, (void *)ps_tp_probe,
							&tps->p[i]);
		else
			ret = tracepoint_probe_unregister(tp, (void *)ps_tp_probe,
							  &tps->p[i]);
		if (ret)
			return ret;
		ps_strat_done(st, i, enable);
	}
	return 0;
}

static void ps_tp_teardown(struct ps_strat_state *st)
{
	struct ps_tps *tps = st->priv;
	unsigned int i;

	for (i = 0; i < st->nr; i++)
		if (st->on[i])
			tracepoint_probe_unregister(st->tgt[i]->tp,
						    (void *)ps_tp_probe, &tps->p[i]);
	/* no probe may still be running when its data goes */
	tracepoint_synchronize_unregister();
	kfree(tps);
	st->priv = NULL;
}

const struct ps_strategy ps_strategy_tracepoint = {
	.needs = "CONFIG_TRACEPOINTS, no CONFIG_CFI_CLANG",
	.available = IS_ENABLED(CONFIG_TRACEPOINTS) &&
		     !IS_ENABLED(CONFIG_CFI_CLANG),
	.sites = BIT(PS_SITE_JUMP),
	.usable = ps_tp_usable,
	.check_config = ps_tp_check_config,
	.setup = ps_tp_setup,
	.toggle = ps_tp_toggle,
	.teardown = ps_tp_teardown,
};
