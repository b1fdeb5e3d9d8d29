#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run one LAVA job from make-jobs.sh end to end on this machine, with
# Debian's own lava-run (scripts/lava/dispatcher.sh) and no server: the
# device is QEMU here, its device dictionary lava-server's qemu.jinja2
# template rendered with the job's context (as a lab's server would), and
# the dispatcher keeps its temporary files under the output directory,
# not in /var/lib/lava.
#
#   scripts/lava/run-local.sh [--out DIR] [--validate] JOB.yaml
#
# Out: DIR (default <jobs dir>/../runs/<job>/): device.yaml,
# dispatcher.yaml, lava.log (lava-run's YAML log), results.json (every
# test case: definition, case, result, measurement, units), and the test
# cases printed as a table. --validate: only check the job (lava-run
# --validate).
# Exit 0 the job completed and no test case failed, 1 a test case failed,
# 2 bad usage, 3 the job did not complete (or no dispatcher).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

out=
validate=0
job=
while [ $# -gt 0 ]; do
	case "$1" in
	--out) [ -n "${2:-}" ] || ps_usage_error "--out needs a directory"; out=$2; shift ;;
	--validate) validate=1 ;;
	-h|--help) ps_help; exit 0 ;;
	-*) ps_usage_error "unknown option '$1' (see --help)" ;;
	*) [ -z "$job" ] || ps_usage_error "one job at a time"; job=$1 ;;
	esac
	shift
done
[ -n "$job" ] || ps_usage_error "which job? (see --help)"
[ -f "$job" ] || ps_usage_error "no job file '$job'"
job=$(realpath "$job")
name=$(basename "$job" .yaml)
out=${out:-$(dirname "$(dirname "$job")")/runs/$name}
mkdir -p "$out" || ps_env_error "cannot create $out"
out=$(cd "$out" && pwd)

lava=$("$PS_ROOT/scripts/lava/dispatcher.sh" | tail -n1) || exit 3
templates=$lava/root/usr/share/lava-server/device-types
[ -f "$templates/qemu.jinja2" ] || ps_env_error "no qemu.jinja2 in $templates"
PYTHONPATH=$lava/root/usr/lib/python3/dist-packages python3 "$PS_ROOT/scripts/lava/lavajobs.py" \
	device "$job" "$templates" "$out/device.yaml" || ps_env_error "cannot render the device dictionary"
# lava-run puts its temporary files in /var/lib/lava/dispatcher/tmp/<prefix><job id>;
# an absolute prefix moves them here
rm -rf "$out/tmp" "$out/output"
mkdir -p "$out/tmp" "$out/output"
printf 'prefix: "%s/"\ndispatcher_ip: 127.0.0.1\n' "$out/tmp" >"$out/dispatcher.yaml"
id=$$
args=(--job-id "$id" --output-dir "$out/output" --device "$out/device.yaml"
	--dispatcher "$out/dispatcher.yaml")
if [ $validate = 1 ]; then
	"$lava/lava-run" "${args[@]}" --validate "$job" >"$out/validate.log" 2>&1 ||
		{ tail -n 20 "$out/validate.log" >&2; ps_env_error "lava-run --validate $job failed; see $out/validate.log"; }
	echo "valid: $job"
	exit 0
fi
ps_info "lava-run $name (log: $out/lava.log)"
rc=0
"$lava/lava-run" "${args[@]}" "$job" >"$out/lava.log" 2>&1 || rc=$?
[ ! -d /var/lib/lava/dispatcher/tmp/$id ] || ps_warn "lava-run wrote /var/lib/lava/dispatcher/tmp/$id"
rm -rf "$out/tmp"
python3 "$PS_ROOT/scripts/lava/lavajobs.py" results "$out/lava.log" "$out/results.json" || exit $?
[ $rc = 0 ] || ps_env_error "lava-run exited $rc; see $out/lava.log"
