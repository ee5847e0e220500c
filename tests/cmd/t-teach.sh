#!/bin/sh
# teach, prefs, moments and resolve: what a user teaches changes their next request.
. "$(dirname "$0")/../lib.sh"

db=$tmp/t.db
dialab --db "$db" import "$top/db/demo.jsonl" >/dev/null
teach() {	# teach ARGS...: a session on stdin, text out
	dialab --db "$db" teach "$@" 2>"$tmp/err"
}
active() {	# active USER: the holding preferences, "domain=value(+|-)" sorted
	q "$db" "SELECT domain || '=' || value || CASE polarity WHEN 1 THEN '+' ELSE '-' END
		FROM preferences WHERE user_id = '$1' AND revoked_at IS NULL ORDER BY 1" | paste -sd' ' -
}
jget() {	# jget FILE EXPR: a value of the JSON in FILE (d), or of its lines (L)
	python3 -c 'import json,sys
t = open(sys.argv[1]).read()
L = [json.loads(l) for l in t.splitlines() if l.strip()]
d = L[-1] if L else None
print(eval(sys.argv[2], {"d": d, "L": L}))' "$1" "$2"
}

# ---- Usage ----
dialab --db "$db" teach </dev/null >"$tmp/out" 2>"$tmp/err"
is $? 64 "teach without --user is a usage error"
like "$tmp/err" "give --user" "and says what is missing"
dialab --db "$db" teach --user u17 --guided --moments </dev/null >"$tmp/out" 2>"$tmp/err"
is $? 64 "--guided with --moments is a usage error"
dialab --db "$db" teach --user u17 --guided nope </dev/null >"$tmp/out" 2>"$tmp/err"
is $? 64 "a guided domain not in the catalog is a usage error"
like "$tmp/err" "no domain 'nope' in the catalog" "named in the message"
dialab --db "$db" resolve "what's the weather" >"$tmp/out" 2>"$tmp/err"
is $? 64 "resolve without --user is a usage error"
dialab --db "$db" prefs frob --user u17 >"$tmp/out" 2>"$tmp/err"
is $? 64 "an unknown prefs action is a usage error"

# ---- Resolve before teaching: nothing to fill ----
dialab --db "$db" resolve --user u17 --json "what's the score of the game" >"$tmp/r0.json"
ok $? "resolve runs before any teaching"
is "$(jget "$tmp/r0.json" 'd["result"]["slots"].get("team")')" None "before teaching, no team is filled"
like "$tmp/r0.json" '"source":"no trained model: the live NLU of the closest logged utterance"' \
	"with no trained model it says it used the closest logged utterance"
is "$(jget "$tmp/r0.json" 'd["result"]["intent"]')" sports_score "and takes its intent"

# ---- Each statement kind ----
printf '%s\n' "I'm a Warriors fan" "I like Italian restaurants" "I don't like country music" \
	"use Celsius" "my home is in Wilkerson" >"$tmp/in1"
teach --user u17 <"$tmp/in1" >"$tmp/out"
ok $? "a stated session on stdin exits 0"
like "$tmp/out" "^teach> I'm a Warriors fan$" "each statement is echoed after its prompt"
like "$tmp/out" '^Saved: you like Golden State Warriors \(sports teams, NBA\)\.$' "a fan statement is shown back"
like "$tmp/out" '^Saved: you like Italian \(cuisines\)\.$' "a cuisine like is shown back"
like "$tmp/out" "^Saved: you don't like Country \(music genres\)\.$" "a dislike is shown back"
like "$tmp/out" '^Saved: your weather units: Celsius\.$' "units are shown back"
like "$tmp/out" '^Saved: your home location: Wilkerson\.$' "an open home location keeps the words as given"
is "$(active u17)" "cuisine=Italian+ home=Wilkerson+ music_genre=Country- sports=Golden State Warriors+ units=Celsius+" \
	"all five are stored as preferences"
is "$(q "$db" "SELECT group_concat(DISTINCT source) FROM preferences")" stated "with source stated"
is "$(q "$db" "SELECT count(*) FROM feedback WHERE kind = 'prefer' AND operator = 'tester' AND session_id IS NOT NULL")" 5 \
	"and five feedback records with the operator and the session"
is "$(q "$db" "SELECT count(*) FROM teach_sessions WHERE user_id = 'u17' AND ended_at IS NOT NULL")" 1 \
	"the session is recorded and closed"

