#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's own LAVA dispatcher (lava-run), unpacked into the cache instead
# of installed, and print the directory it is in.
#
#   scripts/lava/dispatcher.sh [--check]
#
# Installing the lava-dispatcher package would change the host: even with
# --no-install-recommends it pulls linux-headers-amd64 (through
# lava-dispatcher-host), systemd, udev and grub-common. So the Python code
# of lava-dispatcher, lava-dispatcher-host, lava-common, the Python
# modules they import that the host lacks, and lava-server's device-type
# templates (to render a device dictionary without a server) are fetched
# with `apt-get download` from the host's configured archive (apt checks
# their signatures) and unpacked with dpkg-deb -x into
# $PATCHSTORM_CACHE/lava/<version>/root. Nothing is installed.
# libguestfs (python3-guestfs), which lava-dispatcher imports but uses only
# for disk images, is replaced by a stub that fails if called: the jobs
# patchstorm generates boot a cpio ramdisk, to which LAVA adds its test
# overlay itself (format cpio.newc).
#
# --check: only show what `apt-get install lava-dispatcher` would bring
# (apt-get -s), and why it is not installed.
# Out: the directory; run `$DIR/lava-run ...` (a wrapper setting PYTHONPATH).
# Exit 3 when the packages cannot be fetched.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

check=0
while [ $# -gt 0 ]; do
	case "$1" in
	--check) check=1 ;;
	-h|--help) ps_help; exit 0 ;;
	*) ps_usage_error "unknown option '$1'" ;;
	esac
	shift
done

# Fetched and unpacked; the versions come from apt.
PKGS=(lava-dispatcher lava-dispatcher-host lava-common lava-server)
# Python modules lava-dispatcher imports, by Debian package
PYPKGS=(python3-aiohttp python3-multidict python3-yarl python3-async-timeout
	python3-frozenlist python3-aiosignal python3-attr python3-configobj
	python3-magic python3-netifaces python3-pyudev python3-setproctitle
	python3-tz python3-voluptuous python3-jinja2 python3-markupsafe
	python3-yaml python3-requests python3-pexpect python3-ptyprocess)

if [ $check = 1 ]; then
	apt-get -s install --no-install-recommends lava-dispatcher 2>&1 |
		awk '$1 == "Inst" { print $2 }' >"${TMPDIR:-/tmp}/lava-sim.$$" ||
		ps_env_error "apt-get -s install lava-dispatcher failed"
	echo "apt-get install --no-install-recommends lava-dispatcher would install $(wc -l <"${TMPDIR:-/tmp}/lava-sim.$$") packages, among them:"
	grep -E '^(linux-image|linux-headers|linux-signed|grub|initramfs-tools|dracut|systemd|udev|shim)' \
		"${TMPDIR:-/tmp}/lava-sim.$$" | sed 's/^/  /'
	rm -f "${TMPDIR:-/tmp}/lava-sim.$$"
	exit 0
fi

command -v dpkg-deb >/dev/null || ps_env_error "dpkg-deb not found"
ver=$(apt-cache show lava-dispatcher 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n1)
[ -n "$ver" ] || ps_env_error "apt knows no lava-dispatcher package (apt-get update?)"
dir=$PS_CACHE/lava/$ver
if [ ! -f "$dir/.complete" ]; then
	fetch() {
		local dl=$dir/debs p pkgs=()
		[ ! -f "$dir/.complete" ] || return 0
		rm -rf "$dir" && mkdir -p "$dl" "$dir/root" "$dir/stub"
		for p in "${PKGS[@]}"; do pkgs+=("$p=$ver"); done
		ps_info "downloading ${PKGS[*]} $ver and ${#PYPKGS[@]} Python packages"
		(cd "$dl" && apt-get -q download "${pkgs[@]}" "${PYPKGS[@]}") >"$dir/download.log" 2>&1 ||
			ps_env_error "apt-get download failed; see $dir/download.log"
		for p in "$dl"/*.deb; do
			dpkg-deb -x "$p" "$dir/root" || ps_env_error "cannot unpack $p"
		done
		cat >"$dir/stub/guestfs.py" <<'PY'
# Stand-in for python3-guestfs (libguestfs), which lava-dispatcher imports
# but needs only for disk images; patchstorm's jobs boot a cpio ramdisk.
class GuestFS:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("libguestfs is not available in this dispatcher")
PY
		cat >"$dir/lava-run" <<SH
#!/bin/sh
# Debian's lava-run $ver from $dir/root (not installed)
PYTHONPATH=$dir/root/usr/lib/python3/dist-packages:$dir/stub\${PYTHONPATH:+:\$PYTHONPATH} \\
	exec python3 $dir/root/usr/bin/lava-run "\$@"
SH
		chmod +x "$dir/lava-run"
		rm -rf "$dl"
		"$dir/lava-run" --help >/dev/null 2>"$dir/check.log" ||
			ps_env_error "the unpacked lava-run does not start; see $dir/check.log"
		touch "$dir/.complete"
	}
	ps_locked "$PS_CACHE/lava.lock" fetch
fi
echo "$dir"
