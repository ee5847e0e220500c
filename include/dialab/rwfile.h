#ifndef DIALAB_RWFILE_H
#define DIALAB_RWFILE_H

#include "dialab/error.h"
#include "dialab/store.h"

/*
 * `dialab import --format rewrites`: read rewrites back from JSON Lines
 * as `dialab rewrites export` writes them (or as a runtime keeps them):
 * one object a line with "from", "to" (strings, normalised on the way
 * in), "scope" ("global" or "personal"), "user" (a string for a
 * personal rewrite, null or absent for a global one), and optionally
 * "support" (an integer, 0), "p_before" and "p_after" (0..1 or null),
 * "status" (proposed, accepted, rejected or retired; "proposed") and
 * "provenance" (an object; {"kind":"imported"}).  A rewrite already
 * there is updated as mining updates it, and its status changes by a
 * decision of annotator when the file says otherwise.  All or nothing:
 * the first bad line names the file, line and field, and nothing is
 * stored.  Counts go to *created and *updated.  Returns 0 or -1.
 */
int rw_import(struct store *st, const char *path, const char *annotator, long *created,
	      long *updated, struct dl_error *err);

#endif
