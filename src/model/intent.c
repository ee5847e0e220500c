#include "dialab/intent.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/blob.h"
#include "dialab/context.h"
#include "dialab/rng.h"
#include "dialab/tok.h"
#include "dialab/utf8.h"

#define MAGIC "DLINTENT"
#define VERSION 1
#define MAX_CLASSES 65535
#define MAX_NAME 1024
#define NO_ROW UINT32_MAX

/* Seeds that keep the feature families apart in the hash space. */
#define H_WORD 0x776f7264u
#define H_BOS 0x3c733e00u
#define H_EOS 0x3c2f733eu
#define H_CHAR 0x63686172u
#define H_CTX 0x63747874u

/* Where a bucket's weights are; bucket NO_ROW marks an empty slot. */
struct islot {
	uint32_t bucket, row;
};

/*
 * Only buckets seen in training have a row of weights; rows are in
 * bucket order, and an open-addressing index finds them, so memory
 * follows the rows rather than 2^hash_bits.
 */
struct intent_model {
	struct intent_params p;
	size_t nclasses;
	char **names;
	float *bias;		/* [nclasses] */
	uint32_t nrows;
	uint32_t *bucket;	/* [nrows], ascending */
	float *w;		/* [nrows][nclasses] */
	struct islot *index;
	unsigned ibits;		/* the index has 2^ibits slots */
};

/* Feature buckets of one text, duplicates kept (they count twice). */
struct feats {
	uint32_t *v;		/* the word n-grams, then the character n-grams */
	size_t n, cap, nword;
	struct tok_list tl;
	size_t *cpoff;		/* byte offset of each code point of a token */
	size_t cpcap;
};

void
intent_params_init(struct intent_params *p)
{
	p->seed = 0;
	p->epochs = 12;
	p->learning_rate = 4;
	p->l2 = 1e-6;
	p->word_weight = 2;
	p->hash_bits = 20;
	p->word_ngrams = 2;
	p->char_min = 3;
	p->char_max = 5;
}

static const char *
check_params(const struct intent_params *p)
{
	if (p->epochs < 1 || p->epochs > 1000)
		return "epochs must be in 1..1000";
	if (!(p->learning_rate > 0 && p->learning_rate <= 100))
		return "learning_rate must be in (0, 100]";
	if (!(p->l2 >= 0 && p->l2 < 1))
		return "l2 must be in [0, 1)";
	if (!(p->word_weight > 0 && p->word_weight <= 100))
		return "word_weight must be in (0, 100]";
	if (p->hash_bits < 12 || p->hash_bits > 26)
		return "hash_bits must be in 12..26";
	if (p->word_ngrams < 1 || p->word_ngrams > 3)
		return "word_ngrams must be 1, 2 or 3";
	if (p->char_max != 0 && (p->char_min < 1 || p->char_min > p->char_max ||
				 p->char_max > 8))
		return "char n-grams need 1 <= char_min <= char_max <= 8";
	return NULL;
}

static void
feats_init(struct feats *f)
{
	memset(f, 0, sizeof(*f));
	tok_list_init(&f->tl);
}

static void
feats_release(struct feats *f)
{
	free(f->v);
	free(f->cpoff);
	tok_list_release(&f->tl);
}

static void
add(struct feats *f, uint64_t h, uint32_t mask)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 256;
		f->v = xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	f->v[f->n++] = (uint32_t)(h & mask);
}

