// SPDX-License-Identifier: GPL-2.0
#include "report.h"
#include "knobs.h"

#include <string.h>
#include <stdlib.h>
#include "json.h"
#include "util.h"

#define BAR_WIDTH 40

static const char *verdict_of(const struct ps_results *r)
{
	const char *v = kv_get(&r->stats, "verdict");

	return v && *v ? v : "NONE";
}

int report_exit_code(const struct ps_results *r)
{
	const char *v = verdict_of(r);
	const char *rv = kv_get(&r->runner, "verdict");

	/* the QEMU runner saw trouble (an oops, a hang) the module could not */
	if (rv && !strcmp(rv, "FAILURE"))
		return PS_EXIT_FAILURE;
	if (!strcmp(v, "SUCCESS"))
		return PS_EXIT_SUCCESS;
	if (!strcmp(v, "FAILURE"))
		return PS_EXIT_FAILURE;
	return PS_EXIT_ENV;
}

double report_elapsed_s(const struct ps_results *r)
{
	return kv_u64(&r->stats, "elapsed_ns", 0) / 1e9;
}

static struct strategy_row *find_row(struct strategy_row **rows, size_t *n,
				     const char *name, size_t len)
{
	size_t i;

	if (!len || len >= sizeof((*rows)->name))
		return NULL;
	for (i = 0; i < *n; i++)
		if (strlen((*rows)[i].name) == len &&
		    !strncmp((*rows)[i].name, name, len))
			return &(*rows)[i];
	*rows = xrealloc(*rows, (*n + 1) * sizeof(**rows));
	memset(&(*rows)[*n], 0, sizeof(**rows));
	memcpy((*rows)[*n].name, name, len);
	return &(*rows)[(*n)++];
}

static int has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static int has_suffix(const char *s, const char *x)
{
	size_t a = strlen(s), b = strlen(x);

	return a >= b && !strcmp(s + a - b, x);
}

size_t report_strategies(const struct ps_results *r,
			 struct strategy_row **rows)
{
	double el = report_elapsed_s(r);
	size_t i, n = 0;

	*rows = NULL;
	for (i = 0; i < r->stats.n; i++) {
		const char *k = r->stats.items[i].key;
		u64 v = kv_u64(&r->stats, k, 0);
		struct strategy_row *row;

		if (has_prefix(k, "toggles.") && has_suffix(k, ".enable")) {
			row = find_row(rows, &n, k + 8, strlen(k) - 8 - 7);
			if (row)
				row->enable = v;
		} else if (has_prefix(k, "toggles.") &&
			   has_suffix(k, ".disable")) {
			row = find_row(rows, &n, k + 8, strlen(k) - 8 - 8);
			if (row)
				row->disable = v;
		} else if (has_prefix(k, "errors.")) {
			row = find_row(rows, &n, k + 7, strlen(k) - 7);
			if (row)
				row->errors = v;
		} else if (has_prefix(k, "hits.")) {
			row = find_row(rows, &n, k + 5, strlen(k) - 5);
			if (row)
				row->hits = v;
		}
	}
	for (i = 0; i < n; i++)
		(*rows)[i].rate = el > 0 ?
			((*rows)[i].enable + (*rows)[i].disable) / el : 0;
	return n;
}

/* Keys shown in their own section of the report. */
static int key_is_known(const char *k)
{
	static const char *const plain[] = {
		"state", "verdict", "reason", "elapsed_ns", "duration_s",
		"toggles", "calls", "mismatches", "anomalies", "togglers",
		"hammers", "errors", "hits", "stale", "stale_checked", "stale_skipped",
		"last_error",
		"first_anomaly_ns", "cpus_offlined", "cpus_onlined",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plain); i++)
		if (!strcmp(k, plain[i]))
			return 1;
	return (has_prefix(k, "toggles.") &&
		(has_suffix(k, ".enable") || has_suffix(k, ".disable"))) ||
	       has_prefix(k, "errors.") || has_prefix(k, "hits.") ||
	       /* per-histogram counts: shown with the histograms */
	       has_prefix(k, "samples.") || has_prefix(k, "anomalies.") ||
	       (has_prefix(k, "target.") && (has_suffix(k, ".hits") ||
					     has_suffix(k, ".cpus"))) ||
	       has_prefix(k, "targets.");
}

