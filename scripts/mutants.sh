#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Mutation score: plant each bug of the corpus (mutants/*.patch) in a
# kernel, rebuild it incrementally, run the storm on it, and count what the
# storm catches; the unmodified kernel runs as many times as the control.
#
#   scripts/mutants.sh [--mutants NAME,...] [--runs N] [--duration S]
#       [--tcg MODE,...] [--scenario NAME] [--storm 'key=value ...']
#       [--no-churn] [--out DIR] [--list]
#   scripts/mutants.sh --summary DIR
#
# Environment (make mutants): MUTANTS=NAME,... RUNS=N DURATION=S TCG=MODE,...
# SCENARIO=NAME STORM='key=value ...' CHURN=0 (options win). Defaults: every mutant, 3 runs, 60 s,
# TCG=default: each run is the default storm of make run, the fixture
# module built for each kernel so that module-churn is in it,
#   scripts/qemu-run.sh --arch A --ksrc TREE --duration S --fixtures
# (--no-churn or CHURN=0: without the fixture, as before it joined).
# --scenario runs that guest scenario instead (scenarios/NAME.sh, e.g.
# churn: a module loaded and unloaded beside the storm), with the fixture
# modules built for each kernel (--scenario NAME --fixtures).
# --storm passes module options to every run, controls too (qemu-run.sh
# --storm), e.g. kprobe_walk=off to keep clear of a kernel bug the
# control kernel has; the table's header says so.
# TCG lists the QEMU modes to run the storm under, each RUNS times:
# default (the arch's: riscv64 and arm64 multi, x86_64 single), single,
# multi; a mode that is the arch's default runs once.
#
# Each mutant names its arch and kernel series in its header (see
# mutants/README.md). One copy of Debian's linux-source-X.Y per series is
# kept in ${PATCHSTORM_CACHE}/mutants/linux-X.Y (never the cache's own
# tree, which the default kernels are built from), and one build entry
# per (copy, arch): scripts/build-kernel.sh --ksrc rebuilds it with
# kbuild's incremental make whenever the copy changes, so planting or
# removing a mutant costs a recompile of the files it touches and a link.
# A mutant is applied, built, run, and reverted; a run interrupted with a
# mutant planted is reverted by the next one (the copy keeps a note of
# what is applied). The image each run booted is recorded: a mutant whose
# image is the control's is an error, not a result.
#
# Out: DIR (default results/mutants-<time>/): control-<arch>-<series>/runN
# and <mutant>/runN (the runner's results directories), build logs,
# summary.txt (the table) and summary.json. A run is caught when the
# runner's verdict is FAILURE; the score is mutants caught in at least one
# run over the detectable ones (header "Detectable: yes"); the others
# are listed, with the reason, outside the denominator.
#
# --summary DIR makes DIR's table and summary.json again from its runs,
# with the corpus' headers as they are now (a Why-missed written since).
#
# Exit 0 when every control run was a SUCCESS and every mutant was built
# and run; 1 when a control run failed; 3 when a kernel could not be
# built or a run could not be made; 2 bad usage.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

mutants=${MUTANTS:-}
runs=${RUNS:-3}
duration=${DURATION:-60}
tcg=${TCG:-default}
out=
list=0
summary_only=
scenario=${SCENARIO:-}
storm=${STORM:-}
churn=${CHURN:-1}
while [ $# -gt 0 ]; do
	case "$1" in
	--mutants) [ $# -ge 2 ] || ps_usage_error "--mutants needs a list"; mutants=$2; shift ;;
	--runs) [ $# -ge 2 ] || ps_usage_error "--runs needs a count"; runs=$2; shift ;;
	--duration) [ $# -ge 2 ] || ps_usage_error "--duration needs seconds"; duration=$2; shift ;;
	--tcg) [ $# -ge 2 ] || ps_usage_error "--tcg needs a mode list"; tcg=$2; shift ;;
	--out) [ -n "${2:-}" ] || ps_usage_error "--out needs a directory"; out=$2; shift ;;
	--list) list=1 ;;
	--summary) [ -d "${2:-}" ] || ps_usage_error "--summary needs a results directory of scripts/mutants.sh"
		summary_only=$2; shift ;;
	--scenario) [ -n "${2:-}" ] || ps_usage_error "--scenario needs a name"; scenario=$2; shift ;;
	--storm) [ -n "${2:-}" ] || ps_usage_error "--storm needs key=value options"; storm=$2; shift ;;
	--no-churn) churn=0 ;;
	-h|--help) ps_help; exit 0 ;;
	*) ps_usage_error "unknown option '$1' (see --help)" ;;
	esac
	shift
