#ifndef DIALAB_LEARN_H
#define DIALAB_LEARN_H

#include <jansson.h>
#include <stdint.h>

#include "dialab/dataset.h"
#include "dialab/error.h"
#include "dialab/intent.h"
#include "dialab/metrics.h"
#include "dialab/reader.h"
#include "dialab/slots.h"
#include "dialab/store.h"

/*
 * The learning loop behind `train`, `label` and `eval` (DESIGN.md
 * section 6): train models on the gold labels of a database, store
 * them as new versions, write their proposals for the turns humans
 * have not answered, and score them on held-out gold.
 *
 * Reports come back as JSON objects (the commands print them, as text
 * or with --json); errors as a dl_error.
 */

/* Which models: a bit set. */
enum {
	LM_INTENT = 1 << 0,
	LM_SLOTS = 1 << 1,
	LM_FPI = 1 << 2,	/* failure point */
	LM_GOALS = 1 << 3,	/* goal boundaries */
	LM_OUTCOME = 1 << 4,	/* goal outcome */
	LM_REPHRASE = 1 << 5,	/* does a turn restate the one before? */
	LM_JUDGES = LM_FPI | LM_GOALS | LM_OUTCOME | LM_REPHRASE,
	LM_ALL = LM_INTENT | LM_SLOTS | LM_JUDGES
};
#define LM_COUNT 6

/*
 * Parse a list of model names ("intent", "slots", "fpi", "goals",
 * "outcome", "rephrase", comma-separated, or "all") into *mask; *all tells whether "all" was among them.  Returns
 * 0, or -1 with err set (DL_EX_USAGE).
 */
int learn_models_parse(const char *s, unsigned *mask, int *all, struct dl_error *err);

struct learn_opts {
	unsigned models;	/* LM_* bits */
	int any;		/* "all": those models there is data (or a model) for */
	double dev_split;	/* train: share of dialogues held out, 0..0.9 */
	uint64_t seed;		/* train: split and shuffling */
	int weak;		/* train: weak labels where no human answered */
	int no_context;		/* train: the words alone, no context features */
	const char *annotator;	/* train: who trains (stored with the model) */
	const char *where;	/* label: which dialogues, see learn_label() */
	int implicit;		/* label: also implicit feedback's labels */
	int min_human;		/* label: only implicit labels as accurate as one annotator */
	double target;		/* eval: precision to reach; 0: the annotators' */
	/* Long work calls this now and then (may be NULL). */
	void (*progress)(void *ctx, const char *what, long done, long total);
	void *pctx;
};

/* Trained models loaded from a database. */
struct learn_models {
	struct intent_model *intent;
	int intent_version;
	struct slots_model *slots;
	int slots_version;
	struct ds_names slot_intents;	/* the slots model's numbering of intents */
	struct intent_model *judge[4];	/* fpi, goals, outcome, rephrase (judge.h) */
	int judge_version[4];
	/*
	 * The rephrase detector whose answers fpi, goals and outcome were
	 * trained on (their evidence), or NULL: judge_rephrase()'s score.
	 */
	struct intent_model *feed[3];
	int feed_version[3];
	double split[LM_COUNT];	/* each model's held-out share and seed */
	uint64_t seed[LM_COUNT];
};

/*
 * Load the newest stored version of each model in mask.  A model that
 * was never trained is an error (DL_EX_DATAERR) naming `dialab train`,
 * unless any is set, when it is left out (but one must exist).
 * Returns 0, or -1 with err set; release with learn_models_release().
 */
int learn_models_load(struct store *st, unsigned mask, int any, struct learn_models *lm,
		      struct dl_error *err);
void learn_models_release(struct learn_models *lm);

/*
 * Interpret one utterance in context ctx (a context.h list, or NULL)
 * with the loaded intent and slot models (either may be missing):
 * {"intent", "confidence", "candidates": [{value, confidence}],
 * "slots": [{type, start, end, text, confidence}]}.
 */
json_t *learn_interpret(const struct learn_models *lm, const char *text, const char *ctx);

/*
 * How the context ctx (a context.h list) moved the best intent of text
 * under model m: NULL when it is the same without the context; else
 * {"without": {"value", "confidence"}, "because": ["device_state
 * oven=on", ...]}, because naming the features of each group whose
 * masking alone changes the answer (all of them when no one does).
 * best is the model's best answer in the context when the caller has
 * it already (NULL: computed here).
 */
json_t *learn_context_effect(const struct intent_model *m, const char *text, const char *ctx,
			     const struct intent_candidate *best);

/*
 * Train the models in o->models on the database's gold labels, holding
 * out o->dev_split of the dialogues, score each on them and store it as
 * a new version (all in one transaction).  Deterministic for a seed.
 * With no gold labels for a model asked for by name it is an error
 * (DL_EX_DATAERR); "all" trains those that have some.  Returns the
 * report {"models": [{name, version, n_train, n_dev, seconds, params,
 * metrics}]}, or NULL with err set.
 */
json_t *learn_train(struct store *st, const struct learn_opts *o, struct dl_error *err);

/*
 * Write the proposals of the newest models for every turn that lacks a
 * human answer of that kind and a proposal of that model version, in
 * batches that are each committed: an interrupted run resumes where it
 * stopped.  o->where limits the dialogues, in the filter language of
 * review (filter.h: intent, fp, source, user, device, id).  Returns the
 * report {"models": {...}, "dialogues", "turns", "written": {kind: n},
 * "kept_human": {kind: n}, "already": {kind: n}, "seconds"}, or NULL.
 */
json_t *learn_label(struct store *st, const struct learn_opts *o, struct dl_error *err);

/*
 * Score the newest models: on the labelled file data (format f) when
 * data is not NULL, else on the database's gold labels held out when
 * each model was trained (all of them, flagged "on": "training data",
 * when it held none out).  Returns the report, or NULL with err set.
 */
json_t *learn_eval(struct store *st, const struct learn_opts *o, const char *data,
		   enum in_format f, struct dl_error *err);

/*
 * Score lm on the items of ds (only the held-out ones when dev_only):
 * intent accuracy, macro-F1, per-class figures, confusion matrix and
 * accuracy/coverage curve; slot span P/R/F1 (CoNLL rule) and exact
 * match; sentence accuracy (intent and every span right).  target is
 * the precision whose threshold and coverage are reported (0: none).
 */
json_t *learn_score(const struct dataset *ds, int dev_only, const struct learn_models *lm,
		    unsigned mask, double target);

/*
 * The figures of a classifier from its confusion matrix (class c is
 * names[c]) and the confidence and correctness of its n answers:
 * accuracy, macro and per-class P/R/F1, the matrix over the classes
 * that occur, the accuracy/coverage curve and, when target > 0, the
 * threshold that reaches it.
 */
json_t *learn_class_json(const struct metrics_confusion *cm, const char *const *names,
			 const double *conf, const int *correct, size_t n, double target);

#endif
