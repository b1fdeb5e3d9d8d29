#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a campaign: every run of one or more campaign files, on every kernel
# given, REPEAT times each, one guest boot per run, then a summary table.
#
#   scripts/campaign.sh [--kernel default|DIR|debian:X.Y]... [--repeat N] [--out DIR]
#       [--jobs N] [--no-cross-check] [--flavor normal|debug] [--dry-run | --list]
#       CAMPAIGN-FILE...
#
# A campaign file has one run per line (# comments, blank lines ignored):
#
#   NAME  ARCH  CPUS  TCG  DURATION  WHAT...
#
#   NAME      letters, digits, '-', '_' and '.'; unique in the campaign
#   ARCH      riscv64, x86_64 or arm64
#   CPUS      vCPUs
#   TCG       single, multi, icount (x86_64, arm64), or - for the arch's default
#   DURATION  storm seconds
#   WHAT      storm key=value options for the default scenario, or
#             scenario=FILE (a name in scenarios/ or a path) and then any
#             storm options; nothing: the default storm. flavor=debug
#             anywhere in it: that run's kernel is the debug flavour
#             (scripts/qemu-run.sh --flavor)
#
# --kernel: default (the arch's default kernel, the default), a kernel
# tree, or debian:X.Y, Debian's linux-source-X.Y (each built for the
# line's arch with --ksrc; repeat the option for several).
# --flavor debug: every run on the debug flavour of its kernel (KASAN,
# KFENCE, lockdep, kmemleak, ...; x86_64 only from source: --kernel
# debian:6.12); a line's own flavor= wins.
# Every line is checked before anything runs; a bad one is named with its
# file and line and nothing runs. --dry-run lists the runs; --list prints
# the checked lines, NAME ARCH CPUS TCG DURATION WHAT tab-separated (for
# scripts/lava/make-jobs.sh).
#
# --jobs N: up to N guests at once (default 1: one after the other); a
# warning when N x the runs' vCPUs exceeds the host's cores (every
# stop_machine waits for all vCPU threads: timings are distorted). The
# results are the same either way: the summary lists the runs in campaign
# order, whatever order they finished in.
#
# --cross-check (the default) / --no-cross-check: each run is made with
# the runner's --cross-check: under --tcg multi a FAILURE, or stale calls
# excused by stale=warn, is run again under --tcg single (into the run's
# xcheck/), and the summary's xcheck column says confirmed (single-
# threaded TCG shows it too), mttcg-only (it does not), different (it
# fails otherwise) or inconclusive; - when there was nothing to re-run.
# Stale calls excused under MTTCG that the re-run confirms make the run a
# FAILURE.
#
# Out: DIR (default results/campaign-<time>/) with a results directory per
# run, <name>-<kernel>-<N>/, and summary.txt (a line per run) and
# summary.json.  Exit 0 if every run was a SUCCESS or a FAILURE seen only
# under MTTCG (mttcg-only), 1 if any other run was a FAILURE, else 3 if a
# run could not be made (ERROR: a kernel that does not build, no QEMU; the
# other runs still go on), 2 bad usage or campaign file.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernels=()
repeat=1
out=
dry=0
jobs=1
xcheck=--cross-check
flavor=
files=()
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) [ $# -ge 2 ] || ps_usage_error "--kernel needs default or a directory"
		kernels+=("$2"); shift ;;
	--repeat) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || ps_usage_error "--repeat wants a count from 1, not '${2:-}'"
		repeat=$2; shift ;;
	--out) [ -n "${2:-}" ] || ps_usage_error "--out needs a directory"; out=$2; shift ;;
	--jobs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || ps_usage_error "--jobs wants a count from 1, not '${2:-}'"
		jobs=$2; shift ;;
	--cross-check) xcheck=--cross-check ;;
	--no-cross-check) xcheck=--no-cross-check ;;
	--flavor) case ${2:-} in normal|debug) flavor=$2 ;;
		*) ps_usage_error "--flavor is normal or debug, not '${2:-}'" ;; esac; shift ;;
	--dry-run) dry=1 ;;
	--list) dry=2 ;;
	-h|--help) ps_help; exit 0 ;;
	-*) ps_usage_error "unknown option '$1' (see --help)" ;;
	*) files+=("$1") ;;
	esac
	shift
