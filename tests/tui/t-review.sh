#!/bin/sh
# The review UI, driven in tmux: assertions on the screen and on the database.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"

# start NAME ANNOTATOR [ARGS...]: dialab review in a 100x30 tmux session
start() {
	name=$1 who=$2
	shift 2
	tm new-session -d -s "$name" -x 100 -y 30 \
		"cd '$tmp' && exec env DIALAB_ANNOTATOR=$who TERM=screen '$bin' --db '$tmp/db' review $*"
}
decisions() { q "$tmp/db" "select count(*) from decisions${1:+ where $1}"; }

dialab --db "$tmp/db" import "$top/db/demo.jsonl" >/dev/null 2>&1
# a session that outlives the others, so the tmux server stays up between them
tm new-session -d -s keep -x 80 -y 24 "sleep 600"

# Open the demo: the first dialogue with its labels and the status line.
start r ana
wait_for r "what's the score of the game"
ok $? "the demo opens on its first dialogue"
wait_for r 'ana \| demo-001 1/100 \| turn 1/2 \| 0 answered'
ok $? "the status line names annotator, dialogue, turn and progress"
wait_for r 'intent +sports_score .*0\.44 model:intent@3'
ok $? "the intent shows with its confidence and source"
wait_for r 'ASR 0\.91 \| NLU sports_score 0\.42'
ok $? "the evidence line shows ASR and NLU confidence"
wait_for r '1 sports_score 0\.44  2 sports_schedule 0\.30'
ok $? "the candidates show with digits"

# Accept: the decision is in the database before the screen says so.
keys r a
wait_for r '1 answered'
ok $? "accept updates the progress"
is "$(q "$tmp/db" "select annotator, turn_idx, kind, action, new_value from decisions")" \
	'ana|0|intent|accept|"sports_score"' "accept is in the decision log"
wait_for r 'intent +sports_score +\[ok\]'
ok $? "and marked [ok] on screen"

# A failure point by its letter (focus moved on to slots; Tab twice to failure).
keys r Tab Tab
wait_for r 'c correct  w false_wake  r asr'
ok $? "the failure point field lists one letter per stage"
keys r r
wait_for r 'failure point asr saved'
ok $? "r sets the failure point to asr"
is "$(q "$tmp/db" "select action, new_value from decisions where kind = 'failure_point'")" \
	'correct|"asr"' "and logs a correction"

# Correct an intent through the readline prompt with Tab completion.
keys r j
wait_for r '>  +2  the warriors'
ok $? "j moves to the next turn"
keys r e
wait_for r '^intent: sports_score'
ok $? "e opens the prompt with the current value"
keys r C-u sports_sch Tab
wait_for r '^intent: sports_schedule'
ok $? "Tab completes over the intents known to the database"
keys r Enter
wait_for r 'saved'
is "$(q "$tmp/db" "select new_value from decisions where turn_idx = 1 and kind = 'intent'")" \
	'"sports_schedule"' "the corrected intent is logged"

# Slots through the prompt: type="words", found in the text in code points.
keys r e C-u 'team="warriors"' Enter
wait_for r 'slots +team="warriors" +\[ok\]'
ok $? "slots typed as type=\"words\", the value proposed: [ok]"
is "$(q "$tmp/db" "select action from decisions where kind = 'slots' and turn_idx = 1")" accept \
	"typing the proposed value is an accept, not a correction"
is "$(q "$tmp/db" "select new_value from decisions where kind = 'slots' and turn_idx = 1")" \
	'[{"type":"team","start":4,"end":12}]' "as code-point spans"
keys r BTab BTab e C-u 'team="celtics"' Enter
wait_for r 'not saved: "celtics" is not in the text'
ok $? "words that are not in the text are refused, nothing saved"

keys r e C-c
wait_for r 'cancelled; nothing changed'
ok $? "Ctrl-C in a prompt cancels it and the session goes on"

