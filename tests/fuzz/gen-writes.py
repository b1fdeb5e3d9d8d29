#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the writes the guest's fuzz driver applies to the debugfs files.

    tests/fuzz/gen-writes.py [--count N] [--seed S] [--cpus N] OUT

Writes OUT (binary, for tests/fuzz/ps-fuzz.c): a record per write, one
byte naming the file (c config, C control, b bench, S a start sequence:
see below), a 4-byte little-endian length, the bytes.  The payloads come
from a corpus of valid lines built from the module's own tables
(module/tables/knobs.def, strategies.def, injections.def: every knob with
values of its kind at and around its limits), then turned bad: every key
with every wrong type, huge numbers, empty and whitespace-only writes,
lines longer than a page, binary bytes and NULs, repeated keys, keys
without values, and random byte-level mutations (flip, insert, delete,
duplicate, splice two lines).  About one write in 150 is a start
sequence: "duration=2" to config, then start, then later a stop, so the
writes land on an idle, a running and a finished storm in turn.

Bench writes that the module would accept and that would run longer
than a couple of seconds (seconds=N, hist=N) are replaced by short ones:
the fuzz is about the parser, not about benchmarks.

Exit 0 written, 2 bad usage.
"""
import argparse
import os
import random
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TABLES = os.path.join(HERE, '..', '..', 'module', 'tables')

HUGE = ['4294967295', '4294967296', '18446744073709551615', '18446744073709551616',
        '99999999999999999999999999', '-1', '-2147483648', '2147483648',
        '0x', '0xffffffffffffffff', '0x1ffffffffffffffff', '077777777777777777777777',
        '1e9', '1.5', '+1', '--1', '0b1', ' 1', '1 ', '08', '0x-1', 'nan', 'inf']
WRONG = ['', 'abc', 'auto', 'none', 'on', 'off', 'all', 'victims', ',', ',,', '-',
         '0-', '-0', '1-0', 'x', '=', '==', '\t', 'true', 'yes', 'NULL', '%s%n',
         '\u00e9t\u00e9', 'static-key:', ':1', 'a:b', '0,0,0', '0-4095', '63', '64',
         '4096', '1000001']


def knobs():
    """(name, kind, default, min, max, values) from knobs.def."""
    out = []
    pat = re.compile(r'^PS_KNOB\((\w+),\s*(\w+),\s*"([^"]*)",\s*([^,]+),\s*([^,]+),\s*(NULL|"[^"]*")')
    with open(os.path.join(TABLES, 'knobs.def')) as f:
        for line in f:
            m = pat.match(line)
            if m:
                vals = m.group(6)
                out.append((m.group(1), m.group(2), m.group(3), m.group(4).strip(),
                            m.group(5).strip(), [] if vals == 'NULL' else vals.strip('"').split(',')))
    if not out:
        raise SystemExit('gen-writes.py: error: no PS_KNOB lines in knobs.def')
    return out


def names(table, macro):
    pat = re.compile(r'^%s\(\w+,\s*"([^"]+)"' % macro)
    with open(os.path.join(TABLES, table)) as f:
        return [m.group(1) for m in map(pat.match, f) if m]


def limits():
    lim = {}
    with open(os.path.join(TABLES, 'limits.h')) as f:
        for line in f:
            m = re.match(r'#define\s+(PS_\w+)\s+(.+)$', line)
            if m:
                lim[m.group(1)] = m.group(2).strip()
    return lim


def number(expr, lim):
    expr = lim.get(expr, expr)
    expr = re.sub(r'PS_\w+', lambda m: lim.get(m.group(0), '0'), expr)
    expr = re.sub(r'(?<=[0-9a-fA-F])[uU]?[lL]{1,2}\b', '', expr)
    try:
        return int(eval(expr, {'__builtins__': {}}))  # limits.h: numbers and * only
    except Exception:
        return 0


def good_values(kind, lo, hi, values, strategies, injections, cpus):
    """Valid values for a knob of this kind (some may still be refused as a
    whole, e.g. a strategy without a target)."""
    v = []
    if kind in ('UINT', 'U64', 'SECS'):
        v = [lo, hi, (lo + hi) // 2, lo + 1]
    elif kind == 'AUTO':
        v = ['auto', lo, hi]
    elif kind == 'OFF_OR':
        v = [0, lo, hi]
    elif kind == 'CHOICE':
        v = list(values)
    elif kind == 'CPUS':
        v = ['auto', '0', '0-%d' % (cpus - 1), str(cpus - 1), '0,%d' % (cpus - 1)]
    elif kind == 'STRATS':
        v = ['all', 'mixed'] + strategies + [','.join(strategies[:2]), ','.join(strategies)]
    elif kind == 'TARGETS':
        v = ['victims', 'hot', 'victims,hot', 'victim_leaf', 'victim_leaf,victim_long',
             'sys:getpid', 'victims,sys:getpid', 'tp:sched_switch', 'hot,tp:sched_switch']
    elif kind == 'WEIGHTS':
        v = ['', '%s:1' % strategies[0], ','.join('%s:%d' % (s, i) for i, s in enumerate(strategies))]
    elif kind == 'INJECT':
        v = injections
    return [str(x) for x in v]


def corpus(cpus):
    lim = limits()
    strategies = names('strategies.def', 'PS_STRATEGY')
    injections = names('injections.def', 'PS_INJECTION')
    ks = knobs()
    good = {}
    for name, kind, default, lo, hi, values in ks:
        good[name] = good_values(kind, number(lo, lim), number(hi, lim), values,
                                 strategies, injections, cpus) + [default]
    return ks, good, strategies


def config_cases(rng, ks, good, n):
    names_ = [k[0] for k in ks]
    out = []
    # each key: every good value, every wrong type
    for name in names_:
        for v in good[name]:
            out.append('%s=%s' % (name, v))
        for v in WRONG + HUGE:
            out.append('%s=%s' % (name, v))
        out += [name, name + '=', '=' + good[name][0], '%s==%s' % (name, good[name][0]),
                '%s=%s %s=%s' % (name, good[name][0], name, good[name][-1]),
                '%s=%s\n%s=%s' % (name, good[name][-1], name, 'bogus'),
                name.upper() + '=' + good[name][0], name + '_x=1']
    out += ['', ' ', '\n', '\n\n', '\t', '#', '# comment', 'a', '=', 'x=y',
            ' '.join('%s=%s' % (k, good[k][0]) for k in names_),
            '\n'.join('%s=%s' % (k, good[k][-1]) for k in names_)]
    while len(out) < n:
        # a random line of a few good pairs, then mutated or not
        line = ' '.join('%s=%s' % (k, rng.choice(good[k])) for k in rng.sample(names_, rng.randint(1, 4)))
        out.append(line)
    return out


def mutate(rng, b, pool):
    b = bytearray(b)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        if op == 0 and b:
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        elif op == 1:
            b.insert(rng.randrange(len(b) + 1), rng.randrange(256))
        elif op == 2 and b:
            del b[rng.randrange(len(b))]
        elif op == 3 and b:
            i = rng.randrange(len(b))
            j = rng.randint(i, min(len(b), i + 16))
            b[i:i] = b[i:j] * rng.randint(1, 8)
        elif op == 4:
            b += b'\n' + rng.choice(pool)
        elif op == 5:
            b.insert(rng.randrange(len(b) + 1), 0)
        elif op == 6 and b:
            i = rng.randrange(len(b))
            b[i:i + 1] = rng.choice([b'=', b',', b' ', b'\t', b'\n', b'-', b'0', b'9' * 25, b'\xff'])
        else:
            b += bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(b)


# The module's bench parser (module/engine/bench.c), to keep accepted
# bench runs short.
def kstrtou(val, bits):
    m = re.fullmatch(rb'\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)\n?', val)
    if not m:
        return None
    s = m.group(1)
    n = int(s, 16) if s[:2].lower() == b'0x' else int(s, 8) if s.startswith(b'0') else int(s)
    return n if n < (1 << bits) else None


def bench_accepted(b):
    text = b.split(b'\0', 1)[0]
    strategy = hist = None
    seconds = 5
    for w in re.split(rb'[ \t\n]', text):
        if not w:
            continue
        if b'=' not in w:
            return None
        k, v = w.split(b'=', 1)
        if k == b'strategy':
            strategy = v
        elif k == b'hist':
            hist = kstrtou(v, 64)
            if not hist or hist > 100000000:
                return None
        elif k == b'seconds':
            seconds = kstrtou(v, 32)
            if not seconds or seconds > 600:
                return None
        else:
            return None
    if (strategy is None) == (hist is None):
        return None
    return ('hist', hist) if hist else ('seconds', seconds)


def bench_cases(rng, strategies, n):
    base = [b'strategy=%s seconds=1' % s.encode() for s in strategies]
    base += [b'hist=1000', b'hist=1', b'strategy=bogus seconds=1', b'seconds=1',
             b'strategy=static-key hist=10', b'hist=0', b'hist=100000001', b'seconds=601',
             b'strategy=static-key seconds=0', b'strategy=', b'=', b'', b' ', b'hist=-1',
             b'hist=18446744073709551616', b'strategy=static-key seconds=4294967296']
    out = list(base)
    while len(out) < n:
        out.append(mutate(rng, rng.choice(base), base))
    safe = []
    for b in out:
        a = bench_accepted(b)
        if a and ((a[0] == 'seconds' and a[1] > 1) or (a[0] == 'hist' and a[1] > 20000)):
            b = rng.choice([b'hist=1000', b'strategy=static-key seconds=1'])
        safe.append(b)
    return safe


CONTROL = [b'start', b'stop', b'reset', b'start\n', b' stop ', b'\treset\n', b'START', b'Stop',
           b'sta', b'starts', b'start stop', b'start\nstop', b'stop\0start', b'\0', b'',
           b' ', b'\n', b'reset reset', b'launch', b'start=1', b'\xffstart', b'x' * 5000]


def main(argv):
    ap = argparse.ArgumentParser(description='fuzz writes for the guest driver')
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--cpus', type=int, default=2)
    ap.add_argument('out')
    a = ap.parse_args(argv)
    if a.count < 1 or a.cpus < 1:
        print('gen-writes.py: error: --count and --cpus must be positive', file=sys.stderr)
        return 2
    rng = random.Random(a.seed)
    ks, good, strategies = corpus(a.cpus)
    cfg_valid = [c.encode() for c in config_cases(rng, ks, good, 400)]
    page = 4096
    long_lines = [b'rate=' + b'1' * (page - 5), b'rate=' + b'1' * (page - 6), b'rate=1 ' * 600,
                  b'x' * page, b'x' * (page + 1), b'targets=' + b','.join([b'victim_leaf'] * 400),
                  b'toggler_cpus=' + b','.join(b'0' for _ in range(2000)),
                  b'weights=' + b','.join(b'%s:1' % s.encode() for s in strategies * 50),
                  b' ' * page, b'\n' * page]
    binary = [bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))) for _ in range(50)]
    binary += [b'\0', b'rate=1\0rate=bogus', b'rate=\0', b'\xff\xfe', b'rate=1\r\n', b'\x7f']
    bench = bench_cases(rng, strategies, 400)
    recs = []
    running = 0
    while len(recs) < a.count:
        r = rng.random()
        if running:
            running -= 1
            if running == 0:
                recs.append((b'C', b'stop'))
                continue
        if r < 1 / 150 and not running:
            recs.append((b'S', b''))     # duration=2, start (the driver)
            running = rng.randint(5, 40)
        elif r < 0.55:
            recs.append((b'c', rng.choice(cfg_valid)))
        elif r < 0.80:
            recs.append((b'c', mutate(rng, rng.choice(cfg_valid), cfg_valid)))
        elif r < 0.84:
            recs.append((b'c', rng.choice(long_lines)))
        elif r < 0.88:
            recs.append((b'c', rng.choice(binary)))
        elif r < 0.94:
            recs.append((b'C', rng.choice(CONTROL) if rng.random() < 0.5 else
                         mutate(rng, rng.choice(CONTROL[:3]), CONTROL)))
        else:
            recs.append((b'b', rng.choice(bench)))
    recs.append((b'C', b'stop'))
    with open(a.out, 'wb') as f:
        for kind, b in recs:
            f.write(kind + struct.pack('<I', len(b)) + b)
    kinds = {}
    for kind, _ in recs:
        kinds[kind] = kinds.get(kind, 0) + 1
    print('gen-writes: %d writes (config %d, control %d, bench %d, start sequences %d), seed %d -> %s'
          % (len(recs), kinds.get(b'c', 0), kinds.get(b'C', 0), kinds.get(b'b', 0),
             kinds.get(b'S', 0), a.seed, a.out))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
