#!/bin/sh
# make bench: dialab import against the floor (../shared/bench/floor-import.c)
# on the same 100,000 generated dialogues, best of 3 each, and dialab's peak RSS.
# Bars (DESIGN.md section 10): ratio <= 1.5, peak RSS <= 64 MiB.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/summary.sh"
shared=${DIALAB_SHARED:-$top/../shared}
n=${BENCH_DIALOGUES:-100000}
work=${BENCH_DIR:-$top/build/bench}
mkdir -p "$work"
if [ ! -s "$work/gen-$n.jsonl" ]; then
	echo "generating $n dialogues ..."
	python3 "$shared/bench/gen_dialogues.py" "$n" 7 >"$work/gen-$n.jsonl.tmp"
	mv "$work/gen-$n.jsonl.tmp" "$work/gen-$n.jsonl"
fi
cc -O2 -o "$work/floor-import" "$shared/bench/floor-import.c" -ljansson -lsqlite3
make -s -C "$top" dialab
file=$work/gen-$n.jsonl
echo "input: $file ($(du -h "$file" | cut -f1), $(wc -l <"$file") dialogues)"

# best of 3: wall seconds of one run, and its peak RSS in KiB
best() {
	b=
	for i in 1 2 3; do
		rm -f "$work/b.db" "$work/b.db-wal" "$work/b.db-shm"
		/usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null
		read -r t m <"$work/time"
		if [ -z "$b" ] || awk "BEGIN { exit !($t < $b) }"; then
			b=$t
			rss=$m
		fi
	done
	echo "$b $rss"
}
set -- $(best "$work/floor-import" "$file" "$work/b.db")
floor=$1
set -- $(best "$top/dialab" --db "$work/b.db" import "$file")
dl=$1
rss=$2
ratio=$(awk "BEGIN { printf \"%.2f\", $dl / $floor }")
rss_mib=$(awk "BEGIN { printf \"%.1f\", $rss / 1024 }")
echo "floor-import: ${floor} s"
echo "dialab import: ${dl} s  (ratio ${ratio}, bar 1.5)"
echo "dialab peak RSS: ${rss_mib} MiB  (bar 64)"
fail=0
awk "BEGIN { exit !($ratio > 1.5) }" && { echo "FAIL: ratio above 1.5"; fail=1; }
awk "BEGIN { exit !($rss_mib > 64) }" && { echo "FAIL: peak RSS above 64 MiB"; fail=1; }
row "import: time vs floor-import" "$ratio x ($dl s vs $floor s)" "<= 1.5 x" "$(awk "BEGIN { print ($ratio <= 1.5) }")"
row "import: peak RSS" "$rss_mib MiB" "<= 64 MiB" "$(awk "BEGIN { print ($rss_mib <= 64) }")"
[ $fail = 0 ] && echo "bench: both bars met"
exit $fail