# Undo and redo three steps, then quit, reopen and undo again.
n=$(decisions)
keys r u
wait_for r 'undone: slots of turn 2 back to team="warriors"'
ok $? "undo says what changed: the field, the turn and the value it stands at"
keys r u u
wait_db "$tmp/db" "select count(*) from decisions where action = 'undo'" 3
is "$(decisions "action = 'undo'")" 3 "three undos are logged as decisions"
wait_for r 'intent +sports_score +\? 0\.77'
ok $? "the intent correction is undone on screen"
keys r C-r C-r C-r
wait_db "$tmp/db" "select count(*) from decisions where action = 'redo'" 3
is "$(decisions "action = 'redo'")" 3 "three redos are logged"
wait_for r 'slots +team="warriors" +\[ok\]'
ok $? "redo brings the slot answer back"
keys r q
wait_gone r
start r2 ana
wait_for r2 'ana \| demo-001 1/100 \| turn 2/2'
ok $? "reopening resumes at the last decision's turn"
keys r2 u
wait_for r2 'undone'
ok $? "undo works after a restart"
is "$(q "$tmp/db" "select action, kind from decisions order by id desc limit 1")" 'undo|slots' \
	"and undoes the last decision of the previous session"
keys r2 q
wait_gone r2

# Export carries the standing answers as human labels; an undone one is not there.
dialab --db "$tmp/db" export --labels human >"$tmp/h.jsonl" 2>"$tmp/err"
ok $? "export --labels human after a review"
grep '"id":"demo-001"' "$tmp/h.jsonl" >"$tmp/d1.jsonl"
like "$tmp/d1.jsonl" '\{"kind":"intent","value":"sports_schedule","source":"human:ana"\}' \
	"a corrected intent is exported as ana's label"
like "$tmp/d1.jsonl" '\{"kind":"failure_point","value":"asr","source":"human:ana"\}' \
	"so is a failure point set by letter"
grep -q '"value":\[{"type":"team","start":4,"end":12}\],"source":"human:ana"' "$tmp/d1.jsonl"
is $? 1 "an undone correction is not exported"
dialab --db "$tmp/rt.db" import "$tmp/h.jsonl" >/dev/null 2>&1 &&
	dialab --db "$tmp/rt.db" export --labels human >"$tmp/h2.jsonl"
cmp -s "$tmp/h.jsonl" "$tmp/h2.jsonl"
ok $? "and the export with decisions round-trips byte for byte"

# Two annotators at once on the same dialogue: both sets are stored.
start a1 ana --goto demo-010
start b1 ben --goto demo-010
wait_for a1 'demo-010' && wait_for b1 'demo-010'
ok $? "two annotators open the same dialogue"
keys a1 a
keys b1 x
keys a1 a
keys b1 x
wait_for b1 'ben \| demo-010 10/100 \| turn 1/1 \| 2 answered' &&
	wait_for a1 'intent +play_music +\[ok\]' && wait_for b1 'intent +play_music +\[wrong\]'
ok $? "each sees their own answers and progress"
is "$(q "$tmp/db" "select annotator || ':' || action || ':' || count(*) from decisions d join dialogues g on g.id = d.dialogue_id where g.ext_id = 'demo-010' group by annotator, action order by annotator")" \
	"$(printf 'ana:accept:2\nben:reject:2')" "both annotators' decisions are in the database"
keys a1 q
keys b1 q

# Terminal escapes in data are shown, never sent.
printf '%s\n' '{"id":"esc","turns":[{"text":"evil \u001b]0;pwned\u0007 and \u001b[2J clear","labels":[{"kind":"intent","value":"x","source":"model:m@1"}]}]}' >"$tmp/esc.jsonl"
dialab --db "$tmp/db" import "$tmp/esc.jsonl" >/dev/null 2>&1
start e ana --goto esc
wait_for e 'evil \^\[\]0;pwned\^G and \^\[\[2J clear'
ok $? "ESC ] 0 ; x BEL and ESC [ 2 J show as ^[]0;pwned^G and ^[[2J"
wait_for e 'ana \| esc '
ok $? "and the screen around them is intact"
is "$(tm display -p -t e '#{pane_title}')" "$(tm display -p -t e '#{host_short}')" \
	"the window title was not changed by the data"

# Resizing: 120x40, 80x24, 60x20 (too small) and back.
tm resize-window -t e -x 120 -y 40
wait_for e 'ana \| esc '
ok $? "120x40 draws the full screen"
tm resize-window -t e -x 80 -y 24
wait_for e 'ana \| esc '
ok $? "80x24 still draws the full screen"
tm resize-window -t e -x 60 -y 20
wait_for e 'needs at least 80x24'
ok $? "60x20 says the window is too small"
tm resize-window -t e -x 100 -y 30
wait_for e 'ana \| esc '
ok $? "and the screen comes back when enlarged"
keys e q

