// SPDX-License-Identifier: GPL-2.0
/*
 * The storm: togglers flip patch sites with a strategy while hammers call
 * the victims whose entries are being rewritten and check every answer.
 * A controller thread ends the storm after its duration (or on stop),
 * prints periodic stats lines, and gives the verdict torture-test style.
 */
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/prandom.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include "patchstorm.h"
#include "ps_trace.h"

/* Serializes start, stop, reset and configuration changes. */
DEFINE_MUTEX(ps_lock);
DEFINE_PER_CPU(struct ps_counters, ps_counters);
struct ps_storm ps_storm;

static enum ps_state ps_state_val;
static bool ps_stop_requested;
static DECLARE_WAIT_QUEUE_HEAD(ps_ctl_wq);
static DECLARE_COMPLETION(ps_ctl_done);
static unsigned int ps_hammer_targets[PS_MAX_TARGETS];
static unsigned int ps_nr_hammer_victims;
static char ps_verdict[16] = "NONE";
static char ps_reason[96];

enum ps_state ps_state(void)
{
	return READ_ONCE(ps_state_val);
}

/* Which storm target an ftrace or kprobe hit at @ip belongs to, or -1. */
int ps_target_index(unsigned long ip, const struct ps_toggler *tg,
		    enum ps_strat s)
{
	const struct ps_strat_state *st = &tg->st[s];
	unsigned int i;

	/* the traced ip may sit past a landing pad: compare the first bytes */
	for (i = 0; i < st->nr; i++) {
		unsigned long a = ps_storm.targets[st->idx[i]].addr;

		if (ip - a < 16)
			return st->idx[i];
	}
	return -1;
}

static u64 ps_elapsed_ns(void)
{
	u64 end = READ_ONCE(ps_storm.end_ns);

	if (!ps_storm.start_ns)
		return 0;
	return (end ? end : ktime_get_ns()) - ps_storm.start_ns;
}

/* With stutter=S, load runs S seconds, pauses S seconds, and so on. */
static void ps_stutter_wait(void)
{
	unsigned int s = ps_storm.cfg.stutter;

	if (!s)
		return;
	while (!kthread_should_stop() &&
	       (div_u64(ps_elapsed_ns(), (u64)s * NSEC_PER_SEC) & 1))
		msleep(20);
}

/* Next base strategy for this toggler: round-robin, or weighted for mixed. */
static int ps_next_strategy(struct ps_toggler *tg, unsigned int *rr)
{
	const struct ps_config *cfg = &ps_storm.cfg;
	unsigned int i, total = 0, r;

	if (cfg->strategies & BIT(PS_MIXED)) {
		for (i = 0; i < PS_NR_BASE_STRATS; i++)
			if (tg->ready[i])
				total += cfg->weights[i];
		if (!total)
			return -1;
		r = prandom_u32_state(&tg->rnd) % total;
		for (i = 0; i < PS_NR_BASE_STRATS; i++) {
			if (!tg->ready[i])
				continue;
			if (r < cfg->weights[i]) {
				this_cpu_inc(ps_counters.mixed_picks);
				return i;
			}
			r -= cfg->weights[i];
		}
		return -1;
	}
	for (i = 0; i < PS_NR_BASE_STRATS; i++) {
		unsigned int s = (*rr + i) % PS_NR_BASE_STRATS;

		if (tg->ready[s]) {
			*rr = s + 1;
			return s;
		}
	}
	return -1;
}

