#!/bin/sh
# dialab teach in tmux: readline's keys really work, and `t` in the review UI
# opens a session for the dialogue's user and comes back to the same place.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
active() {
	q "$tmp/db" "SELECT domain || '=' || value FROM preferences WHERE user_id = '$1'
		AND revoked_at IS NULL ORDER BY 1" | paste -sd' ' -
}

dialab --db "$tmp/db" import "$top/db/demo.jsonl" >/dev/null 2>&1
tm new-session -d -s keep -x 80 -y 24 "sleep 600"

# ---- A session on a terminal: readline editing, completion, history ----
tm new-session -d -s s -x 100 -y 30 \
	"cd '$tmp' && exec env DIALAB_ANNOTATOR=op TERM=screen '$bin' --db '$tmp/db' teach --user u90"
wait_for s '^teach>'
ok $? "teach opens a readline prompt on a terminal"
keys s "I'm a fan of the golden st" Tab
wait_for s "^teach> I'm a fan of the golden state"
ok $? "Tab completes a catalog value across words"
keys s " warriors" Enter
wait_for s '^Saved: you like Golden State Warriors \(sports teams, NBA\)\.'
ok $? "the completed statement is understood and stored"
keys s "I like ital" Tab
wait_for s '^teach> I like italian'
ok $? "Tab completes a cuisine"
keys s C-a C-k "I like jaz" Tab Enter
wait_for s '^Saved: you like Jazz'
ok $? "Ctrl-A Ctrl-K clear the line (readline editing)"
keys s Up Up
wait_for s "^teach> I'm a fan of the golden state warriors"
ok $? "Up recalls earlier lines from the history"
keys s C-u "use celsus" Enter
wait_for s '^Did you mean Celsius\?'
ok $? "a misspelling is offered"
keys s y Enter
wait_for s '^Saved: your weather units: Celsius\.'
ok $? "and stored on yes"
keys s "quit" Enter
i=0; while tm has-session -t s 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
is "$(active u90)" "music_genre=Jazz sports=Golden State Warriors units=Celsius" "the session stored what it showed"

# ---- t in the review UI, and back ----
tm new-session -d -s r -x 100 -y 30 \
	"cd '$tmp' && exec env DIALAB_ANNOTATOR=ana TERM=screen '$bin' --db '$tmp/db' review --goto demo-002"
wait_for r 'ana \| demo-002 2/76 \| turn 1/3'
ok $? "the review opens on demo-002"
keys r j
wait_for r 'turn 2/3'
ok $? "on its second turn"
keys r t
wait_for r '^-- teaching u17 from dialogue demo-002, turn 2'
ok $? "t opens a teaching session for the dialogue's user"
wait_for r '^Moment 1 of 1: dialogue demo-002'
ok $? "with the focused turn as the moment"
wait_for r 'which team do you mean'
ok $? "and the question it teaches"
keys r "the dubs" Enter
wait_for r '^Saved: you like Golden State Warriors'
ok $? "the answer is stored"
keys r "quit" Enter
wait_for r 'back from teaching u17'
ok $? "quit returns to the review"
wait_for r 'ana \| demo-002 2/76 \| turn 2/3'
ok $? "at the same dialogue and turn"
is "$(q "$tmp/db" "SELECT source || ' ' || p.value || ' ' || f.dialogue || ' ' || f.turns || ' ' || f.operator
	FROM preferences p JOIN feedback f ON f.preference_id = p.id WHERE p.user_id = 'u17'")" \
	"moment Golden State Warriors demo-002 [1,2] ana" "stored as a moment, with the turns and the annotator as operator"
keys r q

done_testing
