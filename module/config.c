// SPDX-License-Identifier: GPL-2.0
/*
 * Storm configuration: "key=value" words, applied to a copy and validated
 * as a whole, so a bad value leaves the current configuration untouched.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include "patchstorm.h"

#define PS_MAX_RATE		10000000U
#define PS_MAX_DURATION		(7 * 24 * 3600U)
#define PS_MIN_WIDEN_US		10U

struct ps_config ps_cfg;

static const char *const ps_widen_names[] = {
	[PS_WIDEN_NONE] = "none",
	[PS_WIDEN_HRTIMER] = "hrtimer",
	[PS_WIDEN_IPI] = "ipi",
};

void ps_config_defaults(struct ps_config *cfg)
{
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->strategies = BIT(PS_NR_BASE_STRATS) - 1;
	for (i = 0; i < ps_nr_victims; i++)
		strscpy(cfg->targets[i], ps_victims[i].name, PS_NAME_LEN);
	cfg->nr_targets = ps_nr_victims;
	cfg->togglers = 1;
	cfg->hammers = -1;
	cfg->stat_interval = 10;
	cfg->batch = 1;
	cfg->kprobe_offset = -1;
	cfg->widen_us = 100;
	cfg->stall_ns = 1000000;
	cfg->sampler_idle_us = PS_SAMPLER_IDLE_US;
	/* the flush prober runs by default where the arch's flush is callable */
	cfg->flush_us = ps_arch_can_flush() ? PS_FLUSH_US : 0;
	cfg->samplers = 1;
	for (i = 0; i < PS_NR_BASE_STRATS; i++)
		cfg->weights[i] = 1;
}

static int ps_strat_lookup(const char *name)
{
	int i;

	for (i = 0; i < PS_NR_STRATS; i++)
		if (!strcmp(name, ps_strat_names[i]))
			return i;
	return -1;
}

static int ps_parse_strategies(struct ps_config *cfg, char *val)
{
	unsigned long mask = 0;
	char *word;
	int s;

	if (!strcmp(val, "all")) {
		cfg->strategies = BIT(PS_NR_BASE_STRATS) - 1;
		return 0;
	}
	while ((word = strsep(&val, ",")) != NULL) {
		s = ps_strat_lookup(word);
		if (s < 0) {
			ps_error("unknown strategy '%s'", word);
			return -EINVAL;
		}
		mask |= BIT(s);
	}
	cfg->strategies = mask;
	return 0;
}

static int ps_parse_targets(struct ps_config *cfg, char *val)
{
	unsigned int n = 0, i;
	char *word;

	while ((word = strsep(&val, ",")) != NULL) {
		if (!*word) {
			ps_error("empty target name");
			return -EINVAL;
		}
		if (!strcmp(word, "victims")) {
			if (n + ps_nr_victims > PS_MAX_TARGETS)
				goto too_many;
			for (i = 0; i < ps_nr_victims; i++)
				strscpy(cfg->targets[n++], ps_victims[i].name,
					PS_NAME_LEN);
			continue;
		}
		if (n >= PS_MAX_TARGETS)
			goto too_many;
		if (strscpy(cfg->targets[n++], word, PS_NAME_LEN) < 0) {
			ps_error("target name too long: '%s'", word);
			return -EINVAL;
		}
	}
	cfg->nr_targets = n;
	return 0;
too_many:
	ps_error("more than %d targets", PS_MAX_TARGETS);
	return -EINVAL;
}

static int ps_parse_cpus(const char *key, struct cpumask *mask,
			 const char *val)
{
	int ret;

	if (!strcmp(val, "auto")) {
		cpumask_clear(mask);
		return 0;
	}
	ret = cpulist_parse(val, mask);
	if (ret) {
		ps_error("%s: '%s' is not a CPU list", key, val);
		return -EINVAL;
	}
	if (cpumask_empty(mask) || !cpumask_subset(mask, cpu_online_mask)) {
		ps_error("%s: '%s' names no CPU or an offline CPU (online: %*pbl)",
			 key, val, cpumask_pr_args(cpu_online_mask));
		return -EINVAL;
	}
	return 0;
}

