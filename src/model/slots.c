#include "dialab/slots.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/blob.h"
#include "dialab/context.h"
#include "dialab/rng.h"
#include "dialab/tok.h"
#include "dialab/utf8.h"

#define MAGIC "DLSLOTS"		/* with its NUL, 8 bytes */
#define VERSION 1
#define MAX_TYPES 512
#define MAX_NAME 1024
#define MAX_INTENTS 4096
#define GAZ_MAX 5		/* longest gazetteer value, in tokens */
#define NGRADES 4
#define PREFETCH 12
#define NINTENT 4		/* intent features per token */

/*
 * Tags: 0 is O, 1 + 2t is B-t and 2 + 2t is I-t.  Transition rows are
 * [ntags + 1][ntags], the last row for the start of the sentence.
 */
#define TAG_B(t) (1 + 2 * (t))
#define IS_I(g) ((g) > 0 && (g) % 2 == 0)
#define TYPE_OF(g) (((g) - 1) / 2)

/* Feature families, kept apart in the hash space. */
enum {
	K_BIAS = 1, K_W, K_SHAPE, K_SSHAPE, K_PRE, K_SUF, K_WM2, K_WM1, K_WP1,
	K_WP2, K_BM1, K_BP1, K_BM2, K_BP2, K_BSKIP, K_GZ, K_GZG, K_INTENT, K_CTX
};

struct gaz_ent {
	uint64_t key;		/* 0: empty slot */
	uint32_t type;
	uint32_t spans;		/* times it was a slot of this type */
	uint32_t occ;		/* times the n-gram occurred at all */
};

/* Open addressing; one entry per (key, type), equal keys probe on. */
struct gaz {
	struct gaz_ent *v;
	size_t mask, n;
};

/* A feature's weights: etag/ew[off .. off + cnt) */
struct feat {
	uint64_t key;		/* 0: empty slot */
	uint32_t off, cnt;
};

struct slots_model {
	struct slots_params p;
	size_t ntypes, ntags;
	char **names;
	size_t nintents;
	/*
	 * [nintents][ntypes]: bit 1 of allowed[i][t] says type t occurs with
	 * intent i in training, bit 2 of allowed[i][0] that intent i occurs.
	 */
	unsigned char *allowed;
	float *trans;		/* [ntags + 1][ntags] */
	float *tend;		/* [ntags] */
	double *etrans;		/* exp of trans, then of tend; 0 when not allowed */
	struct feat *ft;	/* open addressing on the feature key */
	size_t fmask, nfeat;
	uint16_t *etag;
	float *ew;
	size_t nent;
	struct gaz gaz;
};

/* One gazetteer match in a sentence. */
struct match {
	size_t start, len;
	size_t ent;		/* its gazetteer entry */
	uint32_t type, grade;	/* grade NGRADES: left out */
};

/* Scratch buffers for the features of one sentence. */
struct sent {
	const char *text;
	struct tok_list tl;
	uint64_t *wh, *sh;	/* word and shape hashes, 2 pads each side */
	size_t hcap;
	uint64_t *keys;
	size_t nkeys, kcap;
	size_t *off;		/* token i: keys[off[i] .. off[i + 1]) */
	size_t ocap;
	struct match *mt;
	size_t nmt, mcap;
	struct strbuf tmp;
};

/* The sentence's own slots, left out of the gazetteer (training only). */
struct own {
	const uint64_t *key;
	const uint32_t *type;
	size_t n;
};

void
slots_params_init(struct slots_params *p)
{
	p->seed = 0;
	p->epochs = 10;
	p->gazetteer = 1;
	p->constrain = 1;
	p->intent_dropout = 0.2;
}

static const char *
check_params(const struct slots_params *p)
{
	if (p->epochs < 1 || p->epochs > 1000)
		return "epochs must be in 1..1000";
	if (p->gazetteer != 0 && p->gazetteer != 1)
		return "gazetteer must be 0 or 1";
	if (p->constrain != 0 && p->constrain != 1)
		return "constrain must be 0 or 1";
	if (!(p->intent_dropout >= 0 && p->intent_dropout <= 1))
		return "intent_dropout must be in [0, 1]";
	return NULL;
}

static uint64_t
fk(uint64_t kind, uint64_t v)
{
	uint64_t h = tok_mix(kind, v);

	return h ? h : 1;
}

static size_t
pow2_at_least(size_t n)
{
	size_t s = 16;

	while (s < n)
		s *= 2;
	return s;
}

/* ---- gazetteer ---- */

static void
gaz_init(struct gaz *g, size_t n)
{
	size_t size = pow2_at_least(2 * n + 1);

	g->v = xmalloc(size * sizeof(*g->v));
	memset(g->v, 0, size * sizeof(*g->v));
	g->mask = size - 1;
	g->n = 0;
}

static struct gaz_ent *
gaz_slot(const struct gaz *g, uint64_t key, uint32_t type, int *found)
{
	size_t i = (size_t)key & g->mask;

	for (; g->v[i].key; i = (i + 1) & g->mask)
		if (g->v[i].key == key && g->v[i].type == type) {
			*found = 1;
			return &g->v[i];
		}
	*found = 0;
	return &g->v[i];
}

static void
gaz_grow(struct gaz *g)
{
	struct gaz old = *g;
	struct gaz_ent *e;
	size_t i;
	int found;

	gaz_init(g, old.mask + 1);
	for (i = 0; i <= old.mask; i++)
		if (old.v[i].key) {
			e = gaz_slot(g, old.v[i].key, old.v[i].type, &found);
			*e = old.v[i];
			g->n++;
		}
	free(old.v);
}

/* The entry for (key, type), added with zero counts if missing. */
static struct gaz_ent *
gaz_get(struct gaz *g, uint64_t key, uint32_t type)
{
	struct gaz_ent *e;
	int found;

	if (2 * (g->n + 1) > g->mask + 1)
		gaz_grow(g);
	e = gaz_slot(g, key, type, &found);
	if (!found) {
		e->key = key;
		e->type = type;
		e->spans = e->occ = 0;
		g->n++;
	}
	return e;
}

/* How far a match is to be trusted: the share of occurrences as a slot. */
static uint32_t
grade(uint32_t spans, uint32_t occ)
{
	double r = occ ? (double)spans / occ : 1;

	if (r >= 0.9)
		return 3;
	if (r >= 0.5)
		return 2;
	if (r >= 0.1)
		return 1;
	return 0;
}

/* ---- features ---- */

static void
sent_init(struct sent *s)
{
	memset(s, 0, sizeof(*s));
	tok_list_init(&s->tl);
	sb_init(&s->tmp);
}

static void
sent_release(struct sent *s)
{
	tok_list_release(&s->tl);
	free(s->wh);
	free(s->sh);
	free(s->keys);
	free(s->off);
	free(s->mt);
	sb_release(&s->tmp);
}

static void
key_add(struct sent *s, uint64_t k)
{
	if (s->nkeys == s->kcap) {
		s->kcap = s->kcap ? 2 * s->kcap : 512;
		s->keys = xrealloc(s->keys, s->kcap * sizeof(*s->keys));
	}
	s->keys[s->nkeys++] = k;
}

/* Long shape (runs cut at 4) or short shape (runs of one) of s. */
static uint64_t
shape(struct strbuf *tmp, const char *s, size_t n, int longform)
{
	size_t i = 0, k, run = 0;
	uint32_t cp;
	char c, last = 0;

	sb_reset(tmp);
	while (i < n) {
		if (!(k = utf8_decode(s + i, n - i, &cp))) {
			cp = 0xfffd;
			k = 1;
		}
		i += k;
		if (cp >= '0' && cp <= '9')
			c = 'd';
		else if (tok_lower_cp(cp) != cp)
			c = 'X';
		else if (cp < 0x80 && !(cp >= 'a' && cp <= 'z'))
			c = (char)cp;
		else
			c = 'x';
		run = c == last ? run + 1 : 1;
		last = c;
		if (run <= (longform ? 4u : 1u))
			sb_addc(tmp, c);
	}
	return tok_hash(tmp->buf, tmp->len, longform ? K_SHAPE : K_SSHAPE);
}

