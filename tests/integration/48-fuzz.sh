#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fuzzing the debugfs files: FUZZ_WRITES (default 10000) writes
# generated from the module's own tables (valid lines, then every key
# with wrong types, huge numbers, empty, long, binary and mutated ones;
# tests/fuzz/gen-writes.py) to config, control and bench, storms started
# and stopped among them, applied in the guest by tests/fuzz/ps-fuzz.c
# (tests/guest/fuzz.sh): every write accepted whole or refused with
# EINVAL/EBUSY (config: ENOENT for a target the kernel lacks, EPERM for
# inject= without allow_inject=1) and nothing changed, 0 kernel reports
# (the runner's console scan). The same under the debug kernel (KASAN, lockdep,
# kmemleak; about 27 min to build cold) is the arm64+debug variant, and
# x86_64-6.12+debug's.
# on: riscv64 extended: 10000 writes with storms among them (several minutes)
# on: arm64+debug extended: the same under the debug kernel (KASAN, lockdep, kmemleak: no report); builds it, about 27 min cold
# on: x86_64-6.12+debug extended: the same under x86_64's debug kernel, from source; builds it, about 12 min cold
. "$(dirname "$0")/lib.sh"
n=${FUZZ_WRITES:-10000}
# (FUZZ_WRITES, FUZZ_SEED, FUZZ_DURATION: the guest's time for them, 600 s;
# the debug kernel's 10000 took 716 s beside another guest: 780 s there,
# what the 900 s a test has allows)
dur=${FUZZ_DURATION:-600}
[ "$KFLAVOR" = debug ] && dur=${FUZZ_DURATION:-780}
python3 "$ROOT/tests/fuzz/gen-writes.py" --count "$n" --seed "${FUZZ_SEED:-1}" "$RES/fuzz.bin" ||
	fail "cannot generate the writes"
make -s -C "$ROOT/tests/fuzz" TARGET="$ARCH" || fail "cannot build the fuzz driver for $ARCH"
guest_checks "$ARCH" fuzz.sh "${KSRC[@]}" "${FLAVOR[@]}" --cpus 2 --duration "$dur" --grace 60 --boot-timeout 120 \
	--add "$ROOT/build/fuzz/$ARCH/ps-fuzz:/patchstorm/ps-fuzz" --add "$RES/fuzz.bin:/patchstorm/fuzz.bin"
d=$RES/$ARCH
grep '^fuzz' "$d/out/fuzz.log" | sed 's/^/  /'
pass "$GUEST_LINE; $(tail -n1 "$d/out/fuzz.log")"
