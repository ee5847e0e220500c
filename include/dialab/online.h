#ifndef DIALAB_ONLINE_H
#define DIALAB_ONLINE_H

#include <stddef.h>

#include "dialab/error.h"
#include "dialab/store.h"

/*
 * Online rewriting: for an utterance no precomputed rewrite covers,
 * find among the utterances that worked (the forms `rewrites mine`
 * counts, store_forms_each) the one the user most likely meant.
 *
 * Retrieval: the forms sharing character trigrams of the normalised
 * utterance, or trigrams of its phonetic key (phonetic.h), by Dice
 * overlap; the best ONLINE_K go on.  Ranking: each candidate c scores
 *   sim(q, c) * (0.5 + 0.5 * rate(c)) + 0.15 * mine(c)
 * where sim is the larger of the rephrase score and the phonetic
 * similarity, rate(c) how often c ended its session in success, and
 * mine(c) the share of the user's own successes that c was (the
 * personal layer; 0 for a user without history, who gets the global
 * answer).  It fires when the best scores at least the index's
 * threshold and works at least half of the time.  `rewrites mine`
 * calibrates the threshold on its newest sessions, held out
 * (rw_mine() in rewrite.h) and keeps it in the meta table
 * (ONLINE_META); ONLINE_THRESHOLD until then.
 *
 * Guardrail: an utterance that itself works (said at least 3 times and
 * successful at least half of them, or once successfully by this user)
 * is never rewritten.
 */

#define ONLINE_K 20
#define ONLINE_THRESHOLD 0.75
#define ONLINE_META "rewrite_online_threshold"

struct rw_index;

/* The index of the forms stored by the last `rewrites mine`. NULL with err set. */
struct rw_index *rw_index_load(struct store *st, struct dl_error *err);

/* An index of forms given one by one (user NULL: all users), then rw_index_done(). */
struct rw_index *rw_index_new(void);
void rw_index_add(struct rw_index *ix, const char *user, const char *form, long successes,
		  long seen);
void rw_index_done(struct rw_index *ix);
void rw_index_free(struct rw_index *ix);
/* The score an online rewrite needs (above 1: it never fires). */
void rw_index_set_threshold(struct rw_index *ix, double t);
double rw_index_threshold(const struct rw_index *ix);
/* How many forms (all users) it holds. */
size_t rw_index_size(const struct rw_index *ix);

struct rw_hit {
	const char *to;		/* owned by the index */
	double score;
	int personal;		/* the user's own history counted */
};

/*
 * The candidates for what user said (norm: normalised, tok_norm), best
 * first, at most max of them into hits; how many.  0 when the
 * guardrail holds.  Uses the index's scratch: one query at a time.
 */
size_t rw_online_rank(struct rw_index *ix, const char *user, const char *norm,
		      struct rw_hit *hits, size_t max);

/* The online rewrite of norm for user: 1 with *hit set when one fires, else 0. */
int rw_online(struct rw_index *ix, const char *user, const char *norm,
	      struct rw_hit *hit);

#endif