done
[[ $churn =~ ^[01]$ ]] || ps_usage_error "CHURN wants 0 or 1, not '$churn'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || ps_usage_error "RUNS/--runs wants a count from 1, not '$runs'"
[[ $duration =~ ^[1-9][0-9]*$ ]] || ps_usage_error "DURATION/--duration wants whole seconds from 1, not '$duration'"
IFS=, read -r -a tcgs <<<"$tcg"
[ ${#tcgs[@]} -gt 0 ] || ps_usage_error "TCG/--tcg wants default, single or multi"
for m in "${tcgs[@]}"; do
	case "$m" in default|single|multi) ;; *) ps_usage_error "TCG/--tcg wants default, single or multi, not '$m'" ;; esac
done
# The QEMU modes to run on ARCH, without repeats: "mode" lines.
arch_modes() {
	local m r seen=" "
	for m in "${tcgs[@]}"; do
		r=$m
		[ "$r" != default ] || case "$1" in x86_64) r=single ;; *) r=multi ;; esac
		case "$seen" in *" $r "*) continue ;; esac
		seen="$seen$r "
		echo "$r"
	done
}

CORPUS=$PS_ROOT/mutants
S=$PS_ROOT/scripts

# The corpus as "name arch series detectable" lines; a header that lacks
# a field or names an unknown arch is an error.
corpus=$(python3 - "$CORPUS" <<'EOF'
import os, re, sys
d = sys.argv[1]
bad = []
for f in sorted(os.listdir(d)):
    if not f.endswith('.patch'):
        continue
    name = f[:-len('.patch')]
    h = {}
    key = None
    for line in open(os.path.join(d, f), errors='replace'):
        if line.startswith('diff ') or line.startswith('--- '):
            break
        m = re.match(r'^([A-Z][A-Za-z-]*):\s*(.*)$', line)
        if m:
            key = m.group(1)
            h[key] = m.group(2).strip()
        elif key and line[:1] in ' \t' and line.strip():
            h[key] += ' ' + line.strip()
        elif not line.strip():
            key = None
    miss = [k for k in ('Mutant', 'Arch', 'Kernel', 'Detectable') if k not in h]
    if miss:
        bad.append('%s: no %s' % (f, ', '.join(miss)))
        continue
    if h['Mutant'] != name:
        bad.append('%s: Mutant: %s differs from the file name' % (f, h['Mutant']))
    if h['Arch'] not in ('riscv64', 'x86_64', 'arm64'):
        bad.append('%s: unknown Arch: %s' % (f, h['Arch']))
    if not re.fullmatch(r'[0-9]+\.[0-9]+', h['Kernel']):
        bad.append('%s: Kernel: wants a series such as 6.12' % f)
    det = 'yes' if h['Detectable'].startswith('yes') else 'no'
    print(name, h['Arch'], h['Kernel'], det)
if bad:
    print('\n'.join(bad), file=sys.stderr)
    sys.exit(1)
EOF
) || ps_env_error "the corpus in $CORPUS has bad headers (above)"

declare -A M_ARCH M_SERIES M_DET
all=()
while read -r n a k det; do
	[ -n "$n" ] || continue
	all+=("$n")
	M_ARCH[$n]=$a
	M_SERIES[$n]=$k
	M_DET[$n]=$det