done
[ ${#files[@]} -gt 0 ] || ps_usage_error "no campaign file (see --help)"
[ ${#kernels[@]} -gt 0 ] || kernels=(default)
for k in "${kernels[@]}"; do
	case $k in default|debian:[0-9]*.[0-9]*) continue ;; esac
	[ -f "$k/Makefile" ] ||
		ps_usage_error "--kernel '$k' is neither default, debian:X.Y nor a kernel tree"
done

# The storm options of a line, checked by the CLI the guest runs them with
# (scenarios/default.sh turns key=value into --key-with-dashes=value).
cli=$PS_ROOT/tools/build/host/patchstorm
check_storm() {
	local where=$1 w k opts=() why
	for w in $2; do
		[[ $w =~ ^[a-z_]+=[^=]*$ ]] || ps_usage_error "$where: '$w' is not key=value"
		k=${w%%=*}
		case $k in scenario|flavor) continue ;; strategy) k=strategies ;; esac
		opts+=("--${k//_/-}=${w#*=}")
	done
	[ ${#opts[@]} -gt 0 ] || return 0
	why=$("$cli" run --dry-run "${opts[@]}" 2>&1 >/dev/null) ||
		ps_usage_error "$where: ${why#patchstorm run: }"
}

# The flavor= word of a line's WHAT (empty: none).
line_flavor() {
	local w
	for w in $1; do
		case $w in flavor=*) echo "${w#flavor=}" ;; esac
	done
}

# Read and check every line first: name arch cpus tcg duration what
make -s -C "$PS_ROOT/tools" TARGET=host >/dev/null ||
	ps_env_error "cannot build the patchstorm CLI (make -C tools)"
runs=()
declare -A seen=()
for f in "${files[@]}"; do
	[ -f "$f" ] || ps_usage_error "no campaign file '$f'"
	n=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%%#*}
		[ -n "${line//[[:space:]]/}" ] || continue
		read -r name arch cpus tcg dur what <<<"$line"
		where="$f:$n"
		[[ $name =~ ^[A-Za-z0-9._-]+$ ]] || ps_usage_error "$where: bad run name '$name'"
		[ -z "${seen[$name]:-}" ] || ps_usage_error "$where: run '$name' already at ${seen[$name]}"
		seen[$name]=$where
		ps_is_arch "${arch:-}" ||
			ps_usage_error "$where: arch '${arch:-}' is not one of $(ps_arch_list)"
		[[ ${cpus:-} =~ ^[1-9][0-9]*$ ]] || ps_usage_error "$where: CPUS '${cpus:-}' is not a count"
		case ${tcg:-} in single|multi|icount|-) ;;
		*) ps_usage_error "$where: TCG '${tcg:-}' is not single, multi, icount or -" ;; esac
		[[ ${dur:-} =~ ^[0-9]+$ ]] || ps_usage_error "$where: DURATION '${dur:-}' is not whole seconds"
		for w in ${what:-}; do
			case $w in scenario=*)
				s=${w#scenario=}
				[ -f "$s" ] || [ -f "$PS_ROOT/scenarios/$s" ] || [ -f "$PS_ROOT/scenarios/$s.sh" ] ||
					ps_usage_error "$where: no scenario '$s'" ;;
			esac
		done
		check_storm "$where" "${what:-}"
		fl=$(line_flavor "${what:-}")
		case $fl in ''|normal|debug) ;; *) ps_usage_error "$where: flavor '$fl' is not normal or debug" ;; esac
		fl=${fl:-${flavor:-normal}}
		if [ "$fl" != normal ] && [ "$arch" = x86_64 ]; then
			for k in "${kernels[@]}"; do
				[ "$k" != default ] ||
					ps_usage_error "$where: x86_64's default kernel is Debian's prebuilt one, which has no $fl flavour (--kernel debian:6.12 builds one from source)"
			done
		fi
		runs+=("$name|$arch|$cpus|$tcg|$dur|${what:-}")
	done <"$f"
