// SPDX-License-Identifier: GPL-2.0
/*
 * ops-lingers: a broken ftrace-ops whose handler is still reached after
 * its unregister's update has switched the call sites away, for as long
 * as the unregister then waits (an RCU-tasks grace period, 100 ms and
 * more): as if ftrace_shutdown() had left the ops on ftrace_ops_list,
 * where ftrace_ops_list_func() finds it, while it patched the sites.
 * Made with a second ops of the same handler and filter, registered
 * before the unregister and unregistered once it returned.
 *
 * ftrace's promise is that a call that begins once the update is done
 * runs no handler of the ops; ftrace-ops' stale check resumes there
 * (strategies/ftrace_ops.c), so the hammers' calls during the wait are
 * stale.  While that check resumed only when the unregister returned,
 * this went unseen: by then the second ops was gone too.
 *
 * Trips: stale.  Refused where the sites of an ops go through ftrace's
 * ops list whatever ops trace them (riscv 6.12: ps_arch.ftrace_per_ops):
 * there the unregister of one of two ops writes nothing, so no update
 * marks the point from which its handler must not run.
 */
#include "strategies/strategies.h"
#include "arch/arch.h"

static int ps_ops_lingers_toggle(struct ps_toggle *tog)
{
	struct ps_strat_state *st = tog->st;
	int ret;

	if (tog->enable)
		return ps_toggle_plain(tog);
	ret = ps_ftrace_ops_linger(st, true);
	if (ret)
		return ret;
	ret = ps_toggle_plain(tog);
	ps_ftrace_ops_linger(st, false);
	return ret;
}

static int ps_ops_lingers_check(const struct ps_config *cfg)
{
	/*
	 * Another instance's ops on the same targets keeps them rightly on,
	 * and with three or four ops on a site, taking one off writes nothing.
	 */
	if (cfg->togglers > 1) {
		ps_error("inject=ops-lingers: needs togglers=1 (one ftrace-ops instance)");
		return -EINVAL;
	}
	if (!ps_arch.ftrace_per_ops) {
		ps_error("inject=ops-lingers: needs per-ops ftrace sites (caps: ftrace_per_ops=0)");
		return -EINVAL;
	}
	return 0;
}

const struct ps_injection ps_injection_ops_lingers = {
	.breaks = PS_S_FTRACE_OPS,
	.toggle = ps_ops_lingers_toggle,
	.check_config = ps_ops_lingers_check,
};