/*
 * "target.NAME.STRATEGY.hits": the strategy of a per-strategy count, or
 * NULL for a target's total "target.NAME.hits" (NAME may hold dots).
 */
static const char *target_strategy(const char *k, size_t *name_len)
{
	const char *end = k + strlen(k) - 5, *dot;
	static char s[64];

	*name_len = end - (k + 7);
	for (dot = end - 1; dot > k + 7 && *dot != '.'; dot--)
		;
	if (dot <= k + 7 || (size_t)(end - dot - 1) >= sizeof(s))
		return NULL;
	memcpy(s, dot + 1, end - dot - 1);
	s[end - dot - 1] = '\0';
	if (!is_strategy_name(s))
		return NULL;
	*name_len = dot - (k + 7);
	return s;
}

static size_t field_width(const struct ps_results *r, const char *key,
			  size_t max, size_t min)
{
	size_t i, w = min;

	for (i = 0; i < r->nr_anomalies && (!max || i < max); i++) {
		const char *v = kv_get(&r->anomalies[i], key);

		if (v && strlen(v) > w)
			w = strlen(v);
	}
	return w;
}

void report_anomalies_text(struct sbuf *sb, const struct ps_results *r,
			   size_t max)
{
	static const char *const cols[] = {
		"kind", "cpu", "addr", "bytes", "strategy", "target", "seq",
	};
	size_t w[ARRAY_SIZE(cols)], i, c, j;
	char t[32];

	for (c = 0; c < ARRAY_SIZE(cols); c++)
		w[c] = field_width(r, cols[c], max, strlen(cols[c]));
	sb_puts(sb, " ");
	for (c = 0; c < ARRAY_SIZE(cols); c++)
		sb_printf(sb, " %-*s", (int)w[c], cols[c]);
	sb_puts(sb, " t\n");
	for (i = 0; i < r->nr_anomalies && (!max || i < max); i++) {
		const struct kv_list *a = &r->anomalies[i];
		const char *tv = kv_get(a, "t_ns");
		u64 tn;

		sb_puts(sb, " ");
		for (c = 0; c < ARRAY_SIZE(cols); c++) {
			const char *v = kv_get(a, cols[c]);

			sb_printf(sb, " %-*s", (int)w[c], v ? v : "-");
		}
		if (tv && !parse_u64(tv, &tn))
			sb_printf(sb, " %s", fmt_ns(tn, t, sizeof(t)));
		else
			sb_puts(sb, " -");
		/* fields beyond the known ones, as key=value */
		for (j = 0; j < a->n; j++) {
			const char *k = a->items[j].key;

			for (c = 0; c < ARRAY_SIZE(cols); c++)
				if (!strcmp(k, cols[c]))
					break;
			if (c == ARRAY_SIZE(cols) && strcmp(k, "t_ns"))
				sb_printf(sb, " %s=%s", k, a->items[j].value);
		}
		sb_puts(sb, "\n");
	}
	if (max && r->nr_anomalies > max)
		sb_printf(sb, "  ... and %zu more (patchstorm anomalies)\n",
			  r->nr_anomalies - max);
}

/* "by kind: stale 3, torn 1": the module's anomalies.<kind> that are not 0 */
static void report_anomaly_kinds(struct sbuf *sb, const struct ps_results *r)
{
	const char *sep = "  by kind: ";
	size_t i;

	for (i = 0; i < r->stats.n; i++) {
		const char *k = r->stats.items[i].key;
		const char *v = r->stats.items[i].value;

		if (!has_prefix(k, "anomalies.") || !strcmp(v, "0"))
			continue;
		sb_printf(sb, "%s%s %s", sep, k + 10, v);
		sep = ", ";
	}
	if (*sep == ',')
		sb_puts(sb, "\n");
}

