#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lifecycle-races.sh, its rmmods only (RMMODS, default 100).
SEQS=0
. /patchstorm/lifecycle-races.sh
