#ifndef DIALAB_DATASET_H
#define DIALAB_DATASET_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "dialab/context.h"
#include "dialab/error.h"
#include "dialab/reader.h"
#include "dialab/slots.h"
#include "dialab/store.h"

/*
 * The gold labels the models learn from and are scored on: one item per
 * turn that has a human answer (a reviewer's standing decision, a
 * human: label or an import: gold label) for its intent or its slots.
 * When a turn has several, the reviewers' decisions win over stored
 * labels, and the newest wins among each.
 *
 * Items come from a database (with a held-out split by dialogue) or
 * from a labelled file in any format `import` reads.
 */

/* A growing table of names; an item refers to a name by its index. */
struct ds_names {
	char **v;
	size_t n;
};

/* Index of s in nm, added at the end when absent. */
int ds_names_add(struct ds_names *nm, const char *s);
void ds_names_release(struct ds_names *nm);

struct ds_item {
	int64_t dialogue_id;	/* row id in the database; 0 from a file */
	int turn_idx;
	char *text;
	int dev;		/* held out: not for training */
	int intent;		/* index in the intent names; -1: no gold intent */
	int has_slots;		/* the slots below are gold */
	struct slot_span *spans;	/* types index the type names */
	size_t nspans;
	char *ctx;		/* the turn's context (context.h list), or NULL */
};

struct dataset {
	struct ds_item *v;
	size_t n, cap;
	struct ds_names intents, types;
	long dialogues, dev_dialogues;	/* read, and of them held out */
	long skipped;		/* gold slots left out: not a valid span list */
	long weak;		/* turns given a weak label (see dataset_from_store()) */
};

void dataset_init(struct dataset *ds);
void dataset_release(struct dataset *ds);

/*
 * Is the dialogue with this format id in the held-out share of a split?
 * The choice hashes the id with the seed, so it is the same in every
 * run and does not depend on the order of the dialogues.
 */
int dataset_is_dev(const char *ext_id, double dev_split, uint64_t seed);

/*
 * Add every gold-labelled turn of the database to ds, marking the
 * dialogues dataset_is_dev() picks.  With weak, a turn of a dialogue
 * that is not held out and lacks a human intent or slots gets the weak
 * label of judge_weak() instead, when there is one.  Returns 0, or -1
 * with err set.
 */
int dataset_from_store(struct dataset *ds, struct store *st, double dev_split,
		       uint64_t seed, int weak, struct dl_error *err);

/*
 * Add every turn of the file at path (format f) that has a gold label
 * (source human: or import:) as held-out items.  Records are checked
 * as `import` checks them; the first bad one is an error that names
 * its file, line and field.  Returns 0, or -1 with err set.
 */
int dataset_from_file(struct dataset *ds, const char *path, enum in_format f,
		      struct dl_error *err);

/*
 * The context of turn t of a dialogue into c (context.h): the dialogue's
 * device and context objects (parsed once per dialogue by the caller;
 * either may be NULL), the turn's time stamp and device_state, and the
 * live NLU intent of the turn before.
 */
void dataset_turn_ctx(struct ctx *c, const json_t *device, const json_t *context,
		      const struct st_turn *turns, size_t t);

/*
 * Parse the JSON text of a slots label over text into spans whose types
 * index types (added when new).  Returns the number of spans (written
 * to a new array in *out, free() it), or -1 when the value is not a
 * valid span list for text.
 */
long dataset_parse_slots(const char *value, const char *text, struct ds_names *types,
			 struct slot_span **out);

/*
 * The words the slots label lab stands on (dialab-format(5)): the
 * latest transcription its source gave the same turn, in *text, held by
 * the JSON string returned (json_decref() it); else NULL, and *text is
 * left as it is.  lab may be NULL.
 */
json_t *dataset_slot_words(const struct st_label *labels, size_t nlabels,
			   const struct st_label *lab, const char **text);

#endif