done
[ ${#runs[@]} -gt 0 ] || ps_usage_error "the campaign has no runs"

out=${out:-$PS_ROOT/results/campaign-$(date +%Y%m%d-%H%M%S)}
total=$((${#runs[@]} * ${#kernels[@]} * repeat))
if [ $dry = 2 ]; then
	for r in "${runs[@]}"; do
		IFS='|' read -r name arch cpus tcg dur what <<<"$r"
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$arch" "$cpus" "$tcg" "$dur" "$what"
	done
	exit 0
fi
if [ $dry = 1 ]; then
	echo "campaign: $total runs (${#runs[@]} lines x ${#kernels[@]} kernels x $repeat) into $out, ${xcheck#--}"
	for r in "${runs[@]}"; do
		IFS='|' read -r name arch cpus tcg dur what <<<"$r"
		fl=$(line_flavor "$what")
		fl=${fl:-${flavor:-normal}}
		echo "  $name: $arch, $cpus vCPUs, tcg ${tcg/#-/default}, ${dur}s, ${fl} kernel, ${what:-default storm}"
	done
	exit 0
fi
mkdir -p "$out" || ps_env_error "cannot create $out"
: >"$out/summary.tsv"
rows=$out/.rows
rm -rf "$rows"
mkdir -p "$rows" || ps_env_error "cannot create $rows"

maxcpus=0
for r in "${runs[@]}"; do
	IFS='|' read -r _ _ cpus _ <<<"$r"
	[ "$cpus" -le "$maxcpus" ] || maxcpus=$cpus
done
if [ "$jobs" -gt 1 ]; then
	[ "$jobs" -le "$total" ] || jobs=$total
	if [ $((jobs * maxcpus)) -gt "$PS_NPROC" ]; then
		ps_warn "--jobs $jobs with up to $maxcpus vCPUs each: $((jobs * maxcpus)) vCPUs on $PS_NPROC host cores: every stop_machine waits for all vCPU threads, so patching gets much slower and timings are distorted (use --jobs <= $((PS_NPROC / maxcpus > 0 ? PS_NPROC / maxcpus : 1)))"
	fi
	# Parallel guests must not build the same things at once: the static
	# CLI for each arch is built here first (kernels, initramfs and the
	# module are built under locks by the runner's scripts).
	declare -A arches=()
	for r in "${runs[@]}"; do
		IFS='|' read -r _ arch _ <<<"$r"
		arches[$arch]=1
	done
	for arch in "${!arches[@]}"; do
		make -s -C "$PS_ROOT/tools" TARGET="$arch" >/dev/null 2>&1 ||
			ps_warn "make -C tools TARGET=$arch failed; the runs will say why"
	done
fi

# run_one I NAME KNAME REP ARCH RUNNER-ARGS...: one guest; its summary row
# goes to $rows/I.
run_one() {
	local i=$1 name=$2 kname=$3 rep=$4 arch=$5 d t0 rc verdict reason qpid
	shift 5
	d=$out/$name-$kname-$rep
	t0=$SECONDS
	if [ "$jobs" = 1 ]; then
		"$PS_ROOT/scripts/qemu-run.sh" --results "$d" "$@" >"$d.log" 2>&1 </dev/null
		rc=$?
	else
		# in the background (which ignores SIGINT): stop_jobs sends TERM,
		# passed on to the runner, which then stops its guest
		"$PS_ROOT/scripts/qemu-run.sh" --results "$d" "$@" >"$d.log" 2>&1 </dev/null &
		qpid=$!
		trap 'kill -TERM "$qpid" 2>/dev/null' TERM
		wait "$qpid"
		rc=$?
		while kill -0 "$qpid" 2>/dev/null; do
			wait "$qpid"
			rc=$?
		done
	fi
	case $rc in
	0) verdict=SUCCESS ;;
	1) verdict=FAILURE ;;
	*) verdict=ERROR ;;
	esac
	reason=
	[ $rc = 0 ] || reason=$(grep -v '^SUCCESS$' "$d.log" | tail -n1)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kname" "$rep" "$arch" \
		"$verdict" "$((SECONDS - t0))" "$reason" >"$rows/$i.tmp" && mv "$rows/$i.tmp" "$rows/$i"
}
# Print the rows of the runs that finished since the last call.
done_runs=0
declare -A shown=()
show_finished() {
	local f i name kname rep arch verdict reason
	for f in "$rows"/*; do
		[ -f "$f" ] || continue
		i=${f##*/}
		case $i in *.tmp) continue ;; esac
		[ -z "${shown[$i]:-}" ] || continue
		shown[$i]=1
		done_runs=$((done_runs + 1))
		IFS=$'\t' read -r name kname rep arch verdict _ reason <"$f"
		printf '[%d/%d] %-24s %-8s %s%s\n' "$done_runs" "$total" "$name-$kname-$rep" \
			"$arch" "$verdict" "${reason:+: $reason}"
	done
}
pids=()
running=0
stop_jobs() {
	local p
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	wait
	exit 130
}
[ "$jobs" = 1 ] || trap stop_jobs INT TERM

i=0
t_start=$SECONDS
for k in "${kernels[@]}"; do
	case $k in
	default) kname=default ;;
	debian:*) kname=debian-${k#debian:} ;;
	*) kname=$(basename "$(cd "$k" && pwd)") ;;
	esac
	for r in "${runs[@]}"; do
		IFS='|' read -r name arch cpus tcg dur what <<<"$r"
		args=(--arch "$arch" --cpus "$cpus" --duration "$dur" "$xcheck")
		[ "$tcg" = - ] || args+=(--tcg "$tcg")
		[ "$k" = default ] || args+=(--ksrc "$k")
		fl=$(line_flavor "$what")
		fl=${fl:-${flavor:-normal}}
		args+=(--flavor "$fl")
		storm=
		for w in $what; do
			case $w in
			scenario=*) args+=(--scenario "${w#scenario=}") ;;
			flavor=*) ;;
			*) storm="${storm:+$storm }$w" ;;
			esac
		done
		[ -z "$storm" ] || args+=(--storm "$storm")
		for ((rep = 1; rep <= repeat; rep++)); do
			i=$((i + 1))
			if [ "$jobs" = 1 ]; then
				run_one "$i" "$name" "$kname" "$rep" "$arch" "${args[@]}"
				show_finished
				continue
			fi
			while [ "$running" -ge "$jobs" ]; do
				wait -n
				running=$((running - 1))
				show_finished
			done
			run_one "$i" "$name" "$kname" "$rep" "$arch" "${args[@]}" &
			pids+=($!)
			running=$((running + 1))
		done
	done
