#!/bin/sh
# dialab rewrites: mining crafted rephrase logs with known answers
# (tests/data/gen-rephrases.py), review decisions, resolve applying them,
# and eval counts on a crafted time split.
. "$(dirname "$0")/../lib.sh"

python3 "$top/tests/data/gen-rephrases.py" >"$tmp/rp.jsonl"
dialab --db "$tmp/r.db" import "$tmp/rp.jsonl" >/dev/null
ok $? "the crafted rephrase logs import"

dialab --db "$tmp/r.db" rewrites mine --json >"$tmp/out" 2>"$tmp/err"
ok $? "rewrites mine exits 0"
like "$tmp/out" '"proposed":5,' "five rewrites are found"
like "$tmp/out" '"global":2,' "two global"
like "$tmp/out" '"personal":3,' "three personal"
like "$tmp/out" '"sessions":36,' "over 36 sessions (a topic switch after a failure is one)"

list() { dialab --db "$tmp/r.db" rewrites list --json "$@"; }
pair() { printf '"from":"%s","to":"%s","scope":"%s","user":%s' "$1" "$2" "$3" "$4"; }
list >"$tmp/list"
like "$tmp/list" "$(pair 'play maj and dragons' 'play imagine dragons' global null)" \
	"the ASR confusion becomes a global rewrite"
like "$tmp/list" "$(pair "what's the weather in wilkerson" "what's the weather in wilkerson washington" global null)" \
	"wilkerson goes to washington for everyone"
like "$tmp/list" "$(pair "what's the weather in wilkerson" "what's the weather in wilkerson california" personal '"u5"')" \
	"but to california for u5, personally"
like "$tmp/list" "$(pair 'turn on the big light' 'turn on the garage light' personal '"u1"')" \
	"u1's big light is the garage light"
like "$tmp/list" "$(pair 'turn on the big light' 'turn on the kitchen light' personal '"u2"')" \
	"u2's is the kitchen light"
unlike "$tmp/list" '"from":"play the beetles"' "a topic switch after a failure is no rewrite"
unlike "$tmp/list" "talk" "songs that work are never rewritten"
unlike "$tmp/list" '"from":"play zz top now"' "a request given up on has nothing to go to"
like "$tmp/list" '"support":7,"p_before":0.0,"p_after":1.0,"status":"proposed","provenance":\{"kind":"mined","sessions":7,"examples":\["rp-001","rp-002","rp-003"\]\}' \
	"each has its support, odds before and after, status and example sessions"
is "$(wc -l <"$tmp/list" | tr -d ' ')" 5 "one JSON line a rewrite"

# Re-mining is idempotent and keeps decisions.
dialab --db "$tmp/r.db" rewrites accept 1 5 >"$tmp/out"
like "$tmp/out" '^accept: 2 rewrites changed$' "accept says what it changed"
dialab --db "$tmp/r.db" rewrites reject 3 >/dev/null
dialab --db "$tmp/r.db" rewrites mine --json >"$tmp/out"
like "$tmp/out" '"new":0,"updated":5,' "mining again finds the same five, nothing new"
list >"$tmp/list2"
is "$(q "$tmp/r.db" "select group_concat(x, ' ') from (select id || status as x from rewrites order by id)")" \
	"1accepted 2proposed 3rejected 4proposed 5accepted" "and the decisions are kept"
is "$(q "$tmp/r.db" "select count(*) from rewrite_decisions")" 3 "every decision is logged"
dialab --db "$tmp/r.db" rewrites accept 1 >"$tmp/out"
like "$tmp/out" 'accept: 0 rewrites changed, 1 already so' "accepting twice changes nothing"
is "$(q "$tmp/r.db" "select count(*) from rewrite_decisions")" 3 "and logs nothing"

# resolve: personal first, then global; rejected ones never fire.
res() { dialab --db "$tmp/r.db" resolve --json "$@"; }
res --user u5 "What's the weather in Wilkerson?" >"$tmp/out"
like "$tmp/out" '"rewrite":\{"id":5,"from":"what.s the weather in wilkerson","to":"what.s the weather in wilkerson california","layer":"precomputed","scope":"personal","user":"u5"' \
	"for u5 the personal rewrite fires, matched after normalising"
