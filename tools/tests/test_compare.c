// SPDX-License-Identifier: GPL-2.0
/* Comparing two runs (compare.c) and the compare command. */
#include "test.h"

#include <stdlib.h>
#include "compare.h"
#include "util.h"

static const struct cmp_row *row(const struct cmp_row *rows, size_t n,
				 const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].name, name))
			return &rows[i];
	t_fail(__FILE__, __LINE__, "no row \"%s\"", name);
	return NULL;
}

/* A histogram "lat" of 10000 samples around @base ns. */
static void set_hist(struct ps_results *r, u64 base)
{
	struct ps_named_hist *nh;
	int i;

	r->hists = xrealloc(r->hists, (r->nr_hists + 1) * sizeof(*r->hists));
	nh = &r->hists[r->nr_hists++];
	nh->name = xstrdup("lat");
	kv_init(&nh->summary);
	nh->h = xmalloc(sizeof(*nh->h));
	ps_hist_init(nh->h);
	for (i = 0; i < 10000; i++)
		ps_hist_record(nh->h, base + (u64)(i % 100) * base / 100 +
			       (i == 9999 ? 50 * base : 0));
}

static void make_run(struct ps_results *r, const char *toggles,
		     const char *anomalies, u64 lat)
{
	results_init(r);
	r->source = xstrdup("run");
	kv_parse_lines(&r->stats, "state=done\nverdict=SUCCESS\n"
		       "elapsed_ns=10000000000\ncalls=1000000\nmismatches=0\n");
	kv_set(&r->stats, "toggles", toggles);
	kv_set(&r->stats, "toggles.static-key.enable", toggles);
	kv_set(&r->stats, "toggles.static-key.disable", "0");
	kv_set(&r->stats, "toggles.kprobe-arm.enable", "0");
	kv_set(&r->stats, "anomalies", anomalies);
	set_hist(r, lat);
}

static void test_compare_same(void)
{
	struct ps_results a, b;
	struct cmp_row *rows;
	size_t n, i;

	make_run(&a, "100000", "0", 1000);
	make_run(&b, "105000", "0", 1000);
	n = compare_results(&a, &b, 0.10, &rows);
	for (i = 0; i < n; i++)
		if (rows[i].verdict != CMP_SAME)
			t_fail(__FILE__, __LINE__, "%s: %s", rows[i].name,
			       cmp_verdict_name(rows[i].verdict));
	CHECK(row(rows, n, "toggles/s") &&
	      row(rows, n, "toggles/s")->a == 10000);
	/* an unused strategy gets no row */
	for (i = 0; i < n; i++)
		CHECK(!strstr(rows[i].name, "kprobe-arm"));
	free(rows);
	results_free(&a);
	results_free(&b);
}

static void test_compare_changes(void)
{
	struct ps_results a, b;
	const struct cmp_row *r;
	struct cmp_row *rows;
	char *text;
	size_t n;

	make_run(&a, "100000", "0", 1000);
	make_run(&b, "80000", "2", 1500);
	n = compare_results(&a, &b, 0.10, &rows);
	r = row(rows, n, "toggles/s");
	CHECK(r && r->verdict == CMP_WORSE && r->ratio > 0.79 && r->ratio < 0.81);
	r = row(rows, n, "toggles/s static-key");
	CHECK(r && r->verdict == CMP_WORSE);
	r = row(rows, n, "anomalies");
	CHECK(r && r->verdict == CMP_WORSE);
	r = row(rows, n, "mismatches");
	CHECK(r && r->verdict == CMP_SAME);
	r = row(rows, n, "lat p50");
	CHECK(r && r->verdict == CMP_WORSE && r->ratio > 1.45 && r->ratio < 1.55);
	r = row(rows, n, "lat p99");	/* 100 samples beyond: trusted */
	CHECK(r && r->verdict == CMP_WORSE);
	r = row(rows, n, "lat p99.99");	/* 1 sample beyond: not */
	CHECK(r && r->verdict == CMP_NOISY);
	r = row(rows, n, "lat max");
	CHECK(r && r->verdict == CMP_NOISY);
	text = compare_text(&a, &b, rows, n, 0.10);
	CHECK_HAS(text, "toggles/s");
	CHECK_HAS(text, "0.80  worse");
	CHECK_HAS(text, "~ (few samples)");
	CHECK_HAS(text, " worse, 0 better beyond 10%");
	free(text);
	free(rows);

	/* the other way round it is better; lower latency is better too */
	n = compare_results(&b, &a, 0.10, &rows);
	CHECK(row(rows, n, "toggles/s")->verdict == CMP_BETTER);
	CHECK(row(rows, n, "lat p50")->verdict == CMP_BETTER);
	CHECK(row(rows, n, "anomalies")->verdict == CMP_BETTER);
	free(rows);
	/* a wide threshold hides the 20% and 50% changes, not 0 -> 2 */
	n = compare_results(&a, &b, 0.60, &rows);
	CHECK(row(rows, n, "toggles/s")->verdict == CMP_SAME);
	CHECK(row(rows, n, "lat p50")->verdict == CMP_SAME);
	CHECK(row(rows, n, "anomalies")->verdict == CMP_WORSE);
	free(rows);
	results_free(&a);
	results_free(&b);
}

static void test_compare_json_and_missing(void)
{
	struct ps_results a, b;
	struct cmp_row *rows;
	char *buf = NULL;
	size_t n, len = 0;
	FILE *f;

	make_run(&a, "100000", "0", 1000);
	results_init(&b);
	b.source = xstrdup("other");
	kv_parse_lines(&b.stats, "state=done\nverdict=FAILURE\ntoggles=5\n"
		       "elapsed_ns=1000000000\n");
	n = compare_results(&a, &b, 0.10, &rows);
	CHECK(row(rows, n, "lat p50")->verdict == CMP_MISSING);
	CHECK(row(rows, n, "calls/s")->verdict == CMP_MISSING);
	f = open_memstream(&buf, &len);
	compare_json(&a, &b, rows, n, 0.10, f);
	fclose(f);
	CHECK_JSON(buf);
	CHECK_HAS(buf, "\"verdict_b\": \"FAILURE\"");
	CHECK_HAS(buf, "\"b\": null");
	free(buf);
	buf = compare_text(&a, &b, rows, n, 0.10);
	CHECK_HAS(buf, "SUCCESS      FAILURE");
	CHECK_HAS(buf, "changed");
	free(buf);
	free(rows);
	results_free(&a);
	results_free(&b);
}

void suite_compare(void)
{
	RUN(test_compare_same);
	RUN(test_compare_changes);
	RUN(test_compare_json_and_missing);
}
