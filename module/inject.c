// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: deliberately broken patchers, acting only on the
 * module's own victims, that prove the detectors fire (as locktorture's
 * lock_busted proves its checks).  Each mode names the detector it must
 * trip; a storm with an injection must end in FAILURE.
 *
 *   release-early  static-key: the toggle is published as complete, then
 *                  the site is written (through the strategy's own API)
 *                  PS_INJECT_DELAY_US later, as a patcher that releases
 *                  waiting CPUs before the write would.  Trips: stale.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/string.h>
#include "patchstorm.h"

#define PS_INJECT_DELAY_US	200

const char *const ps_inject_names[PS_NR_INJECT] = {
	[PS_INJECT_NONE] = "none",
	[PS_INJECT_RELEASE_EARLY] = "release-early",
};

int ps_inject_lookup(const char *name)
{
	return match_string(ps_inject_names, PS_NR_INJECT, name);
}

/* Which strategy each mode breaks; the others run as usual. */
static bool ps_inject_applies(enum ps_inject mode, int s)
{
	return mode == PS_INJECT_RELEASE_EARLY && s == PS_STATIC_KEY;
}

/*
 * Toggle [first, first + n) the broken way, if the configured injection
 * applies to strategy @s.  Returns false to let the caller toggle
 * normally; true when done, with *@ret the toggle's result.
 */
bool ps_inject_toggle(struct ps_toggler *tg, int s, unsigned int first,
		      unsigned int n, bool enable, u64 seq, u64 t0, int *ret)
{
	struct ps_strat_state *st = &tg->st[s];
	bool was_on[PS_MAX_TARGETS];
	unsigned int i;

	if (!ps_inject_applies(ps_storm.cfg.inject, s))
		return false;
	memcpy(was_on, &st->on[first], n * sizeof(bool));
	for (i = first; i < first + n; i++)
		st->on[i] = enable;
	/* published as done: hammers may now rightly expect the new text */
	ps_toggle_end(st, s, first, n, was_on, seq, t0);
	udelay(PS_INJECT_DELAY_US);
	memcpy(&st->on[first], was_on, n * sizeof(bool));
	*ret = st->ops->toggle(tg, first, n, enable);
	return true;
}
