/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strategies: the ways a toggler flips patch sites, one file each, put
 * in a table by strategies/table.c after tables/strategies.def.  And the
 * injections: broken strategies that prove the detectors fire
 * (strategies/inject*.c, tables/injections.def).
 */
#ifndef _PATCHSTORM_STRATEGIES_H
#define _PATCHSTORM_STRATEGIES_H

#include "patchstorm.h"
#include "tables/decode.h"

/*
 * One strategy instance: a toggler's view of the targets it flips with
 * one strategy.  @idx index ps_run.targets (-1: a target of the bench,
 * no storm's); @on is the state the patching API last reported for each.
 */
struct ps_strat_state {
	const struct ps_strategy *ops;
	unsigned int sid;			/* enum ps_strategy_id */
	unsigned int nr;
	const struct ps_target *tgt[PS_MAX_TARGETS];
	int idx[PS_MAX_TARGETS];
	bool on[PS_MAX_TARGETS];
	unsigned int cursor;
	/* the toggle the toggler calls: the ops', or an injection's */
	int (*toggle)(struct ps_toggle *tog);
	/* a site of target @i the instance writes now, beyond the target's own */
	void (*new_site)(const struct ps_strat_state *st, unsigned int i,
			 unsigned long addr);
	/* kprobe-register walks its probes over the targets' instructions */
	bool walk;
	/* the storm's toggle in progress (ps_toggle_plain()), else NULL */
	struct ps_toggle *tog;
	void *priv;
};

/*
 * The ops of one strategy.  setup() registers whatever stays for the
 * whole storm, with every site off; toggle() flips sites [first,
 * first + n) of @st's targets and sets @st->on[] to what the API says;
 * teardown() leaves every site as it was before setup().
 */
struct ps_strategy {
	const char *needs;			/* the kernel option it needs */
	bool available;				/* ... and whether it is built in */
	bool whole;				/* flips all its targets at once */
	/* with kprobe_walk=on its sites move: no fixed site or call to check */
	bool walks;
	/* enum ps_site_kind bits: the sites of its targets it writes */
	unsigned int sites;
	/*
	 * its instances hold references on shared state (static-key-ref):
	 * the state must show while any instance holds a settled one, even
	 * with other instances' toggles in flight (detectors/stale.c)
	 */
	bool refcounted;
	/*
	 * it patches text of its own (module-churn: a module it loads) and
	 * checks it itself: its targets only give it a place in the storm,
	 * and the hammers' calls of them cannot show it
	 */
	bool own_text;
	/* the target its bare loop flips (engine/bench.c); NULL: victim_key */
	const char *bench_target;
	/* can it run here beyond the kernel options (NULL: yes)? */
	bool (*ready)(void);
	/* may @t be configured with this strategy?  ps_error() says why not */
	int (*check_target)(const struct ps_target *t);
	/* does it use @t (silently skipped if not)?  NULL: every target */
	bool (*usable)(const struct ps_target *t);
	/* does instance @i of @n take @t?  NULL: every instance does */
	bool (*assign)(const struct ps_config *cfg, const struct ps_target *t,
		       unsigned int i, unsigned int n);
	/* checks that need the whole configuration */
	int (*check_config)(const struct ps_config *cfg);
	int (*setup)(struct ps_strat_state *st);
	int (*toggle)(struct ps_strat_state *st, unsigned int first,
		      unsigned int n, bool enable);
	void (*teardown)(struct ps_strat_state *st);
	/* the ftrace_ops it registered, whose address ftrace may write into
	 * an ops literal (CALL_OPS); NULL: none
	 */
	const void *(*ftrace_ops)(const struct ps_strat_state *st);
};

/* table.c */
extern const struct ps_strategy *const ps_strategies[PS_NR_STRATEGIES];
int ps_strategy_lookup(const char *name);
bool ps_strategy_usable(unsigned int s);
/* the usual toggle: the strategy's own */
int ps_toggle_plain(struct ps_toggle *tog);
void ps_strat_done(struct ps_strat_state *st, unsigned int i, bool on);
int ps_strat_target(const struct ps_strat_state *st, unsigned long ip);
/* ftrace_ops.c */
int ps_ftrace_ops_linger(struct ps_strat_state *st, bool on);
/* ftrace.c */
int ps_ftrace_check_target(const struct ps_target *t);
bool ps_function_usable(const struct ps_target *t);

/* one per strategy file (tables/strategies.def, table.c) */
extern const struct ps_strategy ps_strategy_ftrace_filter;
extern const struct ps_strategy ps_strategy_ftrace_ops;
extern const struct ps_strategy ps_strategy_kprobe_arm;
extern const struct ps_strategy ps_strategy_kprobe_register;
extern const struct ps_strategy ps_strategy_static_key;
extern const struct ps_strategy ps_strategy_static_key_ref;
extern const struct ps_strategy ps_strategy_static_call;
extern const struct ps_strategy ps_strategy_ftrace_direct;
extern const struct ps_strategy ps_strategy_tracepoint;
extern const struct ps_strategy ps_strategy_module_churn;

/* static_key.c: a victim's static branch was taken */
void ps_static_key_hit(unsigned int key);
/* ... and what static_key_ref.c shares: the keys, their users, hits */
bool ps_static_key_usable(const struct ps_target *t, bool ref);
int ps_static_key_check_config(const struct ps_config *cfg, bool ref);
int ps_static_key_setup(struct ps_strat_state *st);
void ps_static_key_forget(struct ps_strat_state *st, unsigned int i);
/* module_churn.c: churn_module= checked at load */
int ps_module_churn_init(void);
bool ps_module_churn_ready(void);

/* static_call.c: victim_call's static call reaches the "on" function */
bool ps_static_call_left_on(void);
void *ps_static_call_on_fn(void);

/*
 * An injection: a broken patcher.  Either a strategy whose toggle it
 * replaces (@breaks, @toggle), or a thread of its own (@start, @stop),
 * or both.  check_config() refuses what cannot work here.
 */
struct ps_injection {
	int breaks;				/* enum ps_strategy_id, or -1 */
	int (*toggle)(struct ps_toggle *tog);
	int (*check_config)(const struct ps_config *cfg);
	/* sites it writes that no target owns, for the sampler */
	void (*add_sites)(void);
	int (*start)(const struct cpumask *cpus);
	void (*stop)(void);
};

/* inject.c */
extern const struct ps_injection *const ps_injections[PS_NR_INJECTIONS];
int ps_injection_lookup(const char *name);
int ps_poke(unsigned long addr, const void *bytes, size_t len);

/* one per injection (tables/injections.def, inject.c) */
extern const struct ps_injection ps_injection_none;
extern const struct ps_injection ps_injection_release_early;
extern const struct ps_injection ps_injection_torn_site;
extern const struct ps_injection ps_injection_illegal_site;
extern const struct ps_injection ps_injection_stray_break;
extern const struct ps_injection ps_injection_wrong_call;
extern const struct ps_injection ps_injection_jump_self;
extern const struct ps_injection ps_injection_lost_write;
extern const struct ps_injection ps_injection_ref_early;
extern const struct ps_injection ps_injection_ref_leak;
extern const struct ps_injection ps_injection_missed_call_site;
extern const struct ps_injection ps_injection_lost_direct_write;
extern const struct ps_injection ps_injection_lost_module_write;
extern const struct ps_injection ps_injection_ops_lingers;
extern const struct ps_injection ps_injection_kprobe_lingers;

#endif /* _PATCHSTORM_STRATEGIES_H */
