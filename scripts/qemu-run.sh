#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a QEMU guest, run a command or scenario in it, and judge the run.
#
#   scripts/qemu-run.sh [--arch riscv64|x86_64|arm64] [--cpus N] [--mem SIZE]
#       [--duration S] [--ksrc DIR|debian:X.Y] [--cmd 'shell command' | --scenario FILE]
#       [--storm 'key=value ...'] [--results DIR] [--grace S]
#       [--tcg single|multi|icount] [--fixtures] [--append 'kernel args']
#       [--boot-timeout S] [--add FILE[:GUEST-PATH]]... [--report]
#       [--trace]
#
# Builds what is missing (guest kernel, initramfs, module, static guest
# CLI), adds a per-run cpio (/patchstorm/run.sh, /patchstorm/env,
# /patchstorm/patchstorm.ko, /usr/bin/patchstorm, /patchstorm/fixtures/,
# /patchstorm/scenarios/, and --add files: default /patchstorm/<name>)
# to the cached base initramfs, boots, and writes the results directory:
#   qemu-cmdline console.log guest-exit-status out/ failures.txt summary.json
# Default results dir: results/<timestamp>-<arch>-<release>/ (and
# results/latest). The last stdout line is the verdict: SUCCESS or
# FAILURE: <reason>.
#
# In the guest, run.sh gets DURATION, STORM, CPUS, ARCH, TCG, TIMEOUT in its
# environment and writes files to /patchstorm/out/ (out/stats: key=value
# lines, copied into summary.json; out/report: shown by --report).
#
# --trace runs scenarios/trace.sh: the storm with its tracepoints recorded
# by `trace-cmd record -e patchstorm` in the guest; it brings back
# out/trace.dat (`trace-cmd report -i` reads it) and out/hist/*, and
# scripts/trace-hist.py compares the two. Own scenarios and --cmd can call
# /patchstorm/trace.sh --start / --stop (scripts/guest/trace.sh) themselves.
#
# --tcg icount: single-threaded TCG with -icount (shift=3, sleep=off):
# guest time is the count of instructions executed, so rates no longer
# follow the host's load; for benchmarks.  x86_64 and arm64: riscv64
# guests with more than one vCPU hang in firmware under -icount (QEMU 7.2).
#
# --grace S: time allowed on top of --duration for module load, setup and
# teardown (default 30, or 60 under --tcg single with more than 2 vCPUs).
#
# Exit: 0 SUCCESS, 1 FAILURE (console trouble, non-zero guest exit, hang),
# 2 bad usage, 3 environment (missing tree, build failure, no QEMU).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=riscv64
cpus=2
mem=1G
duration=60
ksrc=
cmd=
scenario=
storm=
results=
grace=
tcg=
fixtures=0
append=
boot_timeout=
report=0
trace=0
adds=()

need_arg() { [ $# -ge 2 ] || ps_usage_error "option $1 needs an argument"; }
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) need_arg "$@"; arch=$2; shift ;;
	--cpus) need_arg "$@"; cpus=$2; shift ;;
	--mem) need_arg "$@"; mem=$2; shift ;;
	--duration) need_arg "$@"; duration=$2; shift ;;
	--ksrc) need_arg "$@"; ksrc=$2; shift ;;
	--cmd) need_arg "$@"; cmd=$2; shift ;;
	--scenario) need_arg "$@"; scenario=$2; shift ;;
	--storm) need_arg "$@"; storm=$2; shift ;;
	--results) need_arg "$@"; results=$2; shift ;;
	--grace) need_arg "$@"; grace=$2; shift ;;
	--tcg) need_arg "$@"; tcg=$2; shift ;;
	--append) need_arg "$@"; append=$2; shift ;;
	--boot-timeout) need_arg "$@"; boot_timeout=$2; shift ;;
	--add) need_arg "$@"; adds+=("$2"); shift ;;
	--fixtures) fixtures=1 ;;
	--report) report=1 ;;
	--trace) trace=1 ;;
	-h|--help) sed -n '4,34p' "$0"; exit 0 ;;
	*) ps_usage_error "unknown option '$1' (see --help)" ;;
	esac
	shift
done

ps_check_arch "$arch"
for a in "${adds[@]}"; do
	[ -f "${a%%:*}" ] || ps_usage_error "--add: no file '${a%%:*}'"
