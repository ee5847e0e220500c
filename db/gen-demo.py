#!/usr/bin/env python3
"""Write dialab's demo data set (JSON Lines, one dialogue a line) to stdout.

    python3 db/gen-demo.py > db/demo.jsonl

The dialogues are hand-written for this project: a home voice assistant on
speakers, screens and in the car.  Model labels are deliberately imperfect
(low confidence where a model would be unsure, and some plainly wrong), and a
few dialogues carry human labels that sometimes disagree with the models.

Failure points follow DESIGN.md: the earliest irrecoverable failure of the
turn.  An error the assistant caught itself (a clarification question or a
confirmation the user answered) is labelled "correct"; a turn whose wrong
result the user had to undo, rephrase or abandon carries its failure stage.

Slot offsets are Unicode code points into the turn's text, end exclusive
(Python string indexing); they are computed here, never written by hand.
The output is deterministic: the only randomness is a seeded generator used
for small jitter in model confidences and in the pauses between turns.
"""

import calendar
import json
import math
import random
import sys
import unicodedata

rng = random.Random(20260101)

# Intent inventory: intent -> domain.  Reused by every dialogue below.
INTENTS = {
	"play_music": "music",
	"music_skip": "music",
	"music_volume": "music",
	"weather_query": "weather",
	"weather_forecast": "weather",
	"sports_score": "sports",
	"sports_schedule": "sports",
	"find_restaurant": "food",
	"restaurant_reserve": "food",
	"iot_lights_on": "iot",
	"iot_lights_off": "iot",
	"iot_thermostat_set": "iot",
	"iot_garage_open": "iot",
	"iot_garage_close": "iot",
	"iot_oven_preheat": "iot",
	"iot_oven_off": "iot",
	"alarm_set": "alarm",
	"alarm_cancel": "alarm",
	"timer_set": "alarm",
	"timer_query": "alarm",
	"news_query": "news",
	"list_add": "lists",
	"list_query": "lists",
	"navigate_to": "navigation",
	"traffic_query": "navigation",
	"calendar_query": "calendar",
	"calendar_add": "calendar",
	"general_stop": "general",
	"general_negate": "general",
	"none": "general",
	"oven_temperature": "iot",
	"play_movie": "video",
	"play_audiobook": "books",
	"alarm_off": "alarm",
	"device_on": "iot",
}

# The intents a classifier confuses each intent with (runner-up candidates).
INTENT_ALTS = {
	"oven_temperature": ["weather_query", "iot_oven_preheat"],
	"play_movie": ["play_audiobook", "play_music"],
	"play_audiobook": ["play_movie", "play_music"],
	"alarm_off": ["alarm_cancel", "general_stop"],
	"device_on": ["iot_lights_on", "iot_oven_preheat"],
	"play_music": ["news_query", "music_skip"],
	"music_skip": ["play_music", "general_stop"],
	"music_volume": ["play_music", "iot_thermostat_set"],
	"weather_query": ["weather_forecast", "news_query"],
	"weather_forecast": ["weather_query", "calendar_query"],
	"sports_score": ["sports_schedule", "news_query"],
	"sports_schedule": ["sports_score", "calendar_query"],
	"find_restaurant": ["restaurant_reserve", "navigate_to"],
	"restaurant_reserve": ["find_restaurant", "calendar_add"],
	"iot_lights_on": ["iot_lights_off", "iot_garage_open"],
	"iot_lights_off": ["iot_lights_on", "iot_oven_off"],
	"iot_thermostat_set": ["music_volume", "iot_oven_preheat"],
	"iot_garage_open": ["iot_garage_close", "iot_lights_on"],
	"iot_garage_close": ["iot_garage_open", "iot_lights_off"],
	"iot_oven_preheat": ["iot_thermostat_set", "timer_set"],
	"iot_oven_off": ["iot_lights_off", "timer_set"],
	"alarm_set": ["timer_set", "calendar_add"],
	"alarm_cancel": ["alarm_set", "general_stop"],
	"timer_set": ["alarm_set", "timer_query"],
	"timer_query": ["timer_set", "alarm_set"],
	"news_query": ["play_music", "sports_score"],
	"list_add": ["list_query", "calendar_add"],
	"list_query": ["list_add", "calendar_query"],
	"navigate_to": ["traffic_query", "find_restaurant"],
	"traffic_query": ["navigate_to", "weather_query"],
	"calendar_query": ["calendar_add", "alarm_set"],
	"calendar_add": ["calendar_query", "list_add"],
	"general_stop": ["general_negate", "music_skip"],
	"general_negate": ["general_stop", "none"],
	"none": ["general_stop", "weather_query"],
}

FAILURE_POINTS = ["correct", "false_wake", "asr", "nlu", "entity", "result"]
FP_ALTS = {
	"correct": ["result", "nlu"],
	"false_wake": ["correct", "asr"],
	"asr": ["nlu", "entity"],
	"nlu": ["asr", "entity"],
	"entity": ["nlu", "result"],
	"result": ["correct", "entity"],
}

# Users' home time zones (the dialogue's context.timezone).
USER_TZ = {
	"u01": "America/Los_Angeles",
	"u02": "America/New_York",
	"u03": "America/Chicago",
	"u04": "Europe/London",
	"u05": "Europe/Berlin",
	"u06": "America/Los_Angeles",
	"u07": "America/Los_Angeles",
	"u08": "America/New_York",
	"u09": "America/Denver",
	"u10": "America/Los_Angeles",
	"u11": "America/Toronto",
	"u12": "America/New_York",
	"u17": "America/Los_Angeles",
	"u21": "America/Los_Angeles",
	"u22": "America/New_York",
	"u23": "America/Chicago",
}

# Standard UTC offset (hours) and daylight-saving rule of each zone, enough
# for 2026 away from the changeover hours (no dialogue is near 1-3 AM then).
TZ_RULES = {
	"America/Los_Angeles": (-8, "us"),
	"America/Denver": (-7, "us"),
	"America/Chicago": (-6, "us"),
	"America/New_York": (-5, "us"),
	"America/Toronto": (-5, "us"),
	"Europe/London": (0, "eu"),
	"Europe/Berlin": (1, "eu"),
}

YEAR = 2026


def sundays(month):
	return [d for d in range(1, calendar.monthrange(YEAR, month)[1] + 1)
		if calendar.weekday(YEAR, month, d) == calendar.SUNDAY]


def utc_offset(tz, month, day):
	std, rule = TZ_RULES[tz]
	if rule == "us":
		start, end = (3, sundays(3)[1]), (11, sundays(11)[0])
	else:
		start, end = (3, sundays(3)[-1]), (10, sundays(10)[-1])
	return std + 1 if start <= (month, day) < end else std


def local_ts(tz, month, day, hh, mm, ss):
	return calendar.timegm((YEAR, month, day, hh, mm, ss, 0, 0, 0)) \
		- utc_offset(tz, month, day) * 3600


def conf(x):
	x = float(round(x, 3))
	assert 0.0 <= x <= 1.0, x
	return x


def jitter(lo, hi):
	return conf(rng.uniform(lo, hi))


def candidates(value, c, alts):
	"""Top candidates, first equal to value, descending, summing to <= 1."""
	n = 2 if c >= 0.9 else 3
	rest = 1.0 - c
	c2 = conf(min(c - 0.01, rest * rng.uniform(0.45, 0.75)))
	out = [{"value": value, "confidence": c},
	       {"value": alts[0], "confidence": c2}]
	if n == 3:
		c3 = conf(min(c2 - 0.005, (rest - c2) * rng.uniform(0.3, 0.7)))
		out.append({"value": alts[1], "confidence": c3})
	return out


def spans(text, slots):
	"""[(type, value)] in textual order -> [{type, start, end}] (code points)."""
	out, pos = [], 0
	for typ, value in slots:
		start = text.index(value, pos)
		end = start + len(value)
		out.append({"type": typ, "start": start, "end": end})
		pos = end
	return out


def t(text, intent, response, slots=(), **kw):
	"""One turn as written: text, live NLU intent, response, live NLU slots.

	Keywords: asr (ASR confidence), nc (NLU confidence), barge (this turn
	barged in: the previous turn gets barge_in, its response was cut short),
	state (device state, inherited when absent), gap (seconds since the
	previous turn), goal (goal segment, inherited when absent), gc (goal
	label confidence), fp / fpc / fp_alts (failure point label),
	mi / mic / mi_alts (intent label when it differs from the live NLU),
	ms / msc (slots label when it differs from the live NLU), fix / fixc
	(transcription label), human [(kind, value, annotator)].
	"""
	kw.update(text=text, intent=intent, response=response, slots=list(slots))
	return kw


DIALOGUES = []


