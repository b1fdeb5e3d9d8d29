// SPDX-License-Identifier: GPL-2.0
#include "hist.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

const struct ps_pct ps_hist_pcts[] = {
	{ "p50", 0.5 },
	{ "p90", 0.9 },
	{ "p99", 0.99 },
	{ "p99.9", 0.999 },
	{ "p99.99", 0.9999 },
};
const size_t ps_hist_nr_pcts = ARRAY_SIZE(ps_hist_pcts);

void ps_hist_init(struct ps_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = ~0ULL;
}

static u64 sat_add(u64 a, u64 b)
{
	return a + b < a ? ~0ULL : a + b;
}

void ps_hist_record(struct ps_hist *h, u64 v)
{
	unsigned int b = ps_hist_bucket(v);

	if (b >= PS_HIST_NR_BUCKETS)
		h->overflow++;
	else
		h->counts[b]++;
	h->count++;
	h->sum = sat_add(h->sum, v);
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void ps_hist_merge(struct ps_hist *dst, const struct ps_hist *src)
{
	unsigned int i;

	for (i = 0; i < PS_HIST_NR_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
	dst->overflow += src->overflow;
	dst->count += src->count;
	dst->sum = sat_add(dst->sum, src->sum);
	if (src->count && src->min < dst->min)
		dst->min = src->min;
	if (src->count && src->max > dst->max)
		dst->max = src->max;
}

u64 ps_hist_mean(const struct ps_hist *h)
{
	return h->count ? h->sum / h->count : 0;
}

u64 ps_hist_percentile(const struct ps_hist *h, double q)
{
	unsigned __int128 r;
	u64 rank, seen = 0, ppb;
	unsigned int i;

	if (!h->count)
		return 0;
	if (q <= 0)
		return h->min;
	if (q > 1)
		q = 1;
	/* integer rank: avoid ceil(0.9 * 10) == 10 from binary rounding */
	ppb = (u64)llround(q * 1e9);
	r = ((unsigned __int128)ppb * h->count + 999999999) / 1000000000;
	rank = r ? (u64)r : 1;
	for (i = 0; i < PS_HIST_NR_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen >= rank) {
			u64 v = ps_hist_bucket_high(i);

			return v < h->max ? v : h->max;
		}
	}
	return h->max;
}

static int hist_err(char *err, size_t errlen, int line, const char *msg)
{
	snprintf(err, errlen, "line %d: %s", line, msg);
	return -1;
}

int ps_hist_parse(struct ps_hist *h, struct kv_list *summary,
		  const char *text, char *err, size_t errlen)
{
	struct kv_list kv;
	u64 rows = 0, v;
	const char *mean_s;
	int lineno = 0;
	int have_min = 0, have_max = 0;

	ps_hist_init(h);
	kv_init(&kv);
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char line[256];
		const char *s;

		lineno++;
		if (len >= sizeof(line)) {
			kv_free(&kv);
			return hist_err(err, errlen, lineno, "line too long");
		}
		memcpy(line, text, len);
		line[len] = '\0';
		text = nl ? nl + 1 : text + len;
		s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		if (strchr(s, '=')) {
			if (kv_parse_lines(&kv, s)) {
				kv_free(&kv);
				return hist_err(err, errlen, lineno,
						"malformed key=value line");
			}
		} else {
			unsigned long long lo, hi, n;
			unsigned int b;
			char extra;

			if (sscanf(s, "%llu %llu %llu %c", &lo, &hi, &n,
				   &extra) != 3 || strchr(s, '-')) {
				kv_free(&kv);
				return hist_err(err, errlen, lineno,
						"expected \"low high count\"");
			}
			b = ps_hist_bucket(lo);
			if (b >= PS_HIST_NR_BUCKETS) {
				h->overflow += n;
			} else if (ps_hist_bucket_low(b) != lo ||
				   ps_hist_bucket_high(b) != hi) {
				kv_free(&kv);
				return hist_err(err, errlen, lineno,
						"bucket bounds do not match the patchstorm bucket layout (module and tools built from different versions?)");
			} else {
				h->counts[b] += n;
			}
			rows += n;
			if (n && !have_min) {
				h->min = lo;
				have_min = 1;
			}
			if (n)
				h->max = hi > h->max ? hi : h->max;
		}
	}
	if (!kv_get_u64(&kv, "overflow", &v) && v > h->overflow) {
		/* overflow not given as a row: take the summary's */
		rows += v - h->overflow;
		h->overflow = v;
	}
	h->count = rows;
	if (!kv_get_u64(&kv, "count", &v) && v > h->count)
		h->count = v;	/* racy per-cpu reads: trust the larger */
	if (!kv_get_u64(&kv, "min", &v) && h->count)
		h->min = v;
	if (!kv_get_u64(&kv, "max", &v)) {
		h->max = v;
		have_max = 1;
	}
	if (!have_max && h->overflow)
		h->max = PS_HIST_MAX_VALUE + 1;
	if (!h->count)
		h->min = ~0ULL;
	if (!kv_get_u64(&kv, "sum", &v)) {
		h->sum = v;
	} else {
		mean_s = kv_get(&kv, "mean");
		if (mean_s && h->count) {
			double m = strtod(mean_s, NULL);

			h->sum = (u64)(m * (double)h->count + 0.5);
		}
	}
	if (summary)
		*summary = kv;
	else
		kv_free(&kv);
	return 0;
}

char *ps_hist_format(const struct ps_hist *h)
{
	struct sbuf sb;
	unsigned int i;
	size_t p;

	sb_init(&sb);
	sb_printf(&sb, "# patchstorm histogram, ns\n");
	sb_printf(&sb, "count=%llu\n", h->count);
	sb_printf(&sb, "min=%llu\n", h->count ? h->min : 0);
	sb_printf(&sb, "mean=%llu\n", ps_hist_mean(h));
	sb_printf(&sb, "max=%llu\n", h->max);
	for (p = 0; p < ps_hist_nr_pcts; p++)
		sb_printf(&sb, "%s=%llu\n", ps_hist_pcts[p].name,
			  ps_hist_percentile(h, ps_hist_pcts[p].q));
	sb_printf(&sb, "overflow=%llu\n", h->overflow);
	sb_printf(&sb, "sum=%llu\n", h->sum);
	for (i = 0; i < PS_HIST_NR_BUCKETS; i++)
		if (h->counts[i])
			sb_printf(&sb, "%llu %llu %llu\n",
				  ps_hist_bucket_low(i), ps_hist_bucket_high(i),
				  h->counts[i]);
	return sb_steal(&sb);
}
