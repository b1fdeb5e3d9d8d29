// SPDX-License-Identifier: GPL-2.0
/*
 * The capability report (debugfs "caps"): what this kernel can patch
 * and how, which strategies and injections it has, and what each needs.
 */
#include <linux/kernel.h>
#include <linux/utsname.h>
#include "interface/interface.h"
#include "engine/engine.h"
#include "arch/arch.h"

static const char *ps_preempt_model(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		return "rt";
	if (IS_ENABLED(CONFIG_PREEMPT_DYNAMIC))
		return "dynamic";
	if (IS_ENABLED(CONFIG_PREEMPT))
		return "full";
	if (IS_ENABLED(CONFIG_PREEMPT_VOLUNTARY))
		return "voluntary";
	return "none";
}

int ps_caps_show(char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	n += scnprintf(buf + n, len - n,
		       "arch=%s\nkernel=%s\nftrace=%d\ndynamic_ftrace=%d\nftrace_with_regs=%d\nftrace_with_args=%d\n",
		       ps_arch.name, utsname()->release,
		       IS_ENABLED(CONFIG_FUNCTION_TRACER),
		       IS_ENABLED(CONFIG_DYNAMIC_FTRACE),
		       IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_REGS),
		       IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_ARGS));
	n += scnprintf(buf + n, len - n,
		       "kprobes=%d\nkprobes_on_ftrace=%d\noptprobes=%d\njump_label=%d\npreempt=%s\nsymbol_lookup=%d\ncpus_online=%u\n",
		       IS_ENABLED(CONFIG_KPROBES),
		       IS_ENABLED(CONFIG_KPROBES_ON_FTRACE),
		       IS_ENABLED(CONFIG_OPTPROBES),
		       IS_ENABLED(CONFIG_JUMP_LABEL), ps_preempt_model(),
		       ps_have_symbol_lookup(), num_online_cpus());
	n += scnprintf(buf + n, len - n, "strategies=");
	for (i = 0; i < PS_NR_STRATEGIES; i++)
		n += scnprintf(buf + n, len - n, "%s,", ps_strategy_names[i]);
	n += scnprintf(buf + n, len - n, "%s\n", PS_STRATEGY_MIXED);
	/* strategy.NAME=1, or 0 (needs CONFIG_X): what the CLI reports */
	for (i = 0; i < PS_NR_STRATEGIES; i++)
		n += scnprintf(buf + n, len - n, "strategy.%s=%d\nstrategy.%s.needs=%s\n",
			       ps_strategy_names[i], ps_strategy_usable(i),
			       ps_strategy_names[i], ps_strategies[i]->needs);
	n += scnprintf(buf + n, len - n, "injections=");
	for (i = 0; i < PS_NR_INJECTIONS; i++)
		n += scnprintf(buf + n, len - n, "%s%s", i ? "," : "",
			       ps_injection_names[i]);
	n += scnprintf(buf + n, len - n, "\ninject_allowed=%d\n", ps_allow_inject);
	/* module-churn has a module to load (churn_module= at load) */
	n += scnprintf(buf + n, len - n, "churn_module=%d\n",
		       ps_module_churn_ready());
	/* ftrace sites written while other CPUs run (not under stop_machine) */
	n += scnprintf(buf + n, len - n, "ftrace_sites_live=%d\n",
		       !(ps_arch_stop_machine_sites() & BIT(PS_SITE_FTRACE)));
	for (i = 1; i < PS_NR_INJECTIONS; i++)
		n += scnprintf(buf + n, len - n, "injection.%s.trips=%s\n",
			       ps_injection_names[i], ps_injection_trips[i]);
	n += scnprintf(buf + n, len - n, "victims=");
	for (i = 0; i < ps_nr_victims; i++)
		n += scnprintf(buf + n, len - n, "%s%s", i ? "," : "",
			       ps_victims[i].name);
	n += scnprintf(buf + n, len - n, "\n");
	for (i = 0; i < ps_nr_victims; i++)
		n += scnprintf(buf + n, len - n, "victim.%s.align=%lu\n",
			       ps_victims[i].name,
			       (unsigned long)ps_victims[i].fn & 3 ? 2UL : 4UL);
	n += scnprintf(buf + n, len - n, "catch_traps=%d\ncatch_breaks=%d\nftrace_per_ops=%d\n",
		       ps_arch.catches_traps, ps_arch.catches_breaks,
		       ps_arch.ftrace_per_ops);
	n += ps_arch_caps_show(buf + n, len - n);
	return n;
}
