// SPDX-License-Identifier: GPL-2.0
/*
 * Patch sites and the sampler that watches them.
 *
 * At storm start every target contributes its sites: the ftrace call
 * site, where the arch has them (CALL_OPS) the call site's ftrace_ops
 * literal, the instruction its kprobes replace, and for keyed victims the
 * static key's jump label (found in this module's own jump table).
 * Sampler threads read each site with naturally aligned loads, as the
 * instruction fetch would, and classify every read with the arch decoder
 * (decode.h).  A torn read or a mixed pair is an anomaly.
 *
 * A site can only be in transition while it is being written, so the
 * samplers spin while a toggler is in a toggle and executing on another
 * CPU (not asleep in it, say waiting for an RCU-tasks grace period, and
 * not preempted on the sampler's own CPU, where it writes nothing while
 * the sampler runs), and otherwise make a pass as each toggle begins and
 * one every sampler_idle_us, which still finds a site left torn or one
 * written behind the storm's back.  A sampler that always spun would
 * take the vCPU time that QEMU, running all vCPUs on one host thread,
 * gives the hammers while the togglers' CPUs are idle.
 * sampler_idle_us=0 spins always.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/jump_label.h>
#include <linux/tracepoint.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "detectors/detectors.h"
#include "arch/arch.h"

#define PS_MAX_SITES	(4 * PS_MAX_TARGETS)
/* ftrace_list_ops and an ops per ftrace strategy and toggler */
#define PS_MAX_OPS	(1 + 2 * PS_MAX_THREADS)

struct ps_site {
	enum ps_site_kind kind;
	int target;
	unsigned long addr;
	unsigned int len;
	unsigned long dest;			/* jump labels: the one target */
	u8 orig[PS_SITE_MAX_BYTES];
	atomic64_t counts[PS_NR_CLASSES];
};

static struct ps_site ps_sites[PS_MAX_SITES];
/* written before the samplers start, then only grown (ps_sites_add_kprobe) */
static unsigned int ps_nr_sites;
static DEFINE_SPINLOCK(ps_sites_lock);

/* How many sites there are; each one counted is complete. */
static unsigned int ps_sites_nr(void)
{
	/* pairs with the release in ps_sites_add_kprobe() */
	return smp_load_acquire(&ps_nr_sites);
}

/* what ftrace may write into an ftrace_ops literal, besides its "off" */
static u64 ps_ops_on[PS_MAX_OPS];
static unsigned int ps_nr_ops_on;
static struct task_struct *ps_samplers[PS_MAX_THREADS];
static unsigned int ps_nr_samplers;
/* each toggler's task while it is in a toggle, by slot (its id) */
static struct task_struct *ps_patchers[PS_MAX_THREADS];
static unsigned int ps_run_togglers;
/* toggles in flight, begun, and the idle samplers waiting for the next */
static atomic_t ps_patching = ATOMIC_INIT(0);
static atomic_t ps_patch_begins = ATOMIC_INIT(0);
/*
 * sampler passes, those after which it slept (nothing was changing), and
 * the CPU time of the samplers that have ended: what they cost
 */
static atomic64_t ps_sampler_passes, ps_sampler_sleeps, ps_sampler_ns;
/* passes a hammer made, and passes that a write was in flight all through */
static atomic64_t ps_hammer_passes, ps_inflight_passes;
/* hammers sample too (samplers > 0) */
static bool ps_hammers_sample;
static DECLARE_WAIT_QUEUE_HEAD(ps_sampler_wq);

/* A write to some site begins: idle samplers make a pass now. */
void ps_sites_wake_samplers(void)
{
	atomic_inc(&ps_patch_begins);
	/* orders the count before the sleeper check; pairs with the wait */
	if (wq_has_sleeper(&ps_sampler_wq))
		wake_up(&ps_sampler_wq);
}

/* The toggler in slot @slot begins a toggle: it may write sites now. */
void ps_sites_patch_begin(unsigned int slot)
{
	WRITE_ONCE(ps_patchers[slot], current);
	atomic_inc(&ps_patching);
	ps_sites_wake_samplers();
}

void ps_sites_patch_end(unsigned int slot)
{
	atomic_dec(&ps_patching);
	WRITE_ONCE(ps_patchers[slot], NULL);
}

/* Is @p executing on a CPU now?  Not the caller's: the caller is. */
static bool ps_task_on_cpu(const struct task_struct *p)
{
#ifdef CONFIG_SMP
	return READ_ONCE(p->on_cpu);
#else
	return false;
#endif
}

