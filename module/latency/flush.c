// SPDX-License-Identifier: GPL-2.0
/*
 * Flush latency: the arch's cross-CPU step that makes new text visible
 * everywhere (riscv flush_icache_all(): a remote fence.i on every hart,
 * through SBI or IPIs; x86 text_poke_sync(): an IPI that serializes every
 * CPU, three of them per text_poke_bp()), timed on its own while the
 * storm runs.  The patch APIs call it inside their own latency, often
 * under stop_machine where it cannot be told apart, so a prober thread on
 * the first toggler CPU calls it every flush_us and records hist/flush:
 * what that step costs with the hammers and patchers busy.
 */
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include "latency/latency.h"
#include "arch/arch.h"

static struct task_struct *ps_flush_task;

static int ps_flush_fn(void *arg)
{
	unsigned long us = ps_run.cfg.flush_us;
	u64 t0;

	while (!kthread_should_stop()) {
		usleep_range(us, us + us / 8);
		t0 = ktime_get_ns();
		ps_arch_flush();
		ps_hist_record(PS_H_FLUSH, ktime_get_ns() - t0);
	}
	return 0;
}

int ps_flush_start(const struct cpumask *mask)
{
	struct task_struct *t;

	if (!ps_run.cfg.flush_us)
		return 0;
	t = ps_kthread_start(ps_flush_fn, NULL, cpumask_first(mask), "ps_flush");
	if (IS_ERR(t))
		return PTR_ERR(t);
	ps_flush_task = t;
	return 0;
}

void ps_flush_stop(void)
{
	ps_kthread_stop(&ps_flush_task);
}
