// SPDX-License-Identifier: GPL-2.0
/*
 * The one way the module starts and stops its threads.
 *
 * A thread placed on a CPU is bound there (kthread_bind()), and still,
 * when the CPU goes offline the scheduler moves it to another one, where
 * it goes on (hammers hammer, togglers toggle: patching while CPUs come
 * and go is part of the storm), and ps_kthreads_rehome() puts it back
 * when its CPU returns (engine/hotplug.c).  So no thread may assume the
 * CPU it runs on: smp_processor_id() only with preemption off.
 */
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/stdarg.h>
#include "lib/lib.h"
#include "tables/limits.h"

/* togglers, hammers, samplers and the few others */
#define PS_MAX_KTHREADS		(3 * PS_MAX_THREADS + 8)

static struct {
	struct task_struct *task;
	int cpu;
} ps_kthreads[PS_MAX_KTHREADS];
static DEFINE_MUTEX(ps_kthreads_lock);

static void ps_kthread_note(struct task_struct *t, int cpu)
{
	unsigned int i;

	mutex_lock(&ps_kthreads_lock);
	for (i = 0; i < PS_MAX_KTHREADS; i++) {
		if (!ps_kthreads[i].task) {
			ps_kthreads[i].task = t;
			ps_kthreads[i].cpu = cpu;
			break;
		}
	}
	mutex_unlock(&ps_kthreads_lock);
}

static void ps_kthread_forget(struct task_struct *t)
{
	unsigned int i;

	mutex_lock(&ps_kthreads_lock);
	for (i = 0; i < PS_MAX_KTHREADS; i++)
		if (ps_kthreads[i].task == t)
			ps_kthreads[i].task = NULL;
	mutex_unlock(&ps_kthreads_lock);
}

/* @cpu is back online: the threads placed on it go back there. */
void ps_kthreads_rehome(unsigned int cpu)
{
	unsigned int i;

	mutex_lock(&ps_kthreads_lock);
	for (i = 0; i < PS_MAX_KTHREADS; i++)
		if (ps_kthreads[i].task && ps_kthreads[i].cpu == cpu)
			set_cpus_allowed_ptr(ps_kthreads[i].task, cpumask_of(cpu));
	mutex_unlock(&ps_kthreads_lock);
}

/*
 * Create a kthread named after @fmt, place it on @cpu unless that is
 * -1, and wake it.  An ERR_PTR on failure.
 */
struct task_struct *ps_kthread_start(int (*fn)(void *), void *arg, int cpu,
				     const char *fmt, ...)
{
	struct task_struct *t;
	char name[TASK_COMM_LEN];
	va_list args;

	va_start(args, fmt);
	vsnprintf(name, sizeof(name), fmt, args);
	va_end(args);
	t = kthread_create(fn, arg, "%s", name);
	if (IS_ERR(t))
		return t;
	if (cpu >= 0) {
		/*
		 * Bound, not just given an affinity: from 6.14 on a kthread
		 * resets its affinity to its node's CPUs once woken
		 * (kthread_affine_node()) unless it is bound, and a hammer
		 * that moved between two reads of its CPU's counters made up
		 * a stale call on riscv64 7.2.
		 */
		kthread_bind(t, cpu);
		ps_kthread_note(t, cpu);
	}
	wake_up_process(t);
	return t;
}

/* Stop *@t if it runs, and forget it. */
void ps_kthread_stop(struct task_struct **t)
{
	if (*t) {
		ps_kthread_forget(*t);
		kthread_stop(*t);
	}
	*t = NULL;
}

/* A thread with nothing left to do waits to be stopped, as kthread_stop() expects. */
void ps_kthread_idle(void)
{
	while (!kthread_should_stop())
		msleep(20);
}
