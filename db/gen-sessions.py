#!/usr/bin/env python3
"""Write dialab dialogues full of rephrase sessions, with known rewrites.

    python3 db/gen-sessions.py N SEED [--summary] [--truth FILE]
                               [--start EPOCH] [--no-labels] [--keep-recovered]

The data exist to mine and score *rewrites*: a failed utterance that users
rephrase into one that works ("play maj and dragons" -> "play imagine
dragons"), for everyone (global) or for one user (personal).  N dialogues
go to standard output as dialab JSON Lines (dialab-format(5)); --truth FILE
writes what a miner should find and what it must leave alone.  The output
is deterministic for a given N and SEED: dialogue i draws from its own
generator, seeded with "SEED:i", and the users from "SEED:users"; only the
choice of a user who is not already talking depends on earlier dialogues.
Texts are ASCII lower case (what the ASR heard); slot offsets are code
points into the text, end exclusive, over words of the text.

Users, devices and time
-----------------------
About N/6 users, "s001"..., each with one to three devices (kitchen or
bedroom speaker, living-room screen, car) in America/Los_Angeles.  How much
a user talks is log-normal, so a few users have many dialogues and most a
handful.  A dialogue is one user on one device.  Dialogue i starts at the
(i + u)/N quantile of ~60 days of traffic from --start (default 1767225600,
2026-01-01): more in the morning and evening, little at night.  So the first
turns of the dialogues increase through the file, a split by time is a
split by line, and the turns of a dialogue increase within it (dialogues of
different users overlap in time; those of one user do not: a user is
picked again while still busy, and a user's next dialogue starts at least
two minutes after the last turn of the previous one).

Sessions
--------
A dialogue has one to four sessions (40 / 30 / 18 / 12%), 8-900 s apart
(log-uniform; at least 61 s when the two turns around the gap are alike
enough to pass for a restatement).  Each session is one of (weights 50,
22, 24 for users with personal forms, 7, 6):

  success      a request that just works: a common request ("what time is
               it", "set a timer for five minutes", "play some jazz"), often
               the good form of a confusion below said right the first time,
               or a clarification ("set a timer" / "For how long?" /
               "fifteen minutes").  Sometimes the user closes with "thanks".
  global       a recurring confusion shared by all users.  asr: a misheard
               form ("play the beetles", "call mam"), ASR confidence
               0.35-0.7; nlu: a phrasing the live NLU gets wrong ("turn the
               heat up" taken for the volume), ASR 0.8-0.99, NLU 0.3-0.6.  The
               bad form fails (an apology, or an irrelevant answer), the user
               says it again, the same or another bad form of the same thing,
               one time in four, then the good form ("play the beatles",
               "set the thermostat higher"), 3-20 s after each failed turn;
               the good form works.  Also "what's the weather in wilkerson"
               (kind nlu): an ambiguous place, which nearly everyone
               resolves to "what's the weather in wilkerson washington".
  personal     the same shape, with a form that means something only to this
               user.  The top 12% of users by activity (at least one) get one
               or two of the personal sources ("turn on the big light", "call
               the boss", "play my song", ...), each with a target of their
               own ("turn on the living room lamp" for one user, "turn on the
               garage light" for another), which they always use after it
               fails.  The two heaviest users (the heaviest alone when
               there are fewer than 30 users) always resolve Wilkerson to
               "what's the weather in wilkerson california" instead.
  topic        a topic switch: a request fails (an unsupported one such as
               "order me a pizza from dominos", a global bad form, or a
               personal source), and 3-20 s later the user asks for
               something unrelated that works ("what's the weather").  Not a
               rephrase: the unrelated request is not a rewrite of the failed
               one (the targets are drawn from all the common requests,
               unlike the source's).
  giveup       a request fails (same sources as topic), maybe once more, and
               the user says "never mind" / "stop" / "forget it" / "cancel",
               or the dialogue ends there.

The Bruno guard: the next heaviest user (the third, or the second) plays
"play we don't talk anymore" in 60% of their successful requests; everyone
else plays "play we don't talk about bruno", which is also the target of the
global ASR confusion "play we don't talk a bruno".  Both titles work and
neither may ever be rewritten into the other (their word Jaccard is 0.57).

What the judges see
-------------------
The signals are those of src/learn/judge.c, and the generator checks every
turn against a copy of them: a turn failed when its response is of kind
"err" (an apology: "Sorry, ...", "I couldn't find ..."), or it was barged
in on (barge_in on the turn whose response the user cut short), or the next
turn, within 60 s, negates it (judge_negates: "no ...", "never mind",
"stop") or restates it (judge_rephrase >= 0.5).  A failed turn with an
irrelevant, non-apology answer is barged in on, or restated, or the next
turn opens with "no " ("no set the thermostat higher": under 10% of the nlu
sessions and a few asr ones; the truth's "to" is the text without the
"no ").  A turn that works gets a helpful answer, is never barged in on,
and is followed by nothing, "thanks", an unrelated request or a
clarification's answer.  Every turn's outcome under these signals is the
story's, or the generator stops with an error.

Labels (unless --no-labels), all with source "import:synthetic": goal
(one per request; a topic switch is two goals), failure_point (the failed
turns' stage: asr, nlu, entity for a personal source or Wilkerson, result
for an unsupported request; correct otherwise, and, as dialab-format(5)
says, also on the failed turns of a session that recovered, unless
--keep-recovered), rephrase (true on a retry or the good form after a
failed turn) and goal_outcome (success when the good form was reached or
the request just worked; failure for a give-up or a switched-away request).

Truth
-----
--truth FILE writes JSON Lines: first every rewrite that occurred at least
once, global ones by "from", then personal ones by user (for 2000 1):

  {"from": "play the beetles", "to": "play the beatles", "scope": "global",
   "user": null, "kind": "asr", "support": 47, "users": 44}
  {"from": "turn on the big light", "to": "turn on the living room lamp",
   "scope": "personal", "user": "s060", "kind": "vocab", "support": 4,
   "users": 1}

(kind: asr, nlu, or vocab for personal ones; support: the sessions in which
the user went from the one to the other and it worked; users: how many
users did), then every utterance that must never be rewritten, in the form
it has in the data, sorted,

  {"never": "play we don't talk anymore", "why": "guard", "support": 13}

why: guard (the Bruno pair), target (the good form of a rewrite, also with
"no " before it),
topic_switch (followed a failure as an unrelated request), success (a
common request that worked), closing ("thanks", "never mind", ...);
support: how often it worked.  No text is both a "from" and a "never".

--summary prints to stderr the dialogues, turns and users, the sessions of
each kind, the truth entries and their support, and the barge-ins.
"""

import argparse
import bisect
import json
import math
import random
import re
import sys

SOURCE = "import:synthetic"
DAY = 86400
SPAN_DAYS = 60
TZ_OFFSET = -8 * 3600		# America/Los_Angeles, standard time
BUSY_AFTER = 120		# a user's next dialogue starts this long after the last turn

P_SECOND_FAIL = 0.25		# a failed attempt is followed by another one
P_THANKS = 0.1
P_BARGE_ERR = 0.2		# the user cuts an apology short
P_BARGE_IRRELEVANT = 0.7	# ... an irrelevant answer, when not restating it
P_BARGE_RESTATED = 0.3		# ... an irrelevant answer the user then restates
P_PERSONAL_USERS = 0.12
P_ANYMORE = 0.6		# the Bruno-guard user's success sessions that play it

