// SPDX-License-Identifier: GPL-2.0
/*
 * The storm's lifecycle: one storm at a time.  Start resolves the
 * targets, places the threads and sets everything up before any thread
 * runs; a controller thread ends the storm after its duration (or on
 * stop, or rmmod), prints periodic stats lines, and gives the verdict.
 */
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include <linux/panic.h>
#include "engine/engine.h"
#include "detectors/detectors.h"
#include "latency/latency.h"

/* Serializes start, stop, reset and configuration changes. */
DEFINE_MUTEX(ps_lock);
struct ps_run ps_run;
struct ps_storm ps_storm;

static enum ps_state ps_state_val;
static bool ps_stop_requested;
static DECLARE_WAIT_QUEUE_HEAD(ps_ctl_wq);
static DECLARE_COMPLETION(ps_ctl_done);
/* a controller was started and has not been waited for */
static bool ps_ctl_pending;

static const char *const ps_state_names[] = {
	[PS_IDLE] = "idle",
	[PS_RUNNING] = "running",
	[PS_DONE] = "done",
};

enum ps_state ps_state(void)
{
	return READ_ONCE(ps_state_val);
}

const char *ps_state_name(enum ps_state state)
{
	return ps_state_names[state];
}

u64 ps_elapsed_ns(void)
{
	u64 end = READ_ONCE(ps_storm.end_ns);

	if (!ps_run.start_ns)
		return 0;
	return (end ? end : ktime_get_ns()) - ps_run.start_ns;
}

/* With stutter=S, load runs S seconds, pauses S seconds, and so on. */
void ps_stutter_wait(void)
{
	unsigned int s = ps_run.cfg.stutter;

	if (!s)
		return;
	while (!kthread_should_stop() &&
	       (div_u64(ps_elapsed_ns(), (u64)s * NSEC_PER_SEC) & 1))
		msleep(20);
}

/*
 * Togglers told to end, samplers stopped (they look at the togglers'
 * tasks), togglers joined, then injections, hammers and wideners, then
 * the strategies' own teardown: a site changing with no toggle
 * bracketing it would look like stale execution to a hammer still
 * running.
 */
static void ps_stop_threads(void)
{
	ps_hotplug_stop();
	ps_togglers_wind_down();
	ps_samplers_stop();
	ps_flush_stop();
	ps_togglers_stop();
	if (ps_storm.inject && ps_storm.inject->stop)
		ps_storm.inject->stop();
	ps_widen_stop();
	ps_hammers_stop();
	ps_togglers_teardown();
}

/*
 * After every teardown each victim key is off again, as the storm found
 * it: a key still on holds a reference nobody will drop (an unbalanced
 * static_branch_inc(), a disable that never happened).  So is
 * victim_call's static call.
 */
static void ps_check_keys_left(void)
{
	unsigned int k;

	for (k = 0; k < PS_NR_KEYS; k++)
		if (static_key_enabled(&ps_victim_keys[k]))
			ps_anomaly(PS_A_LEFT_ON, -1, (unsigned long)&ps_victim_keys[k],
				   static_key_count(&ps_victim_keys[k].key), -1, 0, k);
	if (ps_static_call_left_on())
		ps_anomaly(PS_A_LEFT_ON, -1, (unsigned long)ps_static_call_on_fn(),
			   1, PS_S_STATIC_CALL, 0, 0);
}

static bool ps_ctl_should_end(void)
{
	return READ_ONCE(ps_stop_requested);
}

