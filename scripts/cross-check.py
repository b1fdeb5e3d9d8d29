#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The emulator cross-check of a runner results directory.

    scripts/cross-check.py plan RESULTS
    scripts/cross-check.py judge RESULTS RERUN-EXIT [BOOTS]

Called by scripts/qemu-run.sh --cross-check once RESULTS/summary.json is
written.  Under multi-threaded TCG (MTTCG) a vCPU can run stale code after
another rewrote it (docs/qemu.md), so a FAILURE there, or stale calls the
storm excused with stale=warn (stats: stale above anomalies.stale), is
re-run under single-threaded TCG into RESULTS/xcheck/ and judged here.

plan: exit 0 and print why when the run needs the re-run (a FAILURE, or
excused stale calls, under --tcg multi); otherwise write cross_check
(result not-needed, or not-applicable when the run was not under MTTCG)
into summary.json and exit 1.

judge: compare the run with the re-run (RESULTS/xcheck/summary.json,
RERUN-EXIT the re-run's runner exit status, BOOTS how many times it was
booted, default 1) and write cross_check into RESULTS/summary.json:
trigger (failure or stale-warn), verdict_multi, verdict_single, result,
reason, results, rerun_exit, boots, wall_s, seen_multi and
seen_single (what each run showed: anomaly:KIND for each storm anomaly
kind, stale calls excused or not as anomaly:stale, storm-failure for a
storm FAILURE without anomalies, the console scan's kinds, HANG, NO_INIT,
NO_EXIT, and EXIT_STATUS when nothing else).  result:

  confirmed       the re-run shows something the run showed
  mttcg-only      the re-run is a SUCCESS without stale calls
  different       the re-run fails, with none of what the run showed
  inconclusive    the re-run could not tell: it did not run (runner exit
                  2 or 3), booted another kernel, did not reach init, hung,
                  or toggled nothing where the run toggled

