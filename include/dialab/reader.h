#ifndef DIALAB_READER_H
#define DIALAB_READER_H

#include <jansson.h>

#include "dialab/error.h"

/*
 * Readers turn an input file of one format into dialab-format dialogue
 * records, one at a time, so memory does not grow with the file.
 */

enum in_format { IN_DIALAB, IN_SNIPS, IN_SLURP, IN_SGD, IN__COUNT };

/* Longest line (or SGD dialogue) accepted, in bytes. */
#define READER_MAX_RECORD (8L << 20)

/* The format named s ("dialab", "snips", ...), or -1. */
int reader_format_parse(const char *s);
const char *reader_format_name(enum in_format f);

struct reader;

/* Called for problems that do not reject a record (e.g. SLURP slots left out). */
typedef void (*reader_warn_fn)(void *ctx, const struct dl_error *w);

/*
 * Open path ("-" is standard input; for snips, a folder holding seq.in,
 * seq.out and label).  Errors: DL_EX_NOINPUT, DL_EX_IOERR.
 * Close with reader_close().
 */
int reader_open(struct reader **out, enum in_format f, const char *path,
		reader_warn_fn warn, void *wctx, struct dl_error *err);
void reader_close(struct reader *r);

/*
 * The next record.  Returns 1 with *out a new reference (a dialogue in
 * the dialab format, not yet validated) and *line the line it starts
 * on; 0 at the end; -1 with err set.  Whether reading can go on after
 * an error (to the next record) is reader_can_continue()'s answer.
 */
int reader_next(struct reader *r, json_t **out, long *line, struct dl_error *err);

/* After an error: is the next record still reachable (not a broken file)? */
int reader_can_continue(const struct reader *r);

/* Share of the input read so far, 0..1, or -1 when unknown (a pipe). */
double reader_progress(const struct reader *r);

/* The file that messages should name. */
const char *reader_name(const struct reader *r);

/*
 * SLURP's "[type : filler]" markup: strip it from ann, giving the plain
 * text and slot spans in code points ([{type, start, end}], appended
 * to spans).  Returns 0, or -1 when the markup is malformed.
 */
int slurp_annotation_parse(const char *ann, char **plain, json_t *spans);

/*
 * Move spans over plain onto sentence when the two differ (case, a
 * space, a small edit).  Rewrites the spans in place and returns 0,
 * or returns -1 with a reason in why (size n) when a span cannot be
 * placed with its words intact.
 */
int slurp_align(const char *plain, const char *sentence, json_t *spans,
		char *why, size_t n);

#endif
