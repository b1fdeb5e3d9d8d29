#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installing on a test system, tried against Debian's x86_64 kernel headers
# from the cache, without touching the host's /lib/modules, /usr/src or
# /var/lib/dkms:
#  - make install DESTDIR=D PREFIX=/usr: the module in
#    D/lib/modules/<release>/extra/ (where patchstorm run looks; .ko.xz:
#    Debian's kernel compresses modules) built for that kernel, the CLI in
#    D/usr/bin;
#  - DKMS (dkms.conf): make dkms with private trees (--dkmstree,
#    --sourcetree, --installtree, --kernelsourcedir, --no-depmod) builds,
#    signs (a private key) and installs it into updates/dkms/; after dkms
#    uninstall, dkms autoinstall (what a new kernel's hook runs) puts it
#    back (AUTOINSTALL), and does nothing for a copy without AUTOINSTALL;
#    dkms remove takes it away.
# dkms is installed with apt if missing (--no-install-recommends: with its
# recommends it would pull linux-headers-amd64), after a simulation shows
# it brings no kernel, headers or bootloader; where it cannot be, the DKMS
# part is a skip.
. "$(dirname "$0")/lib.sh"
PS=$ROOT/tools/build/host/patchstorm
make -s -C "$ROOT/tools" >/dev/null || fail "cannot build the host CLI"

entry=$("$ROOT/scripts/build-kernel.sh" --arch x86_64 2>"$RES/build.err" | tail -n1) ||
	{ cat "$RES/build.err"; fail "no x86_64 kernel entry"; }
kdir=$(cat "$entry/kdir")
rel=$(cat "$entry/release")
cfg=$(ls "$entry"/pkg/boot/config-* | head -n1)
signfile=$(ls "$entry"/pkg/usr/lib/linux-kbuild-*/scripts/sign-file | head -n1)
[ -x "$signfile" ] || fail "no sign-file in the cached kbuild"
echo "kernel $rel, headers $kdir"

# What must stay as it is on the host.
host_paths=(/lib/modules/"$rel" /usr/src/patchstorm-0.1 /var/lib/dkms/patchstorm
	/var/lib/dkms/mok.key /usr/local/bin/patchstorm)
for p in "${host_paths[@]}"; do
	[ ! -e "$p" ] || fail "$p exists before the test: cannot tell whether the test wrote it"
done
host_untouched() {
	for p in "${host_paths[@]}"; do
		[ ! -e "$p" ] || fail "$p was created on the host"
	done
}

# -- make install into a staging directory, from a copy of the sources
src=$RES/src
mkdir -p "$src"
rsync -a --exclude build/ "$ROOT"/{Makefile,Kbuild,LICENSE,dkms.conf,module,tools} "$src/" ||
	fail "cannot copy the sources"
dest=$RES/dest
t0=$SECONDS
make -s -C "$src" install KDIR="$kdir" DESTDIR="$dest" PREFIX=/usr >"$RES/install.log" 2>&1 ||
	{ tail -n 20 "$RES/install.log"; fail "make install DESTDIR=$dest failed"; }
ko=$(ls "$dest/lib/modules/$rel/extra/patchstorm.ko"* 2>/dev/null | head -n1)
[ -f "$ko" ] || fail "make install: no $dest/lib/modules/$rel/extra/patchstorm.ko*; got: $(cd "$dest" && find . -type f | head)"
[ -x "$dest/usr/bin/patchstorm" ] || fail "make install: no $dest/usr/bin/patchstorm"
"$dest/usr/bin/patchstorm" --version >/dev/null || fail "the installed CLI does not run"
"$PS" doctor --module "$ko" --release "$rel" --machine x86_64 --config "$cfg" \
	--proc-root "$RES/none" --sys-root "$RES/none" >"$RES/doctor-install.txt" 2>&1
grep -q "vermagic matches $rel" "$RES/doctor-install.txt" ||
	{ cat "$RES/doctor-install.txt"; fail "the installed module is not built for $rel"; }
left=$(cd "$dest" && find . -type f | grep -v -e "^./lib/modules/$rel/extra/patchstorm.ko" -e '^./usr/bin/patchstorm$' || true)
[ -z "$left" ] || fail "make install wrote elsewhere under DESTDIR: $left"
host_untouched
echo "make install: $(cd "$dest" && find . -type f | sort | tr '\n' ' ')($((SECONDS - t0)) s)"

# -- DKMS
if ! command -v dkms >/dev/null; then
	sim=$(apt-get -s install --no-install-recommends dkms 2>&1) ||
		skip "dkms is not installed and apt cannot install it: $(tail -n1 <<<"$sim")"
	bad=$(awk '$1 == "Inst" { print $2 }' <<<"$sim" |
		grep -E '^(linux-image|linux-headers|linux-signed|grub|initramfs-tools|dracut|systemd-boot|shim)' || true)
	[ -z "$bad" ] || skip "installing dkms would bring $(echo $bad)"
	[ "$(id -u)" = 0 ] || skip "dkms is not installed (as root: apt-get install --no-install-recommends dkms)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dkms \
		>"$RES/apt.log" 2>&1 || skip "apt-get install dkms failed: $(tail -n1 "$RES/apt.log")"
