/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A storm's results as KTAP version 1 (Documentation/dev-tools/ktap.rst),
 * for kselftest- and KernelCI-style runners: a test for the storm's
 * verdict (and the QEMU runner's, when the results come from one), then
 * one subtest per strategy and one per detector, each with its counts as
 * diagnostic lines; "not ok" with the reason on failure, "# SKIP" with the
 * reason for what the kernel (caps) or the configuration leaves out.
 */
#ifndef PS_KTAP_H
#define PS_KTAP_H

#include "results.h"

/* The KTAP document; caller frees. */
char *ktap_text(const struct ps_results *r);

#endif
