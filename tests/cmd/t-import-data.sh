#!/bin/sh
# Import and export of the real data sets in ../shared/data and of the demo.
. "$(dirname "$0")/../lib.sh"

# The demo: import, export, import, export gives the same bytes, and
# the bundled file is already in the canonical form.
dialab --db "$tmp/demo.db" import "$top/db/demo.jsonl" >"$tmp/out" 2>"$tmp/err"
ok $? "the demo imports"
like "$tmp/out" '^imported 100 dialogues \(204 turns, [0-9]+ labels\)' "summary line counts it"
dialab --db "$tmp/demo.db" export -o "$tmp/e1.jsonl" 2>"$tmp/err"
ok $? "the demo exports"
cmp -s "$tmp/e1.jsonl" "$top/db/demo.jsonl"
ok $? "the export is byte for byte the bundled demo"
dialab --db "$tmp/demo2.db" import "$tmp/e1.jsonl" >/dev/null 2>&1 &&
	dialab --db "$tmp/demo2.db" export >"$tmp/e2.jsonl"
ok $? "the export imports into a new database and exports again"
cmp -s "$tmp/e1.jsonl" "$tmp/e2.jsonl"
ok $? "import -> export -> import -> export gives identical bytes"
dialab --db "$tmp/demo.db" export --labels human >"$tmp/h.jsonl"
ok $? "export --labels human works"
is "$(grep -c '"source":"model:' "$tmp/h.jsonl")" 0 "and holds no model label"
is "$(grep -c '"source":"human:' "$tmp/h.jsonl")" "$(grep -c '"source":"human:' "$top/db/demo.jsonl")" \
	"but every dialogue with a human label"
dialab --db "$tmp/demo.db" export --labels model >"$tmp/m.jsonl"
is "$(grep -c '"source":"human:' "$tmp/m.jsonl")" 0 "export --labels model holds no human label"
dialab --db "$tmp/demo.db" import --on-duplicate skip "$top/db/demo.jsonl" >"$tmp/out" 2>&1
ok $? "re-importing with --on-duplicate skip works"
is "$(q "$tmp/demo.db" 'select count(*) from dialogues; select count(*) from labels')" \
	"$(q "$tmp/demo2.db" 'select count(*) from dialogues; select count(*) from labels')" \
	"and changes nothing"
dialab --db "$tmp/demo.db" stats --json >"$tmp/stats.json"
ok $? "stats --json works"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["dialogues"], d["turns"], d["labels"]["by_kind"]["goal_outcome"] > 0)' "$tmp/stats.json")" \
	"100 204 True" "stats --json counts dialogues, turns and labels by kind"

if [ ! -d "$data/snips/test" ]; then
	skip 16 "no shared data at $data"
	done_testing
	exit
fi

# SNIPS: 700 turns, and CoNLL export gives back seq.out exactly.
dialab --db "$tmp/snips.db" import --format snips "$data/snips/test" >"$tmp/out" 2>"$tmp/err"
ok $? "SNIPS test imports"
is "$(q "$tmp/snips.db" 'select count(*) from turns')" 700 "as 700 turns"
is "$(q "$tmp/snips.db" "select count(distinct value) from labels where kind='intent'")" 7 "with 7 intents"
dialab --db "$tmp/snips.db" export --format conll -o "$tmp/conll.txt" 2>"$tmp/err"
ok $? "CoNLL export works"
awk 'NF == 0 { print line; line = ""; next } { line = line (line == "" ? "" : " ") $2 }' \
	"$tmp/conll.txt" >"$tmp/tags"
sed 's/[[:space:]]*$//' "$data/snips/test/seq.out" >"$tmp/want"
cmp -s "$tmp/tags" "$tmp/want"
ok $? "CoNLL export gives back exactly the seq.out tags"
awk 'NF == 0 { print line; line = ""; next } { line = line (line == "" ? "" : " ") $1 }' \
	"$tmp/conll.txt" >"$tmp/toks"
tr -s ' ' <"$data/snips/test/seq.in" | sed 's/[[:space:]]*$//' >"$tmp/want"
cmp -s "$tmp/toks" "$tmp/want"
ok $? "and the seq.in tokens"

# SLURP devel: 2,033 turns, 18 scenarios; unalignable annotations reported.
dialab --db "$tmp/slurp.db" import --format slurp "$data/slurp/devel.jsonl" >"$tmp/out" 2>"$tmp/err"
ok $? "SLURP devel imports"
is "$(q "$tmp/slurp.db" 'select count(*) from turns')" 2033 "as 2,033 turns"
is "$(q "$tmp/slurp.db" "select count(distinct substr(json_extract(value, '\$'), 1, instr(json_extract(value, '\$'), '_') - 1)) from labels where kind='intent'")" \
	18 "with 18 scenarios"
like "$tmp/err" 'devel.jsonl:[0-9]+: \$\.sentence_annotation: slots not imported' \
	"an annotation that cannot be aligned is reported with its line"
is "$(grep -c 'slots not imported' "$tmp/err")" \
	"$(q "$tmp/slurp.db" "select count(*) from turns t where not exists (select 1 from labels l where l.dialogue_id = t.dialogue_id and l.kind = 'slots')")" \
	"every turn left without slots was reported"
dialab --db "$tmp/slurp.db" export --format slurp -o "$tmp/slurp.jsonl" 2>"$tmp/err"
ok $? "SLURP-style export works"
is "$(python3 - "$data/slurp/devel.jsonl" "$tmp/slurp.jsonl" <<'PY'
import json, sys
src = {r["slurp_id"]: r for r in map(json.loads, open(sys.argv[1]))}
bad = 0
for r in map(json.loads, open(sys.argv[2])):
    s = src[r["slurp_id"]]
    if r["scenario"] != s["scenario"] or r["action"] != s["action"] or r["sentence"] != s["sentence"]:
        bad += 1
print(bad)
PY
)" 0 "the SLURP export keeps scenario, action and sentence of every record"

# SGD dev: dialogues with goals.
dialab --db "$tmp/sgd.db" import --format sgd "$data/sgd/dev/dialogues_001.json" \
	"$data/sgd/dev/dialogues_002.json" >"$tmp/out" 2>"$tmp/err"
ok $? "SGD dev files import"
is "$(q "$tmp/sgd.db" "select count(*) > 100 from dialogues")" 1 "with their dialogues"
is "$(q "$tmp/sgd.db" "select count(*) > 0 from labels where kind = 'goal' and value = '2'")" 1 \
	"and a second goal where the intent changes"
done_testing
