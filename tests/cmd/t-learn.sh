#!/bin/sh
# train, label, eval and agree: the learning loop from the command line.
. "$(dirname "$0")/../lib.sh"

num() {	# num JSON-FILE EXPR: print the value, or "bad" when it is not a number
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2], {"d": d})
print(v if isinstance(v, (int, float)) and not isinstance(v, bool) else "bad")' "$1" "$2"
}

# ---- An empty database is a clear error, not a crash. ----
dialab --db "$tmp/empty.db" init >/dev/null
dialab --db "$tmp/empty.db" train >"$tmp/out" 2>"$tmp/err"
is $? 65 "train on an empty database exits 65"
like "$tmp/err" 'no human labels to train on .intents, slots, goals' "and says there is nothing to learn from"
dialab --db "$tmp/empty.db" label >"$tmp/out" 2>"$tmp/err"
is $? 65 "label without a trained model exits 65"
like "$tmp/err" "train one with 'dialab train'" "and names the command that makes one"
dialab --db "$tmp/empty.db" eval --model intent >"$tmp/out" 2>"$tmp/err"
is $? 65 "eval --model intent without one exits 65"
dialab --db "$tmp/empty.db" train --model nope >"$tmp/out" 2>"$tmp/err"
is $? 64 "an unknown model is a usage error"
like "$tmp/err" "unknown model 'nope'" "named in the message"
dialab --db "$tmp/empty.db" train --dev-split 2 >"$tmp/out" 2>"$tmp/err"
is $? 64 "--dev-split out of range is a usage error"
dialab --db "$tmp/empty.db" train --seed -1 >"$tmp/out" 2>"$tmp/err"
is $? 64 "a negative --seed is a usage error"
dialab --db "$tmp/empty.db" eval --format snips >"$tmp/out" 2>"$tmp/err"
is $? 64 "eval --format without --data is a usage error"
dialab --db "$tmp/empty.db" label --where 'colour=red' >"$tmp/out" 2>"$tmp/err"
is $? 65 "label checks the model first"
dialab --db "$tmp/nowhere.db" train >"$tmp/out" 2>"$tmp/err"
is $? 66 "train on a missing database exits 66"

