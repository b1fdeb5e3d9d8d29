#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `patchstorm run` with bad option values and in bad environments, in a
# guest (tests/guest/cli-badenv.sh): bad values exit 2, not root,
# no/corrupted/wrong-vermagic module, debugfs unmounted, a storm already
# running, the module unloaded mid-run exit 3; each one line on stderr.
# on: riscv64
. "$(dirname "$0")/lib.sh"
arch=$ARCH
kentry=$("$ROOT/scripts/build-kernel.sh" --arch $arch | tail -n1) || fail "no $arch kernel"
ko=$("$ROOT/scripts/build-module.sh" "$kentry" | grep '/patchstorm\.ko$' | head -n1)
[ -f "$ko" ] || fail "no patchstorm.ko for $arch"
# the same module, but its vermagic says it was built without module unloading
python3 - "$ko" "$RES/wrong-vermagic.ko" <<'PY' || fail "cannot make the wrong-vermagic module"
import sys
b = open(sys.argv[1], 'rb').read()
i = b.find(b'vermagic=')
j = b.find(b'mod_unload', i)
assert i >= 0 and j > i and b.find(b'\0', i) > j, 'no mod_unload in vermagic'
open(sys.argv[2], 'wb').write(b[:j] + b'mod_unl0ad' + b[j + 10:])
PY
guest_checks $arch cli-badenv.sh --cpus 2 --duration 60 --grace 30 \
	--add "$RES/wrong-vermagic.ko:/patchstorm/wrong-vermagic.ko"
pass "$GUEST_LINE"
