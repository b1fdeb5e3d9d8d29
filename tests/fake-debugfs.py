#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the CLI tests' fake debugfs against what the module writes.

    tests/fake-debugfs.py source MODULE-DIR FAKE-DIR
    tests/fake-debugfs.py real REAL-DIR FAKE-DIR

The fake (tools/tests/test_main.c t_fake_debugfs(), written with
`patchstorm-tests --fake-debugfs DIR STATE VERDICT`) must write the files
and keys the module writes, or the CLI's unit tests test a module that
does not exist.

source: every anomaly kind in FAKE-DIR/anomalies is a string literal in the
module's sources, and every anomaly line has the fields, in order, of the
module's anomaly line format ("kind=%s cpu=%d ...\\n").

real: REAL-DIR holds the module's own debugfs files copied in a guest after
a storm (stats, config, caps, anomalies, hist/): the fake has the same
stats keys (per-CPU, per-target and per-kind keys compared by their
pattern), the same config keys, the same caps keys when both are of the
same arch, every histogram file it writes has the real one's keys and
comment lines, and the anomaly lines have the real ones' fields.

Prints what differs; exit 0 same, 1 drift, 2 bad usage.
"""
import os
import re
import sys


def table_names(table, macro):
    """The names of module/tables/TABLE.def: the first string of each line."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                        'module', 'tables', table + '.def')
    with open(path) as f:
        return re.findall(r'^%s\([A-Z_0-9]+, "([^"]+)"' % macro, f.read(), re.M)


STRATEGIES = table_names('strategies', 'PS_STRATEGY')


def kv_keys(path):
    keys = []
    with open(path, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if line and not line.startswith('#') and '=' in line:
                keys.append(line.split('=', 1)[0])
    return keys


def comments(path):
    """Comment lines, without what follows a colon and with numbers as N."""
    with open(path, errors='replace') as f:
        return [re.sub(r'[0-9]+', 'N', re.sub(r':.*', ':', l.rstrip('\n')))
                for l in f if l.startswith('#')]


def stat_pattern(k):
    """A stats key with its per-CPU, per-target or per-kind part generic."""
    k = re.sub(r'^stale\.cpu[0-9]+$', 'stale.cpu<N>', k)
    k = re.sub(r'^target\..+\.(%s)\.hits$' % '|'.join(map(re.escape, STRATEGIES)),
               'target.<name>.<strategy>.hits', k)
    k = re.sub(r'^target\.[^<].*\.hits$', 'target.<name>.hits', k)
    k = re.sub(r'^target\..+\.cpus$', 'target.<name>.cpus', k)
    k = re.sub(r'^anomalies\..+$', 'anomalies.<kind>', k)
    return k


def anomaly_fields(path):
    """The field names of each anomaly line."""
    out = []
    with open(path, errors='replace') as f:
        for line in f:
            if line.startswith('kind='):
                # a word without '=' continues the value before it
                # (%pS of a module's function: "name+off/size [module]")
                out.append([w.split('=', 1)[0] for w in line.split() if '=' in w])
    return out


def diff(what, fake, real, problems):
    extra = sorted(set(fake) - set(real))
    missing = sorted(set(real) - set(fake))
    if extra:
        problems.append('%s: the fake has what the module does not write: %s' % (what, ' '.join(extra)))
    if missing:
        problems.append('%s: the fake lacks what the module writes: %s' % (what, ' '.join(missing)))


def check_source(module, fake):
    problems = []
    text = ''
    for d, _, files in os.walk(module):
        for name in files:
            if name.endswith(('.c', '.h', '.def')):
                with open(os.path.join(d, name), errors='replace') as f:
                    text += f.read()
    literals = set(re.findall(r'"((?:[^"\\\n]|\\.)*)"', text))
    # the debugfs line (the tracepoint's format has no newline)
    fmt = [l for l in literals if l.startswith('kind=%s ') and l.endswith('\\n')]
    if len(fmt) != 1:
        return ['cannot find the one anomaly line format ("kind=%%s ...\\n") in %s: %d found'
                % (module, len(fmt))]
    want = re.findall(r'([a-z_]+)=%', fmt[0])
    n = 0
    for fields in anomaly_fields(os.path.join(fake, 'anomalies')):
        n += 1
        if fields != want:
            problems.append('anomaly line fields %s, the module writes %s' % (fields, want))
    with open(os.path.join(fake, 'anomalies')) as f:
        for kind in re.findall(r'^kind=(\S+)', f.read(), re.M):
            if kind not in literals:
                problems.append('anomaly kind "%s" is not a string in %s' % (kind, module))
    if n == 0:
        problems.append('the fake has no anomaly line to check')
    return problems


def check_real(real, fake):
    problems = []
    diff('stats', {stat_pattern(k) for k in kv_keys(os.path.join(fake, 'stats'))},
         {stat_pattern(k) for k in kv_keys(os.path.join(real, 'stats'))}, problems)
    diff('config', kv_keys(os.path.join(fake, 'config')),
         kv_keys(os.path.join(real, 'config')), problems)
    fcaps = dict(l.split('=', 1) for l in open(os.path.join(fake, 'caps')).read().split() if '=' in l)
    rcaps = dict(l.split('=', 1) for l in open(os.path.join(real, 'caps')).read().split() if '=' in l)
    if fcaps.get('arch') == rcaps.get('arch'):
        diff('caps', fcaps, rcaps, problems)
    else:
        print('fake debugfs: caps not compared: the fake is %s, the module ran on %s'
              % (fcaps.get('arch'), rcaps.get('arch')))
    hdir = os.path.join(fake, 'hist')
    for name in sorted(os.listdir(hdir)):
        r = os.path.join(real, 'hist', name)
        if not os.path.exists(r):
            problems.append('hist/%s: the module has no such histogram' % name)
            continue
        diff('hist/' + name, kv_keys(os.path.join(hdir, name)), kv_keys(r), problems)
        if comments(os.path.join(hdir, name)) != comments(r):
            problems.append('hist/%s: comment lines %s, the module writes %s' %
                            (name, comments(os.path.join(hdir, name)), comments(r)))
    f_an = anomaly_fields(os.path.join(fake, 'anomalies'))
    r_an = anomaly_fields(os.path.join(real, 'anomalies'))
    if r_an:
        for fields in f_an:
            if fields != r_an[0]:
                problems.append('anomaly line fields %s, the module writes %s' % (fields, r_an[0]))
    if comments(os.path.join(fake, 'anomalies')) != comments(os.path.join(real, 'anomalies')):
        problems.append('anomalies: comment lines %s, the module writes %s' %
                        (comments(os.path.join(fake, 'anomalies')),
                         comments(os.path.join(real, 'anomalies'))))
    return problems


def main(argv):
    if argv[:1] in (['-h'], ['--help']):
        print(__doc__.strip())
        return 0
    if len(argv) != 3 or argv[0] not in ('source', 'real'):
        print('fake-debugfs.py: error: usage: fake-debugfs.py source|real DIR FAKE-DIR', file=sys.stderr)
        return 2
    mode, ref, fake = argv
    try:
        problems = (check_source if mode == 'source' else check_real)(ref, fake)
    except OSError as e:
        problems = [str(e)]
    for p in problems:
        print('fake debugfs: ' + p)
    if not problems:
        print('fake debugfs: writes what the module writes (%s %s)' % (mode, ref))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
