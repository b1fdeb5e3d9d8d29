/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's tables, as the CLI sees them: its configuration knobs,
 * strategies, injections and anomaly kinds, read from the same .def
 * lines the module is generated from (module/tables/).
 */
#ifndef PS_KNOBS_H
#define PS_KNOBS_H

#include <stddef.h>
#include "hist_buckets.h"	/* u64 */

enum knob_kind {
	KK_UINT, KK_AUTO, KK_OFF_OR, KK_U64, KK_SECS, KK_CHOICE, KK_CPUS,
	KK_STRATS, KK_TARGETS, KK_WEIGHTS, KK_INJECT,
};

struct knob {
	const char *name;	/* config key: stall_ns */
	enum knob_kind kind;
	const char *def;
	u64 min, max;
	const char *values;	/* CHOICE: "a,b,c" */
	const char *help;
};

extern const struct knob knobs[];
extern const size_t nr_knobs;
extern const char *const strategy_names[];
extern const size_t nr_strategies;
extern const char *const injection_names[];
extern const char *const injection_trips[];
extern const size_t nr_injections;
extern const char *const anomaly_names[];
extern const size_t nr_anomaly_kinds;

const struct knob *knob_find(const char *name);
/* the knob's --option: its name with '-' for '_' */
void knob_option(const struct knob *k, char *buf, size_t len);
int is_strategy_name(const char *s);
int is_injection_name(const char *s);

#endif