SESSIONS_PER_DIALOGUE = [40, 30, 18, 12]	# 1, 2, 3 or 4
# Episode weights per session; personal only for users who have forms.
EPISODES = [("success", 50), ("global", 22), ("personal", 0), ("topic", 7), ("giveup", 6)]
W_PERSONAL = 24

DOMAIN = {
	"play_music": "music", "music_volume": "music", "music_pause": "music",
	"weather_query": "weather", "call_contact": "communication",
	"iot_lights_on": "iot", "iot_lights_off": "iot", "iot_thermostat_set": "iot",
	"iot_device_on": "iot", "iot_lock": "iot", "iot_query": "iot",
	"timer_set": "alarm", "timer_query": "alarm", "alarm_set": "alarm",
	"list_add": "lists", "list_query": "lists",
	"navigate_to": "navigation", "traffic_query": "navigation",
	"news_query": "news", "sports_score": "sports", "calendar_query": "calendar",
	"reminder_set": "calendar", "food_order": "shopping", "shopping_order": "shopping",
	"flight_book": "travel", "finance_query": "finance", "message_read": "communication",
	"device_find": "general", "translate": "general", "camera_show": "iot",
	"routine_run": "general", "find_restaurant": "food",
	"time_query": "general", "general_question": "general", "web_search": "general",
	"general_stop": "general", "general_thanks": "general", "none": "general",
}

CONDITIONS = ["sunny", "cloudy", "partly cloudy", "foggy", "rainy", "windy", "clear",
	      "overcast"]
HEADLINES = ["The city council approved the new transit budget.",
	     "Storms are expected along the coast this weekend.",
	     "Stocks closed higher after a quiet day of trading.",
	     "A new study looks at how sleep affects memory.",
	     "Gas prices fell for the third week in a row.",
	     "The school board will vote on later start times."]
OPPONENTS = ["the Suns", "the Nuggets", "the Knicks", "the Heat", "the Bulls", "the Jazz"]


# ---------------------------------------------------------------------------
# A copy of the judges' signals (src/learn/judge.c), for the ASCII lower-case
# texts written here: words are runs of letters, digits and inner
# apostrophes; trigrams are over letters and digits, other runs one space.

ERR_WORDS = ("sorry", "didn't", "did not", "don't know", "can't", "cannot", "couldn't",
	     "not sure", "try again", "no results", "unable", "something went wrong")
NEG_PHRASES = ("not what", "wrong", "stop", "cancel", "never mind", "nevermind", "forget it",
	       "that's not", "thats not", "i said", "i meant")
NON_ALNUM = re.compile(r"[^a-z0-9]+")
_reph_cache = {}
_neg_cache = {}
_kind_cache = {}


def response_kind(r):
	k = _kind_cache.get(r)
	if k is None:
		low = r.lower()
		if not r:
			k = "none"
		elif any(w in low for w in ERR_WORDS):
			k = "err"
		else:
			k = "q" if r.rstrip().endswith("?") else "ok"
		if len(_kind_cache) < 200000:
			_kind_cache[r] = k
	return k


def negates(text):
	v = _neg_cache.get(text)
	if v is None:
		norm = " ".join(text.split())
		v = norm == "no" or norm.startswith("no ") or "no," in text
		if not v:
			padded = " " + norm + " "
			v = any(" " + p + " " in padded for p in NEG_PHRASES)
		_neg_cache[text] = v
	return v


def _trigrams(s):
	buf = NON_ALNUM.sub(" ", s.lower()).lstrip(" ")
	return {buf[i:i + 3] for i in range(len(buf) - 2)}


def rephrase_score(a, b):
	key = (a, b)
	v = _reph_cache.get(key)
	if v is None:
		wa, wb = set(a.split()), set(b.split())
		c = len(wa & wb)
		jac = c / (len(wa) + len(wb) - c) if wa or wb else 0.0
		ta, tb = _trigrams(a), _trigrams(b)
		dice = 2.0 * len(ta & tb) / (len(ta) + len(tb)) if ta or tb else 0.0
		v = max(jac, dice)
		_reph_cache[key] = v
	return v


def worked(turns, i):
	"""judge.c's worked(): did turn i work, as the user's behaviour tells?"""
	t = turns[i]
	if response_kind(t["response"]) == "err" or t["barge_in"]:
		return False
	if i + 1 < len(turns):
		nx = turns[i + 1]
		if negates(nx["text"]):
			return False
		if nx["ts"] - t["ts"] < 60 and rephrase_score(t["text"], nx["text"]) >= 0.5:
			return False
	return True


# ---------------------------------------------------------------------------
# Utterances.  Markup "play <artist:the beatles>" gives the text and the
# slots; an answer is a list of responses or a function of the generator.

MARK = re.compile(r"<(\w+):([^>]+)>")


class U:
	__slots__ = ("text", "slots", "intent", "domain", "answer", "stage", "fails", "w")

	def __init__(self, markup, intent, answer=None, fails=None, stage="correct", w=1):
		text, slots, pos = "", [], 0
		for m in MARK.finditer(markup):
			text += markup[pos:m.start()]
			slots.append({"type": m.group(1), "start": len(text),
				      "end": len(text) + len(m.group(2))})
			text += m.group(2)
			pos = m.end()
		text += markup[pos:]
		assert text.isascii() and text == text.lower() and text.strip() == text, text
		assert "  " not in text and not negates(text), text
		self.text, self.slots, self.intent = text, slots, intent
		self.domain = DOMAIN[intent]
		self.answer = answer
		self.fails = fails or []
		self.stage = stage
		self.w = w

	def respond(self, r):
		a = self.answer
		return a(r) if callable(a) else r.choice(a)

	def prefixed(self, prefix):
		"""The same request with prefix words ("no ") before it."""
		u = U.__new__(U)
		for k in U.__slots__:
			setattr(u, k, getattr(self, k))
		u.text = prefix + self.text
		u.slots = [{"type": s["type"], "start": s["start"] + len(prefix),
			    "end": s["end"] + len(prefix)} for s in self.slots]
		return u


def music(name, song=False):
	if song:
		return ["Playing %s." % name, "Here's %s." % name, "Now playing %s." % name]
	return ["Playing %s." % name, "Shuffling songs by %s." % name,
		"Here's a mix of %s." % name, "Playing popular songs by %s." % name]


def call(name):
	return ["Calling %s." % name, "Calling %s now." % name, "Okay, calling %s." % name]


def weather(place=None):
	def f(r):
		t = r.randint(28, 88)
		c = r.choice(CONDITIONS)
		if place is None:
			return r.choice(["It's %d degrees and %s." % (t, c),
					 "Right now it's %s and %d degrees." % (c, t),
					 "Today it'll be %s with a high of %d." % (c, t)])
		return r.choice(["It's %d degrees and %s in %s." % (t, c, place),
				 "Right now in %s it's %s and %d degrees." % (place, c, t),
				 "%s is %s today, with a high of %d." % (place, c, t)])
	return f


def lights(name, on=True):
	w = "on" if on else "off"
	return ["Okay, turning %s %s." % (w, name), "Turning %s %s now." % (w, name),
		"Okay, %s is %s." % (name, w)]


def directions(name):
	def f(r):
		return r.choice(["Starting directions to %s. You'll arrive in %d minutes." % (name, r.randint(6, 40)),
				 "Okay, heading to %s. It's %d minutes away." % (name, r.randint(6, 40))])
	return f