def d(user, device, when, turns, outcomes, human=(), loc=None, state=None, room=False):
	"""One dialogue: device is "type:room"; when is local (month, day, h, m, s);
	outcomes is [(outcome, confidence)] per goal; human is
	[(goal, outcome, annotator)]; room puts the room in the device too."""
	DIALOGUES.append(dict(user=user, device=device, when=when, turns=turns,
			      outcomes=outcomes, human=human, loc=loc,
			      state=state or {}, room=room))


def human_label(kind, value, who, text):
	if kind == "slots":
		value = spans(text, value)
	return {"kind": kind, "value": value, "source": "human:" + who}


def speak_seconds(response):
	return len(response.split()) / 2.6


def build(n, spec):
	user = spec["user"]
	tz = USER_TZ[user]
	dtype, room = spec["device"].split(":")
	stem = room + "-display" if dtype == "screen" else room
	device = {"id": "%s-%d" % (stem, int(user[1:])), "type": dtype,
		  "screen": dtype != "speaker"}
	if spec.get("room"):	# the context dialogues say where the device stands
		device["room"] = room
	loc = spec["loc"] or ("car" if dtype == "car" else "home")
	ts = local_ts(tz, *spec["when"])
	state = spec["state"]
	goal = 1
	prev = None
	turns = []
	for i, tw in enumerate(spec["turns"]):
		barge = tw.get("barge", False)
		if i > 0:
			gap = tw.get("gap")
			if gap is None:
				said = speak_seconds(prev["response"])
				if barge:
					gap = 1 + math.ceil(said * rng.uniform(0.25, 0.5))
				else:
					gap = 2 + math.ceil(said) + rng.randint(0, 2)
			ts += gap
		new_goal = tw.get("goal", goal)
		boundary = new_goal != goal
		goal = new_goal
		if "state" in tw:
			state = tw["state"]
		if barge:	# this turn cut the previous turn's response short
			turns[-1]["barge_in"] = True
		text, intent = tw["text"], tw["intent"]
		assert unicodedata.is_normalized("NFC", text), text
		nc = conf(tw["nc"]) if "nc" in tw else jitter(0.82, 0.97)
		asr = conf(tw["asr"]) if "asr" in tw else jitter(0.86, 0.97)
		nlu_slots = spans(text, tw["slots"])
		mi = tw.get("mi", intent)
		if "mic" in tw:
			mic = conf(tw["mic"])
		else:
			mic = conf(min(0.99, max(0.05, nc + rng.uniform(-0.06, 0.05))))
		ms = spans(text, tw["ms"]) if "ms" in tw else nlu_slots
		msc = conf(tw["msc"]) if "msc" in tw else jitter(0.78, 0.96)
		fp = tw.get("fp", "correct")
		fpc = conf(tw["fpc"]) if "fpc" in tw else jitter(0.78, 0.95)
		gc = conf(tw["gc"]) if "gc" in tw else (
			jitter(0.66, 0.88) if boundary else jitter(0.84, 0.98))
		labels = [
			{"kind": "intent", "value": mi, "confidence": mic,
			 "source": "model:intent@3",
			 "candidates": candidates(mi, mic,
						  tw.get("mi_alts", INTENT_ALTS[mi]))},
			{"kind": "slots", "value": ms, "confidence": msc,
			 "source": "model:slots@3"},
		]
		if "fix" in tw:
			labels.append({"kind": "transcription", "value": tw["fix"],
				       "confidence": conf(tw.get("fixc", rng.uniform(0.55, 0.85))),
				       "source": "model:asr-fix@1"})
		labels += [
			{"kind": "failure_point", "value": fp, "confidence": fpc,
			 "source": "model:fpi@3",
			 "candidates": candidates(fp, fpc,
						  tw.get("fp_alts", FP_ALTS[fp]))},
			{"kind": "goal", "value": goal, "confidence": gc,
			 "source": "model:goals@2"},
		]
		for kind, value, who in tw.get("human", ()):
			labels.append(human_label(kind, value, who, text))
		turns.append({
			"ts": ts,
			"text": text,
			"asr_confidence": asr,
			"nlu": {"domain": INTENTS[intent], "intent": intent,
				"confidence": nc, "slots": nlu_slots},
			"response": tw["response"],
			"barge_in": False,
			"device_state": dict(state),
			"labels": labels,
		})
		prev = tw
	dlabels = []
	assert len(spec["outcomes"]) == goal, (n, len(spec["outcomes"]), goal)
	for g, (outcome, c) in enumerate(spec["outcomes"], 1):
		dlabels.append({"kind": "goal_outcome",
				"value": {"goal": g, "outcome": outcome},
				"confidence": conf(c), "source": "model:goals@2"})
	for g, outcome, who in spec["human"]:
		dlabels.append({"kind": "goal_outcome",
				"value": {"goal": g, "outcome": outcome},
				"source": "human:" + who})
	return {"id": "demo-%03d" % n, "user": user, "device": device,
		"context": {"location": loc, "timezone": tz},
		"turns": turns, "labels": dlabels}


# ---------------------------------------------------------------------------
# u17: a Warriors fan who says "the game" and "a restaurant nearby".

d("u17", "screen:living-room", (1, 9, 20, 14, 5), [
	t("what's the score of the game", "sports_score", "Which team do you mean?",
	  asr=0.91, nc=0.42, mic=0.44, ms=[("event", "the game")], msc=0.51,
	  fpc=0.58, fp_alts=["nlu", "entity"], state={"tv": "on"},
	  human=[("failure_point", "correct", "ana")]),
	t("the warriors", "sports_score",
	  "The Warriors lead the Suns 88 to 81 with 4 minutes left in the fourth quarter.",
	  [("team", "warriors")], asr=0.94, nc=0.81, mic=0.77),
], [("success", 0.86)], human=[(1, "success", "ana")])

d("u17", "speaker:kitchen", (1, 13, 21, 2, 40), [
	t("what's the score of the game", "sports_score",
	  "The Lakers beat the Celtics 112 to 104.",
	  asr=0.93, nc=0.66, mic=0.71, ms=[("event", "the game")], msc=0.55,
	  fp="entity", fpc=0.61, human=[("failure_point", "entity", "ben")]),
	t("what's the score of the game", "sports_score",
	  "The Lakers beat the Celtics 112 to 104.", gap=5,
	  asr=0.92, nc=0.66, mic=0.69, ms=[("event", "the game")], msc=0.53,
	  fp="result", fpc=0.48, fp_alts=["entity", "correct"],
	  human=[("failure_point", "entity", "ben")]),
	t("no that's wrong i mean the warriors", "sports_score",
	  "Sorry about that. The Warriors are down 97 to 99 against Denver with 2 minutes to go.",
	  [("team", "warriors")], asr=0.9, nc=0.74),
], [("success", 0.64)], human=[(1, "success", "ana")])

d("u17", "speaker:kitchen", (1, 17, 18, 40, 12), [
	t("find a restaurant nearby", "find_restaurant",
	  "I found Luigi's Trattoria, 0.4 miles away on Grand Avenue. It's open until 10 tonight.",
	  [("location", "nearby")], asr=0.95, nc=0.88),
	t("book a table there for two at seven", "restaurant_reserve",
	  "Done. I booked a table for 2 at Luigi's Trattoria at 7 PM tonight.",
	  [("party_size", "two"), ("time", "seven")], goal=2),
], [("success", 0.88), ("success", 0.9)])

d("u17", "car:car", (2, 6, 19, 10, 30), [
	t("what's the score of the game", "sports_score",
	  "The Warriors play the Clippers tonight at 7:30. The game hasn't started yet.",
	  nc=0.58, mic=0.52, mi_alts=["sports_schedule", "news_query"], fpc=0.72),
	t("navigate to chase center", "navigate_to",
	  "Starting directions to Chase Center. You'll arrive around 7:42.",
	  [("destination", "chase center")], goal=2),
], [("success", 0.71), ("success", 0.93)])

d("u17", "screen:living-room", (2, 21, 12, 30, 0), [
	t("find a restaurant nearby", "find_restaurant",
	  "Here are sushi restaurants near you: Sushi Ran, Kiku and Ozumo.",
	  [("location", "nearby")], nc=0.86,
	  fp="result", fpc=0.41, fp_alts=["correct", "entity"],
	  human=[("failure_point", "correct", "ana")]),
	t("no something italian", "find_restaurant",
	  "Here are Italian restaurants nearby: Luigi's Trattoria, Pasta Moon and Vero.",
	  [("cuisine", "italian")], barge=True, nc=0.79),
	t("the first one", "find_restaurant",
	  "Luigi's Trattoria is at 412 Grand Avenue and is open until 10 PM. Want me to book a table?",
	  nc=0.61, mic=0.58),
	t("not right now thanks", "general_stop", "Okay.", nc=0.7),
], [("success", 0.77)], human=[(1, "success", "ana")])

