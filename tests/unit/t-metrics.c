/* Evaluation and agreement figures (DESIGN.md section 6), checked by hand. */
#include "dialab/metrics.h"

#include <math.h>

#include "tap.h"

#define is_num(got, want, tol, ...) do { \
	double g_ = (got), w_ = (want); \
	if (!tap_ok(fabs(g_ - w_) <= (tol), __FILE__, __LINE__, __VA_ARGS__)) \
		printf("# %s:%d: got %.10g, want %.10g\n", __FILE__, __LINE__, g_, w_); \
} while (0)

#define EPS 1e-9
#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct dl_error err;

static void
add_n(struct metrics_confusion *cm, int gold, int pred, int n)
{
	while (n-- > 0)
		metrics_confusion_add(cm, gold, pred, NULL);
}

static void
test_prf(void)
{
	struct metrics_prf p = metrics_prf_make(0, 0, 0);

	is_num(p.precision + p.recall + p.f1, 0, 0, "0/0 figures are 0, not NaN");
	/* P = 2/4, R = 2/5, F1 = 2*2/(4+5) = 4/9 */
	p = metrics_prf_make(2, 4, 5);
	is_num(p.precision, 0.5, EPS, "precision 2/4");
	is_num(p.recall, 0.4, EPS, "recall 2/5");
	is_num(p.f1, 4.0 / 9, EPS, "F1 2PR/(P+R) = 4/9");
}

static void
test_confusion(void)
{
	struct metrics_confusion cm;
	struct metrics_prf p;
	double mp, mr, mf;

	is_int(metrics_confusion_init(&cm, 0, &err), -1, "zero classes is refused");
	is_int(err.code, DL_EX_SOFTWARE, "as a caller's mistake");
	metrics_confusion_release(&cm);
	metrics_confusion_release(NULL);

	/*
	 *          pred 0  1  2   gold
	 * gold 0       5  1  0     6
	 * gold 1       2  3  1     6
	 * gold 2       0  1  4     5
	 * predicted    7  5  5    17
	 */
	is_int(metrics_confusion_init(&cm, 3, &err), 0, "a 3-class matrix");
	is_num(metrics_accuracy(&cm), 0, 0, "accuracy of nothing is 0");
	is_num(metrics_macro_f1(&cm), 0, 0, "macro-F1 of nothing is 0");
	add_n(&cm, 0, 0, 5);
	add_n(&cm, 0, 1, 1);
	add_n(&cm, 1, 0, 2);
	add_n(&cm, 1, 1, 3);
	add_n(&cm, 1, 2, 1);
	add_n(&cm, 2, 1, 1);
	add_n(&cm, 2, 2, 4);
	is_int(metrics_confusion_add(&cm, 3, 0, &err), -1, "gold 3 of 3 classes is refused");
	is_int(err.code, DL_EX_DATAERR, "as bad data");
	is_int(metrics_confusion_add(&cm, 0, -1, &err), -1, "prediction -1 is refused");
	is_int(cm.total, 17, "refused items are not counted");
	is_int(metrics_confusion_get(&cm, 1, 0), 2, "cell (gold 1, pred 0)");
	is_int(metrics_confusion_get(&cm, 5, 0), 0, "a cell out of range is 0");
	/* (5 + 3 + 4) / 17 */
	is_num(metrics_accuracy(&cm), 12.0 / 17, EPS, "accuracy 12/17");
	/* class 0: tp 5, predicted 7, gold 6: P 5/7, R 5/6, F1 10/13 */
	p = metrics_class_prf(&cm, 0);
	is_int(p.gold, 6, "class 0 support 6");
	is_int(p.predicted, 7, "class 0 predicted 7");
	is_num(p.precision, 5.0 / 7, EPS, "class 0 precision 5/7");
	is_num(p.recall, 5.0 / 6, EPS, "class 0 recall 5/6");
	is_num(p.f1, 10.0 / 13, EPS, "class 0 F1 2*5/(7+6)");
	/* class 1: tp 3, predicted 5, gold 6: F1 6/11; class 2: 4, 5, 5: F1 0.8 */
	is_num(metrics_class_prf(&cm, 1).f1, 6.0 / 11, EPS, "class 1 F1 2*3/(5+6)");
	is_num(metrics_class_prf(&cm, 2).f1, 0.8, EPS, "class 2 F1 2*4/(5+5)");
	is_int(metrics_class_prf(&cm, 3).gold, 0, "a class out of range has no figures");
	/* (10/13 + 6/11 + 4/5) / 3 = 2.1146853 / 3 */
	is_num(metrics_macro_f1(&cm), 0.7048951049, 1e-9, "macro-F1 0.7049");
	is_int(metrics_macro(&cm, &mp, &mr, &mf), 3, "three classes averaged");
	/* P (5/7 + 3/5 + 4/5) / 3, R (5/6 + 3/6 + 4/5) / 3 */
	is_num(mp, (5.0 / 7 + 0.6 + 0.8) / 3, EPS, "macro precision 0.7048");
	is_num(mr, (5.0 / 6 + 0.5 + 0.8) / 3, EPS, "macro recall 0.7111");
	/* pooled over all classes: 12/17 each */
	p = metrics_micro_prf(&cm, -1);
	is_num(p.precision, 12.0 / 17, EPS, "micro precision = accuracy");
	is_num(p.f1, 12.0 / 17, EPS, "micro F1 = accuracy");
	/* without class 0: tp 3+4, predicted 5+5, gold 6+5: P .7, R 7/11, F1 14/21 */
	p = metrics_micro_prf(&cm, 0);
	is_int(p.tp, 7, "micro without class 0: tp 7");
	is_num(p.precision, 0.7, EPS, "micro precision 7/10");
	is_num(p.recall, 7.0 / 11, EPS, "micro recall 7/11");
	is_num(p.f1, 2.0 / 3, EPS, "micro F1 14/21");
	metrics_confusion_release(&cm);
	is_int(cm.k, 0, "release zeroes the matrix");

	/*
	 * gold 0 pred 0, gold 0 pred 2; class 1 absent from both.
	 * class 0: tp 1, predicted 1, gold 2: F1 2/3; class 2: F1 0.
	 * macro over {0, 2}: (2/3 + 0) / 2 = 1/3
	 */
	metrics_confusion_init(&cm, 3, NULL);
	metrics_confusion_add(&cm, 0, 0, NULL);
	metrics_confusion_add(&cm, 0, 2, NULL);
	is_int(metrics_macro(&cm, NULL, NULL, &mf), 2, "an absent class is left out of the macro average");
	is_num(mf, 1.0 / 3, EPS, "a class only predicted counts with F1 0");
	metrics_confusion_release(&cm);
}