done
is_uint() { case "$1" in ''|*[!0-9]*) return 1 ;; esac; }
is_uint "$cpus" && [ "$cpus" -ge 1 ] || ps_usage_error "--cpus must be a positive integer, not '$cpus'"
is_uint "$duration" || ps_usage_error "--duration must be whole seconds, not '$duration'"
[ -z "$grace" ] || is_uint "$grace" || ps_usage_error "--grace must be whole seconds, not '$grace'"
[[ "$mem" =~ ^[0-9]+[MGmg]?$ ]] || ps_usage_error "--mem must look like 512M or 1G, not '$mem'"
[ -z "$cmd" ] || [ -z "$scenario" ] || ps_usage_error "--cmd and --scenario are exclusive"
if [ $trace = 1 ]; then
	[ -z "$cmd$scenario" ] || ps_usage_error "--trace runs scenarios/trace.sh, so not with --cmd or --scenario (those can call /patchstorm/trace.sh --start/--stop themselves)"
	scenario=$PS_ROOT/scenarios/trace.sh
fi
if [ -n "$scenario" ]; then
	if [ ! -f "$scenario" ] && [ -f "$PS_ROOT/scenarios/$scenario" ]; then
		scenario=$PS_ROOT/scenarios/$scenario
	elif [ ! -f "$scenario" ] && [ -f "$PS_ROOT/scenarios/$scenario.sh" ]; then
		scenario=$PS_ROOT/scenarios/$scenario.sh
	fi
	[ -f "$scenario" ] || ps_usage_error "scenario '$scenario' not found"
fi
if [ -z "$tcg" ]; then
	# See KERNEL-NOTES: x86_64 under MTTCG showed an unexplained int3 oops.
	case "$arch" in riscv64|arm64) tcg=multi ;; x86_64) tcg=single ;; esac
fi
case "$tcg" in single|multi|icount) ;; *) ps_usage_error "--tcg must be single, multi or icount, not '$tcg'" ;; esac
[ "$tcg" != icount ] || [ "$arch" != riscv64 ] || [ "$cpus" -le 1 ] ||
	ps_env_error "--tcg icount: riscv64 guests with more than one vCPU do not boot under -icount in QEMU 7.2"
if [ -z "$grace" ]; then
	# Setup and teardown time on top of the storm. Single-threaded TCG runs
	# vCPUs round-robin and only switches away from a spinning one at its
	# 100 ms kick, so every stop_machine() (riscv patches text under it)
	# costs about a second with 4 vCPUs: registering all strategies then
	# takes 15-25 s of guest time before the storm starts.
	grace=30
	[ "$tcg" = multi ] || [ "$cpus" -le 2 ] || grace=60
fi
if [ -z "$boot_timeout" ]; then
	case "$arch" in riscv64|arm64) boot_timeout=30 ;; x86_64) boot_timeout=90 ;; esac
fi
is_uint "$boot_timeout" || ps_usage_error "--boot-timeout must be whole seconds"
if [ "$cpus" -gt "$PS_NPROC" ]; then
	ps_warn "$cpus vCPUs on $PS_NPROC host cores: every stop_machine waits for all vCPU threads, so patching gets much slower and timings are distorted (use --cpus <= $PS_NPROC)"
fi

case "$arch" in
riscv64) qemu_bin=qemu-system-riscv64 ;;
x86_64) qemu_bin=qemu-system-x86_64 ;;
arm64) qemu_bin=qemu-system-aarch64 ;;
esac
command -v "$qemu_bin" >/dev/null || ps_env_error "$qemu_bin not found (run scripts/setup-host.sh)"

# ---- build what is missing -------------------------------------------------
S=$PS_ROOT/scripts
kentry=$("$S/build-kernel.sh" --arch "$arch" ${ksrc:+--ksrc "$ksrc"} | tail -n1) || exit $?
release=$(cat "$kentry/release")
# What is booted, whatever rebuilt the entry since: summary.json says.
image_sha=$(sha256sum "$(readlink -f "$kentry/image")" | cut -d' ' -f1)
base=$("$S/build-rootfs.sh" --arch "$arch" | tail -n1) || exit $?

ko=
if [ -f "$PS_ROOT/Kbuild" ]; then
	ko=$("$S/build-module.sh" "$kentry" | grep '/patchstorm\.ko$' | head -n1) || exit 3
	[ -n "$ko" ] || ps_env_error "the module build did not produce patchstorm.ko"
