// SPDX-License-Identifier: GPL-2.0
/*
 * lost-write: a broken static-key strategy whose enable reports success
 * but whose write does not stay: once static_branch_enable() returned,
 * the key's jump labels get their old bytes back (a legal state, the
 * wrong one), as when a patcher writes to a stale alias or a second
 * writer undoes the first.  Trips: unexpected-state (and the hammers'
 * stale check, as the victim then runs the old text).
 *
 * The enable's own bytes go back before the next toggle of the key (and
 * when the storm ends): x86's jump-label code checks what it replaces
 * and BUG()s on a surprise, which is the kernel's own check, not this
 * tool's.
 */
#include <linux/jump_label.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include "strategies/strategies.h"
#include "arch/arch.h"

#define PS_LOST_SITES	8

/* the sites whose enable was undone, with what the enable wrote */
static struct {
	unsigned long addr;
	unsigned int len;
	u8 bytes[8];
} ps_lost[PS_LOST_SITES];
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

static int ps_lost_write_toggle(struct ps_toggle *tog)
{
	struct module *mod = THIS_MODULE;
	struct {
		unsigned long addr;
		unsigned int len;
		u8 bytes[8];
	} old[PS_LOST_SITES];
	unsigned int i, j, n = 0;
	int ret;

	mutex_lock(&ps_lost_lock);
	ps_lost_restore();
	for (i = 0; i < tog->n && tog->enable; i++) {
		const struct ps_target *t = tog->st->tgt[tog->first + i];
		struct static_key *key = &ps_victim_keys[t->victim->key].key;

		for (j = 0; j < mod->num_jump_entries && n < PS_LOST_SITES; j++) {
			struct jump_entry *e = &mod->jump_entries[j];

			if (jump_entry_key(e) != key)
				continue;
			old[n].addr = jump_entry_code(e);
			old[n].len = ps_arch_jump_site_len(old[n].addr);
			memcpy(old[n].bytes, (void *)old[n].addr, old[n].len);
			n++;
		}
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

static int ps_lost_write_check(const struct ps_config *cfg)
{
	static const u8 nothing[1];

	if (!ps_config_runs(cfg, PS_S_STATIC_KEY)) {
		ps_error("inject=lost-write breaks static-key: configure that strategy");
		return -EINVAL;
	}
	if (ps_poke(ps_victim_cold_addr(), nothing, 0)) {
		ps_error("inject=lost-write: the kernel's patch primitive cannot be reached here");
		return -EINVAL;
	}
	return 0;
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
