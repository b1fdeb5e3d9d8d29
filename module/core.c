// SPDX-License-Identifier: GPL-2.0
/*
 * patchstorm: stress and measure the kernel's run-time text patching.
 *
 * Togglers flip ftrace, kprobe and static-key patch sites from several
 * CPUs while hammers execute the very code being rewritten.  Configure
 * and run it through debugfs (/sys/kernel/debug/patchstorm/), or give
 * module parameters and a duration to run one storm at load time:
 *
 *   insmod patchstorm.ko duration=30 strategies=kprobe-arm targets=victims
 *
 * The storm ends with "End of test: SUCCESS|FAILURE" in the kernel log.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <linux/stdarg.h>
#include "patchstorm.h"

char ps_last_error[128];

void ps_error(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(ps_last_error, sizeof(ps_last_error), fmt, args);
	va_end(args);
	pr_err("patchstorm: %s\n", ps_last_error);
}

/*
 * Load-time configuration.  Each parameter given is applied as the
 * config key of the same name; a storm starts at load when duration is
 * given (or autostart=1).
 */
static char *strategies;
module_param(strategies, charp, 0444);
MODULE_PARM_DESC(strategies, "Comma list: ftrace-filter,ftrace-ops,kprobe-arm,kprobe-register,static-key,mixed or all");
static char *strategy;
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "Alias of strategies");
static char *targets;
module_param(targets, charp, 0444);
MODULE_PARM_DESC(targets, "Comma list of victims (or 'victims'), sys:NAME syscalls, kernel symbols");
static char *togglers;
module_param(togglers, charp, 0444);
MODULE_PARM_DESC(togglers, "Number of toggler threads");
static char *hammers;
module_param(hammers, charp, 0444);
MODULE_PARM_DESC(hammers, "Number of hammer threads (auto: one per hammer CPU)");
static char *toggler_cpus;
module_param(toggler_cpus, charp, 0444);
MODULE_PARM_DESC(toggler_cpus, "CPU list for togglers (auto: first CPUs)");
static char *hammer_cpus;
module_param(hammer_cpus, charp, 0444);
MODULE_PARM_DESC(hammer_cpus, "CPU list for hammers (auto: the other CPUs)");
static char *rate;
module_param(rate, charp, 0444);
MODULE_PARM_DESC(rate, "Toggles per second per toggler (0: as fast as possible)");
static char *duration;
module_param(duration, charp, 0444);
MODULE_PARM_DESC(duration, "Seconds; given at load, the storm starts at load");
static char *stutter;
module_param(stutter, charp, 0444);
MODULE_PARM_DESC(stutter, "Seconds of load, then as many paused (0: off)");
static char *stat_interval;
module_param(stat_interval, charp, 0444);
MODULE_PARM_DESC(stat_interval, "Seconds between stats lines in the log (0: none)");
static char *batch;
module_param(batch, charp, 0444);
MODULE_PARM_DESC(batch, "Targets per update (ftrace-filter: ips per ftrace_set_filter_ips)");
static char *kprobe_offset;
module_param(kprobe_offset, charp, 0444);
MODULE_PARM_DESC(kprobe_offset, "Kprobe offset into each target (auto: arch default)");
static char *widen;
module_param(widen, charp, 0444);
MODULE_PARM_DESC(widen, "Window widener: none, hrtimer or ipi");
static char *widen_us;
module_param(widen_us, charp, 0444);
MODULE_PARM_DESC(widen_us, "Widener period in microseconds");
static char *weights;
module_param(weights, charp, 0444);
MODULE_PARM_DESC(weights, "mixed: strategy:weight list");
static char *stale;
module_param(stale, charp, 0444);
MODULE_PARM_DESC(stale, "fail (default) or warn: stale execution counted but not a failure");
static char *samplers;
module_param(samplers, charp, 0444);
MODULE_PARM_DESC(samplers, "Patch-site sampler threads (0: none)");
static char *stall_ns;
module_param(stall_ns, charp, 0444);
MODULE_PARM_DESC(stall_ns, "Hammer calls at least this long emit a stall tracepoint");
static char *sampler_idle_us;
module_param(sampler_idle_us, charp, 0444);
MODULE_PARM_DESC(sampler_idle_us, "Sampler pass period while no toggle is written (0: spin always)");
static char *sampler_rest_us;
module_param(sampler_rest_us, charp, 0444);
MODULE_PARM_DESC(sampler_rest_us, "Sampler pause every few spinning passes (0: none)");
static char *flush_us;
module_param(flush_us, charp, 0444);
MODULE_PARM_DESC(flush_us, "Period of the timed arch flush (hist/flush), 0: off");
static char *checks;
module_param(checks, charp, 0444);
MODULE_PARM_DESC(checks, "on (default) or off: hammers check answers only");
static char *shared_keys;
module_param(shared_keys, charp, 0444);
MODULE_PARM_DESC(shared_keys, "off (default) or on: togglers race on static keys");
static char *inject;
module_param(inject, charp, 0444);
MODULE_PARM_DESC(inject, "Fault injection mode (none, release-early, torn-site, illegal-site, stray-break): must end in FAILURE");
static bool autostart;
module_param(autostart, bool, 0444);
MODULE_PARM_DESC(autostart, "Start a storm at load even without duration");

