// SPDX-License-Identifier: GPL-2.0
/* The one way the module starts and stops its threads. */
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/stdarg.h>
#include "lib/lib.h"

/*
 * Create a kthread named after @fmt, bind it to @cpu unless that is -1,
 * and wake it.  An ERR_PTR on failure.
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
	if (cpu >= 0)
		kthread_bind(t, cpu);
	wake_up_process(t);
	return t;
}

/* Stop *@t if it runs, and forget it. */
void ps_kthread_stop(struct task_struct **t)
{
	if (*t)
		kthread_stop(*t);
	*t = NULL;
}

/* A thread with nothing left to do waits to be stopped, as kthread_stop() expects. */
void ps_kthread_idle(void)
{
	while (!kthread_should_stop())
		msleep(20);
}
