#ifndef DIALAB_JUDGE_H
#define DIALAB_JUDGE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "dialab/error.h"
#include "dialab/intent.h"
#include "dialab/reader.h"
#include "dialab/store.h"
#include "dialab/strbuf.h"

/*
 * The evidence of a dialogue's turns, as the goal segmenter, the goal
 * judge and the failure-point classifier see it (DESIGN.md section 6).
 *
 * Each of those models is the multinomial logistic regression of
 * intent.h run over a "sentence" of evidence tokens instead of words
 * (judge_features() writes them): binned ASR and NLU confidences, the
 * kind of response, barge-in, the time gap and the rephrase score
 * between neighbouring turns, whether the next turn negates or keeps
 * the intent, and a few conjunctions of these.  Tokens are words of
 * tok_split() ("asr_c1", "nlu_c0_X_n_reph_r3"), so the same hashing,
 * training and blob format serve.
 */

/* One turn's evidence. */
struct jd_turn {
	const char *text, *response;	/* response may be NULL */
	char intent[64], domain[64];	/* the live NLU's; "" when unknown */
	double ts, asr, nlu_conf;	/* ts < 0, asr < 0, nlu_conf < 0: unknown */
	int barge_in;			/* 0, 1, or -1 when unknown */
	int echo;			/* of the live NLU's slot values, the response
					   names: 0 none, 1 some, 2 all; -1 no slots
					   or no response */
	double reph_prev;		/* rephrase score against the turn before,
					   filled when first needed (-1 until then) */
};

/* Fill t from a stored turn (parses its nlu JSON and time stamp). */
void judge_turn(struct jd_turn *t, const struct st_turn *st);

/*
 * When the live NLU left no intent: take the human or gold intent label
 * of turn idx among labels, if any.
 */
void judge_intent_from_labels(struct jd_turn *t, int idx, const struct st_label *labels,
			      size_t nlabels);

/*
 * How likely b restates a (0..1): the larger of the Jaccard overlap of
 * their lower-cased word sets and the Dice overlap of their character
 * trigrams.  A fixed scorer: it is a feature of the models below.
 */
double judge_rephrase(const char *a, const char *b);

/* The kind of a response: "none", "err" (an apology or error prompt), "q" (a question back), "ok". */
const char *judge_response_kind(const char *r);

/* Does the user's text reject what came before ("no", "that's wrong", "stop", "I meant")? */
int judge_negates(const char *text);

enum jd_task {
	JD_FPI,		/* the failure point of turn i */
	JD_BOUNDARY,	/* does a new goal start at turn i (i >= 1)? */
	JD_OUTCOME,	/* the outcome of the goal of turns [i, end) */
	JD_REPHRASE	/* does turn i (i >= 1) restate turn i - 1? */
};

/*
 * Append the evidence tokens of task at turn i to out.  end is, for
 * JD_OUTCOME, the end of the goal's turns; for JD_BOUNDARY, nonzero
 * when a goal started at turn i - 1 (the chain's previous tag).
 */
void judge_features(const struct jd_turn *t, size_t n, size_t i, size_t end,
		    enum jd_task task, struct strbuf *out);


/*
 * The rephrase detector's answer for every pair of neighbouring turns:
 * set t[k].reph_prev (k >= 1) to the probability under m (a JD_REPHRASE
 * classifier) that turn k restates turn k - 1.  The other tasks' rephrase
 * evidence then comes from it.  With m NULL, go back to the fixed score
 * of judge_rephrase().
 */
void jd_rephrase_fill(const struct intent_model *m, struct jd_turn *t, size_t n);

/* One dialogue's evidence and gold labels (-1: none). */
struct jd_dialogue {
	int64_t id;
	int dev;
	size_t first, n;	/* its turns: set->turns[first .. first + n) */
	int *goal;		/* [n]: gold goal number */
	int *fp;		/* [n]: gold failure point (enum fp_stage) */
	int *reph;		/* [n]: gold "restates the turn before" (0/1) */
	int *outcome;		/* [maxgoal + 1]: 1 success, 0 failure */
	int maxgoal;
};

