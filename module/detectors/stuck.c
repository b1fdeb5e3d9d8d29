// SPDX-License-Identifier: GPL-2.0
/*
 * Stuck hammers.  A patched site that became a jump to itself or a
 * branch into a loop leaves a hammer spinning where it should have
 * returned; the kernel's soft-lockup or RCU-stall watchdogs report that
 * 20-45 s later, without naming the site.  Here a pinned hrtimer on each
 * hammer CPU looks every PS_STUCK_PERIOD_MS at what its CPU runs: a
 * hammer that is the current task tick after tick while its CPU's call
 * count stands still is stuck, an anomaly reported within a second,
 * with the pc the interrupt found it at (and, the first time, the
 * interrupted stack in the kernel log).
 *
 * Counted in ticks that find the hammer running, not time: a vCPU that
 * QEMU does not run (one host thread for every vCPU under thread=single)
 * has no ticks either, and a hammer preempted by another task (the
 * stop_machine stopper) or asleep is not current, so those ticks do not
 * count; only its next round starts the count again.  A CPU that spins
 * with interrupts off takes no tick: that is left to the kernel's NMI
 * watchdog.
 */
#include <linux/kernel.h>
#include <linux/hrtimer.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <asm/irq_regs.h>
#include "detectors/detectors.h"

#define PS_STUCK_PERIOD_MS	100
#define PS_STUCK_TICKS		10

struct ps_watch {
	struct hrtimer timer;
	unsigned int cpu;		/* the CPU it watches */
	u64 calls;
	unsigned int ticks;
	bool reported;
};

static DEFINE_PER_CPU(struct ps_watch, ps_watch);
static struct ps_cpu_timers ps_watch_timers = { .timer = &ps_watch.timer };
/* the hammer task last seen starting a round on each CPU, and rounds */
DEFINE_PER_CPU(struct task_struct *, ps_hammer_here);
DEFINE_PER_CPU(u64, ps_hammer_rounds);
static atomic_t ps_stuck_count;

/* How many stuck hammers were reported in this storm. */
unsigned int ps_stuck_reports(void)
{
	return atomic_read(&ps_stuck_count);
}

static enum hrtimer_restart ps_watch_fn(struct hrtimer *t)
{
	struct ps_watch *w = container_of(t, struct ps_watch, timer);
	u64 calls = this_cpu_read(ps_hammer_rounds);
	struct pt_regs *regs = get_irq_regs();

	/* moved away while its CPU was offline: it watches nothing here */
	if (w->cpu != smp_processor_id())
		goto out;
	/*
	 * A tick that finds another task here is not counted, and does not
	 * reset the count either: a preemptible kernel (riscv64 7.2's lazy
	 * preemption) runs other tasks beside a hammer looping in a site.
	 */
	if (calls != w->calls) {
		w->calls = calls;
		w->ticks = 0;
		w->reported = false;
	} else if (current == this_cpu_read(ps_hammer_here) &&
		   ++w->ticks >= PS_STUCK_TICKS && !w->reported) {
		w->reported = true;
		atomic_inc(&ps_stuck_count);
		ps_anomaly(PS_A_STUCK, -1, regs ? instruction_pointer(regs) : 0,
			   0, -1, 0, (u64)w->ticks * PS_STUCK_PERIOD_MS);
	}
out:
	hrtimer_forward_now(t, ms_to_ktime(PS_STUCK_PERIOD_MS));
	return HRTIMER_RESTART;
}

void ps_stuck_start(const struct cpumask *hammer_cpus)
{
	unsigned int cpu;

	atomic_set(&ps_stuck_count, 0);
	for_each_cpu(cpu, hammer_cpus) {
		struct ps_watch *w = per_cpu_ptr(&ps_watch, cpu);

		w->cpu = cpu;
		w->calls = 0;
		w->ticks = 0;
		w->reported = false;
		per_cpu(ps_hammer_here, cpu) = NULL;
	}
	ps_cpu_timers_start(&ps_watch_timers, hammer_cpus, ps_watch_fn,
			    PS_STUCK_PERIOD_MS * NSEC_PER_MSEC);
}

void ps_stuck_stop(void)
{
	ps_cpu_timers_stop(&ps_watch_timers);
}

/* @cpu is back online (and this runs there): watch it from here again. */
void ps_stuck_rehome(unsigned int cpu)
{
	struct ps_watch *w = per_cpu_ptr(&ps_watch, cpu);

	/* its hammer is on its way back: it has not been stuck meanwhile */
	w->ticks = 0;
	w->reported = false;
	ps_cpu_timers_rehome(&ps_watch_timers, cpu);
}