static void ps_toggle_once(struct ps_toggler *tg, int s)
{
	struct ps_strat_state *st = &tg->st[s];
	unsigned int batch = st->ops->whole ? st->nr : ps_storm.cfg.batch;
	unsigned int units = DIV_ROUND_UP(st->nr, batch);
	bool was_on[PS_MAX_TARGETS];
	unsigned int first, n;
	u64 t0, t1, seq;
	bool enable;
	int ret;

	first = (st->cursor % units) * batch;
	n = min(batch, st->nr - first);
	st->cursor++;
	enable = !st->on[first];
	memcpy(was_on, &st->on[first], n * sizeof(bool));
	t0 = ktime_get_ns();
	ps_sites_patch_begin(tg);
	seq = ps_toggle_begin(st, first, n, t0);
	if (ps_inject_toggle(tg, s, first, n, enable, seq, t0, &ret)) {
		t1 = ktime_get_ns();
	} else {
		ret = st->ops->toggle(tg, first, n, enable);
		t1 = ktime_get_ns();
		ps_toggle_end(st, s, first, n, was_on, seq, t0);
	}
	ps_sites_patch_end(tg);
	trace_patchstorm_toggle(ps_strat_names[s],
				ps_storm.targets[st->idx[first]].name, enable,
				t1 - t0, seq, ret);
	if (ret && READ_ONCE(THIS_MODULE->state) == MODULE_STATE_GOING)
		return;
	if (ret) {
		this_cpu_inc(ps_counters.errors[s]);
		pr_err_ratelimited("patchstorm: %s: %s %s: error %d\n",
				   ps_strat_names[s],
				   enable ? "enable" : "disable",
				   ps_storm.targets[st->idx[first]].name, ret);
		return;
	}
	ps_hist_record(s * 2 + enable, t1 - t0);
	this_cpu_inc(ps_counters.toggles[s][enable]);
}

