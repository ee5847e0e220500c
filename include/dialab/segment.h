#ifndef DIALAB_SEGMENT_H
#define DIALAB_SEGMENT_H

#include <stddef.h>

/*
 * Text segmentation for the word cursor: grapheme clusters and words,
 * as spans of code points, so that a selection never cuts a character
 * the reader sees as one and text without spaces still has words.
 *
 * Both functions read a NUL-terminated text that should be UTF-8; an
 * ill-formed byte is taken as one code point U+FFFD (as utf8_decode()
 * callers do elsewhere), so segmenting never fails.  Running out of
 * memory aborts, as xmalloc() does.
 */

/* Code points [start, end) of a text. */
struct seg_span {
	size_t start, end;
};

/*
 * The grapheme clusters of text, the rules of UAX #29 for extended
 * clusters without the Indic conjunct rule (GB9c): a base with its
 * combining marks and variation selectors, CR LF, Hangul syllables
 * from jamo, emoji with skin tones, tags and keycaps, ZWJ sequences
 * and regional-indicator pairs (flags).  Each control character is a
 * cluster of its own.  Returns their number; *out is a new array
 * (free()), or NULL when text is empty or NULL.
 */
size_t seg_clusters(const char *text, struct seg_span **out);

/*
 * The words of text, in order, as runs of grapheme clusters (never
 * cut inside one):
 *  - white space and control characters separate words and are in none;
 *  - a word is a run of letters of one script: Han, Hiragana, Katakana,
 *    Hangul, Thai, Lao, Khmer, Myanmar, Latin, Greek, Cyrillic, Arabic,
 *    Hebrew, each Indic script, ...; a change of script starts a new
 *    word ("東京の天気" is 東京 / の / 天気), with no dictionary, so a
 *    run of one script is one word;
 *  - ー after Hiragana or Katakana belongs to the run;
 *  - digits join the letters of an alphabetic script ("3pm", "mp3"),
 *    not Han, Kana, Hangul or Thai ("3時" is 3 / 時);
 *  - inside an alphabetic or digit word, one of ' ’ - ‐ – & / _ + @ . :
 *    or a soft hyphen between two of its characters stays in the word
 *    ("what's", "e-mail", "10:30"), and so does a comma between digits
 *    ("1,000");
 *  - every other punctuation mark, symbol or emoji (a whole cluster:
 *    a ZWJ family, a flag, a keycap) is a word of its own, never glued
 *    to the word beside it ("hello," is hello / , and "東京、" is
 *    東京 / 、).
 * Returns the number of words; *out is a new array (free()), or NULL
 * when there are none.
 */
size_t seg_words(const char *text, struct seg_span **out);

#endif