/*
 * Can a sampler see a site change now: is a toggler in a toggle and
 * executing on another CPU?  A runnable one waiting for the sampler's
 * own CPU writes nothing until the sampler lets go of it.  The togglers'
 * tasks outlive the samplers (the engine stops the samplers first).
 */
static bool ps_sites_changing(void)
{
	struct task_struct *p;
	unsigned int i;

	if (!atomic_read(&ps_patching))
		return false;
	for (i = 0; i < ps_run_togglers; i++) {
		p = READ_ONCE(ps_patchers[i]);
		if (p && ps_task_on_cpu(p))
			return true;
	}
	return false;
}

static const char *const ps_site_kind_names[PS_NR_SITE_KINDS] = {
	[PS_SITE_FTRACE] = "ftrace",
	[PS_SITE_KPROBE] = "kprobe",
	[PS_SITE_JUMP] = "jump",
	[PS_SITE_OPS] = "ops",
};

static void ps_site_add(enum ps_site_kind kind, int target, unsigned long addr,
			unsigned int len, unsigned long dest)
{
	struct ps_site *site;

	if (ps_nr_sites >= PS_MAX_SITES || !len || len > PS_SITE_MAX_BYTES)
		return;
	site = &ps_sites[ps_nr_sites];
	memset(site, 0, sizeof(*site));
	site->kind = kind;
	site->target = target;
	site->addr = addr;
	site->len = len;
	site->dest = dest;
	if (copy_from_kernel_nofault(site->orig, (void *)addr, len))
		return;
	ps_nr_sites++;
}

/*
 * An ftrace_ops the storm registers: ftrace may write its address into
 * the ops literal of any site it traces.  Called by the strategies'
 * setup, after ps_sites_init() and before the samplers start.
 */
void ps_sites_allow_ops(const void *ops)
{
	if (ps_nr_ops_on < PS_MAX_OPS)
		ps_ops_on[ps_nr_ops_on++] = (unsigned long)ops;
	ps_dests_add_ops(ops);
}

/*
 * A tracepoint's jump labels, in the kernel's own jump table: where its
 * static key is tested, all over the kernel (at most a few per key).
 */
static void ps_sites_add_tracepoint(unsigned int t, struct tracepoint *tp)
{
	const struct jump_entry *e, *start, *stop;
	unsigned long addr;
	unsigned int n = 0;

	start = (const void *)ps_symbol_addr("__start___jump_table");
	stop = (const void *)ps_symbol_addr("__stop___jump_table");
	if (!start || !stop)
		return;
	for (e = start; e < stop && n < 4; e++) {
		/* tp->key is a struct static_key_false from 7.x on */
		if ((const void *)jump_entry_key(e) != (const void *)&tp->key)
			continue;
		addr = jump_entry_code(e);
		ps_site_add(PS_SITE_JUMP, t, addr, ps_arch_jump_site_len(addr),
			    jump_entry_target(e));
		n++;
	}
}

/*
 * Sites of the storm's targets, of the kinds (enum ps_site_kind bits) the
 * configured strategies write; called at start, before anything is armed.
 */
void ps_sites_init(unsigned int kinds, unsigned int togglers)
{
	struct module *mod = THIS_MODULE;
	unsigned long addr = 0, slot, list_ops;
	unsigned int i, j, len;

	ps_nr_sites = 0;
	ps_nr_ops_on = 0;
	memset(ps_patchers, 0, sizeof(ps_patchers));
	ps_run_togglers = togglers;
	ps_dests_init();
	/* several ops on one site: ftrace_list_ops (not exported) */
	list_ops = ps_symbol_addr("ftrace_list_ops");
	if (list_ops)
		ps_sites_allow_ops((void *)list_ops);
	for (i = 0; i < ps_run.nr_targets; i++) {
		const struct ps_target *t = &ps_run.targets[i];

		if (t->tp) {
			if (kinds & BIT(PS_SITE_JUMP))
				ps_sites_add_tracepoint(i, t->tp);
			continue;
		}
		if (ps_arch_ftrace_site(t->addr, &addr, &len)) {
			if (kinds & BIT(PS_SITE_FTRACE))
				ps_site_add(PS_SITE_FTRACE, i, addr, len, 0);
			if ((kinds & BIT(PS_SITE_OPS)) && list_ops &&
			    ps_arch_ftrace_ops_slot(t->addr, &slot))
				ps_site_add(PS_SITE_OPS, i, slot, 8, 0);
		} else {
			len = 0;
		}
		/* a kprobe on the ftrace site itself is ftrace-based */
		if ((kinds & BIT(PS_SITE_KPROBE)) && t->kprobe_addr - addr >= len)
			ps_site_add(PS_SITE_KPROBE, i, t->kprobe_addr,
				    ps_arch_kprobe_site_len(t->kprobe_addr), 0);
		if (!(kinds & BIT(PS_SITE_JUMP)) || !t->victim ||
		    t->victim->key < 0)
			continue;
		for (j = 0; j < mod->num_jump_entries; j++) {
			struct jump_entry *e = &mod->jump_entries[j];

			if (jump_entry_key(e) !=
			    &ps_victim_keys[t->victim->key].key)
				continue;
			addr = jump_entry_code(e);
			ps_site_add(PS_SITE_JUMP, i, addr,
				    ps_arch_jump_site_len(addr),
				    jump_entry_target(e));
		}
	}
}

