#ifndef DIALAB_TEACH_H
#define DIALAB_TEACH_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "dialab/catalog.h"
#include "dialab/error.h"
#include "dialab/store.h"

/*
 * Teaching (DESIGN.md section 8): what a user states in plain words,
 * understood against the preference catalog, and the session that
 * stores it as preferences and feedback.  The session reads one line
 * at a time and answers with lines, so a readline loop, a script on
 * stdin and the review UI drive it alike.
 */

/* ---- Understanding one statement ---- */

enum tp_kind {
	TP_PREFS,		/* items: what was understood */
	TP_SUGGEST,		/* items[0] is a guess at a misspelling: confirm it */
	TP_VALUE_ONLY,		/* values named, but no like or dislike */
	TP_UNKNOWN		/* nothing understood: msg says why */
};

struct tp_item {
	int dom, val;		/* val -1: an open value (home "Wilkerson") */
	int polarity;		/* 1 like, -1 dislike */
	int nalt;		/* > 1: ambiguous, the choices are alt_dom/alt_val */
	unsigned alt_dom[8], alt_val[8];
	char open[128];		/* the open value as the user wrote it */
};

struct tp_result {
	enum tp_kind kind;
	struct tp_item item[8];
	size_t n;
	char msg[256];
};

/*
 * Understand one statement: "I'm a Warriors fan", "I don't like country
 * music", "use Celsius", "my home is in Wilkerson".  When dom >= 0 (a
 * guided question or a moment) a bare answer ("the warriors and the
 * giants", "not country") is read within that domain.
 */
void teach_understand(const struct catalog *cat, const char *text, int dom,
		      struct tp_result *r);

/* "you like Golden State Warriors (sports teams)" for item it into buf. */
void teach_describe(const struct catalog *cat, const struct tp_item *it, char *buf, size_t n);

/* A preference as JSON: {id, user, domain, slot, value, polarity, source, at, session, revoked_at, replaced_by}. */
json_t *teach_pref_json(const struct st_pref *p);

/* ---- Sessions ---- */

struct teach_opts {
	const char *user, *operator_;
	const struct catalog *cat;
	int guided;		/* walk the catalog's domains */
	const char *domain;	/* guided: only this one (NULL: all) */
	int moments;		/* replay the user's teachable moments */
	const char *dialogue;	/* a moment from the review UI: dialogue id... */
	int turn;		/* ...and turn (-1: none) */
	double window;		/* moments: seconds between repeats (0: 120) */
	const char *mode;	/* the session's mode when not the above ("prefs") */
	int quiet;		/* no greeting */
	int in_domain;		/* read answers in this domain (-1 none; 0 unset = none) */
	int has_in_domain;
};

struct teach;

/*
 * Start a session (one row in teach_sessions).  Its greeting and first
 * question are in the first event teach_event() returns.  Returns NULL
 * with err set.
 */
struct teach *teach_open(struct store *st, const struct teach_opts *o, struct dl_error *err);

/* The prompt for the next line: "teach> ", "sports> ", "(y/n)> ". */
const char *teach_prompt(const struct teach *t);

/*
 * Take one line.  What happened goes into the current event (see
 * teach_event()).  Returns 1 to go on, 0 when the session is over
 * (quit, or the guided questions are done), -1 with err set on a
 * database error (nothing of that line is stored).
 */
int teach_line(struct teach *t, const char *line, struct dl_error *err);

/*
 * The event of the last call: {"input", "output": [lines], "stored":
 * [preferences], "revoked": [ids], "restored": [ids], "feedback": [ids],
 * "state"}.  The caller takes the reference; a new event starts.
 */
json_t *teach_event(struct teach *t);

/*
 * End the session: at end of input a pending confirmation is dropped
 * (and said so), a guided session's progress is saved for resuming.
 * Its last event and a summary {"session", "stored", "revoked"} go to
 * *last (may be NULL).  Frees t.
 */
