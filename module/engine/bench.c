// SPDX-License-Identifier: GPL-2.0
/*
 * Bare loops: the patching API of one strategy called on one victim as
 * fast as it goes, with the victim really called between flips and
 * nothing else around.  They are the yardstick a storm's toggle rate is
 * compared with (write "strategy=NAME seconds=N" to bench, read it back).
 * Not while a storm runs: the two would measure each other.
 *
 * "hist=N" measures what a latency sample costs instead: N calls of
 * ps_hist_record() against N turns of the same loop without it, best of
 * a few rounds (read back hist_ns_per_sample and its parts).
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mutex.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include "engine/engine.h"
#include "latency/latency.h"

static char ps_bench_result[256];
static u64 ps_bench_sink;	/* the victim's result goes somewhere */

/*
 * Strategy @s's own ops on one target, victim_key (it serves every
 * strategy that flips functions; a tracepoint strategy takes
 * tp:sched_switch), or the one the strategy names (static-key-ref:
 * victim_keyref, a bare static_branch_inc/dec loop of one holder), with
 * no bracket and no detector: the bare API.  Its handler
 * hits land on this CPU (the bench thread is bound and calls the victim
 * itself) and are taken back out of the storm counters afterwards.
 */
static int ps_bench_run(unsigned int s, unsigned int seconds)
{
	const struct ps_strategy *ops = ps_strategies[s];
	struct ps_strat_state *st;
	struct ps_config *cfg;
	struct ps_target *t;
	const char *name = ops->bench_target ?: "victim_key";
	u64 start, end, flips = 0, hits0, hits;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!st || !t || !cfg) {
		ret = -ENOMEM;
		goto out;
	}
	*cfg = ps_cfg;
	cfg->strategies = BIT(s);
	ret = ps_target_resolve(name, cfg, t, true);
	/* the one kind of target a strategy may take instead: a tracepoint */
	if (!ret && !(t->strats & BIT(s)))
		ret = ps_target_resolve("tp:sched_switch", cfg, t, true);
	if (!ret && !(t->strats & BIT(s))) {
		ps_error("bench: %s takes neither %s nor tp:sched_switch",
			 ps_strategy_names[s], name);
		ret = -EINVAL;
	}
	if (ret)
		goto out;
	st->ops = ops;
	st->sid = s;
	st->nr = 1;
	st->tgt[0] = t;
	st->idx[0] = -1;
	ret = ops->setup(st);
	if (ret)
		goto out;
	hits0 = this_cpu_read(ps_counters.hits[s]);
	start = ktime_get_ns();
	end = start + (u64)seconds * NSEC_PER_SEC;
	do {
		ret = ops->toggle(st, 0, 1, !st->on[0]);
		if (ret)
			break;
		flips++;
		if (t->victim)
			WRITE_ONCE(ps_bench_sink,
				   t->victim->fn(READ_ONCE(t->victim->arg)));
		cond_resched_tasks_rcu_qs();
	} while (ktime_get_ns() < end && !fatal_signal_pending(current));
	end = ktime_get_ns();
	if (st->on[0])
		ops->toggle(st, 0, 1, false);
	ops->teardown(st);
	hits = this_cpu_read(ps_counters.hits[s]) - hits0;
	this_cpu_sub(ps_counters.hits[s], hits);
	if (!ret)
		scnprintf(ps_bench_result, sizeof(ps_bench_result),
			  "strategy=%s\nflips=%llu\nns=%llu\nrate=%llu\nhits=%llu\n",
			  ps_strategy_names[s], flips, end - start,
			  div64_u64(flips * NSEC_PER_SEC, end - start), hits);
out:
	kfree(cfg);
	kfree(t);
	kfree(st);
	return ret;
}

struct ps_bench_req {
	unsigned int s;
	unsigned int seconds;
	int ret;
	struct completion done;
};

