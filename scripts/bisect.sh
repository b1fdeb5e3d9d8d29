#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Test one kernel revision for `git bisect run`: build it, boot it in QEMU,
# run a storm (or any runner scenario), and exit as git bisect expects.
#
#   cd linux && git bisect start BAD GOOD
#   git bisect run /path/to/patchstorm/scripts/bisect.sh [options] [runner options]
#
#   --ksrc DIR        the kernel tree (default: the git work tree here)
#   --runs N          boot and storm N times; good only if every run is
#                     (for failures that do not show every time; default 1)
#   --boot-fail bad|skip
#                     a kernel that never reaches init: skip it (default)
#                     or call it bad (when the bug breaks the boot itself)
#   --out DIR         where the runs' results directories go
#                     (default results/bisect/)
#   --check           run once on the default kernel (no --ksrc): to see the
#                     scenario pass on a good kernel before bisecting with it
#   --mttcg-only skip|good
#                     what a run is whose FAILURE under --tcg multi the
#                     runner's cross-check re-ran under --tcg single without
#                     it (mttcg-only): skip the revision (default: QEMU's
#                     MTTCG can run stale code, so such a FAILURE is not
#                     yet a kernel bug, nor is the revision known good), or
#                     count the run as good
#   runner options    passed to scripts/qemu-run.sh: --arch, --cpus, --tcg,
#                     --duration, --storm, --scenario, --cmd, ... (not
#                     --results: each run's directory is chosen here, see
#                     --out). --cross-check is on: --no-cross-check turns
#                     it off, and every FAILURE is then bad; --flavor debug
#                     builds and boots each revision as the debug flavour
#                     (KASAN, KFENCE, lockdep, kmemleak, ...), so a report
#                     of theirs is bad too
#
# Cross-check (qemu-run.sh --cross-check): under --tcg multi (riscv64's
# and arm64's default) a FAILURE, or stale calls excused by stale=warn, is
# run again under --tcg single. A FAILURE single-threaded TCG shows too
# (confirmed), or fails otherwise (different), is bad; an mttcg-only one
# is not (see --mttcg-only); one the re-run cannot judge (inconclusive:
# it did not boot or hung) skips the revision. Stale calls excused under
# MTTCG that single-threaded TCG shows too make the run a FAILURE: bad.
#
# Exit: 0 good (SUCCESS), 1 bad (FAILURE: an anomaly, an oops, a WARNING, a
# hang after boot), 125 skip (the revision does not build, or does not
# boot unless --boot-fail bad; or its FAILURE is mttcg-only or
# inconclusive, see above), 128 cannot test at all (bad usage, no QEMU,
# ...): git bisect stops there.  Each run's results directory is kept and
# named in the last line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

GOOD=0 BAD=1 SKIP=125 ABORT=128
ksrc=
runs=1
boot_fail=skip
mttcg_only=skip
check=0
out=$PS_ROOT/results/bisect
pass=()
abort() { echo "$PS_PROG: error: $*" >&2; exit $ABORT; }
while [ $# -gt 0 ]; do
	case "$1" in
	--ksrc) [ $# -ge 2 ] || abort "--ksrc needs a directory"; ksrc=$2; shift ;;
	--runs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || abort "--runs wants a count from 1, not '${2:-}'"
		runs=$2; shift ;;
	--boot-fail) case ${2:-} in bad|skip) boot_fail=$2 ;;
		*) abort "--boot-fail is bad or skip, not '${2:-}'" ;; esac; shift ;;
	--mttcg-only) case ${2:-} in good|skip) mttcg_only=$2 ;;
		*) abort "--mttcg-only is skip or good, not '${2:-}'" ;; esac; shift ;;
	--out) [ -n "${2:-}" ] || abort "--out needs a directory"; out=$2; shift ;;
	--check) check=1 ;;
	--results) abort "--results is chosen here (see --out)" ;;
	-h|--help) ps_help; exit 0 ;;
	*) pass+=("$1") ;;
	esac
	shift
done
arch=riscv64
flavor=normal
for ((i = 0; i < ${#pass[@]}; i++)); do
	case ${pass[i]} in
	--ksrc) abort "give --ksrc before the runner options" ;;
	--arch) arch=${pass[i + 1]:-} ;;
	--flavor) flavor=${pass[i + 1]:-} ;;
	esac
done

