#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `patchstorm run --inject release-early`: the module's broken static-key
# patcher reports each toggle complete before it writes the site; the
# stale detector must catch it, and the CLI must say FAILURE, list stale
# anomalies and exit 1. (Stale is fatal here whatever TCG does: an
# injected stale is never excused by stale=warn.)
. /patchstorm/lib.sh

patchstorm run --module $KO --duration 3 --strategies static-key --inject release-early \
	--json $OUT/inject.json --save $OUT/inject >$OUT/inject.out 2>$OUT/inject.err
rc=$?
echo "patchstorm run --inject release-early -> exit $rc"
sed 's/^/  | /' $OUT/inject.out | head -n 30
sed 's/^/  stderr| /' $OUT/inject.err
check "inject: exit 1 (got $rc)" [ $rc = 1 ]
check "inject: verdict: FAILURE" grep -q '^verdict: FAILURE' $OUT/inject.out
check "inject: anomalies listed, kind stale" grep -qE '^  stale +[0-9]+ +victim_key' $OUT/inject.out
check "inject: anomalies file has kind=stale" grep -q '^kind=stale ' $OUT/inject/anomalies
check "inject: JSON written" [ -s $OUT/inject.json ]
save_debugfs $OUT/inject-debugfs
check "inject: stats stale > 0" [ "$(sed -n 's/^stale=//p' $OUT/inject/stats)" -gt 0 ]
run_out=$(patchstorm report --quiet $OUT/inject.json)
rc=$?
check "report on the inject JSON: exit 1 (got $rc)" [ $rc = 1 ]
rmmod patchstorm
check "rmmod: nothing left" no_leftovers
finish
