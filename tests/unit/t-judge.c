/* The evidence of turns: rephrase score, weak labels, gold slot parsing and the split. */
#include "dialab/dataset.h"
#include "dialab/judge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static struct st_turn
turn(int idx, const char *text, const char *nlu, const char *response, const char *ts)
{
	struct st_turn t;

	memset(&t, 0, sizeof(t));
	t.idx = idx;
	t.text = text;
	t.nlu = nlu;
	t.response = response;
	t.ts_json = ts;
	t.barge_in = -1;
	return t;
}

/* Crafted rephrase pairs with known corrections: which are mishearings, and what was said. */
static void
test_repair(void)
{
	static const struct {
		const char *a, *b;
		double asr;
		const char *want;	/* NULL: no repair */
	} pairs[] = {
		{ "play maj and dragons", "play imagine dragons", 0.52, "play imagine dragons" },
		{ "what's the whether in boston", "what's the weather in boston", 0.6,
		  "what's the weather in boston" },
		{ "Play the Beetles please", "play the beatles please", 0.55, "Play the beatles please" },
		{ "call mam", "call mom", -1, "call mom" },
		{ "play maj and dragons", "no play imagine dragons", 0.58, "play imagine dragons" },
		{ "play my road trip playlist", "play road trip mix", 0.9, NULL },
		{ "turn on the big light", "turn on the garage light", 0.9, NULL },
		{ "turn the heat up", "set the thermostat higher", 0.9, NULL },
		{ "play jazz", "play jazz", 0.5, NULL },
		{ "play dragons", "play imagine dragons", 0.5, NULL },
		{ "play some music", "what's the weather", 0.4, NULL },
		{ "", "play jazz", 0.4, NULL },
	};
	struct strbuf out;
	size_t i;
	double c, lo, hi;

	sb_init(&out);
	for (i = 0; i < sizeof(pairs) / sizeof(*pairs); i++) {
		c = judge_asr_repair(pairs[i].a, pairs[i].b, pairs[i].asr, &out);
		if (pairs[i].want)
			ok(c > 0 && c <= 1 && out.buf && !strcmp(out.buf, pairs[i].want),
			   "\"%s\" then \"%s\": heard wrong, said \"%s\" (%.2f, got \"%s\")",
			   pairs[i].a, pairs[i].b, pairs[i].want, c, out.buf ? out.buf : "");
		else
			ok(c == 0 && !out.len, "\"%s\" then \"%s\": no repair of the words (%.2f)",
			   pairs[i].a, pairs[i].b, c);
	}
	lo = judge_asr_repair("play maj and dragons", "play imagine dragons", 0.97, &out);
	hi = judge_asr_repair("play maj and dragons", "play imagine dragons", 0.4, &out);
	ok(lo < hi, "a confident recogniser makes the repair less sure (%.2f < %.2f)", lo, hi);
	sb_release(&out);
}