void report_verdict_text(struct sbuf *sb, const struct ps_results *r)
{
	const char *reason = kv_get(&r->stats, "reason");
	const char *state = kv_get(&r->stats, "state");
	u64 anomalies = kv_u64(&r->stats, "anomalies", r->nr_anomalies);

	sb_printf(sb, "verdict: %s", verdict_of(r));
	if (reason && *reason)
		sb_printf(sb, " (%s)", reason);
	if (!strcmp(verdict_of(r), "NONE"))
		sb_printf(sb, " - no verdict, state %s",
			  state ? state : "unknown");
	sb_puts(sb, "\n");
	if (kv_get(&r->runner, "verdict")) {
		const char *rr = kv_get(&r->runner, "reason");

		sb_printf(sb, "runner: %s%s%s (%s %s, %s vCPUs, tcg=%s, %s)\n",
			  kv_get(&r->runner, "verdict"), rr && *rr ? ": " : "",
			  rr && *rr ? rr : "",
			  kv_get(&r->runner, "arch") ?: "?",
			  kv_get(&r->runner, "kernel") ?: "?",
			  kv_get(&r->runner, "cpus") ?: "?",
			  kv_get(&r->runner, "tcg") ?: "?",
			  kv_get(&r->runner, "what") ?: "?");
	}
	if (anomalies || r->nr_anomalies) {
		u64 first = kv_u64(&r->stats, "first_anomaly_ns", 0);
		char b[32];

		sb_printf(sb, "anomalies: %llu", anomalies);
		if (r->nr_anomalies && r->nr_anomalies != anomalies)
			sb_printf(sb, " (%zu in the log)", r->nr_anomalies);
		if (first)
			sb_printf(sb, ", the first %s into the storm",
				  fmt_ns(first, b, sizeof(b)));
		sb_puts(sb, "\n");
		report_anomaly_kinds(sb, r);
		if (r->nr_anomalies)
			report_anomalies_text(sb, r, 10);
	}
}

/* One bar-chart row per power of two between min and max. */
static void hist_bars(struct sbuf *sb, const struct ps_hist *h)
{
	u64 rows[66] = { 0 }, top = 0;
	int first = -1, last = -1, k;
	unsigned int i;
	char a[32], b[32];

	for (i = 0; i < PS_HIST_NR_BUCKETS; i++) {
		if (!h->counts[i])
			continue;
		k = ps_fls64(ps_hist_bucket_low(i));
		rows[k] += h->counts[i];
	}
	if (h->overflow)
		rows[65] = h->overflow;
	for (k = 0; k < 66; k++) {
		if (!rows[k])
			continue;
		if (first < 0)
			first = k;
		last = k;
		if (rows[k] > top)
			top = rows[k];
	}
	if (first < 0)
		return;
	for (k = first; k <= last; k++) {
		int len = (int)((rows[k] * BAR_WIDTH + top - 1) / top);
		u64 lo, hi;

		if (k == 65) {
			snprintf(a, sizeof(a), ">%s",
				 fmt_ns(PS_HIST_MAX_VALUE, b, sizeof(b)));
			b[0] = '\0';
		} else if (k > 36) {
			continue;
		} else {
			lo = k ? 1ULL << (k - 1) : 0;
			hi = k ? (1ULL << k) - 1 : 0;
			fmt_ns(lo, a, sizeof(a));
			fmt_ns(hi, b, sizeof(b));
		}
		sb_printf(sb, "    %8s %-8s |%-*.*s| %llu (%.1f%%)\n", a,
			  b[0] ? b : "", BAR_WIDTH, len,
			  "########################################", rows[k],
			  100.0 * rows[k] / h->count);
	}
}

void report_hist_text(struct sbuf *sb, const char *name,
		      const struct ps_hist *h)
{
	char b1[32], b2[32], b3[32];
	size_t p;

	sb_printf(sb, "  %s: count %llu", name, h->count);
	if (h->overflow)
		sb_printf(sb, ", overflow %llu (> %s)", h->overflow,
			  fmt_ns(PS_HIST_MAX_VALUE, b1, sizeof(b1)));
	sb_puts(sb, "\n");
	if (!h->count)
		return;
	sb_printf(sb, "    min %s  mean %s  max %s\n",
		  fmt_ns(h->min, b1, sizeof(b1)),
		  fmt_ns(ps_hist_mean(h), b2, sizeof(b2)),
		  fmt_ns(h->max, b3, sizeof(b3)));
	sb_puts(sb, "   ");
	for (p = 0; p < ps_hist_nr_pcts; p++)
		sb_printf(sb, " %s %s", ps_hist_pcts[p].name,
			  fmt_ns(ps_hist_percentile(h, ps_hist_pcts[p].q), b1,
				 sizeof(b1)));
	sb_puts(sb, "\n");
	hist_bars(sb, h);
}