# ---- Resolve after teaching: the very next request changes ----
dialab --db "$db" resolve --user u17 --json "what's the score of the game" >"$tmp/r1.json"
is "$(jget "$tmp/r1.json" 'd["result"]["slots"]["team"]')" "Golden State Warriors" \
	"after teaching, the team is filled from the preference"
is "$(jget "$tmp/r1.json" '[c["action"] for c in d["changes"]]')" "['filled']" "and the change is explained"
dialab --db "$db" resolve --user u17 "what's the weather" >"$tmp/r2"
like "$tmp/r2" '^    filled     unit = Celsius  <- preference #[0-9]+: likes Celsius \(stated' "the weather gets Celsius, and says why"
like "$tmp/r2" '^    filled     location = Wilkerson' "and the home location"
like "$tmp/r2" '^result: weather_query unit="Celsius" location="Wilkerson"$' "the result line has both"
dialab --db "$db" resolve --user u17 --json "find a restaurant nearby" >"$tmp/r3.json"
is "$(jget "$tmp/r3.json" 'd["ranking"]["cuisine"]["prefer"][0]')" Italian "a restaurant search ranks Italian first"
dialab --db "$db" resolve --user u17 --json "play some music" >"$tmp/r4.json"
is "$(jget "$tmp/r4.json" 'd["result"]["slots"].get("genre")')" None "a dislike never fills a slot"
is "$(jget "$tmp/r4.json" 'd["ranking"]["genre"]["avoid"]')" "['Country']" "it is demoted to the end instead"
dialab --db "$db" resolve --user u01 --json "what's the score of the game" >"$tmp/r5.json"
is "$(jget "$tmp/r5.json" 'd["result"]["slots"].get("team")')" None "another user's request is not changed"
dialab --db "$db" resolve --user u17 --json "what's the score of the dubs game" >"$tmp/r6.json"
is "$(jget "$tmp/r6.json" 'd["result"]["slots"]["team"]')" "Golden State Warriors" "an alias in the words names the team"
is "$(jget "$tmp/r6.json" '[c["action"] for c in d["changes"]]')" "['named']" "from the words, not the preference"

# ---- Misspelling, ambiguity, value without a verb, not understood ----
printf '%s\n' "I like the Lakerz" y "I'm a fan of the giants" 2 "I love the worriors" n \
	"warriors" "blah blah" "I like xyzzyplugh" >"$tmp/in2"
teach --user u20 --json <"$tmp/in2" >"$tmp/j2"
ok $? "the --json session exits 0"
is "$(jget "$tmp/j2" 'L[1]["output"][0]')" "Did you mean Los Angeles Lakers? So you like Los Angeles Lakers (sports teams, NBA). (y/n)" \
	"a misspelling is offered with a confirmation"
is "$(jget "$tmp/j2" 'len(L[1]["stored"])')" 0 "and not stored before it"
is "$(jget "$tmp/j2" '[p["value"] for p in L[2]["stored"]]')" "['Los Angeles Lakers']" "yes stores it"
is "$(jget "$tmp/j2" 'L[3]["state"]')" choose "an ambiguous alias asks which one"
like "$tmp/j2" '"  2\. San Francisco Giants \(sports teams, MLB\)"' "listing the choices"
is "$(jget "$tmp/j2" '[p["value"] for p in L[4]["stored"]]')" "['San Francisco Giants']" "the number picks one"
is "$(jget "$tmp/j2" 'len(L[6]["stored"])')" 0 "no to a guess stores nothing"
like "$tmp/j2" 'You named Golden State Warriors, but do you like it or not' "a bare value asks for like or dislike"
like "$tmp/j2" '"Not stored: I did not understand that\."' "nonsense gets a clear answer"
like "$tmp/j2" 'is not in the preference catalog' "an unknown value is named"
is "$(active u20)" "sports=Los Angeles Lakers+ sports=San Francisco Giants+" "only the confirmed and chosen are stored"
is "$(jget "$tmp/j2" 'd["summary"]["stored"]')" 2 "the summary counts them"

