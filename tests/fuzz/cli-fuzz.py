#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz the CLI's readers on the host under ASan and UBSan.

    tests/fuzz/cli-fuzz.py [--count N] [--seed S] [--plot-every K] PATCHSTORM SEEDS... WORKDIR

PATCHSTORM is the CLI built with -fsanitize=address,undefined,
float-cast-overflow and -fno-sanitize-recover=all; SEEDS are results
(directories with the debugfs layout, or --json files). Each of N
rounds mutates a copy of a seed (directories: one to three of its
files; JSON: the parsed values, then maybe the bytes) and runs `report`,
`report --json`, `report --ktap` and `compare` (against an unmutated
seed) on it, and every K-th round `plot`. Every run must end with exit
0-3 and no sanitizer report, within 20 s.

Prints a line per problem (at most 20) and a last line
    "cli fuzz: N inputs, N runs, N problems"
Exit 0 no problem, 1 problems, 2 bad usage.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys

HUGE = ['18446744073709551615', '18446744073709551616', '99999999999999999999999999999',
        '-1', '-9223372036854775809', '1e308', '1e309', '-1e309', '1.7976931348623157e308',
        'nan', 'inf', '-inf', '0x7fffffffffffffff', '', ' ', '-0', '4294967296', '1e-320',
        '340282366920938463463374607431768211456']
JSON_VALUES = [1e308, -1e308, 1.7976931348623157e308, 2 ** 64, 2 ** 63, -(2 ** 63) - 1,
               10 ** 30, -1, 0, 0.5, '', 'x' * 5000, None, True, [], {}, [1, 2], {'a': 1},
               '\u0000', 'nan', float(2 ** 70)]


def mutate_bytes(rnd, b):
    b = bytearray(b)
    for _ in range(rnd.randint(1, 4)):
        op = rnd.randrange(7)
        pos = rnd.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] ^= 1 << rnd.randrange(8)
        elif op == 1:
            b[pos:pos] = rnd.choice(HUGE).encode()
        elif op == 2:
            del b[pos:pos + rnd.randint(1, 64)]
        elif op == 3:
            b = b[:pos]
        elif op == 4:
            b[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
        elif op == 5 and b:
            # a line repeated, or a key=value line's value replaced
            lines = bytes(b).split(b'\n')
            i = rnd.randrange(len(lines))
            if b'=' in lines[i] and rnd.random() < 0.7:
                k = lines[i].split(b'=', 1)[0]
                lines[i] = k + b'=' + rnd.choice(HUGE).encode()
            else:
                lines.insert(i, lines[i])
            b = bytearray(b'\n'.join(lines))
        elif op == 6:
            b[pos:pos] = b'x' * rnd.choice([4096, 70000])
    return bytes(b)


def mutate_json(rnd, v, depth=0):
    if isinstance(v, dict) and v:
        for k in rnd.sample(list(v), min(len(v), rnd.randint(1, 3))):
            if rnd.random() < 0.3 or depth > 4:
                v[k] = rnd.choice(JSON_VALUES)
            elif rnd.random() < 0.1:
                del v[k]
            else:
                v[k] = mutate_json(rnd, v[k], depth + 1)
        return v
    if isinstance(v, list) and v:
        i = rnd.randrange(len(v))
        v[i] = mutate_json(rnd, v[i], depth + 1) if rnd.random() < 0.7 else rnd.choice(JSON_VALUES)
        return v
    return rnd.choice(JSON_VALUES)


def dump_json(v):
    # Python writes inf and nan as Infinity and NaN: not JSON, a reader must refuse them
    return json.dumps(v).encode()


def make_input(rnd, seed, out):
    if os.path.isdir(seed):
        shutil.copytree(seed, out)
        files = []
        for d, _, fs in os.walk(out):
            files += [os.path.join(d, f) for f in fs]
        for f in rnd.sample(files, min(len(files), rnd.randint(1, 3))):
            r = rnd.random()
            if r < 0.08:
                os.remove(f)
            elif r < 0.15:
                open(f, 'wb').close()
            else:
                with open(f, 'rb') as fh:
                    b = fh.read()
                with open(f, 'wb') as fh:
                    fh.write(mutate_bytes(rnd, b))
        return out
    with open(seed) as fh:
        v = json.load(fh)
    b = dump_json(mutate_json(rnd, v))
    if rnd.random() < 0.4:
        b = mutate_bytes(rnd, b)
    path = out + '.json'
    with open(path, 'wb') as fh:
        fh.write(b)
    return path


def main():
    ap = argparse.ArgumentParser(add_help=True)
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--plot-every', type=int, default=20)
    ap.add_argument('cli')
    ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    if len(a.paths) < 2 or a.count < 1 or a.plot_every < 1:
        print('cli-fuzz.py: error: usage: cli-fuzz.py [--count N] [--seed S] PATCHSTORM SEEDS... WORKDIR',
              file=sys.stderr)
        return 2
    seeds, work = a.paths[:-1], a.paths[-1]
    for s in seeds:
        if not os.path.exists(s):
            print(f'cli-fuzz.py: error: no such seed: {s}', file=sys.stderr)
            return 2
    rnd = random.Random(a.seed)
    env = dict(os.environ, ASAN_OPTIONS='detect_leaks=1:abort_on_error=0:exitcode=99',
               UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1:exitcode=98')
    runs = problems = 0
    for i in range(a.count):
        d = os.path.join(work, 'r')
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        inp = make_input(rnd, rnd.choice(seeds), d)
        other = rnd.choice(seeds)
        cmds = [['report', inp], ['report', '--json', os.path.join(work, 'o.json'), inp],
                ['report', '--ktap', inp], ['compare', other, inp], ['compare', '--json', '-', inp, inp]]
        if i % a.plot_every == 0:
            cmds.append(['plot', '-o', os.path.join(work, 'plot'), inp])
        for c in cmds:
            runs += 1
            try:
                p = subprocess.run([a.cli] + c, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=20)
                err, rc = p.stderr.decode(errors='replace'), p.returncode
            except subprocess.TimeoutExpired:
                err, rc = 'timeout', -1
            bad = None
            if 'Sanitizer' in err or 'runtime error:' in err:
                bad = next((l for l in err.splitlines() if 'ERROR' in l or 'runtime error' in l), err[:200])
            elif rc not in (0, 1, 2, 3):
                bad = f'exit {rc}: {err[-200:]}'
            if bad:
                problems += 1
                if problems <= 20:
                    keep = os.path.join(os.path.dirname(work), f'problem-{problems}')
                    shutil.rmtree(keep, ignore_errors=True)
                    shutil.copytree(work, keep)
                    print(f'problem {problems}: round {i}: patchstorm {" ".join(c)}: {bad} (input kept in {keep})')
    shutil.rmtree(work, ignore_errors=True)
    print(f'cli fuzz: {a.count} inputs, {runs} runs, {problems} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
