#include "dialab/spans.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/jsonw.h"
#include "dialab/segment.h"
#include "dialab/strbuf.h"
#include "dialab/tok.h"
#include "dialab/utf8.h"

/*
 * Slot spans moved onto other words: one implementation for the review
 * (a corrected transcription, R), the weak labels of the judges, and
 * any later caller.
 */

json_int_t
spans_int(const json_t *sp, const char *key)
{
	return json_integer_value(json_object_get(sp, key));
}

int
spans_marked(const json_t *sp)
{
	return json_is_true(json_object_get(sp, "review"));
}

/* text with ASCII letters lower-cased (the same bytes otherwise), new. */
static char *
ascii_lower(const char *text)
{
	char *s = xstrdup(text), *p;

	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return s;
}

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * Where words are in text (lo: text lower-cased), not over a taken
 * span: whole words first, then the same case, then the nearest to
 * near.  Returns the code point, or -1.
 */
static long
find_words(const char *text, const char *lo, const char *words, size_t near,
	   const struct seg_span *taken, size_t ntaken)
{
	char *lw = ascii_lower(words);
	size_t wl = strlen(words), wcp = utf8_cp_len(words), i;
	const char *h;
	long best = -1;
	uint64_t best_score = UINT64_MAX;

	for (h = wl ? strstr(lo, lw) : NULL; h; h = strstr(h + 1, lw)) {
		size_t b = (size_t)(h - lo), cp = utf8_byte_to_cp(text, b);
		int whole = (b == 0 || !is_alnum(text[b - 1])) && !is_alnum(text[b + wl]);
		uint64_t score;

		for (i = 0; i < ntaken; i++)
			if (cp < taken[i].end && taken[i].start < cp + wcp)
				break;
		if (i < ntaken)
			continue;
		score = ((uint64_t)!whole << 41) | ((uint64_t)!!memcmp(text + b, words, wl) << 40) |
			(uint64_t)(cp > near ? cp - near : near - cp);
		if (score < best_score) {
			best_score = score;
			best = (long)cp;
		}
	}
	free(lw);
	return best;
}

/* The words of slot sp: its "value" (which = 0), then the text at its offsets (1); new or NULL. */
static char *
slot_words(const json_t *sp, const char *text, int which)
{
	const char *v = json_string_value(json_object_get(sp, "value"));
	long a, b;

	if (which == 0)
		return v && *v ? xstrdup(v) : NULL;
	if (spans_marked(sp) && !json_is_true(json_object_get(sp, "guess")))
		return NULL;	/* the offsets point at other words */
	a = utf8_cp_to_byte(text, (size_t)spans_int(sp, "start"));
	b = utf8_cp_to_byte(text, (size_t)spans_int(sp, "end"));
	if (spans_int(sp, "start") < 0 || a < 0 || b <= a)
		return NULL;
	return strndup(text + a, (size_t)(b - a));
}

/* The code points of text, ASCII letters lower-cased: a new array of *n. */
static uint64_t *
lower_cps(const char *text, size_t *n)
{
	size_t len = strlen(text), i = 0, k;
	uint64_t *cp = xmalloc((len + 1) * sizeof(*cp));
	uint32_t c;

	*n = 0;
	while (i < len) {
		if (!(k = utf8_decode(text + i, len - i, &c)))
			c = 0xfffd, k = 1;
		cp[(*n)++] = c >= 'A' && c <= 'Z' ? c + 32 : c;
		i += k;
	}
	return cp;
}

/* The words of a text, with its lower-cased code points. */
struct wordseq {
	uint64_t *cp;
	size_t ncp, n;
	struct seg_span *w;
};

static void
wordseq_init(struct wordseq *s, const char *text)
{
	s->cp = lower_cps(text, &s->ncp);
	s->n = seg_words(text, &s->w);
}

static void
wordseq_release(struct wordseq *s)
{
	free(s->cp);
	free(s->w);
}

