#!/bin/sh
# dialab review --queue rewrites in tmux: the queue shows each rewrite with
# its example sessions; a, x, e and u are logged decisions that resolve obeys.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
db=$tmp/db
python3 "$top/tests/data/gen-rephrases.py" >"$tmp/rp.jsonl"
dialab --db "$db" import "$tmp/rp.jsonl" >/dev/null 2>&1
dialab --db "$db" rewrites mine >/dev/null 2>&1
tm new-session -d -s keep -x 80 -y 24 "sleep 600"
status() { q "$db" "SELECT status FROM rewrites WHERE id = $1"; }

tm new-session -d -s r -x 110 -y 32 \
	"exec env DIALAB_ANNOTATOR=ana TERM=screen '$bin' --db '$db' review --queue rewrites"
wait_for r '^dialab review: rewrites queue  5 proposed of 5  annotator ana'
ok $? "the rewrites queue opens with the proposed rewrites"
wait_for r '^> #1 +proposed global +- +7  play maj and dragons -> play imagine dragons'
ok $? "the one with the most support first"
wait_for r '^   play maj and dragons$' && wait_for r '^   play imagine dragons$'
ok $? "the original and the rewrite are shown"
wait_for r 'global  status proposed  support 7 sessions  P\(success\) 0.00 -> 1.00'
ok $? "with scope, status, support and P(success) before and after"
wait_for r '^   rp-001 \(user u1\)' && wait_for r 'assistant: "Sorry, I couldn.t find that\."'
ok $? "and example sessions with the assistant's responses"

keys r a
wait_db "$db" "SELECT status FROM rewrites WHERE id = 1" accepted
ok $? "a accepts"
wait_for r '^#1 now: accepted'
ok $? "and says so"
wait_for r '^> #2 +proposed'
ok $? "and moves on to the next proposed rewrite"
keys r x
wait_db "$db" "SELECT status FROM rewrites WHERE id = 2" rejected
ok $? "x rejects"
keys r k u
wait_db "$db" "SELECT status FROM rewrites WHERE id = 2" proposed
ok $? "u undoes the last decision on the rewrite"
wait_for r '^#2 back to: proposed'
ok $? "and says what it went back to"
is "$(q "$db" "SELECT group_concat(action, ' ') FROM (SELECT action FROM rewrite_decisions ORDER BY id)")" \
	"accept reject undo" "every decision is logged, by the annotator"
is "$(q "$db" "SELECT DISTINCT annotator FROM rewrite_decisions")" ana "as ana"

# e: edit the target (u5's wilkerson) into a new accepted rewrite
keys r j
wait_for r '^> #5 +proposed personal u5'
keys r e
wait_for r '^rewrite to: what.s the weather in wilkerson california'
ok $? "e prompts with the rewrite's words"
i=0
while [ $i -lt 10 ]; do keys r BSpace; i=$((i + 1)); done
keys r "oregon" Enter
wait_db "$db" "SELECT status FROM rewrites WHERE to_text = 'what''s the weather in wilkerson oregon'" accepted
ok $? "the edited rewrite is stored, accepted"
is "$(status 5)" rejected "and the one it replaces is rejected"
is "$(q "$db" "SELECT json_extract(provenance, '$.kind') || ' ' || json_extract(provenance, '$.rewrite') FROM rewrites WHERE id = 6")" \
	"edited 5" "with provenance: edited from #5"
wait_for r '^> #6 +accepted personal u5'
ok $? "the queue shows it beside the one it replaced"

dialab --db "$db" resolve --user u5 --json "what's the weather in wilkerson" >"$tmp/out"
like "$tmp/out" '"to":"what.s the weather in wilkerson oregon"' "resolve applies the edited rewrite"
dialab --db "$db" resolve --user u9 --json "play maj and dragons" >"$tmp/out"
like "$tmp/out" '"to":"play imagine dragons"' "and the accepted global one"

keys r '?'
wait_for r 'The rewrites queue: rewrites mined from users. rephrases'
ok $? "? shows the keys"
keys r Space q
wait_gone r
ok $? "q quits"

# data escapes never reach the terminal
q "$db" "UPDATE rewrites SET to_text = 'play ' || char(27) || '[2J' || char(27) || ']0;pwned' || char(7) WHERE id = 3"
tm new-session -d -s e -x 110 -y 32 \
	"exec env DIALAB_ANNOTATOR=ana TERM=screen '$bin' --db '$db' review --queue rewrites"
wait_for e 'play \^\[\[2J\^\[\]0;pwned\^G'
ok $? "control characters in a rewrite are shown, not sent"
keys e q
wait_gone e
dialab --db "$db" review --queue rewrites --blind </dev/null >/dev/null 2>"$tmp/err"
is $? 64 "the rewrites queue takes no --blind"
tm kill-server
done_testing
