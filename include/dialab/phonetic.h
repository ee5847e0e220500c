#ifndef DIALAB_PHONETIC_H
#define DIALAB_PHONETIC_H

#include <stddef.h>

#include "dialab/strbuf.h"

/*
 * A phonetic key, in the manner of Metaphone: how an English word
 * sounds, so that words a recogniser confuses ("maj and" and "imagine",
 * "beetles" and "beatles") get keys that are alike.  The key of a text
 * is the keys of its words one after another, with no space between
 * them, because a recogniser moves word boundaries ("imagine" heard as
 * "maj and").
 *
 * Rules, on the lower-cased ASCII letters of each word (digits are kept
 * as they are; other characters end a word and are dropped):
 *   - a vowel (a e i o u, and y before a consonant) counts only as the
 *     first letter of a word, written A;
 *   - a letter doubled counts once (cc excepted);
 *   - initial kn gn pn wr ae drop their first letter, initial x is S,
 *     initial wh is W;
 *   - b after m at the end is silent; c is X in cia and ch (but K in
 *     sch), S before e i y, else K; d is J before ge gi gy, else T;
 *     g is silent in gh before a consonant or at the end and in gn at
 *     the end, J before e i y, else K; h is silent after c s p t g and
 *     when no vowel follows; k after c is silent; ph is F; q is K;
 *     s is X in sh sio sia; t is X in tio tia, 0 (theta) in th, silent
 *     in tch; v is F; w and y are kept only before a vowel; x is KS;
 *     z is S.
 */

/* Append the key of the word w[0..n) to out. */
void phon_word(struct strbuf *out, const char *w, size_t n);

/* Reset out to the key of text (all its words). Returns its length. */
size_t phon_key(struct strbuf *out, const char *text);

/*
 * How alike a and b sound, 0..1: one minus the edit distance of their
 * keys over the longer key's length (1 when both keys are empty).
 */
double phon_similarity(const char *a, const char *b);

#endif