/* Offset of the k-th code point from the start (k >= 0) of s[0..n). */
static size_t
cp_prefix(const char *s, size_t n, size_t k)
{
	size_t i = 0;

	while (i < n && k) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		k--;
	}
	return k ? (size_t)-1 : i;
}

/* Offset where the last k code points of s[0..n) begin, or -1. */
static size_t
cp_suffix(const char *s, size_t n, size_t k)
{
	size_t i = n;

	while (i > 0 && k) {
		i--;
		while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
			i--;
		k--;
	}
	return k ? (size_t)-1 : i;
}

/*
 * Find the gazetteer values in the sentence.  own, when given, holds the
 * sentence's own slots, which do not count (leave-one-out).
 */
static void
find_matches(struct sent *s, const struct gaz *g, const struct own *own)
{
	size_t n = s->tl.n, i, len, j, a, b;
	uint64_t h;
	uint32_t spans, occ;

	s->nmt = 0;
	if (!g->v)
		return;
	for (i = 0; i < n; i++) {
		h = 0;
		for (len = 1; len <= GAZ_MAX && i + len <= n; len++) {
			h = tok_mix(h, s->wh[i + len + 1]);
			j = (size_t)h & g->mask;
			for (; g->v[j].key; j = (j + 1) & g->mask) {
				if (g->v[j].key != h)
					continue;
				if (s->nmt == s->mcap) {
					s->mcap = s->mcap ? 2 * s->mcap : 32;
					s->mt = xrealloc(s->mt,
							 s->mcap * sizeof(*s->mt));
				}
				s->mt[s->nmt].start = i;
				s->mt[s->nmt].len = len;
				s->mt[s->nmt].ent = j;
				s->nmt++;
			}
		}
	}
	/* Grade, leaving out the sentence's own slots and occurrences. */
	for (a = 0; a < s->nmt; a++) {
		const struct gaz_ent *e = &g->v[s->mt[a].ent];

		spans = e->spans;
		occ = e->occ;
		if (own) {
			for (j = 0; j < own->n; j++)
				if (own->key[j] == e->key &&
				    own->type[j] == e->type && spans)
					spans--;
			for (j = 0; j < s->nmt; j++)
				if (s->mt[j].ent == s->mt[a].ent && occ)
					occ--;
		}
		s->mt[a].type = e->type;
		s->mt[a].grade = spans ? grade(spans, occ) : NGRADES;
	}
	for (a = b = 0; a < s->nmt; a++)
		if (s->mt[a].grade < NGRADES)
			s->mt[b++] = s->mt[a];
	s->nmt = b;
}

/*
 * The feature keys of every token of s->text, split into s->tl, for
 * intent (-1: unknown) in context ctx (a context.h list, or NULL).
 */
static void
featurize(struct sent *s, const struct gaz *g, const struct own *own,
	  int intent, const char *ctx)
{
	size_t n = s->tl.n, i, k, j, len, cut, mfirst = 0;
	const char *w, *c;
	uint64_t ih = 0, *wh, *sh, gk;
	static const uint64_t pad[4] = { 0x5053324d, 0x5053314d, 0x50533150,
					 0x50533250 };

	if (s->hcap < n + 4) {
		s->hcap = 2 * (n + 4);
		s->wh = xrealloc(s->wh, s->hcap * sizeof(*s->wh));
		s->sh = xrealloc(s->sh, s->hcap * sizeof(*s->sh));
	}
	if (s->ocap < n + 1) {
		s->ocap = 2 * (n + 1);
		s->off = xrealloc(s->off, s->ocap * sizeof(*s->off));
	}
	wh = s->wh + 2;
	sh = s->sh + 2;
	wh[-2] = sh[-2] = pad[0];
	wh[-1] = sh[-1] = pad[1];
	wh[n] = sh[n] = pad[2];
	wh[n + 1] = sh[n + 1] = pad[3];
	for (i = 0; i < n; i++) {
		wh[i] = tok_hash(tok_lower(&s->tl, i), s->tl.v[i].lower_len, K_W);
		sh[i] = shape(&s->tmp, s->text + s->tl.v[i].byte_start,
			      s->tl.v[i].byte_end - s->tl.v[i].byte_start, 1);
	}
	find_matches(s, g, own);
	if (intent >= 0)
		ih = fk(K_INTENT, (uint64_t)intent);
	s->nkeys = 0;
	for (i = 0; i < n; i++) {
		size_t first = s->nkeys;
		const struct tok *t = &s->tl.v[i];

		s->off[i] = first;
		w = tok_lower(&s->tl, i);
		len = s->tl.v[i].lower_len;
		key_add(s, fk(K_BIAS, 0));
		key_add(s, fk(K_W, wh[i]));
		key_add(s, fk(K_SHAPE, sh[i]));
		key_add(s, fk(K_SSHAPE, shape(&s->tmp, s->text + t->byte_start,
					      t->byte_end - t->byte_start, 0)));
		for (k = 1; k <= 4; k++) {
			if ((cut = cp_prefix(w, len, k)) == (size_t)-1)
				break;
			key_add(s, fk(K_PRE, tok_hash(w, cut, k)));
			cut = cp_suffix(w, len, k);
			key_add(s, fk(K_SUF, tok_hash(w + cut, len - cut, k)));
		}
		key_add(s, fk(K_WM2, wh[i - 2]));
		key_add(s, fk(K_WM1, wh[i - 1]));
		key_add(s, fk(K_WP1, wh[i + 1]));
		key_add(s, fk(K_WP2, wh[i + 2]));
		key_add(s, fk(K_BM1, tok_mix(wh[i - 1], wh[i])));
		key_add(s, fk(K_BP1, tok_mix(wh[i], wh[i + 1])));
		key_add(s, fk(K_BM2, tok_mix(wh[i - 2], wh[i - 1])));
		key_add(s, fk(K_BP2, tok_mix(wh[i + 1], wh[i + 2])));
		key_add(s, fk(K_BSKIP, tok_mix(wh[i - 1], wh[i + 1])));
		/* matches come by start; none longer than GAZ_MAX */
		while (mfirst < s->nmt && s->mt[mfirst].start + GAZ_MAX <= i)
			mfirst++;
		for (j = mfirst; j < s->nmt && s->mt[j].start <= i; j++) {
			const struct match *m = &s->mt[j];
			uint64_t pos;

			if (i >= m->start + m->len)
				continue;
			if (m->len == 1)
				pos = 'U';
			else if (i == m->start)
				pos = 'B';
			else if (i + 1 == m->start + m->len)
				pos = 'L';
			else
				pos = 'I';
			gk = fk(K_GZ, pos << 32 | m->type);
			key_add(s, gk);
			key_add(s, fk(K_GZG, tok_mix(gk, m->grade)));
		}
		/* the context, alone and with the word (none: no keys at all) */
		for (c = ctx && *ctx ? ctx : NULL; c; c = ctx_next(c)) {
			uint64_t ch = tok_hash(c, strlen(c), K_CTX);

			key_add(s, fk(K_CTX, ch));
			key_add(s, fk(K_CTX, tok_mix(ch, wh[i])));
		}
		/* last, NINTENT of them, so training can leave them out */
		if (intent >= 0) {
			key_add(s, fk(ih, s->keys[first]));	/* bias */
			key_add(s, fk(ih, s->keys[first + 1]));	/* word */
			key_add(s, fk(ih, fk(K_WM1, wh[i - 1])));
			key_add(s, fk(ih, fk(K_WP1, wh[i + 1])));
		}
	}
	s->off[n] = s->nkeys;
}