# kill -9 after 50 accepted labels leaves 50 decisions.
dialab --db "$tmp/k.db" import "$top/db/demo.jsonl" >/dev/null 2>&1
tm new-session -d -s k -x 100 -y 30 \
	"exec env DIALAB_ANNOTATOR=kim TERM=screen '$bin' --db '$tmp/k.db' review"
wait_for k 'kim \| demo-001'
i=0
while [ $i -lt 50 ]; do
	keys k a
	i=$((i + 1))
done
wait_for k '50 answered'
ok $? "50 accepts are shown as done"
pid=$(tm list-panes -t k -F '#{pane_pid}')
kill -9 "$pid"
is "$(q "$tmp/k.db" "select count(*) from decisions where action = 'accept'")" 50 \
	"kill -9 after 50 accepted labels leaves 50 decisions"

# Search and :goto.
start sr sam
wait_for sr 'sam \| demo-001'
keys sr / 'IMAGINE dragons' Enter
wait_for sr 'imagine dragons.*\(n next, N previous\)|"IMAGINE dragons" \(n next'
ok $? "/ finds a turn by its words, ignoring case"
is "$(screen sr | grep -c '^ sam | demo-001 ')" 0 "and opens another dialogue"
keys sr n
wait_for sr 'IMAGINE dragons'
keys sr / 'no such words anywhere' Enter
wait_for sr 'no later match for "no such words anywhere"'
ok $? "a search without a match says so"
keys sr : 'goto demo-042' Enter
wait_for sr 'sam \| demo-042 42/'
ok $? ":goto ID opens that dialogue"
keys sr : 'goto nope' Enter
wait_for sr 'no dialogue with id "nope"'
ok $? ":goto of an unknown id says so"
# R: the user rephrased, take the next turn's interpretation.
keys sr : 'goto demo-006' Enter
wait_for sr 'play maj and dragons'
keys sr R
wait_for sr "took the next turn's intent and slots"
ok $? "R takes the next turn's interpretation"
is "$(q "$tmp/db" "select kind || '=' || new_value || ' ' || action from decisions where annotator = 'sam' order by id")" \
	"$(printf '%s\n' 'intent="play_music" accept' 'slots=[{"type":"artist","start":5,"end":20}] accept' 'failure_point="asr" accept')" \
	"intent copied; the slot lands on the words like its own, where the turn's slot agrees; asr; each the proposal, so accepts"
is "$(q "$tmp/db" "select count(*) from decisions d join decisions f on d.ref = f.id where d.annotator = 'sam' and f.kind = 'intent' and d.kind in ('slots', 'failure_point')")" \
	2 "the three are one group"
keys sr u
wait_for sr 'undone'
is "$(q "$tmp/db" "select count(*) from decisions where annotator = 'sam' and action = 'undo'")" 3 \
	"one u undoes all three"
keys sr q

# --blind: no proposals of models, no answers or outcomes of other annotators.
start bl blinda --blind --goto demo-001
wait_for bl "blinda \\| demo-001"
ok $? "--blind opens the review"
is "$(screen bl | grep -c 'model:')" 0 "no model proposal is shown"
is "$(screen bl | grep -cE 'G1 (success|failure)')" 0 "nor the goal outcomes of models and annotators"
keys bl q

# Time of day in the dialogue's own time zone (context.timezone), not the reviewer's.
tm new-session -d -s tz -x 140 -y 30 "cd '$tmp' && exec env DIALAB_ANNOTATOR=tzzy TZ=Asia/Tokyo TERM=screen '$bin' --db '$tmp/db' review --goto demo-001"
wait_for tz '\| [0-9][0-9]:[0-9][0-9] P[SD]T'
ok $? "the time of a turn is shown in America/Los_Angeles, the dialogue's zone"
keys tz q

