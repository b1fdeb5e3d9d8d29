#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host unit tests of scripts/cross-check.py (the runner's emulator
cross-check: when a run is re-run under single-threaded TCG, and what the
re-run says).

The last line is "cross-check.py: N passed, N failed, N skipped".
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, '..', '..', 'scripts', 'cross-check.py')
spec = importlib.util.spec_from_file_location('cross_check', SCRIPT)
xc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(xc)

ANOMALY_KINDS = ('wrong-answer', 'stale', 'trap', 'torn', 'mixed-pair')


def stats(verdict='SUCCESS', toggles=500, stale=0, anomalies=None):
    """out/stats as summary.json holds it: stale calls, anomalies by kind."""
    anomalies = anomalies or {}
    st = {'state': 'done', 'verdict': verdict, 'reason': '', 'toggles': toggles,
          'stale': stale}
    for k in ANOMALY_KINDS:
        st['anomalies.' + k] = anomalies.get(k, 0)
    st['anomalies'] = sum(anomalies.values())
    return st


def failed_stale(n, toggles=500):
    """stale=fail: n stale calls, each an anomaly."""
    return stats('FAILURE', toggles, n, {'stale': n})


def run(verdict='SUCCESS', tcg='multi', st=None, failures=(), reason=None,
        entry='/cache/kernels/riscv64-6.12'):
    """A summary.json dict."""
    if verdict == 'FAILURE' and reason is None:
        reason = failures[0]['kind'] + ': x' if failures else 'EXIT_STATUS: 1'
    return {'verdict': verdict, 'reason': reason, 'tcg': tcg, 'kernel_entry': entry,
            'stats': st, 'failures': list(failures), 'wall_s': 12.5, 'cross_check': None}


def fail(kind, text='x'):
    return {'kind': kind, 'text': text}


EXIT1 = fail('EXIT_STATUS', 'guest command exited with status 1')

# runs under MTTCG
CLEAN = run(st=stats())
EXCUSED = run(st=stats(stale=405, toggles=4961))
STALE_FAIL = run('FAILURE', st=failed_stale(30),
                 failures=[EXIT1], reason='EXIT_STATUS: guest command exited with status 1')
INJECTED = run('FAILURE', st=failed_stale(900), failures=[EXIT1])
WARN = run('FAILURE', st=stats(), failures=[fail('WARNING')])
CMD_EXIT = run('FAILURE', failures=[EXIT1])


class Trigger(unittest.TestCase):
    def test_excused_stale(self):
        self.assertEqual(xc.excused_stale(None), 0)
        self.assertEqual(xc.excused_stale(stats(stale=5)), 5)
        # stale=fail: every stale call is an anomaly, nothing excused
        self.assertEqual(xc.excused_stale(failed_stale(5)), 0)
        # odd values are not counts
        self.assertEqual(xc.excused_stale({'stale': 'x', 'anomalies.stale': 0}), 0)

    def test_trigger(self):
        self.assertIsNone(xc.trigger(CLEAN))
        self.assertEqual(xc.trigger(EXCUSED), 'stale-warn')
        self.assertEqual(xc.trigger(STALE_FAIL), 'failure')
        self.assertEqual(xc.trigger(CMD_EXIT), 'failure')
        # single-threaded runs are never re-run
        for tcg in ('single', 'icount'):
            self.assertIsNone(xc.trigger(dict(EXCUSED, tcg=tcg)))
            self.assertIsNone(xc.trigger(dict(WARN, tcg=tcg)))

    def test_plan(self):
        self.assertEqual(xc.plan(CLEAN)[:2], (False, 'not-needed'))
        self.assertEqual(xc.plan(dict(WARN, tcg='single'))[:2], (False, 'not-applicable'))
        needed, what, why = xc.plan(EXCUSED)
        self.assertEqual((needed, what), (True, 'stale-warn'))
        self.assertIn('405 stale calls (excused) in 4961 toggles', why)
        needed, what, why = xc.plan(WARN)
        self.assertEqual((needed, what), (True, 'failure'))
        self.assertIn('WARNING', why)


