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
# fake or hide a failure; the output archive between the
# PATCHSTORM-OUT-BEGIN/END markers is skipped.
#
# Prints one failure a line: KIND<TAB>LINE-NUMBER<TAB>TEXT, where KIND is
# one of PANIC SOFT_LOCKUP HARD_LOCKUP RCU_STALL HUNG_TASK GPF INT3 BRK
# ILLEGAL_INSN BAD_ACCESS OOPS BUG WARNING (arm64 says "Oops - BRK" and
# "Oops - Undefined instruction": BRK, ILLEGAL_INSN). With --context N, each failure
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
	if (s ~ /Oops/) return "OOPS"
	if (s ~ /(^|[^A-Za-z_])BUG:|kernel BUG at/) return "BUG"
	if (s ~ /WARNING:/) return "WARNING"
	return ""
}
/^PATCHSTORM-OUT-BEGIN/ { skip = 1; next }
/^PATCHSTORM-OUT-END/ { skip = 0; next }
skip { next }
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