static void
test_kappa(void)
{
	struct metrics_confusion cm;
	int a[50], b[50], i;
	int p1[] = { 0, 1, 2, 1 }, c1[] = { 0, 0, 1, 1 }, c2[] = { 0, 1, 0, 1 };
	int m1[] = { 0, 1, 0, 1, -1 }, m2[] = { 0, 1, 1, 0, 0 };
	int same[] = { 1, 1, 1 }, flip1[] = { 0, 1 }, flip2[] = { 1, 0 };
	double k = -9;

	/* po 1, pe (1*1 + 2*2 + 1*1)/16 = 3/8: (1 - 3/8)/(1 - 3/8) = 1 */
	is_int(metrics_cohen_kappa(p1, p1, N(p1), 3, &k, &err), 0, "kappa of identical ratings");
	is_num(k, 1, EPS, "perfect agreement: kappa 1");
	/* po 2/4, pe .5*.5 + .5*.5 = .5: 0 */
	metrics_cohen_kappa(c1, c2, N(c1), 2, &k, NULL);
	is_num(k, 0, EPS, "chance agreement: kappa 0");
	/* po 0, pe .5: (0 - .5)/(1 - .5) = -1 */
	metrics_cohen_kappa(flip1, flip2, 2, 2, &k, NULL);
	is_num(k, -1, EPS, "systematic disagreement: kappa -1");
	/* the last item is missing for rater a: as c1/c2, kappa 0 */
	metrics_cohen_kappa(m1, m2, N(m1), 2, &k, NULL);
	is_num(k, 0, EPS, "an item missing a rating is skipped");
	/* both say 1 always: pe = 1, undefined; defined as 1 */
	metrics_cohen_kappa(same, same, N(same), 2, &k, NULL);
	is_num(k, 1, 0, "one class throughout: kappa 1, not NaN");
	metrics_cohen_kappa(m1, m2, 0, 2, &k, NULL);
	is_num(k, 0, 0, "no items: kappa 0");
	is_int(metrics_cohen_kappa(p1, p1, N(p1), 2, &k, &err), -1, "label 2 with k = 2 is refused");
	is_int(err.code, DL_EX_DATAERR, "as bad data");
	is_int(metrics_cohen_kappa(p1, p1, N(p1), 0, &k, &err), -1, "zero classes is refused");
	is_int(err.code, DL_EX_SOFTWARE, "as a caller's mistake");

	/*
	 * The textbook 2x2 (50 items): yes/yes 20, yes/no 5, no/yes 10,
	 * no/no 15.  po = 35/50 = .7; rater a yes 25/50, b yes 30/50:
	 * pe = .5*.6 + .5*.4 = .5; kappa = (.7 - .5)/(1 - .5) = .4
	 */
	metrics_confusion_init(&cm, 2, NULL);
	is_num(metrics_kappa(&cm), 0, 0, "kappa of an empty matrix is 0");
	add_n(&cm, 1, 1, 20);
	add_n(&cm, 1, 0, 5);
	add_n(&cm, 0, 1, 10);
	add_n(&cm, 0, 0, 15);
	is_num(metrics_kappa(&cm), 0.4, EPS, "textbook 2x2: kappa 0.4");
	metrics_confusion_release(&cm);
	for (i = 0; i < 50; i++) {
		a[i] = i < 25;
		b[i] = i < 20 || (i >= 25 && i < 35);
	}
	metrics_cohen_kappa(a, b, 50, 2, &k, NULL);
	is_num(k, 0.4, EPS, "the same from two label arrays");
}

