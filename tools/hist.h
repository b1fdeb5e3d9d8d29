/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace latency histograms on the buckets of hist_buckets.h: record,
 * merge, percentiles, and parsing of the module's hist/<name> files.
 */
#ifndef PS_HIST_H
#define PS_HIST_H

#include <stddef.h>
#include "hist_buckets.h"
#include "kv.h"

struct ps_hist {
	u64 counts[PS_HIST_NR_BUCKETS];
	u64 overflow;		/* samples above PS_HIST_MAX_VALUE */
	u64 count;		/* all samples, overflow included */
	u64 min;		/* ~0ULL when empty */
	u64 max;
	u64 sum;		/* saturating; mean = sum / count */
};

void ps_hist_init(struct ps_hist *h);
void ps_hist_record(struct ps_hist *h, u64 v);
void ps_hist_merge(struct ps_hist *dst, const struct ps_hist *src);
u64 ps_hist_mean(const struct ps_hist *h);
/*
 * Value at rank ceil(q * count) (q in [0, 1], q=0 gives min): the high
 * bound of the bucket holding that sample, clamped to max. A rank that
 * falls into the overflow returns max. 0 for an empty histogram.
 */
u64 ps_hist_percentile(const struct ps_hist *h, double q);

/* The percentiles every report shows, in order. */
struct ps_pct {
	const char *name;	/* "p50" */
	double q;		/* 0.5 */
};
extern const struct ps_pct ps_hist_pcts[];
extern const size_t ps_hist_nr_pcts;

/*
 * Parse a hist/<name> file: '#' comments, summary key=value lines (kept in
 * @summary when non-NULL), then "low high count" bucket rows. Rows must
 * match the bucket layout; a row above PS_HIST_MAX_VALUE counts as
 * overflow. count/min/max/mean/overflow come from the summary when given
 * (count never below what the rows add up to). 0, or -1 with @err set.
 */
int ps_hist_parse(struct ps_hist *h, struct kv_list *summary,
		  const char *text, char *err, size_t errlen);

/* Write @h in the same format (used for saved results and tests). */
char *ps_hist_format(const struct ps_hist *h);

#endif
