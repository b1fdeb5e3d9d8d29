// SPDX-License-Identifier: GPL-2.0
/*
 * Counters, the stats file, periodic stats lines and the verdict, in the
 * style of the kernel's torture tests.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "engine/engine.h"
#include "detectors/detectors.h"
#include "latency/latency.h"

DEFINE_PER_CPU(struct ps_counters, ps_counters);

static char ps_verdict[16] = "NONE";
static char ps_reason[160];

void ps_counters_reset(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&ps_counters, cpu), 0,
		       sizeof(struct ps_counters));
}

/* Every CPU's counters summed: the struct is all u64s, summed as such. */
void ps_counters_sum(struct ps_counters *sum)
{
	const unsigned int n = sizeof(*sum) / sizeof(u64);
	u64 *s = (u64 *)sum;
	unsigned int cpu, i;

	BUILD_BUG_ON(sizeof(*sum) % sizeof(u64));
	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const u64 *c = (const u64 *)per_cpu_ptr(&ps_counters, cpu);

		for (i = 0; i < n; i++)
			s[i] += READ_ONCE(c[i]);
	}
}

static u64 ps_sum(const u64 *v, unsigned int n)
{
	u64 t = 0;

	while (n--)
		t += v[n];
	return t;
}

static u64 ps_target_hits(const struct ps_counters *c, unsigned int t)
{
	return ps_sum(c->hits_ts[t], PS_NR_STRATEGIES);
}

void ps_stats_line(const char *tag)
{
	struct ps_counters *c = kmalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return;
	ps_counters_sum(c);
	pr_info("patchstorm: %s: elapsed_s=%llu toggles=%llu errors=%llu hits=%llu calls=%llu anomalies=%llu\n",
		tag, div_u64(ps_elapsed_ns(), NSEC_PER_SEC),
		ps_sum(&c->toggles[0][0], 2 * PS_NR_STRATEGIES),
		ps_sum(c->errors, PS_NR_STRATEGIES),
		ps_sum(c->hits, PS_NR_STRATEGIES), c->calls,
		ps_sum(c->anomalies, PS_NR_ANOMALY_KINDS));
	kfree(c);
}

/* SUCCESS, or FAILURE with each kind of anomaly counted, or API errors. */
void ps_verdict_set(void)
{
	struct ps_counters *c = kmalloc(sizeof(*c), GFP_KERNEL);
	size_t n = 0, len = sizeof(ps_reason);
	const char *sep = ":";
	unsigned int k;
	u64 errors;

	strscpy(ps_verdict, "FAILURE");
	if (!c) {
		strscpy(ps_reason, "out of memory computing the verdict");
		return;
	}
	ps_counters_sum(c);
	errors = ps_sum(c->errors, PS_NR_STRATEGIES);
	if (ps_anomaly_count()) {
		n += scnprintf(ps_reason + n, len - n, "%llu anomalies",
			       ps_anomaly_count());
		for (k = 0; k < PS_NR_ANOMALY_KINDS; k++) {
			if (!c->anomalies[k])
				continue;
			n += scnprintf(ps_reason + n, len - n, "%s %llu %s", sep,
				       c->anomalies[k], ps_anomaly_what[k]);
			sep = ",";
		}
	} else if (errors) {
		scnprintf(ps_reason, len, "%llu errors from patching APIs",
			  errors);
	} else {
		strscpy(ps_verdict, "SUCCESS");
		ps_reason[0] = '\0';
	}
	kfree(c);
}

void ps_verdict_clear(void)
{
	strscpy(ps_verdict, "NONE");
	ps_reason[0] = '\0';
}

void ps_verdict_print(void)
{
	char *cfg = kmalloc(PAGE_SIZE, GFP_KERNEL);
	char *p;

	if (cfg) {
		ps_config_show(&ps_run.cfg, cfg, PAGE_SIZE);
		for (p = cfg; *p; p++)
			if (*p == '\n')
				*p = ' ';
	}
	pr_alert("patchstorm: --- End of test: %s%s%s: %s\n", ps_verdict,
		 ps_reason[0] ? ": " : "", ps_reason, cfg ? cfg : "");
	kfree(cfg);
}

/* which CPUs ran each target's handlers: a target never reached is no test */
static struct cpumask ps_reached[PS_MAX_TARGETS];

static int ps_stats_reach(char *buf, size_t len, const struct ps_counters *c)
{
	unsigned int t, cpu, unreached = 0;
	size_t n = 0;

	for (t = 0; t < ps_run.nr_targets; t++) {
		cpumask_clear(&ps_reached[t]);
		for_each_possible_cpu(cpu)
			if (ps_sum(per_cpu_ptr(&ps_counters, cpu)->hits_ts[t],
				   PS_NR_STRATEGIES))
				cpumask_set_cpu(cpu, &ps_reached[t]);
	}
	n += scnprintf(buf + n, len - n, "targets.unreached=");
	for (t = 0; t < ps_run.nr_targets; t++)
		if (ps_run.targets[t].strats && !ps_target_hits(c, t))
			n += scnprintf(buf + n, len - n, "%s%s",
				       unreached++ ? "," : "",
				       ps_run.targets[t].name);
	n += scnprintf(buf + n, len - n, "\ntargets.dropped=%s\n",
		       ps_run.dropped);
	return n;
}

