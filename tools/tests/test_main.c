// SPDX-License-Identifier: GPL-2.0
#include "test.h"
#include "knobs.h"
#include "decode.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util.h"

int t_failures;
const char *t_cli;
static int passed, failed, skipped;
static char t_skip_reason[200];
static char tmproot[] = "/tmp/patchstorm-tests-XXXXXX";
static int tmpcount;

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (t_failures++ < 5) {
		fprintf(stdout, "    %s:%d: ", file, line);
		va_start(ap, fmt);
		vfprintf(stdout, fmt, ap);
		va_end(ap);
		fputc('\n', stdout);
	}
}

void t_skip(const char *fmt, ...)
{
	va_list ap;

	if (t_skip_reason[0])
		return;		/* the first reason is enough */
	va_start(ap, fmt);
	vsnprintf(t_skip_reason, sizeof(t_skip_reason), fmt, ap);
	va_end(ap);
	if (!t_skip_reason[0])
		strcpy(t_skip_reason, "skipped");
}

void t_run(const char *name, void (*fn)(void))
{
	t_failures = 0;
	t_skip_reason[0] = '\0';
	fn();
	if (t_failures) {
		failed++;
		printf("FAIL %s (%d failed checks)\n", name, t_failures);
	} else if (t_skip_reason[0]) {
		skipped++;
		printf("SKIP %s: %s\n", name, t_skip_reason);
	} else {
		passed++;
	}
	fflush(stdout);
}

const char *t_tmpdir(void)
{
	/* not freed: lives as long as the test run, like the directory */
	char *path = xasprintf("%s/%d", tmproot, ++tmpcount);

	if (mkdir(path, 0755)) {
		perror(path);
		exit(2);
	}
	return path;
}

