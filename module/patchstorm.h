/* SPDX-License-Identifier: GPL-2.0 */
/*
 * patchstorm: stress and measure the kernel's run-time text patching.
 *
 * Internal interfaces shared by the module's files.
 */
#ifndef _PATCHSTORM_H
#define _PATCHSTORM_H

#include <linux/types.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/jump_label.h>
#include <linux/kallsyms.h>
#include <linux/prandom.h>

#define PS_MAX_TARGETS		32
#define PS_MAX_THREADS		64
/* sampler: a pass every this many us while no toggle is in flight */
#define PS_SAMPLER_IDLE_US	10000
#define PS_NAME_LEN		64

/* Strategies, in the order of the ops table (strategy.c). */
enum ps_strat {
	PS_FTRACE_FILTER,
	PS_FTRACE_OPS,
	PS_KPROBE_ARM,
	PS_KPROBE_REGISTER,
	PS_STATIC_KEY,
	PS_NR_BASE_STRATS,
	PS_MIXED = PS_NR_BASE_STRATS,
	PS_NR_STRATS,
};

enum ps_widen {
	PS_WIDEN_NONE,
	PS_WIDEN_HRTIMER,
	PS_WIDEN_IPI,
};

enum ps_inject {
	PS_INJECT_NONE,
	PS_INJECT_RELEASE_EARLY,
	PS_INJECT_TORN_SITE,
	PS_INJECT_ILLEGAL_SITE,
	PS_INJECT_STRAY_BREAK,
	PS_NR_INJECT,
};

/* A configuration, validated as a whole before it replaces the current one. */
struct ps_config {
	unsigned long strategies;		/* bitmask of enum ps_strat */
	char targets[PS_MAX_TARGETS][PS_NAME_LEN];
	unsigned int nr_targets;
	unsigned int togglers;
	int hammers;				/* -1: one per hammer CPU */
	struct cpumask toggler_cpus;		/* empty: default placement */
	struct cpumask hammer_cpus;
	unsigned int rate;			/* toggles/s per toggler, 0: max */
	unsigned int duration;			/* seconds, 0: until stopped */
	unsigned int stutter;			/* seconds on, seconds off */
	unsigned int stat_interval;		/* seconds, 0: no periodic line */
	unsigned int batch;			/* targets per update */
	int kprobe_offset;			/* -1: arch default */
	enum ps_widen widen;
	unsigned int widen_us;
	unsigned int samplers;			/* site sampler threads */
	unsigned int sampler_rest_us;		/* sampler pause, 0: none */
	unsigned int sampler_idle_us;		/* pass period between toggles, 0: spin */
	u64 stall_ns;				/* stall tracepoint threshold */
	unsigned int flush_us;			/* flush prober period, 0: off */
	bool stale_warn;			/* stale: counted, not a failure */
	bool no_checks;				/* hammers: answers only */
	bool shared_keys;			/* togglers race on static keys */
	enum ps_inject inject;			/* a broken patcher, see inject.c */
	unsigned int weights[PS_NR_BASE_STRATS];	/* for mixed */
};

/* One resolved patch target: a victim or a kernel function. */
struct ps_target {
	char name[PS_NAME_LEN];
	unsigned long addr;			/* symbol start */
	unsigned long kprobe_addr;		/* where kprobes go */
	const struct ps_victim *victim;		/* NULL for kernel symbols */
};

/* A module-owned function whose entry gets patched. */
struct ps_victim {
	const char *name;
	u64 (*fn)(u64 arg);
	u64 arg;
	u64 answer;				/* what fn(arg) must return */
	int key;				/* static key index, or -1 */
};

extern struct ps_victim ps_victims[];
u64 victim_leaf(u64 x);
u64 victim_nonleaf(u64 x);
u64 victim_long(u64 x);
u64 victim_key(u64 x);
u64 victim_key_nonleaf(u64 x);

/*
 * What a victim returns when a trap at its entry site was caught (arch/),
 * plus the site offset that trapped.  No victim's answer comes near it.
 */
#define PS_TRAP_SENTINEL	0x7a5e0000
extern const unsigned int ps_nr_victims;
extern struct static_key_false ps_victim_keys[];
#define PS_NR_KEYS 2
/* Which storm target each key's victim is, for hit counts; -1: none. */
extern int ps_key_target[PS_NR_KEYS];
unsigned long ps_victim_anchor_addr(void);
unsigned long ps_victim_cold_addr(void);

/* Per-CPU counters: cheap on the hot path, summed on read. */
struct ps_counters {
	u64 toggles[PS_NR_BASE_STRATS][2];	/* [strategy][enable] */
	u64 errors[PS_NR_BASE_STRATS];
	u64 hits[PS_NR_BASE_STRATS];
	u64 target_hits[PS_MAX_TARGETS];
	u64 calls;
	u64 mismatches;
	u64 stale;
	u64 traps;
	u64 mixed_picks;
};

