#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a QEMU guest, run a command or scenario in it, and judge the run.
#
#   scripts/qemu-run.sh [options]
#
#   --arch A           riscv64 (default), x86_64 or arm64
#   --cpus N           vCPUs (default 2)
#   --mem SIZE         guest memory, e.g. 512M or 1G (default 1G)
#   --duration S       storm seconds, passed to the guest (default 60)
#   --ksrc DIR|debian:X.Y
#                      build and boot that kernel tree, or Debian's
#                      linux-source-X.Y, instead of the arch's default kernel
#   --flavor normal|debug
#                      the kernel's flavour (default normal); debug: KASAN,
#                      KFENCE, lockdep, debugobjects, DEBUG_LIST and
#                      kmemleak (scripts/kconfig/flavor/debug.config), a
#                      kernel built from source (x86_64: with --ksrc
#                      debian:6.12); kmemleak is scanned once the guest
#                      command is over, and a leak, like any KASAN, KFENCE,
#                      lockdep or debugobjects report, is a FAILURE
#   --cmd 'shell command'
#                      run this in the guest instead of a scenario
#   --scenario FILE    a guest script: a path, or a name in scenarios/
#                      (default scenarios/default.sh: one storm)
#   --storm 'key=value ...'
#                      the module configuration for the scenario (STORM)
#   --results DIR      results directory (default
#                      results/<timestamp>-<arch>-<release>/, and
#                      results/latest pointing at it)
#   --grace S          time allowed on top of --duration for module load,
#                      setup and teardown (default 30, or 60 under
#                      --tcg single|icount with more than 2 vCPUs)
#   --tcg single|multi|icount
#                      QEMU's TCG mode (default: the arch's, multi for
#                      riscv64 and arm64, single for x86_64; docs/qemu.md)
#   --fixtures         build tests/fixtures/ and put the modules in
#                      /patchstorm/fixtures/
#   --append 'kernel args'
#                      more kernel command line
#   --add FILE[:GUEST-PATH]
#                      put FILE into the guest (default /patchstorm/<name>;
#                      a relative GUEST-PATH is under /patchstorm/); repeatable
#   --boot-timeout S   seconds from QEMU start to the guest's init (default:
#                      the arch's, 60 or 90 for x86_64: a loaded host boots slowly)
#   --report           print the storm's report (out/report) and failures
#   --trace            run scenarios/trace.sh: the storm with its
#                      tracepoints recorded by `trace-cmd record -e
#                      patchstorm` in the guest; brings back out/trace.dat
#                      (`trace-cmd report -i` reads it) and out/hist/*,
#                      which scripts/trace-hist.py compares. Own scenarios
#                      and --cmd can call /patchstorm/trace.sh --start /
#                      --stop (scripts/guest/trace.sh) themselves.
#   --cross-check      under --tcg multi, re-run a FAILURE, or a storm that
#                      excused stale calls (stale=warn), under --tcg single
#                      with the same kernel and options, into xcheck/ of the
#                      results directory, and say whether single-threaded
#                      TCG shows it too (summary.json cross_check: result
#                      confirmed, mttcg-only, different or inconclusive;
#                      scripts/cross-check.py). The re-run passes stale=fail
#                      unless --storm sets stale=, and gets the runner's
#                      grace for --tcg single (or --grace, if longer). A
#                      SUCCESS whose excused stale calls the re-run shows
#                      too becomes a FAILURE. Off by default.
#   --no-cross-check   no re-run (the default; campaign.sh and bisect.sh
#                      pass --cross-check unless given this)
#   -h, --help         this text
#
# Builds what is missing (guest kernel, initramfs, module, static guest
# CLI), adds a per-run cpio (/patchstorm/run.sh, /patchstorm/env,
# /patchstorm/patchstorm.ko, /usr/bin/patchstorm, /patchstorm/fixtures/,
# /patchstorm/scenarios/, and --add files) to the cached base initramfs,
# boots, and writes the results directory:
#   qemu-cmdline console.log guest-exit-status out/ failures.txt summary.json
# (summary.json: scripts/summary.py). The last stdout line is the
# verdict: SUCCESS or FAILURE: <reason>.
#
# In the guest, run.sh gets DURATION, STORM, CPUS, ARCH, TCG, TIMEOUT in its
# environment and writes files to /patchstorm/out/ (out/stats: key=value
# lines, copied into summary.json; out/report: shown by --report).
#
# --tcg icount: single-threaded TCG with -icount (shift=3, sleep=off):
# guest time is the count of instructions executed, so rates no longer
# follow the host's load; for benchmarks.  x86_64 and arm64: riscv64
# guests with more than one vCPU hang in firmware under -icount (QEMU 7.2).
#
# Exit: 0 SUCCESS, 1 FAILURE (console trouble, non-zero guest exit, hang),
# 2 bad usage, 3 environment (missing tree, build failure, no QEMU).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
S=$PS_ROOT/scripts

