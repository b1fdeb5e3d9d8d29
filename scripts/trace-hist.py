#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Recompute patchstorm's latency histograms from a trace and compare.

    scripts/trace-hist.py [options] DIR

DIR is a runner results directory (or its out/): out/trace.dat recorded
by `qemu-run.sh --trace` (scenarios/trace.sh), out/hist/<name> copied from
the module's debugfs, out/stats and out/config.  The trace is read with
`trace-cmd report` (host), every successful patchstorm_toggle event
(err=0) is a sample of patch.<strategy>.<dir>, every patchstorm_visibility
event one of visibility: the module records exactly these samples in its
histograms.  For each histogram the tool recomputes count, min, mean, max,
the bucket rows and p50/p90/p99/p99.9/p99.99 with the module's rule (the
sample at rank ceil(q * count), reported as the high end of its bucket,
clamped to max; buckets of module/tables/hist_buckets.h), and checks:

  - count, min, max and mean equal the histogram's, and the count equals
    toggles.<strategy>.<dir> in stats;
  - each percentile p of the histogram lies within the bucket error of
    the exact percentile v of the trace samples: v <= p <= high end of
    v's bucket (identical to the recomputation when nothing was lost);
  - p50 <= p99 <= max;
  - the bucket rows are identical;
  - stall: the trace has only the calls >= stall_ns, their number must fit
    the histogram's buckets above stall_ns.

Options:
  --trace FILE        the trace.dat (default DIR/out/trace.dat)
  --report FILE       a saved `trace-cmd report` text instead of the trace
  --events KINDS      also require these event kinds, comma-separated
                      (toggle,visibility,stall,anomaly or all) with sane
                      fields; prints a per-kind summary
  --quiet             only the verdict line

Exit: 0 all agree, 1 a mismatch, 2 bad usage, 3 environment (no trace-cmd,
missing files).  The last line is "trace-hist: OK ..." or
"trace-hist: MISMATCH ...".
"""
import math
import os
import re
import subprocess
import sys

SUB_BITS = 7
SUB_COUNT = 1 << SUB_BITS
MAX_BITS = 36
MAX_VALUE = (1 << MAX_BITS) - 1
NR_BUCKETS = (MAX_BITS - SUB_BITS + 1) * SUB_COUNT
PCTS = [('p50', 5000), ('p90', 9000), ('p99', 9900), ('p99.9', 9990),
        ('p99.99', 9999)]

def table_names(table, macro):
    """The names of module/tables/TABLE.def: the first string of each line."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                        'module', 'tables', table + '.def')
    with open(path) as f:
        return re.findall(r'^%s\([A-Z_0-9]+, "([^"]+)"' % macro, f.read(), re.M)


STRATEGIES = table_names('strategies', 'PS_STRATEGY')


# --- module/tables/hist_buckets.h, in Python ---------------------------------------
def bucket(v):
    if v > MAX_VALUE:
        return NR_BUCKETS
    if v < 2 * SUB_COUNT:
        return v
    shift = v.bit_length() - (SUB_BITS + 1)
    return (shift << SUB_BITS) + (v >> shift)


def bucket_low(i):
    if i >= NR_BUCKETS:
        return MAX_VALUE + 1
    if i < 2 * SUB_COUNT:
        return i
    shift = (i >> SUB_BITS) - 1
    return ((i & (SUB_COUNT - 1)) | SUB_COUNT) << shift


def bucket_high(i):
    if i >= NR_BUCKETS:
        return (1 << 64) - 1
    if i < 2 * SUB_COUNT:
        return i
    return bucket_low(i) + (1 << ((i >> SUB_BITS) - 1)) - 1


