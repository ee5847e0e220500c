#!/bin/sh
# dialab review in tmux: where the turn's context moved the model's
# intent, the candidates line shows what it would be without the context.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
db=$tmp/db
python3 "$top/db/gen-synthetic.py" 600 5 --context 0.8 >"$tmp/train.jsonl"
dialab --db "$db" import "$tmp/train.jsonl" >/dev/null 2>&1
dialab --db "$db" train --model intent >/dev/null 2>&1
cat >"$tmp/new.jsonl" <<'EOF2'
{"id":"oven-1","user":"u01","device":{"type":"speaker","screen":false,"room":"kitchen"},"context":{"timezone":"America/Los_Angeles"},"turns":[{"ts":1767250000,"text":"what is the temperature","device_state":{"oven":"on"},"response":"The oven is at 180 degrees."}]}
{"id":"oven-2","user":"u01","device":{"type":"speaker","screen":false,"room":"kitchen"},"context":{"timezone":"America/Los_Angeles"},"turns":[{"ts":1767250000,"text":"what is the temperature","response":"It is 12 degrees."}]}
EOF2
dialab --db "$db" import "$tmp/new.jsonl" >/dev/null 2>&1
dialab --db "$db" label --model intent >/dev/null 2>&1
ok $? "label the new turns"

tm new-session -d -s keep -x 80 -y 24 "sleep 600"
tm new-session -d -s c -x 150 -y 30 \
	"exec env DIALAB_ANNOTATOR=ana TERM=screen '$bin' --db '$db' review --goto oven-1"
wait_for c 'intent +oven_temperature'
ok $? "the oven turn's proposal is the oven's temperature"
wait_for c 'speaker .*oven=on'
ok $? "the evidence line shows the device and its state"
wait_for c "1 oven_temperature [0-9.]+ .*\\| without context: get_weather [0-9.]+ \\(device_state oven=on\\)" || { screen c | head -12 | sed "s/^/# /"; false; }
ok $? "the candidates say what it would be without the context, and which context"
keys c J
wait_for c 'oven-2'
ok $? "the next dialogue"
screen c >"$tmp/scr"
unlike "$tmp/scr" 'without context' "without a context that moved it, no such note"
keys c q
wait_gone c
ok $? "q quits"
done_testing
