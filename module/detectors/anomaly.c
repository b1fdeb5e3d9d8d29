// SPDX-License-Identifier: GPL-2.0
/*
 * The anomaly log: counts per kind (tables/anomalies.def), per CPU, and a
 * bounded ring of the most recent anomalies, readable in debugfs, with
 * the first anomaly of each kind kept beside it: a storm that floods the
 * ring with one kind still names where another kind was first seen.  Any
 * anomaly makes the storm a FAILURE; the first one of a storm is also
 * printed to the kernel log once, with a stack trace.
 */
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
#include <linux/smp.h>
#include "detectors/detectors.h"
#include "latency/ps_trace.h"

#define PS_ANOMALY_RING	64

struct ps_anomaly {
	enum ps_anomaly_kind kind;
	int cpu;
	unsigned long addr;
	u64 bytes;
	int strategy;
	u64 seq;
	u64 t_ns;
	u64 detail;
	char target[PS_NAME_LEN];
};

static DEFINE_SPINLOCK(ps_anomaly_lock);
static struct ps_anomaly ps_anomalies[PS_ANOMALY_RING];
static u64 ps_nr_anomalies;
static u64 ps_first_anomaly_ns;
/* the first of each kind, and its number in the log + 1 (0: none yet) */
static struct ps_anomaly ps_first_of_kind[PS_NR_ANOMALY_KINDS];
static u64 ps_first_of_kind_nr[PS_NR_ANOMALY_KINDS];

/* When the first anomaly of the storm was seen, ns after its start; 0: none. */
u64 ps_anomaly_first_ns(void)
{
	return READ_ONCE(ps_first_anomaly_ns);
}

u64 ps_anomaly_count(void)
{
	return READ_ONCE(ps_nr_anomalies);
}

void ps_anomaly_reset(void)
{
	unsigned long flags;

	spin_lock_irqsave(&ps_anomaly_lock, flags);
	ps_nr_anomalies = 0;
	ps_first_anomaly_ns = 0;
	memset(ps_first_of_kind_nr, 0, sizeof(ps_first_of_kind_nr));
	spin_unlock_irqrestore(&ps_anomaly_lock, flags);
}

/*
 * Record one anomaly of @kind on this CPU.  @detail is kind-specific:
 * for stale calls, how long after the toggle completed the call began
 * (ns); for wrong answers, the value returned; for site reads, the site
 * kind.
 */
void ps_anomaly(enum ps_anomaly_kind kind, int target, unsigned long addr,
		u64 bytes, int strategy, u64 seq, u64 detail)
{
	struct ps_anomaly *a;
	unsigned long flags;
	bool first;
	int cpu = raw_smp_processor_id();

	this_cpu_inc(ps_counters.anomalies[kind]);
	trace_patchstorm_anomaly(ps_anomaly_names[kind], cpu, addr, bytes);
	spin_lock_irqsave(&ps_anomaly_lock, flags);
	first = !ps_nr_anomalies;
	a = &ps_anomalies[ps_nr_anomalies % PS_ANOMALY_RING];
	a->kind = kind;
	a->cpu = cpu;
	a->addr = addr;
	a->bytes = bytes;
	a->strategy = strategy;
	a->seq = seq;
	a->t_ns = ktime_get_ns();
	a->detail = detail;
	strscpy(a->target, target >= 0 ? ps_run.targets[target].name : "-");
	if (first)
		WRITE_ONCE(ps_first_anomaly_ns,
			   max(a->t_ns - ps_run.start_ns, 1ULL));
	if (!ps_first_of_kind_nr[kind]) {
		ps_first_of_kind[kind] = *a;
		ps_first_of_kind_nr[kind] = ps_nr_anomalies + 1;
	}
	WRITE_ONCE(ps_nr_anomalies, ps_nr_anomalies + 1);
	spin_unlock_irqrestore(&ps_anomaly_lock, flags);
	if (first) {
		pr_err("patchstorm: first anomaly: %s on cpu %d at %pS (bytes %016llx, seq %llu, detail %llu)\n",
		       ps_anomaly_names[kind], cpu, (void *)addr, bytes, seq,
		       detail);
		dump_stack();
	}
}

static size_t ps_anomaly_line(char *buf, size_t len, const struct ps_anomaly *a)
{
	return scnprintf(buf, len,
			 "kind=%s cpu=%d addr=%pS bytes=%016llx strategy=%s target=%s seq=%llu t_ns=%llu detail=%llu\n",
			 ps_anomaly_names[a->kind], a->cpu, (void *)a->addr,
			 a->bytes,
			 a->strategy >= 0 ? ps_strategy_names[a->strategy] : "-",
			 a->target, a->seq, a->t_ns - ps_run.start_ns, a->detail);
}

/*
 * The first anomaly of each kind that the ring has moved past, oldest
 * first, then the ring: every line in the order the anomalies came.
 */
int ps_anomalies_show(char *buf, size_t len)
{
	unsigned long flags;
	unsigned int k, next;
	size_t n = 0;
	u64 i, first, total, after = 0, nr;

	spin_lock_irqsave(&ps_anomaly_lock, flags);
	total = ps_nr_anomalies;
	first = total > PS_ANOMALY_RING ? total - PS_ANOMALY_RING : 0;
	n += scnprintf(buf + n, len - n,
		       "# %llu anomalies, last %llu shown, after the first of each kind before them\n",
		       total, total - first);
	for (;;) {
		next = PS_NR_ANOMALY_KINDS;
		for (k = 0; k < PS_NR_ANOMALY_KINDS; k++) {
			nr = ps_first_of_kind_nr[k];
			if (nr > after && nr <= first &&
			    (next == PS_NR_ANOMALY_KINDS ||
			     nr < ps_first_of_kind_nr[next]))
				next = k;
		}
		if (next == PS_NR_ANOMALY_KINDS)
			break;
		after = ps_first_of_kind_nr[next];
		n += ps_anomaly_line(buf + n, len - n, &ps_first_of_kind[next]);
	}
	for (i = first; i < total; i++)
		n += ps_anomaly_line(buf + n, len - n,
				     &ps_anomalies[i % PS_ANOMALY_RING]);
	spin_unlock_irqrestore(&ps_anomaly_lock, flags);
	return n;
}