/* An injection's own site: @func's ftrace site (and ops literal), no target. */
void ps_sites_add_func(unsigned long func)
{
	unsigned long addr;
	unsigned int len;

	if (ps_arch_ftrace_site(func, &addr, &len))
		ps_site_add(PS_SITE_FTRACE, -1, addr, len, 0);
	if (ps_nr_ops_on && ps_arch_ftrace_ops_slot(func, &addr))
		ps_site_add(PS_SITE_OPS, -1, addr, 8, 0);
}

/*
 * A kprobe about to be armed where the target's own probe is not
 * (kprobe_walk): sampled too, from now on.  Called before it is armed,
 * so the bytes read are the original instruction.  The entry is complete
 * before the count that makes the samplers read it.
 */
void ps_sites_add_kprobe(unsigned int t, unsigned long addr)
{
	struct ps_site *site;
	unsigned long flags;
	unsigned int i, n;

	spin_lock_irqsave(&ps_sites_lock, flags);
	n = ps_nr_sites;
	for (i = 0; i < n; i++)
		if (ps_sites[i].kind == PS_SITE_KPROBE && ps_sites[i].addr == addr)
			goto out;
	if (n >= PS_MAX_SITES)
		goto out;
	site = &ps_sites[n];
	memset(site, 0, sizeof(*site));
	site->kind = PS_SITE_KPROBE;
	site->target = t;
	site->addr = addr;
	site->len = ps_arch_kprobe_site_len(addr);
	if (site->len > PS_SITE_MAX_BYTES ||
	    copy_from_kernel_nofault(site->orig, (void *)addr, site->len))
		goto out;
	/* the entry before the count: pairs with ps_sites_nr() */
	smp_store_release(&ps_nr_sites, n + 1);
out:
	spin_unlock_irqrestore(&ps_sites_lock, flags);
}

static const char *ps_site_target(const struct ps_site *s)
{
	return s->target >= 0 ? ps_run.targets[s->target].name : "victim_cold";
}

/* A call or jump read at @site that goes where nothing legal does? */
static bool ps_site_wrong_dest(const struct ps_site *site, const u8 *cur)
{
	unsigned long dest;

	if (!ps_arch_dest(site->kind, cur, site->len, site->addr, &dest))
		return false;
	if (site->kind == PS_SITE_JUMP)
		return site->dest && dest != site->dest;
	return site->kind == PS_SITE_FTRACE && !ps_dest_ftrace_legal(dest);
}

/* Read a site as its user would, into @cur, and classify what was read. */
static enum ps_site_class ps_site_read(const struct ps_site *site, u8 *cur)
{
	enum ps_site_class c;
	u64 v, off;

	if (site->kind != PS_SITE_OPS) {
		ps_arch_read_site(site->addr, site->len, cur);
		c = ps_arch_classify(site->kind, cur, site->orig, site->len);
		if (c == PS_CLASS_ON && ps_site_wrong_dest(site, cur))
			c = PS_CLASS_WRONG_DEST;
		return c;
	}
	/* one aligned 8-byte load, as ftrace_caller's */
	v = READ_ONCE(*(u64 *)site->addr);
	memcpy(cur, &v, sizeof(v));
	memcpy(&off, site->orig, sizeof(off));
	return ps_ops_classify(v, off, ps_ops_on, ps_nr_ops_on);
}

static u64 ps_site_bytes(const struct ps_site *site, const u8 *cur)
{
	u64 bytes = 0;
	unsigned int i;

	for (i = 0; i < site->len; i++)
		bytes = bytes << 8 | cur[i];
	return bytes;
}

