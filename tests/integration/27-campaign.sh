#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scripts/campaign.sh: the shipped campaigns parse; a bad line or storm
# option is named and nothing runs; a campaign of a good and a broken storm runs both, keeps
# their results, and says which failed, in its exit code too; with --jobs 2
# the same campaign runs both guests at once and gives the same summary
# (same runs, order, verdicts and fields; only times differ).
# on: riscv64
. "$(dirname "$0")/lib.sh"
C=$ROOT/scripts/campaign.sh

"$C" --dry-run "$ROOT"/scenarios/campaigns/*.campaign >"$RES/dry" 2>&1 ||
	{ cat "$RES/dry"; fail "shipped campaigns do not parse"; }
head -n1 "$RES/dry"

printf 'good %s 2 - 3\nbad %s zero - 3\n' "$ARCH" "$ARCH" >"$RES/bad.campaign"
out=$("$C" --out "$RES/bad" "$RES/bad.campaign" 2>&1)
rc=$?
echo "[$rc] $out"
[ $rc = 2 ] || fail "bad campaign line: exit $rc, expected 2"
case $out in *"bad.campaign:2: CPUS 'zero'"*) ;; *) fail "the bad line is not named: $out" ;; esac
[ ! -e "$RES/bad" ] || fail "a bad campaign still ran something"
# a storm option the CLI would refuse in the guest is refused here
printf 'good %s 2 - 3 targets=victims,sys:getpid\nbad %s 2 - 3 targets=victims,sys:\n' "$ARCH" "$ARCH" >"$RES/bad2.campaign"
out=$("$C" --out "$RES/bad2" "$RES/bad2.campaign" 2>&1)
rc=$?
echo "[$rc] $out"
[ $rc = 2 ] || fail "bad storm option: exit $rc, expected 2"
case $out in *'bad2.campaign:2: --targets: "sys:" is not a function name'*) ;;
*) fail "the bad storm option is not named: $out" ;; esac
[ ! -e "$RES/bad2" ] || fail "a campaign with a bad storm option still ran something"
# flavours: a line's flavor= (checked), --flavor for the others, and no
# debug flavour of x86_64's prebuilt default kernel
printf 'dbg %s 2 - 3 flavor=debug strategies=static-key\nplain %s 2 - 3\n' "$ARCH" "$ARCH" >"$RES/fl.campaign"
out=$("$C" --dry-run "$RES/fl.campaign" 2>&1) || fail "flavor=debug does not parse: $out"
echo "$out"
case $out in *"dbg: $ARCH, 2 vCPUs, tcg default, 3s, debug kernel,"*"plain: $ARCH, 2 vCPUs, tcg default, 3s, normal kernel,"*) ;;
*) fail "--dry-run does not name each run's flavour" ;; esac
out=$("$C" --flavor debug --dry-run "$RES/fl.campaign" 2>&1) || fail "--flavor debug: $out"
case $out in *"plain: $ARCH, 2 vCPUs, tcg default, 3s, debug kernel,"*) ;; *) fail "--flavor debug is not every line's: $out" ;; esac
printf 'x %s 2 - 3 flavor=fast\n' "$ARCH" >"$RES/fl2.campaign"
out=$("$C" --dry-run "$RES/fl2.campaign" 2>&1)
rc=$?
[ $rc = 2 ] && [[ $out == *"fl2.campaign:1: flavor 'fast' is not normal or debug"* ]] ||
	fail "flavor=fast: exit $rc: $out"
printf 'x x86_64 2 - 3 flavor=debug\n' >"$RES/fl3.campaign"
out=$("$C" --dry-run "$RES/fl3.campaign" 2>&1)
rc=$?
[ $rc = 2 ] && [[ $out == *"fl3.campaign:1: x86_64's default kernel is Debian's prebuilt one"* ]] ||
	fail "x86_64 flavor=debug on the default kernel: exit $rc: $out"
"$C" --kernel debian:6.12 --dry-run "$RES/fl3.campaign" >/dev/null 2>&1 ||
	fail "x86_64 flavor=debug with --kernel debian:6.12 refused"

cat >"$RES/two.campaign" <<CAMPAIGN
# a clean storm and one with an injected fault (must fail: stale)
clean   $ARCH 2 single 3 strategies=kprobe-arm targets=victims,sys:getpid
broken  $ARCH 2 single 3 strategies=static-key inject=release-early
CAMPAIGN
"$C" --out "$RES/two" "$RES/two.campaign" >"$RES/two.out" 2>&1
rc=$?
cat "$RES/two.out"
[ $rc = 1 ] || fail "a campaign with a failing run: exit $rc, expected 1"
s=$RES/two/summary.json
[ "$(json "$s" "j['count']")" = "{'SUCCESS': 1, 'FAILURE': 1, 'ERROR': 0}" ] ||
	fail "counts: $(json "$s" "j['count']")"
[ "$(json "$s" "[r['verdict'] for r in j['runs'] if r['name'] == 'clean'][0]")" = SUCCESS ] ||
	fail "the clean run is not a SUCCESS"
[ "$(json "$s" "[r['verdict'] for r in j['runs'] if r['name'] == 'broken'][0]")" = FAILURE ] ||
	fail "the broken run is not a FAILURE"
[ "$(json "$RES/two/broken-default-1/summary.json" "j['stats']['verdict']")" = FAILURE ] ||
	fail "the broken run's own results do not say FAILURE"
[ "$(json "$RES/two/clean-default-1/summary.json" "j['stats']['toggles'] > 0")" = True ] ||
	fail "the clean run did not toggle"
grep -q "^targets=victim_leaf,.*,sys:getpid$" "$RES/two/clean-default-1/out/config" ||
	fail "the clean run's configuration does not name sys:getpid"
case $(json "$s" "[r['reason'] for r in j['runs'] if r['name'] == 'broken'][0]") in
*stale*) ;; *) fail "the broken run's reason does not name the stale anomalies" ;;
esac
grep -q "^2 runs: 1 SUCCESS, 1 FAILURE, 0 ERROR" "$RES/two/summary.txt" || fail "summary.txt"

# --jobs 2: both guests at once, the same results in the same form
out=$("$C" --jobs 0 "$RES/two.campaign" 2>&1)
rc=$?
[ $rc = 2 ] || fail "--jobs 0: exit $rc, expected 2 ($out)"
"$C" --jobs 2 --out "$RES/two-j2" "$RES/two.campaign" >"$RES/two-j2.out" 2>&1
rc=$?
cat "$RES/two-j2.out"
[ $rc = 1 ] || fail "--jobs 2: exit $rc, expected 1 like the serial run"
if [ "$(nproc)" -lt 4 ]; then
	grep -q "warning: --jobs 2 with up to 2 vCPUs each: 4 vCPUs on $(nproc) host cores" "$RES/two-j2.out" ||
		fail "--jobs 2 on $(nproc) cores: no warning about the vCPUs"
fi
python3 - "$RES/two/summary.json" "$RES/two-j2/summary.json" <<'PY' || fail "--jobs 2 summary differs from the serial one"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
bad = []
if sorted(a) != sorted(b): bad.append('top-level keys %s vs %s' % (sorted(a), sorted(b)))
if a['count'] != b['count']: bad.append('count %s vs %s' % (a['count'], b['count']))
if (a['jobs'], b['jobs']) != (1, 2): bad.append('jobs %s, %s' % (a['jobs'], b['jobs']))
ka = [(r['name'], r['kernel'], r['repeat'], r['arch'], r['verdict'], sorted(r)) for r in a['runs']]
kb = [(r['name'], r['kernel'], r['repeat'], r['arch'], r['verdict'], sorted(r)) for r in b['runs']]
if ka != kb: bad.append('runs %s vs %s' % (ka, kb))
for r in b['runs']:
    if not r['results'].endswith('/two-j2/%s-%s-%d' % (r['name'], r['kernel'], r['repeat'])):
        bad.append('results dir ' + r['results'])
if bad:
    print('\n'.join(bad))
    sys.exit(1)
print('wall time: serial %d s, --jobs 2 %d s' % (a['wall_s'], b['wall_s']))
PY
[ "$(json "$RES/two-j2/broken-default-1/summary.json" "j['stats']['verdict']")" = FAILURE ] ||
	fail "--jobs 2: the broken run's own results do not say FAILURE"
diff <(awk '{ print $1, $2, $3 }' "$RES/two/summary.txt" | sed '$d') \
	<(awk '{ print $1, $2, $3 }' "$RES/two-j2/summary.txt" | sed '$d') ||
	fail "--jobs 2: summary.txt lines differ"
grep -q '^wall time [0-9]* s, 2 jobs$' "$RES/two-j2/summary.txt" || fail "summary.txt: no wall time line"
wall="serial $(json "$RES/two/summary.json" "j['wall_s']") s, --jobs 2 $(json "$RES/two-j2/summary.json" "j['wall_s']") s"
# a kernel that does not build: the run is an ERROR, exit 3
fake=$RES/fake-linux
mkdir -p "$fake"
printf 'VERSION = 6\nPATCHLEVEL = 99\nSUBLEVEL = 0\n%%:\n\t@echo "fake tree: $@ fails"; exit 1\n' >"$fake/Makefile"
PATCHSTORM_CACHE=$RES/cache "$C" --kernel "$fake" --out "$RES/err" "$RES/two.campaign" >"$RES/err.out" 2>&1
rc=$?
tail -n2 "$RES/err.out"
[ $rc = 3 ] || fail "runs that could not be made: exit $rc, expected 3"
[ "$(json "$RES/err/summary.json" "j['count']")" = "{'SUCCESS': 0, 'FAILURE': 0, 'ERROR': 2}" ] ||
	fail "counts: $(json "$RES/err/summary.json" "j['count']")"
grep -q "kernel build failed" "$RES/err/summary.txt" || fail "the ERROR rows do not say why"
pass "bad line refused; 2 runs, the broken one FAILURE ($wall); unbuildable kernel ERROR"