static void
test_fleiss(void)
{
	/* Wikipedia, "Fleiss' kappa", worked example: 10 items, 14 raters */
	static const long wiki[10 * 5] = {
		0, 0, 0, 0, 14,
		0, 2, 6, 4, 2,
		0, 0, 3, 5, 6,
		0, 3, 9, 2, 0,
		2, 2, 8, 1, 1,
		7, 7, 0, 0, 0,
		3, 2, 6, 3, 0,
		2, 5, 3, 2, 2,
		6, 5, 2, 1, 0,
		0, 2, 2, 3, 7,
	};
	static const long one[] = { 3, 0, 3, 0 }, split[] = { 1, 1, 1, 1 },
			  clean[] = { 2, 0, 0, 2 }, uneven[] = { 2, 0, 1, 2 },
			  single[] = { 1, 0 }, neg[] = { 3, -1 };
	double k = -9;

	/*
	 * P_i = (sum_j n_ij^2 - 14) / (14 * 13); the numerators are
	 * 182, 46, 56, 80, 60, 84, 44, 32, 52, 52 = 688, so
	 * Pbar = 688 / 1820 = 0.378022.  Columns 20 28 39 21 32 of 140:
	 * Pe = (400 + 784 + 1521 + 441 + 1024) / 19600 = 0.212755.
	 * kappa = (0.378022 - 0.212755) / (1 - 0.212755) = 4211/20059
	 * = 0.20993
	 */
	is_int(metrics_fleiss_kappa(wiki, 10, 5, &k, &err), 0, "Fleiss on the Wikipedia example");
	is_num(k, 4211.0 / 20059, 1e-12, "Fleiss kappa 0.210");
	/* Pbar 1, p = (.5, .5), Pe .5: (1 - .5)/(1 - .5) = 1 */
	metrics_fleiss_kappa(clean, 2, 2, &k, NULL);
	is_num(k, 1, EPS, "unanimous items: Fleiss kappa 1");
	/* P_i = (1 + 1 - 2)/(2 * 1) = 0, Pe .5: (0 - .5)/.5 = -1 */
	metrics_fleiss_kappa(split, 2, 2, &k, NULL);
	is_num(k, -1, EPS, "every item split: Fleiss kappa -1");
	/* every rating in category 0: Pe = 1, defined as 1 */
	metrics_fleiss_kappa(one, 2, 2, &k, NULL);
	is_num(k, 1, 0, "one category throughout: Fleiss kappa 1, not NaN");
	metrics_fleiss_kappa(one, 0, 2, &k, NULL);
	is_num(k, 0, 0, "no items: Fleiss kappa 0");
	is_int(metrics_fleiss_kappa(uneven, 2, 2, &k, &err), -1, "items with 2 and 3 raters are refused");
	is_int(err.code, DL_EX_DATAERR, "as bad data");
	is_str(err.msg, "expected 2 ratings as at item 0, got 3 at item 1", "saying where");
	is_int(metrics_fleiss_kappa(single, 1, 2, &k, &err), -1, "a single rater is refused");
	is_int(metrics_fleiss_kappa(neg, 1, 2, &k, &err), -1, "a negative count is refused");
	is_int(metrics_fleiss_kappa(one, 2, 0, &k, &err), -1, "zero categories is refused");
}

