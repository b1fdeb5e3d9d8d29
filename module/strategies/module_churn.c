// SPDX-License-Identifier: GPL-2.0
/*
 * module-churn: a module loaded and unloaded on every flip, its fresh
 * text instrumented by ftrace and a kprobe while the rest of the storm
 * patches.  Each load has the kernel write the new text's ftrace sites
 * (ftrace_module_init(), ftrace_module_enable()) and set up its jump
 * labels; each unload has kprobes kill the probes on it and ftrace
 * release its records (ftrace_release_mod()).  Those paths take the same
 * locks and write through the same text-patching primitives as the
 * storm's other strategies, which run concurrently on their own
 * togglers.
 *
 * The module is the fixture (tests/fixtures/ps_fixture.c) built for the
 * running kernel, given at load: churn_module=PATH.  Loading a module
 * from a file takes user space: insmod and rmmod run as usermode
 * helpers, so the strategy is as slow as they are (tens of ms).
 *
 * An enable loads the module, puts an ftrace_ops on ps_fixture_churn_a()
 * and a kprobe in ps_fixture_churn_b(), then calls both a few times: the
 * answers must be right and every call must reach the handlers.  A
 * disable calls them again, then either takes the probes off before the
 * unload (every other one: the calls must then reach no handler), or
 * unloads the module with them still on and takes them off after, as a
 * module that goes away under a tracer does.
 *
 * The probes make a cycle slower: registering and unregistering them
 * waits for ftrace_lock, which the storm's ftrace strategies hold across
 * RCU-tasks grace periods, and an unregister waits for one of its own.
 * It is the loads that race with the storm's patching (the fresh text's
 * nops, written while other patchers write), so only every
 * PS_MC_PROBE_EVERY-th copy is instrumented; the others are loaded,
 * called bare (no handler may be reached) and unloaded.
 *
 * The hammers do not call the module, and the samplers do not read its
 * text: both would need the text to outlive their reads, and only this
 * toggler knows when it goes.  It holds a reference on the module from
 * its load to its unload, so an rmmod from elsewhere fails meanwhile.
 * Its checks are the calls it makes itself, so it takes no part in the
 * hammers' stale accounting (own_text): it borrows the victims as
 * targets only to have a slot in the storm.
 */
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/umh.h>
#include "strategies/strategies.h"
#include "detectors/detectors.h"
#include "arch/arch.h"

/* calls of each function per check */
#define PS_MC_CALLS	8
/* copies loaded per instrumented one */
#define PS_MC_PROBE_EVERY	4

static char *churn_module;
module_param(churn_module, charp, 0444);
MODULE_PARM_DESC(churn_module, "module-churn: path of the fixture module (ps_fixture.ko) to load and unload");

/* The fixture's functions and what they return (ps_fixture.c). */
static u64 ps_mc_answer_a(u64 x)
{
	return x * 3 + 1;
}

static u64 ps_mc_answer_b(u64 x)
{
	return x ^ 0x5a5a5a5a5a5a5a5aULL;
}

/* where insmod and rmmod may be (busybox, kmod) */
static const char *const ps_mc_dirs[] = { "/sbin", "/usr/sbin", "/bin", "/usr/bin" };

struct ps_mc {
	struct ps_strat_state *st;
	struct ftrace_ops ops;
	struct kprobe kp;
	atomic64_t ftrace_hits, kprobe_hits;
	u64 (*fn_a)(u64 x);
	u64 (*fn_b)(u64 x);
	struct module *mod;			/* held while loaded by us */
	bool loaded, ops_on, kp_on, probed;
	unsigned int loads, cycles;
	u64 done_ns;				/* when the last API call returned */
	/* inject=lost-module-write: ftrace's site bytes, before and after */
	unsigned long site;
	unsigned int site_len;
	u8 site_off[8], site_on[8];
	bool undone;
};

static char ps_mc_insmod[32], ps_mc_rmmod[32];
static bool ps_mc_lose_writes;

static int ps_mc_exists(const char *name)
{
	struct path path;
	int ret;

	ret = kern_path(name, LOOKUP_FOLLOW, &path);
	if (!ret)
		path_put(&path);
	return ret;
}