static int ps_controller_fn(void *arg)
{
	const struct ps_config *cfg = &ps_run.cfg;
	u64 deadline = cfg->duration ?
		ps_run.start_ns + (u64)cfg->duration * NSEC_PER_SEC : 0;
	u64 next_stat = ps_run.start_ns + (u64)cfg->stat_interval * NSEC_PER_SEC;
	u64 now, wake;

	for (;;) {
		now = ktime_get_ns();
		if (deadline && now >= deadline)
			break;
		if (cfg->stat_interval && now >= next_stat) {
			ps_stats_line("stats");
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
	ps_check_keys_left();
	WRITE_ONCE(ps_storm.end_ns, ktime_get_ns());
	ps_stats_line("final");
	ps_verdict_set();
	ps_verdict_print();
	WRITE_ONCE(ps_state_val, PS_DONE);
	kthread_complete_and_exit(&ps_ctl_done, 0);
}

/* Hammer and toggler CPUs: explicit lists, or togglers first, hammers after. */
static void ps_place(const struct ps_config *cfg)
{
	unsigned int online = num_online_cpus(), nt, cpu, i = 0;
	struct ps_storm *sm = &ps_storm;

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

/* The site kinds the configured strategies write. */
static unsigned int ps_site_kinds(const struct ps_config *cfg)
{
	unsigned long strats = ps_config_strategies(cfg);
	unsigned int kinds = 0, s;

	for_each_set_bit(s, &strats, PS_NR_STRATEGIES)
		kinds |= ps_strategies[s]->sites;
	return kinds;
}

static void ps_reset_counters(void)
{
	ps_hist_reset();
	ps_anomaly_reset();
	ps_stale_reset();
	ps_counters_reset();
}

/*
 * Called with ps_lock held: wait until the last storm's controller is
 * past the module's text.  It says "done" just before it exits through
 * kthread_complete_and_exit(), so a new start (which reuses the
 * completion) or rmmod (which frees the text it still runs) must not
 * trust the state alone.
 */
static void ps_ctl_reap(void)
{
	if (!ps_ctl_pending)
		return;
	wait_for_completion(&ps_ctl_done);
	ps_ctl_pending = false;
}

/* Called with ps_lock held. */
static int __ps_storm_start(void)
{
	const struct ps_config *cfg = &ps_run.cfg;
	struct task_struct *t;
	int ret;

	ps_ctl_reap();
	ps_run.cfg = ps_cfg;
	ret = ps_config_validate(cfg);
	if (ret)
		return ret;
	ret = ps_targets_resolve(cfg, ps_run.targets, &ps_run.nr_targets,
				 ps_run.dropped, sizeof(ps_run.dropped), true);
	if (ret)
		return ret;
	ps_storm.inject = ps_injections[cfg->inject];
	ps_place(cfg);
	/* CPUs named at configuration may have gone offline since */
	if (!cpumask_subset(&ps_storm.toggler_mask, cpu_online_mask) ||
	    !cpumask_subset(&ps_storm.hammer_mask, cpu_online_mask)) {
		ps_error("toggler_cpus or hammer_cpus names an offline CPU (online: %*pbl)",
			 cpumask_pr_args(cpu_online_mask));
		return -EINVAL;
	}
	ps_reset_counters();
	ps_victim_keys_off();
	ps_sites_init(ps_site_kinds(cfg), cfg->togglers *
		      (cfg->strategies & BIT(PS_MIXED_BIT) ? 1 :
		       hweight_long(ps_config_strategies(cfg))));
	if (ps_storm.inject->add_sites)
		ps_storm.inject->add_sites();
	ps_last_error[0] = '\0';
	ps_verdict_clear();
	ps_storm.end_ns = 0;
	ps_run.start_ns = ktime_get_ns();

	ret = ps_hotplug_start();
	if (ret)
		goto fail;
	ret = ps_togglers_setup();
	if (ret)
		goto fail;
	ret = ps_hammers_start();
	if (ret)
		goto fail;
	ret = ps_widen_start(cfg, &ps_storm.hammer_mask);
	if (ret)
		goto fail;
	ret = ps_samplers_start(cfg->samplers, &ps_storm.toggler_mask);
	if (ret)
		goto fail;
	ret = ps_flush_start(&ps_storm.toggler_mask);
	if (ret)
		goto fail;
	/* a broken patcher ran here: say so in every later oops */
	if (cfg->inject != PS_INJ_NONE)
		add_taint(TAINT_TEST, LOCKDEP_STILL_OK);
	if (ps_storm.inject->start) {
		ret = ps_storm.inject->start(&ps_storm.toggler_mask);
		if (ret)
			goto fail;
	}
	ret = ps_togglers_start();
	if (ret)
		goto fail;
	WRITE_ONCE(ps_stop_requested, false);
	reinit_completion(&ps_ctl_done);
	WRITE_ONCE(ps_state_val, PS_RUNNING);
	t = kthread_run(ps_controller_fn, NULL, "ps_controller");
	if (IS_ERR(t)) {
		WRITE_ONCE(ps_state_val, PS_IDLE);
		ret = PTR_ERR(t);
		goto fail;
	}
	ps_ctl_pending = true;
	pr_info("patchstorm: storm started: %u togglers on %*pbl, %u hammers on %*pbl, %u targets\n",
		ps_storm.nr_togglers, cpumask_pr_args(&ps_storm.toggler_mask),
		ps_storm.nr_hammers, cpumask_pr_args(&ps_storm.hammer_mask),
		ps_run.nr_targets);
	return 0;
fail:
	ps_stop_threads();
	ps_run.start_ns = 0;
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
	ps_ctl_reap();
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
		ps_ctl_reap();
		ps_reset_counters();
		ps_run.start_ns = 0;
		ps_storm.end_ns = 0;
		ps_verdict_clear();
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
	ps_ctl_reap();
	mutex_unlock(&ps_lock);
}
