/* The slot tagger: spans in code points, accuracy, determinism, blobs. */
#include "dialab/slots.h"

#include <stdlib.h>

#include "dialab/blob.h"
#include "dialab/utf8.h"
#include "tap.h"

static const char *const types[] = { "artist", "city", "time" };

enum { ARTIST, CITY, TIME, NONE = -1 };
enum { PLAY, WEATHER, ALARM, GREET };

/* An utterance with at most one slot, given by its text. */
struct row {
	int intent;
	const char *text;
	int type;
	const char *value;
};

static const struct row train_rows[] = {
	{ PLAY, "play Beyoncé", ARTIST, "Beyoncé" },
	{ PLAY, "play some music by Adele", ARTIST, "Adele" },
	{ PLAY, "put on Metallica please", ARTIST, "Metallica" },
	{ PLAY, "i want to hear Björk", ARTIST, "Björk" },
	{ PLAY, "play Daft Punk", ARTIST, "Daft Punk" },
	{ PLAY, "can you play Sigur Rós", ARTIST, "Sigur Rós" },
	{ PLAY, "🎵 play Rihanna 🎵", ARTIST, "Rihanna" },
	{ PLAY, "play Mötley Crüe loud", ARTIST, "Mötley Crüe" },
	{ PLAY, "listen to Shakira", ARTIST, "Shakira" },
	{ PLAY, "put on some Miles Davis", ARTIST, "Miles Davis" },
	{ PLAY, "play the new album by Queen", ARTIST, "Queen" },
	{ PLAY, "play Adele", ARTIST, "Adele" },
	{ WEATHER, "what's the weather in Paris", CITY, "Paris" },
	{ WEATHER, "weather in München tomorrow", CITY, "München" },
	{ WEATHER, "is it going to rain in London", CITY, "London" },
	{ WEATHER, "how cold is it in Zürich", CITY, "Zürich" },
	{ WEATHER, "forecast for New York", CITY, "New York" },
	{ WEATHER, "will it snow in Oslo ❄️", CITY, "Oslo" },
	{ WEATHER, "what is the temperature in São Paulo", CITY, "São Paulo" },
	{ WEATHER, "weather for Tokyo please", CITY, "Tokyo" },
	{ WEATHER, "is it sunny in Madrid", CITY, "Madrid" },
	{ WEATHER, "how hot will it be in Cairo", CITY, "Cairo" },
	{ WEATHER, "rain in Paris today?", CITY, "Paris" },
	{ ALARM, "wake me up at 7 am", TIME, "7 am" },
	{ ALARM, "set an alarm for 6:30", TIME, "6:30" },
	{ ALARM, "set alarm at 8 pm", TIME, "8 pm" },
	{ ALARM, "alarm for 5:45 tomorrow", TIME, "5:45" },
	{ ALARM, "wake me at 9 ⏰", TIME, "9" },
	{ ALARM, "set an alarm for 7:15 am", TIME, "7:15 am" },
	{ ALARM, "please wake me up at 10", TIME, "10" },
	{ ALARM, "i need an alarm at 4 pm", TIME, "4 pm" },
	{ ALARM, "set a wake up alarm for 11:00", TIME, "11:00" },
	{ GREET, "hello there", NONE, NULL },
	{ GREET, "hi", NONE, NULL },
	{ GREET, "good morning 😊", NONE, NULL },
	{ GREET, "hey how are you", NONE, NULL },
	{ GREET, "hello", NONE, NULL },
};

