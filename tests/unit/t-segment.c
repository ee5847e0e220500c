/* Words and grapheme clusters: what the word cursor steps over, in any script. */
#include "dialab/segment.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/utf8.h"

#include "tap.h"

/* The spans of text (valid UTF-8) as their text, joined by '|'. */
static const char *
show(const char *text, size_t n, const struct seg_span *s)
{
	static char buf[1024];
	size_t i, o = 0;
	long a, b;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		a = utf8_cp_to_byte(text, s[i].start);
		b = utf8_cp_to_byte(text, s[i].end);
		if (a < 0 || b < a || o + (size_t)(b - a) + 2 > sizeof(buf))
			return "(bad span)";
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%.*s", i ? "|" : "",
				      (int)(b - a), text + a);
	}
	return buf;
}

static const char *
words(const char *text)
{
	struct seg_span *w;
	size_t n = seg_words(text, &w);
	const char *s = show(text, n, w);

	free(w);
	return s;
}

static const char *
clusters(const char *text)
{
	struct seg_span *c;
	size_t n = seg_clusters(text, &c);
	const char *s = show(text, n, c);

	free(c);
	return s;
}

static void
japanese_chinese(void)
{
	is_str(words("東京の天気は"), "東京|の|天気|は", "Japanese: a change of script starts a word");
	is_str(words("明日東京へ行く"), "明日東京|へ|行|く", "a run of Han is one word");
	is_str(words("東京、大阪。"), "東京|、|大阪|。", "ideographic punctuation is a word of its own");
	is_str(words("ラーメンを食べたい"), "ラーメン|を|食|べたい", "ー stays in its Katakana word");
	is_str(words("すごーい"), "すごーい", "and in a Hiragana one");
	is_str(words("人々"), "人々", "the iteration mark 々 is Han");
	is_str(words("ｶﾞｲﾄﾞ"), "ｶﾞｲﾄﾞ", "half-width Katakana with its voiced marks");
	is_str(clusters("ｶﾞ"), "ｶﾞ", "a half-width voiced mark is in its kana's cluster");
	is_str(words("我想听周杰伦，谢谢"), "我想听周杰伦|，|谢谢", "Chinese: split at full-width punctuation");
	is_str(words("播放　周杰伦"), "播放|周杰伦", "and at the ideographic space");
	is_str(words("「晴天」"), "「|晴天|」", "corner brackets");
	is_str(words("葛\xf3\xa0\x84\x80城"), "葛\xf3\xa0\x84\x80城",
	       "an ideographic variation selector stays in the word");
	is_str(clusters("葛\xf3\xa0\x84\x80城"), "葛\xf3\xa0\x84\x80|城",
	       "and in its character's cluster");
}

static void
thai_korean_indic(void)
{
	is_str(words("สวัสดีครับ"), "สวัสดีครับ", "Thai without spaces is one run");
	is_str(words("ไปกรุงเทพ 3 วัน"), "ไปกรุงเทพ|3|วัน", "Thai words, a digit between");
	is_str(words("ราคา๑๐บาท"), "ราคา|๑๐|บาท", "Thai digits are not letters");
	is_str(clusters("ที่นี่"), "ที่|นี่", "Thai vowel and tone marks stay on their consonant");
	is_str(clusters("กำ"), "กำ", "sara am too");
	is_str(words("서울 날씨 알려줘"), "서울|날씨|알려줘", "Korean words at spaces");
	is_str(words("3시에"), "3|시에", "digits next to Hangul are their own word");
	is_str(clusters("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8\xea\xb0\x80"),
	       "\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8|\xea\xb0\x80",
	       "Hangul jamo L V T make one syllable; a precomposed one is whole");
	is_str(words("नमस्ते दुनिया"), "नमस्ते|दुनिया", "Devanagari: vowel signs and virama stay in");
	is_str(clusters("ते"), "ते", "a Devanagari vowel sign is in its consonant's cluster");
	is_str(words("مَرْحَبًا بك"), "مَرْحَبًا|بك", "Arabic with its vowel marks");
	is_str(words("Москва2024 moscow"), "Москва2024|moscow", "digits join Cyrillic letters too");
	is_str(words("Москваmoscow"), "Москва|moscow", "split where the script changes");
}