A SUCCESS whose excused stale calls single-threaded TCG confirms becomes
a FAILURE (verdict and reason in summary.json); any other verdict stays.
Prints "cross-check: RESULT: reason", then the final verdict line
(SUCCESS, or FAILURE: reason).  Exit 0 SUCCESS, 1 FAILURE, 2 bad usage,
3 cannot read or write the summaries.
"""
import json
import os
import sys

XCHECK = 'xcheck'
# failure kinds after which a re-run says nothing: it did not run the storm
INCOMPLETE = {'HANG', 'NO_INIT'}


def count(stats, key):
    v = (stats or {}).get(key)
    return v if isinstance(v, int) else 0


def excused_stale(stats):
    """Stale calls counted but not made anomalies (stale=warn)."""
    return max(0, count(stats, 'stale') - count(stats, 'anomalies.stale'))


def single_threaded(s):
    return s.get('tcg') != 'multi'


def trigger(s):
    """Why run s needs the re-run: 'failure', 'stale-warn' or None."""
    if single_threaded(s):
        return None
    if s.get('verdict') != 'SUCCESS':
        return 'failure'
    if excused_stale(s.get('stats')):
        return 'stale-warn'
    return None


def seen(s):
    """What run s showed, as a set of names (see the usage text)."""
    st = s.get('stats') or {}
    out = set()
    for k, v in st.items():
        if k.startswith('anomalies.') and isinstance(v, int) and v > 0:
            out.add('anomaly:' + k[len('anomalies.'):])
    if excused_stale(st):
        out.add('anomaly:stale')
    if st.get('verdict') == 'FAILURE' and not out:
        out.add('storm-failure')
    kinds = {f.get('kind') for f in s.get('failures') or []}
    out |= kinds - {'EXIT_STATUS', None}
    if not out and 'EXIT_STATUS' in kinds:
        out.add('EXIT_STATUS')
    return out


def stale_words(s):
    """'N stale calls (excused) in M toggles' for run s."""
    st = s.get('stats')
    if not st:
        return 'no storm stats'
    n, e = count(st, 'stale'), excused_stale(st)
    note = '' if not e else ' (excused)' if e == n else ' (%d excused)' % e
    return '%d stale call%s%s in %d toggles' % (n, '' if n == 1 else 's', note,
                                              count(st, 'toggles'))


def why_failed(s):
    """The storm's own reason for a FAILURE where it has one, else the run's."""
    st = s.get('stats') or {}
    if st.get('verdict') == 'FAILURE' and st.get('reason'):
        return st['reason']
    return s.get('reason') or 'no reason'


def showed(s):
    """What run s showed, in words."""
    what = ', '.join(sorted(seen(s))) or s.get('reason') or s.get('verdict')
    if count(s.get('stats'), 'stale'):
        what += ', %s' % stale_words(s)
    return what


def plan(s):
    """(needed, why) for run s."""
    if single_threaded(s):
        return False, 'not-applicable', 'run under tcg=%s, already single-threaded' % s.get('tcg')
    t = trigger(s)
    if t == 'failure':
        return True, t, 'FAILURE under MTTCG: %s' % why_failed(s)
    if t == 'stale-warn':
        return True, t, 'SUCCESS under MTTCG with %s' % stale_words(s)
    return False, 'not-needed', 'SUCCESS under MTTCG, no stale calls excused'


def decide(multi, single, rerun_rc):
    """(result, reason) of the cross-check of run multi by re-run single
    (None when the re-run left no summary)."""
    if single is None or rerun_rc not in (0, 1):
        return 'inconclusive', 'the re-run under single-threaded TCG could not be made (runner exit %s)' % rerun_rc
    if single.get('kernel_entry') != multi.get('kernel_entry'):
        return 'inconclusive', 'the re-run booted another kernel (%s)' % single.get('kernel_entry')
    sm, ss = seen(multi), seen(single)
    common = sm & ss
    vs = single.get('verdict')
    if common:
        why = 'single-threaded TCG shows %s too' % ', '.join(sorted(common))
        if sm - ss:
            why += '; not %s' % ', '.join(sorted(sm - ss))
        if 'anomaly:stale' in common:
            why += ' (%s; MTTCG: %s)' % (stale_words(single), stale_words(multi))
        return 'confirmed', why
    if ss & INCOMPLETE:
        return 'inconclusive', 'the re-run did not complete: %s' % (single.get('reason') or '?')
    tm = count(multi.get('stats'), 'toggles')
    if multi.get('stats') and single.get('stats') is not None and tm and \
            not count(single.get('stats'), 'toggles'):
        return 'inconclusive', 'the re-run toggled nothing (MTTCG: %d toggles)' % tm
    if vs == 'SUCCESS':
        why = 'single-threaded TCG: SUCCESS'
        if single.get('stats'):
            why += ', %s' % stale_words(single)
        if ss:
            why += ', showing only %s' % ', '.join(sorted(ss))
        return 'mttcg-only', '%s; MTTCG: %s' % (why, showed(multi))
    return 'different', 'single-threaded TCG fails otherwise: %s; MTTCG: %s' % (
        showed(single), showed(multi))


def judge(multi, single, rerun_rc, results, boots=1):
    """The cross_check dict and the final (verdict, reason) of run multi."""
    result, why = decide(multi, single, rerun_rc)
    t = trigger(multi)
    xc = {
        'trigger': t,
        'verdict_multi': multi.get('verdict'),
        'verdict_single': single.get('verdict') if single else None,
        'result': result,
        'reason': why,
        'results': results,
        'rerun_exit': rerun_rc,
        'boots': boots,
        'wall_s': single.get('wall_s') if single else None,
        'seen_multi': sorted(seen(multi)),
        'seen_single': sorted(seen(single)) if single else None,
    }
    verdict, reason = multi.get('verdict'), multi.get('reason')
    if t == 'stale-warn' and result == 'confirmed':
        verdict = 'FAILURE'
        reason = 'cross-check: stale calls excused under MTTCG, and under single-threaded TCG too: %s' % \
            stale_words(single)
    return xc, verdict, reason


def load(path):
    with open(path) as f:
        return json.load(f)


def save(path, s):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(s, f, indent=2)
        f.write('\n')
    os.replace(tmp, path)


def verdict_line(verdict, reason):
    return 'SUCCESS' if verdict == 'SUCCESS' else 'FAILURE: %s' % reason


def main(argv):
    if argv[:1] in (['-h'], ['--help']):
        print(__doc__.strip())
        return 0
    usage = 'usage: cross-check.py plan RESULTS | judge RESULTS RERUN-EXIT [BOOTS]'
    if len(argv) < 2 or argv[0] not in ('plan', 'judge') or \
            len(argv) not in ((2,) if argv[0] == 'plan' else (3, 4)):
        print('cross-check.py: error: %s' % usage, file=sys.stderr)
        return 2
    res = argv[1]
    path = os.path.join(res, 'summary.json')
    try:
        s = load(path)
        if argv[0] == 'plan':
            needed, what, why = plan(s)
            if needed:
                print('%s: %s' % (what, why))
                return 0
            s['cross_check'] = {'trigger': None, 'verdict_multi': None, 'verdict_single': None,
                                'result': what, 'reason': why}
            save(path, s)
            print('%s: %s' % (what, why))
            return 1
        try:
            rc, boots = int(argv[2]), int((argv[3:] or ['1'])[0])
        except ValueError:
            print('cross-check.py: error: RERUN-EXIT and BOOTS must be numbers, not %r' %
                  ' '.join(argv[2:]), file=sys.stderr)
            return 2
        xdir = os.path.join(res, XCHECK)
        try:
            single = load(os.path.join(xdir, 'summary.json'))
        except (OSError, ValueError):
            single = None
        xc, verdict, reason = judge(s, single, rc, xdir, boots)
        s['cross_check'] = xc
        s['verdict'], s['reason'] = verdict, reason
        save(path, s)
    except (OSError, ValueError, KeyError) as e:
        print('cross-check.py: error: %s' % e, file=sys.stderr)
        return 3
    print('cross-check: %s: %s' % (xc['result'], xc['reason']))
    print(verdict_line(verdict, reason))
    return 0 if verdict == 'SUCCESS' else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