static int ps_toggler_fn(void *arg)
{
	struct ps_toggler *tg = arg;
	unsigned int rate = ps_storm.cfg.rate, rr = tg->id;
	u64 period = rate ? div_u64(NSEC_PER_SEC, rate) : 0;
	u64 next = ktime_get_ns(), now;
	int s;

	while (!kthread_should_stop()) {
		ps_stutter_wait();
		/*
		 * rmmod under way: the module is GOING, so kprobes refuse its
		 * text (-ENOENT) until exit stops us; that is no API error.
		 */
		if (READ_ONCE(THIS_MODULE->state) == MODULE_STATE_GOING)
			break;
		s = ps_next_strategy(tg, &rr);
		if (s < 0)
			break;
		ps_toggle_once(tg, s);
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
	/* nothing left to do: wait to be stopped, as kthread_stop() expects */
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

static int ps_hammer_fn(void *arg)
{
	u64 stall_ns = ps_storm.cfg.stall_ns, ns;
	unsigned int i, loops = 0;

	while (!kthread_should_stop()) {
		ps_stutter_wait();
		for (i = 0; i < ps_nr_hammer_victims; i++) {
			unsigned int t = ps_hammer_targets[i];

			ns = ps_hammer_call(t, ps_storm.targets[t].victim);
			ps_hist_record(PS_H_STALL, ns);
			if (ns >= stall_ns)
				trace_patchstorm_stall(smp_processor_id(),
						       ps_storm.targets[t].name,
						       ns);
		}
		this_cpu_add(ps_counters.calls, ps_nr_hammer_victims);
		/*
		 * A busy kthread must report quiescent states to RCU-tasks
		 * itself: unregistering a dynamic ftrace_ops waits for one
		 * on every CPU, and cond_resched() alone gives none when
		 * nothing else is runnable here.
		 */
		if (!(++loops & 63))
			cond_resched_tasks_rcu_qs();
	}
	return 0;
}

static void ps_sum_counters(struct ps_counters *sum)
{
	unsigned int cpu, i, j;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct ps_counters *c = per_cpu_ptr(&ps_counters, cpu);

		for (i = 0; i < PS_NR_BASE_STRATS; i++) {
			for (j = 0; j < 2; j++)
				sum->toggles[i][j] += READ_ONCE(c->toggles[i][j]);
			sum->errors[i] += READ_ONCE(c->errors[i]);
			sum->hits[i] += READ_ONCE(c->hits[i]);
		}
		for (i = 0; i < PS_MAX_TARGETS; i++)
			sum->target_hits[i] += READ_ONCE(c->target_hits[i]);
		sum->calls += READ_ONCE(c->calls);
		sum->mismatches += READ_ONCE(c->mismatches);
		sum->stale += READ_ONCE(c->stale);
		sum->traps += READ_ONCE(c->traps);
		sum->mixed_picks += READ_ONCE(c->mixed_picks);
	}
}

static u64 ps_total(const u64 *v, unsigned int n, unsigned int stride)
{
	u64 t = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		t += v[i * stride];
	return t;
}

static void ps_print_stats_line(const char *tag)
{
	struct ps_counters *c = kmalloc(sizeof(*c), GFP_KERNEL);
	u64 toggles;

	if (!c)
		return;
	ps_sum_counters(c);
	toggles = ps_total(&c->toggles[0][0], 2 * PS_NR_BASE_STRATS, 1);
	pr_info("patchstorm: %s: elapsed_s=%llu toggles=%llu errors=%llu hits=%llu calls=%llu mismatches=%llu\n",
		tag, div_u64(ps_elapsed_ns(), NSEC_PER_SEC), toggles,
		ps_total(c->errors, PS_NR_BASE_STRATS, 1),
		ps_total(c->hits, PS_NR_BASE_STRATS, 1), c->calls,
		c->mismatches);
	kfree(c);
}

static void ps_set_verdict(void)
{
	struct ps_counters *c = kmalloc(sizeof(*c), GFP_KERNEL);
	u64 errors;

	if (!c) {
		strscpy(ps_verdict, "FAILURE");
		strscpy(ps_reason, "out of memory computing the verdict");
		return;
	}
	ps_sum_counters(c);
	errors = ps_total(c->errors, PS_NR_BASE_STRATS, 1);
	if (ps_anomaly_count()) {
		strscpy(ps_verdict, "FAILURE");
		snprintf(ps_reason, sizeof(ps_reason),
			 "%llu anomalies (%llu wrong answers, %llu stale, %llu traps; torn or mixed sites: see anomalies)",
			 ps_anomaly_count(), c->mismatches, c->stale, c->traps);
	} else if (c->mismatches) {
		strscpy(ps_verdict, "FAILURE");
		snprintf(ps_reason, sizeof(ps_reason),
			 "%llu wrong answers from victims", c->mismatches);
	} else if (errors) {
		strscpy(ps_verdict, "FAILURE");
		snprintf(ps_reason, sizeof(ps_reason),
			 "%llu errors from patching APIs", errors);
	} else {
		strscpy(ps_verdict, "SUCCESS");
		ps_reason[0] = '\0';
	}
	kfree(c);
}

static void ps_print_end(void)
{
	char *cfg = kmalloc(PAGE_SIZE, GFP_KERNEL);
	char *p;

	if (cfg) {
		ps_config_show(&ps_storm.cfg, cfg, PAGE_SIZE);
		for (p = cfg; *p; p++)
			if (*p == '\n')
				*p = ' ';
	}
	pr_alert("patchstorm: --- End of test: %s%s%s: %s\n", ps_verdict,
		 ps_reason[0] ? ": " : "", ps_reason, cfg ? cfg : "");
	kfree(cfg);
}

/*
 * Samplers first (they look at the togglers' tasks), togglers next, then
 * hammers and wideners, then the strategies' own teardown: a site
 * changing with no toggle bracketing it would look like stale execution
 * to a hammer still running.
 */
static void ps_stop_threads(void)
{
	unsigned int i, s;

	ps_samplers_stop();
	ps_flush_stop();
	for (i = 0; i < ps_storm.nr_togglers; i++) {
		struct ps_toggler *tg = &ps_storm.togglers[i];

		if (tg->task) {
			kthread_stop(tg->task);
			tg->task = NULL;
		}
	}
	ps_inject_stop();
	ps_widen_stop();
	for (i = 0; i < ps_storm.nr_hammers; i++) {
		if (ps_storm.hammers[i])
			kthread_stop(ps_storm.hammers[i]);
		ps_storm.hammers[i] = NULL;
	}
	for (i = 0; i < ps_storm.nr_togglers; i++) {
		struct ps_toggler *tg = &ps_storm.togglers[i];

		for (s = 0; s < PS_NR_BASE_STRATS; s++) {
			if (tg->ready[s])
				tg->st[s].ops->teardown(tg);
			tg->ready[s] = false;
		}
	}
	ps_storm.nr_togglers = 0;
	ps_storm.nr_hammers = 0;
}

static bool ps_ctl_should_end(void)
{
	return READ_ONCE(ps_stop_requested);
}

static int ps_controller_fn(void *arg)
{
	const struct ps_config *cfg = &ps_storm.cfg;
	u64 deadline = cfg->duration ?
		ps_storm.start_ns + (u64)cfg->duration * NSEC_PER_SEC : 0;
	u64 next_stat = ps_storm.start_ns +
		(u64)cfg->stat_interval * NSEC_PER_SEC;
	u64 now, wake;

	for (;;) {
		now = ktime_get_ns();
		if (deadline && now >= deadline)
			break;
		if (cfg->stat_interval && now >= next_stat) {
			ps_print_stats_line("stats");
			next_stat += (u64)cfg->stat_interval * NSEC_PER_SEC;
		}
		wake = U64_MAX;
		if (deadline)
			wake = deadline;
		if (cfg->stat_interval)
			wake = min(wake, next_stat);
		if (wait_event_timeout(ps_ctl_wq, ps_ctl_should_end(),
				       wake == U64_MAX ? MAX_SCHEDULE_TIMEOUT :
				       nsecs_to_jiffies(wake - now) + 1))
			break;
	}
	ps_stop_threads();
	WRITE_ONCE(ps_storm.end_ns, ktime_get_ns());
	ps_print_stats_line("final");
	ps_set_verdict();
	ps_print_end();
	WRITE_ONCE(ps_state_val, PS_DONE);
	kthread_complete_and_exit(&ps_ctl_done, 0);
}

/* Hammer and toggler CPUs: explicit lists, or togglers first, hammers after. */
static void ps_place(const struct ps_config *cfg)
{
	struct ps_storm *sm = &ps_storm;
	unsigned int online = num_online_cpus(), nt, cpu, i = 0;

	if (!cpumask_empty(&cfg->toggler_cpus)) {
		cpumask_copy(&sm->toggler_mask, &cfg->toggler_cpus);
	} else {
		/* leave CPUs to the hammers, if there are any */
		nt = cfg->hammers == 0 ? min(cfg->togglers, online) :
		     online > 1 ? min(cfg->togglers, online - 1) : 1;
		cpumask_clear(&sm->toggler_mask);
		for_each_online_cpu(cpu)
			if (i++ < nt)
				cpumask_set_cpu(cpu, &sm->toggler_mask);
	}
	if (!cpumask_empty(&cfg->hammer_cpus))
		cpumask_copy(&sm->hammer_mask, &cfg->hammer_cpus);
	else if (!cpumask_andnot(&sm->hammer_mask, cpu_online_mask,
				 &sm->toggler_mask))
		cpumask_copy(&sm->hammer_mask, cpu_online_mask);
}

static int ps_nth_cpu(const struct cpumask *mask, unsigned int n)
{
	unsigned int w = cpumask_weight(mask);

	return cpumask_nth(n % w, mask);
}

static int ps_setup_toggler(struct ps_toggler *tg)
{
	const struct ps_config *cfg = &ps_storm.cfg;
	unsigned long want = cfg->strategies;
	unsigned int s, i;
	int ret;

	if (want & BIT(PS_MIXED)) {
		for (s = 0; s < PS_NR_BASE_STRATS; s++)
			if (cfg->weights[s])
				want |= BIT(s);
	}
	for (s = 0; s < PS_NR_BASE_STRATS; s++) {
		struct ps_strat_state *st = &tg->st[s];

		if (!(want & BIT(s)))
			continue;
		st->ops = ps_strategies[s];
		st->nr = 0;
		for (i = 0; i < ps_storm.nr_targets; i++) {
			const struct ps_target *t = &ps_storm.targets[i];

			if (st->ops->usable && !st->ops->usable(t))
				continue;
			/*
			 * static_branch_enable/disable are not refcounted:
			 * racing on one key, a disable that sees an enable's
			 * transient -1 WARNs (jump_label.c).  Each key gets one
			 * toggler, unless shared_keys=on asks for the race.
			 */
			if (s == PS_STATIC_KEY && !cfg->shared_keys &&
			    t->victim->key % ps_storm.nr_togglers != tg->id)
				continue;
			st->idx[st->nr++] = i;
		}
		if (!st->nr)
			continue;
		ret = st->ops->setup(tg);
		if (ret) {
			ps_error("%s: setup failed: %d", st->ops->name, ret);
			return ret;
		}
		tg->ready[s] = true;
	}
	return 0;
}

static void ps_reset_counters(void)
{
	unsigned int cpu;

	ps_hist_reset();
	ps_anomaly_reset();
	ps_detect_reset();
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&ps_counters, cpu), 0,
		       sizeof(struct ps_counters));
}

