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
#include "interface/interface.h"
#include "engine/engine.h"
#include "detectors/detectors.h"
#include "latency/latency.h"
#include "arch/arch.h"

/*
 * Load-time configuration: a parameter per knob (tables/knobs.def), each
 * given one applied as the config key of the same name; a storm starts
 * at load when duration is given (or autostart=1).
 */
PS_MODULE_PARAMS

/* the singular, kept for scripts written before the plural */
static char *strategy;
module_param(strategy, charp, 0444);
MODULE_PARM_DESC(strategy, "Alias of strategies");
static bool autostart;
module_param(autostart, bool, 0444);
MODULE_PARM_DESC(autostart, "Start a storm at load even without duration");
/* injections write illegal instructions into kernel text: opt in at load */
module_param_named(allow_inject, ps_allow_inject, bool, 0444);
MODULE_PARM_DESC(allow_inject, "Allow inject= (fault injection writes into kernel text; taints TAINT_TEST)");

static const struct {
	const char *key;
	char **val;
} ps_params[] = {
	{ "strategy", &strategy },
	PS_PARAM_REFS
};

/* The parameters given, applied to the defaults and validated as a whole. */
static int ps_apply_params(void)
{
	struct ps_config *cfg;
	unsigned int i;
	int ret = 0;

	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	ps_config_defaults(cfg);
	for (i = 0; i < ARRAY_SIZE(ps_params) && !ret; i++) {
		if (!*ps_params[i].val)
			continue;
		ret = ps_config_set(cfg, ps_params[i].key, *ps_params[i].val);
		if (ret)
			pr_err("patchstorm: module parameter %s=%s rejected: %s\n",
			       ps_params[i].key, *ps_params[i].val,
			       ps_last_error);
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

static int __init ps_init(void)
{
	int ret;

	ret = ps_symbols_init();
	if (ret)
		return ret;
	ret = ps_module_churn_init();
	if (ret)
		return ret;
	ret = ps_arch_init(ps_victim_cold_addr());
	if (ret)
		return ret;
	ps_config_defaults(&ps_cfg);
	ret = ps_apply_params();
	if (ret) {
		ret = -EINVAL;
		goto out_arch;
	}
	ret = ps_hist_init();
	if (ret)
		goto out_arch;
	ret = ps_stale_init();
	if (ret)
		goto out_hist;
	ret = ps_debugfs_init();
	if (ret)
		goto out_stale;
	pr_info("patchstorm: loaded (%s, %s)\n", ps_arch.name,
		utsname()->release);
	if (duration || autostart) {
		ret = ps_storm_start();
		if (ret) {
			pr_err("patchstorm: storm could not start at load: %s\n",
			       ps_last_error);
			goto out_debugfs;
		}
	}
	return 0;

out_debugfs:
	ps_debugfs_exit();
out_stale:
	ps_stale_exit();
out_hist:
	ps_hist_exit();
out_arch:
	ps_arch_exit();
	return ret;
}

static void __exit ps_exit(void)
{
	ps_storm_exit();
	ps_debugfs_exit();
	ps_stale_exit();
	ps_hist_exit();
	ps_arch_exit();
	pr_info("patchstorm: unloaded\n");
}

module_init(ps_init);
module_exit(ps_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("patchstorm developers");
MODULE_DESCRIPTION("Stress and measure run-time kernel text patching");