dialab --db "$tmp/r.db" rewrites accept 2 >/dev/null
res --user u9 "what's the weather in wilkerson" >"$tmp/out"
like "$tmp/out" '"to":"what.s the weather in wilkerson washington","layer":"precomputed","scope":"global","user":null' \
	"for anyone else the global one"
res --user u1 "what's the weather in wilkerson" >"$tmp/out"
like "$tmp/out" '"scope":"global"' "u1 has no personal one for it: global"
res --user u1 "turn on the big light" >"$tmp/out"
like "$tmp/out" '"rewrite":null' "u1's rejected rewrite never fires"
res --user u2 "turn on the big light" >"$tmp/out"
like "$tmp/out" '"rewrite":\{"id":null,"from":"turn on the big light","to":"turn on the kitchen light","layer":"online","scope":"personal","user":"u2"' \
	"u2's proposed, unreviewed rewrite does not fire; the online layer finds u2's own kitchen light"
res --user u1 "turn on the big light" >"$tmp/out"
unlike "$tmp/out" 'garage' "the online layer never gives what a person rejected"
res --user u5 --no-rewrite "what's the weather in wilkerson" >"$tmp/out"
like "$tmp/out" '"rewrite":null' "--no-rewrite interprets the words as said"
dialab --db "$tmp/r.db" resolve --user u5 "what's the weather in wilkerson" >"$tmp/out"
like "$tmp/out" '^  rewritten to "what.s the weather in wilkerson california" by the personal precomputed rewrite #5 of u5 \(accepted; 3 sessions, P\(success\) 1.00\)$' \
	"the report says which rewrite fired and why"

# resolve --batch: one JSON result a line, in order; a bad line in its place
printf '%s\n' '{"user":"u5","text":"what'"'"'s the weather in wilkerson"}' 'not json' \
	'{"text":"play maj and dragons"}' '{"user":"u9","text":"play maj and dragons","device":"speaker"}' \
	>"$tmp/batch.jsonl"
dialab --db "$tmp/r.db" resolve --batch "$tmp/batch.jsonl" >"$tmp/out" 2>"$tmp/err"
is $? 65 "resolve --batch with a bad line exits 65"
is "$(wc -l <"$tmp/out" | tr -d ' ')" 4 "and writes one line for each line read"
is "$(sed -n 1p "$tmp/out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rewrite"]["to"])')" \
	"what's the weather in wilkerson california" "the first is u5's, rewritten personally"
like "$tmp/out" '^\{"line":2,"error":"not JSON' "the bad line gets an error in its place"
like "$tmp/out" '^\{"line":3,"error":"\$\.user: whose request is it' "a line without a user, when there is no --user"
like "$tmp/err" 'batch.jsonl:2: not JSON' "stderr names the file and line"
sed -n 4p "$tmp/out" >"$tmp/l4"
like "$tmp/l4" '"user":"u9".*"device":"speaker","rewrite":\{"id":1,' "the last gets the global rewrite"
dialab --db "$tmp/r.db" resolve --batch - --user u9 <"$tmp/batch.jsonl" >"$tmp/out" 2>/dev/null
sed -n 3p "$tmp/out" >"$tmp/l3"
like "$tmp/l3" '"user":"u9"' "--user is the default for lines without one, and - reads standard input"

# undo, --all, export
dialab --db "$tmp/r.db" rewrites undo 5 >/dev/null
is "$(q "$tmp/r.db" "select status from rewrites where id = 5")" proposed "undo puts it back"
dialab --db "$tmp/r.db" rewrites undo 5 >"$tmp/out" 2>"$tmp/err"
is $? 66 "undo with nothing left to undo exits 66"
like "$tmp/err" 'nothing of yours to undo' "and says so"
dialab --db "$tmp/r.db" rewrites reject 99 >"$tmp/out" 2>"$tmp/err"
is $? 66 "an unknown id exits 66"
is "$(q "$tmp/r.db" "select count(*) from rewrite_decisions")" 5 "and logs nothing"
dialab --db "$tmp/r.db" rewrites accept --all --scope personal >"$tmp/out"
like "$tmp/out" '^accept: 2 rewrites changed$' "accept --all takes the proposed ones selected"
dialab --db "$tmp/r.db" rewrites export >"$tmp/out"
is "$(wc -l <"$tmp/out" | tr -d ' ')" 4 "export writes the accepted ones"
unlike "$tmp/out" '"id":' "without their ids"
dialab --db "$tmp/r.db" rewrites list --status rejected >"$tmp/out"
like "$tmp/out" '^#3 +rejected personal +u1 +2 sessions +0.00 -> 1.00 +"turn on the big light" -> "turn on the garage light"$' \
	"list prints one line a rewrite"

