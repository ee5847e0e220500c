#!/usr/bin/env python3
"""Write synthetic dialab dialogues with known truth (JSON Lines) to stdout.

    python3 db/gen-synthetic.py N SEED [--summary] [--mix STAGE=W,...]
                                       [--recover P] [--keep-recovered]
                                       [--context P]

The data exist to train and score the goal-segmentation, goal-outcome and
failure-point models: every turn carries its goal number and failure point,
and every goal its outcome, all with source "import:synthetic".  The output
is deterministic for a given N and SEED (dialogue i draws from its own
generator, seeded with "SEED:i").  Texts are ASCII lower case (what the ASR
heard); slot offsets are code points into the text, end exclusive, and a
slot is written only over words that occur in the text.

Generative story
----------------
A dialogue is one user (about N/8 users, "u01"...) on one device (speaker,
screen or car) in America/Los_Angeles, with 1 to 3 goals.  Each goal is one
request: an intent (get_weather, play_music, sports_score, set_timer,
find_restaurant, lights_on, get_news), a phrasing drawn from several
templates, and slot values drawn from lists.  The goal then draws the stage
at which its first attempt goes wrong, from a mix (default: correct 45,
false_wake 10, asr 14, nlu 11, entity 10, result 10; see --mix):

  correct     right words (ASR confidence 0.8-0.99), right intent (NLU
              confidence 0.7-0.99) and slots, a helpful response.  The user
              moves on.  Sometimes the assistant first asks for a missing
              slot ("For how long?") and the user answers, or the user closes
              with "thanks" / "stop"; those turns are correct too.
  false_wake  background speech or a fragment ("okay so"), ASR 0.2-0.6, some
              intent at NLU confidence 0.1-0.45, an irrelevant response or
              "Sorry, I didn't get that."  Often nothing follows; otherwise
              the user says "stop" / "never mind" / "not you" (same goal).
  asr         one or two content words heard as sound-alikes ("play the
              beetles"), ASR 0.35-0.7.  A misheard slot value keeps the
              intent but names the wrong thing; a misheard carrier word
              ("whether") gives a wrong intent.  The user repeats the request
              with the same or similar words 3-12 s later.
  nlu         right words, high ASR, wrong intent (NLU 0.3-0.6), off-topic
              response; the user rephrases with a different template.
  entity      right words and intent, but a slot value resolved to the wrong
              thing ("Playing Hello by Lionel Richie."); the user corrects
              it ("no the one by adele"), same intent.
  result      all understood, but the result is wrong or unhelpful ("I
              couldn't find any results."); the user retries, says "that's
              wrong" / "no", or gives up.

For the stages other than correct and false_wake, the goal recovers with
probability P (--recover, default 0.5): after one failed attempt (sometimes
two, sometimes with a "no that's not what i asked" turn in between) the
user's next attempt (repeat, rephrase or correction, according to what went
wrong last) succeeds.  Without recovery the goal ends after the first failed
attempt, or after a second failed attempt, a "no" / "that's wrong" turn, or
"stop" / "never mind" / "forget it".  A second failed attempt keeps the
stage of the first three times in four, else draws another one.

Label rules
-----------
- goal: 1, 2, 3 in order; every turn of a request, its repeats,
  corrections, "no" and "stop" turns belong to the request's goal.
- failure_point of an attempt: the stage that went wrong in it, or correct.
  An error the dialogue recovered from is not a failure (DESIGN.md): in a
  recovered goal every failed attempt is labelled correct (unless
  --keep-recovered, which keeps the stage, as db/gen-demo.py does).
- "stop", "never mind", "forget it", "no", "that's wrong", "thanks" turns
  and answers to a clarification question are correct (the assistant did the
  right thing), unless the turn was itself misheard (then asr: about 6% of
  the "stop" / "never mind" / "forget it" / "cancel" / "not you" turns are
  heard as "shop", "never mine", ... and get an irrelevant response).
- false_wake goals never recover (there was no request to satisfy).
- goal_outcome: success for a correct goal and a recovered goal; failure for
  a false wake and for a goal that did not recover.
- rephrase (every turn but the first): true when the turn is another
  attempt at the request of the attempt just before it (a repeat, a
  rephrase or a correction); false for the first attempt of a goal, for
  "no", "stop", "thanks" turns, answers to a clarification question, and
  an attempt that follows a "no" turn rather than the attempt itself.

Timing and barge-in: turn times are integer Unix seconds in 2026 at local
daytime.  Within a goal the next turn comes 3-45 s after the previous one
(3-12 s for a repeat after an ASR error), roughly after the response has
been spoken; between goals the gap is 8-900 s (log-uniform), so a gap alone
does not tell where a goal starts.  barge_in on a
turn means the user interrupted that turn's response (dialab-format(5):
"whether the user interrupted the response", as src/judge.c reads it), by
saying the next turn of the same goal, which then follows sooner than the
response would have ended.  (db/gen-demo.py sets the flag on the
interrupting turn instead.)  A failed response is interrupted with
probability 0.4 when the goal goes on (about 30% of failed responses
overall); a correct response with 0.35 when a closing ("thanks", "stop")
follows and 0.15 before any other follow-up (a clarification's answer, a
retry after "no"), about 3% of correct responses overall.  The last turn of
a goal is never barged in on.

Context dialogues (--context P)
-------------------------------
With --context P (default 0: none, and the output is byte for byte what it
was before the option existed), dialogue i is a context dialogue when the
generator seeded with "ctx:SEED:i" draws below P; that generator then draws
the whole dialogue, which replaces dialogue i under the same id.  The other
dialogues are exactly those of P = 0.  A context dialogue is a request whose
right answer depends on the context (dialab's DESIGN.md 9a), or a control
whose answer must not change with it, all of it known:

- The dialogue has "device": {"id", "type" (speaker, screen, tv, car),
  "screen" (true for screen and tv), "room" (bedroom, kitchen, living room,
  office; null for a car)} and "context": {"timezone", "location"}: the
  timezone is America/Los_Angeles 70%, America/New_York 15%, Europe/Berlin
  15%, and the location a city of that timezone (seattle, portland,
  san diego, sacramento, oakland, san jose; boston, miami, new york;
  berlin, munich, hamburg).  Turn times are integer Unix seconds in 2026 at
  the family's LOCAL hour in that timezone (zoneinfo), so the UTC hour is
  never the local one.
- Every turn is right and was understood right: labels goal (one goal per
  turn, each a new request), failure_point correct, rephrase false (after
  the first turn), intent and slots (code points over the words of the
  text, [] when none), source import:synthetic; a goal_outcome success per
  goal.  ASR confidence 0.85-0.99; nlu holds the true intent and slots at
  confidence 0.7-0.99; the response is the right one; no barge-in.
- Every turn also has a member "truth": {"family": F, "depends_on": D,
  "result": {slot: value}}.  D is the context that decides the answer, or
  null when none does; result is what a context-aware assistant should
  finally resolve the request to, slot type to words, both the slots in the
  words and those the context fills ({"genre": "jazz"} for "play music").
  Controls also have "control_of": the context they hold that must not
  change the answer.  (dialab import keeps truth as an unknown member; it
  is for scoring scripts.)

The families (a dialogue is one of them; weights 1 each for the first six,
3.4 for controls, so that controls are about 30% of the context turns):

  device_state  "what is the temperature", "how hot is it", ... to a kitchen
                device.  Half: device_state {"oven": "on"} -> oven_temperature,
                result {}; half: {"oven": "off"} (or no device_state, 35%)
                -> get_weather, result {"city": location}.  D device_state.
  device_type   "play / put on / start TITLE", a title that is both a film
                and a book (dune, the martian, holes, ...).  On a screen or
                tv -> play_movie, slot movie_name over the title; on a
                speaker or in a car -> play_audiobook, slot book_name.
                D device_type.
  hour          "start my routine", "run my routine", ...: at local 5-10 h
                -> routine_morning, at 19-23 h -> routine_bedtime, result
                {}.  D hour.
  habit         Each user has a favourite genre (jazz, classical, rock,
                country, hip hop, blues), drawn from the user id alone so
                that it is the same in every file.  1-3 turns, 10-60 min
                apart: history turns "play some GENRE", "put on GENRE",
                "play GENRE music" -> play_music, slot genre, the favourite
                90% of the time (D null); with probability 0.4 the last turn
                is "play music", "play some music" or "put on some music"
                -> play_music, no slot, result {"genre": favourite}, D habit.
  sequence      Each user has a morning drink device, "coffee maker" (75%)
                or "kettle", from the user id alone.  "stop the alarm" /
                "turn off the alarm" -> alarm_off at local 5-9 h (D null),
                then 5-60 s later either "start the X", "turn on the X",
                "switch on the X" -> device_on, slot device over X (D null),
                or (probability 0.4) "start brewing", "start it", "get it
                going" -> device_on, no slot, result {"device": X}, D
                previous_intent.
  location      Half: "turn on the lights", "lights on", "switch on the
                lights" at local 20-23 h -> lights_on, no slot, result
                {"room": the device's room}, D device_room.  Half: "what's
                the weather", "what is the weather like", "is it going to
                rain" -> get_weather, no slot, result {"city": location},
                D location.
  control       D null, control_of one of (equal shares):
                device_state  "what is the temperature in CITY" with the oven
                              on -> get_weather, slot city;
                location      "what's the weather in CITY" -> get_weather,
                              slot city (CITY is never the dialogue's
                              location in either);
                device_type   "play the movie TITLE" on a speaker or car ->
                              play_movie; "play the audiobook TITLE" / "play
                              the book TITLE" on a screen or tv ->
                              play_audiobook;
                hour          "start my morning routine" at 19-23 h ->
                              routine_morning, "start my bedtime routine" at
                              5-10 h -> routine_bedtime;
                habit         "play some GENRE" etc. with a genre that is not
                              the user's favourite -> play_music, slot genre;
                device_room   "turn on the ROOM lights" / "turn on the lights
                              in the ROOM", another room than the device's,
                              at 20-23 h -> lights_on, slot room.

Users come from the same u01... as the other dialogues; habit, sequence and
habit-control dialogues come from the first round(N*P/100) of them (at least
one), so that each such user has a dozen or so history turns in a few
thousand dialogues.  Cities are slot type city and rooms room, as in the
other dialogues.

--summary prints, to stderr, the goals by first stage and recovery, the
turns by failure-point label, the goal outcomes and the barge-in rates (of
the dialogues that are not context dialogues), and with --context the
context dialogues and turns per family, the turns per depends_on and the
controls per control_of.
"""

import argparse
import datetime
import json
import math
import random
import re
import sys

SOURCE = "import:synthetic"
STAGES = ["correct", "false_wake", "asr", "nlu", "entity", "result"]
DEFAULT_MIX = {"correct": 45, "false_wake": 10, "asr": 14, "nlu": 11,
	       "entity": 10, "result": 10}
P_RECOVER = 0.5
P_BARGE_FAILED = 0.4
P_BARGE_CLOSING = 0.35
P_BARGE_OTHER = 0.15
P_CLOSING = 0.12
P_CLARIFY = 0.1

DOMAIN = {
	"get_weather": "weather",
	"play_music": "music",
	"sports_score": "sports",
	"set_timer": "timers",
	"find_restaurant": "restaurants",
	"lights_on": "smart_home",
	"get_news": "news",
	"general_stop": "general",
	"general_negate": "general",
	"general_thanks": "general",
	"none": "general",
}
CONTENT_INTENTS = ["get_weather", "play_music", "sports_score", "set_timer",
		   "find_restaurant", "lights_on", "get_news"]
