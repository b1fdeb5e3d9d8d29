// SPDX-License-Identifier: GPL-2.0
/*
 * Patch sites and the sampler that watches them.
 *
 * At storm start every target contributes its sites: the ftrace call
 * site, the instruction its kprobes replace, and for keyed victims the
 * static key's jump label (found in this module's own jump table).
 * Sampler threads read each site with naturally aligned loads, as the
 * instruction fetch would, and classify every read with the arch decoder
 * (decode.h).  A torn read or a mixed pair is an anomaly.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/jump_label.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include "patchstorm.h"
#include "decode.h"

#define PS_MAX_SITES	(3 * PS_MAX_TARGETS)

struct ps_site {
	enum ps_site_kind kind;
	int target;
	unsigned long addr;
	unsigned int len;
	u8 orig[PS_SITE_MAX_BYTES];
	u8 last[PS_SITE_MAX_BYTES];
	atomic64_t counts[PS_NR_CLASSES];
};

static struct ps_site ps_sites[PS_MAX_SITES];
static unsigned int ps_nr_sites;
static struct task_struct *ps_samplers[PS_MAX_THREADS];
static unsigned int ps_nr_samplers;

static const char *const ps_site_kind_names[PS_NR_SITE_KINDS] = {
	[PS_SITE_FTRACE] = "ftrace",
	[PS_SITE_KPROBE] = "kprobe",
	[PS_SITE_JUMP] = "jump",
};

static void ps_site_add(enum ps_site_kind kind, int target, unsigned long addr,
			unsigned int len)
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
	if (copy_from_kernel_nofault(site->orig, (void *)addr, len))
		return;
	memcpy(site->last, site->orig, len);
	ps_nr_sites++;
}

/* Sites of the storm's targets; called at start, before anything is armed. */
void ps_sites_init(void)
{
	struct module *mod = THIS_MODULE;
	unsigned int i, j, len;
	unsigned long addr = 0;

	ps_nr_sites = 0;
	for (i = 0; i < ps_storm.nr_targets; i++) {
		const struct ps_target *t = &ps_storm.targets[i];

		if (ps_arch_ftrace_site(t->addr, &addr, &len))
			ps_site_add(PS_SITE_FTRACE, i, addr, len);
		else
			len = 0;
		/* a kprobe on the ftrace site itself is ftrace-based */
		if (t->kprobe_addr - addr >= len)
			ps_site_add(PS_SITE_KPROBE, i, t->kprobe_addr,
				    ps_arch_kprobe_site_len(t->kprobe_addr));
		if (!t->victim || t->victim->key < 0)
			continue;
		for (j = 0; j < mod->num_jump_entries; j++) {
			struct jump_entry *e = &mod->jump_entries[j];

			if (jump_entry_key(e) !=
			    &ps_victim_keys[t->victim->key].key)
				continue;
			addr = jump_entry_code(e);
			ps_site_add(PS_SITE_JUMP, i, addr,
				    ps_arch_jump_site_len(addr));
		}
	}
}

/* inject=torn-site: the cold victim's ftrace site, no target of its own */
void ps_sites_add_cold(void)
{
	unsigned long addr;
	unsigned int len;

	if (ps_arch_ftrace_site(ps_victim_cold_addr(), &addr, &len))
		ps_site_add(PS_SITE_FTRACE, -1, addr, len);
}

static const char *ps_site_target(const struct ps_site *s)
{
	return s->target >= 0 ? ps_storm.targets[s->target].name : "victim_cold";
}

static void ps_site_sample(struct ps_site *site)
{
	u8 cur[PS_SITE_MAX_BYTES];
	enum ps_site_class c;

	ps_arch_read_site(site->addr, site->len, cur);
	c = ps_arch_classify(site->kind, cur, site->orig, site->len);
	atomic64_inc(&site->counts[c]);
	memcpy(site->last, cur, site->len);
	if (c == PS_CLASS_TORN || c == PS_CLASS_MIXED) {
		u64 bytes = 0;
		unsigned int i;

		for (i = 0; i < site->len; i++)
			bytes = bytes << 8 | cur[i];
		ps_anomaly(c == PS_CLASS_TORN ? "torn" : "mixed-pair",
			   site->target, site->addr, bytes, -1, 0, site->kind);
	}
}

