// SPDX-License-Identifier: GPL-2.0
#include "ktap.h"
#include "knobs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "util.h"

enum ktap_status { KTAP_OK, KTAP_FAIL, KTAP_SKIP };

/* One test: its diagnostic lines, status and the reason for it. */
struct ktap_test {
	const char *name;
	enum ktap_status status;
	char reason[256];
	struct sbuf diag;
};

static void kt_init(struct ktap_test *t, const char *name)
{
	t->name = name;
	t->status = KTAP_OK;
	t->reason[0] = '\0';
	sb_init(&t->diag);
}

static void kt_diag(struct ktap_test *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A diagnostic line ("# name: text"); newlines in text become spaces. */
static void kt_diag(struct ktap_test *t, const char *fmt, ...)
{
	char line[1024], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	sb_printf(&t->diag, "# %s: %s\n", t->name, line);
}

static void kt_set(struct ktap_test *t, enum ktap_status s, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));

/* The first failure wins over later ones; a failure wins over a skip. */
static void kt_set(struct ktap_test *t, enum ktap_status s, const char *fmt,
		   ...)
{
	va_list ap;
	char *p;

	if (t->status == KTAP_FAIL || (t->status == KTAP_SKIP && s != KTAP_FAIL))
		return;
	t->status = s;
	va_start(ap, fmt);
	vsnprintf(t->reason, sizeof(t->reason), fmt, ap);
	va_end(ap);
	for (p = t->reason; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '#')
			*p = ' ';
}

/* Emit a leaf test at @indent, numbered @num; frees its buffers. */
static void kt_emit(struct sbuf *sb, const char *indent, unsigned int num,
		    struct ktap_test *t)
{
	const char *d = t->diag.s ? t->diag.s : "", *nl;

	if (t->status == KTAP_FAIL && t->reason[0])
		kt_diag(t, "FAIL: %s", t->reason);
	d = t->diag.s ? t->diag.s : "";
	while (*d) {
		nl = strchr(d, '\n');
		sb_printf(sb, "%s%.*s\n", indent, (int)(nl ? nl - d : (long)strlen(d)),
			  d);
		d = nl ? nl + 1 : d + strlen(d);
	}
	sb_printf(sb, "%s%s %u %s", indent,
		  t->status == KTAP_FAIL ? "not ok" : "ok", num, t->name);
	if (t->status == KTAP_SKIP)
		sb_printf(sb, " # SKIP %s", t->reason);
	sb_puts(sb, "\n");
	sb_free(&t->diag);
}

