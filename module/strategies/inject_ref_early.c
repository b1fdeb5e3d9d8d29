// SPDX-License-Identifier: GPL-2.0
/*
 * ref-early: a broken static-key-ref whose reference count says
 * "enabled" before the code is patched, as static_key_slow_inc() did
 * before Linux 4.7 ("locking/static_key: Fix concurrent
 * static_key_slow_inc()"):
 *
 *	if (atomic_inc_not_zero(&key->enabled))
 *		return;				(fast path: already on)
 *	jump_label_lock();
 *	if (atomic_inc_return(&key->enabled) == 1)
 *		jump_label_update(key);		(count published first)
 *	jump_label_unlock();
 *
 * A second CPU's inc that lands between the count and the update takes
 * the fast path and returns while the branch still runs the old code;
 * its caller relies on a branch that is not there yet.  The kernel fixed
 * it with the -1 "enabling" value that sends later incs to wait on the
 * lock.  The count here is the module's own, per key, and the text is
 * written with static_branch_enable/disable (one writer at a time, under
 * the module's lock, so the kernel's own API is used as it must be);
 * decs follow the old code too (a fast path while the count stays above
 * 1, the last one disables under the lock).  The window, as long as the
 * patching itself in the old code, is widened by a sleep of
 * PS_REF_EARLY_US or more between the count and the write, as if the CPU
 * were preempted there (sleeping, not spinning, as release-early does:
 * under QEMU thread=single a spinning vCPU holds the others off).
 *
 * Trips: unexpected-state (the second inc's toggle closes with its key
 * held and the jump label off), and the hammers' stale check.  Needs two
 * togglers or more: one alone never races itself.
 *
 * When the storm ends the keys' counts are handed over to the kernel's
 * (a key enabled once, plus an inc per further holder), so the strategy's
 * own teardown, a static_branch_dec per held reference, balances them.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/jump_label.h>
#include <linux/mutex.h>
#include "strategies/strategies.h"

#define PS_REF_EARLY_US	100

static atomic_t ps_ref_early_count[PS_NR_KEYS];
static DEFINE_MUTEX(ps_ref_early_lock);

static void ps_ref_early_inc(int key)
{
	if (atomic_inc_not_zero(&ps_ref_early_count[key]))
		return;
	mutex_lock(&ps_ref_early_lock);
	if (atomic_inc_return(&ps_ref_early_count[key]) == 1) {
		/* published as enabled: a fast-path inc may return now */
		usleep_range(PS_REF_EARLY_US, 2 * PS_REF_EARLY_US);
		static_branch_enable(&ps_victim_keys[key]);
	}
	mutex_unlock(&ps_ref_early_lock);
}

static void ps_ref_early_dec(int key)
{
	if (atomic_add_unless(&ps_ref_early_count[key], -1, 1))
		return;
	mutex_lock(&ps_ref_early_lock);
	if (atomic_dec_and_test(&ps_ref_early_count[key]))
		static_branch_disable(&ps_victim_keys[key]);
	mutex_unlock(&ps_ref_early_lock);
}

static int ps_ref_early_toggle(struct ps_toggle *tog)
{
	struct ps_strat_state *st = tog->st;
	unsigned int i;

	for (i = tog->first; i < tog->first + tog->n; i++) {
		if (st->on[i] == tog->enable)
			continue;
		if (tog->enable)
			ps_ref_early_inc(st->tgt[i]->victim->key);
		else
			ps_ref_early_dec(st->tgt[i]->victim->key);
		st->on[i] = tog->enable;
	}
	return 0;
}

static int ps_ref_early_check(const struct ps_config *cfg)
{
	if (cfg->togglers < 2 || (cfg->strategies & BIT(PS_MIXED_BIT))) {
		ps_error("inject=ref-early: needs togglers=2 or more, not mixed");
		return -EINVAL;
	}
	return 0;
}

static int ps_ref_early_start(const struct cpumask *cpus)
{
	unsigned int k;

	for (k = 0; k < PS_NR_KEYS; k++)
		atomic_set(&ps_ref_early_count[k], 0);
	return 0;
}

/* The togglers have stopped: the counts become the kernel's. */
static void ps_ref_early_stop(void)
{
	unsigned int k;
	int n;

	mutex_lock(&ps_ref_early_lock);
	for (k = 0; k < PS_NR_KEYS; k++) {
		/* enabled already: count 1 in the kernel; one inc per other */
		for (n = atomic_read(&ps_ref_early_count[k]); n > 1; n--)
			static_branch_inc(&ps_victim_keys[k]);
		atomic_set(&ps_ref_early_count[k], 0);
	}
	mutex_unlock(&ps_ref_early_lock);
}

const struct ps_injection ps_injection_ref_early = {
	.breaks = PS_S_STATIC_KEY_REF,
	.toggle = ps_ref_early_toggle,
	.check_config = ps_ref_early_check,
	.start = ps_ref_early_start,
	.stop = ps_ref_early_stop,
};