/* ---- decoding ---- */

/*
 * Best tag sequence for emissions em[n][na] over the allowed tags
 * al[0..na), with transitions trans[ntags + 1][ntags] and tend[ntags].
 * An I- tag follows only the B- or I- tag of its type.  Writes tags
 * (not indices) to out[0..n).
 */
static void
viterbi(const float *trans, const float *tend, size_t ntags, const float *em,
	size_t n, const uint16_t *al, size_t na, double *delta, uint16_t *back,
	uint16_t *out)
{
	size_t i, a, b, best = 0;
	double v, bv;

	for (b = 0; b < na; b++)
		delta[b] = IS_I(al[b]) ? -HUGE_VAL :
			   (double)trans[ntags * ntags + al[b]] + em[b];
	for (i = 1; i < n; i++) {
		const double *dp = delta + (i - 1) * na;
		double *dc = delta + i * na;

		for (b = 0; b < na; b++) {
			unsigned g = al[b];
			/* an I- tag's B- tag is just before it in al */
			size_t lo = IS_I(g) ? b - 1 : 0, hi = IS_I(g) ? b + 1 : na;

			bv = -HUGE_VAL;
			best = lo;
			for (a = lo; a < hi; a++) {
				v = dp[a] + trans[(size_t)al[a] * ntags + g];
				if (v > bv) {
					bv = v;
					best = a;
				}
			}
			dc[b] = bv + em[i * na + b];
			back[i * na + b] = (uint16_t)best;
		}
	}
	bv = -HUGE_VAL;
	best = 0;	/* O, which may end any sentence */
	for (a = 0; a < na; a++) {
		v = delta[(n - 1) * na + a] + tend[al[a]];
		if (v > bv) {
			bv = v;
			best = a;
		}
	}
	for (i = n; i-- > 0;) {
		out[i] = al[best];
		if (i)
			best = back[i * na + best];
	}
}

/* ---- training ---- */

struct trow {
	uint32_t off, n, cap;
};

struct trainer {
	size_t ntags;
	/* feature key -> row, open addressing */
	uint64_t *hkey;
	uint32_t *hrow;
	size_t hmask, nrows, rcap;
	struct trow *rows;
	uint16_t *etag;
	float *ew;
	double *eu;
	size_t nent, ecap;
	float *tw;
	double *tu;		/* transitions, the end row last */
	double c;		/* examples seen, for averaging */
};

static uint32_t
row_of(struct trainer *tr, uint64_t key)
{
	size_t i, j, size;
	uint64_t *ok;
	uint32_t *orow;

	if (2 * (tr->nrows + 1) > tr->hmask + 1) {
		ok = tr->hkey;
		orow = tr->hrow;
		size = tr->hmask + 1;
		tr->hmask = 2 * size - 1;
		tr->hkey = xmalloc(2 * size * sizeof(*tr->hkey));
		tr->hrow = xmalloc(2 * size * sizeof(*tr->hrow));
		memset(tr->hkey, 0, 2 * size * sizeof(*tr->hkey));
		for (i = 0; i < size; i++) {
			if (!ok[i])
				continue;
			for (j = (size_t)ok[i] & tr->hmask; tr->hkey[j];
			     j = (j + 1) & tr->hmask)
				;
			tr->hkey[j] = ok[i];
			tr->hrow[j] = orow[i];
		}
		free(ok);
		free(orow);
	}
	for (i = (size_t)key & tr->hmask; tr->hkey[i]; i = (i + 1) & tr->hmask)
		if (tr->hkey[i] == key)
			return tr->hrow[i];
	tr->hkey[i] = key;
	tr->hrow[i] = (uint32_t)tr->nrows;
	if (tr->nrows == tr->rcap) {
		tr->rcap = tr->rcap ? 2 * tr->rcap : 4096;
		tr->rows = xrealloc(tr->rows, tr->rcap * sizeof(*tr->rows));
	}
	tr->rows[tr->nrows].off = tr->rows[tr->nrows].n =
		tr->rows[tr->nrows].cap = 0;
	return (uint32_t)tr->nrows++;
}

static void
ent_reserve(struct trainer *tr, size_t extra)
{
	if (tr->nent + extra <= tr->ecap)
		return;
	while (tr->nent + extra > tr->ecap)
		tr->ecap = tr->ecap ? 2 * tr->ecap : 1 << 16;
	tr->etag = xrealloc(tr->etag, tr->ecap * sizeof(*tr->etag));
	tr->ew = xrealloc(tr->ew, tr->ecap * sizeof(*tr->ew));
	tr->eu = xrealloc(tr->eu, tr->ecap * sizeof(*tr->eu));
}

/* Add d to the weight of (row, tag). */
static void
update(struct trainer *tr, uint32_t r, uint16_t tag, float d)
{
	struct trow *row = &tr->rows[r];
	uint32_t k;

	for (k = 0; k < row->n; k++)
		if (tr->etag[row->off + k] == tag)
			break;
	if (k == row->n) {
		if (row->n == row->cap) {
			uint32_t cap = row->cap ? 2 * row->cap : 2;

			ent_reserve(tr, cap);
			if (row->n) {
				memcpy(tr->etag + tr->nent, tr->etag + row->off,
				       row->n * sizeof(*tr->etag));
				memcpy(tr->ew + tr->nent, tr->ew + row->off,
				       row->n * sizeof(*tr->ew));
				memcpy(tr->eu + tr->nent, tr->eu + row->off,
				       row->n * sizeof(*tr->eu));
			}
			row->off = (uint32_t)tr->nent;
			row->cap = cap;
			tr->nent += cap;
		}
		tr->etag[row->off + k] = tag;
		tr->ew[row->off + k] = 0;
		tr->eu[row->off + k] = 0;
		row->n++;
	}
	tr->ew[row->off + k] += d;
	tr->eu[row->off + k] += tr->c * d;
}

/*
 * Emission scores em[n][na] of the tokens whose rows are r[off[i]..],
 * leaving out the last drop rows of each token (its intent features).
 */
static void
score_train(const struct trainer *tr, const uint32_t *r, const size_t *off,
	    size_t n, size_t drop, const uint16_t *al, size_t na, float *tmp,
	    float *em)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		memset(tmp, 0, tr->ntags * sizeof(*tmp));
		for (j = off[i]; j < off[i + 1] - drop; j++) {
			const struct trow *row = &tr->rows[r[j]];

			for (k = 0; k < row->n; k++)
				tmp[tr->etag[row->off + k]] += tr->ew[row->off + k];
		}
		for (k = 0; k < na; k++)
			em[i * na + k] = tmp[al[k]];
	}
}

static void
trans_update(struct trainer *tr, size_t from, size_t to, float d)
{
	tr->tw[from * tr->ntags + to] += d;
	tr->tu[from * tr->ntags + to] += tr->c * d;
}

/* ---- the model ---- */

static void
model_init(struct slots_model *m, const struct slots_params *p, size_t ntypes)
{
	memset(m, 0, sizeof(*m));
	m->p = *p;
	m->ntypes = ntypes;
	m->ntags = 1 + 2 * ntypes;
	m->names = xmalloc(ntypes * sizeof(*m->names));
	memset(m->names, 0, ntypes * sizeof(*m->names));
	m->trans = xmalloc((m->ntags + 1) * m->ntags * sizeof(*m->trans));
	memset(m->trans, 0, (m->ntags + 1) * m->ntags * sizeof(*m->trans));
	m->tend = xmalloc(m->ntags * sizeof(*m->tend));
	memset(m->tend, 0, m->ntags * sizeof(*m->tend));
}

