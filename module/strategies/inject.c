// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: deliberately broken patchers, acting only on the
 * module's own victims, that prove the detectors fire (as locktorture's
 * lock_busted proves its checks).  Each is a line of
 * tables/injections.def, naming the anomaly kinds it must trip, and a
 * struct ps_injection in its file: a strategy whose toggle it replaces
 * (inject_release_early.c), or a patcher thread of its own
 * (inject_site.c).  A storm with an injection must end in FAILURE.
 *
 * Injections exist to trip the detectors, so unlike the strategies they
 * call into them (the toggle bracket, the samplers).
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include "strategies/strategies.h"
#include "arch/arch.h"

/* inject=none: nothing broken */
const struct ps_injection ps_injection_none = {
	.breaks = -1,
};

const struct ps_injection *const ps_injections[PS_NR_INJECTIONS] = {
	[PS_INJ_NONE] = &ps_injection_none,
	[PS_INJ_RELEASE_EARLY] = &ps_injection_release_early,
	[PS_INJ_TORN_SITE] = &ps_injection_torn_site,
	[PS_INJ_ILLEGAL_SITE] = &ps_injection_illegal_site,
	[PS_INJ_STRAY_BREAK] = &ps_injection_stray_break,
	[PS_INJ_WRONG_CALL] = &ps_injection_wrong_call,
	[PS_INJ_JUMP_SELF] = &ps_injection_jump_self,
	[PS_INJ_LOST_WRITE] = &ps_injection_lost_write,
	[PS_INJ_REF_EARLY] = &ps_injection_ref_early,
	[PS_INJ_REF_LEAK] = &ps_injection_ref_leak,
	[PS_INJ_MISSED_CALL_SITE] = &ps_injection_missed_call_site,
	[PS_INJ_LOST_DIRECT_WRITE] = &ps_injection_lost_direct_write,
	[PS_INJ_LOST_MODULE_WRITE] = &ps_injection_lost_module_write,
	[PS_INJ_OPS_LINGERS] = &ps_injection_ops_lingers,
	[PS_INJ_KPROBE_LINGERS] = &ps_injection_kprobe_lingers,
};

int ps_injection_lookup(const char *name)
{
	return match_string(ps_injection_names, PS_NR_INJECTIONS, name);
}

/*
 * Write text with the arch's primitive under text_mutex, as the kernel's
 * own patchers do.  text_mutex is not exported either: found by name
 * (KALLSYMS_ALL).  A zero-length write only checks both were found.
 */
int ps_poke(unsigned long addr, const void *bytes, size_t len)
{
	static struct mutex *text_lock;
	int ret;

	if (!text_lock)
		text_lock = (struct mutex *)ps_symbol_addr("text_mutex");
	if (!text_lock || !ps_arch_can_poke())
		return -ENOENT;
	if (!len)
		return 0;
	mutex_lock(text_lock);
	ret = ps_arch_poke_locked(addr, bytes, len);
	mutex_unlock(text_lock);
	return ret;
}
