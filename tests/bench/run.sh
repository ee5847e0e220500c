#!/bin/sh
# make bench: every part runs to the end, whatever an earlier one gave,
# then one summary table.  Exits 1 when a bar was missed or a part failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=${DIALAB_SHARED:-$top/../shared}
work=${BENCH_DIR:-$top/build/bench}
mkdir -p "$work"
BENCH_SUMMARY=$work/summary.tsv
export BENCH_SUMMARY
: >"$BENCH_SUMMARY"
failed=""
part() {
	name=$1
	shift
	echo "== $name"
	if ! "$@"; then
		failed="$failed $name"
		printf '%s\t%s\t%s\t%s\n' "$name" "(the part failed)" "-" MISSED >>"$BENCH_SUMMARY"
	fi
}
part import "$top/tests/bench/import.sh"
part review "$top/tests/bench/review.sh"
part label "$top/tests/bench/label.sh"
part rewrites "$top/tests/bench/rewrites.sh"
part context "$top/tests/bench/context.sh"
part repair "$top/tests/bench/repair.sh"
part snips-quality sh -c "'$top/build/snips-quality' '$shared/data/snips/train' '$shared/data/snips/test' | tee '$work/snips.txt'"
if [ -s "$work/snips.txt" ]; then
	acc=$(awk '/^intent accuracy/ { print $3 }' "$work/snips.txt")
	f1=$(awk '/^slot spans/ { print $8 }' "$work/snips.txt")
	printf '%s\t%s\t%s\t%s\n' "SNIPS test: intent accuracy" "$acc" "-" ok >>"$BENCH_SUMMARY"
	[ -n "$f1" ] && printf '%s\t%s\t%s\t%s\n' "SNIPS test: slot span F1" "$f1" "-" ok >>"$BENCH_SUMMARY"
fi
echo
echo "== summary"
awk -F '\t' 'BEGIN { printf "%-46s %-28s %-11s %s\n", "what", "measured", "bar", "" }
	{ printf "%-46s %-28s %-11s %s\n", $1, $2, $3, $4 }' "$BENCH_SUMMARY"
if grep -q 'MISSED$' "$BENCH_SUMMARY"; then
	echo "bench: a bar was missed or a part failed:${failed:- see above}"
	exit 1
fi
echo "bench: every bar met"
