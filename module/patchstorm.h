/* SPDX-License-Identifier: GPL-2.0 */
/*
 * patchstorm: stress and measure the kernel's run-time text patching.
 *
 * The data every part of the module shares: the configuration (built
 * from tables/knobs.def), the targets, the victims, the per-CPU counters
 * and the read-only view of the running storm.  Each folder has its own
 * header for its functions; calls run one way: interface -> engine ->
 * strategies, detectors, latency -> arch -> lib.
 */
#ifndef _PATCHSTORM_H
#define _PATCHSTORM_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/jump_label.h>
#include <linux/static_call_types.h>
#include "tables/limits.h"
#include "lib/lib.h"
/* enums and the config fields, generated from the module/tables .def files */
#include "gen/tables.h"

/* The values of the CHOICE knobs, in the order tables/knobs.def lists them. */
enum ps_widen { PS_WIDEN_NONE, PS_WIDEN_HRTIMER, PS_WIDEN_IPI };
enum ps_checks { PS_CHECKS_ON, PS_CHECKS_OFF };
enum ps_shared_keys { PS_SHARED_KEYS_OFF, PS_SHARED_KEYS_ON };
enum ps_stale { PS_STALE_FAIL, PS_STALE_WARN };
enum ps_kprobe_walk { PS_KPROBE_WALK_ON, PS_KPROBE_WALK_OFF };

/* lib/tables.c: the tables' names, indexed by their enums */
extern const char *const ps_strategy_names[PS_NR_STRATEGIES];
extern const char *const ps_injection_names[PS_NR_INJECTIONS];
extern const char *const ps_injection_trips[PS_NR_INJECTIONS];
extern const char *const ps_anomaly_names[PS_NR_ANOMALY_KINDS];
extern const char *const ps_anomaly_what[PS_NR_ANOMALY_KINDS];

struct ps_target_names {
	char name[PS_MAX_TARGETS][PS_NAME_LEN];
	unsigned int nr;
};

/*
 * "mixed" and "all" in the strategies bitmask, beside the strategies' own
 * bits.  A strategy "all" brings along is left out quietly where no
 * target suits it; one named must have a target.
 */
#define PS_MIXED_BIT		PS_NR_STRATEGIES
#define PS_ALL_BIT		(PS_NR_STRATEGIES + 1)
#define PS_STRATEGY_MIXED	"mixed"

/* A configuration, validated as a whole before it replaces the current one. */
struct ps_config {
	PS_CONFIG_FIELDS
};

/* The strategies a configuration runs (mixed: those of weight > 0). */
static inline unsigned long ps_config_strategies(const struct ps_config *cfg)
{
	unsigned long mask = cfg->strategies & (BIT(PS_NR_STRATEGIES) - 1);
	unsigned int s;

	if (cfg->strategies & BIT(PS_MIXED_BIT))
		for (s = 0; s < PS_NR_STRATEGIES; s++)
			if (cfg->weights[s])
				mask |= BIT(s);
	return mask;
}

static inline bool ps_config_runs(const struct ps_config *cfg, unsigned int s)
{
	return ps_config_strategies(cfg) & BIT(s);
}

/* A module-owned function whose entry gets patched. */
struct ps_victim {
	const char *name;
	u64 (*fn)(u64 arg);
	u64 arg;
	u64 answer;				/* what fn(arg) must return */
	int key;				/* static key index, or -1 */
	/* its key is static-key-ref's (static_branch_inc/dec), not static-key's */
	bool key_ref;
	/* it calls through ps_victim_call, static-call's static call */
	bool scall;
};

struct tracepoint;

/* One resolved patch target: a victim, a kernel function or a tracepoint. */
struct ps_target {
	char name[PS_NAME_LEN];
	unsigned long addr;			/* symbol start; 0: tracepoint */
	unsigned long size;			/* the function's, if known */
	unsigned long kprobe_addr;		/* where kprobes go */
	const struct ps_victim *victim;		/* NULL for kernel symbols */
	struct tracepoint *tp;			/* tp:NAME */
	unsigned long strats;			/* the strategies that use it */
};

/*
 * What a victim returns when a trap at its entry site was caught (arch/),
 * plus the site offset that trapped.  No victim's answer comes near it.
 */
#define PS_TRAP_SENTINEL	0x7a5e0000
#define PS_NR_KEYS		4

/* engine/victims.c */
extern struct ps_victim ps_victims[];
extern const unsigned int ps_nr_victims;
extern struct static_key_false ps_victim_keys[];
u64 victim_leaf(u64 x);
u64 victim_nonleaf(u64 x);
u64 victim_long(u64 x);
u64 victim_key(u64 x);
u64 victim_key_nonleaf(u64 x);
u64 victim_keyref(u64 x);
u64 victim_keyref_nonleaf(u64 x);
u64 victim_call(u64 x);
/* victim_call's static call, and the function it starts on (off) */
u64 ps_victim_call_off(u64 x);
DECLARE_STATIC_CALL(ps_victim_call, ps_victim_call_off);
unsigned long ps_victim_anchor_addr(void);
void ps_victim_keys_off(void);
unsigned long ps_victim_cold_addr(void);

/* Per-CPU counters: cheap on the hot path, summed on read (engine/stats.c). */
struct ps_counters {
	u64 toggles[PS_NR_STRATEGIES][2];	/* [strategy][enable] */
	/* disables settled before the API returned (ftrace-ops' watch) */
	u64 disable_early[PS_NR_STRATEGIES];
	u64 errors[PS_NR_STRATEGIES];
	u64 hits[PS_NR_STRATEGIES];
	u64 hits_ts[PS_MAX_TARGETS][PS_NR_STRATEGIES];	/* [target][strategy] */
	u64 anomalies[PS_NR_ANOMALY_KINDS];
	u64 calls;
	u64 stale_checked;	/* calls checked, no toggle of theirs in flight */
	u64 stale_skipped;	/* ... and not, one was */
	u64 stale;				/* every stale call, warn or fail */
	u64 mixed_picks;
};

DECLARE_PER_CPU(struct ps_counters, ps_counters);

/* A handler of strategy @s ran for target @target (-1: not a target). */
static __always_inline void ps_count_hit(unsigned int s, int target)
{
	this_cpu_inc(ps_counters.hits[s]);
	if (target >= 0)
		this_cpu_inc(ps_counters.hits_ts[target][s]);
}

struct ps_strat_state;

/* One toggle of @n targets by one strategy instance (engine/toggler.c). */
struct ps_toggle {
	struct ps_strat_state *st;		/* the strategy instance toggling */
	unsigned int sid;			/* enum ps_strategy_id */
	const int *idx;				/* the @n targets (ps_run indexes) */
	const bool *on;				/* their state after the call */
	unsigned int first, n;
	bool enable;
	bool was_on[PS_MAX_TARGETS];
	bool settled[PS_MAX_TARGETS];		/* published before the close */
	u64 seq;
	u64 start_ns;
	bool closed;
};

/*
 * The running (or last) storm as every part may read it: written by
 * engine/storm.c before any of the storm's threads starts, read-only
 * while they run.
 */
struct ps_run {
	struct ps_config cfg;
	struct ps_target targets[PS_MAX_TARGETS];
	unsigned int nr_targets;
	char dropped[512];			/* preset names not kept */
	u64 start_ns;
};

extern struct ps_run ps_run;

#endif /* _PATCHSTORM_H */
