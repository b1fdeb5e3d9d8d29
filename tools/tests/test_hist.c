// SPDX-License-Identifier: GPL-2.0
/* Bucket math (hist_buckets.h) and the userspace histogram (hist.c). */
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include "hist.h"
#include "util.h"

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Log-uniform value in [0, 2^bits). */
static u64 rnd_log(unsigned int bits)
{
	unsigned int b = (unsigned int)(rnd() % (bits + 1));

	return b ? rnd() & ((1ULL << b) - 1) : 0;
}

static void test_bucket_count(void)
{
	CHECK_U64(PS_HIST_NR_BUCKETS, 3840);
	CHECK_U64(ps_hist_bucket(PS_HIST_MAX_VALUE), PS_HIST_NR_BUCKETS - 1);
	CHECK_U64(ps_hist_bucket_high(PS_HIST_NR_BUCKETS - 1),
		  PS_HIST_MAX_VALUE);
	CHECK_U64(PS_HIST_MAX_VALUE, (1ULL << 36) - 1);
}

static void test_exact_below_128(void)
{
	u64 v;

	/* exact to 1 ns below 128 (and, by the 1/128 rule, up to 255) */
	for (v = 0; v < 256; v++) {
		CHECK_U64(ps_hist_bucket(v), v);
		CHECK_U64(ps_hist_bucket_low((unsigned int)v), v);
		CHECK_U64(ps_hist_bucket_high((unsigned int)v), v);
	}
	/* first non-exact bucket */
	CHECK_U64(ps_hist_bucket(256), ps_hist_bucket(257));
	CHECK_U64(ps_hist_bucket_low(ps_hist_bucket(257)), 256);
	CHECK_U64(ps_hist_bucket_high(ps_hist_bucket(257)), 257);
}

static void test_contiguous(void)
{
	unsigned int i;
	int bad = 0;

	CHECK_U64(ps_hist_bucket_low(0), 0);
	for (i = 0; i + 1 < PS_HIST_NR_BUCKETS; i++) {
		if (ps_hist_bucket_high(i) + 1 != ps_hist_bucket_low(i + 1) ||
		    ps_hist_bucket_low(i) > ps_hist_bucket_high(i)) {
			if (!bad++)
				t_fail(__FILE__, __LINE__,
				       "bucket %u: [%llu, %llu], next low %llu",
				       i, ps_hist_bucket_low(i),
				       ps_hist_bucket_high(i),
				       ps_hist_bucket_low(i + 1));
		}
		/* the bounds map back to the bucket */
		if (ps_hist_bucket(ps_hist_bucket_low(i)) != i ||
		    ps_hist_bucket(ps_hist_bucket_high(i)) != i) {
			if (!bad++)
				t_fail(__FILE__, __LINE__,
				       "bucket %u bounds map elsewhere", i);
		}
	}
	CHECK_INT(bad, 0);
}

static void test_value_in_bucket(void)
{
	int bad = 0, k;
	u64 v;

	for (v = 0; v < (1 << 16); v++) {
		unsigned int b = ps_hist_bucket(v);

		if (b >= PS_HIST_NR_BUCKETS || v < ps_hist_bucket_low(b) ||
		    v > ps_hist_bucket_high(b))
			bad++;
	}
	for (k = 0; k < 200000; k++) {
		unsigned int b;

		v = rnd_log(36);
		b = ps_hist_bucket(v);
		if (b >= PS_HIST_NR_BUCKETS || v < ps_hist_bucket_low(b) ||
		    v > ps_hist_bucket_high(b)) {
			if (!bad++)
				t_fail(__FILE__, __LINE__,
				       "%llu -> bucket %u [%llu, %llu]", v, b,
				       ps_hist_bucket_low(b),
				       ps_hist_bucket_high(b));
		}
	}
	for (k = 1; k < 36; k++) {
		v = 1ULL << k;
		if (ps_hist_bucket_low(ps_hist_bucket(v)) != v ||
		    ps_hist_bucket_high(ps_hist_bucket(v - 1)) != v - 1)
			bad++;
	}
	CHECK_INT(bad, 0);
}

