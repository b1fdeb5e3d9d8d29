// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace-direct: ftrace direct calls, the path BPF trampolines take.
 * register_ftrace_direct() points the ftrace sites of the instance's
 * targets at a trampoline of the module's own (arch/<arch>_direct.c):
 * x86, and riscv 6.12, call it from the site itself; arm64 does when it
 * is in branch range, and riscv's CALL_OPS kernels reach it through
 * ftrace_caller and the ops' direct_call.  unregister_ftrace_direct()
 * puts the sites back.
 *
 * A function takes one direct call at a time (the kernel refuses a
 * second: -EBUSY), so the instances split the victims between them.
 * Kernel functions are not taken: the trampoline keeps only the first
 * argument register, which is all a victim has.  Each call through the
 * trampoline counts a hit for its target, and the hammers check it
 * against what the API last reported (detectors/stale.c).
 */
#include <linux/ftrace.h>
#include <linux/slab.h>
#include "strategies/strategies.h"
#include "arch/arch.h"

struct ps_fd {
	struct ftrace_ops ops;
	unsigned long ips[PS_MAX_TARGETS];
};

/*
 * The instances with their ops set up, for ps_direct_hit(), packed from
 * the front: all are set up before the hammers start and torn down after
 * they stop, so the first empty slot ends the list.
 */
static struct ps_strat_state *ps_fd_insts[PS_MAX_THREADS];

/* Called by the trampoline; @ip is the return address into the target. */
notrace void ps_direct_hit(unsigned long ip)
{
	struct ps_strat_state *st;
	unsigned int i;
	int t = -1;

	for (i = 0; i < PS_MAX_THREADS && t < 0; i++) {
		st = READ_ONCE(ps_fd_insts[i]);
		if (!st)
			break;
		t = ps_strat_target(st, ip);
	}
	ps_count_hit(PS_S_FTRACE_DIRECT, t);
}

static bool ps_fd_usable(const struct ps_target *t)
{
	return t->victim;
}

/* one direct call per function: the victims split among the instances */
static bool ps_fd_assign(const struct ps_config *cfg, const struct ps_target *t,
			 unsigned int i, unsigned int n)
{
	return (t->victim - ps_victims) % n == i;
}

static int ps_fd_setup(struct ps_strat_state *st)
{
	struct ps_fd *fd;
	unsigned int i;
	int ret;

	if (!st->nr)
		return 0;
	fd = kzalloc(sizeof(*fd), GFP_KERNEL);
	if (!fd)
		return -ENOMEM;
	for (i = 0; i < st->nr; i++)
		fd->ips[i] = st->tgt[i]->addr;
	ret = ftrace_set_filter_ips(&fd->ops, fd->ips, st->nr, 0, 0);
	if (ret) {
		ftrace_free_filter(&fd->ops);
		kfree(fd);
		return ret;
	}
	st->priv = fd;
	for (i = 0; i < PS_MAX_THREADS; i++)
		if (!ps_fd_insts[i]) {
			WRITE_ONCE(ps_fd_insts[i], st);
			break;
		}
	return 0;
}

static int ps_fd_toggle(struct ps_strat_state *st, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_fd *fd = st->priv;
	unsigned long tramp = (unsigned long)ps_direct_tramp;
	unsigned int i;
	int ret;

	if (!fd)
		return 0;
	if (enable)
		ret = register_ftrace_direct(&fd->ops, tramp);
	else
		ret = unregister_ftrace_direct(&fd->ops, tramp, false);
	if (!ret)
		for (i = 0; i < st->nr; i++)
			st->on[i] = enable;
	return ret;
}

static void ps_fd_teardown(struct ps_strat_state *st)
{
	struct ps_fd *fd = st->priv;
	unsigned int i;

	if (!fd)
		return;
	if (st->on[0])
		unregister_ftrace_direct(&fd->ops, (unsigned long)ps_direct_tramp,
					 false);
	for (i = 0; i < PS_MAX_THREADS; i++)
		if (ps_fd_insts[i] == st)
			WRITE_ONCE(ps_fd_insts[i], NULL);
	ftrace_free_filter(&fd->ops);
	kfree(fd);
	st->priv = NULL;
}

static const void *ps_fd_ops(const struct ps_strat_state *st)
{
	const struct ps_fd *fd = st->priv;

	return fd ? &fd->ops : NULL;
}

const struct ps_strategy ps_strategy_ftrace_direct = {
	.needs = "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS",
	.available = IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS),
	.whole = true,
	.sites = BIT(PS_SITE_FTRACE) | BIT(PS_SITE_OPS),
	.usable = ps_fd_usable,
	.assign = ps_fd_assign,
	.check_target = ps_ftrace_check_target,
	.setup = ps_fd_setup,
	.toggle = ps_fd_toggle,
	.teardown = ps_fd_teardown,
	.ftrace_ops = ps_fd_ops,
};
