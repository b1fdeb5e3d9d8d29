// SPDX-License-Identifier: GPL-2.0
/*
 * ref-leak: a broken static-key-ref that loses one static_branch_dec()
 * per key, the way a caller's error path or a teardown that forgets one
 * of its references does: the count never returns to 0, the branch stays
 * on after every user is gone, and the key outlives the storm in the
 * wrong state.  kernel/jump_label.c's history has the kernel's own
 * variants (a deferred dec lost to a racing inc, counts going out of
 * balance across CPU hotplug); the kernel cannot see it, since a count
 * above 0 is legal.
 *
 * Trips: left-on (the storm's end finds the key still enabled, after
 * every strategy's teardown), and a "keys" file that differs from the
 * one before the storm (patchstorm run's left-as-found check).  While
 * the storm runs, the refcounted expected state still counts the lost
 * reference as given back, so a later check may also see the branch on
 * with nobody holding it.
 */
#include <linux/atomic.h>
#include <linux/jump_label.h>
#include "strategies/strategies.h"

static atomic_t ps_ref_leaked[PS_NR_KEYS];

static int ps_ref_leak_toggle(struct ps_toggle *tog)
{
	struct ps_strat_state *st = tog->st;
	unsigned int i;

	for (i = tog->first; i < tog->first + tog->n; i++) {
		int key = st->tgt[i]->victim->key;

		if (st->on[i] == tog->enable)
			continue;
		if (tog->enable) {
			if (!static_branch_inc(&ps_victim_keys[key]))
				return -EOVERFLOW;
		} else if (atomic_xchg(&ps_ref_leaked[key], 1)) {
			static_branch_dec(&ps_victim_keys[key]);
		}
		/* else: the lost dec; the strategy believes it gave it back */
		st->on[i] = tog->enable;
	}
	return 0;
}

static int ps_ref_leak_start(const struct cpumask *cpus)
{
	unsigned int k;

	for (k = 0; k < PS_NR_KEYS; k++)
		atomic_set(&ps_ref_leaked[k], 0);
	return 0;
}

const struct ps_injection ps_injection_ref_leak = {
	.breaks = PS_S_STATIC_KEY_REF,
	.toggle = ps_ref_leak_toggle,
	.start = ps_ref_leak_start,
};