static int ps_apply_params(void)
{
	const struct {
		const char *key;
		const char *val;
	} params[] = {
		{ "strategies", strategies }, { "strategy", strategy },
		{ "targets", targets }, { "togglers", togglers },
		{ "hammers", hammers }, { "toggler_cpus", toggler_cpus },
		{ "hammer_cpus", hammer_cpus }, { "rate", rate },
		{ "duration", duration }, { "stutter", stutter },
		{ "stat_interval", stat_interval }, { "batch", batch },
		{ "kprobe_offset", kprobe_offset }, { "widen", widen },
		{ "widen_us", widen_us }, { "weights", weights },
		{ "inject", inject }, { "stale", stale },
		{ "samplers", samplers }, { "stall_ns", stall_ns },
		{ "sampler_idle_us", sampler_idle_us },
		{ "sampler_rest_us", sampler_rest_us }, { "flush_us", flush_us },
		{ "checks", checks }, { "shared_keys", shared_keys },
	};
	struct ps_config *cfg;
	unsigned int i;
	char *word;
	int ret = 0;

	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	ps_config_defaults(cfg);
	for (i = 0; i < ARRAY_SIZE(params) && !ret; i++) {
		if (!params[i].val)
			continue;
		word = kasprintf(GFP_KERNEL, "%s=%s", params[i].key,
				 params[i].val);
		if (!word) {
			ret = -ENOMEM;
			break;
		}
		ret = ps_config_apply(cfg, word);
		if (ret)
			pr_err("patchstorm: module parameter %s=%s rejected: %s\n",
			       params[i].key, params[i].val, ps_last_error);
		kfree(word);
	}
	if (!ret) {
		ret = ps_config_validate(cfg);
		if (ret)
			pr_err("patchstorm: module parameters rejected: %s\n",
			       ps_last_error);
	}
	if (!ret)
		ps_cfg = *cfg;
	kfree(cfg);
	return ret;
}

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
		       ps_arch_name, utsname()->release,
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
	for (i = 0; i < PS_NR_STRATS; i++)
		n += scnprintf(buf + n, len - n, "%s%s", i ? "," : "",
			       ps_strat_names[i]);
	n += scnprintf(buf + n, len - n, "\nvictims=");
	for (i = 0; i < ps_nr_victims; i++)
		n += scnprintf(buf + n, len - n, "%s%s", i ? "," : "",
			       ps_victims[i].name);
	n += scnprintf(buf + n, len - n, "\n");
	for (i = 0; i < ps_nr_victims; i++)
		n += scnprintf(buf + n, len - n, "victim.%s.align=%lu\n",
			       ps_victims[i].name,
			       (unsigned long)ps_victims[i].fn & 3 ? 2UL : 4UL);
	n += scnprintf(buf + n, len - n, "catch_traps=%d\ncatch_breaks=%d\n",
		       ps_arch_catches_traps(), ps_arch_catches_breaks());
	n += ps_arch_caps_show(buf + n, len - n);
	return n;
}

static int __init ps_init(void)
{
	int ret;

	ret = ps_targets_init();
	if (ret)
		return ret;
	ps_config_defaults(&ps_cfg);
	ret = ps_apply_params();
	if (ret)
		return -EINVAL;
	ret = ps_hist_init();
	if (ret)
		return ret;
	ret = ps_arch_init();
	if (ret) {
		ps_hist_exit();
		return ret;
	}
	ret = ps_debugfs_init();
	if (ret) {
		ps_arch_exit();
		ps_hist_exit();
		return ret;
	}
	pr_info("patchstorm: loaded (%s, %s)\n", ps_arch_name,
		utsname()->release);
	if (duration || autostart) {
		ret = ps_storm_start();
		if (ret) {
			pr_err("patchstorm: storm could not start at load: %s\n",
			       ps_last_error);
			ps_debugfs_exit();
			ps_arch_exit();
			ps_hist_exit();
			return ret;
		}
	}
	return 0;
}

static void __exit ps_exit(void)
{
	ps_storm_exit();
	ps_debugfs_exit();
	ps_arch_exit();
	ps_hist_exit();
	pr_info("patchstorm: unloaded\n");
}

module_init(ps_init);
module_exit(ps_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("patchstorm developers");
MODULE_DESCRIPTION("Stress and measure run-time kernel text patching");
