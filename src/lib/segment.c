#include "dialab/segment.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/strbuf.h"
#include "dialab/utf8.h"

/* ---- code point properties ---- */

struct range {
	uint32_t lo, hi;
};

/* Is c in the sorted, disjoint ranges t[0..n)? */
static int
in_ranges(const struct range *t, size_t n, uint32_t c)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c < t[mid].lo)
			hi = mid;
		else if (c > t[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

#define IN(t, c) in_ranges((t), sizeof(t) / sizeof((t)[0]), (c))

/*
 * Combining marks, spacing marks, variation selectors, skin tones and
 * tags: they never start a cluster (GB9, GB9a).  The Indic blocks
 * U+0900-0DFF are in indic_mark().
 */
static const struct range extend[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd }, { 0x05bf, 0x05bf },
	{ 0x05c1, 0x05c2 }, { 0x05c4, 0x05c5 }, { 0x05c7, 0x05c7 }, { 0x0610, 0x061a },
	{ 0x064b, 0x065f }, { 0x0670, 0x0670 }, { 0x06d6, 0x06dc }, { 0x06df, 0x06e4 },
	{ 0x06e7, 0x06e8 }, { 0x06ea, 0x06ed }, { 0x0711, 0x0711 }, { 0x0730, 0x074a },
	{ 0x07a6, 0x07b0 }, { 0x07eb, 0x07f3 }, { 0x0816, 0x082d }, { 0x0859, 0x085b },
	{ 0x0898, 0x089f }, { 0x08ca, 0x08e1 }, { 0x08e3, 0x08ff },
	{ 0x0e31, 0x0e31 }, { 0x0e33, 0x0e3a }, { 0x0e47, 0x0e4e },
	{ 0x0eb1, 0x0eb1 }, { 0x0eb3, 0x0ebc }, { 0x0ec8, 0x0ece },
	{ 0x0f18, 0x0f19 }, { 0x0f35, 0x0f35 }, { 0x0f37, 0x0f37 }, { 0x0f39, 0x0f39 },
	{ 0x0f3e, 0x0f3f }, { 0x0f71, 0x0f84 }, { 0x0f86, 0x0f87 }, { 0x0f8d, 0x0fbc },
	{ 0x0fc6, 0x0fc6 }, { 0x102b, 0x103e }, { 0x1056, 0x1059 }, { 0x105e, 0x1060 },
	{ 0x1062, 0x1064 }, { 0x1067, 0x106d }, { 0x1071, 0x1074 }, { 0x1082, 0x108d },
	{ 0x108f, 0x108f }, { 0x109a, 0x109d }, { 0x135d, 0x135f }, { 0x1712, 0x1715 },
	{ 0x1732, 0x1734 }, { 0x1752, 0x1753 }, { 0x1772, 0x1773 }, { 0x17b4, 0x17d3 },
	{ 0x17dd, 0x17dd }, { 0x180b, 0x180d }, { 0x180f, 0x180f }, { 0x1885, 0x1886 },
	{ 0x18a9, 0x18a9 }, { 0x1920, 0x193b }, { 0x1a17, 0x1a1b }, { 0x1a55, 0x1a7f },
	{ 0x1ab0, 0x1aff }, { 0x1b00, 0x1b04 }, { 0x1b34, 0x1b44 }, { 0x1b6b, 0x1b73 },
	{ 0x1b80, 0x1b82 }, { 0x1ba1, 0x1bad }, { 0x1be6, 0x1bf3 }, { 0x1c24, 0x1c37 },
	{ 0x1cd0, 0x1cd2 }, { 0x1cd4, 0x1ce8 }, { 0x1ced, 0x1ced }, { 0x1cf4, 0x1cf4 },
	{ 0x1cf7, 0x1cf9 }, { 0x1dc0, 0x1dff }, { 0x200c, 0x200c }, { 0x20d0, 0x20ff },
	{ 0x2cef, 0x2cf1 }, { 0x2d7f, 0x2d7f }, { 0x2de0, 0x2dff }, { 0x302a, 0x302f },
	{ 0x3099, 0x309a }, { 0xa66f, 0xa672 }, { 0xa674, 0xa67d }, { 0xa69e, 0xa69f },
	{ 0xa6f0, 0xa6f1 }, { 0xa802, 0xa802 }, { 0xa806, 0xa806 }, { 0xa80b, 0xa80b },
	{ 0xa823, 0xa827 }, { 0xa82c, 0xa82c }, { 0xa880, 0xa881 }, { 0xa8b4, 0xa8c5 },
	{ 0xa8e0, 0xa8f1 }, { 0xa8ff, 0xa8ff }, { 0xa926, 0xa92d }, { 0xa947, 0xa953 },
	{ 0xa980, 0xa983 }, { 0xa9b3, 0xa9c0 }, { 0xa9e5, 0xa9e5 }, { 0xaa29, 0xaa36 },
	{ 0xaa43, 0xaa43 }, { 0xaa4c, 0xaa4d }, { 0xaa7b, 0xaa7d }, { 0xaab0, 0xaab0 },
	{ 0xaab2, 0xaab4 }, { 0xaab7, 0xaab8 }, { 0xaabe, 0xaabf }, { 0xaac1, 0xaac1 },
	{ 0xaaeb, 0xaaef }, { 0xaaf5, 0xaaf6 }, { 0xabe3, 0xabea }, { 0xabec, 0xabed },
	{ 0xfb1e, 0xfb1e }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f }, { 0xff9e, 0xff9f },
	{ 0x101fd, 0x101fd }, { 0x102e0, 0x102e0 }, { 0x10376, 0x1037a },
	{ 0x10a01, 0x10a0f }, { 0x10a38, 0x10a3f }, { 0x10ae5, 0x10ae6 },
	{ 0x10d24, 0x10d27 }, { 0x10eab, 0x10eac }, { 0x10f46, 0x10f50 },
	{ 0x11000, 0x11002 }, { 0x11038, 0x11046 }, { 0x1107f, 0x11082 },
	{ 0x110b0, 0x110ba }, { 0x11100, 0x11102 }, { 0x11127, 0x11134 },
	{ 0x1d165, 0x1d169 }, { 0x1d16d, 0x1d172 }, { 0x1d17b, 0x1d182 },
	{ 0x1d185, 0x1d18b }, { 0x1d1aa, 0x1d1ad }, { 0x1e8d0, 0x1e8d6 },
	{ 0x1e944, 0x1e94a }, { 0x1f3fb, 0x1f3ff }, { 0xe0020, 0xe007f },
	{ 0xe0100, 0xe01ef },
};

