#ifndef DIALAB_STORE_H
#define DIALAB_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "dialab/error.h"

/*
 * The store: dialab's SQLite database.  Only this module speaks SQL;
 * everything else gets rows as the structs below.
 */

#define STORE_SCHEMA_VERSION 1
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
	LF_HUMAN		/* human: and import: (gold) sources */
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

/* Counts for `dialab stats`, as a new JSON object (json_decref() it). */
json_t *store_stats(struct store *st, struct dl_error *err);

#endif