static double
clamp_exp(double x)
{
	return exp(x < -300 ? -300 : x > 300 ? 300 : x);
}

/* Precompute what prediction needs from the transition weights. */
static void
model_ready(struct slots_model *m)
{
	size_t T = m->ntags, a, b;

	free(m->etrans);
	m->etrans = xmalloc((T + 2) * T * sizeof(*m->etrans));
	for (a = 0; a <= T; a++)
		for (b = 0; b < T; b++)
			m->etrans[a * T + b] = IS_I(b) && a != b && a != b - 1 ? 0 :
					       clamp_exp(m->trans[a * T + b]);
	for (b = 0; b < T; b++)
		m->etrans[(T + 1) * T + b] = clamp_exp(m->tend[b]);
}

void
slots_free(struct slots_model *m)
{
	size_t i;

	if (!m)
		return;
	if (m->names)
		for (i = 0; i < m->ntypes; i++)
			free(m->names[i]);
	free(m->names);
	free(m->allowed);
	free(m->trans);
	free(m->tend);
	free(m->etrans);
	free(m->ft);
	free(m->etag);
	free(m->ew);
	free(m->gaz.v);
	free(m);
}

/* Make room for nfeat features in the model's table. */
static void
ftable_init(struct slots_model *m, size_t nfeat)
{
	size_t size = pow2_at_least(2 * nfeat + 1);

	m->fmask = size - 1;
	m->ft = xmalloc(size * sizeof(*m->ft));
	memset(m->ft, 0, size * sizeof(*m->ft));
	m->nfeat = 0;
}

/* The slot for key: where it is, or the empty slot it would go to. */
static size_t
fslot(const struct slots_model *m, uint64_t key)
{
	size_t i = (size_t)key & m->fmask;

	while (m->ft[i].key && m->ft[i].key != key)
		i = (i + 1) & m->fmask;
	return i;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Averaged weights of the trainer into m, without zero weights. */
static void
finish(struct slots_model *m, struct trainer *tr)
{
	size_t i, j, k, nk = 0, T = m->ntags;
	uint64_t *keys = xmalloc((tr->hmask + 1) * sizeof(*keys));
	uint32_t *ridx = xmalloc((tr->hmask + 1) * sizeof(*ridx));
	double c = tr->c;
	float w;

	for (i = 0; i < (T + 2) * T; i++) {
		w = (float)(tr->tw[i] - tr->tu[i] / c);
		if (i < (T + 1) * T)
			m->trans[i] = w;
		else
			m->tend[i - (T + 1) * T] = w;
	}
	/* Sort the features by key: the model must not depend on data order. */
	for (i = 0; i <= tr->hmask; i++)
		if (tr->hkey[i] && tr->rows[tr->hrow[i]].n)
			keys[nk++] = tr->hkey[i];
	qsort(keys, nk, sizeof(*keys), cmp_u64);
	ftable_init(m, nk);
	m->etag = xmalloc((tr->nent + 1) * sizeof(*m->etag));
	m->ew = xmalloc((tr->nent + 1) * sizeof(*m->ew));
	m->nent = 0;
	for (i = 0; i < nk; i++) {
		size_t h = (size_t)keys[i] & tr->hmask, first = m->nent, s;
		const struct trow *row;

		while (tr->hkey[h] != keys[i])
			h = (h + 1) & tr->hmask;
		row = &tr->rows[tr->hrow[h]];
		/* entries in tag order */
		for (j = 0; j < row->n; j++)
			ridx[j] = (uint32_t)j;
		for (j = 1; j < row->n; j++)
			for (k = j; k > 0 && tr->etag[row->off + ridx[k - 1]] >
					      tr->etag[row->off + ridx[k]]; k--) {
				uint32_t t = ridx[k];

				ridx[k] = ridx[k - 1];
				ridx[k - 1] = t;
			}
		for (j = 0; j < row->n; j++) {
			size_t e = row->off + ridx[j];

			w = (float)(tr->ew[e] - tr->eu[e] / c);
			if (w == 0)
				continue;
			m->etag[m->nent] = tr->etag[e];
			m->ew[m->nent] = w;
			m->nent++;
		}
		if (m->nent == first)
			continue;
		s = fslot(m, keys[i]);
		m->ft[s].key = keys[i];
		m->ft[s].off = (uint32_t)first;
		m->ft[s].cnt = (uint32_t)(m->nent - first);
		m->nfeat++;
	}
	free(keys);
	free(ridx);
}

/* The tags decoding may use for intent: all, or those of its types. */
static size_t
allowed_tags(const struct slots_model *m, int intent, uint16_t *al)
{
	size_t t, na = 0;
	const unsigned char *ok = NULL;

	if (m->p.constrain && intent >= 0 && (size_t)intent < m->nintents)
		ok = m->allowed + (size_t)intent * m->ntypes;
	al[na++] = 0;
	for (t = 0; t < m->ntypes; t++)
		if (!ok || ok[t] & 1) {
			al[na++] = (uint16_t)TAG_B(t);
			al[na++] = (uint16_t)(TAG_B(t) + 1);
		}
	return na;
}

/* A known intent, or -1 (unknown, out of range or not seen in training). */
static int known_intent(const struct slots_model *m, int intent);

int
slots_type_seen(const struct slots_model *m, int intent, size_t type)
{
	if (known_intent(m, intent) < 0 || type >= m->ntypes)
		return 0;
	return m->allowed[(size_t)intent * m->ntypes + type] & 1;
}

static int
known_intent(const struct slots_model *m, int intent)
{
	size_t t;

	if (intent < 0 || (size_t)intent >= m->nintents)
		return -1;
	for (t = 0; t < m->ntypes; t++)
		if (m->allowed[(size_t)intent * m->ntypes + t] & 2)
			return intent;
	return -1;
}

static int
cmp_span(const void *a, const void *b)
{
	const struct slot_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Gold tags of the tokens of tl from the spans (sorted, checked), and the
 * gazetteer keys and types of the spans.  Returns the number of spans kept.
 */
static size_t
gold_tags(const struct tok_list *tl, const struct slot_span *sp, size_t ns,
	  uint16_t *tags, uint64_t *gkey, uint32_t *gtype, const uint64_t *wh)
{
	size_t i = 0, j, first, kept = 0;
	uint64_t h;

	for (j = 0; j < tl->n; j++)
		tags[j] = 0;
	for (j = 0; j < ns; j++) {
		while (i < tl->n && tl->v[i].cp_end <= sp[j].start)
			i++;
		if (i == tl->n || tl->v[i].cp_start >= sp[j].end)
			continue;
		if (tags[i])	/* shares its token with the previous span */
			i++;
		if (i == tl->n || tl->v[i].cp_start >= sp[j].end)
			continue;
		first = i;
		h = 0;
		for (; i < tl->n && tl->v[i].cp_start < sp[j].end; i++) {
			tags[i] = (uint16_t)(TAG_B(sp[j].type) + (i > first));
			h = tok_mix(h, wh[i]);
		}
		gkey[kept] = i - first <= GAZ_MAX ? h : 0;
		gtype[kept] = (uint32_t)sp[j].type;
		kept++;
	}
	return kept;
}

static int
check_example(const struct slots_example *e, size_t idx, size_t ntypes,
	      struct dl_error *err)
{
	char path[64];
	size_t len, j, k;

	snprintf(path, sizeof(path), "$[%zu].text", idx);
	if (!e->text)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, path,
				    "expected a string, got NULL");
	if (utf8_invalid_at(e->text, strlen(e->text)) >= 0)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, path,
				    "expected UTF-8 text");
	if (e->nspans && !e->spans) {
		snprintf(path, sizeof(path), "$[%zu].spans", idx);
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, path,
				    "expected %zu spans, got NULL", e->nspans);
	}
	if (e->intent < -1 || e->intent >= MAX_INTENTS) {
		snprintf(path, sizeof(path), "$[%zu].intent", idx);
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, path,
				    "expected -1 or an intent below %d",
				    MAX_INTENTS);
	}
	len = utf8_cp_len(e->text);
	for (j = 0; j < e->nspans; j++) {
		const struct slot_span *s = &e->spans[j];

		snprintf(path, sizeof(path), "$[%zu].spans[%zu]", idx, j);
		if (s->type < 0 || (size_t)s->type >= ntypes)
			return dl_error_set(err, DL_EX_DATAERR, NULL, 0, path,
					    "type %d out of range", s->type);
		if (s->start >= s->end || s->end > len)
			return dl_error_set(err, DL_EX_DATAERR, NULL, 0, path,
					    "expected 0 <= start < end <= %zu, "
					    "got [%zu, %zu)",
					    len, s->start, s->end);
		for (k = 0; k < j; k++)
			if (e->spans[k].start < s->end && s->start < e->spans[k].end)
				return dl_error_set(err, DL_EX_DATAERR, NULL, 0,
						    path, "overlaps spans[%zu]", k);
	}
	return 0;
}

