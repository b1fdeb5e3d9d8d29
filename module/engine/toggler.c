// SPDX-License-Identifier: GPL-2.0
/*
 * Togglers: kthreads that flip patch sites.  Each strategy runs at its
 * own pace: a strategy has @togglers threads of its own, spread over the
 * toggler CPUs, so a fast API (kprobe arming, static keys) keeps flipping
 * while a slow one waits for an RCU-tasks grace period.  With "mixed",
 * each toggler holds one instance of every strategy and picks one by
 * weight on every toggle.
 *
 * Every toggle is bracketed for the detectors (struct ps_toggle): the
 * samplers know a write may be in flight, the hammers know when the
 * patching API said it was done.
 */
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include "engine/engine.h"
#include "detectors/detectors.h"
#include "arch/arch.h"
#include "latency/latency.h"
#include "latency/ps_trace.h"

/*
 * Set when the storm ends: every toggler finishes the toggle it is in
 * and stops toggling, so the storm ends after the slowest toggle in
 * flight, not after all of them in turn.
 */
static bool ps_togglers_ending;

/*
 * The unit the @k-th toggle of an instance flips: the first one on and
 * off again, then the others on in turn, each one off again once the
 * next one is on (on 0, off 0, on 1, on 2, off 1, on 3, off 2, ...), so
 * both directions run from the first two toggles on, however slow the
 * strategy.  Switching every unit on before the first one off left
 * kprobe-register with no unregister at all in a 10 s storm of every
 * strategy on x86: each register_kprobe() there takes seconds, waiting
 * for kprobe_mutex, which disable_kprobe() of an ftrace-based probe holds
 * across an RCU-tasks grace period; and "on 0, on 1, off 0" still took
 * two of them before the first unregister (2 enables, 0 disables in 12 s
 * in CI).
 */
static unsigned int ps_toggle_unit(unsigned int k, unsigned int units)
{
	if (k < 2)
		return 0;
	k -= 2;
	return (1 + (k & 1 ? (k + 1) / 2 : k ? k / 2 - 1 : 0)) % units;
}

static void ps_toggle_once(struct ps_toggler *tg, struct ps_strat_state *st)
{
	unsigned int batch = st->ops->whole ? st->nr : ps_run.cfg.batch;
	unsigned int units = DIV_ROUND_UP(st->nr, batch);
	struct ps_toggle tog = { .st = st, .sid = st->sid };
	unsigned int s = st->sid;
	bool sampled;
	u64 t1;
	int ret;

	tog.first = ps_toggle_unit(st->cursor, units) * batch;
	tog.n = min(batch, st->nr - tog.first);
	tog.idx = &st->idx[tog.first];
	tog.on = &st->on[tog.first];
	tog.enable = !st->on[tog.first];
	memcpy(tog.was_on, tog.on, tog.n * sizeof(bool));
	st->cursor++;

	/*
	 * The samplers spin while a write to the sites they read may be in
	 * flight.  A strategy patching only text of its own (module-churn)
	 * writes none of them, for a second or more a toggle: no spinning.
	 */
	sampled = !st->ops->own_text;
	tog.start_ns = ktime_get_ns();
	if (sampled)
		ps_sites_patch_begin(tg->id);
	ps_toggle_open(&tog);
	ret = st->toggle(&tog);
	t1 = ktime_get_ns();
	ps_toggle_close(&tog);
	if (sampled)
		ps_sites_patch_end(tg->id);
	trace_patchstorm_toggle(ps_strategy_names[s],
				st->tgt[tog.first]->name, tog.enable,
				t1 - tog.start_ns, tog.seq, ret);
	if (ret && READ_ONCE(THIS_MODULE->state) == MODULE_STATE_GOING)
		return;
	if (ret) {
		this_cpu_inc(ps_counters.errors[s]);
		pr_err_ratelimited("patchstorm: %s: %s %s: error %d\n",
				   ps_strategy_names[s],
				   tog.enable ? "enable" : "disable",
				   st->tgt[tog.first]->name, ret);
		return;
	}
	ps_hist_record(s * 2 + tog.enable, t1 - tog.start_ns);
	this_cpu_inc(ps_counters.toggles[s][tog.enable]);
}