static void
test_alpha(void)
{
	/*
	 * Krippendorff (2011), "Computing Krippendorff's alpha-reliability",
	 * example C: observers A-D over 12 units, values 1-5 here shifted to
	 * 0-4, -1 missing; rows are units.  Nominal alpha = 0.743.
	 */
	static const int paper[12 * 4] = {
		0, 0, -1, 0,
		1, 1, 2, 1,
		2, 2, 2, 2,
		2, 2, 2, 2,
		1, 1, 1, 1,
		0, 1, 2, 3,
		3, 3, 3, 3,
		0, 0, 1, 0,
		1, 1, 1, 1,
		-1, 4, 4, 4,
		-1, -1, 0, 0,
		-1, 2, -1, -1,
	};
	static const int two[] = { 0, 0, 0, 1, 1, 1, 1, -1 };
	static const int three[] = { 0, 0, 1, 1, 1, 1, 0, 0, -1 };
	static const int same[] = { 1, 1, 1, -1, 1, 1 }, agree[] = { 0, 0, 1, 1 };
	static const int lonely[] = { 0, -1, -1, 1 }, bad[] = { 0, 2 };
	double a = -9;

	/*
	 * Units (0,0) (0,1) (1,1) (1,-).  The last is not pairable.
	 * Coincidences: o00 = 2, o01 = o10 = 1, o11 = 2; n0 = n1 = 3, n = 6.
	 * alpha = 1 - (n - 1) * (o01 + o10) / (n^2 - n0^2 - n1^2)
	 *       = 1 - 5 * 2 / (36 - 18) = 4/9
	 */
	is_int(metrics_krippendorff_alpha(two, 4, 2, 2, &a, &err), 0, "alpha of two coders");
	is_num(a, 4.0 / 9, EPS, "alpha 4/9 by hand");
	/*
	 * Units (0,0,1) (1,1,1) (0,0,-).  With m = 3 each ordered pair
	 * weighs 1/2: unit 1 gives o00 = 2/2, o01 = o10 = 2/2; unit 2 gives
	 * o11 = 6/2; unit 3 (m = 2) gives o00 = 2.  So o00 = 3, o01 = o10 = 1,
	 * o11 = 3; n0 = n1 = 4, n = 8:
	 * alpha = 1 - 7 * 2 / (64 - 16 - 16) = 1 - 14/32 = 0.5625
	 */
	metrics_krippendorff_alpha(three, 3, 3, 2, &a, NULL);
	is_num(a, 0.5625, EPS, "alpha with three coders and a gap: 18/32");
	/*
	 * Paper example: 40 pairable values (unit 12 has one), n_c =
	 * 9 13 10 5 3, disagreement o_ck (c != k) sums to 8:
	 * alpha = 1 - 39 * 8 / (1600 - 384) = 1 - 312/1216 = 113/152 = 0.7434
	 */
	metrics_krippendorff_alpha(paper, 12, 4, 5, &a, NULL);
	is_num(a, 113.0 / 152, 1e-12, "Krippendorff's example: nominal alpha 0.743");
	metrics_krippendorff_alpha(agree, 2, 2, 2, &a, NULL);
	is_num(a, 1, EPS, "perfect agreement over two values: alpha 1");
	metrics_krippendorff_alpha(same, 3, 2, 2, &a, NULL);
	is_num(a, 1, 0, "one value throughout: alpha 1, not NaN");
	metrics_krippendorff_alpha(lonely, 2, 2, 2, &a, NULL);
	is_num(a, 0, 0, "no pairable values: alpha 0");
	is_int(metrics_krippendorff_alpha(bad, 1, 2, 2, &a, &err), -1, "label 2 with k = 2 is refused");
	is_int(err.code, DL_EX_DATAERR, "as bad data");
	is_str(err.msg, "expected a label in 0..1 or -1, got 2 at 1", "saying where");
	is_int(metrics_krippendorff_alpha(bad, 1, 2, 0, &a, &err), -1, "zero classes is refused");
}