class Seen(unittest.TestCase):
    def test_seen(self):
        self.assertEqual(xc.seen(CLEAN), set())
        self.assertEqual(xc.seen(EXCUSED), {'anomaly:stale'})
        # the guest's exit status is the storm's verdict: not a sign of its own
        self.assertEqual(xc.seen(STALE_FAIL), {'anomaly:stale'})
        self.assertEqual(xc.seen(WARN), {'WARNING'})
        self.assertEqual(xc.seen(CMD_EXIT), {'EXIT_STATUS'})
        api = run('FAILURE', st=stats('FAILURE'), failures=[EXIT1])
        self.assertEqual(xc.seen(api), {'storm-failure'})
        many = run('FAILURE', st=stats('FAILURE', stale=3, anomalies={'stale': 3, 'torn': 2}),
                   failures=[fail('OOPS'), fail('NO_EXIT'), EXIT1])
        self.assertEqual(xc.seen(many), {'anomaly:stale', 'anomaly:torn', 'OOPS', 'NO_EXIT'})


class Decide(unittest.TestCase):
    def check(self, multi, single, want, rc=None, has=()):
        if rc is None:
            rc = 0 if single and single['verdict'] == 'SUCCESS' else 1
        got, why = xc.decide(multi, single, rc)
        self.assertEqual(got, want, why)
        for h in has:
            self.assertIn(h, why)
        return why

    def test_stale_mttcg_only(self):
        single = run(tcg='single', st=stats(toggles=537))
        self.check(EXCUSED, single, 'mttcg-only',
                   has=['SUCCESS, 0 stale calls in 537 toggles',
                        'MTTCG: anomaly:stale, 405 stale calls (excused) in 4961 toggles'])
        self.check(STALE_FAIL, single, 'mttcg-only')

    def test_stale_confirmed(self):
        # re-run with stale=fail: a FAILURE with stale anomalies
        single = run('FAILURE', tcg='single', st=failed_stale(2),
                     failures=[EXIT1])
        self.check(EXCUSED, single, 'confirmed', has=['anomaly:stale too', '2 stale calls in'])
        # the user kept stale=warn: the re-run is a SUCCESS but shows stale calls
        single = run(tcg='single', st=stats(stale=4))
        self.check(EXCUSED, single, 'confirmed', has=['4 stale calls (excused)'])

    def test_injected_fault_confirmed(self):
        single = run('FAILURE', tcg='single', st=failed_stale(60),
                     failures=[EXIT1])
        self.check(INJECTED, single, 'confirmed')

    def test_partly_confirmed(self):
        multi = run('FAILURE', st=failed_stale(3),
                    failures=[fail('WARNING'), EXIT1])
        single = run('FAILURE', tcg='single', st=stats(), failures=[fail('WARNING')])
        self.check(multi, single, 'confirmed', has=['WARNING too', 'not anomaly:stale'])

    def test_console_failures(self):
        self.check(WARN, run('FAILURE', tcg='single', st=stats(), failures=[fail('WARNING')]),
                   'confirmed')
        self.check(WARN, run(tcg='single', st=stats()), 'mttcg-only', has=['MTTCG: WARNING'])
        self.check(CMD_EXIT, run('FAILURE', tcg='single', failures=[EXIT1]), 'confirmed')
        self.check(CMD_EXIT, run(tcg='single'), 'mttcg-only')

    def test_different(self):
        single = run('FAILURE', tcg='single', st=stats(), failures=[fail('OOPS')])
        self.check(STALE_FAIL, single, 'different', has=['fails otherwise: OOPS',
                                                        'MTTCG: anomaly:stale'])

    def test_inconclusive(self):
        single = run(tcg='single', st=stats())
        # no re-run, or the runner could not make it
        self.check(WARN, None, 'inconclusive', rc=3, has=['runner exit 3'])
        self.check(WARN, single, 'inconclusive', rc=2)
        # another kernel
        self.check(WARN, dict(single, kernel_entry='/other'), 'inconclusive',
                   has=['another kernel'])
        # the re-run hung or did not boot: it says nothing about the storm
        for k in ('HANG', 'NO_INIT'):
            self.check(STALE_FAIL, run('FAILURE', tcg='single', failures=[fail(k)]),
                       'inconclusive', has=['did not complete'])
        # ... unless the run hung too
        hang = run('FAILURE', st=None, failures=[fail('HANG')])
        self.check(hang, run('FAILURE', tcg='single', failures=[fail('HANG')]), 'confirmed')
        # a storm that toggled nothing says nothing
        self.check(EXCUSED, run(tcg='single', st=stats(toggles=0)), 'inconclusive',
                   has=['toggled nothing'])