/*
 * The Indic blocks U+0900-0DFF share one layout: signs at 00-03, nukta
 * at 3C, vowel signs and virama at 3E-4F, stress marks at 51-57, vowel
 * signs at 62-63 of each 0x80 block.  Sinhala (U+0D80) has its own.
 */
static int
indic_mark(uint32_t c)
{
	uint32_t o = c & 0x7f;

	if (c < 0x900 || c > 0xdff)
		return 0;
	if (c >= 0xd80)
		return (c >= 0xd81 && c <= 0xd83) || c == 0xdca ||
		       (c >= 0xdcf && c <= 0xddf) || c == 0xdf2 || c == 0xdf3;
	if (c == 0xa70 || c == 0xa71 || c == 0xa75 || c == 0x9fe ||
	    (c >= 0xafa && c <= 0xaff) || c == 0xc04 || c == 0xd3b || c == 0xcf3)
		return 1;
	return o <= 0x03 || (o >= 0x3a && o <= 0x3c) || (o >= 0x3e && o <= 0x4f) ||
	       (o >= 0x51 && o <= 0x57) || o == 0x62 || o == 0x63;
}

/* Extended_Pictographic, roughly: what a ZWJ joins (GB11). */
static const struct range pict[] = {
	{ 0x00a9, 0x00a9 }, { 0x00ae, 0x00ae }, { 0x203c, 0x203c }, { 0x2049, 0x2049 },
	{ 0x2122, 0x2122 }, { 0x2139, 0x2139 }, { 0x2194, 0x2199 }, { 0x21a9, 0x21aa },
	{ 0x231a, 0x231b }, { 0x2328, 0x2328 }, { 0x2388, 0x2388 }, { 0x23cf, 0x23cf },
	{ 0x23e9, 0x23f3 }, { 0x23f8, 0x23fa }, { 0x24c2, 0x24c2 }, { 0x25aa, 0x25ab },
	{ 0x25b6, 0x25b6 }, { 0x25c0, 0x25c0 }, { 0x25fb, 0x25fe }, { 0x2600, 0x27bf },
	{ 0x2934, 0x2935 }, { 0x2b05, 0x2b07 }, { 0x2b1b, 0x2b1c }, { 0x2b50, 0x2b50 },
	{ 0x2b55, 0x2b55 }, { 0x3030, 0x3030 }, { 0x303d, 0x303d }, { 0x3297, 0x3297 },
	{ 0x3299, 0x3299 }, { 0x1f000, 0x1f1e5 }, { 0x1f200, 0x1f3fa },
	{ 0x1f400, 0x1faff }, { 0x1fc00, 0x1fffd },
};