def news(name="NPR"):
	def f(r):
		return r.choice(["Here's the latest from %s. %s" % (name, r.choice(HEADLINES)),
				 "Here are the headlines from %s: %s" % (name, r.choice(HEADLINES))])
	return f


def score(team):
	def f(r):
		a = r.randint(95, 128)
		return "%s beat %s %d to %d." % (team, r.choice(OPPONENTS), a, a - r.randint(1, 15))
	return f


def clock(r):
	h, m = r.randint(1, 12), r.randint(0, 59)
	return r.choice(["It's %d:%02d." % (h, m), "The time is %d:%02d." % (h, m)])


def fixed(*answers):
	return list(answers)


# ---------------------------------------------------------------------------
# Global confusions: (kind, good form, [bad forms]).  A bad form is a U with
# the NLU's intent and the responses it gets.

def G(kind, good, bads, w=1):
	return {"kind": kind, "good": good, "bads": bads, "w": w}


def asr_bad(markup, intent, fails):
	return U(markup, intent, fails=fails, stage="asr")


def nlu_bad(markup, intent, fails):
	return U(markup, intent, fails=fails, stage="nlu")


WEB = "Here's what I found on the web for %s."

GLOBAL = [
	G("asr", U("play <artist:imagine dragons>", "play_music", music("Imagine Dragons")), [
		asr_bad("play <artist:maj and dragons>", "play_music",
			["Sorry, I couldn't find maj and dragons.", "Here's Mah Jong Dragons by The Tiles."]),
		asr_bad("play <artist:imagine wagons>", "play_music",
			["Sorry, I couldn't find imagine wagons.", "Here's Imagine by John Lennon."])], w=2),
	G("asr", U("play <artist:the beatles>", "play_music", music("The Beatles")), [
		asr_bad("play <artist:the beetles>", "play_music",
			["Sorry, I couldn't find the beetles.", "Here's a podcast about beetles."])], w=2),
	G("asr", U("call <contact:mom>", "call_contact", call("Mom")), [
		asr_bad("call <contact:mam>", "call_contact",
			["Sorry, I couldn't find mam in your contacts.",
			 "Sorry, I don't see a contact called mam."])], w=2),
	G("asr", U("call <contact:dad>", "call_contact", call("Dad")), [
		asr_bad("call <contact:dead>", "call_contact",
			["Sorry, I couldn't find dead in your contacts.", WEB % "call dead"])]),
	G("asr", U("play <artist:billie eilish>", "play_music", music("Billie Eilish")), [
		asr_bad("play <artist:billy irish>", "play_music",
			["Sorry, I couldn't find billy irish.", "Here's Irish Pub Songs by The Dubliners."]),
		asr_bad("play <artist:billy island>", "play_music",
			["Sorry, I can't find billy island.", "Here's Island Vibes radio."])]),
	G("asr", U("play <artist:ed sheeran>", "play_music", music("Ed Sheeran")), [
		asr_bad("play <artist:ed shearing>", "play_music",
			["Sorry, I can't find ed shearing.", "Here's George Shearing."])]),
	G("asr", U("play <artist:coldplay>", "play_music", music("Coldplay")), [
		asr_bad("play <artist:cold plate>", "play_music",
			["Sorry, I couldn't find cold plate.", "Here's a recipe for a cold plate."]),
		asr_bad("play <artist:gold play>", "play_music",
			["Sorry, I couldn't find gold play."])]),
	G("asr", U("play <song:we don't talk about bruno>", "play_music",
		   music("We Don't Talk About Bruno from Encanto", song=True)), [
		asr_bad("play <song:we don't talk a bruno>", "play_music",
			["Sorry, I couldn't find we don't talk a bruno.", "Here's Bruno Mars."])]),
	G("asr", U("set a timer for <duration:ten minutes>", "timer_set",
		   fixed("Timer set for 10 minutes.", "10 minutes, starting now.",
			 "Okay, 10 minutes on the clock.")), [
		asr_bad("set a tiger for <duration:ten minutes>", "none",
			["Sorry, I'm not sure about that.", "Here are some facts about tigers."])]),
	G("asr", U("what's the weather", "weather_query", weather()), [
		asr_bad("what's the whether", "none", ["Sorry, I didn't get that.", "Hmm, I'm not sure."]),
		asr_bad("what's the feather", "none", ["Sorry, I don't know that one."])], w=2),
	G("asr", U("turn on the <room:kitchen> lights", "iot_lights_on", lights("the kitchen lights")), [
		asr_bad("turn on the <room:kitten> lights", "iot_lights_on",
			["Sorry, I couldn't find a room called kitten.",
			 "Sorry, I don't see a device called kitten lights."]),
		asr_bad("turn on the <room:chicken> lights", "iot_lights_on",
			["Sorry, I couldn't find a room called chicken."])]),
	G("asr", U("add <item:oat milk> to the <list:shopping list>", "list_add",
		   fixed("I added oat milk to your shopping list.", "Okay, oat milk is on your shopping list.")), [
		asr_bad("add <item:oak milk> to the <list:shopping list>", "list_add",
			["I added oak milk to your shopping list.", "Sorry, I couldn't add that."])]),
	G("asr", U("play <artist:fleetwood mac>", "play_music", music("Fleetwood Mac")), [
		asr_bad("play <artist:fleetwood max>", "play_music",
			["Sorry, I couldn't find fleetwood max.", "Here's Max Richter."])]),
	G("asr", U("navigate to <destination:whole foods>", "navigate_to", directions("Whole Foods Market")), [
		asr_bad("navigate to <destination:hole foods>", "navigate_to",
			["Sorry, I couldn't find hole foods nearby.",
			 "Starting directions to Hole in the Wall Foods, 14 miles away."])]),
	G("asr", U("play <artist:taylor swift>", "play_music", music("Taylor Swift")), [
		asr_bad("play <artist:tailor swift>", "play_music",
			["Sorry, I can't find tailor swift.", "Here's a podcast about tailoring."])], w=2),
	G("asr", U("what's the score of the <team:warriors> game", "sports_score", score("The Warriors")), [
		asr_bad("what's the score of the <team:worriers> game", "sports_score",
			["Sorry, I couldn't find a team called worriers.",
			 "Sorry, I don't have scores for the worriers."])]),
	G("asr", U("play the news on <source:npr>", "news_query", news("NPR")), [
		asr_bad("play the news on <source:mpr>", "news_query",
			["Here's the latest from Minnesota Public Radio.", "Sorry, I couldn't find mpr."])]),
	G("asr", U("turn off the <room:bedroom> lights", "iot_lights_off",
		   lights("the bedroom lights", on=False)), [
		asr_bad("turn off the <room:bad room> lights", "iot_lights_off",
			["Sorry, I don't see a room called bad room."])]),
	G("asr", U("set an alarm for <time:eight am>", "alarm_set",
		   fixed("Your alarm is set for 8 AM.", "Okay, alarm set for 8 AM tomorrow.")), [
		asr_bad("set an alarm for <time:ate am>", "alarm_set",
			["Sorry, I didn't catch the time.", "Sorry, what time should I set it for?"])]),
	G("asr", U("play <song:dancing queen>", "play_music", music("Dancing Queen by ABBA", song=True)), [
		asr_bad("play <song:dancing green>", "play_music",
			["Sorry, I couldn't find dancing green.", "Here's Dancing in the Green by The Shamrocks."])]),
	G("nlu", U("what's the weather in <city:wilkerson washington>", "weather_query",
		   weather("Wilkerson, Washington")), [
		U("what's the weather in <city:wilkerson>", "weather_query", stage="entity",
		  fails=["Sorry, I found more than one place called Wilkerson.",
			 "It's 81 degrees and sunny in Wilkerson, Texas.",
			 "Right now in Wilkerson, Tennessee it's cloudy and 64 degrees."])], w=2),
	G("nlu", U("set the thermostat higher", "iot_thermostat_set",
		   fixed("Okay, I'm raising the temperature to 72.", "Setting the thermostat to 72 degrees.")), [
		nlu_bad("turn the heat up", "music_volume",
			["Turning the volume up.", "Sorry, I'm not sure what you want to turn up."]),
		nlu_bad("make it warmer in here", "none",
			["Sorry, I didn't get that.", WEB % "make it warmer in here"])], w=2),
	G("nlu", U("turn off the lights", "iot_lights_off", lights("the lights", on=False)), [
		nlu_bad("kill the lights", "none",
			["Sorry, I can't help with that.", "I'm not sure how to help with that."])], w=2),
	G("nlu", U("what's the weather outside", "weather_query", weather()), [
		nlu_bad("what's it doing outside", "none",
			["Sorry, I don't know that one.", WEB % "what's it doing outside"])]),
	G("nlu", U("navigate to <destination:the airport>", "navigate_to", directions("SFO")), [
		nlu_bad("how do i get to the airport", "web_search",
			[WEB % "how do i get to the airport", "Sorry, I'm not sure about that."])]),
	G("nlu", U("turn the volume down", "music_volume", fixed("Turning the volume down.", "Volume 4.")), [
		nlu_bad("make it quieter", "iot_thermostat_set",
			["Setting the thermostat to 65 degrees.", "Sorry, I didn't get that."])]),
	G("nlu", U("play <genre:relaxing music>", "play_music", music("a relaxing playlist", song=True)), [
		nlu_bad("put on something chill", "iot_thermostat_set",
			["Setting the air conditioning to 68 degrees.", "Sorry, I couldn't find something chill."])]),
	G("nlu", U("how's traffic on the way to work", "traffic_query",
		   lambda r: "Traffic is %s on the way to work. It'll take about %d minutes." % (
			   r.choice(["light", "moderate", "heavy"]), r.randint(15, 50))), [
		nlu_bad("when do i have to leave for work", "calendar_query",
			["You have nothing on your calendar this morning.", "Sorry, I'm not sure."])]),
	G("nlu", U("set an alarm for <time:seven am>", "alarm_set",
		   fixed("Your alarm is set for 7 AM.", "Okay, alarm set for 7 AM tomorrow.")), [
		nlu_bad("wake me at <time:seven>", "timer_set",
			["Timer set for 7 minutes.", "Sorry, I can't set a timer for that."])]),
	G("nlu", U("start the vacuum", "iot_device_on", fixed("Starting the vacuum.", "Okay, the vacuum is on.")), [
		nlu_bad("start the robot", "none",
			["Sorry, I couldn't find a device called robot.", "Here are some robot toys on sale."])]),
	G("nlu", U("pause the music", "music_pause", fixed("Paused.", "Okay, paused.")), [
		nlu_bad("hold the music", "play_music",
			["Here's Hold the Line by Toto.", "Sorry, I'm not sure how to help with that."])]),
	G("nlu", U("what's the news", "news_query", news()), [
		nlu_bad("catch me up", "play_music",
			["Playing Catch Me If You Can.", "Sorry, I don't know that one."])], w=2),
]
WILKERSON = "what's the weather in wilkerson"