# ---------------------------------------------------------------------------
# Music.

d("u01", "speaker:kitchen", (1, 4, 17, 45, 0), [
	t("play maj and dragons", "play_music", "Here's Mah Jong Dragons by The Tiles.",
	  [("artist", "maj and dragons")], asr=0.58, nc=0.83,
	  fp="asr", fpc=0.74, fix="play imagine dragons", fixc=0.81),
	t("no play imagine dragons", "play_music", "Playing Imagine Dragons.",
	  [("artist", "imagine dragons")], barge=True, asr=0.9,
	  state={"music": "playing"}),
], [("success", 0.83)])

d("u02", "speaker:kitchen", (1, 10, 8, 12, 0), [
	t("play beyoncé", "play_music", "Playing Beyoncé.", [("artist", "beyoncé")]),
], [("success", 0.95)])

d("u05", "speaker:kitchen", (3, 7, 19, 30, 0), [
	t("play some motörhead", "play_music", "Here's Motörhead: Ace of Spades.",
	  [("artist", "motörhead")], asr=0.84),
	t("turn it up", "music_volume", "", goal=2, state={"music": "playing"}),
], [("success", 0.92), ("success", 0.9)])

d("u07", "speaker:bedroom", (4, 2, 21, 15, 0), [
	t("play 周杰伦", "play_music", "Playing songs by Jay Chou.",
	  [("artist", "周杰伦")], asr=0.71, nc=0.77),
	t("play 晴天", "play_music", "Playing 晴天 by Jay Chou.",
	  [("song", "晴天")], asr=0.66, nc=0.72, goal=2,
	  state={"music": "playing"}),
], [("success", 0.87), ("success", 0.82)])

d("u12", "speaker:kitchen", (4, 14, 18, 5, 0), [
	t("play ירושלים של זהב", "play_music",
	  "Playing ירושלים של זהב by Shuli Natan.",
	  [("song", "ירושלים של זהב")], asr=0.61, nc=0.69),
], [("success", 0.8)])

d("u03", "speaker:living-room", (2, 1, 15, 20, 0), [
	t("play some music", "play_music", "Here's a station based on Today's Top Hits.",
	  nc=0.9, fp="result", fpc=0.45, fp_alts=["correct", "nlu"]),
	t("no not that play some jazz", "play_music", "Okay, playing Jazz Classics.",
	  [("genre", "jazz")], barge=True, state={"music": "playing"}),
], [("success", 0.79)])

d("u04", "screen:kitchen", (5, 9, 10, 5, 0), [
	t("play the new taylor swift album", "play_music",
	  "Playing the latest album by Taylor Swift.", [("artist", "taylor swift")]),
	t("skip this song", "music_skip", "", goal=2, gap=95,
	  state={"music": "playing"}),
	t("skip", "music_skip", "", gap=21, nc=0.88),
], [("success", 0.9), ("success", 0.86)])

d("u06", "car:car", (3, 20, 17, 50, 0), [
	t("play my road trip playlist", "play_music",
	  "I couldn't find a playlist called road trip.",
	  [("playlist", "road trip")], nc=0.88, fp="entity", fpc=0.69),
	t("play road trip mix", "play_music", "Playing your playlist Road Trip Mix.",
	  [("playlist", "road trip mix")]),
], [("success", 0.85)])

d("u09", "speaker:kitchen", (2, 14, 19, 0, 0), [
	t("play this passito", "play_music", "I couldn't find this passito.",
	  [("song", "this passito")], asr=0.49, nc=0.7,
	  fp="asr", fpc=0.66, fp_alts=["entity", "nlu"],
	  fix="play despacito", fixc=0.57,
	  human=[("transcription", "play despacito", "ben"),
		 ("failure_point", "asr", "ben")]),
	t("never mind", "general_stop", "Okay.", asr=0.92),
], [("failure", 0.81)], human=[(1, "failure", "ben")])

d("u12", "speaker:kitchen", (9, 5, 17, 20, 0), [
	t("play فيروز", "play_music", "Sorry, I couldn't find that artist.",
	  [("artist", "فيروز")], asr=0.59, fp="entity", fpc=0.55,
	  fp_alts=["asr", "result"]),
	t("play fairuz", "play_music", "Playing Fairuz.", [("artist", "fairuz")]),
], [("success", 0.82)])

d("u05", "speaker:living-room", (11, 14, 20, 0, 0), [
	t("play the radio station deutschlandfunk", "play_music",
	  "Playing Deutschlandfunk.", [("station", "deutschlandfunk")], asr=0.8),
], [("success", 0.89)])

# ---------------------------------------------------------------------------
# Weather.

d("u01", "speaker:kitchen", (1, 6, 7, 2, 0), [
	t("what's the weather", "weather_query",
	  "Right now in Oakland it's 48 degrees and cloudy. Today's high will be 58."),
], [("success", 0.93)])

d("u02", "speaker:bedroom", (2, 11, 22, 40, 0), [
	t("will it rain tomorrow", "weather_forecast",
	  "Tomorrow in Brooklyn expect rain after 2 PM, with a high of 41 degrees.",
	  [("date", "tomorrow")]),
], [("success", 0.94)])

d("u04", "screen:kitchen", (6, 12, 8, 20, 0), [
	t("what's the weather in paris this weekend", "weather_forecast",
	  "This weekend in Paris: sunny on Saturday with a high of 26, showers on Sunday.",
	  [("location", "paris"), ("date", "this weekend")]),
], [("success", 0.92)])

d("u08", "speaker:kitchen", (7, 3, 9, 10, 0), [
	t("what's the weather in portland", "weather_query",
	  "In Portland, Oregon it's 64 degrees and sunny.",
	  [("location", "portland")], fp="entity", fpc=0.52,
	  fp_alts=["correct", "result"],
	  human=[("failure_point", "entity", "ben")]),
	t("no portland maine", "weather_query",
	  "In Portland, Maine it's 71 degrees with light fog.",
	  [("location", "portland maine")]),
], [("success", 0.8)])

d("u09", "speaker:kitchen", (12, 3, 16, 30, 0), [
	t("is it going to snow tonight", "weather_forecast",
	  "Sorry, I can't get the forecast right now. Please try again later.",
	  [("date", "tonight")], fp="result", fpc=0.83),
	t("is it going to snow tonight", "weather_forecast",
	  "Tonight in Denver snow is likely after 9 PM, with 2 to 4 inches.",
	  [("date", "tonight")], gap=6),
], [("success", 0.7)])

d("u11", "speaker:kitchen", (1, 22, 7, 5, 0), [
	t("what's the temperature outside in celsius", "weather_query",
	  "It's minus 12 degrees Celsius in Toronto right now.",
	  [("unit", "celsius")]),
], [("success", 0.91)])

d("u08", "speaker:kitchen", (3, 19, 8, 5, 0), [
	t("what's the weather like in cooper tino", "weather_query",
	  "Sorry, I couldn't find a place called Cooper Tino.",
	  [("location", "cooper tino")], asr=0.57, fp="asr", fpc=0.7,
	  fix="what's the weather like in cupertino"),
	t("weather in cupertino california", "weather_query",
	  "In Cupertino, California it's 52 degrees and partly cloudy.",
	  [("location", "cupertino california")]),
], [("success", 0.84)])

d("u12", "screen:kitchen", (11, 27, 8, 0, 0), [
	t("what's the weather in tel aviv", "weather_query",
	  "In Tel Aviv it's 24 degrees and sunny.", [("location", "tel aviv")]),
], [("success", 0.93)])

# ---------------------------------------------------------------------------
# Sports.

d("u03", "speaker:kitchen", (3, 11, 7, 45, 0), [
	t("did the bulls win last night", "sports_score",
	  "Yes, the Bulls beat the Knicks 118 to 109.",
	  [("team", "bulls"), ("date", "last night")]),
], [("success", 0.94)])

d("u04", "speaker:living-room", (9, 18, 21, 10, 0), [
	t("when do arsenal play next", "sports_schedule",
	  "Arsenal play Chelsea on Saturday at 5:30 PM.", [("team", "arsenal")]),
	t("what channel is it on", "sports_schedule",
	  "Arsenal against Chelsea is on Sky Sports Main Event.",
	  nc=0.57, mic=0.6, mi_alts=["sports_score", "news_query"]),
], [("success", 0.9)])

