/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PATCHSTORM_STRAT_KPROBE_H
#define _PATCHSTORM_STRAT_KPROBE_H

#include <linux/kprobes.h>
#include "patchstorm.h"

struct ps_kp {
	struct kprobe kp;
	enum ps_strat strat;
	int target;
};

struct ps_kps {
	struct ps_kp p[PS_MAX_TARGETS];
	struct kprobe *list[PS_MAX_TARGETS];
};

void ps_kp_init(struct ps_kp *p, enum ps_strat strat, int target);
int ps_kps_alloc(struct ps_toggler *tg, enum ps_strat strat);
void ps_kps_free(struct ps_strat_state *st, bool all);

#endif /* _PATCHSTORM_STRAT_KPROBE_H */