static void report_header(struct sbuf *sb, const struct ps_results *r)
{
	u64 dur = kv_u64(&r->stats, "duration_s", 0);
	u64 toggles = kv_u64(&r->stats, "toggles", 0);
	double el = report_elapsed_s(r);
	const char *state = kv_get(&r->stats, "state");
	const char *arch = kv_get(&r->caps, "arch");
	const char *kernel = kv_get(&r->caps, "kernel");
	char b1[32];

	if (arch || kernel)
		sb_printf(sb, "kernel: %s %s\n", kernel ? kernel : "?",
			  arch ? arch : "?");
	sb_printf(sb, "state: %s, elapsed %.1fs", state ? state : "unknown",
		  el);
	if (dur)
		sb_printf(sb, " of %llus", dur);
	sb_printf(sb, ", %llu toggles", toggles);
	if (el > 0)
		sb_printf(sb, " (%s/s)", fmt_count(toggles / el, b1,
						    sizeof(b1)));
	if (kv_get(&r->stats, "togglers"))
		sb_printf(sb, " by %s toggler%s", kv_get(&r->stats, "togglers"),
			  strcmp(kv_get(&r->stats, "togglers"), "1") ? "s" : "");
	sb_puts(sb, "\n");
}

static void report_strategy_table(struct sbuf *sb, const struct ps_results *r)
{
	struct strategy_row *rows, tot;
	size_t n = report_strategies(r, &rows), i, shown = 0;

	if (!n) {
		free(rows);
		return;
	}
	memset(&tot, 0, sizeof(tot));
	sb_printf(sb, "\nstrategies:\n  %-16s %12s %12s %10s %8s %14s\n",
		  "strategy", "enable", "disable", "rate/s", "errors", "hits");
	for (i = 0; i < n; i++) {
		/* strategies the storm did not use */
		if (!rows[i].enable && !rows[i].disable && !rows[i].errors &&
		    !rows[i].hits)
			continue;
		sb_printf(sb, "  %-16s %12llu %12llu %10.0f %8llu %14llu\n",
			  rows[i].name, rows[i].enable, rows[i].disable,
			  rows[i].rate, rows[i].errors, rows[i].hits);
		tot.enable += rows[i].enable;
		tot.disable += rows[i].disable;
		tot.errors += rows[i].errors;
		tot.hits += rows[i].hits;
		tot.rate += rows[i].rate;
		shown++;
	}
	if (shown > 1)
		sb_printf(sb, "  %-16s %12llu %12llu %10.0f %8llu %14llu\n",
			  "total", tot.enable, tot.disable, tot.rate,
			  tot.errors, tot.hits);
	free(rows);
}