static const struct row held_out[] = {
	{ PLAY, "play Shakira please", ARTIST, "Shakira" },
	{ PLAY, "🎶 play Daft Punk", ARTIST, "Daft Punk" },
	{ PLAY, "put on Beyoncé", ARTIST, "Beyoncé" },
	{ WEATHER, "weather in Paris tomorrow", CITY, "Paris" },
	{ WEATHER, "is it going to rain in Zürich", CITY, "Zürich" },
	{ WEATHER, "how cold is it in Tokyo", CITY, "Tokyo" },
	{ ALARM, "wake me up at 6 am", TIME, "6 am" },
	{ ALARM, "set an alarm for 9:30", TIME, "9:30" },
	{ GREET, "hello friend", NONE, NULL },
	{ GREET, "good morning", NONE, NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct slots_example ex[N(train_rows)];
static struct slot_span gold[N(train_rows)];

/* The span of value in text, in code points. */
static struct slot_span
span_of(const char *text, const char *value, int type)
{
	struct slot_span s = { type, 0, 0, 1 };
	const char *at = strstr(text, value);

	s.start = utf8_byte_to_cp(text, (size_t)(at - text));
	s.end = s.start + utf8_cp_len(value);
	return s;
}

static struct slots_model *
fit(uint64_t seed, struct dl_error *err)
{
	struct slots_params p;

	slots_params_init(&p);
	p.seed = seed;
	return slots_train(ex, N(ex), types, N(types), &p, err);
}

/* Spans of m on held-out text i equal to the gold one, and all spans. */
static long
score(const struct slots_model *m, size_t i, int intent, long *found)
{
	struct slot_span out[8], want;
	struct dl_error err;
	long n, k, hit = 0;

	n = slots_predict(m, held_out[i].text, intent, out, 8, &err);
	*found += n;
	if (held_out[i].type == NONE)
		return 0;
	want = span_of(held_out[i].text, held_out[i].value, held_out[i].type);
	for (k = 0; k < n && k < 8; k++)
		hit += out[k].type == want.type && out[k].start == want.start &&
		       out[k].end == want.end;
	return hit;
}

/* Do a and b give the same spans and confidences for every held-out text? */
static int
same_predictions(const struct slots_model *a, const struct slots_model *b)
{
	struct slot_span sa[8], sb[8];
	struct dl_error err;
	size_t i;
	long na, nb, k;

	for (i = 0; i < N(held_out); i++) {
		na = slots_predict(a, held_out[i].text, held_out[i].intent, sa, 8, &err);
		nb = slots_predict(b, held_out[i].text, held_out[i].intent, sb, 8, &err);
		if (na != nb)
			return 0;
		for (k = 0; k < na; k++)
			if (sa[k].type != sb[k].type || sa[k].start != sb[k].start ||
			    sa[k].end != sb[k].end ||
			    sa[k].confidence != sb[k].confidence)
				return 0;
	}
	return 1;
}

/* Spans in order, apart, inside the text, with confidences in [0, 1]? */
static int
well_formed(const struct slot_span *s, long n, const char *text)
{
	size_t len = utf8_cp_len(text);
	long k;

	for (k = 0; k < n; k++) {
		if (s[k].start >= s[k].end || s[k].end > len)
			return 0;
		if (k && s[k].start < s[k - 1].end)
			return 0;
		if (!(s[k].confidence >= 0 && s[k].confidence <= 1))
			return 0;
	}
	return 1;
}

int
main(void)
{
	static const char *const odd[] = {
		"", " ", "🎉", "Beyoncé", "Paris", "play 👩‍💻 Beyoncé🇫🇷 in Paris!!", "Zürich, Zürich; Zürich.",
		"e\xcc\x81\xcc\x81 ☃ ‮ab‬ ", "wake me up at 7 am 7 am 7 am 7 am",
		"Daft Punk Daft Punk Daft Punk Daft Punk Daft Punk Daft Punk",
	};
	struct slots_model *m, *m2;
	struct slots_params p;
	struct slot_span out[64], bad[2];
	struct slots_example one;
	struct dl_error err;
	struct strbuf b1, b2, b3;
	size_t i, tries = 0, rejected = 0, nb, shaped = 0, loaded = 0, sane = 0;
	long n, hit = 0, found = 0, want = 0, hit_unknown = 0, found_unknown = 0;

	for (i = 0; i < N(train_rows); i++) {
		ex[i].text = train_rows[i].text;
		ex[i].intent = train_rows[i].intent;
		ex[i].nspans = train_rows[i].value != NULL;
		ex[i].spans = &gold[i];
		if (train_rows[i].value)
			gold[i] = span_of(train_rows[i].text, train_rows[i].value,
					  train_rows[i].type);
	}
	is_int(gold[6].start, 7, "test data: Rihanna starts at code point 7");

	m = fit(7, &err);
	ok(m != NULL, "trains on 37 utterances");
	for (i = 0; i < N(held_out); i++) {
		hit += score(m, i, held_out[i].intent, &found);
		hit_unknown += score(m, i, -1, &found_unknown);
		want += held_out[i].type != NONE;
	}
	is_int(hit, want, "held-out spans: all 8 found (type, start and end)");
	is_int(found, want, "and nothing else");
	ok(hit_unknown >= want - 1, "without the intent, at least 7 of 8");

	n = slots_predict(m, "🎶 play Daft Punk", PLAY, out, 64, &err);
	is_int(n, 1, "one span in \"🎶 play Daft Punk\"");
	is_int(out[0].start, 7, "starting at code point 7 (byte 10)");
	is_int(out[0].end, 16, "ending at 16");
	is_str(slots_type_name(m, (size_t)out[0].type), "artist", "an artist");
	ok(out[0].confidence > 0.5 && out[0].confidence <= 1,
	   "with a confidence in (0.5, 1]");
	n = slots_predict(m, "play Beyoncé in Zürich", -1, out, 64, &err);
	ok(n >= 1 && out[0].start == 5 && out[0].end == 12,
	   "Beyoncé is code points 5 to 12 (bytes 5 to 13)");
	n = slots_predict(m, "wake me up at 7 am", ALARM, out, 0, &err);
	is_int(n, 1, "max 0 still counts the spans");
	n = slots_predict(m, "wake me up at 7 am", 99, out, 64, &err);
	is_int(n, 1, "an intent never seen is taken as unknown");

	for (i = 0; i < N(odd); i++) {
		n = slots_predict(m, odd[i], (int)i % 5 - 1, out, 64, &err);
		shaped += n >= 0 && n <= 64 && well_formed(out, n, odd[i]);
	}
	is_int(shaped, N(odd), "odd texts give ordered spans inside the text");
	is_int(slots_predict(m, "ab\xff", PLAY, out, 64, &err), -1,
	       "ill-formed UTF-8 is an error");
	is_int(err.code, DL_EX_DATAERR, "of bad data");
	is_int(slots_ntypes(m), 3, "three types");
	ok(slots_type_name(m, 3) == NULL, "NULL past the end");

	/* Determinism and blobs. */
	sb_init(&b1);
	sb_init(&b2);
	sb_init(&b3);
	slots_save(m, &b1);
	m2 = fit(7, &err);
	slots_save(m2, &b2);
	ok(b1.len == b2.len && !memcmp(b1.buf, b2.buf, b1.len),
	   "same seed, byte-identical blob");
	slots_free(m2);
	m2 = slots_load(b1.buf, b1.len, &err);
	ok(m2 != NULL, "the blob loads");
	ok(m2 && same_predictions(m, m2), "save -> load gives the same predictions");
	slots_get_params(m2, &p);
	is_int(p.seed, 7, "the parameters are in the blob");
	slots_save(m2, &b3);
	ok(b3.len == b1.len && !memcmp(b1.buf, b3.buf, b1.len),
	   "and saving it again gives the same bytes");
	slots_free(m2);

	for (i = 0; i < b1.len; i += i < 300 ? 1 : 97, tries++)
		if ((m2 = slots_load(b1.buf, i, &err)) != NULL)
			slots_free(m2);
		else
			rejected++;
	is_int(rejected, tries, "every truncated blob is rejected");
	is_str(err.msg, "slot model: checksum mismatch (truncated or corrupt)",
	       "with a message");
	b1.buf[b1.len / 3] ^= 0x01;
	ok(slots_load(b1.buf, b1.len, &err) == NULL, "a flipped bit is rejected");
	b1.buf[b1.len / 3] ^= 0x01;

	/*
	 * Damage that the checksum cannot see (it is recomputed): every
	 * blob must be refused or loaded, never crash.
	 */
	nb = b1.len - 8;
	rejected = tries = 0;
	for (i = 0; i < nb; i += i < 400 ? 1 : 13, tries++) {
		sb_reset(&b2);
		sb_add(&b2, b1.buf, nb);
		b2.buf[i] = (char)(b2.buf[i] ^ (i % 3 ? 0x80 : 0x7f));
		blob_seal(&b2, 0);
		if ((m2 = slots_load(b2.buf, b2.len, &err)) != NULL) {
			n = slots_predict(m2, odd[5], PLAY, out, 64, &err);
			loaded++;
			sane += n >= 0 && n <= 64 && well_formed(out, n, odd[5]);
			slots_free(m2);
		} else {
			rejected++;
		}
	}
	ok(rejected > 0, "resealed damage is found by the checks");
	is_int(sane, loaded, "and what loads still gives well-formed spans");

	/* Errors instead of crashes. */
	ok(slots_train(ex, 0, types, N(types), NULL, &err) == NULL,
	   "an empty training set is an error");
	is_str(err.msg, "no training examples", "that says so");
	one.text = "play Adele";
	one.spans = bad;
	one.intent = PLAY;
	one.nspans = 1;
	one.ctx = NULL;
	bad[0].type = ARTIST;
	bad[0].start = 5;
	bad[0].end = 11;
	ok(slots_train(&one, 1, types, N(types), NULL, &err) == NULL,
	   "a span past the end of the text is an error");
	is_str(err.path, "$[0].spans[0]", "naming the span");
	is_str(err.msg, "expected 0 <= start < end <= 10, got [5, 11)",
	       "counting code points");
	one.nspans = 2;
	bad[0].end = 10;
	bad[1] = bad[0];
	bad[1].start = 7;
	ok(slots_train(&one, 1, types, N(types), NULL, &err) == NULL,
	   "overlapping spans are an error");
	is_str(err.msg, "overlaps spans[0]", "that says so");
	one.nspans = 1;
	bad[0].type = 3;
	ok(slots_train(&one, 1, types, N(types), NULL, &err) == NULL,
	   "a type out of range is an error");
	bad[0].type = ARTIST;
	one.text = "play \xc3";
	ok(slots_train(&one, 1, types, N(types), NULL, &err) == NULL,
	   "ill-formed UTF-8 in training is an error");
	slots_params_init(&p);
	p.epochs = 0;
	ok(slots_train(ex, N(ex), types, N(types), &p, &err) == NULL,
	   "a parameter out of range is an error");
	is_int(err.code, DL_EX_USAGE, "of usage");
	slots_params_init(&p);
	p.gazetteer = 0;
	p.constrain = 0;
	m2 = slots_train(ex, N(ex), types, N(types), &p, &err);
	ok(m2 != NULL, "trains without gazetteer and constraints");
	slots_free(m2);

	sb_release(&b1);
	sb_release(&b2);
	sb_release(&b3);
	slots_free(m);
	slots_free(NULL);
	return done_testing();
}