static void
latin(void)
{
	struct seg_span *w;
	size_t n;

	n = seg_words("play 東京 jazz", &w);
	ok(n == 3 && w[0].start == 0 && w[0].end == 4 && w[1].start == 5 && w[1].end == 7 &&
	   w[2].start == 8 && w[2].end == 12, "mixed Latin and CJK, spans in code points");
	free(w);
	is_str(words("play東京jazz"), "play|東京|jazz", "and without spaces");
	is_str(words("3時に"), "3|時|に", "a digit next to Han is a word of its own");
	is_str(words("３時"), "３|時", "a full-width digit too");
	is_str(words("at 3pm on mp3"), "at|3pm|on|mp3", "digits stay with Latin letters");
	is_str(words("what's the e-mail, hello."), "what's|the|e-mail|,|hello|.",
	       "apostrophes and hyphens inside; commas and full stops apart");
	is_str(words("rock \xe2\x80\x99n\xe2\x80\x99 roll"), "rock|\xe2\x80\x99|n|\xe2\x80\x99|roll",
	       "an apostrophe at the edge of a word is apart");
	is_str(words("at 10:30 for $1,000 or 3.5"), "at|10:30|for|$|1,000|or|3.5",
	       "times and numbers stay whole; the currency sign is apart");
	is_str(words("a,b r&b ac/dc a--b"), "a|,|b|r&b|ac/dc|a|-|-|b",
	       "a comma between letters splits; one inner mark, not two");
	is_str(words("(jazz)?!"), "(|jazz|)|?|!", "brackets and marks are each a word");
	is_str(words("play  caf\xc3\xa9 \xf0\x9f\x8e\x89\tdel mar"), "play|caf\xc3\xa9|\xf0\x9f\x8e\x89|del|mar",
	       "white space separates, as before");
	is_str(words("cafe\xcc\x81s"), "cafe\xcc\x81s", "a combining accent stays in its word");
	is_str(clusters("e\xcc\x81"), "e\xcc\x81", "e + U+0301 is one cluster");
	is_str(clusters("a\xcc\x81\xcc\xa3z"), "a\xcc\x81\xcc\xa3|z", "with two marks too");
	is_str(words("co\xc2\xadoperate"), "co\xc2\xadoperate", "a soft hyphen inside a word");
	is_str(clusters("a\r\nb"), "a|\r\n|b", "CR LF is one cluster");
	is_str(words("a\r\nb"), "a|b", "and separates words");
	is_str(words("a\xe2\x80\x8b" "b"), "a|b", "a zero-width space separates words");
}

static void
emoji(void)
{
	const char *fam = "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7";
	struct seg_span *c;
	size_t n;

	n = seg_clusters(fam, &c);
	ok(n == 1 && c[0].start == 0 && c[0].end == 5, "a ZWJ family is one cluster of 5 code points");
	free(c);
	is_str(words("hi \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7!"),
	       "hi|\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7|!",
	       "and one word");
	is_str(clusters("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd\xf0\x9f\x91\x8d"),
	       "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd|\xf0\x9f\x91\x8d", "a skin tone stays on its emoji");
	is_str(words("ok\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"), "ok|\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",
	       "an emoji is not glued to the word before it");
	is_str(clusters("\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5\xf0\x9f\x87\xab\xf0\x9f\x87\xb7\xf0\x9f\x87\xa9"),
	       "\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5|\xf0\x9f\x87\xab\xf0\x9f\x87\xb7|\xf0\x9f\x87\xa9",
	       "regional indicators pair into flags");
	is_str(words("\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5\xf0\x9f\x87\xab\xf0\x9f\x87\xb7"),
	       "\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5|\xf0\x9f\x87\xab\xf0\x9f\x87\xb7", "each flag a word");
	is_str(words("a1\xef\xb8\x8f\xe2\x83\xa3" "b"), "a|1\xef\xb8\x8f\xe2\x83\xa3|b",
	       "a keycap is one word, not a digit of the word beside it");
	is_str(words("\xe2\x9d\xa4\xef\xb8\x8f\xe6\x9d\xb1\xe4\xba\xac"),
	       "\xe2\x9d\xa4\xef\xb8\x8f|\xe6\x9d\xb1\xe4\xba\xac", "a variation selector stays on its emoji");
	is_str(clusters("\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xa5"
			"\xf3\xa0\x81\xae\xf3\xa0\x81\xa7\xf3\xa0\x81\xbf"),
	       "\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xa5"
	       "\xf3\xa0\x81\xae\xf3\xa0\x81\xa7\xf3\xa0\x81\xbf", "a tag sequence (England) is one cluster");
	is_str(clusters("a\xe2\x80\x8d\xf0\x9f\x91\xa7"), "a\xe2\x80\x8d|\xf0\x9f\x91\xa7",
	       "a ZWJ after a letter does not join an emoji to it");
}

