#ifndef DIALAB_EXPORT_H
#define DIALAB_EXPORT_H

#include <stdio.h>

#include "dialab/error.h"
#include "dialab/store.h"

enum out_format { OUT_DIALAB, OUT_CONLL, OUT_SLURP, OUT__COUNT };

/* The format named s ("dialab", "conll", "slurp"), or -1. */
int export_format_parse(const char *s);

struct export_result {
	long dialogues, turns;	/* written */
	long unlabelled;	/* turns left out for want of the needed label */
};

/*
 * Write every dialogue of st to out (named outname in messages) in
 * format f with the labels that pass filter.  The dialab format
 * round-trips: importing it and exporting again gives the same bytes.
 * Returns 0, or -1 with err set (DL_EX_IOERR when writing fails).
 */
int export_run(struct store *st, enum out_format f, enum label_filter filter,
	       FILE *out, const char *outname, struct export_result *res,
	       struct dl_error *err);

#endif
