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

# ---- The history is kept across sessions, bounded, in $XDG_STATE_HOME ----
hist=$HOME/.local/state/dialab/teach_history
is "$(tail -n 1 "$hist" 2>/dev/null)" "quit" "the session's lines are kept in ~/.local/state/dialab/teach_history"
tm new-session -d -s h1 -x 100 -y 30 \
	"exec env XDG_STATE_HOME='$tmp/state' TERM=screen '$bin' --db '$tmp/db' teach --user u91"
wait_for h1 '^teach>'
keys h1 "I like the blues" Enter
wait_for h1 '^Saved: you like Blues'
keys h1 C-d
i=0; while tm has-session -t h1 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
is "$(cat "$tmp/state/dialab/teach_history" 2>/dev/null)" "I like the blues" \
	"with \$XDG_STATE_HOME set, they go to \$XDG_STATE_HOME/dialab/teach_history"
is "$(stat -c %a "$tmp/state/dialab") $(stat -c %a "$tmp/state/dialab/teach_history")" "700 600" \
	"for its owner's eyes only"
tm new-session -d -s h2 -x 100 -y 30 \
	"exec env XDG_STATE_HOME='$tmp/state' TERM=screen '$bin' --db '$tmp/db' teach --user u92"
wait_for h2 '^teach>'
keys h2 Up
wait_for h2 '^teach> I like the blues'
ok $? "a line typed in one session is recalled with Up in the next"
keys h2 Enter
wait_for h2 '^Saved: you like Blues'
ok $? "and works as typed"
keys h2 quit Enter
i=0; while tm has-session -t h2 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
is "$(q "$tmp/db" "SELECT count(*) FROM preferences WHERE user_id = 'u92' AND value = 'Blues'")" 1 \
	"the recalled line was stored for the second user"
seq 1 1200 | sed 's/^/line /' >"$tmp/state/dialab/teach_history"
tm new-session -d -s h3 -x 100 -y 30 \
	"exec env XDG_STATE_HOME='$tmp/state' TERM=screen '$bin' --db '$tmp/db' teach --user u93"
wait_for h3 '^teach>'
keys h3 Up
wait_for h3 '^teach> line 1200'
ok $? "a long history is read"
keys h3 C-u "list" Enter C-d
i=0; while tm has-session -t h3 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
is "$(wc -l <"$tmp/state/dialab/teach_history" | tr -d ' ') $(head -n 1 "$tmp/state/dialab/teach_history") / $(tail -n 1 "$tmp/state/dialab/teach_history")" \
	"1000 line 202 / list" "and kept to the newest 1000 lines"
printf 'I like jazz\n' | XDG_STATE_HOME=$tmp/nostate dialab --db "$tmp/db" teach --user u94 >/dev/null 2>&1
test ! -e "$tmp/nostate"
ok $? "a session whose input is not a terminal keeps no history"
: >"$tmp/afile"
tm new-session -d -s h4 -x 200 -y 30 \
	"env XDG_STATE_HOME='$tmp/afile' TERM=screen '$bin' --db '$tmp/db' teach --user u95; echo exit=\$?; sleep 10"
wait_for h4 '^teach>'
keys h4 "list" Enter quit Enter
wait_for h4 '^\(The lines of this session were not kept for the next: .*afile/dialab: Not a directory\.\)'
ok $? "history that cannot be kept is said at the end"
wait_for h4 '^exit=0'
ok $? "and the session still ends well"

# ---- t in the review UI, and back ----
tm new-session -d -s r -x 100 -y 30 \
	"cd '$tmp' && exec env DIALAB_ANNOTATOR=ana TERM=screen '$bin' --db '$tmp/db' review --goto demo-002"
wait_for r 'ana \| demo-002 2/100 \| turn 1/3'
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
wait_for r 'ana \| demo-002 2/100 \| turn 2/3'
ok $? "at the same dialogue and turn"
is "$(q "$tmp/db" "SELECT source || ' ' || p.value || ' ' || f.dialogue || ' ' || f.turns || ' ' || f.operator
	FROM preferences p JOIN feedback f ON f.preference_id = p.id WHERE p.user_id = 'u17'")" \
	"moment Golden State Warriors demo-002 [1,2] ana" "stored as a moment, with the turns and the annotator as operator"
keys r q

done_testing
