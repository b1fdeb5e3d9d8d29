// SPDX-License-Identifier: GPL-2.0
/*
 * Stale execution and visibility latency, seen from the hammers, per
 * (target, strategy): one strategy still instrumenting a target must
 * not hide another's stale call.
 *
 * Every toggle brackets its targets (struct ps_toggle).  ps_toggle_open()
 * marks each (target, strategy) busy and moves its generation, in one
 * fully ordered atomic; ps_toggle_close() records how many instances of
 * the strategy now have the target instrumented ("on"), then moves the
 * generation again and drops busy, in one fully ordered atomic that
 * publishes "on".  A hammer reads the word with acquire, then "on",
 * calls the victim, and reads the word again: if no toggle of that
 * strategy was in flight and none began or ended meanwhile, the call
 * must have shown the strategy's current state: its handler ran (on > 0)
 * or did not (on == 0).  Otherwise the CPU ran text the API had already
 * replaced: stale.  Busy and the generation share one word so that no
 * CPU can see one moved without the other.
 *
 * A refcounted strategy (static-key-ref) counts settled references
 * instead: "on" goes up when an inc returned and down as a dec begins,
 * before the patching API is called, since from then on its holder no
 * longer relies on the state.  While that count is above 0 the state must
 * show even with toggles in flight (an inc returned while another CPU's
 * first inc is still patching is the bug it looks for); at 0 it is
 * checked, as for any strategy, only with no toggle in flight.
 *
 * Each stale call is counted on its CPU (stats: stale.cpuN) and how long
 * after the toggle's completion it began goes into hist/stale.
 *
 * Visibility: for a toggle that changes whether the target is
 * instrumented by the strategy, the first call on each CPU that shows the
 * new behaviour records the time since that toggle began.
 */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/uaccess.h>
#include "detectors/detectors.h"
#include "arch/arch.h"
#include "latency/latency.h"
#include "latency/ps_trace.h"

#define PS_BUSY_ONE	1ULL
#define PS_BUSY_MASK	0xffffULL
#define PS_GEN_ONE	BIT_ULL(16)

struct ps_tstate {
	atomic64_t word;			/* generation << 16 | busy */
	atomic_t on;
	u64 end_ns;				/* of the latest toggle */
	/* the latest toggle that changed whether a handler runs */
	u64 change_seq;
	u64 change_start_ns;
	bool change_to_on;
};

static struct ps_tstate ps_ts[PS_MAX_TARGETS][PS_NR_STRATEGIES];
/* which strategies use each target, set before the storm's threads run */
static unsigned long ps_target_strats[PS_MAX_TARGETS];
/* ... and of those, which the hammers' calls check */
static unsigned long ps_target_calls[PS_MAX_TARGETS];
/* ... and which count references (refcounted strategies) */
static unsigned long ps_target_held[PS_MAX_TARGETS];
/* the site kinds (bits) each strategy writes at each target */
static unsigned int ps_ts_kinds[PS_MAX_TARGETS][PS_NR_STRATEGIES];
/* per target: the latest toggle of any strategy, for trap reports */
static struct {
	u64 seq;
	int sid;
} ps_last_toggle[PS_MAX_TARGETS];
static atomic64_t ps_toggle_seq;

/*
 * per CPU: which change of each (target, strategy) it was timed for;
 * allocated, as static per-CPU data of a module must fit the kernel's
 * small reserve for all modules (8 KiB), which ps_counters nearly fills
 */
struct ps_seen {
	u64 seq[PS_MAX_TARGETS][PS_NR_STRATEGIES];
};

static struct ps_seen __percpu *ps_seen_change;

int ps_stale_init(void)
{
	ps_seen_change = alloc_percpu(struct ps_seen);
	return ps_seen_change ? 0 : -ENOMEM;
}

void ps_stale_exit(void)
{
	free_percpu(ps_seen_change);
}

void ps_stale_reset(void)
{
	unsigned int cpu;

	memset(ps_ts, 0, sizeof(ps_ts));
	memset(ps_target_strats, 0, sizeof(ps_target_strats));
	memset(ps_target_calls, 0, sizeof(ps_target_calls));
	memset(ps_target_held, 0, sizeof(ps_target_held));
	memset(ps_ts_kinds, 0, sizeof(ps_ts_kinds));
	memset(ps_last_toggle, 0, sizeof(ps_last_toggle));
	atomic64_set(&ps_toggle_seq, 0);
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(ps_seen_change, cpu), 0,
		       sizeof(struct ps_seen));
}

