// SPDX-License-Identifier: GPL-2.0
/*
 * The module's tables, included line by line from module/tables/: one
 * fact in one place, for the module and the CLI alike.
 */
#include "knobs.h"

#include <stdio.h>
#include <string.h>
#include "limits.h"
#include "util.h"

#define PS_KNOB(n, kind, d, lo, hi, vals, help) \
	{ #n, KK_##kind, d, lo, hi, vals, help },
const struct knob knobs[] = {
#include "knobs.def"
};
#undef PS_KNOB
const size_t nr_knobs = ARRAY_SIZE(knobs);

#define PS_STRATEGY(id, name) name,
const char *const strategy_names[] = {
#include "strategies.def"
};
#undef PS_STRATEGY
const size_t nr_strategies = ARRAY_SIZE(strategy_names);

#define PS_INJECTION(id, name, trips) name,
const char *const injection_names[] = {
#include "injections.def"
};
#undef PS_INJECTION
#define PS_INJECTION(id, name, trips) trips,
const char *const injection_trips[] = {
#include "injections.def"
};
#undef PS_INJECTION
const size_t nr_injections = ARRAY_SIZE(injection_names);

#define PS_ANOMALY(id, name, what) name,
const char *const anomaly_names[] = {
#include "anomalies.def"
};
#undef PS_ANOMALY
const size_t nr_anomaly_kinds = ARRAY_SIZE(anomaly_names);

const struct knob *knob_find(const char *name)
{
	size_t i;

	for (i = 0; i < nr_knobs; i++)
		if (!strcmp(name, knobs[i].name))
			return &knobs[i];
	return NULL;
}

void knob_option(const struct knob *k, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "%s", k->name);
	for (p = buf; *p; p++)
		if (*p == '_')
			*p = '-';
}

static int in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

int is_strategy_name(const char *s)
{
	return in_list(s, strategy_names, nr_strategies);
}

int is_injection_name(const char *s)
{
	return in_list(s, injection_names, nr_injections);
}