int ps_stats_show(char *buf, size_t len)
{
	struct ps_counters *c = kmalloc(sizeof(*c), GFP_KERNEL);
	u64 site_reads[PS_NR_CLASSES], passes, sleeps, hpasses, inflight;
	enum ps_state state = ps_state();
	bool done = state == PS_DONE;
	unsigned int s, i, down, up;
	size_t n = 0;

	if (!c)
		return -ENOMEM;
	ps_counters_sum(c);
	n += scnprintf(buf + n, len - n,
		       "state=%s\nverdict=%s\nreason=%s\nelapsed_ns=%llu\nduration_s=%u\n",
		       ps_state_name(state), done ? ps_verdict : "NONE",
		       done ? ps_reason : "", ps_elapsed_ns(),
		       ps_run.cfg.duration);
	n += scnprintf(buf + n, len - n, "togglers=%u\nhammers=%u\n",
		       ps_storm.nr_togglers, ps_storm.nr_hammers);
	n += scnprintf(buf + n, len - n, "toggles=%llu\nerrors=%llu\nhits=%llu\n",
		       ps_sum(&c->toggles[0][0], 2 * PS_NR_STRATEGIES),
		       ps_sum(c->errors, PS_NR_STRATEGIES),
		       ps_sum(c->hits, PS_NR_STRATEGIES));
	ps_hotplug_counts(&down, &up);
	n += scnprintf(buf + n, len - n, "cpus_offlined=%u\ncpus_onlined=%u\n",
		       down, up);
	n += scnprintf(buf + n, len - n,
		       "calls=%llu\nmismatches=%llu\nstale_checked=%llu\nstale_skipped=%llu\nstale=%llu\ntraps=%llu\nanomalies=%llu\nfirst_anomaly_ns=%llu\nmixed_picks=%llu\nwiden_events=%llu\n",
		       c->calls, c->anomalies[PS_A_WRONG_ANSWER],
		       c->stale_checked, c->stale_skipped, c->stale,
		       c->anomalies[PS_A_TRAP], ps_anomaly_count(),
		       ps_anomaly_first_ns(), c->mixed_picks, ps_widen_count());
	/* where the stale calls ran: every hammer CPU, and any other */
	for_each_possible_cpu(i) {
		u64 stale = READ_ONCE(per_cpu_ptr(&ps_counters, i)->stale);

		if (stale || cpumask_test_cpu(i, &ps_storm.hammer_mask))
			n += scnprintf(buf + n, len - n, "stale.cpu%u=%llu\n",
				       i, stale);
	}
	/* disable_early: disables settled before the API returned */
	for (s = 0; s < PS_NR_STRATEGIES; s++)
		n += scnprintf(buf + n, len - n,
			       "toggles.%s.enable=%llu\ntoggles.%s.disable=%llu\ntoggles.%s.disable_early=%llu\nerrors.%s=%llu\nhits.%s=%llu\n",
			       ps_strategy_names[s], c->toggles[s][1],
			       ps_strategy_names[s], c->toggles[s][0],
			       ps_strategy_names[s], c->disable_early[s],
			       ps_strategy_names[s], c->errors[s],
			       ps_strategy_names[s], c->hits[s]);
	for (i = 0; i < PS_NR_HISTS; i++) {
		char name[PS_NAME_LEN];

		ps_hist_name(i, name, sizeof(name));
		n += scnprintf(buf + n, len - n, "samples.%s=%llu\n", name,
			       ps_hist_count(i));
	}
	for (i = 0; i < PS_NR_ANOMALY_KINDS; i++)
		n += scnprintf(buf + n, len - n, "anomalies.%s=%llu\n",
			       ps_anomaly_names[i], c->anomalies[i]);
	ps_sites_counts(site_reads);
	for (i = 0; i < PS_NR_CLASSES; i++)
		n += scnprintf(buf + n, len - n, "site_reads.%s=%llu\n",
			       ps_class_name(i), site_reads[i]);
	ps_sampler_counts(&passes, &sleeps);
	ps_sampler_flight_counts(&hpasses, &inflight);
	n += scnprintf(buf + n, len - n,
		       "sampler.passes=%llu\nsampler.sleeps=%llu\nsampler.cpu_ns=%llu\nsampler.hammer_passes=%llu\nsampler.inflight_passes=%llu\n",
		       passes, sleeps, ps_sampler_cpu_ns(), hpasses, inflight);
	n += ps_stats_reach(buf + n, len - n, c);
	for (i = 0; i < ps_run.nr_targets; i++) {
		const char *name = ps_run.targets[i].name;

		n += scnprintf(buf + n, len - n, "target.%s.hits=%llu\n", name,
			       ps_target_hits(c, i));
		n += scnprintf(buf + n, len - n, "target.%s.cpus=%*pbl\n", name,
			       cpumask_pr_args(&ps_reached[i]));
		for (s = 0; s < PS_NR_STRATEGIES; s++)
			if (c->hits_ts[i][s])
				n += scnprintf(buf + n, len - n,
					       "target.%s.%s.hits=%llu\n", name,
					       ps_strategy_names[s],
					       c->hits_ts[i][s]);
	}
	n += scnprintf(buf + n, len - n, "last_error=%s\n", ps_last_error);
	kfree(c);
	return n;
}
