// SPDX-License-Identifier: GPL-2.0
/*
 * Targets: resolve a name to a patch site and check, before any storm
 * starts, that every configured strategy can use it.  A name is a victim
 * ("victim_leaf"), "sys:NAME" for this arch's syscall entry of NAME
 * (sys:getpid is __riscv_sys_getpid on riscv), or any kernel symbol.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ftrace.h>
#include <linux/string.h>
#include <linux/slab.h>
#include "patchstorm.h"

/*
 * kallsyms_lookup_name() is not exported.  A kprobe resolves symbol names
 * itself and stores the address in kp.addr before it checks whether the
 * site may be probed, so a probe on kallsyms_lookup_name (registered or
 * refused: either way nothing is armed for long) yields its address.  The
 * arch may move kp.addr past a landing pad (x86 IBT), so it is rounded
 * back to the symbol start with sprint_symbol().
 */
typedef unsigned long (*ps_lookup_fn)(const char *name);
static ps_lookup_fn ps_lookup;

static unsigned long ps_symbol_start(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off;
	char *plus;

	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	if (!plus || sscanf(plus, "+%lx", &off) != 1)
		return 0;
	return addr - off;
}

int ps_targets_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;

	if (!register_kprobe(&kp))
		unregister_kprobe(&kp);
	addr = (unsigned long)kp.addr;
	if (addr)
		addr = ps_symbol_start(addr);
	if (!addr) {
		pr_warn("patchstorm: cannot find kallsyms_lookup_name: kernel symbols unavailable as targets, victims only\n");
		return 0;
	}
	ps_lookup = (ps_lookup_fn)addr;
	return 0;
}

bool ps_have_symbol_lookup(void)
{
	return ps_lookup;
}

/* Any kernel symbol's address (functions and, with KALLSYMS_ALL, data). */
unsigned long ps_symbol_addr(const char *name)
{
	return ps_lookup ? ps_lookup(name) : 0;
}

/*
 * Does @addr start an ftrace site?  ftrace_location() is not exported;
 * ftrace_set_filter_ip() on a scratch ops, never registered, asks it.
 */
static int ps_ftrace_site_check(unsigned long addr)
{
	struct ftrace_ops *ops;
	int ret;

	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	ret = ftrace_set_filter_ip(ops, addr, 0, 0);
	ftrace_free_filter(ops);
	kfree(ops);
	return ret;
}

bool ps_is_ftrace_site(unsigned long addr)
{
	return !ps_ftrace_site_check(addr);
}

static int ps_check_ftrace(const struct ps_target *t)
{
	int ret = ps_ftrace_site_check(t->addr);

	if (ret)
		ps_error("%s: not an ftrace site (ftrace_set_filter_ip: %d)",
			 t->name, ret);
	return ret;
}

/* Can a kprobe go at @addr?  Registered disabled (never armed), removed. */
int ps_kprobe_fits(unsigned long addr)
{
	struct kprobe *kp;
	int ret;

	kp = kzalloc(sizeof(*kp), GFP_KERNEL);
	if (!kp)
		return -ENOMEM;
	kp->addr = (kprobe_opcode_t *)addr;
	kp->flags = KPROBE_FLAG_DISABLED;
	ret = register_kprobe(kp);
	if (!ret)
		unregister_kprobe(kp);
	kfree(kp);
	return ret;
}

static int ps_check_kprobe(const struct ps_target *t)
{
	int ret = ps_kprobe_fits(t->kprobe_addr);

	if (ret)
		ps_error("%s+%#lx: a kprobe cannot go there (register_kprobe: %d)",
			 t->name, t->kprobe_addr - t->addr, ret);
	return ret;
}

int ps_target_resolve(const char *name, unsigned long strategies,
		      int kprobe_offset, struct ps_target *t)
{
	char sym[KSYM_NAME_LEN];
	unsigned int i;
	int ret, off;

	memset(t, 0, sizeof(*t));
	strscpy(t->name, name, sizeof(t->name));
	for (i = 0; i < ps_nr_victims; i++) {
		if (!strcmp(name, ps_victims[i].name)) {
			t->victim = &ps_victims[i];
			t->addr = (unsigned long)ps_victims[i].fn;
			break;
		}
	}
	if (!t->victim) {
		if (!ps_lookup) {
			ps_error("%s: kernel symbols cannot be resolved here; only victims", name);
			return -EINVAL;
		}
		if (!strncmp(name, "sys:", 4))
			snprintf(sym, sizeof(sym), "%s%s",
				 ps_arch_syscall_prefix, name + 4);
		else
			strscpy(sym, name, sizeof(sym));
		t->addr = ps_lookup(sym);
		if (!t->addr) {
			ps_error("%s: no such symbol (%s)", name, sym);
			return -EINVAL;
		}
	}

	if (strategies & BIT(PS_MIXED))
		strategies |= BIT(PS_NR_BASE_STRATS) - 1;

	if (strategies & (BIT(PS_FTRACE_FILTER) | BIT(PS_FTRACE_OPS))) {
		ret = ps_check_ftrace(t);
		if (ret)
			return -EINVAL;
	}
	off = kprobe_offset >= 0 ? kprobe_offset : ps_arch_kprobe_offset(t->addr);
	t->kprobe_addr = t->addr + off;
	if (strategies & (BIT(PS_KPROBE_ARM) | BIT(PS_KPROBE_REGISTER))) {
		ret = ps_check_kprobe(t);
		if (ret)
			return -EINVAL;
	}
	return 0;
}
