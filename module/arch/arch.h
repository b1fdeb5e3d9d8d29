/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each architecture provides (arch/<arch>.c, <arch>_trap.c,
 * <arch>_decode.c): its facts as data, and hooks for what must look at
 * the running kernel.  Chosen at link time (Kbuild).
 */
#ifndef _PATCHSTORM_ARCH_H
#define _PATCHSTORM_ARCH_H

#include <linux/types.h>
#include "tables/decode.h"

/* bytes written at a site's offset @off: see ps_arch_torn_pokes() */
struct ps_poke {
	unsigned int off, len;
	u8 bytes[8];
};

#define PS_TORN_POKES 2

struct ps_arch_info {
	const char *name;
	const char *syscall_prefix;	/* "sys:NAME" is this + NAME */
	unsigned int insn_align;	/* instructions start at multiples of it */
	/*
	 * Bytes the compiler puts before each function's entry: the
	 * CALL_OPS literal (arm64, riscv 7.x), x86's call padding.
	 * kallsyms counts them in the previous function's size, but they
	 * belong to the next: a breakpoint there is written into the next
	 * function's ftrace ops pointer (an oops when ftrace loads it).
	 */
	unsigned int pre_entry;
	/* traps at victims' ftrace sites caught and survived (<arch>_trap.c) */
	bool catches_traps;
	/* and breakpoints that no probe owns */
	bool catches_breaks;
	/*
	 * A site that one ftrace_ops alone traces reaches it through its own
	 * trampoline (x86) or CALL_OPS literal (arm64, riscv 7.x), so taking
	 * one of two ops off a site patches it; without (riscv 6.12) every
	 * traced site goes through ftrace's ops list and nothing is written.
	 */
	bool ftrace_per_ops;
	/*
	 * enum ps_site_kind bits the kernel may still rewrite after the API
	 * returned (x86 optimizes and unoptimizes kprobes from a worker)
	 */
	unsigned int async_sites;
	/* an illegal instruction, and a stray breakpoint, over an ftrace site */
	struct ps_poke illegal_poke;
	struct ps_poke break_poke;
	/* a jump to itself over an ftrace site, for inject=jump-self */
	struct ps_poke self_loop_poke;
};

extern const struct ps_arch_info ps_arch;

/*
 * @quiet_func: a function of the module that nothing traces, whose
 * ftrace site shows what an untouched site looks like on this kernel.
 */
int ps_arch_init(unsigned long quiet_func);
void ps_arch_exit(void);
int ps_arch_caps_show(char *buf, size_t len);
/*
 * <arch>_direct.c: the trampoline an ftrace direct call reaches
 * (DYNAMIC_FTRACE_WITH_DIRECT_CALLS).  It calls ps_direct_hit() with the
 * return address into the traced function: strategies/ftrace_direct.c's.
 */
void ps_direct_tramp(void);
void ps_direct_hit(unsigned long ip);
/* <arch>_trap.c: what catches traps at the victims' sites */
int ps_arch_trap_init(void);
void ps_arch_trap_exit(void);

/* where a kprobe goes in @addr's function by default */
int ps_arch_kprobe_offset(unsigned long addr);
/* @func's ftrace call site */
bool ps_arch_ftrace_site(unsigned long func, unsigned long *addr,
			 unsigned int *len);
/* the ftrace_ops literal of @func's call site (CALL_OPS), if it has one */
bool ps_arch_ftrace_ops_slot(unsigned long func, unsigned long *slot);
unsigned int ps_arch_kprobe_site_len(unsigned long addr);
unsigned int ps_arch_jump_site_len(unsigned long addr);
/* legal destinations of ftrace calls besides ftrace_(regs_)caller */
unsigned int ps_arch_ftrace_dests(unsigned long *dests, unsigned int max);
/* where the call or jump @cur at @addr goes (tables/decode.h: ps_*_dest) */
bool ps_arch_dest(int kind, const u8 *cur, unsigned int len,
		  unsigned long addr, unsigned long *dest);
/* read a site as the instruction fetch would */
void ps_arch_read_site(unsigned long addr, unsigned int len, u8 *buf);
/* enum ps_site_class (tables/decode.h) of @cur at a site of enum ps_site_kind */
int ps_arch_classify(int kind, const u8 *cur, const u8 *orig,
		     unsigned int len);

/*
 * enum ps_site_kind bits patched under stop_machine() here: every CPU
 * must come to the rendezvous, so a CPU that loops in kernel code
 * without scheduling hangs them
 */
unsigned int ps_arch_stop_machine_sites(void);
/* the arch's cross-CPU text flush, for latency/flush.c; callable here? */
bool ps_arch_can_flush(void);
void ps_arch_flush(void);

/* the kernel's own text patch primitive, without its sync step */
bool ps_arch_can_poke(void);
int ps_arch_poke_locked(unsigned long addr, const void *bytes, size_t len);
/* the "on" bytes of @func's ftrace site at @addr calling @dest; false if out of reach */
bool ps_arch_ftrace_call(unsigned long addr, unsigned long dest,
			 const u8 *orig, u8 *out);
/* what inject=torn-site writes at an ftrace site whose "off" bytes are @orig */
const struct ps_poke *ps_arch_torn_pokes(const u8 *orig);

#endif /* _PATCHSTORM_ARCH_H */
