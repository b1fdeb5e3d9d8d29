// SPDX-License-Identifier: GPL-2.0
/*
 * The strategy table, locktorture style: one ops per way of flipping a
 * patch site, indexed by enum ps_strat.  "mixed" has no ops of its own:
 * it picks among the others by weight on every toggle (storm.c).
 */
#include "patchstorm.h"

const struct ps_strategy *const ps_strategies[PS_NR_BASE_STRATS] = {
	[PS_FTRACE_FILTER] = &ps_ftrace_filter_strategy,
	[PS_FTRACE_OPS] = &ps_ftrace_ops_strategy,
	[PS_KPROBE_ARM] = &ps_kprobe_arm_strategy,
	[PS_KPROBE_REGISTER] = &ps_kprobe_register_strategy,
	[PS_STATIC_KEY] = &ps_static_key_strategy,
};

const char *const ps_strat_names[PS_NR_STRATS] = {
	[PS_FTRACE_FILTER] = "ftrace-filter",
	[PS_FTRACE_OPS] = "ftrace-ops",
	[PS_KPROBE_ARM] = "kprobe-arm",
	[PS_KPROBE_REGISTER] = "kprobe-register",
	[PS_STATIC_KEY] = "static-key",
	[PS_MIXED] = "mixed",
};