INTENT_WEIGHTS = [18, 20, 12, 14, 12, 12, 12]

# What a confused NLU takes each intent for.
CONFUSIONS = {
	"get_weather": ["get_news", "sports_score", "none", "find_restaurant"],
	"play_music": ["get_news", "find_restaurant", "none", "lights_on"],
	"sports_score": ["get_news", "play_music", "none", "get_weather"],
	"set_timer": ["none", "lights_on", "play_music", "get_weather"],
	"find_restaurant": ["get_news", "none", "play_music", "get_weather"],
	"lights_on": ["play_music", "set_timer", "none", "get_news"],
	"get_news": ["play_music", "get_weather", "sports_score", "none"],
}


# ---------------------------------------------------------------------------
# Slot values.  v: the words in the text; pre: words said before the value
# but outside the slot ("on friday"); name: the right resolution, as the
# assistant says it; asr: sound-alikes an ASR may hear instead; wrong: a
# wrong resolution of the same words; fix: what the user says to correct
# the wrong resolution (<type:words> marks a slot).

def V(v, name=None, asr=(), wrong=None, fix=(), pre="", **extra):
	e = {"v": v, "name": name or v.title(), "asr": list(asr), "wrong": wrong,
	     "fix": list(fix), "pre": pre}
	e.update(extra)
	return e


CITY = [
	V("paris", "Paris", ["pairs", "harris"], "Paris, Texas",
	  ["no <city:paris> france", "i meant <city:paris> in france", "the one in france"]),
	V("portland", "Portland, Oregon", ["poland", "port land"], "Portland, Maine",
	  ["no <city:portland> oregon", "i meant the one in oregon"]),
	V("springfield", "Springfield, Illinois", ["spring field", "springville"],
	  "Springfield, Missouri", ["<city:springfield> illinois", "no the one in illinois"]),
	V("london", "London", ["landon", "lumber"], "London, Ontario",
	  ["no <city:london> england", "the one in england", "<city:london> in the uk"]),
	V("rome", "Rome", ["roam", "room"], "Rome, Georgia",
	  ["no <city:rome> italy", "i meant <city:rome> in italy"]),
	V("sydney", "Sydney", ["sidney", "city"], "Sydney, Nova Scotia",
	  ["<city:sydney> australia", "no the one in australia"]),
	V("vancouver", "Vancouver", ["van cover"], "Vancouver, Washington",
	  ["no <city:vancouver> canada", "<city:vancouver> british columbia"]),
	V("san jose", "San Jose", ["santa rosa", "san hose"], "San Jose, Costa Rica",
	  ["no <city:san jose> california", "the one in california"]),
	V("austin", "Austin", ["boston", "awesome"]),
	V("boston", "Boston", ["austin", "bossed in"]),
	V("seattle", "Seattle", ["settle", "see at all"]),
	V("denver", "Denver", ["then for", "denmark"]),
	V("miami", "Miami", ["my amy", "my ami"]),
	V("dallas", "Dallas", ["dollars", "palace"]),
	V("chicago", "Chicago", ["she car go"]),
	V("new york", "New York", ["new work", "newark"]),
	V("tokyo", "Tokyo", ["toke yo", "kyoto"]),
	V("berlin", "Berlin", ["burlington", "bear lin"]),
	V("phoenix", "Phoenix", ["fee nix", "venice"]),
	V("oakland", "Oakland", ["auckland", "oak lawn"]),
	V("sacramento", "Sacramento", ["sacrament"]),
	V("san diego", "San Diego", ["san dago", "sunday ago"]),
	V("honolulu", "Honolulu", ["hono lulu"]),
	V("nashville", "Nashville", ["ashville", "gnash will"]),
]

DATE = [
	V("today", "today", ["to day"]),
	V("tomorrow", "tomorrow", ["to borrow", "tomorrow's"]),
	V("tonight", "tonight", ["to night", "tonite"]),
	V("this weekend", "this weekend", ["this week end", "this week"]),
	V("this afternoon", "this afternoon", ["this after noon"]),
	V("next week", "next week", ["next weak"]),
	V("tomorrow morning", "tomorrow morning", ["tomorrow mourning"]),
	V("friday", "on Friday", ["fried day"], pre="on "),
	V("saturday", "on Saturday", ["sad today"], pre="on "),
	V("sunday", "on Sunday", ["someday"], pre="on "),
	V("monday", "on Monday", ["one day"], pre="on "),
]

ARTIST = [
	V("the beatles", "The Beatles", ["the beetles"]),
	V("adele", "Adele", ["a dell", "idle"]),
	V("queen", "Queen", ["quinn", "green"], "Queen Latifah",
	  ["no the band <artist:queen>", "i meant <artist:queen> the band", "the rock band"]),
	V("drake", "Drake", ["drape", "break"], "Nick Drake",
	  ["no the rapper <artist:drake>", "no just <artist:drake> the rapper"]),
	V("prince", "Prince", ["prints", "prince's"], "Prince Royce",
	  ["no the original <artist:prince>", "i meant <artist:prince> not prince royce"]),
	V("genesis", "Genesis", ["jenna says"], "Genesis Owusu",
	  ["no the band <artist:genesis>", "the old band <artist:genesis>"]),
	V("the eagles", "the Eagles", ["the beagles", "the egos"], "Fly, Eagles Fly",
	  ["no the band <artist:the eagles>", "the rock band not the fight song"]),
	V("nirvana", "Nirvana", ["near vana", "nirvanna"]),
	V("taylor swift", "Taylor Swift", ["tailor swift"]),
	V("billie eilish", "Billie Eilish", ["billy irish", "billy island"]),
	V("ed sheeran", "Ed Sheeran", ["ed shearing", "add sharon"]),
	V("bruno mars", "Bruno Mars", ["bruno march"]),
	V("imagine dragons", "Imagine Dragons", ["maj and dragons", "imagine wagons"]),
	V("coldplay", "Coldplay", ["cold plate", "gold play"]),
	V("kendrick lamar", "Kendrick Lamar", ["kendrick llama"]),
	V("madonna", "Madonna", ["my donna"]),
	V("nina simone", "Nina Simone", ["nina simon"]),
	V("miles davis", "Miles Davis", ["miles davies", "mild davis"]),
	V("abba", "ABBA", ["aba", "a bar"]),
	V("beyonce", "Beyonce", ["beyond say", "be on say"]),
	V("johnny cash", "Johnny Cash", ["johnny cache", "johnny crash"]),
	V("dolly parton", "Dolly Parton", ["dolly carton", "dolly pardon"]),
	V("radiohead", "Radiohead", ["radio head", "radio bed"]),
	V("rihanna", "Rihanna", ["ri anna", "rihanna's"]),
	V("the rolling stones", "The Rolling Stones", ["the rolling stone", "the rolling tones"]),
	V("fleetwood mac", "Fleetwood Mac", ["fleet wood mac", "fleetwood max"]),
	V("bad bunny", "Bad Bunny", ["bad money", "bad honey"]),
]

SONG = [
	V("hello", "Hello by Adele", ["yellow", "hollow"], "Hello by Lionel Richie",
	  ["no the one by <artist:adele>", "<song:hello> by <artist:adele>", "i meant the <artist:adele> song"],
	  by="adele"),
	V("yesterday", "Yesterday by The Beatles", ["yes today"], "Yesterday by Leona Lewis",
	  ["no the one by <artist:the beatles>", "the <artist:beatles> version"], by="the beatles"),
	V("halo", "Halo by Beyonce", ["hello", "hollow"], "Halo by Depeche Mode",
	  ["no the <artist:beyonce> one", "<song:halo> by <artist:beyonce>"], by="beyonce"),
	V("hurt", "Hurt by Johnny Cash", ["heart", "hurts"], "Hurt by Nine Inch Nails",
	  ["no the <artist:johnny cash> version", "i meant the one by <artist:johnny cash>"],
	  by="johnny cash"),
	V("crazy", "Crazy by Gnarls Barkley", ["lazy", "crazy's"], "Crazy by Patsy Cline",
	  ["no by <artist:gnarls barkley>", "the <artist:gnarls barkley> one"], by="gnarls barkley"),
	V("stay", "Stay by Rihanna", ["stray", "say"], "Stay by Justin Bieber",
	  ["no the <artist:rihanna> one", "<song:stay> by <artist:rihanna>"], by="rihanna"),
	V("creep", "Creep by Radiohead", ["crepe", "cream"], "Creep by TLC",
	  ["no <artist:radiohead>", "the one by <artist:radiohead>"], by="radiohead"),
	V("jolene", "Jolene by Dolly Parton", ["jolie", "joe lean"], "Jolene by The White Stripes",
	  ["no the <artist:dolly parton> original", "by <artist:dolly parton>"], by="dolly parton"),
	V("toxic", "Toxic by Britney Spears", ["talk sick", "toxics"], "Toxic by Melanie Martinez",
	  ["no the <artist:britney spears> one", "<song:toxic> by <artist:britney spears>"],
	  by="britney spears"),
	V("let it be", "Let It Be by The Beatles", ["let it bee", "lead it be"], by="the beatles"),
	V("bad guy", "Bad Guy by Billie Eilish", ["bad guys", "bad day"], by="billie eilish"),
	V("shape of you", "Shape of You by Ed Sheeran", ["shape of view", "shake of you"],
	  by="ed sheeran"),
	V("blinding lights", "Blinding Lights by The Weeknd", ["blinding lice", "binding lights"],
	  by="the weeknd"),
	V("dancing queen", "Dancing Queen by ABBA", ["dancing green", "dance in queen"], by="abba"),
	V("bohemian rhapsody", "Bohemian Rhapsody by Queen", ["bohemian rap city"], by="queen"),
	V("thriller", "Thriller by Michael Jackson", ["thrill her", "driller"], by="michael jackson"),
	V("hotel california", "Hotel California by the Eagles", ["hotel california's", "motel california"],
	  by="the eagles"),
	V("dreams", "Dreams by Fleetwood Mac", ["streams", "drains"], by="fleetwood mac"),
	V("purple rain", "Purple Rain by Prince", ["purple reign", "purple train"], by="prince"),
]

