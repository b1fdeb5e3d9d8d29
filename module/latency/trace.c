// SPDX-License-Identifier: GPL-2.0
/* The one place the patchstorm tracepoints are instantiated. */
#define CREATE_TRACE_POINTS
#include "latency/ps_trace.h"
