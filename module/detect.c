// SPDX-License-Identifier: GPL-2.0
/*
 * Stale execution and visibility latency, seen from the hammers.
 *
 * Every toggle brackets its targets: busy and gen go up before the
 * patching API is called, "on" (how many strategy instances have the
 * target instrumented) changes after it returns, then gen goes up again
 * and busy down.  A hammer reads gen, busy and on, calls the victim, and
 * reads gen again; if no toggle was in flight and none began or ended
 * meanwhile, the call must have shown the current state: a handler ran
 * (on > 0) or none did (on == 0).  Otherwise the CPU executed text the
 * API had already replaced: stale.
 *
 * Each stale call is counted on its CPU (stats: stale.cpuN) and how long
 * after the toggle's completion it began goes into hist/stale.
 *
 * Visibility: for a toggle that changes whether the target is
 * instrumented, the first call on each CPU that shows the new behaviour
 * records the time since that toggle began.
 */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/uaccess.h>
#include "patchstorm.h"
#include "ps_trace.h"

struct ps_tstate {
	atomic_t busy;
	atomic_t gen;
	atomic_t on;
	/* the latest behaviour-changing toggle */
	u64 change_seq;
	u64 change_start_ns;
	u64 end_ns;
	int change_strategy;
	bool change_to_on;
};

static struct ps_tstate ps_tstates[PS_MAX_TARGETS];
static atomic64_t ps_toggle_seq;

/* per CPU: which change of each target this CPU has already been timed for */
static DEFINE_PER_CPU(u64[PS_MAX_TARGETS], ps_seen_change);

void ps_detect_reset(void)
{
	unsigned int cpu;

	memset(ps_tstates, 0, sizeof(ps_tstates));
	atomic64_set(&ps_toggle_seq, 0);
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&ps_seen_change, cpu), 0,
		       sizeof(u64) * PS_MAX_TARGETS);
}

u64 ps_toggle_begin(const struct ps_strat_state *st, unsigned int first,
		    unsigned int n, u64 start_ns)
{
	unsigned int i;

	for (i = first; i < first + n; i++) {
		struct ps_tstate *ts = &ps_tstates[st->idx[i]];

		atomic_inc(&ts->busy);
		atomic_inc(&ts->gen);
	}
	/* busy/gen visible before any of the patch is */
	smp_mb__after_atomic();
	return atomic64_inc_return(&ps_toggle_seq);
}

/* After the API call: @st->on[] already holds the outcome. */
void ps_toggle_end(const struct ps_strat_state *st, int s, unsigned int first,
		   unsigned int n, const bool *was_on, u64 seq, u64 start_ns)
{
	u64 now = ktime_get_ns();
	unsigned int i;

	for (i = first; i < first + n; i++) {
		struct ps_tstate *ts = &ps_tstates[st->idx[i]];
		int on;

		if (st->on[i] != was_on[i - first]) {
			on = st->on[i] ? atomic_inc_return(&ts->on) :
					 atomic_dec_return(&ts->on);
			/* 0 -> 1 or 1 -> 0: behaviour changes */
			if (on == (st->on[i] ? 1 : 0)) {
				WRITE_ONCE(ts->change_start_ns, start_ns);
				WRITE_ONCE(ts->change_to_on, st->on[i]);
				WRITE_ONCE(ts->change_strategy, s);
				/* pairs with smp_rmb() after reading change_seq */
				smp_wmb();
				WRITE_ONCE(ts->change_seq, seq);
			}
		}
		WRITE_ONCE(ts->end_ns, now);
		/* "on" and end_ns visible before the generation moves */
		smp_mb__before_atomic();
		atomic_inc(&ts->gen);
		atomic_dec(&ts->busy);
	}
}

/*
 * A wrong answer, or the sentinel of a trap caught at the victim's entry
 * site (arch/): counted with the site's bytes as the hammer finds them
 * and the latest change of the target.
 */
static void ps_bad_answer(unsigned int t, const struct ps_victim *v, u64 r)
{
	const struct ps_tstate *ts = &ps_tstates[t];
	u8 site[8];
	u64 bytes = 0;
	unsigned int i;

	if (r - PS_TRAP_SENTINEL < 16) {
		this_cpu_inc(ps_counters.traps);
		if (!copy_from_kernel_nofault(site, v->fn, sizeof(site)))
			for (i = 0; i < sizeof(site); i++)
				bytes = bytes << 8 | site[i];
		ps_anomaly("trap", t,
			   (unsigned long)v->fn + (r - PS_TRAP_SENTINEL), bytes,
			   READ_ONCE(ts->change_strategy),
			   READ_ONCE(ts->change_seq), r - PS_TRAP_SENTINEL);
		return;
	}
	this_cpu_inc(ps_counters.mismatches);
	ps_anomaly("wrong-answer", t, (unsigned long)v->fn, 0, -1,
		   atomic64_read(&ps_toggle_seq), r);
}

/*
 * Call victim target @t once and check it: the answer, stale execution,
 * visibility.  Returns the call's duration in ns.
 */
u64 ps_hammer_call(unsigned int t, const struct ps_victim *v)
{
	struct ps_tstate *ts = &ps_tstates[t];
	u64 g1, busy, on, hits0, t0, t1, r, cseq;
	bool saw;

	if (ps_storm.cfg.no_checks) {
		t0 = ktime_get_ns();
		r = v->fn(READ_ONCE(v->arg));
		t1 = ktime_get_ns();
		if (unlikely(r != v->answer))
			ps_bad_answer(t, v, r);
		return t1 - t0;
	}

	g1 = atomic_read(&ts->gen);
	busy = atomic_read(&ts->busy);
	on = atomic_read(&ts->on);
	/* pairs with the barriers around the toggle in ps_toggle_begin/end */
	smp_rmb();
	hits0 = this_cpu_read(ps_counters.target_hits[t]);
	t0 = ktime_get_ns();
	r = v->fn(READ_ONCE(v->arg));
	t1 = ktime_get_ns();
	saw = this_cpu_read(ps_counters.target_hits[t]) != hits0;
	/* the call happens before the second generation read */
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
	if (!busy && g1 == atomic_read(&ts->gen) && saw != !!on) {
		u64 late = t0 - READ_ONCE(ts->end_ns);

		this_cpu_inc(ps_counters.stale);
		ps_hist_record(PS_H_STALE, late);
		/* bytes: 1 if a handler should have run and did not, else 0 */
		/* an injected fault is never excused as an emulator artefact */
		if (ps_storm.cfg.stale_warn && !ps_storm.cfg.inject)
			trace_patchstorm_anomaly("stale-warn",
						 smp_processor_id(),
						 (unsigned long)v->fn, !!on);
		else
			ps_anomaly("stale", t, (unsigned long)v->fn, !!on,
				   READ_ONCE(ts->change_strategy),
				   READ_ONCE(ts->change_seq), late);
	}

	cseq = READ_ONCE(ts->change_seq);
	/* pairs with smp_wmb() in ps_toggle_end() */
	smp_rmb();
	if (cseq && cseq != this_cpu_read(ps_seen_change[t]) &&
	    saw == READ_ONCE(ts->change_to_on)) {
		u64 start = READ_ONCE(ts->change_start_ns);

		this_cpu_write(ps_seen_change[t], cseq);
		if (t1 > start) {
			ps_hist_record(PS_H_VISIBILITY, t1 - start);
			trace_patchstorm_visibility(smp_processor_id(),
						    ps_storm.targets[t].name,
						    saw, t1 - start);
		}
	}
	return t1 - t0;
}
