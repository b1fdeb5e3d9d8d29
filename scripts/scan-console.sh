#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Scan a guest console log for kernel trouble, in the spirit of the
# kernel's tools/testing/selftests/rcutorture/bin/parse-console.sh.
#
#   scripts/scan-console.sh [--context N] console.log
#   scripts/scan-console.sh -h|--help
#
# Only kernel lines are considered (printk timestamps "[  1.234] ", which
# the runner turns on with printk.time=1), so guest program output cannot
# fake or hide a failure. Between the PATCHSTORM-OUT-BEGIN/END markers
# (the output archive, in base64, which has no "[" or space) only a
# kernel message printed in the middle of it can match: a soft lockup
# while the guest dumps its results is still one.
#
# Prints one failure a line: KIND<TAB>LINE-NUMBER<TAB>TEXT, where KIND is
# one of PANIC SOFT_LOCKUP HARD_LOCKUP RCU_STALL HUNG_TASK GPF INT3 BRK
# ILLEGAL_INSN BAD_ACCESS KASAN KFENCE LOCKDEP SLEEP_IN_ATOMIC ODEBUG
# LIST_CORRUPTION KMEMLEAK UBSAN OOPS BUG WARNING (arm64 says "Oops - BRK"
# and "Oops - Undefined instruction": BRK, ILLEGAL_INSN). The kernel's
# checkers of the debug flavour are named before the BUG: or WARNING:
# line they print: "BUG: KASAN:", "BUG: KFENCE:", lockdep's reports (and
# RCU's "suspicious RCU usage"), "BUG: sleeping function called from
# invalid context" and "scheduling while atomic", debugobjects' "ODEBUG:",
# DEBUG_LIST's "list_add corruption", kmemleak's "unreferenced object"
# (kmemleak.verbose=1) and "new suspected memory leaks", and kmemleak
# turning itself off. With --context N, each failure
# is followed by up to N further kernel lines, indented by a tab.
# Exit 0 if nothing was found, 1 if something was, 2 on bad usage.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

context=0
while [ $# -gt 0 ]; do
	case "$1" in
	--context) [[ ${2:-} =~ ^[0-9]+$ ]] || ps_usage_error "--context wants a line count, not '${2:-}'"
		context=$2; shift ;;
	-h|--help) ps_help; exit 0 ;;
	-*) ps_usage_error "unknown option '$1' (see --help)" ;;
	*) break ;;
	esac
	shift
done
[ $# -eq 1 ] && [ -r "$1" ] || ps_usage_error "usage: scan-console.sh [--context N] console.log"

tr -d '\r' <"$1" | awk -v ctx="$context" '
function kind(s) {
	if (s ~ /Kernel panic/) return "PANIC"
	if (s ~ /soft lockup/) return "SOFT_LOCKUP"
	if (s ~ /[Hh]ard LOCKUP/) return "HARD_LOCKUP"
	if (s ~ /detected stalls? on CPU|self-detected stall on CPU|rcu_.*kthread starved for|Stall ended before state dump/) return "RCU_STALL"
	if (s ~ /blocked for more than [0-9]+ seconds/) return "HUNG_TASK"
	if (s ~ /general protection fault/) return "GPF"
	if (s ~ /(^|[^a-z0-9_])int3([^a-z0-9_]|$)/) return "INT3"
	if (s ~ /Oops - BRK/) return "BRK"
	if (s ~ /[Ii]llegal instruction|Oops - Undefined instruction/) return "ILLEGAL_INSN"
	if (s ~ /Unable to handle kernel/) return "BAD_ACCESS"
	if (s ~ /BUG: KASAN:/) return "KASAN"
	if (s ~ /BUG: KFENCE:/) return "KFENCE"
	if (s ~ /possible (circular|recursive) locking|inconsistent lock state|lock inversion dependency|-safe -> [A-Z]+-unsafe lock order|bad unlock balance|bad contention detected|held lock freed|still has locks held|lock held when returning to user space|suspicious RCU usage|Nested lock was not taken|trying to register non-static key|MAX_[A-Z_]+ too low|has not been registered|looking up invalid subclass|DEBUG_LOCKS_WARN_ON/) return "LOCKDEP"
	if (s ~ /sleeping function called from invalid context|scheduling while atomic/) return "SLEEP_IN_ATOMIC"
	if (s ~ /ODEBUG:/) return "ODEBUG"
	if (s ~ /list_[a-z_]* corruption/) return "LIST_CORRUPTION"
	if (s ~ /kmemleak: (unreferenced object|[0-9]+ new suspected memory leak|Kernel memory leak detector disabled)/) return "KMEMLEAK"
	if (s ~ /UBSAN:/) return "UBSAN"
	if (s ~ /Oops/) return "OOPS"
	if (s ~ /(^|[^A-Za-z_])BUG:|kernel BUG at/) return "BUG"
	if (s ~ /WARNING:/) return "WARNING"
	return ""
}
{
	# Kernel lines only: "[    1.234567] text" (maybe after other output on
	# the same line, when a printk interrupts a program line).
	if (!match($0, /\[ *[0-9]+\.[0-9]+\] /)) next
	text = substr($0, RSTART)
	k = kind(substr(text, RLENGTH + 1))
	if (k != "") {
		found = 1
		printf "%s\t%d\t%s\n", k, NR, text
		left = ctx
	} else if (left > 0) {
		print "\t" text
		left--
	}
}
END { exit found ? 1 : 0 }
'
