#ifndef DIALAB_STORE_H
#define DIALAB_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "dialab/error.h"
#include "dialab/filter.h"

/*
 * The store: dialab's SQLite database.  Only this module speaks SQL;
 * everything else gets rows as the structs below.
 */

#define STORE_SCHEMA_VERSION 6
/* The oldest schema this binary reads without migrating (read-only opens). */
#define STORE_SCHEMA_READABLE 1
#define STORE_APPLICATION_ID 0x444c4142	/* "DLAB" */

struct store;

enum store_mode {
	STORE_READ,		/* read only: the file must exist */
	STORE_WRITE,		/* read and write: the file must exist */
	STORE_CREATE		/* read and write; create and initialise if missing */
};

/*
 * Open the database at path.  Checks that it is a dialab database of
 * a schema this binary knows, migrating an older one forward (in
 * write modes).  Errors: DL_EX_NOINPUT (missing), DL_EX_DATAERR (not
 * SQLite, not dialab's, newer schema), DL_EX_CANTCREAT (read-only or
 * cannot create), DL_EX_TEMPFAIL (locked past the busy timeout).
 * Close with store_close().
 */
int store_open(struct store **out, const char *path, enum store_mode mode,
	       struct dl_error *err);
void store_close(struct store *st);

/* Did store_open() create and initialise the file? */
int store_created(const struct store *st);

/* Transactions.  store_begin() takes the write lock at once (BEGIN IMMEDIATE). */
int store_begin(struct store *st, struct dl_error *err);
int store_commit(struct store *st, struct dl_error *err);
void store_rollback(struct store *st);
/* A nested savepoint inside the current transaction. */
int store_savepoint(struct store *st, struct dl_error *err);
int store_savepoint_release(struct store *st, struct dl_error *err);
void store_savepoint_rollback(struct store *st);

/* Record an import run; returns its id or -1. */
int64_t store_import_begin(struct store *st, const char *annotator,
			   const char *format, const json_t *paths,
			   struct dl_error *err);

enum dup_policy { DUP_ERROR, DUP_SKIP, DUP_REPLACE };
enum put_result { PUT_INSERTED, PUT_SKIPPED, PUT_REPLACED };

/*
 * Store one dialogue that passed fmt_validate().  A dialogue whose id
 * is already stored is an error, skipped or replaced, per dup (a
 * replaced dialogue keeps its decisions).  Returns a put_result, or -1
 * with err set (the caller rolls back).  file and line go into
 * messages.
 */
int store_dialogue_put(struct store *st, const json_t *d, int64_t import_id,
		       enum dup_policy dup, const char *file, long line,
		       struct dl_error *err);

/* Which labels to read back. */
enum label_filter {
	LF_ALL,
	LF_MODEL,		/* model: and implicit: sources */
	LF_HUMAN,		/* human: and import: (gold) sources */
	/*
	 * Or'ed in: also each annotator's standing answers from the
	 * decision log (accept and correct, not undone), as labels of
	 * source "human:ANNOTATOR" with id 0, after the stored ones.
	 */
	LF_WITH_DECISIONS = 4
};

/* Rows handed to store_each_dialogue() callbacks; JSON columns are text. */
struct st_dialogue {
	int64_t id;
	const char *ext_id, *user, *device, *context, *extra;	/* NULL when absent */
};

struct st_turn {
	int idx;
	const char *ts_json, *text, *nlu, *response, *device_state, *audio, *extra;
	double asr_confidence;
	int has_asr_confidence;
	int barge_in;		/* 0, 1, or -1 when absent */
};

struct st_label {
	int64_t id;
	int turn_idx;		/* -1: a label of the dialogue */
	const char *kind, *value, *source, *candidates, *extra;
	double confidence;
	int has_confidence;
};

typedef int (*store_each_fn)(void *ctx, const struct st_dialogue *d,
			     const struct st_turn *turns, size_t nturns,
			     const struct st_label *labels, size_t nlabels,
			     struct dl_error *err);

/*
 * Call fn for every dialogue in id order with its turns (by position)
 * and the labels that pass filter (by turn, then age).  The strings
 * live until fn returns.  Stops at the first fn that returns -1.
 */
int store_each_dialogue(struct store *st, enum label_filter filter,
			store_each_fn fn, void *ctx, struct dl_error *err);

/*
 * As store_each_dialogue(), for the dialogues of user only (user NULL:
 * every dialogue).  Reads them through the index on dialogues(user_id):
 * the time it takes grows with that user's dialogues, not with all.
 */
int store_each_dialogue_of(struct store *st, enum label_filter filter, const char *user,
			   store_each_fn fn, void *ctx, struct dl_error *err);

