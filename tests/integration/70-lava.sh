#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# LAVA: scripts/lava/make-jobs.sh turns a campaign into LAVA jobs (a
# riscv64 and an x86_64 run, and a riscv64 run with an injected fault);
# Debian's own lava-dispatcher (lava-run, unpacked into the cache, not
# installed: the package would pull kernel headers) validates the jobs and
# runs the two riscv64 ones end to end on this machine, with a local QEMU
# device dictionary and no server. The clean run's LAVA test cases must
# pass (doctor, storm, every strategy and detector) and carry the patch
# and flush latency percentiles as measurements in ns; the injected fault
# must fail the storm, the stale detector and static-key. Nothing may be
# written to /var/lib/lava.
# extended: fetches lava-dispatcher and boots two guests under LAVA (about 3 min)
. "$(dirname "$0")/lib.sh"
L=$ROOT/scripts/lava
[ ! -e /var/lib/lava ] || skip "/var/lib/lava exists: cannot tell whether this test writes there"
"$L/dispatcher.sh" >"$RES/dispatcher.log" 2>&1 ||
	skip "no LAVA dispatcher: $(tail -n1 "$RES/dispatcher.log")"

cat >"$RES/lava.campaign" <<'CAMPAIGN'
lava-rv      riscv64 2 -      10 strategies=all
lava-x86     x86_64  2 -      10 strategies=all
lava-inject  riscv64 2 single 5  strategies=static-key inject=release-early
CAMPAIGN
"$L/make-jobs.sh" --out "$RES/lava" "$RES/lava.campaign" >"$RES/make-jobs.log" 2>&1 ||
	{ tail -n 20 "$RES/make-jobs.log"; fail "make-jobs.sh failed"; }
tail -n1 "$RES/make-jobs.log"
for j in lava-rv lava-x86 lava-inject; do
	[ -s "$RES/lava/jobs/$j.yaml" ] || fail "no job $j.yaml"
	"$L/run-local.sh" --validate "$RES/lava/jobs/$j.yaml" >"$RES/validate-$j.log" 2>&1 ||
		{ cat "$RES/validate-$j.log"; fail "lava-run --validate $j failed"; }
done
[ -s "$RES/lava/patchstorm.yaml" ] || fail "no test definition"

t0=$SECONDS
"$L/run-local.sh" "$RES/lava/jobs/lava-rv.yaml" >"$RES/run-rv.txt" 2>&1
rc=$?
cat "$RES/run-rv.txt"
[ $rc = 0 ] || fail "the clean LAVA job: exit $rc"
rv_secs=$((SECONDS - t0))
r=$RES/lava/runs/lava-rv/results.json
python3 - "$r" <<'PY' || fail "the clean job's LAVA results: see above"
import json, sys
j = json.load(open(sys.argv[1]))
c = {x['case']: x for x in j['cases'] if x.get('definition') == '0_patchstorm'}
bad = []
if j['job'] != 'pass': bad.append('job %s' % j['job'])
want = ['doctor', 'storm'] + ['strategy.' + s for s in
        ('ftrace-filter', 'ftrace-ops', 'kprobe-arm', 'kprobe-register', 'static-key')] + \
       ['detector.' + d for d in ('wrong-answer', 'stale', 'torn', 'mixed-pair', 'trap')]
for w in want:
    if c.get(w, {}).get('result') != 'pass': bad.append('%s: %s' % (w, c.get(w, {}).get('result')))
m = [x for x in c.values() if 'measurement' in x]
for name in ['patch.static-key.enable.p50', 'patch.ftrace-ops.disable.p99', 'flush.p50', 'flush.p99']:
    x = c.get(name)
    if not x or x.get('units') != 'ns' or not float(x.get('measurement', 0)) > 0:
        bad.append('measurement %s: %s' % (name, x))
if len(m) < 22: bad.append('only %d measurements' % len(m))
if bad:
    print('; '.join(bad)); sys.exit(1)
print('clean job: %d test cases pass, %d measurements' % (len(c), len(m)))
PY
"$L/run-local.sh" "$RES/lava/jobs/lava-inject.yaml" >"$RES/run-inject.txt" 2>&1
rc=$?
grep -E 'storm |stale|static-key |^job' "$RES/run-inject.txt"
[ $rc = 1 ] || fail "the injected-fault LAVA job: exit $rc, expected 1 (a test case failed)"
r=$RES/lava/runs/lava-inject/results.json
for c in storm detector.stale strategy.static-key; do
	[ "$(json "$r" "[x['result'] for x in j['cases'] if x.get('case') == '$c'][0]")" = fail ] ||
		fail "injected fault: $c did not fail"
done
[ "$(json "$r" "[x['result'] for x in j['cases'] if x.get('case') == 'strategy.kprobe-arm'][0]")" = skip ] ||
	fail "injected fault: kprobe-arm (not in the storm) is not a skip"
[ "$(json "$r" "j['job']")" = pass ] || fail "the injected-fault job did not complete"
[ ! -e /var/lib/lava ] || fail "lava-run wrote /var/lib/lava"
pass "3 jobs valid; clean riscv64 job: $(json "$RES/lava/runs/lava-rv/results.json" "j['count']") in $rv_secs s; injected fault: storm, detector.stale, strategy.static-key fail"
