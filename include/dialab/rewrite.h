#ifndef DIALAB_REWRITE_H
#define DIALAB_REWRITE_H

#include <jansson.h>

#include "dialab/error.h"
#include "dialab/store.h"
#include "dialab/strbuf.h"

/*
 * Rewrites learnt from rephrases (dialab-rewrites(1)).
 *
 * A rephrase session is a run of turns of one dialogue in which each
 * turn restates the one before within a gap: their rephrase score
 * (judge_rephrase) or their phonetic similarity (phon_similarity) is
 * at least 0.5; or the earlier one failed by its own signals, the
 * later came within 20 s, and they are related at least 0.15 (a
 * user's own words: "call the boss", then "call maria lopez").  A
 * turn that only says no ("no", "that's wrong") is stepped over; one
 * that gives up ("never mind", "stop") ends the session in failure.
 * Every turn not restated is a session of its own.  A session ends in
 * success or failure by its last turn: failure when a human or gold
 * failure point names a failure there (not "correct", which a failure
 * the user recovered from also gets), when the response is an error or apology,
 * when the user barged in, or when the next turn says no or gives up;
 * success otherwise.
 *
 * States are the normalised utterances (tok_norm); success and failure
 * absorb.  Each session adds its steps u1 -> u2 -> ... -> uk -> end to
 * the chain (chain.h).  For a source s and a later utterance v of the
 * same sessions, the rewrite s -> v is proposed when
 *   - v followed s in at least min_support sessions (the support), and
 *     for the global layer those sessions are of two users or more, so
 *     that one person's habit never becomes everyone's rewrite;
 *   - s fails: said as it is, it worked at once (its one step into
 *     success) at most max_before of the times;
 *   - v works: its P(success) by the chain (absorption from v, over
 *     the rephrases that may follow it) is at least min_after, and at
 *     least min_gain over that of s;
 *   - s and v are related: rephrase score or phonetic similarity at
 *     least min_related, 0.5 (an ASR confusion is, a topic switch is
 *     not); for the personal layer min_related_personal, 0.3, since a
 *     user's own words for a thing are often unlike its name.
 * Of the candidates of one source the one with the highest P(success)
 * wins (then the most support).  A global one must also hold at least
 * 0.6 of the sessions from s to any supported successor: where users
 * go from s to different places, s means something personal.  The global chain counts every user's
 * sessions; a user's own chain gives personal rewrites where the user
 * has at least min_support_personal sessions for it and the global
 * layer proposes another target, or none.
 */

struct rw_opts {
	int global, personal;		/* which layers to mine (both when neither) */
	long min_support;		/* global: 3 */
	long min_support_personal;	/* 2 */
	double gap;			/* seconds between the turns of a session: 60 */
	double min_gain;		/* 0.2 */
	double min_after;		/* 0.5 */
	double max_before;		/* 0.5 */
	double min_related;		/* 0.5 */
	double min_related_personal;	/* the same, for the personal layer: 0.3 */
	size_t depth;			/* steps of the chain solved from a source: 4 */
	double split;			/* eval: the share of sessions, oldest first, mined on (0.7) */
	void (*progress)(void *ctx, const char *what, long done, long total);
	void *progress_ctx;
};

/* The defaults above. */
void rw_opts_default(struct rw_opts *o);

struct rw_summary {
	long dialogues, turns, sessions, rephrase_sessions, states;
	long proposed, global, personal;	/* found by this mining */
	long created, updated;			/* in the store */
};

/*
 * Mine the rewrites of the whole store and store them (one
 * transaction): new ones proposed, known ones updated with their
 * decisions kept.  Returns 0, or -1 with err set.
 */
int rw_mine(struct store *st, const struct rw_opts *o, struct rw_summary *sum,
	    struct dl_error *err);

/*
 * Mine on the oldest o->split of the sessions (by their first turn's
 * time) and replay the rest: for each session's first turn, would a
 * rewrite fire (personal first, then global), and is it a win (the
 * turn failed, and the rewrite is the session's successful last
 * utterance) or a loss (it fired on a turn that worked, or led
 * elsewhere).  Returns a JSON object of the counts (see
 * dialab-rewrites(1)), or NULL with err set.
 */
json_t *rw_eval(struct store *st, const struct rw_opts *o, struct dl_error *err);

/*
 * How related two utterances are, 0..1: the larger of their rephrase
 * score (judge_rephrase) and their phonetic similarity
 * (phon_similarity).  Sessions, mining and online ranking all use it.
 */
double rw_related(const char *a, const char *b);

/*
 * Did turn i of a dialogue's n turns (t their evidence, judge.h) work,
 * as mining judges a session's last turn: no human or gold failure
 * point names a failure there, no error prompt, no barge-in, and the
 * user did not say "no" or "stop" next nor restate it within gap
 * seconds?
 */
struct jd_turn;
int rw_turn_worked(const struct jd_turn *t, size_t n, size_t i, const struct st_label *labels,
		   size_t nlabels, double gap);

/*
 * The rewrite an answer to a teachable moment teaches: request is what
 * the user said then ("turn on the torch light"), answer what they say
 * they meant ("no, I meant the porch light").  The answer's opening
 * ("no", "I meant", "I said", "it's") is dropped; what is left either
 * restates the whole request, or replaces the words of the request
 * that sound most like it ("the torch light" -> "the porch light").
 * Puts the normalised request in from and the rewritten utterance in
 * to; returns 0, or -1 when the answer gives no rewrite (nothing left,
 * nothing alike, or no change).
 */
int rw_from_answer(const char *request, const char *answer, struct strbuf *from,
		   struct strbuf *to);

/* The JSON of a stored rewrite, as `rewrites list --json` writes it. */
json_t *rw_json(const struct st_rewrite *r);

#endif