/* The training set: feature rows, gold tags and intents, flat. */
struct tdata {
	uint32_t *rows;		/* feature rows of all tokens */
	size_t nrows, rcap;
	size_t *toff;		/* token t: rows[toff[t] .. toff[t + 1]) */
	size_t ntok, maxtok;
	size_t *sent;		/* sentence i: tokens sent[i] .. sent[i + 1] */
	uint16_t *gold;		/* per token */
	int *intent;
	/* sentence i's own slot values: gkey/gtype[goff[i] .. goff[i + 1]) */
	uint64_t *gkey;
	uint32_t *gtype;
	size_t *goff;
};

static void
tdata_release(struct tdata *d)
{
	free(d->rows);
	free(d->toff);
	free(d->sent);
	free(d->gold);
	free(d->intent);
	free(d->gkey);
	free(d->gtype);
	free(d->goff);
}

static void
word_hashes(struct sent *s)
{
	size_t j;

	if (s->hcap < s->tl.n + 4) {
		s->hcap = 2 * (s->tl.n + 4);
		s->wh = xrealloc(s->wh, s->hcap * sizeof(*s->wh));
		s->sh = xrealloc(s->sh, s->hcap * sizeof(*s->sh));
	}
	for (j = 0; j < s->tl.n; j++)
		s->wh[j] = tok_hash(tok_lower(&s->tl, j), s->tl.v[j].lower_len, K_W);
}

/*
 * Pass 1: gold tags, the slot types of each intent, and the slot values
 * of the gazetteer with the number of times each was a slot.
 */
static void
read_gold(const struct slots_example *ex, size_t n, struct slots_model *m,
	  struct tdata *d, struct sent *s)
{
	struct slot_span *sp = NULL;
	size_t i, j, k, ngk = 0, gcap = 0, spcap = 0, tcap = 0;

	for (i = 0; i < n; i++)
		if (ex[i].intent >= 0 && (size_t)ex[i].intent + 1 > m->nintents)
			m->nintents = (size_t)ex[i].intent + 1;
	m->allowed = xmalloc(m->nintents * m->ntypes + 1);
	memset(m->allowed, 0, m->nintents * m->ntypes + 1);
	if (m->p.gazetteer)
		gaz_init(&m->gaz, 1024);
	d->goff = xmalloc((n + 1) * sizeof(*d->goff));
	d->maxtok = 1;
	for (i = 0; i < n; i++) {
		tok_split(&s->tl, ex[i].text);
		if (s->tl.n > d->maxtok)
			d->maxtok = s->tl.n;
		if (spcap < ex[i].nspans) {
			spcap = 2 * ex[i].nspans;
			sp = xrealloc(sp, spcap * sizeof(*sp));
		}
		if (ex[i].nspans) {
			memcpy(sp, ex[i].spans, ex[i].nspans * sizeof(*sp));
			qsort(sp, ex[i].nspans, sizeof(*sp), cmp_span);
		}
		if (gcap < ngk + ex[i].nspans) {
			gcap = 2 * (ngk + ex[i].nspans);
			d->gkey = xrealloc(d->gkey, gcap * sizeof(*d->gkey));
			d->gtype = xrealloc(d->gtype, gcap * sizeof(*d->gtype));
		}
		if (tcap < d->ntok + s->tl.n) {
			tcap = 2 * (d->ntok + s->tl.n);
			d->gold = xrealloc(d->gold, tcap * sizeof(*d->gold));
		}
		word_hashes(s);
		d->goff[i] = ngk;
		k = gold_tags(&s->tl, sp, ex[i].nspans, d->gold + d->ntok,
			      d->gkey + ngk, d->gtype + ngk, s->wh);
		for (j = ngk; j < ngk + k; j++) {
			if (ex[i].intent >= 0)
				m->allowed[(size_t)ex[i].intent * m->ntypes +
					   d->gtype[j]] = 1;
			if (m->p.gazetteer && d->gkey[j])
				gaz_get(&m->gaz, d->gkey[j], d->gtype[j])->spans++;
		}
		ngk += k;
		d->ntok += s->tl.n;
	}
	d->goff[n] = ngk;
	/* Mark the intents seen in training (bit 2), even those without slots. */
	for (i = 0; i < n; i++)
		if (ex[i].intent >= 0)
			m->allowed[(size_t)ex[i].intent * m->ntypes] |= 2;
	free(sp);
}

/* Pass 2: how often each gazetteer value occurs in the texts at all. */
static void
count_occurrences(const struct slots_example *ex, size_t n,
		  struct slots_model *m, struct sent *s)
{
	struct gaz *g = &m->gaz;
	size_t i, j, len, q;
	uint64_t h;

	for (i = 0; i < n; i++) {
		tok_split(&s->tl, ex[i].text);
		word_hashes(s);
		for (j = 0; j < s->tl.n; j++) {
			h = 0;
			for (len = 1; len <= GAZ_MAX && j + len <= s->tl.n; len++) {
				h = tok_mix(h, s->wh[j + len - 1]);
				for (q = (size_t)h & g->mask; g->v[q].key;
				     q = (q + 1) & g->mask)
					if (g->v[q].key == h)
						g->v[q].occ++;
			}
		}
	}
}

/* Pass 3: the features of every token, as rows of the trainer. */
static void
build_rows(const struct slots_example *ex, size_t n, struct slots_model *m,
	   struct trainer *tr, struct tdata *d, struct sent *s)
{
	size_t i, j, k = 0;
	struct own own;

	d->toff = xmalloc((d->ntok + 1) * sizeof(*d->toff));
	d->sent = xmalloc((n + 1) * sizeof(*d->sent));
	d->intent = xmalloc(n * sizeof(*d->intent));
	for (i = 0; i < n; i++) {
		own.key = d->gkey + d->goff[i];
		own.type = d->gtype + d->goff[i];
		own.n = d->goff[i + 1] - d->goff[i];
		s->text = ex[i].text;
		tok_split(&s->tl, s->text);
		d->intent[i] = ex[i].intent;
		featurize(s, &m->gaz, &own, ex[i].intent, ex[i].ctx);
		d->sent[i] = k;
		if (d->rcap < d->nrows + s->nkeys) {
			d->rcap = 2 * (d->nrows + s->nkeys);
			d->rows = xrealloc(d->rows, d->rcap * sizeof(*d->rows));
		}
		for (j = 0; j < s->tl.n; j++)
			d->toff[k + j] = d->nrows + s->off[j];
		for (j = 0; j < s->nkeys; j++)
			d->rows[d->nrows + j] = row_of(tr, s->keys[j]);
		d->nrows += s->nkeys;
		k += s->tl.n;
	}
	d->toff[k] = d->nrows;
	d->sent[n] = k;
}