else
	ps_warn "no Kbuild yet: the guest gets no patchstorm.ko"
fi
fixture_kos=
if [ $fixtures = 1 ]; then
	fixture_kos=$("$S/build-module.sh" --src "$PS_ROOT/tests/fixtures" --name fixtures "$kentry") || exit 3
fi
cli=
if [ -f "$PS_ROOT/tools/Makefile" ]; then
	if make -s -C "$PS_ROOT/tools" TARGET="$arch" >/tmp/patchstorm-tools-$$.log 2>&1 &&
		[ -x "$PS_ROOT/tools/build/$arch/patchstorm" ]; then
		cli=$PS_ROOT/tools/build/$arch/patchstorm
	else
		ps_warn "make -C tools TARGET=$arch failed, the guest gets no patchstorm CLI: $(tail -n1 /tmp/patchstorm-tools-$$.log)"
	fi
	rm -f /tmp/patchstorm-tools-$$.log
fi

# ---- results directory -----------------------------------------------------
default_results=0
if [ -z "$results" ]; then
	default_results=1
	results=$PS_ROOT/results/$(date +%Y%m%d-%H%M%S)-$arch-$release
	[ ! -e "$results" ] || results=$results-$$
fi
mkdir -p "$results"
results=$(cd "$results" && pwd)
rm -rf "$results/out" "$results"/{qemu-cmdline,qemu.log,console.log,guest-exit-status,failures.txt,summary.json}
mkdir -p "$results/out"
if [ $default_results = 1 ]; then
	ln -sfn "$(basename "$results")" "$PS_ROOT/results/latest"
fi

