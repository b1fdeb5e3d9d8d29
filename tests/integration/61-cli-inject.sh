#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `patchstorm run --inject release-early` in a guest exits 1 with
# verdict FAILURE and stale anomalies (tests/guest/cli-inject.sh); the
# JSON says so too; the CLI tests' fake debugfs of a FAILURE has the
# keys and anomaly fields of the module's real files.
# on: riscv64
# on: x86_64
. "$(dirname "$0")/lib.sh"
arch=$ARCH
guest_checks "$arch" cli-inject.sh --cpus 2 --duration 20 --grace 40
check_fake_debugfs "$RES/$arch/out/inject-debugfs" "done" FAILURE
j=$RES/$arch/out/inject.json
[ "$(json "$j" "j['verdict'], j['exit_code']")" = "('FAILURE', 1)" ] || fail "inject.json verdict/exit_code"
# release-early trips stale (its unexpected-state may come first)
[ "$(json "$j" "'stale' in [a['kind'] for a in j['anomalies']]")" = True ] || fail "inject.json: no stale anomaly"
[ "$(json "$j" "j['stats']['first_anomaly_ns'] > 0")" = True ] || fail "inject.json: no first_anomaly_ns"
pass "$GUEST_LINE; $(json "$j" "j['reason']")"