/* Punctuation and symbols (emoji too): each cluster of them is a word alone. */
static const struct range sym[] = {
	{ 0x0021, 0x002f }, { 0x003a, 0x0040 }, { 0x005b, 0x0060 }, { 0x007b, 0x007e },
	{ 0x00a1, 0x00a9 }, { 0x00ab, 0x00b4 }, { 0x00b6, 0x00b9 }, { 0x00bb, 0x00bf },
	{ 0x00d7, 0x00d7 }, { 0x00f7, 0x00f7 }, { 0x02c2, 0x02c5 }, { 0x02d2, 0x02df },
	{ 0x02e5, 0x02eb }, { 0x02ed, 0x02ed }, { 0x02ef, 0x02ff }, { 0x0375, 0x0375 },
	{ 0x037e, 0x037e }, { 0x0384, 0x0385 }, { 0x0387, 0x0387 }, { 0x03f6, 0x03f6 },
	{ 0x0482, 0x0482 }, { 0x055a, 0x055f }, { 0x0589, 0x058a }, { 0x058d, 0x058f },
	{ 0x05be, 0x05be }, { 0x05c0, 0x05c0 }, { 0x05c3, 0x05c3 }, { 0x05c6, 0x05c6 },
	{ 0x05f3, 0x05f4 }, { 0x0606, 0x060f }, { 0x061b, 0x061b }, { 0x061d, 0x061f },
	{ 0x066a, 0x066d }, { 0x06d4, 0x06d4 }, { 0x06de, 0x06de }, { 0x06e9, 0x06e9 },
	{ 0x06fd, 0x06fe }, { 0x0964, 0x0965 }, { 0x0970, 0x0970 }, { 0x0e3f, 0x0e3f },
	{ 0x0e4f, 0x0e4f }, { 0x0e5a, 0x0e5b }, { 0x0f01, 0x0f17 }, { 0x0f1a, 0x0f1f },
	{ 0x0f34, 0x0f34 }, { 0x0f36, 0x0f36 }, { 0x0f38, 0x0f38 }, { 0x0f3a, 0x0f3d },
	{ 0x0f85, 0x0f85 }, { 0x104a, 0x104f }, { 0x10fb, 0x10fb }, { 0x1360, 0x1368 },
	{ 0x166d, 0x166e }, { 0x169b, 0x169c }, { 0x16eb, 0x16ed }, { 0x17d4, 0x17d6 },
	{ 0x17d8, 0x17db }, { 0x1800, 0x180a }, { 0x1fbd, 0x1fbd }, { 0x1fbf, 0x1fc1 },
	{ 0x1fcd, 0x1fcf }, { 0x1fdd, 0x1fdf }, { 0x1fed, 0x1fef }, { 0x1ffd, 0x1ffe },
	{ 0x2010, 0x2027 }, { 0x2030, 0x205e }, { 0x207a, 0x207e }, { 0x208a, 0x208e },
	{ 0x20a0, 0x20cf }, { 0x2100, 0x2bff }, { 0x2cf9, 0x2cfc }, { 0x2cfe, 0x2cff },
	{ 0x2e00, 0x2e7f }, { 0x2ff0, 0x2fff }, { 0x3001, 0x3004 }, { 0x3008, 0x3020 },
	{ 0x3030, 0x3030 }, { 0x3036, 0x3037 }, { 0x303d, 0x303f }, { 0x30a0, 0x30a0 },
	{ 0x30fb, 0x30fb }, { 0x3190, 0x319f }, { 0x31c0, 0x31ef }, { 0x3200, 0x33ff },
	{ 0x4dc0, 0x4dff }, { 0xa673, 0xa673 }, { 0xa67e, 0xa67e }, { 0xa6f2, 0xa6f7 },
	{ 0xa700, 0xa716 }, { 0xa720, 0xa721 }, { 0xa789, 0xa78a }, { 0xfd3e, 0xfd3f },
	{ 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6b }, { 0xff01, 0xff0f }, { 0xff1a, 0xff20 },
	{ 0xff3b, 0xff40 }, { 0xff5b, 0xff65 }, { 0xffe0, 0xffee }, { 0xfffc, 0xfffd },
	{ 0x1f000, 0x1fbff },
};