DECLARE_PER_CPU(struct ps_counters, ps_counters);

static __always_inline void ps_count_hit(enum ps_strat s, int target)
{
	this_cpu_inc(ps_counters.hits[s]);
	if (target >= 0)
		this_cpu_inc(ps_counters.target_hits[target]);
}

struct ps_toggler;

/*
 * One strategy: how a toggler flips its targets' patch sites.  setup()
 * registers whatever stays for the whole storm with every site off;
 * toggle() flips sites [first, first + n) of the toggler's targets;
 * teardown() leaves every site as it was before setup().
 */
struct ps_strategy {
	const char *name;
	bool whole;				/* one unit: all targets at once */
	bool (*usable)(const struct ps_target *t);
	int (*setup)(struct ps_toggler *tg);
	int (*toggle)(struct ps_toggler *tg, unsigned int first,
		      unsigned int n, bool enable);
	void (*teardown)(struct ps_toggler *tg);
};

extern const struct ps_strategy ps_ftrace_filter_strategy;
extern const struct ps_strategy ps_ftrace_ops_strategy;
extern const struct ps_strategy ps_kprobe_arm_strategy;
extern const struct ps_strategy ps_kprobe_register_strategy;
extern const struct ps_strategy ps_static_key_strategy;
extern const struct ps_strategy *const ps_strategies[PS_NR_BASE_STRATS];
extern const char *const ps_strat_names[PS_NR_STRATS];

/* The per-strategy view of a toggler's targets. */
struct ps_strat_state {
	const struct ps_strategy *ops;
	unsigned int nr;			/* targets this strategy uses */
	unsigned int idx[PS_MAX_TARGETS];	/* index into ps_storm.targets */
	bool on[PS_MAX_TARGETS];
	unsigned int cursor;
	void *priv;
};

struct ps_toggler {
	struct task_struct *task;
	/* the toggler's own task while a toggle is in flight, else NULL */
	struct task_struct *patcher;
	unsigned int id;
	int cpu;
	struct rnd_state rnd;
	struct ps_strat_state st[PS_NR_BASE_STRATS];
	bool ready[PS_NR_BASE_STRATS];
};

/* The one storm: targets resolved at start, threads, lifecycle. */
struct ps_storm {
	struct ps_config cfg;
	struct ps_target targets[PS_MAX_TARGETS];
	unsigned int nr_targets;
	struct ps_toggler togglers[PS_MAX_THREADS];
	unsigned int nr_togglers;
	struct task_struct *hammers[PS_MAX_THREADS];
	unsigned int nr_hammers;
	struct cpumask toggler_mask, hammer_mask;
	u64 start_ns;
	u64 end_ns;
};

/* config.c */
extern struct ps_config ps_cfg;
void ps_config_defaults(struct ps_config *cfg);
int ps_config_apply(struct ps_config *cfg, char *text);
int ps_config_validate(const struct ps_config *cfg);
int ps_config_show(const struct ps_config *cfg, char *buf, size_t len);
int ps_config_write(char *text);

/* targets.c */
int ps_targets_init(void);
int ps_target_resolve(const char *name, unsigned long strategies,
		      int kprobe_offset, struct ps_target *t);
bool ps_have_symbol_lookup(void);
bool ps_is_ftrace_site(unsigned long addr);
unsigned long ps_symbol_addr(const char *name);
int ps_kprobe_fits(unsigned long addr);

/* storm.c */
enum ps_state { PS_IDLE, PS_RUNNING, PS_DONE };
extern struct mutex ps_lock;
enum ps_state ps_state(void);
int ps_storm_start(void);
int ps_storm_stop(void);
int ps_storm_reset(void);
void ps_storm_exit(void);
int ps_stats_show(char *buf, size_t len);
int ps_target_index(unsigned long ip, const struct ps_toggler *tg,
		    enum ps_strat s);
extern struct ps_storm ps_storm;

/*
 * hist.c: latency histograms.  0 .. PS_H_FIRST_EXTRA - 1 are the patch
 * latencies, strategy * 2 + enable; then the others.
 */
enum ps_hist_id {
	PS_H_FIRST_EXTRA = 2 * PS_NR_BASE_STRATS,
	PS_H_VISIBILITY = PS_H_FIRST_EXTRA,
	PS_H_STALL,
	PS_H_FLUSH,
	PS_H_STALE,		/* ns after a toggle completed that a stale call began */
	PS_NR_HISTS,
};

int ps_hist_init(void);
void ps_hist_exit(void);
void ps_hist_reset(void);
void ps_hist_record(unsigned int id, u64 ns);
u64 ps_hist_count(unsigned int id);
int ps_hist_name(unsigned int id, char *buf, size_t len);
int ps_hist_show(unsigned int id, char *buf, size_t len);