d("u02", "screen:living-room", (5, 22, 20, 5, 0), [
	t("what's the score of the yankee scam", "news_query",
	  "Here's the latest news about a Yankee scam from the New York Post.",
	  [("news_topic", "yankee scam")], asr=0.52, nc=0.48,
	  mi="sports_score", mic=0.39, mi_alts=["news_query", "sports_schedule"],
	  ms=[("team", "yankee")], msc=0.44,
	  fp="asr", fpc=0.62, fp_alts=["nlu", "entity"],
	  fix="what's the score of the yankees game", state={"tv": "on"}),
	t("stop", "general_stop", "", barge=True, asr=0.95),
	t("what's the score of the yankees game", "sports_score",
	  "The Yankees lead the Red Sox 4 to 2 in the bottom of the sixth.",
	  [("team", "yankees")], gap=4),
], [("success", 0.72)])

d("u06", "speaker:kitchen", (4, 11, 9, 30, 0), [
	t("what time do the dodgers play today", "sports_schedule",
	  "The Dodgers play the Padres at 7:10 PM.",
	  [("team", "dodgers"), ("date", "today")]),
], [("success", 0.95)])

d("u09", "screen:living-room", (1, 18, 14, 20, 0), [
	t("what's the score of the broncos game", "sports_score",
	  "The Broncos lead the Chiefs 17 to 10 in the third quarter.",
	  [("team", "broncos")], state={"tv": "on"}),
], [("success", 0.93)])

# ---------------------------------------------------------------------------
# Restaurants and food.

d("u08", "screen:kitchen", (10, 16, 17, 30, 0), [
	t("book a table at すし匠 for four on friday", "restaurant_reserve",
	  "Sorry, I couldn't find a restaurant called すし匠 near you.",
	  [("restaurant_name", "すし匠"), ("party_size", "four"), ("date", "friday")],
	  asr=0.67, nc=0.81, fp="asr", fpc=0.45, fp_alts=["entity", "nlu"],
	  human=[("failure_point", "entity", "ana")]),
	t("sushi sho on 44th street", "restaurant_reserve",
	  "I found Sushi Sho on West 44th Street. Should I book a table for 4 this Friday at 7 PM?",
	  [("restaurant_name", "sushi sho"), ("place", "44th street")],
	  nc=0.64, mic=0.55, mi_alts=["find_restaurant", "navigate_to"]),
	t("yes", "restaurant_reserve",
	  "Done. You have a table for 4 at Sushi Sho this Friday at 7 PM.", nc=0.9),
], [("success", 0.84)], human=[(1, "success", "ana")])

d("u01", "car:car", (4, 18, 8, 50, 0), [
	t("café near me", "find_restaurant",
	  "Little Heron Café is 0.3 miles ahead on the right. It's open until 5.",
	  [("place_type", "café"), ("location", "near me")], asr=0.88),
	t("navigate there", "navigate_to", "Starting directions to Little Heron Café.",
	  goal=2),
], [("success", 0.9), ("success", 0.91)])

d("u05", "screen:kitchen", (8, 7, 12, 15, 0), [
	t("find a vegan restaurant that's open now", "find_restaurant",
	  "Here are three vegan restaurants open now: Grüner Garten, Blattwerk and Linse & Löffel.",
	  [("cuisine", "vegan"), ("time", "open now")]),
], [("success", 0.9)])

d("u07", "screen:kitchen", (7, 25, 12, 40, 0), [
	t("find a ramen place like 一蘭", "find_restaurant",
	  "Here are ramen restaurants near you: Menya Kaze, Ramen Tora and Hinoki Ramen.",
	  [("cuisine", "ramen"), ("restaurant_name", "一蘭")], asr=0.7, nc=0.8),
], [("success", 0.85)])

# ---------------------------------------------------------------------------
# Smart home.

d("u02", "screen:living-room", (1, 10, 18, 3, 0), [
	t("turn on the lights in the living room", "iot_lights_on", "Okay.",
	  [("room", "living room")], state={"lights": "off"}),
], [("success", 0.96)])

d("u01", "speaker:kitchen", (1, 20, 6, 45, 0), [
	t("set the thermostat to 68", "iot_thermostat_set",
	  "Setting the thermostat to 68 degrees.", [("temperature", "68")]),
	t("actually make it 70", "iot_thermostat_set", "Okay, 70 degrees.",
	  [("temperature", "70")], nc=0.78),
], [("success", 0.91)])

d("u06", "car:car", (2, 3, 18, 22, 0), [
	t("open the garage door", "iot_garage_open",
	  "Sorry, the garage door opener isn't responding.",
	  [("device", "garage door")], fp="result", fpc=0.86),
	t("open the garage door", "iot_garage_open",
	  "Sorry, the garage door opener isn't responding.",
	  [("device", "garage door")], gap=6, fp="result", fpc=0.84),
	t("forget it", "general_stop", "Okay.", nc=0.74),
], [("failure", 0.9)])

d("u09", "speaker:kitchen", (11, 26, 13, 10, 0), [
	t("preheat the oven to four twenty five", "iot_oven_preheat",
	  "Preheating the oven to 425 degrees.",
	  [("temperature", "four twenty five")], state={"oven": "off"}),
], [("success", 0.94)])

d("u10", "speaker:kitchen", (6, 5, 19, 40, 0), [
	t("turn off the oven", "iot_lights_off", "Okay, turning off the kitchen lights.",
	  [("room", "oven")], nc=0.51, mi="iot_oven_off", mic=0.74,
	  ms=[("appliance", "oven")], msc=0.81, fp="nlu", fpc=0.8,
	  human=[("intent", "iot_oven_off", "ana"), ("failure_point", "nlu", "ana")]),
	t("no not the lights the oven", "iot_oven_off", "Sorry. Turning off the oven.",
	  [("appliance", "oven")], state={"oven": "on", "lights": "off"}),
	t("and turn the lights back on", "iot_lights_on", "Okay.", goal=2,
	  state={"oven": "off", "lights": "off"}),
], [("success", 0.78), ("success", 0.9)], human=[(1, "success", "ana"), (2, "success", "ana")],
  state={"oven": "on", "lights": "on"})

d("u10", "speaker:bedroom", (10, 20, 22, 10, 0), [
	t("set the bedroom to 65", "alarm_set", "Sorry, I can't set an alarm for 65.",
	  [("time", "65")], nc=0.44, mi="iot_thermostat_set", mic=0.47,
	  mi_alts=["alarm_set", "iot_lights_off"], ms=[("room", "bedroom"), ("temperature", "65")],
	  msc=0.62, fp="nlu", fpc=0.72),
	t("set the thermostat in the bedroom to 65", "iot_thermostat_set",
	  "Setting the bedroom thermostat to 65 degrees.",
	  [("room", "bedroom"), ("temperature", "65")]),
], [("success", 0.83)])

d("u09", "speaker:kitchen", (10, 9, 22, 5, 0), [
	t("close the garage door", "iot_garage_close", "The garage door is closing.",
	  [("device", "garage door")], state={"garage": "open"}),
], [("success", 0.95)])

d("u06", "car:car", (1, 30, 17, 30, 0), [
	t("set the thermostat at home to 72", "iot_thermostat_set",
	  "Setting your home thermostat to 72 degrees.",
	  [("location", "home"), ("temperature", "72")]),
], [("success", 0.93)])

d("u03", "speaker:kitchen", (9, 27, 17, 30, 0), [
	t("preheat the oven to 350", "iot_oven_preheat",
	  "Preheating the oven to 350 degrees.", [("temperature", "350")],
	  state={"oven": "off"}),
	t("and set a timer for 25 minutes", "timer_set",
	  "25 minutes, starting now.", [("duration", "25 minutes")], goal=2,
	  state={"oven": "preheating"}),
], [("success", 0.93), ("success", 0.92)])

# ---------------------------------------------------------------------------
# False wakes.

d("u03", "screen:living-room", (2, 8, 20, 41, 0), [
	t("alexis said she'd call you back", "none", "", asr=0.41, nc=0.22,
	  fp="false_wake", fpc=0.88, state={"tv": "on"}),
], [("failure", 0.7)])

d("u08", "speaker:living-room", (1, 15, 23, 5, 0), [
	t("and the weather tonight in the tri state area", "weather_query",
	  "Tonight in New York, clear and cold with a low of 19 degrees.",
	  [("date", "tonight"), ("location", "tri state area")], asr=0.55, nc=0.62,
	  mic=0.61, fp="false_wake", fpc=0.57, fp_alts=["correct", "asr"],
	  human=[("intent", "none", "ana"), ("failure_point", "false_wake", "ana")]),
	t("stop", "general_stop", "", barge=True, asr=0.9),
], [("failure", 0.66)], human=[(1, "failure", "ana")], state={"tv": "on"})

d("u02", "speaker:kitchen", (12, 12, 19, 30, 0), [
	t("a lexus for the holidays", "none", "", asr=0.38, nc=0.31,
	  fp="false_wake", fpc=0.91, state={"tv": "on"}),
], [("failure", 0.74)])

