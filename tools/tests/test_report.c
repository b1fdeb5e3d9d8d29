// SPDX-License-Identifier: GPL-2.0
/* Results loading, the report text and JSON (results.c, report.c). */
#include "test.h"
#include "knobs.h"

#include <stdlib.h>
#include "progress.h"
#include "report.h"
#include "util.h"

/* Load a fake debugfs dir; @more: stats lines added to the module's. */
static void load_more(struct ps_results *r, const char *state,
		      const char *verdict, const char *more)
{
	const char *dir = t_tmpdir();
	char err[256];

	t_fake_debugfs(dir, state, verdict);
	if (more) {
		char *path = xasprintf("%s/stats", dir);
		char *stats = t_read(path);
		char *text = xasprintf("%s%s", stats, more);

		t_write(dir, "stats", text);
		free(text);
		free(stats);
		free(path);
	}
	if (results_load_dir(r, dir, err, sizeof(err)))
		t_fail(__FILE__, __LINE__, "load: %s", err);
}

static void load(struct ps_results *r, const char *state, const char *verdict)
{
	load_more(r, state, verdict, NULL);
}

static char *json_of(const struct ps_results *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	report_json(r, f);
	fclose(f);
	return buf;
}

static void test_load_dir(void)
{
	struct ps_results r;

	load(&r, "done", "FAILURE");
	/* what the module writes, the CLI reads, each key once */
	CHECK(r.stats.n > 40);
	CHECK_STR(kv_get(&r.stats, "anomalies.stuck"), "0");
	CHECK_STR(kv_get(&r.stats, "target.victim_leaf.cpus"), "1");
	CHECK_STR(kv_get(&r.stats, "targets.unreached"), "");
	CHECK_INT(r.nr_anomalies, 2);
	CHECK_STR(kv_get(&r.anomalies[1], "detail"), "7");
	CHECK_STR(kv_get(&r.anomalies[0], "addr"), "victim_leaf+0x4/0x40 [patchstorm]");
	/* every histogram the module has, sorted by name */
	CHECK_INT(r.nr_hists, 2 * nr_strategies + 4);
	CHECK_STR(r.hists[0].name, "flush");
	CHECK_STR(r.hists[2].name, "patch.ftrace-direct.enable");
	CHECK_STR(r.hists[4].name, "patch.ftrace-filter.enable");
	CHECK_STR(r.hists[6].name, "patch.ftrace-ops.enable");
	CHECK_STR(r.hists[r.nr_hists - 3].name, "stale");
	CHECK_STR(r.hists[r.nr_hists - 2].name, "stall");
	CHECK_STR(r.hists[r.nr_hists - 1].name, "visibility");
	CHECK_U64(r.hists[4].h->count, 10);
	CHECK_U64(r.hists[6].h->count, 0);
	CHECK_U64(r.hists[r.nr_hists - 2].h->count, 3);
	CHECK_U64(r.hists[r.nr_hists - 2].h->overflow, 1);
	CHECK_STR(kv_get(&r.caps, "arch"), "riscv64");
	results_free(&r);
}

static void test_load_missing(void)
{
	struct ps_results r;
	char err[256];

	CHECK_INT(results_load_dir(&r, "/nonexistent/patchstorm", err,
				   sizeof(err)), -1);
	CHECK_HAS(err, "/nonexistent/patchstorm/stats");
	results_free(&r);
	CHECK_INT(results_load(&r, t_tmpdir(), err, sizeof(err)), -1);
	CHECK_HAS(err, "no stats or result.json");
	results_free(&r);
}

static void test_strategies(void)
{
	struct strategy_row *rows;
	struct ps_results r;
	size_t n;

	load(&r, "done", "SUCCESS");
	n = report_strategies(&r, &rows);
	CHECK_INT(n, nr_strategies);	/* all, as the module lists them */
	CHECK_STR(rows[0].name, "ftrace-filter");
	CHECK_STR(rows[3].name, "kprobe-register");
	CHECK_U64(rows[0].enable, 100000);
	CHECK_U64(rows[1].enable, 0);
	CHECK_U64(rows[4].enable, 100001);
	CHECK_U64(rows[4].disable, 99999);
	CHECK_U64(rows[4].errors, 3);
	CHECK_U64(rows[4].hits, 7000000);
	CHECK(rows[0].rate > 9999.9 && rows[0].rate < 10000.1);
	free(rows);
	results_free(&r);
}

static void test_report_failure(void)
{
	struct ps_results r;
	char *t;

	load(&r, "done", "FAILURE");
	t = report_text(&r, 0);
	/* verdict first, then the anomalies with their fields */
	CHECK(!strncmp(t, "verdict: FAILURE (2 anomalies (first: torn))\n", 45));
	CHECK_HAS(t, "anomalies: 2, the first 1.50s into the storm\n");
	CHECK_HAS(t, "  by kind: wrong-answer 1, torn 1\n");
	CHECK_HAS(t, "torn");
	CHECK_HAS(t, "victim_leaf+0x4/0x40");
	CHECK_HAS(t, "0000000097000000");
	CHECK_HAS(t, "wrong-answer");
	CHECK_HAS(t, "detail=7");
	CHECK_LACKS(t, "# 2 anomalies");
	CHECK_HAS(t, "1.50s");
	CHECK_INT(report_exit_code(&r), 1);
	free(t);
	results_free(&r);
}

