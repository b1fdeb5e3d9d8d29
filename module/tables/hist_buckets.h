/* SPDX-License-Identifier: GPL-2.0 */
/*
 * patchstorm histogram bucket math, shared by the kernel module and the
 * userspace tools.
 *
 * Log-linear buckets in the style of HdrHistogram with 7 sub-bucket bits:
 *
 *  - values 0..255 get one bucket each (exact to 1 ns);
 *  - every further power-of-two range [2^k, 2^(k+1)), k >= 8, is split
 *    into 128 equal buckets of width 2^(k-7), so a bucket is never wider
 *    than 1/128 (< 1%) of its lowest value;
 *  - values up to 2^36 - 1 ns (~68.7 s) are covered; anything larger is an
 *    overflow, for which ps_hist_bucket() returns PS_HIST_NR_BUCKETS.
 *
 * Bucket i holds the values ps_hist_bucket_low(i)..ps_hist_bucket_high(i),
 * both inclusive, and ps_hist_bucket_high(i) + 1 == ps_hist_bucket_low(i + 1).
 *
 * Pure integer code (shifts only, no division), no state, no locking.
 */
#ifndef PS_HIST_BUCKETS_H
#define PS_HIST_BUCKETS_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/bitops.h>
#else
/* userspace: the kernel's u64 and fls64() */
typedef unsigned long long u64;

static inline int ps_fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#define fls64(x) ps_fls64(x)
#endif

/* log2 of the number of sub-buckets in each power-of-two range */
#define PS_HIST_SUB_BITS	7
#define PS_HIST_SUB_COUNT	128U	/* 2^PS_HIST_SUB_BITS */
/* values >= 2^PS_HIST_MAX_BITS ns are overflows */
#define PS_HIST_MAX_BITS	36
#define PS_HIST_MAX_VALUE	((1ULL << PS_HIST_MAX_BITS) - 1)
#define PS_HIST_NR_BUCKETS \
	((PS_HIST_MAX_BITS - PS_HIST_SUB_BITS + 1) * PS_HIST_SUB_COUNT)

/* Index of the bucket holding @v, or PS_HIST_NR_BUCKETS if @v overflows. */
static inline unsigned int ps_hist_bucket(u64 v)
{
	unsigned int shift;

	if (v > PS_HIST_MAX_VALUE)
		return PS_HIST_NR_BUCKETS;
	if (v < 2 * PS_HIST_SUB_COUNT)
		return (unsigned int)v;
	/* v >= 256: fls64(v) >= 9, keep the top 8 bits (128..255) */
	shift = fls64(v) - (PS_HIST_SUB_BITS + 1);
	return (shift << PS_HIST_SUB_BITS) + (unsigned int)(v >> shift);
}

/* Lowest value of bucket @i; 2^PS_HIST_MAX_BITS for the overflow bucket. */
static inline u64 ps_hist_bucket_low(unsigned int i)
{
	unsigned int shift;

	if (i >= PS_HIST_NR_BUCKETS)
		return PS_HIST_MAX_VALUE + 1;
	if (i < 2 * PS_HIST_SUB_COUNT)
		return i;
	shift = (i >> PS_HIST_SUB_BITS) - 1;
	return (u64)((i & (PS_HIST_SUB_COUNT - 1)) | PS_HIST_SUB_COUNT) << shift;
}

/* Highest value of bucket @i; U64_MAX for the overflow bucket. */
static inline u64 ps_hist_bucket_high(unsigned int i)
{
	unsigned int shift;

	if (i >= PS_HIST_NR_BUCKETS)
		return ~0ULL;
	if (i < 2 * PS_HIST_SUB_COUNT)
		return i;
	shift = (i >> PS_HIST_SUB_BITS) - 1;
	return ps_hist_bucket_low(i) + (1ULL << shift) - 1;
}

#endif /* PS_HIST_BUCKETS_H */
