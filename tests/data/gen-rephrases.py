#!/usr/bin/env python3
"""Crafted rephrase logs with known rewrites, for tests/cmd/t-rewrites.sh.

    python3 tests/data/gen-rephrases.py [START]

Known answers (mined with the defaults):
  global    "play maj and dragons" -> "play imagine dragons"   (7 users)
  global    "what's the weather in wilkerson" -> "... wilkerson washington"
  personal  u5: "what's the weather in wilkerson" -> "... wilkerson california"
  personal  u1: "turn on the big light" -> "turn on the garage light"
  personal  u2: "turn on the big light" -> "turn on the kitchen light"
  none      "play the beetles" (a topic switch to the weather follows it)
  none      "we don't talk about bruno", "we don't talk anymore" (they work)
  none      "play zz top now" (the user gives up)
The last five dialogues come back to the confusions, for `rewrites eval`
with --split 0.85: mined on the first 30 of 36 sessions, replayed on
the last 6 (5 of their turns defective: the four above and a "zz top"
given up on), the global layer wins 3 (maj and dragons twice, u3's
wilkerson) and loses u5's wilkerson; with the personal layer it wins
all four.
"""
import json
import sys

ts = int(sys.argv[1]) if len(sys.argv) > 1 else 1767225600
n = 0
OK = "Okay."
ERR = "Sorry, I couldn't find that."


def dialogue(user, turns):
    global ts, n
    n += 1
    out = []
    for text, response in turns:
        ts += 7
        out.append({"ts": ts, "text": text, "asr_confidence": 0.9,
                    "response": response, "barge_in": False})
    ts += 3600
    print(json.dumps({"id": "rp-%03d" % n, "user": user,
                      "device": {"type": "speaker"}, "turns": out}))


for u in ["u1", "u2", "u3", "u4", "u5"]:
    dialogue(u, [("play maj and dragons", ERR), ("play imagine dragons", "Playing Imagine Dragons.")])
for u in ["u6", "u7"]:
    dialogue(u, [("play imagine dragons", "Playing Imagine Dragons.")])
for u in ["u1", "u2", "u3", "u4"]:
    dialogue(u, [("play the beetles", ERR), ("what's the weather", "It's sunny and 20 degrees.")])
for u in ["u1", "u2", "u3", "u4"]:
    dialogue(u, [("what's the weather in wilkerson", ERR),
                 ("what's the weather in wilkerson washington", "In Wilkerson it's 12 degrees.")])
for _ in range(2):
    dialogue("u5", [("what's the weather in wilkerson", ERR),
                    ("what's the weather in wilkerson california", "In Wilkerson it's 25 degrees.")])
for _ in range(2):
    dialogue("u1", [("turn on the big light", ERR), ("turn on the garage light", OK)])
    dialogue("u2", [("turn on the big light", ERR), ("turn on the kitchen light", OK)])
for u in ["u2", "u3", "u6"]:
    dialogue(u, [("play we don't talk about bruno", "Playing We Don't Talk About Bruno.")])
for _ in range(3):
    dialogue("u4", [("play we don't talk anymore", "Playing We Don't Talk Anymore.")])
for u in ["u1", "u3", "u6", "u7"]:
    dialogue(u, [("play zz top now", ERR), ("never mind", "Okay.")])

# Later sessions, for `rewrites eval`: the confusions come back.
for u in ["u6", "u7"]:
    dialogue(u, [("play maj and dragons", ERR), ("play imagine dragons", "Playing Imagine Dragons.")])
dialogue("u5", [("what's the weather in wilkerson", ERR),
                ("what's the weather in wilkerson california", "In Wilkerson it's 24 degrees.")])
dialogue("u3", [("what's the weather in wilkerson", ERR),
                ("what's the weather in wilkerson washington", "In Wilkerson it's 11 degrees.")])
dialogue("u2", [("play imagine dragons", "Playing Imagine Dragons.")])
