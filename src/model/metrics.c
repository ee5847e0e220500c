#include "dialab/metrics.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/strbuf.h"

/* Slack when comparing a computed accuracy with a target. */
#define TARGET_EPS 1e-12

static double
ratio(long num, long den)
{
	return den ? (double)num / (double)den : 0.0;
}

struct metrics_prf
metrics_prf_make(long tp, long predicted, long gold)
{
	struct metrics_prf p;

	p.tp = tp;
	p.predicted = predicted;
	p.gold = gold;
	p.precision = ratio(tp, predicted);
	p.recall = ratio(tp, gold);
	/* 2PR / (P + R), in counts: exact, and 0 rather than 0/0. */
	p.f1 = ratio(2 * tp, predicted + gold);
	return p;
}

/* ---- Classification ---- */

int
metrics_confusion_init(struct metrics_confusion *cm, int k,
		       struct dl_error *err)
{
	size_t n;

	memset(cm, 0, sizeof(*cm));
	if (k < 1)
		return dl_error_set(err, DL_EX_SOFTWARE, NULL, 0, NULL,
				    "expected at least one class, got %d", k);
	if ((size_t)k > SIZE_MAX / sizeof(long) / (size_t)k)
		return dl_error_set(err, DL_EX_SOFTWARE, NULL, 0, NULL,
				    "too many classes: %d", k);
	n = (size_t)k * (size_t)k;
	cm->counts = xmalloc(n * sizeof(*cm->counts));
	memset(cm->counts, 0, n * sizeof(*cm->counts));
	cm->k = k;
	return 0;
}

void
metrics_confusion_release(struct metrics_confusion *cm)
{
	if (!cm)
		return;
	free(cm->counts);
	memset(cm, 0, sizeof(*cm));
}

static int
in_range(int c, int k)
{
	return c >= 0 && c < k;
}

static long
cell(const struct metrics_confusion *cm, int gold, int pred)
{
	return cm->counts[(size_t)gold * (size_t)cm->k + (size_t)pred];
}

int
metrics_confusion_add(struct metrics_confusion *cm, int gold, int pred,
		      struct dl_error *err)
{
	if (!in_range(gold, cm->k) || !in_range(pred, cm->k))
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				    "expected labels in 0..%d, got gold %d, "
				    "predicted %d", cm->k - 1, gold, pred);
	cm->counts[(size_t)gold * (size_t)cm->k + (size_t)pred]++;
	cm->total++;
	return 0;
}

long
metrics_confusion_get(const struct metrics_confusion *cm, int gold, int pred)
{
	if (!in_range(gold, cm->k) || !in_range(pred, cm->k))
		return 0;
	return cell(cm, gold, pred);
}

static long
diagonal(const struct metrics_confusion *cm)
{
	long d = 0;
	int c;

	for (c = 0; c < cm->k; c++)
		d += cell(cm, c, c);
	return d;
}

double
metrics_accuracy(const struct metrics_confusion *cm)
{
	return ratio(diagonal(cm), cm->total);
}

struct metrics_prf
metrics_class_prf(const struct metrics_confusion *cm, int c)
{
	long predicted = 0, gold = 0;
	int i;

	if (!in_range(c, cm->k))
		return metrics_prf_make(0, 0, 0);
	for (i = 0; i < cm->k; i++) {
		predicted += cell(cm, i, c);
		gold += cell(cm, c, i);
	}
	return metrics_prf_make(cell(cm, c, c), predicted, gold);
}

int
metrics_macro(const struct metrics_confusion *cm, double *precision,
	      double *recall, double *f1)
{
	double sp = 0, sr = 0, sf = 0;
	struct metrics_prf p;
	int c, used = 0;

	for (c = 0; c < cm->k; c++) {
		p = metrics_class_prf(cm, c);
		if (!p.predicted && !p.gold)
			continue;
		sp += p.precision;
		sr += p.recall;
		sf += p.f1;
		used++;
	}
	if (precision)
		*precision = used ? sp / used : 0.0;
	if (recall)
		*recall = used ? sr / used : 0.0;
	if (f1)
		*f1 = used ? sf / used : 0.0;
	return used;
}

