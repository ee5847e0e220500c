#!/usr/bin/env python3
"""Score the transcriptions `label --implicit` proposes against db/gen-sessions.py's truth.

    repair-score.py TRUTH.jsonl DATA.jsonl DB

A proposal (source implicit:rephrase, kind transcription) is right when
the turn's words are the "from" of an asr confusion of the truth and the
proposal is its "to".  Recall counts the turns said as an asr "from"
and restated as its "to" in the next turn; the report also counts
proposals on turns of nlu and personal confusions, which must get none.
"""
import json
import sqlite3
import sys


def main():
    truth, data, db = sys.argv[1:4]
    asr, other = {}, set()
    for line in open(truth):
        t = json.loads(line)
        if "kind" not in t:	# a "never" entry
            continue
        if t["kind"] == "asr":
            asr[t["from"]] = t["to"]
        else:
            other.add(t["from"])
    want = 0
    for line in open(data):
        d = json.loads(line)
        ts = d["turns"]
        for a, b in zip(ts, ts[1:]):
            if asr.get(a["text"]) == b["text"]:
                want += 1
    con = sqlite3.connect(db)
    rows = con.execute("SELECT t.text, l.value, l.confidence FROM labels l JOIN turns t ON"
                       " t.dialogue_id = l.dialogue_id AND t.idx = l.turn_idx"
                       " WHERE l.kind = 'transcription' AND l.source = 'implicit:rephrase'").fetchall()
    out = {"restated_asr_turns": want}
    for th in (0, 0.2, 0.3):
        kept = [(t, v) for t, v, c in rows if c >= th]
        right = sum(1 for text, v in kept if asr.get(text) == json.loads(v))
        n = len(kept)
        out["confidence>=%g" % th] = {
            "proposed": n, "right": right, "precision": round(right / n, 4) if n else 0,
            "recall": round(min(right, want) / want, 4) if want else 0,
            "on_nlu_or_personal": sum(1 for text, _ in kept if text in other)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
