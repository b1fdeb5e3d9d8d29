#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# scripts/mutants.sh on one quick mutant and its control: the unmodified
# kernel's storm is a SUCCESS, the mutant, rebuilt from the kept tree,
# boots an image of its own and its storm is caught; the table and
# summary.json say so, and the kept tree is left unplanted; the storm is
# make run's, module-churn in it. Bad input (an unknown mutant, a bad
# run count, CHURN not 0 or 1) is refused with nothing run.
# extended: builds a riscv64 kernel from a kept copy of linux-source-7.2 (fetched on first use; a full build, about 6 min cold), then one rebuild per mutant
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/lib.sh"
M=$ROOT/scripts/mutants.sh
QUICK=rv72-callops-literal-pieces

# bad input: one error line, exit 2, no results directory
out=$(CHURN=yes "$M" --out "$RES/bad" 2>&1)
[ $? = 2 ] && [ ! -e "$RES/bad" ] || fail "CHURN=yes not refused: $out"
for args in "--mutants no-such-mutant" "--runs 0" "--duration x" "--tcg fast"; do
	# shellcheck disable=SC2086
	out=$("$M" $args --out "$RES/bad" 2>&1)
	rc=$?
	echo "[$rc] $args: $out"
	[ $rc = 2 ] || fail "$args: exit $rc, expected 2"
	[ "$(printf '%s\n' "$out" | grep -c .)" = 1 ] || fail "$args: not one line"
	[ ! -e "$RES/bad" ] || fail "$args: a results directory was made"
done

"$M" --mutants "$QUICK" --runs 1 --duration 20 --out "$RES/m" >"$RES/m.out" 2>"$RES/m.err"
rc=$?
cat "$RES/m.out"
sed 's/^/  log: /' "$RES/m.err"
[ $rc = 0 ] || fail "mutants.sh exit $rc"
s=$RES/m/summary.json
[ -s "$RES/m/summary.txt" ] || fail "no summary.txt"
python3 -m json.tool "$s" >/dev/null || fail "summary.json is not JSON"
[ "$(json "$s" "j['controls_clean']")" = True ] || fail "the control was not clean"
[ "$(json "$s" "[r['verdict'] for e in j['entries'] if e['kind'] == 'control' for r in e['runs']['multi']]")" = "['SUCCESS']" ] ||
	fail "the control run is not a SUCCESS"
[ "$(json "$s" "[r['verdict'] for e in j['entries'] if e['name'] == '$QUICK' for r in e['runs']['multi']]")" = "['FAILURE']" ] ||
	fail "$QUICK was not caught"
[ "$(json "$s" "j['score']['default']['caught']")/$(json "$s" "j['score']['default']['detectable']")" = 1/1 ] ||
	fail "score is not 1/1"
ctl_img=$(json "$s" "[e['image_sha256'] for e in j['entries'] if e['kind'] == 'control'][0]")
mut_img=$(json "$s" "[e['image_sha256'] for e in j['entries'] if e['name'] == '$QUICK'][0]")
run_img=$(json "$s" "[e['runs']['multi'][0]['image_sha256'] for e in j['entries'] if e['name'] == '$QUICK'][0]")
[ "$ctl_img" != "$mut_img" ] || fail "the mutant booted the control's image"
[ "$mut_img" = "$run_img" ] || fail "the mutant's run booted another image than the one built"
grep -q "^$QUICK .* 1/1 " "$RES/m/summary.txt" || fail "the table lacks '$QUICK ... 1/1'"
grep -q "^score, default storm: 1/1 " "$RES/m/summary.txt" || fail "the table lacks the score"
# the default storm is make run's: module-churn loaded the fixture
head -n1 "$RES/m/summary.txt" | grep -q ', module churn' || fail "the table's header does not say module churn"
loads=$(sed -n 's/^toggles.module-churn.enable=//p' "$RES"/m/control-*/multi-run1/out/stats)
echo "control: module-churn loads: ${loads:-none}"
[ "${loads:-0}" -gt 0 ] || fail "the control storm loaded no module (module-churn: ${loads:-not in stats})"
series=$(sed -n 's/^Kernel: *//p' "$ROOT/mutants/$QUICK.patch")
[ ! -e "$PS_CACHE/mutants/linux-$series.applied" ] || fail "the kept tree still has a mutant planted"
patch -d "$PS_CACHE/mutants/linux-$series" -p1 -R --dry-run -s <"$ROOT/mutants/$QUICK.patch" >/dev/null 2>&1 &&
	fail "the kept tree still carries $QUICK"
pass "$QUICK caught, control clean: $(grep "^$QUICK " "$RES/m/summary.txt" | tr -s ' ' | cut -c1-100)"
