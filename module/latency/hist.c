// SPDX-License-Identifier: GPL-2.0
/*
 * Latency histograms: per-CPU log-linear buckets (tables/hist_buckets.h,
 * shared with the userspace tools and unit-tested there), merged on read.
 *
 * Samples are recorded from task context only (togglers and hammers), so
 * disabling preemption is enough to keep one CPU's histogram consistent.
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include "latency/latency.h"
#include "tables/hist_buckets.h"

struct ps_hist {
	u64 count;
	u64 sum;
	u64 min;
	u64 max;
	u64 overflow;
	u64 buckets[PS_HIST_NR_BUCKETS];
};

static struct ps_hist __percpu *ps_hists[PS_NR_HISTS];

static const char *const ps_hist_extra_names[] = {
	[PS_H_VISIBILITY - PS_H_FIRST_EXTRA] = "visibility",
	[PS_H_STALL - PS_H_FIRST_EXTRA] = "stall",
	[PS_H_FLUSH - PS_H_FIRST_EXTRA] = "flush",
	[PS_H_STALE - PS_H_FIRST_EXTRA] = "stale",
};

/* "patch.<strategy>.<enable|disable>", or one of the extra names. */
int ps_hist_name(unsigned int id, char *buf, size_t len)
{
	if (id < PS_H_FIRST_EXTRA)
		return scnprintf(buf, len, "patch.%s.%s",
				 ps_strategy_names[id / 2],
				 id & 1 ? "enable" : "disable");
	return scnprintf(buf, len, "%s",
			 ps_hist_extra_names[id - PS_H_FIRST_EXTRA]);
}

void ps_hist_record(unsigned int id, u64 ns)
{
	struct ps_hist *h;
	unsigned int b = ps_hist_bucket(ns);

	preempt_disable();
	h = this_cpu_ptr(ps_hists[id]);
	if (!h->count || ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	h->count++;
	h->sum += ns;
	if (b < PS_HIST_NR_BUCKETS)
		h->buckets[b]++;
	else
		h->overflow++;
	preempt_enable();
}

void ps_hist_reset(void)
{
	unsigned int id, cpu;

	for (id = 0; id < PS_NR_HISTS; id++)
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(ps_hists[id], cpu), 0,
			       sizeof(struct ps_hist));
}

u64 ps_hist_count(unsigned int id)
{
	unsigned int cpu;
	u64 n = 0;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu_ptr(ps_hists[id], cpu)->count);
	return n;
}

static void ps_hist_merge(unsigned int id, struct ps_hist *m)
{
	unsigned int cpu, b;

	memset(m, 0, sizeof(*m));
	for_each_possible_cpu(cpu) {
		const struct ps_hist *h = per_cpu_ptr(ps_hists[id], cpu);

		if (!h->count)
			continue;
		if (!m->count || h->min < m->min)
			m->min = h->min;
		m->max = max(m->max, h->max);
		m->count += h->count;
		m->sum += h->sum;
		m->overflow += h->overflow;
		for (b = 0; b < PS_HIST_NR_BUCKETS; b++)
			m->buckets[b] += h->buckets[b];
	}
}

/*
 * The value at rank ceil(q * count), q in units of 1/10000: the high end
 * of the bucket that rank falls in, but never above the largest sample.
 */
static u64 ps_hist_percentile(const struct ps_hist *m, unsigned int q)
{
	u64 rank = div_u64(m->count * q + 9999, 10000), seen = 0;
	unsigned int b;

	if (!rank)
		rank = 1;
	for (b = 0; b < PS_HIST_NR_BUCKETS; b++) {
		seen += m->buckets[b];
		if (seen >= rank)
			return min(ps_hist_bucket_high(b), m->max);
	}
	return m->max;	/* the rank is among the overflows */
}

int ps_hist_show(unsigned int id, char *buf, size_t len)
{
	static const struct {
		const char *name;
		unsigned int q;
	} pct[] = {
		{ "p50", 5000 }, { "p90", 9000 }, { "p99", 9900 },
		{ "p99.9", 9990 }, { "p99.99", 9999 },
	};
	struct ps_hist *m = kvmalloc(sizeof(*m), GFP_KERNEL);
	char name[PS_NAME_LEN];
	size_t n = 0;
	unsigned int i, b;

	if (!m)
		return -ENOMEM;
	ps_hist_merge(id, m);
	ps_hist_name(id, name, sizeof(name));
	n += scnprintf(buf + n, len - n,
		       "# patchstorm histogram: %s\n# unit: ns\ncount=%llu\nmin=%llu\nmean=%llu\nmax=%llu\n",
		       name, m->count, m->min,
		       m->count ? div64_u64(m->sum, m->count) : 0, m->max);
	for (i = 0; i < ARRAY_SIZE(pct); i++)
		n += scnprintf(buf + n, len - n, "%s=%llu\n", pct[i].name,
			       m->count ? ps_hist_percentile(m, pct[i].q) : 0);
	n += scnprintf(buf + n, len - n, "overflow=%llu\n# low high count\n",
		       m->overflow);
	for (b = 0; b < PS_HIST_NR_BUCKETS; b++)
		if (m->buckets[b])
			n += scnprintf(buf + n, len - n, "%llu %llu %llu\n",
				       ps_hist_bucket_low(b),
				       ps_hist_bucket_high(b), m->buckets[b]);
	kvfree(m);
	return n;
}

int ps_hist_init(void)
{
	unsigned int id;

	for (id = 0; id < PS_NR_HISTS; id++) {
		ps_hists[id] = alloc_percpu(struct ps_hist);
		if (!ps_hists[id]) {
			ps_hist_exit();
			return -ENOMEM;
		}
	}
	return 0;
}

void ps_hist_exit(void)
{
	unsigned int id;

	for (id = 0; id < PS_NR_HISTS; id++) {
		free_percpu(ps_hists[id]);
		ps_hists[id] = NULL;
	}
}
