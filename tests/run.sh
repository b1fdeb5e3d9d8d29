#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# patchstorm test driver: host unit tests (make -C tools check, if tools/
# exists) and the integration tests tests/integration/NN-name.sh.
#
#   tests/run.sh [PATTERN...]   run only integration tests matching a pattern
#
# Each integration test is self-contained and exits 0 (pass) or non-zero
# (fail, with a message). Logs: build/test-logs/<test>.log. The last line
# is exactly "N passed, N failed"; the exit status is non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$PWD
logs=$root/build/test-logs
mkdir -p "$logs"
passed=0
failed=0
t_start=$SECONDS

if [ -f tools/Makefile ] && [ $# -eq 0 ]; then
	t0=$SECONDS
	make -s -C tools check >"$logs/unit.log" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/unit.log" | tail -n1)
	if [ -n "$line" ]; then
		p=${line%% *}
		f=${line#*, }; f=${f%% *}
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$rc" = 0 ] || [ "$f" != 0 ] || failed=$((failed + 1))
		echo "unit: $line ($((SECONDS - t0)) s)"
	else
		failed=$((failed + 1))
		echo "FAIL unit tests: make -C tools check gave no summary (rc $rc), see $logs/unit.log"
	fi
fi

for t in tests/integration/[0-9]*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	if [ $# -gt 0 ]; then
		match=0
		for p in "$@"; do case "$name" in *$p*) match=1 ;; esac; done
		[ $match = 1 ] || continue
	fi
	t0=$SECONDS
	timeout -k 10 900 "$t" </dev/null >"$logs/$name.log" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		passed=$((passed + 1))
		echo "PASS $name ($((SECONDS - t0)) s)"
	else
		failed=$((failed + 1))
		echo "FAIL $name ($((SECONDS - t0)) s, rc $rc): $(tail -n1 "$logs/$name.log")"
		echo "     log: $logs/$name.log"
	fi
done
echo "tests took $((SECONDS - t_start)) s"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
