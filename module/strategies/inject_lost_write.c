// SPDX-License-Identifier: GPL-2.0
/*
 * lost-write: a broken static-key strategy whose enable reports success
 * but whose write does not stay: once static_branch_enable() returned,
 * the key's jump labels get their old bytes back (a legal state, the
 * wrong one), as when a patcher writes to a stale alias or a second
 * writer undoes the first.  Trips: unexpected-state (and the hammers'
 * stale check, as the victim then runs the old text).
 */
#include <linux/jump_label.h>
#include <linux/module.h>
#include <linux/string.h>
#include "strategies/strategies.h"
#include "arch/arch.h"

#define PS_LOST_SITES	4

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
	for (i = 0; i < n && !ret; i++)
		ps_poke(old[i].addr, old[i].bytes, old[i].len);
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

const struct ps_injection ps_injection_lost_write = {
	.breaks = PS_S_STATIC_KEY,
	.toggle = ps_lost_write_toggle,
	.check_config = ps_lost_write_check,
};