/*
 * The state of target @t's site of @kind now (enum ps_site_class), its
 * address and bytes; -1 if it has none.  With several (a key's jump
 * labels), the first that is not @want, else @want.
 */
int ps_sites_class_of(unsigned int t, unsigned int kind, int want,
		      unsigned long *addr, u64 *bytes)
{
	u8 cur[PS_SITE_MAX_BYTES];
	unsigned int i, n = ps_sites_nr();
	int c, found = -1;

	for (i = 0; i < n; i++) {
		const struct ps_site *site = &ps_sites[i];

		if (site->target != t || site->kind != kind)
			continue;
		/* a walking kprobe's sites are no target's own */
		if (kind == PS_SITE_KPROBE &&
		    site->addr != ps_run.targets[t].kprobe_addr)
			continue;
		c = ps_site_read(site, cur);
		*addr = site->addr;
		*bytes = ps_site_bytes(site, cur);
		if (c != want)
			return c;
		found = c;
	}
	return found;
}

/*
 * Where kprobes are optimized after the API returned (ps_arch.async_sites:
 * x86's optprobes), a probe becomes a 5-byte jump over the bytes after
 * it: a walking kprobe's site within 4 bytes after another's may show the
 * jump's offset, old or new, and is no torn site.
 */
#define PS_OPTPROBE_JUMP_BYTES	5

static bool ps_site_under_jump(const struct ps_site *site)
{
	unsigned int i, n = ps_sites_nr();

	if (site->kind != PS_SITE_KPROBE ||
	    !(ps_arch.async_sites & BIT(PS_SITE_KPROBE)))
		return false;
	for (i = 0; i < n; i++)
		if (ps_sites[i].kind == PS_SITE_KPROBE &&
		    ps_sites[i].addr < site->addr &&
		    site->addr - ps_sites[i].addr < PS_OPTPROBE_JUMP_BYTES)
			return true;
	return false;
}

static void ps_site_sample(struct ps_site *site)
{
	u8 cur[PS_SITE_MAX_BYTES];
	enum ps_site_class c;

	c = ps_site_read(site, cur);
	if (c == PS_CLASS_TORN && ps_site_under_jump(site))
		c = PS_CLASS_TRANSIENT;
	atomic64_inc(&site->counts[c]);
	if (c == PS_CLASS_TORN || c == PS_CLASS_MIXED ||
	    c == PS_CLASS_WRONG_DEST)
		ps_anomaly(c == PS_CLASS_TORN ? PS_A_TORN :
			   c == PS_CLASS_MIXED ? PS_A_MIXED_PAIR : PS_A_WRONG_TARGET,
			   site->target, site->addr, ps_site_bytes(site, cur), -1,
			   0, site->kind);
}

/*
 * Nothing being written: sleep until a toggle begins after the count
 * @begins was read (before looking), or @idle passes.
 */
static void ps_sampler_wait(int begins, ktime_t idle)
{
	wait_event_interruptible_hrtimeout(ps_sampler_wq,
					   atomic_read(&ps_patch_begins) != begins ||
					   kthread_should_stop(), idle);
}

/*
 * One pass over every site.  In flight if a toggler on another CPU was
 * writing from its start to its end: the reads that can catch a write
 * half done.
 */
static void ps_sites_pass(atomic64_t *count)
{
	bool before = ps_sites_changing();
	unsigned int i, n = ps_sites_nr();

	for (i = 0; i < n; i++)
		ps_site_sample(&ps_sites[i]);
	atomic64_inc(count);
	if (before && ps_sites_changing())
		atomic64_inc(&ps_inflight_passes);
}

/*
 * From a hammer, between its calls: a pass while a toggler on another
 * CPU writes.  The samplers share the togglers' CPUs, so with a single
 * toggler CPU they never run while it writes; the hammers' CPUs do.
 */
void ps_sites_hammer_pass(void)
{
	if (!READ_ONCE(ps_hammers_sample) || !ps_sites_changing())
		return;
	ps_sites_pass(&ps_hammer_passes);
}

