// SPDX-License-Identifier: GPL-2.0
/*
 * missed-call-site: a broken static-call strategy whose update changes
 * the key's function and the trampoline's jump but leaves the inline
 * call sites as they were.  static_call_update() does that to every
 * site its walk of the key's site list skips or never finds: the walk
 * skips init text and sites outside kernel text, and a module's sites
 * reach the list only through static_call_add_module().  With a site
 * missed, its callers keep calling the old function after the update
 * returned.  Trips: stale (victim_call's inline call still reaches the
 * old function).
 *
 * It needs inline static calls (x86): with out-of-line ones every call
 * goes through the trampoline, which this update does write.  The sites
 * are never touched, so static-call's teardown, a real update, leaves
 * the call as the storm found it.
 */
#include <linux/errno.h>
#include <linux/static_call.h>
#include "strategies/strategies.h"

#ifdef CONFIG_HAVE_STATIC_CALL_INLINE
static void ps_missed_update(void *func)
{
	/* what __static_call_update() does before it walks the sites */
	cpus_read_lock();
	WRITE_ONCE(STATIC_CALL_KEY(ps_victim_call).func, func);
	arch_static_call_transform(NULL, STATIC_CALL_TRAMP_ADDR(ps_victim_call),
				   func, false);
	cpus_read_unlock();
}

static int ps_missed_call_site_toggle(struct ps_toggle *tog)
{
	struct ps_strat_state *st = tog->st;
	unsigned int i;

	for (i = tog->first; i < tog->first + tog->n; i++) {
		ps_missed_update(tog->enable ? ps_static_call_on_fn() :
			       (void *)ps_victim_call_off);
		st->on[i] = tog->enable;
	}
	return 0;
}
#else
static int ps_missed_call_site_toggle(struct ps_toggle *tog)
{
	return -EOPNOTSUPP;
}
#endif

static int ps_missed_call_site_check(const struct ps_config *cfg)
{
	if (!IS_ENABLED(CONFIG_HAVE_STATIC_CALL_INLINE)) {
		ps_error("inject=missed-call-site: no inline static calls here (%s)",
			 "CONFIG_HAVE_STATIC_CALL_INLINE");
		return -EINVAL;
	}
	return 0;
}

const struct ps_injection ps_injection_missed_call_site = {
	.breaks = PS_S_STATIC_CALL,
	.toggle = ps_missed_call_site_toggle,
	.check_config = ps_missed_call_site_check,
};