/*
 * churn_module=: the file must be there, and insmod to load it.  A path
 * that cannot work fails the module's load (patchstorm's init).
 */
int ps_module_churn_init(void)
{
	unsigned int i;

	if (!churn_module || !*churn_module)
		return 0;
	if (churn_module[0] != '/' || ps_mc_exists(churn_module)) {
		pr_err("patchstorm: churn_module=%s: no such file (an absolute path to ps_fixture.ko)\n",
		       churn_module);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(ps_mc_dirs); i++) {
		snprintf(ps_mc_insmod, sizeof(ps_mc_insmod), "%s/insmod", ps_mc_dirs[i]);
		snprintf(ps_mc_rmmod, sizeof(ps_mc_rmmod), "%s/rmmod", ps_mc_dirs[i]);
		if (!ps_mc_exists(ps_mc_insmod) && !ps_mc_exists(ps_mc_rmmod))
			return 0;
	}
	pr_err("patchstorm: churn_module=%s: no insmod and rmmod in /sbin, /usr/sbin, /bin or /usr/bin\n",
	       churn_module);
	return -EINVAL;
}

bool ps_module_churn_ready(void)
{
	return churn_module && *churn_module;
}

static int ps_mc_helper(const char *tool, char *arg)
{
	char *argv[3], *envp[3];
	int ret;

	argv[0] = (char *)tool;
	argv[1] = arg;
	argv[2] = NULL;
	envp[0] = "HOME=/";
	envp[1] = "PATH=/sbin:/usr/sbin:/bin:/usr/bin";
	envp[2] = NULL;
	ret = call_usermodehelper(argv[0], argv, envp, UMH_WAIT_PROC);
	if (ret) {
		pr_err_ratelimited("patchstorm: module-churn: %s %s: status %d\n",
				   tool, arg, ret);
		return ret < 0 ? ret : -EIO;
	}
	return 0;
}

static void notrace ps_mc_ftrace(unsigned long ip, unsigned long parent_ip,
				 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct ps_mc *mc = op->private;

	atomic64_inc(&mc->ftrace_hits);
	ps_count_hit(PS_S_MODULE_CHURN, -1);
}

static int ps_mc_kprobe(struct kprobe *kp, struct pt_regs *regs)
{
	struct ps_mc *mc = container_of(kp, struct ps_mc, kp);

	atomic64_inc(&mc->kprobe_hits);
	ps_count_hit(PS_S_MODULE_CHURN, -1);
	return 0;
}

/*
 * Call both functions PS_MC_CALLS times: right answers, and every call
 * through the handlers that are on, none through those that are off.
 * A call that missed a handler ran the module's text as it was before
 * the API said it changed: a stale call.
 */
static void ps_mc_check(struct ps_mc *mc)
{
	u64 fa = atomic64_read(&mc->ftrace_hits);
	u64 kb = atomic64_read(&mc->kprobe_hits);
	u64 want_a = mc->ops_on ? PS_MC_CALLS : 0;
	u64 want_b = mc->kp_on ? PS_MC_CALLS : 0;
	unsigned int i;
	u64 r, late;

	for (i = 0; i < PS_MC_CALLS; i++) {
		r = mc->fn_a(i);
		if (r != ps_mc_answer_a(i))
			ps_anomaly(PS_A_WRONG_ANSWER, -1, (unsigned long)mc->fn_a,
				   0, PS_S_MODULE_CHURN, 0, r);
		r = mc->fn_b(i);
		if (r != ps_mc_answer_b(i))
			ps_anomaly(PS_A_WRONG_ANSWER, -1, (unsigned long)mc->fn_b,
				   0, PS_S_MODULE_CHURN, 0, r);
	}
	fa = atomic64_read(&mc->ftrace_hits) - fa;
	kb = atomic64_read(&mc->kprobe_hits) - kb;
	late = ktime_get_ns() - mc->done_ns;
	if (fa != want_a)
		ps_stale_own(PS_S_MODULE_CHURN, (unsigned long)mc->fn_a,
			     mc->ops_on, late);
	if (kb != want_b)
		ps_stale_own(PS_S_MODULE_CHURN, (unsigned long)mc->fn_b,
			     mc->kp_on, late);
}

