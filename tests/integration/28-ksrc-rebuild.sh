#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A kernel tree given with --ksrc is rebuilt whenever its sources change,
# whatever the tree: an edited tree that is not a git checkout, then the
# same tree as a git checkout whose edited file is git-ignored (Debian's
# top-level .gitignore is "/*") and then untracked: each boots the new
# kernel (a changed printk string on the console), from one kept build
# entry rebuilt incrementally. A tree that stops building leaves no
# complete entry, and the next good build resumes. Nothing changed:
# the same image boots again.
# extended: builds a riscv64 kernel from a copy of linux-source-6.12 (about 5 min cold, then 1-2 min per edit)
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/lib.sh"
BK=$ROOT/scripts/build-kernel.sh

tarball=/usr/src/$PS_KSRC_PKG.tar.xz
[ -r "$tarball" ] || fail "no $tarball (scripts/setup-host.sh installs $PS_KSRC_PKG)"
# The tree is kept between runs (a fresh copy would rebuild everything):
# only init/main.c and the git state are put back each time.
tree=$PS_CACHE/test-trees/ksrc-rebuild-6.12
if [ ! -e "$tree.ready" ]; then
	rm -rf "$tree"
	mkdir -p "$tree"
	tar -xJf "$tarball" -C "$tree" --strip-components=1 || fail "cannot extract $tarball"
	cp "$tree/init/main.c" "$tree.main.c"
	cp "$tree/.gitignore" "$tree.gitignore"
	touch "$tree.ready"
fi
rm -rf "$tree/.git"
cp "$tree.gitignore" "$tree/.gitignore"

# mark TOKEN: the init message carries TOKEN
mark() {
	sed "s/\"Run %s as init process\\\\n\"/\"Run %s as init process ($1)\\\\n\"/" "$tree.main.c" >"$tree/init/main.c"
	grep -q "init process ($1)" "$tree/init/main.c" || fail "could not edit init/main.c"
}
# boot NAME TOKEN: boot the tree's kernel; its console must carry TOKEN
boot() {
	local d=$RES/$1
	run_guest "$d" --arch riscv64 --ksrc "$tree" --cpus 1 --duration 3 --grace 20 --cmd true
	[ "$RC" = 0 ] || fail "$1: runner exit $RC ($VERDICT); see $d/console.log"
	grep -aq "Run /init as init process ($2)" "$d/console.log" ||
		fail "$1: the console lacks '($2)': the old kernel booted ($(grep -a 'as init process' "$d/console.log"))"
	IMAGE=$(json "$d/summary.json" "j['kernel_image_sha256']")
	ENTRY=$(json "$d/summary.json" "j['kernel_entry']")
	echo "$1: booted ($2), image ${IMAGE:0:12}, $(sed -n 's/^build=//p' "$ENTRY/source") build"
}

tok=$$-$(date +%s)
mark "plain-a-$tok"
boot plain-a "plain-a-$tok"
img_a=$IMAGE
entry=$ENTRY
# nothing changed: no rebuild, the same image
t0=$SECONDS
"$BK" --arch riscv64 --ksrc "$tree" >/dev/null 2>"$RES/unchanged.err" || fail "unchanged tree: $(cat "$RES/unchanged.err")"
grep -q "changed since its last build" "$RES/unchanged.err" && fail "an unchanged tree was rebuilt"
echo "unchanged tree: entry reused in $((SECONDS - t0)) s"

# a tree that is not a git checkout, edited
mark "plain-b-$tok"
boot plain-b "plain-b-$tok"
[ "$IMAGE" != "$img_a" ] || fail "edited tree: same image"
[ "$ENTRY" = "$entry" ] || fail "edited tree: a new entry $ENTRY, not the kept $entry"
[ "$(sed -n 's/^build=//p' "$ENTRY/source")" = incremental ] || fail "edited tree: not an incremental build"

# a build failure leaves no complete entry; the fixed tree builds again
printf '\nthis is not C;\n' >>"$tree/init/main.c"
"$BK" --arch riscv64 --ksrc "$tree" >/dev/null 2>"$RES/broken.err"
rc=$?
echo "[$rc] broken tree: $(tail -n1 "$RES/broken.err")"
[ $rc = 3 ] || fail "a tree that does not build: exit $rc, expected 3"
[ ! -e "$entry/.complete" ] || fail "a failed build left $entry complete"
[ ! -e "$entry/image" ] || fail "a failed build left an image in $entry"

# a git checkout: init/main.c is ignored by Debian's "/*", so git diff
# HEAD sees nothing of the edit
git -C "$tree" init -q && git -C "$tree" add -f Makefile &&
	git -C "$tree" -c user.name=t -c user.email=t@t commit -qm base || fail "git init failed"
mark "git-ignored-$tok"
[ -z "$(git -C "$tree" status --porcelain)" ] || fail "git sees the edit; the test wants it ignored"
boot git-ignored "git-ignored-$tok"
[ "$ENTRY" = "$entry" ] || fail "git tree: a new entry $ENTRY"

# the same with init/main.c untracked, not ignored
rm "$tree/.gitignore"
mark "git-untracked-$tok"
git -C "$tree" status --porcelain | grep -q '^?? init/' || fail "init/ is not untracked"
boot git-untracked "git-untracked-$tok"

# leave the tree as it was
rm -rf "$tree/.git"
cp "$tree.gitignore" "$tree/.gitignore"
cp "$tree.main.c" "$tree/init/main.c"
pass "plain, git-ignored and git-untracked edits each booted the new kernel from one entry"
