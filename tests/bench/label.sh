#!/bin/sh
# make bench, label part: train the intent and slot models on SNIPS
# train (bar: <= 10 s) and the failure-point, goal, outcome and rephrase models on
# 2,000 dialogues of db/gen-synthetic.py, then label a database of about
# 1,000,000 turns from the shared generator with all six (bar, for
# intent + slots + failure point: <= 60 s, <= 256 MiB peak resident
# memory).  The generated labels are random, so no quality is measured
# here: only speed and memory.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/summary.sh"
shared=${DIALAB_SHARED:-$top/../shared}
work=${BENCH_DIR:-$top/build/bench}
n=${BENCH_LABEL_DIALOGUES:-235000}	# about 4.25 turns each: 1M turns
mkdir -p "$work"
base=$work/label-base-$n.db
db=$work/label-$n.db
if [ ! -s "$base" ]; then
	echo "building $base from $n generated dialogues and SNIPS train ..."
	python3 "$shared/bench/gen_dialogues.py" "$n" 13 >"$work/label-$n.jsonl"
	rm -f "$base" "$base-wal" "$base-shm"
	"$top/dialab" --db "$base" import "$work/label-$n.jsonl"
	rm -f "$work/label-$n.jsonl"
	"$top/dialab" --db "$base" import --format snips "$shared/data/snips/train"
	sqlite3 "$base" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
fi
if [ "$(sqlite3 "$base" "select count(*) from dialogues where ext_id like 'syn-%'")" = 0 ]; then
	python3 "$top/db/gen-synthetic.py" 2000 1 >"$work/label-syn.jsonl"
	"$top/dialab" --db "$base" import "$work/label-syn.jsonl"
	sqlite3 "$base" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
fi
rm -f "$db" "$db-wal" "$db-shm"
cp "$base" "$db"
turns=$(sqlite3 "$db" 'select count(*) from turns')
echo "database: $turns turns"
/usr/bin/time -f '%e %M' -o "$work/train.time" "$top/dialab" --db "$db" train --seed 0 >"$work/train.out"
/usr/bin/time -f '%e %M' -o "$work/label.time" "$top/dialab" --db "$db" label --json >"$work/label.json"
# The bar's three models alone, on a fresh copy with the same trained models.
rm -f "$db" "$db-wal" "$db-shm"
cp "$base" "$db"
"$top/dialab" --db "$db" train --seed 0 >/dev/null
/usr/bin/time -f '%e %M' -o "$work/label3.time" "$top/dialab" --db "$db" label --model intent,slots,fpi --json >/dev/null
read -r ts tk <"$work/train.time"
read -r ls lk <"$work/label.time"
read -r l3 k3 <"$work/label3.time"
echo "train on SNIPS train (13,084 utterances) and 2,000 synthetic dialogues, all six models: $ts s (bar 10), peak RSS $((tk / 1024)) MiB"
echo "label $turns turns (intent, slots, failure point, goals, outcome, rephrase): $ls s (bar 60), peak RSS $((lk / 1024)) MiB (bar 256)"
echo "label $turns turns (intent, slots, failure point: the bar's three): $l3 s (bar 60), peak RSS $((k3 / 1024)) MiB (bar 256)"
python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); print("  proposals written:", d["written"], "kept human:", d["kept_human"])' "$work/label.json"
row "train: six models (SNIPS + synthetic)" "$ts s" "<= 10 s" "$(awk "BEGIN { print ($ts <= 10) }")"
row "label: $turns turns, intent+slots+fpi" "$l3 s" "<= 60 s" "$(awk "BEGIN { print ($l3 <= 60) }")"
row "label: $turns turns, all six models" "$ls s" "-" 1
row "label: peak RSS" "$((k3 / 1024)) MiB" "<= 256 MiB" "$(awk "BEGIN { print ($k3 <= 256 * 1024) }")"
awk -v t="$ts" -v l="$l3" -v k="$k3" 'BEGIN { exit !(t <= 10 && l <= 60 && k <= 256 * 1024) }' ||
	{ echo "label bench: a bar was missed"; exit 1; }