/*
 * Strategy @sid toggles target @t in this storm, writing its sites of
 * @kinds (enum ps_site_kind bits): its toggles check those sites, and
 * with @calls the hammers check its calls.  @held: it is refcounted.
 */
void ps_stale_use(unsigned int t, unsigned int sid, unsigned int kinds,
		  bool calls, bool held)
{
	set_bit(sid, &ps_target_strats[t]);
	if (calls)
		set_bit(sid, &ps_target_calls[t]);
	if (held)
		set_bit(sid, &ps_target_held[t]);
	ps_ts_kinds[t][sid] |= kinds;
}

static void ps_expect_after(const struct ps_toggle *tog);

/* Does "on" of (@t, @s) count settled references? */
static bool ps_held(unsigned int t, unsigned int s)
{
	return test_bit(s, &ps_target_held[t]);
}

/* The count "on" of @ts became @cnt by @tog: a change of behaviour? */
static void ps_note_change(struct ps_tstate *ts, const struct ps_toggle *tog,
			   bool on, int cnt)
{
	/* 0 -> 1 or 1 -> 0: behaviour changes */
	if (cnt != (on ? 1 : 0))
		return;
	WRITE_ONCE(ts->change_start_ns, tog->start_ns);
	WRITE_ONCE(ts->change_to_on, on);
	/* pairs with smp_rmb() after reading change_seq */
	smp_wmb();
	WRITE_ONCE(ts->change_seq, tog->seq);
}

void ps_toggle_open(struct ps_toggle *tog)
{
	unsigned int i;

	tog->closed = false;
	memset(tog->settled, 0, tog->n * sizeof(bool));
	tog->seq = atomic64_inc_return(&ps_toggle_seq);
	for (i = 0; i < tog->n; i++) {
		struct ps_tstate *ts = &ps_ts[tog->idx[i]][tog->sid];

		/*
		 * Fully ordered: busy before any of the patch is visible, and
		 * before a held reference is given up below, so that a check
		 * that read "on" after the drop sees the word move too.
		 */
		atomic64_add_return(PS_GEN_ONE + PS_BUSY_ONE, &ts->word);
		/* a dec begins: its reference is no longer relied on */
		if (ps_held(tog->idx[i], tog->sid) && tog->was_on[i] &&
		    !tog->enable)
			ps_note_change(ts, tog, false,
				       atomic_dec_return(&ts->on));
	}
}

/* Target @i of @tog is in the state @tog->on[@i] says: publish it. */
static void ps_toggle_publish(struct ps_toggle *tog, unsigned int i)
{
	unsigned int t = tog->idx[i];
	struct ps_tstate *ts = &ps_ts[t][tog->sid];
	bool on = tog->on[i];
	bool held = ps_held(t, tog->sid);

	tog->settled[i] = true;
	/* a held reference was given up as its dec began */
	if (held && tog->was_on[i] && !tog->enable) {
		/* a dec that did not happen: it is held after all */
		if (on)
			atomic_inc(&ts->on);
	} else if (on != tog->was_on[i]) {
		ps_note_change(ts, tog, on,
			       on ? atomic_inc_return(&ts->on) :
				    atomic_dec_return(&ts->on));
	}
	WRITE_ONCE(ts->end_ns, ktime_get_ns());
	WRITE_ONCE(ps_last_toggle[t].seq, tog->seq);
	WRITE_ONCE(ps_last_toggle[t].sid, tog->sid);
	/* fully ordered: "on" and end_ns published with the generation */
	atomic64_add_return(PS_GEN_ONE - PS_BUSY_ONE, &ts->word);
}

/*
 * The API call for target @i of @tog returned, before the toggle's
 * others: from now on a call of that target must show it.  A batch
 * (batch=N) of targets each patched by its own call (static keys,
 * kprobes) would otherwise keep the first one's check off until the
 * last one's call returned, and a write the first call left unsynced
 * could be covered by the next call's sync.
 */
void ps_toggle_settle(struct ps_toggle *tog, unsigned int i)
{
	if (!tog->closed && i < tog->n && !tog->settled[i])
		ps_toggle_publish(tog, i);
}

/* The API returned and @tog->on holds the outcome: publish it, once. */
void ps_toggle_close(struct ps_toggle *tog)
{
	unsigned int i;

	if (tog->closed)
		return;
	for (i = 0; i < tog->n; i++)
		if (!tog->settled[i])
			ps_toggle_publish(tog, i);
	tog->closed = true;
	ps_expect_after(tog);
}

