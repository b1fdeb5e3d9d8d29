// SPDX-License-Identifier: GPL-2.0
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "report.h"
#include "util.h"

const char *cmp_verdict_name(enum cmp_verdict v)
{
	switch (v) {
	case CMP_WORSE:
		return "worse";
	case CMP_BETTER:
		return "better";
	case CMP_NOISY:
		return "noisy";
	case CMP_MISSING:
		return "missing";
	default:
		return "same";
	}
}

struct rows {
	struct cmp_row *v;
	size_t n;
	double threshold;
};

/*
 * @higher_better: 1 throughput, 0 latency/errors. @tail_a/@tail_b:
 * samples backing the value (CMP_MIN_TAIL needed), or -1 if not a sample
 * statistic. @zero_matters: any change from 0 counts (error counters).
 */
static void add_row(struct rows *r, const char *name, enum cmp_unit unit,
		    int has_a, double a, int has_b, double b,
		    int higher_better, double tail_a, double tail_b,
		    int zero_matters)
{
	struct cmp_row *row;
	double change;

	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	row = &r->v[r->n++];
	memset(row, 0, sizeof(*row));
	snprintf(row->name, sizeof(row->name), "%s", name);
	row->unit = unit;
	row->has_a = has_a;
	row->has_b = has_b;
	row->a = a;
	row->b = b;
	row->ratio = a > 0 ? b / a : 0;
	if (!has_a || !has_b) {
		row->verdict = CMP_MISSING;
		return;
	}
	if (a == b) {
		row->verdict = CMP_SAME;
		return;
	}
	if (a == 0 || b == 0) {
		/* from nothing to something: a change whatever its size */
		change = INFINITY;
		if (!zero_matters && fabs(a - b) < 1)
			change = 0;
	} else {
		change = fabs(b / a - 1);
	}
	if (change <= r->threshold) {
		row->verdict = CMP_SAME;
		return;
	}
	if (tail_a >= 0 && (tail_a < CMP_MIN_TAIL || tail_b < CMP_MIN_TAIL)) {
		row->verdict = CMP_NOISY;
		return;
	}
	row->verdict = (b > a) == !!higher_better ? CMP_BETTER : CMP_WORSE;
}

static double per_s(const struct ps_results *r, u64 v)
{
	double el = report_elapsed_s(r);

	return el > 0 ? v / el : 0;
}

static void add_counter(struct rows *rows, const struct ps_results *a,
			const struct ps_results *b, const char *key,
			int zero_matters)
{
	u64 va, vb;
	int ha = !kv_get_u64(&a->stats, key, &va);
	int hb = !kv_get_u64(&b->stats, key, &vb);

	if (!ha && !hb)
		return;
	add_row(rows, key, CMP_COUNT, ha, ha ? (double)va : 0, hb,
		hb ? (double)vb : 0, 0, -1, -1, zero_matters);
}

static u64 strategy_toggles(const struct ps_results *r, const char *name,
			    int *found)
{
	struct strategy_row *s;
	size_t n = report_strategies(r, &s), i;
	u64 v = 0;

	*found = 0;
	for (i = 0; i < n; i++) {
		if (!strcmp(s[i].name, name)) {
			v = s[i].enable + s[i].disable;
			*found = 1;
		}
	}
	free(s);
	return v;
}

static void add_strategies(struct rows *rows, const struct ps_results *a,
			   const struct ps_results *b)
{
	const struct ps_results *runs[2] = { a, b };
	struct strategy_row *s;
	char name[128];
	size_t n, i;
	int k, j;

	/* strategies used in either run, each once, in order of appearance */
	for (k = 0; k < 2; k++) {
		n = report_strategies(runs[k], &s);
		for (i = 0; i < n; i++) {
			int fa, fb;
			u64 ta, tb;

			snprintf(name, sizeof(name), "toggles/s %s", s[i].name);
			for (j = 0; j < (int)rows->n; j++)
				if (!strcmp(rows->v[j].name, name))
					break;
			if (j < (int)rows->n)
				continue;
			ta = strategy_toggles(a, s[i].name, &fa);
			tb = strategy_toggles(b, s[i].name, &fb);
			if (!ta && !tb)
				continue;	/* not used in either */
			add_row(rows, name, CMP_PER_S, fa, per_s(a, ta), fb,
				per_s(b, tb), 1, -1, -1, 0);
		}
		free(s);
	}
}

