// SPDX-License-Identifier: GPL-2.0
/*
 * What the two kprobe strategies share: a probe per target whose handler
 * counts hits.  Probes go at ps_target.kprobe_addr: on riscv and arm64
 * not at +0 of a traceable function (no KPROBES_ON_FTRACE), see arch/.
 */
#include <linux/kprobes.h>
#include <linux/slab.h>
#include "strategies/kprobe.h"

static int ps_kp_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct ps_kp *p = container_of(kp, struct ps_kp, kp);

	ps_count_hit(p->st->sid, p->target);
	return 0;
}

/* The probe on @st's target @i. */
void ps_kp_init(struct ps_kp *p, struct ps_strat_state *st, unsigned int i)
{
	memset(&p->kp, 0, sizeof(p->kp));
	p->kp.addr = (kprobe_opcode_t *)st->tgt[i]->kprobe_addr;
	p->kp.pre_handler = ps_kp_pre;
	p->st = st;
	p->target = st->idx[i];
}

int ps_kps_alloc(struct ps_strat_state *st)
{
	struct ps_kps *kps;
	unsigned int i;

	kps = kzalloc(sizeof(*kps), GFP_KERNEL);
	if (!kps)
		return -ENOMEM;
	for (i = 0; i < st->nr; i++)
		ps_kp_init(&kps->p[i], st, i);
	kps->st = st;
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

/*
 * inject=kprobe-lingers: with @on, a second probe of the same handler on
 * the sites of @st's targets @first..@first+@n-1 (aggregated with the
 * first, on one breakpoint), so the handler stays reachable whatever the
 * first one's unregister does; without, they go.
 */
int ps_kprobe_linger(struct ps_strat_state *st, unsigned int first,
		     unsigned int n, bool on)
{
	struct ps_kps *kps = st->priv;
	unsigned int i, k = 0;
	int ret = 0;

	if (!on) {
		for (i = 0; i < kps->lingering; i++)
			kps->list[k++] = &kps->linger[kps->linger_first + i].kp;
		unregister_kprobes(kps->list, k);
		kps->lingering = 0;
		return 0;
	}
	kps->linger_first = first;
	for (i = first; i < first + n; i++) {
		ps_kp_init(&kps->linger[i], st, i);
		/* where the first probe is now (kprobe_walk=off: its own site) */
		kps->linger[i].kp.addr = kps->p[i].kp.addr;
		ret = register_kprobe(&kps->linger[i].kp);
		if (ret)
			break;
		kps->lingering++;
	}
	if (ret)
		ps_kprobe_linger(st, first, n, false);
	return ret;
}

int ps_kprobe_check_target(const struct ps_target *t)
{
	int ret = ps_kprobe_fits(t->kprobe_addr);

	if (ret)
		ps_error("%s+%#lx: a kprobe cannot go there (register_kprobe: %d)",
			 t->name, t->kprobe_addr - t->addr, ret);
	return ret;
}
