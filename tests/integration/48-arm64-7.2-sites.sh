#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# arm64 on a newer kernel (Debian's linux-source-7.2, KSRC=debian:7.2):
# the same site layout (mov x9, x30; nop|bl; CALL_OPS literal), caps, a
# clean storm with only legal reads, and injection caught or refused
# (tests/guest/arm64-sites.sh).
# extended: fetches and builds an arm64 7.2 kernel (about 6 min cold)
. "$(dirname "$0")/lib.sh"
guest_checks arm64 arm64-sites.sh --ksrc debian:7.2 --cpus 2 --tcg single \
	--duration 120 --grace 60 \
	--add "$ROOT/tests/guest/storm-inject.sh:/patchstorm/storm-inject.sh"
pass "$GUEST_LINE"