/* inject=lost-module-write: undo the write that put the ops in. */
static void ps_mc_lose_write(struct ps_mc *mc)
{
	if (!mc->site_len)
		return;
	memcpy(mc->site_on, (void *)mc->site, mc->site_len);
	if (!memcmp(mc->site_on, mc->site_off, mc->site_len))
		return;
	if (!ps_poke(mc->site, mc->site_off, mc->site_len))
		mc->undone = true;
}

/* ... and put it back before ftrace takes the ops out: ftrace checks. */
static void ps_mc_redo_write(struct ps_mc *mc)
{
	if (mc->undone)
		ps_poke(mc->site, mc->site_on, mc->site_len);
	mc->undone = false;
}

static int ps_mc_probes_on(struct ps_mc *mc)
{
	unsigned long a = (unsigned long)mc->fn_a;
	unsigned long b = (unsigned long)mc->fn_b;
	int ret;

	mc->site_len = 0;
	if (ps_mc_lose_writes &&
	    ps_arch_ftrace_site(a, &mc->site, &mc->site_len) &&
	    mc->site_len <= sizeof(mc->site_off))
		memcpy(mc->site_off, (void *)mc->site, mc->site_len);
	else
		mc->site_len = 0;
	ret = ftrace_set_filter_ip(&mc->ops, a, 0, 1);
	if (!ret)
		ret = register_ftrace_function(&mc->ops);
	if (ret)
		return ret;
	mc->ops_on = true;
	if (ps_mc_lose_writes)
		ps_mc_lose_write(mc);

	memset(&mc->kp, 0, sizeof(mc->kp));
	mc->kp.addr = (kprobe_opcode_t *)(b + ps_arch_kprobe_offset(b));
	mc->kp.pre_handler = ps_mc_kprobe;
	ret = register_kprobe(&mc->kp);
	if (ret)
		return ret;
	mc->kp_on = true;
	mc->done_ns = ktime_get_ns();
	return 0;
}

static void ps_mc_probes_off(struct ps_mc *mc)
{
	if (mc->kp_on)
		unregister_kprobe(&mc->kp);
	mc->kp_on = false;
	ps_mc_redo_write(mc);
	if (mc->ops_on)
		unregister_ftrace_function(&mc->ops);
	mc->ops_on = false;
	mc->done_ns = ktime_get_ns();
}

static int ps_mc_load(struct ps_mc *mc)
{
	struct module *(*self)(void);
	int ret;

	ret = ps_mc_helper(ps_mc_insmod, churn_module);
	if (ret)
		return ret;
	mc->loaded = true;
	mc->done_ns = ktime_get_ns();
	mc->fn_a = (void *)ps_symbol_addr("ps_fixture_churn_a");
	mc->fn_b = (void *)ps_symbol_addr("ps_fixture_churn_b");
	self = (void *)ps_symbol_addr("ps_fixture_churn_self");
	if (!mc->fn_a || !mc->fn_b || !self) {
		pr_err_ratelimited("patchstorm: module-churn: %s has no ps_fixture_churn_a/_b/_self\n",
				   churn_module);
		return -ENOENT;
	}
	/* held, so that an rmmod from elsewhere cannot free what we call */
	if (!try_module_get(self()))
		return -ENOENT;
	mc->mod = self();
	return 0;
}

static int ps_mc_unload(struct ps_mc *mc)
{
	int ret;

	if (!mc->loaded)
		return 0;
	if (mc->mod)
		module_put(mc->mod);
	mc->mod = NULL;
	ret = ps_mc_helper(ps_mc_rmmod, "ps_fixture");
	if (!ret)
		mc->loaded = false;
	mc->fn_a = NULL;
	mc->fn_b = NULL;
	return ret;
}

static bool ps_mc_usable(const struct ps_target *t)
{
	return ps_module_churn_ready() && t->victim;
}

