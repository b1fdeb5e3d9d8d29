// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe-arm: kprobes registered (disabled) once, then enabled and
 * disabled: each flip writes or removes the breakpoint.
 */
#include <linux/kprobes.h>
#include "strategies/kprobe.h"

static int ps_ka_setup(struct ps_strat_state *st)
{
	struct ps_kps *kps;
	unsigned int i;
	int ret;

	ret = ps_kps_alloc(st);
	if (ret)
		return ret;
	kps = st->priv;
	for (i = 0; i < st->nr; i++) {
		kps->p[i].kp.flags = KPROBE_FLAG_DISABLED;
		ret = register_kprobe(&kps->p[i].kp);
		if (ret) {
			pr_err("patchstorm: kprobe-arm: register_kprobe(%s): %d\n",
			       st->tgt[i]->name, ret);
			while (i--)
				unregister_kprobe(&kps->p[i].kp);
			kfree(kps);
			st->priv = NULL;
			return ret;
		}
	}
	return 0;
}

static int ps_ka_toggle(struct ps_strat_state *st, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_kps *kps = st->priv;
	unsigned int i;
	int ret;

	for (i = first; i < first + n; i++) {
		struct kprobe *kp = &kps->p[i].kp;

		ret = enable ? enable_kprobe(kp) : disable_kprobe(kp);
		if (ret)
			return ret;
		ps_strat_done(st, i, enable);
	}
	return 0;
}

static void ps_ka_teardown(struct ps_strat_state *st)
{
	ps_kps_free(st, true);
}

const struct ps_strategy ps_strategy_kprobe_arm = {
	.needs = "CONFIG_KPROBES",
	.available = IS_ENABLED(CONFIG_KPROBES),
	.sites = BIT(PS_SITE_KPROBE),
	.usable = ps_function_usable,
	.check_target = ps_kprobe_check_target,
	.setup = ps_ka_setup,
	.toggle = ps_ka_toggle,
	.teardown = ps_ka_teardown,
};