# Queues and filters.
nd=$(q "$tmp/db" "select count(*) from dialogues")
start qf quinn --queue friction
wait_for qf "quinn \\| demo-076 1/$nd friction"
ok $? "--queue friction opens the dialogue with the most friction first (demo-076)"
# human: imported gold, or a reviewer's standing answer (as label --where)
nh=$(q "$tmp/db" "select count(distinct dialogue_id) from (select dialogue_id from labels where kind = 'failure_point' and value = '\"asr\"' and source like 'human:%' union select dialogue_id from decisions where kind = 'failure_point' and new_value = '\"asr\"' and action <> 'reject' and id not in (select ref from decisions where action = 'undo'))")
keys qf : 'filter fp=asr source=human' Enter
wait_for qf "filter fp=asr source=human: $nh dialogues"
ok $? ":filter narrows the queue and says how far ($nh: gold and reviewers' answers)"
wait_for qf "1/$nh friction filtered"
ok $? "the status line shows the order and the filter"
keys qf : 'filter intent=no_such_intent' Enter
wait_for qf 'No dialogue matches the filter "intent=no_such_intent"'
ok $? "a filter that matches nothing says so, and how to clear it"
keys qf : 'filter' Enter
wait_for qf "no filter: $nd dialogues"
ok $? ":filter alone clears it"
keys qf : 'queue uncertain' Enter
wait_for qf "queue: uncertain, $nd dialogues"
ok $? ":queue changes the order, staying on the dialogue"
first=$(q "$tmp/db" "select d.ext_id from dialogues d order by (select min(confidence) from labels l where l.dialogue_id = d.id and l.source like 'model:%') is null, (select min(confidence) from labels l where l.dialogue_id = d.id and l.source like 'model:%'), d.id limit 1")
keys qf : 'goto '"$first" Enter
wait_for qf "quinn \\| $first 1/$nd uncertain"
ok $? "the uncertain queue starts with the dialogue of the least confident proposal"
keys qf : 'filter colour=red' Enter
wait_for qf "unknown key 'colour'"
ok $? "a bad filter is refused with the keys it knows"
keys qf q
tm new-session -d -s qb -x 100 -y 30 "exec env TERM=screen '$bin' --db '$tmp/db' review --queue sideways 2>'$tmp/qerr'; sleep 3"
wait_file "$tmp/qerr"
like "$tmp/qerr" "unknown order 'sideways'" "an unknown --queue is a usage error"

# dialab demo on a terminal is the review UI on the demo data.
tm new-session -d -s dm -x 100 -y 30 "exec env DIALAB_ANNOTATOR=dee TERM=screen '$bin' --db '$tmp/demo.db' demo"
wait_for dm 'dee \| demo-001 1/100'
ok $? "dialab demo opens the review UI on the demo"
keys dm q

# An empty database says what to do.
dialab --db "$tmp/empty.db" init >/dev/null 2>&1
tm new-session -d -s m -x 100 -y 30 "exec env TERM=screen '$bin' --db '$tmp/empty.db' review"
wait_for m 'no dialogues yet'
ok $? "an empty database says what to do"
keys m q

# Slots by keyboard: the word cursor selects, extends, shrinks, types, moves, deletes.
last_slots() { q "$tmp/db" "select new_value from decisions where annotator = '$1' and kind = 'slots' and action in ('correct', 'accept') order by id desc limit 1"; }
start sp spa --goto demo-001
wait_for sp 'spa \| demo-001'
keys sp Tab
wait_for sp '^v select words'
ok $? "the slots field's key hint names the word cursor"
keys sp v
wait_for sp '^\[the game\]  h l move  H L shrink/extend  Enter type  d delete  m move  v done'
ok $? "v selects the words of the first slot and lists the span keys"
keys sp h h
wait_for sp '^\[score of\]  h l'
ok $? "h moves the selection a word to the left"
keys sp H
wait_for sp '^\[score\]  h l'
ok $? "H shrinks it"
tm capture-pane -e -p -t sp | grep -q "$(printf '\033')\\[[0-9;]*7mscore$(printf '\033')"
ok $? "the selection is drawn in reverse video"
keys sp L
wait_for sp '^\[score of\]  h l'
ok $? "L extends it"
keys sp H Enter
wait_for sp '^slot type: *$'
keys sp ev Tab
wait_for sp '^slot type: event$'
ok $? "Enter asks for the type; Tab completes the slot types of the database"
keys sp Enter
wait_for sp 'slot event saved'
ok $? "the slot is saved"
is "$(last_slots spa)" '[{"type":"event","start":11,"end":16},{"type":"event","start":20,"end":28}]' \
	"as one slots correction in code points"
