/* SPDX-License-Identifier: GPL-2.0 */
/* Side-by-side comparison of two runs, flagging changes beyond noise. */
#ifndef PS_COMPARE_H
#define PS_COMPARE_H

#include <stdio.h>
#include "results.h"

enum cmp_unit { CMP_PER_S, CMP_COUNT, CMP_NS };

enum cmp_verdict {
	CMP_SAME,	/* within the threshold */
	CMP_WORSE,
	CMP_BETTER,
	CMP_NOISY,	/* changed, but too few samples to tell */
	CMP_MISSING,	/* only in one of the runs */
};

struct cmp_row {
	char name[160];
	enum cmp_unit unit;
	int has_a, has_b;
	double a, b;
	double ratio;		/* b / a; 0 when a is 0 */
	enum cmp_verdict verdict;
};

/* Minimum samples beyond a percentile (in both runs) to trust a change. */
#define CMP_MIN_TAIL 10

/*
 * Rows for two runs: throughput, error counters and histogram
 * percentiles. @threshold is the relative change that counts (0.1 = 10%).
 * Returns the number of rows; caller frees *rows.
 */
size_t compare_results(const struct ps_results *a, const struct ps_results *b,
		       double threshold, struct cmp_row **rows);
/* The comparison as a table; caller frees. */
char *compare_text(const struct ps_results *a, const struct ps_results *b,
		   const struct cmp_row *rows, size_t n, double threshold);
void compare_json(const struct ps_results *a, const struct ps_results *b,
		  const struct cmp_row *rows, size_t n, double threshold,
		  FILE *f);
const char *cmp_verdict_name(enum cmp_verdict v);

#endif
