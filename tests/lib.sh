# tests/lib.sh: TAP helpers for dialab's command tests.  Source it.
#   DIALAB_BIN       the binary to test (default: ./dialab of this tree)
#   DIALAB_VALGRIND  set: run every dialab under valgrind; a definite
#                    leak or memory error makes it exit 99
#   DIALAB_SHARED    the shared data folder (default: ../shared)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${DIALAB_BIN:-$top/dialab}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
shared=${DIALAB_SHARED:-$top/../shared}
data=$shared/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dialab-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export DIALAB_ANNOTATOR=tester
unset DIALAB_DB
tap_n=0
tap_failed=0

dialab() {
	if [ -n "${DIALAB_VALGRIND:-}" ]; then
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
			--error-exitcode=99 "$bin" "$@"
	else
		"$bin" "$@"
	fi
	dialab_rc=$?
	# 99: valgrind found a leak or a memory error; 23: LeakSanitizer did.
	# Remembered even where a test does not look at the exit status.
	case $dialab_rc in 99|23) echo "dialab $* (exit $dialab_rc)" >>"$tmp/.leaked" ;; esac
	return $dialab_rc
}

# ok STATUS DESCRIPTION: passes when STATUS is 0.
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# is GOT WANT DESCRIPTION
is() {
	tap_n=$((tap_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $tap_n - $3"
	else
		echo "not ok $tap_n - $3"
		printf '# got:  %s\n# want: %s\n' "$1" "$2"
		tap_failed=$((tap_failed + 1))
	fi
}

# like FILE EXTENDED-REGEX DESCRIPTION: FILE has a line matching.
like() {
	if grep -qE -- "$2" "$1"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "# no line of $1 matches: $2"
		sed 's/^/#   /' "$1" | head -n 5
	fi
}

# unlike FILE EXTENDED-REGEX DESCRIPTION: no line of FILE matches.
unlike() {
	if grep -qE -- "$2" "$1"; then
		ok 1 "$3"
		echo "# a line of $1 matches: $2"
		grep -E -- "$2" "$1" | sed 's/^/#   /' | head -n 5
	else
		ok 0 "$3"
	fi
}

# skip N REASON: record N skipped tests.
skip() {
	i=0
	while [ $i -lt "$1" ]; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP $2"
		i=$((i + 1))
	done
}

# q DB SQL: one value from a database (sqlite3 CLI).
q() {
	sqlite3 "$1" "$2"
}

done_testing() {
	if [ -s "$tmp/.leaked" ]; then
		ok 1 "no run of dialab leaked or broke memory"
		sed 's/^/#   /' "$tmp/.leaked"
	fi
	echo "1..$tap_n"
	[ $tap_failed -eq 0 ]
}
