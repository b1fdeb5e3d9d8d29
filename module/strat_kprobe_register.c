// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe-register: kprobes registered and unregistered on every flip;
 * each unregister waits for an RCU grace period.
 */
#include <linux/kprobes.h>
#include "patchstorm.h"
#include "strat_kprobe.h"

static int ps_kr_setup(struct ps_toggler *tg)
{
	return ps_kps_alloc(tg, PS_KPROBE_REGISTER);
}

static int ps_kr_toggle(struct ps_toggler *tg, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_strat_state *st = &tg->st[PS_KPROBE_REGISTER];
	struct ps_kps *kps = st->priv;
	unsigned int i;
	int ret;

	for (i = first; i < first + n; i++) {
		struct ps_kp *p = &kps->p[i];

		if (enable) {
			/* a kprobe is re-registered from a clean slate */
			ps_kp_init(p, PS_KPROBE_REGISTER, st->idx[i]);
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

static void ps_kr_teardown(struct ps_toggler *tg)
{
	ps_kps_free(&tg->st[PS_KPROBE_REGISTER], false);
}

const struct ps_strategy ps_kprobe_register_strategy = {
	.name = "kprobe-register",
	.setup = ps_kr_setup,
	.toggle = ps_kr_toggle,
	.teardown = ps_kr_teardown,
};