# ---- list, forget, undo, and a single-valued domain ----
printf '%s\n' "I like jazz but not country" "use fahrenheit" list "forget jazz" undo undo undo undo >"$tmp/in3"
teach --user u21 <"$tmp/in3" >"$tmp/out3"
like "$tmp/out3" '^Saved: you like Jazz \(music genres\)\.$' "'but not' splits a statement: the like"
like "$tmp/out3" "^Saved: you don't like Country \(music genres\)\.$" "and the dislike"
like "$tmp/out3" '^  #[0-9]+ likes    music_genre: Jazz \(stated' "list shows what is known"
like "$tmp/out3" '^Forgotten: Jazz\.' "forget revokes"
like "$tmp/out3" '^Undone: 1 preference restored\.$' "undo brings a forgotten one back"
like "$tmp/out3" '^Nothing to undo in this session\.$' "undo past the start says so"
is "$(active u21)" "" "undoing every statement leaves nothing standing"
is "$(q "$db" "SELECT count(*) FROM preferences WHERE user_id = 'u21'")" 3 "but the history keeps every row"
printf '%s\n' "use celsius" "use fahrenheit" >"$tmp/in4"
teach --user u22 <"$tmp/in4" >"$tmp/out4"
is "$(active u22)" "units=Fahrenheit+" "a single-valued domain keeps only the newest"
like "$tmp/out4" "That replaces 1 earlier preference" "and says it replaced one"
printf '%s\n' "use fahrenheit" undo >"$tmp/in4"
teach --user u22 <"$tmp/in4" >/dev/null
is "$(active u22)" "units=Fahrenheit+" "undo of a replacement brings the old one back"

# ---- redo: after undo, the change again; a new change clears what can be redone ----
printf '%s\n' "use celsius" "use fahrenheit" undo redo >"$tmp/in6"
teach --user u25 <"$tmp/in6" >"$tmp/out6"
like "$tmp/out6" '^Redone: Fahrenheit holds again, and what it replaced is revoked again\.$' "redo does an undone statement again"
is "$(active u25)" "units=Fahrenheit+" "the redone preference holds and the one it replaced does not"
is "$(q "$db" "SELECT replaced_by = (SELECT id FROM preferences WHERE user_id = 'u25' AND value = 'Fahrenheit')
	FROM preferences WHERE user_id = 'u25' AND value = 'Celsius'")" 1 "the replaced one is marked replaced by it again"
is "$(q "$db" "SELECT kind || ' ' || value FROM feedback WHERE user_id = 'u25' ORDER BY id" | paste -sd' ' -)" \
	"$(q "$db" "SELECT 'prefer ' || f1.value || ' prefer ' || f2.value || ' undo {\"undid\":' || f2.id || '} redo {\"redid\":' || f2.id || '}'
		FROM feedback f1, feedback f2 WHERE f1.user_id = 'u25' AND f2.user_id = 'u25' AND f1.text = 'use celsius' AND f2.text = 'use fahrenheit'")" \
	"redo is stored as feedback naming the statement it redid, like undo"
printf '%s\n' "I like jazz" "forget jazz" undo redo undo undo redo redo redo >"$tmp/in7"
teach --user u26 --json <"$tmp/in7" >"$tmp/j7"
like "$tmp/j7" '"Redone: forgotten again: Jazz\."' "redo of an undone forget forgets again"
is "$(jget "$tmp/j7" '[(e["input"], len(e["revoked"]), len(e["restored"])) for e in L[1:10]]')" \
	"[('I like jazz', 0, 0), ('forget jazz', 1, 0), ('undo', 0, 1), ('redo', 1, 0), ('undo', 0, 1), ('undo', 1, 0), ('redo', 0, 1), ('redo', 1, 0), ('redo', 0, 0)]" \
	"undo and redo walk the session's changes back and forth, and the events say what changed"
is "$(active u26)" "" "ending forgotten, as redone"
printf '%s\n' "I like jazz" undo "I like blues" redo >"$tmp/in8"
teach --user u27 <"$tmp/in8" >"$tmp/out8"
like "$tmp/out8" "^Nothing to redo: 'redo' takes back an 'undo' of this session\.$" "a new statement clears what could be redone"
is "$(active u27)" "music_genre=Blues+" "so the undone statement stays undone"
printf 'help\n' | teach --user u27 >"$tmp/out9"
like "$tmp/out9" 'redo \(take back the last undo\)' "help names redo"

