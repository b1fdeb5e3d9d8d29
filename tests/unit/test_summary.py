#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host unit tests of scripts/summary.py (the runner's summary.json).

The last line is "summary.py: N passed, N failed, N skipped".
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, '..', '..', 'scripts', 'summary.py')
spec = importlib.util.spec_from_file_location('summary', SCRIPT)
summary = importlib.util.module_from_spec(spec)
spec.loader.exec_module(summary)

# The keys of summary.json, in order (README, tests/integration read them).
KEYS = ['verdict', 'reason', 'arch', 'kernel', 'kernel_entry', 'kernel_image_sha256', 'ksrc', 'flavor', 'cpus',
        'mem', 'duration', 'grace', 'tcg', 'what', 'storm', 'boot_to_init_s',
        'boot_to_init_wall_s', 'wall_s', 'guest_exit_status', 'failures', 'stats',
        'cross_check']

FACTS = {
    'verdict': 'FAILURE', 'reason': 'WARNING: x', 'arch': 'riscv64',
    'kernel': '6.12.118', 'kernel_entry': '/cache/k', 'kernel_image_sha256': 'ab12','ksrc': '', 'cpus': '2',
    'mem': '1G', 'duration': '3', 'grace': '10', 'tcg': 'multi',
    'what': 'cmd: echo a\necho b', 'storm': 'strategies=all', 'boot_to_init_s': '0.61',
    'boot_to_init_wall_s': '1.23456', 'wall_s': '.5', 'guest_exit_status': '0',
    'out_begin': '', 'out_end': '',
}


