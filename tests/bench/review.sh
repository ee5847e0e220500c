#!/bin/sh
# make bench, review part: a database of about 1,000,000 turns from the
# shared generator; time to the first full screen, accept-and-advance
# latency over 1,000 keystrokes sent through tmux (per-key times from
# DIALAB_TRACE: key handled, decision committed, screen refreshed), and
# resident memory after reviewing.  Bars: first screen <= 100 ms,
# median <= 5 ms and p99 <= 20 ms, RSS <= 64 MiB.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/summary.sh"
shared=${DIALAB_SHARED:-$top/../shared}
work=${BENCH_DIR:-$top/build/bench}
n=${BENCH_REVIEW_DIALOGUES:-235000}	# about 4.25 turns each: 1M turns
keys=${BENCH_KEYS:-1000}
mkdir -p "$work"
db=$work/review-$n.db
if [ ! -s "$db" ]; then
	echo "building $db from $n generated dialogues ..."
	python3 "$shared/bench/gen_dialogues.py" "$n" 11 >"$work/review-$n.jsonl"
	rm -f "$db" "$db-wal" "$db-shm"
	"$top/dialab" --db "$db" import "$work/review-$n.jsonl"
	rm -f "$work/review-$n.jsonl"
fi
turns=$(sqlite3 -cmd '.timeout 10000' "$db" 'select count(*) from turns')
echo "database: $turns turns"
sqlite3 -cmd '.timeout 10000' "$db" "delete from decisions where annotator = 'bench'"
trace=$work/review-trace.txt
rm -f "$trace"
sock=dialab-bench-$$
tmux -L "$sock" new-session -d -s b -x 100 -y 30 \
	"exec env DIALAB_ANNOTATOR=bench DIALAB_TRACE='$trace' TERM=screen '$top/dialab' --db '$db' review"
# || true: after q the server is gone, and a failing trap would be the
# script's exit status (make bench stopped here with "all bars met")
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
i=0
until grep -q first_screen "$trace" 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
	[ $i -lt 400 ] || { echo "no first screen"; exit 1; }
done
# Send the keys in bursts a person could type; each is handled on its own.
i=0
while [ $i -lt "$keys" ]; do
	tmux -L "$sock" send-keys -t b a
	i=$((i + 1))
	[ $((i % 20)) -eq 0 ] && sleep 0.05
done
i=0
until [ "$(grep -c '^97 ' "$trace")" -ge "$keys" ]; do
	sleep 0.1
	i=$((i + 1))
	[ $i -lt 600 ] || break
done
pid=$(tmux -L "$sock" list-panes -t b -F '#{pane_pid}')
rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
tmux -L "$sock" send-keys -t b q
decided=$(sqlite3 -cmd '.timeout 10000' "$db" "select count(*) from decisions where annotator = 'bench'")
first=$(awk '/^first_screen/ { print $2 }' "$trace")
grep '^97 ' "$trace" | awk '{ print $2 }' | sort -n >"$work/lat.txt"
cnt=$(wc -l <"$work/lat.txt")
med=$(awk -v n="$cnt" 'NR == int((n + 1) / 2) { print; exit }' "$work/lat.txt")
p99=$(awk -v n="$cnt" 'NR == int(n * 0.99 + 0.999) { print; exit }' "$work/lat.txt")
echo "first full screen: $first ms (bar 100)"
echo "accept-and-advance: $cnt keys, $decided decisions committed; median $med ms (bar 5), p99 $p99 ms (bar 20)"
echo "peak RSS while reviewing: $(awk "BEGIN { printf \"%.1f\", $rss / 1024 }") MiB (bar 64)"
fail=0
awk "BEGIN { exit !($first > 100) }" && { echo "FAIL: first screen"; fail=1; }
awk "BEGIN { exit !($med > 5 || $p99 > 20) }" && { echo "FAIL: latency"; fail=1; }
awk "BEGIN { exit !($rss > 65536) }" && { echo "FAIL: memory"; fail=1; }
[ "$decided" -eq "$cnt" ] || { echo "FAIL: $decided decisions for $cnt keys"; fail=1; }
row "review: first full screen, $turns turns" "$first ms" "<= 100 ms" "$(awk "BEGIN { print ($first <= 100) }")"
row "review: accept-and-advance median" "$med ms" "<= 5 ms" "$(awk "BEGIN { print ($med <= 5) }")"
row "review: accept-and-advance p99" "$p99 ms" "<= 20 ms" "$(awk "BEGIN { print ($p99 <= 20) }")"
row "review: peak RSS" "$(awk "BEGIN { printf \"%.1f\", $rss / 1024 }") MiB" "<= 64 MiB" "$(awk "BEGIN { print ($rss <= 65536) }")"
row "review: decisions committed" "$decided of $cnt" "all" "$([ "$decided" -eq "$cnt" ] && echo 1 || echo 0)"
[ $fail = 0 ] && echo "review bench: all bars met"
exit $fail