/* detect.c: stale execution and visibility */
void ps_detect_reset(void);
u64 ps_toggle_begin(const struct ps_strat_state *st, unsigned int first,
		    unsigned int n, u64 start_ns);
void ps_toggle_end(const struct ps_strat_state *st, int s, unsigned int first,
		   unsigned int n, const bool *was_on, u64 seq, u64 start_ns);
u64 ps_hammer_call(unsigned int t, const struct ps_victim *v);

/* anomaly.c */
void ps_anomaly(const char *kind, int target, unsigned long addr, u64 bytes,
		int strategy, u64 seq, u64 detail);
u64 ps_anomaly_count(void);
u64 ps_anomaly_first_ns(void);
void ps_anomaly_reset(void);
int ps_anomalies_show(char *buf, size_t len);
int ps_anomaly_kinds_show(char *buf, size_t len);

/* widen.c */
int ps_widen_start(const struct ps_config *cfg, const struct cpumask *mask);
void ps_widen_stop(void);
u64 ps_widen_count(void);

/* inject.c */
extern const char *const ps_inject_names[PS_NR_INJECT];
int ps_inject_lookup(const char *name);
bool ps_inject_toggle(struct ps_toggler *tg, int s, unsigned int first,
		      unsigned int n, bool enable, u64 seq, u64 t0, int *ret);
int ps_inject_check(const struct ps_config *cfg);
int ps_poke(unsigned long addr, const void *bytes, size_t len);
int ps_inject_start(void);
void ps_inject_stop(void);

/* flush.c: the arch's flush step timed on its own */
#define PS_FLUSH_US	10000
int ps_flush_start(const struct cpumask *mask);
void ps_flush_stop(void);

/* bench.c */
int ps_bench_write(char *text);
int ps_bench_show(char *buf, size_t len);

/* debugfs.c */
int ps_debugfs_init(void);
void ps_debugfs_exit(void);
int ps_caps_show(char *buf, size_t len);

/* Error reason for the last rejected configuration or start. */
extern char ps_last_error[128];
__printf(1, 2) void ps_error(const char *fmt, ...);

/* sites.c: patch sites and the sampler */
void ps_sites_init(void);
void ps_sites_allow_ops(const void *ops);
void ps_sites_add_cold(void);
int ps_samplers_start(unsigned int n, const struct cpumask *mask);
void ps_samplers_stop(void);
void ps_sites_patch_begin(struct ps_toggler *tg);
void ps_sites_wake_samplers(void);
void ps_sites_patch_end(struct ps_toggler *tg);
#define PS_SITE_CLASSES 5	/* enum ps_site_class, decode.h */
void ps_sites_counts(u64 *counts);
void ps_sampler_counts(u64 *passes, u64 *sleeps);
u64 ps_sampler_cpu_ns(void);
const char *ps_site_class_name(unsigned int c);
int ps_sites_show(char *buf, size_t len);

/* arch/<arch>.c */
extern const char *const ps_arch_name;
extern const char *const ps_arch_syscall_prefix;
int ps_arch_kprobe_offset(unsigned long addr);
int ps_arch_caps_show(char *buf, size_t len);
bool ps_arch_ftrace_site(unsigned long func, unsigned long *addr,
			 unsigned int *len);
/* the ftrace_ops literal of @func's call site (CALL_OPS), if it has one */
bool ps_arch_ftrace_ops_slot(unsigned long func, unsigned long *slot);
unsigned int ps_arch_kprobe_site_len(unsigned long addr);
unsigned int ps_arch_jump_site_len(unsigned long addr);
void ps_arch_read_site(unsigned long addr, unsigned int len, u8 *buf);
/* enum ps_site_class (decode.h) of @cur at a site of enum ps_site_kind */
int ps_arch_classify(int kind, const u8 *cur, const u8 *orig,
		     unsigned int len);
/* the kernel's own text patch primitive, without its sync step */
bool ps_arch_can_poke(void);
int ps_arch_poke_locked(unsigned long addr, const void *bytes, size_t len);

/* what inject=torn-site writes at an ftrace site: a mixed pair, a torn one */
struct ps_poke {
	unsigned int off, len;
	u8 bytes[8];
};

#define PS_TORN_POKES 2
/* the pokes for a site whose "off" bytes are @orig */
const struct ps_poke *ps_arch_torn_pokes(const u8 *orig);
extern const struct ps_poke ps_arch_illegal_poke;
extern const struct ps_poke ps_arch_break_poke;
/* the arch's cross-CPU text flush, for flush.c; can it be called here? */
bool ps_arch_can_flush(void);
void ps_arch_flush(void);
/* are traps at victims' ftrace sites caught and survived here? */
bool ps_arch_catches_traps(void);
/* and breakpoints that no probe owns? */
bool ps_arch_catches_breaks(void);
int ps_arch_init(void);
void ps_arch_exit(void);

#endif /* _PATCHSTORM_H */
