/* SPDX-License-Identifier: GPL-2.0 */
/* gnuplot input for histogram plots (PNG via gnuplot's pngcairo/png). */
#ifndef PS_PLOT_H
#define PS_PLOT_H

#include <stddef.h>
#include "results.h"

/* Short label of a run: its directory or file name. Caller frees. */
char *plot_label(const char *source);

/*
 * Distribution of @h: rows "center_ns percent" in 1/16-octave bins.
 * Caller frees.
 */
char *plot_distribution_data(const struct ps_hist *h);
/* Percentile curve: rows "x latency_ns" with x = 1/(1-q). Caller frees. */
char *plot_percentile_data(const struct ps_hist *h);

/*
 * Write DIR/NAME.RUN.{dist,pct}.dat for each run holding histogram @name
 * and DIR/NAME.gp drawing DIR/NAME.png (distribution) and
 * DIR/NAME.percentiles.png. Path of the script in *script. 0 or -1.
 */
int plot_write(const char *dir, const char *name,
	       const struct ps_results *runs, size_t nruns, char **script,
	       char *err, size_t errlen);

#endif
