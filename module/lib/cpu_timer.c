// SPDX-License-Identifier: GPL-2.0
/*
 * Periodic hrtimers pinned to each CPU of a mask, firing in interrupt
 * context on that CPU: the wideners aim interrupts at the hammers with
 * them, the stuck-hammer watch looks at what a CPU runs.
 */
#include <linux/hrtimer.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include "lib/lib.h"
#include "lib/compat.h"

/* Runs on the timer's CPU, so the pinned timer stays there. */
static void ps_cpu_timer_arm(void *arg)
{
	struct ps_cpu_timers *ct = arg;

	hrtimer_start(this_cpu_ptr(ct->timer), ct->period,
		      HRTIMER_MODE_REL_PINNED);
}

void ps_cpu_timers_start(struct ps_cpu_timers *ct, const struct cpumask *mask,
			 enum hrtimer_restart (*fn)(struct hrtimer *),
			 u64 period_ns)
{
	unsigned int cpu;

	cpumask_copy(&ct->mask, mask);
	ct->period = ns_to_ktime(period_ns);
	for_each_cpu(cpu, &ct->mask) {
		ps_hrtimer_setup(per_cpu_ptr(ct->timer, cpu), fn,
				 CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
		smp_call_function_single(cpu, ps_cpu_timer_arm, ct, 1);
	}
	ct->running = true;
}

void ps_cpu_timers_stop(struct ps_cpu_timers *ct)
{
	unsigned int cpu;

	if (!ct->running)
		return;
	for_each_cpu(cpu, &ct->mask)
		hrtimer_cancel(per_cpu_ptr(ct->timer, cpu));
	ct->running = false;
}

/*
 * @cpu is back online, and this runs on it: its timer, moved away when
 * the CPU went down (hrtimers_cpu_dying()), is pinned here again.
 */
void ps_cpu_timers_rehome(struct ps_cpu_timers *ct, unsigned int cpu)
{
	if (!ct->running || !cpumask_test_cpu(cpu, &ct->mask))
		return;
	hrtimer_cancel(per_cpu_ptr(ct->timer, cpu));
	ps_cpu_timer_arm(ct);
}
