#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Check a KTAP file with the kernel's own parser, kunit.py parse
# (tools/testing/kunit of Debian's linux-source).
#
#   scripts/kunit-parse.sh [--json OUT] [--where] KTAP-FILE
#
# kunit.py comes from $PATCHSTORM_KUNIT (its path), else from a kernel
# source tree in the cache ($PATCHSTORM_CACHE/src/linux-source-*), else
# tools/testing/kunit is extracted once from /usr/src/linux-source-*.tar.xz
# into $PATCHSTORM_CACHE/kunit/. --json OUT: kunit.py's JSON (KernelCI
# test groups) into OUT. --where: print kunit.py's path and exit.
# Exit: kunit.py's (0 every test passed or skipped, 1 a failure or a
# parse error), 2 usage, 3 no kunit.py here.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

json=
where=0
file=
while [ $# -gt 0 ]; do
	case "$1" in
	--json) [ -n "${2:-}" ] || ps_usage_error "--json needs a file"; json=$2; shift ;;
	--where) where=1 ;;
	-h|--help) ps_help; exit 0 ;;
	-*) ps_usage_error "unknown option '$1'" ;;
	*) [ -z "$file" ] || ps_usage_error "one KTAP file only"; file=$1 ;;
	esac
	shift
done
[ $where = 1 ] || [ -n "$file" ] || ps_usage_error "which KTAP file? (see --help)"
[ $where = 1 ] || [ -r "$file" ] || ps_usage_error "cannot read '$file'"

find_kunit() {
	local k tarball dir
	if [ -n "${PATCHSTORM_KUNIT:-}" ]; then
		[ -f "$PATCHSTORM_KUNIT" ] || ps_env_error "PATCHSTORM_KUNIT=$PATCHSTORM_KUNIT: no such file"
		echo "$PATCHSTORM_KUNIT"
		return
	fi
	k=$(ls -d "$PS_CACHE"/src/linux-source-*/tools/testing/kunit/kunit.py \
		"$PS_CACHE"/kunit/*/tools/testing/kunit/kunit.py 2>/dev/null | sort -V | tail -n1)
	if [ -n "$k" ]; then
		echo "$k"
		return
	fi
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n1)
	[ -n "$tarball" ] ||
		ps_env_error "no kunit.py: no kernel source in $PS_CACHE/src and no /usr/src/linux-source-*.tar.xz (apt-get install $PS_KSRC_PKG, or set PATCHSTORM_KUNIT)"
	dir=$PS_CACHE/kunit/$(basename "$tarball" .tar.xz)
	ps_locked "$PS_CACHE/kunit.lock" extract_kunit "$tarball" "$dir" >&2
	echo "$dir/tools/testing/kunit/kunit.py"
}
extract_kunit() {
	local tarball=$1 dir=$2
	[ ! -f "$dir/.complete" ] || return 0
	ps_info "extracting tools/testing/kunit from $tarball"
	rm -rf "$dir" && mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1 --wildcards '*/tools/testing/kunit' ||
		{ rm -rf "$dir"; ps_env_error "cannot extract tools/testing/kunit from $tarball"; }
	touch "$dir/.complete"
}

kunit=$(find_kunit)
if [ $where = 1 ]; then
	echo "$kunit"
	exit 0
fi
command -v python3 >/dev/null || ps_env_error "python3 not found"
file=$(realpath "$file")
args=(parse)
[ -z "$json" ] || args+=(--json="$(realpath -m "$json")")
rc=0
python3 "$kunit" "${args[@]}" "$file" || rc=$?
exit $rc
