/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine: configuration (config.c), targets (targets.c, victims.c),
 * the storm's lifecycle (storm.c), its threads (toggler.c, hammer.c,
 * widen.c), counters, stats and verdict (stats.c), and the bare loops
 * storms are compared with (bench.c).
 */
#ifndef _PATCHSTORM_ENGINE_H
#define _PATCHSTORM_ENGINE_H

#include <linux/mutex.h>
#include <linux/prandom.h>
#include "patchstorm.h"
#include "strategies/strategies.h"

/*
 * A toggler thread: one strategy instance, or with "mixed" one instance
 * of each strategy, picked by weight on every toggle.  @id is its slot
 * for the samplers (detectors/sites.c).
 */
struct ps_toggler {
	struct task_struct *task;
	unsigned int id;
	int cpu;
	bool mixed;
	struct rnd_state rnd;
	unsigned int nr_st;
	struct ps_strat_state st[PS_NR_STRATEGIES];
};

/* The engine's own view of the storm (ps_run is what all may read). */
struct ps_storm {
	struct ps_toggler togglers[PS_MAX_THREADS];
	unsigned int nr_togglers;
	struct task_struct *hammers[PS_MAX_THREADS];
	unsigned int nr_hammers;
	struct cpumask toggler_mask, hammer_mask;
	const struct ps_injection *inject;
	u64 end_ns;
};

extern struct ps_storm ps_storm;

/* config.c */
extern struct ps_config ps_cfg;
extern bool ps_allow_inject;
void ps_config_defaults(struct ps_config *cfg);
int ps_config_apply(struct ps_config *cfg, char *text);
int ps_config_set(struct ps_config *cfg, const char *key, const char *val);
int ps_config_validate(const struct ps_config *cfg);
int ps_config_show(const struct ps_config *cfg, char *buf, size_t len);
int ps_config_write(char *text);

/* targets.c */
int ps_target_resolve(const char *name, const struct ps_config *cfg,
		      struct ps_target *t, bool strict);
int ps_targets_resolve(const struct ps_config *cfg, struct ps_target *out,
		       unsigned int *nr, char *dropped, size_t len, bool full);

/* hot.c: targets=hot */
struct ps_hot_target {
	const char *name;
	const char *why;
};

extern const struct ps_hot_target ps_hot_targets[];
extern const unsigned int ps_nr_hot_targets;

/* storm.c */
enum ps_state { PS_IDLE, PS_RUNNING, PS_DONE };
extern struct mutex ps_lock;
enum ps_state ps_state(void);
const char *ps_state_name(enum ps_state state);
int ps_storm_start(void);
int ps_storm_stop(void);
int ps_storm_reset(void);
void ps_storm_exit(void);
u64 ps_elapsed_ns(void);
void ps_stutter_wait(void);

/* toggler.c */
int ps_togglers_setup(void);
int ps_togglers_start(void);
void ps_togglers_wind_down(void);
void ps_togglers_stop(void);
void ps_togglers_teardown(void);

/* hammer.c */
int ps_hammers_start(void);
void ps_hammers_stop(void);
unsigned int ps_hammer_victims(void);

/* stats.c */
void ps_counters_reset(void);
void ps_counters_sum(struct ps_counters *sum);
int ps_stats_show(char *buf, size_t len);
void ps_stats_line(const char *tag);
void ps_verdict_set(void);
void ps_verdict_clear(void);
void ps_verdict_print(void);

/* hotplug.c */
int ps_hotplug_start(void);
void ps_hotplug_stop(void);
void ps_hotplug_counts(unsigned int *down, unsigned int *up);

/* widen.c */
int ps_widen_start(const struct ps_config *cfg, const struct cpumask *mask);
void ps_widen_stop(void);
u64 ps_widen_count(void);
void ps_widen_rehome(unsigned int cpu);

/* bench.c */
int ps_bench_write(char *text);
int ps_bench_show(char *buf, size_t len);

#endif /* _PATCHSTORM_ENGINE_H */
