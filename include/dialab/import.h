#ifndef DIALAB_IMPORT_H
#define DIALAB_IMPORT_H

#include <stddef.h>

#include "dialab/error.h"
#include "dialab/reader.h"
#include "dialab/store.h"

struct import_result {
	long read;		/* records read, good or bad */
	long inserted, replaced, skipped, rejected, warnings;
	long turns, labels;	/* in the dialogues stored */
};

struct import_opts {
	enum in_format format;
	enum dup_policy dup;
	int skip_bad;		/* reject bad records, import the rest */
	const char *annotator;
	const char *const *paths;	/* "-" is standard input */
	size_t npaths;
	/* Each rejected record (skip_bad) and each warning; may be NULL. */
	void (*on_reject)(void *ctx, const struct dl_error *e);
	void (*on_warn)(void *ctx, const struct dl_error *w);
	/* Called every few hundred records with the share of the current file read. */
	void (*on_progress)(void *ctx, const struct import_result *r, double done);
	void *ctx;
};

/*
 * Import every path into st in one transaction: either all of it is
 * stored (less the records rejected under skip_bad) or nothing is.
 * Returns 0, or -1 with err set and the database as it was.
 */
int import_run(struct store *st, const struct import_opts *o,
	       struct import_result *res, struct dl_error *err);

#endif