double
metrics_macro_f1(const struct metrics_confusion *cm)
{
	double f1;

	metrics_macro(cm, NULL, NULL, &f1);
	return f1;
}

struct metrics_prf
metrics_micro_prf(const struct metrics_confusion *cm, int ignore)
{
	long tp = 0, predicted = 0, gold = 0, n;
	int g, p;

	for (g = 0; g < cm->k; g++)
		for (p = 0; p < cm->k; p++) {
			n = cell(cm, g, p);
			if (g == p && g != ignore)
				tp += n;
			if (p != ignore)
				predicted += n;
			if (g != ignore)
				gold += n;
		}
	return metrics_prf_make(tp, predicted, gold);
}

double
metrics_kappa(const struct metrics_confusion *cm)
{
	double n = (double)cm->total, chance = 0, den;
	long row, col;
	int c, i;

	if (!cm->total)
		return 0.0;
	for (c = 0; c < cm->k; c++) {
		row = col = 0;
		for (i = 0; i < cm->k; i++) {
			row += cell(cm, c, i);
			col += cell(cm, i, c);
		}
		chance += (double)row * (double)col;
	}
	/* (po - pe) / (1 - pe), both scaled by n^2 to stay in counts. */
	den = n * n - chance;
	if (den <= 0)
		return 1.0;
	return (n * (double)diagonal(cm) - chance) / den;
}

/* ---- Spans ---- */

static int
span_eq(const struct metrics_span *a, const struct metrics_span *b)
{
	return a->type == b->type && a->start == b->start && a->end == b->end;
}

static long
count_span(const struct metrics_span *s, const struct metrics_span *v,
	   size_t n)
{
	long c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += span_eq(s, &v[i]);
	return c;
}

/*
 * One-to-one matching without allocation: each distinct predicted span
 * is correct as many times as it occurs in both lists (the smaller
 * count).  by_type, when given, gets the correct ones per type.
 */
static long
match(const struct metrics_span *gold, size_t ngold,
      const struct metrics_span *pred, size_t npred, long *by_type)
{
	long correct = 0, np, ng, m;
	size_t i;

	for (i = 0; i < npred; i++) {
		if (count_span(&pred[i], pred, i))
			continue;	/* counted at its first occurrence */
		np = count_span(&pred[i], pred + i, npred - i);
		ng = count_span(&pred[i], gold, ngold);
		m = np < ng ? np : ng;
		correct += m;
		if (by_type)
			by_type[pred[i].type] += m;
	}
	return correct;
}

long
metrics_spans_match(const struct metrics_span *gold, size_t ngold,
		    const struct metrics_span *pred, size_t npred)
{
	return match(gold, ngold, pred, npred, NULL);
}

int
metrics_spans_equal(const struct metrics_span *a, size_t na,
		    const struct metrics_span *b, size_t nb)
{
	return na == nb && match(a, na, b, nb, NULL) == (long)na;
}

int
metrics_spans_init(struct metrics_spans *s, int ntypes, struct dl_error *err)
{
	size_t n;

	memset(s, 0, sizeof(*s));
	if (ntypes < 0)
		return dl_error_set(err, DL_EX_SOFTWARE, NULL, 0, NULL,
				    "expected a number of span types, got %d",
				    ntypes);
	if (!ntypes)
		return 0;
	n = (size_t)ntypes * sizeof(long);
	s->type_correct = xmalloc(n);
	s->type_predicted = xmalloc(n);
	s->type_gold = xmalloc(n);
	memset(s->type_correct, 0, n);
	memset(s->type_predicted, 0, n);
	memset(s->type_gold, 0, n);
	s->ntypes = ntypes;
	return 0;
}

void
metrics_spans_release(struct metrics_spans *s)
{
	if (!s)
		return;
	free(s->type_correct);
	free(s->type_predicted);
	free(s->type_gold);
	memset(s, 0, sizeof(*s));
}

static int
check_types(const struct metrics_span *v, size_t n, int ntypes,
	    const char *which, struct dl_error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!in_range(v[i].type, ntypes))
			return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
					    "expected span types in 0..%d, "
					    "got %d in %s span %zu",
					    ntypes - 1, v[i].type, which, i);
	return 0;
}

