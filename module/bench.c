// SPDX-License-Identifier: GPL-2.0
/*
 * Bare loops: the patching API of one strategy called on one victim as
 * fast as it goes, with the victim really called between flips and
 * nothing else around.  They are the yardstick a storm's toggle rate is
 * compared with (write "strategy=NAME seconds=N" to bench, read it back).
 * Not while a storm runs: the two would measure each other.
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

/* "strategy=NAME seconds=N": run one bare loop, keep its figures. */
int ps_bench_write(char *text)
{
	unsigned int seconds = 5, i;
	int s = -1, ret;
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
		} else if (!strcmp(word, "seconds")) {
			if (kstrtouint(val, 0, &seconds) || !seconds ||
			    seconds > 600)
				goto bad;
		} else {
			goto bad;
		}
	}
	if (s < 0)
		goto bad;
	mutex_lock(&ps_lock);
	if (ps_state() == PS_RUNNING) {
		ps_error("bench: not while a storm runs");
		ret = -EBUSY;
	} else {
		ret = ps_bench_on_toggler_cpu(s, seconds);
	}
	mutex_unlock(&ps_lock);
	return ret;
bad:
	ps_error("bench: write 'strategy=<base strategy> seconds=<1..600>'");
	return -EINVAL;
}

int ps_bench_show(char *buf, size_t len)
{
	return scnprintf(buf, len, "%s", ps_bench_result);
}
