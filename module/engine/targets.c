// SPDX-License-Identifier: GPL-2.0
/*
 * Targets: resolve a name to a function and check, before any storm
 * starts, that every configured strategy can use it.  A name is a victim
 * ("victim_leaf"), "sys:NAME" for this arch's syscall entry of NAME
 * (sys:getpid is __riscv_sys_getpid on riscv), or any kernel function.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/kallsyms.h>
#include "engine/engine.h"
#include "arch/arch.h"

int ps_target_resolve(const char *name, const struct ps_config *cfg,
		      struct ps_target *t)
{
	unsigned long strats = ps_config_strategies(cfg);
	char sym[KSYM_NAME_LEN];
	unsigned int i, s;
	int off;

	memset(t, 0, sizeof(*t));
	strscpy(t->name, name);
	for (i = 0; i < ps_nr_victims; i++) {
		if (!strcmp(name, ps_victims[i].name)) {
			t->victim = &ps_victims[i];
			t->addr = (unsigned long)ps_victims[i].fn;
			break;
		}
	}
	if (!t->victim) {
		if (!ps_have_symbol_lookup()) {
			ps_error("%s: kernel symbols cannot be resolved here; only victims", name);
			return -EINVAL;
		}
		if (!strncmp(name, "sys:", 4))
			snprintf(sym, sizeof(sym), "%s%s", ps_arch.syscall_prefix,
				 name + 4);
		else
			strscpy(sym, name);
		t->addr = ps_symbol_addr(sym);
		if (!t->addr) {
			ps_error("%s: no such symbol (%s)", name, sym);
			return -EINVAL;
		}
		if (!ps_symbol_is_text(t->addr)) {
			ps_error("%s: %s is data, not a function", name, sym);
			return -EINVAL;
		}
	}
	off = cfg->kprobe_offset >= 0 ? cfg->kprobe_offset :
	      ps_arch_kprobe_offset(t->addr);
	t->kprobe_addr = t->addr + off;
	for_each_set_bit(s, &strats, PS_NR_STRATEGIES)
		if (ps_strategies[s]->check_target &&
		    ps_strategies[s]->check_target(t))
			return -EINVAL;
	return 0;
}