/* As store_each_dialogue(), for the dialogues with row ids lo..hi only. */
int store_each_dialogue_range(struct store *st, enum label_filter filter, int64_t lo,
			      int64_t hi, store_each_fn fn, void *ctx, struct dl_error *err);
/* Call fn for the one dialogue with row id id (as store_each_dialogue()). */
int store_dialogue_get(struct store *st, int64_t id, enum label_filter filter,
		       store_each_fn fn, void *ctx, struct dl_error *err);

/*
 * Row ids of all dialogues in id order, as a new array of *n (free()
 * it).  Returns 0 or -1.
 */
int store_dialogue_ids(struct store *st, int64_t **ids, size_t *n,
		       struct dl_error *err);

/* The row id of the dialogue whose format id is ext_id; 0 when none, -1 on error. */
int64_t store_dialogue_find(struct store *st, const char *ext_id, struct dl_error *err);

/*
 * The nearest dialogue after (dir > 0) or before (dir < 0) row id from
 * whose turns contain needle (case-insensitive for ASCII), and in *turn
 * the first such turn.  Returns its row id, 0 when there is none, or
 * -1 with err set.
 */
int64_t store_search(struct store *st, const char *needle, int64_t from, int dir,
		     int *turn, struct dl_error *err);

/* One line of the review queue. */
struct st_queue_row {
	char ext_id[64], user[32], device[16];
	int n_turns;
	int friction;		/* barge-ins, rephrase-like repeats, failures */
};

/* The orders of a review queue. */
enum queue_order {
	QUEUE_SEQUENTIAL,	/* by id */
	QUEUE_UNCERTAIN,	/* lowest model confidence first */
	QUEUE_FRICTION,		/* most implicit-feedback evidence first */
	QUEUE_DISAGREEMENTS	/* most targets with differing answers first */
};
/* The order named s ("sequential", ...), or -1. */
int store_queue_order_parse(const char *s);
/*
 * The row ids of the dialogues that pass filter (NULL: all), in order,
 * as a new array of *n (free() it).  filter is in the language of
 * filter.h (filter_parse()); a bad filter is DL_EX_USAGE.
 */
int store_queue(struct store *st, enum queue_order order, const char *filter, int64_t **ids,
		size_t *n, struct dl_error *err);
/*
 * Does dialogue d, with its labels l[0..nl), pass filter f (filter.h)?
 * The same rules as store_queue()'s SQL, for callers that read every
 * dialogue anyway (label, train).
 */
int store_filter_match(const struct dl_filter *f, const struct st_dialogue *d,
		       const struct st_label *l, size_t nl);

/* Queue information about dialogue id into *row.  Returns 0 or -1. */
int store_queue_row(struct store *st, int64_t id, struct st_queue_row *row,
		    struct dl_error *err);

/* One entry of the decision log (DESIGN.md section 5). */
struct st_decision {
	int64_t id;		/* set by store_decision_append() */
	const char *annotator;
	double at;		/* Unix seconds */
	int64_t dialogue_id;
	int turn_idx;		/* -1: the dialogue */
	const char *kind;
	int64_t label_id;	/* 0: none */
	const char *action;	/* accept correct reject skip undo redo */
	const char *old_value, *new_value;	/* JSON text or NULL */
	long ms_spent;
	/*
	 * undo/redo: the decision it refers to.  accept/correct/reject:
	 * the first decision of its group (decisions made as one step,
	 * undone together), or 0 for the first and for one alone.
	 */
	int64_t ref;
};

/*
 * Append d to the decision log and commit before returning, so that a
 * decision the screen shows as done survives a crash.  Returns the new
 * decision id, or -1 with err set (DL_EX_TEMPFAIL if the database
 * stayed locked past the busy timeout).
 */
int64_t store_decision_append(struct store *st, const struct st_decision *d,
			      struct dl_error *err);

typedef int (*store_decision_fn)(void *ctx, const struct st_decision *d);

/*
 * Call fn for each decision of annotator (NULL: everyone) in log
 * order; dialogue_id > 0 limits it to one dialogue.  The strings live
 * until fn returns.
 */
int store_decisions_each(struct store *st, const char *annotator, int64_t dialogue_id,
			 store_decision_fn fn, void *ctx, struct dl_error *err);

/*
 * The distinct values of the string labels of kind (e.g. every intent
 * known to the database), sorted, as a new NULL-terminated array of
 * new strings; free with store_strings_free().
 */
char **store_label_values(struct store *st, const char *kind, struct dl_error *err);

/* The distinct slot types of the slots labels and corrections, as store_label_values(). */
char **store_slot_types(struct store *st, struct dl_error *err);
void store_strings_free(char **v);

