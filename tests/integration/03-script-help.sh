#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every script's --help exits 0, says something, and names every option
# its parser accepts: the options are read from the script itself (the
# case patterns of a shell script, the '--option' literals of a Python
# one), so an option added to a parser but not to the usage text fails
# here. -h/--help itself need not be listed.
. "$(dirname "$0")/lib.sh"

# options SCRIPT: the long and short options its parser matches
options() {
	case $1 in
	*.py) grep -oE "'--[a-z][a-z0-9-]*'" "$1" | tr -d "'" ;;
	*)
		# case patterns: lines "	--opt) ...", "	--a|--b) ...", "	--opt=*) ..."
		grep -E '^[[:space:]]*-{1,2}[A-Za-z0-9][-A-Za-z0-9]*(=\*)?(\|-{1,2}[A-Za-z0-9][-A-Za-z0-9]*(=\*)?)*\)' "$1" |
			sed -E 's/^[[:space:]]*//; s/\).*//' | tr '|' '\n' | sed 's/=\*$//'
		;;
	esac | grep -vxE -- '-h|--help' | sort -u
}

scripts=("$ROOT"/scripts/*.sh "$ROOT"/scripts/*.py "$ROOT"/scripts/lava/*.sh "$ROOT"/scripts/lava/*.py
	"$ROOT"/tests/*.py "$ROOT"/tests/bench/*.sh "$ROOT/tests/run.sh")
n=0
nopt=0
for s in "${scripts[@]}"; do
	name=${s#"$ROOT"/}
	case $name in scripts/lib.sh) continue ;; esac	# sourced, not run
	out=$("$s" --help 2>&1 </dev/null)
	rc=$?
	[ $rc = 0 ] || fail "$name --help: exit $rc: $(tail -n1 <<<"$out")"
	[ "$(grep -c . <<<"$out")" -ge 3 ] || fail "$name --help: almost nothing: $out"
	opts=$(options "$s")
	missing=()
	for o in $opts; do
		grep -qE -- "(^|[^-A-Za-z0-9])$o([^-A-Za-z0-9]|$)" <<<"$out" || missing+=("$o")
		nopt=$((nopt + 1))
	done
	[ ${#missing[@]} = 0 ] || fail "$name --help does not mention ${missing[*]}"
	echo "$name: --help names its $(wc -w <<<"$opts") options"
	n=$((n + 1))
done
[ $n -ge 12 ] || fail "only $n scripts found"
# the check can fail: a script whose parser takes an option its usage lacks
t=$RES/fake.sh
printf '#!/usr/bin/env bash\n# usage: fake.sh [--one]\ncase "$1" in\n--one) ;;\n--two) ;;\n-h|--help) sed -n 2p "$0" ;;\nesac\n' >"$t"
chmod +x "$t"
[ "$(options "$t" | tr '\n' ' ')" = "--one --two " ] || fail "options() reads $(options "$t" | tr '\n' ' ')from the fake"
pass "$n scripts, $nopt options, each named by its --help"