void t_write(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *slash = strrchr(path, '/');
	FILE *f;

	*slash = '\0';
	{
		/* mkdir -p of the parent */
		char *p;

		for (p = path + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
		mkdir(path, 0755);
	}
	*slash = '/';
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	free(path);
}

int t_python_json_ok(const char *text)
{
	FILE *p;
	int st;

	if (system("python3 -c '' >/dev/null 2>&1") != 0)
		return -1;
	p = popen("python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null",
		  "w");
	if (!p)
		return -1;
	fputs(text, p);
	st = pclose(p);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* An empty histogram file as module/latency/hist.c writes it. */
static void fake_empty_hist(const char *dir, const char *name)
{
	char *file = xasprintf("hist/%s", name);
	char *text = xasprintf("# patchstorm histogram: %s\n# unit: ns\n"
			       "count=0\nmin=0\nmean=0\nmax=0\np50=0\np90=0\n"
			       "p99=0\np99.9=0\np99.99=0\noverflow=0\n"
			       "# low high count\n", name);

	t_write(dir, file, text);
	free(text);
	free(file);
}

/*
 * Files as the module writes them: stats (module/engine/stats.c
 * ps_stats_show()), anomalies (detectors/anomaly.c), config (engine/config.c,
 * every knob of tables/knobs.def), caps (interface/caps.c and
 * arch/riscv.c), control (interface/debugfs.c), hist/ (latency/hist.c: one
 * file per histogram, empty ones too).  Names come from the module's
 * tables (knobs.h). Checked against
 * module/ by tests/integration/04-fake-debugfs.sh and against a real
 * storm's files by 60-cli and 61-cli-inject (tests/fake-debugfs.py).
 */
void t_fake_debugfs(const char *dir, const char *state, const char *verdict)
{
	const char *const *strats = strategy_names;
	static const char *const extra_hists[] = {
		"visibility", "stall", "flush", "stale",
	};
	int fail = !strcmp(verdict, "FAILURE");
	struct sbuf sb;
	size_t i;

	sb_init(&sb);
	sb_printf(&sb,
		  "state=%s\nverdict=%s\nreason=%s\nelapsed_ns=20000000000\n"
		  "duration_s=20\ntogglers=2\nhammers=1\ntoggles=400000\n"
		  "errors=3\nhits=12000000\ncpus_offlined=0\ncpus_onlined=0\n"
		  "calls=80000000\nmismatches=%d\n"
		  "stale_checked=60000000\nstale_skipped=20000000\nstale=0\ntraps=0\nanomalies=%d\nfirst_anomaly_ns=%s\n"
		  "mixed_picks=0\nwiden_events=0\nstale.cpu2=0\n",
		  state, verdict, fail ? "2 anomalies (first: torn)" : "",
		  fail, fail ? 2 : 0, fail ? "1500000000" : "0");
	for (i = 0; i < nr_strategies; i++) {
		int ff = !strcmp(strats[i], "ftrace-filter");
		int sk = !strcmp(strats[i], "static-key");

		sb_printf(&sb,
			  "toggles.%s.enable=%d\ntoggles.%s.disable=%d\n"
			  "toggles.%s.disable_early=0\n"
			  "errors.%s=%d\nhits.%s=%d\n",
			  strats[i], ff ? 100000 : sk ? 100001 : 0,
			  strats[i], ff ? 100000 : sk ? 99999 : 0,
			  strats[i],
			  strats[i], sk ? 3 : 0,
			  strats[i], ff ? 5000000 : sk ? 7000000 : 0);
	}
	for (i = 0; i < nr_strategies; i++)
		sb_printf(&sb, "samples.patch.%s.disable=0\n"
			  "samples.patch.%s.enable=%d\n", strats[i], strats[i],
			  i == 0 ? 10 : 0);
	for (i = 0; i < ARRAY_SIZE(extra_hists); i++)
		sb_printf(&sb, "samples.%s=%d\n", extra_hists[i],
			  !strcmp(extra_hists[i], "stall") ? 3 : 0);
	for (i = 0; i < nr_anomaly_kinds; i++)
		sb_printf(&sb, "anomalies.%s=%d\n", anomaly_names[i],
			  fail && (!strcmp(anomaly_names[i], "torn") ||
				   !strcmp(anomaly_names[i], "wrong-answer")));
	for (i = 0; i < PS_NR_CLASSES; i++)
		sb_printf(&sb, "site_reads.%s=%d\n", ps_class_name(i),
			  i == 0 ? 5000 : i == 1 ? 4000 : 0);
	sb_puts(&sb, "sampler.passes=9000\nsampler.sleeps=8000\n"
		"sampler.cpu_ns=160000000\nsampler.hammer_passes=300\n"
		"sampler.inflight_passes=120\n"
		"targets.unreached=\ntargets.dropped=\n"
		"target.victim_leaf.hits=12000000\n"
		"target.victim_leaf.cpus=1\n"
		"target.victim_leaf.ftrace-filter.hits=12000000\n"
		"last_error=\n");
	t_write(dir, "stats", sb.s);
	sb_free(&sb);
	sb_init(&sb);
	sb_puts(&sb, "arch=riscv64\nkernel=6.12.9\nftrace=1\n"
		"dynamic_ftrace=1\nftrace_with_regs=0\nftrace_with_args=1\n"
		"kprobes=0\nkprobes_on_ftrace=0\noptprobes=0\njump_label=1\n"
		"preempt=voluntary\nsymbol_lookup=1\ncpus_online=4\n"
		"strategies=");
	for (i = 0; i < nr_strategies; i++)
		sb_printf(&sb, "%s,", strats[i]);
	sb_puts(&sb, "mixed\n");
	/* this kernel has no kprobes (the report says so) */
	for (i = 0; i < nr_strategies; i++)
		sb_printf(&sb, "strategy.%s=%d\nstrategy.%s.needs=CONFIG_%s\n",
			  strats[i], strncmp(strats[i], "kprobe", 6) != 0,
			  strats[i], strncmp(strats[i], "kprobe", 6) ? "X" : "KPROBES");
	sb_puts(&sb, "injections=");
	for (i = 0; i < nr_injections; i++)
		sb_printf(&sb, "%s%s", i ? "," : "", injection_names[i]);
	sb_puts(&sb, "\n");
	for (i = 1; i < nr_injections; i++)
		sb_printf(&sb, "injection.%s.trips=%s\n", injection_names[i],
			  injection_trips[i]);
	sb_puts(&sb, "inject_allowed=0\nchurn_module=0\nftrace_sites_live=0\n");
	sb_puts(&sb, "victims=victim_leaf,victim_nonleaf,victim_long,victim_key,"
		"victim_key_nonleaf,victim_keyref,victim_keyref_nonleaf,"
		"victim_call\n"
		"victim.victim_leaf.align=2\n"
		"victim.victim_nonleaf.align=4\nvictim.victim_long.align=4\n"
		"victim.victim_key.align=2\nvictim.victim_key_nonleaf.align=4\n"
		"victim.victim_keyref.align=4\n"
		"victim.victim_keyref_nonleaf.align=2\n"
		"victim.victim_call.align=4\n"
		"catch_traps=1\ncatch_breaks=0\nftrace_per_ops=0\n"
		"ftrace_site_bytes=8\n"
		"ftrace_regime=pair\nftrace_ops_literal=0\n"
		"ftrace_patch=stop_machine\nkprobe_patch=stop_machine\n"
		"jump_label_patch=nosync+flush_icache_all\n"
		"kprobe_default_offset=8\n");
	t_write(dir, "caps", sb.s);
	sb_free(&sb);
	/* every knob of the module's table, a few set as a storm would */
	sb_init(&sb);
	for (i = 0; i < nr_knobs; i++) {
		const char *v = knobs[i].def;

		if (!strcmp(knobs[i].name, "strategies"))
			v = "ftrace-filter,static-key";
		else if (!strcmp(knobs[i].name, "targets"))
			v = "victim_leaf";
		else if (!strcmp(knobs[i].name, "togglers") ||
			 !strcmp(knobs[i].name, "hammers"))
			v = !strcmp(knobs[i].name, "togglers") ? "2" : "1";
		else if (!strcmp(knobs[i].name, "duration"))
			v = "20";
		else if (!strcmp(knobs[i].name, "stat_interval"))
			v = "0";
		if (knobs[i].kind == KK_WEIGHTS) {
			size_t j;

			sb_printf(&sb, "%s=", knobs[i].name);
			for (j = 0; j < nr_strategies; j++)
				sb_printf(&sb, "%s%s:1", j ? "," : "", strats[j]);
			sb_puts(&sb, "\n");
		} else {
			sb_printf(&sb, "%s=%s\n", knobs[i].name, v);
		}
	}
	t_write(dir, "config", sb.s);
	sb_free(&sb);
	t_write(dir, "control", !strcmp(state, "running") ? "running\n" :
		!strcmp(state, "idle") ? "idle\n" : "done\n");
	/* %pS of a module's function: "name+off/size [module]" */
	t_write(dir, "anomalies", fail ?
		"# 2 anomalies, last 2 shown, after the first of each kind before them\n"
		"kind=torn cpu=1 addr=victim_leaf+0x4/0x40 [patchstorm] "
		"bytes=0000000097000000 strategy=ftrace-filter "
		"target=victim_leaf seq=17 t_ns=1500000000 detail=0\n"
		"kind=wrong-answer cpu=0 addr=victim_key+0x0/0x20 [patchstorm] "
		"bytes=0000000000000000 strategy=static-key target=victim_key "
		"seq=99 t_ns=2500000000 detail=7\n" :
		"# 0 anomalies, last 0 shown, after the first of each kind before them\n");
	for (i = 0; i < nr_strategies; i++) {
		char *name = xasprintf("patch.%s.disable", strats[i]);

		fake_empty_hist(dir, name);
		free(name);
		if (!strcmp(strats[i], "ftrace-filter"))
			continue;
		name = xasprintf("patch.%s.enable", strats[i]);
		fake_empty_hist(dir, name);
		free(name);
	}
	t_write(dir, "hist/patch.ftrace-filter.enable",
		"# patchstorm histogram: patch.ftrace-filter.enable\n"
		"# unit: ns\ncount=10\nmin=900\nmean=3000\n"
		"max=20000\np50=903\np90=8255\np99=20000\np99.9=20000\n"
		"p99.99=20000\noverflow=0\n# low high count\n"
		"900 903 5\n2048 2063 3\n8192 8255 1\n19968 20095 1\n");
	for (i = 0; i < ARRAY_SIZE(extra_hists); i++)
		if (strcmp(extra_hists[i], "stall"))
			fake_empty_hist(dir, extra_hists[i]);
	t_write(dir, "hist/stall",
		"# patchstorm histogram: stall\n# unit: ns\n"
		"count=3\nmin=50\nmean=60\nmax=70\np50=70\np90=70\np99=70\n"
		"p99.9=70\np99.99=70\noverflow=1\n# low high count\n"
		"50 50 1\n70 70 1\n");
}

char *t_read(const char *path)
{
	char *s = read_file(path);

	return s ? s : xstrdup("");
}

static void cleanup(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmproot);

	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmproot);
	free(cmd);
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "--fake-debugfs")) {
		/* the fake for the drift check against a real run */
		mkdir(argv[2], 0755);
		t_fake_debugfs(argv[2], argv[3], argv[4]);
		return 0;
	}
	t_cli = argc > 1 ? argv[1] : "build/host/patchstorm";
	if (!mkdtemp(tmproot)) {
		perror("mkdtemp");
		return 2;
	}
	atexit(cleanup);
	unsetenv("PATCHSTORM_DEBUGFS");
	suite_hist();
	suite_kv();
	suite_json();
	suite_opts();
	suite_report();
	suite_compare();
	suite_plot();
	suite_cli();
	suite_ktap();
	suite_doctor();
	suite_kstate();
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
