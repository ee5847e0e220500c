#ifndef DIALAB_METRICS_H
#define DIALAB_METRICS_H

#include <stddef.h>

#include "dialab/error.h"

/*
 * The figures `dialab eval` and `dialab agree` report (DESIGN.md
 * section 6): classification, span F1 by the CoNLL rule, goal
 * segmentation, inter-annotator agreement, the accuracy/coverage curve
 * and majority gold.
 *
 * Labels are class ids 0..k-1 chosen by the caller; -1 marks a missing
 * rating where one is allowed.  A figure whose denominator is zero is
 * 0, never NaN, unless a function says otherwise.  Functions that can
 * reject their input take a struct dl_error and return -1 with it set
 * (DL_EX_DATAERR for bad data, DL_EX_SOFTWARE for an argument no
 * caller should pass).  Running out of memory aborts, as xmalloc()
 * does everywhere.
 */

/*
 * Precision, recall and F1 with the counts behind them.  tp is the
 * number of correct predictions; predicted and gold are the number
 * predicted and the number in the gold standard (for one class of a
 * confusion matrix, gold is its support).
 */
struct metrics_prf {
	long tp, predicted, gold;
	double precision;	/* tp / predicted, 0 when predicted == 0 */
	double recall;		/* tp / gold, 0 when gold == 0 */
	double f1;		/* harmonic mean, 0 when both are 0 */
};

/* The figures of tp, predicted and gold (no validation: tp <= both). */
struct metrics_prf metrics_prf_make(long tp, long predicted, long gold);

/* ---- Classification ---- */

/*
 * A k x k confusion matrix: counts[gold * k + pred].  Caller-owned:
 * metrics_confusion_init() before use, metrics_confusion_release()
 * after.  The fields may be read; change them only through the
 * functions.
 */
struct metrics_confusion {
	int k;
	long *counts;
	long total;
};

/*
 * Set up an empty matrix for classes 0..k-1.  Returns 0, or -1 with err
 * set (DL_EX_SOFTWARE) when k < 1 or k * k counts would not fit in a
 * size_t; cm is then safe to release.
 */
int metrics_confusion_init(struct metrics_confusion *cm, int k,
			   struct dl_error *err);

/* Free the counts and zero cm.  NULL and released matrices are fine. */
void metrics_confusion_release(struct metrics_confusion *cm);

/*
 * Count one item with gold label gold predicted as pred.  Returns 0, or
 * -1 with err set (DL_EX_DATAERR) when either is outside 0..k-1; the
 * matrix is then unchanged.
 */
int metrics_confusion_add(struct metrics_confusion *cm, int gold, int pred,
			  struct dl_error *err);

/* The count of (gold, pred), or 0 when either is out of range. */
long metrics_confusion_get(const struct metrics_confusion *cm, int gold,
			   int pred);

/* Correct / total; 0 for an empty matrix. */
double metrics_accuracy(const struct metrics_confusion *cm);

/*
 * One class's figures: tp = counts[c][c], predicted = column sum,
 * gold = row sum (the support).  All zero when c is out of range.
 */
struct metrics_prf metrics_class_prf(const struct metrics_confusion *cm,
				     int c);

/*
 * Macro averages: the unweighted means of the per-class precision,
 * recall and F1 over the classes that occur in the gold labels or the
 * predictions (sklearn's average="macro" over the labels present);
 * classes absent from both are left out rather than counted as 0.
 * Note the macro F1 is the mean of the F1s, not the F1 of the mean
 * precision and recall.  Any of the out pointers may be NULL.  Returns
 * the number of classes averaged; with none, the figures are 0.
 */
int metrics_macro(const struct metrics_confusion *cm, double *precision,
		  double *recall, double *f1);

/* The macro F1 of metrics_macro(). */
double metrics_macro_f1(const struct metrics_confusion *cm);

/*
 * Micro figures pooled over all classes but ignore (pass -1 to pool
 * all).  Pooling all classes of a single-label task gives precision =
 * recall = F1 = accuracy; leaving out a "nothing to report" class
 * (e.g. FP_CORRECT) gives the usual detection figures: an item of
 * class ignore predicted as c is a false positive, the reverse a false
 * negative.
 */
struct metrics_prf metrics_micro_prf(const struct metrics_confusion *cm,
				     int ignore);

/*
 * Cohen's kappa of the two raters behind the matrix (rows one rater,
 * columns the other): (po - pe) / (1 - pe).  When pe = 1 (both raters
 * gave every item the same single class) kappa is undefined; this
 * returns 1, since observed agreement is then perfect.  0 for an
 * empty matrix.
 */
double metrics_kappa(const struct metrics_confusion *cm);

/* ---- Spans (CoNLL rule) ---- */

/* A typed span in code points: [start, end). */
struct metrics_span {
	int type;
	long start, end;
};

