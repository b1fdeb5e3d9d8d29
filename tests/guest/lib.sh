#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Helpers for guest-side checks (busybox sh).  Each check prints
# "ok - what" or "not ok - what: detail"; finish exits 1 if any failed.

# the runner's settings (ARCH, CPUS, DURATION, TCG, ...)
[ -r /patchstorm/env ] && . /patchstorm/env
PS=/sys/kernel/debug/patchstorm
KO=/patchstorm/patchstorm.ko
OUT=/patchstorm/out
# kept when a script sources another that sources this file again
nfail=${nfail:-0}
npass=${npass:-0}
nskip=${nskip:-0}

ok() { npass=$((npass + 1)); echo "ok - $*"; }
notok() { nfail=$((nfail + 1)); echo "not ok - $*"; }
# a check that cannot say anything here: counted and shown, no pass
skip() { nskip=$((nskip + 1)); echo "skip - $*"; }
check() { # check "what" command...
	what=$1; shift
	if "$@"; then ok "$what"; else notok "$what"; fi
}
# between N LO HI: LO <= N <= HI (one command, for check: a check's
# command ends at the first && of the line)
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
finish() {
	if [ "$nskip" -gt 0 ]; then
		echo "guest checks: $npass passed, $nfail failed, $nskip skipped"
	else
		echo "guest checks: $npass passed, $nfail failed"
	fi
	[ "$nfail" -eq 0 ]
}

# strategies: the module's strategies, from caps (loaded module), without mixed
# the strategies this kernel has (caps: strategy.NAME=1)
strategies() { sed -n 's/^strategy\.\([^.=]*\)=1$/\1/p' $PS/caps; }

# site_reads KIND CLASS [TARGET]: reads of that class over the sites of
# that kind (and target), by the column the sites file's header names
site_reads() {
	# counted from the end: addr is "sym+off/size [module]" in a module
	awk -v k="$1" -v c="$2" -v t="${3:-}" 'NR == 1 { for (i = 2; i <= NF; i++) if ($i == c) back = NF - i + 1 }
		$1 == k && back && (t == "" || $2 == t) { n += $(NF - back + 1) } END { print n + 0 }' $PS/sites
}

# threads_pinned: every running hammer and toggler may run on one CPU
# only, the one it was placed on (a kthread only given an affinity before
# it is woken loses it from 6.14 on)
threads_pinned() { # (shell builtins only: fast enough to run mid-storm)
	_n=0
	for _p in /proc/[0-9]*; do
		read -r _comm <$_p/comm 2>/dev/null || continue
		case $_comm in ps_hammer/* | ps_toggler/*) ;; *) continue ;; esac
		_c=
		while read -r _k _v; do
			[ "$_k" = Cpus_allowed_list: ] && _c=$_v
		done <$_p/status
		[ -n "$_c" ] || continue
		case $_c in *[-,]*) echo "$_comm may run on CPUs $_c"; return 1 ;; esac
		_n=$((_n + 1))
	done
	echo "$_n hammers and togglers, each on one CPU"
	[ $_n -gt 0 ]
}

# stat KEY: one value from the stats file
stat() { sed -n "s/^$1=//p" $PS/stats; }

# expect_write_error FILE TEXT: the write must fail and change nothing
expect_write_error() {
	before=$(cat "$PS/config")
	if printf '%s\n' "$2" >"$PS/$1" 2>/dev/null; then
		notok "write '$2' to $1 rejected"
	elif [ "$(cat "$PS/config")" != "$before" ]; then
		notok "write '$2' to $1 left config unchanged"
	else
		ok "write '$2' to $1 rejected, config unchanged"
	fi
}

# wait_done SECONDS: wait for the storm to end
wait_done() {
	_w=0
	while [ "$(cat $PS/control)" = running ] && [ $_w -lt $(($1 * 10)) ]; do
		sleep 0.1
		_w=$((_w + 1))
	done
	[ "$(cat $PS/control)" = done ]
}

# unload: rmmod, again while it says EAGAIN.  A kprobe being registered
# on the module's own text holds a reference on it for that moment, so an
# rmmod that lands then is refused ("Resource temporarily unavailable").
unload() {
	_tries=0
	while ! rmmod patchstorm 2>/dev/null; do
		_tries=$((_tries + 1))
		[ $_tries -ge 20 ] && { rmmod patchstorm; return 1; }
		sleep 0.1
	done
	[ $_tries -gt 0 ] && echo "rmmod: refused $_tries time(s) with EAGAIN, then done"
	return 0
}

# save_debugfs DIR: the module's own files as they are now (for the host
# to compare the CLI tests' fake debugfs with)
save_debugfs() {
	mkdir -p "$1/hist"
	for f in stats config caps anomalies control; do cat $PS/$f >"$1/$f"; done
	for f in $PS/hist/*; do cat "$f" >"$1/hist/${f##*/}"; done
}

# leftovers: no probe, ftrace ops or thread of ours may remain
no_leftovers() {
	if grep -q patchstorm /sys/kernel/debug/kprobes/list 2>/dev/null; then
		echo "kprobes left: $(grep patchstorm /sys/kernel/debug/kprobes/list)"
		return 1
	fi
	if [ -s /sys/kernel/tracing/enabled_functions ]; then
		echo "ftrace sites left enabled: $(head -3 /sys/kernel/tracing/enabled_functions)"
		return 1
	fi
	if grep -qs '^ps_' /proc/[0-9]*/comm; then
		echo "threads left: $(grep -s '^ps_' /proc/[0-9]*/comm)"
		return 1
	fi
	return 0
}
