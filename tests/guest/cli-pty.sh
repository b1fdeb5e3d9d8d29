#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `patchstorm run` on a terminal, as a person sees it: inside a tmux pane
# (100x30) the progress is one line rewritten in place (\r) twice a second,
# then the report. Screens captured mid-run and at the end go to
# $OUT/pty-mid.txt, $OUT/pty-end.txt (and the whole scrollback,
# $OUT/pty-all.txt). tmux needs AF_UNIX sockets (Debian's x86_64 kernel
# has them; the riscv64 allnoconfig guest kernel does not).
. /patchstorm/lib.sh
SECS=${CLI_SECS:-8}
STALE=fail
[ "${TCG:-}" = multi ] && STALE=warn
export TERM=screen
cd /tmp || exit 1
T="tmux -f /dev/null"
$T new-session -d -s cli -x 100 -y 30 \
	"patchstorm run --module $KO --duration $SECS --stale $STALE; echo EXIT=\$?; sleep 600"
check "tmux session started" $T has-session -t cli
# mid-run: wait until the storm runs, then two screens half a second apart
i=0
while [ $i -lt 100 ] && ! $T capture-pane -p -t cli | grep -q '^running [1-9]'; do
	sleep 0.2
	i=$((i + 1))
done
$T capture-pane -p -t cli >$OUT/pty-mid.txt
sleep 1.5
$T capture-pane -p -t cli >$OUT/pty-mid2.txt
i=0
while [ $i -lt $(((SECS + 30) * 5)) ] && ! $T capture-pane -p -t cli | grep -q '^EXIT='; do
	sleep 0.2
	i=$((i + 1))
done
$T capture-pane -p -t cli >$OUT/pty-end.txt
$T capture-pane -p -S -1000 -t cli >$OUT/pty-all.txt
$T kill-server
echo "--- mid-run screen:"; sed -n '1,3p' $OUT/pty-mid.txt
echo "--- 1.5 s later:"; sed -n '1,3p' $OUT/pty-mid2.txt
echo "--- at the end (top of the scrollback):"; sed -n '1,12p' $OUT/pty-all.txt

check "mid-run: the progress line, at the top" grep -q "^running [0-9]*s/${SECS}s  toggles .*/s)  hits .*  calls .*  anomalies 0" $OUT/pty-mid.txt
check "mid-run: one line only (rewritten in place)" [ "$(grep -c . $OUT/pty-mid.txt)" = 1 ]
check "1.5 s later: still one line, a later time" sh -c "[ \$(grep -c . $OUT/pty-mid2.txt) = 1 ] && ! cmp -s $OUT/pty-mid.txt $OUT/pty-mid2.txt"
check "end: progress line kept, report below" sh -c "sed -n 1p $OUT/pty-all.txt | grep -q '^running [0-9]*s/${SECS}s' && sed -n 2p $OUT/pty-all.txt | grep -q '^verdict: SUCCESS'"
check "end: exit 0" grep -q '^EXIT=0' $OUT/pty-all.txt
rmmod patchstorm
finish