class Dir:
    """A results directory with out/ in a temporary directory."""

    def __enter__(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.res = os.path.join(self.tmp.name, 'r')
        os.makedirs(os.path.join(self.res, 'out'))
        self.console = os.path.join(self.tmp.name, 'console.txt')
        self.write(self.console, '')
        return self

    def __exit__(self, *exc):
        self.tmp.cleanup()

    def write(self, path, text):
        if not os.path.isabs(path):
            path = os.path.join(self.res, path)
        with open(path, 'w') as f:
            f.write(text)
        return path


class Values(unittest.TestCase):
    def test_num(self):
        self.assertEqual(summary.num('1234'), 1234)
        self.assertEqual(summary.num('-3'), -3)
        self.assertEqual(summary.num('0.5'), 0.5)
        self.assertEqual(summary.num('.5e-3'), 0.0005)
        # not numbers: kept as text
        self.assertEqual(summary.num('1e5'), '1e5')
        self.assertEqual(summary.num('0x10'), '0x10')
        self.assertEqual(summary.num(''), '')
        self.assertEqual(summary.num('SUCCESS'), 'SUCCESS')

    def test_failures(self):
        f = summary.read_failures(['WARNING\t12\t[ 1.0] WARNING: a\tb\n', '\n',
                                   'HANG\t0\tguest did not power off\n', 'ODD\n'])
        self.assertEqual(f, [
            {'kind': 'WARNING', 'text': '[ 1.0] WARNING: a\tb', 'console_line': 12},
            {'kind': 'HANG', 'text': 'guest did not power off'},
            {'kind': 'ODD', 'text': ''},
        ])

    def test_stats(self):
        with Dir() as d:
            self.assertIsNone(summary.read_stats(os.path.join(d.res, 'out', 'stats')))
            p = d.write('out/stats', '# comment\ntoggles=10\n reason = a=b \nnoequals\n')
            self.assertEqual(summary.read_stats(p), {'toggles': 10, 'reason': 'a=b'})

    def test_archive_bytes(self):
        with Dir() as d:
            d.write(d.console, 'x\nPATCHSTORM-OUT-BEGIN\nabc\nde\nPATCHSTORM-OUT-END\nyy\n')
            self.assertEqual(summary.archive_bytes(d.console), 7)

    def test_trace_events(self):
        ev, lost = summary.trace_events(
            '  <idle>-0 [000] 1.0: patchstorm_toggle: strategy=x\n'
            '  sh-1 [001] 1.1: patchstorm_toggle: strategy=y\n'
            '  sh-1 [001] 1.2: patchstorm_stall: cpu=1\n'
            'CPU:1 [12 EVENTS DROPPED]\nCPU:0 [LOST EVENTS]\n')
        self.assertEqual(ev, {'patchstorm_toggle': 2, 'patchstorm_stall': 1})
        self.assertEqual(lost, 13)


class Summary(unittest.TestCase):
    def test_fields(self):
        with Dir() as d:
            d.write('out/stats', 'toggles=1234\nratio=0.5\nverdict=SUCCESS\n')
            s = summary.summary(d.res, [], d.console, FACTS)
            self.assertEqual(list(s), KEYS)
            self.assertEqual(s['cpus'], 2)
            self.assertEqual(s['duration'], 3)
            self.assertIsNone(s['ksrc'])
            self.assertEqual(s['flavor'], 'normal')
            s = summary.summary(d.res, [], d.console, dict(FACTS, flavor='debug'))
            self.assertEqual(s['flavor'], 'debug')
            self.assertEqual(s['boot_to_init_s'], 0.61)
            self.assertEqual(s['boot_to_init_wall_s'], 1.235)
            self.assertEqual(s['wall_s'], 0.5)
            self.assertEqual(s['guest_exit_status'], 0)
            self.assertEqual(s['what'], 'cmd: echo a\necho b')
            self.assertEqual(s['stats'], {'toggles': 1234, 'ratio': 0.5, 'verdict': 'SUCCESS'})

    def test_unknown_facts_are_null(self):
        facts = dict(FACTS, reason='', boot_to_init_s='', boot_to_init_wall_s='',
                     guest_exit_status='')
        with Dir() as d:
            s = summary.summary(d.res, [], d.console, facts)
            for k in ('reason', 'boot_to_init_s', 'boot_to_init_wall_s',
                      'guest_exit_status', 'stats'):
                self.assertIsNone(s[k], k)

    def test_transfer(self):
        facts = dict(FACTS, out_begin='100.0', out_end='101.3')
        with Dir() as d:
            d.write(d.console, 'PATCHSTORM-OUT-BEGIN\n' + 'A' * 75 + '\nPATCHSTORM-OUT-END\n')
            s = summary.summary(d.res, [], d.console, facts)
            self.assertEqual(list(s)[-2:], ['out_transfer_s', 'out_archive_bytes'])
            self.assertEqual(s['out_transfer_s'], 1.3)
            self.assertEqual(s['out_archive_bytes'], 76)

    def test_trace(self):
        def fake_run(argv, **kw):
            self.assertEqual(argv[:3], ['trace-cmd', 'report', '-i'])
            return subprocess.CompletedProcess(
                argv, 0, stdout='sh-1 [0] 1.0: patchstorm_anomaly: kind=stale\n')

        def no_trace_cmd(argv, **kw):
            raise FileNotFoundError('trace-cmd')

        with Dir() as d:
            d.write('out/trace.dat', '0123456789')
            s = summary.summary(d.res, [], d.console, FACTS, run=fake_run)
            self.assertEqual(s['trace'], {'file': 'out/trace.dat', 'bytes': 10,
                                          'events': {'patchstorm_anomaly': 1}, 'lost': 0})
            s = summary.summary(d.res, [], d.console, FACTS, run=no_trace_cmd)
            self.assertEqual(s['trace']['error'], 'trace-cmd')


class Command(unittest.TestCase):
    def run_script(self, *args):
        return subprocess.run([sys.executable, SCRIPT] + list(args),
                              capture_output=True, text=True)

    def test_writes_json(self):
        with Dir() as d:
            ftsv = d.write(os.path.join(d.tmp.name, 'f.tsv'), 'OOPS\t7\t[ 2.0] Oops\n')
            r = self.run_script(d.res, ftsv, d.console,
                                *('%s=%s' % kv for kv in FACTS.items()))
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(d.res, 'summary.json')) as f:
                text = f.read()
            self.assertTrue(text.endswith('}\n'))
            j = json.loads(text)
            self.assertEqual(list(j), KEYS)
            self.assertEqual(j['failures'], [{'kind': 'OOPS', 'text': '[ 2.0] Oops',
                                              'console_line': 7}])

    def test_bad_usage(self):
        with Dir() as d:
            r = self.run_script(d.res)
            self.assertEqual(r.returncode, 2)
            r = self.run_script(d.res, d.console, d.console, 'bogus=1')
            self.assertEqual(r.returncode, 2)
            self.assertIn('error:', r.stderr)
            self.assertFalse(os.path.exists(os.path.join(d.res, 'summary.json')))
            r = self.run_script('--help')
            self.assertEqual(r.returncode, 0)
            self.assertIn('NAME=VALUE', r.stdout)


if __name__ == '__main__':
    result = unittest.main(exit=False, verbosity=0).result
    n = result.testsRun
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    sys.stderr.flush()
    print('summary.py: %d passed, %d failed, %d skipped' % (n - failed - skipped, failed, skipped))
    sys.exit(1 if failed else 0)