fi
echo "$(dkms --version)"
t=$RES/dkms
mkdir -p "$t/lib/modules/$rel" "$t/var/lib/dkms"
flags="--dkmstree $t/var/lib/dkms --sourcetree $t/usr/src --installtree $t/lib/modules --kernelsourcedir $kdir --no-depmod"
# signing with a private key (dkms reads these like framework.conf's)
export sign_file=$signfile mok_signing_key=$t/mok.key mok_certificate=$t/mok.pub
t0=$SECONDS
make -C "$src" dkms DESTDIR="$t" DKMS_FLAGS="$flags" DKMS_KERNEL="$rel" >"$RES/dkms.log" 2>&1 ||
	{ tail -n 20 "$RES/dkms.log"; fail "make dkms failed"; }
dko=$(ls "$t/lib/modules/$rel/updates/dkms/patchstorm.ko"* 2>/dev/null | head -n1)
[ -f "$dko" ] || fail "dkms install: no $t/lib/modules/$rel/updates/dkms/patchstorm.ko*"
[ -f "$t/usr/src/patchstorm-0.1/dkms.conf" ] || fail "make dkms-src: no dkms.conf in the source tree"
[ ! -e "$t/usr/src/patchstorm-0.1/tools" ] || fail "make dkms-src copied tools/"
plain() { case $1 in *.xz) xz -dc "$1" ;; *.zst) zstd -qdc "$1" ;; *.gz) gzip -dc "$1" ;; *) cat "$1" ;; esac; }
[ "$(plain "$dko" | tail -c 28)" = "~Module signature appended~" ] || fail "the DKMS module is not signed"
[ -s "$t/mok.pub" ] || fail "no private signing key made"
st=$(dkms status $flags patchstorm/0.1 2>&1)
echo "dkms status: $st"
grep -q "patchstorm/0.1, $rel, x86_64: installed" <<<"$st" || fail "dkms status: $st"
"$PS" doctor --modules-dir "$t/lib/modules" --release "$rel" --machine x86_64 --config "$cfg" \
	--proc-root "$RES/none" --sys-root "$RES/none" >"$RES/doctor-dkms.txt" 2>&1
grep -q "updates/dkms/patchstorm.ko.*: vermagic matches $rel" "$RES/doctor-dkms.txt" ||
	{ cat "$RES/doctor-dkms.txt"; fail "doctor does not find the DKMS module"; }
echo "make dkms: built, signed, installed as ${dko#"$t"/} ($((SECONDS - t0)) s)"

dkms uninstall $flags -k "$rel" patchstorm/0.1 >"$RES/uninstall.log" 2>&1 ||
	{ cat "$RES/uninstall.log"; fail "dkms uninstall failed"; }
[ ! -e "$dko" ] || fail "dkms uninstall left $dko"
# a new kernel's hook runs dkms autoinstall: AUTOINSTALL=yes puts it back
dkms autoinstall $flags -k "$rel" >"$RES/autoinstall.log" 2>&1 ||
	{ tail -n 20 "$RES/autoinstall.log"; fail "dkms autoinstall failed"; }
[ -f "$dko" ] || fail "dkms autoinstall did not install $dko (AUTOINSTALL?)"
dkms remove $flags -k "$rel" patchstorm/0.1 >"$RES/remove.log" 2>&1 ||
	{ cat "$RES/remove.log"; fail "dkms remove failed"; }
[ ! -e "$dko" ] || fail "dkms remove left $dko"
dkms status $flags patchstorm/0.1 2>/dev/null | grep -q . && fail "dkms remove: still in dkms status"
# ... and the test can fail: without AUTOINSTALL, autoinstall leaves it out
n=$RES/dkms-noauto
mkdir -p "$n/lib/modules/$rel" "$n/var/lib/dkms" "$n/usr/src"
cp -r "$t/usr/src/patchstorm-0.1" "$n/usr/src/"
sed -i '/^AUTOINSTALL=/d' "$n/usr/src/patchstorm-0.1/dkms.conf"
nflags="--dkmstree $n/var/lib/dkms --sourcetree $n/usr/src --installtree $n/lib/modules --kernelsourcedir $kdir --no-depmod"
dkms add $nflags patchstorm/0.1 >"$RES/noauto.log" 2>&1 || { cat "$RES/noauto.log"; fail "dkms add (no AUTOINSTALL) failed"; }
dkms autoinstall $nflags -k "$rel" >>"$RES/noauto.log" 2>&1
! ls "$n/lib/modules/$rel/updates/dkms/patchstorm.ko"* >/dev/null 2>&1 ||
	fail "dkms autoinstall installed a module whose dkms.conf has no AUTOINSTALL: the check is blind"
host_untouched
pass "make install DESTDIR; make dkms: built for $rel, signed, installed, autoinstalled, removed"
