// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP output: its structure, the status of each test against canned
 * results, the CLI options, and the kernel's own parser (kunit.py parse)
 * reading it.
 */
#include "test.h"
#include "knobs.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "json.h"
#include "ktap.h"
#include "results.h"
#include "util.h"

static char *ktap_of(const char *state, const char *verdict)
{
	const char *d = t_tmpdir();
	struct ps_results r;
	char err[256], *s;

	t_fake_debugfs(d, state, verdict);
	if (!strcmp(verdict, "SUCCESS")) {
		/* the fake's API errors would not give a SUCCESS */
		char *p = xasprintf("%s/stats", d), *st = t_read(p), *e;

		while ((e = strstr(st, "errors.static-key=3")))
			e[18] = '0';
		while ((e = strstr(st, "\nerrors=3")))
			e[8] = '0';
		t_write(d, "stats", st);
		free(st);
		free(p);
	}
	if (results_load(&r, d, err, sizeof(err))) {
		t_fail(__FILE__, __LINE__, "results_load: %s", err);
		results_free(&r);
		return xstrdup("");
	}
	s = ktap_text(&r);
	results_free(&r);
	return s;
}

/* The line of @text that starts with @prefix (after indentation). */
static char *line_of(const char *text, const char *prefix)
{
	const char *p = text;

	while (p && *p) {
		const char *s = p, *nl = strchr(p, '\n');

		while (*s == ' ')
			s++;
		if (!strncmp(s, prefix, strlen(prefix)))
			return strndup(s, nl ? (size_t)(nl - s) : strlen(s));
		p = nl ? nl + 1 : NULL;
	}
	return xstrdup("(none)");
}

#define CHECK_LINE(text, prefix, want)				\
	do {							\
		char *l_ = line_of(text, prefix);		\
		CHECK_STR(l_, want);				\
		free(l_);					\
	} while (0)

/*
 * KTAP version 1's grammar as patchstorm writes it: a version line and a
 * plan at each level (top level and 4-space subtests), results numbered
 * 1..plan in order, diagnostics "# ...", nothing else.
 */
static void check_grammar(const char *text)
{
	unsigned int next[2] = { 1, 1 }, plan[2] = { 0, 0 };
	int depth, in_sub = 0;
	const char *p = text;
	char line[1024];

	CHECK(!strncmp(text, "KTAP version 1\n", 15));
	while (*p) {
		const char *nl = strchr(p, '\n'), *s;
		unsigned int n;

		CHECK(nl != NULL);
		if (!nl)
			break;
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		p = nl + 1;
		depth = !strncmp(line, "    ", 4);
		s = line + 4 * depth;
		CHECK(*s != ' ');
		if (!strcmp(s, "KTAP version 1")) {
			if (depth) {
				in_sub = 1;
				next[1] = 1;
				plan[1] = 0;
			}
		} else if (sscanf(s, "1..%u", &n) == 1) {
			plan[depth] = n;
		} else if (s[0] == '#' && s[1] == ' ') {
			;
		} else if (sscanf(s, "ok %u ", &n) == 1 ||
			   sscanf(s, "not ok %u ", &n) == 1) {
			if (n != next[depth])
				t_fail(__FILE__, __LINE__, "test %u, want %u: %s",
				       n, next[depth], line);
			next[depth]++;
			if (depth)
				CHECK(in_sub);
			else if (in_sub) {
				/* the subtest's plan was kept */
				CHECK_INT(next[1] - 1, plan[1]);
				in_sub = 0;
			}
		} else {
			t_fail(__FILE__, __LINE__, "not KTAP: \"%s\"", line);
		}
	}
	CHECK_INT(next[0] - 1, plan[0]);
}

