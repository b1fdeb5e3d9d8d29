// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe-lingers: a broken kprobe-register whose handler is still
 * reached after its unregister has taken the probe out, for as long as
 * the unregister then waits (an RCU grace period): as if
 * __unregister_kprobe_top() had unlinked the probe but left its
 * breakpoint and handler live.  Made with a second probe of the same
 * handler on the same site, registered before the unregister (the two
 * share one aggregate breakpoint) and unregistered once it returned.
 *
 * The kprobes promise is that a trap that begins once the probe is out
 * of the hash or its aggregate's list runs none of its handlers;
 * kprobe-register's stale check resumes there
 * (strategies/kprobe_register.c), so the hammers' calls during the wait
 * are stale.  While that check resumed only when the unregister
 * returned, this went unseen: by then the second probe was gone too.
 *
 * Trips: stale.  Needs kprobe_walk=off (a walking probe's site is not on
 * every call's path, so its calls are not checked) and one instance.
 */
#include "strategies/kprobe.h"

static int ps_kprobe_lingers_toggle(struct ps_toggle *tog)
{
	struct ps_strat_state *st = tog->st;
	int ret;

	if (tog->enable)
		return ps_toggle_plain(tog);
	ret = ps_kprobe_linger(st, tog->first, tog->n, true);
	if (ret)
		return ret;
	ret = ps_toggle_plain(tog);
	ps_kprobe_linger(st, tog->first, tog->n, false);
	return ret;
}

static int ps_kprobe_lingers_check(const struct ps_config *cfg)
{
	/* another instance's probe on the same site rightly keeps it on */
	if (cfg->togglers > 1) {
		ps_error("inject=kprobe-lingers: needs togglers=1 (one kprobe-register instance)");
		return -EINVAL;
	}
	if (cfg->kprobe_walk != PS_KPROBE_WALK_OFF) {
		ps_error("inject=kprobe-lingers: needs kprobe_walk=off (calls not checked)");
		return -EINVAL;
	}
	return 0;
}

const struct ps_injection ps_injection_kprobe_lingers = {
	.breaks = PS_S_KPROBE_REGISTER,
	.toggle = ps_kprobe_lingers_toggle,
	.check_config = ps_kprobe_lingers_check,
};
