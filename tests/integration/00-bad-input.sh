#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Bad input gives one clear line and exit 2 (usage) or 3 (environment), and
# a kernel tree that does not build leaves no complete cache entry.
. "$(dirname "$0")/lib.sh"

# one_line_error EXPECTED-RC CMD...
one_line_error() {
	local want=$1 out rc n
	shift
	out=$("$@" 2>&1 </dev/null)
	rc=$?
	n=$(printf '%s\n' "$out" | grep -c .)
	echo "[$rc] $*: $out"
	[ "$rc" = "$want" ] || fail "$* exited $rc, expected $want"
	[ "$n" = 1 ] || fail "$* printed $n lines, expected one"
	case "$out" in *error:*) ;; *) fail "$* did not say error: $out" ;; esac
}

export PATCHSTORM_CACHE=$RES/cache
one_line_error 2 "$RUNNER" --arch sparc64 --results "$RES/r"
one_line_error 2 "$RUNNER" --arch riscv64 --cpus many --results "$RES/r"
one_line_error 2 "$RUNNER" --bogus-option
one_line_error 2 "$RUNNER" --arch x86_64 --tcg fast --results "$RES/r"
# QEMU 7.2 cannot boot an SMP riscv64 guest under -icount: said before any build
one_line_error 3 "$RUNNER" --arch riscv64 --cpus 2 --tcg icount --results "$RES/r"
one_line_error 2 "$ROOT/scripts/build-kernel.sh" --arch mips
one_line_error 3 "$RUNNER" --arch riscv64 --ksrc /nonexistent --results "$RES/r"
one_line_error 3 "$ROOT/scripts/build-kernel.sh" --arch x86_64 --ksrc /nonexistent
one_line_error 2 "$ROOT/scripts/build-kernel.sh" --arch riscv64 --ksrc debian:bogus
# the debug flavour: a known flavour, and never of x86_64's prebuilt kernel
one_line_error 2 "$RUNNER" --arch riscv64 --flavor fast --results "$RES/r"
one_line_error 2 "$ROOT/scripts/build-kernel.sh" --arch riscv64 --flavor fast
one_line_error 2 "$RUNNER" --arch x86_64 --flavor debug --results "$RES/r"
one_line_error 2 "$ROOT/scripts/build-kernel.sh" --arch x86_64 --flavor debug

# A tree that does not build (a tiny fake kernel tree whose Makefile fails).
fake=$RES/fake-linux
mkdir -p "$fake/scripts/kconfig"
printf 'VERSION = 6\nPATCHLEVEL = 99\nSUBLEVEL = 0\n%%:\n\t@echo "fake tree: $@ fails"; exit 1\n' >"$fake/Makefile"
for _ in 1 2; do
	one_line_error 3 "$RUNNER" --arch riscv64 --ksrc "$fake" --results "$RES/r"
	complete=$(find "$PATCHSTORM_CACHE/kernels" -name .complete 2>/dev/null)
	[ -z "$complete" ] || fail "a failed build left a complete cache entry: $complete"
done
# The log named in the message exists.
log=$("$ROOT/scripts/build-kernel.sh" --arch riscv64 --ksrc "$fake" 2>&1 | sed -n 's/.*see \(.*build\.log\).*/\1/p')
[ -f "$log" ] || fail "the error does not name an existing log ($log)"

# An entry without .complete is never reused: fake one, it must be rebuilt
# (here: fail again rather than being taken as a kernel).
entry=$(dirname "$log")
rm -rf "$entry" && mkdir -p "$entry/build" && echo 6.99.0 >"$entry/release" && echo "$entry/build" >"$entry/kdir"
one_line_error 3 "$ROOT/scripts/build-kernel.sh" --arch riscv64 --ksrc "$fake"
[ ! -e "$entry/.complete" ] || fail "incomplete entry was marked complete"
pass
