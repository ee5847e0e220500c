#!/bin/sh
# make bench, rewrites part: mine the rephrase sessions of about 1,000,000
# turns from db/gen-sessions.py (bars: <= 30 s, <= 256 MiB peak resident
# memory), then score the miner on data it was never tuned on (another
# seed and size): precision and recall against the generator's truth,
# and `rewrites eval` (mined on the older 70% of sessions, replayed on the
# rest): win/loss and the defects repaired, global and with the personal
# layer.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/summary.sh"
work=${BENCH_DIR:-$top/build/bench}
n=${BENCH_REWRITE_DIALOGUES:-292000}	# about 3.4 turns each: 1M turns
mkdir -p "$work"
db=$work/rewrites-$n.db
if [ ! -s "$db" ]; then
	echo "building $db from $n dialogues of db/gen-sessions.py ..."
	python3 "$top/db/gen-sessions.py" "$n" 5 >"$work/rewrites-$n.jsonl"
	rm -f "$db" "$db-wal" "$db-shm"
	"$top/dialab" --db "$db" import "$work/rewrites-$n.jsonl"
	rm -f "$work/rewrites-$n.jsonl"
	sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
fi
turns=$(sqlite3 "$db" 'select count(*) from turns')
/usr/bin/time -f '%e %M' -o "$work/rewrites-time" "$top/dialab" --db "$db" rewrites mine
read -r secs kb <"$work/rewrites-time"
mib=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
met() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? 1 : 0 }'; }
row "rewrites mine: $turns turns" "${secs} s" "<= 30 s" "$(met "$secs" 30)"
row "rewrites mine: peak memory" "$mib MiB" "<= 256 MiB" "$(met "$mib" 256)"

# quality, on a seed and a size never tuned on
q=$work/rewrites-quality.db
rm -f "$q" "$q-wal" "$q-shm"
python3 "$top/db/gen-sessions.py" 50000 23 --truth "$work/rewrites-truth.jsonl" >"$work/rewrites-q.jsonl"
"$top/dialab" --db "$q" import "$work/rewrites-q.jsonl" >/dev/null
"$top/dialab" --db "$q" rewrites mine >/dev/null
"$top/dialab" --db "$q" rewrites list --json >"$work/rewrites-list.jsonl"
python3 "$top/tests/bench/rewrites-score.py" "$work/rewrites-truth.jsonl" "$work/rewrites-list.jsonl" |
	tee "$work/rewrites-score.txt"
"$top/dialab" --db "$q" rewrites eval --json >"$work/rewrites-eval.json"
"$top/dialab" --db "$q" rewrites eval
awk '/^global / { print $9, $11 } ' "$work/rewrites-score.txt" | {
	read -r p r
	row "rewrites (seed 23): global precision / recall" "$p / $r" "-" 1
}
awk '/^personal / { print $9, $11 } ' "$work/rewrites-score.txt" | {
	read -r p r
	row "rewrites (seed 23): personal precision / recall" "$p / $r" "-" 1
}
python3 - "$work/rewrites-eval.json" >"$work/rewrites-eval.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("global", "global_personal"):
    t = d[k]
    wl = "%.1f" % t["win_loss"] if t["win_loss"] is not None else "inf"
    print(k, wl, "%.1f%%" % (100 * (t["defect_reduction"] or 0)))
PY
while read -r k wl dr; do
	row "rewrites eval (seed 23): $k win/loss, defects repaired" "$wl, $dr" "-" 1
done <"$work/rewrites-eval.txt"
