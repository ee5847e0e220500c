#!/usr/bin/env python3
"""Crafted logs of users with habits, for tests/cmd/t-context.sh.

ana plays jazz six times and rock once; bo starts the coffee maker after
the alarm, cy the kettle; dan asked for metal four times and it failed
each time (an error prompt), and blues worked once: no habit.  Live NLU
only, no gold labels: habits come from requests that worked.
"""
import json

T0 = 1767250000


def turn(ts, text, intent, slots=(), response="OK.", conf=0.9):
    sl = []
    for typ, val in slots:
        a = text.index(val)
        sl.append({"type": typ, "start": a, "end": a + len(val)})
    return {"ts": ts, "text": text, "asr_confidence": 0.95,
            "nlu": {"intent": intent, "confidence": conf, "slots": sl},
            "response": response, "barge_in": False}


def dialogue(n, user, turns, dtype="speaker"):
    return {"id": "hab-%03d" % n, "user": user,
            "device": {"id": user + "-1", "type": dtype, "screen": dtype != "speaker",
                       "room": "kitchen"},
            "context": {"timezone": "America/Los_Angeles", "location": "seattle"},
            "turns": turns}


out, n = [], 0
for i in range(6):
    n += 1
    out.append(dialogue(n, "ana", [turn(T0 + n * 86400, "play some jazz", "play_music",
                                         [("genre", "jazz")], "Playing jazz.")]))
n += 1
out.append(dialogue(n, "ana", [turn(T0 + n * 86400, "play some rock", "play_music",
                                     [("genre", "rock")], "Playing rock.")]))
for user, words in (("bo", "start the coffee maker"), ("cy", "turn on the kettle")):
    dev = "coffee maker" if user == "bo" else "kettle"
    for i in range(4):
        n += 1
        t = T0 + n * 86400
        out.append(dialogue(n, user, [
            turn(t, "turn off the alarm", "alarm_off", (), "Alarm off."),
            turn(t + 20, words, "device_on", [("device", dev)], "Starting the %s." % dev)]))
for i in range(4):
    n += 1
    out.append(dialogue(n, "dan", [turn(T0 + n * 86400, "play some metal", "play_music",
                                         [("genre", "metal")],
                                         "Sorry, I couldn't find that.", 0.4)]))
n += 1
out.append(dialogue(n, "dan", [turn(T0 + n * 86400, "play some blues", "play_music",
                                     [("genre", "blues")], "Playing blues.")]))
for d in out:
    print(json.dumps(d))