#define SPAN(t, s, e) { (t), (s), (e) }

static void
test_spans(void)
{
	enum { A, B };
	static const struct metrics_span gold[] = { SPAN(A, 0, 5), SPAN(B, 6, 10) };
	static const struct metrics_span part[] = { SPAN(A, 0, 4), SPAN(A, 6, 10) };
	static const struct metrics_span adj[] = { SPAN(A, 0, 3), SPAN(A, 3, 6) };
	static const struct metrics_span adj_rev[] = { SPAN(A, 3, 6), SPAN(A, 0, 3) };
	static const struct metrics_span merged[] = { SPAN(A, 0, 6) };
	static const struct metrics_span b1[] = { SPAN(B, 1, 2) };
	static const struct metrics_span b02[] = { SPAN(B, 0, 2) };
	static const struct metrics_span b02x2[] = { SPAN(B, 0, 2), SPAN(B, 0, 2) };
	static const struct metrics_span bad[] = { SPAN(2, 0, 1) };
	struct metrics_spans s;
	struct metrics_prf p;

	is_int(metrics_spans_match(gold, 2, gold, 2), 2, "identical spans all count");
	is_int(metrics_spans_match(gold, 2, part, 2), 0, "A 0-4 for A 0-5 and A 6-10 for B 6-10 are wrong");
	is_int(metrics_spans_match(adj, 2, merged, 1), 0, "one span over two adjacent ones is wrong");
	is_int(metrics_spans_match(adj, 2, adj_rev, 2), 2, "adjacent spans in any order count");
	is_int(metrics_spans_match(b02, 1, b02x2, 2), 1, "a duplicated prediction counts once");
	is_int(metrics_spans_match(b02x2, 2, b02, 1), 1, "a duplicated gold span needs two predictions");
	ok(metrics_spans_equal(adj, 2, adj_rev, 2), "span sets are equal in any order");
	ok(!metrics_spans_equal(b02, 1, b02x2, 2), "a duplicate makes them differ");
	ok(!metrics_spans_equal(gold, 2, part, 2), "a partial overlap makes them differ");
	ok(metrics_spans_equal(NULL, 0, NULL, 0), "two empty sets are equal");

	/* one prediction, no gold: P 0/1, R 0/0 = 0 */
	metrics_spans_init(&s, 0, NULL);
	metrics_spans_add(&s, NULL, 0, b1, 1, NULL);
	p = metrics_spans_prf(&s);
	is_num(p.precision + p.recall + p.f1, 0, 0, "empty gold: all figures 0");
	metrics_spans_release(&s);
	/* two gold, no prediction: R 0/2, P 0/0 = 0 */
	metrics_spans_init(&s, 0, NULL);
	metrics_spans_add(&s, gold, 2, NULL, 0, NULL);
	p = metrics_spans_prf(&s);
	is_int(p.gold, 2, "empty prediction: gold counted");
	is_num(p.recall + p.precision, 0, 0, "empty prediction: recall and precision 0");
	is_num(metrics_spans_type_prf(&s, A).recall, 0, 0, "no per-type figures unless asked");
	metrics_spans_release(&s);
	metrics_spans_release(NULL);

	/*
	 * Six sentences, per type (A = 0, B = 1):
	 *   gold               predicted          correct
	 * 1 A0-5 B6-10         A0-5 B6-10         2  exact
	 * 2 A0-5 B6-10         A0-4 A6-10         0
	 * 3 -                  B1-2               0
	 * 4 A0-3 A3-6          A3-6 A0-3          2  exact
	 * 5 B0-2               B0-2 B0-2          1
	 * 6 -                  -                  0  exact
	 * correct 5, predicted 2+2+1+2+2 = 9, gold 2+2+2+1 = 7:
	 * P 5/9, R 5/7, F1 2*5/(9+7) = 10/16.
	 * A: correct 1+2 = 3, predicted 1+2+2 = 5, gold 1+1+2 = 4: F1 6/9
	 * B: correct 1+1 = 2, predicted 1+1+2 = 4, gold 1+1+1 = 3: F1 4/7
	 */
	is_int(metrics_spans_init(&s, -1, &err), -1, "a negative number of types is refused");
	is_int(metrics_spans_init(&s, 2, &err), 0, "per-type span counts");
	is_int(metrics_spans_add(&s, gold, 2, gold, 2, &err), 2, "sentence 1: 2 correct");
	is_int(metrics_spans_add(&s, gold, 2, part, 2, &err), 0, "sentence 2: 0 correct");
	metrics_spans_add(&s, NULL, 0, b1, 1, NULL);
	is_int(metrics_spans_add(&s, adj, 2, adj_rev, 2, &err), 2, "sentence 4: 2 correct");
	is_int(metrics_spans_add(&s, b02, 1, b02x2, 2, &err), 1, "sentence 5: 1 correct");
	metrics_spans_add(&s, NULL, 0, NULL, 0, NULL);
	is_int(metrics_spans_add(&s, gold, 2, bad, 1, &err), -1, "type 2 of 2 is refused");
	is_int(err.code, DL_EX_DATAERR, "as bad data");
	p = metrics_spans_prf(&s);
	is_int(p.tp, 5, "5 correct (the refused sentence not counted)");
	is_int(p.predicted, 9, "9 predicted");
	is_int(p.gold, 7, "7 gold");
	is_num(p.precision, 5.0 / 9, EPS, "span precision 5/9");
	is_num(p.recall, 5.0 / 7, EPS, "span recall 5/7");
	is_num(p.f1, 0.625, EPS, "span F1 10/16");
	is_num(metrics_spans_exact(&s), 0.5, EPS, "3 of 6 sentences exact");
	p = metrics_spans_type_prf(&s, A);
	is_num(p.precision, 0.6, EPS, "type A precision 3/5");
	is_num(p.f1, 6.0 / 9, EPS, "type A F1 6/9");
	p = metrics_spans_type_prf(&s, B);
	is_num(p.recall, 2.0 / 3, EPS, "type B recall 2/3");
	is_num(p.f1, 4.0 / 7, EPS, "type B F1 4/7");
	is_int(metrics_spans_type_prf(&s, 2).gold, 0, "a type out of range has no figures");
	metrics_spans_release(&s);
	is_num(metrics_spans_exact(&s), 0, 0, "exact match of no sentences is 0");
}