done <<<"$corpus"
[ ${#all[@]} -gt 0 ] || ps_env_error "no mutants in $CORPUS"

chosen=()
if [ -n "$mutants" ]; then
	IFS=, read -r -a want <<<"$mutants"
	for n in "${want[@]}"; do
		[ -n "${M_ARCH[$n]:-}" ] || ps_usage_error "no mutant '$n' (see --list)"
		chosen+=("$n")
	done
else
	chosen=("${all[@]}")
fi
if [ $list = 1 ]; then
	for n in "${chosen[@]}"; do
		printf '%-32s %-8s %-5s detectable=%s\n' "$n" "${M_ARCH[$n]}" "${M_SERIES[$n]}" "${M_DET[$n]}"
	done
	exit 0
fi

# Groups: one (series, arch) each, in corpus order; controls first.
groups=()
declare -A seen
for n in "${chosen[@]}"; do
	g="${M_SERIES[$n]} ${M_ARCH[$n]}"
	[ -n "${seen[$g]:-}" ] || groups+=("$g")
	seen[$g]=1
done

say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$log" >&2; }

MDIR=$PS_CACHE/mutants
mkdir -p "$MDIR"

# The kept copy of linux-source-SERIES, made once; prints its path.
base_tree() {
	local series=$1 dir=$MDIR/linux-$1 src tarball
	if [ ! -e "$dir.ready" ]; then
		rm -rf "$dir" "$dir.applied"
		tarball=/usr/src/linux-source-$series.tar.xz
		if [ "$series" = "${PS_KSRC_PKG#linux-source-}" ] && [ -r "$tarball" ]; then
			say "extracting $tarball into $dir"
			mkdir -p "$dir" && tar -xJf "$tarball" -C "$dir" --strip-components=1 ||
				{ rm -rf "$dir"; return 3; }
		else
			src=$(ps_debian_source "$series") || return 3
			say "copying $src into $dir"
			cp -a "$src" "$dir" && rm -f "$dir/.complete" || { rm -rf "$dir"; return 3; }
		fi
		touch "$dir.ready"
	fi
	echo "$dir"
}

# Take out whatever mutant an interrupted run left in the copy.
clean_tree() {
	local dir=$1 m
	[ -e "$dir.applied" ] || return 0
	m=$(cat "$dir.applied")
	say "reverting $m, left planted in $dir by an interrupted run"
	if [ -f "$CORPUS/$m.patch" ] &&
		patch -d "$dir" -p1 -R -s --no-backup-if-mismatch <"$CORPUS/$m.patch" >>"$log" 2>&1; then
		rm -f "$dir.applied"
		return 0
	fi
	say "cannot revert $m: $dir is made again"
	rm -rf "$dir" "$dir.ready" "$dir.applied"
	return 1
}

# build ARCH TREE LOGNAME: incremental build; sets ENTRY, IMG, BUILD_S.
build() {
	local t0=$SECONDS rc
	ENTRY=$("$S/build-kernel.sh" --arch "$1" --ksrc "$2" 2>"$out/$3.build.err" | tail -n1)
	rc=${PIPESTATUS[0]}
	BUILD_S=$((SECONDS - t0))
	if [ "$rc" != 0 ] || [ ! -e "$ENTRY/.complete" ]; then
		ENTRY=
		IMG=
		return 3
	fi
	cp "$ENTRY/build.log" "$out/$3.build.log" 2>/dev/null || true
	IMG=$(cat "$ENTRY/image-sha256")
	return 0
}

# storms ARCH TREE DIR: RUNS runs of the default storm in each mode, into
# DIR/<mode>-run<N>.
storms() {
	local m i d rc
	mkdir -p "$3"
	for m in $(arch_modes "$1"); do
		for i in $(seq 1 "$runs"); do
			d=$3/$m-run$i
			"$S/qemu-run.sh" --arch "$1" --ksrc "$2" --duration "$duration" --tcg "$m" \
				${scenario:+--scenario "$scenario"} ${fixtures:+--fixtures} ${storm:+--storm "$storm"} \
				--results "$d" >"$d.stdout" 2>"$d.stderr" </dev/null
			rc=$?
			printf '%s\n' "$rc" >"$d.rc"
			# 2 or 3: the run could not be made (a result of neither kind)
			[ "$rc" -le 1 ] || rc_all=3
			say "  $(basename "$3")/$m-run$i: $(tail -n1 "$d.stdout" 2>/dev/null) (rc $rc)"
		done
	done
}

main() {
stamp=$(date +%Y%m%d-%H%M%S)
out=${out:-$PS_ROOT/results/mutants-$stamp}
mkdir -p "$out" || ps_env_error "cannot create $out"
[ -z "$scenario" ] || printf "%s\n" "$scenario" >"$out/scenario"
# the fixture: for a scenario that loads it, and for module-churn
fixtures=
{ [ -n "$scenario" ] || [ "$churn" = 1 ]; } && fixtures=1
printf "%s\n" "$churn" >"$out/churn"
[ -z "$storm" ] || printf "%s\n" "$storm" >"$out/storm"
out=$(cd "$out" && pwd)
log=$out/mutants.log
: >"$log"
# records: one line per mutant or control for the summary:
# kind name arch series detectable build_s image_sha status
records=$out/records
: >"$records"
rc_all=0
exec 8>"$MDIR/.lock"
flock -n 8 || { say "another scripts/mutants.sh holds $MDIR/.lock; waiting"; flock 8; }
say "mutants: ${chosen[*]}; $runs runs of ${duration}s each, tcg $tcg; out $out"
t_all=$SECONDS
for g in "${groups[@]}"; do
	series=${g% *}
	arch=${g#* }
	tree=$(base_tree "$series") || { say "error: no linux-source-$series tree"; rc_all=3; continue; }
	clean_tree "$tree" || tree=$(base_tree "$series") || { rc_all=3; continue; }
	ctl=control-$arch-$series
	say "$ctl: building $tree for $arch"
	if ! build "$arch" "$tree" "$ctl"; then
		say "error: the $arch $series control kernel does not build: $(tail -n1 "$out/$ctl.build.err")"
		printf 'control %s %s %s - %s - build-failed\n' "$ctl" "$arch" "$series" "$BUILD_S" >>"$records"
		rc_all=3
		continue
	fi
	ctl_img=$IMG
	say "$ctl: built in ${BUILD_S}s (image ${IMG:0:12})"
	printf 'control %s %s %s - %s %s ok\n' "$ctl" "$arch" "$series" "$BUILD_S" "$IMG" >>"$records"
	storms "$arch" "$tree" "$out/$ctl"
	for n in "${chosen[@]}"; do
		[ "${M_SERIES[$n]} ${M_ARCH[$n]}" = "$g" ] || continue
		say "$n: planting in $tree"
		if ! patch -d "$tree" -p1 -s --forward --no-backup-if-mismatch <"$CORPUS/$n.patch" >>"$log" 2>&1; then
			say "error: $n does not apply to $tree (see $log)"
			printf 'mutant %s %s %s %s - - patch-failed\n' "$n" "$arch" "$series" "${M_DET[$n]}" >>"$records"
			rc_all=3
			continue
		fi
		echo "$n" >"$tree.applied"
		if ! build "$arch" "$tree" "$n"; then
			say "error: $n does not build: $(tail -n1 "$out/$n.build.err")"
			printf 'mutant %s %s %s %s %s - build-failed\n' "$n" "$arch" "$series" "${M_DET[$n]}" "$BUILD_S" >>"$records"
			rc_all=3
		elif [ "$IMG" = "$ctl_img" ]; then
			say "error: $n built an image identical to the control's"
			printf 'mutant %s %s %s %s %s %s same-image\n' "$n" "$arch" "$series" "${M_DET[$n]}" "$BUILD_S" "$IMG" >>"$records"
			rc_all=3
		else
			say "$n: rebuilt in ${BUILD_S}s (image ${IMG:0:12})"
			printf 'mutant %s %s %s %s %s %s ok\n' "$n" "$arch" "$series" "${M_DET[$n]}" "$BUILD_S" "$IMG" >>"$records"
			storms "$arch" "$tree" "$out/$n"
		fi
		if patch -d "$tree" -p1 -R -s --no-backup-if-mismatch <"$CORPUS/$n.patch" >>"$log" 2>&1; then
			rm -f "$tree.applied"
		else
			say "error: cannot revert $n in $tree; it is made again next time"
			rm -f "$tree.ready"
			rc_all=3
			break
		fi
	done
done
say "done in $(( (SECONDS - t_all) / 60 )) min $(( (SECONDS - t_all) % 60 )) s"

summarize "$out" "$CORPUS" "$runs" "$duration" "$tcg" "$((SECONDS - t_all))"
prc=$?
echo "results: $out"
[ $prc = 0 ] || { [ $rc_all = 3 ] || rc_all=1; }
exit $rc_all
}

# summarize OUT CORPUS RUNS DURATION TCG WALL: the table and summary.json.
summarize() {
python3 - "$@" <<'EOF'
import json, os, re, sys
out, corpus, runs, duration, tcg, wall = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
DEFAULT = {'riscv64': 'multi', 'arm64': 'multi', 'x86_64': 'single'}

def header(name):
    h, key = {}, None
    for line in open(os.path.join(corpus, name + '.patch'), errors='replace'):
        if line.startswith('diff ') or line.startswith('--- '):
            break
        m = re.match(r'^([A-Z][A-Za-z-]*):\s*(.*)$', line)
        if m:
            key = m.group(1)
            h[key] = m.group(2).strip()
        elif key and line[:1] in ' \t' and line.strip():
            h[key] += ' ' + line.strip()
        elif not line.strip():
            key = None
    return h

TS = re.compile(r'\[\s*([0-9]+\.[0-9]+)\]')

def run_result(d):
    r = {'dir': os.path.relpath(d, out)}
    try:
        r['runner_rc'] = int(open(d + '.rc').read().strip())
    except (OSError, ValueError):
        r['runner_rc'] = None
    try:
        s = json.load(open(os.path.join(d, 'summary.json')))
    except (OSError, ValueError):
        r['verdict'] = 'ERROR'
        try:
            err = open(d + '.stderr', errors='replace').read().strip().splitlines()
        except OSError:
            err = []
        r['reason'] = err[-1] if err else 'no summary.json'
        return r
    r['verdict'] = s['verdict']
    r['reason'] = s.get('reason')
    r['tcg'] = s.get('tcg')
    r['image_sha256'] = s.get('kernel_image_sha256')
    st = s.get('stats') or {}
    r['anomalies'] = {k[len('anomalies.'):]: v for k, v in st.items()
                      if k.startswith('anomalies.') and isinstance(v, int) and v > 0}
    r['console'] = sorted(set(f['kind'] for f in s.get('failures', [])))
    # stale calls the storm counted but excused (stale=warn under MTTCG)
    r['stale_warn'] = st.get('stale', 0) if not st.get('anomalies.stale') else 0
    r['toggles'] = st.get('toggles')
    # first detection: the module's first anomaly (s after the storm's
    # start), else the first trouble on the console against the storm's
    # start line; trouble before the storm started is "boot"
    first = None
    if isinstance(st.get('first_anomaly_ns'), int) and st['first_anomaly_ns'] > 0:
        first = st['first_anomaly_ns'] / 1e9
        r['first_source'] = 'stats'
    elif s['verdict'] == 'FAILURE':
        start = None
        con = os.path.join(d, 'console.log')
        if os.path.exists(con):
            for line in open(con, errors='replace'):
                if 'patchstorm: storm started' in line:
                    m = TS.search(line)
                    if m:
                        start = float(m.group(1))
                    break
        for f in s.get('failures', []):
            m = TS.search(f.get('text', ''))
            if m:
                t = float(m.group(1))
                if start is None or t < start:
                    r['first_source'] = 'boot'
                else:
                    r['first_source'] = 'console'
                    first = t - start
                break
    r['first_s'] = round(first, 4) if first is not None else None
    return r

recs = []
for line in open(os.path.join(out, 'records')):
    kind, name, arch, series, det, build_s, img, status = line.split()
    e = {'kind': kind, 'name': name, 'arch': arch, 'kernel': series,
         'build_s': None if build_s == '-' else int(build_s),
         'image_sha256': None if img == '-' else img, 'status': status, 'runs': {}}
    if kind == 'mutant':
        h = header(name)
        e['detectable'] = det == 'yes'
        for k in ('Mechanism', 'Undoes', 'Imitates', 'Expect', 'Why-missed', 'Storm-needs'):
            if k in h:
                e[k.lower().replace('-', '_')] = h[k]
        e['detectable_note'] = h.get('Detectable', '')
    d = os.path.join(out, name)
    if status == 'ok' and os.path.isdir(d):
        found = []
        for f in os.listdir(d):
            # a run is its .rc file (written even when no guest could boot)
            m = re.fullmatch(r'(single|multi)-run([0-9]+)\.rc', f)
            if m:
                found.append((m.group(1), int(m.group(2)), f[:-len('.rc')]))
        for mode, i, f in sorted(found):
            e['runs'].setdefault(mode, []).append(run_result(os.path.join(d, f)))
    recs.append(e)

def caught(rs):
    return sum(1 for r in rs if r['verdict'] == 'FAILURE')

def kinds(rs):
    ks = {}
    for r in rs:
        seen = set(r.get('anomalies', {}))
        con = set(r.get('console', []))
        if r.get('anomalies'):
            con.discard('EXIT_STATUS')   # the CLI's exit status of a FAILURE verdict
        if con - {'EXIT_STATUS', 'NO_EXIT', 'PANIC', 'HANG', 'WARNING'}:
            con -= {'NO_EXIT', 'PANIC'}  # what an oops does with oops=panic
        seen |= con
        if r.get('first_source') == 'boot':
            seen.add('at boot')
        if r['verdict'] == 'ERROR':
            seen.add('run error')
        for k in seen:
            ks[k] = ks.get(k, 0) + 1
    s = ', '.join(k if n == len(rs) else '%s (%d)' % (k, n) for k, n in sorted(ks.items()))
    sw = [r.get('stale_warn', 0) for r in rs]
    if any(sw):
        s = (s + '; ' if s else '') + 'stale-warn ' + '/'.join(str(x) for x in sw)
    return s or '-'

def firsts(rs):
    t = sorted(r['first_s'] for r in rs if r.get('first_s') is not None)
    if not t:
        return 'boot' if any(r.get('first_source') == 'boot' for r in rs) else '-'
    med = t[len(t) // 2]
    return '%.3f' % med if len(t) == 1 else '%.3f (%.3f-%.3f)' % (med, t[0], t[-1])

def storm_name(arch, mode):
    return mode + (' (default)' if DEFAULT[arch] == mode else '')

rows = []
for e in recs:
    b = '-' if e['build_s'] is None else str(e['build_s'])
    modes = sorted(e['runs'], key=lambda m: (DEFAULT[e['arch']] != m, m)) or [None]
    for mode in modes:
        rs = e['runs'].get(mode, [])
        n, c = len(rs), caught(rs)
        st = storm_name(e['arch'], mode) if mode else '-'
        if e['kind'] == 'control':
            note = e['status'] if e['status'] != 'ok' else \
                ('clean' if n and all(r['verdict'] == 'SUCCESS' for r in rs) else 'NOT CLEAN')
            ok = sum(1 for r in rs if r['verdict'] == 'SUCCESS')
            rows.append(['(control)', e['arch'], e['kernel'], st, '%d/%d SUCCESS' % (ok, n) if n else '-',
                         kinds(rs), '-', b, note])
            continue
        if e['status'] != 'ok':
            note = e['status']
        elif not e['detectable']:
            note = 'not detectable: ' + re.sub(r'^no:?\s*', '', e.get('detectable_note', 'no'))
        elif c < n:
            note = e.get('why_missed', 'missed; no reason recorded yet')
        else:
            note = ''
        rows.append([e['name'], e['arch'], e['kernel'], st, '%d/%d' % (c, n) if n else '-', kinds(rs),
                     firsts(rs), b, note])

# Score per storm: the default storm (each arch's default mode), then each
# mode asked for besides.
def score(pick):
    det = [e for e in recs if e['kind'] == 'mutant' and e.get('detectable') and e['status'] == 'ok']
    und = [e for e in recs if e['kind'] == 'mutant' and not e.get('detectable') and e['status'] == 'ok']
    rs = lambda e: e['runs'].get(pick(e), [])
    det = [e for e in det if rs(e)]
    und = [e for e in und if rs(e)]
    return {'caught': sum(1 for e in det if caught(rs(e))), 'detectable': len(det),
            'caught_runs': sum(caught(rs(e)) for e in det), 'detectable_runs': sum(len(rs(e)) for e in det),
            'not_detectable': len(und), 'not_detectable_caught': sum(1 for e in und if caught(rs(e)))}

scores = {'default': score(lambda e: DEFAULT[e['arch']])}
for mode in ('single', 'multi'):
    if mode in tcg.split(','):
        sc = score(lambda e, m=mode: m)
        if sc['detectable']:
            scores[mode] = sc
ctl = [e for e in recs if e['kind'] == 'control']
ctl_clean = bool(ctl) and all(e['status'] == 'ok' and e['runs'] and
                              all(r['verdict'] == 'SUCCESS' for rs in e['runs'].values() for r in rs) for e in ctl)

scen = os.path.join(out, 'scenario')
scen = open(scen).read().strip() if os.path.exists(scen) else ''
opts = os.path.join(out, 'storm')
opts = open(opts).read().strip() if os.path.exists(opts) else ''
# module-churn in the storm (the fixture given); results of before it joined have no file
churn = os.path.join(out, 'churn')
churn = open(churn).read().strip() if os.path.exists(churn) else ''
churn = {'1': ', module churn', '0': ', no module churn'}.get(churn, '')
lines = ['mutants: %d run(s) of %d s per storm (tcg %s%s%s%s), %d min %d s wall' % (runs, duration, tcg, ', scenario ' + scen if scen else '', churn, ', storm ' + opts if opts else '', wall // 60, wall % 60)]
hdr = ['mutant', 'arch', 'kernel', 'storm', 'caught', 'verdict kinds', 'first detection, s', 'build s', 'note']
w = [max(len(r[i]) for r in [hdr] + rows) for i in range(len(hdr) - 1)]
for r in [hdr] + rows:
    lines.append(('  '.join(r[i].ljust(w[i]) for i in range(len(w))) + '  ' + r[-1]).rstrip())
lines.append('')
for k, sc in scores.items():
    lines.append('score, %s: %d/%d detectable mutants caught in at least one run (%d/%d runs); '
                 '%d more not detectable under QEMU, listed outside the score (%d of them caught)'
                 % ('default storm' if k == 'default' else 'tcg ' + k, sc['caught'], sc['detectable'],
                    sc['caught_runs'], sc['detectable_runs'], sc['not_detectable'], sc['not_detectable_caught']))
lines.append('controls: %s' % ('clean (every control run SUCCESS)' if ctl_clean else 'NOT CLEAN'))
text = '\n'.join(lines) + '\n'
open(os.path.join(out, 'summary.txt'), 'w').write(text)
sys.stdout.write(text)
json.dump({'runs': runs, 'duration': duration, 'tcg': tcg, 'wall_s': wall, 'score': scores,
           'controls_clean': ctl_clean, 'entries': recs},
          open(os.path.join(out, 'summary.json'), 'w'), indent=2)
sys.exit(0 if ctl_clean else 1)
EOF
}

if [ -n "$summary_only" ]; then
	[ -f "$summary_only/records" ] ||
		ps_usage_error "$summary_only is not a results directory of scripts/mutants.sh"
	# What the run was made with: its summary.json, else its log's first line.
	# shellcheck disable=SC2046
	set -- $(python3 - "$summary_only" <<'EOF'
import json, os, re, sys
d = sys.argv[1]
try:
    j = json.load(open(os.path.join(d, 'summary.json')))
    print(j['runs'], j['duration'], j['tcg'], j['wall_s'])
except (OSError, ValueError, KeyError):
    first = open(os.path.join(d, 'mutants.log')).readline()
    m = re.search(r'; ([0-9]+) runs of ([0-9]+)s each, tcg (\S+);', first)
    print(m.group(1), m.group(2), m.group(3), 0) if m else print(1, 0, 'default', 0)
EOF
)
	summarize "$(cd "$summary_only" && pwd)" "$CORPUS" "$1" "$2" "$3" "$4"
	exit $?
fi
main
