// SPDX-License-Identifier: GPL-2.0
/*
 * static-key-ref: static_branch_inc() and static_branch_dec() on shared
 * keys, by several togglers at once: the refcounted use that kernel code
 * makes of static keys from many CPUs (a subsystem's users each taking a
 * reference while they need the branch on).
 *
 * Every instance takes every refcounted key (victim_keyref,
 * victim_keyref_nonleaf); with togglers=N, N togglers share them.  Each
 * instance holds at most one reference per key: its toggle increments a
 * key it does not hold and decrements one it holds, never below what it
 * incremented, so the kernel's count (key->enabled) is the number of
 * instances holding the key, and each toggler's count stays balanced.
 * Only the 0 -> 1 and 1 -> 0 transitions patch text; every other inc or
 * dec only counts, on the API's lock-free fast path.
 *
 * The expected state.  For static-key, whoever toggled a key last
 * decides its state.  Here no toggler's own last call does: a key is on
 * while any toggler holds a reference, whatever the others are doing.
 * What the kernel promises is this: once static_branch_inc() returned,
 * the branch is on until that reference is dropped, even while other
 * CPUs are in the middle of their own inc or dec (a later inc waits for
 * the first one to finish patching: jump_label.c's -1 "enabling" value);
 * and once the count went back to 0 and no inc is under way, it is off.
 * So the detectors (detectors/stale.c, .refcounted) count the settled
 * references of each key: one more when an inc returned, one fewer as a
 * dec begins (from then on the holder no longer relies on the key).
 * While that count is above 0 the branch must be taken, by every hammer
 * call and at every jump label site, even with other toggles in flight;
 * at 0 with no toggle in flight it must not be; at 0 with one in flight
 * either state is legal.  A toggler's own last call alone would call a
 * dec "off" while another toggler still holds the key, a false stale
 * call, and would miss a key found off while someone else holds it.
 *
 * Sites, their destinations and the hit counts are static-key's
 * (static_key.c): the same jump labels, on keys of their own, since one
 * key must not be enabled by one user and incremented by another.
 */
#include <linux/errno.h>
#include <linux/jump_label.h>
#include "strategies/strategies.h"

static bool ps_skr_usable(const struct ps_target *t)
{
	return ps_static_key_usable(t, true);
}

static int ps_skr_check_config(const struct ps_config *cfg)
{
	return ps_static_key_check_config(cfg, true);
}

/* Take or drop this instance's reference on each key that changes. */
static int ps_skr_toggle(struct ps_strat_state *st, unsigned int first,
			 unsigned int n, bool enable)
{
	unsigned int i;

	for (i = first; i < first + n; i++) {
		struct static_key_false *key =
			&ps_victim_keys[st->tgt[i]->victim->key];

		/* never a second reference, never one it does not hold */
		if (st->on[i] == enable)
			continue;
		if (enable) {
			/* false: the count would overflow, nothing was taken */
			if (!static_branch_inc(key))
				return -EOVERFLOW;
		} else {
			static_branch_dec(key);
		}
		ps_strat_done(st, i, enable);
	}
	return 0;
}

/* The references this instance still holds go back. */
static void ps_skr_teardown(struct ps_strat_state *st)
{
	unsigned int i;

	for (i = 0; i < st->nr; i++) {
		if (st->on[i])
			static_branch_dec(&ps_victim_keys[st->tgt[i]->victim->key]);
		st->on[i] = false;
		ps_static_key_forget(st, i);
	}
}

const struct ps_strategy ps_strategy_static_key_ref = {
	.needs = "CONFIG_JUMP_LABEL",
	.available = IS_ENABLED(CONFIG_JUMP_LABEL),
	.sites = BIT(PS_SITE_JUMP),
	.refcounted = true,
	.bench_target = "victim_keyref",
	.usable = ps_skr_usable,
	.check_config = ps_skr_check_config,
	.setup = ps_static_key_setup,
	.toggle = ps_skr_toggle,
	.teardown = ps_skr_teardown,
};
