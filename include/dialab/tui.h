#ifndef DIALAB_TUI_H
#define DIALAB_TUI_H

#include "dialab/error.h"
#include "dialab/review.h"

/*
 * The full-screen review UI over a review session (ncursesw).  Keys
 * become review_* calls; nothing here decides anything by itself.
 */

/*
 * Run the UI until the annotator quits.  trace names a file to which
 * "first_screen MS" (since started_ms, a clock_ms() time)
 * and then each key's handling time ("KEY MS") are appended, or NULL.
 * Returns 0, or -1 with err set (the screen is restored first).
 */
int tui_run(struct review *r, const char *trace, double started_ms,
	    struct dl_error *err);

/*
 * The rewrites queue (dialab review --queue rewrites): the rewrites of
 * st, proposed ones first, with their example sessions; a accepts, x
 * rejects, e edits, u undoes, each a logged decision of annotator.
 * Returns 0, or -1 with err set (the screen is restored first).
 */
int tui_rewrites(struct store *st, const char *annotator, struct dl_error *err);

/*
 * Write s into out (size n) with every control character and escape
 * sequence made visible (ESC as "^[", DEL as "^?", C1 controls as
 * "\x9b"), so data never drives the terminal.  Returns out.
 */
char *tui_sanitize(const char *s, char *out, size_t n);

#endif