def rank(count, q):
    return max(1, (count * q + 9999) // 10000)


# --- inputs ------------------------------------------------------------------
def die(code, msg):
    print('trace-hist: error: %s' % msg, file=sys.stderr)
    sys.exit(code)


def read_kv(path):
    kv = {}
    if os.path.exists(path):
        for line in open(path, errors='replace'):
            line = line.strip()
            if '=' in line and not line.startswith('#'):
                k, v = line.split('=', 1)
                kv[k] = v
    return kv


def read_hist(path):
    h = {'rows': []}
    for line in open(path, errors='replace'):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if '=' in line:
            k, v = line.split('=', 1)
            h[k] = int(v)
        else:
            lo, hi, n = (int(x) for x in line.split())
            h['rows'].append((lo, hi, n))
    return h


RE = {
    'toggle': re.compile(r'patchstorm_toggle:\s+strategy=(\S+) target=(\S+) '
                         r'dir=(\w+) latency_ns=(\d+) seq=(\d+) err=(-?\d+)'),
    'visibility': re.compile(r'patchstorm_visibility:\s+cpu=(-?\d+) target=(\S+) '
                             r'dir=(\w+) latency_ns=(\d+)'),
    'stall': re.compile(r'patchstorm_stall:\s+cpu=(-?\d+) target=(\S+) ns=(\d+)'),
    'anomaly': re.compile(r'patchstorm_anomaly:\s+kind=(\S+) cpu=(-?\d+) '
                          r'addr=(\S+) bytes=([0-9a-fA-F]+)'),
}
RE_LOST = re.compile(r'LOST (\d+) EVENTS|(\d+)? ?EVENTS DROPPED|\[LOST EVENTS\]')


def parse_report(lines):
    ev = {k: [] for k in RE}
    other = 0
    lost = 0
    for line in lines:
        if 'patchstorm_' not in line:
            m = RE_LOST.search(line)
            if m:
                lost += int(m.group(1) or m.group(2) or 1)
            continue
        for k, r in RE.items():
            m = r.search(line)
            if m:
                ev[k].append(m.groups())
                break
        else:
            other += 1
    return ev, lost, other


# --- comparison ----------------------------------------------------------------
def recompute(samples):
    xs = sorted(samples)
    n = len(xs)
    r = {'count': n, 'min': xs[0] if n else 0, 'max': xs[-1] if n else 0,
         'mean': sum(xs) // n if n else 0, 'exact': {}, 'pct': {}}
    for name, q in PCTS:
        v = xs[rank(n, q) - 1] if n else 0
        r['exact'][name] = v
        r['pct'][name] = min(bucket_high(bucket(v)), r['max']) if n else 0
    rows = {}
    for x in xs:
        b = bucket(x)
        if b < NR_BUCKETS:
            rows[b] = rows.get(b, 0) + 1
    r['rows'] = [(bucket_low(b), bucket_high(b), c) for b, c in sorted(rows.items())]
    r['overflow'] = sum(1 for x in xs if x > MAX_VALUE)
    return r


def compare(name, h, samples, stats_count, problems):
    """One histogram against its trace samples; returns a table line."""
    r = recompute(samples)
    bad = []
    for k in ('count', 'min', 'max', 'mean', 'overflow'):
        if h.get(k) != r[k]:
            bad.append('%s hist %s trace %s' % (k, h.get(k), r[k]))
    if stats_count is not None and h.get('count') != stats_count:
        bad.append('count %s != stats %s' % (h.get('count'), stats_count))
    worst = 0.0
    for p, _ in PCTS:
        m, v = h.get(p, -1), r['exact'][p]
        hi = min(bucket_high(bucket(v)), r['max'])
        if r['count'] and not v <= m <= hi:
            bad.append('%s hist %d outside [%d, %d] (trace sample %d)' % (p, m, v, hi, v))
        if v:
            worst = max(worst, abs(m - v) / v)
    if h.get('count') and not h.get('p50', 0) <= h.get('p99', 0) <= h.get('max', 0):
        bad.append('not p50 <= p99 <= max (%s %s %s)' % (h.get('p50'), h.get('p99'), h.get('max')))
    same_rows = h['rows'] == r['rows']
    if not same_rows:
        bad.append('bucket rows differ')
    same_pct = all(h.get(p) == r['pct'][p] for p, _ in PCTS)
    for b in bad:
        problems.append('%s: %s' % (name, b))
    return ('%-30s %7d %7d %10d %10d %10d %10d  %-9s %6.2f%%  %s' %
            (name, h.get('count', 0), r['count'], h.get('p50', 0), r['exact']['p50'],
             h.get('p99', 0), r['exact']['p99'],
             'identical' if same_pct and same_rows else 'bucket' if not bad else 'NO',
             100 * worst, 'ok' if not bad else 'MISMATCH'))


def check_events(ev, kinds, cpus, stall_ns, problems, out):
    names = {'toggle': 'patchstorm_toggle', 'visibility': 'patchstorm_visibility',
             'stall': 'patchstorm_stall', 'anomaly': 'patchstorm_anomaly'}
    for k in ('toggle', 'visibility', 'stall', 'anomaly'):
        es = ev[k]
        bad = 0
        desc = ''
        if k == 'toggle':
            seqs = [int(e[4]) for e in es]
            bad = sum(1 for e in es if e[0] not in STRATEGIES or
                      e[2] not in ('enable', 'disable') or int(e[3]) <= 0)
            desc = 'strategies=%s seq=%s..%s err!=0:%d' % (
                ','.join(sorted({e[0] for e in es})), min(seqs, default=0),
                max(seqs, default=0), sum(1 for e in es if e[5] != '0'))
            if len(set(seqs)) != len(seqs):
                problems.append('toggle events: duplicate seq')
        elif k == 'visibility':
            bad = sum(1 for e in es if not 0 <= int(e[0]) < cpus or
                      e[2] not in ('enable', 'disable') or int(e[3]) <= 0)
            desc = 'targets=%s' % ','.join(sorted({e[1] for e in es}))
        elif k == 'stall':
            bad = sum(1 for e in es if not 0 <= int(e[0]) < cpus or int(e[2]) < stall_ns)
            desc = 'ns>=%d, max %d' % (stall_ns, max((int(e[2]) for e in es), default=0))
        else:
            # addr is %pS: a symbol (a victim) plus offset, not a local label
            bad = sum(1 for e in es if not 0 <= int(e[1]) < cpus or
                      not re.match(r'[A-Za-z_][\w.$]*\+0x[0-9a-f]+', e[2]))
            desc = 'kinds=%s addrs=%s' % (','.join(sorted({e[0] for e in es})),
                                          ','.join(sorted({e[2] for e in es})[:3]))
        out.append('  %-22s %6d  insane=%d  %s' % (names[k], len(es), bad, desc))
        if k in kinds and not es:
            problems.append('no %s events' % names[k])
        if bad:
            problems.append('%d %s events with insane fields' % (bad, names[k]))


def main(argv):
    args = {'trace': None, 'report': None, 'events': '', 'quiet': False}
    pos = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ('--trace', '--report', '--events'):
            if i + 1 >= len(argv):
                die(2, 'option %s needs an argument' % a)
            args[a[2:]] = argv[i + 1]
            i += 1
        elif a == '--quiet':
            args['quiet'] = True
        elif a in ('-h', '--help'):
            print(__doc__.strip())
            return 0
        elif a.startswith('-'):
            die(2, 'unknown option %s' % a)
        else:
            pos.append(a)
        i += 1
    if len(pos) != 1:
        die(2, 'usage: trace-hist.py [--trace FILE] [--report FILE] [--events KINDS] DIR')
    out = pos[0]
    if os.path.isdir(os.path.join(out, 'out')):
        out = os.path.join(out, 'out')
    kinds = set()
    for k in filter(None, args['events'].split(',')):
        if k == 'all':
            kinds |= {'toggle', 'visibility', 'stall', 'anomaly'}
        elif k in RE:
            kinds.add(k)
        else:
            die(2, '--events: unknown kind %s' % k)

    if args['report']:
        lines = open(args['report'], errors='replace').read().splitlines()
    else:
        td = args['trace'] or os.path.join(out, 'trace.dat')
        if not os.path.exists(td):
            die(3, 'no %s (run with qemu-run.sh --trace)' % td)
        try:
            p = subprocess.run(['trace-cmd', 'report', '-i', td], capture_output=True,
                               text=True, errors='replace')
        except OSError as e:
            die(3, 'cannot run trace-cmd: %s (apt-get install trace-cmd)' % e)
        if p.returncode != 0:
            die(3, 'trace-cmd report -i %s failed: %s' % (td, p.stderr.strip()[-300:]))
        lines = p.stdout.splitlines()
    hdir = os.path.join(out, 'hist')
    if not os.path.isdir(hdir):
        die(3, 'no %s' % hdir)
    stats = read_kv(os.path.join(out, 'stats'))
    config = read_kv(os.path.join(out, 'config'))
    caps = read_kv(os.path.join(out, 'caps'))
    ev, lost, other = parse_report(lines)
    problems = []
    if lost:
        problems.append('%d events lost in the trace' % lost)
    if other:
        problems.append('%d patchstorm lines not understood' % other)

    samples = {}
    for e in ev['toggle']:
        if e[5] == '0':
            samples.setdefault('patch.%s.%s' % (e[0], e[2]), []).append(int(e[3]))
    samples['visibility'] = [int(e[3]) for e in ev['visibility']]

    table = ['%-30s %7s %7s %10s %10s %10s %10s  %-9s %7s  %s' %
             ('histogram', 'count', 'trace', 'p50', 'trace-p50', 'p99', 'trace-p99',
              'pctls', 'maxerr', 'verdict')]
    compared = 0
    for s in STRATEGIES:
        for d in ('enable', 'disable'):
            name = 'patch.%s.%s' % (s, d)
            path = os.path.join(hdir, name)
            if not os.path.exists(path):
                problems.append('%s: no histogram file' % name)
                continue
            h = read_hist(path)
            sc = stats.get('toggles.%s.%s' % (s, d))
            sc = int(sc) if sc is not None else None
            if not h.get('count') and not samples.get(name) and not sc:
                continue  # strategy did not run
            table.append(compare(name, h, samples.get(name, []), sc, problems))
            compared += 1
    if os.path.exists(os.path.join(hdir, 'visibility')):
        h = read_hist(os.path.join(hdir, 'visibility'))
        if h.get('count') or samples['visibility']:
            table.append(compare('visibility', h, samples['visibility'], None, problems))
            compared += 1

    stall_ns = int(config.get('stall_ns', '1000000'))
    if os.path.exists(os.path.join(hdir, 'stall')):
        h = read_hist(os.path.join(hdir, 'stall'))
        lo = sum(n for l, _, n in h['rows'] if l >= stall_ns) + h.get('overflow', 0)
        hi = sum(n for _, u, n in h['rows'] if u >= stall_ns) + h.get('overflow', 0)
        n = len(ev['stall'])
        ok = lo <= n <= hi
        table.append('%-30s %7d %7d  trace has the calls >= stall_ns=%d: %d, hist buckets say %d..%d  %s' %
                     ('stall', h.get('count', 0), n, stall_ns, n, lo, hi, 'ok' if ok else 'MISMATCH'))
        if not ok:
            problems.append('stall: %d trace events >= %d ns, hist buckets say %d..%d' %
                            (n, stall_ns, lo, hi))
    if not compared:
        problems.append('no histogram had samples')

    evlines = []
    check_events(ev, kinds, int(caps.get('cpus_online', 0) or 0) or 1 << 16, stall_ns,
                 problems, evlines)
    if not args['quiet']:
        print('\n'.join(table))
        print('events (trace-cmd report):')
        print('\n'.join(evlines))
        for p in problems:
            print('  problem: %s' % p)
    nev = sum(len(v) for v in ev.values())
    if problems:
        print('trace-hist: MISMATCH (%d problems, %d histograms, %d events)' %
              (len(problems), compared, nev))
        return 1
    print('trace-hist: OK (%d histograms agree with %d trace events within the bucket error)' %
          (compared, nev))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
