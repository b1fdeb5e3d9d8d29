/* SPDX-License-Identifier: GPL-2.0 */
/* What the two kprobe strategies share. */
#ifndef _PATCHSTORM_STRAT_KPROBE_H
#define _PATCHSTORM_STRAT_KPROBE_H

#include <linux/hrtimer.h>
#include <linux/kprobes.h>
#include "strategies/strategies.h"

struct ps_kp {
	struct kprobe kp;
	struct ps_strat_state *st;
	int target;
};

struct ps_kps {
	struct ps_kp p[PS_MAX_TARGETS];
	struct kprobe *list[PS_MAX_TARGETS];
	/* kprobe-register: the unregister under way, watched */
	struct hrtimer watch;
	struct ps_strat_state *st;
	unsigned int watched;
	/* inject=kprobe-lingers: a second probe on the same sites */
	struct ps_kp linger[PS_MAX_TARGETS];
	unsigned int linger_first, lingering;
};

void ps_kp_init(struct ps_kp *p, struct ps_strat_state *st, unsigned int i);
int ps_kps_alloc(struct ps_strat_state *st);
void ps_kps_free(struct ps_strat_state *st, bool all);
int ps_kprobe_check_target(const struct ps_target *t);
int ps_kprobe_linger(struct ps_strat_state *st, unsigned int first,
		     unsigned int n, bool on);

#endif /* _PATCHSTORM_STRAT_KPROBE_H */
