// SPDX-License-Identifier: GPL-2.0
/*
 * static-key: enable and disable the static keys used inside victims.
 * On riscv 6.12 this is the one path patched without stop_machine: other
 * harts run while the jump label's instruction changes.
 *
 * static_branch_enable/disable are not refcounted: racing on one key, a
 * disable that sees an enable's transient -1 WARNs (jump_label.c).  So
 * each key belongs to one instance, unless shared_keys=on asks for the
 * race.  The refcounted keys (victim->key_ref) are static-key-ref's
 * (static_key_ref.c), which shares the key bookkeeping below: mixing
 * enable/disable with inc/dec on one key is a misuse the kernel WARNs
 * about, so each key has one kind of user.
 */
#include <linux/jump_label.h>
#include "strategies/strategies.h"

/*
 * Which storm target each key's victim is (-1: none), and the strategy
 * flipping it, for hit counts.  Written by setup, before the hammers run.
 */
static struct {
	int target;
	unsigned int sid;
} ps_key_user[PS_NR_KEYS] = {
	[0 ... PS_NR_KEYS - 1] = { .target = -1, .sid = PS_S_STATIC_KEY },
};

/* Called by a keyed victim whose static branch was taken. */
void ps_static_key_hit(unsigned int key)
{
	ps_count_hit(READ_ONCE(ps_key_user[key].sid),
		     READ_ONCE(ps_key_user[key].target));
}

/* Is @t a victim with a static key of the kind @ref (refcounted or not)? */
bool ps_static_key_usable(const struct ps_target *t, bool ref)
{
	return t->victim && t->victim->key >= 0 && t->victim->key_ref == ref;
}

static bool ps_sk_usable(const struct ps_target *t)
{
	return ps_static_key_usable(t, false);
}

static bool ps_sk_assign(const struct ps_config *cfg, const struct ps_target *t,
			 unsigned int i, unsigned int n)
{
	return cfg->shared_keys == PS_SHARED_KEYS_ON || t->victim->key % n == i;
}

/* Some configured target is a victim with a key of the kind @ref? */
int ps_static_key_check_config(const struct ps_config *cfg, bool ref)
{
	unsigned int i, j;

	for (i = 0; i < cfg->targets.nr; i++)
		for (j = 0; j < ps_nr_victims; j++)
			if (!strcmp(cfg->targets.name[i], ps_victims[j].name) &&
			    ps_victims[j].key >= 0 &&
			    ps_victims[j].key_ref == ref)
				return 0;
	ps_error("%s: no target has a %sstatic key (%s, %s_nonleaf)",
		 ref ? "static-key-ref" : "static-key", ref ? "refcounted " : "",
		 ref ? "victim_keyref" : "victim_key",
		 ref ? "victim_keyref" : "victim_key");
	return -EINVAL;
}

static int ps_sk_check_config(const struct ps_config *cfg)
{
	return ps_static_key_check_config(cfg, false);
}

/* The keys of @st's targets: their hits count for @st's strategy. */
int ps_static_key_setup(struct ps_strat_state *st)
{
	unsigned int i;

	for (i = 0; i < st->nr; i++) {
		int key = st->tgt[i]->victim->key;

		WRITE_ONCE(ps_key_user[key].sid, st->sid);
		WRITE_ONCE(ps_key_user[key].target, st->idx[i]);
	}
	return 0;
}

/* Target @i of @st is left: its key's hits count for no target. */
void ps_static_key_forget(struct ps_strat_state *st, unsigned int i)
{
	WRITE_ONCE(ps_key_user[st->tgt[i]->victim->key].target, -1);
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
		ps_strat_done(st, i, enable);
	}
	return 0;
}

static void ps_sk_teardown(struct ps_strat_state *st)
{
	unsigned int i;

	for (i = 0; i < st->nr; i++) {
		static_branch_disable(&ps_victim_keys[st->tgt[i]->victim->key]);
		ps_static_key_forget(st, i);
	}
}

const struct ps_strategy ps_strategy_static_key = {
	.needs = "CONFIG_JUMP_LABEL",
	.available = IS_ENABLED(CONFIG_JUMP_LABEL),
	.sites = BIT(PS_SITE_JUMP),
	.usable = ps_sk_usable,
	.assign = ps_sk_assign,
	.check_config = ps_sk_check_config,
	.setup = ps_static_key_setup,
	.toggle = ps_sk_toggle,
	.teardown = ps_sk_teardown,
};
