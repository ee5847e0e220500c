#!/bin/sh
# make bench, ground-truth part: `label --implicit` on db/gen-sessions.py
# logs of a seed never tuned on (43): precision and recall of the
# transcriptions it proposes against the generator's asr confusions, at
# the confidences 0, 0.2 and 0.3, and how many fell on nlu or personal
# confusions (which must get none).  No bars yet: figures to watch.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/summary.sh"
work=${BENCH_DIR:-$top/build/bench}
mkdir -p "$work"
db=$work/repair.db
rm -f "$db" "$db-wal" "$db-shm"
python3 "$top/db/gen-sessions.py" 20000 43 --truth "$work/repair-truth.jsonl" >"$work/repair.jsonl"
"$top/dialab" --db "$db" import "$work/repair.jsonl" >/dev/null
"$top/dialab" --db "$db" label --implicit >/dev/null
python3 "$top/tests/bench/repair-score.py" "$work/repair-truth.jsonl" "$work/repair.jsonl" "$db" |
	tee "$work/repair-score.json"
python3 - "$work/repair-score.json" <<'PY' >"$work/repair-rows.tsv"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("confidence>=0", "confidence>=0.2", "confidence>=0.3"):
    v = d[k]
    print("implicit transcriptions, %s\tP %.4f R %.4f (%d, %d on nlu/personal)\t-\t1" % (
        k, v["precision"], v["recall"], v["proposed"], v["on_nlu_or_personal"]))
PY
while IFS='	' read -r what val bar met; do
	row "$what" "$val" "$bar" "$met"
done <"$work/repair-rows.tsv"