/* The character n-grams of "<token>". */
static void
char_grams(struct feats *f, const char *s, size_t len,
	   const struct intent_params *p, uint32_t mask)
{
	char buf[256];
	size_t nb, ncp = 0, i, k, g;
	uint32_t cp;

	if (len + 2 > sizeof(buf))
		len = sizeof(buf) - 2;
	buf[0] = '<';
	memcpy(buf + 1, s, len);
	buf[len + 1] = '>';
	nb = len + 2;
	if (f->cpcap < nb + 1) {
		f->cpcap = nb + 1;
		f->cpoff = xrealloc(f->cpoff, f->cpcap * sizeof(*f->cpoff));
	}
	for (i = 0; i < nb; i += k) {
		f->cpoff[ncp++] = i;
		if (!(k = utf8_decode(buf + i, nb - i, &cp)))
			k = 1;
	}
	f->cpoff[ncp] = nb;
	for (g = (size_t)p->char_min; g <= (size_t)p->char_max; g++)
		for (i = 0; i + g <= ncp; i++) {
			if (g == 1 && (i == 0 || i + 1 == ncp))
				continue;
			add(f, tok_hash(buf + f->cpoff[i], f->cpoff[i + g] -
					f->cpoff[i], H_CHAR), mask);
		}
}

static uint32_t row_of(const struct intent_model *m, uint32_t bucket);

/*
 * Context (context.h): each feature alone, and conjoined with each word
 * ("temperature" with state:oven=on), counted among the word features.
 * A trained model m takes only the context features it saw in training:
 * an unknown context (or a model trained without any) is no context,
 * and leaves the words' features as they are.
 */
static void
ctx_grams(struct feats *f, const char *ctx, uint32_t mask, const struct intent_model *m)
{
	const char *c;
	size_t i;

	for (c = ctx && *ctx ? ctx : NULL; c; c = ctx_next(c)) {
		uint64_t hc = tok_hash(c, strlen(c), H_CTX);

		if (m && row_of(m, (uint32_t)(hc & mask)) == NO_ROW)
			continue;
		add(f, hc, mask);
		for (i = 0; i < f->tl.n; i++)
			if (f->tl.v[i].kind == TOK_WORD)
				add(f, tok_mix(hc, tok_hash(tok_lower(&f->tl, i),
							    f->tl.v[i].lower_len, H_WORD)), mask);
	}
}

static void
extract(struct feats *f, const char *text, const char *ctx, const struct intent_params *p,
	const struct intent_model *m)
{
	uint32_t mask = (uint32_t)((1u << p->hash_bits) - 1);
	uint64_t h1 = H_BOS, h2 = H_BOS, h;
	size_t i;

	f->n = 0;
	tok_split(&f->tl, text);
	for (i = 0; i <= f->tl.n; i++) {
		if (i < f->tl.n) {
			h = tok_hash(tok_lower(&f->tl, i), f->tl.v[i].lower_len,
				     H_WORD);
			add(f, h, mask);
		} else {
			h = H_EOS;
		}
		if (p->word_ngrams >= 2)
			add(f, tok_mix(h1, h), mask);
		if (p->word_ngrams >= 3)
			add(f, tok_mix(tok_mix(h2, h1), h), mask);
		h2 = h1;
		h1 = h;
	}
	ctx_grams(f, ctx, mask, m);
	f->nword = f->n;
	if (p->char_max)
		for (i = 0; i < f->tl.n; i++)
			char_grams(f, tok_lower(&f->tl, i), f->tl.v[i].lower_len,
				   p, mask);
}

/*
 * The value of a word feature and of a character feature: the word
 * weight and 1, over the Euclidean norm, so long texts do not get
 * large scores.
 */
static void
values(double ww, size_t nword, size_t n, double *xw, double *xc)
{
	double norm = sqrt(ww * ww * (double)nword + (double)(n - nword));

	*xc = n ? 1 / norm : 0;
	*xw = ww * *xc;
}

static void
model_free_parts(struct intent_model *m)
{
	size_t i;

	if (m->names)
		for (i = 0; i < m->nclasses; i++)
			free(m->names[i]);
	free(m->names);
	free(m->bias);
	free(m->bucket);
	free(m->index);
	free(m->w);
}

void
intent_free(struct intent_model *m)
{
	if (!m)
		return;
	model_free_parts(m);
	free(m);
}

