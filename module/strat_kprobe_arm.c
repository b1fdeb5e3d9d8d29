// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe-arm: kprobes registered (disabled) once, then enabled and
 * disabled: each flip writes or removes the breakpoint.
 */
#include <linux/kprobes.h>
#include "patchstorm.h"
#include "strat_kprobe.h"

static int ps_ka_setup(struct ps_toggler *tg)
{
	struct ps_strat_state *st = &tg->st[PS_KPROBE_ARM];
	struct ps_kps *kps;
	unsigned int i;
	int ret;

	ret = ps_kps_alloc(tg, PS_KPROBE_ARM);
	if (ret)
		return ret;
	kps = st->priv;
	for (i = 0; i < st->nr; i++) {
		kps->p[i].kp.flags = KPROBE_FLAG_DISABLED;
		ret = register_kprobe(&kps->p[i].kp);
		if (ret) {
			pr_err("patchstorm: kprobe-arm: register_kprobe(%s): %d\n",
			       ps_storm.targets[st->idx[i]].name, ret);
			while (i--)
				unregister_kprobe(&kps->p[i].kp);
			kfree(kps);
			st->priv = NULL;
			return ret;
		}
	}
	return 0;
}

static int ps_ka_toggle(struct ps_toggler *tg, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_strat_state *st = &tg->st[PS_KPROBE_ARM];
	struct ps_kps *kps = st->priv;
	unsigned int i;
	int ret;

	for (i = first; i < first + n; i++) {
		struct kprobe *kp = &kps->p[i].kp;

		ret = enable ? enable_kprobe(kp) : disable_kprobe(kp);
		if (ret)
			return ret;
		st->on[i] = enable;
	}
	return 0;
}

static void ps_ka_teardown(struct ps_toggler *tg)
{
	ps_kps_free(&tg->st[PS_KPROBE_ARM], true);
}

const struct ps_strategy ps_kprobe_arm_strategy = {
	.name = "kprobe-arm",
	.setup = ps_ka_setup,
	.toggle = ps_ka_toggle,
	.teardown = ps_ka_teardown,
};

