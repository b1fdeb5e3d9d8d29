#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The patchstorm CLI in a guest against the real module
# (tests/guest/cli-run.sh: run + report + JSON + --save, live commands,
# a second run, ^C), then on the host: the JSON has every stats key the
# module prints, `patchstorm report` reads the runner's results dir,
# `patchstorm plot` draws PNGs, `patchstorm compare` compares two runs;
# the CLI tests' fake debugfs has the keys of the module's real files.
# on: riscv64
# on: x86_64 extended: the riscv64 run covers the same checks; 61-cli-inject and 63-cli-pty run the CLI on x86_64 (about 45 s)
. "$(dirname "$0")/lib.sh"
arch=$ARCH
PS=$ROOT/tools/build/host/patchstorm
make -s -C "$ROOT/tools" >/dev/null || fail "cannot build the host CLI"

guest_checks "$arch" cli-run.sh --cpus 2 --duration 40 --grace 40
d=$RES/$arch
o=$d/out

# -- the CLI's unit tests fake what the module wrote
check_fake_debugfs "$o/debugfs" "done" SUCCESS

# -- the JSON of `patchstorm run --json`
python3 - "$o/cli.json" "$arch" <<'PY' || fail "cli.json: see above"
import json, sys
j = json.load(open(sys.argv[1]))
arch = sys.argv[2]
bad = []
def want(cond, what):
    if not cond: bad.append(what)
want(j['schema'] == 1, 'schema 1')
want(j['verdict'] == 'SUCCESS' and j['exit_code'] == 0, 'verdict SUCCESS, exit_code 0')
want(j['caps'].get('arch') == arch, 'caps.arch')
s = j['stats']
# every strategy this kernel has (caps), in the table's order: the default
# storm (strategies=all, targets victims,hot) has targets for each
strats = [x for x in str(j['caps'].get('strategies', '')).split(',') if x and x != 'mixed']
want(len(strats) >= 5, 'caps.strategies %s' % strats)
keys = ['state', 'verdict', 'reason', 'elapsed_ns', 'duration_s', 'togglers', 'hammers',
        'toggles', 'errors', 'hits', 'calls', 'mismatches', 'stale', 'anomalies',
        'mixed_picks', 'widen_events', 'last_error']
for st in strats:
    keys += ['toggles.%s.enable' % st, 'toggles.%s.disable' % st, 'errors.' + st, 'hits.' + st]
for k in keys:
    want(k in s, 'stats.' + k)
want(any(k.startswith('samples.') for k in s), 'stats.samples.<hist>')
want(any(k.startswith('target.') and k.endswith('.hits') for k in s), 'stats.target.<name>.hits')
want(s.get('state') == 'done' and isinstance(s.get('toggles'), int) and s['toggles'] > 0, 'toggles > 0')
want(s.get('togglers', 0) >= 1 and s.get('hammers', 0) >= 1, 'thread counts kept after the storm')
for k in ['hammers', 'stale', 'stall_ns', 'batch', 'weights', 'strategies', 'targets', 'duration']:
    want(k in j['config'], 'config.' + k)
want(j['config'].get('hammers') == 'auto', 'config.hammers=auto')
names = [x['name'] for x in j['strategies']]
want(names == strats, 'strategies %s' % names)
# those this kernel has; the others are listed, untoggled
ran = [x for x in j['strategies'] if str(j['caps'].get('strategy.' + x['name'])) == '1']
want(len(ran) >= 5 and all(x['enable'] > 0 and x['hits'] > 0 for x in ran), 'every strategy toggled and hit')
want(j['hammers']['calls'] > 0 and j['hammers']['mismatches'] == 0, 'hammers')
h = j['histograms']
want('stall' in h and h['stall']['count'] > 0, 'stall histogram')
want('patch.static-key.enable' in h, 'patch.<strategy>.<dir> histograms')
for name, x in h.items():
    if x['count']:
        want(x['min'] <= x['p50'] <= x['p99'] <= x['max'], name + ' percentiles ordered')
        want(sum(b[2] for b in x['buckets']) + x['overflow'] == x['count'], name + ' buckets sum to count')
        want(s.get('samples.' + name) == x['count'], name + ' count == stats samples.' + name)
want(j['anomalies'] == [] and j['anomaly_count'] == 0, 'no anomalies')
if bad:
    print('cli.json lacks or gets wrong: ' + ', '.join(bad))
    sys.exit(1)
print('cli.json: %d stats keys, %d histograms, %.0f toggles/s' % (len(s), len(h), j['toggles_per_s']))
PY
python3 -m json.tool "$o/stats.json" >/dev/null || fail "patchstorm stats --json is not JSON"
python3 -m json.tool "$o/result.json" >/dev/null || fail "--save result.json is not JSON"

# -- report on the runner's results dir (out/ + summary.json)
"$PS" report "$d" >"$RES/report.txt" 2>&1
rc=$?
head -n 4 "$RES/report.txt"
[ $rc = 0 ] || fail "patchstorm report $d: exit $rc"
grep -q '^runner: SUCCESS' "$RES/report.txt" || fail "report lacks the runner's verdict"
grep -q "^kernel: .* $arch\$" "$RES/report.txt" || fail "report lacks the kernel line"

# -- plot: PNGs for the histograms with samples
"$PS" plot -o "$RES/plots" "$o" "$o/cli.json" >"$RES/plot.txt" 2>&1 || fail "plot: $(tail -n1 "$RES/plot.txt")"
n=0
for png in "$RES"/plots/*.png; do
	[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] || fail "$png is not a PNG"
	[ "$(stat -c %s "$png")" -gt 2000 ] || fail "$png is tiny"
	n=$((n + 1))
done
[ -s "$RES/plots/stall.png" ] && [ -s "$RES/plots/stall.percentiles.png" ] || fail "no stall plots"
echo "plot: $n PNGs in $RES/plots"

# -- compare the run with its own JSON: no change, exit 0
"$PS" compare --fail "$o" "$o/cli.json" >"$RES/compare.txt" 2>&1
rc=$?
[ $rc = 0 ] || fail "compare of a run with itself: exit $rc: $(tail -n1 "$RES/compare.txt")"
pass "$GUEST_LINE, $n PNGs"