static bool ps_mc_assign(const struct ps_config *cfg, const struct ps_target *t,
			 unsigned int i, unsigned int n)
{
	return i == 0;
}

static int ps_mc_setup(struct ps_strat_state *st)
{
	struct ps_mc *mc;

	mc = kzalloc(sizeof(*mc), GFP_KERNEL);
	if (!mc)
		return -ENOMEM;
	mc->st = st;
	mc->ops.func = ps_mc_ftrace;
	mc->ops.private = mc;
	st->priv = mc;
	return 0;
}

static void ps_mc_all_done(struct ps_strat_state *st, unsigned int first,
			   unsigned int n, bool on)
{
	unsigned int i;

	for (i = first; i < first + n; i++)
		ps_strat_done(st, i, on);
}

static int ps_mc_toggle(struct ps_strat_state *st, unsigned int first,
			unsigned int n, bool enable)
{
	struct ps_mc *mc = st->priv;
	int ret;

	if (enable) {
		mc->probed = !(mc->loads++ % PS_MC_PROBE_EVERY);
		ret = ps_mc_load(mc);
		if (!ret && mc->probed)
			ret = ps_mc_probes_on(mc);
		if (ret) {
			ps_mc_probes_off(mc);
			ps_mc_unload(mc);
			return ret;
		}
		ps_mc_check(mc);
		ps_mc_all_done(st, first, n, true);
		return 0;
	}
	ps_mc_check(mc);
	if (!mc->probed) {
		ret = ps_mc_unload(mc);
	} else if (mc->cycles++ & 1) {
		/* gone under the probes: kprobes and ftrace clean up after it */
		ps_mc_redo_write(mc);
		ret = ps_mc_unload(mc);
		ps_mc_probes_off(mc);
	} else {
		ps_mc_probes_off(mc);
		ps_mc_check(mc);
		ret = ps_mc_unload(mc);
	}
	ps_mc_all_done(st, first, n, false);
	return ret;
}

static void ps_mc_teardown(struct ps_strat_state *st)
{
	struct ps_mc *mc = st->priv;

	ps_mc_probes_off(mc);
	if (ps_mc_unload(mc))
		pr_warn("patchstorm: module-churn: ps_fixture stays loaded\n");
	ftrace_free_filter(&mc->ops);
	kfree(mc);
	st->priv = NULL;
}

/* inject=lost-module-write (tables/injections.def) */
static int ps_mc_inject_toggle(struct ps_toggle *tog)
{
	WRITE_ONCE(ps_mc_lose_writes, true);
	return ps_toggle_plain(tog);
}

static int ps_mc_inject_check(const struct ps_config *cfg)
{
	if (!ps_module_churn_ready()) {
		ps_error("lost-module-write: needs churn_module= (module-churn's fixture)");
		return -EINVAL;
	}
	if (ps_poke(0, NULL, 0)) {
		ps_error("lost-module-write: no text poke here (needs text_mutex by name)");
		return -EINVAL;
	}
	return 0;
}

static void ps_mc_inject_stop(void)
{
	WRITE_ONCE(ps_mc_lose_writes, false);
}

const struct ps_injection ps_injection_lost_module_write = {
	.breaks = PS_S_MODULE_CHURN,
	.toggle = ps_mc_inject_toggle,
	.check_config = ps_mc_inject_check,
	.stop = ps_mc_inject_stop,
};

const struct ps_strategy ps_strategy_module_churn = {
	.needs = "CONFIG_MODULE_UNLOAD, _DYNAMIC_FTRACE, _KPROBES; churn_module= at load",
	.available = IS_ENABLED(CONFIG_MODULE_UNLOAD) &&
		     IS_ENABLED(CONFIG_DYNAMIC_FTRACE) &&
		     IS_ENABLED(CONFIG_KPROBES),
	.whole = true,
	.own_text = true,
	.ready = ps_module_churn_ready,
	.usable = ps_mc_usable,
	.assign = ps_mc_assign,
	.setup = ps_mc_setup,
	.toggle = ps_mc_toggle,
	.teardown = ps_mc_teardown,
};