static struct task_struct *ps_spawn(int (*fn)(void *), void *arg, int cpu,
				    const char *kind, unsigned int id)
{
	struct task_struct *t;

	t = kthread_create(fn, arg, "ps_%s/%u", kind, id);
	if (IS_ERR(t))
		return t;
	kthread_bind(t, cpu);
	wake_up_process(t);
	return t;
}

/* Called with ps_lock held. */
static int __ps_storm_start(void)
{
	struct ps_storm *sm = &ps_storm;
	struct task_struct *t;
	unsigned int i;
	int ret;

	sm->cfg = ps_cfg;
	ret = ps_config_validate(&sm->cfg);
	if (ret)
		return ret;
	for (i = 0; i < sm->cfg.nr_targets; i++) {
		ret = ps_target_resolve(sm->cfg.targets[i], sm->cfg.strategies,
					sm->cfg.kprobe_offset, &sm->targets[i]);
		if (ret)
			return ret;
	}
	sm->nr_targets = sm->cfg.nr_targets;
	ps_nr_hammer_victims = 0;
	for (i = 0; i < sm->nr_targets; i++)
		if (sm->targets[i].victim)
			ps_hammer_targets[ps_nr_hammer_victims++] = i;

	ps_place(&sm->cfg);
	ps_reset_counters();
	ps_sites_init();
	if (sm->cfg.inject == PS_INJECT_TORN_SITE)
		ps_sites_add_cold();
	ps_last_error[0] = '\0';
	strscpy(ps_verdict, "NONE");
	ps_reason[0] = '\0';
	sm->end_ns = 0;
	sm->start_ns = ktime_get_ns();

	memset(sm->togglers, 0, sizeof(sm->togglers));
	sm->nr_togglers = sm->cfg.togglers;
	for (i = 0; i < sm->nr_togglers; i++) {
		struct ps_toggler *tg = &sm->togglers[i];

		tg->id = i;
		tg->cpu = ps_nth_cpu(&sm->toggler_mask, i);
		prandom_seed_state(&tg->rnd,
				   get_random_u64());
		ret = ps_setup_toggler(tg);
		if (ret)
			goto fail;
	}
	sm->nr_hammers = 0;
	if (ps_nr_hammer_victims) {
		unsigned int n = sm->cfg.hammers >= 0 ? sm->cfg.hammers :
			cpumask_weight(&sm->hammer_mask);

		for (i = 0; i < n; i++) {
			t = ps_spawn(ps_hammer_fn, NULL,
				     ps_nth_cpu(&sm->hammer_mask, i), "hammer", i);
			if (IS_ERR(t)) {
				ret = PTR_ERR(t);
				goto fail;
			}
			sm->hammers[sm->nr_hammers++] = t;
		}
	}
	ret = ps_widen_start(&sm->cfg, &sm->hammer_mask);
	if (ret)
		goto fail;
	ret = ps_samplers_start(sm->cfg.samplers, &sm->toggler_mask);
	if (ret)
		goto fail;
	ret = ps_flush_start(&sm->toggler_mask);
	if (ret)
		goto fail;
	ret = ps_inject_start();
	if (ret)
		goto fail;
	for (i = 0; i < sm->nr_togglers; i++) {
		struct ps_toggler *tg = &sm->togglers[i];

		t = ps_spawn(ps_toggler_fn, tg, tg->cpu, "toggler", i);
		if (IS_ERR(t)) {
			ret = PTR_ERR(t);
			goto fail;
		}
		tg->task = t;
	}
	WRITE_ONCE(ps_stop_requested, false);
	reinit_completion(&ps_ctl_done);
	WRITE_ONCE(ps_state_val, PS_RUNNING);
	t = kthread_run(ps_controller_fn, NULL, "ps_controller");
	if (IS_ERR(t)) {
		WRITE_ONCE(ps_state_val, PS_IDLE);
		ret = PTR_ERR(t);
		goto fail;
	}
	pr_info("patchstorm: storm started: %u togglers on %*pbl, %u hammers on %*pbl, %u targets\n",
		sm->nr_togglers, cpumask_pr_args(&sm->toggler_mask),
		sm->nr_hammers, cpumask_pr_args(&sm->hammer_mask),
		sm->nr_targets);
	return 0;
fail:
	ps_stop_threads();
	sm->start_ns = 0;
	if (!ps_last_error[0])
		ps_error("storm could not start: %d", ret);
	return ret;
}