static void
trainer_init(struct trainer *tr, size_t T)
{
	memset(tr, 0, sizeof(*tr));
	tr->ntags = T;
	tr->hmask = (1 << 16) - 1;
	tr->hkey = xmalloc((tr->hmask + 1) * sizeof(*tr->hkey));
	memset(tr->hkey, 0, (tr->hmask + 1) * sizeof(*tr->hkey));
	tr->hrow = xmalloc((tr->hmask + 1) * sizeof(*tr->hrow));
	tr->tw = xmalloc((T + 2) * T * sizeof(*tr->tw));
	memset(tr->tw, 0, (T + 2) * T * sizeof(*tr->tw));
	tr->tu = xmalloc((T + 2) * T * sizeof(*tr->tu));
	memset(tr->tu, 0, (T + 2) * T * sizeof(*tr->tu));
	tr->c = 1;
}

static void
trainer_release(struct trainer *tr)
{
	free(tr->hkey);
	free(tr->hrow);
	free(tr->rows);
	free(tr->etag);
	free(tr->ew);
	free(tr->eu);
	free(tr->tw);
	free(tr->tu);
}

/* The perceptron update for gold tags g and predicted tags p of nt tokens. */
static void
learn(struct trainer *tr, const struct tdata *d, size_t t0, size_t nt,
      size_t drop, const uint16_t *g, const uint16_t *p)
{
	size_t T = tr->ntags, j, k, pg, pp;

	for (j = 0; j < nt; j++) {
		pg = j ? g[j - 1] : T;
		pp = j ? p[j - 1] : T;
		if (p[j] != g[j]) {
			size_t end = d->toff[t0 + j + 1] - drop;

			for (k = d->toff[t0 + j]; k < end; k++) {
				update(tr, d->rows[k], g[j], 1);
				update(tr, d->rows[k], p[j], -1);
			}
		}
		if (pg != pp || g[j] != p[j]) {
			trans_update(tr, pg, g[j], 1);
			trans_update(tr, pp, p[j], -1);
		}
	}
	if (g[nt - 1] != p[nt - 1]) {
		trans_update(tr, T + 1, g[nt - 1], 1);
		trans_update(tr, T + 1, p[nt - 1], -1);
	}
}

/* The epochs of the averaged perceptron, in an order drawn from the seed. */
static void
epochs(struct slots_model *m, struct trainer *tr, const struct tdata *d,
       size_t n)
{
	size_t T = m->ntags, M = d->maxtok, e, i, j, k, na;
	uint16_t *al = xmalloc(T * sizeof(*al)), *pred = xmalloc(M * sizeof(*pred));
	uint16_t *back = xmalloc(M * T * sizeof(*back));
	float *tmp = xmalloc(T * sizeof(*tmp)), *em = xmalloc(M * T * sizeof(*em));
	double *delta = xmalloc(M * T * sizeof(*delta));
	size_t *order = xmalloc(n * sizeof(*order));
	uint64_t rng = m->p.seed;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (e = 0; e < (size_t)m->p.epochs; e++) {
		for (i = n; i > 1; i--) {
			j = (size_t)(rng_next(&rng) % i);
			k = order[i - 1], order[i - 1] = order[j], order[j] = k;
		}
		for (i = 0; i < n; i++, tr->c++) {
			size_t si = order[i], t0 = d->sent[si];
			size_t nt = d->sent[si + 1] - t0;

			int in = d->intent[si];
			size_t drop = 0;

			if (!nt)
				continue;
			/* Some sentences go without their intent, so that an
			   unknown intent works too. */
			if (in >= 0 && m->p.intent_dropout > 0 &&
			    (double)(rng_next(&rng) >> 11) * 0x1p-53 <
			    m->p.intent_dropout) {
				in = -1;
				drop = NINTENT;
			}
			na = allowed_tags(m, in, al);
			score_train(tr, d->rows, d->toff + t0, nt, drop, al, na, tmp,
				    em);
			viterbi(tr->tw, tr->tw + (T + 1) * T, T, em, nt, al, na,
				delta, back, pred);
			if (memcmp(pred, d->gold + t0, nt * sizeof(*pred)))
				learn(tr, d, t0, nt, drop, d->gold + t0, pred);
		}
	}
	free(al);
	free(pred);
	free(back);
	free(tmp);
	free(em);
	free(delta);
	free(order);
}

static struct slots_model *
train(const struct slots_example *ex, size_t n, struct slots_model *m)
{
	struct sent s;
	struct trainer tr;
	struct tdata d;

	sent_init(&s);
	memset(&d, 0, sizeof(d));
	read_gold(ex, n, m, &d, &s);
	if (m->p.gazetteer && m->gaz.n) {
		count_occurrences(ex, n, m, &s);
	} else {
		free(m->gaz.v);
		memset(&m->gaz, 0, sizeof(m->gaz));
	}
	trainer_init(&tr, m->ntags);
	build_rows(ex, n, m, &tr, &d, &s);
	sent_release(&s);
	epochs(m, &tr, &d, n);
	finish(m, &tr);
	model_ready(m);
	trainer_release(&tr);
	tdata_release(&d);
	return m;
}

struct slots_model *
slots_train(const struct slots_example *ex, size_t n,
	    const char *const *types, size_t ntypes,
	    const struct slots_params *p, struct dl_error *err)
{
	struct slots_params defaults;
	struct slots_model *m;
	const char *bad;
	size_t i;

	if (!p) {
		slots_params_init(&defaults);
		p = &defaults;
	}
	if ((bad = check_params(p))) {
		dl_error_set(err, DL_EX_USAGE, NULL, 0, "", "%s", bad);
		return NULL;
	}
	if (!n || !ex) {
		dl_error_set(err, DL_EX_DATAERR, NULL, 0, "",
			     "no training examples");
		return NULL;
	}
	if (!ntypes || ntypes > MAX_TYPES || !types) {
		dl_error_set(err, DL_EX_DATAERR, NULL, 0, "",
			     "expected 1 to %d slot types, got %zu", MAX_TYPES,
			     ntypes);
		return NULL;
	}
	for (i = 0; i < ntypes; i++)
		if (!types[i] || strlen(types[i]) > MAX_NAME ||
		    utf8_invalid_at(types[i], strlen(types[i])) >= 0) {
			dl_error_set(err, DL_EX_DATAERR, NULL, 0, "",
				     "type %zu: expected a UTF-8 name of at "
				     "most %d bytes",
				     i, MAX_NAME);
			return NULL;
		}
	for (i = 0; i < n; i++)
		if (check_example(&ex[i], i, ntypes, err) < 0)
			return NULL;
	m = xmalloc(sizeof(*m));
	model_init(m, p, ntypes);
	for (i = 0; i < ntypes; i++)
		m->names[i] = xstrdup(types[i]);
	return train(ex, n, m);
}

/* ---- prediction ---- */

