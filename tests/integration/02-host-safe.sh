#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Setting up never changes how the host boots: nothing setup-host.sh would
# install (with every dependency, on an empty system) is a kernel, kernel
# headers, an initramfs generator or a bootloader; a riscv64-only setup
# wants no x86 or arm64 package; the x86_64 guest kernel and its headers
# come from the cache, not from packages installed into the host.
. "$(dirname "$0")/lib.sh"

all=$("$ROOT/scripts/setup-host.sh" --list) || fail "setup-host.sh --list failed"
rv=$("$ROOT/scripts/setup-host.sh" --list --arch riscv64) || fail "--list --arch riscv64 failed"
echo "wanted: $(echo $all)"

# What apt would install for that list on a system with nothing installed
# (an empty dpkg status): the whole dependency closure.
status=$RES/empty-status
: >"$status"
# shellcheck disable=SC2086
apt-get -s -o Dir::State::status="$status" -o Debug::NoLocking=1 install --no-install-recommends $all \
	>"$RES/simulate.log" 2>&1 || { cat "$RES/simulate.log"; fail "apt-get -s install failed"; }
n=$(grep -c '^Inst ' "$RES/simulate.log")
[ "$n" -gt 50 ] || fail "simulated install lists only $n packages: not a closure"
bad=$(awk '$1 == "Inst" { print $2 }' "$RES/simulate.log" |
	grep -E '^(linux-image|linux-headers|linux-signed|grub|initramfs-tools|dracut|systemd-boot|shim)' || true)
[ -z "$bad" ] || fail "setup would install boot-changing packages: $(echo $bad)"
echo "simulated closure: $n packages, none touching /boot"

# The check above can fail: the package the old setup installed is caught.
apt-get -s -o Dir::State::status="$status" -o Debug::NoLocking=1 install --no-install-recommends \
	"$(printf 'linux-headers-%s+deb12-amd64' "$(. "$ROOT/scripts/lib.sh"; ps_x86_kernel_version)")" \
	2>/dev/null | awk '$1 == "Inst" { print $2 }' | grep -q '^linux-image' ||
	fail "a linux-headers-*-amd64 install does not show its image in the simulation: the check is blind"

for p in qemu-system-x86 gcc-aarch64-linux-gnu qemu-system-arm; do
	! grep -qx "$p" <<<"$rv" || fail "a riscv64-only setup wants $p"
done
grep -qx gcc-riscv64-linux-gnu <<<"$rv" || fail "a riscv64 setup lacks its cross compiler"

# The x86_64 guest kernel entry: headers and image under the cache.
entry=$("$ROOT/scripts/build-kernel.sh" --arch x86_64 2>"$RES/build.err" | tail -n1) ||
	{ cat "$RES/build.err"; fail "build-kernel.sh --arch x86_64 failed"; }
kdir=$(cat "$entry/kdir")
case "$kdir" in
"$entry"/*) ;;
*) fail "x86_64 headers at $kdir, not in the cache entry $entry" ;;
esac
[ -f "$kdir/include/generated/autoconf.h" ] || fail "no autoconf.h under $kdir"
rel=$(cat "$entry/release")
for p in "linux-image-$rel" "linux-image-$rel-unsigned" "linux-headers-$rel"; do
	st=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" != installed ] || fail "$p is installed on the host"
done
[ ! -e "/boot/vmlinuz-$rel" ] || fail "/boot/vmlinuz-$rel exists on the host"
pass "closure of $(echo "$all" | wc -l) packages: $n to install, none for /boot; x86_64 headers in the cache"
