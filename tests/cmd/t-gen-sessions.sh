#!/bin/sh
# db/gen-sessions.py: rephrase sessions with known rewrites.
. "$(dirname "$0")/../lib.sh"

gen="$top/db/gen-sessions.py"

python3 "$gen" 300 1 --truth "$tmp/t1.jsonl" >"$tmp/a.jsonl" 2>"$tmp/err"
ok $? "gen-sessions.py 300 1 runs"
is "$(wc -l <"$tmp/a.jsonl" | tr -d ' ')" 300 "and writes 300 dialogues"
dialab --db "$tmp/x.db" import "$tmp/a.jsonl" >"$tmp/out" 2>"$tmp/err"
ok $? "they import cleanly"
like "$tmp/out" '^imported 300 dialogues \([0-9]+ turns, [0-9]+ labels\)' "all of them"
is "$(cat "$tmp/err")" "" "without a warning"
dialab --db "$tmp/x.db" export | cmp -s - "$tmp/a.jsonl"
ok $? "and they are already in canonical form (export gives the same bytes)"
is "$(q "$tmp/x.db" "SELECT count(DISTINCT user_id) FROM dialogues")" \
	"$(python3 -c 'import json, sys; print(len({json.loads(l)["user"] for l in open(sys.argv[1])}))' "$tmp/a.jsonl")" \
	"one user per dialogue, as in the file"

# Deterministic for (N, SEED); another seed gives other dialogues.
python3 "$gen" 300 1 --truth "$tmp/t2.jsonl" >"$tmp/b.jsonl" 2>/dev/null
cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl"
ok $? "the same N and SEED give the same bytes"
cmp -s "$tmp/t1.jsonl" "$tmp/t2.jsonl"
ok $? "and the same truth"
python3 "$gen" 300 2 >"$tmp/c.jsonl" 2>/dev/null
cmp -s "$tmp/a.jsonl" "$tmp/c.jsonl"
[ $? -ne 0 ]
ok $? "another seed gives different dialogues"

# Time: first turns increase through the file, over about 60 days from --start.
is "$(python3 - "$tmp/a.jsonl" <<'PY'
import json, sys
ds = [json.loads(l) for l in open(sys.argv[1])]
first = [d["turns"][0]["ts"] for d in ds]
inner = all(a["ts"] < b["ts"] for d in ds for a, b in zip(d["turns"], d["turns"][1:]))
print(first == sorted(first) and len(set(first)) == len(first), inner,
      first[0] >= 1767225600, 55 < (first[-1] - first[0]) / 86400 <= 60)
PY
)" "True True True True" "dialogues start in order over ~60 days; turns increase within each"
python3 "$gen" 5 1 --start 1800000000 --no-labels >"$tmp/s.jsonl" 2>/dev/null
is "$(python3 -c 'import json, sys
ds = [json.loads(l) for l in open(sys.argv[1])]
print(min(d["turns"][0]["ts"] for d in ds) >= 1800000000, any("labels" in d or any("labels" in t for t in d["turns"]) for d in ds))' "$tmp/s.jsonl")" \
	"True False" "--start moves the days; --no-labels leaves the labels out"

# The truth: global, personal and never-rewrite entries, consistent with the data.
is "$(python3 - "$tmp/t1.jsonl" "$tmp/a.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
texts = {t["text"] for l in open(sys.argv[2]) for t in json.loads(l)["turns"]}
g = [r for r in rows if r.get("scope") == "global"]
p = [r for r in rows if r.get("scope") == "personal"]
n = [r["never"] for r in rows if "never" in r]
ok = all(r["from"] in texts and r["to"] in texts for r in g + p) and all(x in texts for x in n)
print(len(g) >= 15, len(p) > 0, all(r["user"] for r in p), all(r["user"] is None for r in g),
      "play we don't talk about bruno" in n, "play we don't talk anymore" in n,
      not {r["from"] for r in g + p} & set(n), ok)
PY
)" "True True True True True True True True" \
	"global (15 or more), personal and never entries, bruno and anymore never rewritten, all in the data"
python3 "$gen" 300 1 --summary >/dev/null 2>"$tmp/sum"
like "$tmp/sum" '^dialogues 300, turns [0-9]+' "--summary counts to stderr"
like "$tmp/sum" '^truth global +[0-9]+ rewrites' "with the truth"

python3 "$gen" -1 1 >/dev/null 2>"$tmp/err"
is $? 2 "a negative N is a usage error"

done_testing
