/* The intent classifier: accuracy on held-out turns, determinism, blobs. */
#include "dialab/intent.h"

#include <math.h>
#include <stdlib.h>

#include "dialab/blob.h"
#include "tap.h"

static const char *const classes[] = {
	"play_music", "get_weather", "set_alarm", "greet",
};

enum { PLAY, WEATHER, ALARM, GREET };

static const struct intent_example train[] = {
	{ "play Beyoncé", PLAY, NULL },
	{ "play some music by Adele", PLAY, NULL },
	{ "put on Metallica please", PLAY, NULL },
	{ "i want to hear Björk", PLAY, NULL },
	{ "play Daft Punk", PLAY, NULL },
	{ "can you play Sigur Rós", PLAY, NULL },
	{ "🎵 play Rihanna 🎵", PLAY, NULL },
	{ "play Mötley Crüe loud", PLAY, NULL },
	{ "listen to Shakira", PLAY, NULL },
	{ "put on some Miles Davis", PLAY, NULL },
	{ "play the new album by Queen", PLAY, NULL },
	{ "what's the weather in Paris", WEATHER, NULL },
	{ "weather in München tomorrow", WEATHER, NULL },
	{ "is it going to rain in London", WEATHER, NULL },
	{ "how cold is it in Zürich", WEATHER, NULL },
	{ "forecast for New York", WEATHER, NULL },
	{ "will it snow in Oslo ❄️", WEATHER, NULL },
	{ "what is the temperature in São Paulo", WEATHER, NULL },
	{ "weather for Tokyo please", WEATHER, NULL },
	{ "is it sunny in Madrid", WEATHER, NULL },
	{ "how hot will it be in Cairo", WEATHER, NULL },
	{ "wake me up at 7 am", ALARM, NULL },
	{ "set an alarm for 6:30", ALARM, NULL },
	{ "set alarm at 8 pm", ALARM, NULL },
	{ "alarm for 5:45 tomorrow", ALARM, NULL },
	{ "wake me at 9 ⏰", ALARM, NULL },
	{ "set an alarm for 7:15 am", ALARM, NULL },
	{ "please wake me up at 10", ALARM, NULL },
	{ "i need an alarm at 4 pm", ALARM, NULL },
	{ "set a wake up alarm for 11:00", ALARM, NULL },
	{ "hello there", GREET, NULL },
	{ "hi", GREET, NULL },
	{ "good morning 😊", GREET, NULL },
	{ "hey how are you", GREET, NULL },
	{ "hello", GREET, NULL },
	{ "hi there friend", GREET, NULL },
	{ "good evening", GREET, NULL },
};

