// SPDX-License-Identifier: GPL-2.0
/*
 * CPUs going offline and online during a storm.  A storm thread whose
 * CPU goes offline is moved by the scheduler to another online CPU and
 * goes on there (lib/kthread.c: its CPU is an affinity, not a binding);
 * so do the per-CPU timers (hrtimers_cpu_dying()).  When the CPU comes
 * back, its threads and timers go back to it.  Patching while CPUs come
 * and go is part of the storm: stop_machine() and cpus_read_lock() meet
 * there.  The stats count both directions.
 */
#include <linux/cpuhotplug.h>
#include <linux/cpu.h>
#include "engine/engine.h"
#include "detectors/detectors.h"

static int ps_cpuhp_state = -1;
static atomic_t ps_cpus_down, ps_cpus_up;

static int ps_cpu_online(unsigned int cpu)
{
	atomic_inc(&ps_cpus_up);
	ps_kthreads_rehome(cpu);
	ps_stuck_rehome(cpu);
	ps_widen_rehome(cpu);
	return 0;
}

static int ps_cpu_offline(unsigned int cpu)
{
	atomic_inc(&ps_cpus_down);
	return 0;
}

int ps_hotplug_start(void)
{
	int ret;

	atomic_set(&ps_cpus_down, 0);
	atomic_set(&ps_cpus_up, 0);
	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "patchstorm:storm",
					ps_cpu_online, ps_cpu_offline);
	if (ret < 0)
		return ret;
	ps_cpuhp_state = ret;
	return 0;
}

void ps_hotplug_stop(void)
{
	if (ps_cpuhp_state < 0)
		return;
	cpuhp_remove_state_nocalls(ps_cpuhp_state);
	ps_cpuhp_state = -1;
}

void ps_hotplug_counts(unsigned int *down, unsigned int *up)
{
	*down = atomic_read(&ps_cpus_down);
	*up = atomic_read(&ps_cpus_up);
}