/* Emission scores em[n][na] from the model's weights. */
static void
score(const struct slots_model *m, const struct sent *s, const uint16_t *al,
      size_t na, float *tmp, float *em)
{
	size_t i, j, k, n = s->tl.n;

	for (i = 0; i < n; i++) {
		memset(tmp, 0, m->ntags * sizeof(*tmp));
		for (j = s->off[i]; j < s->off[i + 1]; j++) {
			const struct feat *f;

			/* the table is larger than the cache: ask ahead */
			if (j + PREFETCH < s->nkeys)
				__builtin_prefetch(&m->ft[s->keys[j + PREFETCH] &
							  m->fmask]);
			f = &m->ft[fslot(m, s->keys[j])];
			const uint16_t *tg;
			const float *w;

			if (!f->key)
				continue;
			tg = m->etag + f->off;
			w = m->ew + f->off;
			for (k = 0; k < f->cnt; k++)
				tmp[tg[k]] += w[k];
		}
		for (k = 0; k < na; k++)
			em[i * na + k] = tmp[al[k]];
	}
}


/*
 * Confidence of each span of tags[0..n) by forward-backward over the
 * allowed tags, scaled at each position.  conf gets one value per span,
 * in order.  An I- tag's only predecessors are the B- and I- tags of its
 * type, just before it in al[].
 */
static void
confidences(const struct slots_model *m, const float *em, size_t n,
	    const uint16_t *al, size_t na, const uint16_t *tags, double *conf)
{
	size_t T = m->ntags, i, a, b, lo, hi, ns = 0, s, e;
	double *tr = xmalloc((na * na + 3 * n * na + n + 2 * na) * sizeof(*tr));
	double *E = tr + na * na, *fw = E + n * na, *be = fw + n * na;
	double *c = be + n * na, *st = c + n, *en = st + na;
	size_t *idx = xmalloc(T * sizeof(*idx));
	double mx, z, p, cont;

	for (a = 0; a < na; a++) {
		idx[al[a]] = a;
		st[a] = IS_I(al[a]) ? 0 : m->etrans[T * T + al[a]];
		en[a] = m->etrans[(T + 1) * T + al[a]];
		for (b = 0; b < na; b++)
			tr[a * na + b] = m->etrans[(size_t)al[a] * T + al[b]];
	}
	for (i = 0; i < n; i++) {
		mx = -HUGE_VAL;
		for (b = 0; b < na; b++)
			if (em[i * na + b] > mx)
				mx = em[i * na + b];
		for (b = 0; b < na; b++)
			E[i * na + b] = exp(em[i * na + b] - mx);
	}
	for (i = 0; i < n; i++) {
		z = 0;
		for (b = 0; b < na; b++) {
			if (i == 0) {
				p = st[b];
			} else {
				lo = IS_I(al[b]) ? b - 1 : 0;
				hi = IS_I(al[b]) ? b + 1 : na;
				p = 0;
				for (a = lo; a < hi; a++)
					p += fw[(i - 1) * na + a] * tr[a * na + b];
			}
			z += (fw[i * na + b] = p * E[i * na + b]);
		}
		c[i] = z > 0 ? z : 1e-300;
		for (b = 0; b < na; b++)
			fw[i * na + b] /= c[i];
	}
	for (a = 0; a < na; a++)
		be[(n - 1) * na + a] = en[a];
	for (i = n - 1; i-- > 0;) {
		for (a = 0; a < na; a++)
			be[i * na + a] = 0;
		for (b = 0; b < na; b++) {
			p = E[(i + 1) * na + b] * be[(i + 1) * na + b] / c[i + 1];
			lo = IS_I(al[b]) ? b - 1 : 0;
			hi = IS_I(al[b]) ? b + 1 : na;
			for (a = lo; a < hi; a++)
				be[i * na + a] += tr[a * na + b] * p;
		}
	}
	for (s = 0; s < n; s++) {
		if (!tags[s] || IS_I(tags[s]))
			continue;
		for (e = s; e + 1 < n && tags[e + 1] == tags[s] + 1; e++)
			;
		z = 0;
		for (a = 0; a < na; a++)
			z += fw[s * na + a] * be[s * na + a];
		p = fw[s * na + idx[tags[s]]];
		for (i = s + 1; i <= e; i++)
			p *= tr[idx[tags[i - 1]] * na + idx[tags[i]]] *
			     E[i * na + idx[tags[i]]] / c[i];
		if (e + 1 < n) {
			/* the span ends: anything but its I- tag follows */
			cont = 0;
			a = idx[tags[e]];
			for (b = 0; b < na; b++)
				if (al[b] != tags[s] + 1)
					cont += tr[a * na + b] *
						E[(e + 1) * na + b] *
						be[(e + 1) * na + b];
			p *= cont / c[e + 1];
		} else {
			p *= en[idx[tags[e]]];
		}
		p = z > 0 ? p / z : 0;
		conf[ns++] = p < 0 ? 0 : p > 1 ? 1 : p;
	}
	free(tr);
	free(idx);
}

long
slots_predict(const struct slots_model *m, const char *text, int intent,
	      struct slot_span *out, size_t max, struct dl_error *err)
{
	return slots_predict_ctx(m, text, intent, NULL, out, max, err);
}

long
slots_predict_ctx(const struct slots_model *m, const char *text, int intent, const char *ctx,
		  struct slot_span *out, size_t max, struct dl_error *err)
{
	struct sent s;
	uint16_t *al, *tags, *back;
	float *tmp, *em;
	double *delta, *conf;
	size_t na, n, i, j, ns = 0;

	if (!text)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, "",
				    "expected text, got NULL");
	if (utf8_invalid_at(text, strlen(text)) >= 0)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, "",
				    "expected UTF-8 text");
	sent_init(&s);
	s.text = text;
	tok_split(&s.tl, text);
	if (!(n = s.tl.n)) {
		sent_release(&s);
		return 0;
	}
	intent = known_intent(m, intent);
	featurize(&s, &m->gaz, NULL, intent, ctx);
	al = xmalloc(m->ntags * sizeof(*al));
	na = allowed_tags(m, intent, al);
	tmp = xmalloc(m->ntags * sizeof(*tmp));
	em = xmalloc(n * na * sizeof(*em));
	delta = xmalloc(n * na * sizeof(*delta));
	back = xmalloc(n * na * sizeof(*back));
	tags = xmalloc(n * sizeof(*tags));
	score(m, &s, al, na, tmp, em);
	viterbi(m->trans, m->tend, m->ntags, em, n, al, na, delta, back, tags);
	for (i = 0; i < n; i++)
		if (tags[i] && !IS_I(tags[i]))
			ns++;
	conf = xmalloc((ns + 1) * sizeof(*conf));
	if (ns)
		confidences(m, em, n, al, na, tags, conf);
	ns = 0;
	for (i = 0; i < n; i++) {
		if (!tags[i] || IS_I(tags[i]))
			continue;
		for (j = i; j + 1 < n && tags[j + 1] == tags[i] + 1; j++)
			;
		if (ns < max) {
			out[ns].type = TYPE_OF(tags[i]);
			out[ns].start = s.tl.v[i].cp_start;
			out[ns].end = s.tl.v[j].cp_end;
			out[ns].confidence = conf[ns];
		}
		ns++;
	}
	free(al);
	free(tmp);
	free(em);
	free(delta);
	free(back);
	free(tags);
	free(conf);
	sent_release(&s);
	return (long)ns;
}

size_t
slots_ntypes(const struct slots_model *m)
{
	return m->ntypes;
}

const char *
slots_type_name(const struct slots_model *m, size_t i)
{
	return i < m->ntypes ? m->names[i] : NULL;
}

void
slots_get_params(const struct slots_model *m, struct slots_params *p)
{
	*p = m->p;
}

/* ---- blobs ---- */

static int
cmp_gaz(const void *a, const void *b)
{
	const struct gaz_ent *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->type < y->type ? -1 : x->type > y->type;
}

