// SPDX-License-Identifier: GPL-2.0
/*
 * targets=hot: the kernel code that runs while patching is in progress,
 * where bugs in how patching CPUs release each other or how an interrupt
 * lands between two halves of a patched pair show.  Each name is kept
 * where this kernel has it and a configured strategy can use it
 * (targets.c); tp:NAME is a tracepoint, whose jump labels all over the
 * kernel the tracepoint strategy rewrites.
 */
#include "engine/engine.h"

const struct ps_hot_target ps_hot_targets[] = {
	/* the stop_machine() rendezvous: riscv 6.12 ftrace, riscv and arm64 kprobes */
	{ "multi_cpu_stop", "the loop where CPUs wait for the patching CPU" },
	{ "cpu_stopper_thread", "runs the rendezvous on every CPU" },
	/* IPIs: the flushes and syncs after a nosync write */
	{ "handle_IPI", "riscv IPI entry: remote fence.i after a write" },
	{ "do_handle_IPI", "arm64 IPI entry: the kick after a write" },
	{ "generic_smp_call_function_single_interrupt",
	  "runs the flush or sync on the other CPUs" },
	{ "smp_call_function_many_cond", "sends them: flush_icache_all(), text_poke_sync()" },
	/* interrupt entry: an interrupt between two halves of a patched pair */
	{ "generic_handle_domain_irq", "interrupt dispatch" },
	{ "irq_exit_rcu", "interrupt exit, softirqs" },
	/* the tick */
	{ "hrtimer_interrupt", "the timer interrupt" },
	{ "tick_nohz_handler", "the tick" },
	{ "update_process_times", "per-tick accounting" },
	{ "sched_tick", "the scheduler's tick" },
	/* the scheduler: patchers sleep in RCU waits, samplers wake */
	{ "schedule", "every context switch" },
	{ "try_to_wake_up", "every wake-up" },
	{ "pick_next_task_fair", "picks the next task" },
	/* RCU: grace periods the unregister paths wait for */
	{ "rcu_sched_clock_irq", "RCU from the tick" },
	{ "rcu_note_context_switch", "RCU quiescent states" },
	/* the jump-label code itself */
	{ "__jump_label_update", "rewrites a key's sites" },
	/* tracepoints on those paths: their static keys' jump labels */
	{ "tp:sched_switch", "jump label in __schedule()" },
	{ "tp:sched_wakeup", "jump label in the wake-up path" },
	{ "tp:irq_handler_entry", "jump label in interrupt dispatch" },
	{ "tp:hrtimer_expire_entry", "jump label in hrtimer expiry" },
	{ "tp:ipi_entry", "jump label at IPI entry (where the arch has it)" },
};

const unsigned int ps_nr_hot_targets = ARRAY_SIZE(ps_hot_targets);