int ps_storm_start(void)
{
	int ret;

	mutex_lock(&ps_lock);
	if (ps_state() == PS_RUNNING) {
		ps_error("a storm is already running");
		ret = -EBUSY;
	} else {
		ret = __ps_storm_start();
	}
	mutex_unlock(&ps_lock);
	return ret;
}

/* Called with ps_lock held: end the running storm and wait for its end. */
static void __ps_storm_stop(void)
{
	WRITE_ONCE(ps_stop_requested, true);
	wake_up(&ps_ctl_wq);
	wait_for_completion(&ps_ctl_done);
}

int ps_storm_stop(void)
{
	int ret = 0;

	mutex_lock(&ps_lock);
	if (ps_state() != PS_RUNNING) {
		ps_error("no storm is running");
		ret = -EINVAL;
	} else {
		__ps_storm_stop();
	}
	mutex_unlock(&ps_lock);
	return ret;
}

int ps_storm_reset(void)
{
	int ret = 0;

	mutex_lock(&ps_lock);
	if (ps_state() == PS_RUNNING) {
		ps_error("stop the storm before reset");
		ret = -EBUSY;
	} else {
		ps_reset_counters();
		ps_storm.start_ns = 0;
		ps_storm.end_ns = 0;
		strscpy(ps_verdict, "NONE");
		ps_reason[0] = '\0';
		ps_last_error[0] = '\0';
		WRITE_ONCE(ps_state_val, PS_IDLE);
	}
	mutex_unlock(&ps_lock);
	return ret;
}

