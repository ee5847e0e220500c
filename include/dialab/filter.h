#ifndef DIALAB_FILTER_H
#define DIALAB_FILTER_H

#include <stddef.h>

#include "dialab/error.h"

/*
 * The one filter language of review (--filter, :filter), label and
 * train (--where): space- or comma-separated KEY=VALUE terms, all of
 * which must hold.
 *
 *   intent=NAME   a label of the dialogue has this intent
 *   fp=STAGE      a label has this failure point (aliases accepted)
 *   source=KIND   model, human, implicit or import: the intent and fp
 *                 terms look only at labels of that source; alone, the
 *                 dialogue has a label of that source
 *   user=ID       the dialogue's user
 *   device=TYPE   the device type
 *   id=GLOB       the dialogue id, a shell pattern (* ? [...])
 *
 * The store turns a filter into SQL (store_queue()) or tests one
 * dialogue against it (store_filter_match()).
 */
enum filter_key {
	FK_INTENT,
	FK_FP,
	FK_USER,
	FK_DEVICE,
	FK_ID
};

#define FILTER_MAX_TERMS 14

struct dl_filter {
	size_t n;
	struct {
		enum filter_key key;
		const char *value;	/* into buf; an fp is its canonical name */
	} term[FILTER_MAX_TERMS];
	const char *source;	/* "model", ... or NULL */
	int label_terms;	/* how many intent and fp terms */
	char buf[512];
};

/*
 * Parse s (NULL or "" for no filter) into *f.  what names the option in
 * messages ("filter", "--where").  Returns 0, or -1 with err set
 * (DL_EX_USAGE) naming the term and the keys.
 */
int filter_parse(struct dl_filter *f, const char *s, const char *what, struct dl_error *err);

/* Does f hold no term at all? */
int filter_empty(const struct dl_filter *f);

#endif
