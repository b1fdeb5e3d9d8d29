#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every toggling strategy at once (ftrace filter/ops, kprobe arm/register,
# static keys, mixed) on the module's victims; STORM adds to or overrides it.
STORM="strategies=all targets=victims $STORM" exec sh /patchstorm/scenarios/default.sh
