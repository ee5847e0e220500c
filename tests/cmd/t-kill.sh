#!/bin/sh
# kill -9 in the middle of an import leaves the database as it was.
. "$(dirname "$0")/../lib.sh"

dialab --db "$tmp/db" import "$top/db/demo.jsonl" >/dev/null 2>&1
ok $? "a database with the demo in it"
fp() { q "$tmp/db" 'select count(*) from dialogues; select count(*) from turns;
	select count(*) from labels; select count(*) from imports'; }
before=$(fp)

# 60,000 small dialogues: long enough to be killed half-way.
awk 'BEGIN { for (i = 0; i < 60000; i++)
	printf "{\"id\":\"k%06d\",\"user\":\"u%d\",\"turns\":[{\"ts\":%d,\"text\":\"play some jazz number %d\",\"asr_confidence\":0.9,\"labels\":[{\"kind\":\"intent\",\"value\":\"play_music\",\"confidence\":0.8,\"source\":\"model:intent@1\"}]},{\"text\":\"louder\"}]}\n", i, i % 97, 1767225600 + i, i }' \
	>"$tmp/big.jsonl"

# Run the real binary directly (not under valgrind) so the kill lands mid-import.
"$bin" --db "$tmp/db" import "$tmp/big.jsonl" >"$tmp/out" 2>"$tmp/err" &
pid=$!
# Wait until it has written part of the transaction to the WAL, then kill it.
i=0
while [ $i -lt 200 ]; do
	size=$(stat -c %s "$tmp/db-wal" 2>/dev/null || echo 0)
	[ "$size" -gt 2000000 ] && break
	sleep 0.02
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null
ok $? "the import was killed while it ran"
wait $pid 2>/dev/null
is "$(q "$tmp/db" 'pragma integrity_check')" ok "the database is intact"
is "$(fp)" "$before" "and holds exactly what it held before"
dialab --db "$tmp/db" stats >"$tmp/out" 2>"$tmp/err"
ok $? "dialab opens it"
"$bin" --db "$tmp/db" import "$tmp/big.jsonl" >"$tmp/out" 2>"$tmp/err"
ok $? "the same import run again succeeds"
is "$(q "$tmp/db" 'select count(*) from dialogues')" 60100 "and stores everything"
done_testing
