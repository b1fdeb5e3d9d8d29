#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The patchstorm CLI against the real module: `patchstorm run` loads the
# module, shows progress, prints the report, writes JSON and a --save dir,
# exits 0 on SUCCESS; the live commands read the finished storm; a second
# run resets the old results itself; ^C (SIGINT) stops a storm and still
# reports. The host checks the JSON (tests/integration/60-cli.sh).
. /patchstorm/lib.sh
SECS=${CLI_SECS:-6}
# QEMU MTTCG: stale is counted, not fatal (see storm-strategies.sh)
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn

# run CMD...: stdout in $OUT/cli.out, stderr in $OUT/cli.err, rc in $rc
run() {
	"$@" >$OUT/cli.out 2>$OUT/cli.err
	rc=$?
	echo "\$ $* -> exit $rc"
	sed 's/^/  | /' $OUT/cli.out | head -n 40
	sed 's/^/  stderr| /' $OUT/cli.err
}
has() { grep -q -- "$1" $OUT/cli.out; }

run patchstorm run --module $KO --duration $SECS --stale $STALE \
	--json $OUT/cli.json --save $OUT
cp $OUT/cli.out $OUT/cli-run.out
check "run: exit 0 (got $rc)" [ $rc = 0 ]
check "run: report says verdict: SUCCESS" has '^verdict: SUCCESS$'
check "run: progress lines (not a tty: one every 5 s)" has "^running [0-9]*s/${SECS}s  toggles"
check "run: header with the kernel" has "^kernel: .* $ARCH\$"
# one row per strategy that toggled (stats: toggles.NAME.enable), saved by --save
nstrat=$(grep -c '^toggles\.[a-z-]*\.enable=[1-9]' $OUT/stats)
rows=$(sed -n '/^strategies:/,/^$/p' $OUT/cli.out | grep -E '^  [a-z-]+ +[0-9]' | grep -vc '^  total ')
check "run: strategies table, a row for each of the $nstrat strategies that toggled ($rows rows)" \
	sh -c '[ "$1" -ge 5 ] && [ "$2" = "$1" ]' - "$nstrat" "$rows"
check "run: hammers line with thread count" has '^hammers: [1-9][0-9]* threads, [1-9]'
check "run: histograms with percentiles" has '^    p50 .* p99.9 '
check "run: stall histogram" has '^  stall: count [1-9]'
check "run: nothing on stderr" [ ! -s $OUT/cli.err ]
check "run: JSON written" [ -s $OUT/cli.json ]
for f in stats config caps result.json hist/stall hist/visibility; do
	check "run --save: $f" [ -s $OUT/$f ]
done
check "run --save: anomalies (empty)" [ -f $OUT/anomalies -a ! -s $OUT/anomalies ]
check "run: module left loaded, storm done" [ "$(cat $PS/control)" = done ]
save_debugfs $OUT/debugfs

run patchstorm status
check "status: exit 0 (got $rc), done + SUCCESS" sh -c "[ $rc = 0 ] && grep -q SUCCESS $OUT/cli.out && grep -q done $OUT/cli.out"
run patchstorm stats --json
cp $OUT/cli.out $OUT/stats.json
check "stats --json: exit 0 (got $rc)" [ $rc = 0 ]
run patchstorm hist
check "hist: lists stall and patch.static-key.enable" sh -c "[ $rc = 0 ] && grep -q stall $OUT/cli.out && grep -q patch.static-key.enable $OUT/cli.out"
run patchstorm hist visibility
check "hist visibility: exit 0 with p99" sh -c "[ $rc = 0 ] && grep -q p99 $OUT/cli.out"
run patchstorm hist no-such-hist
check "hist no-such-hist: exit 2 (got $rc)" [ $rc = 2 ]
run patchstorm caps
check "caps: arch=$ARCH" sh -c "[ $rc = 0 ] && grep -qx arch=$ARCH $OUT/cli.out"
run patchstorm anomalies
check "anomalies: exit 0 (got $rc)" [ $rc = 0 ]
run patchstorm report $OUT
check "report on the --save dir (out/): exit 0, SUCCESS" sh -c "[ $rc = 0 ] && grep -q '^verdict: SUCCESS' $OUT/cli.out"
run patchstorm report --quiet $OUT/cli.json
check "report --quiet on the JSON: one line, exit 0" sh -c "[ $rc = 0 ] && [ \$(wc -l <$OUT/cli.out) = 1 ]"

# a second storm: the finished one is reset by run itself; --quiet
run patchstorm run --quiet --duration 2 --strategies kprobe-arm,ftrace-filter --stale $STALE
check "second run --quiet: exit 0 (got $rc), verdict first line" sh -c "[ $rc = 0 ] && head -n1 $OUT/cli.out | grep -q '^verdict: SUCCESS'"
check "second run: no progress lines" sh -c "! grep -q '^running' $OUT/cli.out"

# ^C: the storm stops, the report follows, exit by the verdict
patchstorm run --duration 60 --strategies kprobe-arm --stale $STALE >$OUT/cli-int.out 2>$OUT/cli-int.err &
pid=$!
sleep 3
kill -INT $pid
wait $pid
rc=$?
echo "run --duration 60, SIGINT after 3 s -> exit $rc"
sed 's/^/  | /' $OUT/cli-int.out | head -n 5
sed 's/^/  stderr| /' $OUT/cli-int.err
check "SIGINT: exit 0 (got $rc)" [ $rc = 0 ]
check "SIGINT: says it stops the storm" grep -q 'stopping the storm' $OUT/cli-int.err
check "SIGINT: report printed" grep -q '^verdict: ' $OUT/cli-int.out
check "SIGINT: storm stopped early" [ "$(cat $PS/control)" = done ]
el=$(stat elapsed_ns)
check "SIGINT: elapsed < 30 s ($el ns)" [ "${el:-99999999999}" -lt 30000000000 ]

rmmod patchstorm
check "rmmod: nothing left" no_leftovers
finish
