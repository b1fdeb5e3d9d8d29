/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Detectors: what turns a storm into a FAILURE.  Wrong answers, stale
 * calls and visibility (stale.c, from the hammers), torn and mixed site
 * reads (sites.c, from the samplers), traps (arch/, counted here), and
 * the log of them all (anomaly.c, kinds in tables/anomalies.def).
 */
#ifndef _PATCHSTORM_DETECTORS_H
#define _PATCHSTORM_DETECTORS_H

#include "patchstorm.h"
#include "tables/decode.h"

struct cpumask;

/* anomaly.c */
void ps_anomaly(enum ps_anomaly_kind kind, int target, unsigned long addr,
		u64 bytes, int strategy, u64 seq, u64 detail);
u64 ps_anomaly_count(void);
u64 ps_anomaly_first_ns(void);
void ps_anomaly_reset(void);
int ps_anomalies_show(char *buf, size_t len);

/*
 * stale.c: every toggle is bracketed.  ps_toggle_open() before the
 * patching API is called, ps_toggle_close() once it returned and @on
 * holds the outcome (once: a broken toggle may close early): from then
 * on a hammer call must show it.
 */
int ps_stale_init(void);
void ps_stale_exit(void);
void ps_stale_reset(void);
void ps_stale_own(unsigned int s, unsigned long addr, bool on, u64 late);
void ps_stale_use(unsigned int t, unsigned int sid, unsigned int kinds,
		  bool calls, bool held);
void ps_toggle_open(struct ps_toggle *tog);
void ps_toggle_settle(struct ps_toggle *tog, unsigned int i);
void ps_toggle_close(struct ps_toggle *tog);
u64 ps_hammer_call(unsigned int t, const struct ps_victim *v);

/* stuck.c: a hammer that makes no progress on its CPU */
DECLARE_PER_CPU(struct task_struct *, ps_hammer_here);
DECLARE_PER_CPU(u64, ps_hammer_rounds);
void ps_stuck_start(const struct cpumask *hammer_cpus);
void ps_stuck_stop(void);
unsigned int ps_stuck_reports(void);
void ps_stuck_rehome(unsigned int cpu);

/* dests.c: where patched calls and jumps may go */
void ps_dests_init(void);
void ps_dests_add_ops(const void *ops);
bool ps_dest_ftrace_legal(unsigned long dest);

/* sites.c: the patch sites of the targets, and the samplers */
void ps_sites_init(unsigned int kinds, unsigned int togglers);
void ps_sites_allow_ops(const void *ops);
void ps_sites_add_func(unsigned long func);
void ps_sites_add_kprobe(unsigned int t, unsigned long addr);
int ps_samplers_start(unsigned int n, const struct cpumask *mask);
void ps_samplers_stop(void);
void ps_sites_patch_begin(unsigned int slot);
void ps_sites_patch_end(unsigned int slot);
void ps_sites_wake_samplers(void);
void ps_sites_counts(u64 *counts);
void ps_sampler_counts(u64 *passes, u64 *sleeps);
void ps_sampler_flight_counts(u64 *hammer, u64 *inflight);
void ps_sites_hammer_pass(void);
u64 ps_sampler_cpu_ns(void);
int ps_sites_show(char *buf, size_t len);
int ps_sites_class_of(unsigned int t, unsigned int kind, int want,
		      unsigned long *addr, u64 *bytes);

#endif /* _PATCHSTORM_DETECTORS_H */