static void test_ktap_failure(void)
{
	char *k = ktap_of("done", "FAILURE");

	check_grammar(k);
	CHECK_HAS(k, "\n1..3\n");
	CHECK_LINE(k, "# storm: FAIL:", "# storm: FAIL: 2 anomalies (first: torn)");
	CHECK_LINE(k, "not ok 1 ", "not ok 1 storm");
	/* strategies: failed by an anomaly, by API errors; skips with why */
	CHECK_HAS(k, "    # ftrace-filter: toggles enable=100000 disable=100000 errors=0 hits=5000000 rate_per_s=10000.0\n");
	CHECK_HAS(k, "    # ftrace-filter: patch latency enable: count=10 p50_ns=903 p99_ns=20000 max_ns=20000\n");
	CHECK_HAS(k, "    # ftrace-filter: FAIL: 1 anomalies in the log while it toggled (first: torn)\n    not ok 1 ftrace-filter\n");
	CHECK_HAS(k, "    ok 2 ftrace-ops # SKIP not in this storm (strategies=ftrace-filter,static-key)\n");
	CHECK_HAS(k, "    ok 3 kprobe-arm # SKIP this kernel has no kprobes (caps kprobes=0; CONFIG_KPROBES)\n");
	CHECK_HAS(k, "    # static-key: FAIL: 3 errors from the patching API\n    not ok 5 static-key\n");
	CHECK_HAS(k, "not ok 2 strategies\n");
	/* detectors */
	CHECK_HAS(k, "    # wrong-answer: FAIL: 1 wrong answers from victims\n    not ok 1 wrong-answer\n");
	CHECK_HAS(k, "    ok 2 stale\n");
	CHECK_HAS(k, "    ok 3 trap\n");
	CHECK_HAS(k, "    not ok 4 torn\n");
	CHECK_HAS(k, "    # mixed-pair: site_reads=9000 site_reads.mixed=0 anomalies=0\n    ok 5 mixed-pair\n");
	/* kinds the CLI has no own words for: their count, from the table */
	CHECK_HAS(k, "    # stuck: anomalies=0\n");
	CHECK_HAS(k, "not ok 3 detectors\n");
	free(k);
}

static void test_ktap_success(void)
{
	char *k = ktap_of("done", "SUCCESS");

	check_grammar(k);
	CHECK_HAS(k, "ok 1 storm\n");
	CHECK_LACKS(k, "not ok");
	CHECK_HAS(k, "# storm: state=done elapsed_s=20.0 duration_s=20 toggles=400000 toggles_per_s=20000.0 togglers=2 hammers=1 calls=80000000 anomalies=0\n");
	CHECK_HAS(k, "    ok 1 ftrace-filter\n");
	CHECK_HAS(k, "ok 2 strategies\n");
	CHECK_HAS(k, "ok 3 detectors\n");
	free(k);
}

/* Caps and configuration decide what is skipped, and why. */
static void test_ktap_skips(void)
{
	const char *d = t_tmpdir();
	struct ps_results r;
	char err[256], *k;

	t_fake_debugfs(d, "done", "SUCCESS");
	t_write(d, "caps", "arch=arm64\nkernel=6.12.9\nftrace=1\n"
		"dynamic_ftrace=1\nkprobes=1\njump_label=0\ncatch_traps=0\n"
		"catch_breaks=0\n");
	t_write(d, "config", "strategies=mixed\nsamplers=0\nchecks=off\n"
		"stale=warn\nweights=ftrace-filter:1,ftrace-ops:0,"
		"kprobe-arm:1,kprobe-register:1,static-key:1\n");
	/* stale calls under stale=warn are counted, not a failure */
	t_write(d, "stats", "state=done\nverdict=SUCCESS\nreason=\n"
		"elapsed_ns=1000000000\nduration_s=1\ncalls=5\nstale=7\n"
		"hammers=1\ntoggles.ftrace-filter.enable=1\n"
		"toggles.ftrace-filter.disable=1\nerrors.ftrace-filter=0\n"
		"toggles.ftrace-ops.enable=0\ntoggles.ftrace-ops.disable=0\n"
		"toggles.kprobe-arm.enable=0\ntoggles.kprobe-arm.disable=0\n"
		"toggles.static-key.enable=0\ntoggles.static-key.disable=0\n");
	CHECK_INT(results_load(&r, d, err, sizeof(err)), 0);
	k = ktap_text(&r);
	results_free(&r);
	check_grammar(k);
	CHECK_HAS(k, "    ok 1 ftrace-filter\n");
	CHECK_HAS(k, "    ok 2 ftrace-ops # SKIP not in this storm (strategies=mixed)\n");
	/* weight 1 under mixed, kernel can, never toggled: a failure */
	CHECK_HAS(k, "    # kprobe-arm: FAIL: configured but no toggle completed\n    not ok 3 kprobe-arm\n");
	CHECK_HAS(k, "    ok 4 static-key # SKIP this kernel has no jump_label (caps jump_label=0; CONFIG_JUMP_LABEL)\n");
	CHECK_HAS(k, "    # stale: 7 stale calls counted, not fatal (stale=warn: QEMU MTTCG)\n");
	CHECK_HAS(k, "    ok 2 stale # SKIP checks=off: the hammers check answers only\n");
	CHECK_HAS(k, "    ok 4 torn # SKIP samplers=0: no site is read\n");
	CHECK_HAS(k, "    ok 3 trap # SKIP this kernel cannot survive a trap at a patch site (caps catch_traps=0 catch_breaks=0): the console scan reports it\n");
	free(k);
}