wait_for sp 'slots +event="score" event="the ga'
ok $? "and shown on the slots line"
keys sp m
wait_for sp '^moving \[score\]  h l move.*m drop'
ok $? "m picks the slot up"
keys sp l m
wait_for sp 'slot moved'
is "$(last_slots spa)" '[{"type":"event","start":17,"end":19},{"type":"event","start":20,"end":28}]' \
	"m puts it down on the next word: one correction"
keys sp d
wait_for sp 'slot deleted'
is "$(last_slots spa)" '[{"type":"event","start":20,"end":28}]' "d deletes the slot under the cursor"
keys sp h Enter C-u stat Enter
wait_for sp 'slot stat saved'
is "$(q "$tmp/db" "select count(*) from decisions where annotator = 'spa'")" 4 \
	"each span edit is one decision"
keys sp v
wait_for sp '^v select words'
ok $? "v leaves the word cursor"

# A transcription edit takes the slots along, or marks them for review.
keys sp Tab e C-u 'tell me please what is the current score of the match' Enter
wait_for sp 'slots +stat="score" event\?="the mat.*\[check\]'
ok $? "the slot whose words are still there moves; the other goes to the words like its own, marked ? and [check]"
is "$(last_slots spa)" \
	'[{"type":"stat","start":35,"end":40},{"type":"event","start":44,"end":53,"was":"the game","review":true,"guess":true}]' \
	"in the database: moved to the new words, or guessed with \"review\":true and the words it stood on"
is "$(q "$tmp/db" "select s.ref = t.id from decisions s, decisions t where s.annotator = 'spa' and t.annotator = 'spa' and s.kind = 'slots' and t.kind = 'transcription' order by s.id desc limit 1")" 1 \
	"the slots correction is in the transcription's group"
keys sp u
wait_for sp 'undone'
is "$(q "$tmp/db" "select group_concat(kind) from (select kind from decisions where annotator = 'spa' and action = 'undo' order by id)")" \
	'slots,transcription' "one u undoes the transcription and its slots"
wait_for sp 'slots +stat="score" event="the ga'
ok $? "and the slots are back on the turn's text"
keys sp C-r
wait_for sp 'slots +stat="score" event\?="the mat'
ok $? "Ctrl-R redoes both"
keys sp q
wait_gone sp
dialab --db "$tmp/db" export --labels human >"$tmp/t.jsonl" 2>"$tmp/err"
grep '"id":"demo-001"' "$tmp/t.jsonl" >"$tmp/t1.jsonl"
like "$tmp/t1.jsonl" '\{"kind":"transcription","value":"tell me please what is the current score of the match","source":"human:spa"\}' \
	"export: the corrected words"
is "$(grep -c '"kind":"slots","value":[^]]*\],"source":"human:spa"' "$tmp/t1.jsonl")" 0 \
	"but no slots: one awaits review, and part of an answer is not an answer"
dialab --db "$tmp/t.db" import "$tmp/t.jsonl" >/dev/null 2>"$tmp/err" &&
	dialab --db "$tmp/t.db" export --labels human >"$tmp/t2.jsonl"
ok $? "slots on an annotator's transcription import (checked against it)"
cmp -s "$tmp/t.jsonl" "$tmp/t2.jsonl"
ok $? "and export again byte for byte"

# Goals: toggle a goal start, set outcomes, undo the toggle in one step.
start gl gil --goto demo-005
wait_for gl 'gil \| demo-005'
keys gl Tab Tab Tab Tab
wait_for gl '^g new goal here \(toggle\)  y goal succeeded  f failed'
ok $? "the goal field's key hint names g, y and f"
keys gl f
wait_for gl 'G1 failure \(you\)'
ok $? "f: the header shows this annotator's outcome over the proposal"
is "$(q "$tmp/db" "select turn_idx, new_value from decisions where annotator = 'gil' and kind = 'goal_outcome'")" \
	'0|{"goal":1,"outcome":"failure"}' "a goal_outcome decision on the goal's first turn"