void ps_storm_exit(void)
{
	mutex_lock(&ps_lock);
	if (ps_state() == PS_RUNNING)
		__ps_storm_stop();
	mutex_unlock(&ps_lock);
}

static const char *const ps_state_names[] = {
	[PS_IDLE] = "idle",
	[PS_RUNNING] = "running",
	[PS_DONE] = "done",
};

int ps_stats_show(char *buf, size_t len)
{
	struct ps_counters *c = kmalloc(sizeof(*c), GFP_KERNEL);
	u64 site_reads[PS_SITE_CLASSES], passes, sleeps;
	size_t n = 0;
	unsigned int s, i;
	enum ps_state state = ps_state();

	if (!c)
		return -ENOMEM;
	ps_sum_counters(c);
	n += scnprintf(buf + n, len - n,
		       "state=%s\nverdict=%s\nreason=%s\nelapsed_ns=%llu\nduration_s=%u\n",
		       ps_state_names[state],
		       state == PS_DONE ? ps_verdict : "NONE",
		       state == PS_DONE ? ps_reason : "",
		       ps_elapsed_ns(), ps_storm.cfg.duration);
	n += scnprintf(buf + n, len - n, "togglers=%u\nhammers=%u\n",
		       ps_storm.nr_togglers, ps_storm.nr_hammers);
	n += scnprintf(buf + n, len - n, "toggles=%llu\nerrors=%llu\nhits=%llu\n",
		       ps_total(&c->toggles[0][0], 2 * PS_NR_BASE_STRATS, 1),
		       ps_total(c->errors, PS_NR_BASE_STRATS, 1),
		       ps_total(c->hits, PS_NR_BASE_STRATS, 1));
	n += scnprintf(buf + n, len - n,
		       "calls=%llu\nmismatches=%llu\nstale=%llu\ntraps=%llu\nanomalies=%llu\nfirst_anomaly_ns=%llu\nmixed_picks=%llu\nwiden_events=%llu\n",
		       c->calls, c->mismatches, c->stale, c->traps,
		       ps_anomaly_count(),
		       ps_anomaly_first_ns(), c->mixed_picks, ps_widen_count());
	/* where the stale calls ran: every hammer CPU, and any other */
	for_each_possible_cpu(i) {
		u64 stale = READ_ONCE(per_cpu_ptr(&ps_counters, i)->stale);

		if (stale || cpumask_test_cpu(i, &ps_storm.hammer_mask))
			n += scnprintf(buf + n, len - n, "stale.cpu%u=%llu\n",
				       i, stale);
	}
	for (s = 0; s < PS_NR_BASE_STRATS; s++)
		n += scnprintf(buf + n, len - n,
			       "toggles.%s.enable=%llu\ntoggles.%s.disable=%llu\nerrors.%s=%llu\nhits.%s=%llu\n",
			       ps_strat_names[s], c->toggles[s][1],
			       ps_strat_names[s], c->toggles[s][0],
			       ps_strat_names[s], c->errors[s],
			       ps_strat_names[s], c->hits[s]);
	for (i = 0; i < PS_NR_HISTS; i++) {
		char name[PS_NAME_LEN];

		ps_hist_name(i, name, sizeof(name));
		n += scnprintf(buf + n, len - n, "samples.%s=%llu\n", name,
			       ps_hist_count(i));
	}
	n += ps_anomaly_kinds_show(buf + n, len - n);
	ps_sites_counts(site_reads);
	for (i = 0; i < PS_SITE_CLASSES; i++)
		n += scnprintf(buf + n, len - n, "site_reads.%s=%llu\n",
			       ps_site_class_name(i), site_reads[i]);
	ps_sampler_counts(&passes, &sleeps);
	n += scnprintf(buf + n, len - n,
		       "sampler.passes=%llu\nsampler.sleeps=%llu\nsampler.cpu_ns=%llu\n",
		       passes, sleeps, ps_sampler_cpu_ns());
	for (i = 0; i < ps_storm.nr_targets; i++)
		n += scnprintf(buf + n, len - n, "target.%s.hits=%llu\n",
			       ps_storm.targets[i].name, c->target_hits[i]);
	n += scnprintf(buf + n, len - n, "last_error=%s\n", ps_last_error);
	kfree(c);
	return n;
}
