#ifndef DIALAB_SLOTS_H
#define DIALAB_SLOTS_H

#include <stddef.h>
#include <stdint.h>

#include "dialab/error.h"
#include "dialab/strbuf.h"

/*
 * The slot tagger (DESIGN.md section 6): an averaged structured
 * perceptron over BIO tags on the tokens of tok_split(), decoded by
 * Viterbi with first-order transitions (an I- tag only after the B- or
 * I- tag of its type, so every decoded span is well formed).
 *
 * Features of each token: the lower-cased word, its shape ("Xxxx",
 * "dd:dd") long and short, prefixes and suffixes of 1 to 4 code points,
 * the words at -2..+2 and the bigrams around it, and a gazetteer: the
 * slot values seen in training, matched as token n-grams (up to 5
 * tokens) in the sentence, give the tokens they cover a B/I/L/U
 * feature of the value's type, graded by how often that n-gram was a
 * slot of that type when it occurred in training; and the sentence's
 * context (context.h), each feature alone and with the word (none when
 * there is no context, so context-blind data train the same model as
 * before).  While training, a
 * sentence's own spans do not count towards the gazetteer
 * (leave-one-out), so the weights learn how far a match is to be
 * trusted on new text.
 *
 * The intent is an optional input: an int in the caller's numbering of
 * intents (e.g. the class index of an intent model), the same in
 * training and prediction; -1 means unknown.  A known intent adds
 * intent-conjoined features and restricts decoding to the slot types
 * that occurred with that intent in training, so a wrong intent costs
 * its slots.  An intent never seen in training is treated as unknown.
 * Training drops the intent of a share of sentences (intent_dropout),
 * so tagging without one works too, if less well (SNIPS valid: span F1
 * 0.95 with the predicted intent, 0.93 without).
 *
 * Offsets in and out are Unicode code points into the text, end
 * exclusive (Python slices).  Spans are snapped to tokens: a training
 * span covers the tokens it overlaps, and a predicted span runs from
 * its first token's start to its last token's end.
 *
 * Up to 512 slot types and intents 0..4095.  Only features that were
 * updated in training are kept (SNIPS, 39 types: 111,000 features,
 * 8 MiB in memory, a 4 MiB blob).  The model does no I/O and keeps no
 * pointer to the training data.  A trained or loaded model is read-only
 * and may be shared by threads calling slots_predict().
 */

struct slots_model;

/* One slot: type index, code point offsets [start, end), confidence. */
struct slot_span {
	int type;
	size_t start, end;
	double confidence;	/* output only; see slots_predict() */
};

/*
 * One training sentence: UTF-8 text, its slots, its intent (or -1) and
 * its context (a context.h list, or NULL).
 */
struct slots_example {
	const char *text;
	const struct slot_span *spans;
	size_t nspans;
	int intent;
	const char *ctx;
};

/* Hyper-parameters; slots_params_init() gives the defaults. */
struct slots_params {
	uint64_t seed;		/* shuffling order; same seed, same model (0) */
	int epochs;		/* passes over the data (10) */
	int gazetteer;		/* use the gazetteer features (1) */
	int constrain;		/* restrict types by a known intent (1) */
	double intent_dropout;	/* share of sentences trained as if their
				   intent were unknown (0.2) */
};

/* Fill p with the defaults above. */
void slots_params_init(struct slots_params *p);

/*
 * Train a tagger on ex[0..n), whose span types index types[0..ntypes).
 * p may be NULL for the defaults.  The model copies the type names.
 * Returns a new model (free with slots_free()), or NULL with err set:
 * DL_EX_DATAERR when there are no examples or types, a text is NULL or
 * not UTF-8, or a span has a bad type, is empty, runs past the text or
 * overlaps another (err->path then reads "$[3].spans[1]"); DL_EX_USAGE
 * for a parameter out of range.  A span that shares its only tokens
 * with an earlier span of the sentence is left out.  Deterministic: the
 * same data, parameters and seed give the same model, byte for byte
 * once saved.
 */
struct slots_model *slots_train(const struct slots_example *ex, size_t n,
				const char *const *types, size_t ntypes,
				const struct slots_params *p,
				struct dl_error *err);

/*
 * Tag text with intent (or -1).  Writes up to max spans, in text order,
 * into out[] and returns how many there are in all (which may exceed
 * max, as with snprintf), or -1 with err set to DL_EX_DATAERR when text
 * is NULL or not well-formed UTF-8.  Spans never overlap and lie within
 * the text.
 *
 * A span's confidence is the probability that exactly this span (this
 * type, start and end) is in the tagging, when the perceptron's scores
 * are taken as the log-potentials of a linear-chain CRF and the
 * marginal is computed by forward-backward.  It ranks spans well but
 * is not a calibrated probability: perceptron scores are not trained
 * for likelihood, and tend to be overconfident.
 */
long slots_predict(const struct slots_model *m, const char *text, int intent,
		   struct slot_span *out, size_t max, struct dl_error *err);

/* The same in context ctx, a context.h list (NULL: none, as slots_predict()). */
long slots_predict_ctx(const struct slots_model *m, const char *text, int intent,
		       const char *ctx, struct slot_span *out, size_t max, struct dl_error *err);

/* Did slot type type occur with intent (the caller's numbering) in training? */
int slots_type_seen(const struct slots_model *m, int intent, size_t type);

/* Number of slot types, and the name of type i (NULL when out of range). */
size_t slots_ntypes(const struct slots_model *m);
const char *slots_type_name(const struct slots_model *m, size_t i);

/* The hyper-parameters the model was trained with. */
void slots_get_params(const struct slots_model *m, struct slots_params *p);

/*
 * Append the model to out as a portable blob: magic "DLSLOTS\0", a
 * format version, the hyper-parameters, type names, per-intent type
 * sets, transition and feature weights and the gazetteer, all
 * little-endian (floats as IEEE-754 binary32), then a 64-bit checksum.
 */
void slots_save(const struct slots_model *m, struct strbuf *out);

/*
 * Read a model from the n bytes of a blob written by slots_save().
 * Returns a new model (free with slots_free()), or NULL with err set to
 * DL_EX_DATAERR when the blob is truncated, corrupt, of another version
 * or inconsistent.  Never reads outside blob[0..n).
 */
struct slots_model *slots_load(const void *blob, size_t n,
			       struct dl_error *err);

/* Free m; NULL is a no-op. */
void slots_free(struct slots_model *m);

#endif
