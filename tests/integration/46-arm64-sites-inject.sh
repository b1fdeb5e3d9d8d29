#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# arm64 patch sites and fault injection (tests/guest/arm64-sites.sh): caps,
# a clean storm whose every site read is legal, then each injection mode
# caught or, where arm64 cannot survive a trap, refused.  thread=single,
# as for riscv64: the control storms must not see QEMU MTTCG's stale
# translations.
# extended: builds an arm64 kernel (about 5 min cold)
. "$(dirname "$0")/lib.sh"
guest_checks arm64 arm64-sites.sh --cpus 2 --tcg single --duration 120 --grace 60 \
	--add "$ROOT/tests/guest/storm-inject.sh:/patchstorm/storm-inject.sh"
pass "$GUEST_LINE"
