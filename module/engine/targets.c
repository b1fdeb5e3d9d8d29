// SPDX-License-Identifier: GPL-2.0
/*
 * Targets: resolve each configured name and check, before any storm
 * starts, which configured strategies can use it.  A name is a victim
 * ("victim_leaf"), "sys:NAME" for this arch's syscall entry of NAME
 * (sys:getpid is __riscv_sys_getpid on riscv), "tp:NAME" for a
 * tracepoint, any kernel function, or "hot" (hot.c).
 *
 * A name given by the user must suit every configured strategy that
 * takes its kind (a function for ftrace and kprobes, a tracepoint for the
 * tracepoint strategy, a keyed victim for static keys): anything else is
 * an error.  A preset's names are kept where this kernel has them and
 * some strategy can use them, each by the strategies that can, and the
 * others are listed as dropped (stats: targets.dropped).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/kallsyms.h>
#include <linux/tracepoint.h>
#include <linux/slab.h>
#include "engine/engine.h"
#include "arch/arch.h"

struct ps_tp_find {
	const char *name;
	struct tracepoint *tp;
};

static void ps_tp_match(struct tracepoint *tp, void *priv)
{
	struct ps_tp_find *f = priv;

	if (!strcmp(tp->name, f->name))
		f->tp = tp;
}

/* A configured strategy writes kprobes: where would they go? */
static bool ps_wants_kprobes(const struct ps_config *cfg)
{
	unsigned long strats = ps_config_strategies(cfg);
	unsigned int s;

	for_each_set_bit(s, &strats, PS_NR_STRATEGIES)
		if (ps_strategies[s]->sites & BIT(PS_SITE_KPROBE))
			return true;
	return false;
}

/* Where @name is: a victim, a tracepoint or a kernel function. */
static int ps_target_locate(const char *name, struct ps_target *t)
{
	struct ps_tp_find f = { .name = name + 3 };
	char sym[KSYM_NAME_LEN];
	unsigned int i;

	for (i = 0; i < ps_nr_victims; i++) {
		if (!strcmp(name, ps_victims[i].name)) {
			t->victim = &ps_victims[i];
			t->addr = (unsigned long)ps_victims[i].fn;
			return 0;
		}
	}
	if (!strncmp(name, "tp:", 3)) {
		for_each_kernel_tracepoint(ps_tp_match, &f);
		if (!f.tp) {
			ps_error("%s: no such tracepoint in the kernel", name);
			return -EINVAL;
		}
		t->tp = f.tp;
		return 0;
	}
	if (!ps_have_symbol_lookup()) {
		ps_error("%s: kernel symbols cannot be resolved here; only victims", name);
		return -EINVAL;
	}
	if (!strncmp(name, "sys:", 4))
		snprintf(sym, sizeof(sym), "%s%s", ps_arch.syscall_prefix,
			 name + 4);
	else
		strscpy(sym, name);
	t->addr = ps_symbol_addr(sym);
	if (!t->addr) {
		ps_error("%s: no such symbol (%s)", name, sym);
		return -EINVAL;
	}
	if (!ps_symbol_is_text(t->addr)) {
		ps_error("%s: %s is data, not a function", name, sym);
		return -EINVAL;
	}
	return 0;
}

/*
 * Resolve @name into @t for @cfg's strategies.  @strict: the user named
 * it, so every strategy that takes its kind must be able to use it.
 * Otherwise -ENOENT when no strategy can.
 */
int ps_target_resolve(const char *name, const struct ps_config *cfg,
		      struct ps_target *t, bool strict)
{
	unsigned long strats = ps_config_strategies(cfg);
	unsigned int s;
	int ret, off;

	memset(t, 0, sizeof(*t));
	strscpy(t->name, name);
	ret = ps_target_locate(name, t);
	if (ret)
		return ret;
	if (!t->tp)
		t->size = ps_symbol_size(t->addr);
	if (!t->tp && ps_wants_kprobes(cfg)) {
		off = cfg->kprobe_offset >= 0 ? cfg->kprobe_offset :
		      ps_arch_kprobe_offset(t->addr);
		t->kprobe_addr = t->addr + off;
	}
	for_each_set_bit(s, &strats, PS_NR_STRATEGIES) {
		const struct ps_strategy *ops = ps_strategies[s];

		if (ops->usable && !ops->usable(t))
			continue;
		if (ops->check_target && ops->check_target(t)) {
			if (strict)
				return -EINVAL;
			continue;
		}
		t->strats |= BIT(s);
	}
	return !strict && !t->strats ? -ENOENT : 0;
}

static bool ps_target_listed(const struct ps_target *out, unsigned int n,
			     const char *name)
{
	while (n--)
		if (!strcmp(out[n].name, name))
			return true;
	return false;
}

/*
 * Every configured name into @out (hot expanded), at most PS_MAX_TARGETS;
 * *@nr of them, and the preset names dropped into @dropped.  Not @full:
 * a preset only counts its names (a configuration is checked at once,
 * and whether a kprobe fits a kernel function costs an RCU grace period
 * per try; a storm's start resolves them).
 */
int ps_targets_resolve(const struct ps_config *cfg, struct ps_target *out,
		       unsigned int *nr, char *dropped, size_t len, bool full)
{
	char saved[sizeof(ps_last_error)];
	unsigned int i, j, n = 0;
	size_t d = 0;
	int ret;

	if (dropped && len)
		dropped[0] = '\0';
	for (i = 0; i < cfg->targets.nr; i++) {
		const char *name = cfg->targets.name[i];

		if (strcmp(name, "hot")) {
			if (n >= PS_MAX_TARGETS)
				goto too_many;
			ret = ps_target_resolve(name, cfg, &out[n], true);
			if (ret)
				return ret;
			n++;
			continue;
		}
		/* a preset's misses are no error: keep the last one's reason */
		strscpy(saved, ps_last_error);
		for (j = 0; j < ps_nr_hot_targets; j++) {
			name = ps_hot_targets[j].name;
			if (ps_target_listed(out, n, name))
				continue;
			if (n >= PS_MAX_TARGETS)
				goto too_many;
			if (!full) {
				strscpy(out[n++].name, name);
				continue;
			}
			if (!ps_target_resolve(name, cfg, &out[n], false))
				n++;
			else if (dropped)
				d += scnprintf(dropped + d, len - d, "%s%s",
					       d ? "," : "", name);
		}
		strscpy(ps_last_error, saved);
	}
	*nr = n;
	return 0;
too_many:
	ps_error("more than %d targets (hot adds up to %u)", PS_MAX_TARGETS,
		 ps_nr_hot_targets);
	return -EINVAL;
}