/* Decimal digits (the Indic ones are found by their place in the block). */
static const struct range digit[] = {
	{ 0x0030, 0x0039 }, { 0x0660, 0x0669 }, { 0x06f0, 0x06f9 }, { 0x07c0, 0x07c9 },
	{ 0x0e50, 0x0e59 }, { 0x0ed0, 0x0ed9 }, { 0x0f20, 0x0f29 }, { 0x1040, 0x1049 },
	{ 0x1090, 0x1099 }, { 0x17e0, 0x17e9 }, { 0x1810, 0x1819 }, { 0xff10, 0xff19 },
};

/* The class of a word's characters: a script, or digit, symbol, space. */
enum cls {
	C_SPACE, C_SYM, C_DIGIT,
	/* alphabetic: digits and inner punctuation join them */
	C_OTHER, C_LATIN, C_GREEK, C_CYRILLIC, C_ARMENIAN, C_HEBREW, C_ARABIC,
	C_TIBETAN, C_GEORGIAN, C_ETHIOPIC, C_MONGOLIAN,
	/* dense: written without spaces or kept apart from digits */
	C_THAI, C_LAO, C_MYANMAR, C_KHMER, C_HANGUL, C_HIRAGANA, C_KATAKANA,
	C_BOPOMOFO, C_HAN,
	C_INDIC		/* + the number of the 0x80 block past U+0900 */
};

struct script {
	uint32_t lo, hi;
	enum cls cls;
};