# ---- options ----------------------------------------------------------------
parse_args() {
	arch=riscv64 cpus=2 mem=1G duration=60 ksrc='' flavor=normal cmd='' scenario='' storm=''
	results='' grace='' tcg='' fixtures=0 append='' boot_timeout='' report=0 trace=0
	xcheck=0
	adds=()
	orig_args=("$@")
	while [ $# -gt 0 ]; do
		case "$1" in
		--arch) need_arg "$@"; arch=$2; shift ;;
		--cpus) need_arg "$@"; cpus=$2; shift ;;
		--mem) need_arg "$@"; mem=$2; shift ;;
		--duration) need_arg "$@"; duration=$2; shift ;;
		--ksrc) need_arg "$@"; ksrc=$2; shift ;;
		--flavor) need_arg "$@"; flavor=$2; shift ;;
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
		--cross-check) xcheck=1 ;;
		--no-cross-check) xcheck=0 ;;
		-h|--help) ps_help; exit 0 ;;
		*) ps_usage_error "unknown option '$1' (see --help)" ;;
		esac
		shift
	done
}
# Setup and teardown time on top of the storm for TCG mode $1. Single-
# threaded TCG runs vCPUs round-robin and only switches away from a
# spinning one at its 100 ms kick, so every stop_machine() (riscv patches
# text under it) costs about a second with 4 vCPUs: registering all
# strategies then takes 15-25 s of guest time before the storm.
default_grace() {
	if [ "$1" != multi ] && [ "$cpus" -gt 2 ]; then echo 60; else echo 30; fi
}
need_arg() { [ $# -ge 2 ] || ps_usage_error "option $1 needs an argument"; }
is_uint() { case "$1" in ''|*[!0-9]*) return 1 ;; esac; }

# Check the options and fill in the arch's defaults (scripts/lib.sh table).
check_args() {
	local a
	ps_check_arch "$arch"
	case $flavor in normal|debug) ;; *) ps_usage_error "--flavor must be normal or debug, not '$flavor'" ;; esac
	[ "$flavor" = normal ] || [ "$arch" != x86_64 ] || [ -n "$ksrc" ] ||
		ps_usage_error "--flavor $flavor: x86_64's default kernel is Debian's prebuilt one, which has no $flavor flavour; build one from source with --ksrc debian:6.12"
	for a in "${adds[@]}"; do
		[ -f "${a%%:*}" ] || ps_usage_error "--add: no file '${a%%:*}'"
	done
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
	# x86_64 defaults to thread=single: docs/qemu.md (the int3 oops)
	[ -n "$tcg" ] || tcg=$(ps_arch "$arch" tcg)
	case "$tcg" in single|multi|icount) ;; *) ps_usage_error "--tcg must be single, multi or icount, not '$tcg'" ;; esac
	[ "$tcg" != icount ] || [ "$(ps_arch "$arch" icount_smp)" = 1 ] || [ "$cpus" -le 1 ] ||
		ps_env_error "--tcg icount: $arch guests with more than one vCPU do not boot under -icount in QEMU 7.2"
	grace_given=$grace
	[ -n "$grace" ] || grace=$(default_grace "$tcg")
	[ -n "$boot_timeout" ] || boot_timeout=$(ps_arch "$arch" boot_timeout)
	is_uint "$boot_timeout" || ps_usage_error "--boot-timeout must be whole seconds"
	if [ "$cpus" -gt "$PS_NPROC" ]; then
		ps_warn "$cpus vCPUs on $PS_NPROC host cores: every stop_machine waits for all vCPU threads, so patching gets much slower and timings are distorted (use --cpus <= $PS_NPROC)"
	fi
	qemu_bin=$(ps_arch "$arch" qemu)
	command -v "$qemu_bin" >/dev/null || ps_env_error "$qemu_bin not found (run scripts/setup-host.sh)"
}

