// SPDX-License-Identifier: GPL-2.0
/*
 * Storm configuration: "key=value" words, applied to a copy and validated
 * as a whole, so a bad value leaves the current configuration untouched.
 * Every knob is a line of tables/knobs.def; this file knows how to parse
 * and show each kind of knob, not each knob.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/stddef.h>
#include "engine/engine.h"
#include "arch/arch.h"

struct ps_config ps_cfg;
/* the allow_inject module parameter */
bool ps_allow_inject;

enum ps_knob_kind {
	PS_KK_UINT, PS_KK_AUTO, PS_KK_OFF_OR, PS_KK_U64, PS_KK_SECS,
	PS_KK_CHOICE, PS_KK_CPUS, PS_KK_STRATS, PS_KK_TARGETS, PS_KK_WEIGHTS,
	PS_KK_INJECT,
};

struct ps_knob {
	const char *name;
	enum ps_knob_kind kind;
	size_t offset;
	const char *def;
	u64 min, max;
	const char *values;
};

static const struct ps_knob ps_knobs[] = {
	PS_KNOB_ENTRIES
};

static const struct ps_knob *ps_knob_find(const char *name)
{
	unsigned int i;

	/* the one alias, kept for scripts written before the plural */
	if (!strcmp(name, "strategy"))
		name = "strategies";
	for (i = 0; i < ARRAY_SIZE(ps_knobs); i++)
		if (!strcmp(name, ps_knobs[i].name))
			return &ps_knobs[i];
	return NULL;
}

/* The index of @val in the comma list @values, or -1. */
static int ps_choice_index(const char *values, const char *val)
{
	size_t len = strlen(val);
	const char *p = values;
	int i = 0;

	for (;;) {
		const char *c = strchrnul(p, ',');

		if (c - p == len && !strncmp(p, val, len))
			return i;
		if (!*c)
			return -1;
		p = c + 1;
		i++;
	}
}

/* The @i-th word of the comma list @values, into @buf. */
static const char *ps_choice_name(const char *values, unsigned int i,
				  char *buf, size_t len)
{
	const char *p = values, *c;

	while (i-- && (c = strchr(p, ',')))
		p = c + 1;
	c = strchrnul(p, ',');
	strscpy(buf, p, min_t(size_t, len, c - p + 1));
	return buf;
}

static int ps_parse_u64(const struct ps_knob *k, const char *val, u64 *out)
{
	u64 v;

	if (kstrtou64(val, 0, &v) || v < k->min || v > k->max) {
		ps_error("%s: '%s' is not a whole number from %llu to %llu",
			 k->name, val, k->min, k->max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int ps_parse_strategies(unsigned long *mask, char *val)
{
	unsigned long m = 0;
	char *word;
	int s;

	if (!strcmp(val, "all")) {
		/* all this kernel has */
		for (s = 0; s < PS_NR_STRATEGIES; s++)
			if (ps_strategy_usable(s))
				m |= BIT(s);
		*mask = m | BIT(PS_ALL_BIT);
		return 0;
	}
	while ((word = strsep(&val, ",")) != NULL) {
		if (!strcmp(word, PS_STRATEGY_MIXED)) {
			m |= BIT(PS_MIXED_BIT);
			continue;
		}
		s = ps_strategy_lookup(word);
		if (s < 0) {
			ps_error("unknown strategy '%s'", word);
			return -EINVAL;
		}
		m |= BIT(s);
	}
	*mask = m;
	return 0;
}

static int ps_parse_targets(struct ps_target_names *tn, char *val)
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
				strscpy(tn->name[n++], ps_victims[i].name);
			continue;
		}
		if (n >= PS_MAX_TARGETS)
			goto too_many;
		if (strscpy(tn->name[n++], word) < 0) {
			ps_error("target name too long: '%s'", word);
			return -EINVAL;
		}
	}
	tn->nr = n;
	return 0;
too_many:
	ps_error("more than %d targets", PS_MAX_TARGETS);
	return -EINVAL;
}

static int ps_parse_cpus(const struct ps_knob *k, struct cpumask *mask,
			 const char *val)
{
	if (!strcmp(val, "auto")) {
		cpumask_clear(mask);
		return 0;
	}
	if (cpulist_parse(val, mask)) {
		ps_error("%s: '%s' is not a CPU list", k->name, val);
		return -EINVAL;
	}
	if (cpumask_empty(mask) || !cpumask_subset(mask, cpu_online_mask)) {
		ps_error("%s: '%s' names no CPU or an offline CPU (online: %*pbl)",
			 k->name, val, cpumask_pr_args(cpu_online_mask));
		return -EINVAL;
	}
	return 0;
}