# ---- per-run initramfs -----------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/patchstorm-run.XXXXXX")
qpid=
cleanup() {
	[ -z "$qpid" ] || kill -KILL "$qpid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

g=$work/guest
mkdir -p "$g/patchstorm/out" "$g/usr/bin"
if [ -n "$cmd" ]; then
	printf '#!/bin/sh\n%s\n' "$cmd" >"$g/patchstorm/run.sh"
	what="cmd: $cmd"
else
	scenario=${scenario:-$PS_ROOT/scenarios/default.sh}
	cp "$scenario" "$g/patchstorm/run.sh"
	what="scenario: $(basename "$scenario")"
fi
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
guest_timeout=$((duration + grace))
{
	echo "ARCH=$arch"
	echo "CPUS=$cpus"
	echo "DURATION=$duration"
	echo "TIMEOUT=$guest_timeout"
	echo "TCG=$tcg"
	echo "STORM=$(sq "$storm")"
	[ $trace = 0 ] || echo "TRACE=1"
} >"$g/patchstorm/env"
cp "$S/guest/trace.sh" "$g/patchstorm/trace.sh"
# All scenarios, so one can build on another (/patchstorm/scenarios/NAME).
if [ -d "$PS_ROOT/scenarios" ]; then
	mkdir -p "$g/patchstorm/scenarios"
	cp "$PS_ROOT"/scenarios/*.sh "$g/patchstorm/scenarios/" 2>/dev/null || true
fi
[ -z "$ko" ] || cp "$ko" "$g/patchstorm/patchstorm.ko"
[ -z "$cli" ] || cp "$cli" "$g/usr/bin/patchstorm"
for a in "${adds[@]}"; do
	src=${a%%:*}
	dst=/patchstorm/$(basename "$src")
	[ "$src" = "$a" ] || dst=${a#*:}
	case "$dst" in /*) ;; *) dst=/patchstorm/$dst ;; esac
	mkdir -p "$g$(dirname "$dst")"
	cp -L "$src" "$g$dst"
done
if [ -n "$fixture_kos" ]; then
	mkdir -p "$g/patchstorm/fixtures"
	for f in $fixture_kos; do cp "$f" "$g/patchstorm/fixtures/"; done
fi
(cd "$g" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$work/run.cpio"
# Linux unpacks concatenated initramfs archives (compressed or not) in
# order. Uncompressed boots faster: a TCG guest is slow at gunzip.
[ ! -f "${base%.gz}" ] || base=${base%.gz}
cat "$base" "$work/run.cpio" >"$work/initrd"

# ---- boot ------------------------------------------------------------------
console=ttyS0
[ "$arch" != arm64 ] || console=ttyAMA0
kargs="console=$console printk.time=1 panic=-1 oops=panic rdinit=/init"
q=("$qemu_bin" -nodefaults -no-user-config -display none -monitor none
	-no-reboot -smp "$cpus" -m "$mem")
thread=$tcg
if [ "$tcg" = icount ]; then
	# 8 ns of guest time per instruction; idle vCPUs skip ahead
	thread=single
	q+=(-icount shift=3,sleep=off)
fi
case "$arch" in
riscv64)
	q+=(-M virt -accel "tcg,thread=$thread" -bios default)
	;;
x86_64)
	q+=(-accel "tcg,thread=$thread" -cpu max)
	;;
arm64)
	# cortex-a57 (ARMv8.0): no pointer authentication or BTI to emulate
	q+=(-M virt,gic-version=3 -accel "tcg,thread=$thread" -cpu cortex-a57)
	;;
esac
q+=(-kernel "$kentry/image" -initrd "$work/initrd" -append "$kargs${append:+ $append}"
	-serial "file:$results/console.log")
printf '%q ' "${q[@]}" | sed 's/ $/\n/' >"$results/qemu-cmdline"

short=$(printf '%s' "$what" | head -n1 | cut -c1-60)
[ "$short" = "$what" ] || short="$short..."
ps_info "booting $arch $release, $cpus vCPUs, $mem, ${duration}s, tcg=$tcg ($short) -> $results"
t0=$(date +%s.%N)
"${q[@]}" </dev/null >"$work/qemu.out" 2>&1 &
qpid=$!
hang=
init_wall=
out_begin=
out_end=
deadline=$(echo "$t0 + $boot_timeout" | bc)
while kill -0 "$qpid" 2>/dev/null; do
	now=$(date +%s.%N)
	if [ -z "$init_wall" ] && grep -qa '^PATCHSTORM-INIT' "$results/console.log" 2>/dev/null; then
		init_wall=$(echo "$now - $t0" | bc)
		# After init: duration + grace (when the guest kills run.sh), plus
		# time to start sending out/ back (a growing transfer extends it).
		deadline=$(echo "$now + $duration + $grace + 30" | bc)
	fi
	if [ -n "$init_wall" ] && [ -z "$out_end" ]; then
		if [ -z "$out_begin" ] && grep -qa '^PATCHSTORM-OUT-BEGIN' "$results/console.log"; then
			out_begin=$now
		fi
		if [ -n "$out_begin" ] && grep -qa '^PATCHSTORM-OUT-END' "$results/console.log"; then
			out_end=$now
		fi
	fi
	# While out/ is being sent back, a growing console extends the deadline
	# (the serial line does a few hundred KB/s under TCG).
	if [ -n "$init_wall" ] && [ "$(echo "$now > $deadline - 5" | bc)" = 1 ] &&
		grep -qa '^PATCHSTORM-OUT-BEGIN' "$results/console.log" &&
		! grep -qa '^PATCHSTORM-OUT-END' "$results/console.log"; then
		size=$(stat -c %s "$results/console.log")
		if [ "$size" != "${last_size:-}" ]; then
			last_size=$size
			deadline=$(echo "$now + 10" | bc)
		fi
	fi
	if [ "$(echo "$now > $deadline" | bc)" = 1 ]; then
		if [ -z "$init_wall" ]; then
			hang="guest did not reach init within ${boot_timeout}s"
		elif grep -qa '^PATCHSTORM-EXIT' "$results/console.log"; then
			hang="guest did not power off"
		else
			hang="guest still running $((duration + grace + 30))s after init (duration ${duration}s + grace ${grace}s + 30s)"
		fi
		kill -TERM "$qpid" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$qpid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$qpid" 2>/dev/null || true
		break
	fi
	sleep 0.2
done
qrc=0
wait "$qpid" 2>/dev/null || qrc=$?
qpid=
# out/ transfer time (to 0.2 s; the guest powers off right after it)
if [ -n "$init_wall" ] && [ -z "$out_end" ] && grep -qa '^PATCHSTORM-OUT-END' "$results/console.log"; then
	out_end=$(date +%s.%N)
	out_begin=${out_begin:-$out_end}
fi
wall=$(echo "$(date +%s.%N) - $t0" | bc)
touch "$results/console.log"
[ ! -s "$work/qemu.out" ] || cp "$work/qemu.out" "$results/qemu.log"

# ---- judge -----------------------------------------------------------------
clean=$work/console.txt
tr -d '\r' <"$results/console.log" >"$clean"
init_uptime=$(sed -n 's/^PATCHSTORM-INIT uptime=\([0-9.]*\).*/\1/p' "$clean" | head -n1)
exit_line=$(grep -a '^PATCHSTORM-EXIT status=' "$clean" | head -n1 || true)
guest_status=
guest_timeout_hit=0
if [ -n "$exit_line" ]; then
	guest_status=$(echo "$exit_line" | sed 's/^PATCHSTORM-EXIT status=\([0-9]*\).*/\1/')
	case "$exit_line" in *timeout=1*) guest_timeout_hit=1 ;; esac
	echo "$guest_status" >"$results/guest-exit-status"