# sport: the team's sport; wsport: the sport of the wrong resolution.
TEAM = [
	V("giants", "the San Francisco Giants", ["guidance", "diets"], "the New York Giants",
	  ["no the san francisco <team:giants>", "i meant the baseball <team:giants>"],
	  sport="baseball", wsport="football"),
	V("rangers", "the New York Rangers", ["strangers", "rain jers"], "the Texas Rangers",
	  ["no the hockey <team:rangers>", "the new york <team:rangers>"],
	  sport="hockey", wsport="baseball"),
	V("kings", "the Sacramento Kings", ["kids", "kinks"], "the Los Angeles Kings",
	  ["no the sacramento <team:kings>", "the basketball <team:kings>"],
	  sport="basketball", wsport="hockey"),
	V("cardinals", "the St. Louis Cardinals", ["carnivals", "cardigans"], "the Arizona Cardinals",
	  ["no the baseball <team:cardinals>", "the st louis <team:cardinals>"],
	  sport="baseball", wsport="football"),
	V("panthers", "the Carolina Panthers", ["pampers", "panders"], "the Florida Panthers",
	  ["no the football <team:panthers>", "the carolina <team:panthers>"],
	  sport="football", wsport="hockey"),
	V("jets", "the New York Jets", ["gets", "chefs"], "the Winnipeg Jets",
	  ["no the football <team:jets>", "the new york <team:jets>"],
	  sport="football", wsport="hockey"),
	V("warriors", "the Warriors", ["worriers", "wars"], sport="basketball"),
	V("lakers", "the Lakers", ["bakers", "lakes"], sport="basketball"),
	V("dodgers", "the Dodgers", ["dodges", "rogers"], sport="baseball"),
	V("celtics", "the Celtics", ["sell ticks", "skeptics"], sport="basketball"),
	V("niners", "the 49ers", ["nine years", "minors"], sport="football"),
	V("seahawks", "the Seahawks", ["sea hogs", "see hawks"], sport="football"),
	V("yankees", "the Yankees", ["yank ease", "yanks"], sport="baseball"),
	V("sharks", "the Sharks", ["shocks", "sharps"], sport="hockey"),
	V("kraken", "the Kraken", ["cracking", "crack in"], sport="hockey"),
	V("padres", "the Padres", ["powders", "padre's"], sport="baseball"),
	V("clippers", "the Clippers", ["slippers", "clip ers"], sport="basketball"),
	V("chargers", "the Chargers", ["chargers'", "charters"], sport="football"),
]
OPPONENTS = {
	"baseball": ["the Cubs", "the Mets", "the Braves", "the Astros", "the Phillies", "the Rockies"],
	"basketball": ["the Suns", "the Nuggets", "the Knicks", "the Heat", "the Bulls", "the Jazz"],
	"football": ["the Eagles", "the Cowboys", "the Packers", "the Bears", "the Rams", "the Chiefs"],
	"hockey": ["the Bruins", "the Oilers", "the Canucks", "the Flames", "the Blues", "the Stars"],
}
SCORES = {"baseball": (0, 11), "basketball": (88, 131), "football": (3, 38), "hockey": (0, 6)}

DURATION = [
	V("five minutes", "5 minutes", ["fine minutes", "five minute's"]),
	V("ten minutes", "10 minutes", ["tin minutes", "then minutes"]),
	V("fifteen minutes", "15 minutes", ["fifty minutes"]),
	V("fourteen minutes", "14 minutes", ["forty minutes"]),
	V("sixteen minutes", "16 minutes", ["sixty minutes"]),
	V("thirteen minutes", "13 minutes", ["thirty minutes"]),
	V("nineteen minutes", "19 minutes", ["ninety minutes"]),
	V("twenty minutes", "20 minutes", ["plenty minutes", "twenty minute's"]),
	V("three minutes", "3 minutes", ["tree minutes", "free minutes"]),
	V("eight minutes", "8 minutes", ["ate minutes", "eighty minutes"]),
	V("half an hour", "30 minutes", ["have an hour", "half and hour"], "1 and a half hours",
	  ["no just <duration:half an hour>", "<duration:thirty minutes>"]),
	V("ninety seconds", "90 seconds", ["nine deceptions", "ninety second"], "90 minutes",
	  ["no <duration:ninety seconds> not minutes", "i said <duration:ninety seconds>",
	   "<duration:a minute and a half>"]),
	V("an hour and a half", "1 hour 30 minutes", ["an hour and half"], "1 hour",
	  ["no <duration:an hour and a half>", "<duration:ninety minutes>"]),
	V("forty five minutes", "45 minutes", ["forty nine minutes"], "45 seconds",
	  ["no <duration:forty five minutes> not seconds", "<duration:three quarters of an hour>"]),
	V("twelve minutes", "12 minutes", ["twelve minute's", "shelve minutes"], "12 hours",
	  ["no <duration:twelve minutes>", "i said minutes not hours"]),
	V("two hours", "2 hours", ["to hours", "two ours"], "2 minutes",
	  ["no <duration:two hours>", "hours not minutes"]),
	V("thirty seconds", "30 seconds", ["dirty seconds", "thirty second"]),
]

CUISINE = [
	V("thai", "Thai", ["tie", "tide"]),
	V("sushi", "sushi", ["sue she", "sushis"]),
	V("italian", "Italian", ["a tally and", "italians"]),
	V("indian", "Indian", ["indiana", "endian"]),
	V("mexican", "Mexican", ["mexicans", "make sticking"]),
	V("chinese", "Chinese", ["china's", "chinese's"]),
	V("pizza", "pizza", ["piece of", "visa"]),
	V("ramen", "ramen", ["raymond", "ramon"]),
	V("korean", "Korean", ["career in", "koreans"]),
	V("vietnamese", "Vietnamese", ["viet name ease"]),
	V("burgers", "burger", ["burglars", "burgers'"]),
	V("tacos", "taco", ["tackles", "tacoma"]),
	V("dim sum", "dim sum", ["dim some", "tim sum"]),
	V("pho", "pho", ["foe", "fun"]),
	V("curry", "curry", ["carry", "kerry"]),
	V("barbecue", "barbecue", ["barber queue", "bar becue"]),
]

LOCATION = [
	V("union square", "Union Square", ["onion square", "union squire"], "Union Square in New York",
	  ["no <location:union square> in san francisco", "the one in san francisco"], pre="near "),
	V("the mission", "the Mission District", ["the machine", "the missions"], "Mission Viejo",
	  ["no <location:the mission> district", "i meant <location:the mission> in the city"], pre="in "),
	V("koreatown", "Koreatown", ["korea down", "career town"], "Koreatown in Oakland",
	  ["no <location:koreatown> in los angeles", "the one in la"], pre="in "),
	V("main street", "Main Street", ["maine street", "mean street"], "Main Street in Alhambra",
	  ["no <location:main street> in santa monica", "the santa monica one"], pre="on "),
	V("the airport", "LAX", ["the air port", "the import"], "Burbank Airport",
	  ["no <location:lax>", "i meant <location:lax> not burbank"], pre="near "),
	V("westwood", "Westwood", ["west hood", "best wood"], "Westwood, New Jersey",
	  ["no <location:westwood> in los angeles", "the one by ucla"], pre="in "),
	V("chinatown", "Chinatown", ["china down", "chinatowns"], "Chinatown in San Francisco",
	  ["no <location:chinatown> in la", "the los angeles one"], pre="in "),
	V("downtown", "downtown", ["down town", "dust town"]),
	V("nearby", "nearby", ["near bay", "neighbor"]),
	V("near me", "near you", ["near may", "nearby me"]),
	V("berkeley", "Berkeley", ["barkley", "burkley"], pre="in "),
	V("santa monica", "Santa Monica", ["santa harmonica", "santa monica's"], pre="in "),
	V("the ferry building", "the Ferry Building", ["the fairy building", "the very building"],
	  pre="near "),
	V("pasadena", "Pasadena", ["passed a dina", "pass a dena"], pre="in "),
	V("silver lake", "Silver Lake", ["silver leg", "sliver lake"], pre="in "),
]

ROOM = [
	V("kitchen", "kitchen", ["chicken", "kitten"]),
	V("living room", "living room", ["leaving room", "giving room"]),
	V("bedroom", "bedroom", ["bad room", "bed broom"], "the lights in Emma's bedroom",
	  ["no the master <room:bedroom>", "our <room:bedroom>", "no my <room:bedroom>"]),
	V("bathroom", "bathroom", ["bat room", "bath broom"], "the guest bathroom lights",
	  ["no the upstairs <room:bathroom>", "the main <room:bathroom>"]),
	V("office", "office", ["awful", "officer"], "the office lights at work",
	  ["no my home <room:office>", "the <room:office> here at home"]),
	V("garage", "garage", ["garbage", "garages"]),
	V("hallway", "hallway", ["hollow way", "hall weigh"]),
	V("dining room", "dining room", ["dying room", "diving room"], "the dining room lamp",
	  ["no the ceiling lights in the <room:dining room>", "all the <room:dining room> lights"]),
	V("basement", "basement", ["base mint", "casement"]),
	V("porch", "porch", ["torch", "perch"], "the back porch light",
	  ["no the front <room:porch>", "the front <room:porch> light"]),
	V("den", "den", ["ten", "then"]),
	V("guest room", "guest room", ["guess room", "best room"]),
	V("nursery", "nursery", ["nurse tree", "mercy"]),
	V("backyard", "backyard", ["black yard", "back yard's"]),
]

NEWS_SOURCE = [
	V("npr", "NPR", ["mpr", "npr's"]),
	V("bbc", "BBC News", ["abc", "bbc's"], "BBC Radio 1",
	  ["no <source:bbc> news", "the <source:bbc> news bulletin"]),
	V("cnn", "CNN", ["cnbc", "c n"]),
	V("the times", "The New York Times", ["the tides", "the time"], "The Times of India",
	  ["no the new york <source:times>", "i meant the new york <source:times>"]),
	V("the post", "The Washington Post", ["the coast", "the toast"], "The Denver Post",
	  ["no the washington <source:post>", "<source:washington post>"]),
	V("abc", "ABC News", ["bbc", "abcs"], "ABC News Australia",
	  ["no the american <source:abc>", "<source:abc> news in the us"]),
	V("the journal", "The Wall Street Journal", ["the gerald", "the journals"],
	  "The Providence Journal", ["no the wall street <source:journal>", "<source:wall street journal>"]),
	V("reuters", "Reuters", ["roosters", "routers"]),
	V("fox news", "Fox News", ["box news", "fox views"]),
	V("bloomberg", "Bloomberg", ["bloom burg", "blue burg"]),
	V("the guardian", "The Guardian", ["the garden", "the guardians"]),
	V("espn", "ESPN", ["aspen", "espn's"]),
	V("al jazeera", "Al Jazeera", ["al jazz era", "algeria"]),
	V("kqed", "KQED", ["kq ed", "k q e d"]),
]

VALUES = {"city": CITY, "date": DATE, "artist": ARTIST, "song": SONG, "team": TEAM,
	  "duration": DURATION, "cuisine": CUISINE, "location": LOCATION, "room": ROOM,
	  "source": NEWS_SOURCE}
BY_V = {(typ, e["v"]): e for typ, es in VALUES.items() for e in es}

# Request templates per intent; {slot} takes a value (and its pre words).
TEMPLATES = {
	"get_weather": [
		"what's the weather", "how's the weather outside", "what's it like outside",
		"is it going to rain",
		"what's the weather in {city}", "how's the weather in {city}", "weather in {city}",
		"what's the temperature in {city}", "is it cold in {city}", "how hot is it in {city}",
		"tell me the weather for {city}", "what's the forecast for {city}",
		"what's it like in {city} right now",
		"what's the weather in {city} {date}", "will it rain in {city} {date}",
		"what's the forecast for {city} {date}", "do i need an umbrella in {city} {date}",
		"is it going to be sunny in {city} {date}", "how's the weather looking in {city} {date}",
		"what's the weather going to be {date} in {city}",
		"what's the weather {date}", "will it rain {date}", "do i need a jacket {date}",
		"what's the forecast {date}", "is it going to snow {date}", "how cold will it be {date}",
	],
	"play_music": [
		"play {artist}", "play some {artist}", "put on {artist}", "i want to hear {artist}",
		"play music by {artist}", "can you play {artist}", "play songs by {artist}",
		"shuffle {artist}", "play something by {artist}",
		"play {song}", "play the song {song}", "put on {song}", "can you play {song}",
		"i want to hear {song}", "play the track {song}",
		"play {song} by {artist}", "put on {song} by {artist}",
		"i want to hear {song} by {artist}", "play the song {song} by {artist}",
	],
	"sports_score": [
		"what's the score of the {team} game", "how did the {team} do", "did the {team} win",
		"what's the {team} score", "how are the {team} doing", "who won the {team} game",
		"give me the score for the {team}", "are the {team} winning", "{team} score",
		"what was the final score of the {team} game", "did the {team} lose last night",
	],
	"set_timer": [
		"set a timer for {duration}", "timer for {duration}", "start a timer for {duration}",
		"put a timer on for {duration}", "can you set a timer for {duration}",
		"remind me in {duration}", "wake me in {duration}", "set the timer to {duration}",
		"count down {duration}",
	],
	"find_restaurant": [
		"find {cuisine} restaurants", "i'm hungry for {cuisine}", "where can i get {cuisine}",
		"any {cuisine} places nearby", "show me {cuisine} restaurants",
		"find me some {cuisine} food", "is there a good {cuisine} place around here",
		"find a restaurant that serves {cuisine}",
		"find {cuisine} restaurants {location}", "any good {cuisine} places {location}",
		"where can i get {cuisine} {location}", "show me {cuisine} spots {location}",
		"i want {cuisine} {location}", "find a restaurant that serves {cuisine} {location}",
		"is there any {cuisine} {location}", "look up {cuisine} {location}",
	],
	"lights_on": [
		"turn on the lights", "lights on", "turn the lights on", "switch on the lights",
		"turn on the {room} lights", "turn on the lights in the {room}",
		"lights on in the {room}", "switch on the {room} light",
		"can you turn the {room} lights on", "{room} lights on",
		"put the lights on in the {room}", "turn the {room} light on",
	],
	"get_news": [
		"what's the news", "what's the latest news", "give me the headlines",
		"read me the news", "catch me up on the news", "what's happening in the world",
		"play the news from {source}", "what's the latest from {source}",
		"give me the {source} headlines", "read me the news from {source}",
		"{source} news", "play {source}", "catch me up on the news from {source}",
		"news from {source} please", "what are the headlines on {source}",
	],
}