/*
 * Target @t's site of @kind must now be in the state its strategies last
 * reported: on if any instance of any strategy that writes that kind of
 * site has it on, else off.  Checked only while none of them is in a
 * toggle, before and after the read: a toggle in flight may rightly
 * leave any legal state; except that a settled reference of a
 * refcounted strategy means on, toggles in flight or not.  Torn and
 * mixed reads are the samplers' to report; here a whole legal state is
 * the wrong one, as when a patcher returns before its write lands (or
 * undoes it).
 */
static void ps_expect_site(unsigned int t, unsigned int kind, u64 seq)
{
	unsigned long strats = READ_ONCE(ps_target_strats[t]), mask = 0;
	u64 w[PS_NR_STRATEGIES], bytes;
	bool busy = false, held = false;
	unsigned long addr;
	unsigned int s;
	int on = 0, want, c, n;

	for_each_set_bit(s, &strats, PS_NR_STRATEGIES)
		if (ps_ts_kinds[t][s] & BIT(kind))
			mask |= BIT(s);
	for_each_set_bit(s, &mask, PS_NR_STRATEGIES) {
		w[s] = atomic64_read_acquire(&ps_ts[t][s].word);
		busy |= w[s] & PS_BUSY_MASK;
		n = atomic_read(&ps_ts[t][s].on);
		held |= n > 0 && ps_held(t, s);
		on += n;
	}
	if (busy && !held)
		return;
	want = on ? PS_CLASS_ON : PS_CLASS_OFF;
	c = ps_sites_class_of(t, kind, want, &addr, &bytes);
	if (c < 0 || c == want)
		return;
	/* the read happens before the generations are read again */
	smp_rmb();
	for_each_set_bit(s, &mask, PS_NR_STRATEGIES)
		if (atomic64_read(&ps_ts[t][s].word) != w[s])
			return;
	ps_anomaly(PS_A_UNEXPECTED_STATE, t, addr, bytes,
		   READ_ONCE(ps_last_toggle[t].sid), seq, kind);
}

/*
 * After a toggle closed, on the toggler: each site of its targets of the
 * kinds its strategy writes, where the arch patches them synchronously
 * (ps_arch.async_sites: kinds the kernel may still rewrite after the
 * API returned, such as x86's optimized kprobes).
 */
static void ps_expect_after(const struct ps_toggle *tog)
{
	unsigned int i, k, kinds;

	if (ps_run.cfg.checks == PS_CHECKS_OFF)
		return;
	for (i = 0; i < tog->n; i++) {
		/* enable/disable racing on one key (shared_keys=on): no state */
		if (ps_run.cfg.shared_keys == PS_SHARED_KEYS_ON &&
		    !ps_held(tog->idx[i], tog->sid))
			continue;
		kinds = ps_ts_kinds[tog->idx[i]][tog->sid] & ~ps_arch.async_sites;
		for (k = 0; k < PS_NR_SITE_KINDS; k++)
			if (kinds & BIT(k))
				ps_expect_site(tog->idx[i], k, tog->seq);
	}
}

/*
 * A wrong answer, or the sentinel of a trap caught at the victim's entry
 * site (arch/): counted with the site's bytes as the hammer finds them
 * and the target's latest toggle.
 */
static void ps_bad_answer(unsigned int t, const struct ps_victim *v, u64 r)
{
	u8 site[8];
	u64 bytes = 0;
	unsigned int i;

	if (r - PS_TRAP_SENTINEL < 16) {
		if (!copy_from_kernel_nofault(site, v->fn, sizeof(site)))
			for (i = 0; i < sizeof(site); i++)
				bytes = bytes << 8 | site[i];
		ps_anomaly(PS_A_TRAP, t,
			   (unsigned long)v->fn + (r - PS_TRAP_SENTINEL), bytes,
			   READ_ONCE(ps_last_toggle[t].sid),
			   READ_ONCE(ps_last_toggle[t].seq),
			   r - PS_TRAP_SENTINEL);
		return;
	}
	ps_anomaly(PS_A_WRONG_ANSWER, t, (unsigned long)v->fn, 0, -1,
		   atomic64_read(&ps_toggle_seq), r);
}

static void ps_stale_call(unsigned int t, unsigned int s,
			  const struct ps_victim *v, bool on, u64 t0)
{
	struct ps_tstate *ts = &ps_ts[t][s];
	u64 late = t0 - READ_ONCE(ts->end_ns);

	this_cpu_inc(ps_counters.stale);
	ps_hist_record(PS_H_STALE, late);
	/* bytes: 1 if a handler should have run and did not, else 0 */
	/* an injected fault is never excused as an emulator artefact */
	if (ps_run.cfg.stale == PS_STALE_WARN && !ps_run.cfg.inject)
		trace_patchstorm_anomaly("stale-warn", raw_smp_processor_id(),
					 (unsigned long)v->fn, on);
	else
		ps_anomaly(PS_A_STALE, t, (unsigned long)v->fn, on, s,
			   READ_ONCE(ts->change_seq), late);
}