static struct intent_model *
model_new(const struct intent_params *p, size_t nclasses)
{
	struct intent_model *m = xmalloc(sizeof(*m));

	m->p = *p;
	m->nclasses = nclasses;
	m->names = xmalloc(nclasses * sizeof(*m->names));
	memset(m->names, 0, nclasses * sizeof(*m->names));
	m->bias = xmalloc(nclasses * sizeof(*m->bias));
	memset(m->bias, 0, nclasses * sizeof(*m->bias));
	m->nrows = 0;
	m->bucket = NULL;
	m->w = NULL;
	m->index = NULL;
	m->ibits = 0;
	return m;
}

/* Room for nrows rows: the bucket list and an index at most half full. */
static void
rows_init(struct intent_model *m, uint32_t nrows)
{
	size_t size;

	m->nrows = nrows;
	m->bucket = xmalloc((size_t)nrows * sizeof(*m->bucket) + 1);
	for (m->ibits = 4; ((size_t)1 << m->ibits) < 2 * (size_t)nrows + 1;
	     m->ibits++)
		;
	size = (size_t)1 << m->ibits;
	m->index = xmalloc(size * sizeof(*m->index));
	memset(m->index, 0xff, size * sizeof(*m->index));
}

static size_t
islot_of(const struct intent_model *m, uint32_t bucket)
{
	size_t mask = ((size_t)1 << m->ibits) - 1;
	size_t i = (size_t)((bucket * 0x9e3779b97f4a7c15u) >> (64 - m->ibits));

	while (m->index[i].bucket != NO_ROW && m->index[i].bucket != bucket)
		i = (i + 1) & mask;
	return i;
}

/* Make bucket (not yet indexed) row i. */
static void
row_put(struct intent_model *m, uint32_t i, uint32_t bucket)
{
	size_t k = islot_of(m, bucket);

	m->index[k].bucket = bucket;
	m->index[k].row = i;
	m->bucket[i] = bucket;
}

/* The row of bucket, or NO_ROW. */
static uint32_t
row_of(const struct intent_model *m, uint32_t bucket)
{
	return m->index[islot_of(m, bucket)].row;
}

/* Softmax of s[0..n) in place. */
static void
softmax(double *s, size_t n)
{
	double mx = s[0], z = 0;
	size_t c;

	for (c = 1; c < n; c++)
		if (s[c] > mx)
			mx = s[c];
	for (c = 0; c < n; c++)
		z += (s[c] = exp(s[c] - mx));
	for (c = 0; c < n; c++)
		s[c] /= z;
}

/* The training set as feature rows. */
struct tset {
	uint32_t *rows;		/* example i: rows[off[i] .. off[i + 1]) */
	size_t *off;
	size_t *nword;		/* of which the first nword[i] are words */
	int *label;
	size_t n;
};

/*
 * SGD on the log loss.  Weights are scale * v so the L2 shrink of all
 * weights is one multiplication per example.
 */
