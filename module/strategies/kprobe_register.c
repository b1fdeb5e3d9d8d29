// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe-register: kprobes registered and unregistered on every flip;
 * each unregister waits for an RCU grace period.
 *
 * With kprobe_walk=on each registration goes to the next instruction
 * boundary of the target after the last one (up to PS_KR_WALK bytes in,
 * then from the start again): breakpoints are written over every kind of
 * instruction the function has, including 4-byte instructions that
 * straddle a 4-byte boundary on riscv with compressed instructions,
 * which the kernel writes with more than one store.  register_kprobe()
 * tells the boundaries (it refuses an address inside an instruction).
 * A probe on a path a call may not take cannot be checked against the
 * calls: the samplers watch those sites (new_site()).
 */
#include <linux/kprobes.h>
#include "strategies/kprobe.h"
#include "arch/arch.h"

#define PS_KR_WALK	64

/* Register @p at the next boundary of target @i after its last address. */
static int ps_kr_register_walking(struct ps_strat_state *st, unsigned int i,
				  struct ps_kp *p)
{
	const struct ps_target *t = st->tgt[i];
	unsigned long last = t->kprobe_addr, addr, end, span;
	unsigned int step = ps_arch.insn_align, tries;
	int ret = -EINVAL;

	if (p->kp.addr)
		last = (unsigned long)p->kp.addr;
	addr = last;
	/*
	 * Not past the function's end: the next one is another target's,
	 * and so are the bytes just before it (ps_arch.pre_entry; a probe
	 * walking into arm64's CALL_OPS literal tore the ops pointer).
	 */
	span = t->size > ps_arch.pre_entry ? t->size - ps_arch.pre_entry : t->size;
	end = t->addr + min_not_zero(span, (unsigned long)PS_KR_WALK);
	for (tries = 0; tries < PS_KR_WALK / step + 1; tries++) {
		addr += step;
		if (addr >= end)
			addr = t->kprobe_addr + step;
		/* kprobe-arm's fixed probe sits there; its sites are checked */
		if (addr == t->kprobe_addr)
			continue;
		ps_kp_init(p, st, i);
		p->kp.addr = (kprobe_opcode_t *)addr;
		/* registered disarmed: the samplers learn the site, then it is armed */
		p->kp.flags = KPROBE_FLAG_DISABLED;
		ret = register_kprobe(&p->kp);
		if (!ret) {
			if (st->new_site)
				st->new_site(st, i, addr);
			ret = enable_kprobe(&p->kp);
			if (ret)
				unregister_kprobe(&p->kp);
			return ret;
		}
	}
	/* no other boundary takes one: the target's own address */
	ps_kp_init(p, st, i);
	return register_kprobe(&p->kp);
}

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

		if (enable && st->walk) {
			ret = ps_kr_register_walking(st, i, p);
			if (ret)
				return ret;
		} else if (enable) {
			/* a kprobe is re-registered from a clean slate */
			ps_kp_init(p, st, i);
			ret = register_kprobe(&p->kp);
			if (ret)
				return ret;
		} else {
			unregister_kprobe(&p->kp);
		}
		ps_strat_done(st, i, enable);
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
	.walks = true,
	.sites = BIT(PS_SITE_KPROBE),
	.usable = ps_function_usable,
	.check_target = ps_kprobe_check_target,
	.setup = ps_kr_setup,
	.toggle = ps_kr_toggle,
	.teardown = ps_kr_teardown,
};