# ---- build what is missing ------------------------------------------------
# Sets kentry, release, base, ko, fixture_kos, cli.
build_parts() {
	local log
	kentry=$("$S/build-kernel.sh" --arch "$arch" ${ksrc:+--ksrc "$ksrc"} --flavor "$flavor" | tail -n1) || exit $?
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
		log=/tmp/patchstorm-tools-$$.log
		if make -s -C "$PS_ROOT/tools" TARGET="$arch" >"$log" 2>&1 &&
			[ -x "$PS_ROOT/tools/build/$arch/patchstorm" ]; then
			cli=$PS_ROOT/tools/build/$arch/patchstorm
		else
			ps_warn "make -C tools TARGET=$arch failed, the guest gets no patchstorm CLI: $(tail -n1 "$log")"
		fi
		rm -f "$log"
	fi
}

# ---- results directory ------------------------------------------------------
make_results_dir() {
	local default_results=0
	if [ -z "$results" ]; then
		default_results=1
		results=$PS_ROOT/results/$(date +%Y%m%d-%H%M%S)-$arch-$release
		[ ! -e "$results" ] || results=$results-$$
	fi
	mkdir -p "$results"
	results=$(cd "$results" && pwd)
	rm -rf "$results/out" "$results/xcheck" "$results"/{qemu-cmdline,qemu.log,console.log,guest-exit-status,failures.txt,summary.json}
	mkdir -p "$results/out"
	if [ $default_results = 1 ]; then
		ln -sfn "$(basename "$results")" "$PS_ROOT/results/latest"
	fi
}

# ---- per-run initramfs ------------------------------------------------------
sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# The base initramfs with this run's files appended; sets initrd, what,
# guest_timeout.
assemble_initramfs() {
	local g=$work/guest a src dst f
	mkdir -p "$g/patchstorm/out" "$g/usr/bin"
	if [ -n "$cmd" ]; then
		printf '#!/bin/sh\n%s\n' "$cmd" >"$g/patchstorm/run.sh"
		what="cmd: $cmd"
	else
		scenario=${scenario:-$PS_ROOT/scenarios/default.sh}
		cp "$scenario" "$g/patchstorm/run.sh"
		what="scenario: $(basename "$scenario")"
	fi
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
	initrd=$work/initrd
	cat "$base" "$work/run.cpio" >"$initrd"
}

# ---- boot -------------------------------------------------------------------
# The QEMU command line, into the array q and results/qemu-cmdline.
qemu_cmdline() {
	local kargs thread=$tcg machine
	kargs="console=$(ps_arch "$arch" console) printk.time=1 panic=-1 oops=panic rdinit=/init"
	# each leak's backtrace on the console, beside its "unreferenced object" line
	[ "$flavor" = normal ] || kargs="$kargs kmemleak.verbose=1"
	q=("$qemu_bin" -nodefaults -no-user-config -display none -monitor none
		-no-reboot -smp "$cpus" -m "$mem")
	if [ "$tcg" = icount ]; then
		# 8 ns of guest time per instruction; idle vCPUs skip ahead
		thread=single
		q+=(-icount "shift=3,sleep=off")
	fi
	read -ra machine <<<"$(ps_arch "$arch" machine)"
	q+=(-accel "tcg,thread=$thread" "${machine[@]}")
	q+=(-kernel "$kentry/image" -initrd "$initrd" -append "$kargs${append:+ $append}"
		-serial "file:$results/console.log")
	printf '%q ' "${q[@]}" | sed 's/ $/\n/' >"$results/qemu-cmdline"
}

