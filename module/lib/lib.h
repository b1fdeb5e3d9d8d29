/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers every part of the module uses: the last error, kernel symbols
 * the module finds by name, what a site can take, and kthreads.
 */
#ifndef _PATCHSTORM_LIB_H
#define _PATCHSTORM_LIB_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/hrtimer.h>

struct task_struct;

/* error.c: the reason for the last rejected write or start (stats, dmesg) */
extern char ps_last_error[128];
__printf(1, 2) void ps_error(const char *fmt, ...);

/* symbols.c */
int ps_symbols_init(void);
bool ps_have_symbol_lookup(void);
unsigned long ps_symbol_addr(const char *name);
unsigned long ps_symbol_size(unsigned long addr);
bool ps_symbol_is_text(unsigned long addr);
bool ps_is_ftrace_site(unsigned long addr);
int ps_kprobe_fits(unsigned long addr);

/* kthread.c: a kthread bound to @cpu (or unbound: -1), already running */
__printf(4, 5) struct task_struct *
ps_kthread_start(int (*fn)(void *), void *arg, int cpu, const char *fmt, ...);
void ps_kthread_stop(struct task_struct **t);
void ps_kthreads_rehome(unsigned int cpu);
void ps_kthread_idle(void);

/* cpu_timer.c: a periodic hrtimer pinned to each CPU of a mask */
struct ps_cpu_timers {
	struct hrtimer __percpu *timer;
	struct cpumask mask;
	ktime_t period;
	bool running;
};

void ps_cpu_timers_start(struct ps_cpu_timers *ct, const struct cpumask *mask,
			 enum hrtimer_restart (*fn)(struct hrtimer *),
			 u64 period_ns);
void ps_cpu_timers_stop(struct ps_cpu_timers *ct);
void ps_cpu_timers_rehome(struct ps_cpu_timers *ct, unsigned int cpu);

#endif /* _PATCHSTORM_LIB_H */