static void test_relative_width(void)
{
	unsigned int i;
	int bad = 0;

	for (i = 128; i < PS_HIST_NR_BUCKETS; i++) {
		u64 lo = ps_hist_bucket_low(i);
		u64 width = ps_hist_bucket_high(i) - lo + 1;

		/* width / low <= 1/128 < 1% */
		if (width * 128 > lo)
			bad++;
	}
	/* and the widest relative buckets are just 1/128 */
	CHECK_U64(ps_hist_bucket_high(ps_hist_bucket(1ULL << 20)) -
		  (1ULL << 20) + 1, (1ULL << 20) / 128);
	CHECK_INT(bad, 0);
}

static void test_overflow_bucket(void)
{
	struct ps_hist h;

	CHECK_U64(ps_hist_bucket(1ULL << 36), PS_HIST_NR_BUCKETS);
	CHECK_U64(ps_hist_bucket(~0ULL), PS_HIST_NR_BUCKETS);
	CHECK_U64(ps_hist_bucket_low(PS_HIST_NR_BUCKETS), 1ULL << 36);
	CHECK_U64(ps_hist_bucket_high(PS_HIST_NR_BUCKETS), ~0ULL);

	ps_hist_init(&h);
	ps_hist_record(&h, 5);
	ps_hist_record(&h, 1ULL << 40);
	ps_hist_record(&h, ~0ULL);
	CHECK_U64(h.count, 3);
	CHECK_U64(h.overflow, 2);
	CHECK_U64(h.max, ~0ULL);
	CHECK_U64(h.sum, ~0ULL);	/* saturated, not wrapped */
	CHECK_U64(ps_hist_percentile(&h, 0.3), 5);
	/* rank 2 of 3 is an overflow: the max is the best answer */
	CHECK_U64(ps_hist_percentile(&h, 0.5), ~0ULL);
}

static void test_record_summary(void)
{
	struct ps_hist h;

	ps_hist_init(&h);
	CHECK_U64(h.count, 0);
	CHECK_U64(ps_hist_percentile(&h, 0.5), 0);
	CHECK_U64(ps_hist_mean(&h), 0);
	ps_hist_record(&h, 1000);
	ps_hist_record(&h, 3000);
	ps_hist_record(&h, 20);
	CHECK_U64(h.count, 3);
	CHECK_U64(h.min, 20);
	CHECK_U64(h.max, 3000);
	CHECK_U64(ps_hist_mean(&h), 1340);
	CHECK_U64(h.counts[20], 1);
	CHECK_U64(h.counts[ps_hist_bucket(1000)], 1);
}

static void test_percentile_small_exact(void)
{
	struct ps_hist h;
	u64 v;

	ps_hist_init(&h);
	for (v = 1; v <= 10; v++)
		ps_hist_record(&h, v);
	/* rank ceil(q*count): 0.9*10 must be 9, not 10 (float rounding) */
	CHECK_U64(ps_hist_percentile(&h, 0.9), 9);
	CHECK_U64(ps_hist_percentile(&h, 0.5), 5);
	CHECK_U64(ps_hist_percentile(&h, 0.51), 6);
	CHECK_U64(ps_hist_percentile(&h, 0.99), 10);
	CHECK_U64(ps_hist_percentile(&h, 1.0), 10);
	CHECK_U64(ps_hist_percentile(&h, 0.0), 1);
	CHECK_U64(ps_hist_percentile(&h, 0.01), 1);
}