# Sound-alikes of carrier words: hearing one of these changes the intent.
WORD_ASR = {
	"weather": ["whether", "feather"], "rain": ["train", "reign"], "forecast": ["four cast"],
	"umbrella": ["umbrellas"], "cold": ["gold", "called"], "hot": ["hat"],
	"sunny": ["funny", "honey"], "snow": ["slow", "know"], "jacket": ["jack it"],
	"temperature": ["temper chair"], "outside": ["out side"],
	"score": ["store", "snore"], "game": ["gain", "came"], "win": ["when", "wind"],
	"winning": ["whining", "wedding"], "won": ["one"], "lose": ["loose", "lows"],
	"play": ["pay", "plate"], "hear": ["here"], "songs": ["sons"], "track": ["truck"],
	"shuffle": ["shovel"], "music": ["mu sick"], "song": ["sung"],
	"timer": ["time or", "tiger", "diner"], "remind": ["rewind"], "wake": ["rake", "bake"],
	"count": ["cant"],
	"restaurants": ["rest rants"], "restaurant": ["rest rant"], "hungry": ["angry"],
	"food": ["mood", "feud"], "serves": ["swerves"], "places": ["plays is"],
	"lights": ["likes", "flights", "nights"], "light": ["like", "night"],
	"switch": ["sandwich"],
	"news": ["views", "shoes", "noose"], "headlines": ["bed lines"], "latest": ["lattice"],
	"read": ["red"], "catch": ["cash"],
}

# Clarification: a request missing its slot, the question, the answer.
CLARIFY = {
	"set_timer": (["set a timer", "start a timer", "timer please", "i need a timer"],
		      ["For how long?", "How long should the timer be?"],
		      ["{duration}", "for {duration}", "make it {duration}"]),
	"sports_score": (["what's the score", "what's the score of the game", "who's winning"],
			 ["Which team?", "Which team do you mean?"],
			 ["the {team}", "{team}", "the {team} game"]),
	"find_restaurant": (["find a restaurant", "i'm hungry", "find me somewhere to eat"],
			    ["What kind of food would you like?", "What are you in the mood for?"],
			    ["{cuisine}", "something {cuisine}", "{cuisine} please", "how about {cuisine}"]),
}

FALSE_WAKES = [
	("turn it up in there", "play_music"), ("he said that yesterday", None), ("okay so", None),
	("yeah but the thing is", None), ("did you see that", None),
	("no i'm on the phone", None), ("put it over there", None),
	("what time did they say", "set_timer"), ("hey can you grab the", None), ("so anyway", None),
	("she's coming at seven", "set_timer"), ("the weather was terrible", "get_weather"),
	("let me think", None), ("that's what i told him", None), ("we should order thai", "find_restaurant"),
	("the game was crazy", "sports_score"), ("turn left here", None), ("i'll play later", "play_music"),
	("lex is that you", None), ("alexander come here", None), ("is the light still", "lights_on"),
	("in the news they said", "get_news"), ("wait what", None), ("hold on", None),
	("and then he goes", None), ("mm hmm", None), ("a lot of people", None),
	("it's in the kitchen", "lights_on"), ("not right now", None), ("you know what i mean", None),
	("for ten minutes or so", "set_timer"), ("hey look at this", None),
	("i think it's the", None), ("the score is", "sports_score"),
]
QUIT = ["stop", "never mind", "forget it", "cancel", "stop stop", "forget about it",
	"never mind then", "ugh forget it", "just stop", "no stop"]
FW_QUIT = ["stop", "never mind", "not you", "i wasn't talking to you", "cancel",
	   "nothing", "go back to sleep", "be quiet", "stop listening", "sorry not you"]
QUIT_ASR = {"stop": ["shop", "top"], "never mind": ["never mine", "ever mind"],
	    "forget it": ["for get it", "forgot it"], "cancel": ["council", "can sell"],
	    "not you": ["not u", "knot you"], "nothing": ["knitting", "nothin"]}
NEGATE = ["no that's not what i asked", "that's wrong", "no", "that's not right", "wrong",
	  "no no no", "that's not what i said", "no that's wrong", "nope", "that's not it",
	  "no that's not what i wanted"]
RETRY_PREFIX = ["no ", "i said ", "no i said ", "no i asked ", "no ", "i meant "]
THANKS = ["thanks", "thank you", "thanks that's all", "great thanks", "perfect",
	  "cool thanks", "awesome thank you", "okay thanks"]
STOP_CONTENT = ["stop", "that's enough", "okay stop", "thanks you can stop"]

RESTAURANTS = ["Lotus Garden", "Bangkok Street", "Sakura House", "Trattoria Lucca",
	       "Taqueria El Sol", "Golden Dragon", "Saffron Table", "Seoul Kitchen",
	       "Pho Hoa", "Big Al's", "Casa Verde", "Blue Koi", "Little Nonna",
	       "Curry Leaf", "Smoke Yard", "Noodle Bar 88", "Mama Rosa", "Jade Palace"]
HEADLINES = ["The city council approved the new transit budget.",
	     "Storms are expected along the coast this weekend.",
	     "Stocks closed higher after a quiet day of trading.",
	     "A new study looks at how sleep affects memory.",
	     "The governor signed a bill on water conservation.",
	     "Wildfire crews have the Ridge Fire 80 percent contained.",
	     "Gas prices fell for the third week in a row.",
	     "Researchers found a new species of frog in Peru.",
	     "The school board will vote on later start times.",
	     "Air travel hit a record over the holiday weekend."]
CONDITIONS = ["sunny", "cloudy", "partly cloudy", "foggy", "rainy", "windy", "clear",
	      "overcast", "drizzly"]


# ---------------------------------------------------------------------------
# Utterances are lists of segments (words, slot type or None, value entry or
# None); rendering them gives the text and the code point offsets of slots.

SEG_RE = re.compile(r"\{(\w+)\}|<(\w+):([^>]+)>")


def expand(template, vals):
	segs, pos = [], 0
	for m in SEG_RE.finditer(template):
		if m.start() > pos:
			segs.append([template[pos:m.start()], None, None])
		if m.group(1):
			e = vals[m.group(1)]
			if segs and not segs[-1][1] and e["v"].startswith("the "):
				# "the {source}" with "the post": one article
				for art in ("the ", "some "):
					if segs[-1][0].endswith(art):
						segs[-1][0] = segs[-1][0][:-len(art)]
						break
				if not segs[-1][0]:
					segs.pop()
			if e["pre"]:
				segs.append([e["pre"], None, None])
			segs.append([e["v"], m.group(1), e])
		else:
			typ, words = m.group(2), m.group(3)
			segs.append([words, typ, BY_V.get((typ, words))])
		pos = m.end()
	if pos < len(template):
		segs.append([template[pos:], None, None])
	return segs


def render(segs):
	text, spans = "", []
	for words, typ, _ in segs:
		if typ:
			spans.append({"type": typ, "start": len(text), "end": len(text) + len(words)})
		text += words
	return text, spans


def slot_names(template):
	return tuple(sorted(m.group(1) for m in SEG_RE.finditer(template) if m.group(1)))


def speak_seconds(response):
	return len(response.split()) / 2.6


def conf(x):
	return float(round(min(1.0, max(0.0, x)), 3))


def cap(s):
	return s[:1].upper() + s[1:]


# ---------------------------------------------------------------------------
# Responses.

def weather_answer(r, vals, city=None):
	city = city or (vals["city"]["name"] if "city" in vals else "Los Angeles")
	t = r.randint(28, 98)
	unit = "degrees"
	cond = r.choice(CONDITIONS)
	if "date" in vals and vals["date"]["v"] != "today":
		day = vals["date"]["name"]
		return r.choice([
			"%s in %s: %s with a high of %d and a low of %d." % (cap(day), city, cond, t, t - r.randint(5, 14)),
			"In %s %s expect %s skies and a high of %d %s." % (city, day, cond, t, unit),
			"%s, %s looks %s, around %d %s." % (cap(day), city, cond, t, unit),
		])
	return r.choice([
		"It's %d %s and %s in %s." % (t, unit, cond, city),
		"Right now in %s it's %s and %d %s." % (city, cond, t, unit),
		"In %s it's currently %d %s with %s skies." % (city, t, unit, cond),
		"%s is %s today, with a high of %d." % (city, cond, t),
	])


def music_answer(r, vals, name=None):
	if name is None:
		if "song" in vals:
			name = vals["song"]["name"]
		else:
			name = vals["artist"]["name"]
	if "song" in vals:
		return r.choice(["Playing %s." % name, "Here's %s." % name, "Now playing %s." % name])
	return r.choice(["Playing %s." % name, "Shuffling songs by %s." % name,
			 "Here's a mix of %s." % name, "Playing popular songs by %s." % name])


def sports_answer(r, vals, name=None, sport=None):
	team = vals["team"]
	name = name or team["name"]
	sport = sport or team["sport"]
	opp = r.choice(OPPONENTS[sport])
	lo, hi = SCORES[sport]
	a = r.randint(lo + 1, hi)
	b = r.randint(lo, a - 1)
	return r.choice([
		"%s beat %s %d to %d." % (cap(name), opp, a, b),
		"%s lost to %s %d to %d." % (cap(name), opp, a, b),
		"%s lead %s %d to %d." % (cap(name), opp, a, b),
		"Last night %s won against %s, %d to %d." % (name, opp, a, b),
	])


def timer_answer(r, vals, name=None):
	name = name or vals["duration"]["name"]
	return r.choice(["Timer set for %s." % name, "%s, starting now." % cap(name),
			 "Okay, %s on the clock." % name, "Your %s timer has started." % name])