long
metrics_spans_add(struct metrics_spans *s, const struct metrics_span *gold,
		  size_t ngold, const struct metrics_span *pred, size_t npred,
		  struct dl_error *err)
{
	long correct;
	size_t i;

	if (s->ntypes) {
		if (check_types(gold, ngold, s->ntypes, "gold", err) < 0 ||
		    check_types(pred, npred, s->ntypes, "predicted", err) < 0)
			return -1;
		for (i = 0; i < ngold; i++)
			s->type_gold[gold[i].type]++;
		for (i = 0; i < npred; i++)
			s->type_predicted[pred[i].type]++;
	}
	correct = match(gold, ngold, pred, npred,
			s->ntypes ? s->type_correct : NULL);
	s->correct += correct;
	s->predicted += (long)npred;
	s->gold += (long)ngold;
	s->sentences++;
	if (ngold == npred && correct == (long)ngold)
		s->exact++;
	return correct;
}

struct metrics_prf
metrics_spans_prf(const struct metrics_spans *s)
{
	return metrics_prf_make(s->correct, s->predicted, s->gold);
}

struct metrics_prf
metrics_spans_type_prf(const struct metrics_spans *s, int type)
{
	if (!in_range(type, s->ntypes))
		return metrics_prf_make(0, 0, 0);
	return metrics_prf_make(s->type_correct[type], s->type_predicted[type],
				s->type_gold[type]);
}

double
metrics_spans_exact(const struct metrics_spans *s)
{
	return ratio(s->exact, s->sentences);
}

/* ---- Segmentation ---- */

static long
boundaries(const int *b, size_t from, size_t to)
{
	long c = 0;
	size_t j;

	for (j = from; j < to; j++)
		c += b[j] != 0;
	return c;
}

size_t
metrics_seg_window(const int *ref, size_t n)
{
	size_t segs, k;

	if (n < 2)
		return 1;
	segs = 1 + (size_t)boundaries(ref, 1, n);
	/* round(n / (2 * segs)) with halves up */
	k = (n + segs) / (2 * segs);
	return k ? k : 1;
}

struct windows {
	long n, pk, wd;
};

/* Slide the window of k turns (0: default) over the dialogue. */
static struct windows
slide(const int *ref, const int *hyp, size_t n, size_t k)
{
	struct windows w = { 0, 0, 0 };
	long r, h;
	size_t i;

	if (n < 2)
		return w;
	if (!k)
		k = metrics_seg_window(ref, n);
	if (k > n - 1)
		k = n - 1;
	for (i = 0; i + k < n; i++) {
		r = boundaries(ref, i + 1, i + k + 1);
		h = boundaries(hyp, i + 1, i + k + 1);
		w.n++;
		w.pk += (r > 0) != (h > 0);
		w.wd += r != h;
	}
	return w;
}

double
metrics_pk(const int *ref, const int *hyp, size_t n, size_t k)
{
	struct windows w = slide(ref, hyp, n, k);

	return ratio(w.pk, w.n);
}

double
metrics_windowdiff(const int *ref, const int *hyp, size_t n, size_t k)
{
	struct windows w = slide(ref, hyp, n, k);

	return ratio(w.wd, w.n);
}

void
metrics_seg_init(struct metrics_seg *s)
{
	memset(s, 0, sizeof(*s));
}

void
metrics_seg_add(struct metrics_seg *s, const int *ref, const int *hyp,
		size_t n, size_t k)
{
	struct windows w = slide(ref, hyp, n, k);
	size_t j;

	for (j = 1; j < n; j++) {
		s->tp += ref[j] && hyp[j];
		s->predicted += hyp[j] != 0;
		s->gold += ref[j] != 0;
	}
	s->windows += w.n;
	s->pk_errors += w.pk;
	s->wd_errors += w.wd;
	s->dialogues++;
}

struct metrics_prf
metrics_seg_boundary_prf(const struct metrics_seg *s)
{
	return metrics_prf_make(s->tp, s->predicted, s->gold);
}