else
	echo "none" >"$results/guest-exit-status"
fi
if grep -qa '^PATCHSTORM-OUT-END' "$clean"; then
	sed -n '/^PATCHSTORM-OUT-BEGIN/,/^PATCHSTORM-OUT-END/p' "$clean" | sed '1d;$d' |
		base64 -d 2>/dev/null | tar -xzf - -C "$results/out" 2>/dev/null ||
		ps_warn "could not unpack the guest's out/ archive"
fi

failures=()   # "KIND<TAB>line<TAB>text"
scan=$work/scan
"$S/scan-console.sh" "$results/console.log" >"$scan" || true
: >"$results/failures.txt"
if [ -s "$scan" ]; then
	"$S/scan-console.sh" --context 12 "$results/console.log" >>"$results/failures.txt" || true
	while IFS= read -r l; do failures+=("$l"); done <"$scan"
fi
if [ -n "$hang" ]; then
	failures+=("$(printf 'HANG\t0\t%s' "$hang")")
elif [ $guest_timeout_hit = 1 ]; then
	failures+=("$(printf 'HANG\t0\t%s' "run.sh still running after ${guest_timeout}s (duration ${duration}s + grace ${grace}s), killed in the guest")")
fi
if [ -z "$hang" ] && [ -z "$exit_line" ] && [ -z "$init_uptime" ]; then
	failures+=("$(printf 'NO_INIT\t0\t%s' "the guest never reached init (qemu exit $qrc: $(tail -n1 "$work/qemu.out"))")")
elif [ -z "$hang" ] && [ -z "$exit_line" ]; then
	failures+=("$(printf 'NO_EXIT\t0\t%s' "the guest stopped before init finished (panic or reboot)")")
elif [ -n "$guest_status" ] && [ "$guest_status" != 0 ] && [ $guest_timeout_hit = 0 ]; then
	failures+=("$(printf 'EXIT_STATUS\t0\t%s' "guest command exited with status $guest_status")")
fi
for l in "${failures[@]}"; do
	case "$l" in
	HANG*|NO_INIT*|NO_EXIT*|EXIT_STATUS*) printf '%s: %s\n' "${l%%$'\t'*}" "${l##*$'\t'}" >>"$results/failures.txt" ;;
	esac
done