def restaurant_answer(r, vals, loc=None, cuisine=None):
	c = cuisine or vals["cuisine"]["name"]
	if loc is None:
		if "location" in vals:
			e = vals["location"]
			loc = e["pre"] + e["name"]
		else:
			loc = "near you"
	p = r.sample(RESTAURANTS, 3)
	return r.choice([
		"I found %d %s places %s. The top rated is %s, %.1f miles away." % (
			r.randint(3, 12), c, loc, p[0], r.uniform(0.2, 4.5)),
		"Here are some %s places %s: %s, %s and %s." % (c, loc, p[0], p[1], p[2]),
		"%s is a popular %s spot %s, open until %d tonight." % (p[0], c, loc, r.randint(9, 11)),
	])


def lights_answer(r, vals, name=None):
	"""name: the lights, as the assistant names them ("the kitchen lights")."""
	if name is None:
		if "room" not in vals:
			return r.choice(["Okay.", "Okay, turning on the lights.", "Lights on."])
		name = "the %s lights" % vals["room"]["name"]
	return r.choice(["Okay, turning on %s." % name, "Turning on %s now." % name,
			 "Okay, switching on %s." % name])


def news_answer(r, vals, name=None):
	if name is None:
		name = vals["source"]["name"] if "source" in vals else r.choice(["NPR", "Reuters", "the AP"])
	h = r.choice(HEADLINES)
	return r.choice(["Here's the latest from %s. %s" % (name, h),
			 "Here are the headlines from %s: %s" % (name, h),
			 "From %s: %s" % (name, h)])


def answer(r, intent, vals):
	return {"get_weather": weather_answer, "play_music": music_answer,
		"sports_score": sports_answer, "set_timer": timer_answer,
		"find_restaurant": restaurant_answer, "lights_on": lights_answer,
		"get_news": news_answer}[intent](r, vals)


def wrong_entity_answer(r, intent, vals, typ):
	e = vals[typ]
	w = e["wrong"]
	if intent == "get_weather":
		return weather_answer(r, vals, city=w)
	if intent == "play_music":
		return music_answer(r, vals, name=w)
	if intent == "sports_score":
		return sports_answer(r, vals, name=w, sport=e["wsport"])
	if intent == "set_timer":
		return timer_answer(r, vals, name=w)
	if intent == "find_restaurant":
		return restaurant_answer(r, vals, loc=(e["pre"] or "near ") + w)
	if intent == "lights_on":
		return lights_answer(r, vals, name=w)
	return news_answer(r, vals, name=w)


def misheard_answer(r, intent, vals, typ, heard):
	x = heard.title()
	if r.random() < 0.5:
		return r.choice({
			"get_weather": ["I couldn't find a place called %s.", "Sorry, I don't know where %s is."],
			"play_music": ["I couldn't find %s in the catalog.", "Sorry, I can't find %s."],
			"sports_score": ["I couldn't find a team called %s.", "Sorry, I don't have scores for %s."],
			"set_timer": ["Sorry, how long should the timer be?", "I didn't catch how long."],
			"find_restaurant": ["I couldn't find any %s restaurants near you.",
					    "Here are some web results for %s."],
			"lights_on": ["I couldn't find a device called %s lights.",
				      "Sorry, I don't see a room called %s."],
			"get_news": ["I couldn't find a news source called %s.", "Sorry, %s isn't available."],
		}[intent]).replace("%s", x)
	fake = dict(vals)
	if typ == "source" and len(heard) <= 5 and " " not in heard:
		x = heard.upper()
	if typ in ("date", "duration"):
		x = heard
	elif typ == "team":
		x = "the " + x
	old = vals.get(typ, {})
	fake[typ] = V(heard, x, sport=old.get("sport", "baseball"), pre=old.get("pre", ""))
	return answer(r, intent, fake)


def wrong_intent_answer(r, intent, heard_text):
	if intent == "none" or r.random() < 0.2:
		return r.choice(["Sorry, I didn't get that.", "Sorry, I don't know that one.",
				 "Hmm, I'm not sure.", "Here's what I found on the web for %s." % heard_text,
				 "I'm not sure how to help with that.", "Sorry, I can't do that yet."])
	return r.choice({
		"get_weather": ["Right now it's %d degrees and %s." % (r.randint(45, 90), r.choice(CONDITIONS)),
				"Today's forecast: %s with a high of %d." % (r.choice(CONDITIONS), r.randint(45, 90))],
		"play_music": ["Here's a station you might like.", "Playing your Discover mix.",
			       "Playing music.", "Here's something you might like: Chill Vibes."],
		"sports_score": ["Which team?", "The Lakers beat the Celtics 112 to 104.",
				 "There are no games today."],
		"set_timer": ["For how long?", "You have no timers set.", "Timer set for 10 minutes."],
		"find_restaurant": ["What kind of food are you looking for?",
				    "Here are some restaurants near you: %s and %s." % tuple(r.sample(RESTAURANTS, 2))],
		"lights_on": ["Okay, turning on the lights.", "Which lights?", "Okay."],
		"get_news": ["Here's the latest news from NPR. %s" % r.choice(HEADLINES),
			     "Here are today's top stories."],
	}[intent])


def result_answer(r, intent, vals):
	generic = ["Sorry, I can't help with that right now.", "I couldn't find any results.",
		   "Something went wrong. Please try again later.", "Sorry, I'm having trouble right now."]
	specific = {
		"get_weather": ["I don't have weather information for that right now.",
				"Sorry, I couldn't get the forecast."],
		"play_music": ["Sorry, that isn't available right now.",
			       "That song isn't available in your region.",
			       "I couldn't find any songs like that."],
		"sports_score": ["There's no game today.", "Sorry, I don't have scores right now.",
				 "%s play tomorrow at 7." % cap(vals["team"]["name"]) if "team" in vals else
				 "There's no game today."],
		"set_timer": ["I couldn't set a timer on this device.", "Sorry, timers aren't working right now."],
		"find_restaurant": ["I couldn't find any %s restaurants." % vals["cuisine"]["name"]
				    if "cuisine" in vals else "I couldn't find any restaurants.",
				    "Here's %s, %d miles away." % (r.choice(RESTAURANTS), r.randint(25, 60))],
		"lights_on": ["The lights aren't responding.",
			      "Sorry, that device is not responding. Please check its network connection."],
		"get_news": ["Sorry, I can't play that right now.", "That news source isn't available."],
	}[intent]
	return r.choice(specific + generic)


# ---------------------------------------------------------------------------
# Context dialogues (--context P): requests whose right answer depends on
# the device, its state, the local hour, the user's habits, the previous
# turn or the place, with that answer recorded in each turn's "truth".

CTX_DOMAIN = {
	"oven_temperature": "smart_home", "get_weather": "weather", "play_movie": "video",
	"play_audiobook": "books", "routine_morning": "routines", "routine_bedtime": "routines",
	"play_music": "music", "alarm_off": "alarms", "device_on": "smart_home",
	"lights_on": "smart_home",
}
CTX_FAMILIES = ["device_state", "device_type", "hour", "habit", "sequence", "location",
		"control"]
# Habit and sequence dialogues have about 2 turns, the others 1: with these
# weights controls are about 30% of the context turns.
CTX_WEIGHTS = [1, 1, 1, 1, 1, 1, 3.4]
CONTROL_KINDS = ["device_state", "location", "device_type", "hour", "habit", "device_room"]
DEPENDS = ["device_state", "device_type", "hour", "habit", "previous_intent", "device_room",
	   "location", None]
TIMEZONES = ["America/Los_Angeles", "America/New_York", "Europe/Berlin"]
TZ_WEIGHTS = [70, 15, 15]
# The dialogue's place, consistent with its timezone.
TZ_CITIES = {
	"America/Los_Angeles": ["seattle", "portland", "san diego", "sacramento", "oakland",
				"san jose"],
	"America/New_York": ["boston", "miami", "new york"],
	"Europe/Berlin": ["berlin", "munich", "hamburg"],
}
# Cities named in the words of a control (never the dialogue's own place).
OTHER_CITIES = ["denver", "austin", "chicago", "boston", "seattle", "miami", "dallas",
		"phoenix", "london", "paris", "tokyo", "berlin", "new york", "san diego",
		"nashville", "honolulu"]
CTX_ROOMS = ["bedroom", "kitchen", "living room", "office"]
OTHER_ROOMS = CTX_ROOMS + ["bathroom", "hallway", "dining room", "garage"]
DAY_HOURS = [7, 8, 9, 11, 12, 13, 16, 17, 18, 18, 19, 19, 20, 21, 22]
MORNING_HOURS = list(range(5, 11))	# 5:00-10:59 local
NIGHT_HOURS = list(range(19, 24))	# 19:00-23:59 local
EVENING_HOURS = list(range(20, 24))	# 20:00-23:59 local
ALARM_HOURS = list(range(5, 10))

# Titles that are both a film and a book.
TITLES = ["the hunger games", "hunger games", "dune", "the martian", "little women",
	  "the hobbit", "gone girl", "the shining", "jurassic park", "life of pi", "the road",
	  "the help", "wonder", "the giver", "ready player one", "the outsiders", "holes",
	  "coraline", "the notebook", "room"]
GENRES = ["jazz", "classical", "rock", "country", "hip hop", "blues"]

OVEN_ASKS = ["what is the temperature", "what's the temperature", "how hot is it",
	     "what temperature is it"]
PLAY_VERBS = ["play", "put on", "start"]
ROUTINE_ASKS = ["start my routine", "run my routine", "start the routine", "begin my routine"]
GENRE_ASKS = ["play some {genre}", "put on {genre}", "play {genre} music"]
MUSIC_ASKS = ["play music", "play some music", "put on some music"]
ALARM_OFF = ["stop the alarm", "turn off the alarm"]
DEVICE_ASKS = ["start the {device}", "turn on the {device}", "switch on the {device}"]
BREW_ASKS = ["start brewing", "start it", "get it going"]
LIGHT_ASKS = ["turn on the lights", "lights on", "switch on the lights"]
WEATHER_ASKS = ["what's the weather", "what is the weather like", "is it going to rain"]
CITY_TEMP_ASKS = ["what is the temperature in {city}", "what's the temperature in {city}",
		  "how hot is it in {city}"]
CITY_WEATHER_ASKS = ["what's the weather in {city}", "how's the weather in {city}",
		     "weather in {city}"]
MOVIE_ASKS = ["play the movie {movie_name}"]
BOOK_ASKS = ["play the audiobook {book_name}", "play the book {book_name}"]
ROOM_LIGHT_ASKS = ["turn on the {room} lights", "turn on the lights in the {room}"]
SMALL_WORDS = {"of", "the", "a", "and", "in", "on"}


def fav_genre(user):
	"""The user's favourite genre: from the user id only, so that it is the
	same in every file (every N, SEED and P)."""
	return GENRES[random.Random("genre:" + user).randrange(len(GENRES))]


def drink_device(user):
	"""What the user starts after the alarm: from the user id only."""
	return "kettle" if random.Random("drink:" + user).random() < 0.25 else "coffee maker"


def title_name(t):
	ws = t.split()
	return " ".join(w if k and w in SMALL_WORDS else w.capitalize() for k, w in enumerate(ws))


def fill(template, **vals):
	"""Segments of template with {type} replaced by vals[type] as a slot."""
	segs, pos = [], 0
	for m in re.finditer(r"\{(\w+)\}", template):
		if m.start() > pos:
			segs.append([template[pos:m.start()], None, None])
		segs.append([vals[m.group(1)], m.group(1), None])
		pos = m.end()
	if pos < len(template):
		segs.append([template[pos:], None, None])
	return segs