/* Letters by script; what is not here (nor a mark, digit, symbol) is C_OTHER. */
static const struct script scripts[] = {
	{ 0x0041, 0x005a, C_LATIN }, { 0x0061, 0x007a, C_LATIN }, { 0x00aa, 0x00aa, C_LATIN },
	{ 0x00b5, 0x00b5, C_LATIN }, { 0x00ba, 0x00ba, C_LATIN }, { 0x00c0, 0x02ff, C_LATIN },
	{ 0x0370, 0x03ff, C_GREEK }, { 0x0400, 0x052f, C_CYRILLIC },
	{ 0x0530, 0x058f, C_ARMENIAN }, { 0x0590, 0x05ff, C_HEBREW },
	{ 0x0600, 0x06ff, C_ARABIC }, { 0x0750, 0x077f, C_ARABIC },
	{ 0x0870, 0x08ff, C_ARABIC }, { 0x0e00, 0x0e7f, C_THAI }, { 0x0e80, 0x0eff, C_LAO },
	{ 0x0f00, 0x0fff, C_TIBETAN }, { 0x1000, 0x109f, C_MYANMAR },
	{ 0x10a0, 0x10ff, C_GEORGIAN }, { 0x1100, 0x11ff, C_HANGUL },
	{ 0x1200, 0x139f, C_ETHIOPIC }, { 0x1780, 0x17ff, C_KHMER },
	{ 0x1800, 0x18af, C_MONGOLIAN }, { 0x19e0, 0x19ff, C_KHMER },
	{ 0x1c80, 0x1c8f, C_CYRILLIC }, { 0x1c90, 0x1cbf, C_GEORGIAN },
	{ 0x1d00, 0x1dbf, C_LATIN }, { 0x1e00, 0x1eff, C_LATIN }, { 0x1f00, 0x1fff, C_GREEK },
	{ 0x2c60, 0x2c7f, C_LATIN }, { 0x2d00, 0x2d2f, C_GEORGIAN },
	{ 0x2d80, 0x2ddf, C_ETHIOPIC }, { 0x2e80, 0x2fdf, C_HAN },
	{ 0x3005, 0x3007, C_HAN }, { 0x3021, 0x3029, C_HAN }, { 0x3031, 0x3035, C_HIRAGANA },
	{ 0x3038, 0x303c, C_HAN }, { 0x3041, 0x309f, C_HIRAGANA },
	{ 0x30a1, 0x30ff, C_KATAKANA }, { 0x3100, 0x312f, C_BOPOMOFO },
	{ 0x3130, 0x318f, C_HANGUL }, { 0x31a0, 0x31bf, C_BOPOMOFO },
	{ 0x31f0, 0x31ff, C_KATAKANA }, { 0x3400, 0x4dbf, C_HAN }, { 0x4e00, 0x9fff, C_HAN },
	{ 0xa640, 0xa69f, C_CYRILLIC }, { 0xa722, 0xa7ff, C_LATIN },
	{ 0xa960, 0xa97f, C_HANGUL }, { 0xa9e0, 0xa9ff, C_MYANMAR },
	{ 0xaa60, 0xaa7f, C_MYANMAR }, { 0xab00, 0xab2f, C_ETHIOPIC },
	{ 0xab30, 0xab6f, C_LATIN }, { 0xac00, 0xd7ff, C_HANGUL }, { 0xf900, 0xfaff, C_HAN },
	{ 0xfb00, 0xfb06, C_LATIN }, { 0xfb13, 0xfb17, C_ARMENIAN },
	{ 0xfb1d, 0xfb4f, C_HEBREW }, { 0xfb50, 0xfdff, C_ARABIC },
	{ 0xfe70, 0xfefc, C_ARABIC }, { 0xff21, 0xff3a, C_LATIN }, { 0xff41, 0xff5a, C_LATIN },
	{ 0xff66, 0xff9d, C_KATAKANA }, { 0xffa0, 0xffdc, C_HANGUL },
	{ 0x1b000, 0x1b16f, C_HIRAGANA }, { 0x20000, 0x323af, C_HAN },
};

static int
is_space(uint32_t c)
{
	return c <= 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	       c == 0x202f || c == 0x205f || c == 0x3000;
}

/* The class of the letter, digit or symbol c. */
static enum cls
cls_of(uint32_t c)
{
	size_t lo = 0, hi = sizeof(scripts) / sizeof(scripts[0]), mid;

	if (is_space(c))
		return C_SPACE;
	if (IN(sym, c))
		return C_SYM;
	if (c >= 0x900 && c <= 0xdff) {
		if ((c & 0x7f) >= 0x66 && (c & 0x7f) <= 0x6f)
			return C_DIGIT;
		return (enum cls)(C_INDIC + ((c - 0x900) >> 7));
	}
	if (IN(digit, c))
		return C_DIGIT;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c < scripts[mid].lo)
			hi = mid;
		else if (c > scripts[mid].hi)
			lo = mid + 1;
		else
			return scripts[mid].cls;
	}
	return C_OTHER;
}

/* Letters whose words take digits and inner punctuation. */
static int
alphabetic(enum cls c)
{
	return (c >= C_OTHER && c < C_THAI) || c >= C_INDIC;
}

/* ---- grapheme clusters ---- */

