#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lifecycle-races.sh, its start/stop/reset sequences only (SEQS, default 100).
RMMODS=0
. /patchstorm/lifecycle-races.sh