# ---- Agreement, checked against values computed by hand. ----
# One dialogue of four turns; annotators A and B answer through the
# decision log, C through stored human:C labels; the model's labels are
# model:intent@1.
#        t0 t1 t2 t3
#   A    x  x  y  y
#   B    x  y  y  x
#   C    x  x  y  x
#   model x y  y  x
cat >"$tmp/agree.jsonl" <<'J'
{"id":"g1","user":"u1","turns":[{"text":"one two three","labels":[{"kind":"intent","value":"x","source":"human:C"},{"kind":"intent","value":"x","source":"model:intent@1"},{"kind":"slots","value":[{"type":"n","start":0,"end":3}],"source":"model:slots@1"}]},{"text":"two","labels":[{"kind":"intent","value":"x","source":"human:C"},{"kind":"intent","value":"y","source":"model:intent@1"}]},{"text":"three","labels":[{"kind":"intent","value":"y","source":"human:C"},{"kind":"intent","value":"y","source":"model:intent@1"}]},{"text":"four","labels":[{"kind":"intent","value":"x","source":"human:C"},{"kind":"intent","value":"x","source":"model:intent@1"}]}]}
J
dialab --db "$tmp/agree.db" import "$tmp/agree.jsonl" >/dev/null
dec() {	# dec ANNOTATOR TURN KIND VALUE
	q "$tmp/agree.db" "INSERT INTO decisions (annotator, at, dialogue_id, turn_idx, kind, action, new_value) VALUES ('$1', 1, 1, $2, '$3', 'correct', '$4')"
}
dec A 0 intent '"x"'; dec A 1 intent '"x"'; dec A 2 intent '"y"'; dec A 3 intent '"y"'
dec B 0 intent '"x"'; dec B 1 intent '"y"'; dec B 2 intent '"y"'; dec B 3 intent '"x"'
dec A 0 slots '[{"type":"n","start":0,"end":3}]'
dec B 0 slots '[{"type":"n","start":0,"end":3},{"type":"n","start":4,"end":7}]'
dialab --db "$tmp/agree.db" agree --json >"$tmp/ag.json" 2>"$tmp/err"
ok $? "agree --json works"
r() { python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(round(eval(sys.argv[2], {"d": d}), 4))' "$tmp/ag.json" "$1"; }
pair() { echo "[p for p in d['kinds']['intent']['pairs'] if p['a']+p['b']=='$1'][0]['kappa']"; }
is "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["annotators"])' "$tmp/ag.json")" \
	"['C', 'A', 'B']" "three annotators: stored human labels and decisions"
# po = 1/2, pe = 1/2
is "$(r "$(pair AB)")" 0.0 "Cohen's kappa A~B = (0.5 - 0.5) / (1 - 0.5) = 0"
# po = 3/4, pe = 1/2 * 3/4 + 1/2 * 1/4 = 1/2
is "$(r "$(pair CA)")" 0.5 "Cohen's kappa A~C = (0.75 - 0.5) / 0.5 = 0.5"
is "$(r "$(pair CB)")" 0.5 "Cohen's kappa B~C = 0.5"
# P_i = 1, 1/3, 1, 1/3 -> 2/3; p = 7/12, 5/12 -> Pe = 74/144
is "$(r "d['kinds']['intent']['fleiss']['kappa']")" 0.3143 "Fleiss' kappa = (2/3 - 74/144) / (70/144) = 22/70"
# v = 12, D = 4, v^2 - sum v_c^2 = 144 - 74 = 70
is "$(r "d['kinds']['intent']['alpha']")" 0.3714 "Krippendorff's alpha = 1 - 11 * 4 / 70 = 26/70"
# gold x x y x; model x y y x
is "$(r "d['kinds']['intent']['model_vs_gold']['accuracy']")" 0.75 "the model matches the majority gold on 3 of 4"
# A vs majority(B, C): t0 x=x, t1 tie, t2 y=y, t3 A y vs x -> 2/3; model on those: 3/3
is "$(r "[s for s in d['kinds']['intent']['single_vs_gold'] if s['annotator']=='A'][0]['accuracy']")" \
	0.6667 "A against the others' majority: 2 of 3"
is "$(r "[s for s in d['kinds']['intent']['single_vs_gold'] if s['annotator']=='A'][0]['model_accuracy']")" \
	1.0 "the model on the same 3: all right"
# pooled: annotators 2/3 + 2/3 + 2/2 = 6/8; the model 3/3 + 2/3 + 2/2 = 7/8
is "$(r "d['kinds']['intent']['single_pooled']['accuracy']")" 0.75 "a single annotator, pooled: 6 of 8"
is "$(r "d['kinds']['intent']['single_pooled']['model_accuracy']")" 0.875 "the model on the same: 7 of 8"
# slots: A as reference, B adds one span: P 1/2, R 1, F1 2/3
is "$(r "d['kinds']['slots']['pairs'][0]['f1']")" 0.6667 "slot span F1 between A and B = 2/3"
dialab --db "$tmp/agree.db" agree >"$tmp/out" 2>"$tmp/err"
ok $? "agree prints text"
like "$tmp/out" "a single annotator: 0.7500 on 8 items; the model: 0.8750 on 8 of them \(the model is better\)" \
	"with the headline answer"
dialab --db "$tmp/agree.db" agree --kind nope >"$tmp/out" 2>"$tmp/err"
is $? 64 "agree --kind with an unknown kind is a usage error"
q "$tmp/agree.db" "INSERT INTO decisions (annotator, at, dialogue_id, turn_idx, kind, action, ref) VALUES ('B', 2, 1, 1, 'intent', 'undo', (SELECT id FROM decisions WHERE annotator = 'B' AND turn_idx = 1 AND kind = 'intent'))"
dialab --db "$tmp/agree.db" agree --kind intent --json >"$tmp/ag.json"
is "$(r "$(pair CB)")" 1.0 "an undone decision no longer counts (B~C now agree on all 3 left)"

# Slots on a corrected transcription agree by type and words with slots on the ASR words.
cat >"$tmp/agree2.jsonl" <<'J'
{"id":"w1","turns":[{"text":"play beetles","labels":[{"kind":"transcription","value":"play the beatles","source":"human:ana"},{"kind":"slots","value":[{"type":"artist","start":9,"end":16}],"source":"human:ana"},{"kind":"slots","value":[{"type":"artist","start":5,"end":12}],"source":"human:bob"}]},{"text":"play jazz","labels":[{"kind":"transcription","value":"play some jazz","source":"human:ana"},{"kind":"slots","value":[{"type":"genre","start":10,"end":14}],"source":"human:ana"},{"kind":"slots","value":[{"type":"genre","start":5,"end":9}],"source":"human:bob"}]}]}
J
dialab --db "$tmp/agree2.db" import "$tmp/agree2.jsonl" >/dev/null 2>"$tmp/err"
dialab --db "$tmp/agree2.db" agree --kind slots --json >"$tmp/ag.json" 2>"$tmp/err"
# "jazz" agrees, "beatles" vs "beetles" does not: 1 of 2 each way
is "$(r "d['kinds']['slots']['pairs'][0]['f1']")" 0.5 \
	"slots over another annotator's transcription are compared by type and words"

# ---- Implicit feedback: weak labels, without any model. ----
dialab --db "$tmp/w.db" import "$top/db/demo.jsonl" >/dev/null
dialab --db "$tmp/w.db" label --implicit --json >"$tmp/lw.json" 2>"$tmp/err"
ok $? "label --implicit works without a trained model"
is "$(q "$tmp/w.db" "SELECT group_concat(DISTINCT source) FROM (SELECT source FROM labels WHERE source LIKE 'implicit:%' ORDER BY source)")" \
	"implicit:rephrase,implicit:success" "it writes rephrase and success labels"
is "$(q "$tmp/w.db" "SELECT count(*) FROM labels m WHERE m.source LIKE 'implicit:%' AND EXISTS (SELECT 1 FROM labels h WHERE h.dialogue_id = m.dialogue_id AND h.turn_idx = m.turn_idx AND h.kind = m.kind AND h.source LIKE 'human:%')")" \
	0 "never where a human answered"
# d-0003-style rephrase: a failed turn inherits the interpretation of the rephrase that worked.
is "$(q "$tmp/w.db" "SELECT l.value FROM labels l JOIN turns t ON t.dialogue_id = l.dialogue_id AND t.idx = l.turn_idx WHERE t.text = 'is it going to snow tonight' AND l.source = 'implicit:rephrase' AND l.kind = 'slots'")" \
	'[{"type":"date","start":20,"end":27}]' "slots of the rephrase are moved onto the failed turn's words"
dialab --db "$tmp/w.db" label --implicit --json >"$tmp/lw2.json" 2>"$tmp/err"
is "$(num "$tmp/lw2.json" 'd["implicit"]["written"]["intent"] + d["implicit"]["written"]["slots"]')" 0 \
	"a second run writes none again"
dialab --db "$tmp/w.db" train --weak --model intent --json >"$tmp/tw.json" 2>"$tmp/err"
ok $? "train --weak trains on weak labels where no human answered"
is "$(num "$tmp/tw.json" 'int(d["weak"] > 50 and d["models"][0]["n_train"] > 50)')" 1 \
	"with the weak labels counted and used"
dialab --db "$tmp/w.db" train --model intent >"$tmp/out" 2>"$tmp/err"
like "$tmp/out" 'trained intent@2 on 4 examples' "without --weak only the 4 human intents count"

# ---- Slots stand on the words of their source's transcription. ----
cat >"$tmp/tr.jsonl" <<'EOF2'
{"id":"tr-1","turns":[{"text":"play beetles","labels":[{"kind":"intent","value":"play_music","source":"human:ana"},{"kind":"transcription","value":"play the beatles","source":"human:ana"},{"kind":"slots","value":[{"type":"artist","start":9,"end":16}],"source":"human:ana"}]}]}
{"id":"tr-2","turns":[{"text":"play jazz","labels":[{"kind":"intent","value":"play_music","source":"human:ana"},{"kind":"slots","value":[{"type":"genre","start":5,"end":9}],"source":"human:ana"}]}]}
EOF2
dialab --db "$tmp/tr.db" import "$tmp/tr.jsonl" >/dev/null 2>"$tmp/err"
ok $? "slots over a corrected transcription import"
dialab --db "$tmp/tr.db" train --model slots --json >"$tmp/trt.json" 2>"$tmp/err"
is "$(num "$tmp/trt.json" 'd["skipped_slots"] * 10 + d["models"][0]["n_train"]')" 2 \
	"train reads them on the transcription's words: none skipped, both learnt from"

# ---- Failure point, goals and outcome on synthetic dialogues of known truth. ----
python3 "$top/db/gen-synthetic.py" 400 3 >"$tmp/syn-train.jsonl"
python3 "$top/db/gen-synthetic.py" 200 4 >"$tmp/syn-test.jsonl"
dialab --db "$tmp/syn.db" import "$tmp/syn-train.jsonl" >/dev/null
dialab --db "$tmp/syn.db" train --model fpi,goals,outcome --seed 3 --json >"$tmp/ts.json" 2>"$tmp/err"
ok $? "train --model fpi,goals,outcome on synthetic dialogues"
dialab --db "$tmp/syn.db" eval --data "$tmp/syn-test.jsonl" --json >"$tmp/es.json" 2>"$tmp/err"
ok $? "eval on other synthetic dialogues"
is "$(num "$tmp/es.json" 'int(d["fpi"]["accuracy"] >= 0.8)')" 1 "failure-point accuracy is at least 0.8"
is "$(num "$tmp/es.json" 'int(d["goals"]["f1"] >= 0.8)')" 1 "goal boundary F1 is at least 0.8"
is "$(num "$tmp/es.json" 'int(d["outcome"]["accuracy"] >= 0.8)')" 1 "goal outcome accuracy is at least 0.8"
is "$(num "$tmp/es.json" 'len(d["fpi"]["confusion"]["labels"])')" 6 "the failure-point confusion matrix covers the six stages"
dialab --db "$tmp/syn.db" eval --model fpi >"$tmp/out" 2>"$tmp/err"
like "$tmp/out" '^fpi@1: [0-9]+ turns \(on its training data' "text output says it was scored on its training data"
is "$(q "$tmp/syn.db" "SELECT json_extract(params, '$.rephrase_model') FROM models WHERE name = 'fpi'")" 0 \
	"with no rephrase detector, fpi was trained on the fixed rephrase score"

# ---- The rephrase detector, and the judges that use it. ----
dialab --db "$tmp/syn.db" train --model rephrase --seed 3 --json >"$tmp/tr.json" 2>"$tmp/err"
ok $? "train --model rephrase on synthetic dialogues"
is "$(num "$tmp/tr.json" 'int(d["models"][0]["name"] == "rephrase" and d["models"][0]["n_train"] > 500)')" \
	1 "from their pairs of turns"
dialab --db "$tmp/syn.db" train --model fpi,goals --seed 3 >/dev/null 2>&1
is "$(q "$tmp/syn.db" "SELECT group_concat(json_extract(params, '$.rephrase_model'), ' ') FROM models WHERE name IN ('fpi', 'goals') AND version = 2")" \
	"1 1" "fpi and goals trained afterwards record the rephrase detector they learnt from"
dialab --db "$tmp/syn.db" eval --model rephrase,fpi,goals --data "$tmp/syn-test.jsonl" --json >"$tmp/er.json" 2>"$tmp/err"
ok $? "eval scores the rephrase detector on other dialogues"
is "$(num "$tmp/er.json" 'int(d["rephrase"]["per_class"]["yes"]["f1"] >= 0.9)')" 1 \
	"rephrase F1 is at least 0.9 (the fixed score at 0.4 gets about 0.81)"
is "$(num "$tmp/er.json" 'int(d["fpi"]["accuracy"] >= 0.8 and d["goals"]["f1"] >= 0.8)')" 1 \
	"the judges fed by it still score"
dialab --db "$tmp/syn.db" eval --model rephrase --data "$tmp/syn-test.jsonl" >"$tmp/out" 2>"$tmp/err"
like "$tmp/out" '^rephrase@1: [0-9]+ turn pairs' "eval's text names the rephrase detector"
python3 - "$tmp/syn-test.jsonl" >"$tmp/syn-bare.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    d["id"] = "bare-" + d["id"]
    d.pop("labels", None)
    for t in d["turns"]:
        t.pop("labels", None)
    print(json.dumps(d))
PY
dialab --db "$tmp/syn.db" import "$tmp/syn-bare.jsonl" >/dev/null
dialab --db "$tmp/syn.db" label --model rephrase --json >"$tmp/lr.json" 2>"$tmp/err"
ok $? "label --model rephrase"
is "$(q "$tmp/syn.db" "SELECT count(*) FROM labels WHERE kind = 'rephrase' AND source = 'model:rephrase@1' AND turn_idx = 0")" \
	0 "no rephrase proposal on a first turn"
is "$(q "$tmp/syn.db" "SELECT count(*) = (SELECT count(*) FROM turns t JOIN dialogues d ON d.id = t.dialogue_id WHERE d.ext_id LIKE 'bare-%' AND t.idx > 0) FROM labels WHERE kind = 'rephrase' AND source = 'model:rephrase@1'")" \
	1 "one proposal for every later turn without a human answer"
is "$(q "$tmp/syn.db" "SELECT count(*) FROM labels WHERE kind = 'rephrase' AND source = 'model:rephrase@1' AND value NOT IN ('true', 'false')")" \
	0 "each proposal is true or false"
dialab --db "$tmp/syn.db" label --model rephrase --json >"$tmp/lr2.json" 2>"$tmp/err"
is "$(num "$tmp/lr2.json" 'd["written"]["rephrase"]')" 0 "a second run writes nothing new"

if [ ! -d "$data/snips/train" ]; then
	skip 42 "no shared data at $data"
	done_testing
	exit
fi

# ---- Train on a small fixed set. ----
mkdir "$tmp/small" "$tmp/heldout"
for f in seq.in seq.out label; do
	head -n 600 "$data/snips/train/$f" >"$tmp/small/$f"
	head -n 200 "$data/snips/test/$f" >"$tmp/heldout/$f"
done
dialab --db "$tmp/s.db" import --format snips "$tmp/small" >/dev/null
dialab --db "$tmp/s.db" train --dev-split 0.2 --seed 7 --json >"$tmp/t1.json" 2>"$tmp/err"
ok $? "train --dev-split 0.2 --seed 7 works"
is "$(num "$tmp/t1.json" 'd["models"][0]["version"]')" 1 "the first intent model is version 1"
is "$(num "$tmp/t1.json" 'int(d["models"][0]["n_train"] + d["models"][0]["n_dev"])')" 600 \
	"every utterance is for training or held out"
is "$(num "$tmp/t1.json" 'int(d["models"][0]["metrics"]["accuracy"] >= 0.85)')" 1 \
	"600 SNIPS utterances give a held-out intent accuracy of at least 0.85"
is "$(num "$tmp/t1.json" 'int(d["models"][1]["metrics"]["f1"] >= 0.6)')" 1 \
	"and a held-out slot span F1 of at least 0.6"
dialab --db "$tmp/s.db" train --dev-split 0.2 --seed 7 >"$tmp/out" 2>"$tmp/err"
like "$tmp/out" '^trained intent@2 on [0-9]+ examples' "a second run stores version 2"
is "$(q "$tmp/s.db" "SELECT count(DISTINCT weights) || ' ' || count(*) FROM models WHERE name = 'intent'")" \
	"1 2" "the same data and seed give the same intent weights, byte for byte"
is "$(q "$tmp/s.db" "SELECT count(DISTINCT weights) || ' ' || count(*) FROM models WHERE name = 'slots'")" \
	"1 2" "and the same slot weights"
dialab --db "$tmp/s.db" train --model intent --seed 8 >/dev/null 2>&1
is "$(q "$tmp/s.db" "SELECT count(DISTINCT weights) FROM models WHERE name = 'intent'")" 2 \
	"another seed gives another model"

# ---- Eval: a model stored by one run loads in another. ----
dialab --db "$tmp/s.db" eval --model intent,slots --data "$tmp/heldout" --format snips --json \
	>"$tmp/e.json" 2>"$tmp/err"
ok $? "eval --data on an external SNIPS folder works"
for e in 'd["intent"]["accuracy"]' 'd["intent"]["macro_f1"]' 'd["intent"]["at_target"]["coverage"]' \
	'd["intent"]["curve"][5]["accuracy"]' 'd["slots"]["precision"]' 'd["slots"]["recall"]' \
	'd["slots"]["f1"]' 'd["slots"]["exact"]' 'd["sentence_accuracy"]' 'd["intent"]["n"]'; do
	[ "$(num "$tmp/e.json" "$e")" != bad ]
	ok $? "eval --json: $e is a number"
done
is "$(num "$tmp/e.json" 'd["intent"]["n"]')" 200 "scored on the 200 utterances of the file"
dialab --db "$tmp/s.db" eval >"$tmp/out" 2>"$tmp/err"
like "$tmp/out" 'held-out 20% of the database' "eval without --data scores the held-out split"
printf '{"id":"x","turns":[{"text":"hi"}]}\n{"id":"y","turns":[]}\n' >"$tmp/bad.jsonl"
dialab --db "$tmp/s.db" eval --data "$tmp/bad.jsonl" >"$tmp/out" 2>"$tmp/err"
is $? 65 "eval on a bad file exits 65"
like "$tmp/err" 'bad.jsonl:2: \$\.turns' "naming the file, line and field"

# ---- Label: never over a human answer; resumable. ----
dialab --db "$tmp/d.db" import "$top/db/demo.jsonl" >/dev/null
dialab --db "$tmp/d.db" import --format snips "$tmp/small" >/dev/null
dialab --db "$tmp/d.db" train --seed 1 >/dev/null 2>&1
human() { q "$tmp/d.db" "SELECT count(*), total(length(value)) FROM labels WHERE source NOT LIKE 'model:%'"; }
before=$(human)
# A reviewer's answer on a turn that has no human intent label.
q "$tmp/d.db" "INSERT INTO decisions (annotator, at, dialogue_id, turn_idx, kind, action, new_value) SELECT 'rev', 1, dialogue_id, turn_idx, 'intent', 'correct', '\"Mine\"' FROM labels l WHERE kind = 'intent' AND source LIKE 'model:%' AND NOT EXISTS (SELECT 1 FROM labels h WHERE h.dialogue_id = l.dialogue_id AND h.turn_idx = l.turn_idx AND h.kind = 'intent' AND h.source NOT LIKE 'model:%') LIMIT 1"
dialab --db "$tmp/d.db" label --json >"$tmp/l1.json" 2>"$tmp/err"
ok $? "label works"
is "$(human)" "$before" "no human or gold label was changed"
is "$(q "$tmp/d.db" "SELECT count(*) FROM labels m WHERE m.source LIKE 'model:intent@1' AND EXISTS (SELECT 1 FROM labels h WHERE h.dialogue_id = m.dialogue_id AND h.turn_idx = m.turn_idx AND h.kind = 'intent' AND (h.source LIKE 'human:%' OR h.source LIKE 'import:%'))")" \
	0 "no proposal where a human or gold intent exists"
is "$(q "$tmp/d.db" "SELECT count(*) FROM labels m JOIN decisions d ON d.dialogue_id = m.dialogue_id AND d.turn_idx = m.turn_idx AND d.kind = 'intent' WHERE m.source = 'model:intent@1'")" \
	0 "nor on the turn a reviewer answered"
n1=$(num "$tmp/l1.json" 'd["written"]["intent"]')
is "$(q "$tmp/d.db" "SELECT count(*) FROM labels WHERE source = 'model:intent@1' AND candidates LIKE '[{\"value\":%'")" \
	"$n1" "each intent proposal is stored with its candidates"
dialab --db "$tmp/d.db" label --json >"$tmp/l2.json" 2>"$tmp/err"
is "$(num "$tmp/l2.json" 'd["written"]["intent"]'):$(num "$tmp/l2.json" 'd["already"]["intent"]')" \
	"0:$n1" "a second run writes nothing new: it resumes"
dialab --db "$tmp/d.db" train --model intent --seed 2 >/dev/null 2>&1
dialab --db "$tmp/d.db" label --model intent --where 'user=u17' --json >"$tmp/l3.json" 2>"$tmp/err"
is "$(q "$tmp/d.db" "SELECT group_concat(DISTINCT d.user_id) || ':' || count(*) FROM labels l JOIN dialogues d ON d.id = l.dialogue_id WHERE l.source = 'model:intent@2'")" \
	"u17:$(num "$tmp/l3.json" 'd["written"]["intent"]')" "--where user=u17 labels only u17's turns"
dialab --db "$tmp/d.db" label --where 'colour=red' >"$tmp/out" 2>"$tmp/err"
is $? 64 "an unknown --where key is a usage error"


# ---- Goals: train on one SGD file, score on the other. ----
if [ ! -f "$data/sgd/dev/dialogues_002.json" ]; then
	skip 10 "no SGD data at $data"
	done_testing
	exit
fi
dialab --db "$tmp/g.db" import --format sgd "$data/sgd/dev/dialogues_001.json" >/dev/null
dialab --db "$tmp/g.db" train --model goals --json >"$tmp/tg.json" 2>"$tmp/err"
ok $? "train --model goals on SGD dialogues_001"
dialab --db "$tmp/g.db" eval --model goals --data "$data/sgd/dev/dialogues_002.json" --format sgd \
	--json >"$tmp/eg.json" 2>"$tmp/err"
ok $? "eval --model goals on dialogues_002"
is "$(num "$tmp/eg.json" 'int(d["goals"]["f1"] >= 0.85)')" 1 "goal boundary F1 across the files is at least 0.85"
for e in 'd["goals"]["pk"]' 'd["goals"]["windowdiff"]' 'd["goals"]["precision"]'; do
	[ "$(num "$tmp/eg.json" "$e")" != bad ]
	ok $? "eval --json: $e is a number"
done
# Label the demo with goals (from SGD) and failure points (from the demo's reviewed turns).
dialab --db "$tmp/j.db" import "$top/db/demo.jsonl" >/dev/null
dialab --db "$tmp/j.db" import --format sgd "$data/sgd/dev/dialogues_001.json" >/dev/null
q "$tmp/j.db" "INSERT INTO decisions (annotator, at, dialogue_id, turn_idx, kind, action, new_value) VALUES ('rev', 1, 2, 0, 'goal', 'correct', '1')"
dialab --db "$tmp/j.db" train --model goals,fpi >/dev/null 2>"$tmp/err"
dialab --db "$tmp/j.db" label --model goals,fpi --json >"$tmp/lj.json" 2>"$tmp/err"
ok $? "label --model goals,fpi"
is "$(q "$tmp/j.db" "SELECT count(*) FROM labels m WHERE m.source = 'model:fpi@1' AND EXISTS (SELECT 1 FROM labels h WHERE h.dialogue_id = m.dialogue_id AND h.turn_idx = m.turn_idx AND h.kind = 'failure_point' AND h.source LIKE 'human:%')")" \
	0 "no failure-point proposal over a reviewer's"
is "$(q "$tmp/j.db" "SELECT count(*) FROM labels m WHERE m.source = 'model:goals@1' AND (m.dialogue_id = 2 OR EXISTS (SELECT 1 FROM labels h WHERE h.dialogue_id = m.dialogue_id AND h.kind = 'goal' AND h.source LIKE 'import:%'))")" \
	0 "no goal proposals in a dialogue a human segmented"
is "$(q "$tmp/j.db" "SELECT count(*) FROM labels WHERE source = 'model:goals@1'")" \
	"$(num "$tmp/lj.json" 'd["written"]["goals"]')" \
	"the report counts the goal proposals it wrote"

done_testing