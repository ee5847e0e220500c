#ifndef DIALAB_INTENT_H
#define DIALAB_INTENT_H

#include <stddef.h>
#include <stdint.h>

#include "dialab/error.h"
#include "dialab/strbuf.h"

/*
 * The intent classifier (DESIGN.md section 6): multinomial logistic
 * regression over hashed features of one utterance, trained by SGD.
 *
 * Features, all from the tokens of tok_split() lower-cased: word
 * unigrams, bigrams (and optionally trigrams) with sentence boundary
 * marks, and the character n-grams of each token with word boundary
 * marks ("<ab", "abc", "bc>").  When an utterance has a context
 * (context.h), each context feature is a feature too, alone and
 * conjoined with each word ("temperature" & "state:oven=on"), weighted
 * as words; without one the features are the words' alone, so a
 * context-blind data set trains the same model as before.  They are hashed into 2^hash_bits
 * buckets.  Only buckets seen in training get weights, so a model takes
 * about 4 * nclasses + 20 bytes per bucket used (SNIPS, 7 classes:
 * 108,000 buckets, 5 MiB in memory, a 3.3 MiB blob).  Word n-grams and
 * character n-grams are weighted word_weight : 1 and each utterance's
 * vector is scaled to unit length.
 *
 * The model does no I/O and keeps no pointer to the training data.
 * Everything is single-threaded; a trained or loaded model is read-only
 * and may be shared by threads calling intent_predict().
 */

struct intent_model;

/*
 * One training utterance: text (UTF-8), the index of its class and its
 * context (a context.h list, or NULL).
 */
struct intent_example {
	const char *text;
	int label;
	const char *ctx;
};

/* One ranked class: its index, name (owned by the model) and probability. */
struct intent_candidate {
	int id;
	const char *name;
	double confidence;
};

/* Hyper-parameters; intent_params_init() gives the defaults. */
struct intent_params {
	uint64_t seed;		/* shuffling order; same seed, same model (0) */
	int epochs;		/* passes over the data (12) */
	double learning_rate;	/* first SGD step, decays linearly to 0 (4) */
	double l2;		/* L2 penalty per example (1e-6) */
	double word_weight;	/* value of a word n-gram feature; character
				   n-grams have 1, and the vector is scaled
				   to unit length (2) */
	int hash_bits;		/* 2^bits feature buckets, 12..26 (20) */
	int word_ngrams;	/* 1 unigrams, 2 + bigrams, 3 + trigrams (2) */
	int char_min, char_max;	/* character n-grams, in code points (3, 5);
				   char_max 0 turns them off; at most 8 */
};

/* Fill p with the defaults above. */
void intent_params_init(struct intent_params *p);

/*
 * Train a model on ex[0..n) whose labels index classes[0..nclasses).
 * p may be NULL for the defaults.  The model copies the class names.
 * Returns a new model (free with intent_free()), or NULL with err set
 * to DL_EX_DATAERR when there are no examples or classes, a label is
 * out of range or a text is NULL, and DL_EX_USAGE when a parameter is
 * out of range.  Deterministic: the same data, parameters and seed
 * give the same model, byte for byte once saved.
 */
struct intent_model *intent_train(const struct intent_example *ex, size_t n,
				  const char *const *classes, size_t nclasses,
				  const struct intent_params *p,
				  struct dl_error *err);

/*
 * Classify text (UTF-8; ill-formed bytes are taken as U+FFFD).  Writes
 * the min(k, nclasses) most likely classes, best first (ties by class
 * index) into top[] and returns how many it wrote.  Confidences are
 * softmax probabilities, so they sum to at most 1 over the k written.
 * Never fails; an empty text gets the prior the biases learned.
 */
size_t intent_predict(const struct intent_model *m, const char *text,
		      struct intent_candidate *top, size_t k);

/*
 * The same in a context: ctx is a context.h list (NULL: none, as
 * intent_predict()).  Masking the context is passing NULL.
 */
size_t intent_predict_ctx(const struct intent_model *m, const char *text, const char *ctx,
			  struct intent_candidate *top, size_t k);

/* Number of classes, and the name of class i (NULL when out of range). */
size_t intent_nclasses(const struct intent_model *m);
const char *intent_class_name(const struct intent_model *m, size_t i);

/* The hyper-parameters the model was trained with. */
void intent_get_params(const struct intent_model *m, struct intent_params *p);

/*
 * Append the model to out as a portable blob: magic "DLINTENT", a
 * format version, the hyper-parameters, class names and weights, all
 * little-endian (floats as IEEE-754 binary32), then a 64-bit checksum.
 */
void intent_save(const struct intent_model *m, struct strbuf *out);

/*
 * Read a model from the n bytes of a blob written by intent_save().
 * Returns a new model (free with intent_free()), or NULL with err set
 * to DL_EX_DATAERR when the blob is truncated, corrupt, of another
 * version or inconsistent.  Never reads outside blob[0..n).
 */
struct intent_model *intent_load(const void *blob, size_t n,
				 struct dl_error *err);

/* Free m; NULL is a no-op. */
void intent_free(struct intent_model *m);

#endif