class Judge(unittest.TestCase):
    def test_failure_stays(self):
        for single in (run(tcg='single', st=stats()), None):
            x, verdict, reason = xc.judge(WARN, single, 0 if single else 3, '/r/xcheck')
            self.assertEqual((verdict, reason), ('FAILURE', WARN['reason']))
            self.assertEqual(x['trigger'], 'failure')
            self.assertEqual(x['verdict_multi'], 'FAILURE')
        self.assertIsNone(x['verdict_single'])
        self.assertEqual(x['result'], 'inconclusive')

    def test_fields(self):
        single = run(tcg='single', st=stats(toggles=537))
        x, verdict, reason = xc.judge(EXCUSED, single, 0, '/r/xcheck')
        self.assertEqual(list(x), ['trigger', 'verdict_multi', 'verdict_single', 'result',
                                   'reason', 'results', 'rerun_exit', 'boots', 'wall_s',
                                   'seen_multi', 'seen_single'])
        self.assertEqual(x['result'], 'mttcg-only')
        self.assertEqual(x['verdict_single'], 'SUCCESS')
        self.assertEqual(x['results'], '/r/xcheck')
        self.assertEqual(x['boots'], 1)
        self.assertEqual(x['seen_multi'], ['anomaly:stale'])
        self.assertEqual(x['seen_single'], [])
        self.assertEqual((verdict, reason), ('SUCCESS', None))

    def test_confirmed_stale_fails(self):
        single = run('FAILURE', tcg='single', st=failed_stale(2),
                     failures=[EXIT1])
        x, verdict, reason = xc.judge(EXCUSED, single, 1, '/r/xcheck')
        self.assertEqual(x['result'], 'confirmed')
        self.assertEqual(verdict, 'FAILURE')
        self.assertTrue(reason.startswith('cross-check: stale calls excused under MTTCG'), reason)
        # an inconclusive re-run does not turn a SUCCESS into a FAILURE
        x, verdict, _ = xc.judge(EXCUSED, None, 3, '/r/xcheck')
        self.assertEqual((x['result'], verdict), ('inconclusive', 'SUCCESS'))


class Command(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.res = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, s):
        p = os.path.join(self.res, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w') as f:
            json.dump(s, f)

    def read(self):
        with open(os.path.join(self.res, 'summary.json')) as f:
            return json.load(f)

    def cmd(self, *args):
        return subprocess.run([sys.executable, SCRIPT] + list(args),
                              capture_output=True, text=True)

    def test_plan(self):
        self.write('summary.json', EXCUSED)
        r = self.cmd('plan', self.res)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith('stale-warn: '), r.stdout)
        self.assertIsNone(self.read()['cross_check'])
        self.write('summary.json', CLEAN)
        r = self.cmd('plan', self.res)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(self.read()['cross_check']['result'], 'not-needed')

    def test_judge(self):
        self.write('summary.json', EXCUSED)
        self.write('xcheck/summary.json', run('FAILURE', tcg='single',
                                              st=failed_stale(2),
                                              failures=[EXIT1]))
        r = self.cmd('judge', self.res, '1', '2')
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[0].startswith('cross-check: confirmed: '), lines)
        self.assertTrue(lines[1].startswith('FAILURE: cross-check: '), lines)
        j = self.read()
        self.assertEqual(j['verdict'], 'FAILURE')
        self.assertEqual(j['cross_check']['result'], 'confirmed')
        self.assertEqual(j['cross_check']['results'], os.path.join(self.res, 'xcheck'))
        self.assertEqual(j['cross_check']['boots'], 2)
        # no re-run summary: inconclusive, the verdict stays
        self.write('summary.json', EXCUSED)
        os.remove(os.path.join(self.res, 'xcheck', 'summary.json'))
        r = self.cmd('judge', self.res, '3')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines()[1], 'SUCCESS')
        self.assertEqual(self.read()['cross_check']['result'], 'inconclusive')

    def test_bad_usage(self):
        self.write('summary.json', EXCUSED)
        for args in ((), ('plan',), ('judge', self.res), ('what', self.res),
                     ('judge', self.res, 'x'), ('judge', self.res, '1', 'x'),
                     ('judge', self.res, '1', '1', '1'), ('plan', self.res, '0')):
            r = self.cmd(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn('error:', r.stderr)
        self.assertIsNone(self.read()['cross_check'])
        r = self.cmd('plan', os.path.join(self.res, 'nonexistent'))
        self.assertEqual(r.returncode, 3)
        r = self.cmd('--help')
        self.assertEqual(r.returncode, 0)
        self.assertIn('mttcg-only', r.stdout)


if __name__ == '__main__':
    result = unittest.main(exit=False, verbosity=0).result
    n = result.testsRun
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    sys.stderr.flush()
    print('cross-check.py: %d passed, %d failed, %d skipped' % (n - failed - skipped, failed,
                                                                skipped))
    sys.exit(1 if failed else 0)