void
slots_save(const struct slots_model *m, struct strbuf *out)
{
	size_t start = out->len, T = m->ntags, i, j, nk = 0;
	uint64_t *keys;
	struct gaz_ent *g;

	sb_add(out, MAGIC, 8);
	blob_put_u32(out, VERSION);
	blob_put_u32(out, (uint32_t)m->ntypes);
	blob_put_u64(out, m->p.seed);
	blob_put_u32(out, (uint32_t)m->p.epochs);
	blob_put_u32(out, (uint32_t)m->p.gazetteer);
	blob_put_u32(out, (uint32_t)m->p.constrain);
	blob_put_f64(out, m->p.intent_dropout);
	for (i = 0; i < m->ntypes; i++)
		blob_put_str(out, m->names[i]);
	blob_put_u32(out, (uint32_t)m->nintents);
	for (i = 0; i < m->nintents * m->ntypes; i++)
		sb_addc(out, (char)m->allowed[i]);
	for (i = 0; i < (T + 1) * T; i++)
		blob_put_f32(out, m->trans[i]);
	for (i = 0; i < T; i++)
		blob_put_f32(out, m->tend[i]);
	keys = xmalloc((m->nfeat + 1) * sizeof(*keys));
	for (i = 0; i <= m->fmask; i++)
		if (m->ft[i].key)
			keys[nk++] = m->ft[i].key;
	qsort(keys, nk, sizeof(*keys), cmp_u64);
	blob_put_u32(out, (uint32_t)nk);
	blob_put_u32(out, (uint32_t)m->nent);
	for (i = 0; i < nk; i++) {
		const struct feat *f = &m->ft[fslot(m, keys[i])];

		blob_put_u64(out, keys[i]);
		blob_put_u32(out, f->cnt);
		for (j = 0; j < f->cnt; j++) {
			blob_put_u32(out, m->etag[f->off + j]);
			blob_put_f32(out, m->ew[f->off + j]);
		}
	}
	free(keys);
	g = xmalloc((m->gaz.n + 1) * sizeof(*g));
	for (i = j = 0; m->gaz.v && i <= m->gaz.mask; i++)
		if (m->gaz.v[i].key)
			g[j++] = m->gaz.v[i];
	qsort(g, j, sizeof(*g), cmp_gaz);
	blob_put_u32(out, (uint32_t)j);
	for (i = 0; i < j; i++) {
		blob_put_u64(out, g[i].key);
		blob_put_u32(out, g[i].type);
		blob_put_u32(out, g[i].spans);
		blob_put_u32(out, g[i].occ);
	}
	free(g);
	blob_seal(out, start);
}

static struct slots_model *
load_fail(struct slots_model *m, struct dl_error *err, const char *what)
{
	slots_free(m);
	dl_error_set(err, DL_EX_DATAERR, NULL, 0, "", "slot model: %s", what);
	return NULL;
}

struct slots_model *
slots_load(const void *blob, size_t n, struct dl_error *err)
{
	struct blob_reader r;
	struct slots_params p;
	struct slots_model *m = NULL;
	uint32_t ntypes, nk, nent, cnt, tag, ng;
	size_t i, j, T, q;
	uint64_t key, prev = 0;
	const unsigned char *bytes;
	const char *bad;
	int found;

	if (blob_open(&r, blob, n, MAGIC, VERSION, "slot model",
		      "not a slot model blob", err))
		return NULL;
	ntypes = blob_get_u32(&r);
	p.seed = blob_get_u64(&r);
	p.epochs = (int)(blob_get_u32(&r) & 0x7fffffff);
	p.gazetteer = (int)(blob_get_u32(&r) & 0x7fffffff);
	p.constrain = (int)(blob_get_u32(&r) & 0x7fffffff);
	p.intent_dropout = blob_get_f64(&r);
	if (r.bad)
		return load_fail(m, err, "truncated header");
	if ((bad = check_params(&p)))
		return load_fail(m, err, bad);
	if (ntypes < 1 || ntypes > MAX_TYPES || blob_left(&r) / 4 < ntypes)
		return load_fail(m, err, "bad number of slot types");
	m = xmalloc(sizeof(*m));
	model_init(m, &p, ntypes);
	T = m->ntags;
	for (i = 0; i < ntypes; i++)
		if (!(m->names[i] = blob_get_str(&r, MAX_NAME)))
			return load_fail(m, err, "bad slot type name");
	m->nintents = blob_get_u32(&r);
	if (r.bad || m->nintents > MAX_INTENTS ||
	    blob_left(&r) / ntypes < m->nintents)
		return load_fail(m, err, "bad intent table");
	bytes = blob_get_bytes(&r, m->nintents * ntypes);
	m->allowed = xmalloc(m->nintents * ntypes + 1);
	for (i = 0; i < m->nintents * ntypes; i++)
		if ((m->allowed[i] = bytes[i]) > 3)
			return load_fail(m, err, "bad intent table");
	if (blob_left(&r) / 4 < (T + 2) * T)
		return load_fail(m, err, "truncated transitions");
	for (i = 0; i < (T + 1) * T; i++)
		m->trans[i] = blob_get_weight(&r);
	for (i = 0; i < T; i++)
		m->tend[i] = blob_get_weight(&r);
	nk = blob_get_u32(&r);
	nent = blob_get_u32(&r);
	/* a feature takes at least 20 bytes, an entry 8 */
	if (r.bad || blob_left(&r) / 20 < nk || blob_left(&r) / 8 < nent)
		return load_fail(m, err, "bad feature table size");
	ftable_init(m, nk);
	m->etag = xmalloc((size_t)nent * sizeof(*m->etag) + 1);
	m->ew = xmalloc((size_t)nent * sizeof(*m->ew) + 1);
	for (i = 0; i < nk; i++) {
		key = blob_get_u64(&r);
		cnt = blob_get_u32(&r);
		if (r.bad || !key || (i && key <= prev) || !cnt ||
		    cnt > nent - m->nent)
			return load_fail(m, err, "bad feature");
		prev = key;
		q = fslot(m, key);
		m->ft[q].key = key;
		m->ft[q].off = (uint32_t)m->nent;
		m->ft[q].cnt = cnt;
		m->nfeat++;
		for (j = 0; j < cnt; j++) {
			tag = blob_get_u32(&r);
			if (tag >= T)
				return load_fail(m, err, "bad tag");
			m->etag[m->nent] = (uint16_t)tag;
			m->ew[m->nent++] = blob_get_weight(&r);
		}
		if (r.bad)
			return load_fail(m, err, "bad feature weights");
	}
	if (m->nent != nent)
		return load_fail(m, err, "bad feature table size");
	ng = blob_get_u32(&r);
	if (r.bad || blob_left(&r) / 20 != ng || blob_left(&r) % 20)
		return load_fail(m, err, "bad gazetteer size");
	if (ng) {
		gaz_init(&m->gaz, ng);
		for (i = 0; i < ng; i++) {
			struct gaz_ent e, *slot;

			e.key = blob_get_u64(&r);
			e.type = blob_get_u32(&r);
			e.spans = blob_get_u32(&r);
			e.occ = blob_get_u32(&r);
			if (!e.key || e.type >= ntypes || !e.spans)
				return load_fail(m, err, "bad gazetteer entry");
			slot = gaz_slot(&m->gaz, e.key, e.type, &found);
			if (found)
				return load_fail(m, err,
						 "duplicate gazetteer entry");
			*slot = e;
			m->gaz.n++;
		}
	}
	if (r.bad || blob_left(&r))
		return load_fail(m, err, "bad model");
	model_ready(m);
	return m;
}