d("u05", "car:car", (6, 20, 18, 45, 0), [
	t("alexa are you coming to dinner", "find_restaurant",
	  "Here are restaurants open for dinner near you: Zur Linde, Café Odessa and Trattoria Sole.",
	  [("event", "dinner")], asr=0.63, nc=0.4, mi="none", mic=0.48,
	  mi_alts=["find_restaurant", "general_stop"], ms=[], fp="false_wake",
	  fpc=0.69),
	t("not you", "general_stop", "Okay.", barge=True, nc=0.45,
	  mi="general_negate", mic=0.41, mi_alts=["general_stop", "none"]),
], [("failure", 0.7)])

# ---------------------------------------------------------------------------
# Alarms and timers.

d("u01", "screen:kitchen", (2, 27, 18, 20, 0), [
	# typed on the screen, hence the emoji and the ASR confidence of 1
	t("set a 🍕 timer for 12 minutes", "timer_set", "Pizza timer set for 12 minutes.",
	  [("timer_name", "🍕"), ("duration", "12 minutes")], asr=1.0, nc=0.86),
	t("how much time is left on the 🍕 timer", "timer_query",
	  "Your pizza timer has 7 minutes and 20 seconds left.",
	  [("timer_name", "🍕")], asr=1.0, gap=280, goal=2,
	  state={"timer": "running"}),
], [("success", 0.92), ("success", 0.93)])

d("u04", "speaker:bedroom", (10, 4, 22, 50, 0), [
	t("wake me up at 6 30 tomorrow", "alarm_set",
	  "Your alarm is set for 6:30 AM tomorrow.",
	  [("time", "6 30"), ("date", "tomorrow")]),
], [("success", 0.95)])

d("u06", "speaker:bedroom", (3, 15, 22, 15, 0), [
	t("set an alarm for 7", "alarm_set", "Alarm set for 7 PM tomorrow.",
	  [("time", "7")], fp="entity", fpc=0.58, fp_alts=["nlu", "result"]),
	t("no 7 in the morning", "alarm_set",
	  "Got it. Your alarm is set for 7 AM tomorrow.",
	  [("time", "7 in the morning")]),
], [("success", 0.86)])

d("u11", "speaker:bedroom", (2, 2, 21, 30, 0), [
	t("cancel my alarm", "alarm_cancel",
	  "You have two alarms: 6 AM and 6:45 AM. Which one should I cancel?",
	  fpc=0.7, fp_alts=["nlu", "result"]),
	t("the first one", "alarm_cancel", "Okay, I cancelled your 6 AM alarm.",
	  nc=0.66, mic=0.58, mi_alts=["alarm_set", "timer_set"]),
], [("success", 0.88)])

d("u09", "speaker:kitchen", (5, 2, 12, 5, 0), [
	t("set a timer for two minutes", "timer_set", "Timer set for 2 minutes.",
	  [("duration", "two minutes")], asr=0.68, fp="asr", fpc=0.71,
	  fix="set a timer for ten minutes"),
	t("no ten minutes", "timer_set", "Okay, I changed your timer to 10 minutes.",
	  [("duration", "ten minutes")], barge=True, state={"timer": "running"}),
], [("success", 0.85)])

d("u10", "speaker:kitchen", (2, 22, 8, 10, 0), [
	t("set an egg timer for 9 minutes", "timer_set",
	  "Egg timer, 9 minutes, starting now.",
	  [("timer_name", "egg"), ("duration", "9 minutes")]),
	t("how much time is left on the egg timer", "timer_query",
	  "You don't have any timers set.", [("timer_name", "egg")],
	  gap=200, goal=2, fp="result", fpc=0.74, state={"timer": "running"}),
	t("how much time is left on the egg timer", "timer_query",
	  "You don't have any timers set.", [("timer_name", "egg")],
	  gap=5, fp="result", fpc=0.7),
], [("success", 0.9), ("failure", 0.83)])

d("u01", "speaker:bedroom", (5, 5, 6, 30, 4), [
	t("stop", "general_stop", "", asr=0.9, state={"alarm": "ringing"}),
	t("what's the weather today", "weather_query",
	  "Today in Oakland, sunny with a high of 72.", [("date", "today")],
	  goal=2, gap=9, state={}),
], [("success", 0.95), ("success", 0.93)])

# ---------------------------------------------------------------------------
# News.

d("u02", "speaker:kitchen", (3, 3, 7, 15, 0), [
	t("what's the news", "news_query", "Here's your news briefing from NPR."),
], [("success", 0.93)])

d("u05", "speaker:kitchen", (4, 21, 8, 0, 0), [
	t("give me the latest tech news", "news_query",
	  "Here's the latest technology news from Heise.", [("news_topic", "tech")]),
], [("success", 0.92)])

d("u10", "screen:kitchen", (11, 4, 7, 20, 0), [
	t("what's happening with the election", "news_query",
	  "Sorry, I don't have any news on that right now.",
	  [("news_topic", "the election")], fp="result", fpc=0.77),
], [("failure", 0.79)])

d("u03", "speaker:kitchen", (6, 18, 7, 30, 0), [
	t("play npr news", "play_music", "Playing NPR by The Signals.",
	  [("artist", "npr")], nc=0.55, mic=0.55,
	  mi_alts=["news_query", "music_skip"], fp="nlu", fpc=0.5,
	  fp_alts=["entity", "correct"],
	  human=[("intent", "news_query", "ben"), ("failure_point", "nlu", "ben"),
		 ("slots", [("news_source", "npr")], "ben")]),
	t("no i want the news from npr", "news_query",
	  "Here's the latest hourly news from NPR.", [("news_source", "npr")],
	  barge=True, state={"music": "playing"}),
], [("success", 0.8)], human=[(1, "success", "ben")])

d("u02", "speaker:kitchen", (10, 6, 7, 10, 0), [
	t("what's the news", "news_query",
	  "Here's your news briefing from NPR. In today's top stories, the city council voted last night on a new transit plan."),
	t("skip to sports", "news_query", "Here are today's sports headlines.",
	  [("news_topic", "sports")], barge=True, nc=0.71, mic=0.62,
	  mi_alts=["music_skip", "sports_score"], state={"news": "playing"}),
], [("success", 0.87)])

# ---------------------------------------------------------------------------
# Shopping list.

d("u01", "speaker:kitchen", (1, 25, 10, 30, 0), [
	t("add milk eggs and coffee to my shopping list", "list_add",
	  "I added milk, eggs and coffee to your shopping list.",
	  [("item", "milk"), ("item", "eggs"), ("item", "coffee"),
	   ("list_name", "shopping list")]),
], [("success", 0.95)])

d("u03", "speaker:kitchen", (4, 5, 11, 0, 0), [
	t("add cream fresh to the shopping list", "list_add",
	  "I added cream fresh to your shopping list.",
	  [("item", "cream fresh"), ("list_name", "shopping list")], asr=0.77,
	  fpc=0.66,
	  human=[("transcription", "add crème fraîche to the shopping list", "ben"),
		 ("failure_point", "asr", "ben")]),
], [("success", 0.8)], human=[(1, "failure", "ben")])

d("u11", "speaker:kitchen", (3, 28, 17, 45, 0), [
	t("what's on my shopping list", "list_query",
	  "You have 4 items on your shopping list: bread, apples, yogurt and maple syrup.",
	  [("list_name", "shopping list")]),
	t("add bananas", "list_add", "Added bananas.", [("item", "bananas")], goal=2),
], [("success", 0.92), ("success", 0.93)])

d("u08", "speaker:kitchen", (8, 19, 18, 10, 0), [
	t("add paper towels", "list_add", "Which list should I add paper towels to?",
	  [("item", "paper towels")], fpc=0.74, fp_alts=["nlu", "result"]),
	t("shopping", "list_add", "Added paper towels to your shopping list.",
	  [("list_name", "shopping")], nc=0.72, mi="list_query", mic=0.46,
	  mi_alts=["list_add", "calendar_query"],
	  human=[("intent", "list_add", "ana")]),
], [("success", 0.9)], human=[(1, "success", "ana")])

d("u04", "speaker:kitchen", (8, 30, 11, 20, 0), [
	t("add cale to my list", "list_add", "Did you mean kale?",
	  [("item", "cale")], asr=0.46, fpc=0.62, fp_alts=["asr", "entity"],
	  fix="add kale to my list", fixc=0.7),
	t("yes", "list_add", "Added kale to your shopping list.", nc=0.88),
], [("success", 0.89)])

# ---------------------------------------------------------------------------
# Navigation (car).

d("u06", "car:car", (5, 29, 16, 40, 0), [
	t("navigate to the nearest gas station", "navigate_to",
	  "The nearest gas station is 1.1 miles away. Starting directions.",
	  [("destination", "the nearest gas station")]),
], [("success", 0.94)])