static void
edges(void)
{
	struct seg_span *w = (struct seg_span *)1;
	size_t n;

	is_int(seg_words("", &w), 0, "the empty text has no words");
	ok(w == NULL, "and no array");
	w = (struct seg_span *)1;
	is_int(seg_words(NULL, &w), 0, "NULL is the empty text");
	ok(w == NULL, "with no array");
	is_int(seg_clusters("", &w), 0, "the empty text has no clusters");
	w = (struct seg_span *)1;
	is_int(seg_words("  \t\xe3\x80\x80\n", &w), 0, "only spaces: no words");
	ok(w == NULL, "and no array");
	n = seg_words("ab\xff" "cd", &w);
	ok(n == 3 && w[0].start == 0 && w[0].end == 2 && w[1].start == 2 && w[1].end == 3 &&
	   w[2].start == 3 && w[2].end == 5, "an invalid byte is one code point, a word of its own");
	free(w);
	n = seg_clusters("\xe6\x9d" "x\xcc", &w);
	ok(n == 4 && w[3].start == 3 && w[3].end == 4, "truncated sequences: one code point a byte");
	free(w);
	n = seg_words("\xcc\x81" "a", &w);
	ok(n == 2 && w[0].end == 1, "a combining mark with no base is a word of its own");
	free(w);
}

/* Code points of text, a bad byte counting one. */
static size_t
cps(const char *text)
{
	size_t len = strlen(text), i = 0, n = 0, k;
	uint32_t c;

	while (i < len) {
		k = utf8_decode(text + i, len - i, &c);
		i += k ? k : 1;
		n++;
	}
	return n;
}

/* Clusters tile the text; words are in order, apart, on cluster bounds. */
static int
sound(const char *text)
{
	struct seg_span *c, *w;
	size_t nc = seg_clusters(text, &c), nw = seg_words(text, &w), i, j = 0, at = 0;
	int good = 1;

	for (i = 0; i < nc; i++) {
		good &= c[i].start == at && c[i].end > at;
		at = c[i].end;
	}
	good &= at == cps(text);
	for (i = 0; i < nw && good; i++) {
		good &= w[i].start < w[i].end && (!i || w[i - 1].end <= w[i].start);
		while (j < nc && c[j].start < w[i].start)
			j++;
		good &= j < nc && c[j].start == w[i].start;
		while (j < nc && c[j].end < w[i].end)
			j++;
		good &= j < nc && c[j].end == w[i].end;
	}
	free(c);
	free(w);
	return good;
}

static void
noise(void)
{
	char buf[4097];
	uint32_t x = 2463534242u;
	size_t i;
	int good = 1, round;

	for (round = 0; round < 64; round++) {
		for (i = 0; i + 1 < sizeof(buf); i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			/* bytes of every kind: ASCII, lead and continuation bytes, F0 9F emoji */
			buf[i] = (char)(round & 1 ? (x % 7 ? 0x80 + x % 0x80 : 0xe0 + x % 0x15) :
					x & 0xff ? x & 0xff : ' ');
		}
		buf[sizeof(buf) - 1] = '\0';
		good &= sound(buf);
	}
	ok(good, "random bytes: clusters tile the text, words fall on cluster bounds");
	ok(sound("\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5 a\xcc\x81, 東京\xe3\x83\xbc 3時 \xe2\x80\x8d"),
	   "and on mixed text");
}

int
main(void)
{
	japanese_chinese();
	thai_korean_indic();
	latin();
	emoji();
	edges();
	noise();
	return done_testing();
}