/*
 * A stale call a strategy saw itself, in text of its own (module-churn's
 * checks of its module): @late ns after its API returned.  The caller is
 * the patching CPU, so no emulator artefact excuses it.
 */
void ps_stale_own(unsigned int s, unsigned long addr, bool on, u64 late)
{
	this_cpu_inc(ps_counters.stale);
	ps_hist_record(PS_H_STALE, late);
	ps_anomaly(PS_A_STALE, -1, addr, on, s, 0, late);
}

/* The first call on this CPU to show (target, strategy)'s latest change. */
static void ps_visibility(unsigned int t, unsigned int s, bool saw, u64 t1)
{
	struct ps_tstate *ts = &ps_ts[t][s];
	u64 cseq = READ_ONCE(ts->change_seq), start;

	/* pairs with smp_wmb() in ps_toggle_close() */
	smp_rmb();
	if (!cseq || cseq == this_cpu_read(ps_seen_change->seq[t][s]) ||
	    saw != READ_ONCE(ts->change_to_on))
		return;
	this_cpu_write(ps_seen_change->seq[t][s], cseq);
	start = READ_ONCE(ts->change_start_ns);
	if (t1 > start) {
		ps_hist_record(PS_H_VISIBILITY, t1 - start);
		trace_patchstorm_visibility(raw_smp_processor_id(),
					    ps_run.targets[t].name, saw,
					    t1 - start);
	}
}

/*
 * Call victim target @t once and check it: the answer, stale execution
 * per strategy, visibility.  Returns the call's duration in ns.
 */
u64 ps_hammer_call(unsigned int t, const struct ps_victim *v)
{
	u64 w1[PS_NR_STRATEGIES], hits0[PS_NR_STRATEGIES], t0, t1, r;
	int on[PS_NR_STRATEGIES];
	unsigned long strats = READ_ONCE(ps_target_calls[t]);
	bool checked = strats;
	unsigned int s;

	if (ps_run.cfg.checks == PS_CHECKS_OFF) {
		t0 = ktime_get_ns();
		r = v->fn(READ_ONCE(v->arg));
		t1 = ktime_get_ns();
		if (unlikely(r != v->answer))
			ps_bad_answer(t, v, r);
		return t1 - t0;
	}

	for_each_set_bit(s, &strats, PS_NR_STRATEGIES) {
		/* pairs with the fully ordered updates of ps_toggle_close() */
		w1[s] = atomic64_read_acquire(&ps_ts[t][s].word);
		on[s] = atomic_read(&ps_ts[t][s].on);
		hits0[s] = this_cpu_read(ps_counters.hits_ts[t][s]);
	}
	t0 = ktime_get_ns();
	r = v->fn(READ_ONCE(v->arg));
	t1 = ktime_get_ns();
	/* the call happens before the second reads */
	smp_rmb();

	/*
	 * A call that trapped at the site (or went wrong otherwise) did not
	 * run the text the toggle left there: it is its own anomaly, not
	 * also a stale call, and shows no new behaviour either.
	 */
	if (unlikely(r != v->answer)) {
		ps_bad_answer(t, v, r);
		return t1 - t0;
	}
	for_each_set_bit(s, &strats, PS_NR_STRATEGIES) {
		bool saw = this_cpu_read(ps_counters.hits_ts[t][s]) != hits0[s];

		/* settled: no toggle in flight, or a reference held */
		bool settled = !(w1[s] & PS_BUSY_MASK) ||
			       (on[s] > 0 && ps_held(t, s));

		if (settled && w1[s] == atomic64_read(&ps_ts[t][s].word)) {
			if (saw != !!on[s])
				ps_stale_call(t, s, v, on[s], t0);
		} else {
			checked = false;
		}
		ps_visibility(t, s, saw, t1);
	}
	/*
	 * Checked: no toggle of any of the target's strategies in flight.
	 * Skipped: one was, and the call showed nothing that must hold.
	 */
	if (checked)
		this_cpu_inc(ps_counters.stale_checked);
	else if (strats)
		this_cpu_inc(ps_counters.stale_skipped);
	return t1 - t0;
}
