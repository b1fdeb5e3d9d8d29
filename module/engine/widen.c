// SPDX-License-Identifier: GPL-2.0
/*
 * Window wideners: interrupts aimed at the hammer CPUs so that they land
 * inside the rare windows that matter (between the two instructions of a
 * riscv auipc+jalr call site, between a patcher's steps).  "hrtimer" arms
 * a pinned periodic hrtimer on each hammer CPU; "ipi" has a thread send
 * function-call IPIs to all of them.
 */
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/smp.h>
#include <linux/percpu.h>
#include "engine/engine.h"

static DEFINE_PER_CPU(struct hrtimer, ps_widen_timer);
static struct ps_cpu_timers ps_widen_timers = { .timer = &ps_widen_timer };
static struct cpumask ps_widen_mask;
static struct task_struct *ps_widen_task;
static ktime_t ps_widen_period;
static atomic64_t ps_widen_events;

static enum hrtimer_restart ps_widen_timer_fn(struct hrtimer *t)
{
	atomic64_inc(&ps_widen_events);
	hrtimer_forward_now(t, ps_widen_period);
	return HRTIMER_RESTART;
}

static void ps_widen_ipi_fn(void *unused)
{
	atomic64_inc(&ps_widen_events);
}

static int ps_widen_ipi_thread(void *arg)
{
	unsigned int us = ktime_to_us(ps_widen_period);

	while (!kthread_should_stop()) {
		on_each_cpu_mask(&ps_widen_mask, ps_widen_ipi_fn, NULL, false);
		usleep_range(us, us + us / 8 + 1);
	}
	return 0;
}

u64 ps_widen_count(void)
{
	return atomic64_read(&ps_widen_events);
}

int ps_widen_start(const struct ps_config *cfg, const struct cpumask *mask)
{
	atomic64_set(&ps_widen_events, 0);
	cpumask_copy(&ps_widen_mask, mask);
	ps_widen_period = ns_to_ktime((u64)cfg->widen_us * NSEC_PER_USEC);
	switch (cfg->widen) {
	case PS_WIDEN_HRTIMER:
		ps_cpu_timers_start(&ps_widen_timers, &ps_widen_mask,
				    ps_widen_timer_fn, ktime_to_ns(ps_widen_period));
		return 0;
	case PS_WIDEN_IPI:
		ps_widen_task = ps_kthread_start(ps_widen_ipi_thread, NULL,
						 -1, "ps_widen_ipi");
		if (IS_ERR(ps_widen_task)) {
			int ret = PTR_ERR(ps_widen_task);

			ps_widen_task = NULL;
			return ret;
		}
		return 0;
	default:
		return 0;
	}
}

void ps_widen_stop(void)
{
	ps_cpu_timers_stop(&ps_widen_timers);
	ps_kthread_stop(&ps_widen_task);
}

/* @cpu is back online (and this runs there): its timer pinned there again. */
void ps_widen_rehome(unsigned int cpu)
{
	ps_cpu_timers_rehome(&ps_widen_timers, cpu);
}