keys gl j Tab Tab Tab Tab g
wait_for gl 'goal 2 starts at turn 2'
ok $? "g starts a new goal at the turn"
wait_for gl 'G2 >  2  no something italian'
ok $? "the bracket shows goal 2 from there"
is "$(q "$tmp/db" "select group_concat(turn_idx || '=' || new_value, ' ') from decisions where annotator = 'gil' and kind = 'goal'")" \
	'1=2 2=2 3=2' "this turn and the later ones are renumbered"
is "$(q "$tmp/db" "select count(distinct coalesce(ref, id)) from decisions where annotator = 'gil' and kind = 'goal'")" 1 \
	"as one group"
keys gl y
wait_for gl 'G1 failure \(you\)  G2 success \(you\)'
ok $? "y: goal 2 succeeded, in the header"
is "$(q "$tmp/db" "select turn_idx, new_value from decisions where annotator = 'gil' and kind = 'goal_outcome' order by id desc limit 1")" \
	'1|{"goal":2,"outcome":"success"}' "on goal 2's first turn"
keys gl u
wait_for gl 'undone'
keys gl u
wait_for gl '>  2  no something italian'
wait_db "$tmp/db" "select count(*) from decisions where annotator = 'gil' and action = 'undo' and kind = 'goal'" 3
is "$(q "$tmp/db" "select count(*) from decisions where annotator = 'gil' and action = 'undo' and kind = 'goal'")" 3 \
	"u undoes the whole toggle at once"
is "$(screen gl | grep -c 'G2')" 0 "and goal 2 is gone from the screen"
keys gl '?'
wait_for gl 'v +slots: select words, then h l move, H L shrink / extend' &&
	wait_for gl 'g  y  f +goal: a new goal starts here' &&
	wait_for gl 'on \[check\] slots'
ok $? "? lists the span and goal keys, and what a does on slots awaiting review"
keys gl q
wait_gone gl
dialab --db "$tmp/db" export --labels human >"$tmp/g.jsonl" 2>"$tmp/err"
grep '"id":"demo-005"' "$tmp/g.jsonl" >"$tmp/d5.jsonl"
like "$tmp/d5.jsonl" '\],"labels":\[.*\{"kind":"goal_outcome","value":\{"goal":1,"outcome":"failure"\},"source":"human:gil"\}' \
	"export puts the decided goal outcome on the dialogue"

# The word cursor over CJK and emoji.
printf '%s\n' '{"id":"cjk","turns":[{"text":"播放 周杰伦 的歌 🎉","labels":[{"kind":"slots","value":[],"source":"model:m@1"}]}]}' >"$tmp/cjk.jsonl"
dialab --db "$tmp/db" import "$tmp/cjk.jsonl" >/dev/null 2>&1
start cj cho --goto cjk
wait_for cj 'cho \| cjk'
keys cj v l
wait_for cj '^\[周杰伦\]  h l'
ok $? "the cursor moves over CJK words"
keys cj l l
wait_for cj '^\[🎉\]  h l'
ok $? "and onto an emoji"
keys cj h h Enter C-u artist Enter
wait_for cj 'slot artist saved'
is "$(last_slots cho)" '[{"type":"artist","start":3,"end":6}]' "the span counts code points"
wait_for cj 'slots +artist="周杰伦"'
ok $? "and the screen shows it"
keys cj q

# Text without spaces: the word cursor steps over script runs, not the whole sentence.
printf '%s\n' '{"id":"ja","turns":[{"text":"東京の天気は","labels":[{"kind":"slots","value":[{"type":"location","start":0,"end":2}],"confidence":0.8,"source":"model:m@1"}]}]}' >"$tmp/ja.jsonl"
dialab --db "$tmp/db" import "$tmp/ja.jsonl" >/dev/null 2>&1
start ja jun --goto ja
wait_for ja 'jun \| ja '
keys ja v
wait_for ja '^\[東京\]  h l move'
ok $? "v on Japanese selects the slot's word, not the sentence"
esc=$(printf '\033')
tm capture-pane -e -p -t ja | grep -qE "7m($esc\\[[0-9]{2}m)*東京$esc\\[0m($esc\\[[0-9]{2}m)*の天気は"
ok $? "and only its two characters are in reverse video (a reset, then colours only)"
keys ja l
wait_for ja '^\[の\]  h l'
ok $? "l moves to the Hiragana particle"
keys ja l Enter C-u topic Enter
wait_for ja 'slot topic saved'
is "$(last_slots jun)" '[{"type":"location","start":0,"end":2},{"type":"topic","start":3,"end":5}]' \
	"a type on 天気 spans that word only, the location stays on 東京"
