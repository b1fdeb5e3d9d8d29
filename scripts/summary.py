#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write a runner results directory's summary.json.

    scripts/summary.py RESULTS FAILURES.tsv CONSOLE.txt NAME=VALUE...

Called by scripts/qemu-run.sh once the run is judged.  RESULTS is the
results directory (summary.json is written there; out/stats and
out/trace.dat are read from it), FAILURES.tsv the runner's failures, one
"KIND<TAB>console line<TAB>text" a line, CONSOLE.txt the console log
without carriage returns.  The NAME=VALUE pairs are the run's facts:
verdict reason arch kernel kernel_entry kernel_image_sha256 ksrc flavor cpus mem duration grace
tcg what storm boot_to_init_s boot_to_init_wall_s wall_s guest_exit_status
out_begin out_end (an empty value: unknown, null in the JSON).

summary.json: verdict, reason, arch, kernel, kernel_entry,
kernel_image_sha256, ksrc, flavor
(normal when not given), cpus, mem, duration, grace, tcg, what, storm,
boot_to_init_s, boot_to_init_wall_s, wall_s, guest_exit_status, failures (kind, text,
console_line), stats (out/stats as numbers where they are numbers, or
null), cross_check (null; filled in by scripts/cross-check.py when the
runner's --cross-check is on), and when known out_transfer_s and out_archive_bytes (the out/
archive on the console) and trace (out/trace.dat's size and events per
kind, from `trace-cmd report`).

Exit 0 written, 2 bad usage, 3 cannot write.
"""
import json
import os
import re
import subprocess
import sys

FIELDS = ('verdict', 'reason', 'arch', 'kernel', 'kernel_entry', 'kernel_image_sha256', 'ksrc', 'flavor', 'cpus',
          'mem', 'duration', 'grace', 'tcg', 'what', 'storm', 'boot_to_init_s',
          'boot_to_init_wall_s', 'wall_s', 'guest_exit_status', 'out_begin',
          'out_end')


def num(v):
    """A stats value as a number where it is one, else the string."""
    if re.fullmatch(r'-?[0-9]+', v):
        return int(v)
    if re.fullmatch(r'-?[0-9]*\.[0-9]+([eE][-+]?[0-9]+)?', v):
        return float(v)
    return v


def opt(facts, k, conv=str):
    v = facts.get(k, '')
    return conv(v) if v != '' else None


def read_failures(lines):
    failures = []
    for line in lines:
        line = line.rstrip('\n')
        if not line:
            continue
        kind, lineno, text = (line.split('\t', 2) + ['', ''])[:3]
        f = {'kind': kind, 'text': text}
        if lineno not in ('', '0'):
            f['console_line'] = int(lineno)
        failures.append(f)
    return failures


def read_stats(path):
    """out/stats as a dict (None without the file)."""
    if not os.path.exists(path):
        return None
    stats = {}
    with open(path, errors='replace') as f:
        for line in f:
            line = line.strip()
            if '=' in line and not line.startswith('#'):
                k, v = line.split('=', 1)
                stats[k.strip()] = num(v.strip())
    return stats


def archive_bytes(console):
    """Bytes of the out/ archive between the console's marker lines."""
    n = 0
    inside = False
    with open(console, 'rb') as f:
        for line in f:
            if line.startswith(b'PATCHSTORM-OUT-BEGIN'):
                inside = True
            elif line.startswith(b'PATCHSTORM-OUT-END'):
                break
            elif inside:
                n += len(line)
    return n


def trace_events(report_text):
    """Events per patchstorm_* kind and lost events in `trace-cmd report`."""
    ev = {}
    lost = 0
    for line in report_text.splitlines():
        m = re.search(r'\s(patchstorm_\w+):', line)
        if m:
            ev[m.group(1)] = ev.get(m.group(1), 0) + 1
        elif 'EVENTS DROPPED' in line or 'LOST' in line:
            m = re.search(r'\[(\d+)', line)
            lost += int(m.group(1)) if m else 1
    return ev, lost


def trace_summary(td, run=subprocess.run):
    t = {'file': 'out/trace.dat', 'bytes': os.path.getsize(td)}
    try:
        r = run(['trace-cmd', 'report', '-i', td], capture_output=True,
                text=True, errors='replace', timeout=120)
        t['events'], t['lost'] = trace_events(r.stdout)
    except (OSError, subprocess.SubprocessError) as e:
        t['error'] = str(e)
    return t


def summary(res, failures, console, facts, run=subprocess.run):
    """The summary.json dict for results dir RES."""
    s = {
        'verdict': facts['verdict'],
        'reason': opt(facts, 'reason'),
        'arch': facts['arch'],
        'kernel': facts['kernel'],
        'kernel_entry': facts['kernel_entry'],
        'kernel_image_sha256': opt(facts, 'kernel_image_sha256'),
        'ksrc': opt(facts, 'ksrc'),
        'flavor': facts.get('flavor') or 'normal',
        'cpus': int(facts['cpus']),
        'mem': facts['mem'],
        'duration': int(facts['duration']),
        'grace': int(facts['grace']),
        'tcg': facts['tcg'],
        'what': facts['what'],
        'storm': facts['storm'],
        'boot_to_init_s': opt(facts, 'boot_to_init_s', float),
        'boot_to_init_wall_s': opt(facts, 'boot_to_init_wall_s',
                                   lambda v: round(float(v), 3)),
        'wall_s': round(float(facts['wall_s']), 3),
        'guest_exit_status': opt(facts, 'guest_exit_status', int),
        'failures': failures,
        'stats': read_stats(os.path.join(res, 'out', 'stats')),
        'cross_check': None,
    }
    if facts.get('out_begin') and facts.get('out_end'):
        s['out_transfer_s'] = round(float(facts['out_end']) - float(facts['out_begin']), 1)
        s['out_archive_bytes'] = archive_bytes(console)
    td = os.path.join(res, 'out', 'trace.dat')
    if os.path.exists(td):
        s['trace'] = trace_summary(td, run)
    return s


def parse_facts(args):
    facts = dict.fromkeys(FIELDS, '')
    for a in args:
        k, eq, v = a.partition('=')
        if not eq or k not in FIELDS:
            raise ValueError('not one of the NAME=VALUE facts: %r' % a)
        facts[k] = v
    return facts


def main(argv):
    if argv[:1] in (['-h'], ['--help']):
        print(__doc__.strip())
        return 0
    if len(argv) < 3:
        print('summary.py: error: usage: summary.py RESULTS FAILURES.tsv CONSOLE.txt NAME=VALUE...',
              file=sys.stderr)
        return 2
    res, ftsv, console = argv[:3]
    try:
        facts = parse_facts(argv[3:])
    except ValueError as e:
        print('summary.py: error: %s' % e, file=sys.stderr)
        return 2
    try:
        with open(ftsv, errors='replace') as f:
            failures = read_failures(f)
        s = summary(res, failures, console, facts)
        with open(os.path.join(res, 'summary.json'), 'w') as f:
            json.dump(s, f, indent=2)
            f.write('\n')
    except (OSError, ValueError, KeyError) as e:
        print('summary.py: error: %s' % e, file=sys.stderr)
        return 3
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