double
metrics_seg_pk(const struct metrics_seg *s)
{
	return ratio(s->pk_errors, s->windows);
}

double
metrics_seg_windowdiff(const struct metrics_seg *s)
{
	return ratio(s->wd_errors, s->windows);
}

/* ---- Agreement ---- */

static int
check_labels(const int *v, size_t n, int k, struct dl_error *err)
{
	size_t i;

	if (k < 1)
		return dl_error_set(err, DL_EX_SOFTWARE, NULL, 0, NULL,
				    "expected at least one class, got %d", k);
	for (i = 0; i < n; i++)
		if (v[i] != -1 && !in_range(v[i], k))
			return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
					    "expected a label in 0..%d or -1, "
					    "got %d at %zu", k - 1, v[i], i);
	return 0;
}

int
metrics_cohen_kappa(const int *a, const int *b, size_t n, int k,
		    double *kappa, struct dl_error *err)
{
	struct metrics_confusion cm;
	size_t i;

	if (check_labels(a, n, k, err) < 0 || check_labels(b, n, k, err) < 0 ||
	    metrics_confusion_init(&cm, k, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (a[i] >= 0 && b[i] >= 0)
			metrics_confusion_add(&cm, a[i], b[i], NULL);
	*kappa = metrics_kappa(&cm);
	metrics_confusion_release(&cm);
	return 0;
}

int
metrics_fleiss_kappa(const long *counts, size_t n, int k, double *kappa,
		     struct dl_error *err)
{
	long m = 0, row, *col = NULL;
	double agree = 0, chance = 0, total, p, pbar;
	size_t i, j, kk;
	int used = 0, ret = -1;

	if (k < 1)
		return dl_error_set(err, DL_EX_SOFTWARE, NULL, 0, NULL,
				    "expected at least one category, got %d",
				    k);
	kk = (size_t)k;
	col = xmalloc(kk * sizeof(*col));
	memset(col, 0, kk * sizeof(*col));
	for (i = 0; i < n; i++) {
		row = 0;
		for (j = 0; j < kk; j++) {
			if (counts[i * kk + j] < 0) {
				dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
					     "expected counts >= 0, got %ld "
					     "at item %zu", counts[i * kk + j],
					     i);
				goto out;
			}
			row += counts[i * kk + j];
			col[j] += counts[i * kk + j];
			agree += (double)counts[i * kk + j] *
				 (double)counts[i * kk + j];
		}
		if (!i)
			m = row;
		if (row < 2 || row != m) {
			if (row < 2)
				dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
					     "expected at least 2 ratings, "
					     "got %ld at item %zu", row, i);
			else
				dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
					     "expected %ld ratings as at "
					     "item 0, got %ld at item %zu",
					     m, row, i);
			goto out;
		}
	}
	ret = 0;
	*kappa = 0.0;
	if (!n)
		goto out;
	total = (double)n * (double)m;
	for (j = 0; j < kk; j++) {
		used += col[j] > 0;
		p = (double)col[j] / total;
		chance += p * p;
	}
	if (used <= 1) {
		*kappa = 1.0;	/* Pe = 1: every rating in one category */
		goto out;
	}
	/* mean over items of (sum_j n_ij^2 - m) / (m (m - 1)) */
	pbar = (agree - total) / (total * (double)(m - 1));
	*kappa = (pbar - chance) / (1.0 - chance);
out:
	free(col);
	return ret;
}