console_has() { grep -qa "^$1" "$results/console.log" 2>/dev/null; }
later() { echo "$1 + $2" | bc; }
past() { [ "$(echo "$1 > $2" | bc)" = 1 ]; }

# Boot, then watch the console until the guest powers off or a deadline
# passes: the boot timeout until init, then duration + grace + 30 s
# (extended while the out/ archive is still coming). Sets hang, init_wall,
# out_begin, out_end, wall, qrc.
boot_and_watch() {
	local short t0 now deadline size last_size=
	short=$(printf '%s' "$what" | head -n1 | cut -c1-60)
	[ "$short" = "$what" ] || short="$short..."
	ps_info "booting $arch $release, $cpus vCPUs, $mem, ${duration}s, tcg=$tcg ($short) -> $results"
	t0=$(date +%s.%N)
	"${q[@]}" </dev/null >"$work/qemu.out" 2>&1 &
	qpid=$!
	hang='' init_wall='' out_begin='' out_end=''
	deadline=$(later "$t0" "$boot_timeout")
	while kill -0 "$qpid" 2>/dev/null; do
		now=$(date +%s.%N)
		if [ -z "$init_wall" ] && console_has PATCHSTORM-INIT; then
			init_wall=$(echo "$now - $t0" | bc)
			# After init: duration + grace (when the guest kills run.sh),
			# plus time to start sending out/ back.
			deadline=$(later "$now" "$duration + $grace + 30")
		fi
		if [ -n "$init_wall" ] && [ -z "$out_end" ]; then
			[ -n "$out_begin" ] || ! console_has PATCHSTORM-OUT-BEGIN || out_begin=$now
			[ -z "$out_begin" ] || ! console_has PATCHSTORM-OUT-END || out_end=$now
		fi
		# While out/ is being sent back, a growing console extends the
		# deadline (the serial line does a few hundred KB/s under TCG).
		if [ -n "$init_wall" ] && past "$now" "$deadline - 5" &&
			console_has PATCHSTORM-OUT-BEGIN && ! console_has PATCHSTORM-OUT-END; then
			size=$(stat -c %s "$results/console.log")
			if [ "$size" != "$last_size" ]; then
				last_size=$size
				deadline=$(later "$now" 10)
			fi
		fi
		if past "$now" "$deadline"; then
			if [ -z "$init_wall" ]; then
				hang="guest did not reach init within ${boot_timeout}s"
			elif console_has PATCHSTORM-EXIT; then
				hang="guest did not power off"
			else
				hang="guest still running $((duration + grace + 30))s after init (duration ${duration}s + grace ${grace}s + 30s)"
			fi
			stop_qemu
			break
		fi
		sleep 0.2
	done
	qrc=0
	wait "$qpid" 2>/dev/null || qrc=$?
	qpid=
	# out/ transfer time (to 0.2 s; the guest powers off right after it)
	if [ -n "$init_wall" ] && [ -z "$out_end" ] && console_has PATCHSTORM-OUT-END; then
		out_end=$(date +%s.%N)
		out_begin=${out_begin:-$out_end}
	fi
	wall=$(echo "$(date +%s.%N) - $t0" | bc)
	touch "$results/console.log"
	[ ! -s "$work/qemu.out" ] || cp "$work/qemu.out" "$results/qemu.log"
}
stop_qemu() {
	kill -TERM "$qpid" 2>/dev/null || true
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL "$qpid" 2>/dev/null || true
}