# ---------------------------------------------------------------------------
# Personal sources: what fails for everyone, and what each user means by it.

def P(markup, intent, fails, targets):
	return {"bad": U(markup, intent, fails=fails, stage="entity"), "targets": targets}


PERSONAL = [
	P("turn on the <device:big light>", "iot_lights_on",
	  ["Sorry, I couldn't find a device called big light.", "Sorry, I don't know which light you mean."],
	  [U("turn on the <device:living room lamp>", "iot_lights_on", lights("the living room lamp")),
	   U("turn on the <device:garage light>", "iot_lights_on", lights("the garage light")),
	   U("turn on the <device:kitchen ceiling light>", "iot_lights_on", lights("the kitchen ceiling light")),
	   U("turn on the <device:porch light>", "iot_lights_on", lights("the porch light")),
	   U("turn on the <device:bedroom lamp>", "iot_lights_on", lights("the bedroom lamp"))]),
	P("play <song:my song>", "play_music",
	  ["Sorry, I don't know which song is yours.", "Sorry, I couldn't find a song called my song."],
	  [U("play <song:bohemian rhapsody>", "play_music", music("Bohemian Rhapsody by Queen", True)),
	   U("play <song:hotel california>", "play_music", music("Hotel California by the Eagles", True)),
	   U("play <song:purple rain>", "play_music", music("Purple Rain by Prince", True)),
	   U("play <song:jolene>", "play_music", music("Jolene by Dolly Parton", True)),
	   U("play <song:september>", "play_music", music("September by Earth, Wind and Fire", True))]),
	P("call <contact:the boss>", "call_contact",
	  ["Sorry, I couldn't find the boss in your contacts.", "Sorry, I don't know who that is."],
	  [U("call <contact:sarah miller>", "call_contact", call("Sarah Miller")),
	   U("call <contact:david chen>", "call_contact", call("David Chen")),
	   U("call <contact:maria lopez>", "call_contact", call("Maria Lopez")),
	   U("call <contact:tom baker>", "call_contact", call("Tom Baker"))]),
	P("take me to <destination:the usual place>", "navigate_to",
	  ["Sorry, I don't know where that is.", "Sorry, I couldn't find the usual place."],
	  [U("navigate to <destination:planet fitness>", "navigate_to", directions("Planet Fitness")),
	   U("navigate to <destination:lincoln elementary school>", "navigate_to",
	     directions("Lincoln Elementary School")),
	   U("navigate to <destination:the downtown office>", "navigate_to", directions("the downtown office")),
	   U("navigate to <destination:costco>", "navigate_to", directions("Costco"))]),
	P("what's the weather at <city:the cabin>", "weather_query",
	  ["Sorry, I don't know where the cabin is.", "Sorry, I couldn't find a place called the cabin."],
	  [U("what's the weather in <city:lake tahoe>", "weather_query", weather("Lake Tahoe")),
	   U("what's the weather in <city:big bear>", "weather_query", weather("Big Bear Lake")),
	   U("what's the weather in <city:mammoth lakes>", "weather_query", weather("Mammoth Lakes"))]),
	P("play the kids songs", "play_music",
	  ["Sorry, I couldn't find the kids songs.", "Sorry, I'm not sure which songs you mean."],
	  [U("play <artist:kidz bop>", "play_music", music("Kidz Bop")),
	   U("play <playlist:disney hits>", "play_music", music("Disney Hits", True)),
	   U("play <artist:raffi>", "play_music", music("Raffi"))]),
	P("call <contact:honey>", "call_contact",
	  ["Sorry, I couldn't find honey in your contacts.", "Sorry, I don't see a contact called honey."],
	  [U("call <contact:jennifer>", "call_contact", call("Jennifer")),
	   U("call <contact:michael>", "call_contact", call("Michael")),
	   U("call <contact:chris>", "call_contact", call("Chris"))]),
	P("start my morning thing", "routine_run",
	  ["Sorry, I don't know that routine.", "Sorry, I'm not sure what you mean."],
	  [U("start the <routine:good morning> routine", "routine_run",
	     fixed("Starting your Good Morning routine.", "Okay, running Good Morning.")),
	   U("play the <source:morning briefing>", "news_query", news("your morning briefing"))]),
	P("turn on <device:the box>", "iot_device_on",
	  ["Sorry, I couldn't find a device called the box.", "Sorry, I don't know which device you mean."],
	  [U("turn on the <device:tv>", "iot_device_on", fixed("Turning on the TV.", "Okay, the TV is on.")),
	   U("turn on the <device:xbox>", "iot_device_on", fixed("Turning on the Xbox.", "Okay, the Xbox is on.")),
	   U("turn on the <device:air purifier>", "iot_device_on",
	     fixed("Turning on the air purifier.", "Okay, the air purifier is on."))]),
]
WILKERSON_CA = U("what's the weather in <city:wilkerson california>", "weather_query",
		 weather("Wilkerson, California"))

