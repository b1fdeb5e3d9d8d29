// SPDX-License-Identifier: GPL-2.0
/*
 * lost-write: a broken static-key strategy whose enable reports success
 * but whose write does not stay: once static_branch_enable() returned,
 * the key's jump labels get their old bytes back (a legal state, the
 * wrong one), as when a patcher writes to a stale alias or a second
 * writer undoes the first.  Trips: unexpected-state (and the hammers'
 * stale check, as the victim then runs the old text).
 *
 * lost-direct-write: the same for ftrace-direct: once
 * register_ftrace_direct() returned, the targets' ftrace sites get their
 * old bytes back, while ftrace's records say the direct call is in.
 *
 * The enable's own bytes go back before the next toggle (and when the
 * storm ends): the kernel checks what it replaces (x86's jump-label code
 * BUG()s, ftrace disables itself on a surprise), which is the kernel's
 * own check, not this tool's.
 */
#include <linux/jump_label.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include "strategies/strategies.h"
#include "arch/arch.h"

#define PS_LOST_SITES	8

struct ps_lost_site {
	unsigned long addr;
	unsigned int len;
	u8 bytes[8];
};

/* the sites whose enable was undone, with what the enable wrote */
static struct ps_lost_site ps_lost[PS_LOST_SITES];
static unsigned int ps_nr_lost;
static DEFINE_MUTEX(ps_lost_lock);

/* Caller holds ps_lost_lock. */
static void ps_lost_restore(void)
{
	unsigned int i;

	for (i = 0; i < ps_nr_lost; i++)
		ps_poke(ps_lost[i].addr, ps_lost[i].bytes, ps_lost[i].len);
	ps_nr_lost = 0;
}

/* Add @t's sites that an enable of @sid writes to @old[@n...]. */
static unsigned int ps_lost_sites(unsigned int sid, const struct ps_target *t,
				  struct ps_lost_site *old, unsigned int n)
{
	struct module *mod = THIS_MODULE;
	struct static_key *key;
	unsigned int j;

	if (sid == PS_S_FTRACE_DIRECT) {
		if (n < PS_LOST_SITES &&
		    ps_arch_ftrace_site(t->addr, &old[n].addr, &old[n].len))
			n++;
		return n;
	}
	key = &ps_victim_keys[t->victim->key].key;
	for (j = 0; j < mod->num_jump_entries && n < PS_LOST_SITES; j++) {
		struct jump_entry *e = &mod->jump_entries[j];

		if (jump_entry_key(e) != key)
			continue;
		old[n].addr = jump_entry_code(e);
		old[n].len = ps_arch_jump_site_len(old[n].addr);
		n++;
	}
	return n;
}

static int ps_lost_write_toggle(struct ps_toggle *tog)
{
	struct ps_lost_site old[PS_LOST_SITES];
	unsigned int i, k, n = 0;
	int ret;

	mutex_lock(&ps_lost_lock);
	ps_lost_restore();
	for (i = 0; i < tog->n && tog->enable; i++) {
		k = n;
		n = ps_lost_sites(tog->sid, tog->st->tgt[tog->first + i], old, n);
		for (; k < n; k++)
			memcpy(old[k].bytes, (void *)old[k].addr, old[k].len);
	}
	ret = ps_toggle_plain(tog);
	for (i = 0; i < n && !ret; i++) {
		ps_lost[i].addr = old[i].addr;
		ps_lost[i].len = old[i].len;
		memcpy(ps_lost[i].bytes, (void *)old[i].addr, old[i].len);
		ps_poke(old[i].addr, old[i].bytes, old[i].len);
		ps_nr_lost = i + 1;
	}
	mutex_unlock(&ps_lost_lock);
	return ret;
}

static int ps_lost_check(const char *name)
{
	static const u8 nothing[1];

	if (ps_poke(ps_victim_cold_addr(), nothing, 0)) {
		ps_error("inject=%s: the kernel's patch primitive cannot be reached here",
			 name);
		return -EINVAL;
	}
	return 0;
}

static int ps_lost_write_check(const struct ps_config *cfg)
{
	return ps_lost_check("lost-write");
}

/*
 * Where ftrace writes its sites under stop_machine (riscv 6.12's call
 * pairs), undoing one while the hammers run would tear the pair under
 * them: a crash of this tool's making, not a lost write.
 */
static int ps_lost_direct_write_check(const struct ps_config *cfg)
{
	if (ps_arch_stop_machine_sites() & BIT(PS_SITE_FTRACE)) {
		ps_error("inject=lost-direct-write: %s (caps: ftrace_sites_live=0)",
			 "ftrace sites are written under stop_machine here");
		return -EINVAL;
	}
	return ps_lost_check("lost-direct-write");
}

/* The togglers have stopped: the key's sites as the kernel left them. */
static void ps_lost_write_stop(void)
{
	mutex_lock(&ps_lost_lock);
	ps_lost_restore();
	mutex_unlock(&ps_lost_lock);
}

const struct ps_injection ps_injection_lost_write = {
	.breaks = PS_S_STATIC_KEY,
	.toggle = ps_lost_write_toggle,
	.check_config = ps_lost_write_check,
	.stop = ps_lost_write_stop,
};

const struct ps_injection ps_injection_lost_direct_write = {
	.breaks = PS_S_FTRACE_DIRECT,
	.toggle = ps_lost_write_toggle,
	.check_config = ps_lost_direct_write_check,
	.stop = ps_lost_write_stop,
};