/* A new label (a model's proposal) for store_label_add(). */
struct st_label_new {
	int64_t dialogue_id;
	int turn_idx;		/* -1: a label of the dialogue */
	const char *kind, *value, *source;	/* value: JSON text */
	const char *candidates;	/* JSON array text or NULL */
	double confidence;
	int has_confidence;
	double created_at;	/* 0: now */
};
/*
 * Add a label inside the caller's transaction (labels are never
 * updated).  Returns its id, or -1 with err set.
 */
int64_t store_label_add(struct store *st, const struct st_label_new *l,
			struct dl_error *err);

/* One stored model (DESIGN.md section 5): a row of the models table. */
struct st_model {
	int64_t id;
	char *name;		/* intent, slots, ... */
	int version;		/* 1, 2, ... per name */
	double trained_at;	/* Unix seconds */
	char *annotator;	/* who trained it */
	long n_train;		/* training examples */
	char *params, *metrics;	/* JSON text; metrics may be NULL */
	unsigned char *weights;	/* the blob (NULL from store_models_each()) */
	size_t nweights;	/* its length in bytes */
};
/*
 * Store m as the next version of m->name, inside the caller's
 * transaction or on its own.  Sets m->version and m->id.  Returns 0,
 * or -1 with err set.
 */
int store_model_put(struct store *st, struct st_model *m, struct dl_error *err);
/*
 * The newest (version 0) or the given version of model name, with its
 * weights, as a new struct (store_model_free() it).  Returns 1, 0 when
 * there is none, or -1 with err set.
 */
int store_model_get(struct store *st, const char *name, int version,
		    struct st_model **out, struct dl_error *err);
void store_model_free(struct st_model *m);
/* Call fn for every stored model, without weights, by name and version. */
int store_models_each(struct store *st, int (*fn)(void *ctx, const struct st_model *m),
		      void *ctx, struct dl_error *err);
/* Counts for `dialab stats`, as a new JSON object (json_decref() it). */
json_t *store_stats(struct store *st, struct dl_error *err);

/* ---- Teaching (schema 4): sessions, preferences, feedback ---- */

struct st_pref {
	int64_t id;
	const char *user, *domain, *slot, *value;
	int polarity;		/* 1 like, -1 dislike */
	const char *source;	/* stated, guided, moment */
	double at;		/* Unix seconds */
	int64_t session;	/* 0: none */
	double revoked_at;	/* 0 while it holds */
	int64_t replaced_by;	/* 0: none */
};

struct st_feedback {
	int64_t id;
	const char *user, *operator_, *kind;
	const char *text, *value;	/* value: JSON; both may be NULL */
	double at;
	int64_t session, pref;	/* 0: none */
	const char *dialogue, *turns;	/* a moment's; NULL when none */
};

/*
 * Open a teaching session; returns its id, or -1 with err set.  A file
 * of an older schema opened read-only has no teaching tables: every
 * call below says so (DL_EX_DATAERR).
 */
int64_t store_session_begin(struct store *st, const char *user, const char *operator_,
			    const char *mode, struct dl_error *err);
/* Save a session's state (JSON text, may be NULL) and, when ended, its end time. */
int store_session_save(struct store *st, int64_t id, const char *state, int ended,
		       struct dl_error *err);
/*
 * The newest session of user in mode: its id (0 when none, -1 on
 * error), and in *state a copy of its state (free() it; NULL when none).
 */
int64_t store_session_last(struct store *st, const char *user, const char *mode,
			   char **state, struct dl_error *err);

/*
 * Store p (its id is set), revoking as replaced by it every holding
 * preference of the same user and domain with the same value, or with
 * any value when replace_domain is set.  The ids it revoked go to
 * replaced (up to max; *nreplaced counts them).  Returns 0 or -1.
 */
int store_pref_add(struct store *st, struct st_pref *p, int replace_domain,
		   int64_t *replaced, size_t max, size_t *nreplaced, struct dl_error *err);
/*
 * Revoke (revoked set; as replaced by preference replaced_by, 0: none)
 * or restore (not set) preference id.  Returns 1, 0 when no such row,
 * or -1.
 */
int store_pref_revoke(struct store *st, int64_t id, int revoked, int64_t replaced_by,
		      struct dl_error *err);
/*
 * Call fn for each preference of user (NULL: every user), oldest first;
 * revoked ones only when all is set.  Stops when fn returns -1.
 */
int store_prefs_each(struct store *st, const char *user, int all,
		     int (*fn)(void *ctx, const struct st_pref *p), void *ctx,
		     struct dl_error *err);
/* Append f to the feedback log (its id is set).  Returns 0 or -1. */
int store_feedback_add(struct store *st, struct st_feedback *f, struct dl_error *err);
/* Call fn for each feedback record of user (NULL: every user), oldest first. */
int store_feedback_each(struct store *st, const char *user,
			int (*fn)(void *ctx, const struct st_feedback *f), void *ctx,
			struct dl_error *err);