int
main(void)
{
	struct ds_names types = { 0 };
	struct slot_span *sp;
	struct jd_turn jt[3];
	struct st_turn st[3];
	struct jd_weak w;
	struct strbuf f;
	long n;
	int i, dev;

	/* Rephrase score: max(Jaccard of words, Dice of character trigrams). */
	ok(fabs(judge_rephrase("play jazz", "play jazz") - 1) < 1e-9, "the same words score 1");
	ok(judge_rephrase("what time is it", "turn on the lights") < 0.2, "unrelated requests score low");
	/* {play, imagine, dragons} vs {play, maj, and, dragons}: 2 of 5 words shared. */
	ok(judge_rephrase("play imagine dragons", "play maj and dragons") >= 0.4,
	   "a mishearing restated scores at least the word overlap");
	/* Words {a,b} and {b,c}: Jaccard 1/3; trigrams "a b" and "b c": Dice 0. */
	ok(fabs(judge_rephrase("a b", "b c") - 1.0 / 3) < 1e-9, "Jaccard of {a,b} and {b,c} is 1/3");
	ok(judge_rephrase("", "") == 0 && judge_rephrase(NULL, "x") == 0, "empty and NULL score 0");

	/* Negation: whole words and phrases, never pieces of a word. */
	ok(judge_negates("stop"), "'stop' negates");
	ok(judge_negates("Stop!"), "'Stop!' negates, whatever the case and punctuation");
	ok(!judge_negates("start the stopwatch"), "'stopwatch' does not contain 'stop'");
	ok(!judge_negates("do you know the score"), "'know' does not contain 'no'");
	ok(!judge_negates("nothing else thanks"), "'nothing' does not start with 'no'");
	ok(!judge_negates("play nocturnes by chopin"), "nor does 'nocturnes'");
	ok(judge_negates("that's not what i asked"), "'that's not what i asked' negates");
	ok(judge_negates("That\xe2\x80\x99s not what I asked"), "with a curly apostrophe too");
	ok(judge_negates("no that's wrong"), "'no that's wrong' negates");
	ok(judge_negates("No."), "a bare 'No.' negates");
	ok(judge_negates("ok no, the other one"), "'no,' inside a turn negates");
	ok(!judge_negates("play the piano, please"), "'piano,' is not 'no,'");
	ok(!judge_negates("set an alarm for no reason"), "'no' inside a turn without a comma does not");
	ok(!judge_negates("cancellation policy"), "'cancellation' does not contain 'cancel'");
	ok(judge_negates("please cancel"), "'cancel' does");
	ok(!judge_negates("play wrongful by dj"), "'wrongful' is not 'wrong'");
	ok(!judge_negates("hi said the dog"), "'hi said' is not 'i said'");
	ok(judge_negates("I said the kitchen lights"), "'I said' negates");
	ok(judge_negates("never mind"), "'never mind' negates");
	ok(!judge_negates("") && !judge_negates(NULL), "empty and NULL do not negate");

	/* A failed turn restated by one that worked inherits its interpretation. */
	st[0] = turn(0, "play maj and dragons", "{\"intent\":\"play_radio\",\"confidence\":0.4,\"slots\":[]}",
		     "Sorry, I can't find that station.", "100");
	st[1] = turn(1, "play imagine dragons",
		     "{\"intent\":\"play_music\",\"confidence\":0.9,\"slots\":[{\"type\":\"artist\",\"start\":5,\"end\":20}]}",
		     "Playing Imagine Dragons.", "108");
	st[2] = turn(2, "thanks", "{\"intent\":\"general_thanks\",\"confidence\":0.95}", "You're welcome.", "300");
	for (i = 0; i < 3; i++)
		judge_turn(&jt[i], &st[i]);
	ok(jt[0].asr < 0 && jt[0].nlu_conf == 0.4 && !strcmp(jt[0].intent, "play_radio") &&
	   jt[1].ts == 108, "judge_turn reads the live NLU and the time");
	is_int(jt[1].echo, 2, "the response names every slot value the user said");
	sb_init(&w.slots);
	ok(judge_weak(st, jt, 3, 0, &w) && !strcmp(w.signal, "rephrase") &&
	   !strcmp(w.intent, "play_music"), "the failed turn takes the rephrase's intent");
	/* "imagine dragons" is not in "play maj and dragons": the slots are left out. */
	ok(!w.has_slots, "slots whose words are not in the failed turn are left out");
	ok(fabs(w.confidence - 0.9 * judge_rephrase(st[0].text, st[1].text)) < 1e-9,
	   "its confidence is the rephrase's NLU confidence times the rephrase score");
	ok(judge_weak(st, jt, 3, 1, &w) && !strcmp(w.signal, "success") && w.has_slots &&
	   !strcmp(w.slots.buf, "[{\"type\":\"artist\",\"start\":5,\"end\":20}]"),
	   "the turn that worked keeps its own intent and slots");
	sb_release(&w.slots);

	/* Evidence tokens are single words of the tokenizer. */
	sb_init(&f);
	judge_features(jt, 3, 0, 0, JD_FPI, &f);
	ok(strstr(f.buf, " resp_err") && strstr(f.buf, " n_reph_r") && !strchr(f.buf, '='),
	   "the failure-point evidence of turn 0 names the error prompt and the rephrase");
	sb_reset(&f);
	judge_features(jt, 3, 2, 1, JD_BOUNDARY, &f);
	ok(strstr(f.buf, " gap_g2") && strstr(f.buf, " ichg_1") && strstr(f.buf, " prev_1"),
	   "the boundary evidence of turn 2: a long gap, a new intent, the previous tag");
	/* The rephrase detector's evidence: turn 1 against turn 0, 8 s later. */
	sb_reset(&f);
	judge_features(jt, 3, 1, 0, JD_REPHRASE, &f);
	ok(strstr(f.buf, " gap_1 ") && strstr(f.buf, " p_resp_err ") && strstr(f.buf, " si_0 ") &&
	   strstr(f.buf, " len_s1 "), "rephrase evidence: the gap, the failed turn before, another intent, a shorter turn");
	/* {play, maj, and, dragons} to {play, imagine, dragons}: 2 edits over 4 words. */
	ok(strstr(f.buf, " edit_2 ") && strstr(f.buf, " jac_2 "),
	   "the word edit distance and the word overlap, binned");
	sb_reset(&f);
	jt[1].text = "play maj and dragons";
	judge_features(jt, 3, 1, 0, JD_REPHRASE, &f);
	ok(strstr(f.buf, " edit_5 ") && strstr(f.buf, " jac_5 ") && strstr(f.buf, " dice_5 "),
	   "the same words again are in the top bins");
	jt[1].text = st[1].text;
	jt[1].reph_prev = jt[2].reph_prev = 0.7;
	jd_rephrase_fill(NULL, jt, 3);
	ok(jt[1].reph_prev < 0 && jt[2].reph_prev < 0,
	   "with no detector the turns go back to the fixed score");
	sb_release(&f);

	/* Gold slots: code points, sorted, no overlap. */
	n = dataset_parse_slots("[{\"type\":\"b\",\"start\":4,\"end\":5},{\"type\":\"a\",\"start\":0,\"end\":3}]",
				"caf\xc3\xa9 x", &types, &sp);
	ok(n == 2 && sp[0].start == 0 && sp[1].start == 4 && sp[1].end == 5,
	   "spans are read in code points and sorted");
	free(sp);
	ok(dataset_parse_slots("[{\"type\":\"a\",\"start\":0,\"end\":3},{\"type\":\"a\",\"start\":2,\"end\":4}]",
			       "abcdef", &types, &sp) < 0, "overlapping spans are refused");
	ok(dataset_parse_slots("[{\"type\":\"a\",\"start\":0,\"end\":9}]", "abc", &types, &sp) < 0,
	   "a span past the text is refused");
	ok(dataset_parse_slots("{\"type\":\"a\"}", "abc", &types, &sp) < 0, "a non-array is refused");
	ds_names_release(&types);

	/* The held-out split: stable, and about the share asked for. */
	for (i = dev = 0; i < 10000; i++) {
		char id[32];

		snprintf(id, sizeof(id), "d-%05d", i);
		dev += dataset_is_dev(id, 0.2, 7);
	}
	ok(dev > 1800 && dev < 2200, "a 0.2 split holds out about 20%% of 10000 ids");
	ok(dataset_is_dev("x", 0.2, 7) == dataset_is_dev("x", 0.2, 7) && !dataset_is_dev("x", 0, 7),
	   "the same id and seed give the same answer; a 0 split holds out nothing");
	test_repair();
	return done_testing();
}
