#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scripts/bisect.sh exits as `git bisect run` expects: 0 good, 1 bad, 125
# skip (does not build, does not boot), 128 for what no revision can fix.
# on: riscv64
. "$(dirname "$0")/lib.sh"
B=$ROOT/scripts/bisect.sh

# expect RC WHAT ARGS...: bisect.sh ARGS must exit RC
expect() {
	local want=$1 what=$2 rc
	shift 2
	"$B" --out "$RES/runs" "$@" >"$RES/out" 2>&1 </dev/null
	rc=$?
	echo "[$rc] $what: $(tail -n1 "$RES/out")"
	[ "$rc" = "$want" ] || { sed 's/^/  /' "$RES/out"; fail "$what: exit $rc, expected $want"; }
}

expect 128 "bad --runs" --runs 0
expect 128 "bad --boot-fail" --boot-fail maybe
expect 128 "not a kernel tree" --ksrc /nonexistent
( cd / && expect 128 "no tree given outside a git work tree" ) || exit 1
expect 128 "runner refuses its options" --check --cpus many

# a revision that does not build: skipped (its own cache, not the real one)
fake=$RES/fake-linux
mkdir -p "$fake"
printf 'VERSION = 6\nPATCHLEVEL = 99\nSUBLEVEL = 0\n%%:\n\t@echo "fake tree: $@ fails"; exit 1\n' >"$fake/Makefile"
PATCHSTORM_CACHE=$RES/cache expect 125 "tree that does not build" --ksrc "$fake" --arch "$ARCH"
grep -q "does not build: skip" "$RES/out" || fail "no skip line"

# the arch's default kernel (--check): good, bad, does not boot
expect 0 "guest command succeeds" --check --arch "$ARCH" --duration 3 --grace 10 --cmd true
grep -q "is good (1 of 1 runs SUCCESS)" "$RES/out" || fail "no good line"
expect 1 "guest command fails" --check --arch "$ARCH" --duration 3 --grace 10 --cmd 'exit 3'
grep -q "is bad (run 1 of 1: EXIT_STATUS" "$RES/out" || fail "no bad line naming the failure"
expect 125 "no init within the boot timeout" --check --arch "$ARCH" --boot-timeout 0 --cmd true
expect 1 "no boot, --boot-fail bad" --check --boot-fail bad --arch "$ARCH" --boot-timeout 0 --cmd true
# --runs: every run must succeed; the first failure ends it
expect 0 "two good runs" --check --runs 2 --arch "$ARCH" --duration 3 --grace 10 --cmd true
last=$(sed -n 's/.*; see //p' "$RES/out")
[ -f "$last/run1/summary.json" ] && [ -f "$last/run2/summary.json" ] ||
	fail "no results dir per run in '$last'"
n=$(find "$RES/runs" -mindepth 2 -maxdepth 2 -name 'run*' | wc -l)
[ "$n" = 6 ] || fail "6 runs booted a guest, $n results dirs kept"
pass "11 exit codes as git bisect expects"
