// SPDX-License-Identifier: GPL-2.0
/*
 * release-early: a broken static-key strategy.  The toggle is published
 * as complete, then the site is written (through the strategy's own API)
 * after a sleep of PS_RELEASE_EARLY_US or more, as a patcher that
 * releases waiting CPUs before the write and is then preempted would.
 * Sleeping, not spinning: where vCPUs share one host thread (QEMU
 * thread=single) a spinning toggler's vCPU keeps the hammers' from
 * running at all until the write is done.  Trips: stale.
 */
#include <linux/delay.h>
#include <linux/string.h>
#include "strategies/strategies.h"
#include "detectors/detectors.h"

#define PS_RELEASE_EARLY_US	200

static int ps_release_early_toggle(struct ps_toggle *tog)
{
	struct ps_strat_state *st = tog->st;
	bool was_on[PS_MAX_TARGETS];
	unsigned int i;

	memcpy(was_on, &st->on[tog->first], tog->n * sizeof(bool));
	for (i = 0; i < tog->n; i++)
		st->on[tog->first + i] = tog->enable;
	/* published as done: hammers may now rightly expect the new text */
	ps_toggle_close(tog);
	usleep_range(PS_RELEASE_EARLY_US, 2 * PS_RELEASE_EARLY_US);
	memcpy(&st->on[tog->first], was_on, tog->n * sizeof(bool));
	return ps_toggle_plain(tog);
}

const struct ps_injection ps_injection_release_early = {
	.breaks = PS_S_STATIC_KEY,
	.toggle = ps_release_early_toggle,
};