static const struct intent_example held_out[] = {
	{ "play Shakira please", PLAY, NULL },
	{ "🎶 play Daft Punk", PLAY, NULL },
	{ "put on Beyoncé", PLAY, NULL },
	{ "weather in Paris tomorrow", WEATHER, NULL },
	{ "is it going to rain in Zürich", WEATHER, NULL },
	{ "how cold is it in Tokyo", WEATHER, NULL },
	{ "wake me up at 6 am", ALARM, NULL },
	{ "set an alarm for 9:30", ALARM, NULL },
	{ "hello friend", GREET, NULL },
	{ "good morning", GREET, NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct intent_model *
fit(uint64_t seed, struct dl_error *err)
{
	struct intent_params p;

	intent_params_init(&p);
	p.seed = seed;
	return intent_train(train, N(train), classes, N(classes), &p, err);
}

/* Do a and b give the same top-k lists for every held-out text? */
static int
same_predictions(const struct intent_model *a, const struct intent_model *b)
{
	struct intent_candidate ca[4], cb[4];
	size_t i, j, na, nb;

	for (i = 0; i < N(held_out); i++) {
		na = intent_predict(a, held_out[i].text, ca, 4);
		nb = intent_predict(b, held_out[i].text, cb, 4);
		if (na != nb)
			return 0;
		for (j = 0; j < na; j++)
			if (ca[j].id != cb[j].id || ca[j].confidence != cb[j].confidence)
				return 0;
	}
	return 1;
}

/*
 * The same words, two answers: with the oven on "what is the temperature"
 * is the oven's; otherwise the weather.  And a control that must not move.
 */
static void
test_context(void)
{
	static const char *const cls[] = { "oven_temperature", "get_weather", "play_music" };
	static const char oven_on[] = "state:oven=on\0device=speaker\0";
	static const char oven_off[] = "state:oven=off\0device=speaker\0";
	static const char *const said[] = { "what is the temperature", "what's the temperature",
					    "how hot is it", "what temperature is it" };
	struct intent_example ex[40], blind[40];
	struct intent_candidate top[3];
	struct intent_model *m, *b;
	struct strbuf s1, s2;
	struct dl_error err;
	size_t i, n = 0, right_on = 0, right_off = 0, masked = 0, blind_same = 0;

	for (i = 0; i < 8; i++) {
		ex[n++] = (struct intent_example){ said[i % 4], 0, oven_on };
		ex[n++] = (struct intent_example){ said[i % 4], 1, oven_off };
		ex[n++] = (struct intent_example){ i % 2 ? "what's the weather in boston" :
						   "is it going to rain", 1, oven_on };
		ex[n++] = (struct intent_example){ i % 2 ? "play some jazz" : "play music", 2,
						   i % 2 ? oven_on : NULL };
	}
	m = intent_train(ex, n, cls, 3, NULL, &err);
	ok(m != NULL, "trains on utterances with context");
	for (i = 0; i < 4; i++) {
		intent_predict_ctx(m, said[i], oven_on, top, 1);
		right_on += top[0].id == 0;
		intent_predict_ctx(m, said[i], oven_off, top, 1);
		right_off += top[0].id == 1;
		intent_predict(m, said[i], top, 3);
		masked += top[0].confidence < 0.75;
	}
	is_int(right_on, 4, "the oven on: the oven's temperature, every phrasing");
	is_int(right_off, 4, "the oven off: the weather");
	is_int(masked, 4, "the context masked, the model is unsure between the two");
	intent_predict_ctx(m, "what's the weather in boston", oven_on, top, 1);
	is_str(top[0].name, "get_weather", "the weather in a city is the weather, oven on or not");
	intent_predict_ctx(m, "play some jazz", "state:oven=on\0", top, 1);
	is_str(top[0].name, "play_music", "and music stays music");

	/* A model trained without context ignores it when given one. */
	for (i = 0; i < n; i++)
		blind[i] = (struct intent_example){ ex[i].text, ex[i].label, NULL };
	b = intent_train(blind, n, cls, 3, NULL, &err);
	for (i = 0; i < 4; i++) {
		struct intent_candidate a, c;

		intent_predict(b, said[i], &a, 1);
		intent_predict_ctx(b, said[i], oven_on, &c, 1);
		blind_same += a.id == c.id && a.confidence == c.confidence;
	}
	is_int(blind_same, 4, "a context-blind model gives the same answer with a context");
	/* and an empty context trains the very model no context does */
	for (i = 0; i < n; i++)
		blind[i].ctx = i % 2 ? "" : NULL;
	sb_init(&s1);
	sb_init(&s2);
	intent_save(b, &s1);
	intent_free(b);
	b = intent_train(blind, n, cls, 3, NULL, &err);
	intent_save(b, &s2);
	ok(s1.len == s2.len && !memcmp(s1.buf, s2.buf, s1.len),
	   "an empty context list trains the same bytes as none");
	sb_release(&s1);
	sb_release(&s2);
	intent_free(b);
	intent_free(m);
}

int
main(void)
{
	struct intent_model *m, *m2, *m3;
	struct intent_candidate top[8];
	struct intent_params p;
	struct dl_error err;
	struct strbuf b1, b2, b3;
	size_t i, n, good = 0, bad_loads = 0, tries = 0, loaded = 0, sane = 0;
	double sum;
	int sorted;

	m = fit(42, &err);
	ok(m != NULL, "trains on 37 utterances");
	for (i = 0; i < N(held_out); i++) {
		intent_predict(m, held_out[i].text, top, 1);
		good += top[0].id == held_out[i].label;
	}
	is_int(good, N(held_out), "held-out accuracy 10/10");
	intent_predict(m, "🎶 play Daft Punk", top, 1);
	is_str(top[0].name, "play_music", "an emoji and a name: play_music");
	ok(top[0].confidence > 0.5, "with confidence above 0.5");

	n = intent_predict(m, "hello", top, 8);
	is_int(n, 4, "k larger than the classes gives every class");
	sum = 0;
	sorted = 1;
	for (i = 0; i < n; i++) {
		sum += top[i].confidence;
		if (i && top[i].confidence > top[i - 1].confidence)
			sorted = 0;
	}
	ok(fabs(sum - 1) < 1e-9, "their confidences sum to 1");
	ok(sorted, "best first");
	is_int(intent_predict(m, "hello", top, 0), 0, "k = 0 writes nothing");
	is_int(intent_predict(m, "", top, 2), 2, "an empty text still gets classes");
	is_int(intent_predict(m, "\xff\xfe", top, 1), 1, "so does ill-formed UTF-8");
	is_int(intent_nclasses(m), 4, "four classes");
	is_str(intent_class_name(m, 2), "set_alarm", "names by index");
	ok(intent_class_name(m, 4) == NULL, "NULL past the end");

	/* Determinism and blobs. */
	sb_init(&b1);
	sb_init(&b2);
	sb_init(&b3);
	intent_save(m, &b1);
	m2 = fit(42, &err);
	intent_save(m2, &b2);
	ok(b1.len == b2.len && !memcmp(b1.buf, b2.buf, b1.len),
	   "same seed, byte-identical blob");
	ok(!memcmp(b1.buf, "DLINTENT", 8), "the blob starts with its magic");
	intent_free(m2);
	m2 = intent_load(b1.buf, b1.len, &err);
	ok(m2 != NULL, "the blob loads");
	ok(m2 && same_predictions(m, m2), "save -> load gives the same predictions");
	intent_get_params(m2, &p);
	is_int(p.seed, 42, "the parameters are in the blob");
	intent_save(m2, &b3);
	ok(b3.len == b1.len && !memcmp(b1.buf, b3.buf, b1.len),
	   "and saving it again gives the same bytes");
	intent_free(m2);

	for (i = 0; i < b1.len; i += i < 200 ? 1 : 251, tries++)
		if ((m2 = intent_load(b1.buf, i, &err)) != NULL)
			intent_free(m2);
		else
			bad_loads++;
	is_int(bad_loads, tries, "every truncated blob is rejected");
	m2 = intent_load(b1.buf, b1.len - 1, &err);
	ok(m2 == NULL, "one byte short is rejected");
	is_int(err.code, DL_EX_DATAERR, "as bad data");
	is_str(err.msg, "intent model: checksum mismatch (truncated or corrupt)",
	       "with a message");
	b1.buf[b1.len / 2] ^= 0x10;
	ok(intent_load(b1.buf, b1.len, &err) == NULL, "a flipped bit is rejected");
	b1.buf[b1.len / 2] ^= 0x10;
	b1.buf[0] = 'X';
	ok(intent_load(b1.buf, b1.len, &err) == NULL, "a wrong magic is rejected");
	is_str(err.msg, "intent model: not an intent model blob", "and named");
	ok(intent_load(NULL, 0, &err) == NULL, "no blob at all is rejected");
	b1.buf[0] = 'D';

	/* A later format version, sealed properly: refused by name. */
	sb_reset(&b2);
	sb_add(&b2, b1.buf, b1.len - 8);
	b2.buf[8] = 2;	/* the u32 version after the 8-byte magic, little-endian */
	blob_seal(&b2, 0);
	ok(intent_load(b2.buf, b2.len, &err) == NULL, "a blob of another format version is rejected");
	is_str(err.msg, "intent model: format version 2, expected 1", "and says which");

	/*
	 * Damage that the checksum cannot see (it is recomputed): every
	 * blob must be refused or loaded, never crash.
	 */
	tries = bad_loads = 0;
	for (i = 0; i < b1.len - 8; i += i < 300 ? 1 : 509, tries++) {
		sb_reset(&b2);
		sb_add(&b2, b1.buf, b1.len - 8);
		b2.buf[i] = (char)(b2.buf[i] ^ (i % 3 ? 0x80 : 0x7f));
		blob_seal(&b2, 0);
		if ((m2 = intent_load(b2.buf, b2.len, &err)) != NULL) {
			n = intent_predict(m2, "play Daft Punk", top, 8);
			sum = 0;
			while (n-- > 0)
				sum += top[n].confidence;
			loaded++;
			sane += sum > 0.999 && sum < 1.001;
			intent_free(m2);
		} else {
			bad_loads++;
		}
	}
	ok(bad_loads > 0, "resealed damage is found by the checks");
	is_int(sane, loaded, "and what loads still gives probabilities");

	/* Errors instead of crashes. */
	m3 = intent_train(train, 0, classes, N(classes), NULL, &err);
	ok(m3 == NULL, "an empty training set is an error");
	is_int(err.code, DL_EX_DATAERR, "of bad data");
	is_str(err.msg, "no training examples", "that says so");
	{
		struct intent_example bad[] = { { "hi", 0, NULL }, { "yo", 4, NULL } };

		ok(intent_train(bad, 2, classes, N(classes), NULL, &err) == NULL,
		   "a label out of range is an error");
		is_str(err.msg, "example 1: label out of range", "naming the example");
	}
	ok(intent_train(train, N(train), classes, 0, NULL, &err) == NULL,
	   "no classes is an error");
	intent_params_init(&p);
	p.hash_bits = 40;
	ok(intent_train(train, N(train), classes, N(classes), &p, &err) == NULL,
	   "a parameter out of range is an error");
	is_int(err.code, DL_EX_USAGE, "of usage");
	intent_params_init(&p);
	p.char_max = 0;
	p.word_ngrams = 1;
	m3 = intent_train(train, N(train), classes, N(classes), &p, &err);
	ok(m3 != NULL, "words alone are enough to train");
	intent_free(m3);

	sb_release(&b1);
	sb_release(&b2);
	sb_release(&b3);
	intent_free(m);
	intent_free(NULL);
	test_context();
	return done_testing();
}
