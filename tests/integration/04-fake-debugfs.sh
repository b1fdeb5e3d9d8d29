#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The CLI's unit tests run against a fake debugfs directory
# (tools/tests/test_main.c t_fake_debugfs()); it must write what the module
# writes. Here, without a guest: every anomaly kind it writes is a string
# in module/, and its anomaly lines have the fields of the module's
# anomaly format (tests/fake-debugfs.py source). 60-cli and 61-cli-inject
# compare it with the module's real files after a storm.
. "$(dirname "$0")/lib.sh"
make -s -C "$ROOT/tools" build/host/patchstorm-tests >/dev/null || fail "cannot build the CLI's unit tests"
T=$ROOT/tools/build/host/patchstorm-tests
"$T" --fake-debugfs "$RES/failure" "done" FAILURE || fail "patchstorm-tests --fake-debugfs failed"
"$ROOT/tests/fake-debugfs.py" source "$ROOT/module" "$RES/failure" || fail "the fake debugfs drifted from module/"
# the check can fail: a kind the module does not have, a field it does not write
sed 's/^kind=torn /kind=torn_read /' "$RES/failure/anomalies" >"$RES/a" && mkdir -p "$RES/bad1" &&
	cp "$RES/a" "$RES/bad1/anomalies"
"$ROOT/tests/fake-debugfs.py" source "$ROOT/module" "$RES/bad1" >/dev/null && fail "an unknown kind is not caught"
sed 's/ seq=/ sequence=/' "$RES/failure/anomalies" >"$RES/a" && mkdir -p "$RES/bad2" &&
	cp "$RES/a" "$RES/bad2/anomalies"
"$ROOT/tests/fake-debugfs.py" source "$ROOT/module" "$RES/bad2" >/dev/null && fail "a renamed field is not caught"
pass "$(grep -c '^kind=' "$RES/failure/anomalies") anomaly lines, kinds $(sed -n 's/^kind=\([^ ]*\).*/\1/p' "$RES/failure/anomalies" | tr '\n' ' ')"