static int ps_sampler_fn(void *arg)
{
	unsigned int passes = 0, rest = ps_run.cfg.sampler_rest_us;
	int begins;
	ktime_t idle = ns_to_ktime((u64)ps_run.cfg.sampler_idle_us * NSEC_PER_USEC);

	/* it shares the togglers' CPUs: take only the time they leave idle */
	set_user_nice(current, MAX_NICE);
	while (!kthread_should_stop()) {
		begins = atomic_read(&ps_patch_begins);
		ps_sites_pass(&ps_sampler_passes);
		/*
		 * Every pass: an ftrace_ops unregister waits for an RCU-tasks
		 * quiescent state from every task, this one included.
		 */
		cond_resched_tasks_rcu_qs();
		if (idle && !ps_sites_changing()) {
			atomic64_inc(&ps_sampler_sleeps);
			ps_sampler_wait(begins, idle);
			continue;
		}
		/*
		 * sampler_rest_us: where vCPUs share one host thread (QEMU
		 * thread=single) a spinning sampler eats the hammers' time;
		 * a short rest every few passes gives it back.
		 */
		if (rest && !(++passes & 3))
			usleep_range(rest, 2 * rest);
	}
	atomic64_add(current->se.sum_exec_runtime, &ps_sampler_ns);
	return 0;
}

int ps_samplers_start(unsigned int n, const struct cpumask *mask)
{
	struct task_struct *t;
	unsigned int i, w = cpumask_weight(mask);

	ps_nr_samplers = 0;
	atomic64_set(&ps_sampler_passes, 0);
	atomic64_set(&ps_sampler_sleeps, 0);
	atomic64_set(&ps_sampler_ns, 0);
	atomic64_set(&ps_hammer_passes, 0);
	atomic64_set(&ps_inflight_passes, 0);
	WRITE_ONCE(ps_hammers_sample, n && ps_nr_sites);
	for (i = 0; i < n && ps_nr_sites; i++) {
		t = ps_kthread_start(ps_sampler_fn, NULL, cpumask_nth(i % w, mask),
				     "ps_sampler/%u", i);
		if (IS_ERR(t)) {
			ps_samplers_stop();
			return PTR_ERR(t);
		}
		ps_samplers[ps_nr_samplers++] = t;
	}
	return 0;
}

void ps_samplers_stop(void)
{
	unsigned int i;

	WRITE_ONCE(ps_hammers_sample, false);
	for (i = 0; i < ps_nr_samplers; i++) {
		/* back from MAX_NICE, to be sure it runs to see the stop */
		set_user_nice(ps_samplers[i], 0);
		ps_kthread_stop(&ps_samplers[i]);
	}
	ps_nr_samplers = 0;
}

/* Sampler passes over all sites, and how many ended in a sleep. */
void ps_sampler_counts(u64 *passes, u64 *sleeps)
{
	*passes = atomic64_read(&ps_sampler_passes);
	*sleeps = atomic64_read(&ps_sampler_sleeps);
}

/* Of those passes: the hammers', and those with a write in flight. */
void ps_sampler_flight_counts(u64 *hammer, u64 *inflight)
{
	*hammer = atomic64_read(&ps_hammer_passes);
	*inflight = atomic64_read(&ps_inflight_passes);
}

/* CPU time the samplers used, in ns; counted as each one ends. */
u64 ps_sampler_cpu_ns(void)
{
	return atomic64_read(&ps_sampler_ns);
}

/* Reads per class over all sites, for stats. */
void ps_sites_counts(u64 *counts)
{
	unsigned int i, c;

	for (c = 0; c < PS_NR_CLASSES; c++)
		counts[c] = 0;
	for (i = 0; i < ps_sites_nr(); i++)
		for (c = 0; c < PS_NR_CLASSES; c++)
			counts[c] += atomic64_read(&ps_sites[i].counts[c]);
}

/* debugfs "sites": each site, its bytes now, its class, reads per class. */
int ps_sites_show(char *buf, size_t len)
{
	u8 cur[PS_SITE_MAX_BYTES];
	size_t n = 0;
	unsigned int i, j, c;

	n += scnprintf(buf + n, len - n,
		       "# kind target addr len bytes class off on transient mixed torn wrong-dest\n");
	for (i = 0; i < ps_sites_nr(); i++) {
		const struct ps_site *s = &ps_sites[i];
		enum ps_site_class now = ps_site_read(s, cur);

		n += scnprintf(buf + n, len - n, "%s %s %pS %u ",
			       ps_site_kind_names[s->kind], ps_site_target(s),
			       (void *)s->addr, s->len);
		for (j = 0; j < s->len; j++)
			n += scnprintf(buf + n, len - n, "%02x", cur[j]);
		n += scnprintf(buf + n, len - n, " %s", ps_class_name(now));
		for (c = 0; c < PS_NR_CLASSES; c++)
			n += scnprintf(buf + n, len - n, " %lld",
				       atomic64_read(&s->counts[c]));
		n += scnprintf(buf + n, len - n, "\n");
	}
	return n;
}
