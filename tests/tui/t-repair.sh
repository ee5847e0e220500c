#!/bin/sh
# dialab review in tmux: a label from implicit feedback shows its evidence,
# the rephrase after the turn, and goes through the same accept flow.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
db=$tmp/db
dialab --db "$db" demo >/dev/null 2>&1
dialab --db "$db" label --implicit >/dev/null 2>&1
ok $? "the demo with implicit feedback's labels"
tm new-session -d -s keep -x 80 -y 24 "sleep 600"
tm new-session -d -s p -x 150 -y 30 \
	"exec env DIALAB_ANNOTATOR=ana TERM=screen '$bin' --db '$db' review --goto demo-006"
wait_for p 'transcr +play imagine dragons .*implicit:rephrase'
ok $? "the repaired words are proposed, from implicit:rephrase"
keys p Tab Tab
wait_for p '\| from the rephrase [0-9]+ s later: no play imagine dragons; ASR 0\.58'
ok $? "with their evidence: the rephrase, how soon, and the ASR's confidence"
keys p a
wait_db "$db" "SELECT count(*) FROM decisions d JOIN dialogues g ON g.id = d.dialogue_id
	WHERE g.ext_id = 'demo-006' AND d.kind = 'transcription' AND d.action = 'accept'" 1
ok $? "a accepts it as any proposal"
keys p q
wait_gone p
ok $? "q quits"
done_testing