keys ja h h Enter
wait_for ja '^slot type: location$'
ok $? "back on 東京, the prompt holds its slot's type"
keys ja Enter
wait_for ja 'slot location saved'
is "$(last_slots jun)" '[{"type":"location","start":0,"end":2},{"type":"topic","start":3,"end":5}]' \
	"Enter location keeps location=\"東京\" instead of taking the whole sentence"
keys ja q

# A long corrected transcription wraps beside the answer column instead of being cut.
tm new-session -d -s wr -x 100 -y 30 "cd '$tmp' && exec env DIALAB_ANNOTATOR=wrap TERM=screen '$bin' --db '$tmp/db' review --goto demo-003"
wait_for wr 'wrap \| demo-003'
keys wr Tab Tab e C-u 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen end' Enter
wait_for wr 'transcr +one two three four .* \[fixed\]'
ok $? "the first line of a long transcription, with the answer column beside it"
wait_for wr '^ +[^ ].*fourteen end *$'
ok $? "and its last words on a line of their own below"
keys wr q

# The rephrase detector's answer is evidence of the turn: shown under it, hidden when blind.
cat >"$tmp/reph.jsonl" <<'J'
{"id":"reph-1","turns":[{"text":"play the beetles","response":"Sorry, I can't find that."},{"text":"play the beatles","response":"Playing The Beatles.","labels":[{"kind":"rephrase","value":true,"confidence":0.93,"source":"model:rephrase@1"}]}]}
J
dialab --db "$tmp/reph.db" import "$tmp/reph.jsonl" >/dev/null 2>&1
tm new-session -d -s rp -x 100 -y 30 "cd '$tmp' && exec env DIALAB_ANNOTATOR=rp TERM=screen '$bin' --db '$tmp/reph.db' review"
wait_for rp 'rp \| reph-1'
keys rp j
wait_for rp 'REPHRASE 0\.93'
ok $? "a turn that restates the one before says so in its evidence, with the confidence"
keys rp q
tm new-session -d -s rb -x 100 -y 30 "cd '$tmp' && exec env DIALAB_ANNOTATOR=rb TERM=screen '$bin' --db '$tmp/reph.db' review --blind"
wait_for rb 'rb \| reph-1'
keys rb j
wait_for rb 'turn 2/2'
is "$(screen rb | grep -c REPHRASE)" 0 "--blind hides the model's answer"
keys rb q

# The help at 80x24 does not fit: it scrolls, and any other key closes it.
tm new-session -d -s hp -x 80 -y 24 "cd '$tmp' && exec env DIALAB_ANNOTATOR=helpy TERM=screen '$bin' --db '$tmp/db' review --goto demo-001"
wait_for hp 'helpy \| demo-001'
keys hp '?'
wait_for hp 'lines 1-23 of [0-9]+: j k Space scroll'
ok $? "a help taller than the window says which lines show and how to scroll"
keys hp Space
wait_for hp 'Press any key'
ok $? "Space scrolls to its last lines"
keys hp k
wait_for hp 'lines [0-9]+-[0-9]+ of'
ok $? "k scrolls back"
keys hp x
wait_for hp 'helpy \| demo-001 1/[0-9]+ \| turn 1'
ok $? "another key closes it"
is "$(decisions "annotator = 'helpy'")" 0 "and is not taken as a decision"
keys hp q

# Gold that is never silently wrong.  demo-006: A accepts the transcription
# fix "play imagine dragons"; the artist slot stood on "maj and dragons".
start gw gold --goto demo-006
wait_for gw 'gold \| demo-006'
keys gw A
wait_for gw 'slots marked \? moved with the words: a confirms them'
ok $? "A on a turn whose slots the new words moved says they await review"
wait_for gw 'slots +artist\?="imagine dragons" +\[check\]'
ok $? "the slot shows on the words it became, marked ? and [check]"
wait_for gw 'gold \| demo-006 [0-9]+/[0-9]+ \| turn 1/2 \| 4 answered'
ok $? "the turn stays, and the slots are not counted as answered"
dialab --db "$tmp/db" export --labels human 2>/dev/null | grep '"id":"demo-006"' >"$tmp/g6.jsonl"
like "$tmp/g6.jsonl" '"kind":"transcription","value":"play imagine dragons","source":"human:gold"' \
	"export has the accepted transcription"