/*
 * How many predicted spans are correct: equal in type, start and end
 * to a gold span (partial overlap and a wrong type are wrong).  The
 * match is one-to-one, so a duplicated prediction of one gold span
 * counts once and the duplicate is a false positive; duplicated gold
 * spans need as many predictions.  Order does not matter.
 */
long metrics_spans_match(const struct metrics_span *gold, size_t ngold,
			 const struct metrics_span *pred, size_t npred);

/*
 * Are the two span sets equal (as multisets: same spans, each as many
 * times, in any order)?  Two empty sets are equal.  Returns 1 or 0.
 * For whole-sentence exact match with the intent too, the caller ANDs
 * this with its intent comparison.
 */
int metrics_spans_equal(const struct metrics_span *a, size_t na,
			const struct metrics_span *b, size_t nb);

/*
 * Span counts accumulated over sentences, optionally per type.
 * Caller-owned: metrics_spans_init() before use, metrics_spans_release()
 * after.
 */
struct metrics_spans {
	long correct, predicted, gold;
	long sentences;		/* metrics_spans_add() calls */
	long exact;		/* of which the span sets were equal */
	int ntypes;		/* 0: no per-type counts */
	long *type_correct, *type_predicted, *type_gold;  /* [ntypes] */
};

/*
 * Zero the counts; with ntypes > 0 also keep counts per type 0..ntypes-1
 * (and then require every span's type in that range).  Returns 0, or -1
 * with err set (DL_EX_SOFTWARE) when ntypes < 0.
 */
int metrics_spans_init(struct metrics_spans *s, int ntypes,
		       struct dl_error *err);

/* Free the per-type counts and zero s.  NULL is fine. */
void metrics_spans_release(struct metrics_spans *s);

/*
 * Add one sentence's gold and predicted spans.  Returns the number of
 * correct predictions in it, or -1 with err set (DL_EX_DATAERR) when
 * per-type counts are kept and a span's type is out of range; nothing
 * is then counted.
 */
long metrics_spans_add(struct metrics_spans *s,
		       const struct metrics_span *gold, size_t ngold,
		       const struct metrics_span *pred, size_t npred,
		       struct dl_error *err);

/* Precision, recall and F1 over all spans added so far. */
struct metrics_prf metrics_spans_prf(const struct metrics_spans *s);

/* The figures of one type; all zero without per-type counts or out of range. */
struct metrics_prf metrics_spans_type_prf(const struct metrics_spans *s,
					  int type);

/* Sentences whose span sets were equal / sentences; 0 before any. */
double metrics_spans_exact(const struct metrics_spans *s);

/* ---- Goal segmentation ---- */

/*
 * A segmentation of a dialogue of n turns is an int array b[0..n): b[i]
 * nonzero when a new goal starts at turn i.  b[0] is ignored (turn 0
 * always starts one) and is never counted as a boundary.
 *
 * Pk and WindowDiff slide a window of k turns: for each i in
 * 0..n-k-1 they compare turns i and i+k, i.e. the boundaries b[i+1..i+k].
 * Pk counts an error when the reference and hypothesis disagree on
 * whether there is any boundary in the window; WindowDiff when their
 * numbers of boundaries differ.  Both are errors / windows, lower is
 * better, 0 when there are no windows.
 *
 * Short dialogues: k is clamped to n - 1, so a dialogue with fewer than
 * k + 1 turns gives a single window spanning all of it (an error exactly
 * when one side has a boundary and the other none, or for WindowDiff a
 * different number); a one-turn dialogue has no windows.
 */

/*
 * The default window for reference ref: half the mean reference segment
 * length, n / (2 * segments), rounded half up (2.5 gives 3), at least 1.
 * Returns 1 for n == 0.
 */
size_t metrics_seg_window(const int *ref, size_t n);

/* Pk of hyp against ref; k == 0 means metrics_seg_window(ref, n). */
double metrics_pk(const int *ref, const int *hyp, size_t n, size_t k);

/* WindowDiff of hyp against ref; k == 0 means metrics_seg_window(ref, n). */
double metrics_windowdiff(const int *ref, const int *hyp, size_t n, size_t k);

/*
 * Segmentation figures accumulated over dialogues.  Boundary counts and
 * Pk/WindowDiff windows are pooled (summed) over dialogues, so a long
 * dialogue weighs more; for the mean of per-dialogue values call
 * metrics_pk() and metrics_windowdiff() per dialogue.  Holds no memory:
 * metrics_seg_init() is all it needs.
 */
struct metrics_seg {
	long tp, predicted, gold;	/* boundaries (turns 1..n-1) */
	long windows, pk_errors, wd_errors;
	long dialogues;
};

/* Zero s. */
void metrics_seg_init(struct metrics_seg *s);

/*
 * Add one dialogue of n turns with reference ref and hypothesis hyp,
 * using window k (0: metrics_seg_window(ref, n) for this dialogue).
 */
void metrics_seg_add(struct metrics_seg *s, const int *ref, const int *hyp,
		     size_t n, size_t k);

/* Boundary precision, recall and F1 (exact turn match). */
struct metrics_prf metrics_seg_boundary_prf(const struct metrics_seg *s);