done
while [ "$running" -gt 0 ]; do
	wait -n
	running=$((running - 1))
	show_finished
done
wall=$((SECONDS - t_start))
# the summary in campaign order, whatever order the runs finished in
for ((n = 1; n <= i; n++)); do
	[ -f "$rows/$n" ] || ps_env_error "run $n left no result row"
	cat "$rows/$n" >>"$out/summary.tsv"
done
rm -rf "$rows"

python3 - "$out" "$jobs" "$wall" "$xcheck" <<'EOF' || ps_env_error "cannot write the summary"
import json, sys
out, jobs, wall = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
xcheck = sys.argv[4] == '--cross-check'
XRESULTS = ('confirmed', 'mttcg-only', 'different', 'inconclusive')
rows = []
for line in open(out + '/summary.tsv'):
    name, kernel, rep, arch, verdict, secs, reason = line.rstrip('\n').split('\t')
    res = '%s/%s-%s-%s' % (out, name, kernel, rep)
    xc = None
    # the storm's own reason where it has one, else the runner's
    flavor = None
    try:
        j = json.load(open(res + '/summary.json'))
        flavor = j.get('flavor')
        st = j.get('stats') or {}
        if verdict != 'SUCCESS':
            storm = st.get('reason') if st.get('verdict') == 'FAILURE' else None
            reason = storm or j.get('reason') or reason
        x = j.get('cross_check')
        if x:
            xc = {k: x.get(k) for k in ('result', 'reason', 'verdict_single', 'results')}
    except (OSError, ValueError):
        pass
    rows.append({'name': name, 'kernel': kernel, 'repeat': int(rep), 'arch': arch,
                 'flavor': flavor, 'verdict': verdict, 'seconds': int(secs),
                 'reason': reason or None, 'cross_check': xc, 'results': res})
count = {v: sum(r['verdict'] == v for r in rows) for v in ('SUCCESS', 'FAILURE', 'ERROR')}
xcount = None
if xcheck:
    xcount = {v: sum((r['cross_check'] or {}).get('result') == v for r in rows) for v in XRESULTS}
# a FAILURE that single-threaded TCG did not show is QEMU's, not the kernel's
failed = sum(r['verdict'] == 'FAILURE' and (r['cross_check'] or {}).get('result') != 'mttcg-only'
             for r in rows)
with open(out + '/summary.json', 'w') as f:
    json.dump({'schema': 1, 'runs': rows, 'count': count, 'cross_check': xcount,
               'failed': failed, 'jobs': jobs, 'wall_s': wall}, f, indent=2)
with open(out + '/summary.txt', 'w') as f:
    f.write('%-32s %-8s %-8s %6s  %-12s  %s\n' % ('run', 'arch', 'verdict', 'secs', 'xcheck',
                                                 'reason'))
    for r in rows:
        x = (r['cross_check'] or {}).get('result')
        f.write('%-32s %-8s %-8s %6d  %-12s  %s\n' % (
            '%s-%s-%d' % (r['name'], r['kernel'], r['repeat']), r['arch'], r['verdict'],
            r['seconds'], x if x in XRESULTS else '-', r['reason'] or ''))
    f.write('%d runs: %d SUCCESS, %d FAILURE, %d ERROR\n' % (len(rows), count['SUCCESS'],
            count['FAILURE'], count['ERROR']))
    if xcount is None:
        f.write('cross-check: off\n')
    else:
        f.write('cross-check under --tcg single: %s\n' % ', '.join(
            '%d %s' % (xcount[v], v) for v in XRESULTS))
    f.write('wall time %d s, %d job%s\n' % (wall, jobs, '' if jobs == 1 else 's'))
    for r in rows:
        if r['cross_check'] and r['cross_check']['result'] in XRESULTS:
            f.write('%s-%s-%d: cross-check %s: %s\n' % (r['name'], r['kernel'], r['repeat'],
                    r['cross_check']['result'], r['cross_check']['reason']))
EOF
cat "$out/summary.txt"
echo "campaign: results in $out"
verdicts=$(cut -f5 "$out/summary.tsv")
rm -f "$out/summary.tsv"
failed=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["failed"])' "$out/summary.json") ||
	ps_env_error "cannot read $out/summary.json"
[ "$failed" = 0 ] || exit 1
grep -qx ERROR <<<"$verdicts" && exit 3
exit 0