/* "strategy:weight,..."; unlisted strategies weigh 0 */
static int ps_parse_weights(const struct ps_knob *k, unsigned int *w, char *val)
{
	unsigned int tmp[PS_NR_STRATEGIES] = { 0 };
	char *word, *colon;
	u64 v;
	int s;

	while ((word = strsep(&val, ",")) != NULL) {
		colon = strchr(word, ':');
		if (!colon)
			goto bad;
		*colon = '\0';
		s = ps_strategy_lookup(word);
		if (s < 0)
			goto bad;
		if (ps_parse_u64(k, colon + 1, &v))
			return -EINVAL;
		tmp[s] = v;
	}
	memcpy(w, tmp, sizeof(tmp));
	return 0;
bad:
	ps_error("weights: '%s' is not strategy:weight (a strategy name)", word);
	return -EINVAL;
}

static int ps_knob_parse(const struct ps_knob *k, struct ps_config *cfg,
			 char *val)
{
	void *f = (void *)cfg + k->offset;
	u64 v;
	int i;

	switch (k->kind) {
	case PS_KK_UINT:
	case PS_KK_SECS:
		if (ps_parse_u64(k, val, &v))
			return -EINVAL;
		*(unsigned int *)f = v;
		return 0;
	case PS_KK_AUTO:
		if (!strcmp(val, "auto")) {
			*(int *)f = -1;
			return 0;
		}
		if (ps_parse_u64(k, val, &v))
			return -EINVAL;
		*(int *)f = v;
		return 0;
	case PS_KK_OFF_OR:
		if (kstrtou64(val, 0, &v) || (v && (v < k->min || v > k->max))) {
			ps_error("%s: '%s' is not 0 (off) or %llu-%llu",
				 k->name, val, k->min, k->max);
			return -EINVAL;
		}
		*(unsigned int *)f = v;
		return 0;
	case PS_KK_U64:
		return ps_parse_u64(k, val, f);
	case PS_KK_CHOICE:
		i = ps_choice_index(k->values, val);
		if (i < 0) {
			ps_error("%s: '%s' is not one of %s", k->name, val,
				 k->values);
			return -EINVAL;
		}
		*(unsigned int *)f = i;
		return 0;
	case PS_KK_CPUS:
		return ps_parse_cpus(k, f, val);
	case PS_KK_STRATS:
		return ps_parse_strategies(f, val);
	case PS_KK_TARGETS:
		return ps_parse_targets(f, val);
	case PS_KK_WEIGHTS:
		return ps_parse_weights(k, f, val);
	case PS_KK_INJECT:
		i = ps_injection_lookup(val);
		if (i < 0) {
			ps_error("inject: '%s' is not an injection (caps: injections=)",
				 val);
			return -EINVAL;
		}
		*(unsigned int *)f = i;
		return 0;
	}
	return -EINVAL;
}

static int ps_knob_show(const struct ps_knob *k, const struct ps_config *cfg,
			char *buf, size_t len)
{
	const void *f = (const void *)cfg + k->offset;
	const struct ps_target_names *tn;
	const unsigned int *w;
	unsigned long mask;
	char name[32];
	size_t n = scnprintf(buf, len, "%s=", k->name);
	unsigned int i;
	bool first = true;

	switch (k->kind) {
	case PS_KK_UINT:
	case PS_KK_SECS:
	case PS_KK_OFF_OR:
		n += scnprintf(buf + n, len - n, "%u", *(const unsigned int *)f);
		break;
	case PS_KK_AUTO:
		if (*(const int *)f < 0)
			n += scnprintf(buf + n, len - n, "auto");
		else
			n += scnprintf(buf + n, len - n, "%d", *(const int *)f);
		break;
	case PS_KK_U64:
		n += scnprintf(buf + n, len - n, "%llu", *(const u64 *)f);
		break;
	case PS_KK_CHOICE:
		n += scnprintf(buf + n, len - n, "%s",
			       ps_choice_name(k->values, *(const unsigned int *)f,
					      name, sizeof(name)));
		break;
	case PS_KK_CPUS:
		if (cpumask_empty(f))
			n += scnprintf(buf + n, len - n, "auto");
		else
			n += scnprintf(buf + n, len - n, "%*pbl",
				       cpumask_pr_args((const struct cpumask *)f));
		break;
	case PS_KK_STRATS:
		mask = *(const unsigned long *)f;
		if (mask & BIT(PS_ALL_BIT)) {
			n += scnprintf(buf + n, len - n, "all");
			break;
		}
		for (i = 0; i <= PS_MIXED_BIT; i++) {
			if (!(mask & BIT(i)))
				continue;
			n += scnprintf(buf + n, len - n, "%s%s", first ? "" : ",",
				       i == PS_MIXED_BIT ? PS_STRATEGY_MIXED :
				       ps_strategy_names[i]);
			first = false;
		}
		break;
	case PS_KK_TARGETS:
		tn = f;
		for (i = 0; i < tn->nr; i++)
			n += scnprintf(buf + n, len - n, "%s%s", i ? "," : "",
				       tn->name[i]);
		break;
	case PS_KK_WEIGHTS:
		w = f;
		for (i = 0; i < PS_NR_STRATEGIES; i++)
			n += scnprintf(buf + n, len - n, "%s%s:%u", i ? "," : "",
				       ps_strategy_names[i], w[i]);
		break;
	case PS_KK_INJECT:
		n += scnprintf(buf + n, len - n, "%s",
			       ps_injection_names[*(const unsigned int *)f]);
		break;
	}
	return n + scnprintf(buf + n, len - n, "\n");
}