def local_ts(r, tz, hours):
	"""Integer Unix seconds on a day of 2026 at a local hour (in tz) from hours."""
	from zoneinfo import ZoneInfo	# only for --context, so the default needs no tz data
	day = datetime.date(2026, 1, 1) + datetime.timedelta(days=r.randrange(365))
	local = datetime.datetime(day.year, day.month, day.day, r.choice(hours), r.randrange(60),
				  r.randrange(60), tzinfo=ZoneInfo(tz))
	return int(local.timestamp())


def local_hour(ts, tz):
	from zoneinfo import ZoneInfo
	return datetime.datetime.fromtimestamp(ts, ZoneInfo(tz)).hour


def oven_answer(r):
	t = r.choice(range(300, 475, 25))
	return r.choice(["The oven is at %d degrees." % t, "Your oven is set to %d degrees." % t,
			 "The oven is preheated to %d degrees." % t,
			 "The oven is at %d degrees and heating to %d." % (t - 75, t)])


def movie_answer(r, t):
	return r.choice(["Playing %s." % title_name(t), "Here's the movie %s." % title_name(t),
			 "Starting %s on this screen." % title_name(t)])


def audiobook_answer(r, t):
	return r.choice(["Playing the audiobook %s." % title_name(t),
			 "Resuming %s, chapter %d." % (title_name(t), r.randint(2, 24)),
			 "Here's %s, read by the author." % title_name(t),
			 "Starting the audiobook of %s." % title_name(t)])


def routine_answer(r, intent):
	if intent == "routine_morning":
		return r.choice(["Good morning. Starting your morning routine.",
				 "Good morning. It's %d degrees and %s." % (r.randint(30, 80), r.choice(CONDITIONS)),
				 "Starting your morning routine."])
	return r.choice(["Good night. Starting your bedtime routine.",
			 "Okay, dimming the lights. Good night.", "Starting your bedtime routine."])


def genre_answer(r, genre):
	return r.choice(["Playing %s music." % genre, "Here's a %s station." % genre,
			 "Playing a %s mix for you." % genre, "Okay, some %s." % genre])


def device_answer(r, dev):
	return r.choice(["Starting the %s." % dev, "Okay, turning on the %s." % dev,
			 "The %s is on." % dev])


class Context:
	"""The context dialogues.  Dialogue i of the file is one when the
	generator "ctx:SEED:i" draws below P; that generator then draws all of
	it, so the other dialogues stay as they are without --context."""

	def __init__(self, seed, n, p):
		self.seed, self.p = seed, p
		self.n_users = max(1, round(n / 8))
		# Habit and sequence dialogues come from a few heavy users, so that
		# each has several history turns.
		self.n_heavy = max(1, min(self.n_users, round(n * p / 100)))
		self.stats = {"dialogues": 0, "turns": 0, "fam_d": {}, "fam_t": {}, "dep": {},
			      "control": {}}

	def chosen(self, i):
		"""The generator of dialogue i when it is a context dialogue, else None."""
		if self.p <= 0:
			return None
		r = random.Random("ctx:%d:%d" % (self.seed, i))
		return r if r.random() < self.p else None

	@staticmethod
	def device(user, typ, room):
		return {"id": "%s-%s-%s" % (user, (room or "car").replace(" ", "-"), typ),
			"type": typ, "screen": typ in ("screen", "tv"), "room": room}

	def home_device(self, r, user, rooms=CTX_ROOMS, types=("speaker", "speaker", "screen")):
		return self.device(user, r.choice(types), r.choice(rooms))

	def screen_device(self, r, user):
		if r.random() < 0.5:
			return self.device(user, "tv", r.choice(["living room", "bedroom"]))
		return self.device(user, "screen", r.choice(["kitchen", "living room", "bedroom"]))

	def voice_device(self, r, user):
		if r.random() < 0.3:
			return self.device(user, "car", None)
		return self.device(user, "speaker", r.choice(CTX_ROOMS))

	def user(self, r, heavy=False):
		return "u%02d" % r.randint(1, self.n_heavy if heavy else self.n_users)

	@staticmethod
	def turn(segs, intent, response, family, depends_on, result, state=None, gap=0,
		 control_of=None):
		text, spans = render(segs)
		truth = {"family": family, "depends_on": depends_on, "result": result}
		if control_of:
			truth["control_of"] = control_of
		return {"text": text, "slots": spans, "intent": intent, "response": response,
			"truth": truth, "state": state, "gap": gap}

	# -- the families ---------------------------------------------------------

	def fam_device_state(self, r, tz, city):
		user = self.user(r)
		dev = self.home_device(r, user, rooms=["kitchen"], types=("speaker", "screen"))
		segs = fill(r.choice(OVEN_ASKS))
		if r.random() < 0.5:
			tn = self.turn(segs, "oven_temperature", oven_answer(r), "device_state",
				       "device_state", {}, state={"oven": "on"})
		else:
			state = {"oven": "off"} if r.random() < 0.65 else None
			tn = self.turn(segs, "get_weather", weather_answer(r, {}, city=city.title()),
				       "device_state", "device_state", {"city": city}, state=state)
		return user, dev, DAY_HOURS, [tn]

	def fam_device_type(self, r, tz, city):
		user = self.user(r)
		title = r.choice(TITLES)
		verb = r.choice(PLAY_VERBS)
		if r.random() < 0.5:
			dev = self.screen_device(r, user)
			tn = self.turn(fill(verb + " {movie_name}", movie_name=title), "play_movie",
				       movie_answer(r, title), "device_type", "device_type",
				       {"movie_name": title})
		else:
			dev = self.voice_device(r, user)
			tn = self.turn(fill(verb + " {book_name}", book_name=title), "play_audiobook",
				       audiobook_answer(r, title), "device_type", "device_type",
				       {"book_name": title})
		return user, dev, DAY_HOURS, [tn]

	def fam_hour(self, r, tz, city):
		user = self.user(r)
		dev = self.home_device(r, user, rooms=["bedroom", "kitchen", "living room"])
		intent, hours = r.choice([("routine_morning", MORNING_HOURS),
					  ("routine_bedtime", NIGHT_HOURS)])
		tn = self.turn(fill(r.choice(ROUTINE_ASKS)), intent, routine_answer(r, intent),
			       "hour", "hour", {})
		return user, dev, hours, [tn]

	def fam_habit(self, r, tz, city):
		user = self.user(r, heavy=True)
		fav = fav_genre(user)
		dev = r.choice([self.home_device, self.voice_device])(r, user)
		n = r.randint(1, 3)
		test = r.random() < 0.4
		turns = []
		for k in range(n):
			gap = int(math.exp(r.uniform(math.log(600), math.log(3600)))) if k else 0
			if test and k == n - 1:
				turns.append(self.turn(fill(r.choice(MUSIC_ASKS)), "play_music",
						       genre_answer(r, fav), "habit", "habit", {"genre": fav},
						       gap=gap))
				continue
			g = fav if r.random() < 0.9 else r.choice([x for x in GENRES if x != fav])
			turns.append(self.turn(fill(r.choice(GENRE_ASKS), genre=g), "play_music",
					       genre_answer(r, g), "habit", None, {"genre": g}, gap=gap))
		return user, dev, DAY_HOURS, turns

	def fam_sequence(self, r, tz, city):
		user = self.user(r, heavy=True)
		drink = drink_device(user)
		dev = self.home_device(r, user, rooms=["kitchen", "bedroom"])
		turns = [self.turn(fill(r.choice(ALARM_OFF)), "alarm_off",
				   r.choice(["Alarm off.", "Okay, alarm stopped. Good morning.",
					     "Good morning. Your alarm is off."]),
				   "sequence", None, {})]
		gap = r.randint(5, 60)
		if r.random() < 0.4:
			turns.append(self.turn(fill(r.choice(BREW_ASKS)), "device_on",
					       device_answer(r, drink), "sequence", "previous_intent",
					       {"device": drink}, gap=gap))
		else:
			turns.append(self.turn(fill(r.choice(DEVICE_ASKS), device=drink), "device_on",
					       device_answer(r, drink), "sequence", None,
					       {"device": drink}, gap=gap))
		return user, dev, ALARM_HOURS, turns

	def fam_location(self, r, tz, city):
		user = self.user(r)
		if r.random() < 0.5:
			dev = self.home_device(r, user)
			room = dev["room"]
			tn = self.turn(fill(r.choice(LIGHT_ASKS)), "lights_on",
				       lights_answer(r, {"room": V(room, room)}), "location", "device_room",
				       {"room": room})
			return user, dev, EVENING_HOURS, [tn]
		dev = r.choice([self.home_device, self.voice_device])(r, user)
		tn = self.turn(fill(r.choice(WEATHER_ASKS)), "get_weather",
			       weather_answer(r, {}, city=city.title()), "location", "location",
			       {"city": city})
		return user, dev, DAY_HOURS, [tn]

	def fam_control(self, r, tz, city):
		kind = r.choice(CONTROL_KINDS)
		heavy = kind == "habit"
		user = self.user(r, heavy=heavy)
		hours = DAY_HOURS
		state = None

		def tn(segs, intent, response, result):
			return self.turn(segs, intent, response, "control", None, result, state=state,
					 control_of=kind)

		if kind in ("device_state", "location"):
			other = r.choice([c for c in OTHER_CITIES if c != city])
			if kind == "device_state":
				dev = self.home_device(r, user, rooms=["kitchen"], types=("speaker", "screen"))
				state = {"oven": "on"}
				segs = fill(r.choice(CITY_TEMP_ASKS), city=other)
			else:
				dev = r.choice([self.home_device, self.voice_device])(r, user)
				segs = fill(r.choice(CITY_WEATHER_ASKS), city=other)
			t = tn(segs, "get_weather", weather_answer(r, {}, city=other.title()),
			       {"city": other})
		elif kind == "device_type":
			title = r.choice(TITLES)
			if r.random() < 0.5:
				dev = self.voice_device(r, user)
				t = tn(fill(r.choice(MOVIE_ASKS), movie_name=title), "play_movie",
				       r.choice(["Playing %s on the living room TV." % title_name(title),
						 "Sending %s to your TV." % title_name(title)]),
				       {"movie_name": title})
			else:
				dev = self.screen_device(r, user)
				t = tn(fill(r.choice(BOOK_ASKS), book_name=title), "play_audiobook",
				       audiobook_answer(r, title), {"book_name": title})
		elif kind == "hour":
			dev = self.home_device(r, user, rooms=["bedroom", "kitchen", "living room"])
			if r.random() < 0.5:
				intent, words, hours = "routine_morning", "start my morning routine", NIGHT_HOURS
			else:
				intent, words, hours = "routine_bedtime", "start my bedtime routine", MORNING_HOURS
			t = tn(fill(words), intent, routine_answer(r, intent), {})
		elif kind == "habit":
			fav = fav_genre(user)
			g = r.choice([x for x in GENRES if x != fav])
			dev = r.choice([self.home_device, self.voice_device])(r, user)
			t = tn(fill(r.choice(GENRE_ASKS), genre=g), "play_music", genre_answer(r, g),
			       {"genre": g})
		else:
			dev = self.home_device(r, user)
			room = r.choice([x for x in OTHER_ROOMS if x != dev["room"]])
			hours = EVENING_HOURS
			t = tn(fill(r.choice(ROOM_LIGHT_ASKS), room=room), "lights_on",
			       lights_answer(r, {"room": V(room, room)}), {"room": room})
		return user, dev, hours, [t]

	# -- a dialogue -----------------------------------------------------------

	def dialogue(self, i, r):
		fam = r.choices(CTX_FAMILIES, CTX_WEIGHTS)[0]
		tz = r.choices(TIMEZONES, TZ_WEIGHTS)[0]
		city = r.choice(TZ_CITIES[tz])
		user, dev, hours, specs = getattr(self, "fam_" + fam)(r, tz, city)
		ts = local_ts(r, tz, hours)
		turns, dlabels = [], []
		st = self.stats
		st["dialogues"] += 1
		st["fam_d"][fam] = st["fam_d"].get(fam, 0) + 1
		for g, sp in enumerate(specs, 1):
			ts += sp["gap"]
			text = sp["text"]
			assert text.isascii() and text == text.lower() and text.strip() == text, text
			for s in sp["slots"]:
				assert 0 <= s["start"] < s["end"] <= len(text)
			truth = sp["truth"]
			if truth["depends_on"] == "hour" or truth.get("control_of") == "hour":
				assert local_hour(ts, tz) in hours, (ts, tz, hours)
			tn = {
				"ts": ts,
				"text": text,
				"asr_confidence": conf(r.uniform(0.85, 0.99)),
				"nlu": {"domain": CTX_DOMAIN[sp["intent"]], "intent": sp["intent"],
					"confidence": conf(r.uniform(0.7, 0.99)),
					"slots": [dict(s) for s in sp["slots"]]},
				"response": sp["response"],
				"barge_in": False,
			}
			if sp["state"] is not None:
				tn["device_state"] = sp["state"]
			tn["labels"] = [{"kind": "goal", "value": g, "source": SOURCE},
					{"kind": "failure_point", "value": "correct", "source": SOURCE}]
			if g > 1:
				tn["labels"].append({"kind": "rephrase", "value": False, "source": SOURCE})
			tn["labels"] += [{"kind": "intent", "value": sp["intent"], "source": SOURCE},
					 {"kind": "slots", "value": [dict(s) for s in sp["slots"]],
					  "source": SOURCE}]
			tn["truth"] = truth
			turns.append(tn)
			dlabels.append({"kind": "goal_outcome", "value": {"goal": g, "outcome": "success"},
					"source": SOURCE})
			st["turns"] += 1
			st["fam_t"][fam] = st["fam_t"].get(fam, 0) + 1
			dep = truth["depends_on"]
			st["dep"][dep] = st["dep"].get(dep, 0) + 1
			if fam == "control":
				k = truth["control_of"]
				st["control"][k] = st["control"].get(k, 0) + 1
		return {"id": "syn-%06d" % (i + 1), "user": user, "device": dev,
			"context": {"timezone": tz, "location": city}, "turns": turns,
			"labels": dlabels}

	def summary(self, out):
		st = self.stats
		out.write("context dialogues %d, turns %d (--context %g)\n" % (
			st["dialogues"], st["turns"], self.p))
		out.write("context by family        dialogues   turns  share of turns\n")
		for f in CTX_FAMILIES:
			n = st["fam_t"].get(f, 0)
			out.write("  %-20s %11d %7d  %5.1f%%\n" % (
				f, st["fam_d"].get(f, 0), n, 100.0 * n / max(1, st["turns"])))
		out.write("context turns by depends_on\n")
		for d in DEPENDS:
			n = st["dep"].get(d, 0)
			out.write("  %-20s %7d  %5.1f%%\n" % (
				d or "null", n, 100.0 * n / max(1, st["turns"])))
		out.write("controls by the context they hold  %s\n" % ", ".join(
			"%s: %d" % (k, st["control"].get(k, 0)) for k in CONTROL_KINDS))