/* The distinct users of the dialogues and the preferences, sorted; a JSON array. */
json_t *store_users(struct store *st, struct dl_error *err);

/* ---- Rewrites (schema 5; rewrite.h mines them) ---- */

/* A rewrite: say to instead of from (both normalised with tok_norm). */
struct st_rewrite {
	int64_t id;
	const char *scope;		/* "global" or "personal" */
	const char *user;		/* a personal rewrite's user; NULL when global */
	const char *from, *to;
	long support;			/* sessions in which from led to to */
	double p_before, p_after;	/* P(success) of from and of to; < 0 unknown */
	const char *status;		/* proposed, accepted, rejected, retired */
	const char *provenance;		/* JSON {"kind": "mined"|"taught", ...} */
	double mined_at, decided_at;	/* decided_at 0: never */
	const char *decided_by;		/* NULL: never */
};

/* Which rewrites store_rewrites_each() gives; NULL or 0 fields match all. */
struct st_rewrite_query {
	int64_t id;
	const char *status, *scope, *user, *from;
	long min_support;
};

/*
 * Store a rewrite found by mining, or update the one of the same
 * scope, user, from and to: its support, P(success) before and after,
 * provenance (unless it was taught) and time change; its status and
 * decisions are kept.  A new
 * one has r->status ("proposed" when NULL).  Sets r->id.  Returns 1
 * when it was new, 0 when updated, -1 with err set.
 */
int store_rewrite_put(struct store *st, struct st_rewrite *r, struct dl_error *err);
/*
 * Call fn for each rewrite matching q, by id (fields valid during the
 * call only).  Stops early when fn returns -1 (and returns -1).
 */
int store_rewrites_each(struct store *st, const struct st_rewrite_query *q,
			int (*fn)(void *ctx, const struct st_rewrite *r), void *ctx,
			struct dl_error *err);
/*
 * Decide on rewrite id: action "accept", "reject", "retire" or "undo"
 * (back to the status before the annotator's last standing decision on
 * it).  Logged in rewrite_decisions.  Returns 1 when it changed, 0 when
 * it already had that status (nothing logged), 2 when there is no such
 * rewrite or nothing to undo, -1 with err set.
 */
int store_rewrite_decide(struct store *st, int64_t id, const char *action,
			 const char *annotator, struct dl_error *err);

/* An utterance as said, for online rewriting: by one user (user), or by all (user NULL). */
struct st_form {
	const char *user, *form;
	long successes, seen;
};

/* Forget every stored form (within the caller's transaction). Returns 0 or -1. */
int store_forms_clear(struct store *st, struct dl_error *err);
/* Store one form (after store_forms_clear). Returns 0 or -1. */
int store_form_put(struct store *st, const struct st_form *f, struct dl_error *err);
/*
 * Call fn for each form of all users (user_rows 0) or of every user
 * (user_rows 1), or of one user (user).  Stops when fn returns -1.
 */
int store_forms_each(struct store *st, int user_rows, const char *user,
		     int (*fn)(void *ctx, const struct st_form *f), void *ctx,
		     struct dl_error *err);

/*
 * A habit (schema 6): of the user's requests of intent that worked and
 * gave slot a value under cond ('' always, or a context feature), m in
 * all, n gave it value.
 */
struct st_habit {
	const char *user, *intent, *slot, *cond, *value;
	long n, m;
	double at;		/* when it was learnt */
};

/* Forget the habits of user (NULL: everyone's), within the caller's transaction. */
int store_habits_clear(struct store *st, const char *user, struct dl_error *err);
/* Store one habit (after store_habits_clear). Returns 0 or -1. */
int store_habit_put(struct store *st, const struct st_habit *h, struct dl_error *err);
/*
 * Call fn for each habit of user (NULL: everyone) and intent (NULL:
 * any), by user, intent, slot and condition, the most frequent value
 * first.  A database of an older schema has none (DL_EX_DATAERR, which
 * says to migrate).  Stops when fn returns -1.
 */
int store_habits_each(struct store *st, const char *user, const char *intent,
		      int (*fn)(void *ctx, const struct st_habit *h), void *ctx,
		      struct dl_error *err);

/*
 * A value kept in the meta table (the imported catalog): a copy (free()
 * it), or NULL when unset or on error (err->code tells them apart).
 */
char *store_meta_get(struct store *st, const char *key, struct dl_error *err);
/* Set key to value, or remove it when value is NULL.  Returns 0 or -1. */
int store_meta_set(struct store *st, const char *key, const char *value, struct dl_error *err);

#endif