printf '%s\n' "I like jazz" "I like blues" "forget the jazz genre" >"$tmp/in5"
teach --user u23 <"$tmp/in5" >"$tmp/out5"
is "$(active u23)" "music_genre=Blues+" "forget names a value: a phrase with the domain's words does not wipe the domain"
printf '%s\n' "I like jazz" "I like blues" "forget my music genres" >"$tmp/in5"
teach --user u24 <"$tmp/in5" >"$tmp/out5"
is "$(active u24)" "" "forget my DOMAIN-TITLE forgets the domain"

# ---- Forgetting changes resolve again ----
teach --user u17 >/dev/null <<'IN'
forget the dubs
IN
dialab --db "$db" resolve --user u17 --json "what's the score of the game" >"$tmp/r7.json"
is "$(jget "$tmp/r7.json" 'd["result"]["slots"].get("team")')" None "after forgetting (by an alias), the team is no longer filled"
is "$(q "$db" "SELECT count(*) FROM preferences WHERE user_id = 'u17' AND value = 'Golden State Warriors' AND revoked_at IS NOT NULL")" 1 \
	"the forgotten preference is kept, marked revoked"

# ---- Guided: answer, skip, stop, resume ----
printf '%s\n' "the warriors and the giants" 2 skip stop >"$tmp/g1"
teach --user u30 --guided <"$tmp/g1" >"$tmp/go1"
ok $? "a guided session runs"
like "$tmp/go1" '^\(1/8\) Which sports teams' "it asks the first domain's question"
like "$tmp/go1" '^\(2/8\) ' "then the next one"
like "$tmp/go1" "^Stopped\. 'dialab teach --user u30 --guided' resumes" "stop pauses and says how to resume"
is "$(q "$db" "SELECT group_concat(DISTINCT source) FROM preferences WHERE user_id = 'u30'")" guided "answers are stored with source guided"
is "$(active u30)" "sports=Golden State Warriors+ sports=San Francisco Giants+" "a bare answer is read in the asked domain"
printf '%s\n' "not country, I like jazz" quit >"$tmp/g2"
teach --user u30 --guided <"$tmp/g2" >"$tmp/go2"
like "$tmp/go2" '^Welcome back: resuming your guided session \(2 of 8' "the next guided session resumes"
like "$tmp/go2" '^\(3/8\) ' "at the third question"
printf '%s\n' "I hate country but I like jazz" >"$tmp/g3"
teach --user u31 --guided music_genre <"$tmp/g3" >"$tmp/go3"
like "$tmp/go3" '^\(1/1\) ' "--guided DOMAIN asks that one question"
is "$(active u31)" "music_genre=Country- music_genre=Jazz+" "and reads the answer's likes and dislikes"

# ---- Moments ----
dialab --db "$db" moments --user u17 --json >"$tmp/m.json"
ok $? "moments runs"
is "$(jget "$tmp/m.json" '[m["dialogue"] for m in d["moments"]][:3]')" "['demo-001', 'demo-002', 'demo-005']" \
	"u17's moments are found in the demo"
is "$(jget "$tmp/m.json" 'd["moments"][1]["kinds"]')" "['repeat', 'negation', 'failure']" \
	"the repeated request then 'no that's wrong' is a repeat, a negation and a failure"
is "$(jget "$tmp/m.json" 'd["moments"][1]["evidence"][1]["failure_point"]')" entity "with the failure point as evidence"
is "$(jget "$tmp/m.json" 'd["moments"][1]["seen"]')" "Golden State Warriors" "and the team the user named then"
is "$(jget "$tmp/m.json" 'd["moments"][2]["kinds"]')" "['negation', 'barge_in']" "a barge-in with 'no something italian'"
like "$tmp/m.json" 'When you ask \\"find a restaurant nearby\\", which cuisine should come first' "each moment has its question"
dialab --db "$db" moments --json >"$tmp/ma.json"
ok $? "moments of all users"
is "$(python3 -c 'import json,sys
a = json.load(open(sys.argv[1])); u = json.load(open(sys.argv[2]))
print(a["user"], len(a["moments"]) > len(u["moments"]), [m for m in a["moments"] if m["user"] == "u17"] == u["moments"])' \
	"$tmp/ma.json" "$tmp/m.json")" "None True True" \
	"are one JSON object, and --user gives the same moments of that user"
