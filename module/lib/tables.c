// SPDX-License-Identifier: GPL-2.0
/*
 * The names in the tables (module/tables/, the .def files), as arrays to index:
 * the strategies', the injections' and the anomaly kinds'.
 */
#include "patchstorm.h"

const char *const ps_strategy_names[PS_NR_STRATEGIES] = {
	PS_STRATEGY_NAMES
};

const char *const ps_injection_names[PS_NR_INJECTIONS] = {
	PS_INJECTION_NAMES
};

const char *const ps_injection_trips[PS_NR_INJECTIONS] = {
	PS_INJECTION_TRIPS
};

const char *const ps_anomaly_names[PS_NR_ANOMALY_KINDS] = {
	PS_ANOMALY_NAMES
};

const char *const ps_anomaly_what[PS_NR_ANOMALY_KINDS] = {
	PS_ANOMALY_WHAT
};
