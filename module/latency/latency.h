/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency: per-CPU log-linear histograms (hist.c, bucket math in
 * tables/hist_buckets.h, shared with the CLI) and the timed arch flush
 * (flush.c).  Tracepoints: ps_trace.h.
 */
#ifndef _PATCHSTORM_LATENCY_H
#define _PATCHSTORM_LATENCY_H

#include "patchstorm.h"

struct cpumask;

/*
 * Histogram ids: 0 .. PS_H_FIRST_EXTRA - 1 are the patch latencies,
 * strategy * 2 + enable; then the others.
 */
enum ps_hist_id {
	PS_H_FIRST_EXTRA = 2 * PS_NR_STRATEGIES,
	PS_H_VISIBILITY = PS_H_FIRST_EXTRA,
	PS_H_STALL,
	PS_H_FLUSH,
	PS_H_STALE,		/* ns after a toggle completed that a stale call began */
	PS_NR_HISTS,
};

int ps_hist_init(void);
void ps_hist_exit(void);
void ps_hist_reset(void);
void ps_hist_record(unsigned int id, u64 ns);
u64 ps_hist_count(unsigned int id);
int ps_hist_name(unsigned int id, char *buf, size_t len);
int ps_hist_show(unsigned int id, char *buf, size_t len);

/* flush.c: the arch's flush step timed on its own every flush_us */
int ps_flush_start(const struct cpumask *mask);
void ps_flush_stop(void);

#endif /* _PATCHSTORM_LATENCY_H */