if [ $check = 1 ]; then
	[ -z "$ksrc" ] || abort "--check runs the default kernel: no --ksrc"
	rev=default
else
	if [ -z "$ksrc" ]; then
		ksrc=$(git rev-parse --show-toplevel 2>/dev/null) ||
			abort "not in a git work tree: run from the kernel tree, or give --ksrc"
	fi
	[ -f "$ksrc/Makefile" ] || abort "'$ksrc' is not a kernel tree (no Makefile)"
	rev=tree
	[ "$(git -C "$ksrc" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$ksrc" && pwd -P)" ] &&
		rev=$(git -C "$ksrc" rev-parse --short=12 HEAD)
	# A revision that does not build is skipped; anything else that stops
	# the build (missing tools, bad usage) stops the bisection.
	err=$("$PS_ROOT/scripts/build-kernel.sh" --arch "$arch" --ksrc "$ksrc" --flavor "$flavor" 2>&1 >/dev/null)
	rc=$?
	err=$(printf '%s\n' "$err" | grep 'error: ' | tail -n1)
	case $rc:$err in
	0:*) ;;
	3:*"kernel build failed"*|3:*"kernel config lacks options"*)
		echo "$err" >&2
		echo "bisect: $rev does not build: skip (125)"
		exit $SKIP ;;
	*) abort "${err#*error: }" ;;
	esac
fi

# one directory per bisect step, a run<N> directory per run in it
base=$out/$(date +%Y%m%d-%H%M%S)-$arch-$rev
n=1
while ! mkdir -p "$out" || ! mkdir "$base${n#1}" 2>/dev/null; do
	[ -d "$out" ] || abort "cannot create $out"
	n=$((n + 1))
done
base=$base${n#1}
# cross_check DIR: the runner's cross-check result and its reason, and the
# run's reason, from DIR/summary.json, tab-separated (empty: none)
cross_check() {
	python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
x = j.get("cross_check") or {}
print(x.get("result") or "-", x.get("reason") or "-", j.get("reason") or "-", sep="\t")' \
		"$1/summary.json" 2>/dev/null
}
unsure=()
for ((r = 1; r <= runs; r++)); do
	d=$base/run$r
	"$PS_ROOT/scripts/qemu-run.sh" ${ksrc:+--ksrc "$ksrc"} --cross-check --results "$d" "${pass[@]}"
	rc=$?
	case $rc in
	0) continue ;;
	1) ;;
	*) abort "the runner could not test $rev (exit $rc); see $d" ;;
	esac
	# FAILURE: did the kernel boot at all?
	if grep -qE '^(NO_INIT|HANG: guest did not reach init)' "$d/failures.txt" 2>/dev/null &&
		[ "$boot_fail" = skip ]; then
		echo "bisect: $rev did not boot (run $r): skip (125); see $d"
		exit $SKIP
	fi
	xres='' xwhy='' why=''
	IFS=$'\t' read -r xres xwhy why < <(cross_check "$d")
	case $xres in
	mttcg-only|inconclusive)
		# not bad: the other runs may still show a confirmed FAILURE
		echo "bisect: run $r of $runs: FAILURE under MTTCG, cross-check $xres: $xwhy; see $d"
		unsure+=("$xres")
		continue ;;
	esac
	[ ! -s "$d/failures.txt" ] || why=$(head -n1 "$d/failures.txt")
	case $xres in -|not-*) xres= ;; esac
	echo "bisect: $rev is bad (run $r of $runs: $why${xres:+; cross-check $xres}); see $d"
	exit $BAD
done
if [ ${#unsure[@]} -gt 0 ]; then
	if [ "$mttcg_only" = good ] && ! printf '%s\n' "${unsure[@]}" | grep -qx inconclusive; then
		echo "bisect: $rev is good ($runs runs: ${#unsure[@]} FAILURE only under MTTCG, the others SUCCESS; --mttcg-only good); see $base"
		exit $GOOD
	fi
	echo "bisect: $rev: ${#unsure[@]} of $runs runs FAILURE under MTTCG only or not re-checked ($(printf '%s\n' "${unsure[@]}" | sort | uniq -c | awk '{ printf "%s%s %s", s, $1, $2; s = ", " }')), none confirmed: skip (125); see $base"
	exit $SKIP
fi
echo "bisect: $rev is good ($runs of $runs runs SUCCESS); see $base"
exit $GOOD
