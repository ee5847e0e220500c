#ifndef DIALAB_REVIEW_H
#define DIALAB_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "dialab/error.h"
#include "dialab/segment.h"
#include "dialab/store.h"

/*
 * A review session: one annotator going through the queue of
 * dialogues, deciding on the labels of each turn.  Every action is a
 * library call that appends to the decision log (committed before it
 * returns), so the TUI, tests and scripts share one behaviour.
 */

/* The fields of a turn, in the order Tab visits them. */
enum review_field {
	RF_INTENT,
	RF_SLOTS,
	RF_TRANSCRIPTION,
	RF_FAILURE_POINT,
	RF_GOAL,
	RF__COUNT
};

/* "intent", "slots", ... (the label kind of the field). */
const char *review_field_kind(enum review_field f);

struct review_label {
	int64_t id;
	char *value;		/* JSON */
	char *source;
	char *candidates;	/* JSON array or NULL */
	double confidence;
	int has_confidence;
};

/* What this annotator currently says about one field. */
struct review_answer {
	const char *action;	/* "accept", "correct", "reject", or NULL: undecided */
	const char *value;	/* JSON of the answer (accept/correct), else NULL */
	const char *annotator;
};

struct review_turn {
	int idx;
	char *text, *response, *nlu, *device_state;
	double ts, asr_confidence;
	int has_ts, has_asr_confidence, barge_in;	/* barge_in -1: unknown */
	/* The latest proposal per field (a model's or an imported one), or none. */
	struct review_label *proposal[RF__COUNT];
	/* A human label from the data or another annotator, shown unless blind. */
	struct review_label *other[RF__COUNT];
	/* Does the turn restate the one before?  The latest such label, or NULL. */
	struct review_label *rephrase;
};

struct review_dialogue {
	int64_t id;
	char *ext_id, *user, *device, *context;
	struct review_turn *turns;
	size_t nturns;
	struct review_label **outcomes;	/* goal_outcome labels of the dialogue */
	size_t noutcomes;
};

struct review;

struct review_opts {
	const char *annotator;
	int blind;		/* hide model proposals and others' answers */
	const char *start_at;	/* a dialogue id to open first, or NULL to resume */
	enum queue_order order;	/* QUEUE_SEQUENTIAL (0) by default */
	const char *filter;	/* store_queue()'s filter, or NULL */
};

/*
 * Open a session on st (which stays the caller's).  Replays the
 * annotator's decision log (for undo, redo and answers) and opens the
 * dialogue where they stopped last time.  Free with review_free().
 */
struct review *review_new(struct store *st, const struct review_opts *o,
			  struct dl_error *err);
void review_free(struct review *r);

/*
 * Rebuild the queue in order with filter (NULL or "" for none), staying
 * on the current dialogue when it is still in it, else the first.
 */
int review_requeue(struct review *r, enum queue_order order, const char *filter,
		   struct dl_error *err);
enum queue_order review_order(const struct review *r);
const char *review_filter(const struct review *r);	/* NULL: none */

/* Where the session is. */
size_t review_queue_len(const struct review *r);
size_t review_queue_pos(const struct review *r);
int64_t review_queue_id(const struct review *r, size_t i);
const struct review_dialogue *review_dialogue(const struct review *r);
/* The queue line of position i. */
int review_queue_row(struct review *r, size_t i, struct st_queue_row *row,
		     struct dl_error *err);
/* Intents known to the database, for completion (owned by the session). */
char **review_intents(struct review *r);
/* Slot types known to the database, for completion (owned by the session). */
char **review_slot_types(struct review *r);
int review_turn(const struct review *r);	/* focused turn index */
const char *review_annotator(const struct review *r);
struct store *review_store(const struct review *r);	/* for the teach key */
enum review_field review_focus(const struct review *r);
long review_session_decisions(const struct review *r);
double review_session_seconds(const struct review *r);
/* Turns of the queue with at least one answer of this annotator. */
long review_reviewed_turns(const struct review *r);

