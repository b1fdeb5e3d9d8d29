// SPDX-License-Identifier: GPL-2.0
/*
 * static-call: switch victim_call's static call between two functions
 * with static_call_update().  With inline static calls (x86) that
 * rewrites the call instruction inside the victim, and the trampoline's
 * jump, with text_poke_bp()'s int3 protocol while hammers run through
 * them; with out-of-line static calls only the trampoline changes.
 * Without HAVE_STATIC_CALL a static call is a call through a pointer:
 * nothing is patched, and the strategy is not available.
 *
 * Both functions return the same, so every call is answer-checked
 * whichever one it reaches; the "on" one counts a hit, so the hammers
 * see which one it was (detectors/stale.c), as for a static key: once
 * static_call_update() returned, every call must reach the new function
 * (text_poke_bp() has made every CPU serialize before it returns).
 *
 * One static call, one owner: static_call_update() is not refcounted
 * and whoever updated last decides, so one instance takes victim_call.
 */
#include <linux/errno.h>
#include <linux/static_call.h>
#include <linux/string.h>
#include "strategies/strategies.h"

/* The storm target victim_call is (-1: none), for hit counts. */
static int ps_sc_target = -1;

/* What the static call reaches while on: the same answer, and a hit. */
static noinline notrace u64 ps_static_call_on(u64 x)
{
	ps_count_hit(PS_S_STATIC_CALL, READ_ONCE(ps_sc_target));
	return ps_victim_call_off(x);
}

static bool ps_sc_usable(const struct ps_target *t)
{
	return t->victim && t->victim->scall;
}

static bool ps_sc_assign(const struct ps_config *cfg, const struct ps_target *t,
			 unsigned int i, unsigned int n)
{
	return i == 0;
}

static int ps_sc_check_config(const struct ps_config *cfg)
{
	unsigned int i, j;

	for (i = 0; i < cfg->targets.nr; i++)
		for (j = 0; j < ps_nr_victims; j++)
			if (!strcmp(cfg->targets.name[i], ps_victims[j].name) &&
			    ps_victims[j].scall)
				return 0;
	ps_error("static-call: no target has a static call (victim_call)");
	return -EINVAL;
}

static int ps_sc_setup(struct ps_strat_state *st)
{
	unsigned int i;

	for (i = 0; i < st->nr; i++)
		WRITE_ONCE(ps_sc_target, st->idx[i]);
	return 0;
}

static int ps_sc_toggle(struct ps_strat_state *st, unsigned int first,
			unsigned int n, bool enable)
{
	unsigned int i;

	for (i = first; i < first + n; i++) {
		if (enable)
			static_call_update(ps_victim_call, ps_static_call_on);
		else
			static_call_update(ps_victim_call, ps_victim_call_off);
		st->on[i] = enable;
	}
	return 0;
}

static void ps_sc_teardown(struct ps_strat_state *st)
{
	unsigned int i;

	for (i = 0; i < st->nr; i++) {
		static_call_update(ps_victim_call, ps_victim_call_off);
		st->on[i] = false;
	}
	WRITE_ONCE(ps_sc_target, -1);
}

/* The "on" function, for inject=missed-call-site. */
void *ps_static_call_on_fn(void)
{
	return ps_static_call_on;
}

/* Does victim_call's static call reach its "on" function? */
bool ps_static_call_left_on(void)
{
	return static_call_query(ps_victim_call) == ps_static_call_on;
}

const struct ps_strategy ps_strategy_static_call = {
	.needs = "CONFIG_HAVE_STATIC_CALL",
	.available = IS_ENABLED(CONFIG_HAVE_STATIC_CALL),
	.bench_target = "victim_call",
	.usable = ps_sc_usable,
	.assign = ps_sc_assign,
	.check_config = ps_sc_check_config,
	.setup = ps_sc_setup,
	.toggle = ps_sc_toggle,
	.teardown = ps_sc_teardown,
};
