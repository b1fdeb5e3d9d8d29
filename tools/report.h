/* SPDX-License-Identifier: GPL-2.0 */
/* The end-of-storm report, as text and as JSON. */
#ifndef PS_REPORT_H
#define PS_REPORT_H

#include <stdio.h>
#include "results.h"
#include "util.h"

struct strategy_row {
	char name[64];
	u64 enable;
	u64 disable;
	u64 errors;
	u64 hits;
	double rate;		/* toggles per second over elapsed */
};

/* Strategies seen in stats (toggles.S.*, errors.S, hits.S), in order. */
size_t report_strategies(const struct ps_results *r,
			 struct strategy_row **rows);
/* Elapsed seconds from stats (elapsed_ns), 0 if unknown. */
double report_elapsed_s(const struct ps_results *r);
/* 0 SUCCESS, 1 FAILURE, 3 no verdict (the storm did not finish). */
int report_exit_code(const struct ps_results *r);

#define REPORT_QUIET	0x1	/* verdict (and anomalies) only */

/* The whole report; caller frees. */
char *report_text(const struct ps_results *r, unsigned int flags);
/* The verdict line and the anomalies table. */
void report_verdict_text(struct sbuf *sb, const struct ps_results *r);
/* One anomaly a line, aligned; at most @max (0 = all). */
void report_anomalies_text(struct sbuf *sb, const struct ps_results *r,
			   size_t max);
/* Summary, percentiles and a bar chart of one histogram. */
void report_hist_text(struct sbuf *sb, const char *name,
		      const struct ps_hist *h);
/* Everything in the report as JSON, {"schema": 1, ...}. */
void report_json(const struct ps_results *r, FILE *f);

#endif