/* Is @name in the comma-separated @list? */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (list && (p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

/* The weight of strategy @name in "a:1,b:0" (-1 if not given). */
static long weight_of(const char *weights, const char *name)
{
	size_t n = strlen(name);
	const char *p = weights;

	while (weights && (p = strstr(p, name))) {
		if ((p == weights || p[-1] == ',') && p[n] == ':')
			return strtol(p + n + 1, NULL, 10);
		p += n;
	}
	return -1;
}

/* Did the configuration ask for strategy @name? */
static int configured(const struct ps_results *r, const char *name)
{
	const char *list = kv_get(&r->config, "strategies");
	long w;

	if (!list)
		return -1;	/* unknown */
	if (!strcmp(list, "all") || in_list(list, name))
		return 1;
	if (in_list(list, "mixed")) {
		w = weight_of(kv_get(&r->config, "weights"), name);
		return w != 0;
	}
	return 0;
}

/* What each strategy needs from the kernel (caps key, Kconfig option). */
static const struct {
	const char *strategy, *cap, *kconfig;
} strategy_needs[] = {
	{ "ftrace-filter", "dynamic_ftrace", "CONFIG_DYNAMIC_FTRACE" },
	{ "ftrace-ops", "ftrace", "CONFIG_FUNCTION_TRACER" },
	{ "kprobe-arm", "kprobes", "CONFIG_KPROBES" },
	{ "kprobe-register", "kprobes", "CONFIG_KPROBES" },
	{ "static-key", "jump_label", "CONFIG_JUMP_LABEL" },
	{ "static-key-ref", "jump_label", "CONFIG_JUMP_LABEL" },
	{ "static-call", "strategy.static-call", "CONFIG_HAVE_STATIC_CALL" },
	{ "ftrace-direct", "strategy.ftrace-direct",
	  "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS" },
	{ "module-churn", "strategy.module-churn",
	  "needs churn_module= at load, CONFIG_MODULE_UNLOAD, CONFIG_KPROBES" },
};

static void hist_diag(struct ktap_test *t, const struct ps_results *r,
		      const char *label, const char *hname)
{
	const struct ps_named_hist *nh = results_hist(r, hname);
	const struct ps_hist *h = nh ? nh->h : NULL;

	if (!h || !h->count)
		return;
	kt_diag(t, "%s: count=%llu p50_ns=%llu p99_ns=%llu max_ns=%llu", label,
		h->count, ps_hist_percentile(h, 0.5),
		ps_hist_percentile(h, 0.99), h->max);
}

/* Anomalies in the log recorded during this strategy's toggles. */
static size_t anomalies_of(const struct ps_results *r, const char *key,
			   const char *value)
{
	size_t i, n = 0;

	for (i = 0; i < r->nr_anomalies; i++) {
		const char *v = kv_get(&r->anomalies[i], key);

		if (v && !strcmp(v, value))
			n++;
	}
	return n;
}

static void strategy_test(struct ktap_test *t, const struct ps_results *r,
			  const struct strategy_row *row)
{
	const char *cap = NULL, *kconfig = NULL, *cv;
	char hname[128];
	size_t i, an;
	int conf;

	for (i = 0; i < ARRAY_SIZE(strategy_needs); i++)
		if (!strcmp(strategy_needs[i].strategy, row->name)) {
			cap = strategy_needs[i].cap;
			kconfig = strategy_needs[i].kconfig;
		}
	cv = cap ? kv_get(&r->caps, cap) : NULL;
	conf = configured(r, row->name);
	if (row->enable || row->disable || row->errors) {
		kt_diag(t, "toggles enable=%llu disable=%llu errors=%llu hits=%llu rate_per_s=%.1f",
			row->enable, row->disable, row->errors, row->hits,
			row->rate);
		snprintf(hname, sizeof(hname), "patch.%s.enable", row->name);
		hist_diag(t, r, "patch latency enable", hname);
		snprintf(hname, sizeof(hname), "patch.%s.disable", row->name);
		hist_diag(t, r, "patch latency disable", hname);
	}
	if (cv && !strcmp(cv, "0")) {
		kt_set(t, KTAP_SKIP, "this kernel has no %s (caps %s=0; %s)",
		       cap, cap, kconfig);
		return;
	}
	if (!row->enable && !row->disable && !row->errors) {
		if (conf == 0)
			kt_set(t, KTAP_SKIP, "not in this storm (strategies=%s)",
			       kv_get(&r->config, "strategies"));
		else if (conf < 0)
			kt_set(t, KTAP_SKIP, "not used in this storm");
		else if (!strcmp(row->name, "static-call") &&
			 !in_list(kv_get(&r->config, "targets"), "victim_call"))
			/* its one target was not among this storm's */
			kt_set(t, KTAP_SKIP, "no target (victim_call not in targets)");
		else
			kt_set(t, KTAP_FAIL,
			       "configured but no toggle completed");
		return;
	}
	if (row->errors)
		kt_set(t, KTAP_FAIL, "%llu errors from the patching API",
		       row->errors);
	an = anomalies_of(r, "strategy", row->name);
	if (an) {
		const char *first = NULL;

		for (i = 0; i < r->nr_anomalies && !first; i++)
			if (!strcmp(kv_get(&r->anomalies[i], "strategy") ?: "",
				    row->name))
				first = kv_get(&r->anomalies[i], "kind");
		kt_diag(t, "anomalies_in_log=%zu (recorded while it toggled)",
			an);
		kt_set(t, KTAP_FAIL,
		       "%zu anomalies in the log while it toggled (first: %s)",
		       an, first ? first : "?");
	}
}

/* Sum of site_reads.* in stats. */
static u64 site_reads_total(const struct ps_results *r)
{
	size_t i;
	u64 n = 0;

	for (i = 0; i < r->stats.n; i++)
		if (!strncmp(r->stats.items[i].key, "site_reads.", 11))
			n += kv_u64(&r->stats, r->stats.items[i].key, 0);
	return n;
}

static u64 kind_count(const struct ps_results *r, const char *kind)
{
	char key[64];
	u64 v;

	snprintf(key, sizeof(key), "anomalies.%s", kind);
	if (!kv_get_u64(&r->stats, key, &v))
		return v;
	return anomalies_of(r, "kind", kind);
}

static void detector_test(struct ktap_test *t, const struct ps_results *r,
			  const char *name)
{
	u64 calls = kv_u64(&r->stats, "calls", 0);
	u64 kind = kind_count(r, name);
	const char *checks = kv_get(&r->config, "checks");
	const char *samplers = kv_get(&r->config, "samplers");
	const char *stale_mode = kv_get(&r->config, "stale");

	if (!strcmp(name, "wrong-answer")) {
		u64 m = kv_u64(&r->stats, "mismatches", 0);

		kt_diag(t, "calls=%llu mismatches=%llu anomalies=%llu", calls,
			m, kind);
		if (m || kind)
			kt_set(t, KTAP_FAIL, "%llu wrong answers from victims",
			       m > kind ? m : kind);
		else if (!calls)
			kt_set(t, KTAP_SKIP, "no hammer calls (hammers=%s)",
			       kv_get(&r->stats, "hammers") ?: "0");
	} else if (!strcmp(name, "stale")) {
		u64 s = kv_u64(&r->stats, "stale", 0);
		int warn = stale_mode && !strcmp(stale_mode, "warn");
		size_t i;

		kt_diag(t, "calls=%llu stale=%llu anomalies=%llu mode=%s",
			calls, s, kind, stale_mode ? stale_mode : "fail");
		for (i = 0; i < r->stats.n; i++)
			if (!strncmp(r->stats.items[i].key, "stale.cpu", 9) &&
			    strcmp(r->stats.items[i].value, "0"))
				kt_diag(t, "%s=%s", r->stats.items[i].key,
					r->stats.items[i].value);
		hist_diag(t, r, "after completion", "stale");
		if (kind || (s && !warn))
			kt_set(t, KTAP_FAIL,
			       "%llu stale calls: old code ran after a toggle completed",
			       kind > s ? kind : s);
		else if (s && warn)
			kt_diag(t, "%llu stale calls counted, not fatal (stale=warn: QEMU MTTCG)",
				s);
		if (t->status == KTAP_OK && checks && !strcmp(checks, "off"))
			kt_set(t, KTAP_SKIP,
			       "checks=off: the hammers check answers only");
		else if (t->status == KTAP_OK && !calls)
			kt_set(t, KTAP_SKIP, "no hammer calls (hammers=%s)",
			       kv_get(&r->stats, "hammers") ?: "0");
	} else if (!strcmp(name, "torn") || !strcmp(name, "mixed-pair")) {
		const char *cls = !strcmp(name, "torn") ? "torn" : "mixed";
		char key[64];
		u64 reads = site_reads_total(r), c;

		snprintf(key, sizeof(key), "site_reads.%s", cls);
		c = kv_u64(&r->stats, key, 0);
		kt_diag(t, "site_reads=%llu %s=%llu anomalies=%llu", reads,
			key, c, kind);
		if (kind || c)
			kt_set(t, KTAP_FAIL,
			       "%llu reads of a patch site found a %s instruction",
			       kind > c ? kind : c,
			       !strcmp(name, "torn") ? "torn" :
			       "mixed (halves of two legal states)");
		else if (samplers && !strcmp(samplers, "0"))
			kt_set(t, KTAP_SKIP, "samplers=0: no site is read");
		else if (!reads)
			kt_set(t, KTAP_SKIP, "no patch site was read");
	} else if (!strcmp(name, "trap")) {
		const char *ct = kv_get(&r->caps, "catch_traps");
		const char *cb = kv_get(&r->caps, "catch_breaks");
		u64 traps = kv_u64(&r->stats, "traps", 0);

		kt_diag(t, "traps=%llu anomalies=%llu catch_traps=%s catch_breaks=%s",
			traps, kind, ct ? ct : "?", cb ? cb : "?");
		if (traps || kind)
			kt_set(t, KTAP_FAIL,
			       "%llu traps at a victim's patch site",
			       traps > kind ? traps : kind);
		else if (ct && cb && !strcmp(ct, "0") && !strcmp(cb, "0"))
			kt_set(t, KTAP_SKIP,
			       "this kernel cannot survive a trap at a patch site (caps catch_traps=0 catch_breaks=0): the console scan reports it");
		else if (!calls)
			kt_set(t, KTAP_SKIP, "no hammer calls (hammers=%s)",
			       kv_get(&r->stats, "hammers") ?: "0");
	} else {
		/* the module's other kinds (module/tables/anomalies.def) */
		kt_diag(t, "anomalies=%llu", kind);
		if (kind)
			kt_set(t, KTAP_FAIL, "%llu %s anomalies", kind, name);
		else if (!strcmp(name, "wrong-target") && samplers &&
			 !strcmp(samplers, "0"))
			kt_set(t, KTAP_SKIP, "samplers=0: no site is read");
		else if (!strcmp(name, "unexpected-state") && checks &&
			 !strcmp(checks, "off"))
			kt_set(t, KTAP_SKIP, "checks=off: no site is checked after a toggle");
		else if (!strcmp(name, "stuck") &&
			 !strcmp(kv_get(&r->stats, "hammers") ?: "0", "0"))
			kt_set(t, KTAP_SKIP, "no hammer ran");
	}
}

static void verdict_test(struct ktap_test *t, const struct ps_results *r)
{
	const char *v = kv_get(&r->stats, "verdict");
	const char *reason = kv_get(&r->stats, "reason");
	const char *state = kv_get(&r->stats, "state");
	double el = report_elapsed_s(r);
	u64 toggles = kv_u64(&r->stats, "toggles", 0);

	kt_diag(t, "kernel=%s arch=%s", kv_get(&r->caps, "kernel") ?: "?",
		kv_get(&r->caps, "arch") ?: "?");
	kt_diag(t, "state=%s elapsed_s=%.1f duration_s=%llu toggles=%llu toggles_per_s=%.1f togglers=%s hammers=%s calls=%llu anomalies=%llu",
		state ? state : "unknown", el,
		kv_u64(&r->stats, "duration_s", 0), toggles,
		el > 0 ? toggles / el : 0.0,
		kv_get(&r->stats, "togglers") ?: "?",
		kv_get(&r->stats, "hammers") ?: "?",
		kv_u64(&r->stats, "calls", 0),
		kv_u64(&r->stats, "anomalies", r->nr_anomalies));
	if (kv_get(&r->config, "strategies"))
		kt_diag(t, "strategies=%s targets=%s inject=%s",
			kv_get(&r->config, "strategies"),
			kv_get(&r->config, "targets") ?: "?",
			kv_get(&r->config, "inject") ?: "none");
	hist_diag(t, r, "flush", "flush");
	hist_diag(t, r, "visibility", "visibility");
	if (v && !strcmp(v, "SUCCESS"))
		return;
	if (v && !strcmp(v, "FAILURE"))
		kt_set(t, KTAP_FAIL, "%s", reason && *reason ? reason :
		       "FAILURE");
	else
		kt_set(t, KTAP_FAIL, "no verdict: the storm did not finish (state %s)",
		       state ? state : "unknown");
}

static void runner_test(struct ktap_test *t, const struct ps_results *r)
{
	const char *v = kv_get(&r->runner, "verdict");
	const char *reason = kv_get(&r->runner, "reason");

	kt_diag(t, "arch=%s kernel=%s cpus=%s tcg=%s boot_to_init_s=%s",
		kv_get(&r->runner, "arch") ?: "?",
		kv_get(&r->runner, "kernel") ?: "?",
		kv_get(&r->runner, "cpus") ?: "?",
		kv_get(&r->runner, "tcg") ?: "?",
		kv_get(&r->runner, "boot_to_init_s") ?: "?");
	if (strcmp(v, "SUCCESS"))
		kt_set(t, KTAP_FAIL, "%s", reason && *reason ? reason : v);
}

/* A parent test of leaf tests; returns its status. */
static enum ktap_status emit_parent(struct sbuf *sb, unsigned int num,
				    const char *name, struct ktap_test *kids,
				    size_t n)
{
	enum ktap_status st = KTAP_OK;
	size_t i;

	sb_printf(sb, "    KTAP version 1\n    # Subtest: %s\n    1..%zu\n",
		  name, n);
	for (i = 0; i < n; i++) {
		if (kids[i].status == KTAP_FAIL)
			st = KTAP_FAIL;
		kt_emit(sb, "    ", (unsigned int)i + 1, &kids[i]);
	}
	sb_printf(sb, "%s %u %s\n", st == KTAP_FAIL ? "not ok" : "ok", num,
		  name);
	return st;
}

char *ktap_text(const struct ps_results *r)
{
	struct strategy_row *rows;
	struct ktap_test t, *kids;
	struct sbuf sb;
	size_t n, i, k, nd = nr_anomaly_kinds;
	unsigned int num = 0, plan;
	int runner = kv_get(&r->runner, "verdict") != NULL;

	n = report_strategies(r, &rows);
	sb_init(&sb);
	plan = 1 + runner + (n > 0) + 1;
	sb_printf(&sb, "KTAP version 1\n# patchstorm: %s %s, verdict %s\n1..%u\n",
		  kv_get(&r->caps, "kernel") ?: "?",
		  kv_get(&r->caps, "arch") ?: "?",
		  kv_get(&r->stats, "verdict") ?: "NONE", plan);
	if (runner) {
		kt_init(&t, "runner");
		runner_test(&t, r);
		kt_emit(&sb, "", ++num, &t);
	}
	kt_init(&t, "storm");
	verdict_test(&t, r);
	kt_emit(&sb, "", ++num, &t);

	if (n) {
		kids = xcalloc(n, sizeof(*kids));
		for (i = 0; i < n; i++) {
			kt_init(&kids[i], rows[i].name);
			strategy_test(&kids[i], r, &rows[i]);
		}
		emit_parent(&sb, ++num, "strategies", kids, n);
		free(kids);
	}
	kids = xcalloc(nd, sizeof(*kids));
	for (k = 0; k < nd; k++) {
		kt_init(&kids[k], anomaly_names[k]);
		detector_test(&kids[k], r, anomaly_names[k]);
	}
	emit_parent(&sb, ++num, "detectors", kids, nd);
	free(kids);
	free(rows);
	return sb_steal(&sb);
}