/* Grapheme_Cluster_Break values that matter here (UAX #29). */
enum gcb {
	G_OTHER, G_CR, G_LF, G_CONTROL, G_EXTEND, G_ZWJ, G_RI, G_PREPEND,
	G_L, G_V, G_T, G_LV, G_LVT
};

static enum gcb
gcb_of(uint32_t c)
{
	if (c == '\r')
		return G_CR;
	if (c == '\n')
		return G_LF;
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xad || c == 0x61c ||
	    c == 0x180e || c == 0x200b || c == 0x200e || c == 0x200f ||
	    (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) ||
	    c == 0xfeff || (c >= 0xfff0 && c <= 0xfffb) ||
	    (c >= 0xe0000 && c <= 0xe001f) || (c >= 0xe0080 && c <= 0xe00ff) ||
	    (c >= 0xe01f0 && c <= 0xe0fff))
		return G_CONTROL;
	if (c == 0x200d)
		return G_ZWJ;
	if (IN(extend, c) || indic_mark(c))
		return G_EXTEND;
	if (c >= 0x1f1e6 && c <= 0x1f1ff)
		return G_RI;
	if ((c >= 0x600 && c <= 0x605) || c == 0x6dd || c == 0x70f || c == 0x890 ||
	    c == 0x891 || c == 0x8e2 || c == 0x110bd || c == 0x110cd)
		return G_PREPEND;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0xa960 && c <= 0xa97c))
		return G_L;
	if ((c >= 0x1160 && c <= 0x11a7) || (c >= 0xd7b0 && c <= 0xd7c6))
		return G_V;
	if ((c >= 0x11a8 && c <= 0x11ff) || (c >= 0xd7cb && c <= 0xd7fb))
		return G_T;
	if (c >= 0xac00 && c <= 0xd7a3)
		return (c - 0xac00) % 28 ? G_LVT : G_LV;
	return G_OTHER;
}

/* Decode leniently: an ill-formed byte is one U+FFFD. */
static size_t
next_cp(const char *s, size_t n, uint32_t *c)
{
	size_t k = utf8_decode(s, n, c);

	if (!k)
		*c = 0xfffd, k = 1;
	return k;
}

/* One grapheme cluster: code points, first code point, what it holds. */
struct clu {
	size_t start, end;
	uint32_t base;
	int emoji;		/* has U+FE0F (emoji presentation) or a keycap */
};

/* Is there no break between prev and c (g its break value)? Updates *chain, *ri. */
static int
no_break(enum gcb prev, enum gcb g, uint32_t c, int *chain, int *ri)
{
	if (prev == G_CR)
		return g == G_LF;
	if (prev == G_LF || prev == G_CONTROL || g == G_CR || g == G_LF || g == G_CONTROL)
		return 0;
	if ((prev == G_L && (g == G_L || g == G_V || g == G_LV || g == G_LVT)) ||
	    ((prev == G_LV || prev == G_V) && (g == G_V || g == G_T)) ||
	    ((prev == G_LVT || prev == G_T) && g == G_T)) {
		*chain = 0;
		return 1;
	}
	if (g == G_EXTEND || g == G_ZWJ) {
		/* ExtPict Extend* ZWJ: the next pictograph joins */
		*chain = *chain == 1 ? (g == G_ZWJ ? 2 : 1) : 0;
		return 1;
	}
	if (prev == G_PREPEND) {
		*chain = IN(pict, c);
		return 1;
	}
	if (prev == G_ZWJ && *chain == 2 && IN(pict, c)) {
		*chain = 1;
		return 1;
	}
	if (prev == G_RI && g == G_RI && *ri == 1) {
		*ri = 2;
		return 1;
	}
	return 0;
}

