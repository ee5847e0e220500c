/* online.c: online rewriting over the utterances that worked (online.h). */
#include "dialab/online.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/intern.h"
#include "dialab/phonetic.h"
#include "dialab/rewrite.h"
#include "dialab/strbuf.h"
#include "dialab/tok.h"

#define MAX_GRAMS 256

struct form {
	long successes, seen;
	uint32_t ngrams, npgrams;	/* its character and phonetic trigrams */
};

/* A posting: a trigram's hash, and a form that has it. */
struct post {
	uint64_t h;
	uint32_t form;
};

struct posts {
	struct post *v;
	size_t n, cap;
};

/* A user's successes with one form. */
struct mine {
	uint64_t key;		/* user << 32 | form, + 1; 0 empty */
	long successes;
};

struct rw_index {
	struct intern forms, users;
	struct form *f;
	size_t capf;
	struct posts chars, phons;
	struct mine *mine;	/* open addressing */
	size_t nmine, capmine;
	long *user_total;	/* a user's successes, by user id */
	size_t capu;
	double threshold;
	/* a query's scratch, made by rw_index_done(): zero between queries */
	uint32_t *count;	/* shared trigrams: count[2f] characters, count[2f + 1] phonetic */
	uint32_t *touched;	/* the forms with a count */
};

struct rw_index *
rw_index_new(void)
{
	struct rw_index *ix = xmalloc(sizeof(*ix));

	memset(ix, 0, sizeof(*ix));
	intern_init(&ix->forms);
	intern_init(&ix->users);
	ix->threshold = ONLINE_THRESHOLD;
	ix->capmine = 1024;
	ix->mine = xmalloc(ix->capmine * sizeof(*ix->mine));
	memset(ix->mine, 0, ix->capmine * sizeof(*ix->mine));
	return ix;
}

void
rw_index_free(struct rw_index *ix)
{
	if (!ix)
		return;
	intern_release(&ix->forms);
	intern_release(&ix->users);
	free(ix->f);
	free(ix->chars.v);
	free(ix->phons.v);
	free(ix->mine);
	free(ix->user_total);
	free(ix->count);
	free(ix->touched);
	free(ix);
}

void
rw_index_set_threshold(struct rw_index *ix, double t)
{
	ix->threshold = t;
}

double
rw_index_threshold(const struct rw_index *ix)
{
	return ix->threshold;
}

size_t
rw_index_size(const struct rw_index *ix)
{
	return ix->forms.n;
}

static uint32_t
form_id(struct rw_index *ix, const char *form)
{
	uint32_t id = intern_id(&ix->forms, form);

	if (id >= ix->capf) {
		size_t old = ix->capf;

		ix->capf = ix->capf ? 2 * ix->capf : 256;
		while (ix->capf <= id)
			ix->capf *= 2;
		ix->f = xrealloc(ix->f, ix->capf * sizeof(*ix->f));
		memset(ix->f + old, 0, (ix->capf - old) * sizeof(*ix->f));
	}
	return id;
}

static struct mine *
mine_slot(const struct rw_index *ix, uint64_t key)
{
	size_t k = (size_t)tok_mix(key, 0x5bd1e995u) & (ix->capmine - 1);

	while (ix->mine[k].key && ix->mine[k].key != key + 1)
		k = (k + 1) & (ix->capmine - 1);
	return &ix->mine[k];
}

static void
mine_grow(struct rw_index *ix)
{
	struct mine *old = ix->mine;
	size_t i, n = ix->capmine;

	ix->capmine *= 2;
	ix->mine = xmalloc(ix->capmine * sizeof(*ix->mine));
	memset(ix->mine, 0, ix->capmine * sizeof(*ix->mine));
	for (i = 0; i < n; i++)
		if (old[i].key)
			*mine_slot(ix, old[i].key - 1) = old[i];
	free(old);
}

