#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A clean run is a SUCCESS: exit 0, all result files, out/ files come back,
# out/stats lands in summary.json with numbers as numbers, STORM and
# DURATION reach the guest.
# on: riscv64
. "$(dirname "$0")/lib.sh"
d=$RES/run
run_guest "$d" --arch "$ARCH" --duration 3 --grace 10 --storm 'strategy=kprobe rate=100' --cmd '
printf "toggles=1234\nratio=0.5\nstate=done\nverdict=SUCCESS\n" >/patchstorm/out/stats
echo "$STORM|$DURATION|$CPUS|$ARCH" >/patchstorm/out/env
dd if=/dev/urandom of=/patchstorm/out/blob bs=1k count=64 2>/dev/null
md5sum /patchstorm/out/blob | cut -d" " -f1 >/patchstorm/out/blob.md5
echo hello from the guest'
check_results_dir "$d"
[ "$RC" = 0 ] || fail "runner exit $RC ($VERDICT)"
[ "$VERDICT" = SUCCESS ] || fail "verdict '$VERDICT'"
[ "$(cat "$d/guest-exit-status")" = 0 ] || fail "guest-exit-status $(cat "$d/guest-exit-status")"
[ "$(cat "$d/out/env")" = "strategy=kprobe rate=100|3|2|$ARCH" ] || fail "guest env: $(cat "$d/out/env")"
[ "$(md5sum <"$d/out/blob" | cut -d' ' -f1)" = "$(cat "$d/out/blob.md5")" ] || fail "out/blob corrupted in transfer"
grep -q "hello from the guest" "$d/out/run.log" || fail "no run.log"
[ "$(json "$d/summary.json" "j['stats']['toggles'] + 1")" = 1235 ] || fail "stats.toggles not a number"
[ "$(json "$d/summary.json" "repr(j['stats']['ratio'])")" = 0.5 ] || fail "stats.ratio not a number"
[ "$(json "$d/summary.json" "j['stats']['verdict']")" = SUCCESS ] || fail "stats.verdict"
for k in verdict arch kernel cpus mem duration tcg boot_to_init_s guest_exit_status failures stats; do
	[ "$(json "$d/summary.json" "'$k' in j")" = True ] || fail "summary.json lacks $k"
done
tcg=$(. "$ROOT/scripts/lib.sh" && ps_arch "$ARCH" tcg)
[ "$(json "$d/summary.json" "j['verdict'], j['arch'], j['cpus'], j['duration'], j['tcg'], j['failures']")" = "('SUCCESS', '$ARCH', 2, 3, '$tcg', [])" ] ||
	fail "summary.json fields: $(cat "$d/summary.json")"
[ -s "$d/failures.txt" ] && fail "failures.txt not empty"
pass