static void report_hammers(struct sbuf *sb, const struct ps_results *r)
{
	u64 calls, v, mism = kv_u64(&r->stats, "mismatches", 0);
	double el = report_elapsed_s(r);
	const char *v0;
	char b1[32];
	size_t i;

	if (kv_get_u64(&r->stats, "calls", &calls))
		return;
	sb_puts(sb, "\nhammers:");
	if (!kv_get_u64(&r->stats, "hammers", &v))
		sb_printf(sb, " %llu threads,", v);
	sb_printf(sb, " %llu calls", calls);
	if (el > 0)
		sb_printf(sb, " (%s/s)", fmt_count(calls / el, b1, sizeof(b1)));
	sb_printf(sb, ", %llu mismatches", mism);
	if (!kv_get_u64(&r->stats, "stale", &v))
		sb_printf(sb, ", %llu stale", v);
	/*
	 * Calls checked for staleness (no toggle of their target's in
	 * flight), of those that could be: a target's calls are checked only
	 * for the strategies that toggle it.
	 */
	if (!kv_get_u64(&r->stats, "stale_checked", &v)) {
		u64 skipped = kv_u64(&r->stats, "stale_skipped", 0);

		sb_printf(sb, " in %s checked calls", fmt_count(v, b1, sizeof(b1)));
		if (v + skipped)
			sb_printf(sb, " (%.0f%%; %s with a toggle in flight)",
				  100.0 * v / (v + skipped),
				  fmt_count(skipped, b1, sizeof(b1)));
	}
	sb_puts(sb, "\n");
	/* CPU hotplug during the storm: threads moved away and back */
	v = kv_u64(&r->stats, "cpus_offlined", 0);
	if (v || kv_u64(&r->stats, "cpus_onlined", 0))
		sb_printf(sb, "  CPUs taken offline during the storm: %llu, brought back: %llu\n",
			  v, kv_u64(&r->stats, "cpus_onlined", 0));
	for (i = 0; i < r->stats.n; i++) {
		const char *k = r->stats.items[i].key, *sep = " (";
		size_t len, j, jlen;

		if (!has_prefix(k, "target.") || !has_suffix(k, ".hits") ||
		    target_strategy(k, &len))
			continue;
		sb_printf(sb, "  target %-.*s: %s hits", (int)len, k + 7,
			  r->stats.items[i].value);
		/* and by strategy */
		for (j = 0; j < r->stats.n; j++) {
			const char *kj = r->stats.items[j].key, *st;

			if (!has_prefix(kj, "target.") || !has_suffix(kj, ".hits"))
				continue;
			st = target_strategy(kj, &jlen);
			if (!st || jlen != len || strncmp(kj + 7, k + 7, len))
				continue;
			sb_printf(sb, "%s%s %s", sep, st, r->stats.items[j].value);
			sep = ", ";
		}
		sb_puts(sb, *sep == ',' ? ")\n" : "\n");
	}
	v0 = kv_get(&r->stats, "targets.unreached");
	if (v0 && *v0)
		sb_printf(sb, "  never reached (no handler ran: not tested): %s\n", v0);
	v0 = kv_get(&r->stats, "targets.dropped");
	if (v0 && *v0)
		sb_printf(sb, "  dropped from the preset (not in this kernel, or no strategy takes them): %s\n",
			  v0);
}

static void report_other(struct sbuf *sb, const struct ps_results *r)
{
	size_t i, shown = 0;

	for (i = 0; i < r->stats.n; i++) {
		if (key_is_known(r->stats.items[i].key))
			continue;
		/* a strategy that settles no disable early: nothing to say */
		if (has_suffix(r->stats.items[i].key, ".disable_early") &&
		    !strcmp(r->stats.items[i].value, "0"))
			continue;
		if (!shown++)
			sb_puts(sb, "\nother counters:\n");
		sb_printf(sb, "  %s=%s\n", r->stats.items[i].key,
			  r->stats.items[i].value);
	}
}

char *report_text(const struct ps_results *r, unsigned int flags)
{
	const char *err = kv_get(&r->stats, "last_error");
	size_t i, empty = 0;
	struct sbuf sb;

	sb_init(&sb);
	report_verdict_text(&sb, r);
	if (err && *err)
		sb_printf(&sb, "module error: %s\n", err);
	if (flags & REPORT_QUIET)
		return sb_steal(&sb);
	report_header(&sb, r);
	report_strategy_table(&sb, r);
	report_hammers(&sb, r);
	report_other(&sb, r);
	for (i = 0; i < r->nr_hists; i++) {
		if (!r->hists[i].h->count) {
			empty++;
			continue;
		}
		if (i == empty)
			sb_puts(&sb, "\nhistograms:\n");
		report_hist_text(&sb, r->hists[i].name, r->hists[i].h);
	}
	if (empty)
		sb_printf(&sb, "(%zu empty histogram%s not shown)\n", empty,
			  empty == 1 ? "" : "s");
	return sb_steal(&sb);
}

static void json_kv_object(struct json_writer *w, const char *key,
			   const struct kv_list *l)
{
	size_t i;

	json_begin_object(w, key);
	for (i = 0; i < l->n; i++)
		json_auto(w, l->items[i].key, l->items[i].value);
	json_end_object(w);
}