static void test_report_success(void)
{
	struct ps_results r;
	char *t;

	load_more(&r, "done", "SUCCESS",
		  "future.counter=424242\ntoggles.future.disable_early=3\n");
	t = report_text(&r, 0);
	CHECK(!strncmp(t, "verdict: SUCCESS\n", 17));
	CHECK_LACKS(t, "anomalies:");
	CHECK_HAS(t, "kernel: 6.12.9 riscv64");
	CHECK_HAS(t, "elapsed 20.0s of 20s, 400000 toggles (20.0k/s)");
	/* strategy table: name, enable, disable, rate/s, errors, hits */
	CHECK_HAS(t, "static-key             100001        99999      10000        3        7000000");
	CHECK_HAS(t, "total                  200001       199999      20000        3       12000000");
	CHECK_HAS(t, "hammers: 1 threads, 80000000 calls (4.00M/s), 0 mismatches, 0 stale in 60.0M checked calls (75%; 20.0M with a toggle in flight)\n");
	CHECK_HAS(t, "  target victim_leaf: 12000000 hits (ftrace-filter 12000000)\n");
	CHECK_LACKS(t, "never reached");
	/* no hotplug in this storm: no hotplug line */
	CHECK_LACKS(t, "offline");
	/* kinds of anomaly with no count are not shown */
	CHECK_LACKS(t, "anomalies.");
	CHECK_HAS(t, "(20.0k/s) by 2 togglers\n");
	/* unused strategies and empty histograms are left out */
	CHECK_LACKS(t, "kprobe-arm");
	CHECK_LACKS(t, "ftrace-ops");
	{
		char *empty = xasprintf("(%zu empty histograms not shown)",
					2 * nr_strategies + 2);

		CHECK_HAS(t, empty);
		free(empty);
	}
	/* per-histogram sample counts are not "other counters" */
	CHECK_LACKS(t, "samples.");
	CHECK_HAS(t, "other counters:\n  traps=0\n  mixed_picks=0\n"
		  "  widen_events=0\n  stale.cpu2=0\n  site_reads.off=5000\n");
	CHECK_HAS(t, "  sampler.cpu_ns=160000000\n");
	CHECK_LACKS(t, "module error");
	/* counters the CLI does not know are not dropped */
	CHECK_HAS(t, "  future.counter=424242\n");
	/* disables settled early: shown where there were some (0: not) */
	CHECK_HAS(t, "  toggles.future.disable_early=3\n");
	CHECK_LACKS(t, "ftrace-filter.disable_early");
	/* histograms: percentiles and a bar chart */
	CHECK_HAS(t, "patch.ftrace-filter.enable: count 10\n");
	CHECK_HAS(t, "min 900ns  mean 3.00us  max 20.0us");
	CHECK_HAS(t, "p50 903ns p90 8.26us p99 20.0us");
	CHECK_HAS(t, "|########################################| 5 (50.0%)");
	CHECK_HAS(t, "stall: count 3, overflow 1");
	CHECK_INT(report_exit_code(&r), 0);
	free(t);
	results_free(&r);
}

static void test_report_quiet_and_none(void)
{
	struct ps_results r;
	char *t;

	load(&r, "running", "NONE");
	t = report_text(&r, REPORT_QUIET);
	CHECK_STR(t, "verdict: NONE - no verdict, state running\n");
	CHECK_INT(report_exit_code(&r), 3);
	free(t);
	results_free(&r);
}

static void test_json_report(void)
{
	struct ps_results r;
	char *j;

	load(&r, "done", "FAILURE");
	j = json_of(&r);
	CHECK_JSON(j);
	CHECK(!strncmp(j, "{\n  \"schema\": 1,", 16));
	CHECK_HAS(j, "\"verdict\": \"FAILURE\"");
	CHECK_HAS(j, "\"exit_code\": 1");
	CHECK_HAS(j, "\"elapsed_ns\": 20000000000");
	CHECK_HAS(j, "\"toggles.static-key.enable\": 100001");
	CHECK_HAS(j, "\"sampler.passes\": 9000");
	CHECK_HAS(j, "\"rate_per_s\": 10000.0");
	CHECK_HAS(j, "\"calls\": 80000000");
	CHECK_HAS(j, "\"addr\": \"victim_leaf+0x4/0x40 [patchstorm]\"");
	/* zero-padded hex words stay strings */
	CHECK_HAS(j, "\"bytes\": \"0000000097000000\"");
	CHECK_HAS(j, "\"patch.ftrace-ops.enable\": {");
	CHECK_HAS(j, "\"p99.9\": 20000");
	CHECK_HAS(j, "\"p50\": 903");
	CHECK_HAS(j, "\"overflow\": 1");
	CHECK_HAS(j, "\"anomaly_count\": 2");
	free(j);
	results_free(&r);
}