static void add_hists(struct rows *rows, const struct ps_results *a,
		      const struct ps_results *b)
{
	const struct ps_results *runs[2] = { a, b };
	char name[160];
	size_t i, p;
	int k;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < runs[k]->nr_hists; i++) {
			const char *hn = runs[k]->hists[i].name;
			const struct ps_named_hist *ha = results_hist(a, hn);
			const struct ps_named_hist *hb = results_hist(b, hn);
			int has_a = ha && ha->h->count;
			int has_b = hb && hb->h->count;

			/* once per name: the second run adds only its own */
			if (k == 1 && ha)
				continue;
			if (!has_a && !has_b)
				continue;
			for (p = 0; p < ps_hist_nr_pcts; p++) {
				double q = ps_hist_pcts[p].q;

				snprintf(name, sizeof(name), "%s %s", hn,
					 ps_hist_pcts[p].name);
				add_row(rows, name, CMP_NS, has_a,
					has_a ? ps_hist_percentile(ha->h, q) : 0,
					has_b,
					has_b ? ps_hist_percentile(hb->h, q) : 0,
					0,
					has_a ? ha->h->count * (1 - q) : 0,
					has_b ? hb->h->count * (1 - q) : 0, 0);
			}
			snprintf(name, sizeof(name), "%s max", hn);
			/* one sample decides a max: never more than noisy */
			add_row(rows, name, CMP_NS, has_a,
				has_a ? ha->h->max : 0, has_b,
				has_b ? hb->h->max : 0, 0, 1, 1, 0);
		}
	}
}

