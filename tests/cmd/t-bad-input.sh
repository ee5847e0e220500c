#!/bin/sh
# Bad input: each case asserts the message, the exit code and an unchanged database.
. "$(dirname "$0")/../lib.sh"

# The lock holder (see "locked database" below) must not outlive the test.
holder=
lock_release() {
	if [ -n "$holder" ]; then
		kill "$holder" 2>/dev/null
		wait "$holder" 2>/dev/null
		holder=
	fi
}
trap 'exec 9>&- 2>/dev/null; lock_release; rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Relative names, so that messages read "bad.jsonl:2: ...".
cd "$tmp" || { echo "Bail out! cannot enter $tmp"; exit 1; }
db=main.db

# fp DB: the counts, then a checksum of the whole content (a failed import
# must leave even the imports table, and every value, as it was).
fp() {
	printf 'dialogues=%s turns=%s labels=%s imports=%s dump=%s' \
		"$(q "$1" 'select count(*) from dialogues')" \
		"$(q "$1" 'select count(*) from turns')" \
		"$(q "$1" 'select count(*) from labels')" \
		"$(q "$1" 'select count(*) from imports')" \
		"$(sqlite3 "$1" .dump | cksum)"
}

# content DB: every row of the dialogue tables (import ids and times included).
content() {
	sqlite3 "$1" 'select * from dialogues order by id; select * from turns order by id;
		select * from labels order by id' | cksum
}

# reports_nothing: stdout is empty and stderr ends with the rollback notice.
reports_nothing() {
	[ ! -s out ] &&
		[ "$(tail -n 1 err)" = "dialab import: nothing imported; the database is as it was" ]
	ok $? "$1: prints nothing on stdout and says nothing was imported"
}

# bad FILE RC REGEX [OPTION ...]: import FILE into the main database; it
# must exit RC, stderr must have a line "dialab import: " + REGEX, and the
# database must be unchanged.
bad() {
	b_file=$1 b_rc=$2 b_re=$3
	shift 3
	dialab --db "$db" import "$@" "$b_file" >out 2>err; rc=$?
	is "$rc" "$b_rc" "$b_file: exits $b_rc"
	like err "^dialab import: $b_re" "$b_file: message names file, line and path"
	reports_nothing "$b_file"
	is "$(fp "$db")" "$fp0" "$b_file: database unchanged"
}

# A good first line, so that the bad record is on line 2 and a record was
# already stored in the transaction when the import fails.
L1='{"id":"ok-1","turns":[{"text":"hello"}]}'
# mk FILE LINE ...: FILE holds L1 then the lines.
mk() {
	mk_f=$1
	shift
	printf '%s\n' "$L1" "$@" >"$mk_f"
}

# ---- the database with good content ----

cat >good.jsonl <<'EOF'
{"id":"g-1","user":"u1","device":{"id":"kitchen-1","type":"speaker","screen":false},"turns":[{"ts":1767225600,"text":"play some jazz","asr_confidence":0.9,"nlu":{"domain":"music","intent":"play_music","confidence":0.8,"slots":[{"type":"genre","start":10,"end":14}]},"labels":[{"kind":"intent","value":"play_music","confidence":0.8,"source":"model:intent@3"},{"kind":"goal","value":1,"source":"model:goals@2"}]},{"ts":"2026-01-01T00:00:05Z","text":"louder","labels":[{"kind":"goal","value":1,"source":"model:goals@2"}]}],"labels":[{"kind":"goal_outcome","value":{"goal":1,"outcome":"success"},"source":"human:ana"}]}
{"id":"g-2","user":"u2","turns":[{"text":"what time is it","labels":[{"kind":"failure_point","value":"correct","source":"human:ana"}]}]}
EOF
dialab --db "$db" import good.jsonl >out 2>err; rc=$?
is "$rc" 0 "good file imports"
fp0=$(fp "$db")
is "${fp0%% dump=*}" "dialogues=2 turns=3 labels=5 imports=1" "good content stored"

# ---- reading: empty, blank, truncated, bytes, length ----

: >empty.jsonl
bad empty.jsonl 65 'empty\.jsonl: empty file: expected one JSON object per line$'