/*
 * The cost of aligning word i of a with word j of b: 0 for the same
 * word, up to 2 (a deletion and an insertion) for words that share
 * nothing, so that similar words ("oak", "oat") pair up and unlike
 * ones do not.
 */
static double
sub_cost(const struct wordseq *a, size_t i, const struct wordseq *b, size_t j)
{
	size_t la = a->w[i].end - a->w[i].start, lb = b->w[j].end - b->w[j].start;
	size_t d = tok_edit_distance(a->cp + a->w[i].start, la, b->cp + b->w[j].start, lb);

	return 2.0 * (double)d / (double)(la > lb ? la : lb);
}

/*
 * Align the words of a with those of b (least edit cost, word by word):
 * map[i] is the word of b that word i of a stands for (the same word or
 * one like it), or -1 when it was dropped.  Returns -1 when the texts
 * are too long to align, else 0.
 */
static int
align_words(const struct wordseq *a, const struct wordseq *b, long *map)
{
	size_t m = a->n, n = b->n, i, j, w = n + 1;
	double *c, best;
	int ret = 0;

	if (m > 512 || n > 512)
		return -1;
	c = xmalloc((m + 1) * w * sizeof(*c));
	for (i = 0; i <= m; i++)
		c[i * w] = (double)i;
	for (j = 0; j <= n; j++)
		c[j] = (double)j;
	for (i = 1; i <= m; i++)
		for (j = 1; j <= n; j++) {
			best = c[(i - 1) * w + j - 1] + sub_cost(a, i - 1, b, j - 1);
			if (c[(i - 1) * w + j] + 1 < best)
				best = c[(i - 1) * w + j] + 1;
			if (c[i * w + j - 1] + 1 < best)
				best = c[i * w + j - 1] + 1;
			c[i * w + j] = best;
		}
	/*
	 * Back from the end.  On a tie a drop or an insert wins over
	 * pairing unlike words, which so pair as early as they can: "maj
	 * and" pairs "imagine" with "maj" (the span keeps both words), not
	 * with "and".  The same word always pairs.
	 */
	for (i = m, j = n; i > 0;) {
		double here = c[i * w + j], sub = j > 0 ? sub_cost(a, i - 1, b, j - 1) : 2.0;

		if (j > 0 && sub == 0.0 && here == c[(i - 1) * w + j - 1]) {
			map[--i] = (long)--j;
		} else if (here == c[(i - 1) * w + j] + 1) {
			map[--i] = -1;
		} else if (j > 0 && here == c[i * w + j - 1] + 1) {
			j--;
		} else if (j > 0 && sub < 2.0) {
			map[--i] = (long)--j;
		} else {
			map[--i] = -1;
		}
	}
	free(c);
	return ret;
}

/*
 * Where the words under [s, e) of old text stand in new text, through
 * the word alignment: the span from the first to the last new word that
 * one of them pairs with.  Returns 0 with *at and *end, or -1.
 */
static int
aligned_span(const struct wordseq *o, const struct wordseq *nw, const long *map,
	     size_t s, size_t e, size_t *at, size_t *end)
{
	long lo = -1, hi = -1;
	size_t i;

	if (!map)
		return -1;
	for (i = 0; i < o->n; i++)
		if (o->w[i].start < e && s < o->w[i].end && map[i] >= 0) {
			if (lo < 0)
				lo = map[i];
			hi = map[i];
		}
	if (lo < 0)
		return -1;
	*at = nw->w[lo].start;
	*end = nw->w[hi].end;
	return 0;
}

static int
overlaps_taken(size_t a, size_t b, const struct seg_span *taken, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a < taken[i].end && taken[i].start < b)
			return 1;
	return 0;
}