size_t compare_results(const struct ps_results *a, const struct ps_results *b,
		       double threshold, struct cmp_row **out)
{
	static const char *const bad[] = {
		"anomalies", "mismatches", "stale", "errors",
	};
	struct rows rows = { NULL, 0, threshold };
	size_t i;

	add_row(&rows, "toggles/s", CMP_PER_S, 1,
		per_s(a, kv_u64(&a->stats, "toggles", 0)), 1,
		per_s(b, kv_u64(&b->stats, "toggles", 0)), 1, -1, -1, 0);
	add_strategies(&rows, a, b);
	if (kv_get(&a->stats, "calls") || kv_get(&b->stats, "calls"))
		add_row(&rows, "calls/s", CMP_PER_S, !!kv_get(&a->stats, "calls"),
			per_s(a, kv_u64(&a->stats, "calls", 0)),
			!!kv_get(&b->stats, "calls"),
			per_s(b, kv_u64(&b->stats, "calls", 0)), 1, -1, -1, 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		add_counter(&rows, a, b, bad[i], 1);
	add_hists(&rows, a, b);
	*out = rows.v;
	return rows.n;
}

static const char *fmt_val(const struct cmp_row *r, int which, char *buf,
			   size_t len)
{
	double v = which ? r->b : r->a;

	if (!(which ? r->has_b : r->has_a))
		return "-";
	if (r->unit == CMP_NS)
		return fmt_ns((u64)v, buf, len);
	return fmt_count(v, buf, len);
}

static const char *verdict_of(const struct ps_results *r)
{
	const char *v = kv_get(&r->stats, "verdict");

	return v && *v ? v : "NONE";
}

static void describe(struct sbuf *sb, const char *label,
		     const struct ps_results *r)
{
	const char *k = kv_get(&r->caps, "kernel");
	const char *arch = kv_get(&r->caps, "arch");

	sb_printf(sb, "%s: %s\n   verdict %s", label,
		  r->source ? r->source : "?", verdict_of(r));
	if (k || arch)
		sb_printf(sb, ", kernel %s %s", k ? k : "?", arch ? arch : "?");
	sb_printf(sb, ", elapsed %.1fs\n", report_elapsed_s(r));
}

char *compare_text(const struct ps_results *a, const struct ps_results *b,
		   const struct cmp_row *rows, size_t n, double threshold)
{
	size_t i, worse = 0, better = 0, noisy = 0, w = 20;
	char b1[32], b2[32], ratio[32];
	struct sbuf sb;

	sb_init(&sb);
	describe(&sb, "A", a);
	describe(&sb, "B", b);
	for (i = 0; i < n; i++)
		if (strlen(rows[i].name) > w)
			w = strlen(rows[i].name);
	sb_printf(&sb, "\n%-*s %12s %12s %8s\n", (int)w, "", "A", "B", "B/A");
	sb_printf(&sb, "%-*s %12s %12s%s\n", (int)w, "verdict",
		  verdict_of(a), verdict_of(b),
		  strcmp(verdict_of(a), verdict_of(b)) ? "          changed" : "");
	for (i = 0; i < n; i++) {
		const struct cmp_row *r = &rows[i];
		const char *mark = "";

		if (r->has_a && r->has_b && r->a > 0)
			snprintf(ratio, sizeof(ratio), "%.2f", r->ratio);
		else
			snprintf(ratio, sizeof(ratio), "-");
		switch (r->verdict) {
		case CMP_WORSE:
			mark = "  worse";
			worse++;
			break;
		case CMP_BETTER:
			mark = "  better";
			better++;
			break;
		case CMP_NOISY:
			mark = "  ~ (few samples)";
			noisy++;
			break;
		case CMP_MISSING:
			mark = "  (one run only)";
			break;
		default:
			break;
		}
		sb_printf(&sb, "%-*s %12s %12s %8s%s\n", (int)w, r->name,
			  fmt_val(r, 0, b1, sizeof(b1)),
			  fmt_val(r, 1, b2, sizeof(b2)), ratio, mark);
	}
	sb_printf(&sb,
		  "\n%zu worse, %zu better beyond %.0f%% (%zu changed with too few samples to tell)\n",
		  worse, better, threshold * 100, noisy);
	return sb_steal(&sb);
}

void compare_json(const struct ps_results *a, const struct ps_results *b,
		  const struct cmp_row *rows, size_t n, double threshold,
		  FILE *f)
{
	struct json_writer w;
	size_t i;

	json_init(&w, f);
	json_begin_object(&w, NULL);
	json_u64(&w, "schema", 1);
	json_string(&w, "kind", "compare");
	json_double(&w, "threshold", threshold);
	json_string(&w, "a", a->source);
	json_string(&w, "b", b->source);
	json_string(&w, "verdict_a", verdict_of(a));
	json_string(&w, "verdict_b", verdict_of(b));
	json_begin_array(&w, "metrics");
	for (i = 0; i < n; i++) {
		json_begin_object(&w, NULL);
		json_string(&w, "name", rows[i].name);
		json_string(&w, "unit", rows[i].unit == CMP_NS ? "ns" :
			    rows[i].unit == CMP_PER_S ? "per_s" : "count");
		if (rows[i].has_a)
			json_double(&w, "a", rows[i].a);
		else
			json_null(&w, "a");
		if (rows[i].has_b)
			json_double(&w, "b", rows[i].b);
		else
			json_null(&w, "b");
		if (rows[i].has_a && rows[i].has_b && rows[i].a > 0)
			json_double(&w, "ratio", rows[i].ratio);
		else
			json_null(&w, "ratio");
		json_string(&w, "verdict", cmp_verdict_name(rows[i].verdict));
		json_end_object(&w);
	}
	json_end_array(&w);
	json_end_object(&w);
	json_finish(&w);
}