static void json_hist(struct json_writer *w, const struct ps_named_hist *nh)
{
	const struct ps_hist *h = nh->h;
	unsigned int i;
	size_t p;

	json_begin_object(w, nh->name);
	json_u64(w, "count", h->count);
	json_u64(w, "min", h->count ? h->min : 0);
	json_u64(w, "mean", ps_hist_mean(h));
	json_u64(w, "max", h->max);
	for (p = 0; p < ps_hist_nr_pcts; p++)
		json_u64(w, ps_hist_pcts[p].name,
			 ps_hist_percentile(h, ps_hist_pcts[p].q));
	json_u64(w, "overflow", h->overflow);
	json_u64(w, "sum", h->sum);
	json_begin_array(w, "buckets");
	for (i = 0; i < PS_HIST_NR_BUCKETS; i++) {
		if (!h->counts[i])
			continue;
		json_begin_array_inline(w, NULL);
		json_u64(w, NULL, ps_hist_bucket_low(i));
		json_u64(w, NULL, ps_hist_bucket_high(i));
		json_u64(w, NULL, h->counts[i]);
		json_end_array(w);
	}
	json_end_array(w);
	json_end_object(w);
}

void report_json(const struct ps_results *r, FILE *f)
{
	struct strategy_row *rows;
	struct json_writer w;
	size_t n, i;

	json_init(&w, f);
	json_begin_object(&w, NULL);
	json_u64(&w, "schema", 1);
	json_string(&w, "tool", "patchstorm");
	json_string(&w, "source", r->source ? r->source : "");
	json_string(&w, "verdict", verdict_of(r));
	json_string(&w, "reason", kv_get(&r->stats, "reason"));
	json_u64(&w, "exit_code", (u64)report_exit_code(r));
	json_u64(&w, "elapsed_ns", kv_u64(&r->stats, "elapsed_ns", 0));
	json_u64(&w, "duration_s", kv_u64(&r->stats, "duration_s", 0));
	json_u64(&w, "toggles", kv_u64(&r->stats, "toggles", 0));
	json_double(&w, "toggles_per_s", report_elapsed_s(r) > 0 ?
		    kv_u64(&r->stats, "toggles", 0) / report_elapsed_s(r) : 0);
	json_u64(&w, "anomaly_count",
		 kv_u64(&r->stats, "anomalies", r->nr_anomalies));
	json_kv_object(&w, "caps", &r->caps);
	json_kv_object(&w, "config", &r->config);
	json_kv_object(&w, "stats", &r->stats);
	if (r->runner.n)
		json_kv_object(&w, "runner", &r->runner);

	n = report_strategies(r, &rows);
	json_begin_array(&w, "strategies");
	for (i = 0; i < n; i++) {
		json_begin_object(&w, NULL);
		json_string(&w, "name", rows[i].name);
		json_u64(&w, "enable", rows[i].enable);
		json_u64(&w, "disable", rows[i].disable);
		json_double(&w, "rate_per_s", rows[i].rate);
		json_u64(&w, "errors", rows[i].errors);
		json_u64(&w, "hits", rows[i].hits);
		json_end_object(&w);
	}
	json_end_array(&w);
	free(rows);

	json_begin_object(&w, "hammers");
	json_u64(&w, "calls", kv_u64(&r->stats, "calls", 0));
	json_u64(&w, "mismatches", kv_u64(&r->stats, "mismatches", 0));
	if (kv_get(&r->stats, "stale_checked")) {
		json_u64(&w, "stale_checked", kv_u64(&r->stats, "stale_checked", 0));
		json_u64(&w, "stale_skipped", kv_u64(&r->stats, "stale_skipped", 0));
	}
	json_end_object(&w);

	json_begin_array(&w, "anomalies");
	for (i = 0; i < r->nr_anomalies; i++)
		json_kv_object(&w, NULL, &r->anomalies[i]);
	json_end_array(&w);

	json_begin_object(&w, "histograms");
	for (i = 0; i < r->nr_hists; i++)
		json_hist(&w, &r->hists[i]);
	json_end_object(&w);
	json_end_object(&w);
	json_finish(&w);
}
