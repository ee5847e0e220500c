#!/bin/sh
# make bench, context part: on db/gen-synthetic.py --context data of seeds
# never tuned on (train 31, test 37), the intent model with context and
# with the context masked on the turns whose words mean different things
# in different contexts (bar: >= 0.95 with it), the controls against a
# context-blind model (bar: no loss beyond 0.5 points), and resolve's
# final answers (intent and every truth slot: context fills and habits)
# by family.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/summary.sh"
work=${BENCH_DIR:-$top/build/bench}
mkdir -p "$work"
d=$top/dialab
python3 "$top/db/gen-synthetic.py" 5000 31 --context 0.5 >"$work/ctx-train.jsonl"
python3 "$top/db/gen-synthetic.py" 2000 37 --context 0.5 >"$work/ctx-test.jsonl"
for m in ctx blind; do
	rm -f "$work/$m.db" "$work/$m.db-wal" "$work/$m.db-shm"
	"$d" --db "$work/$m.db" import "$work/ctx-train.jsonl" >/dev/null
done
"$d" --db "$work/ctx.db" train --model intent,slots >/dev/null
"$d" --db "$work/blind.db" train --model intent,slots --no-context >/dev/null
"$d" --db "$work/ctx.db" eval --data "$work/ctx-test.jsonl" --json >"$work/ctx-eval.json"
"$d" --db "$work/blind.db" eval --data "$work/ctx-test.jsonl" --json >"$work/blind-eval.json"
"$d" --db "$work/ctx.db" prefs learn >/dev/null
DIALAB_BIN=$d python3 "$top/tests/bench/context-score.py" "$work/ctx-test.jsonl" "$work/ctx.db" \
	>"$work/ctx-resolve.json"
DIALAB_BIN=$d python3 "$top/tests/bench/context-score.py" "$work/ctx-test.jsonl" "$work/ctx.db" \
	--mask >"$work/ctx-resolve-masked.json"
python3 - "$work" <<'PY' >"$work/ctx-rows.tsv"
import json, sys
w = sys.argv[1]
c = json.load(open(w + "/ctx-eval.json"))
b = json.load(open(w + "/blind-eval.json"))
r = json.load(open(w + "/ctx-resolve.json"))
m = json.load(open(w + "/ctx-resolve-masked.json"))
dep, ctl, bctl = c["context"]["dependent"], c["context"]["controls"], b["context"]["controls"]
rows = [
    ("context: dependent turns, intent (n=%d)" % dep["n"], "%.4f" % dep["accuracy"], ">= 0.95",
     dep["accuracy"] >= 0.95),
    ("context: the same, context masked", "%.4f" % dep["masked_accuracy"], "-", True),
    ("context: controls, intent (n=%d)" % ctl["n"], "%.4f vs blind %.4f" % (ctl["accuracy"],
     bctl["accuracy"]), ">= blind-0.005", ctl["accuracy"] >= bctl["accuracy"] - 0.005),
    ("context: all test turns, intent", "%.4f vs blind %.4f" % (c["intent"]["accuracy"],
     b["intent"]["accuracy"]), "-", True),
    ("context: slot span F1", "%.4f vs blind %.4f" % (c["slots"]["f1"], b["slots"]["f1"]), "-",
     True),
]
for k in ("family:device_state", "family:device_type", "family:hour", "family:habit",
          "family:sequence", "family:location", "family:control"):
    if k in r:
        rows.append(("resolve %s (n=%d)" % (k[7:], r[k]["n"]), "%.4f masked %.4f" % (
            r[k]["result"], m[k]["result"]), "-", True))
for what, val, bar, met in rows:
    print("%s\t%s\t%s\t%d" % (what, val, bar, met))
PY
cat "$work/ctx-rows.tsv"
while IFS='	' read -r what val bar met; do
	row "$what" "$val" "$bar" "$met"
done <"$work/ctx-rows.tsv"
