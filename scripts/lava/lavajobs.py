#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers for patchstorm's LAVA jobs (used by make-jobs.sh and run-local.sh).

  lavajobs.py ramdisk BASE.cpio INIT OUT.cpio.gz
      one newc archive: BASE's entries (the runner's initramfs) with INIT
      as /init, gzip-compressed (LAVA unpacks it with cpio to add its test
      overlay, and GNU cpio reads only the first of concatenated archives)
  lavajobs.py jobs OUT-DIR BASE-URL TESTDEF ARCH-INFO.json < RUNS
      a LAVA job definition per campaign run (campaign.sh --list lines)
  lavajobs.py device JOB.yaml TEMPLATE-DIR OUT.yaml
      the device dictionary for a local QEMU "device": lava-server's
      device-type template qemu.jinja2 rendered with the job's context, as
      the server would
  lavajobs.py results LAVA-LOG OUT.json
      the test cases of a lava-run log (its "results" lines); prints a
      table; exit 0 when the job completed and no case failed, 1 when a
      case failed, 3 when the job did not complete
"""
import gzip
import json
import os
import sys

import yaml

# ---- ramdisk -------------------------------------------------------------


def newc_entries(data):
    """(name, header fields, file data) of each entry of a newc archive."""
    off = 0
    while off + 110 <= len(data):
        magic = data[off:off + 6]
        if magic not in (b'070701', b'070702'):
            raise ValueError('not a newc cpio archive at offset %d' % off)
        f = [int(data[off + 6 + 8 * i:off + 14 + 8 * i], 16) for i in range(13)]
        namesize, filesize = f[11], f[6]
        nstart = off + 110
        name = data[nstart:nstart + namesize - 1].decode()
        dstart = (nstart + namesize + 3) & ~3
        body = data[dstart:dstart + filesize]
        off = (dstart + filesize + 3) & ~3
        if name == 'TRAILER!!!':
            return
        yield name, f, body


def newc_entry(name, fields, body):
    f = list(fields)
    f[6] = len(body)
    f[11] = len(name) + 1
    hdr = b'070701' + b''.join(b'%08X' % v for v in f)
    out = hdr + name.encode() + b'\0'
    out += b'\0' * (-len(out) % 4)
    out += body + b'\0' * (-len(body) % 4)
    return out


def ramdisk(base, init, out):
    data = open(base, 'rb').read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    parts, ino = [], 0
    for name, f, body in newc_entries(data):
        ino = max(ino, f[0])
        if name in ('init', './init'):
            continue
        parts.append(newc_entry(name, f, body))
    body = open(init, 'rb').read()
    # ino mode uid gid nlink mtime size devmaj devmin rdevmaj rdevmin namesize check
    fields = [ino + 1, 0o100755, 0, 0, 1, int(os.path.getmtime(init)), 0, 0, 0, 0, 0, 0, 0]
    parts.append(newc_entry('init', fields, body))
    parts.append(newc_entry('TRAILER!!!', [0] * 13, b''))
    with gzip.open(out, 'wb', compresslevel=6) as f:
        f.write(b''.join(parts))


# ---- jobs ----------------------------------------------------------------

QEMU = {
    # LAVA context for qemu.jinja2: machine/cpu where it needs them, the
    # rest as extra options; the same emulation as scripts/qemu-run.sh
    'riscv64': {'arch': 'riscv64', 'console': 'ttyS0', 'tcg': 'multi',
                'extra': ['-bios default']},
    'x86_64': {'arch': 'x86_64', 'console': 'ttyS0', 'tcg': 'single',
               'extra': ['-cpu max']},
    'arm64': {'arch': 'arm64', 'console': 'ttyAMA0', 'tcg': 'multi',
              'machine': 'virt,gic-version=3', 'cpu': 'cortex-a57', 'extra': []},
}


def job(run, info, base_url, testdef):
    name, arch, cpus, tcg, dur, what = run
    q = QEMU[arch]
    tcg = q['tcg'] if tcg == '-' else tcg
    extra = ['-smp %s' % cpus]
    if tcg == 'icount':
        extra += ['-accel tcg,thread=single', '-icount shift=3,sleep=off']
    else:
        extra += ['-accel tcg,thread=%s' % tcg]
    extra += q['extra']
    ctx = {'arch': q['arch'], 'no_kvm': True, 'memory': 1024, 'netdevice': 'user',
           'extra_options': extra}
    for k in ('machine', 'cpu'):
        if k in q:
            ctx[k] = q[k]
    scenario, storm = 'default', []
    for w in what.split():
        if w.startswith('scenario='):
            scenario = os.path.basename(w.split('=', 1)[1])
            if scenario.endswith('.sh'):
                scenario = scenario[:-3]
        elif w.startswith('flavor='):
            continue  # make-jobs.sh refuses any flavour but normal
        else:
            storm.append(w)
    dur = int(dur)
    url = '%s/%s' % (base_url.rstrip('/'), info['dir'])
    kargs = 'console=%s,115200 printk.time=1 oops=panic rdinit=/init' % q['console']
    test_min = (dur + 60 + 240 + 59) // 60
    params = {'DURATION': str(dur), 'STORM': ' '.join(storm), 'SCENARIO': scenario,
              'TCG': tcg}
    return {
        'device_type': 'qemu',
        'job_name': 'patchstorm %s: %s %s, %s vCPUs, tcg %s, %ds' % (
            name, arch, info['release'], cpus, tcg, dur),
        'timeouts': {'job': {'minutes': test_min + 20}, 'action': {'minutes': 10},
                     'connection': {'minutes': 2}},
        'priority': 'medium',
        'visibility': 'public',
        'context': ctx,
        'metadata': {'patchstorm.run': name, 'patchstorm.arch': arch,
                     'patchstorm.kernel': info['release'], 'patchstorm.tcg': tcg,
                     'patchstorm.storm': ' '.join(storm) or 'default'},
        'actions': [
            {'deploy': {
                'to': 'tmpfs',
                'timeout': {'minutes': 10},
                'images': {
                    'kernel': {'image_arg': '-kernel {kernel} -append "%s"' % kargs,
                               'url': '%s/kernel' % url,
                               'sha256sum': info['sha256']['kernel']},
                    'ramdisk': {'image_arg': '-initrd {ramdisk}',
                                'url': '%s/rootfs.cpio.gz' % url,
                                'sha256sum': info['sha256']['rootfs.cpio.gz'],
                                'compression': 'gz',
                                'format': 'cpio.newc',
                                'overlays': {
                                    'lava': True,
                                    # the module, the CLI, the scenarios
                                    'patchstorm': {
                                        'url': '%s/patchstorm.tar.gz' % url,
                                        'sha256sum': info['sha256']['patchstorm.tar.gz'],
                                        'format': 'tar', 'path': '/'}}}}}},
            {'boot': {
                'method': 'qemu',
                'media': 'tmpfs',
                'timeout': {'minutes': 5},
                'prompts': ['patchstorm:/# ']}},
            {'test': {
                'timeout': {'minutes': test_min},
                'definitions': [{
                    'from': 'inline',
                    'name': 'patchstorm',
                    'path': 'inline/patchstorm.yaml',
                    'repository': testdef,
                    'parameters': params}]}},
        ],
    }


def jobs(out, base_url, testdef_path, info_path):
    testdef = yaml.safe_load(open(testdef_path))
    info = json.load(open(info_path))
    os.makedirs(os.path.join(out, 'jobs'), exist_ok=True)
    n = 0
    for line in sys.stdin:
        run = line.rstrip('\n').split('\t')
        if len(run) < 6:
            run += [''] * (6 - len(run))
        path = os.path.join(out, 'jobs', run[0] + '.yaml')
        with open(path, 'w') as f:
            f.write('# LAVA job: patchstorm campaign run %s (scripts/lava/make-jobs.sh)\n'
                    % run[0])
            yaml.safe_dump(job(run, info[run[1]], base_url, testdef), f,
                           sort_keys=False, default_flow_style=False, width=100)
        print(path)
        n += 1
    if not n:
        sys.exit('lavajobs.py: no runs')


# ---- device dictionary -----------------------------------------------------


def device(job_path, templates, out):
    import jinja2
    job = yaml.safe_load(open(job_path))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([templates]),
                             autoescape=False, trim_blocks=True)
    # the device dictionary a lab would keep for a QEMU worker, rendered
    # with the job's context, as lava-server does
    text = env.from_string("{%% extends '%s.jinja2' %%}\n{%% set mac_addr = '52:54:00:12:34:59' %%}\n"
                           % job['device_type']).render(**job.get('context', {}))
    dev = yaml.safe_load(text)
    if not dev or 'actions' not in dev:
        sys.exit('lavajobs.py: the %s template rendered no device' % job['device_type'])
    with open(out, 'w') as f:
        f.write(text)


# ---- results -------------------------------------------------------------


def results(log_path, out):
    cases, errors, status = [], [], None
    for line in open(log_path, errors='replace'):
        # one log entry a line: JSON (lava-run's log without a server),
        # or "- {...}" (a job log as a server keeps it)
        line = line[2:] if line.startswith('- ') else line
        if not line.startswith('{'):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            try:
                entry = yaml.safe_load(line)
            except yaml.YAMLError:
                continue
        if not isinstance(entry, dict):
            continue
        msg, lvl = entry.get('msg'), entry.get('lvl')
        if lvl == 'results' and isinstance(msg, dict):
            cases.append({k: msg.get(k) for k in
                          ('definition', 'case', 'result', 'measurement', 'units')
                          if msg.get(k) is not None})
            if msg.get('definition') == 'lava' and msg.get('case') == 'job':
                status = msg.get('result')
        elif lvl == 'error':
            errors.append(str(msg))
    tests = [c for c in cases if c.get('definition') != 'lava']
    failed = [c for c in tests if c['result'] == 'fail']
    summary = {'job': status, 'cases': cases, 'errors': errors,
               'count': {r: sum(c['result'] == r for c in tests)
                         for r in ('pass', 'fail', 'skip')}}
    json.dump(summary, open(out, 'w'), indent=2)
    for c in cases:
        m = ' %s %s' % (c['measurement'], c.get('units', '')) if 'measurement' in c else ''
        print('%-14s %-38s %s%s' % (c.get('definition', ''), c.get('case', ''),
                                    c['result'], m))
    print('job %s: %d test cases: %d pass, %d fail, %d skip' % (
        status, len(tests), summary['count']['pass'], summary['count']['fail'],
        summary['count']['skip']))
    if status != 'pass':
        for e in errors[:5]:
            print('error: ' + e)
        sys.exit(3)
    sys.exit(1 if failed else 0)


def main(argv):
    cmds = {'ramdisk': (ramdisk, 3), 'jobs': (jobs, 4), 'device': (device, 3),
            'results': (results, 2)}
    if len(argv) == 2 and argv[1] in ('-h', '--help'):
        sys.stdout.write(__doc__)
        return 0
    if len(argv) < 2 or argv[1] not in cmds or len(argv) - 2 != cmds[argv[1]][1]:
        sys.stderr.write(__doc__)
        return 2
    cmds[argv[1]][0](*argv[2:])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
