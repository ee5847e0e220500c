#ifndef DIALAB_CATALOG_H
#define DIALAB_CATALOG_H

#include <stddef.h>

#include "dialab/error.h"
#include "dialab/strbuf.h"

/*
 * The preference catalog (DESIGN.md section 8, dialab-format(5)): the
 * domains a user can teach, each with the slot it fills or biases, the
 * question a guided session asks, and its values with their aliases
 * ("the dubs" -> Golden State Warriors).  db/catalog.json is compiled
 * in; --catalog FILE or an imported catalog replaces it.
 */

struct cat_value {
	char *value;		/* canonical: "Golden State Warriors" */
	char *group;		/* "NBA", or NULL */
	char **aliases;		/* normalised (tok_norm) */
	size_t naliases;
};

struct cat_domain {
	char *name, *title, *slot, *question;
	int fill;		/* "fill": a like fills an open slot; else "rank" */
	int single;		/* one value at a time */
	int open;		/* any value is accepted */
	char **intents, **triggers, **hints;	/* triggers and hints normalised */
	size_t nintents, ntriggers, nhints;
	struct cat_value *values;
	size_t nvalues;
};

/* An alias of one value, for lookups (sorted by text). */
struct cat_alias {
	const char *text;
	size_t ntok;		/* words in text */
	unsigned dom, val;
};

struct catalog {
	struct cat_domain *domains;
	size_t ndomains, nvalues;
	struct cat_alias *alias;
	size_t nalias;
	size_t max_tok;		/* words in the longest alias */
	char source[256];	/* "bundled", a file name, or "database" */
};

/* The bundled catalog's JSON text. */
extern const char cat_bundled[];

/*
 * Parse a catalog from JSON text; name says where it came from, for
 * messages and cat->source.  Checks the structure and names the JSON
 * path of the first fault (DL_EX_DATAERR).  Returns 0, or -1 with err
 * set; release with cat_release().
 */
int cat_parse(struct catalog *cat, const char *text, size_t len, const char *name,
	      struct dl_error *err);
/*
 * Read and parse the file at path.  When text is not NULL, the file's
 * text is left in it (reset first) for the caller to store.
 */
int cat_load_file(struct catalog *cat, const char *path, struct strbuf *text,
		  struct dl_error *err);
void cat_release(struct catalog *cat);

/* The index of the domain called name, or -1. */
int cat_domain_find(const struct catalog *cat, const char *name);

/* A value the words of a text name. */
struct cat_hit {
	size_t start, end;	/* words [start, end) of the normalised text */
	size_t n;		/* how many values the words name (> 1: ambiguous) */
	unsigned dom[8], val[8];
};

/*
 * Find the values named in norm (normalised text), longest alias first,
 * left to right, without overlaps, keeping only those of domain dom
 * (-1: any).  Returns the number of hits written to hits (at most max).
 */
size_t cat_find(const struct catalog *cat, const char *norm, int dom, struct cat_hit *hits,
		size_t max);

/*
 * The value an unknown phrase most likely misspells: the alias within a
 * small edit distance of norm (or of a run of its words), of domain dom
 * (-1: any).  Returns 1 and sets *d, *v and *dist, or 0 when none is
 * close.
 */
int cat_suggest(const struct catalog *cat, const char *norm, int dom, unsigned *d, unsigned *v,
		int *dist);

/* Edit distance with transpositions (optimal string alignment), in bytes, capped at max + 1. */
int cat_distance(const char *a, const char *b, int max);

#endif