int
metrics_krippendorff_alpha(const int *ratings, size_t nitems, size_t nraters,
			   int k, double *alpha, struct dl_error *err)
{
	double dis = 0, v, sumsq = 0;
	long *nc, pairs, values = 0;
	const int *u;
	size_t i, a, b, m;
	int c;

	if (check_labels(ratings, nitems * nraters, k, err) < 0)
		return -1;
	nc = xmalloc((size_t)k * sizeof(*nc));
	memset(nc, 0, (size_t)k * sizeof(*nc));
	for (i = 0; i < nitems; i++) {
		u = ratings + i * nraters;
		m = 0;
		pairs = 0;
		for (a = 0; a < nraters; a++) {
			if (u[a] < 0)
				continue;
			m++;
			for (b = a + 1; b < nraters; b++)
				pairs += u[b] >= 0 && u[b] != u[a];
		}
		if (m < 2)
			continue;	/* not pairable */
		/* each unordered pair is two ordered ones, weight 1/(m-1) */
		dis += 2.0 * (double)pairs / (double)(m - 1);
		for (a = 0; a < nraters; a++)
			if (u[a] >= 0)
				nc[u[a]]++;
		values += (long)m;
	}
	for (c = 0; c < k; c++)
		sumsq += (double)nc[c] * (double)nc[c];
	free(nc);
	v = (double)values;
	if (!values)
		*alpha = 0.0;
	else if (v * v - sumsq <= 0)
		*alpha = 1.0;	/* one category: no disagreement expected */
	else
		*alpha = 1.0 - (v - 1.0) * dis / (v * v - sumsq);
	return 0;
}

/* ---- Accuracy/coverage curve ---- */

struct scored {
	double conf;
	int correct;
};

static int
by_conf_desc(const void *pa, const void *pb)
{
	const struct scored *a = pa, *b = pb;

	return (a->conf < b->conf) - (a->conf > b->conf);
}

int
metrics_curve_init(struct metrics_curve *c, const double *conf,
		   const int *correct, size_t n, struct dl_error *err)
{
	struct metrics_curve_point *pt;
	struct scored *s;
	long right = 0;
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < n; i++)
		if (isnan(conf[i]))
			return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
					    "expected a confidence, got NaN "
					    "at %zu", i);
	if (!n)
		return 0;
	s = xmalloc(n * sizeof(*s));
	for (i = 0; i < n; i++) {
		s[i].conf = conf[i];
		s[i].correct = correct[i] != 0;
	}
	qsort(s, n, sizeof(*s), by_conf_desc);
	c->points = xmalloc(n * sizeof(*c->points));
	for (i = 0; i < n; i++) {
		right += s[i].correct;
		if (i + 1 < n && s[i + 1].conf == s[i].conf)
			continue;	/* a threshold keeps all its ties */
		pt = &c->points[c->npoints++];
		pt->threshold = s[i].conf;
		pt->kept = (long)(i + 1);
		pt->correct = right;
		pt->coverage = ratio(pt->kept, (long)n);
		pt->accuracy = ratio(pt->correct, pt->kept);
	}
	free(s);
	c->points = xrealloc(c->points, c->npoints * sizeof(*c->points));
	c->total = (long)n;
	c->total_correct = right;
	return 0;
}

void
metrics_curve_release(struct metrics_curve *c)
{
	if (!c)
		return;
	free(c->points);
	memset(c, 0, sizeof(*c));
}

const struct metrics_curve_point *
metrics_curve_threshold(const struct metrics_curve *c, double target)
{
	const struct metrics_curve_point *best = NULL;
	size_t i;

	for (i = 0; i < c->npoints; i++)
		if (c->points[i].accuracy >= target - TARGET_EPS)
			best = &c->points[i];
	return best;
}

/* ---- Majority gold ---- */

int
metrics_majority(const int *labels, size_t nraters, int quorum)
{
	size_t i, j, n, top = 0;
	int best = -1, tie = 0;

	for (i = 0; i < nraters; i++) {
		if (labels[i] < 0)
			continue;
		for (j = 0; j < i && labels[j] != labels[i]; j++)
			;
		if (j < i)
			continue;	/* counted at its first occurrence */
		for (n = 0, j = i; j < nraters; j++)
			n += labels[j] == labels[i];
		if (n > top) {
			top = n;
			best = labels[i];
			tie = 0;
		} else if (n == top) {
			tie = 1;
		}
	}
	if (quorum < 1)
		quorum = 1;
	return !tie && top >= (size_t)quorum ? best : -1;
}

void
metrics_majority_gold(const int *ratings, size_t nitems, size_t nraters,
		      int quorum, int *out)
{
	size_t i;

	for (i = 0; i < nitems; i++)
		out[i] = metrics_majority(ratings + i * nraters, nraters,
					  quorum);
}