/* JSON and saved directories load back into the same report. */
static void test_roundtrips(void)
{
	struct ps_results r, back;
	const char *dir = t_tmpdir();
	char err[256], *a, *b, *jpath, *j;
	FILE *f;

	load(&r, "done", "FAILURE");
	a = report_text(&r, 0);
	jpath = xasprintf("%s/r.json", dir);
	f = fopen(jpath, "w");
	report_json(&r, f);
	fclose(f);
	CHECK_INT(results_load(&back, jpath, err, sizeof(err)), 0);
	b = report_text(&back, 0);
	CHECK_STR(b, a);
	free(b);
	results_free(&back);

	CHECK_INT(results_save_dir(&r, dir, err, sizeof(err)), 0);
	CHECK_INT(results_load(&back, dir, err, sizeof(err)), 0);
	b = report_text(&back, 0);
	CHECK_STR(b, a);
	j = t_read(jpath);
	CHECK_JSON(j);
	free(j);
	free(b);
	results_free(&back);

	/* a directory with only result.json in it */
	free(jpath);
	jpath = xasprintf("%s/result.json", dir);
	{
		const char *d2 = t_tmpdir();
		char *cmd = xasprintf("cp '%s' '%s/'", jpath, d2);

		CHECK_INT(system(cmd), 0);
		CHECK_INT(results_load(&back, d2, err, sizeof(err)), 0);
		b = report_text(&back, 0);
		CHECK_STR(b, a);
		free(b);
		results_free(&back);
		free(cmd);
	}
	free(jpath);
	free(a);
	results_free(&r);
}

static void test_json_load_errors(void)
{
	const char *dir = t_tmpdir();
	struct ps_results r;
	char err[256], *p;

	t_write(dir, "x.json", "{\"schema\": 2}");
	p = xasprintf("%s/x.json", dir);
	CHECK_INT(results_load(&r, p, err, sizeof(err)), -1);
	CHECK_HAS(err, "not a patchstorm results file");
	results_free(&r);
	t_write(dir, "x.json", "{\"schema\": 1, \"histograms\": "
		"{\"h\": {\"buckets\": [[1, 2]]}}}");
	CHECK_INT(results_load(&r, p, err, sizeof(err)), -1);
	CHECK_HAS(err, "histogram h: bucket 0");
	results_free(&r);
	t_write(dir, "x.json", "{\"schema\": 1,");
	CHECK_INT(results_load(&r, p, err, sizeof(err)), -1);
	CHECK_HAS(err, "JSON syntax error");
	results_free(&r);
	free(p);
}

static void test_progress_line(void)
{
	struct kv_list s;
	char *line, *buf = NULL;
	size_t len = 0;
	struct progress p;
	FILE *f;

	kv_init(&s);
	kv_parse_lines(&s, "state=running\nelapsed_ns=12500000000\n"
		       "duration_s=30\ntoggles=1234567\nhits.a=10\nhits.b=5\n"
		       "calls=2000\nanomalies=0\n");
	line = progress_line(&s, 41000);
	CHECK_STR(line, "running 12s/30s  toggles 1.23M (41.0k/s)  hits 15  calls 2.00k  anomalies 0");
	free(line);

	/* TTY: one line rewritten with \r; plain: a line per 5 s */
	f = open_memstream(&buf, &len);
	progress_init(&p, f, 1);
	progress_update(&p, &s, 0);
	kv_set(&s, "toggles", "1334567");
	progress_update(&p, &s, 0.1);	/* too soon: nothing */
	progress_update(&p, &s, 1.0);
	progress_finish(&p);
	fclose(f);
	CHECK(buf[0] == '\r');
	CHECK_HAS(buf, "\rrunning 12s/30s  toggles 1.33M (100k/s)");
	CHECK_INT(strchr(buf, '\n') - buf, (long)len - 1);
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	progress_init(&p, f, 0);
	progress_update(&p, &s, 0);
	progress_update(&p, &s, 2);
	progress_update(&p, &s, 5);
	fclose(f);
	CHECK_LACKS(buf, "\r");
	CHECK_INT(strchr(strchr(buf, '\n') + 1, '\n') - buf, (long)len - 1);
	free(buf);
	kv_free(&s);
}

void suite_report(void)
{
	RUN(test_load_dir);
	RUN(test_load_missing);
	RUN(test_strategies);
	RUN(test_report_failure);
	RUN(test_report_success);
	RUN(test_report_quiet_and_none);
	RUN(test_json_report);
	RUN(test_roundtrips);
	RUN(test_json_load_errors);
	RUN(test_progress_line);
}
