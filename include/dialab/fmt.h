#ifndef DIALAB_FMT_H
#define DIALAB_FMT_H

#include <jansson.h>

#include "dialab/error.h"

/* The dialab interchange format: DESIGN.md section 4, dialab-format(5). */

enum label_kind {
	LK_INTENT,
	LK_SLOTS,
	LK_TRANSCRIPTION,
	LK_FAILURE_POINT,
	LK_GOAL,
	LK_GOAL_OUTCOME,
	LK_REPHRASE,	/* on a turn: does it restate the turn before? (boolean) */
	LK__COUNT
};

enum fp_stage {
	FP_CORRECT,
	FP_FALSE_WAKE,
	FP_ASR,
	FP_NLU,
	FP_ENTITY,
	FP_RESULT,
	FP__COUNT
};

/* "intent", "slots", ...; NULL for an out-of-range kind. */
const char *fmt_kind_name(enum label_kind k);
/* The kind named s, or -1. */
int fmt_kind_parse(const char *s);
/* "correct", "false_wake", ... */
const char *fmt_fp_name(enum fp_stage s);
/* The stage named s (or its alias "er" for entity), or -1. */
int fmt_fp_parse(const char *s);

/*
 * Time stamp: a JSON number of Unix seconds or an RFC 3339 string.
 * Stores the seconds in *out and returns 0, or returns -1.
 */
int fmt_ts_parse(const json_t *ts, double *out);

/* "string", "integer", "array", ... for messages. */
const char *fmt_type_name(const json_t *v);

/*
 * Check one dialogue record against the format.  On the first problem
 * returns -1 with err set to DL_EX_DATAERR, file and line as given and
 * the JSON path of the offending value.
 */
int fmt_validate(const json_t *d, const char *file, long line,
		 struct dl_error *err);

/*
 * Check a slot list (array of {type, start, end}) against text: code
 * point offsets, inside the text, start < end, no overlap.  path names
 * the array in messages.
 */
int fmt_check_slots(const json_t *slots, const char *text, const char *path,
		    const char *file, long line, struct dl_error *err);

/*
 * Rewrite accepted aliases to their names, in place, before
 * validation: the failure point "er" (entity recognition, as some logs
 * write it) becomes "entity".
 */
void fmt_normalize(json_t *d);

/*
 * Does a slots value (JSON text) hold a slot marked for review
 * ("review": true: its words changed under it)?  Such a value is not an
 * answer: the field stays pending, and export, train and agree never
 * take it.  NULL, invalid JSON and other kinds' values are settled (0).
 */
int fmt_slots_unsettled(const char *json);

/* Is s the source of a human answer or gold label ("human:", "import:")? */
int fmt_source_gold(const char *s);
/* Does s look like a label source ("model:", "human:", "implicit:", "import:")? */
int fmt_source_ok(const char *s);

#endif