/* This annotator's answer for a field of a turn (turn -1: the dialogue). */
struct review_answer review_answer(const struct review *r, int turn, enum review_field f);

/*
 * The value the field stands at for this annotator: their answer if
 * any, else the proposal.  JSON text or NULL.
 */
const char *review_current_value(const struct review *r, int turn, enum review_field f);

/*
 * Is the field waiting for a decision: a proposal and no answer, or
 * slots of this annotator awaiting review (review_slots_unsettled())?
 */
int review_pending(const struct review *r, int turn, enum review_field f);

/*
 * Do this annotator's slots of turn hold a slot marked for review (its
 * words changed under it: a corrected transcription, the next turn's
 * slots taken by review_take_next())?  Such slots are no answer: the
 * field stays pending and nothing exports or trains on them until
 * review_accept() confirms them or an edit places every slot.
 */
int review_slots_unsettled(const struct review *r, int turn);

/*
 * Go to the next (dir > 0) or previous dialogue whose text contains
 * needle, at its first matching turn.  Returns 0, 1 when there is no
 * such dialogue (the view stays), or -1 with err set.
 */
int review_search(struct review *r, const char *needle, int dir, struct dl_error *err);

/*
 * Go to the dialogue whose format id is ext_id: 0, 1 when there is
 * none, 2 when it is not in this (filtered) queue, or -1.
 */
int review_goto_id(struct review *r, const char *ext_id, struct dl_error *err);

/* Movement.  Each returns 0, or -1 when there is nowhere to go. */
int review_goto_dialogue(struct review *r, size_t pos, struct dl_error *err);
int review_next_dialogue(struct review *r, int dir, struct dl_error *err);
int review_move_turn(struct review *r, int dir);
void review_set_focus(struct review *r, enum review_field f);
void review_next_field(struct review *r, int dir);

/*
 * Decisions on the focused field, each committed before returning.
 * accept takes the proposal; correct sets value (JSON text; for the
 * intent, failure point and transcription a JSON string); reject says
 * the proposal is wrong; skip records that the annotator passed.
 * accept, correct and reject then advance: to the next pending field,
 * else the next turn, else the next dialogue.
 *
 * A decision that changes the transcription re-anchors the current
 * slots to the new words (spans_reanchor()) in a slots
 * correction of the same group: one step for review_undo().  Accepting
 * slots proposed over the turn's text when the annotator has another
 * transcription stores them re-anchored, as a correction.
 */
int review_accept(struct review *r, struct dl_error *err);
/*
 * Is value (JSON) an answer for field f of turn?  An intent is one word,
 * a failure point one of the stages (or an alias), a goal a number from
 * 1, a transcription some words, slots a list whose settled slots stand
 * on the turn's words (review_words_text()).  Returns 0, or -1 with err
 * saying what an answer is (DL_EX_DATAERR).  review_correct() checks
 * with it, so every front end gets the same rules.
 */
int review_check_value(const struct review *r, int turn, enum review_field f, const char *value,
		       struct dl_error *err);
int review_reject(struct review *r, struct dl_error *err);
int review_correct(struct review *r, const char *value, struct dl_error *err);
int review_skip(struct review *r, struct dl_error *err);
/*
 * The user rephrased after a failure: give the focused turn the next
 * turn's intent, the next turn's slots whose words are also in this
 * turn's text, and the failure point the difference points to (other
 * words: asr; same words, other intent: nlu; same intent, other
 * slots: entity; else result).  Three decisions in one group: undone
 * and redone together.
 * Returns 0, 1 when there is no next turn, or -1.
 */
int review_take_next(struct review *r, struct dl_error *err);

/*
 * Slots, word by word.  Spans are code points [start, end) of the text
 * the annotator's slots of the turn are anchored to, review_words_text():
 * their corrected transcription when they have one, else the turn's
 * text.  Each edit below is one correction of the focused turn's slots
 * field (undone by one review_undo()), and the focus stays there.
 */