is "$(grep -c '"kind":"slots"[^}]*"source":"human:gold"' "$tmp/g6.jsonl")" 0 \
	"but no slots answer: never [] for slots awaiting review"
dialab --db "$tmp/db" export --labels human --format conll 2>/dev/null >"$tmp/g6.conll"
is "$(grep -c 'B-artist' "$tmp/g6.conll" | tr -d ' ')" "$(dialab --db "$tmp/db" export --labels human --format conll 2>/dev/null | grep -c B-artist)" \
	"conll export runs"
keys gw a
wait_for gw 'slots +artist="imagine dragons" +\[fixed\]'
ok $? "a on the slots confirms them as shown"
is "$(q "$tmp/db" "select new_value from decisions where annotator = 'gold' and kind = 'slots' order by id desc limit 1")" \
	'[{"type":"artist","start":5,"end":20}]' "in the database: settled, on the new words"
dialab --db "$tmp/db" export --labels human 2>/dev/null | grep '"id":"demo-006"' >"$tmp/g6.jsonl"
like "$tmp/g6.jsonl" '"kind":"slots","value":\[\{"type":"artist","start":5,"end":20\}\],"source":"human:gold"' \
	"and now exported as the answer"
# demo-076 turn 9 "add oak milk": R takes "no oat milk o a t"; item stays on "oak milk".
keys gw : 'goto demo-076' Enter
wait_for gw 'gold \| demo-076'
keys gw j j j j j j j j
wait_for gw 'turn 9/23'
keys gw R
wait_for gw "took the next turn's intent and slots"
is "$(q "$tmp/db" "select new_value from decisions where annotator = 'gold' and kind = 'slots' order by id desc limit 1")" \
	'[{"type":"item","start":4,"end":12}]' "R keeps item=\"oak milk\" (oat milk lands on the words like it)"
wait_for gw 'slots +item="oak milk"'
ok $? "and shows it"
# The key of the value already proposed is an accept.
keys gw j
wait_for gw 'turn 10/23.*saved'
wait_for gw '^a accept  x reject  e edit '
keys gw Tab Tab Tab
wait_for gw 'c correct  w false_wake'
keys gw c
wait_for gw 'failure point correct saved'
is "$(q "$tmp/db" "select action from decisions where annotator = 'gold' and kind = 'failure_point' and turn_idx = 9")" \
	accept "c on a proposed \"correct\" is logged as an accept"
keys gw q

# Colour reaches the screen on a 256-colour terminal: slot words in their
# type's colour, the failure badge green or red; NO_COLOR underlines instead.
colour() { tm capture-pane -e -p -t "$1"; }
tm new-session -d -s col -x 100 -y 30 "cd '$tmp' && exec env DIALAB_ANNOTATOR=colour TERM=screen-256color '$bin' --db '$tmp/db' review --goto demo-001"
wait_for col 'colour \| demo-001'
colour col | grep -q "score of $(printf '\033')\[1m$(printf '\033')\[3[0-9]mthe game"
ok $? "slot words are drawn in a colour (capture-pane -e)"
colour col | grep -q "$(printf '\033')\[32m\[correct\]"
ok $? "the failure badge 'correct' is green"
keys col q
tm new-session -d -s nocol -x 100 -y 30 "cd '$tmp' && exec env NO_COLOR=1 DIALAB_ANNOTATOR=colour TERM=screen-256color '$bin' --db '$tmp/db' review --goto demo-001"
wait_for nocol 'colour \| demo-001'
colour nocol | grep -q "score of $(printf '\033')\[4mthe game"
ok $? "NO_COLOR underlines the slot words"
is "$(colour nocol | grep -c "$(printf '\033')\[3[0-7]m")" 0 "and draws no colour at all"
keys nocol q

# Not a terminal: a clear usage error.
dialab --db "$tmp/db" review </dev/null >"$tmp/out" 2>"$tmp/err"
is $? 64 "review without a terminal exits 64"
like "$tmp/err" 'needs a terminal' "and says why"
done_testing
