#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# patchstorm doctor and KTAP in a guest (tests/guest/doctor-ktap.sh, with
# the kernel's .config as /boot/config-$(uname -r)): doctor says ready and
# a storm runs; ftrace_enabled=0, a config without KPROBES, a blacklisted
# target and another release are each named, exit 3; doctor and the module
# agree on sys:getpid for ftrace. Then the guest's KTAP (run --ktap=FILE,
# --ktap on stdout, the default scenario's out/results.ktap) and
# `patchstorm report --ktap` of the runner's results go through the
# kernel's own parser, kunit.py parse, test by test. x86_64 boots again
# with lockdown=integrity: doctor names it, the module really cannot load.
# on: riscv64
# on: x86_64 extended: the riscv64 run covers doctor and KTAP; x86_64 adds the lockdown boot (about 1.5 min)
# on: arm64 extended: builds an arm64 kernel (about 5 min cold)
. "$(dirname "$0")/lib.sh"
arch=$ARCH
PS=$ROOT/tools/build/host/patchstorm
KP=$ROOT/scripts/kunit-parse.sh
make -s -C "$ROOT/tools" >/dev/null || fail "cannot build the host CLI"
"$KP" --where >"$RES/kunit-where" 2>&1 ||
	skip "no kunit.py to parse KTAP with: $(tail -n1 "$RES/kunit-where")"

entry=$("$ROOT/scripts/build-kernel.sh" --arch "$arch" 2>"$RES/build.err" | tail -n1) ||
	{ cat "$RES/build.err"; fail "no $arch kernel"; }
rel=$(cat "$entry/release")
case $arch in
x86_64) cfg=$(ls "$entry"/pkg/boot/config-* | head -n1) ;;
*) cfg=$entry/build/.config ;;
esac
[ -s "$cfg" ] || fail "no kernel config in $entry"

guest_checks "$arch" doctor-ktap.sh --add "$cfg:/boot/config-$rel" --duration 60 --grace 60
d=$RES/$arch
o=$d/out
sed -n '/^ready/p;/FAIL/p' "$o/doctor-ready.out" | head -n 3

# parse FILE NAME: kunit.py parse, no error; sets JS (its JSON)
parse() {
	local rc
	JS=$RES/$2.json
	"$KP" --json "$JS" "$1" >"$RES/$2.kunit" 2>&1
	rc=$?
	grep -E 'Testing complete|ERROR' "$RES/$2.kunit" | sed "s/^/  $2: /"
	[ $rc = 0 ] || fail "kunit.py parse $1: exit $rc; see $RES/$2.kunit"
	! grep -q '\[ERROR\]' "$RES/$2.kunit" || fail "kunit.py parse $1: errors; see $RES/$2.kunit"
}
# status GROUP CASE: the case's status in $JS ('' group: top level)
status() {
	python3 - "$JS" "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
g = j if not sys.argv[2] else next((x for x in j['sub_groups'] if x['name'] == sys.argv[2]), {})
print(next((c['status'] for c in g.get('test_cases', []) if c['name'] == sys.argv[3]), 'missing'))
PY
}
want() { # want GROUP CASE STATUS
	local s
	s=$(status "$1" "$2")
	[ "$s" = "$3" ] || fail "$(basename "$JS"): ${1:+$1.}$2 is $s, expected $3"
}

parse "$o/run.ktap" run
want "" storm PASS
for s in ftrace-filter ftrace-ops kprobe-arm kprobe-register static-key; do
	want strategies "$s" PASS
done
want detectors wrong-answer PASS
want detectors stale PASS
want detectors torn PASS
want detectors mixed-pair PASS
if grep -qx 'catch_traps=0' "$o/save/caps" && grep -qx 'catch_breaks=0' "$o/save/caps"; then
	want detectors trap SKIP
else
	want detectors trap PASS
fi
parse "$o/stdout.ktap" stdout
want strategies ftrace-filter SKIP
want strategies static-key PASS
parse "$o/results.ktap" default
want "" storm PASS
"$PS" report --ktap "$d" >"$RES/runner.ktap" || fail "patchstorm report --ktap $d: exit $?"
parse "$RES/runner.ktap" runner
want "" runner PASS
want "" storm PASS
summary="$GUEST_LINE; kunit.py: $(grep -h 'Testing complete' "$RES/run.kunit" | sed 's/.*Testing complete. //')"

if [ "$arch" = x86_64 ]; then
	# Booted locked down: doctor names it, and the module really cannot load.
	# (the first boot's results are kept beside)
	rm -rf "$d-ready" && mv "$d" "$d-ready"
	guest_checks "$arch" doctor-ktap.sh --add "$cfg:/boot/config-$rel" --duration 30 \
		--append lockdown=integrity
	summary="$summary; lockdown=integrity: $GUEST_LINE"
fi
pass "$summary"