/*
 * The words of text as spans of code points, as seg_words() finds
 * them: split at white space, where the script changes (東京の天気 is
 * 東京 / の / 天気) and around punctuation, never inside a grapheme
 * cluster.  Returns their number; *out is a new array (free()), or
 * NULL when there are none.
 */
size_t review_words(const char *text, struct seg_span **out);

/* The text new slots of turn are anchored to (owned by the session). */
const char *review_words_text(const struct review *r, int turn);

/*
 * The text the current slots value of turn refers to: the words text
 * for the annotator's own answer, the turn's text for a proposal.
 */
const char *review_slots_text(const struct review *r, int turn);

/* Give [start, end) the slot type, replacing the slots it overlaps. */
int review_slot_assign(struct review *r, size_t start, size_t end, const char *type,
		       struct dl_error *err);
/* Delete the slots overlapping [start, end).  Returns 0, 1 when there is none, or -1. */
int review_slot_delete(struct review *r, size_t start, size_t end, struct dl_error *err);
/*
 * Move the slot that starts at from to [start, end), keeping its type:
 * one decision.  Returns 0, 1 when no slot starts at from, or -1.
 */
int review_slot_move(struct review *r, size_t from, size_t start, size_t end,
		     struct dl_error *err);


/*
 * Goals.  The goal number of turn for this annotator (their answer,
 * else the proposal; a turn without either continues the previous
 * one's goal, the first turn's is 1).
 */
int review_goal(const struct review *r, int turn);

/*
 * Toggle "a new goal starts at the focused turn": renumber this turn
 * and the later ones so the goals stay consecutive, move this
 * annotator's outcomes of the later goals along, and reject the outcome
 * of a goal that no longer starts here.  One step: the decisions share
 * a group and review_undo() undoes them together.  Returns 0, 1 on the
 * first turn (a goal always starts there), or -1.
 */
int review_goal_toggle(struct review *r, struct dl_error *err);

/*
 * Set the outcome of the goal of the focused turn (success != 0 or
 * failure): a decision of kind goal_outcome on the goal's first turn
 * with value {"goal":g,"outcome":"success"}.
 */
int review_goal_outcome_set(struct review *r, int success, struct dl_error *err);

/*
 * The outcome of goal g of the dialogue: "success", "failure" or NULL.
 * *mine is 1 when it is this annotator's answer, 0 when it is a label
 * (the latest of the goal; under blind only gold).
 */
const char *review_goal_outcome(const struct review *r, int g, int *mine);

/* The highest goal number of the dialogue's turns and outcome labels. */
int review_goal_max(const struct review *r);

/* Accept every pending proposal of the focused turn. */
int review_accept_turn(struct review *r, struct dl_error *err);

/*
 * Undo the annotator's last decision (or redo the last undone one),
 * as a new decision in the log, and show where it happened.  The
 * decisions of a group (a goal toggle, a transcription with its slots)
 * are undone and redone together, each with its own undo (redo)
 * decision.  Return 0, or 1 when there is nothing to undo (redo).
 */
int review_undo(struct review *r, struct dl_error *err);
int review_redo(struct review *r, struct dl_error *err);

/* The n-th (0-based) candidate of the focused proposal, as JSON, or NULL. */
const char *review_candidate(const struct review *r, int n, double *confidence);

/*
 * What the focused field's proposal stands on, when there is something
 * to say, into buf; else NULL.  For implicit feedback's
 * (implicit:rephrase), the rephrase after the turn: "from the rephrase
 * 4 s later: play imagine dragons; ASR 0.52".  When the turn's context
 * moved a model's proposal (dialab-label(1)), what it would be without
 * the context and which context did it: "without context: get_weather
 * 0.55 (device_state oven=on)".
 */
const char *review_note(const struct review *r, char *buf, size_t n);

#endif