# ---- judge ------------------------------------------------------------------
# The guest's markers, out/ unpacked, the console scanned; sets failures
# ("KIND<TAB>line<TAB>text"), verdict, reason, init_uptime, guest_status.
judge() {
	local exit_line l first scan=$work/scan guest_timeout_hit=0
	clean=$work/console.txt
	tr -d '\r' <"$results/console.log" >"$clean"
	init_uptime=$(sed -n 's/^PATCHSTORM-INIT uptime=\([0-9.]*\).*/\1/p' "$clean" | head -n1)
	exit_line=$(grep -a '^PATCHSTORM-EXIT status=' "$clean" | head -n1 || true)
	guest_status=
	if [ -n "$exit_line" ]; then
		guest_status=$(echo "$exit_line" | sed 's/^PATCHSTORM-EXIT status=\([0-9]*\).*/\1/')
		case "$exit_line" in *timeout=1*) guest_timeout_hit=1 ;; esac
		echo "$guest_status" >"$results/guest-exit-status"
	else
		echo "none" >"$results/guest-exit-status"
	fi
	if grep -qa '^PATCHSTORM-OUT-END' "$clean"; then
		# A kernel message printed meanwhile (at the loglevel the guest
		# keeps during the dump: a soft lockup, a panic's first line)
		# splits a base64 line: "...X9[   32.75] watchdog: ..."; it goes,
		# and what is left is the archive.
		sed -n '/^PATCHSTORM-OUT-BEGIN/,/^PATCHSTORM-OUT-END/p' "$clean" | sed '1d;$d' |
			sed -E 's/\[ *[0-9]+\.[0-9]+\].*$//' | grep -E '^[A-Za-z0-9+/=]+$' |
			base64 -d 2>/dev/null | tar -xzf - -C "$results/out" 2>/dev/null ||
			ps_warn "could not unpack the guest's out/ archive"
	fi

	failures=()
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
	# The debug flavour's kmemleak scan, made by the guest's init once the
	# command is over: a leak is on the console (the scan above); a scan
	# that did not happen or failed is a failure too.
	if [ "$flavor" != normal ] && [ -n "$exit_line" ]; then
		l=$(grep -a '^PATCHSTORM-KMEMLEAK ' "$clean" | tail -n1 || true)
		case "$l" in
		*" scanned "*) ;;
		"") failures+=("$(printf 'KMEMLEAK\t0\t%s' "no kmemleak scan at the end of the run")") ;;
		*) failures+=("$(printf 'KMEMLEAK\t0\t%s' "kmemleak: ${l#PATCHSTORM-KMEMLEAK }")") ;;
		esac
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
		HANG*|NO_INIT*|NO_EXIT*|EXIT_STATUS*|KMEMLEAK$'\t'0$'\t'*) printf '%s: %s\n' "${l%%$'\t'*}" "${l##*$'\t'}" >>"$results/failures.txt" ;;
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
}