static void test_percentile_clamped_to_max(void)
{
	struct ps_hist h;

	ps_hist_init(&h);
	ps_hist_record(&h, 1000000);	/* bucket [999424, 1003519] */
	CHECK_U64(ps_hist_percentile(&h, 0.5), 1000000);
	ps_hist_record(&h, 999500);
	CHECK_U64(ps_hist_percentile(&h, 0.5), 1000000);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Percentiles against a reference computed by sorting the samples. */
static void test_percentile_vs_sorted(void)
{
	static const double qs[] = { 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99,
				     0.999, 0.9999, 1.0 };
	static const size_t sizes[] = { 1, 7, 100, 1001, 100000 };
	struct ps_hist *h = xmalloc(sizeof(*h));
	size_t s, i, q;
	int bad = 0;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];
		u64 *v = xmalloc(n * sizeof(*v));

		ps_hist_init(h);
		for (i = 0; i < n; i++) {
			v[i] = rnd_log(34);
			ps_hist_record(h, v[i]);
		}
		qsort(v, n, sizeof(*v), cmp_u64);
		for (q = 0; q < ARRAY_SIZE(qs); q++) {
			size_t rank = (size_t)ceil(qs[q] * n - 1e-9);
			u64 ref = v[(rank ? rank : 1) - 1];
			u64 got = ps_hist_percentile(h, qs[q]);
			u64 want = ps_hist_bucket_high(ps_hist_bucket(ref));

			if (want > v[n - 1])
				want = v[n - 1];
			/* same bucket as the true value, error < 1% */
			if (got != want || got < ref ||
			    (double)(got - ref) > ref / 128.0) {
				if (!bad++)
					t_fail(__FILE__, __LINE__,
					       "n=%zu q=%g: got %llu, sorted %llu",
					       n, qs[q], got, ref);
			}
		}
		CHECK_U64(h->min, v[0]);
		CHECK_U64(h->max, v[n - 1]);
		free(v);
	}
	free(h);
	CHECK_INT(bad, 0);
}

static void test_merge(void)
{
	struct ps_hist *a = xmalloc(sizeof(*a)), *b = xmalloc(sizeof(*b));
	struct ps_hist *all = xmalloc(sizeof(*all));
	struct ps_hist *empty = xmalloc(sizeof(*empty));
	int i;

	ps_hist_init(a);
	ps_hist_init(b);
	ps_hist_init(all);
	ps_hist_init(empty);
	for (i = 0; i < 5000; i++) {
		u64 v = rnd_log(37);	/* some overflow too */

		ps_hist_record(i & 1 ? a : b, v);
		ps_hist_record(all, v);
	}
	ps_hist_merge(a, b);
	CHECK(!memcmp(a, all, sizeof(*a)));
	/* merging an empty histogram changes nothing (min stays) */
	ps_hist_merge(a, empty);
	CHECK(!memcmp(a, all, sizeof(*a)));
	/* merging into an empty one copies */
	ps_hist_merge(empty, all);
	CHECK(!memcmp(empty, all, sizeof(*a)));
	CHECK(all->overflow > 0);
	free(a);
	free(b);
	free(all);
	free(empty);
}

static const char sample_file[] =
	"# patchstorm histogram: patch.ftrace-filter.enable (ns)\n"
	"count=6\n"
	"min=100\n"
	"mean=2000\n"
	"max=5000\n"
	"p50=200\n"
	"p99.9=5000\n"
	"overflow=0\n"
	"100 100 1\n"
	"200 200 2\n"
	"1024 1031 2\n"
	"4992 5023 1\n";

static void test_parse(void)
{
	struct ps_hist *h = xmalloc(sizeof(*h));
	struct kv_list summary;
	char err[256];

	CHECK_INT(ps_hist_parse(h, &summary, sample_file, err, sizeof(err)),
		  0);
	CHECK_U64(h->count, 6);
	CHECK_U64(h->min, 100);
	CHECK_U64(h->max, 5000);
	CHECK_U64(ps_hist_mean(h), 2000);
	CHECK_U64(h->counts[200], 2);
	CHECK_U64(h->counts[ps_hist_bucket(1030)], 2);
	CHECK_U64(ps_hist_percentile(h, 0.5), 200);
	CHECK_U64(ps_hist_percentile(h, 0.99), 5000);
	CHECK_STR(kv_get(&summary, "p99.9"), "5000");
	kv_free(&summary);
	free(h);
}

