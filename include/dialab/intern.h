#ifndef DIALAB_INTERN_H
#define DIALAB_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "dialab/strbuf.h"

/*
 * Interned strings: each distinct string gets a small id, 0, 1, 2 ...
 * in the order first seen, and is kept once.  Caller-owned:
 * intern_init(), intern_release().
 */
struct intern {
	struct strbuf arena;
	size_t *off;
	size_t n, cap;
	uint32_t *hash;		/* id + 1, 0 empty */
	size_t hcap;
};

void intern_init(struct intern *t);
void intern_release(struct intern *t);
/* The id of s, interned when new. */
uint32_t intern_id(struct intern *t, const char *s);
/* The id of s, or UINT32_MAX when it was never interned. */
uint32_t intern_find(const struct intern *t, const char *s);
/* The string of id (owned by t; valid until the next intern_id). */
static inline const char *
intern_str(const struct intern *t, uint32_t id)
{
	return t->arena.buf + t->off[id];
}

#endif