static void
sgd(struct intent_model *m, const struct tset *ts)
{
	size_t C = m->nclasses, n = ts->n, total = (size_t)m->p.epochs * n;
	size_t e, i, j, c, t = 0, *order = xmalloc(n * sizeof(*order));
	double *v = xmalloc((size_t)m->nrows * C * sizeof(*v));
	double *s = xmalloc(C * sizeof(*s)), *bias = xmalloc(C * sizeof(*bias));
	double scale = 1, eta, x, xw, xc, g;
	uint64_t rng = m->p.seed;

	memset(v, 0, (size_t)m->nrows * C * sizeof(*v));
	memset(bias, 0, C * sizeof(*bias));
	for (i = 0; i < n; i++)
		order[i] = i;
	for (e = 0; e < (size_t)m->p.epochs; e++) {
		for (i = n; i > 1; i--) {
			j = (size_t)(rng_next(&rng) % i);
			c = order[i - 1], order[i - 1] = order[j], order[j] = c;
		}
		for (i = 0; i < n; i++, t++) {
			size_t k = order[i], nf = ts->off[k + 1] - ts->off[k];
			const uint32_t *r = ts->rows + ts->off[k];

			eta = m->p.learning_rate * (1 - (double)t / (double)total);
			values(m->p.word_weight, ts->nword[k], nf, &xw, &xc);
			for (c = 0; c < C; c++)
				s[c] = bias[c];
			for (j = 0; j < nf; j++) {
				const double *vr = v + (size_t)r[j] * C;

				x = scale * (j < ts->nword[k] ? xw : xc);
				for (c = 0; c < C; c++)
					s[c] += x * vr[c];
			}
			softmax(s, C);
			scale *= 1 - eta * m->p.l2;
			for (c = 0; c < C; c++) {
				g = s[c] - (c == (size_t)ts->label[k]);
				bias[c] -= eta * g;
				s[c] = eta * g / scale;
			}
			for (j = 0; j < nf; j++) {
				double *vr = v + (size_t)r[j] * C;

				x = j < ts->nword[k] ? xw : xc;
				for (c = 0; c < C; c++)
					vr[c] -= x * s[c];
			}
			if (scale < 1e-9) {
				for (j = 0; j < (size_t)m->nrows * C; j++)
					v[j] *= scale;
				scale = 1;
			}
		}
	}
	m->w = xmalloc((size_t)m->nrows * C * sizeof(*m->w) + 1);
	for (j = 0; j < (size_t)m->nrows * C; j++)
		m->w[j] = (float)(v[j] * scale);
	for (c = 0; c < C; c++)
		m->bias[c] = (float)bias[c];
	free(order);
	free(v);
	free(s);
	free(bias);
}

static const char *
check_data(const struct intent_example *ex, size_t n,
	   const char *const *classes, size_t nclasses, char *buf, size_t sz)
{
	size_t i;

	if (!n || !ex)
		return "no training examples";
	if (!nclasses || nclasses > MAX_CLASSES || !classes) {
		snprintf(buf, sz, "expected 1 to %d classes, got %zu",
			 MAX_CLASSES, nclasses);
		return buf;
	}
	for (i = 0; i < nclasses; i++)
		if (!classes[i] || strlen(classes[i]) > MAX_NAME ||
		    utf8_invalid_at(classes[i], strlen(classes[i])) >= 0) {
			snprintf(buf, sz, "class %zu: expected a UTF-8 name of "
				 "at most %d bytes", i, MAX_NAME);
			return buf;
		}
	for (i = 0; i < n; i++)
		if (!ex[i].text || ex[i].label < 0 ||
		    (size_t)ex[i].label >= nclasses) {
			snprintf(buf, sz, "example %zu: %s", i, ex[i].text ?
				 "label out of range" : "text is NULL");
			return buf;
		}
	return NULL;
}

/*
 * The features of every example, as rows of m: only buckets that occur
 * get a row, numbered in bucket order (not data order).
 */
static void
collect(struct intent_model *m, const struct intent_example *ex, size_t n,
	struct tset *ts)
{
	size_t nb = (size_t)1 << m->p.hash_bits, i, j, cap = 0, len = 0;
	unsigned char *seen = xmalloc(nb / 8);	/* a bit per bucket */
	uint32_t nrows = 0;
	struct feats f;

	memset(seen, 0, nb / 8);
	ts->n = n;
	ts->rows = NULL;
	ts->off = xmalloc((n + 1) * sizeof(*ts->off));
	ts->nword = xmalloc(n * sizeof(*ts->nword));
	ts->label = xmalloc(n * sizeof(*ts->label));
	feats_init(&f);
	for (i = 0; i < n; i++) {
		extract(&f, ex[i].text, ex[i].ctx, &m->p, NULL);
		ts->off[i] = len;
		ts->nword[i] = f.nword;
		ts->label[i] = ex[i].label;
		if (len + f.n > cap) {
			cap = 2 * (len + f.n);
			ts->rows = xrealloc(ts->rows, cap * sizeof(*ts->rows));
		}
		memcpy(ts->rows + len, f.v, f.n * sizeof(*ts->rows));
		len += f.n;
		for (j = 0; j < f.n; j++)
			seen[f.v[j] / 8] |= (unsigned char)(1u << f.v[j] % 8);
	}
	ts->off[n] = len;
	feats_release(&f);
	for (j = 0; j < nb; j++)
		nrows += seen[j / 8] >> j % 8 & 1;
	rows_init(m, nrows);
	for (j = 0, nrows = 0; j < nb; j++)
		if (seen[j / 8] >> j % 8 & 1)
			row_put(m, nrows++, (uint32_t)j);
	for (j = 0; j < len; j++)
		ts->rows[j] = row_of(m, ts->rows[j]);
	free(seen);
}

