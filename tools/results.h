/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One storm's results: the module's caps, config, stats, anomalies and
 * histograms, loaded from the live debugfs directory, a saved results
 * directory (same file layout), or a JSON file written by --json.
 */
#ifndef PS_RESULTS_H
#define PS_RESULTS_H

#include <stddef.h>
#include "hist.h"
#include "kv.h"

struct ps_named_hist {
	char *name;
	struct ps_hist *h;
	struct kv_list summary;	/* the file's key=value lines as written */
};

struct ps_results {
	char *source;		/* where it was loaded from */
	struct kv_list caps;
	struct kv_list config;
	struct kv_list stats;
	size_t nr_anomalies;
	struct kv_list *anomalies;	/* one field list per anomaly */
	size_t nr_hists;
	struct ps_named_hist *hists;	/* sorted by name */
	/* a QEMU runner results dir: summary.json's scalars (verdict, ...) */
	struct kv_list runner;
};

void results_init(struct ps_results *r);
void results_free(struct ps_results *r);

/* Parse the anomalies file (one anomaly a line) into @r. */
void results_parse_anomalies(struct ps_results *r, const char *text);

/*
 * Load from a directory with the debugfs layout. "stats" is required;
 * the rest is optional. 0, or -1 with @err set.
 */
int results_load_dir(struct ps_results *r, const char *dir, char *err,
		     size_t errlen);
/* Load a JSON file written by report_json(). */
int results_load_json(struct ps_results *r, const char *path, char *err,
		      size_t errlen);
/*
 * A JSON file, a directory with the debugfs layout, a directory holding
 * result.json, or a scripts/qemu-run.sh results directory (its out/ holds
 * the guest's results; summary.json's verdict goes into @r->runner).
 */
int results_load(struct ps_results *r, const char *path, char *err,
		 size_t errlen);
/* Save in the debugfs layout (+ result.json) under @dir (created). */
int results_save_dir(const struct ps_results *r, const char *dir, char *err,
		     size_t errlen);

const struct ps_named_hist *results_hist(const struct ps_results *r,
					 const char *name);

#endif