int ps_config_set(struct ps_config *cfg, const char *key, const char *val)
{
	const struct ps_knob *k = ps_knob_find(key);
	char *copy;
	int ret;

	if (!k) {
		ps_error("unknown configuration key '%s'", key);
		return -EINVAL;
	}
	copy = kstrdup(val, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	ret = ps_knob_parse(k, cfg, copy);
	kfree(copy);
	return ret;
}

void ps_config_defaults(struct ps_config *cfg)
{
	unsigned int i, s;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < ARRAY_SIZE(ps_knobs); i++) {
		if (ps_knobs[i].kind == PS_KK_WEIGHTS)
			continue;
		/* the defaults are valid: tables/knobs.def is checked by tests */
		WARN_ON(ps_config_set(cfg, ps_knobs[i].name, ps_knobs[i].def));
	}
	/* mixed picks, by default, among the strategies this kernel has */
	for (s = 0; s < PS_NR_STRATEGIES; s++)
		cfg->weights[s] = ps_strategy_usable(s);
	/* the flush prober runs where the arch's flush can be called */
	if (!ps_arch_can_flush())
		cfg->flush_us = 0;
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
	unsigned long strats = ps_config_strategies(cfg);
	const struct ps_injection *inj = ps_injections[cfg->inject];
	unsigned int i, j, s, nr;
	struct ps_target *t;
	int ret = 0;

	if (!cfg->strategies) {
		ps_error("no strategy configured");
		return -EINVAL;
	}
	if (!strats) {
		ps_error("mixed: every weight is 0");
		return -EINVAL;
	}
	if (!cfg->targets.nr) {
		ps_error("no target configured");
		return -EINVAL;
	}
	for_each_set_bit(s, &strats, PS_NR_STRATEGIES) {
		if (!ps_strategy_usable(s)) {
			ps_error("%s: needs %s", ps_strategy_names[s],
				 ps_strategies[s]->needs);
			return -EINVAL;
		}
	}
	/* a toggler per strategy (mixed: per toggler), at most PS_MAX_THREADS */
	nr = cfg->strategies & BIT(PS_MIXED_BIT) ? 1 : hweight_long(strats);
	if (cfg->togglers * nr > PS_MAX_THREADS) {
		ps_error("togglers: %u per strategy x %u strategies is more than %d threads",
			 cfg->togglers, nr, PS_MAX_THREADS);
		return -EINVAL;
	}
	for (i = 0; i < cfg->targets.nr; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->targets.name[i], cfg->targets.name[j])) {
				ps_error("target '%s' given twice", cfg->targets.name[i]);
				return -EINVAL;
			}
	t = kmalloc_array(PS_MAX_TARGETS, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	ret = ps_targets_resolve(cfg, t, &nr, NULL, 0, false);
	kfree(t);
	if (ret)
		return ret;
	/* what "all" and "mixed" bring along needs no target of its own */
	for_each_set_bit(s, &strats, PS_NR_STRATEGIES) {
		if (cfg->strategies & (BIT(PS_ALL_BIT) | BIT(PS_MIXED_BIT)))
			break;
		if (ps_strategies[s]->check_config) {
			ret = ps_strategies[s]->check_config(cfg);
			if (ret)
				return ret;
		}
	}
	if (cfg->inject != PS_INJ_NONE && !ps_allow_inject) {
		ps_error("inject=%s: load the module with allow_inject=1 (it writes kernel text)",
			 ps_injection_names[cfg->inject]);
		return -EPERM;
	}
	/* a broken variant of a strategy is only seen where that one runs */
	if (inj->breaks >= 0 && !ps_config_runs(cfg, inj->breaks)) {
		ps_error("inject=%s breaks %s: configure that strategy",
			 ps_injection_names[cfg->inject],
			 ps_strategy_names[inj->breaks]);
		return -EINVAL;
	}
	if (inj->check_config) {
		ret = inj->check_config(cfg);
		if (ret)
			return ret;
	}
	if (cfg->flush_us && !ps_arch_can_flush()) {
		ps_error("flush_us: the arch flush is not reachable (no symbol lookup): use 0");
		return -EINVAL;
	}
	return 0;
}

int ps_config_show(const struct ps_config *cfg, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ps_knobs); i++)
		n += ps_knob_show(&ps_knobs[i], cfg, buf + n, len - n);
	return n;
}

/*
 * Replace the configuration with the current one updated by @text, or
 * leave it untouched.  Not while a storm runs: its threads read it.
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
