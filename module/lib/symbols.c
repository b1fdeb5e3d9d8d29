// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols and what a site can take, found the way an out-of-tree
 * module can: kallsyms_lookup_name(), ftrace_location() and
 * kernel_text_address() are not exported.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ftrace.h>
#include <linux/string.h>
#include <linux/slab.h>
#include "lib/lib.h"

typedef unsigned long (*ps_lookup_fn)(const char *name);
static ps_lookup_fn ps_lookup;
static int (*ps_text_address)(unsigned long addr);

/* The start of the symbol @addr is in, or 0. */
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

/*
 * A kprobe resolves symbol names itself and stores the address in
 * kp.addr before it checks whether the site may be probed, so a probe on
 * kallsyms_lookup_name (registered or refused: either way nothing stays
 * armed) yields its address.  The arch may move kp.addr past a landing
 * pad (x86 IBT), so it is rounded back to the symbol start.
 */
/* The size of the symbol @addr starts, or 0. */
unsigned long ps_symbol_size(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off, size;
	char *plus;

	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	if (!plus || sscanf(plus, "+%lx/%lx", &off, &size) != 2 || off)
		return 0;
	return size;
}

int ps_symbols_init(void)
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
	ps_text_address = (void *)ps_lookup("kernel_text_address");
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

/* Is @addr kernel or module text (not data)?  Unknown: yes. */
bool ps_symbol_is_text(unsigned long addr)
{
	return !ps_text_address || ps_text_address(addr);
}

/*
 * Does @addr start an ftrace site?  ftrace_set_filter_ip() on a scratch
 * ops, never registered, asks ftrace_location().
 */
bool ps_is_ftrace_site(unsigned long addr)
{
	struct ftrace_ops *ops;
	int ret;

	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return false;
	ret = ftrace_set_filter_ip(ops, addr, 0, 0);
	ftrace_free_filter(ops);
	kfree(ops);
	return !ret;
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