static int ps_sampler_fn(void *arg)
{
	unsigned int i, passes = 0, rest = ps_storm.cfg.sampler_rest_us;

	/* it shares the togglers' CPUs: take only the time they leave idle */
	set_user_nice(current, MAX_NICE);
	while (!kthread_should_stop()) {
		for (i = 0; i < ps_nr_sites; i++)
			ps_site_sample(&ps_sites[i]);
		/*
		 * sampler_rest_us: where vCPUs share one host thread (QEMU
		 * thread=single) a spinning sampler eats the hammers' time;
		 * a short rest every few passes gives it back.
		 */
		if (rest && !(++passes & 3))
			usleep_range(rest, 2 * rest);
		/*
		 * Every pass: an ftrace_ops unregister waits for an RCU-tasks
		 * quiescent state from every task, this one included.
		 */
		cond_resched_tasks_rcu_qs();
	}
	return 0;
}

int ps_samplers_start(unsigned int n, const struct cpumask *mask)
{
	struct task_struct *t;
	unsigned int i, w = cpumask_weight(mask);

	ps_nr_samplers = 0;
	for (i = 0; i < n && ps_nr_sites; i++) {
		t = kthread_create(ps_sampler_fn, NULL, "ps_sampler/%u", i);
		if (IS_ERR(t)) {
			ps_samplers_stop();
			return PTR_ERR(t);
		}
		kthread_bind(t, cpumask_nth(i % w, mask));
		wake_up_process(t);
		ps_samplers[ps_nr_samplers++] = t;
	}
	return 0;
}

void ps_samplers_stop(void)
{
	unsigned int i;

	for (i = 0; i < ps_nr_samplers; i++)
		kthread_stop(ps_samplers[i]);
	ps_nr_samplers = 0;
}

/* Reads per class over all sites, for stats. */
void ps_sites_counts(u64 *counts)
{
	unsigned int i, c;

	for (c = 0; c < PS_NR_CLASSES; c++)
		counts[c] = 0;
	for (i = 0; i < ps_nr_sites; i++)
		for (c = 0; c < PS_NR_CLASSES; c++)
			counts[c] += atomic64_read(&ps_sites[i].counts[c]);
}

const char *ps_site_class_name(unsigned int c)
{
	return ps_class_name(c);
}

/* debugfs "sites": each site, its bytes now, its class, reads per class. */
int ps_sites_show(char *buf, size_t len)
{
	u8 cur[PS_SITE_MAX_BYTES];
	size_t n = 0;
	unsigned int i, j, c;

	n += scnprintf(buf + n, len - n,
		       "# kind target addr len bytes class off on transient mixed torn\n");
	for (i = 0; i < ps_nr_sites; i++) {
		const struct ps_site *s = &ps_sites[i];

		ps_arch_read_site(s->addr, s->len, cur);
		n += scnprintf(buf + n, len - n, "%s %s %pS %u ",
			       ps_site_kind_names[s->kind], ps_site_target(s),
			       (void *)s->addr, s->len);
		for (j = 0; j < s->len; j++)
			n += scnprintf(buf + n, len - n, "%02x", cur[j]);
		n += scnprintf(buf + n, len - n, " %s",
			       ps_class_name(ps_arch_classify(s->kind, cur,
							      s->orig, s->len)));
		for (c = 0; c < PS_NR_CLASSES; c++)
			n += scnprintf(buf + n, len - n, " %lld",
				       atomic64_read(&s->counts[c]));
		n += scnprintf(buf + n, len - n, "\n");
	}
	return n;
}