static int ps_parse_uint(const char *key, const char *val, unsigned int min,
			 unsigned int max, unsigned int *out)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < min || v > max) {
		ps_error("%s: '%s' is not a whole number from %u to %u",
			 key, val, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* @val must be @yes or @no; *@out tells which. */
static int ps_parse_choice(const char *key, const char *val, const char *yes,
			   const char *no, bool *out)
{
	if (strcmp(val, yes) && strcmp(val, no)) {
		ps_error("%s: '%s' is not %s or %s", key, val, no, yes);
		return -EINVAL;
	}
	*out = !strcmp(val, yes);
	return 0;
}

static int ps_parse_weights(struct ps_config *cfg, char *val)
{
	unsigned int w[PS_NR_BASE_STRATS] = { 0 };
	char *word, *colon;
	int s;

	while ((word = strsep(&val, ",")) != NULL) {
		colon = strchr(word, ':');
		if (!colon)
			goto bad;
		*colon = '\0';
		s = ps_strat_lookup(word);
		if (s < 0 || s >= PS_NR_BASE_STRATS)
			goto bad;
		if (ps_parse_uint("weights", colon + 1, 0, 1000, &w[s]))
			return -EINVAL;
	}
	memcpy(cfg->weights, w, sizeof(w));
	return 0;
bad:
	ps_error("weights: '%s' is not strategy:weight (a base strategy)", word);
	return -EINVAL;
}

static int ps_config_set(struct ps_config *cfg, const char *key, char *val)
{
	unsigned int v;
	int i;

	if (!strcmp(key, "strategies") || !strcmp(key, "strategy"))
		return ps_parse_strategies(cfg, val);
	if (!strcmp(key, "targets"))
		return ps_parse_targets(cfg, val);
	if (!strcmp(key, "togglers"))
		return ps_parse_uint(key, val, 1, PS_MAX_THREADS, &cfg->togglers);
	if (!strcmp(key, "hammers")) {
		if (!strcmp(val, "auto")) {
			cfg->hammers = -1;
			return 0;
		}
		if (ps_parse_uint(key, val, 0, PS_MAX_THREADS, &v))
			return -EINVAL;
		cfg->hammers = v;
		return 0;
	}
	if (!strcmp(key, "toggler_cpus"))
		return ps_parse_cpus(key, &cfg->toggler_cpus, val);
	if (!strcmp(key, "hammer_cpus"))
		return ps_parse_cpus(key, &cfg->hammer_cpus, val);
	if (!strcmp(key, "rate"))
		return ps_parse_uint(key, val, 0, PS_MAX_RATE, &cfg->rate);
	if (!strcmp(key, "duration"))
		return ps_parse_uint(key, val, 0, PS_MAX_DURATION,
				     &cfg->duration);
	if (!strcmp(key, "stutter"))
		return ps_parse_uint(key, val, 0, 3600, &cfg->stutter);
	if (!strcmp(key, "stat_interval"))
		return ps_parse_uint(key, val, 0, 3600, &cfg->stat_interval);
	if (!strcmp(key, "batch"))
		return ps_parse_uint(key, val, 1, PS_MAX_TARGETS, &cfg->batch);
	if (!strcmp(key, "kprobe_offset")) {
		if (!strcmp(val, "auto")) {
			cfg->kprobe_offset = -1;
			return 0;
		}
		if (ps_parse_uint(key, val, 0, 4096, &v))
			return -EINVAL;
		cfg->kprobe_offset = v;
		return 0;
	}
	if (!strcmp(key, "widen")) {
		i = match_string(ps_widen_names, ARRAY_SIZE(ps_widen_names),
				 val);
		if (i < 0) {
			ps_error("widen: '%s' is not none, hrtimer or ipi", val);
			return -EINVAL;
		}
		cfg->widen = i;
		return 0;
	}
	if (!strcmp(key, "sampler_rest_us"))
		return ps_parse_uint(key, val, 0, 10000, &cfg->sampler_rest_us);
	if (!strcmp(key, "sampler_idle_us"))
		return ps_parse_uint(key, val, 0, 1000000, &cfg->sampler_idle_us);
	if (!strcmp(key, "samplers"))
		return ps_parse_uint(key, val, 0, PS_MAX_THREADS, &cfg->samplers);
	if (!strcmp(key, "flush_us")) {
		unsigned int us;
		int ret = ps_parse_uint(key, val, 0, 1000000, &us);

		if (ret)
			return ret;
		/* a flush is an IPI to every CPU: not more than 10000/s */
		if (us && us < 100) {
			ps_error("flush_us: '%s' is not 0 (off) or 100-1000000", val);
			return -EINVAL;
		}
		cfg->flush_us = us;
		return 0;
	}
	if (!strcmp(key, "widen_us"))
		return ps_parse_uint(key, val, PS_MIN_WIDEN_US, 1000000,
				     &cfg->widen_us);
	/* off: hammers check answers only (to measure what checks cost) */
	if (!strcmp(key, "checks"))
		return ps_parse_choice(key, val, "off", "on", &cfg->no_checks);
	if (!strcmp(key, "shared_keys"))
		return ps_parse_choice(key, val, "on", "off", &cfg->shared_keys);
	/*
	 * "warn" is for emulators whose cross-CPU code modification is not
	 * trustworthy (QEMU 7.2 MTTCG): stale calls are counted and traced
	 * but do not fail the storm.
	 */
	if (!strcmp(key, "stale"))
		return ps_parse_choice(key, val, "warn", "fail", &cfg->stale_warn);
	if (!strcmp(key, "inject")) {
		i = ps_inject_lookup(val);
		if (i < 0) {
			ps_error("inject: '%s' is not a mode (see inject.c)", val);
			return -EINVAL;
		}
		cfg->inject = i;
		return 0;
	}
	if (!strcmp(key, "stall_ns")) {
		if (kstrtou64(val, 0, &cfg->stall_ns) || !cfg->stall_ns) {
			ps_error("stall_ns: '%s' is not a positive number", val);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "weights"))
		return ps_parse_weights(cfg, val);
	ps_error("unknown configuration key '%s'", key);
	return -EINVAL;
}

/* Apply whitespace-separated "key=value" words to @cfg.  Modifies @text. */
int ps_config_apply(struct ps_config *cfg, char *text)
{
	char *word, *val;
	int ret;

	while ((word = strsep(&text, " \t\n")) != NULL) {
		if (!*word)
			continue;
		if (*word == '#') {
			/* a comment runs to the end of its line */
			if (text)
				strsep(&text, "\n");
			continue;
		}
		val = strchr(word, '=');
		if (!val || val == word || !val[1]) {
			ps_error("'%s' is not key=value", word);
			return -EINVAL;
		}
		*val++ = '\0';
		ret = ps_config_set(cfg, word, val);
		if (ret)
			return ret;
	}
	return 0;
}

/* Checks that need the whole configuration, and the running kernel. */
int ps_config_validate(const struct ps_config *cfg)
{
	struct ps_target *t;
	unsigned int i, keyed = 0, weight = 0;
	int ret = 0;

	if (!cfg->strategies) {
		ps_error("no strategy configured");
		return -EINVAL;
	}
	if (!cfg->nr_targets) {
		ps_error("no target configured");
		return -EINVAL;
	}
	if (cfg->strategies & BIT(PS_MIXED)) {
		for (i = 0; i < PS_NR_BASE_STRATS; i++)
			weight += cfg->weights[i];
		if (!weight) {
			ps_error("mixed: every weight is 0");
			return -EINVAL;
		}
	}
	t = kmalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < cfg->nr_targets; i++) {
		ret = ps_target_resolve(cfg->targets[i], cfg->strategies,
					cfg->kprobe_offset, t);
		if (ret)
			break;
		if (t->victim && t->victim->key >= 0)
			keyed++;
	}
	kfree(t);
	if (ret)
		return ret;
	ret = ps_inject_check(cfg);
	if (ret)
		return ret;
	if (cfg->flush_us && !ps_arch_can_flush()) {
		ps_error("flush_us: the arch flush is not reachable (no symbol lookup): use 0");
		return -EINVAL;
	}
	if ((cfg->strategies & BIT(PS_STATIC_KEY)) && !keyed) {
		ps_error("static-key: no target has a static key (victim_key, victim_key_nonleaf)");
		return -EINVAL;
	}
	return 0;
}

int ps_config_show(const struct ps_config *cfg, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;
	bool first = true;

	n += scnprintf(buf + n, len - n, "strategies=");
	for (i = 0; i < PS_NR_STRATS; i++) {
		if (!(cfg->strategies & BIT(i)))
			continue;
		n += scnprintf(buf + n, len - n, "%s%s", first ? "" : ",",
			       ps_strat_names[i]);
		first = false;
	}
	n += scnprintf(buf + n, len - n, "\ntargets=");
	for (i = 0; i < cfg->nr_targets; i++)
		n += scnprintf(buf + n, len - n, "%s%s", i ? "," : "",
			       cfg->targets[i]);
	n += scnprintf(buf + n, len - n, "\ntogglers=%u\n", cfg->togglers);
	if (cfg->hammers < 0)
		n += scnprintf(buf + n, len - n, "hammers=auto\n");
	else
		n += scnprintf(buf + n, len - n, "hammers=%d\n", cfg->hammers);
	if (cpumask_empty(&cfg->toggler_cpus))
		n += scnprintf(buf + n, len - n, "toggler_cpus=auto\n");
	else
		n += scnprintf(buf + n, len - n, "toggler_cpus=%*pbl\n",
			       cpumask_pr_args(&cfg->toggler_cpus));
	if (cpumask_empty(&cfg->hammer_cpus))
		n += scnprintf(buf + n, len - n, "hammer_cpus=auto\n");
	else
		n += scnprintf(buf + n, len - n, "hammer_cpus=%*pbl\n",
			       cpumask_pr_args(&cfg->hammer_cpus));
	n += scnprintf(buf + n, len - n,
		       "rate=%u\nduration=%u\nstutter=%u\nstat_interval=%u\nbatch=%u\n",
		       cfg->rate, cfg->duration, cfg->stutter,
		       cfg->stat_interval, cfg->batch);
	if (cfg->kprobe_offset < 0)
		n += scnprintf(buf + n, len - n, "kprobe_offset=auto\n");
	else
		n += scnprintf(buf + n, len - n, "kprobe_offset=%d\n",
			       cfg->kprobe_offset);
	n += scnprintf(buf + n, len - n,
		       "widen=%s\nwiden_us=%u\nsamplers=%u\nsampler_rest_us=%u\nsampler_idle_us=%u\nflush_us=%u\nstall_ns=%llu\nchecks=%s\nshared_keys=%s\nstale=%s\ninject=%s\nweights=",
		       ps_widen_names[cfg->widen], cfg->widen_us, cfg->samplers,
		       cfg->sampler_rest_us, cfg->sampler_idle_us, cfg->flush_us,
		       cfg->stall_ns, cfg->no_checks ? "off" : "on",
		       cfg->shared_keys ? "on" : "off",
		       cfg->stale_warn ? "warn" : "fail",
		       ps_inject_names[cfg->inject]);
	for (i = 0; i < PS_NR_BASE_STRATS; i++)
		n += scnprintf(buf + n, len - n, "%s%s:%u", i ? "," : "",
			       ps_strat_names[i], cfg->weights[i]);
	n += scnprintf(buf + n, len - n, "\n");
	return n;
}

/*
 * Replace the configuration with the current one updated by @text, or
 * leave it untouched.  Not while a storm runs: its threads read ps_cfg.
 */
int ps_config_write(char *text)
{
	struct ps_config *tmp;
	int ret;

	tmp = kmalloc(sizeof(*tmp), GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	mutex_lock(&ps_lock);
	if (ps_state() == PS_RUNNING) {
		ps_error("configuration cannot change while a storm runs");
		ret = -EBUSY;
		goto out;
	}
	*tmp = ps_cfg;
	ret = ps_config_apply(tmp, text);
	if (!ret)
		ret = ps_config_validate(tmp);
	if (!ret)
		ps_cfg = *tmp;
out:
	mutex_unlock(&ps_lock);
	kfree(tmp);
	return ret;
}
