// SPDX-License-Identifier: GPL-2.0
/*
 * Hammers: kthreads on the hammer CPUs that call the victim targets in
 * tight loops and check every call (detectors/stale.c).
 */
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include "engine/engine.h"
#include "detectors/detectors.h"
#include "latency/latency.h"
#include "latency/ps_trace.h"

static unsigned int ps_hammer_targets[PS_MAX_TARGETS];
static unsigned int ps_nr_hammer_targets;
/* kernel targets configured: make the kernel run its hot paths */
static bool ps_hammer_stir;

static void ps_stir_ipi(void *unused)
{
}

/*
 * Kernel functions cannot be called with a known answer; the hammers
 * make the kernel run them instead.  Every round an IPI to the next
 * online CPU (IPI entry and exit, the function-call queue, irq exit on
 * both CPUs), and every 16th a short sleep (hrtimer expiry, a wake-up,
 * two context switches, the scheduler's and RCU's paths).  The tick
 * runs anyway.
 */
static void ps_hammer_stir_round(unsigned int round)
{
	int self = get_cpu();
	/* the next online CPU, wrapping (cpumask_next_wrap() changed in 6.15) */
	unsigned int cpu = cpumask_next(self, cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	put_cpu();
	/* another CPU, or none: the call would run here, no IPI */
	if (cpu < nr_cpu_ids && cpu != self)
		smp_call_function_single(cpu, ps_stir_ipi, NULL, 0);
	if (!(round & 15))
		usleep_range(10, 20);
}

static int ps_hammer_fn(void *arg)
{
	u64 stall_ns = ps_run.cfg.stall_ns, ns;
	unsigned int i, loops = 0;

	while (!kthread_should_stop()) {
		ps_stutter_wait();
		this_cpu_write(ps_hammer_here, current);
		this_cpu_inc(ps_hammer_rounds);
		for (i = 0; i < ps_nr_hammer_targets; i++) {
			unsigned int t = ps_hammer_targets[i];

			ns = ps_hammer_call(t, ps_run.targets[t].victim);
			ps_hist_record(PS_H_STALL, ns);
			if (ns >= stall_ns)
				trace_patchstorm_stall(raw_smp_processor_id(),
						       ps_run.targets[t].name,
						       ns);
		}
		this_cpu_add(ps_counters.calls, ps_nr_hammer_targets);
		ps_sites_hammer_pass();
		if (ps_hammer_stir)
			ps_hammer_stir_round(loops);
		/*
		 * A busy kthread must report quiescent states to RCU-tasks
		 * itself: unregistering a dynamic ftrace_ops waits for one
		 * on every CPU, and cond_resched() alone gives none when
		 * nothing else is runnable here.
		 */
		if (!(++loops & 63))
			cond_resched_tasks_rcu_qs();
	}
	return 0;
}

/*
 * The targets hammers can call: the victims.  Kernel functions are
 * reached by stirring the kernel (ps_hammer_stir_round()).
 */
unsigned int ps_hammer_victims(void)
{
	unsigned int i;

	ps_nr_hammer_targets = 0;
	for (i = 0; i < ps_run.nr_targets; i++)
		if (ps_run.targets[i].victim)
			ps_hammer_targets[ps_nr_hammer_targets++] = i;
	ps_hammer_stir = ps_nr_hammer_targets < ps_run.nr_targets;
	return ps_nr_hammer_targets;
}

int ps_hammers_start(void)
{
	const struct cpumask *mask = &ps_storm.hammer_mask;
	unsigned int n, i, w = cpumask_weight(mask);
	struct task_struct *t;

	ps_storm.nr_hammers = 0;
	if (!ps_hammer_victims() && !ps_hammer_stir)
		return 0;
	n = ps_run.cfg.hammers >= 0 ? ps_run.cfg.hammers : w;
	for (i = 0; i < n; i++) {
		t = ps_kthread_start(ps_hammer_fn, NULL,
				     cpumask_nth(i % w, mask), "ps_hammer/%u", i);
		if (IS_ERR(t))
			return PTR_ERR(t);
		ps_storm.hammers[ps_storm.nr_hammers++] = t;
	}
	if (ps_storm.nr_hammers)
		ps_stuck_start(mask);
	return 0;
}

void ps_hammers_stop(void)
{
	unsigned int i;

	ps_stuck_stop();
	for (i = 0; i < ps_storm.nr_hammers; i++)
		ps_kthread_stop(&ps_storm.hammers[i]);
	ps_storm.nr_hammers = 0;
}