struct intent_model *
intent_train(const struct intent_example *ex, size_t n,
	     const char *const *classes, size_t nclasses,
	     const struct intent_params *p, struct dl_error *err)
{
	struct intent_params defaults;
	struct intent_model *m;
	struct tset ts;
	const char *bad;
	char buf[128];
	size_t i;

	if (!p) {
		intent_params_init(&defaults);
		p = &defaults;
	}
	if ((bad = check_params(p))) {
		dl_error_set(err, DL_EX_USAGE, NULL, 0, "", "%s", bad);
		return NULL;
	}
	if ((bad = check_data(ex, n, classes, nclasses, buf, sizeof(buf)))) {
		dl_error_set(err, DL_EX_DATAERR, NULL, 0, "", "%s", bad);
		return NULL;
	}
	m = model_new(p, nclasses);
	for (i = 0; i < nclasses; i++)
		m->names[i] = xstrdup(classes[i]);
	collect(m, ex, n, &ts);
	sgd(m, &ts);
	free(ts.rows);
	free(ts.off);
	free(ts.nword);
	free(ts.label);
	return m;
}

size_t
intent_predict(const struct intent_model *m, const char *text,
	       struct intent_candidate *top, size_t k)
{
	return intent_predict_ctx(m, text, NULL, top, k);
}

size_t
intent_predict_ctx(const struct intent_model *m, const char *text, const char *ctx,
		   struct intent_candidate *top, size_t k)
{
	size_t C = m->nclasses, i, j, c, best;
	double sbuf[64], *s = C <= 64 ? sbuf : xmalloc(C * sizeof(*s));
	double x, xw, xc;
	struct feats f;
	const float *w;

	feats_init(&f);
	extract(&f, text, ctx, &m->p, m);
	for (c = 0; c < C; c++)
		s[c] = m->bias[c];
	values(m->p.word_weight, f.nword, f.n, &xw, &xc);
	for (j = 0; j < f.n; j++) {
		uint32_t r = row_of(m, f.v[j]);

		if (r == NO_ROW)
			continue;
		x = j < f.nword ? xw : xc;
		w = m->w + (size_t)r * C;
		for (c = 0; c < C; c++)
			s[c] += x * w[c];
	}
	feats_release(&f);
	softmax(s, C);
	if (k > C)
		k = C;
	for (i = 0; i < k; i++) {
		/* k is small: selection beats sorting all classes. */
		best = C;
		for (c = 0; c < C; c++)
			if (s[c] >= 0 && (best == C || s[c] > s[best]))
				best = c;
		top[i].id = (int)best;
		top[i].name = m->names[best];
		top[i].confidence = s[best];
		s[best] = -1;
	}
	if (s != sbuf)
		free(s);
	return k;
}

size_t
intent_nclasses(const struct intent_model *m)
{
	return m->nclasses;
}

const char *
intent_class_name(const struct intent_model *m, size_t i)
{
	return i < m->nclasses ? m->names[i] : NULL;
}

void
intent_get_params(const struct intent_model *m, struct intent_params *p)
{
	*p = m->p;
}