ANYMORE = U("play <song:we don't talk anymore>", "play_music",
	    music("We Don't Talk Anymore by Charlie Puth", song=True))


# ---------------------------------------------------------------------------
# Requests that just work; with the good forms above, the never-rewrite set.

def S(markup, intent, answer, w=1):
	return U(markup, intent, answer, w=w)


SUCCESS = [
	S("what time is it", "time_query", clock, w=3),
	S("what's the date today", "time_query", fixed("Today is Thursday, January 8.", "It's Monday the 12th.")),
	S("set a timer for <duration:five minutes>", "timer_set",
	  fixed("Timer set for 5 minutes.", "5 minutes, starting now."), w=2),
	S("set a timer for <duration:twenty minutes>", "timer_set",
	  fixed("Timer set for 20 minutes.", "20 minutes, starting now.")),
	S("how much time is left on the timer", "timer_query",
	  lambda r: "About %d minutes and %d seconds." % (r.randint(1, 9), r.randint(1, 59))),
	S("play some <genre:jazz>", "play_music", music("a jazz station", song=True), w=2),
	S("play <genre:classical music>", "play_music", music("Classical Essentials", song=True)),
	S("play <artist:adele>", "play_music", music("Adele")),
	S("play <artist:drake>", "play_music", music("Drake")),
	S("play <artist:the bee gees>", "play_music", music("the Bee Gees")),
	S("play <song:we don't talk about bruno>", "play_music",
	  music("We Don't Talk About Bruno from Encanto", song=True), w=3),
	S("turn on the lights", "iot_lights_on", lights("the lights"), w=2),
	S("turn off the <room:kitchen> lights", "iot_lights_off", lights("the kitchen lights", on=False)),
	S("volume up", "music_volume", fixed("Volume 7.", "Turning it up.")),
	S("what's the weather tomorrow", "weather_query", weather(), w=2),
	S("will it rain <date:tomorrow>", "weather_query",
	  fixed("No rain is expected tomorrow.", "Yes, expect showers tomorrow afternoon.")),
	S("what's the temperature outside", "weather_query", weather()),
	S("call <contact:max>", "call_contact", call("Max")),
	S("call <contact:jessica>", "call_contact", call("Jessica")),
	S("navigate <destination:home>", "navigate_to", directions("home")),
	S("what's on my calendar <date:today>", "calendar_query",
	  fixed("Today you have a dentist appointment at 9 AM.", "You have team lunch at noon today.")),
	S("add <item:eggs> to the <list:shopping list>", "list_add",
	  fixed("I added eggs to your shopping list.", "Okay, eggs are on your shopping list.")),
	S("what's on my shopping list", "list_query",
	  fixed("You have 4 items on your shopping list: eggs, bread, apples and coffee.",
		"Your shopping list has milk, rice and bananas.")),
	S("tell me a joke", "general_question",
	  fixed("Why did the scarecrow win an award? Because he was outstanding in his field.",
		"What do you call a fake noodle? An impasta.")),
	S("how many ounces in a cup", "general_question", fixed("There are 8 fluid ounces in a cup.")),
	S("how tall is mount everest", "general_question", fixed("Mount Everest is 29,032 feet tall.")),
	S("who won the <team:lakers> game", "sports_score", score("The Lakers")),
	S("set the thermostat to <temperature:seventy>", "iot_thermostat_set",
	  fixed("Setting the thermostat to 70 degrees.", "Okay, 70 degrees.")),
	S("lock the front door", "iot_lock", fixed("Okay, the front door is locked.", "Locking the front door.")),
	S("is the garage door closed", "iot_query", fixed("Yes, the garage door is closed.")),
	S("turn on the <device:ceiling fan>", "iot_device_on", fixed("Turning on the ceiling fan.")),
	S("good morning", "general_question",
	  fixed("Good morning! It's going to be a sunny day.", "Good morning! You have two events today.")),
	S("remind me to water the plants at <time:six pm>", "reminder_set",
	  fixed("Okay, I'll remind you to water the plants at 6 PM.")),
	S("set an alarm for <time:six thirty am>", "alarm_set", fixed("Your alarm is set for 6:30 AM.")),
	S("play <source:kqed>", "news_query", fixed("Here's KQED.", "Playing KQED 88.5 FM.")),
	S("what's twelve times fifteen", "general_question", fixed("Twelve times fifteen is 180.")),
	S("convert ten miles to kilometers", "general_question", fixed("Ten miles is 16.1 kilometers.")),
	S("play <artist:bad bunny>", "play_music", music("Bad Bunny")),
	S("play <artist:beyonce>", "play_music", music("Beyonce")),
	S("when does <place:target> close", "general_question", fixed("Target closes at 10 PM tonight.")),
	S("find a <cuisine:thai> restaurant nearby", "find_restaurant",
	  fixed("Lotus Garden is a popular Thai spot, 0.8 miles away.", "Here are Thai places nearby: Lotus Garden and Bangkok Street.")),
	S("how far is the moon", "general_question", fixed("The moon is about 239,000 miles away.")),
	S("play some <genre:country music>", "play_music", music("Country Hits", song=True)),
	S("turn on the <room:living room> lights", "iot_lights_on", lights("the living room lights")),
]
# Clarifications: the request, the question, the answer and its response.
CLARIFY = [
	(S("set a timer", "timer_set", fixed("For how long?", "How long should the timer be?")),
	 S("<duration:fifteen minutes>", "timer_set", fixed("15 minutes, starting now.", "Timer set for 15 minutes."))),
	(S("what's the score", "sports_score", fixed("Which team?", "Which team do you mean?")),
	 S("the <team:giants>", "sports_score", score("The Giants"))),
	(S("find a restaurant", "find_restaurant", fixed("What kind of food would you like?")),
	 S("<cuisine:sushi>", "find_restaurant", fixed("Sakura House is a popular sushi spot, 1.2 miles away."))),
]

# Requests the assistant cannot do: they fail and have no rewrite.
ORPHANS = [
	U("order me a pizza from <place:dominos>", "food_order", fails=["Sorry, I can't order food yet."], stage="result"),
	U("book a flight to <city:denver>", "flight_book", fails=["Sorry, I can't book flights."], stage="result"),
	U("what's my bank balance", "finance_query", fails=["Sorry, I can't help with that."], stage="result"),
	U("read my text messages", "message_read",
	  fails=["Sorry, I can't read messages on this device."], stage="result"),
	U("turn on the <device:dishwasher>", "iot_device_on",
	  fails=["Sorry, I couldn't find a device called dishwasher."], stage="result"),
	U("find my phone", "device_find", fails=["Something went wrong. Please try again later."], stage="result"),
	U("translate good morning into <language:klingon>", "translate",
	  fails=["Sorry, I can't translate into Klingon."], stage="result"),
	U("what did i eat for dinner last tuesday", "none", fails=["Sorry, I don't know that."], stage="result"),
	U("show me the security camera", "camera_show",
	  fails=["Sorry, I can't show cameras on this device."], stage="result"),
	U("buy more paper towels", "shopping_order",
	  fails=["Sorry, I'm unable to place orders right now."], stage="result"),
	U("what's the wifi password", "none", fails=["Sorry, I don't know that one."], stage="result"),
]