# eval on a crafted split (see gen-rephrases.py): 30 sessions mined, 6 replayed.
dialab --db "$tmp/r.db" rewrites eval --split 0.85 --json >"$tmp/out"
ok $? "rewrites eval exits 0"
like "$tmp/out" '"train_sessions":30,"test_sessions":6,"test_turns":10,"defective_turns":5,' \
	"it splits the sessions by time"
like "$tmp/out" '"global":\{"fired":4,"wins":3,"losses":1,"unsure":0,"win_loss":3.0,"defect_reduction":0.6\}' \
	"the global layer repairs 3 of 5 defects and loses u5's wilkerson"
like "$tmp/out" '"global_personal":\{"fired":4,"wins":4,"losses":0,"unsure":0,"win_loss":null,"defect_reduction":0.8\}' \
	"with the personal layer it repairs 4 and loses none"
dialab --db "$tmp/r.db" rewrites eval --split 0.85 >"$tmp/out"
like "$tmp/out" '^  global +fired +4  wins +3  losses +1  unsure +0  win/loss 3.0  defects repaired 60.0%$' \
	"the report gives win/loss and the defects repaired"

# usage errors
dialab --db "$tmp/r.db" rewrites >"$tmp/out" 2>"$tmp/err"
is $? 64 "no action exits 64"
dialab --db "$tmp/r.db" rewrites accept >"$tmp/out" 2>"$tmp/err"
is $? 64 "accept without ids exits 64"
like "$tmp/err" 'give rewrite ids, or --all' "and says what it needs"
dialab --db "$tmp/r.db" rewrites mine --min-support 0 >"$tmp/out" 2>"$tmp/err"
is $? 64 "--min-support 0 is refused"
dialab --db "$tmp/r.db" rewrites list extra >"$tmp/out" 2>"$tmp/err"
is $? 64 "list takes no arguments"

# terminal escapes in a user name never reach the terminal raw
q "$tmp/r.db" "update rewrites set user_id = 'u' || char(27) || ']0;x' || char(7) where id = 4"
dialab --db "$tmp/r.db" rewrites list >"$tmp/out"
like "$tmp/out" 'u\\u\{001B\}\]0;x\\u\{0007\}' "control characters are shown, not sent"
# import --format rewrites reads back what export wrote, byte for byte
dialab --db "$tmp/r.db" rewrites export --status accepted >"$tmp/ex.jsonl"
dialab --db "$tmp/back.db" import --format rewrites "$tmp/ex.jsonl" >"$tmp/out"
like "$tmp/out" '^imported 4 rewrites from .*: 4 new, 0 updated$' "import --format rewrites reads the export"
dialab --db "$tmp/back.db" rewrites export --status accepted | cmp -s - "$tmp/ex.jsonl"
ok $? "and exporting again gives the same bytes"
dialab --db "$tmp/back.db" import --format rewrites "$tmp/ex.jsonl" >"$tmp/out"
like "$tmp/out" '4 new|0 new, 4 updated' "importing twice updates, adds nothing"
is "$(q "$tmp/back.db" "select count(*) from rewrites")" 4 "and there are still four"
printf '{"from":"Turn ON the Lamp","to":"turn on the living room lamp","scope":"personal","user":"u3","status":"accepted"}\n' >"$tmp/raw.jsonl"
dialab --db "$tmp/back.db" import --format rewrites "$tmp/raw.jsonl" >/dev/null
is "$(q "$tmp/back.db" "select from_text || '|' || status || '|' || provenance from rewrites where user_id = 'u3'")" \
	'turn on the lamp|accepted|{"kind":"imported"}' "texts are normalised, and the status is a logged decision"