dialab --db "$db" moments >"$tmp/mt"
like "$tmp/mt" "^$(jget "$tmp/ma.json" 'len(d["moments"])') teachable moments$" "the text output counts them all"
dialab --db "$db" moments --json >/dev/full 2>"$tmp/err"
is $? 74 "moments that cannot be written exit 74"
dialab --db "$db" moments --user nobody >"$tmp/out"
like "$tmp/out" '^0 teachable moments for nobody$' "a user with no dialogues has none"
printf '%s\n' "the warriors" skip "italian" >"$tmp/m1"
teach --user u17 --moments <"$tmp/m1" >"$tmp/mo"
like "$tmp/mo" '^Moment 1 of [0-9]+: dialogue demo-001' "teach --moments replays the first moment"
like "$tmp/mo" '^  \[.*\] you: "what'"'"'s the score of the game"' "with its turns"
is "$(q "$db" "SELECT dialogue || ' ' || turns FROM feedback WHERE kind = 'prefer' AND text = 'the warriors'")" "demo-001 [0,1]" \
	"an answer is stored with the moment's dialogue and turns"
is "$(q "$db" "SELECT source FROM preferences WHERE id = (SELECT max(id) FROM preferences WHERE user_id = 'u17' AND domain = 'sports')")" moment \
	"as a preference with source moment"

# ---- prefs ----
dialab --db "$db" prefs list --user u17 >"$tmp/pl"
like "$tmp/pl" 'likes +cuisine +Italian' "prefs list shows the holding ones"
dialab --db "$db" prefs set --user u40 sports "the dubs" >"$tmp/out"
ok $? "prefs set takes an alias"
is "$(active u40)" "sports=Golden State Warriors+" "and stores the canonical value"
dialab --db "$db" prefs set --user u40 --dislike music_genre country >/dev/null
is "$(active u40)" "music_genre=Country- sports=Golden State Warriors+" "--dislike stores a dislike"
dialab --db "$db" prefs set --user u40 sports "worriors" >"$tmp/out" 2>"$tmp/err"
is $? 65 "a misspelled value is refused"
is "$(active u40)" "music_genre=Country- sports=Golden State Warriors+" "and nothing is stored"
dialab --db "$db" prefs set --user u40 cuisines italian >"$tmp/out" 2>"$tmp/err"
is $? 64 "an unknown domain is a usage error"
dialab --db "$db" resolve --user u40 --json "play some country music" >"$tmp/r8.json"
is "$(jget "$tmp/r8.json" '[c["action"] for c in d["changes"]]')" "['named', 'kept']" \
	"a disliked value asked for in so many words is kept, and said so"
dialab --db "$db" prefs list --user u40 --all sports >"$tmp/out" 2>&1
is $? 64 "prefs list takes no value"
dialab --db "$db" prefs forget --user u40 sports >/dev/null
is "$(active u40)" "music_genre=Country-" "prefs forget DOMAIN revokes the domain"
dialab --db "$db" prefs list --user u40 --all --json >"$tmp/pa.json"
is "$(jget "$tmp/pa.json" 'len(d["preferences"])')" 2 "--all lists revoked ones too"
dialab --db "$db" prefs export --user u17 >"$tmp/ex.jsonl"
ok $? "prefs export works"
is "$(python3 -c 'import json,sys; print(sorted({json.loads(l)["type"] for l in open(sys.argv[1])}))' "$tmp/ex.jsonl")" \
	"['feedback', 'preference']" "as JSON Lines of preferences and feedback"
is "$(grep -c '"type":"feedback"' "$tmp/ex.jsonl")" "$(q "$db" "SELECT count(*) FROM feedback WHERE user_id = 'u17'")" \
	"with every feedback record"
dialab --db "$db" prefs export >/dev/full 2>"$tmp/err"
is $? 74 "an export that cannot be written exits 74"

# ---- Odd input: long lines, control characters, bad UTF-8, EOF mid-question ----
before=$(q "$db" "SELECT count(*) FROM preferences")
{ python3 -c 'print("I like " + "x" * 5000)'; printf 'I like \033]0;x\007 jazz\033[2J\n'; printf 'I like \377 jazz\n'; printf '\n\n'; printf 'I like the worriors\n'; } >"$tmp/odd"
teach --user u50 <"$tmp/odd" >"$tmp/oo"
ok $? "odd input ends cleanly"
like "$tmp/oo" 'Not read: the line is too long' "a very long line is refused"
like "$tmp/oo" 'Not read: the line is not valid UTF-8' "invalid UTF-8 is refused"
if grep -q "$(printf '\033')" "$tmp/oo"; then ok 1 "no escape reaches the output"; else ok 0 "no escape reaches the output"; fi
like "$tmp/oo" 'Not stored: the last answer was not confirmed' "end of input drops a pending guess and says so"
is "$(active u50)" "music_genre=Jazz+" "only the statement that was understood is stored"
teach --user u51 </dev/null >"$tmp/out"
ok $? "empty input is a session with nothing in it"
is "$(q "$db" "SELECT count(*) FROM preferences WHERE user_id = 'u51'")" 0 "and stores nothing"