static void
test_segmentation(void)
{
	static const int ref[] = { 1, 0, 0, 1, 0, 0 };
	static const int hyp[] = { 1, 0, 0, 1, 1, 0 };
	static const int hyp0[] = { 0, 0, 0, 1, 1, 0 };
	static const int r10[] = { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0 };
	static const int all4[] = { 1, 1, 1, 1 };
	static const int sr[] = { 1, 0, 1 }, sh0[] = { 1, 0, 0 },
			 sh1[] = { 1, 1, 0 }, sh2[] = { 1, 1, 1 };
	struct metrics_seg s;
	struct metrics_prf p;

	/* n / (2 * segments), halves up: 6/4 = 1.5 -> 2; 10/4 = 2.5 -> 3 */
	is_int(metrics_seg_window(ref, 6), 2, "window: 6 turns, 2 goals -> 2");
	is_int(metrics_seg_window(r10, 10), 3, "window: 10 turns, 2 goals -> 3 (2.5 up)");
	/* 4 / (2 * 4) = 0.5 -> 1 */
	is_int(metrics_seg_window(all4, 4), 1, "window: a goal per turn -> 1");
	is_int(metrics_seg_window(NULL, 0), 1, "window of no turns is 1");

	/*
	 * ref boundary at turn 3, hyp at 3 and 4; k = 2, windows i = 0..3
	 * cover boundaries i+1..i+2:
	 *   i=0 {1,2}: ref 0 hyp 0   -
	 *   i=1 {2,3}: ref 1 hyp 1   -
	 *   i=2 {3,4}: ref 1 hyp 2   WindowDiff only
	 *   i=3 {4,5}: ref 0 hyp 1   both
	 * Pk = 1/4, WindowDiff = 2/4
	 */
	is_num(metrics_pk(ref, hyp, 6, 0), 0.25, EPS, "Pk 1/4 with the default window");
	is_num(metrics_windowdiff(ref, hyp, 6, 0), 0.5, EPS, "WindowDiff 2/4");
	is_num(metrics_pk(ref, hyp0, 6, 0), 0.25, EPS, "turn 0 is not a boundary");
	is_num(metrics_pk(ref, ref, 6, 0), 0, 0, "Pk of the reference itself is 0");
	/* k = 1: boundaries 1..5 one by one, ref 00100 hyp 00110: 1 of 5 */
	is_num(metrics_pk(ref, hyp, 6, 1), 0.2, EPS, "Pk with k = 1: 1/5");
	is_num(metrics_windowdiff(ref, hyp, 6, 1), 0.2, EPS, "WindowDiff with k = 1: 1/5");
	/* k = 3: i=0 {1..3} 1 v 1; i=1 {2..4} 1 v 2; i=2 {3..5} 1 v 2 */
	is_num(metrics_pk(ref, hyp, 6, 3), 0, EPS, "Pk with k = 3: 0/3");
	is_num(metrics_windowdiff(ref, hyp, 6, 3), 2.0 / 3, EPS, "WindowDiff with k = 3: 2/3");
	/* 3 turns, k = 5 clamped to 2: one window over boundaries 1..2 */
	is_num(metrics_pk(sr, sh0, 3, 5), 1, EPS, "short dialogue, boundary missed: Pk 1");
	is_num(metrics_pk(sr, sh1, 3, 5), 0, EPS, "short dialogue, boundary misplaced inside: Pk 0");
	is_num(metrics_pk(sr, sh2, 3, 5), 0, EPS, "short dialogue, extra boundary: Pk 0");
	is_num(metrics_windowdiff(sr, sh2, 3, 5), 1, EPS, "short dialogue, extra boundary: WindowDiff 1");
	is_num(metrics_pk(sr, sh0, 1, 0), 0, 0, "one turn: no windows, Pk 0");
	is_num(metrics_windowdiff(NULL, NULL, 0, 0), 0, 0, "no turns: WindowDiff 0");

	/*
	 * Pooled over three dialogues:
	 *  ref/hyp above, k 2: 4 windows, Pk errors 1, WD 2; boundaries
	 *    tp 1 (turn 3), predicted 2, gold 1
	 *  sr/sh1, k = (3 + 2)/4 = 1: boundary 1 is 0 v 1, boundary 2 is
	 *    1 v 0: 2 windows, 2 and 2 errors; tp 0, predicted 1, gold 1
	 *  one turn: nothing
	 * Pk 3/6, WD 4/6; boundaries P 1/3, R 1/2, F1 2/5
	 */
	metrics_seg_init(&s);
	metrics_seg_add(&s, ref, hyp, 6, 0);
	metrics_seg_add(&s, sr, sh1, 3, 0);
	metrics_seg_add(&s, sr, sh1, 1, 0);
	is_int(s.windows, 6, "6 windows in all");
	is_int(s.dialogues, 3, "3 dialogues");
	is_num(metrics_seg_pk(&s), 0.5, EPS, "pooled Pk 3/6");
	is_num(metrics_seg_windowdiff(&s), 4.0 / 6, EPS, "pooled WindowDiff 4/6");
	p = metrics_seg_boundary_prf(&s);
	is_num(p.precision, 1.0 / 3, EPS, "boundary precision 1/3");
	is_num(p.recall, 0.5, EPS, "boundary recall 1/2");
	is_num(p.f1, 0.4, EPS, "boundary F1 2/5");
	metrics_seg_init(&s);
	metrics_seg_add(&s, ref, hyp, 6, 3);
	is_num(metrics_seg_windowdiff(&s), 2.0 / 3, EPS, "pooled WindowDiff with k = 3");
	metrics_seg_init(&s);
	is_num(metrics_seg_pk(&s) + metrics_seg_windowdiff(&s), 0, 0, "no dialogues: 0");
}