static int ps_bench_thread(void *arg)
{
	struct ps_bench_req *req = arg;

	req->ret = ps_bench_run(req->s, req->seconds);
	complete(&req->done);
	/* exit only through kthread_stop(), which waits for it */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * On the CPU where the first toggler of a storm with default placement
 * would run, in a kthread like it, so the two are measured alike.
 */
static int ps_bench_on_toggler_cpu(unsigned int s, unsigned int seconds)
{
	struct ps_bench_req req = { .s = s, .seconds = seconds };
	struct task_struct *t;

	init_completion(&req.done);
	t = ps_kthread_start(ps_bench_thread, &req, cpumask_first(cpu_online_mask),
			     "ps_bench");
	if (IS_ERR(t))
		return PTR_ERR(t);
	wait_for_completion(&req.done);
	kthread_stop(t);
	return req.ret;
}

#define PS_BENCH_HIST_ROUNDS	10
#define PS_BENCH_HIST_CHUNK	4096

/*
 * A spread of latencies, 64 ns .. ~8 ms, so the samples land in many
 * buckets as real ones do (xorshift64, cheap next to what is measured).
 */
static inline u64 ps_bench_next_value(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return ((*x & 0xffff) << ((*x >> 16) & 7)) | 64;
}

/* One round: @n turns of the loop, each recording or not; its ns. */
static u64 ps_bench_hist_round(u64 n, bool record)
{
	u64 x = 0x9e3779b97f4a7c15ULL, v, done, i, t0;

	t0 = ktime_get_ns();
	for (done = 0; done < n; done += PS_BENCH_HIST_CHUNK) {
		for (i = 0; i < PS_BENCH_HIST_CHUNK && done + i < n; i++) {
			v = ps_bench_next_value(&x);
			if (record)
				ps_hist_record(PS_H_STALL, v);
			else
				WRITE_ONCE(ps_bench_sink, v);
		}
		cond_resched();
	}
	return ktime_get_ns() - t0;
}

/* ns per turn of @n in @ns, as "integer.three decimals" */
static int ps_bench_per(char *buf, size_t len, const char *name, u64 ns, u64 n)
{
	u64 ps = div64_u64(ns * 1000, n);

	return scnprintf(buf, len, "%s=%llu.%03llu\n", name, div_u64(ps, 1000),
			 ps % 1000);
}

/*
 * "hist=N": the cost of one histogram sample, as the hammers pay it for
 * every call (stall histogram, per-CPU, preemption off).  It records into
 * the stall histogram, so it needs them all empty (after insmod or a
 * reset) and empties them again afterwards.
 */
static int ps_bench_hist(u64 n)
{
	u64 with = U64_MAX, without = U64_MAX, diff;
	unsigned int r, id;
	size_t len = sizeof(ps_bench_result), off;

	for (id = 0; id < PS_NR_HISTS; id++) {
		if (ps_hist_count(id)) {
			ps_error("bench: hist= needs empty histograms (write reset to control)");
			return -EBUSY;
		}
	}
	for (r = 0; r < PS_BENCH_HIST_ROUNDS; r++) {
		without = min(without, ps_bench_hist_round(n, false));
		with = min(with, ps_bench_hist_round(n, true));
		if (fatal_signal_pending(current))
			break;
	}
	ps_hist_reset();
	diff = with > without ? with - without : 0;
	off = scnprintf(ps_bench_result, len,
			"hist_samples=%llu\nhist_rounds=%u\nhist_ns_without=%llu\nhist_ns_with=%llu\n",
			n, PS_BENCH_HIST_ROUNDS, without, with);
	off += ps_bench_per(ps_bench_result + off, len - off,
			    "hist_ns_per_loop", without, n);
	off += ps_bench_per(ps_bench_result + off, len - off,
			    "hist_ns_per_loop_recording", with, n);
	ps_bench_per(ps_bench_result + off, len - off, "hist_ns_per_sample",
		     diff, n);
	return 0;
}

/*
 * "strategy=NAME seconds=N": run one bare loop, keep its figures.
 * "hist=N": time N histogram samples (see ps_bench_hist()).
 */
int ps_bench_write(char *text)
{
	unsigned int seconds = 5;
	int s = -1, ret;
	u64 hist = 0;
	char *word, *val;

	while ((word = strsep(&text, " \t\n")) != NULL) {
		if (!*word)
			continue;
		val = strchr(word, '=');
		if (!val)
			goto bad;
		*val++ = '\0';
		if (!strcmp(word, "strategy")) {
			s = ps_strategy_lookup(val);
			if (s < 0)
				goto bad;
		} else if (!strcmp(word, "hist")) {
			if (kstrtou64(val, 0, &hist) || !hist ||
			    hist > 100000000)
				goto bad;
		} else if (!strcmp(word, "seconds")) {
			if (kstrtouint(val, 0, &seconds) || !seconds ||
			    seconds > 600)
				goto bad;
		} else {
			goto bad;
		}
	}
	if (s < 0 && !hist)
		goto bad;
	if (s >= 0 && hist)
		goto bad;
	mutex_lock(&ps_lock);
	if (ps_state() == PS_RUNNING) {
		ps_error("bench: not while a storm runs");
		ret = -EBUSY;
	} else if (hist) {
		ret = ps_bench_hist(hist);
	} else {
		ret = ps_bench_on_toggler_cpu(s, seconds);
	}
	mutex_unlock(&ps_lock);
	return ret;
bad:
	ps_error("bench: write 'strategy=<strategy> seconds=<1..600>' or 'hist=<N>'");
	return -EINVAL;
}

int ps_bench_show(char *buf, size_t len)
{
	return scnprintf(buf, len, "%s", ps_bench_result);
}