# ---- A catalog of one's own, and a bad one ----
cat >"$tmp/cat.json" <<'CAT'
{"format":"dialab-catalog","version":1,"domains":[{"name":"tea","title":"teas","slot":"tea","question":"Which tea? Name one, or say skip.","values":[{"value":"Earl Grey","aliases":["earl grey","bergamot"]}]}]}
CAT
printf 'I like bergamot\n' | dialab --db "$db" teach --user u60 --catalog "$tmp/cat.json" >"$tmp/out"
like "$tmp/out" '^Saved: you like Earl Grey \(teas\)\.$' "--catalog replaces the bundled catalog"
printf '{"domains":[{"name":"x","slot":"s","question":"q","values":[{"aliases":["a"]}]}]}' >"$tmp/bad.json"
dialab --db "$db" teach --user u60 --catalog "$tmp/bad.json" </dev/null >"$tmp/out" 2>"$tmp/err"
is $? 65 "a bad catalog exits 65"
like "$tmp/err" 'bad\.json: \$\.domains\[0\]\.values\[0\]\.value: missing' "naming the file and the JSON path"
dialab --db "$db" teach --user u60 --catalog "$tmp/none.json" </dev/null >"$tmp/out" 2>"$tmp/err"
is $? 66 "a missing catalog exits 66"

# ---- An imported catalog: used without --catalog, until --reset ----
cat >"$tmp/own.json" <<'CAT'
{"domains":[
 {"name":"tea","title":"teas","slot":"tea","question":"Which tea?","values":[{"value":"Earl Grey","aliases":["bergamot"]}]},
 {"name":"teams","title":"teams","slot":"team","question":"Which team?","intents":["sports_score"],
  "values":[{"value":"Springfield Isotopes","aliases":["the isotopes"]}]}]}
CAT
dialab --db "$db" import --format catalog --json "$tmp/own.json" >"$tmp/ic.json" 2>"$tmp/err"
ok $? "import --format catalog stores a catalog of one's own"
is "$(jget "$tmp/ic.json" '(d["format"], d["domains"], d["values"], d["replaced"])')" "('catalog', 2, 2, False)" \
	"and says how many domains and values"
is "$(q "$db" "SELECT format || ' ' || paths FROM imports ORDER BY id DESC LIMIT 1")" "catalog [\"$tmp/own.json\"]" \
	"the import is recorded with its file"
