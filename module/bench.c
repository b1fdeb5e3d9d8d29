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
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mutex.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include "patchstorm.h"

static char ps_bench_result[256];
static unsigned long ps_bench_hits;
static u64 ps_bench_sink;	/* the victim's result goes somewhere */

static void notrace ps_bench_ftrace_func(unsigned long ip,
					 unsigned long parent_ip,
					 struct ftrace_ops *op,
					 struct ftrace_regs *fregs)
{
	ps_bench_hits++;
}

static int ps_bench_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	ps_bench_hits++;
	return 0;
}

struct ps_bench {
	struct ftrace_ops ops;
	struct kprobe kp;
	const struct ps_victim *v;
	unsigned long addr;
	unsigned long kprobe_addr;
};

static void ps_bench_kprobe_init(struct ps_bench *b)
{
	memset(&b->kp, 0, sizeof(b->kp));
	b->kp.addr = (kprobe_opcode_t *)b->kprobe_addr;
	b->kp.pre_handler = ps_bench_kprobe_pre;
}

static int ps_bench_setup(struct ps_bench *b, enum ps_strat s)
{
	int ret = 0;

	b->ops.func = ps_bench_ftrace_func;
	switch (s) {
	case PS_FTRACE_FILTER:
		ret = ftrace_set_filter_ip(&b->ops, ps_victim_anchor_addr(), 0, 0);
		if (!ret)
			ret = register_ftrace_function(&b->ops);
		break;
	case PS_FTRACE_OPS:
		ret = ftrace_set_filter_ip(&b->ops, b->addr, 0, 0);
		break;
	case PS_KPROBE_ARM:
		ps_bench_kprobe_init(b);
		b->kp.flags = KPROBE_FLAG_DISABLED;
		ret = register_kprobe(&b->kp);
		break;
	default:
		break;
	}
	return ret;
}

static void ps_bench_teardown(struct ps_bench *b, enum ps_strat s)
{
	switch (s) {
	case PS_FTRACE_FILTER:
		unregister_ftrace_function(&b->ops);
		break;
	case PS_KPROBE_ARM:
		unregister_kprobe(&b->kp);
		break;
	default:
		break;
	}
	ftrace_free_filter(&b->ops);
}

static int ps_bench_flip(struct ps_bench *b, enum ps_strat s, bool on)
{
	int key = b->v->key;

	switch (s) {
	case PS_FTRACE_FILTER:
		return ftrace_set_filter_ip(&b->ops, b->addr, !on, 0);
	case PS_FTRACE_OPS:
		return on ? register_ftrace_function(&b->ops) :
			    unregister_ftrace_function(&b->ops);
	case PS_KPROBE_ARM:
		return on ? enable_kprobe(&b->kp) : disable_kprobe(&b->kp);
	case PS_KPROBE_REGISTER:
		if (!on) {
			unregister_kprobe(&b->kp);
			return 0;
		}
		ps_bench_kprobe_init(b);
		return register_kprobe(&b->kp);
	case PS_STATIC_KEY:
		if (on)
			static_branch_enable(&ps_victim_keys[key]);
		else
			static_branch_disable(&ps_victim_keys[key]);
		return 0;
	default:
		return -EINVAL;
	}
}

struct ps_bench_req {
	enum ps_strat s;
	unsigned int seconds;
	int ret;
	struct completion done;
};

static int ps_bench_run(enum ps_strat s, unsigned int seconds)
{
	struct ps_bench *b;
	struct ps_target *t;
	u64 start, end, flips = 0;
	bool on = false;
	int ret;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!b || !t) {
		ret = -ENOMEM;
		goto out;
	}
	/* the static-key victim serves every strategy */
	ret = ps_target_resolve("victim_key", BIT(s), ps_cfg.kprobe_offset, t);
	if (ret)
		goto out;
	b->v = t->victim;
	b->addr = t->addr;
	b->kprobe_addr = t->kprobe_addr;
	ret = ps_bench_setup(b, s);
	if (ret)
		goto out;
	ps_bench_hits = 0;
	start = ktime_get_ns();
	end = start + (u64)seconds * NSEC_PER_SEC;
	do {
		ret = ps_bench_flip(b, s, !on);
		if (ret)
			break;
		on = !on;
		flips++;
		WRITE_ONCE(ps_bench_sink, b->v->fn(READ_ONCE(b->v->arg)));
		cond_resched_tasks_rcu_qs();
	} while (ktime_get_ns() < end && !fatal_signal_pending(current));
	end = ktime_get_ns();
	if (on)
		ps_bench_flip(b, s, false);
	ps_bench_teardown(b, s);
	if (!ret)
		scnprintf(ps_bench_result, sizeof(ps_bench_result),
			  "strategy=%s\nflips=%llu\nns=%llu\nrate=%llu\nhits=%lu\n",
			  ps_strat_names[s], flips, end - start,
			  div64_u64(flips * NSEC_PER_SEC, end - start),
			  ps_bench_hits);
out:
	kfree(t);
	kfree(b);
	return ret;
}

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
static int ps_bench_on_toggler_cpu(enum ps_strat s, unsigned int seconds)
{
	struct ps_bench_req req = { .s = s, .seconds = seconds };
	struct task_struct *t;

	init_completion(&req.done);
	t = kthread_create(ps_bench_thread, &req, "ps_bench");
	if (IS_ERR(t))
		return PTR_ERR(t);
	kthread_bind(t, cpumask_first(cpu_online_mask));
	wake_up_process(t);
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
	unsigned int seconds = 5, i;
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
			for (i = 0; i < PS_NR_BASE_STRATS; i++)
				if (!strcmp(val, ps_strat_names[i]))
					s = i;
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
	ps_error("bench: write 'strategy=<base strategy> seconds=<1..600>' or 'hist=<N>'");
	return -EINVAL;
}

int ps_bench_show(char *buf, size_t len)
{
	return scnprintf(buf, len, "%s", ps_bench_result);
}