char *
spans_reanchor(const char *slots, const char *old_text, const char *new_text)
{
	json_t *in = slots ? jw_parse(slots) : NULL, *out = json_array(), *sp;
	size_t n = utf8_cp_len(new_text), i, ntaken = 0, ga, gb;
	struct seg_span *taken = xmalloc((json_array_size(in) + 1) * sizeof(*taken));
	char *lo = ascii_lower(new_text);
	struct wordseq ow = { 0 }, nw = { 0 };
	long *map = NULL;
	int aligned = 0;
	struct strbuf sb;

	json_array_foreach(in, i, sp) {
		json_t *o = json_deep_copy(sp);
		json_int_t s = spans_int(sp, "start"), e = spans_int(sp, "end");
		const char *was = json_string_value(json_object_get(sp, "was"));
		/* its value, the words it stood on before a guess, the words at its offsets */
		char *w[3] = { slot_words(sp, old_text, 0), was ? xstrdup(was) : NULL,
			       slot_words(sp, old_text, 1) };
		int guess = json_is_true(json_object_get(sp, "guess"));
		long at = -1;
		int k;

		for (k = 0; k < 3 && at < 0; k++)
			if (w[k] && (at = find_words(new_text, lo, w[k], s > 0 ? (size_t)s : 0,
						     taken, ntaken)) >= 0) {
				taken[ntaken].start = (size_t)at;
				taken[ntaken].end = (size_t)at + utf8_cp_len(w[k]);
				json_object_set_new(o, "start", json_integer(at));
				json_object_set_new(o, "end", json_integer((json_int_t)taken[ntaken++].end));
				if (guess && k == 2)
					continue;	/* moved, and still only a guess */
				json_object_del(o, "review");
				json_object_del(o, "guess");
				json_object_del(o, "was");
			}
		if (at < 0 && w[2] && s >= 0 && e > s && !aligned) {
			/* aligned once, and only for a slot whose words are gone */
			aligned = 1;
			wordseq_init(&ow, old_text);
			wordseq_init(&nw, new_text);
			map = xmalloc((ow.n + 1) * sizeof(*map));
			if (align_words(&ow, &nw, map) < 0) {
				free(map);
				map = NULL;
			}
		}
		if (at < 0 && w[2] && s >= 0 && e > s &&
		    !aligned_span(&ow, &nw, map, (size_t)s, (size_t)e, &ga, &gb) &&
		    !overlaps_taken(ga, gb, taken, ntaken)) {
			/*
			 * Its words changed ("oak milk" -> "oat milk"): placed
			 * on the words they became, and marked until a person
			 * confirms, with the words it stood on.
			 */
			taken[ntaken].start = ga;
			taken[ntaken++].end = gb;
			if (!json_object_get(o, "was"))
				json_object_set_new(o, "was", json_string(w[2]));
			json_object_set_new(o, "start", json_integer((json_int_t)ga));
			json_object_set_new(o, "end", json_integer((json_int_t)gb));
			json_object_set_new(o, "review", json_true());
			json_object_set_new(o, "guess", json_true());
		} else if (at < 0) {
			/* kept, marked, never silently placed on other words */
			if (json_is_true(json_object_get(o, "guess"))) {
				json_object_del(o, "guess");
				if (!json_object_get(o, "value") && json_object_get(o, "was"))
					json_object_set(o, "value", json_object_get(o, "was"));
				json_object_del(o, "was");
			}
			if (w[2] && !json_object_get(o, "value"))
				json_object_set_new(o, "value", json_string(w[2]));
			json_object_set_new(o, "start", json_integer(s < (json_int_t)n ? s : (json_int_t)n));
			json_object_set_new(o, "end", json_integer(e < (json_int_t)n ? e : (json_int_t)n));
			json_object_set_new(o, "review", json_true());
		}
		json_array_append_new(out, o);
		free(w[0]);
		free(w[1]);
		free(w[2]);
	}
	sb_init(&sb);
	jw_value(&sb, out);
	json_decref(in);
	json_decref(out);
	wordseq_release(&ow);
	wordseq_release(&nw);
	free(map);
	free(taken);
	free(lo);
	return sb.buf;
}