bad_rw() {	# FILE-CONTENT WHAT-THE-ERROR-SAYS DESCRIPTION
	printf '%b' "$1" >"$tmp/bad.jsonl"
	before=$(q "$tmp/back.db" "select count(*) || ' ' || (select count(*) from rewrite_decisions) from rewrites")
	dialab --db "$tmp/back.db" import --format rewrites "$tmp/bad.jsonl" >"$tmp/out" 2>"$tmp/err"
	is $? 65 "$3: exits 65"
	like "$tmp/err" "$2" "$3: says where"
	is "$(q "$tmp/back.db" "select count(*) || ' ' || (select count(*) from rewrite_decisions) from rewrites")" \
		"$before" "$3: nothing stored"
}
bad_rw '{"from":"a b","to":"c d","scope":"global"}\n{"from":"x","to":"y","scope":"personal"}\n' \
	'bad.jsonl:2: \$\.user: a personal rewrite needs its user' "a personal rewrite without its user"
bad_rw '{"from":"a b","to":"c d","scope":"global","support":"many"}\n' \
	'bad.jsonl:1: \$\.support: expected a count' "a support that is not a number"
bad_rw '{"from":"a b","to":"c d","scope":"global","p_after":1.5}\n' \
	'bad.jsonl:1: \$\.p_after: expected a probability' "a probability above 1"
bad_rw '{"from":"a b","to":"c d","sco' 'bad.jsonl:1: not JSON' "truncated JSON"
bad_rw '{"from":"a \377","to":"c","scope":"global"}\n' 'bad.jsonl:1: not valid UTF-8' "invalid UTF-8"
bad_rw '' 'bad.jsonl: no rewrites in the file' "an empty file"
bad_rw '{"from":"a b","to":"A B!","scope":"global"}\n' 'bad.jsonl:1: \$\.to: the rewrite says what the original says' \
	"a rewrite to the same words"

# A taught rewrite: the answer to a teachable moment.
cat >"$tmp/tm.jsonl" <<'JSONL'
{"id":"tm-1","user":"u8","device":{"type":"speaker"},"turns":[{"ts":1767225600,"text":"turn on the torch light","response":"Sorry, I couldn't find a device called torch light."},{"ts":1767225606,"text":"no that's wrong","response":"Okay."}]}
JSONL
dialab --db "$tmp/t.db" import "$tmp/tm.jsonl" >/dev/null
printf 'I meant the porch light\n' | dialab --db "$tmp/t.db" teach --user u8 --moments >"$tmp/out"
like "$tmp/out" '^From now on "turn on the torch light" is heard as "turn on the porch light" for u8 \(rewrite #1;' \
	"an answer that says what was meant is taught as a rewrite, and the session says so"
dialab --db "$tmp/t.db" rewrites list --json >"$tmp/out"
like "$tmp/out" '"from":"turn on the torch light","to":"turn on the porch light","scope":"personal","user":"u8","support":1,"p_before":null,"p_after":null,"status":"accepted","provenance":\{"kind":"taught","feedback":1,"said":"I meant the porch light"\}' \
	"a personal rewrite, accepted, with provenance taught"
is "$(q "$tmp/t.db" "select annotator || ' ' || action from rewrite_decisions")" "u8 accept" \
	"accepted by the user who said it, and logged"
dialab --db "$tmp/t.db" resolve --user u8 "Turn on the torch light" >"$tmp/out"
like "$tmp/out" 'rewritten to "turn on the porch light" by the personal precomputed rewrite #1 of u8 \(taught: "I meant the porch light"\)' \
	"resolve applies it for u8"
dialab --db "$tmp/t.db" resolve --user u9 --json "turn on the torch light" >"$tmp/out"
like "$tmp/out" '"rewrite":null' "and for nobody else"
dialab --db "$tmp/t.db" rewrites mine >/dev/null
dialab --db "$tmp/t.db" rewrites list --json >"$tmp/out"
like "$tmp/out" '"status":"accepted","provenance":\{"kind":"taught","feedback":1' "mining keeps it as taught"
done_testing