printf '%s\n\n%s\n' "$L1" '{"id":"b-3","turns":[{"text":"x"}]}' >blank.jsonl
bad blank.jsonl 65 'blank\.jsonl:2: blank line: expected a JSON object$'

printf '%s\n%s' "$L1" '{"id":"t-2","turns":[{"te' >truncated.jsonl
bad truncated.jsonl 65 'truncated\.jsonl:2: invalid JSON at column [0-9]+: premature end of input'

# \377 is byte 0xff, never valid in UTF-8; column 34 is the byte after "caf.
printf '%s\n{"id":"u-2","turns":[{"text":"caf\377"}]}\n' "$L1" >bad-utf8.jsonl
bad bad-utf8.jsonl 65 'bad-utf8\.jsonl:2: invalid UTF-8 at column 34 \(byte 0xff\): expected UTF-8 text$'

printf '%s\n{"id":"n-2","turns":[{"text":"caf\000e"}]}\n' "$L1" >nul.jsonl
bad nul.jsonl 65 'nul\.jsonl:2: NUL byte at column 34: expected text$'

{
	printf '%s\n{"id":"big-2","turns":[{"text":"' "$L1"
	head -c 10485760 /dev/zero | tr '\0' a
	printf '"}]}\n'
} >big.jsonl
biglen=$(($(wc -c <big.jsonl) - ${#L1} - 2))
bad big.jsonl 65 "big\\.jsonl:2: line is $biglen bytes, longer than the limit of 8388608 \\(8 MiB\\)\$"

# ---- the shape of a dialogue ----

mk top-array.jsonl '[{"id":"a-2","turns":[{"text":"x"}]}]'
bad top-array.jsonl 65 'top-array\.jsonl:2: \$: expected a dialogue object \{"id", "turns", \.\.\.\}, got array$'

mk missing-id.jsonl '{"turns":[{"text":"no id"}]}'
bad missing-id.jsonl 65 'missing-id\.jsonl:2: \$\.id: expected the dialogue id \(string\), got nothing$'

mk turns-empty.jsonl '{"id":"e-2","turns":[]}'
bad turns-empty.jsonl 65 'turns-empty\.jsonl:2: \$\.turns: expected at least one turn, got an empty array$'

mk type-text.jsonl '{"id":"w-2","turns":[{"text":"fine"},{"text":5}]}'
bad type-text.jsonl 65 'type-text\.jsonl:2: \$\.turns\[1\]\.text: expected the turn'\''s text \(string\), got integer$'

mk type-asr.jsonl '{"id":"w-3","turns":[{"text":"fine","asr_confidence":"high"}]}'
bad type-asr.jsonl 65 'type-asr\.jsonl:2: \$\.turns\[0\]\.asr_confidence: expected a number in \[0, 1\], got string$'

# ---- duplicates (default --on-duplicate error) ----

mk dup-in-file.jsonl "$L1"
bad dup-in-file.jsonl 65 'dup-in-file\.jsonl:2: \$\.id: expected a new dialogue id, got "ok-1" which is already stored \(see --on-duplicate\)$'

mk dup-in-db.jsonl '{"id":"g-2","turns":[{"text":"what time is it"}]}'
bad dup-in-db.jsonl 65 'dup-in-db\.jsonl:2: \$\.id: expected a new dialogue id, got "g-2" which is already stored \(see --on-duplicate\)$'

# ---- slots ----

mk slot-past-nlu.jsonl '{"id":"s-2","turns":[{"text":"hi"},{"text":"play jazz","nlu":{"slots":[{"type":"genre","start":5,"end":10}]}}]}'
bad slot-past-nlu.jsonl 65 'slot-past-nlu\.jsonl:2: \$\.turns\[1\]\.nlu\.slots\[0\]\.end: expected an offset <= 9 \(the text has 9 code points\), got 10$'

mk slot-past-label.jsonl '{"id":"s-3","turns":[{"text":"play jazz","labels":[{"kind":"intent","value":"play_music","source":"model:intent@3"},{"kind":"slots","value":[{"type":"genre","start":5,"end":10}],"source":"human:ana"}]}]}'
bad slot-past-label.jsonl 65 'slot-past-label\.jsonl:2: \$\.turns\[0\]\.labels\[1\]\.value\[0\]\.end: expected an offset <= 9 \(the text has 9 code points\), got 10$'

mk slot-overlap.jsonl '{"id":"s-4","turns":[{"text":"play jazz","labels":[{"kind":"slots","value":[{"type":"genre","start":5,"end":9},{"type":"action","start":0,"end":6}],"source":"human:ana"}]}]}'
bad slot-overlap.jsonl 65 'slot-overlap\.jsonl:2: \$\.turns\[0\]\.labels\[0\]\.value\[1\]: expected slots not to overlap, got \[0, 6\) overlapping slot 0 \[5, 9\)$'

mk slot-empty.jsonl '{"id":"s-5","turns":[{"text":"play jazz","labels":[{"kind":"slots","value":[{"type":"genre","start":5,"end":5}],"source":"human:ana"}]}]}'
bad slot-empty.jsonl 65 'slot-empty\.jsonl:2: \$\.turns\[0\]\.labels\[0\]\.value\[0\]\.end: expected end > start \(5\), got 5$'

mk slot-reversed.jsonl '{"id":"s-6","turns":[{"text":"play jazz","labels":[{"kind":"slots","value":[{"type":"genre","start":7,"end":5}],"source":"human:ana"}]}]}'
bad slot-reversed.jsonl 65 'slot-reversed\.jsonl:2: \$\.turns\[0\]\.labels\[0\]\.value\[0\]\.end: expected end > start \(7\), got 5$'

mk slot-negative.jsonl '{"id":"s-7","turns":[{"text":"play jazz","nlu":{"slots":[{"type":"genre","start":-1,"end":4}]}}]}'
bad slot-negative.jsonl 65 'slot-negative\.jsonl:2: \$\.turns\[0\]\.nlu\.slots\[0\]\.start: expected an offset >= 0, got -1$'

# ---- labels ----

mk kind-unknown.jsonl '{"id":"k-2","turns":[{"text":"play jazz","labels":[{"kind":"sentiment","value":"happy","source":"human:ana"}]}]}'
bad kind-unknown.jsonl 65 'kind-unknown\.jsonl:2: \$\.turns\[0\]\.labels\[0\]\.kind: expected one of intent, slots, transcription, failure_point, goal, goal_outcome, rephrase, got "sentiment"$'

mk fp-value.jsonl '{"id":"k-3","turns":[{"text":"play jazz","labels":[{"kind":"failure_point","value":"tts","source":"human:ana"}]}]}'
bad fp-value.jsonl 65 'fp-value\.jsonl:2: \$\.turns\[0\]\.labels\[0\]\.value: expected one of correct, false_wake, asr, nlu, entity, result, got "tts"$'

mk rephrase-value.jsonl '{"id":"k-5","turns":[{"text":"play jazz"},{"text":"play jazz please","labels":[{"kind":"rephrase","value":"yes","source":"human:ana"}]}]}'
bad rephrase-value.jsonl 65 'rephrase-value\.jsonl:2: \$\.turns\[1\]\.labels\[0\]\.value: expected true or false \(does the turn restate the one before\?\), got string$'

mk rephrase-first.jsonl '{"id":"k-6","turns":[{"text":"play jazz","labels":[{"kind":"rephrase","value":true,"source":"human:ana"}]}]}'
bad rephrase-first.jsonl 65 'rephrase-first\.jsonl:2: \$\.turns\[0\]\.labels\[0\]\.value: expected false: the first turn has no turn before it to restate$'

mk confidence.jsonl '{"id":"k-4","turns":[{"text":"play jazz","labels":[{"kind":"intent","value":"play_music","confidence":1.5,"source":"model:intent@3"}]}]}'
bad confidence.jsonl 65 'confidence\.jsonl:2: \$\.turns\[0\]\.labels\[0\]\.confidence: expected a number in \[0, 1\], got 1\.5$'

mk source-prefix.jsonl '{"id":"k-5","turns":[{"text":"play jazz","labels":[{"kind":"intent","value":"play_music","source":"intent@3"}]}]}'
bad source-prefix.jsonl 65 'source-prefix\.jsonl:2: \$\.turns\[0\]\.labels\[0\]\.source: expected model:NAME@VERSION, human:ANNOTATOR, implicit:SIGNAL or import:FORMAT, got "intent@3"$'

mk goal-decreasing.jsonl '{"id":"k-6","turns":[{"text":"set a timer","labels":[{"kind":"goal","value":2,"source":"model:goals@2"}]},{"text":"stop","labels":[{"kind":"goal","value":1,"source":"model:goals@2"}]}]}'
bad goal-decreasing.jsonl 65 'goal-decreasing\.jsonl:2: \$\.turns\[1\]\.labels\[0\]\.value: expected goal numbers not to decrease within a dialogue \(model:goals@2\), got 1 after 2$'

mk outcome-on-turn.jsonl '{"id":"k-7","turns":[{"text":"stop","labels":[{"kind":"goal_outcome","value":{"goal":1,"outcome":"success"},"source":"human:ana"}]}]}'
bad outcome-on-turn.jsonl 65 'outcome-on-turn\.jsonl:2: \$\.turns\[0\]\.labels\[0\]\.kind: expected a turn label kind, got goal_outcome \(it belongs on the dialogue\)$'

# ---- offsets are code points ----
# "naïve 🎉 café" has 12 code points (17 bytes in UTF-8, 13 UTF-16 units):
# the emoji is [6, 7) and "café" is [8, 12).

cat >cp.jsonl <<'EOF'
{"id":"cp-1","turns":[{"text":"naïve 🎉 café","nlu":{"slots":[{"type":"emoji","start":6,"end":7}]},"labels":[{"kind":"slots","value":[{"type":"emoji","start":6,"end":7}],"source":"human:ana"}]}]}
{"id":"cp-2","turns":[{"text":"naïve 🎉 café","labels":[{"kind":"slots","value":[{"type":"food","start":0,"end":5},{"type":"drink","start":8,"end":12}],"source":"human:ana"}]}]}
EOF
dialab --db cp.db import cp.jsonl >out 2>err; rc=$?
is "$rc" 0 "code points: a slot on the emoji and one ending at the text's length import"
is "$(q cp.db "select substr(t.text, 7, 1) from turns t join dialogues d on d.id = t.dialogue_id where d.ext_id = 'cp-1'")" "🎉" \
	"code points: [6, 7) is the emoji"
is "$(q cp.db "select substr(t.text, 9, 4) from turns t join dialogues d on d.id = t.dialogue_id where d.ext_id = 'cp-2'")" "café" \
	"code points: [8, 12) is the last word"
is "$(q cp.db "select value from labels where kind = 'slots' order by id")" \
	'[{"type":"emoji","start":6,"end":7}]
[{"type":"food","start":0,"end":5},{"type":"drink","start":8,"end":12}]' \
	"code points: offsets stored as given"

mk cp-end13.jsonl '{"id":"cp-3","turns":[{"text":"naïve 🎉 café","labels":[{"kind":"slots","value":[{"type":"drink","start":8,"end":13}],"source":"human:ana"}]}]}'
bad cp-end13.jsonl 65 'cp-end13\.jsonl:2: \$\.turns\[0\]\.labels\[0\]\.value\[0\]\.end: expected an offset <= 12 \(the text has 12 code points\), got 13$'

# ---- --skip-bad ----

printf '%s\n' \
	'{"id":"sb-1","turns":[{"text":"one"}]}' \
	'{"id":"sb-2","turns":[{"text":5}]}' \
	'{"id":"sb-3","turns":[{"text":"three"}]}' \
	'{"id":"sb-4","turns":[]}' \
	'{"id":"sb-5","turns":[{"text":"five"}]}' >skip.jsonl
dialab --db skip.db import good.jsonl >out 2>err; rc=$?
is "$rc" 0 "skip-bad: a database with good content"
dialab --db skip.db import --skip-bad --json skip.jsonl >out 2>err; rc=$?
is "$rc" 0 "skip-bad: exits 0"
is "$(q skip.db 'select ext_id from dialogues order by ext_id' | tr '\n' ' ')" "g-1 g-2 sb-1 sb-3 sb-5 " \
	"skip-bad: the 3 good records are imported, the 2 bad ones not"
is "$(q skip.db 'select count(*) from turns'),$(q skip.db 'select count(*) from imports')" "6,2" \
	"skip-bad: their turns and one import are recorded"
like err '^dialab import: rejected: skip\.jsonl:2: \$\.turns\[0\]\.text: expected the turn'\''s text \(string\), got integer$' \
	"skip-bad: names rejected line 2"
like err '^dialab import: rejected: skip\.jsonl:4: \$\.turns: expected at least one turn, got an empty array$' \
	"skip-bad: names rejected line 4"
is "$(grep -c 'rejected:' err)" 2 "skip-bad: lists exactly the 2 rejected records"
# --json, read with SQLite's JSON functions (key order does not matter).
js() {
	q :memory: "select $1 from (select readfile('out') as j)"
}
is "$(js "json_extract(j, '$.read') || ',' || json_extract(j, '$.inserted') || ',' || json_extract(j, '$.rejected_count')")" \
	"5,3,2" "skip-bad: --json says 5 read, 3 inserted, rejected_count 2"
is "$(js "json_array_length(j, '$.rejected') || ' ' || json_extract(j, '$.rejected[0].file') || ':' || json_extract(j, '$.rejected[0].line') || ':' || json_extract(j, '$.rejected[0].path') || ' ' || json_extract(j, '$.rejected[1].file') || ':' || json_extract(j, '$.rejected[1].line') || ':' || json_extract(j, '$.rejected[1].path')")" \
	'2 skip.jsonl:2:$.turns[0].text skip.jsonl:4:$.turns' "skip-bad: --json lists the rejected records"

# ---- --on-duplicate skip and replace ----

dialab --db dup.db import good.jsonl >out 2>err; rc=$?
is "$rc" 0 "on-duplicate: a database with good content"
dup0=$(content dup.db)
dialab --db dup.db import --on-duplicate skip good.jsonl >out 2>err; rc=$?
is "$rc" 0 "on-duplicate skip: exits 0"
like out '^imported 0 dialogues \(0 turns, 0 labels\) in [0-9.]+ s, 2 duplicates skipped$' \
	"on-duplicate skip: says 2 skipped"
is "$(content dup.db)" "$dup0" "on-duplicate skip: dialogues, turns and labels unchanged"
is "$(q dup.db 'select count(*) from imports')" 2 "on-duplicate skip: the import is recorded"

printf '%s\n' '{"id":"g-2","user":"u2","turns":[{"text":"what time is it in Tokyo","labels":[{"kind":"failure_point","value":"correct","source":"human:ana"}]}]}' >changed.jsonl
dialab --db dup.db import --on-duplicate replace changed.jsonl >out 2>err; rc=$?
is "$rc" 0 "on-duplicate replace: exits 0"
is "$(q dup.db "select t.text from turns t join dialogues d on d.id = t.dialogue_id where d.ext_id = 'g-2'")" \
	"what time is it in Tokyo" "on-duplicate replace: the text is replaced"
is "$(q dup.db "select count(*) from labels l join dialogues d on d.id = l.dialogue_id where d.ext_id = 'g-2'")" 1 \
	"on-duplicate replace: the old labels are gone, not doubled"
is "$(fp dup.db | sed 's/ dump=.*//')" "dialogues=2 turns=3 labels=5 imports=3" \
	"on-duplicate replace: nothing else added"

# ---- a locked database ----
# sqlite3 reads its commands from a FIFO: the write lock is held until the
# test closes fd 9, however slow the import (valgrind) is.

mkfifo lock.fifo
sqlite3 "$db" <lock.fifo >lock.out 2>&1 &
holder=$!
exec 9>lock.fifo
printf '%s\n' '.timeout 10000' 'BEGIN IMMEDIATE;' "INSERT INTO meta VALUES('lock', '1');" >&9
# Wait until it holds the lock: then a write transaction fails at once.
i=0
while [ $i -lt 200 ] && sqlite3 "$db" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1; do
	sleep 0.05
	i=$((i + 1))
done
mk locked.jsonl '{"id":"l-2","turns":[{"text":"x"}]}'
DIALAB_BUSY_TIMEOUT=300 dialab --db "$db" import locked.jsonl >out 2>err; rc=$?
is "$rc" 75 "locked: exits 75"
like err '^dialab import: main\.db: database is locked by another process \(waited 300 ms\)' \
	"locked: says so, with the time waited"
reports_nothing locked
printf '%s\n' 'ROLLBACK;' >&9
exec 9>&-
wait "$holder"
is "$?,$(cat lock.out)" "0," "locked: the lock holder ended cleanly"
holder=
is "$(fp "$db")" "$fp0" "locked: database unchanged"

# ---- a read-only database ----

mk readonly.jsonl '{"id":"r-2","turns":[{"text":"x"}]}'
chmod 644 readonly.jsonl
chmod 444 "$db"
if [ "$(id -u)" -eq 0 ]; then
	# root writes through chmod: be nobody (outside valgrind, by design).
	chmod 755 "$tmp"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$bin" --db "$db" import readonly.jsonl >out 2>err; rc=$?
else
	dialab --db "$db" import readonly.jsonl >out 2>err; rc=$?
fi
chmod 644 "$db"
is "$rc" 73 "read-only: exits 73"
like err '^dialab import: main\.db: database is read-only' "read-only: says so"
is "$(fp "$db")" "$fp0" "read-only: database unchanged"

# ---- databases that are not dialab's ----

sqlite3 other.db 'create table t(x)'
cp other.db other.orig
dialab --db other.db import good.jsonl >out 2>err; rc=$?
is "$rc" 65 "another program's SQLite file: exits 65"
like err '^dialab import: other\.db: not a dialab database' "another program's SQLite file: says so"
cmp -s other.db other.orig
ok $? "another program's SQLite file: left byte for byte as it was"

echo 'just some text, not a database' >text.db
cp text.db text.orig
dialab --db text.db import good.jsonl >out 2>err; rc=$?
is "$rc" 65 "a text file as database: exits 65"
like err '^dialab import: text\.db: not a SQLite database' "a text file as database: says so"
cmp -s text.db text.orig
ok $? "a text file as database: left as it was"

dialab --db newer.db import good.jsonl >out 2>err; rc=$?
is "$rc" 0 "newer: a database to age"
q newer.db 'pragma user_version = 99'
cp newer.db newer.orig
dialab --db newer.db import good.jsonl >out 2>err; rc=$?
is "$rc" 65 "newer schema: exits 65"
like err '^dialab import: newer\.db: database schema 99 is newer than this dialab knows \(6\); upgrade dialab$' \
	"newer schema: says so"
cmp -s newer.db newer.orig
ok $? "newer schema: left as it was"

dialab --db nowhere.db stats >out 2>err; rc=$?
is "$rc" 66 "stats on a missing database: exits 66"
like err "^dialab stats: nowhere\\.db: no database here; create one with 'dialab init' or 'dialab import'\$" \
	"stats on a missing database: says so"
[ ! -e nowhere.db ]
ok $? "stats on a missing database: does not create it"

# ---- usage and missing input ----

bad missing.jsonl 66 'missing\.jsonl: cannot open: No such file or directory$'

dialab --db "$db" import --format xml good.jsonl >out 2>err; rc=$?
is "$rc" 64 "unknown --format: exits 64"
like err "^dialab import: unknown format 'xml' \\(dialab, snips, slurp, sgd, catalog, rewrites\\)\$" "unknown --format: names it"
is "$(fp "$db")" "$fp0" "unknown --format: database unchanged"

dialab --db "$db" import >out 2>err; rc=$?
is "$rc" 64 "no path: exits 64"
like err '^dialab import: no input: give files, a SNIPS folder or - for standard input$' "no path: says what is missing"
like err '^usage: dialab import ' "no path: shows the usage"
is "$(fp "$db")" "$fp0" "no path: database unchanged"

done_testing