d("u10", "car:car", (9, 12, 11, 0, 0), [
	t("take me to safeway", "navigate_to",
	  "Starting directions to Safeway on Broadway, 14 miles away.",
	  [("destination", "safeway")], fp="entity", fpc=0.63),
	t("no the closest safeway", "navigate_to",
	  "Okay. Starting directions to Safeway on Rainier Avenue, 1.2 miles away.",
	  [("destination", "the closest safeway")], barge=True,
	  state={"navigation": "active"}),
], [("success", 0.86)])

d("u01", "car:car", (2, 10, 7, 55, 0), [
	t("how's traffic on the way to work", "traffic_query",
	  "Traffic is heavy on I-880. It'll take about 42 minutes to get to work.",
	  [("destination", "work")]),
	t("navigate to work avoiding the freeway", "navigate_to",
	  "Starting directions to work via San Leandro Street. About 36 minutes.",
	  [("destination", "work")], goal=2),
], [("success", 0.9), ("success", 0.91)])

d("u09", "car:car", (7, 18, 18, 30, 0), [
	t("navigate to red rocks", "navigate_to",
	  "Starting directions to Red Rocks Amphitheatre. You'll arrive in 38 minutes.",
	  [("destination", "red rocks")]),
], [("success", 0.94)])

d("u07", "car:car", (8, 14, 17, 35, 0), [
	t("navigate home", "navigate_to",
	  "Starting directions home. 25 minutes with current traffic.",
	  [("destination", "home")]),
], [("success", 0.96)])

d("u11", "car:car", (10, 2, 8, 15, 0), [
	t("navigate to pearson airport terminal 1", "navigate_to",
	  "Starting directions to Toronto Pearson, Terminal 1. You'll arrive at 8:51.",
	  [("destination", "pearson airport terminal 1")], asr=0.85),
], [("success", 0.93)])

# ---------------------------------------------------------------------------
# Calendar.

d("u02", "speaker:bedroom", (2, 17, 6, 40, 0), [
	t("what's on my calendar today", "calendar_query",
	  "Today you have a dentist appointment at 9 AM and team lunch at noon.",
	  [("date", "today")]),
], [("success", 0.94)])

d("u04", "screen:office", (4, 20, 9, 15, 0), [
	t("add a dentist appointment on tuesday at 3", "calendar_add",
	  "Okay, I added Dentist appointment on Tuesday at 3 PM.",
	  [("event", "dentist appointment"), ("date", "tuesday"), ("time", "3")]),
], [("success", 0.93)], loc="office")

d("u05", "screen:office", (5, 12, 8, 50, 0), [
	t("when is my next meeting", "calendar_query", "You have no upcoming meetings.",
	  fp="result", fpc=0.42, fp_alts=["correct", "entity"]),
	t("that's wrong", "general_negate", "Sorry about that.", nc=0.77),
], [("failure", 0.74)], loc="office")

d("u12", "speaker:bedroom", (6, 10, 21, 45, 0), [
	t("what time is my flight on friday", "calendar_query",
	  "Your flight to Tel Aviv leaves Friday at 10:40 PM from JFK.",
	  [("event", "my flight"), ("date", "friday")]),
], [("success", 0.93)])

# ---------------------------------------------------------------------------
# Several goals in one dialogue.

d("u03", "speaker:bedroom", (1, 28, 22, 30, 0), [
	t("turn off all the lights", "iot_lights_off", "Okay.", state={"lights": "on"}),
	t("set an alarm for 6 am", "alarm_set", "Your alarm is set for 6 AM tomorrow.",
	  [("time", "6 am")], goal=2, state={"lights": "off"}),
	t("what's the weather tomorrow", "weather_forecast",
	  "Tomorrow in Chicago: snow showers and a high of 24.",
	  [("date", "tomorrow")], goal=3),
], [("success", 0.94), ("success", 0.95), ("success", 0.92)])

d("u11", "screen:living-room", (12, 20, 16, 10, 0), [
	t("what's the weather", "weather_query", "It's minus 4 and snowing in Toronto."),
	t("play some christmas music", "play_music", "Here's Holiday Classics.",
	  [("genre", "christmas")], goal=2),
	t("louder", "music_volume", "", goal=3, state={"music": "playing"}),
], [("success", 0.93), ("success", 0.91), ("success", 0.9)])

# A long Saturday-morning session in the kitchen.
d("u01", "speaker:kitchen", (3, 14, 8, 2, 10), [
	t("good morning what's the weather today", "weather_query",
	  "Good morning! Today in Oakland it'll be sunny with a high of 67 and a low of 49.",
	  [("date", "today")], asr=0.93),
	t("will it rain this weekend", "weather_forecast",
	  "No rain is expected this weekend. Sunday looks partly cloudy.",
	  [("date", "this weekend")]),
	t("play some jazz", "play_music", "Here's a jazz station: Morning Coffee Jazz.",
	  [("genre", "jazz")], goal=2, gap=40),
	t("turn it down a little", "music_volume", "", state={"music": "playing"}),
	t("set a timer for three minutes", "timer_set", "Three minutes, starting now.",
	  [("duration", "three minutes")], goal=3, gap=95),
	t("how much time is left", "timer_query", "About a minute and forty seconds.",
	  gap=80, nc=0.83, state={"music": "playing", "timer": "running"}),
	t("add maple syrup to the shopping list", "list_add",
	  "I added maple syrup to your shopping list.",
	  [("item", "maple syrup"), ("list_name", "shopping list")], goal=4,
	  gap=150, state={"music": "playing"}),
	t("and blueberries", "list_add", "Added blueberries.",
	  [("item", "blueberries")], nc=0.71, mic=0.74),
	t("add oak milk", "list_add", "I added oak milk to your shopping list.",
	  [("item", "oak milk")], asr=0.64, fp="asr", fpc=0.68,
	  fix="add oat milk", fixc=0.62,
	  human=[("transcription", "add oat milk", "ana"),
		 ("failure_point", "asr", "ana")]),
	t("no oat milk o a t", "list_add",
	  "Sorry about that. I replaced oak milk with oat milk.",
	  [("item", "oat milk")], barge=True, asr=0.81, nc=0.63),
	t("it's cold in here set the heat to 70", "iot_thermostat_set",
	  "Setting the thermostat to 70 degrees.", [("temperature", "70")],
	  goal=5, gap=60),
	t("what's the news", "news_query",
	  "Here's your morning briefing from NPR. The state legislature meets on Monday to vote on the water budget.",
	  goal=6, gap=200),
	t("stop", "general_stop", "", barge=True, state={"news": "playing"}),
	t("what's on my calendar today", "calendar_query",
	  "You have soccer practice at 10 AM and dinner with Sam at 7 PM.",
	  [("date", "today")], goal=7, gap=30, state={}),
	t("add pick up the cake at 4 pm", "calendar_add",
	  "Okay, I added Pick up the cake today at 4 PM.",
	  [("event", "pick up the cake"), ("time", "4 pm")], goal=8, nc=0.69,
	  mic=0.64, mi_alts=["list_add", "timer_set"]),
	t("find a thai restaurant near the ferry building", "find_restaurant",
	  "Here are three Thai restaurants near the Ferry Building: Bangkok Garden, Lotus Thai and Siam Table.",
	  [("cuisine", "thai"), ("place", "the ferry building")], goal=9, gap=45),
	t("book the first one for two at 7", "restaurant_reserve",
	  "Bangkok Garden has tables at 7:15 or 8 PM. Which works?",
	  [("party_size", "two"), ("time", "7")], goal=10, fpc=0.52,
	  fp_alts=["result", "entity"], human=[("failure_point", "correct", "ana")]),
	t("7 15", "restaurant_reserve",
	  "You're booked at Bangkok Garden for 2 at 7:15 PM tonight.",
	  [("time", "7 15")], asr=0.82, nc=0.62),
	t("turn on the torch light", "iot_lights_on",
	  "Sorry, I couldn't find a device called torch light.",
	  [("device", "torch light")], asr=0.57, fp="asr", fpc=0.63,
	  fp_alts=["entity", "nlu"], fix="turn on the porch light", goal=11,
	  gap=400),
	t("turn on the porch light", "iot_lights_on", "Okay, turning on the porch light.",
	  [("device", "porch light")], asr=0.83),
	t("play something by beyoncé", "play_music", "Here's Beyoncé.",
	  [("artist", "beyoncé")], goal=12, gap=30),
	t("louder", "music_volume", "", state={"music": "playing"}),
	t("that's all thanks", "general_stop", "You're welcome. Enjoy your Saturday!",
	  nc=0.6, mic=0.55, mi_alts=["general_negate", "none"]),
], [("success", 0.93), ("success", 0.9), ("success", 0.91), ("success", 0.76),
    ("success", 0.92), ("failure", 0.52), ("success", 0.93), ("success", 0.84),
    ("success", 0.9), ("success", 0.86), ("success", 0.79), ("success", 0.9)],
  human=[(4, "success", "ana"), (6, "success", "ana")])

