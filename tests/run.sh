#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# patchstorm test driver: host unit tests (make -C tools check, if tools/
# exists) and the integration tests tests/integration/NN-name.sh.
#
#   tests/run.sh [PATTERN...]   run only integration tests matching a pattern
#   tests/run.sh --extended     run the extended integration tests instead
#
# An integration test with a line "# extended: WHY" is extended: it costs
# minutes of its own on a cold machine (another kernel to fetch and
# build), so `make check` leaves it to `make check-extended` (.ci/run
# runs both) and names it as skipped.
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
extended=0
if [ "${1:-}" = --extended ]; then
	extended=1
	shift
fi

# Host unit suites: the tools', and the module's pure code (tests/unit).
unit_suite() { # unit_suite NAME DIR
	local t0=$SECONDS rc line p f
	make -s --no-print-directory -C "$2" check >"$logs/unit-$1.log" 2>&1
	rc=$?
	line=$(grep -oE '[0-9]+ passed, [0-9]+ failed$' "$logs/unit-$1.log" | tail -n1)
	if [ -n "$line" ]; then
		p=${line%% *}
		f=${line#*, }; f=${f%% *}
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$rc" = 0 ] || [ "$f" != 0 ] || failed=$((failed + 1))
		echo "unit $1: $line ($((SECONDS - t0)) s)"
	else
		failed=$((failed + 1))
		echo "FAIL unit $1: make -C $2 check gave no summary (rc $rc), see $logs/unit-$1.log"
	fi
}
if [ $# -eq 0 ] && [ $extended = 0 ]; then
	[ -f tools/Makefile ] && unit_suite tools tools
	[ -f tests/unit/Makefile ] && unit_suite module tests/unit
fi

for t in tests/integration/[0-9]*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	if [ $# -gt 0 ]; then
		match=0
		for p in "$@"; do case "$name" in *$p*) match=1 ;; esac; done
		[ $match = 1 ] || continue
	fi
	if grep -q '^# extended:' "$t"; then
		# named by a pattern: run it
		if [ $extended = 0 ] && [ $# -eq 0 ]; then
			echo "skip $name (extended: make check-extended)"
			continue
		fi
	elif [ $extended = 1 ]; then
		continue
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