/* The dialogues of a database that have gold goals, outcomes, failure points or rephrases. */
struct jd_set {
	struct jd_dialogue *d;
	size_t nd, capd;
	struct jd_turn *turns;
	size_t nt, capt;
	struct strbuf text;	/* the turns' texts and responses */
	long dialogues, dev_dialogues;
};

int jd_set_from_store(struct jd_set *s, struct store *st, double dev_split, uint64_t seed,
		      struct dl_error *err);
/* The same from a labelled file (format f), every dialogue held out; errors as import's. */
int jd_set_from_file(struct jd_set *s, const char *path, enum in_format f,
		     struct dl_error *err);
void jd_set_release(struct jd_set *s);

/* The classes of each task's classifier, in the model's order. */
const char *const *jd_classes(enum jd_task task, size_t *n);

/*
 * Train the classifier of task on the non-held-out dialogues of s.
 * Sets *n_train and *n_dev (examples).  Returns the model, or NULL
 * with err set (DL_EX_DATAERR when there are no examples).
 */
struct intent_model *jd_train(const struct jd_set *s, enum jd_task task, uint64_t seed,
			      long *n_train, long *n_dev, struct dl_error *err);

/*
 * Score m (a classifier of task) on s (only the held-out dialogues when
 * dev_only): classification figures for JD_FPI, JD_REPHRASE and
 * JD_OUTCOME (the latter on the gold goals), boundary P/R/F1, Pk and WindowDiff for
 * JD_BOUNDARY.  target as in learn_score().
 */
json_t *jd_score(const struct jd_set *s, int dev_only, enum jd_task task,
		 const struct intent_model *m, double target);

/*
 * Segment the n turns t into goals: the boundary classifier gives
 * P(new goal at i | evidence, whether one started at i - 1), and
 * Viterbi finds the likeliest chain of tags (a maximum-entropy Markov
 * model).  goal[i] numbers from 1; conf[i] is the probability of the
 * decision at turn i given the one before (1 for turn 0).
 */
void jd_segment(const struct intent_model *m, const struct jd_turn *t, size_t n, int *goal,
		double *conf);

/*
 * A weak label from implicit feedback (the label model): when turn i
 * failed (an error prompt, a barge-in, or the user came straight back
 * to it) and the next turn restates it (rephrase score >= 0.4 within
 * a minute) and worked, turn i inherits the next turn's live
 * interpretation (signal "rephrase"); a turn that worked keeps its own
 * (signal "success").  Slots are moved onto turn i's text by their
 * words, and left out when a word is not there.
 */
struct jd_weak {
	const char *signal;	/* "rephrase" or "success" */
	char intent[64];
	int has_slots;
	struct strbuf slots;	/* JSON array, when has_slots; caller-owned (sb_init) */
	double confidence;	/* the live NLU's confidence times the rephrase score */
};

/*
 * Did turn i fail and the next turn restate it (rephrase score >= 0.4
 * within a minute) and work?  judge_weak()'s "rephrase" signal.
 */
int jd_restated(const struct jd_turn *t, size_t n, size_t i);

/* The rephrase score of turn k against the turn before (0 for the first), computed once. */
double jd_rephrase_score(const struct jd_turn *t, size_t k);

/*
 * When a failed turn said a was restated as b, and their difference
 * sounds like a recognition error, the words a should have been heard
 * as: a with its differing words (at most four on each side, the words
 * around them the same) replaced by b's, into out (reset first).
 * Returns its confidence in (0, 1]: the phonetic or spelling similarity
 * of the differing words (at least 0.5), lowered when the recogniser was
 * confident (asr; < 0 unknown).  0, and out empty, when the words are
 * the same (an NLU failure), only added or dropped, or unlike (a
 * reformulation).
 */
double judge_asr_repair(const char *a, const char *b, double asr, struct strbuf *out);

/* Fill w for turn i of the n turns (t their evidence); 1 when there is a weak label. */
int judge_weak(const struct st_turn *turns, const struct jd_turn *t, size_t n, size_t i,
	       struct jd_weak *w);

#endif
