#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The CLI's readers against mutated results: the CLI built with ASan and
# UBSan (float-cast-overflow included, no recovery) runs report, report
# --json, report --ktap, compare and plot on CLI_FUZZ (default 200)
# mutated results directories and JSON files (tests/fuzz/cli-fuzz.py,
# seeds from the CLI tests' fake debugfs of a SUCCESS and a FAILURE):
# every run ends with exit 0-3, no sanitizer report.
# extended: about 1000 sanitized CLI runs (minutes)
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
command -v gcc >/dev/null || skip "no gcc"
T=$ROOT/tools
B=$RES/asan
mkdir -p "$B"
# the CLI's own sources, as tools/Makefile lists them
srcs=$(make -s -C "$T" -f Makefile -f - print-srcs <<<'print-srcs: ; @echo $(LIB_SRCS) $(CMD_SRCS)') ||
	fail "cannot list the CLI's sources"
(cd "$T" && gcc -std=c11 -D_GNU_SOURCE -DPS_VERSION='"fuzz"' -O1 -g -Wall -Wextra -Werror \
	-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all \
	-I. -I../module/tables $srcs -lm -o "$B/patchstorm") >"$RES/build.log" 2>&1 ||
	{ sed 's/^/  /' "$RES/build.log"; fail "cannot build the CLI with ASan/UBSan"; }
make -s -C "$T" build/host/patchstorm-tests >/dev/null || fail "cannot build the CLI's unit tests"
for v in SUCCESS FAILURE; do
	"$T/build/host/patchstorm-tests" --fake-debugfs "$RES/seed-$v" done "$v" ||
		fail "patchstorm-tests --fake-debugfs $v failed"
	"$B/patchstorm" report --json "$RES/seed-$v.json" "$RES/seed-$v" >/dev/null 2>&1
	[ -s "$RES/seed-$v.json" ] || fail "no JSON from report --json of the $v seed"
done
out=$(python3 "$ROOT/tests/fuzz/cli-fuzz.py" --count "${CLI_FUZZ:-200}" --seed "${FUZZ_SEED:-1}" \
	"$B/patchstorm" "$RES"/seed-SUCCESS "$RES"/seed-FAILURE "$RES"/seed-SUCCESS.json \
	"$RES"/seed-FAILURE.json "$RES/work")
rc=$?
echo "$out" | sed 's/^/  /'
line=$(echo "$out" | tail -n1)
[ $rc = 0 ] || fail "${line:-cli-fuzz.py exited $rc}"
pass "$line"