/* The grapheme clusters of text into a new array *out (free()); returns their number. */
static size_t
clusters(const char *text, struct clu **out)
{
	size_t len = text ? strlen(text) : 0, i = 0, cp = 0, n = 0, cap = 0;
	enum gcb prev = G_CONTROL, g;
	int chain = 0, ri = 0;
	uint32_t c;

	*out = NULL;
	while (i < len) {
		i += next_cp(text + i, len - i, &c);
		g = gcb_of(c);
		if (!n || !no_break(prev, g, c, &chain, &ri)) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				*out = xrealloc(*out, cap * sizeof(**out));
			}
			(*out)[n].start = cp;
			(*out)[n].base = c;
			(*out)[n].emoji = 0;
			n++;
			chain = IN(pict, c);
			ri = g == G_RI;
		}
		if (c == 0xfe0f || c == 0x20e3)
			(*out)[n - 1].emoji = 1;
		(*out)[n - 1].end = ++cp;
		prev = g;
	}
	return n;
}

size_t
seg_clusters(const char *text, struct seg_span **out)
{
	struct clu *cl;
	size_t n = clusters(text, &cl), i;

	*out = n ? xmalloc(n * sizeof(**out)) : NULL;
	for (i = 0; i < n; i++) {
		(*out)[i].start = cl[i].start;
		(*out)[i].end = cl[i].end;
	}
	free(cl);
	return n;
}

/* ---- words ---- */

/* The class of a cluster, after the one before it (prev). */
static enum cls
clu_cls(const struct clu *cl, enum cls prev)
{
	enum gcb g = gcb_of(cl->base);

	if (cl->base == 0xad)
		return C_SYM;		/* a soft hyphen: inner punctuation */
	if (g == G_CR || g == G_LF || g == G_CONTROL)
		return C_SPACE;
	if (g == G_EXTEND || g == G_ZWJ)
		return C_SYM;		/* a mark with no base */
	if (cl->base == 0x30fc && (prev == C_HIRAGANA || prev == C_KATAKANA))
		return prev;		/* ー lengthens the kana before it */
	if (cl->emoji && !is_space(cl->base))
		return C_SYM;		/* a keycap, or a character drawn as emoji */
	return cls_of(cl->base);
}

/* May a word of class w go on with a cluster of class c? */
static int
joins(enum cls w, enum cls c)
{
	if (c == C_SPACE || c == C_SYM)
		return 0;
	if (w == c)
		return 1;
	return (w == C_DIGIT && alphabetic(c)) || (c == C_DIGIT && alphabetic(w));
}

/* Punctuation that stays inside a word: 1 between any two of its characters, 2 between digits. */
static int
inner(uint32_t c)
{
	if (c == ',')
		return 2;
	return (c < 0x80 && c && strchr("'-&/_+@.:", (int)c)) || c == 0x2019 ||
	       c == 0x2010 || c == 0x2013 || c == 0xad;
}

size_t
seg_words(const char *text, struct seg_span **out)
{
	struct clu *cl;
	size_t nc = clusters(text, &cl), n = 0, i;
	enum cls *cls = xmalloc((nc + 1) * sizeof(*cls)), w = C_SPACE, next;
	int open = 0, in;

	for (i = 0; i < nc; i++)
		cls[i] = clu_cls(&cl[i], i ? cls[i - 1] : C_SPACE);
	*out = nc ? xmalloc(nc * sizeof(**out)) : NULL;	/* never more words than clusters */
	for (i = 0; i < nc; i++) {
		if (cls[i] == C_SPACE) {
			open = 0;
			continue;
		}
		in = cls[i] == C_SYM ? inner(cl[i].base) : 0;
		next = i + 1 < nc ? cls[i + 1] : C_SPACE;
		if (open && joins(w, next) &&
		    (in == 1 ? w == C_DIGIT || alphabetic(w) :
		     in == 2 && cls[i - 1] == C_DIGIT && next == C_DIGIT)) {
			(*out)[n - 1].end = cl[i].end;
			continue;
		}
		if (open && joins(w, cls[i])) {
			(*out)[n - 1].end = cl[i].end;
			if (w == C_DIGIT)
				w = cls[i];
			continue;
		}
		(*out)[n].start = cl[i].start;
		(*out)[n++].end = cl[i].end;
		w = cls[i];
		open = w != C_SYM;
	}
	free(cls);
	free(cl);
	if (!n) {
		free(*out);
		*out = NULL;
	}
	return n;
}