void
rw_index_add(struct rw_index *ix, const char *user, const char *form, long successes,
	     long seen)
{
	uint32_t id = form_id(ix, form);

	if (!user) {
		ix->f[id].successes += successes;
		ix->f[id].seen += seen;
		return;
	}
	{
		uint32_t u = intern_id(&ix->users, user);
		struct mine *m;

		if (u >= ix->capu) {
			size_t old = ix->capu;

			ix->capu = ix->capu ? 2 * ix->capu : 256;
			while (ix->capu <= u)
				ix->capu *= 2;
			ix->user_total = xrealloc(ix->user_total, ix->capu * sizeof(long));
			memset(ix->user_total + old, 0, (ix->capu - old) * sizeof(long));
		}
		ix->user_total[u] += successes;
		if (2 * (ix->nmine + 1) > ix->capmine)
			mine_grow(ix);
		m = mine_slot(ix, (uint64_t)u << 32 | id);
		if (!m->key) {
			m->key = ((uint64_t)u << 32 | id) + 1;
			ix->nmine++;
		}
		m->successes += successes;
	}
}

/* The distinct trigram hashes of s (spaces squeezed), seeded: how many. */
static size_t
grams(const char *s, uint64_t seed, uint64_t *out)
{
	size_t n = 0, len = strlen(s), i, j;

	for (i = 0; i + 3 <= len && n < MAX_GRAMS; i++) {
		uint64_t h = tok_hash(s + i, 3, seed);

		for (j = 0; j < n && out[j] != h; j++)
			;
		if (j == n)
			out[n++] = h;
	}
	if (!n && len) {	/* a word of one or two letters */
		out[n++] = tok_hash(s, len, seed);
	}
	return n;
}

static size_t
all_grams(const char *norm, uint64_t *cg, size_t *nc, uint64_t *pg)
{
	struct strbuf key;
	size_t np;

	*nc = grams(norm, 11, cg);
	sb_init(&key);
	phon_key(&key, norm);
	np = grams(key.buf, 13, pg);
	sb_release(&key);
	return np;
}

static void
post(struct posts *p, uint64_t h, uint32_t form)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 1024;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n].h = h;
	p->v[p->n++].form = form;
}

static int
cmp_post(const void *a, const void *b)
{
	const struct post *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->form < y->form ? -1 : x->form > y->form;
}

void
rw_index_done(struct rw_index *ix)
{
	uint64_t cg[MAX_GRAMS], pg[MAX_GRAMS];
	size_t i, k, nc, np;

	for (i = 0; i < ix->forms.n; i++) {
		np = all_grams(intern_str(&ix->forms, (uint32_t)i), cg, &nc, pg);
		ix->f[i].ngrams = (uint32_t)nc;
		ix->f[i].npgrams = (uint32_t)np;
		for (k = 0; k < nc; k++)
			post(&ix->chars, cg[k], (uint32_t)i);
		for (k = 0; k < np; k++)
			post(&ix->phons, pg[k], (uint32_t)i);
	}
	ix->count = xmalloc((2 * ix->forms.n + 1) * sizeof(uint32_t));
	memset(ix->count, 0, (2 * ix->forms.n + 1) * sizeof(uint32_t));
	ix->touched = xmalloc((ix->forms.n + 1) * sizeof(uint32_t));
	if (ix->chars.n)	/* qsort() wants a pointer even for nothing */
		qsort(ix->chars.v, ix->chars.n, sizeof(*ix->chars.v), cmp_post);
	if (ix->phons.n)
		qsort(ix->phons.v, ix->phons.n, sizeof(*ix->phons.v), cmp_post);
}

static int
add_form(void *ctx, const struct st_form *f)
{
	rw_index_add(ctx, f->user, f->form, f->successes, f->seen);
	return 0;
}

struct rw_index *
rw_index_load(struct store *st, struct dl_error *err)
{
	struct rw_index *ix = rw_index_new();
	char *t;

	if (store_forms_each(st, 0, NULL, add_form, ix, err) ||
	    store_forms_each(st, 1, NULL, add_form, ix, err)) {
		rw_index_free(ix);
		return NULL;
	}
	if ((t = store_meta_get(st, ONLINE_META, err))) {
		char *end;
		double v = strtod(t, &end);

		if (!*end && v > 0)
			ix->threshold = v;
		free(t);
	} else if (err->code) {
		rw_index_free(ix);
		return NULL;
	}
	rw_index_done(ix);
	return ix;
}

/*
 * Count, for each form, the query's trigrams it shares (the postings of
 * the hashes in q), in count[2 * form + off]; forms seen the first time
 * go to touched.
 */
