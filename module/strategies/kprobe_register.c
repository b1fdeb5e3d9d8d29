// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe-register: kprobes registered and unregistered on every flip;
 * each unregister waits for an RCU grace period.
 */
#include <linux/kprobes.h>
#include "strategies/kprobe.h"

static int ps_kr_setup(struct ps_strat_state *st)
{
	return ps_kps_alloc(st);
}

static int ps_kr_toggle(struct ps_strat_state *st, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_kps *kps = st->priv;
	unsigned int i;
	int ret;

	for (i = first; i < first + n; i++) {
		struct ps_kp *p = &kps->p[i];

		if (enable) {
			/* a kprobe is re-registered from a clean slate */
			ps_kp_init(p, st, i);
			ret = register_kprobe(&p->kp);
			if (ret)
				return ret;
		} else {
			unregister_kprobe(&p->kp);
		}
		st->on[i] = enable;
	}
	return 0;
}

static void ps_kr_teardown(struct ps_strat_state *st)
{
	ps_kps_free(st, false);
}

const struct ps_strategy ps_strategy_kprobe_register = {
	.needs = "CONFIG_KPROBES",
	.available = IS_ENABLED(CONFIG_KPROBES),
	.sites = BIT(PS_SITE_KPROBE),
	.usable = ps_function_usable,
	.check_target = ps_kprobe_check_target,
	.setup = ps_kr_setup,
	.toggle = ps_kr_toggle,
	.teardown = ps_kr_teardown,
};
