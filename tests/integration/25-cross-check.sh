#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The emulator cross-check (qemu-run.sh --cross-check, on by default in a
# campaign): under multi-threaded TCG a static-key storm whose stale calls
# the default scenario excuses (stale=warn; QEMU's MTTCG runs stale code,
# docs/qemu.md) is run again under --tcg single with stale=fail, which
# shows none: mttcg-only, the run stays a SUCCESS; an injected fault
# (inject=release-early) that both modes flag: confirmed, a FAILURE, so the
# campaign exits 1. Each run's summary.json, its xcheck/ re-run, the
# runner's output and the campaign's summary say which.
# on: riscv64
# on: arm64 extended: builds an arm64 kernel (about 5 min cold)
. "$(dirname "$0")/lib.sh"
C=$ROOT/scripts/campaign.sh

cat >"$RES/xcheck.campaign" <<CAMPAIGN
# stale calls under MTTCG only; an injected fault both modes see
warn    $ARCH 2 multi 10 strategies=static-key targets=victims
inject  $ARCH 2 multi 5  strategies=static-key inject=release-early
CAMPAIGN
t0=$SECONDS
"$C" --out "$RES/c" "$RES/xcheck.campaign" >"$RES/c.out" 2>&1
rc=$?
cat "$RES/c.out"
[ -s "$RES/c/summary.json" ] || fail "no campaign summary (exit $rc)"
[ $rc = 1 ] || fail "campaign exit $rc, expected 1 (the injected fault, confirmed)"

# xc RUN EXPR: a python expression on RUN's summary.json (j) and its
# re-run's (x: xcheck/summary.json, None without it)
xc() {
	python3 - "$RES/c/$1-default-1" "$2" <<'PY'
import json, os, sys
d, expr = sys.argv[1:3]
j = json.load(open(d + '/summary.json'))
p = d + '/xcheck/summary.json'
x = json.load(open(p)) if os.path.exists(p) else None
print(eval(expr))
PY
}

# warn: stale calls excused under MTTCG, none under thread=single
w=$RES/c/warn-default-1
[ "$(xc warn "j['tcg']")" = multi ] || fail "warn: not run under MTTCG"
stale=$(xc warn "j['stats']['stale']")
[ "$(xc warn "j['stats']['anomalies.stale']")" = 0 ] || fail "warn: stale calls were not excused"
echo "warn: MTTCG: $stale stale calls (excused) in $(xc warn "j['stats']['toggles']") toggles"
[ "$stale" -gt 0 ] ||
	fail "warn: MTTCG showed no stale calls this time, so there was nothing to cross-check ($(xc warn "j['cross_check']"))"
[ "$(xc warn "j['cross_check']['trigger']")" = stale-warn ] || fail "warn: trigger $(xc warn "j['cross_check']")"
[ "$(xc warn "x is not None")" = True ] || fail "warn: no xcheck/summary.json"
[ "$(xc warn "x['tcg']")" = single ] || fail "warn: the re-run was not under thread=single"
[ "$(xc warn "x['kernel_entry'] == j['kernel_entry']")" = True ] || fail "warn: the re-run booted another kernel"
[ "$(xc warn "x['storm']")" = "stale=fail strategies=static-key targets=victims" ] ||
	fail "warn: the re-run's storm is '$(xc warn "x['storm']")'"
grep -q '^stale=fail$' "$w/xcheck/out/config" || fail "warn: the re-run's storm did not run with stale=fail"
[ "$(xc warn "x['duration'], x['cpus']")" = "(10, 2)" ] || fail "warn: the re-run's duration and vCPUs"
echo "warn: thread=single: $(xc warn "x['stats']['stale']") stale calls in $(xc warn "x['stats']['toggles']") toggles"
[ "$(xc warn "x['stats']['toggles'] > 0")" = True ] || fail "warn: the re-run toggled nothing"
[ "$(xc warn "j['cross_check']['result']")" = mttcg-only ] ||
	fail "warn: cross-check '$(xc warn "j['cross_check']")', expected mttcg-only"