# ---------------------------------------------------------------------------
# The generator.

class Gen:
	def __init__(self, seed, n, mix, p_recover, keep_recovered):
		self.seed, self.n = seed, n
		self.mix = mix
		self.p_recover = p_recover
		self.keep_recovered = keep_recovered
		self.groups = {}
		for intent, ts in TEMPLATES.items():
			for t in ts:
				self.groups.setdefault((intent, slot_names(t)), []).append(t)
		for k, ts in self.groups.items():
			assert len(ts) >= 2, k
		self.n_users = max(1, round(n / 8))
		self.stats = {"goals": {}, "labels": {}, "outcomes": {}, "barge": [0, 0, 0, 0, 0, 0],
			      "turns_per_goal": {}, "turns": 0, "dialogues": 0}

	# -- goals --------------------------------------------------------------

	def pick_stage(self, r):
		stages = [s for s in STAGES if self.mix.get(s, 0) > 0]
		return r.choices(stages, [self.mix[s] for s in stages])[0]

	def new_goal(self, r, stage):
		for _ in range(1000):
			intent = r.choices(CONTENT_INTENTS, INTENT_WEIGHTS)[0]
			template = r.choice(TEMPLATES[intent])
			slots = slot_names(template)
			vals = {s: r.choice(VALUES[s]) for s in slots}
			if stage == "entity":
				cands = [s for s in slots if s != "artist" or "song" not in slots]
				cands = [s for s in cands if any(e["wrong"] for e in VALUES[s])]
				if not cands:
					continue
				s = r.choice(cands)
				vals[s] = r.choice([e for e in VALUES[s] if e["wrong"]])
			if "song" in vals and "artist" in vals:
				by = vals["song"]["by"]
				vals["artist"] = BY_V.get(("artist", by)) or V(by)
			goal = {"intent": intent, "template": template, "vals": vals}
			if self.feasible(expand(template, vals), goal, stage):
				return goal
		raise AssertionError("no goal for stage " + stage)

	def feasible(self, segs, goal, stage):
		if stage == "asr":
			return any(e and e["asr"] for _, _, e in segs) or any(
				w in WORD_ASR for words, typ, _ in segs if not typ for w in words.split())
		if stage == "entity":
			return any(typ and e and e["wrong"] and typ in goal["vals"] for _, typ, e in segs)
		return True

	def rephrase(self, r, goal, different):
		key = (goal["intent"], slot_names(goal["template"]))
		ts = [t for t in self.groups[key] if not different or t != goal["template"]]
		return r.choice(ts)

	# -- attempts -----------------------------------------------------------

	def attempt(self, r, goal, segs, stage):
		"""One turn trying goal with the words segs, failing at stage."""
		intent, vals = goal["intent"], goal["vals"]
		segs = [list(s) for s in segs]
		text, spans = render(segs)
		tn = {"text": text, "stage": stage, "attempt": True}
		if stage == "correct":
			tn.update(asr=r.uniform(0.8, 0.99), intent=intent, nc=r.uniform(0.7, 0.99),
				  slots=spans, response=answer(r, intent, vals))
		elif stage == "asr":
			slot_hits = [i for i, (_, typ, e) in enumerate(segs) if typ and e and e["asr"]]
			word_hits = []
			for i, (words, typ, _) in enumerate(segs):
				if not typ:
					ws = words.split(" ")
					word_hits += [(i, j) for j, w in enumerate(ws) if w in WORD_ASR]
			use_slot = slot_hits and (not word_hits or r.random() < 0.65)
			both = slot_hits and word_hits and r.random() < 0.25
			heard_slot = None
			if use_slot or both:
				i = r.choice(slot_hits)
				segs[i][0] = r.choice(segs[i][2]["asr"])
				heard_slot = (segs[i][1], segs[i][0])
			if not use_slot or both:
				i, j = r.choice(word_hits)
				ws = segs[i][0].split(" ")
				ws[j] = r.choice(WORD_ASR[ws[j]])
				segs[i][0] = " ".join(ws)
			text, spans = render(segs)
			tn["text"] = text
			tn["asr"] = r.uniform(0.35, 0.7)
			if use_slot:
				tn.update(intent=intent, nc=r.uniform(0.4, 0.85), slots=spans,
					  response=misheard_answer(r, intent, vals, *heard_slot))
			else:
				wi = r.choice(CONFUSIONS[intent])
				tn.update(intent=wi, nc=r.uniform(0.2, 0.6),
					  slots=spans if r.random() < 0.4 else [],
					  response=wrong_intent_answer(r, wi, text))
		elif stage == "nlu":
			wi = r.choice(CONFUSIONS[intent])
			tn.update(asr=r.uniform(0.8, 0.99), intent=wi, nc=r.uniform(0.3, 0.6),
				  slots=spans if r.random() < 0.5 else [],
				  response=wrong_intent_answer(r, wi, text))
		elif stage == "entity":
			typs = [typ for _, typ, e in segs if typ and e and e["wrong"] and typ in vals]
			typ = r.choice(typs)
			tn.update(asr=r.uniform(0.8, 0.99), intent=intent, nc=r.uniform(0.6, 0.95),
				  slots=spans, response=wrong_entity_answer(r, intent, vals, typ))
		elif stage == "result":
			tn.update(asr=r.uniform(0.8, 0.99), intent=intent, nc=r.uniform(0.7, 0.99),
				  slots=spans, response=result_answer(r, intent, vals))
		else:
			raise AssertionError(stage)
		return tn

	def next_words(self, r, goal, after):
		"""What the user says to retry goal after a failure at stage after."""
		if after == "entity":
			typs = [s for s, e in goal["vals"].items() if e["wrong"]]
			e = goal["vals"][r.choice(typs)]
			return expand(r.choice(e["fix"]), goal["vals"])
		if after == "asr":
			t = goal["template"] if r.random() < 0.6 else self.rephrase(r, goal, True)
			p = r.random()
			segs = expand(t, goal["vals"])
			if p < 0.25:
				segs.insert(0, [r.choice(RETRY_PREFIX), None, None])
			return segs
		if after == "nlu":
			segs = expand(self.rephrase(r, goal, True), goal["vals"])
		else:
			t = goal["template"] if r.random() < 0.5 else self.rephrase(r, goal, True)
			segs = expand(t, goal["vals"])
		if r.random() < 0.2:
			segs.insert(0, [r.choice(RETRY_PREFIX), None, None])
		return segs

	def second_stage(self, r, goal, first, segs):
		stage = first
		if r.random() >= 0.75:
			stage = r.choice(["asr", "nlu", "entity", "result"])
		for s in (stage, first, "result"):
			if self.feasible(segs, goal, s):
				return s
		return "result"

	def small_turn(self, r, words, intent, response, misheard=None, stage="correct"):
		tn = {"text": words, "stage": stage, "asr": r.uniform(0.8, 0.99), "intent": intent,
		      "nc": r.uniform(0.6, 0.97), "slots": [], "response": response}
		if misheard:
			tn.update(text=misheard, stage="asr", asr=r.uniform(0.35, 0.7), intent="none",
				  nc=r.uniform(0.2, 0.5), response=wrong_intent_answer(r, "none", misheard))
		return tn

	def quit_turn(self, r, choices):
		w = r.choice(choices)
		mis = None
		if w in QUIT_ASR and r.random() < 0.06:
			mis = r.choice(QUIT_ASR[w])
		return self.small_turn(r, w, "general_stop", r.choice(["", "Okay.", "Sorry about that.", "Okay, never mind."]), mis)

	def negate_turn(self, r):
		return self.small_turn(r, r.choice(NEGATE), "general_negate",
				       r.choice(["Sorry about that.", "Sorry, what would you like?",
						 "My mistake.", "Okay.", "Sorry, can you say that again?"]))

	def closing_turn(self, r, goal):
		if goal["intent"] in ("get_news", "play_music") and r.random() < 0.5:
			tn = self.small_turn(r, r.choice(STOP_CONTENT), "general_stop", "")
		else:
			tn = self.small_turn(r, r.choice(THANKS), "general_thanks",
					     r.choice(["You're welcome.", "Anytime.", "Happy to help.", ""]))
		tn["closing"] = True
		return tn

	# -- a goal's turns ------------------------------------------------------

	@staticmethod
	def retry(tn, turns):
		"""Mark tn as restating the turn before it when that turn was an
		attempt at the same request (not a "no" or "stop" turn)."""
		tn["restates"] = bool(turns) and turns[-1].get("attempt", False)
		return tn

	def goal_turns(self, r):
		"""(turns, first stage, recovered or None, outcome).  Each turn is a
		dict with its words, live NLU, response, the stage it failed at
		("stage") and its label ("label")."""
		stage = self.pick_stage(r)
		if stage == "false_wake":
			words, hint = r.choice(FALSE_WAKES)
			intent = hint if hint and r.random() < 0.6 else r.choice(CONTENT_INTENTS + ["none"] * 3)
			response = r.choice(["Sorry, I didn't get that.", "Sorry, I'm not sure about that.",
					     wrong_intent_answer(r, intent, words)])
			tn = {"text": words, "stage": "false_wake", "asr": r.uniform(0.2, 0.6),
			      "intent": intent, "nc": r.uniform(0.1, 0.45), "slots": [], "response": response}
			turns = [tn]
			if r.random() < 0.45:
				turns.append(self.quit_turn(r, FW_QUIT))
			for t in turns:
				t["label"] = t["stage"]
			return turns, stage, None, "failure"

		goal = self.new_goal(r, stage)
		segs = expand(goal["template"], goal["vals"])
		if stage == "correct":
			turns = []
			if goal["intent"] in CLARIFY and r.random() < P_CLARIFY:
				asks, questions, answers = CLARIFY[goal["intent"]]
				q = r.choice(questions)
				turns.append(self.small_turn(r, r.choice(asks), goal["intent"], q))
				turns[-1]["nc"] = r.uniform(0.7, 0.99)
				segs = expand(r.choice(answers), goal["vals"])
			turns.append(self.attempt(r, goal, segs, "correct"))
			if r.random() < P_CLOSING:
				turns.append(self.closing_turn(r, goal))
			for t in turns:
				t["label"] = t["stage"]
			return turns, stage, None, "success"

		recovered = r.random() < self.p_recover
		turns = [self.attempt(r, goal, segs, stage)]
		last = stage
		if recovered:
			if last in ("nlu", "entity", "result") and r.random() < 0.2:
				turns.append(self.negate_turn(r))
			if r.random() < 0.2:
				segs = self.next_words(r, goal, last)
				s2 = self.second_stage(r, goal, last, segs)
				turns.append(self.retry(self.attempt(r, goal, segs, s2), turns))
				last = s2
			turns.append(self.retry(self.attempt(r, goal, self.next_words(r, goal, last), "correct"),
						turns))
			if len(turns) < 4 and r.random() < P_CLOSING / 2:
				turns.append(self.closing_turn(r, goal))
			for t in turns:
				t["label"] = t["stage"] if self.keep_recovered else "correct"
			return turns, stage, True, "success"

		p = r.random()
		if p < 0.35:
			segs = self.next_words(r, goal, last)
			s2 = self.second_stage(r, goal, last, segs)
			turns.append(self.retry(self.attempt(r, goal, segs, s2), turns))
			q = r.random()
			if q < 0.3:
				turns.append(self.quit_turn(r, QUIT))
			elif q < 0.45 and s2 in ("nlu", "entity", "result"):
				turns.append(self.negate_turn(r))
		elif p < 0.55 and last in ("nlu", "entity", "result"):
			turns.append(self.negate_turn(r))
			if r.random() < 0.25:
				turns.append(self.quit_turn(r, QUIT))
		elif p < 0.75:
			turns.append(self.quit_turn(r, QUIT))
		for t in turns:
			t["label"] = t["stage"]
		return turns, stage, False, "failure"

	# -- a dialogue ---------------------------------------------------------

	def start_ts(self, r):
		day = datetime.date(2026, 1, 1) + datetime.timedelta(days=r.randrange(365))
		dst = datetime.date(2026, 3, 8) <= day < datetime.date(2026, 11, 1)
		hour = r.choice([7, 8, 9, 11, 12, 13, 16, 17, 18, 18, 19, 19, 20, 21, 22])
		local = datetime.datetime(day.year, day.month, day.day, hour, r.randrange(60),
					  r.randrange(60), tzinfo=datetime.timezone.utc)
		return int(local.timestamp()) + (7 if dst else 8) * 3600

	def dialogue(self, i):
		r = random.Random("%d:%d" % (self.seed, i))
		user = "u%02d" % r.randint(1, self.n_users)
		dtype = r.choice(["speaker", "speaker", "screen", "car"])
		n_goals = r.choices([1, 2, 3], [50, 32, 18])[0]
		ts = self.start_ts(r)
		turns, dlabels = [], []
		prev = None
		st = self.stats
		for g in range(1, n_goals + 1):
			gturns, first, recovered, outcome = self.goal_turns(r)
			assert 1 <= len(gturns) <= 4
			key = (first, recovered)
			st["goals"][key] = st["goals"].get(key, 0) + 1
			st["outcomes"][outcome] = st["outcomes"].get(outcome, 0) + 1
			st["turns_per_goal"][len(gturns)] = st["turns_per_goal"].get(len(gturns), 0) + 1
			for k, tn in enumerate(gturns):
				if prev is None:
					pass
				elif k == 0:
					ts += int(math.exp(r.uniform(math.log(8), math.log(900))))
				else:
					if prev["stage"] != "correct":
						p = P_BARGE_FAILED
					elif tn.get("closing"):
						p = P_BARGE_CLOSING
					else:
						p = P_BARGE_OTHER
					barge = r.random() < p
					k_ok = 0 if prev["stage"] != "correct" else 2
					st["barge"][4 + k_ok // 2] += 1
					st["barge"][1 + k_ok] += barge
					said = speak_seconds(prev["response"])
					hi = 12 if prev["stage"] == "asr" else 45
					turns[-1]["barge_in"] = barge
					if barge:
						gap = 3 + int(said * r.uniform(0.1, 0.6))
					else:
						gap = math.ceil(said) + r.randint(1, 20)
					ts += max(3, min(hi, gap))
				prev = tn
				st["barge"][0 if tn["stage"] != "correct" else 2] += 1
				st["labels"][tn["label"]] = st["labels"].get(tn["label"], 0) + 1
				text = tn["text"]
				assert text.isascii() and text == text.lower() and text.strip() == text, text
				for s in tn["slots"]:
					assert 0 <= s["start"] < s["end"] <= len(text)
				turns.append({
					"ts": ts,
					"text": text,
					"asr_confidence": conf(tn["asr"]),
					"nlu": {"domain": DOMAIN[tn["intent"]], "intent": tn["intent"],
						"confidence": conf(tn["nc"]), "slots": tn["slots"]},
					"response": tn["response"],
					"barge_in": False,
					"labels": [
						{"kind": "goal", "value": g, "source": SOURCE},
						{"kind": "failure_point", "value": tn["label"], "source": SOURCE},
					],
				})
				if len(turns) > 1:
					turns[-1]["labels"].append({"kind": "rephrase", "source": SOURCE,
								    "value": tn.get("restates", False)})
			dlabels.append({"kind": "goal_outcome", "value": {"goal": g, "outcome": outcome},
					"source": SOURCE})
		st["turns"] += len(turns)
		st["dialogues"] += 1
		return {"id": "syn-%06d" % (i + 1), "user": user, "device": {"type": dtype},
			"context": {"timezone": "America/Los_Angeles"}, "turns": turns,
			"labels": dlabels}

	def summary(self, out):
		st = self.stats
		goals = sum(st["goals"].values())
		out.write("dialogues %d, goals %d, turns %d\n" % (st["dialogues"], goals, st["turns"]))
		out.write("goals by first stage     goals   share  recovered  not recovered\n")
		for s in STAGES:
			rec = st["goals"].get((s, True), 0)
			nrec = st["goals"].get((s, False), 0)
			tot = rec + nrec + st["goals"].get((s, None), 0)
			out.write("  %-20s %7d  %5.1f%%  %9s  %13s\n" % (
				s, tot, 100.0 * tot / max(1, goals),
				rec if s not in ("correct", "false_wake") else "-",
				nrec if s not in ("correct", "false_wake") else "-"))
		out.write("turns by failure_point label\n")
		for s in STAGES:
			n = st["labels"].get(s, 0)
			out.write("  %-20s %7d  %5.1f%%\n" % (s, n, 100.0 * n / max(1, st["turns"])))
		out.write("goal outcomes\n")
		for k in ("success", "failure"):
			n = st["outcomes"].get(k, 0)
			out.write("  %-20s %7d  %5.1f%%\n" % (k, n, 100.0 * n / max(1, goals)))
		out.write("turns per goal          %s\n" % ", ".join(
			"%d: %d" % (k, v) for k, v in sorted(st["turns_per_goal"].items())))
		b = st["barge"]
		out.write("responses barged in on (failed/correct as the turn went at the time):\n")
		for name, k in (("failed", 0), ("correct", 2)):
			out.write("  %-8s %4d of %5d turns (%4.1f%%), of %5d followed in the goal (%4.1f%%)\n" % (
				name, b[k + 1], b[k], 100.0 * b[k + 1] / max(1, b[k]),
				b[4 + k // 2], 100.0 * b[k + 1] / max(1, b[4 + k // 2])))


def parse_mix(s):
	mix = dict(DEFAULT_MIX)
	for part in s.split(","):
		if not part:
			continue
		k, _, v = part.partition("=")
		if k not in STAGES:
			raise argparse.ArgumentTypeError("unknown stage '%s'" % k)
		try:
			mix[k] = float(v)
		except ValueError:
			raise argparse.ArgumentTypeError("bad weight '%s'" % part)
		if mix[k] < 0:
			raise argparse.ArgumentTypeError("negative weight '%s'" % part)
	if sum(mix.values()) <= 0:
		raise argparse.ArgumentTypeError("all weights are zero")
	return mix


def main():
	ap = argparse.ArgumentParser(description="Write synthetic dialab dialogues to stdout.")
	ap.add_argument("n", type=int, help="number of dialogues")
	ap.add_argument("seed", type=int, help="random seed")
	ap.add_argument("--summary", action="store_true",
			help="print the counts per stage and recovery to stderr")
	ap.add_argument("--mix", type=parse_mix, default=dict(DEFAULT_MIX),
			help="stage weights, e.g. correct=45,false_wake=10,asr=14 (others keep their default)")
	ap.add_argument("--recover", type=float, default=P_RECOVER,
			help="probability that a failed goal recovers (default %(default)s)")
	ap.add_argument("--keep-recovered", action="store_true",
			help="keep the failure stage on turns of recovered goals instead of correct")
	ap.add_argument("--context", type=float, default=0, metavar="P",
			help="share of context dialogues, requests whose answer depends on the context,"
			" with the answer in each turn's truth (default %(default)s)")
	a = ap.parse_args()
	if a.n < 0:
		ap.error("N must be >= 0")
	if not 0 <= a.recover <= 1:
		ap.error("--recover must be in [0, 1]")
	if not 0 <= a.context <= 1:
		ap.error("--context must be in [0, 1]")
	gen = Gen(a.seed, a.n, a.mix, a.recover, a.keep_recovered)
	ctx = Context(a.seed, a.n, a.context)
	out = sys.stdout
	for i in range(a.n):
		r = ctx.chosen(i)
		d = ctx.dialogue(i, r) if r else gen.dialogue(i)
		out.write(json.dumps(d, separators=(",", ":")) + "\n")
	out.flush()
	if a.summary:
		gen.summary(sys.stderr)
		if a.context > 0:
			ctx.summary(sys.stderr)


if __name__ == "__main__":
	main()