void
intent_save(const struct intent_model *m, struct strbuf *out)
{
	size_t start = out->len, C = m->nclasses, i, c;
	const float *w;

	sb_add(out, MAGIC, 8);
	blob_put_u32(out, VERSION);
	blob_put_u32(out, (uint32_t)C);
	blob_put_u64(out, m->p.seed);
	blob_put_u32(out, (uint32_t)m->p.epochs);
	blob_put_f64(out, m->p.learning_rate);
	blob_put_f64(out, m->p.l2);
	blob_put_f64(out, m->p.word_weight);
	blob_put_u32(out, (uint32_t)m->p.hash_bits);
	blob_put_u32(out, (uint32_t)m->p.word_ngrams);
	blob_put_u32(out, (uint32_t)m->p.char_min);
	blob_put_u32(out, (uint32_t)m->p.char_max);
	for (c = 0; c < C; c++)
		blob_put_str(out, m->names[c]);
	for (c = 0; c < C; c++)
		blob_put_f32(out, m->bias[c]);
	blob_put_u32(out, m->nrows);
	for (i = 0; i < m->nrows; i++) {
		blob_put_u32(out, m->bucket[i]);
		w = m->w + i * C;
		for (c = 0; c < C; c++)
			blob_put_f32(out, w[c]);
	}
	blob_seal(out, start);
}

static struct intent_model *
load_fail(struct intent_model *m, struct dl_error *err, const char *what)
{
	if (m)
		intent_free(m);
	dl_error_set(err, DL_EX_DATAERR, NULL, 0, "", "intent model: %s", what);
	return NULL;
}

struct intent_model *
intent_load(const void *blob, size_t n, struct dl_error *err)
{
	struct blob_reader r;
	struct intent_params p;
	struct intent_model *m = NULL;
	uint32_t C, nrows, b, prev = 0;
	size_t c, i, nb;
	const char *bad;

	if (blob_open(&r, blob, n, MAGIC, VERSION, "intent model",
		      "not an intent model blob", err))
		return NULL;
	C = blob_get_u32(&r);
	p.seed = blob_get_u64(&r);
	p.epochs = (int)(blob_get_u32(&r) & 0x7fffffff);
	p.learning_rate = blob_get_f64(&r);
	p.l2 = blob_get_f64(&r);
	p.word_weight = blob_get_f64(&r);
	p.hash_bits = (int)(blob_get_u32(&r) & 0xff);
	p.word_ngrams = (int)(blob_get_u32(&r) & 0xff);
	p.char_min = (int)(blob_get_u32(&r) & 0xff);
	p.char_max = (int)(blob_get_u32(&r) & 0xff);
	if (r.bad)
		return load_fail(m, err, "truncated header");
	if ((bad = check_params(&p)))
		return load_fail(m, err, bad);
	/* Each class needs at least 8 bytes: a name length and a bias. */
	if (C < 1 || C > MAX_CLASSES || blob_left(&r) / 8 < C)
		return load_fail(m, err, "bad number of classes");
	m = model_new(&p, C);
	for (c = 0; c < C; c++)
		if (!(m->names[c] = blob_get_str(&r, MAX_NAME)))
			return load_fail(m, err, "bad class name");
	for (c = 0; c < C; c++)
		m->bias[c] = blob_get_weight(&r);
	nrows = blob_get_u32(&r);
	nb = (size_t)1 << p.hash_bits;
	if (r.bad || nrows > nb ||
	    blob_left(&r) / (4 * ((size_t)C + 1)) != nrows ||
	    blob_left(&r) % (4 * ((size_t)C + 1)))
		return load_fail(m, err, "bad weight table size");
	rows_init(m, nrows);
	m->w = xmalloc((size_t)nrows * C * sizeof(*m->w) + 1);
	for (i = 0; i < nrows; i++) {
		b = blob_get_u32(&r);
		if (b >= nb || (i > 0 && b <= prev))
			return load_fail(m, err, "bad feature bucket");
		prev = b;
		row_put(m, (uint32_t)i, b);
		for (c = 0; c < C; c++)
			m->w[i * C + c] = blob_get_weight(&r);
	}
	if (r.bad || blob_left(&r))
		return load_fail(m, err, "bad weights");
	return m;
}