[ "$(xc warn "j['verdict'], j['cross_check']['verdict_single']")" = "('SUCCESS', 'SUCCESS')" ] ||
	fail "warn: verdicts $(xc warn "j['verdict'], j['cross_check']['verdict_single']")"
tail -n2 "$w.log" | head -n1 | grep -q '^cross-check: mttcg-only: single-threaded TCG: SUCCESS, 0 stale calls' ||
	fail "warn: the runner does not say mttcg-only before its verdict: $(tail -n2 "$w.log" | head -n1)"
[ "$(tail -n1 "$w.log")" = SUCCESS ] || fail "warn: the runner's verdict line: $(tail -n1 "$w.log")"

# inject: the injected fault's stale calls under both modes
i=$RES/c/inject-default-1
[ "$(xc inject "j['verdict']")" = FAILURE ] || fail "inject: not a FAILURE under MTTCG"
[ "$(xc inject "j['cross_check']['trigger']")" = failure ] || fail "inject: trigger $(xc inject "j['cross_check']")"
[ "$(xc inject "x['tcg'], x['verdict']")" = "('single', 'FAILURE')" ] ||
	fail "inject: the re-run: $(xc inject "x and (x['tcg'], x['verdict'])")"
[ "$(xc inject "x['stats']['anomalies.stale'] > 0")" = True ] || fail "inject: the re-run has no stale anomalies"
[ "$(xc inject "j['cross_check']['result']")" = confirmed ] ||
	fail "inject: cross-check '$(xc inject "j['cross_check']")', expected confirmed"
[ "$(xc inject "'anomaly:stale' in j['cross_check']['seen_multi'] and 'anomaly:stale' in j['cross_check']['seen_single']")" = True ] ||
	fail "inject: stale anomalies not seen in both: $(xc inject "j['cross_check']")"
tail -n2 "$i.log" | head -n1 | grep -q '^cross-check: confirmed: single-threaded TCG shows anomaly:stale' ||
	fail "inject: the runner does not say confirmed: $(tail -n2 "$i.log" | head -n1)"
echo "inject: MTTCG $(xc inject "j['stats']['anomalies.stale']") stale anomalies, thread=single $(xc inject "x['stats']['anomalies.stale']")"

# the campaign's summary
s=$RES/c/summary.json
[ "$(json "$s" "j['count']")" = "{'SUCCESS': 1, 'FAILURE': 1, 'ERROR': 0}" ] || fail "counts: $(json "$s" "j['count']")"
[ "$(json "$s" "j['cross_check']")" = "{'confirmed': 1, 'mttcg-only': 1, 'different': 0, 'inconclusive': 0}" ] ||
	fail "cross-check counts: $(json "$s" "j['cross_check']")"
[ "$(json "$s" "j['failed']")" = 1 ] || fail "failed: $(json "$s" "j['failed']")"
[ "$(json "$s" "[r['cross_check']['result'] for r in j['runs']]")" = "['mttcg-only', 'confirmed']" ] ||
	fail "the runs' cross-check results: $(json "$s" "[r['cross_check'] for r in j['runs']]")"
grep -qE '^warn-default-1 +[a-z0-9_]+ +SUCCESS +[0-9]+  mttcg-only ' "$RES/c/summary.txt" || fail "summary.txt: the warn row"
grep -qE '^inject-default-1 +[a-z0-9_]+ +FAILURE +[0-9]+  confirmed ' "$RES/c/summary.txt" || fail "summary.txt: the inject row"
grep -q '^cross-check under --tcg single: 1 confirmed, 1 mttcg-only, 0 different, 0 inconclusive$' "$RES/c/summary.txt" ||
	fail "summary.txt: no cross-check count line"
pass "excused stale calls ($stale) mttcg-only, injected fault confirmed ($((SECONDS - t0)) s, 4 boots)"
