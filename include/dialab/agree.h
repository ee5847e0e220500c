#ifndef DIALAB_AGREE_H
#define DIALAB_AGREE_H

#include <jansson.h>

#include "dialab/error.h"
#include "dialab/store.h"

/*
 * Agreement between annotators (DESIGN.md section 6, `dialab agree`).
 *
 * An annotator's answer to a target (a turn's intent, slots,
 * transcription, failure point or goal, a goal's outcome) is their
 * standing decision in the log, else their newest stored human: label.
 * The models' answer is the newest model: or implicit: label.
 *
 * For the kinds with categories (intent, failure_point, transcription,
 * goal_outcome): Cohen's kappa and observed agreement for each pair of
 * annotators, Fleiss' kappa over the targets rated by the largest
 * number of annotators, Krippendorff's alpha (nominal) over all
 * targets with two answers or more, the majority gold (at least 2
 * answers alike and no tie), the model against that gold, and each
 * annotator against the majority of the *others* (leave-one-out, so an
 * annotator is never scored against a gold they helped make) beside
 * the model on the same targets: does the model beat a single
 * annotator?  For slots: span precision, recall and F1 (CoNLL rule)
 * between each pair, the first of the pair as reference.  For goals:
 * boundary F1 between each pair over the dialogues both segmented.
 */

/*
 * The report for kind (NULL: every kind) as a new JSON object, or NULL
 * with err set.
 */
json_t *agree_report(struct store *st, const char *kind, struct dl_error *err);

#endif