/* A QEMU runner's results directory: its verdict is a test too. */
static void test_ktap_runner(void)
{
	const char *d = t_tmpdir();
	char *out = xasprintf("%s/out", d), *k;
	struct ps_results r;
	char err[256];

	t_fake_debugfs(out, "done", "SUCCESS");
	t_write(d, "summary.json", "{\"verdict\": \"FAILURE\", \"reason\": "
		"\"OOPS: Oops: 0000 [#1] SMP\", \"arch\": \"riscv64\", "
		"\"kernel\": \"6.12.9\", \"cpus\": 2, \"tcg\": \"multi\"}\n");
	CHECK_INT(results_load(&r, d, err, sizeof(err)), 0);
	k = ktap_text(&r);
	results_free(&r);
	check_grammar(k);
	CHECK_HAS(k, "\n1..4\n");
	CHECK_HAS(k, "# runner: arch=riscv64 kernel=6.12.9 cpus=2 tcg=multi boot_to_init_s=?\n");
	/* no '#' in a reason: it would start a directive */
	CHECK_HAS(k, "# runner: FAIL: OOPS: Oops: 0000 [ 1] SMP\nnot ok 1 runner\n");
	CHECK_HAS(k, "ok 2 storm\n");
	free(out);
	free(k);
}

/* Run the kernel's parser; its exit code, JSON in *json (caller frees). */
static int kunit_parse(const char *ktap, char **json, char **out)
{
	const char *dir = t_tmpdir();
	char *in = xasprintf("%s/in.ktap", dir), *js = xasprintf("%s/k.json", dir);
	char *o = xasprintf("%s/out", dir);
	char *cmd = xasprintf("../scripts/kunit-parse.sh --json %s %s >%s 2>&1",
			      js, in, o);
	int st;

	t_write(dir, "in.ktap", ktap);
	st = system(cmd);
	*json = t_read(js);
	*out = t_read(o);
	free(in);
	free(js);
	free(o);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Status of test case @name in group @group of kunit.py's JSON. */
static const char *kunit_status(const struct jv *root, const char *group,
				const char *name)
{
	const struct jv *groups = jv_get(root, "sub_groups"), *cases = NULL;
	size_t i, j;

	if (!group)
		cases = jv_get(root, "test_cases");
	for (i = 0; group && groups && i < groups->n; i++) {
		if (strcmp(jv_text(jv_get(groups->items[i], "name")) ?: "",
			   group))
			continue;
		cases = jv_get(groups->items[i], "test_cases");
		break;
	}
	if (group && (!groups || i == groups->n))
		return "(no group)";
	for (j = 0; cases && j < cases->n; j++)
		if (!strcmp(jv_text(jv_get(cases->items[j], "name")) ?: "",
			    name))
			return jv_text(jv_get(cases->items[j], "status"));
	return "(no case)";
}

static void test_ktap_kunit_parser(void)
{
	char *k, *json, *out, *want, why[256];
	struct jv *root;
	int rc;

	if (access("../scripts/kunit-parse.sh", X_OK) ||
	    system("../scripts/kunit-parse.sh --where >/dev/null 2>&1")) {
		t_skip("no kunit.py (linux-source-6.12 not installed, nothing in the cache)");
		return;
	}
	/* FAILURE: parsed without error, each test's status as written */
	k = ktap_of("done", "FAILURE");
	rc = kunit_parse(k, &json, &out);
	CHECK_INT(rc, 1);
	CHECK_LACKS(out, "[ERROR]");
	/*
	 * storm, ftrace-filter, static-key, wrong-answer and torn fail; the
	 * strategies it did not run are skipped; the other detectors pass
	 */
	want = xasprintf("Testing complete. Ran %zu tests: passed: %zu, failed: 5, skipped: %zu",
			 1 + nr_strategies + nr_anomaly_kinds, nr_anomaly_kinds - 2,
			 nr_strategies - 2);
	CHECK_HAS(out, want);
	free(want);
	root = jv_parse(json, why, sizeof(why));
	CHECK(root != NULL);
	if (root) {
		CHECK_STR(kunit_status(root, NULL, "storm"), "FAIL");
		CHECK_STR(kunit_status(root, "strategies", "ftrace-filter"), "FAIL");
		CHECK_STR(kunit_status(root, "strategies", "ftrace-ops"), "SKIP");
		CHECK_STR(kunit_status(root, "strategies", "kprobe-arm"), "SKIP");
		CHECK_STR(kunit_status(root, "strategies", "static-key"), "FAIL");
		CHECK_STR(kunit_status(root, "detectors", "wrong-answer"), "FAIL");
		CHECK_STR(kunit_status(root, "detectors", "stale"), "PASS");
		CHECK_STR(kunit_status(root, "detectors", "torn"), "FAIL");
		CHECK_STR(kunit_status(root, "detectors", "trap"), "PASS");
		jv_free(root);
	}
	free(k);
	free(json);
	free(out);
	/* SUCCESS: exit 0, nothing failed */
	k = ktap_of("done", "SUCCESS");
	rc = kunit_parse(k, &json, &out);
	CHECK_INT(rc, 0);
	CHECK_LACKS(out, "[ERROR]");
	CHECK_LACKS(out, "failed:");
	want = xasprintf("Testing complete. Ran %zu tests: passed: %zu, skipped: %zu",
			 1 + nr_strategies + nr_anomaly_kinds,
			 3 + nr_anomaly_kinds, nr_strategies - 2);
	CHECK_HAS(out, want);
	free(want);
	root = jv_parse(json, why, sizeof(why));
	CHECK(root != NULL);
	if (root) {
		CHECK_STR(kunit_status(root, NULL, "storm"), "PASS");
		CHECK_STR(kunit_status(root, "strategies", "ftrace-filter"), "PASS");
		jv_free(root);
	}
	free(k);
	free(json);
	free(out);
	/* the parser is not blind: a broken plan is an error */
	rc = kunit_parse("KTAP version 1\n1..2\nok 1 storm\n", &json, &out);
	CHECK_INT(rc, 1);
	CHECK_HAS(out, "[ERROR]");
	free(json);
	free(out);
}

struct cli {
	int code;
	char *out, *err;
};

static struct cli cli(char *const argv[])
{
	const char *d = t_tmpdir();
	char *o = xasprintf("%s/o", d), *e = xasprintf("%s/e", d);
	struct cli r;
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid) {
		if (!freopen(o, "w", stdout) || !freopen(e, "w", stderr) ||
		    !freopen("/dev/null", "r", stdin))
			_exit(127);
		execv(t_cli, argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	r.code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	r.out = t_read(o);
	r.err = t_read(e);
	free(o);
	free(e);
	return r;
}

static void cli_free(struct cli *r)
{
	free(r->out);
	free(r->err);
}

static void test_ktap_cli(void)
{
	const char *d = t_tmpdir(), *f = t_tmpdir();
	char *file = xasprintf("%s/r.ktap", f), *opt = xasprintf("--ktap=%s", file);
	char *s;
	struct cli r;

	t_fake_debugfs(d, "done", "FAILURE");
	{
		char *const a[] = { (char *)t_cli, "report", "--ktap", (char *)d, NULL };

		r = cli(a);
		CHECK_INT(r.code, 1);
		CHECK(!strncmp(r.out, "KTAP version 1\n", 15));
		CHECK_LACKS(r.out, "verdict: FAILURE");
		cli_free(&r);
	}
	{
		char *const a[] = { (char *)t_cli, "report", opt, (char *)d, NULL };

		r = cli(a);
		CHECK_INT(r.code, 1);
		CHECK(!strncmp(r.out, "verdict: FAILURE", 16));
		s = t_read(file);
		CHECK(!strncmp(s, "KTAP version 1\n", 15));
		free(s);
		cli_free(&r);
	}
	{
		char *const a[] = { (char *)t_cli, "run", "--help", NULL };

		r = cli(a);
		CHECK_INT(r.code, 0);
		CHECK_HAS(r.out, "--ktap[=FILE]");
		cli_free(&r);
	}
	{
		char *const a[] = { (char *)t_cli, "run", "--ktap", "--json", "-",
				    NULL };

		r = cli(a);
		CHECK_INT(r.code, 2);
		CHECK_HAS(r.err, "--ktap and --json cannot both write to stdout");
		cli_free(&r);
	}
	if (geteuid() == 0) {
		/* run --ktap: KTAP alone on stdout, the report on stderr */
		char *const a[] = { (char *)t_cli, "run", "--debugfs", (char *)d,
				    "--ktap", "--strategies", "ftrace-filter",
				    NULL };
		char *const b[] = { (char *)t_cli, "run", "--debugfs", (char *)d,
				    opt, "--quiet", NULL };

		r = cli(a);
		CHECK_INT(r.code, 1);
		CHECK(!strncmp(r.out, "KTAP version 1\n", 15));
		CHECK_HAS(r.out, "not ok 1 storm\n");
		CHECK_HAS(r.err, "verdict: FAILURE");
		check_grammar(r.out);
		cli_free(&r);
		s = xasprintf("%s/config", d);
		free(t_read(s));
		free(s);
		unlink(file);
		r = cli(b);
		CHECK_INT(r.code, 1);
		CHECK(!strncmp(r.out, "verdict: FAILURE", 16));
		s = t_read(file);
		CHECK(!strncmp(s, "KTAP version 1\n", 15));
		free(s);
		cli_free(&r);
	}
	if (geteuid() == 0) {
		/* --ktap into the directory --save creates */
		char *save = xasprintf("%s/new", f);
		char *in = xasprintf("--ktap=%s/new/results.ktap", f);
		char *kf = xasprintf("%s/new/results.ktap", f);
		char *const a[] = { (char *)t_cli, "run", "--debugfs", (char *)d,
				    "--quiet", "--save", save, in, NULL };

		r = cli(a);
		CHECK_INT(r.code, 1);
		CHECK_STR(r.err, "");
		s = t_read(kf);
		CHECK(!strncmp(s, "KTAP version 1\n", 15));
		free(s);
		cli_free(&r);
		free(save);
		free(in);
		free(kf);
	}
	free(file);
	free(opt);
}

void suite_ktap(void)
{
	RUN(test_ktap_failure);
	RUN(test_ktap_success);
	RUN(test_ktap_skips);
	RUN(test_ktap_runner);
	RUN(test_ktap_cli);
	RUN(test_ktap_kunit_parser);
}
