#!/usr/bin/env python3
"""Score `dialab resolve` on the context turns of db/gen-synthetic.py --context data.

    context-score.py TEST.jsonl DB [--mask]

Every turn with a "truth" member becomes one --batch request, with the
dialogue's device and context, the turn's ts and device_state and the
previous turn's live intent; with --mask the context is left out.  The
report, one JSON object, gives per family and per depends_on: the share
of turns whose resolved intent is the gold intent, and whose result
holds every truth slot (case aside).
"""
import json
import os
import subprocess
import sys


def requests(path, mask):
    for line in open(path):
        d = json.loads(line)
        prev = None
        for t in d["turns"]:
            gold = [l["value"] for l in t.get("labels", []) if l["kind"] == "intent"]
            if "truth" in t and gold:
                r = {"user": d["user"], "text": t["text"]}
                if not mask:
                    r["device"] = {k: v for k, v in d.get("device", {}).items() if v is not None}
                    r["context"] = d.get("context", {})
                    r["ts"] = t["ts"]
                    if "device_state" in t:
                        r["device_state"] = t["device_state"]
                    if prev:
                        r["previous_intent"] = prev
                yield r, gold[-1], t["truth"]
            prev = (t.get("nlu") or {}).get("intent")


def main():
    path, db = sys.argv[1], sys.argv[2]
    mask = "--mask" in sys.argv[3:]
    items = list(requests(path, mask))
    inp = "".join(json.dumps(r) + "\n" for r, _, _ in items)
    dialab = os.environ.get("DIALAB_BIN") or os.path.join(os.path.dirname(os.path.abspath(
        sys.argv[0])), "..", "..", "dialab")
    out = subprocess.run([dialab, "--db", db,
                          "resolve", "--batch", "-"], input=inp, capture_output=True,
                         text=True).stdout.splitlines()
    tally = {}
    for (r, gold, truth), line in zip(items, out):
        res = json.loads(line).get("result", {})
        slots = {k: str(v).lower() for k, v in (res.get("slots") or {}).items()}
        ok_intent = res.get("intent") == gold
        ok_all = ok_intent and all(slots.get(k) == str(v).lower()
                                   for k, v in truth["result"].items())
        for key in ("family:" + truth["family"], "depends_on:" + str(truth["depends_on"]),
                    "all"):
            t = tally.setdefault(key, [0, 0, 0])
            t[0] += 1
            t[1] += ok_intent
            t[2] += ok_all
    print(json.dumps({k: {"n": v[0], "intent": round(v[1] / v[0], 4),
                          "result": round(v[2] / v[0], 4)} for k, v in sorted(tally.items())}))


if __name__ == "__main__":
    main()