/* Pooled Pk: pk_errors / windows, 0 with no windows. */
double metrics_seg_pk(const struct metrics_seg *s);

/* Pooled WindowDiff: wd_errors / windows, 0 with no windows. */
double metrics_seg_windowdiff(const struct metrics_seg *s);

/* ---- Agreement ---- */

/*
 * Cohen's kappa of raters a and b over n items with labels 0..k-1; an
 * item where either label is -1 (missing) is skipped.  Stores kappa as
 * metrics_kappa() defines it (1 when pe = 1, 0 with no items rated by
 * both) in *kappa and returns 0, or returns -1 with err set
 * (DL_EX_DATAERR) for a label outside -1..k-1, or (DL_EX_SOFTWARE) k < 1.
 */
int metrics_cohen_kappa(const int *a, const int *b, size_t n, int k,
			double *kappa, struct dl_error *err);

/*
 * Fleiss' kappa for n items each rated by the same number m >= 2 of
 * raters: counts is n x k, row-major, counts[i * k + j] = raters who put
 * item i in category j.  When every rating is in one category Pe = 1
 * and kappa is undefined; this returns 1 (observed agreement is
 * perfect).  0 when n == 0.  Stores kappa in *kappa and returns 0, or
 * returns -1 with err set (DL_EX_DATAERR) when a count is negative, a
 * row's sum differs from the first's or is below 2, or (DL_EX_SOFTWARE)
 * k < 1.
 */
int metrics_fleiss_kappa(const long *counts, size_t n, int k, double *kappa,
			 struct dl_error *err);

/*
 * Krippendorff's alpha for nominal data, from the coincidence matrix:
 * alpha = 1 - (v - 1) * D / (v^2 - sum_c v_c^2), where v is the number of
 * pairable values (those in items with at least two ratings), v_c those
 * of category c and D the sum, over items with m >= 2 ratings, of the
 * ordered pairs of ratings by different raters that disagree, each
 * weighted 1 / (m - 1).  ratings is nitems x nraters, row-major, labels
 * 0..k-1 or -1 for missing; items with fewer than two ratings are left
 * out.  When all pairable values are in one category alpha is
 * undefined; this returns 1 (no disagreement was observed).  0 with no
 * pairable values.  Stores alpha in *alpha and returns 0, or returns -1
 * with err set (DL_EX_DATAERR) for a label outside -1..k-1, or
 * (DL_EX_SOFTWARE) k < 1.
 */
int metrics_krippendorff_alpha(const int *ratings, size_t nitems,
			       size_t nraters, int k, double *alpha,
			       struct dl_error *err);

/* ---- Accuracy/coverage curve ---- */

/* Keeping the items with confidence >= threshold: */
struct metrics_curve_point {
	double threshold;
	long kept, correct;
	double coverage;	/* kept / all items */
	double accuracy;	/* correct / kept */
};

/*
 * The curve, one point per distinct confidence, by threshold descending
 * (coverage ascending; the last point keeps everything).  Caller-owned:
 * metrics_curve_init() fills it, metrics_curve_release() frees it.
 */
struct metrics_curve {
	size_t npoints;
	struct metrics_curve_point *points;
	long total, total_correct;
};

/*
 * Build the curve of n items with confidence conf[i] and correct[i]
 * nonzero when item i was right.  n == 0 gives an empty curve.  Returns
 * 0, or -1 with err set (DL_EX_DATAERR) when a confidence is NaN; c is
 * then empty and safe to release.
 */
int metrics_curve_init(struct metrics_curve *c, const double *conf,
		       const int *correct, size_t n, struct dl_error *err);

/* Free the points and zero c.  NULL is fine. */
void metrics_curve_release(struct metrics_curve *c);

/*
 * The lowest threshold whose kept items reach accuracy >= target (within
 * 1e-12, so a target of 0.7 is met by 7 of 10), i.e. the point of
 * greatest coverage that meets it; accuracy need not fall steadily with
 * the threshold, so this looks at every point.  Returns the point
 * (owned by c, valid until it is released), or NULL when no threshold
 * reaches the target.
 */
const struct metrics_curve_point *
metrics_curve_threshold(const struct metrics_curve *c, double target);

/* ---- Majority gold ---- */

/*
 * The label given most often among the nraters labels, if at least
 * quorum raters gave it (negative labels are missing and never count);
 * -1 when it falls short of the quorum, when two labels are given
 * equally often (a tie, possible when quorum is at most half the
 * raters), or when every label is missing.  A quorum below 1 counts
 * as 1.  For "2 of 3" pass quorum 2.
 */
int metrics_majority(const int *labels, size_t nraters, int quorum);

/*
 * metrics_majority() of each row of the nitems x nraters, row-major
 * matrix ratings, into out[0..nitems).
 */
void metrics_majority_gold(const int *ratings, size_t nitems, size_t nraters,
			   int quorum, int *out);

#endif