# ---- summary ----------------------------------------------------------------
# summary.json, written by scripts/summary.py from the run's facts.
write_summary() {
	if [ ${#failures[@]} -gt 0 ]; then
		printf '%s\n' "${failures[@]}" >"$work/failures.tsv"
	else
		: >"$work/failures.tsv"
	fi
	python3 "$S/summary.py" "$results" "$work/failures.tsv" "$clean" \
		verdict="$verdict" reason="$reason" arch="$arch" kernel="$release" \
		kernel_entry="$kentry" kernel_image_sha256="$image_sha" ksrc="$ksrc" flavor="$flavor" cpus="$cpus" mem="$mem" \
		duration="$duration" grace="$grace" tcg="$tcg" what="$what" \
		storm="$storm" boot_to_init_s="$init_uptime" \
		boot_to_init_wall_s="$init_wall" wall_s="$wall" \
		guest_exit_status="$guest_status" out_begin="$out_begin" \
		out_end="$out_end" || ps_env_error "cannot write summary.json"
}

show_report() {
	[ $report = 1 ] || return 0
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
}

# ---- emulator cross-check --------------------------------------------------
# --cross-check: a FAILURE, or stale calls excused by stale=warn, under
# MTTCG is run again under --tcg single (same options, kernel and storm,
# stale=fail unless the storm sets stale=) into results/xcheck/, and
# scripts/cross-check.py says whether single-threaded TCG shows it too
# (summary.json cross_check). May turn verdict and reason into a FAILURE.
cross_check() {
	local why rc xd=$results/xcheck xstorm=$storm xgrace out line
	[ $xcheck = 1 ] || return 0
	rc=0
	why=$(python3 "$S/cross-check.py" plan "$results") || rc=$?
	case $rc in
	0) ;;
	1) ps_info "cross-check: $why"; return 0 ;;
	*) ps_env_error "cross-check: cannot read $results/summary.json" ;;
	esac
	case " $storm " in *" stale="*) ;; *) xstorm="stale=fail${storm:+ $storm}" ;; esac
	xgrace=$(default_grace single)
	[ -z "$grace_given" ] || [ "$grace_given" -le "$xgrace" ] || xgrace=$grace_given
	mkdir -p "$xd"
	: >"$xd/runner.log"
	ps_info "cross-check: $why; running it again under --tcg single (grace ${xgrace}s) -> $xd"
	# A riscv64 guest with 2 vCPUs under thread=single sometimes stops
	# after the firmware's banner (docs/qemu.md): a re-run that did not
	# reach init, where this run did, boots again (3 boots at most).
	for attempt in 1 2 3; do
		"$S/qemu-run.sh" "${orig_args[@]}" --no-cross-check --tcg single --grace "$xgrace" \
			--storm "$xstorm" --results "$xd" >>"$xd/runner.log" 2>&1 </dev/null &
		xpid=$!
		rc=0
		wait "$xpid" || rc=$?
		xpid=''
		ps_info "cross-check: the re-run under --tcg single ended: $(tail -n1 "$xd/runner.log")"
		[ "$rc" = 1 ] && [ -n "$init_uptime" ] && [ $attempt -lt 3 ] &&
			grep -qE '^(NO_INIT|HANG: guest did not reach init)' "$xd/failures.txt" 2>/dev/null ||
			break
		ps_info "cross-check: the re-run did not reach init (boot $attempt), booting it again"
	done
	out=$(python3 "$S/cross-check.py" judge "$results" "$rc" "$attempt") || rc=$?
	[ -n "$out" ] || ps_env_error "cross-check: cannot judge the re-run ($xd)"
	line=$(printf '%s\n' "$out" | sed -n 2p)
	printf '%s\n' "$out" | head -n1
	case $line in
	SUCCESS) verdict=SUCCESS reason= ;;
	FAILURE:*) verdict=FAILURE reason=${line#FAILURE: } ;;
	*) ps_env_error "cross-check: cannot judge the re-run ($xd)" ;;
	esac
}

main() {
	parse_args "$@"
	check_args
	build_parts
	make_results_dir
	work=$(mktemp -d "${TMPDIR:-/tmp}/patchstorm-run.XXXXXX")
	qpid='' xpid=''
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	assemble_initramfs
	qemu_cmdline
	boot_and_watch
	judge
	write_summary
	show_report
	cross_check
	if [ $verdict = SUCCESS ]; then
		echo SUCCESS
		exit 0
	fi
	echo "FAILURE: $reason"
	exit 1
}
cleanup() {
	[ -z "$qpid" ] || kill -KILL "$qpid" 2>/dev/null || true
	# the re-run stops its own guest on TERM
	[ -z "${xpid:-}" ] || { kill -TERM "$xpid" 2>/dev/null; wait "$xpid" 2>/dev/null; } || true
	rm -rf "$work"
}

main "$@"