void teach_close(struct teach *t, json_t **last);

/* Words Tab completes in a session: commands and catalog aliases (sorted, unique). */
const char *const *teach_words(const struct teach *t, size_t *n);

/*
 * Run a whole session on stdout: with GNU readline (history, editing,
 * Tab completion) when interactive, else one statement per line of in,
 * echoed after its prompt.  Only an interactive session reads and
 * writes the history file: the newest TEACH_HISTORY_MAX lines of the
 * sessions before, in $XDG_STATE_HOME/dialab/teach_history, or
 * ~/.local/state/dialab/teach_history (a session says so at its end
 * when they cannot be kept).  With json, each event is one JSON line
 * instead of text.  Lines over TEACH_MAX_LINE bytes or not UTF-8 are
 * refused, with a message.  Returns 0, or -1 with err set (a database
 * error: what was acknowledged stays stored).
 */
#define TEACH_MAX_LINE 1000
#define TEACH_HISTORY_MAX 1000
#define TEACH_HISTORY_FILE "teach_history"
int teach_run(struct store *st, const struct teach_opts *o, FILE *in, int interactive,
	      int json, struct dl_error *err);

/* ---- Teachable moments ---- */

/*
 * The teachable moments in the logged dialogues of user (NULL: all
 * users): a request repeated within window seconds, the user declaring
 * the answer wrong (a "no", "that's wrong", "stop", or a barge-in right
 * after a response), a rephrase after a failure, a clarifying question
 * the assistant had to ask.  A JSON array of {user, dialogue, turns,
 * kinds, evidence: [turns with time, text, response, failure point],
 * domain, slot, seen, question}; NULL with err set.
 */
json_t *teach_moments(struct store *st, const struct catalog *cat, const char *user,
		      double window, struct dl_error *err);

/*
 * As teach_moments(), but each moment goes to fn as soon as it is
 * found, in dialogue order, instead of into one array: memory does not
 * grow with the number of moments.  fn borrows m; when it returns -1
 * (with err set) the search stops.  Only the dialogues of user are read,
 * through the index on dialogues(user_id).  Returns 0, or -1 with err set.
 */
typedef int (*teach_moment_fn)(void *ctx, const json_t *m, struct dl_error *err);
int teach_moments_each(struct store *st, const struct catalog *cat, const char *user,
		       double window, teach_moment_fn fn, void *ctx, struct dl_error *err);

/*
 * The moment of one turn (from the review UI): as teach_moments() but
 * for that turn and what follows it, whether or not it is a moment.
 */
json_t *teach_moment_at(struct store *st, const struct catalog *cat, const char *dialogue,
			int turn, struct dl_error *err);

/* ---- Loading the catalog ---- */

/*
 * The catalog to use: the file path when given, else one imported into
 * the database (st may be NULL), else the bundled one.
 */
int teach_catalog(struct catalog *cat, const char *path, struct store *st,
		  struct dl_error *err);

/*
 * Import the catalog file at path into the database, replacing the one
 * imported before (if any), so that teach, prefs, moments and resolve
 * use it without --catalog.  The whole file is checked first: a bad
 * one (DL_EX_DATAERR, naming the file and the JSON path) or a missing
 * one (DL_EX_NOINPUT) changes nothing.  The run is recorded as an
 * import of format "catalog" by annotator, in the same transaction.
 * On success cat holds the catalog (cat_release() it) and *replaced
 * says whether one had been imported before.  Returns 0 or -1.
 */
int teach_catalog_import(struct store *st, const char *path, const char *annotator,
			 struct catalog *cat, int *replaced, struct dl_error *err);

/*
 * Drop the imported catalog: the bundled one is used again.  *had says
 * whether there was one (when not, nothing is written).  Returns 0 or -1.
 */
int teach_catalog_reset(struct store *st, const char *annotator, int *had,
			struct dl_error *err);

#endif