if [ ${#failures[@]} -eq 0 ]; then
	verdict=SUCCESS
	reason=
else
	first=${failures[0]}
	reason="${first%%$'\t'*}: $(printf '%s' "${first##*$'\t'}" | sed 's/^\[ *[0-9.]*\] //')"
	verdict=FAILURE
fi

printf '%s\n' "${failures[@]}" >"$work/failures.tsv"
[ ${#failures[@]} -gt 0 ] || : >"$work/failures.tsv"
J_VERDICT=$verdict J_REASON=$reason J_ARCH=$arch J_KERNEL=$release J_KENTRY=$kentry J_IMAGE=$image_sha \
J_KSRC=$ksrc J_CPUS=$cpus J_MEM=$mem J_DURATION=$duration J_GRACE=$grace J_TCG=$tcg \
J_WHAT=$what J_STORM=$storm J_INIT=$init_uptime J_INIT_WALL=$init_wall J_WALL=$wall \
J_STATUS=$guest_status J_OUT_BEGIN=$out_begin J_OUT_END=$out_end J_CLEAN=$clean \
python3 - "$results" "$work/failures.tsv" <<'EOF' || ps_env_error "cannot write summary.json"
import json, os, re, sys
res, ftsv = sys.argv[1], sys.argv[2]
E = os.environ
def num(v):
    if re.fullmatch(r'-?[0-9]+', v): return int(v)
    if re.fullmatch(r'-?[0-9]*\.[0-9]+([eE][-+]?[0-9]+)?', v): return float(v)
    return v
def opt(k, conv=str):
    v = E.get(k, '')
    return conv(v) if v != '' else None
failures = []
for line in open(ftsv, errors='replace'):
    line = line.rstrip('\n')
    if not line: continue
    kind, lineno, text = (line.split('\t', 2) + ['', ''])[:3]
    f = {'kind': kind, 'text': text}
    if lineno not in ('', '0'): f['console_line'] = int(lineno)
    failures.append(f)
stats = None
if os.path.exists(res + '/out/stats'):
    stats = {}
    for line in open(res + '/out/stats', errors='replace'):
        line = line.strip()
        if '=' in line and not line.startswith('#'):
            k, v = line.split('=', 1)
            stats[k.strip()] = num(v.strip())
s = {
    'verdict': E['J_VERDICT'],
    'reason': opt('J_REASON'),
    'arch': E['J_ARCH'],
    'kernel': E['J_KERNEL'],
    'kernel_entry': E['J_KENTRY'],
    'kernel_image_sha256': E['J_IMAGE'],
    'ksrc': opt('J_KSRC'),
    'cpus': int(E['J_CPUS']),
    'mem': E['J_MEM'],
    'duration': int(E['J_DURATION']),
    'grace': int(E['J_GRACE']),
    'tcg': E['J_TCG'],
    'what': E['J_WHAT'],
    'storm': E['J_STORM'],
    'boot_to_init_s': opt('J_INIT', float),
    'boot_to_init_wall_s': opt('J_INIT_WALL', lambda v: round(float(v), 3)),
    'wall_s': round(float(E['J_WALL']), 3),
    'guest_exit_status': opt('J_STATUS', int),
    'failures': failures,
    'stats': stats,
}
# The out/ archive on the console: its size and how long it took.
if E.get('J_OUT_BEGIN') and E.get('J_OUT_END'):
    n = 0
    inside = False
    for line in open(E['J_CLEAN'], 'rb'):
        if line.startswith(b'PATCHSTORM-OUT-BEGIN'): inside = True
        elif line.startswith(b'PATCHSTORM-OUT-END'): break
        elif inside: n += len(line)
    s['out_transfer_s'] = round(float(E['J_OUT_END']) - float(E['J_OUT_BEGIN']), 1)
    s['out_archive_bytes'] = n
# --trace: trace.dat size and its events per kind (trace-cmd on the host).
td = res + '/out/trace.dat'
if os.path.exists(td):
    import subprocess
    t = {'file': 'out/trace.dat', 'bytes': os.path.getsize(td)}
    try:
        r = subprocess.run(['trace-cmd', 'report', '-i', td], capture_output=True,
                           text=True, errors='replace', timeout=120)
        ev = {}
        lost = 0
        for line in r.stdout.splitlines():
            m = re.search(r'\s(patchstorm_\w+):', line)
            if m:
                ev[m.group(1)] = ev.get(m.group(1), 0) + 1
            elif 'EVENTS DROPPED' in line or 'LOST' in line:
                m = re.search(r'\[(\d+)', line)
                lost += int(m.group(1)) if m else 1
        t['events'] = ev
        t['lost'] = lost
    except (OSError, subprocess.SubprocessError) as e:
        t['error'] = str(e)
    s['trace'] = t
with open(res + '/summary.json', 'w') as f:
    json.dump(s, f, indent=2)
    f.write('\n')
EOF

if [ $report = 1 ]; then
	if [ -s "$results/out/report" ]; then
		cat "$results/out/report"
	elif [ -s "$results/out/stats" ]; then
		cat "$results/out/stats"
	fi
	if [ -s "$results/failures.txt" ]; then
		echo "--- failures ($results/failures.txt)"
		head -n 40 "$results/failures.txt"
	fi
	echo "results: $results"
fi
if [ $verdict = SUCCESS ]; then
	echo SUCCESS
	exit 0
fi
echo "FAILURE: $reason"
exit 1
