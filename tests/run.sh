#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# patchstorm test driver: the host unit tests (make -C tools check,
# make -C tests/unit check) and the integration tests
# tests/integration/NN-behaviour.sh.
#
#   tests/run.sh                run the unit tests and every integration test
#                               that is not extended
#   tests/run.sh PATTERN...     run only the integration tests whose name
#                               contains a pattern (extended ones too;
#                               one ending in $ matches the name's end)
#   tests/run.sh --extended     run the extended integration tests only
#   tests/run.sh --list         list the integration tests, one a line
#   tests/run.sh -h|--help      this text
#
# An integration test that boots guests declares each architecture (and
# kernel) it runs on, one line each:
#
#   # on: riscv64
#   # on: x86_64
#   # on: arm64 extended: builds an arm64 kernel (about 5 min cold)
#   # on: riscv64-7.2 extended: fetches and builds linux-source-7.2
#
# and each is its own test, NN-behaviour@VARIANT, run as
# `tests/integration/NN-behaviour.sh VARIANT` (VARIANT is ARCH, or
# ARCH-X.Y for Debian's linux-source-X.Y; tests/integration/lib.sh sets
# ARCH and KSRC from it). A test without "# on:" lines runs once, as
# NN-behaviour. An "extended:" variant (or a whole test with a line
# "# extended: WHY") costs minutes of its own on a cold machine (another
# kernel to fetch and build): `make check` shows it as skipped, `make
# check-extended` (--extended) runs it. Each test has 900 s.
#
# Each test exits 0 (pass), 77 (skipped: it cannot run here; its last
# output line says why) or anything else (fail, with a message). Logs:
# build/test-logs/<test>.log. The skipped tests are listed at the end; the
# last line is exactly "N passed, N failed, N skipped"; the exit status is
# non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$PWD
logs=$root/build/test-logs
SKIP=77
passed=0
failed=0
skipped=0
skips=()
extended=0
list=0
patterns=()
while [ $# -gt 0 ]; do
	case "$1" in
	--extended) extended=1 ;;
	--list) list=1 ;;
	-h|--help) . scripts/lib.sh; ps_help; exit 0 ;;
	-*) echo "run.sh: error: unknown option '$1' (see --help)" >&2; exit 2 ;;
	*) patterns+=("$1") ;;
	esac
	shift
done
mkdir -p "$logs"
t_start=$SECONDS

skip() { # skip NAME REASON
	skipped=$((skipped + 1))
	skips+=("$1: $2")
	echo "SKIP $1: $2"
}

# Host unit suites: the tools', and the module's pure code and scripts'
# (tests/unit). Each suite prints lines "[name: ]N passed, N failed[, N
# skipped]" (summed here) and "SKIP test: reason" for what it skipped.
unit_suite() { # unit_suite NAME DIR
	local t0=$SECONDS rc log=$logs/unit-$1.log p=0 f=0 s=0 n=0 line w
	make -s --no-print-directory -C "$2" check >"$log" 2>&1
	rc=$?
	while read -r line; do
		read -ra w <<<"${line#*: }"
		p=$((p + w[0])) f=$((f + w[2])) s=$((s + ${w[4]:-0})) n=$((n + 1))
	done < <(grep -E '^([A-Za-z0-9_.-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log")
	if [ $n = 0 ]; then
		failed=$((failed + 1))
		echo "FAIL unit $1: make -C $2 check gave no summary (rc $rc), see $log"
		return
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$rc" = 0 ] || [ "$f" != 0 ] || failed=$((failed + 1))
	echo "unit $1: $p passed, $f failed, $s skipped ($((SECONDS - t0)) s)"
	while read -r line; do
		line=${line#SKIP }
		skip "unit $1: ${line%%: *}" "${line#*: }"
	done < <(grep '^SKIP ' "$log")
	# a suite that skips without saying what
	[ $s = "$(grep -c '^SKIP ' "$log")" ] ||
		skip "unit $1" "$s skipped (see $log)"
}

# The tests: "NAME<TAB>SCRIPT<TAB>VARIANT<TAB>EXTENDED-WHY", in file order.
tests() {
	local t name v why
	for t in tests/integration/[0-9]*.sh; do
		[ -e "$t" ] || continue
		name=$(basename "$t" .sh)
		if grep -q '^# on: ' "$t"; then
			while read -r v why; do
				case "$why" in
				extended:*) why=${why#extended:} ;;
				'') ;;
				*) echo "run.sh: error: $t: '# on: $v $why': after the variant only 'extended: WHY'" >&2
					exit 2 ;;
				esac
				printf '%s@%s\t%s\t%s\t%s\n' "$name" "$v" "$t" "$v" "${why# }"
			done < <(sed -n 's/^# on: *//p' "$t")
		else
			why=$(sed -n 's/^# extended: *//p' "$t" | head -n1)
			if grep -q '^# extended:' "$t"; then why=${why:-extended}; fi
			# "-": no variant (read would merge two tabs into one)
			printf '%s\t%s\t-\t%s\n' "$name" "$t" "$why"
		fi
	done
}

if [ $list = 1 ]; then
	tests | awk -F '\t' '{ print $1 ($4 != "" ? "  (extended: " $4 ")" : "") }'
	exit 0
fi

if [ ${#patterns[@]} -eq 0 ] && [ $extended = 0 ]; then
	[ -f tools/Makefile ] && unit_suite tools tools
	[ -f tests/unit/Makefile ] && unit_suite module tests/unit
fi

list_file=$(mktemp)
trap 'rm -f "$list_file"' EXIT
tests >"$list_file" || exit 2
while IFS=$'\t' read -r name t variant why; do
	[ "$variant" != - ] || variant=
	if [ ${#patterns[@]} -gt 0 ]; then
		match=0
		# a pattern ending in $ matches the end of the name only
		for p in "${patterns[@]}"; do
			case "$p" in
			*\$) [[ "$name" == *"${p%\$}" ]] && match=1 ;;
			*) case "$name" in *$p*) match=1 ;; esac ;;
			esac
		done
		[ $match = 1 ] || continue
	elif [ -n "$why" ] && [ $extended = 0 ]; then
		skip "$name" "extended ($why): make check-extended"
		continue
	elif [ -z "$why" ] && [ $extended = 1 ]; then
		continue
	fi
	t0=$SECONDS
	timeout -k 10 900 "$t" ${variant:+"$variant"} </dev/null >"$logs/$name.log" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		passed=$((passed + 1))
		echo "PASS $name ($((SECONDS - t0)) s)"
	elif [ $rc = $SKIP ]; then
		skip "$name" "$(tail -n1 "$logs/$name.log" | sed "s/^SKIP [^:]*: //")"
	else
		failed=$((failed + 1))
		echo "FAIL $name ($((SECONDS - t0)) s, rc $rc): $(tail -n1 "$logs/$name.log")"
		echo "     log: $logs/$name.log"
	fi
done <"$list_file"
echo "tests took $((SECONDS - t_start)) s"
if [ $skipped -gt 0 ]; then
	echo "skipped:"
	printf '  %s\n' "${skips[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