static void test_parse_overflow_and_derived(void)
{
	struct ps_hist *h = xmalloc(sizeof(*h));
	char err[256];

	/* no min/max in the summary: derived from the rows */
	CHECK_INT(ps_hist_parse(h, NULL,
				"overflow=3\n10 10 4\n256 257 1\n", err,
				sizeof(err)), 0);
	CHECK_U64(h->count, 8);
	CHECK_U64(h->overflow, 3);
	CHECK_U64(h->min, 10);
	CHECK_U64(h->max, 1ULL << 36);
	CHECK_U64(ps_hist_percentile(h, 0.5), 10);
	CHECK_U64(ps_hist_percentile(h, 0.6), 257);
	CHECK_U64(ps_hist_percentile(h, 0.7), 1ULL << 36);
	/* an empty file is an empty histogram */
	CHECK_INT(ps_hist_parse(h, NULL, "# nothing yet\ncount=0\n", err,
				sizeof(err)), 0);
	CHECK_U64(h->count, 0);
	CHECK_U64(ps_hist_percentile(h, 0.99), 0);
	free(h);
}

static void test_parse_errors(void)
{
	struct ps_hist *h = xmalloc(sizeof(*h));
	char err[256];

	/* 1000 is not a bucket low bound (buckets are 4 ns wide there) */
	CHECK_INT(ps_hist_parse(h, NULL, "count=1\n1001 1004 1\n", err,
				sizeof(err)), -1);
	CHECK_HAS(err, "line 2");
	CHECK_HAS(err, "bucket layout");
	CHECK_INT(ps_hist_parse(h, NULL, "5 5\n", err, sizeof(err)), -1);
	CHECK_HAS(err, "low high count");
	CHECK_INT(ps_hist_parse(h, NULL, "5 5 -1\n", err, sizeof(err)), -1);
	CHECK_INT(ps_hist_parse(h, NULL, "5 5 1 9\n", err, sizeof(err)), -1);
	CHECK_INT(ps_hist_parse(h, NULL, "=5\n", err, sizeof(err)), -1);
	free(h);
}

static void test_format_roundtrip(void)
{
	struct ps_hist *a = xmalloc(sizeof(*a)), *b = xmalloc(sizeof(*b));
	char err[256], *text;
	int i;

	ps_hist_init(a);
	for (i = 0; i < 3000; i++)
		ps_hist_record(a, rnd_log(37));
	text = ps_hist_format(a);
	CHECK_HAS(text, "count=3000\n");
	CHECK_INT(ps_hist_parse(b, NULL, text, err, sizeof(err)), 0);
	CHECK(!memcmp(a->counts, b->counts, sizeof(a->counts)));
	CHECK_U64(b->count, a->count);
	CHECK_U64(b->overflow, a->overflow);
	CHECK_U64(b->min, a->min);
	CHECK_U64(b->max, a->max);
	CHECK_U64(b->sum, a->sum);
	CHECK_U64(ps_hist_percentile(b, 0.99), ps_hist_percentile(a, 0.99));
	free(text);
	free(a);
	free(b);
}

void suite_hist(void)
{
	RUN(test_bucket_count);
	RUN(test_exact_below_128);
	RUN(test_contiguous);
	RUN(test_value_in_bucket);
	RUN(test_relative_width);
	RUN(test_overflow_bucket);
	RUN(test_record_summary);
	RUN(test_percentile_small_exact);
	RUN(test_percentile_clamped_to_max);
	RUN(test_percentile_vs_sorted);
	RUN(test_merge);
	RUN(test_parse);
	RUN(test_parse_overflow_and_derived);
	RUN(test_parse_errors);
	RUN(test_format_roundtrip);
}