static void
shared(const struct posts *p, const uint64_t *q, size_t nq, uint32_t *count, int off,
       uint32_t *touched, size_t *nt)
{
	size_t i;

	for (i = 0; i < nq; i++) {
		size_t lo = 0, hi = p->n;

		while (lo < hi) {	/* the first posting of q[i] */
			size_t mid = (lo + hi) / 2;

			if (p->v[mid].h < q[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < p->n && p->v[lo].h == q[i]; lo++) {
			uint32_t f = p->v[lo].form;

			if (!count[2 * f] && !count[2 * f + 1])
				touched[(*nt)++] = f;
			count[2 * f + (size_t)off]++;
		}
	}
}

struct cand {
	uint32_t form;
	double pre, score;
	int personal;
};

static int
cmp_pre(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->pre != y->pre)
		return x->pre > y->pre ? -1 : 1;
	return x->form < y->form ? -1 : x->form > y->form;
}

static int
cmp_score(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->form < y->form ? -1 : x->form > y->form;
}

static long
user_successes(const struct rw_index *ix, uint32_t u, uint32_t form)
{
	const struct mine *m;

	if (u == UINT32_MAX)
		return 0;
	m = mine_slot(ix, (uint64_t)u << 32 | form);
	return m->key ? m->successes : 0;
}

size_t
rw_online_rank(struct rw_index *ix, const char *user, const char *norm,
	       struct rw_hit *hits, size_t max)
{
	uint64_t cg[MAX_GRAMS], pg[MAX_GRAMS];
	size_t nc, np, nt = 0, i, nh;
	uint32_t *count = ix->count, *touched = ix->touched, self;
	uint32_t u = user ? intern_find(&ix->users, user) : UINT32_MAX;
	struct cand *c;

	if (!norm || !*norm || !ix->forms.n)
		return 0;
	self = intern_find(&ix->forms, norm);
	/* the guardrail: what works as said is never rewritten */
	if (self != UINT32_MAX && ((ix->f[self].seen >= 3 &&
				    2 * ix->f[self].successes >= ix->f[self].seen) ||
				   user_successes(ix, u, self) > 0))
		return 0;
	np = all_grams(norm, cg, &nc, pg);
	shared(&ix->chars, cg, nc, count, 0, touched, &nt);
	shared(&ix->phons, pg, np, count, 1, touched, &nt);
	c = xmalloc((nt + 1) * sizeof(*c));
	for (i = 0; i < nt; i++) {
		const struct form *f = &ix->f[touched[i]];
		double dc = nc + f->ngrams ? 2.0 * count[2 * touched[i]] / (double)(nc + f->ngrams) : 0;
		double dp = np + f->npgrams ?
			    2.0 * count[2 * touched[i] + 1] / (double)(np + f->npgrams) : 0;

		c[i].form = touched[i];
		c[i].pre = dc > dp ? dc : dp;
		count[2 * touched[i]] = count[2 * touched[i] + 1] = 0;	/* ready for the next query */
	}
	if (nt)
		qsort(c, nt, sizeof(*c), cmp_pre);
	nh = nt < ONLINE_K ? nt : ONLINE_K;
	for (i = 0; i < nh; i++) {
		const struct form *f = &ix->f[c[i].form];
		const char *text = intern_str(&ix->forms, c[i].form);
		double sim = rw_related(norm, text);
		double rate = f->seen ? (double)f->successes / (double)f->seen : 0;
		long mine = user_successes(ix, u, c[i].form);
		double aff = mine && ix->user_total[u] ? (double)mine / (double)ix->user_total[u] : 0;

		c[i].score = c[i].form == self || rate < 0.5 ? 0 :
			     sim * (0.5 + 0.5 * rate) + 0.15 * aff;
		c[i].personal = mine > 0;
	}
	if (nh)
		qsort(c, nh, sizeof(*c), cmp_score);
	for (i = 0; i < nh && i < max && c[i].score > 0; i++) {
		hits[i].to = intern_str(&ix->forms, c[i].form);
		hits[i].score = c[i].score;
		hits[i].personal = c[i].personal;
	}
	free(c);
	return i;
}

int
rw_online(struct rw_index *ix, const char *user, const char *norm, struct rw_hit *hit)
{
	if (!rw_online_rank(ix, user, norm, hit, 1) || hit->score < ix->threshold)
		return 0;
	return 1;
}
