#ifndef DIALAB_SPANS_H
#define DIALAB_SPANS_H

#include <jansson.h>

/* A slot's integer member ("start", "end"), 0 when it has none. */
json_int_t spans_int(const json_t *slot, const char *key);
/* Is the slot marked for review ("review": true)? */
int spans_marked(const json_t *slot);

/*
 * Slots (a JSON array of {type, start, end}, code points) over old_text
 * moved onto new_text, the one re-anchoring every module uses:
 *
 * - A slot goes where its words are in new_text: its "value", else the
 *   words it stood on before a guess ("was"), else the words at its
 *   offsets; whole words first, then the same case, then the place
 *   nearest its old one; never onto words another slot took.
 * - Else, when its words changed ("oak milk" -> "oat milk", "maj and
 *   dragons" -> "imagine dragons"), it goes onto the words they became,
 *   found by aligning the words of the two texts (seg_words(); least
 *   edit cost, a word's change costed by how many of its letters
 *   differ), and is marked "review":true and "guess":true with its old
 *   words as "was": a guess a person must confirm.
 * - Else it keeps its offsets, clipped to new_text, marked "review":true
 *   with its words as "value": never placed on other words.
 *
 * A guessed slot found again by its guessed words stays a guess; one
 * whose old words come back is settled there.  Marked slots are no
 * answer (fmt_slots_unsettled()).  Returns a new string (free()); NULL
 * or invalid slots give "[]".
 */
char *spans_reanchor(const char *slots, const char *old_text, const char *new_text);

#endif