THANKS = [U(t, "general_thanks", fixed("You're welcome.", "Anytime.", "Happy to help."))
	  for t in ("thanks", "thank you", "great thanks", "perfect", "cool thanks", "awesome thank you")]


def _quit(t):
	"""A give-up ("never mind"): it negates on purpose, so it skips U's check."""
	u = U.__new__(U)
	u.text, u.slots, u.intent, u.domain = t, [], "general_stop", "general"
	u.answer, u.fails, u.stage, u.w = fixed("Okay.", "", "Okay, never mind."), [], "correct", 1
	return u


DEVICES = [("speaker", "kitchen", "home"), ("speaker", "bedroom", "home"),
	   ("screen", "living-room", "home"), ("car", "car", "car")]


def conf(x):
	return float(round(min(1.0, max(0.0, x)), 3))


def speak_seconds(response):
	return len(response.split()) / 2.6


# ---------------------------------------------------------------------------
# The generator.

class Gen:
	def __init__(self, n, seed, start, labels=True, keep_recovered=False):
		self.n, self.seed, self.start = n, seed, start
		self.labels, self.keep_recovered = labels, keep_recovered
		for g in GLOBAL:
			for b in g["bads"]:
				assert b.fails, b.text
		self.global_w = [g["w"] for g in GLOBAL]
		self.success = SUCCESS + [g["good"] for g in GLOBAL]
		self.success_w = [u.w for u in SUCCESS] + [2 * g["w"] for g in GLOBAL]
		self.quits = [_quit(t) for t in ("never mind", "stop", "forget it", "cancel",
						  "never mind then", "just stop")]
		self.make_users()
		self.make_clock()
		self.last_start = start - 1
		self.truth = {}		# (from, to, scope, user) -> [kind, support, users]
		self.never = {}		# text -> [why, support]
		self.stats = {"dialogues": 0, "turns": 0, "sessions": {}, "barge": 0, "prefixed": 0,
			      "redrawn_users": 0, "spaced": 0, "second_fail": 0, "last_ts": start}

	# -- users and time -----------------------------------------------------

	def make_users(self):
		r = random.Random("%d:users" % self.seed)
		n = max(1, round(self.n / 6))
		width = max(3, len(str(n)))
		users = []
		for k in range(n):
			w = min(20.0, r.lognormvariate(0.0, 1.0))
			devs = r.sample(DEVICES, r.choices([1, 2, 3], [45, 35, 20])[0])
			uid = "s%0*d" % (width, k + 1)
			users.append({"id": uid, "w": w, "devices": devs, "personal": {},
				      "wilkerson_ca": False, "anymore": False})
		self.users = users
		acc, cum = 0.0, []
		for u in users:
			acc += u["w"]
			cum.append(acc)
		self.user_cum, self.user_total = cum, acc
		self.busy = [0] * n
		ranked = sorted(range(n), key=lambda k: (-users[k]["w"], k))
		heavy = ranked[:max(1, round(n * P_PERSONAL_USERS))]
		for k in heavy:
			u = users[k]
			for p in r.sample(PERSONAL, r.choices([1, 2], [60, 40])[0]):
				u["personal"][p["bad"].text] = (p["bad"], r.choice(p["targets"]))
		# The heaviest users: two (one when there are few) resolve Wilkerson
		# their own way, one plays "we don't talk anymore".
		specials = ranked[:3 if n >= 30 else 2]
		for k in specials[:-1]:
			u = users[k]
			wilk = next(b for g in GLOBAL for b in g["bads"] if b.text == WILKERSON)
			u["wilkerson_ca"] = True
			u["personal"][WILKERSON] = (wilk, WILKERSON_CA)
		users[specials[-1]]["anymore"] = True

	def make_clock(self):
		"""Hourly weights of traffic over the days, local time."""
		prof = [0.15, 0.1, 0.08, 0.08, 0.1, 0.3, 0.9, 1.6, 1.5, 1.1, 1.0, 1.0,
			1.2, 1.1, 0.9, 0.9, 1.1, 1.6, 1.9, 1.8, 1.6, 1.3, 0.8, 0.4]
		self.hour0 = self.start - self.start % 3600
		cum, acc = [], 0.0
		for h in range(SPAN_DAYS * 24 + 1):
			local = (self.hour0 + h * 3600 + TZ_OFFSET) // 3600 % 24
			acc += prof[local]
			cum.append(acc)
		self.clock_cum, self.clock_total = cum, acc

	def start_ts(self, i, r):
		q = (i + r.uniform(0.1, 0.9)) / max(1, self.n) * self.clock_total
		h = bisect.bisect_right(self.clock_cum, q)
		lo = self.clock_cum[h - 1] if h else 0.0
		w = self.clock_cum[h] - lo
		t = self.hour0 + h * 3600 + int((q - lo) / w * 3600)
		t = max(t, self.start, self.last_start + 1)
		self.last_start = t
		return t

	def pick_user(self, r, ts):
		for tries in range(50):
			k = bisect.bisect_right(self.user_cum, r.random() * self.user_total)
			k = min(k, len(self.users) - 1)
			if self.busy[k] <= ts:
				return k
			self.stats["redrawn_users"] += 1
		return min(range(len(self.users)), key=lambda j: (self.busy[j], j))

	# -- turns ----------------------------------------------------------------

	@staticmethod
	def turn(r, u, ok, response, asr=None, nc=None, intent=None, stage="correct"):
		"""An internal turn: u's words, the live NLU, the response, whether it works."""
		if asr is None:
			asr = r.uniform(0.8, 0.99)
		if nc is None:
			nc = r.uniform(0.7, 0.99)
		return {"u": u, "ok": ok, "response": response, "asr": asr, "nc": nc,
			"intent": intent or u.intent, "stage": stage, "barge": False, "gap": 0,
			"rephrase": False}

	def fail_turn(self, r, u, err_only=False):
		fails = u.fails
		if err_only:
			fails = [f for f in fails if response_kind(f) == "err"] or fails
		resp = r.choice(fails)
		if u.stage == "asr":
			asr, nc = r.uniform(0.35, 0.7), r.uniform(0.3, 0.85)
		elif u.stage == "nlu":
			asr, nc = r.uniform(0.8, 0.99), r.uniform(0.3, 0.6)
		else:
			asr, nc = r.uniform(0.75, 0.99), r.uniform(0.45, 0.9)
		return self.turn(r, u, False, resp, asr, nc, stage=u.stage)

	def ok_turn(self, r, u):
		return self.turn(r, u, True, u.respond(r))

	def follow(self, r, prev, nxt, restate):
		"""nxt follows the failed turn prev 3-20 s later; make the failure show:
		a barge-in, a restatement, or a "no " before nxt.  Returns nxt."""
		said = speak_seconds(prev["response"])
		err = response_kind(prev["response"]) == "err"
		alike = rephrase_score(prev["u"].text, nxt["u"].text) >= 0.5
		if err:
			barge = r.random() < P_BARGE_ERR
		elif alike:
			barge = r.random() < P_BARGE_RESTATED
		else:
			barge = r.random() < P_BARGE_IRRELEVANT
			if not barge and restate:
				nxt["u"] = nxt["u"].prefixed("no ")
				self.stats["prefixed"] += 1
			elif not barge:
				barge = True
		prev["barge"] = barge
		if barge:
			gap = 3 + int(said * r.uniform(0.1, 0.6))
		else:
			gap = math.ceil(said) + r.randint(1, 6)
		nxt["gap"] = max(3, min(20, gap))
		nxt["rephrase"] = restate
		return nxt

	def after_ok(self, r, prev, nxt):
		said = speak_seconds(prev["response"])
		nxt["gap"] = max(2, min(45, math.ceil(said) + r.randint(1, 8)))
		return nxt

	# -- sessions -------------------------------------------------------------

	def fix(self, r, bads, good):
		"""bad form(s), then the good one: a list of turns and one goal."""
		turns = [self.fail_turn(r, bads[0])]
		self.stats["second_fail"] += len(bads) > 1
		for b in bads[1:]:
			turns.append(self.follow(r, turns[-1], self.fail_turn(r, b), True))
		turns.append(self.follow(r, turns[-1], self.ok_turn(r, good), True))
		if r.random() < P_THANKS:
			turns.append(self.after_ok(r, turns[-1], self.ok_turn(r, r.choice(THANKS))))
		return turns

	def retries(self, r, g, first):
		bads = [first]
		if r.random() < P_SECOND_FAIL:
			others = [b for b in g["bads"] if b is not first]
			bads.append(r.choice(others) if others and r.random() < 0.4 else first)
		return bads

	def global_episode(self, r, user):
		while True:
			g = r.choices(GLOBAL, self.global_w)[0]
			first = r.choice(g["bads"])
			if not self.avoids(user, first) and not self.avoids(user, g["good"]):
				break
		bads = self.retries(r, g, first)
		turns = self.fix(r, bads, g["good"])
		return "global_" + g["kind"], turns, [("fix", 0, len(turns))], \
			[(b.text, g["good"].text, "global", None, g["kind"]) for b in dict.fromkeys(bads)]

	def personal_episode(self, r, user):
		bad, target = user["personal"][r.choice(sorted(user["personal"]))]
		bads = [bad, bad] if r.random() < P_SECOND_FAIL else [bad]
		turns = self.fix(r, bads, target)
		kind = "personal_wilkerson" if bad.text == WILKERSON else "personal"
		return kind, turns, [("fix", 0, len(turns))], \
			[(bad.text, target.text, "personal", user["id"], "vocab")]

	def failed_source(self, r, user):
		p = r.random()
		if p < 0.15 and user["personal"]:
			return user["personal"][r.choice(sorted(user["personal"]))][0]
		if p < 0.5:
			while True:
				g = r.choices(GLOBAL, self.global_w)[0]
				b = r.choice(g["bads"])
				if not self.avoids(user, b) and not self.avoids(user, g["good"]):
					return b
		return r.choice(ORPHANS)

	@staticmethod
	def avoids(user, u):
		"""What a user never says: their personal sources as global bad
		forms, Wilkerson, Washington for a Californian, Bruno for the user
		who plays "we don't talk anymore"."""
		if u.text in user["personal"]:
			return True
		if user["wilkerson_ca"] and "wilkerson" in u.text:
			return True
		return user["anymore"] and "bruno" in u.text

	def success_utt(self, r, user):
		if user["anymore"] and r.random() < P_ANYMORE:
			return ANYMORE
		while True:
			u = r.choices(self.success, self.success_w)[0]
			if not self.avoids(user, u):
				return u

	def topic_episode(self, r, user):
		src = self.failed_source(r, user)
		turns = [self.fail_turn(r, src, err_only=True)]
		while True:
			u = self.success_utt(r, user)
			if u.domain != src.domain and rephrase_score(src.text, u.text) < 0.4:
				break
		turns.append(self.follow(r, turns[0], self.ok_turn(r, u), False))
		# an unrelated answer after an apology: the failure shows by the apology
		# (or a barge-in); never by a "no " the user did not say
		if r.random() < P_THANKS:
			turns.append(self.after_ok(r, turns[-1], self.ok_turn(r, r.choice(THANKS))))
		return "topic", turns, [("failed", 0, 1), ("ok", 1, len(turns))], [], u.text

	def giveup_episode(self, r, user, last):
		src = self.failed_source(r, user)
		turns = [self.fail_turn(r, src, err_only=True)]
		if r.random() < 0.4:
			turns.append(self.follow(r, turns[-1], self.fail_turn(r, src, err_only=True), True))
		if not last or r.random() < 0.55:
			q = self.ok_turn(r, r.choice(self.quits))
			turns.append(self.follow(r, turns[-1], q, False))
			kind = "giveup_quit"
		else:
			kind = "giveup_end"
		return kind, turns, [("failed", 0, len(turns))], []

	def success_episode(self, r, user):
		if r.random() < 0.08:
			ask, answer = r.choice(CLARIFY)
			turns = [self.ok_turn(r, ask)]
			turns.append(self.after_ok(r, turns[0], self.ok_turn(r, answer)))
			kind = "success_clarify"
		else:
			u = self.success_utt(r, user)
			turns = [self.ok_turn(r, u)]
			kind = "success_anymore" if u is ANYMORE else "success"
		if r.random() < P_THANKS:
			turns.append(self.after_ok(r, turns[-1], self.ok_turn(r, r.choice(THANKS))))
		return kind, turns, [("ok", 0, len(turns))], []

	def episode(self, r, user, last):
		ws = [w if k != "personal" else (W_PERSONAL if user["personal"] else 0)
		      for k, w in EPISODES]
		k = r.choices(EPISODES, ws)[0][0]
		if k == "success":
			return self.success_episode(r, user)
		if k == "global":
			return self.global_episode(r, user)
		if k == "personal":
			return self.personal_episode(r, user)
		if k == "topic":
			return self.topic_episode(r, user)
		return self.giveup_episode(r, user, last)

	# -- a dialogue -----------------------------------------------------------

	def dialogue(self, i):
		r = random.Random("%d:%d" % (self.seed, i))
		ts = self.start_ts(i, r)
		k = self.pick_user(r, ts)
		user = self.users[k]
		dtype, room, loc = r.choice(user["devices"])
		stem = room + "-display" if dtype == "screen" else room
		n_eps = r.choices([1, 2, 3, 4], SESSIONS_PER_DIALOGUE)[0]
		turns, goals, pending = [], [], []
		st = self.stats
		for e in range(n_eps):
			ep = self.episode(r, user, e == n_eps - 1)
			kind, eturns, egoals, rewrites = ep[:4]
			st["sessions"][kind] = st["sessions"].get(kind, 0) + 1
			if turns:
				gap = int(math.exp(r.uniform(math.log(8), math.log(900))))
				if gap < 61 and rephrase_score(turns[-1]["u"].text, eturns[0]["u"].text) >= 0.4:
					gap = r.randint(61, 900)
					st["spaced"] += 1
				eturns[0]["gap"] = gap
			base = len(turns)
			for what, a, b in egoals:
				goals.append((what, base + a, base + b))
			turns.extend(eturns)
			pending.append((rewrites, ep[4] if len(ep) > 4 else None))

		out = []
		g = 0
		goal_of = [0] * len(turns)
		outcomes = []
		for what, a, b in goals:
			g += 1
			for j in range(a, b):
				goal_of[j] = g
			outcomes.append("failure" if what == "failed" else "success")
		recovered = {j for what, a, b in goals if what == "fix" for j in range(a, b)}
		for j, tn in enumerate(turns):
			if j:
				ts += tn["gap"]
			u = tn["u"]
			t = {"ts": ts, "text": u.text, "asr_confidence": conf(tn["asr"]),
			     "nlu": {"domain": DOMAIN[tn["intent"]], "intent": tn["intent"],
				     "confidence": conf(tn["nc"]), "slots": u.slots},
			     "response": tn["response"], "barge_in": tn["barge"]}
			if self.labels:
				fp = tn["stage"]
				if j in recovered and not self.keep_recovered:
					fp = "correct"
				labs = [{"kind": "goal", "value": goal_of[j], "source": SOURCE},
					{"kind": "failure_point", "value": fp, "source": SOURCE}]
				if j:
					labs.append({"kind": "rephrase", "value": tn["rephrase"], "source": SOURCE})
				t["labels"] = labs
			out.append(t)
			st["barge"] += tn["barge"]
		self.busy[k] = ts + BUSY_AFTER
		st["last_ts"] = max(st["last_ts"], ts)

		# The story and the judges' signals agree on every turn.
		for j, tn in enumerate(turns):
			if worked(out, j) != tn["ok"]:
				raise AssertionError("dialogue %d turn %d %r: the story says %s" % (
					i, j, out[j]["text"], "worked" if tn["ok"] else "failed"))
		for tn in turns:
			if not tn["ok"]:
				continue
			if tn["u"].intent in ("general_thanks", "general_stop"):
				self.add_never(tn["u"].text, "closing")
			else:	# a good form, perhaps with "no " before it, or a request
				self.add_never(tn["u"].text, "target" if tn["rephrase"] else "success")
		for rewrites, switched in pending:
			for src, dst, scope, who, kind in rewrites:
				e = self.truth.setdefault((src, dst, scope, who), [kind, 0, set()])
				e[1] += 1
				e[2].add(user["id"])
				self.add_never(dst, "target", 0)
			if switched:
				self.add_never(switched, "topic_switch", 0)

		st["dialogues"] += 1
		st["turns"] += len(out)
		d = {"id": "ses-%06d" % (i + 1), "user": user["id"],
		     "device": {"id": "%s-%s" % (stem, user["id"]), "type": dtype,
				"screen": dtype != "speaker"},
		     "context": {"location": loc, "timezone": "America/Los_Angeles"},
		     "turns": out}
		if self.labels:
			d["labels"] = [{"kind": "goal_outcome", "value": {"goal": n + 1, "outcome": o},
					"source": SOURCE} for n, o in enumerate(outcomes)]
		return d

	RANK = {"guard": 0, "target": 1, "topic_switch": 2, "success": 3, "closing": 4}

	def add_never(self, text, why, n=1):
		e = self.never.get(text)
		if e is None:
			if text in (ANYMORE.text, "play we don't talk about bruno"):
				why = "guard"
			self.never[text] = [why, n]
		else:
			if self.RANK[why] < self.RANK[e[0]]:
				e[0] = why
			e[1] += n

	# -- truth and summary ----------------------------------------------------

	def truth_lines(self):
		froms = {k[0] for k in self.truth}
		clash = froms & set(self.never)
		assert not clash, clash
		rows = []
		for (src, dst, scope, who), (kind, n, us) in sorted(
				self.truth.items(), key=lambda kv: (kv[0][2], kv[0][3] or "", kv[0][0], kv[0][1])):
			rows.append({"from": src, "to": dst, "scope": scope, "user": who, "kind": kind,
				     "support": n, "users": len(us)})
		for text in sorted(self.never):
			why, n = self.never[text]
			rows.append({"never": text, "why": why, "support": n})
		return rows

	def summary(self, out):
		st = self.stats
		used = len({u for u, b in enumerate(self.busy) if b})
		out.write("dialogues %d, turns %d, users %d (%d with a dialogue), %.1f days\n" % (
			st["dialogues"], st["turns"], len(self.users), used,
			(st["last_ts"] - self.start) / DAY))
		out.write("sessions by kind\n")
		total = sum(st["sessions"].values())
		for k in sorted(st["sessions"]):
			n = st["sessions"][k]
			out.write("  %-20s %7d  %5.1f%%\n" % (k, n, 100.0 * n / max(1, total)))
		rows = self.truth_lines()
		for scope in ("global", "personal"):
			sup = sorted(x["support"] for x in rows if x.get("scope") == scope)
			if sup:
				out.write("truth %-8s %4d rewrites, support min %d, median %d, max %d\n" % (
					scope, len(sup), sup[0], sup[len(sup) // 2], sup[-1]))
			else:
				out.write("truth %-8s    0 rewrites\n" % scope)
		users = sorted({x["user"] for x in rows if x.get("scope") == "personal"})
		out.write("  personal rewrites of %d users; %d sources with several targets\n" % (
			len(users), sum(1 for s in {x["from"] for x in rows if x.get("scope") == "personal"}
					if len({x["to"] for x in rows if x.get("from") == s and x.get("scope") == "personal"}) > 1)))
		why = {}
		for x in rows:
			if "never" in x:
				why[x["why"]] = why.get(x["why"], 0) + 1
		out.write("truth never    %4d texts (%s)\n" % (
			sum(why.values()), ", ".join("%s %d" % kv for kv in sorted(why.items()))))
		out.write("fix sessions with two failed attempts %d\n" % st["second_fail"])
		out.write("barge-ins %d; rephrases opened with \"no \" %d; gaps widened to 61+ s %d; "
			  "users redrawn while busy %d\n" % (st["barge"], st["prefixed"], st["spaced"],
							    st["redrawn_users"]))


def main():
	ap = argparse.ArgumentParser(description="Write dialab dialogues with rephrase sessions to stdout.")
	ap.add_argument("n", type=int, help="number of dialogues")
	ap.add_argument("seed", type=int, help="random seed")
	ap.add_argument("--summary", action="store_true", help="print counts to stderr")
	ap.add_argument("--truth", metavar="FILE", help="write the known rewrites and never-rewrite texts")
	ap.add_argument("--start", type=int, default=1767225600,
			help="Unix time of the first day (default %(default)s, 2026-01-01)")
	ap.add_argument("--no-labels", action="store_true", help="write no labels, only the evidence")
	ap.add_argument("--keep-recovered", action="store_true",
			help="keep the failure stage on failed turns of recovered sessions instead of correct")
	a = ap.parse_args()
	if a.n < 0:
		ap.error("N must be >= 0")
	gen = Gen(a.n, a.seed, a.start, labels=not a.no_labels, keep_recovered=a.keep_recovered)
	enc = json.JSONEncoder(separators=(",", ":")).encode
	out = sys.stdout
	buf = []
	for i in range(a.n):
		buf.append(enc(gen.dialogue(i)))
		if len(buf) >= 1000:
			buf.append("")
			out.write("\n".join(buf))
			buf = []
	if buf:
		buf.append("")
		out.write("\n".join(buf))
	out.flush()
	if a.truth:
		with open(a.truth, "w") as f:
			for row in gen.truth_lines():
				f.write(enc(row) + "\n")
	if a.summary:
		gen.summary(sys.stderr)


if __name__ == "__main__":
	main()