static void
test_curve(void)
{
	static const double conf[] = { 0.5, 0.8, 0.9, 0.3, 0.8, 0.7, 0.5 };
	static const int right[] = { 0, 1, 1, 0, 0, 1, 1 };
	const double nan_conf[] = { 0.5, NAN };
	const struct metrics_curve_point *pt;
	struct metrics_curve c;

	/*
	 * By confidence: .9 (1) | .8 (1, 0) | .7 (1) | .5 (0, 1) | .3 (0)
	 *   threshold  kept  correct  coverage  accuracy
	 *   .9         1     1        1/7       1
	 *   .8         3     2        3/7       2/3
	 *   .7         4     3        4/7       3/4
	 *   .5         6     4        6/7       2/3
	 *   .3         7     4        1         4/7
	 */
	is_int(metrics_curve_init(&c, conf, right, 7, &err), 0, "curve of 7 items");
	is_int(c.npoints, 5, "one point per distinct confidence");
	is_num(c.points[0].threshold, 0.9, 0, "highest threshold first");
	is_int(c.points[1].kept, 3, "a threshold keeps its ties");
	is_num(c.points[1].accuracy, 2.0 / 3, EPS, "accuracy at .8: 2/3");
	is_num(c.points[2].coverage, 4.0 / 7, EPS, "coverage at .7: 4/7");
	is_num(c.points[4].accuracy, 4.0 / 7, EPS, "accuracy keeping all: 4/7");
	is_num(c.points[4].coverage, 1, EPS, "the last point keeps everything");
	is_int(c.total_correct, 4, "4 correct in all");
	/* accuracy >= .75 at .9 and .7: the lowest is .7, coverage 4/7 */
	pt = metrics_curve_threshold(&c, 0.75);
	ok(pt && pt->threshold == 0.7, "target .75 is reached at .7, past the dip at .8");
	is_num(pt ? pt->coverage : -1, 4.0 / 7, EPS, "with coverage 4/7");
	/* 2/3 is met at .8 (2/3) and .5 (4/6): the lowest is .5 */
	pt = metrics_curve_threshold(&c, 2.0 / 3);
	ok(pt && pt->threshold == 0.5, "target 2/3 is met exactly at .5");
	pt = metrics_curve_threshold(&c, 0.5);
	ok(pt && pt->threshold == 0.3, "target .5 keeps everything");
	pt = metrics_curve_threshold(&c, 1);
	ok(pt && pt->threshold == 0.9, "target 1 only at .9");
	ok(!metrics_curve_threshold(&c, 1.01), "target above 1 is not reached");
	metrics_curve_release(&c);
	metrics_curve_release(NULL);

	is_int(metrics_curve_init(&c, NULL, NULL, 0, &err), 0, "curve of nothing");
	ok(c.npoints == 0 && !metrics_curve_threshold(&c, 0), "has no points and reaches nothing");
	metrics_curve_release(&c);
	is_int(metrics_curve_init(&c, nan_conf, right, 2, &err), -1, "a NaN confidence is refused");
	is_int(err.code, DL_EX_DATAERR, "as bad data");
	metrics_curve_release(&c);
}