/* The instance a toggler flips next: its one, or with mixed one by weight. */
static struct ps_strat_state *ps_next_instance(struct ps_toggler *tg)
{
	const unsigned int *w = ps_run.cfg.weights;
	unsigned int i, total = 0, r;

	if (!tg->mixed)
		return &tg->st[0];
	for (i = 0; i < tg->nr_st; i++)
		total += w[tg->st[i].sid];
	r = prandom_u32_state(&tg->rnd) % total;
	for (i = 0; i < tg->nr_st; i++) {
		if (r < w[tg->st[i].sid])
			break;
		r -= w[tg->st[i].sid];
	}
	this_cpu_inc(ps_counters.mixed_picks);
	return &tg->st[i];
}

static int ps_toggler_fn(void *arg)
{
	struct ps_toggler *tg = arg;
	unsigned int rate = ps_run.cfg.rate;
	u64 period = rate ? div_u64(NSEC_PER_SEC, rate) : 0;
	u64 next = ktime_get_ns(), now;

	while (!kthread_should_stop() && !READ_ONCE(ps_togglers_ending)) {
		ps_stutter_wait();
		/*
		 * rmmod under way: the module is GOING, so kprobes refuse its
		 * text (-ENOENT) until exit stops us; that is no API error.
		 */
		if (READ_ONCE(THIS_MODULE->state) == MODULE_STATE_GOING)
			break;
		ps_toggle_once(tg, ps_next_instance(tg));
		if (period) {
			next += period;
			now = ktime_get_ns();
			if (now + NSEC_PER_SEC < next || next + NSEC_PER_SEC < now)
				next = now;	/* fell far behind: no burst */
			else if (next > now + 10 * NSEC_PER_USEC)
				usleep_range(div_u64(next - now, NSEC_PER_USEC),
					     div_u64(next - now, NSEC_PER_USEC) + 5);
		}
		cond_resched_tasks_rcu_qs();
	}
	ps_kthread_idle();
	return 0;
}

/*
 * The kinds of site @ops writes at @t: a kprobe that sits on the ftrace
 * site is ftrace-based (KPROBES_ON_FTRACE) and writes that site.
 */
static unsigned int ps_site_kinds_at(const struct ps_strategy *ops,
				     const struct ps_target *t)
{
	unsigned int kinds = ops->sites, len;
	unsigned long site;

	if ((kinds & BIT(PS_SITE_KPROBE)) &&
	    ps_arch_ftrace_site(t->addr, &site, &len) &&
	    t->kprobe_addr - site < len)
		kinds = (kinds & ~BIT(PS_SITE_KPROBE)) | BIT(PS_SITE_FTRACE);
	return kinds;
}

/* A site an instance writes beyond its targets' own: the samplers read it. */
static void ps_instance_new_site(const struct ps_strat_state *st,
				 unsigned int i, unsigned long addr)
{
	ps_sites_add_kprobe(st->idx[i], addr);
}

/*
 * Strategy @s's instance @i of @n in toggler @tg: the targets it takes,
 * set up.  An instance with no target is left out.
 */
static int ps_instance_setup(struct ps_toggler *tg, unsigned int s,
			     unsigned int i, unsigned int n)
{
	const struct ps_config *cfg = &ps_run.cfg;
	const struct ps_injection *inj = ps_storm.inject;
	struct ps_strat_state *st = &tg->st[tg->nr_st];
	const struct ps_strategy *ops = ps_strategies[s];
	unsigned int t;
	int ret;

	memset(st, 0, sizeof(*st));
	st->ops = ops;
	st->sid = s;
	for (t = 0; t < ps_run.nr_targets; t++) {
		const struct ps_target *tgt = &ps_run.targets[t];

		if (!(tgt->strats & BIT(s)))
			continue;
		if (ops->assign && !ops->assign(cfg, tgt, i, n))
			continue;
		st->tgt[st->nr] = tgt;
		st->idx[st->nr++] = t;
	}
	if (!st->nr)
		return 0;
	st->toggle = inj->breaks == s ? inj->toggle : ps_toggle_plain;
	st->walk = ops->walks && cfg->kprobe_walk == PS_KPROBE_WALK_ON;
	st->new_site = ps_instance_new_site;
	ret = ops->setup(st);
	if (ret) {
		ps_error("%s: setup failed: %d", ps_strategy_names[s], ret);
		return ret;
	}
	tg->nr_st++;
	/* walking probes have no fixed site, and may sit where a call never goes */
	for (t = 0; t < st->nr && !ops->own_text; t++)
		ps_stale_use(st->idx[t], s, st->walk ? 0 :
			     ps_site_kinds_at(ops, st->tgt[t]), !st->walk,
			     ops->refcounted);
	if (ops->ftrace_ops)
		ps_sites_allow_ops(ops->ftrace_ops(st));
	return 0;
}

