/* intern.c: interned strings (intern.h). */
#include "dialab/intern.h"

#include <stdlib.h>
#include <string.h>

#include "dialab/tok.h"

void
intern_init(struct intern *t)
{
	memset(t, 0, sizeof(*t));
	sb_init(&t->arena);
	t->hcap = 1024;
	t->hash = xmalloc(t->hcap * sizeof(uint32_t));
	memset(t->hash, 0, t->hcap * sizeof(uint32_t));
}

void
intern_release(struct intern *t)
{
	sb_release(&t->arena);
	free(t->off);
	free(t->hash);
	memset(t, 0, sizeof(*t));
}

static size_t
slot(const char *s, size_t cap)
{
	return (size_t)tok_hash(s, strlen(s), 7) & (cap - 1);
}

static void
grow(struct intern *t)
{
	size_t i, ncap = t->hcap * 2;
	uint32_t *h = xmalloc(ncap * sizeof(uint32_t));

	memset(h, 0, ncap * sizeof(uint32_t));
	for (i = 0; i < t->n; i++) {
		size_t k = slot(intern_str(t, (uint32_t)i), ncap);

		while (h[k])
			k = (k + 1) & (ncap - 1);
		h[k] = (uint32_t)i + 1;
	}
	free(t->hash);
	t->hash = h;
	t->hcap = ncap;
}

uint32_t
intern_find(const struct intern *t, const char *s)
{
	size_t k = slot(s, t->hcap);

	while (t->hash[k]) {
		if (!strcmp(intern_str(t, t->hash[k] - 1), s))
			return t->hash[k] - 1;
		k = (k + 1) & (t->hcap - 1);
	}
	return UINT32_MAX;
}

uint32_t
intern_id(struct intern *t, const char *s)
{
	uint32_t id = intern_find(t, s);
	size_t k;

	if (id != UINT32_MAX)
		return id;
	if (2 * (t->n + 1) > t->hcap)
		grow(t);
	k = slot(s, t->hcap);
	while (t->hash[k])
		k = (k + 1) & (t->hcap - 1);
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->off = xrealloc(t->off, t->cap * sizeof(size_t));
	}
	t->off[t->n] = t->arena.len;
	sb_add(&t->arena, s, strlen(s));
	sb_addc(&t->arena, '\0');
	t->hash[k] = (uint32_t)t->n + 1;
	return (uint32_t)t->n++;
}
