// SPDX-License-Identifier: GPL-2.0
/*
 * static-key: enable and disable the static keys used inside victims.
 * On riscv 6.12 this is the one path patched without stop_machine: other
 * harts run while the jump label's instruction changes.
 */
#include <linux/jump_label.h>
#include "patchstorm.h"

static bool ps_sk_usable(const struct ps_target *t)
{
	return t->victim && t->victim->key >= 0;
}

static int ps_sk_setup(struct ps_toggler *tg)
{
	struct ps_strat_state *st = &tg->st[PS_STATIC_KEY];
	unsigned int i;

	for (i = 0; i < st->nr; i++) {
		const struct ps_target *t = &ps_storm.targets[st->idx[i]];

		WRITE_ONCE(ps_key_target[t->victim->key], st->idx[i]);
	}
	return 0;
}

static int ps_sk_toggle(struct ps_toggler *tg, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_strat_state *st = &tg->st[PS_STATIC_KEY];
	unsigned int i;

	for (i = first; i < first + n; i++) {
		int key = ps_storm.targets[st->idx[i]].victim->key;

		if (enable)
			static_branch_enable(&ps_victim_keys[key]);
		else
			static_branch_disable(&ps_victim_keys[key]);
		st->on[i] = enable;
	}
	return 0;
}

static void ps_sk_teardown(struct ps_toggler *tg)
{
	struct ps_strat_state *st = &tg->st[PS_STATIC_KEY];
	unsigned int i;

	for (i = 0; i < st->nr; i++) {
		int key = ps_storm.targets[st->idx[i]].victim->key;

		static_branch_disable(&ps_victim_keys[key]);
		WRITE_ONCE(ps_key_target[key], -1);
	}
}

const struct ps_strategy ps_static_key_strategy = {
	.name = "static-key",
	.usable = ps_sk_usable,
	.setup = ps_sk_setup,
	.toggle = ps_sk_toggle,
	.teardown = ps_sk_teardown,
};
