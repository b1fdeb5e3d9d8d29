// SPDX-License-Identifier: GPL-2.0
/*
 * static-key: enable and disable the static keys used inside victims.
 * On riscv 6.12 this is the one path patched without stop_machine: other
 * harts run while the jump label's instruction changes.
 *
 * static_branch_enable/disable are not refcounted: racing on one key, a
 * disable that sees an enable's transient -1 WARNs (jump_label.c).  So
 * each key belongs to one instance, unless shared_keys=on asks for the
 * race.
 */
#include <linux/jump_label.h>
#include "strategies/strategies.h"

/* which storm target each key's victim is, for hit counts; -1: none */
static int ps_key_target[PS_NR_KEYS] = { -1, -1 };

/* Called by a keyed victim whose static branch was taken. */
void ps_static_key_hit(unsigned int key)
{
	ps_count_hit(PS_S_STATIC_KEY, READ_ONCE(ps_key_target[key]));
}

static bool ps_sk_usable(const struct ps_target *t)
{
	return t->victim && t->victim->key >= 0;
}

static bool ps_sk_assign(const struct ps_config *cfg, const struct ps_target *t,
			 unsigned int i, unsigned int n)
{
	return cfg->shared_keys == PS_SHARED_KEYS_ON || t->victim->key % n == i;
}

static int ps_sk_check_config(const struct ps_config *cfg)
{
	unsigned int i, j;

	for (i = 0; i < cfg->targets.nr; i++)
		for (j = 0; j < ps_nr_victims; j++)
			if (!strcmp(cfg->targets.name[i], ps_victims[j].name) &&
			    ps_victims[j].key >= 0)
				return 0;
	ps_error("static-key: no target has a static key (victim_key, victim_key_nonleaf)");
	return -EINVAL;
}

static int ps_sk_setup(struct ps_strat_state *st)
{
	unsigned int i;

	for (i = 0; i < st->nr; i++) {
		const struct ps_target *t = st->tgt[i];

		WRITE_ONCE(ps_key_target[t->victim->key], st->idx[i]);
	}
	return 0;
}

static int ps_sk_toggle(struct ps_strat_state *st, unsigned int first,
			unsigned int n, bool enable)
{
	unsigned int i;

	for (i = first; i < first + n; i++) {
		int key = st->tgt[i]->victim->key;

		if (enable)
			static_branch_enable(&ps_victim_keys[key]);
		else
			static_branch_disable(&ps_victim_keys[key]);
		st->on[i] = enable;
	}
	return 0;
}

static void ps_sk_teardown(struct ps_strat_state *st)
{
	unsigned int i;

	for (i = 0; i < st->nr; i++) {
		int key = st->tgt[i]->victim->key;

		static_branch_disable(&ps_victim_keys[key]);
		WRITE_ONCE(ps_key_target[key], -1);
	}
}

const struct ps_strategy ps_strategy_static_key = {
	.needs = "CONFIG_JUMP_LABEL",
	.available = IS_ENABLED(CONFIG_JUMP_LABEL),
	.sites = BIT(PS_SITE_JUMP),
	.usable = ps_sk_usable,
	.assign = ps_sk_assign,
	.check_config = ps_sk_check_config,
	.setup = ps_sk_setup,
	.toggle = ps_sk_toggle,
	.teardown = ps_sk_teardown,
};