# ---------------------------------------------------------------------------
# Rephrase sessions, at the end so that the dialogues above keep their bytes:
# the same confusion, failed and rephrased by several users, is what the
# rewrites are mined from (see db/gen-sessions.py for the large version).
# "play the beetles" -> "play the beatles" (ASR, four users), "turn the heat
# up" -> "set the thermostat higher" (NLU, three users), "navigate to hole
# foods" -> "navigate to whole foods" (ASR, three users); and u05's own "big
# light", the living-room lamp, which for u08 is the garage light.  Last, a
# topic switch: a failure followed by an unrelated request, not a rewrite.

d("u02", "speaker:kitchen", (2, 3, 18, 20, 0), [
	t("play the beetles", "play_music", "Sorry, I couldn't find the beetles.",
	  [("artist", "the beetles")], asr=0.54, nc=0.71, fp="asr", fpc=0.71,
	  fix="play the beatles", fixc=0.74),
	t("play the beatles", "play_music", "Playing The Beatles.",
	  [("artist", "the beatles")], asr=0.93, state={"music": "playing"}),
], [("success", 0.86)])

d("u03", "speaker:bedroom", (3, 22, 9, 5, 0), [
	t("play the beetles", "play_music", "Here's a podcast about beetles.",
	  [("artist", "the beetles")], asr=0.58, nc=0.64, mi_alts=["news_query", "music_skip"],
	  fp="asr", fpc=0.66, fp_alts=["nlu", "entity"]),
	t("play the beatles", "play_music", "Shuffling songs by The Beatles.",
	  [("artist", "the beatles")], barge=True, asr=0.91, state={"music": "playing"}),
], [("success", 0.83)])

d("u06", "car:car", (5, 16, 11, 40, 0), [
	t("play the beetles", "play_music", "Sorry, I can't find the beetles.",
	  [("artist", "the beetles")], asr=0.52, nc=0.69, fp="asr", fpc=0.68),
	t("play the beetles", "play_music", "Sorry, I couldn't find the beetles.",
	  [("artist", "the beetles")], gap=5, asr=0.57, nc=0.66, fp="asr", fpc=0.64,
	  fix="play the beatles", fixc=0.7),
	t("play the beatles", "play_music", "Here's a mix of The Beatles.",
	  [("artist", "the beatles")], asr=0.88, state={"music": "playing"}),
], [("success", 0.74)])

d("u11", "screen:living-room", (8, 8, 19, 15, 0), [
	t("play the beetles", "play_music", "Sorry, I couldn't find the beetles.",
	  [("artist", "the beetles")], asr=0.56, nc=0.73, fp="asr", fpc=0.73),
	t("play the beatles", "play_music", "Playing The Beatles.",
	  [("artist", "the beatles")], asr=0.94, state={"music": "playing"}),
	t("thanks", "general_stop", "You're welcome.", nc=0.66, mic=0.61,
	  mi_alts=["general_negate", "none"]),
], [("success", 0.88)])

d("u01", "speaker:kitchen", (1, 26, 7, 10, 0), [
	t("turn the heat up", "music_volume", "Turning the volume up.",
	  asr=0.95, nc=0.41, mi="iot_thermostat_set", mic=0.46,
	  fp="nlu", fpc=0.62, fp_alts=["result", "asr"], state={"music": "playing"}),
	t("set the thermostat higher", "iot_thermostat_set",
	  "Setting the thermostat to 71 degrees.", barge=True, asr=0.93),
], [("success", 0.81)])

d("u04", "speaker:living-room", (2, 14, 8, 30, 0), [
	t("turn the heat up", "music_volume", "Sorry, I'm not sure what you want to turn up.",
	  asr=0.92, nc=0.38, mic=0.4, fp="nlu", fpc=0.69),
	t("set the thermostat higher", "iot_thermostat_set",
	  "Okay, I'm raising the temperature to 21 degrees.", asr=0.9),
], [("success", 0.84)])

d("u10", "speaker:bedroom", (11, 30, 22, 20, 0), [
	t("turn the heat up", "music_volume", "Turning the volume up.",
	  asr=0.94, nc=0.44, mi="iot_thermostat_set", mic=0.43,
	  fp="nlu", fpc=0.58, fp_alts=["result", "correct"], state={"music": "playing"}),
	t("set the thermostat higher", "iot_thermostat_set",
	  "Setting the thermostat to 70 degrees.", barge=True, asr=0.92),
	t("thank you", "general_stop", "You're welcome.", nc=0.64, mic=0.6,
	  mi_alts=["general_negate", "none"]),
], [("success", 0.8)])

d("u06", "car:car", (3, 3, 17, 45, 0), [
	t("navigate to hole foods", "navigate_to", "Sorry, I couldn't find hole foods nearby.",
	  [("destination", "hole foods")], asr=0.55, nc=0.8, fp="asr", fpc=0.7,
	  fix="navigate to whole foods", fixc=0.66),
	t("navigate to whole foods", "navigate_to",
	  "Starting directions to Whole Foods Market on Stanford Ranch Road. You'll arrive in 9 minutes.",
	  [("destination", "whole foods")], asr=0.92, state={"navigation": "active"}),
], [("success", 0.87)])

d("u07", "car:car", (6, 20, 10, 5, 0), [
	t("navigate to hole foods", "navigate_to", "Sorry, I couldn't find hole foods nearby.",
	  [("destination", "hole foods")], asr=0.51, nc=0.77, fp="asr", fpc=0.67),
	t("navigate to whole foods", "navigate_to",
	  "Starting directions to Whole Foods Market on Fourth Street, 2.3 miles away.",
	  [("destination", "whole foods")], asr=0.9, state={"navigation": "active"}),
], [("success", 0.85)])

d("u09", "car:car", (9, 12, 16, 0, 0), [
	t("navigate to hole foods", "navigate_to",
	  "Starting directions to Hole in the Wall Foods, 14 miles away.",
	  [("destination", "hole foods")], asr=0.59, nc=0.79, fp="asr", fpc=0.61,
	  fp_alts=["entity", "result"]),
	t("navigate to whole foods", "navigate_to",
	  "Okay. Starting directions to Whole Foods Market on Pearl Street, 3 miles away.",
	  [("destination", "whole foods")], barge=True, asr=0.91, state={"navigation": "active"}),
], [("success", 0.82)])

d("u05", "speaker:living-room", (1, 19, 19, 0, 0), [
	t("turn on the big light", "iot_lights_on", "Sorry, I couldn't find a device called big light.",
	  [("device", "big light")], asr=0.9, nc=0.74, fp="entity", fpc=0.66,
	  state={"lights": "off"}),
	t("turn on the living room lamp", "iot_lights_on", "Okay, turning on the living room lamp.",
	  [("device", "living room lamp")], asr=0.92),
], [("success", 0.85)])

d("u05", "speaker:living-room", (4, 9, 20, 30, 0), [
	t("turn on the big light", "iot_lights_on", "Sorry, I don't know which light you mean.",
	  [("device", "big light")], asr=0.93, nc=0.7, fp="entity", fpc=0.7,
	  state={"lights": "off"}),
	t("turn on the living room lamp", "iot_lights_on", "Turning on the living room lamp now.",
	  [("device", "living room lamp")], barge=True, asr=0.94),
], [("success", 0.84)])

d("u05", "speaker:living-room", (10, 27, 18, 45, 0), [
	t("turn on the big light", "iot_lights_on", "Sorry, I couldn't find a device called big light.",
	  [("device", "big light")], asr=0.91, nc=0.76, fp="entity", fpc=0.72,
	  state={"lights": "off"}),
	t("turn on the living room lamp", "iot_lights_on", "Okay, turning on the living room lamp.",
	  [("device", "living room lamp")], asr=0.93),
], [("success", 0.86)])

d("u08", "speaker:kitchen", (12, 9, 19, 10, 0), [
	t("turn on the big light", "iot_lights_on", "Sorry, I couldn't find a device called big light.",
	  [("device", "big light")], asr=0.89, nc=0.72, fp="entity", fpc=0.64,
	  state={"lights": "off"}),
	t("turn on the garage light", "iot_lights_on", "Okay, turning on the garage light.",
	  [("device", "garage light")], asr=0.92),
], [("success", 0.83)])

d("u12", "speaker:kitchen", (5, 5, 18, 0, 0), [
	t("order me a pizza from dominos", "none", "Sorry, I can't order food yet.",
	  [], asr=0.9, nc=0.35, mi_alts=["find_restaurant", "general_stop"],
	  fp="result", fpc=0.57, fp_alts=["nlu", "correct"]),
	t("what's the weather", "weather_query", "It's 68 degrees and sunny in New York.",
	  goal=2, gap=9, gc=0.71),
], [("failure", 0.71), ("success", 0.93)])


