// SPDX-License-Identifier: GPL-2.0
/*
 * What the two kprobe strategies share: a probe per target whose handler
 * counts hits.  Probes go at ps_target.kprobe_addr: on riscv 6.12 not at
 * +0 of a traceable function (no KPROBES_ON_FTRACE), see arch/.
 */
#include <linux/kprobes.h>
#include <linux/slab.h>
#include "patchstorm.h"
#include "strat_kprobe.h"

static int ps_kp_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct ps_kp *p = container_of(kp, struct ps_kp, kp);

	ps_count_hit(p->strat, p->target);
	return 0;
}

void ps_kp_init(struct ps_kp *p, enum ps_strat strat, int target)
{
	memset(&p->kp, 0, sizeof(p->kp));
	p->kp.addr = (kprobe_opcode_t *)ps_storm.targets[target].kprobe_addr;
	p->kp.pre_handler = ps_kp_pre;
	p->strat = strat;
	p->target = target;
}

int ps_kps_alloc(struct ps_toggler *tg, enum ps_strat strat)
{
	struct ps_strat_state *st = &tg->st[strat];
	struct ps_kps *kps;
	unsigned int i;

	kps = kzalloc(sizeof(*kps), GFP_KERNEL);
	if (!kps)
		return -ENOMEM;
	for (i = 0; i < st->nr; i++)
		ps_kp_init(&kps->p[i], strat, st->idx[i]);
	st->priv = kps;
	return 0;
}

/* Unregister the probes of @st that are in, in one batch (one RCU wait). */
void ps_kps_free(struct ps_strat_state *st, bool all)
{
	struct ps_kps *kps = st->priv;
	unsigned int i, n = 0;

	for (i = 0; i < st->nr; i++)
		if (all || st->on[i])
			kps->list[n++] = &kps->p[i].kp;
	if (n)
		unregister_kprobes(kps->list, n);
	kfree(kps);
	st->priv = NULL;
}