dialab --db "$db" prefs set --user u61 tea bergamot >"$tmp/out" 2>"$tmp/err"
ok $? "prefs set takes a value only the imported catalog has"
is "$(active u61)" "tea=Earl Grey+" "and stores it"
printf 'I like bergamot\n' | teach --user u62 >"$tmp/out"
like "$tmp/out" '^Saved: you like Earl Grey \(teas\)\.$' "teach uses the imported catalog"
like "$tmp/out" 'catalog: imported .*own\.json' "and names it"
dialab --db "$db" prefs set --user u61 teams "the isotopes" >/dev/null
dialab --db "$db" resolve --user u61 --json "what's the score of the game" >"$tmp/ir.json"
is "$(jget "$tmp/ir.json" 'd["result"]["slots"].get("team")')" "Springfield Isotopes" "resolve uses it"
dialab --db "$db" moments --user u17 --json >"$tmp/im.json"
is "$(jget "$tmp/im.json" 'd["moments"][0].get("domain")')" teams "moments use it"
dialab --db "$db" prefs set --user u61 sports "the dubs" >"$tmp/out" 2>"$tmp/err"
is $? 64 "a bundled domain is not in the imported catalog"
meta() { q "$db" "SELECT group_concat(key || '=' || length(value)) FROM meta WHERE key LIKE 'catalog%'"; }
m0=$(meta); n0=$(q "$db" "SELECT count(*) FROM imports")
dialab --db "$db" import --format catalog "$tmp/bad.json" >"$tmp/out" 2>"$tmp/err"
is $? 65 "importing a bad catalog exits 65"
like "$tmp/err" 'bad\.json: \$\.domains\[0\]\.values\[0\]\.value: missing' "naming the file and the JSON path"
like "$tmp/err" 'nothing imported; the database is as it was' "and saying nothing was imported"
is "$(meta) $(q "$db" "SELECT count(*) FROM imports")" "$m0 $n0" "the imported catalog and the import log are unchanged"
dialab --db "$db" prefs set --user u63 tea bergamot >/dev/null 2>&1
is "$(active u63)" "tea=Earl Grey+" "and still in use"
dialab --db "$db" import --format catalog "$tmp/none.json" >"$tmp/out" 2>"$tmp/err"
is $? 66 "a missing catalog file exits 66"
dialab --db "$tmp/new.db" import --format catalog "$tmp/bad.json" >"$tmp/out" 2>"$tmp/err"
is $? 65 "a bad catalog into a new database exits 65"
test ! -e "$tmp/new.db"
ok $? "and leaves no database behind"
dialab --db "$db" import --format catalog "$tmp/own.json" "$tmp/cat.json" >"$tmp/out" 2>"$tmp/err"
is $? 64 "one catalog file at a time"
dialab --db "$db" import --format catalog --skip-bad "$tmp/own.json" >"$tmp/out" 2>"$tmp/err"
is $? 64 "--skip-bad is for dialogues"
dialab --db "$db" import --reset >"$tmp/out" 2>"$tmp/err"
is $? 64 "--reset without --format catalog is a usage error"
dialab --db "$db" import --format catalog "$tmp/cat.json" >"$tmp/out"
like "$tmp/out" '^imported the catalog .*cat\.json: 1 domain, 1 value, replacing the one imported before$' \
	"a second import replaces the first"
dialab --db "$db" import --format catalog --reset >"$tmp/out"
like "$tmp/out" '^removed the imported catalog; the bundled catalog is in use \(8 domains, [0-9]+ values\)$' \
	"--reset goes back to the bundled catalog"
is "$(meta)" "" "and removes it from the database"
dialab --db "$db" prefs set --user u64 sports "the dubs" >/dev/null
is "$(active u64)" "sports=Golden State Warriors+" "the bundled catalog is used again"
dialab --db "$db" import --format catalog --reset >"$tmp/out"
like "$tmp/out" '^no catalog was imported; the bundled catalog is in use' "--reset again says there was none"

# ---- moments on many dialogues: written as found, not held ----
gen=$shared/bench/gen_dialogues.py
if [ -n "${DIALAB_VALGRIND:-}" ] || case $bin in */san/*) true ;; *) false ;; esac; then
	skip 1 "memory is measured on the plain build"
elif [ ! -f "$gen" ] || [ ! -x /usr/bin/time ]; then
	skip 1 "no $gen or /usr/bin/time"
else
	python3 "$gen" 8000 3 >"$tmp/big.jsonl"
	"$bin" --db "$tmp/big.db" import "$tmp/big.jsonl" >/dev/null
	/usr/bin/time -f %M -o "$tmp/rss1" "$bin" --db "$tmp/big.db" moments --user u00001 --json >/dev/null
	/usr/bin/time -f %M -o "$tmp/rss" "$bin" --db "$tmp/big.db" moments --json >"$tmp/big.json"
	# Holding the moments of 8000 dialogues took about 25 MiB more.
	is "$(( $(tail -n 1 "$tmp/rss") - $(tail -n 1 "$tmp/rss1") < 8192 ))" 1 \
		"moments --json of 8000 dialogues takes no more memory than one user's (within 8 MiB)"
	rm -f "$tmp/big.jsonl" "$tmp/big.db" "$tmp/big.json"
fi

# ---- A read-only database ----
cp "$db" "$tmp/ro.db"; chmod 444 "$tmp/ro.db"
if [ "$(id -u)" -ne 0 ]; then
	printf "I like jazz\n" | dialab --db "$tmp/ro.db" teach --user u70 >"$tmp/out" 2>"$tmp/err"
	is $? 73 "teaching into a read-only database exits 73"
else
	ok 0 "# SKIP read-only files are writable for root"
fi
dialab --db "$tmp/ro.db" resolve --user u17 "what's the weather" >"$tmp/out"
ok $? "resolve reads a read-only database"

done_testing
