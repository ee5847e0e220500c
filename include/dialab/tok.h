#ifndef DIALAB_TOK_H
#define DIALAB_TOK_H

#include <stddef.h>
#include <stdint.h>

#include "dialab/strbuf.h"

/*
 * The tokenizer the models share, so the intent classifier and the slot
 * tagger see the same words and a caller can snap spans to them.
 *
 * Rules: Unicode white space separates tokens.  A word is a run of
 * letters, digits and combining marks (anything that is neither space
 * nor punctuation), and keeps one inner ' ’ - ‐ – & / _ + @ . : between
 * two word characters ("don't", "top-rated", "r&b", "9:30", "3.5"), or
 * a comma between two digits ("1,000").  Every other punctuation or
 * symbol character is a token of its own; variation selectors, skin
 * tones, keycaps and ZWJ sequences stay with the emoji before them and
 * a pair of regional indicators is one flag.  Ill-formed UTF-8 bytes
 * are taken one at a time as U+FFFD, so tokenizing never fails.
 */

enum tok_kind { TOK_WORD, TOK_PUNCT };

struct tok {
	size_t byte_start, byte_end;	/* [start, end) in the text */
	size_t cp_start, cp_end;	/* the same in code points */
	size_t lower;		/* offset of the lower-cased copy in list->lower */
	size_t lower_len;	/* its length in bytes (NUL follows) */
	enum tok_kind kind;
};

/* Tokens of one text.  Caller-owned: tok_list_init(), tok_list_release(). */
struct tok_list {
	struct tok *v;
	size_t n, cap;
	struct strbuf lower;	/* lower-cased tokens, each NUL-terminated */
};

void tok_list_init(struct tok_list *tl);
void tok_list_release(struct tok_list *tl);

/*
 * Replace the contents of tl with the tokens of the NUL-terminated
 * text.  Offsets count code points as utf8_cp_len() does, so they are
 * the dialab span offsets whenever text is valid UTF-8.
 */
void tok_split(struct tok_list *tl, const char *text);

/* The lower-cased text of token i (NUL-terminated, owned by tl). */
static inline const char *
tok_lower(const struct tok_list *tl, size_t i)
{
	return tl->lower.buf + tl->v[i].lower;
}

/*
 * Normalise text for matching into out (reset first): lower case,
 * words only, one space between them, ’ as '.  Returns the number of
 * words.
 */
size_t tok_norm(struct strbuf *out, const char *text);

/* Does the normalised text (tok_norm()) hold the normalised phrase as whole words? */
int tok_has_phrase(const char *norm, const char *phrase);

/*
 * Simple lower-casing of one code point: ASCII, Latin-1, Latin
 * Extended-A and Additional, Greek, Cyrillic, Armenian and full-width
 * Latin.  Other code points come back unchanged.
 */
uint32_t tok_lower_cp(uint32_t cp);

/*
 * 64-bit hash of n bytes, and a mix of two hashes.  Saved models store
 * features by these values, so they must never change.
 */
uint64_t tok_hash(const void *p, size_t n, uint64_t seed);

static inline uint64_t
tok_mix(uint64_t a, uint64_t b)
{
	uint64_t z = a * 0x9e3779b97f4a7c15u + b;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/*
 * The edit distance (Levenshtein: insertions, deletions and changes, 1
 * each) of two sequences: token hashes, code points.  Cannot fail.
 */
size_t tok_edit_distance(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

#endif