# ---------------------------------------------------------------------------
# Context, at the end too (dialab-train(1), CONTEXT FEATURES): the same words
# mean different things by device state, device type, habit and the request
# before.  u21's oven: "what is the temperature" with the oven on is the
# oven's, which the live NLU once took for the weather; u22 plays "the hunger
# games" as the film on the living-room screen and as the audiobook on the
# kitchen speaker; u23 plays jazz (a habit, `dialab prefs learn`) and starts
# the coffee maker after the alarm, then says "play music" and "start
# brewing".

d("u21", "speaker:kitchen", (2, 14, 18, 30, 0), [
	t("what is the temperature", "weather_query", "It's 54 degrees outside.",
	  [], nc=0.61, mi_alts=["oven_temperature", "iot_thermostat_set"], fp="nlu", fpc=0.62,
	  state={"oven": "on"}),
	t("no the oven", "general_negate", "Sorry, I'm not sure what you mean.", [],
	  barge=True, nc=0.44, fp="nlu", fpc=0.55),
	t("what is the oven temperature", "oven_temperature", "The oven is at 350 degrees.", []),
], [("success", 0.71)], room=True)

d("u21", "speaker:kitchen", (3, 1, 17, 45, 0), [
	t("what is the temperature", "oven_temperature", "The oven is at 400 degrees.", [],
	  state={"oven": "on"}),
], [("success", 0.9)], room=True)

d("u21", "speaker:kitchen", (3, 2, 8, 10, 0), [
	t("what is the temperature", "weather_query", "It's 41 degrees outside.", [],
	  state={"oven": "off"}),
], [("success", 0.9)], room=True)

d("u22", "screen:living-room", (4, 4, 20, 15, 0), [
	t("play the hunger games", "play_movie", "Playing The Hunger Games on the screen.",
	  [("movie_name", "the hunger games")], state={"tv": "on"}),
], [("success", 0.92)], room=True)

d("u22", "speaker:kitchen", (4, 5, 7, 40, 0), [
	t("play the hunger games", "play_audiobook",
	  "Playing the audiobook of The Hunger Games, chapter one.",
	  [("book_name", "the hunger games")]),
], [("success", 0.9)], room=True)

for day in (6, 7, 8):
	d("u23", "speaker:bedroom", (5, day, 6, 30, 0), [
		t("turn off the alarm", "alarm_off", "Alarm off. Good morning.", [],
		  state={"alarm": "ringing"}),
		t("start the coffee maker", "device_on", "Starting the coffee maker.",
		  [("device", "coffee maker")], state={"alarm": "off"}),
		t("play some jazz", "play_music", "Playing some jazz.", [("genre", "jazz")],
		  goal=2, state={"music": "playing"}),
	], [("success", 0.92), ("success", 0.9)], room=True)

d("u23", "speaker:bedroom", (5, 9, 6, 35, 0), [
	t("turn off the alarm", "alarm_off", "Alarm off. Good morning.", [],
	  state={"alarm": "ringing"}),
	t("start brewing", "device_on", "Sorry, what should I start?", [], nc=0.48,
	  mi_alts=["iot_lights_on", "iot_oven_preheat"], fp="entity", fpc=0.5,
	  state={"alarm": "off"}),
	t("play music", "play_music", "Playing music.", [], goal=2, nc=0.9,
	  state={"music": "playing"}),
], [("failure", 0.55), ("success", 0.88)], room=True)


# ---------------------------------------------------------------------------
# Build, check, write.

def is_emoji(ch):
	return 0x1F300 <= ord(ch) <= 0x1FAFF or 0x2600 <= ord(ch) <= 0x27BF


def is_cjk(ch):
	return 0x3040 <= ord(ch) <= 0x30FF or 0x4E00 <= ord(ch) <= 0x9FFF


def is_rtl(ch):
	return 0x0590 <= ord(ch) <= 0x08FF


def check_float(x, where):
	assert isinstance(x, float), where
	assert 0.0 <= x <= 1.0 and round(x, 3) == x, where


def check_candidates(label, where):
	cands = label["candidates"]
	assert 2 <= len(cands) <= 3, where
	assert cands[0]["value"] == label["value"], where
	assert cands[0]["confidence"] == label["confidence"], where
	for c in cands:
		check_float(c["confidence"], where)
	confs = [c["confidence"] for c in cands]
	assert confs == sorted(confs, reverse=True), where
	assert sum(confs) <= 1.0, where
	assert len({c["value"] for c in cands}) == len(cands), where


def check_slots(text, slots, where):
	end = 0
	for s in slots:
		assert list(s) == ["type", "start", "end"], where
		assert isinstance(s["start"], int) and isinstance(s["end"], int), where
		assert end <= s["start"] < s["end"] <= len(text), where
		end = s["end"]


def check(dialogues):
	ids = [dl["id"] for dl in dialogues]
	assert len(dialogues) >= 64, len(dialogues)
	assert len(set(ids)) == len(ids)
	fps, dtypes, users, devices = set(), set(), {}, {}
	texts = []
	barge = multi = long_ = 0
	lo, hi = calendar.timegm((YEAR, 1, 1, 0, 0, 0)), calendar.timegm((YEAR + 1, 1, 1, 0, 0, 0))
	for dl in dialogues:
		assert list(dl) == ["id", "user", "device", "context", "turns", "labels"]
		assert list(dl["device"]) in (["id", "type", "screen"], ["id", "type", "screen", "room"])
		dtypes.add(dl["device"]["type"])
		key = (dl["user"], dl["device"]["id"])
		assert devices.setdefault(key, dl["device"]) == dl["device"], dl["id"]
		users[dl["user"]] = users.get(dl["user"], 0) + 1
		prev_ts, prev_goal = lo - 1, 1
		for i, tn in enumerate(dl["turns"]):
			where = "%s turn %d" % (dl["id"], i)
			assert list(tn) == ["ts", "text", "asr_confidence", "nlu", "response",
					    "barge_in", "device_state", "labels"], where
			assert isinstance(tn["ts"], int) and prev_ts < tn["ts"] < hi, where
			prev_ts = tn["ts"]
			texts.append(tn["text"])
			check_float(tn["asr_confidence"], where)
			check_float(tn["nlu"]["confidence"], where)
			assert tn["nlu"]["intent"] in INTENTS, where
			check_slots(tn["text"], tn["nlu"]["slots"], where)
			barge += tn["barge_in"]
			kinds = []
			for lab in tn["labels"]:
				kinds.append(lab["kind"])
				human = lab["source"].startswith("human:")
				assert ("confidence" in lab) != human, where
				if not human:
					check_float(lab["confidence"], where)
				if "candidates" in lab:
					assert not human, where
					check_candidates(lab, where)
				if lab["kind"] == "intent":
					assert lab["value"] in INTENTS, where
				elif lab["kind"] == "slots":
					check_slots(tn["text"], lab["value"], where)
				elif lab["kind"] == "transcription":
					assert lab["value"] != tn["text"], where
				elif lab["kind"] == "failure_point":
					assert lab["value"] in FAILURE_POINTS, where
					fps.add(lab["value"])
				elif lab["kind"] == "goal":
					assert prev_goal <= lab["value"], where
					prev_goal = lab["value"]
				else:
					raise AssertionError(where)
			for k in ("intent", "slots", "failure_point", "goal"):
				assert k in kinds, where
		goals = {lab["value"]["goal"] for lab in dl["labels"]}
		assert all(lab["kind"] == "goal_outcome" for lab in dl["labels"])
		assert goals <= set(range(1, prev_goal + 1)), dl["id"]
		assert len([lab for lab in dl["labels"]
			    if lab["source"].startswith("model:")]) == prev_goal, dl["id"]
		multi += prev_goal > 1
		long_ += len(dl["turns"]) >= 20
	chars = "".join(texts)
	assert fps == set(FAILURE_POINTS), fps
	assert dtypes == {"speaker", "screen", "car"}, dtypes
	assert any(map(is_emoji, chars)), "emoji"
	assert any(map(is_cjk, chars)), "CJK"
	assert any(map(is_rtl, chars)), "right-to-left"
	assert barge > 0 and multi > 0 and long_ > 0
	assert users.get("u17", 0) >= 4
	assert {"u%02d" % i for i in range(1, 13)} <= set(users)


def main():
	dialogues = [build(n, spec) for n, spec in enumerate(DIALOGUES, 1)]
	check(dialogues)
	out = sys.stdout.buffer
	for dl in dialogues:
		line = json.dumps(dl, ensure_ascii=False, separators=(",", ":"))
		out.write(line.encode("utf-8") + b"\n")


if __name__ == "__main__":
	main()