static struct ps_toggler *ps_toggler_new(bool mixed)
{
	struct ps_toggler *tg = &ps_storm.togglers[ps_storm.nr_togglers];
	unsigned int w = cpumask_weight(&ps_storm.toggler_mask);

	memset(tg, 0, sizeof(*tg));
	tg->id = ps_storm.nr_togglers++;
	tg->mixed = mixed;
	tg->cpu = cpumask_nth(tg->id % w, &ps_storm.toggler_mask);
	prandom_seed_state(&tg->rnd, get_random_u64());
	return tg;
}

/*
 * Build the togglers and set up their strategy instances; on failure
 * what was set up is torn down again.  The storm's sites are known
 * (ps_sites_init()), the threads do not run yet.
 */
int ps_togglers_setup(void)
{
	const struct ps_config *cfg = &ps_run.cfg;
	unsigned long strats = ps_config_strategies(cfg);
	unsigned int n = cfg->togglers, i, s;
	struct ps_toggler *tg;
	int ret = 0;

	ps_storm.nr_togglers = 0;
	if (cfg->strategies & BIT(PS_MIXED_BIT)) {
		for (i = 0; i < n && !ret; i++) {
			tg = ps_toggler_new(true);
			for_each_set_bit(s, &strats, PS_NR_STRATEGIES) {
				ret = ps_instance_setup(tg, s, i, n);
				if (ret)
					break;
			}
		}
	} else {
		for_each_set_bit(s, &strats, PS_NR_STRATEGIES) {
			for (i = 0; i < n && !ret; i++)
				ret = ps_instance_setup(ps_toggler_new(false), s, i, n);
			if (ret)
				break;
		}
	}
	if (ret)
		ps_togglers_teardown();
	return ret;
}

int ps_togglers_start(void)
{
	struct task_struct *t;
	unsigned int i;

	WRITE_ONCE(ps_togglers_ending, false);
	for (i = 0; i < ps_storm.nr_togglers; i++) {
		struct ps_toggler *tg = &ps_storm.togglers[i];

		if (!tg->nr_st)
			continue;
		t = ps_kthread_start(ps_toggler_fn, tg, tg->cpu, "ps_toggler/%u", i);
		if (IS_ERR(t))
			return PTR_ERR(t);
		tg->task = t;
	}
	return 0;
}

/*
 * Toggle no more: each toggler finishes the toggle it is in and idles
 * until ps_togglers_stop().  First thing at the end of a storm, so the
 * samplers that share the togglers' CPUs (at the lowest priority) get
 * them to themselves and exit: a toggler patching under stop_machine
 * back to back left a sampler no CPU time to see kthread_stop() for
 * over 30 s (riscv64 6.12, thread=single, the host busy).
 */
void ps_togglers_wind_down(void)
{
	WRITE_ONCE(ps_togglers_ending, true);
}

void ps_togglers_stop(void)
{
	unsigned int i;

	ps_togglers_wind_down();
	for (i = 0; i < ps_storm.nr_togglers; i++)
		ps_kthread_stop(&ps_storm.togglers[i].task);
}

/*
 * After the threads have stopped (togglers, then hammers): a site
 * changing with no toggle bracketing it would look like stale execution
 * to a hammer still running.
 */
void ps_togglers_teardown(void)
{
	unsigned int i, j;

	for (i = 0; i < ps_storm.nr_togglers; i++) {
		struct ps_toggler *tg = &ps_storm.togglers[i];

		for (j = 0; j < tg->nr_st; j++)
			tg->st[j].ops->teardown(&tg->st[j]);
		tg->nr_st = 0;
	}
	ps_storm.nr_togglers = 0;
}