static void
test_majority(void)
{
	static const int three[] = {
		0, 0, 1,	/* 0: two of three */
		0, 1, 2,	/* -1: no label twice */
		2, 2, 2,	/* 2 */
		1, -1, 1,	/* 1: two of the two present */
		1, -1, 0,	/* -1: one each */
		-1, -1, -1,	/* -1: nothing */
		-1, -1, 2,	/* -1: one rating is short of 2 */
	};
	static const int want[] = { 0, -1, 2, 1, -1, -1, -1 };
	static const int tie4[] = { 0, 0, 1, 1 }, two4[] = { 0, 0, 1, -1 },
			 lone[] = { -1, 2, -1 }, split[] = { 0, 1, -1 },
			 plural[] = { 0, 0, 1 };
	int out[7], i, same = 1;

	metrics_majority_gold(three, 7, 3, 2, out);
	for (i = 0; i < 7; i++)
		same &= out[i] == want[i];
	ok(same, "majority of 3 with quorum 2, row by row");
	is_int(out[0], 0, "0 0 1 -> 0");
	is_int(out[3], 1, "1 - 1 -> 1 (missing ignored)");
	is_int(out[4], -1, "1 - 0 -> none");
	is_int(metrics_majority(tie4, 4, 2), -1, "2-2 tie among four -> none");
	is_int(metrics_majority(two4, 4, 2), 0, "0 0 1 - with quorum 2 -> 0");
	is_int(metrics_majority(two4, 4, 3), -1, "0 0 1 - with quorum 3 -> none");
	is_int(metrics_majority(lone, 3, 0), 2, "quorum 0 counts as 1");
	is_int(metrics_majority(split, 3, 1), -1, "quorum 1, one each -> tie");
	is_int(metrics_majority(plural, 3, 1), 0, "quorum 1, 2 v 1 -> the plurality");
}

int
main(void)
{
	test_prf();
	test_confusion();
	test_kappa();
	test_fleiss();
	test_alpha();
	test_spans();
	test_segmentation();
	test_curve();
	test_majority();
	return done_testing();
}
